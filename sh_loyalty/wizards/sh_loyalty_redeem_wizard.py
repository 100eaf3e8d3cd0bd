"""Redeem a Reward: a customer spends points for a coupon of one of the
program's rewards, shown once redeemed."""

from odoo import _, fields, models
from odoo.exceptions import UserError


class ShLoyaltyRedeemWizard(models.TransientModel):
    _name = "sh.loyalty.redeem.wizard"
    _inherit = "sh.loyalty.card.wizard.mixin"
    _description = "Redeem a Loyalty Reward"

    program_id = fields.Many2one(related="card_id.program_id")
    points = fields.Float(related="card_id.points", string="Points Balance")
    reward_id = fields.Many2one(
        "loyalty.reward",
        domain="[('program_id', '=', program_id)]",
    )
    required_points = fields.Float(related="reward_id.required_points")
    coupon_id = fields.Many2one("loyalty.card", readonly=True)
    coupon_code = fields.Char(related="coupon_id.code", string="Coupon Code")
    state = fields.Selection([("choose", "Choose"), ("done", "Done")], default="choose")

    def action_redeem(self):
        self.ensure_one()
        if not self.card_id:
            raise UserError(
                _(
                    "%(customer)s is not a member of the loyalty program.",
                    customer=self.partner_id.display_name,
                )
            )
        if not self.reward_id:
            raise UserError(_("Choose the reward to redeem."))
        # sudo: a Customers user redeems for the customer; the card, the
        # history and the coupon are written by the program's own rules.
        coupon = self.card_id.sudo()._sh_redeem(self.reward_id.sudo())
        self.write({"coupon_id": coupon.id, "state": "done"})
        return {
            "type": "ir.actions.act_window",
            "name": _("Reward Redeemed"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
