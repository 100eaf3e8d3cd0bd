"""Reconciliations: refresh the figures of the customers whose receivable
items are matched or unmatched."""

from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def _sh_touched_customers(self):
        lines = self.debit_move_id | self.credit_move_id
        return lines.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).partner_id.commercial_partner_id

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._sh_touched_customers()._sh_refresh_customer_stats()
        return partials

    def unlink(self):
        customers = self._sh_touched_customers()
        res = super().unlink()
        customers._sh_refresh_customer_stats()
        return res
