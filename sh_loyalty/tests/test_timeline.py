from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon

LOYALTY_KINDS = [
    "points_earned",
    "reward_redeemed",
    "points_reversed",
    "points_expired",
    "points_adjusted",
    "tier_change",
]


@tagged("post_install", "-at_install")
class TestLoyaltyTimeline(ShLoyaltyCommon):
    """The customer's timeline tells its points and tiers among its
    invoices."""

    def _redeem(self, customer):
        self.env["sh.loyalty.redeem.wizard"].with_context(default_partner_id=customer.id).create(
            {"reward_id": self.reward.id}
        ).action_redeem()

    def test_points_and_tiers_in_order(self):
        """600 points earned with the first invoice, 500 with the second,
        which lifts the customer to Silver (1000), 100 spent on a reward,
        100 taken back by a credit note and 50 taken at the counter; each
        line with its points, newest first, between the invoices."""
        self.env.user.tz = "Asia/Riyadh"
        customer = self._customer("Najaf Garage")
        with freeze_time("2025-01-10 08:00:00"):
            self._invoice(customer, 600.0, "2025-01-10")
        with freeze_time("2025-02-01 08:00:00"):
            invoice_2 = self._invoice(customer, 500.0, "2025-02-01")
        with freeze_time("2025-02-10 08:00:00"):
            self._redeem(customer)
        with freeze_time("2025-02-15 08:00:00"):
            refund = self._refund(invoice_2, 100.0, "2025-02-15")
        with freeze_time("2025-02-20 08:00:00"):
            self._card(customer)._sh_adjust(-50, "Spent at the counter")
        Timeline = self.env["sh.customer.timeline"]
        kinds = [kind["key"] for kind in Timeline.get_timeline(customer.id, kinds=[])["kinds"]]
        self.assertEqual([kind for kind in kinds if kind in LOYALTY_KINDS], LOYALTY_KINDS)
        with freeze_time("2025-03-01"):
            data = Timeline.get_timeline(customer.id)
        rows = [(e["kind"], e["date"], e["points"], e["amount"]) for e in data["events"]]
        self.assertEqual(
            rows,
            [
                ("points_adjusted", "2025-02-20", -50.0, None),
                ("reconciliation", "2025-02-15", None, 100.0),
                ("points_reversed", "2025-02-15", -100.0, None),
                ("credit_note", "2025-02-15", None, -100.0),
                ("reward_redeemed", "2025-02-10", -100.0, None),
                ("tier_change", "2025-02-01 08:00:00", None, None),
                ("points_earned", "2025-02-01", 500.0, None),
                ("invoice", "2025-02-01", None, 500.0),
                ("points_earned", "2025-01-10", 600.0, None),
                ("invoice", "2025-01-10", None, 600.0),
            ],
        )
        by_kind = {}
        for event in data["events"]:
            by_kind.setdefault(event["kind"], event)
        self.assertEqual(
            by_kind["tier_change"]["detail"], "Loyalty tier upgraded from Bronze to Silver."
        )
        earned = by_kind["points_earned"]
        self.assertEqual((earned["res_model"], earned["res_id"]), ("account.move", invoice_2.id))
        self.assertEqual(by_kind["points_reversed"]["res_id"], refund.id)
        self.assertEqual(by_kind["points_adjusted"]["name"], "Spent at the counter")
        self.assertEqual(by_kind["points_adjusted"]["user"], self.env.user.name)
        # The points filter alone: the points add up to the card's.
        points = Timeline.get_timeline(customer.id, kinds=LOYALTY_KINDS[:5])
        self.assertEqual(sum(e["points"] for e in points["events"]), self._points(customer))
        self.assertEqual(self._points(customer), 850.0)

    def test_sales_user_without_loyalty_history(self):
        """A user who may not read the points history sees none of it."""
        customer = self._customer("Karbala Tyres")
        with freeze_time("2025-01-10"):
            self._invoice(customer, 600.0, "2025-01-10")
        outsider = self._outsider("timeline_outsider")
        outsider.groups_id |= self.env.ref("base.group_partner_manager")
        data = self.env["sh.customer.timeline"].with_user(outsider).get_timeline(customer.id)
        self.assertNotIn("points_earned", [e["kind"] for e in data["events"]])
        seller = self._sales_user("timeline_seller")
        data = self.env["sh.customer.timeline"].with_user(seller).get_timeline(customer.id)
        self.assertEqual([e["kind"] for e in data["events"]], ["points_earned"])
