from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestEnrolCustomersWithSales(ShLoyaltyCommon):
    """A program started on a company that already sells (the demo data's):
    its customers with sales become members with the points their invoices
    and credit notes earn, expired where past their validity, and the tiers
    of their rolling 12-month net sales."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.sh_notify_tier_change = True
        # The sales below are made before the program starts: none earns.
        cls.program.active = False
        cls.lapsed = cls._customer("Lapsed Fleet", email="lapsed@example.com")
        cls._invoice(cls.lapsed, 12000.0, "2025-03-01")
        cls._invoice(cls.lapsed, 800.0, "2026-05-01")
        cls.regular = cls._customer("Counter Regular")
        cls._invoice(cls.regular, 650.25, "2025-12-01")
        cls._invoice(cls.regular, 650.25, "2026-02-01")
        cls.workshop = cls._customer("Busy Workshop", email="busy@example.com")
        cls.workshop_invoice = cls._invoice(cls.workshop, 4000.40, "2026-01-15", taxes=cls.tax_15)
        cls._invoice(cls.workshop, 2500.50, "2026-04-10")
        cls.wholesaler = cls._customer("Top Wholesaler")
        cls._invoice(cls.wholesaler, 11000.0, "2026-06-01")
        cls.prospect = cls._customer("Prospect Only")
        cls._invoice(cls.prospect, 300.0, "2026-06-01", post=False)
        other = cls.setup_other_company()["company"]
        cls.elsewhere = cls._customer("Other Branch Customer")
        cls._invoice(cls.elsewhere, 900.0, "2026-06-01", company=other)
        # The workshop's purchases in the other company count for nothing here.
        cls._invoice(cls.workshop, 90000.0, "2026-06-01", company=other)

    def test_members_points_and_tiers(self):
        self._refund(self.workshop_invoice, 500.0, "2026-02-01")
        self.assertFalse(self.env["loyalty.card"].search([("program_id", "=", self.program.id)]))
        self.program.active = True

        cards = self.program._sh_enrol_customers_with_sales()

        members = self.lapsed | self.regular | self.workshop | self.wholesaler
        self.assertEqual(cards.partner_id, members)
        self.assertEqual(
            self.env["loyalty.card"].search([("program_id", "=", self.program.id)]), cards
        )
        # One point per unit of untaxed amount, rounded half up per document,
        # at the rate of the tier every member starts in (Bronze, x1).
        self.assertEqual(
            {card.partner_id.name: card.points for card in cards},
            {
                "Lapsed Fleet": 800.0,
                "Counter Regular": 1300.0,
                "Busy Workshop": 6001.0,
                "Top Wholesaler": 11000.0,
            },
        )
        self.assertEqual(
            self._ledger(self.workshop), [("earn", 4000.0), ("reverse", -500.0), ("earn", 2501.0)]
        )
        # The lot of March 2025 expired after its 12 months.
        self.assertEqual(
            self._ledger(self.lapsed), [("earn", 12000.0), ("earn", 800.0), ("expire", -12000.0)]
        )
        # Tiers on this company's net sales of the last 12 months.
        self.assertEqual(
            {card.partner_id.name: (card.sh_tier_id, card.sh_qualifying_value) for card in cards},
            {
                "Lapsed Fleet": (self.bronze, 800.0),
                "Counter Regular": (self.silver, 1300.5),
                "Busy Workshop": (self.gold, 6000.9),
                "Top Wholesaler": (self.platinum, 11000.0),
            },
        )
        # What the customers list and the dashboard show.
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search([("sh_loyalty_tier_id", "=", self.gold.id)]), self.workshop)
        kpis = Partner.sh_get_customer_kpis([("id", "in", (members | self.prospect).ids)])
        self.assertEqual([tier["count"] for tier in kpis["loyalty_tiers"]], [1, 1, 1, 1])
        self.assertEqual((kpis["loyalty_members"], kpis["loyalty_top_tiers"]), (4, 2))
        charts = self.env["sh.customer.dashboard"].get_dashboard_data()["charts"]
        tiers = next(chart for chart in charts if chart["key"] == "loyalty_tiers")
        self.assertEqual(tiers["datasets"][0]["data"], [1, 1, 1, 1])
        # The tier is logged on the customer's chatter; nobody is e-mailed.
        self.assertIn(
            "Loyalty tier upgraded from Bronze to Gold.",
            self.workshop.message_ids.mapped("body")[0],
        )
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)]
            )
        )

        # Running it again changes nothing.
        ledger = [self._ledger(member) for member in members]
        self.program._sh_enrol_customers_with_sales()
        self.assertEqual([self._ledger(member) for member in members], ledger)

        # Members earn from then on at their tier's multiplier.
        self._invoice(self.wholesaler, 100.0, "2026-06-30")
        self.assertEqual(self._points(self.wholesaler), 11300.0)

    def test_only_the_company_program_enrols(self):
        # Still archived: not the company's customers' program.
        self.assertFalse(self.program._sh_enrol_customers_with_sales())
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", self.workshop.id)]))
