from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    """A Customers user redeems a reward from the customer form (tour
    ``sh_loyalty_redeem_tour``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.user = new_test_user(
            cls.env,
            login="sh_loyalty_tour_user",
            groups="base.group_user,account.group_account_invoice,sh_customers.sh_customers_group_user",
            company_id=company.id,
            company_ids=[company.id],
        )
        program = cls.env["loyalty.program"].search(
            [("sh_is_customer_program", "=", True), ("company_id", "=", company.id)]
        )
        if not program:
            program = cls.env["loyalty.program"].create(
                {
                    "name": "SH Tour Rewards",
                    "program_type": "loyalty",
                    "company_id": company.id,
                    "sh_is_customer_program": True,
                    "rule_ids": [Command.clear()],
                    "communication_plan_ids": [Command.clear()],
                    "reward_ids": [Command.create({"required_points": 500})],
                    "sh_tier_ids": [Command.create({"name": "Bronze", "threshold": 0})],
                }
            )
        cls.env["loyalty.reward"].create(
            {
                "program_id": program.id,
                "reward_type": "discount",
                "discount": 15,
                "required_points": 100,
                "description": "Tour car wash",
            }
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "SH Loyalty Tour Garage", "is_company": True}
        )
        card = cls.env["loyalty.card"]._sh_get_cards({program: cls.partner})[
            (program.id, cls.partner.id)
        ]
        card._sh_adjust(150, "Opening balance")

    def test_redeem_from_customer_form(self):
        partner = self.partner.with_user(self.user)
        self.assertEqual(partner.sh_loyalty_points, 150.0)
        self.assertEqual(partner.sh_loyalty_tier_id.name, "Bronze")
        self.start_tour(
            f"/odoo/res.partner/{self.partner.id}",
            "sh_loyalty_redeem_tour",
            login="sh_loyalty_tour_user",
        )
        card = self.partner.sh_loyalty_card_id
        self.assertEqual(card.points, 50.0)
        self.assertEqual(card.history_ids[:1].sh_user_id, self.user)
