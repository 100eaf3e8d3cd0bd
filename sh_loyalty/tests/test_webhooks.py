from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sh_customers.tests.webhook_common import ShWebhookCommon, signature

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyWebhooks(ShLoyaltyCommon, ShWebhookCommon):
    """Points earned and redeemed, and tier changes, posted to a receiver."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._subscription(
            ["loyalty.points_earned", "loyalty.points_redeemed", "loyalty.tier_changed"]
        )

    def _sent(self, event_code):
        deliveries = self._deliveries(self.subscription)
        return deliveries.filtered(lambda delivery: delivery.event_code == event_code)

    @freeze_time("2026-03-15")
    def test_points_earned_then_redeemed(self):
        customer = self._customer("Al Noor Garage", customer_rank=1)
        invoice = self._invoice(customer, 600.0, "2026-03-15", taxes=self.tax_15)
        earned = self._sent("loyalty.points_earned")
        card = self._card(customer)
        self.assertEqual(earned.res_model, "loyalty.history")
        # 1 point per unit of the untaxed 600.00, Bronze earning x1.
        self.assertEqual(earned.payload["points"], 600.0)
        self.assertEqual(earned.payload["balance"], 600.0)
        self.assertEqual(earned.payload["card_id"], card.id)
        self.assertEqual(earned.payload["customer"]["id"], customer.id)
        self.assertEqual(earned.payload["document"], {"id": invoice.id, "number": invoice.name})
        self.assertEqual(earned.payload["date"], "2026-03-15")
        self.assertEqual(earned.payload["tier"], "Bronze")

        card._sh_redeem(self.reward)
        redeemed = self._sent("loyalty.points_redeemed")
        # 600 - 100 points of the reward.
        self.assertEqual(redeemed.payload["points"], -100.0)
        self.assertEqual(redeemed.payload["balance"], 500.0)
        self.assertIsNone(redeemed.payload["document"])
        self.assertFalse(self._sent("loyalty.tier_changed"))

        self._after_commit()
        self.assertEqual(
            [request["headers"]["X-SH-Event"] for request in self.receiver.requests],
            ["loyalty.points_earned", "loyalty.points_redeemed"],
        )
        for request in self.receiver.requests:
            self.assertEqual(
                request["headers"]["X-SH-Signature"],
                signature(self.subscription.secret, request["body"]),
            )
        self.assertEqual(self._deliveries(self.subscription).mapped("state"), ["sent", "sent"])

    @freeze_time("2026-03-15")
    def test_refused_redemption_sends_nothing(self):
        customer = self._customer("Small Buyer", customer_rank=1)
        self._invoice(customer, 60.0, "2026-03-15")
        card = self._card(customer)
        before = len(self._deliveries(self.subscription))
        with self.assertRaises(UserError), self.env.cr.savepoint():
            card._sh_redeem(self.reward)
        self.assertEqual(len(self._deliveries(self.subscription)), before)
        self.assertEqual(self._points(customer), 60.0)

    def test_tier_changed_up_after_a_sale_and_down_at_the_review(self):
        customer = self._customer("Fleet Lapsing", customer_rank=1)
        with freeze_time("2025-01-10"):
            self._invoice(customer, 12000.0, "2025-01-10")
        upgrade = self._sent("loyalty.tier_changed")
        self.assertEqual(upgrade.res_id, self._card(customer).id)
        self.assertEqual(upgrade.payload["old_tier"]["name"], "Bronze")
        self.assertEqual(upgrade.payload["new_tier"]["name"], "Platinum")
        self.assertEqual(upgrade.payload["new_tier"]["threshold"], 10000.0)
        self.assertEqual(upgrade.payload["direction"], "up")
        self.assertEqual(upgrade.payload["date"], "2025-01-10")
        # A year later, after the grace period, the review lowers it a level.
        with freeze_time("2026-01-11"):
            self._daily()
        with freeze_time("2026-02-10"):
            self._daily()
        lowered = self._sent("loyalty.tier_changed") - upgrade
        self.assertEqual(lowered.payload["old_tier"]["name"], "Platinum")
        self.assertEqual(lowered.payload["new_tier"]["name"], "Gold")
        self.assertEqual(lowered.payload["direction"], "down")
        self.assertEqual(lowered.payload["date"], "2026-02-10")
