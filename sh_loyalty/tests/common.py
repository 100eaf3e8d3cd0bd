from odoo import Command, fields

from odoo.addons.sh_customers.tests.common import ShCustomersCommon


class ShLoyaltyCommon(ShCustomersCommon):
    """A customers' program of the test company: 1 point per unit, points
    valid 12 months, four tiers, one reward of 100 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The accountant running the tests also manages the loyalty program.
        cls.env.user.groups_id |= cls.env.ref("sh_loyalty.sh_loyalty_group_manager")
        cls.program = cls._program(cls.env.company)
        cls.bronze, cls.silver, cls.gold, cls.platinum = cls.program.sh_tier_ids.sorted("threshold")
        cls.reward = cls.program.reward_ids

    @classmethod
    def _program(cls, company, **vals):
        return (
            cls.env["loyalty.program"]
            .with_company(company)
            .create(
                {
                    "name": "SH Test Rewards",
                    "program_type": "loyalty",
                    "company_id": company.id,
                    "sh_is_customer_program": True,
                    "sh_points_per_unit": 1.0,
                    "sh_validity_months": 12,
                    "sh_tier_grace_days": 30,
                    "sh_notify_tier_change": False,
                    "rule_ids": [Command.clear()],
                    "communication_plan_ids": [Command.clear()],
                    "reward_ids": [
                        Command.clear(),
                        Command.create(
                            {
                                "reward_type": "discount",
                                "discount": 10,
                                "discount_mode": "percent",
                                "discount_applicability": "order",
                                "required_points": 100,
                                "description": "10% off",
                            }
                        ),
                    ],
                    "sh_tier_ids": [
                        Command.create({"name": "Bronze", "threshold": 0, "multiplier": 1}),
                        Command.create({"name": "Silver", "threshold": 1000, "multiplier": 1.5}),
                        Command.create({"name": "Gold", "threshold": 5000, "multiplier": 2}),
                        Command.create({"name": "Platinum", "threshold": 10000, "multiplier": 3}),
                    ],
                    **vals,
                }
            )
        )

    def _card(self, partner, program=None):
        program = program or self.program
        return self.env["loyalty.card"].search(
            [("partner_id", "=", partner.id), ("program_id", "=", program.id)]
        )

    def _points(self, partner, program=None):
        card = self._card(partner, program)
        card.invalidate_recordset()
        return card.points

    def _ledger(self, partner, program=None):
        """History of the customer's card, oldest first, as (reason, points)."""
        card = self._card(partner, program)
        lines = self.env["loyalty.history"].search([("card_id", "=", card.id)], order="id")
        return [(line.sh_reason, line.issued - line.used) for line in lines]

    def _refund(self, invoice, amount, date, post=True):
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "date": fields.Date.to_date(date)})
        )
        reversal.refund_moves()
        refund = invoice.reversal_move_ids.filtered(lambda m: m.state == "draft")
        refund.invoice_line_ids.price_unit = amount
        if post:
            refund.action_post()
        return refund

    def _daily(self):
        cards = self.env["loyalty.card"].search([("program_id", "=", self.program.id)])
        today = fields.Date.context_today(self.env.user)
        self.env["loyalty.card"]._sh_expire_and_review(cards.ids, today)
        self.env["loyalty.card"]._sh_warn_expiring(cards.ids, today)
        self.env.invalidate_all()
