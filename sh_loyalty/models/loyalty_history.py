"""The points history of the customers' cards: why each line moved points
(earned, reversed, owed, settled, expired, redeemed, adjusted), its date,
source document and customer."""

from odoo import api, fields, models

from ..figures import point_totals

REASONS = [
    ("earn", "Earned"),
    ("reverse", "Reversed"),
    ("owed", "Shortfall Owed"),
    ("settle", "Shortfall Settled"),
    ("expire", "Expired"),
    ("redeem", "Redeemed"),
    ("adjust", "Adjustment"),
]
# Reasons whose lines belong to an invoice's own earning.
MOVE_REASONS = ("earn", "reverse")


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    sh_reason = fields.Selection(REASONS, string="Reason", index=True, readonly=True)
    sh_move_id = fields.Many2one(
        "account.move",
        string="Source Document",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    sh_date = fields.Date(
        string="Date", default=fields.Date.context_today, index=True, readonly=True
    )
    sh_user_id = fields.Many2one(
        "res.users", string="User", default=lambda self: self.env.user, readonly=True
    )
    sh_partner_id = fields.Many2one("res.partner", string="Customer", index=True, readonly=True)
    sh_program_id = fields.Many2one("loyalty.program", string="Program", index=True, readonly=True)
    sh_points = fields.Float(
        string="Points", compute="_compute_sh_points", store=True, help="Issued minus used."
    )

    def init(self):
        """Make the programs' members and points and their triggers, or
        replace the triggers with the current ones
        (``figures.point_totals``), once the history's columns exist."""
        res = super().init()
        point_totals.ensure(self.env.cr)
        return res

    @api.depends("issued", "used")
    def _compute_sh_points(self):
        for line in self:
            line.sh_points = line.issued - line.used

    @api.model_create_multi
    def create(self, vals_list):
        cards = self.env["loyalty.card"].browse(
            {vals["card_id"] for vals in vals_list if vals.get("card_id")}
        )
        by_id = {card.id: card for card in cards}
        for vals in vals_list:
            card = by_id.get(vals.get("card_id"))
            if card:
                vals.setdefault("sh_partner_id", card.partner_id.id)
                vals.setdefault("sh_program_id", card.program_id.id)
            # Written with the line rather than by an update right after it.
            vals.setdefault("sh_points", vals.get("issued", 0.0) - vals.get("used", 0.0))
        return super().create(vals_list)

    def _get_order_description(self):
        self.ensure_one()
        if self.order_model and self.order_id:
            return super()._get_order_description()
        return self.description
