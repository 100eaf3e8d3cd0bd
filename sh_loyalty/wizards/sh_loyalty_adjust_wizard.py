"""Adjust Points: a loyalty manager adds or removes points on a customer's
card, with a reason kept in the points history."""

from odoo import _, fields, models
from odoo.exceptions import UserError


class ShLoyaltyAdjustWizard(models.TransientModel):
    _name = "sh.loyalty.adjust.wizard"
    _inherit = "sh.loyalty.card.wizard.mixin"
    _description = "Adjust Loyalty Points"

    points_balance = fields.Float(related="card_id.points", string="Points Balance")
    points = fields.Float(help="Points to add; a negative number removes points.", digits=(16, 0))
    reason = fields.Text(required=True)

    def action_adjust(self):
        self.ensure_one()
        if not self.env.user.has_group("sh_loyalty.sh_loyalty_group_manager"):
            raise UserError(_("Only loyalty managers can adjust points."))
        card = self.card_id
        if not card:
            program = (
                self.env["loyalty.program"]
                ._sh_customer_programs(self.env.company)
                .get(self.env.company.id)
            )
            if not program:
                raise UserError(_("The current company has no customers' loyalty program."))
            card = self.env["loyalty.card"]._sh_get_cards({program: self.partner_id})[
                (program.id, self.partner_id.id)
            ]
        card._sh_adjust(self.points, self.reason)
        return {"type": "ir.actions.act_window_close"}
