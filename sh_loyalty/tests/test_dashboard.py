from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestLoyaltyDashboard(ShLoyaltyCommon):
    """The loyalty cards, chart and analytics of the customer dashboard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A point is worth 5 / 100 through this reward (the 10% one gives
        # a point no fixed value).
        cls.voucher = cls.env["loyalty.reward"].create(
            {
                "program_id": cls.program.id,
                "reward_type": "discount",
                "discount": 5.0,
                "discount_mode": "per_order",
                "discount_applicability": "order",
                "required_points": 100,
                "description": "5 off",
            }
        )
        cls.recent = cls._customer("Recent Garage")
        cls._invoice(cls.recent, 900.0, "2026-03-01")
        cls.former = cls._customer("Former Garage")
        cls._invoice(cls.former, 200.0, "2025-03-01")
        cls.redeemer = cls._customer("Redeeming Garage")
        cls._invoice(cls.redeemer, 500.0, "2026-05-01")
        cls.env["loyalty.card"].search(
            [("partner_id", "=", cls.redeemer.id), ("program_id", "=", cls.program.id)]
        )._sh_redeem(cls.voucher)
        cls.Dashboard = cls.env["sh.customer.dashboard"]

    def test_cards(self):
        data = self.Dashboard.get_dashboard_data()
        cards = {card["key"]: card for card in data["cards"]}
        # Recent and Redeeming earned or spent in the last 12 months, Former
        # in the 12 months before: 2 of 3 members, then 1 of 3.
        engagement = cards["loyalty_engagement"]
        self.assertEqual(
            (engagement["value"], engagement["previous"], engagement["format"]),
            (round(2 / 3 * 100, 2), round(1 / 3 * 100, 2), "percent"),
        )
        members = self.env["res.partner"].search(engagement["domain"])
        self.assertEqual(members, self.recent | self.redeemer)
        # Open points 900 + 200 + (500 - 100) at 0.05 each; a year earlier
        # Former's 200.
        liability = cards["points_liability"]
        self.assertEqual(
            (liability["value"], liability["previous"], liability["format"]),
            (75.0, 10.0, "money"),
        )
        self.assertEqual(liability["better"], "down")
        self.assertEqual(
            self.env["res.partner"].search(liability["domain"]),
            self.recent | self.former | self.redeemer,
        )

    def test_liability_of_a_past_period(self):
        """The points open at the end of a past period are not those the
        customers hold today: the card opens no list there."""
        data = self.Dashboard.get_dashboard_data(date_from="2024-07-01", date_to="2025-06-30")
        liability = {card["key"]: card for card in data["cards"]}["points_liability"]
        self.assertEqual(liability["value"], 10.0)
        self.assertIsNone(liability["domain"])

    def test_without_point_value(self):
        self.voucher.active = False
        cards = {card["key"]: card for card in self.Dashboard.get_dashboard_data()["cards"]}
        self.assertEqual(
            (cards["points_liability"]["value"], cards["points_liability"]["format"]),
            (1500.0, "number"),
        )

    def test_tier_chart(self):
        charts = {chart["key"]: chart for chart in self.Dashboard.get_dashboard_data()["charts"]}
        tiers = charts["loyalty_tiers"]
        self.assertEqual(tiers["labels"], ["Bronze", "Silver", "Gold", "Platinum"])
        self.assertEqual(tiers["datasets"][0]["data"], [3, 0, 0, 0])
        self.assertEqual(
            self.env["res.partner"].search(tiers["domains"][0]),
            self.recent | self.former | self.redeemer,
        )

    def test_analytics(self):
        engagement = self.Dashboard.get_analytics()["engagement"]
        self.assertEqual(engagement["members"], 3)
        self.assertEqual(engagement["engaged_members"], 2)
        self.assertEqual(engagement["points_issued"], 1400.0)
        self.assertEqual(engagement["points_redeemed"], 100.0)
        self.assertEqual(engagement["redemption_rate"], round(100 / 1400 * 100, 2))
        self.assertEqual(engagement["open_points"], 1500.0)
        self.assertEqual(engagement["points_liability"], 75.0)

    def test_company_without_program(self):
        self.program.active = False
        self.env["loyalty.program"].env.registry.clear_cache()
        data = self.Dashboard.get_dashboard_data()
        self.assertNotIn("loyalty_engagement", {card["key"] for card in data["cards"]})
        self.assertNotIn("loyalty_tiers", {chart["key"] for chart in data["charts"]})
        self.assertIsNone(self.Dashboard.get_analytics()["engagement"])
