"""Journal entries: refresh the figures of the customers whose sales
documents or receivable items are posted, reset or cancelled (their
indexes: ``figures.storage``)."""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _sh_touched_customers(self):
        """Commercial partners whose figures depend on these entries: the
        customer of an invoice or credit note, and the partner of any
        receivable item (payments, entries)."""
        receivable_lines = self.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        return (
            self.filtered(
                lambda move: move.is_sale_document(include_receipts=True)
            ).commercial_partner_id
            | receivable_lines.partner_id.commercial_partner_id
        )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._sh_touched_customers()._sh_refresh_customer_stats()
        return posted

    def button_draft(self):
        customers = self._sh_touched_customers()
        res = super().button_draft()
        customers._sh_refresh_customer_stats()
        return res

    def button_cancel(self):
        customers = self._sh_touched_customers()
        res = super().button_cancel()
        customers._sh_refresh_customer_stats()
        return res
