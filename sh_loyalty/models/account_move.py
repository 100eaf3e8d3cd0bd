"""Invoices and credit notes in the loyalty program: the earning factor fixed
at their first earning, their points movements, and the sync of their
points when they are posted, reset to draft or cancelled."""

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    sh_loyalty_factor = fields.Float(
        string="Loyalty Points per Unit",
        digits=(16, 4),
        copy=False,
        readonly=True,
        help="Points per currency unit (the program's rate times the customer's tier "
        "multiplier) fixed when this invoice first earned points.",
    )
    sh_loyalty_history_ids = fields.One2many(
        "loyalty.history", "sh_move_id", string="Loyalty Points", readonly=True
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._sh_loyalty_sync()
        return posted

    def button_draft(self):
        res = super().button_draft()
        self._sh_loyalty_sync()
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._sh_loyalty_sync()
        return res

    def _sh_loyalty_sync(self):
        sales = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if sales:
            # sudo: the points follow the invoice whoever posts it; the
            # accountant need not have rights on the loyalty programs.
            self.env["loyalty.card"].sudo()._sh_sync_moves(sales.sudo())
