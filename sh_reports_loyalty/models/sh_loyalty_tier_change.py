"""The tier changes of the customers' cards, one line per change, written
when the tier rule moves a card (after a sale or by the daily review): the
upgrades and downgrades of a period and each member's tier on a past day
are read from them."""

from odoo import fields, models

DIRECTIONS = [
    ("first", "First Tier"),
    ("up", "Upgrade"),
    ("down", "Downgrade"),
]


class ShLoyaltyTierChange(models.Model):
    _name = "sh.loyalty.tier.change"
    _description = "Loyalty Tier Change"
    _order = "date desc, id desc"

    card_id = fields.Many2one(
        "loyalty.card", required=True, readonly=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    program_id = fields.Many2one("loyalty.program", readonly=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    date = fields.Date(required=True, readonly=True, index=True)
    old_tier_id = fields.Many2one("sh.loyalty.tier", string="From Tier", readonly=True)
    new_tier_id = fields.Many2one("sh.loyalty.tier", string="To Tier", readonly=True)
    direction = fields.Selection(DIRECTIONS, required=True, readonly=True)
