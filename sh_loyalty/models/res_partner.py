from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sh_loyalty_card_ids = fields.One2many(
        "loyalty.card",
        "partner_id",
        string="Loyalty Cards",
        help="Loyalty cards, gift cards and coupons held by this customer.",
    )
