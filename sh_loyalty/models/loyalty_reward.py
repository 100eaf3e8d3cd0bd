"""Rewards of the customers' program: until when they can be redeemed, and
the coupon program whose codes Sales and Point of Sale accept for them."""

from odoo import Command, fields, models


class LoyaltyReward(models.Model):
    _inherit = "loyalty.reward"

    sh_is_customer_program = fields.Boolean(related="program_id.sh_is_customer_program")
    sh_date_to = fields.Date(
        string="Redeemable Until",
        help="After this date the reward can no longer be redeemed.",
    )
    sh_coupon_program_id = fields.Many2one(
        "loyalty.program",
        string="Coupon Program",
        copy=False,
        readonly=True,
        help="Coupon program holding the coupons given when this reward is redeemed; their "
        "codes are accepted in Sales and Point of Sale.",
    )

    def _sh_get_coupon_program(self):
        """The coupon program of this reward, created on its first
        redemption: a copy of the reward for one coupon point, no rule (the
        program only accepts its own codes)."""
        self.ensure_one()
        if self.sh_coupon_program_id:
            return self.sh_coupon_program_id
        reward_vals = self.copy_data(
            {"required_points": 1, "sh_date_to": False, "sh_coupon_program_id": False}
        )[0]
        reward_vals.pop("program_id", None)
        program = (
            self.env["loyalty.program"]
            .with_context(loyalty_skip_reward_check=True)
            .create(
                {
                    "name": self.description,
                    "program_type": "coupons",
                    "trigger": "with_code",
                    "applies_on": "current",
                    "company_id": self.company_id.id,
                    "rule_ids": [],
                    "communication_plan_ids": [],
                    "reward_ids": [Command.create(reward_vals)],
                }
            )
        )
        self.sh_coupon_program_id = program
        return program
