"""Points lots: the points earned at one time, spent oldest first and
expiring together."""

from odoo import fields, models


class ShLoyaltyLot(models.Model):
    """Points earned at one time, spent oldest first and expiring together."""

    _name = "sh.loyalty.lot"
    _description = "Loyalty Points Lot"
    _order = "expiry_date, id"

    card_id = fields.Many2one("loyalty.card", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="card_id.partner_id", string="Customer")
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", ondelete="set null", index="btree_not_null"
    )
    date = fields.Date(required=True)
    expiry_date = fields.Date(string="Expires On", index=True)
    points = fields.Float(string="Earned", readonly=True)
    remaining = fields.Float(readonly=True)
    warned = fields.Boolean(
        string="Expiry Warning Sent", readonly=True, help="The customer was warned by e-mail."
    )
