from odoo import models
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        res = super().init()
        # The customer figures read a customer's posted sales documents.
        create_index(
            self.env.cr,
            "account_move_sh_customer_sales_index",
            self._table,
            ["commercial_partner_id", "company_id", "invoice_date"],
            where="state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
        )
        # A refresh of every customer reads all their sales from this index
        # alone, in one pass.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_sh_sales_by_date_index
                ON account_move (invoice_date)
                INCLUDE (commercial_partner_id, company_id, move_type, amount_untaxed_signed)
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
            """
        )
        return res

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
