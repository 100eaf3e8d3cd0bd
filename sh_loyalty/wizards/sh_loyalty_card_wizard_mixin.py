"""What the points wizards (redeem, adjust) share: the customer they act
for and that customer's card in the current company's customers' program."""

from odoo import api, fields, models


class ShLoyaltyCardWizardMixin(models.AbstractModel):
    _name = "sh.loyalty.card.wizard.mixin"
    _description = "Wizard on a Customer's Loyalty Card"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    card_id = fields.Many2one(
        "loyalty.card", string="Loyalty Card", compute="_compute_card_id", store=True
    )

    @api.depends("partner_id")
    def _compute_card_id(self):
        for wizard in self:
            wizard.card_id = wizard.partner_id.sh_loyalty_card_id
