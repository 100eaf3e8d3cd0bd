from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShInteractionsCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestInteractionsDashboard(ShInteractionsCommon):
    """The NPS and tasks cards, the interactions chart and the NPS of the
    analytics."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workshop = cls._customer("Ring Road Workshop", customer_rank=1)
        cls.garage.customer_rank = 1
        # Last 12 months: 2 promoters, 1 passive, 1 detractor; the 12 months
        # before: 1 promoter, 2 detractors.
        for partner, channel, outcome, score, date in (
            (cls.garage, "phone", "reached", "10", "2026-06-01 09:00:00"),
            (cls.garage, "visit", "order_taken", "9", "2026-03-01 09:00:00"),
            (cls.workshop, "phone", "no_answer", "8", "2025-12-01 09:00:00"),
            (cls.workshop, "phone", "reached", "3", "2025-08-01 09:00:00"),
            (cls.workshop, "whatsapp", False, False, "2026-01-01 09:00:00"),
            (cls.garage, "phone", "reached", "10", "2025-03-01 09:00:00"),
            (cls.workshop, "visit", "complaint", "0", "2024-12-01 09:00:00"),
            (cls.workshop, "visit", "complaint", "6", "2024-09-01 09:00:00"),
        ):
            cls._interaction(
                partner,
                channel=channel,
                outcome=outcome,
                nps_score=score,
                date=datetime.fromisoformat(date),
            )
        cls.env["sh.customer.task"].create(
            [
                {"name": "Call back", "partner_id": cls.garage.id},
                {"name": "Send the price list", "partner_id": cls.workshop.id},
                {"name": "Old visit", "partner_id": cls.workshop.id, "state": "done"},
            ]
        )
        cls.Dashboard = cls.env["sh.customer.dashboard"].with_user(cls.sales_user)

    def test_cards(self):
        cards = {card["key"]: card for card in self.Dashboard.get_dashboard_data()["cards"]}
        nps = cards["nps"]
        # (2 promoters - 1 detractor) / 4 answers = 25; (1 - 2) / 3 = -33.3,
        # shown as the whole number an NPS is.
        self.assertEqual((nps["value"], nps["previous"]), (25, -33))
        self.assertIsInstance(nps["previous"], int)
        Partner = self.env["res.partner"].with_user(self.sales_user)
        self.assertEqual(Partner.search(nps["domain"]), self.garage | self.workshop)
        tasks = cards["open_tasks"]
        self.assertEqual(tasks["value"], 2)
        self.assertEqual(tasks["better"], "down")
        self.assertEqual(Partner.search(tasks["domain"]), self.garage | self.workshop)

    def test_open_tasks_of_a_past_period(self):
        """At the end of May no task existed yet: no open task, and the
        card opens no customer (not those with tasks open today)."""
        data = self.Dashboard.get_dashboard_data(date_from="2026-05-01", date_to="2026-05-31")
        tasks = {card["key"]: card for card in data["cards"]}["open_tasks"]
        self.assertEqual(tasks["value"], 0)
        Partner = self.env["res.partner"].with_user(self.sales_user)
        self.assertFalse(Partner.search(tasks["domain"]))

    def test_chart(self):
        charts = {c["key"]: c for c in self.Dashboard.get_dashboard_data()["charts"]}
        chart = charts["interactions"]
        self.assertEqual(chart["labels"], ["Phone Call", "Visit", "WhatsApp"])
        data = {dataset["key"]: dataset["data"] for dataset in chart["datasets"]}
        self.assertEqual(
            data,
            {
                "reached": [2, 0, 0],
                "no_answer": [1, 0, 0],
                "order_taken": [0, 1, 0],
                "none": [0, 0, 1],
            },
        )
        Partner = self.env["res.partner"].with_user(self.sales_user)
        self.assertEqual(Partner.search(chart["domains"][1]), self.garage)

    def test_analytics(self):
        nps = self.Dashboard.get_analytics()["nps"]
        self.assertEqual(
            nps,
            {"score": 25.0, "answers": 4, "promoters": 2, "passives": 1, "detractors": 1},
        )
        older = self.Dashboard.get_analytics(date_from="2024-07-01", date_to="2025-06-30")["nps"]
        self.assertEqual((older["answers"], older["score"]), (3, -33))
