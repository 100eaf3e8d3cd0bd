from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestAccess(ShLoyaltyCommon):
    """Customers users see points and redeem; loyalty managers configure
    and adjust. A card and its points belong to one company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls._sales_user("sh_loyalty_user")
        cls.manager = cls._company_user("sh_loyalty_manager", "sh_loyalty.sh_loyalty_group_manager")
        cls.customer = cls._customer("Access Garage")
        cls._invoice(cls.customer, 300.0, "2026-03-01")

    def test_user_sees_and_redeems_but_does_not_configure(self):
        partner = self.customer.with_user(self.user)
        self.assertEqual(partner.sh_loyalty_points, 300.0)
        self.assertEqual(partner.sh_loyalty_tier_id.name, "Bronze")
        self.assertEqual(len(partner.sh_loyalty_history_ids), 1)
        wizard = (
            self.env["sh.loyalty.redeem.wizard"]
            .with_user(self.user)
            .with_context(default_partner_id=self.customer.id)
            .create({"reward_id": self.reward.id})
        )
        wizard.action_redeem()
        self.assertEqual(self._points(self.customer), 200.0)
        self.assertEqual(self._card(self.customer).history_ids[:1].sh_user_id, self.user)
        with self.assertRaises(AccessError):
            self.bronze.with_user(self.user).multiplier = 5
        with self.assertRaises(AccessError):
            self.program.with_user(self.user).sh_points_per_unit = 10
        with self.assertRaises(AccessError):
            self.env["sh.loyalty.adjust.wizard"].with_user(self.user).create(
                {"partner_id": self.customer.id, "points": 1000, "reason": "Friend"}
            )
        with self.assertRaises(AccessError):
            self._card(self.customer).with_user(self.user).points = 1000
        self.assertEqual(self._points(self.customer), 200.0)

    def test_manager_adjusts_with_a_reason(self):
        wizard = (
            self.env["sh.loyalty.adjust.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.customer.id, "points": 50, "reason": " "})
        )
        with self.assertRaisesRegex(UserError, "An adjustment needs a reason."):
            wizard.action_adjust()
        self.assertEqual(self._points(self.customer), 300.0)
        wizard.reason = "Goodwill after a late delivery"
        wizard.action_adjust()
        self.assertEqual(self._points(self.customer), 350.0)
        line = self._card(self.customer).history_ids[:1]
        self.assertEqual(
            (line.sh_reason, line.description, line.sh_user_id),
            ("adjust", "Goodwill after a late delivery", self.manager),
        )
        self.bronze.with_user(self.manager).multiplier = 1.1
        # Odoo's own balance button of the card leads to the same adjustment.
        action = self._card(self.customer).with_user(self.manager).action_loyalty_update_balance()
        self.assertEqual(action["res_model"], "sh.loyalty.adjust.wizard")
        wizard = (
            self.env["sh.loyalty.adjust.wizard"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"points": -20, "reason": "Counted twice"})
        )
        self.assertEqual(wizard.card_id, self._card(self.customer))
        wizard.action_adjust()
        self.assertEqual(self._points(self.customer), 330.0)
        self.assertEqual(self.bronze.multiplier, 1.1)

    def test_cards_belong_to_one_company(self):
        other = self.setup_other_company()["company"]
        other_program = self._program(other, name="Other Rewards")
        self._invoice(self.customer, 700.0, "2026-03-02", company=other)
        here, there = self._card(self.customer), self._card(self.customer, other_program)
        self.assertEqual((here.points, there.points), (300.0, 700.0))
        self.assertEqual(there.company_id, other)
        self.assertEqual(there.sh_lot_ids.company_id, other)
        # Each company shows its own balance; a user of one company does
        # not see the other company's card.
        self.assertEqual(self.customer.with_company(other).sh_loyalty_points, 700.0)
        self.assertEqual(self.customer.sh_loyalty_points, 300.0)
        self.assertEqual(self.customer.with_company(other).sh_loyalty_points, 700.0)
        Card = self.env["loyalty.card"].with_user(self.user)
        self.assertEqual(Card.search([("partner_id", "=", self.customer.id)]), here)
        self.assertFalse(
            self.env["sh.loyalty.lot"].with_user(self.user).search([("card_id", "=", there.id)])
        )
