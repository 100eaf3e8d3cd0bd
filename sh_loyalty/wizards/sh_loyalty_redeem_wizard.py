from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ShLoyaltyRedeemWizard(models.TransientModel):
    _name = "sh.loyalty.redeem.wizard"
    _description = "Redeem a Loyalty Reward"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    card_id = fields.Many2one(
        "loyalty.card", string="Loyalty Card", compute="_compute_card_id", store=True
    )
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

    @api.depends("partner_id")
    def _compute_card_id(self):
        for wizard in self:
            wizard.card_id = wizard.partner_id.sh_loyalty_card_id

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
