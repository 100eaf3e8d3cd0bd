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


@tagged("post_install", "-at_install")
class TestQuietRollout(ShLoyaltyCommon):
    """Starting the program on a running business tells the customers
    nothing: neither the enrolment nor the first daily run after it sends
    an e-mail or writes a message; what changes afterwards is notified as
    always."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.sh_notify_tier_change = True
        cls.program.active = False
        # Points of July 2025 expire in July 2026, within the 30 days'
        # warning period of the roll-out day.
        cls.fleet = cls._customer("Rollout Fleet", email="fleet@example.com")
        cls._invoice(cls.fleet, 600.0, "2025-07-10")
        cls._invoice(cls.fleet, 4000.0, "2026-03-01")
        cls.garage = cls._customer("Rollout Garage", email="garage@example.com")
        cls._invoice(cls.garage, 300.0, "2025-07-20")
        cls._invoice(cls.garage, 200.0, "2025-08-15")
        cls.shop = cls._customer("Rollout Shop", email="shop@example.com")
        cls._invoice(cls.shop, 1200.0, "2026-06-01")
        cls.members = cls.fleet | cls.garage | cls.shop

    def _mails(self, cards):
        return self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)]
        )

    def _messages(self, cards):
        return self.env["mail.message"].search(
            [
                "|",
                "&",
                ("model", "=", "loyalty.card"),
                ("res_id", "in", cards.ids),
                "&",
                ("model", "=", "res.partner"),
                ("res_id", "in", self.members.ids),
            ]
        )

    def test_rollout_and_first_daily_run_send_nothing(self):
        with freeze_time("2026-06-30"):
            self.program.active = True
            cards = self.program._sh_enrol_customers_with_sales()
            self.assertEqual(cards.partner_id, self.members)
            self.assertEqual(
                {card.partner_id.name: card.sh_tier_id.name for card in cards},
                {"Rollout Fleet": "Silver", "Rollout Garage": "Bronze", "Rollout Shop": "Silver"},
            )
            self.assertFalse(self._mails(cards))
            messages = self._messages(cards)

        with freeze_time("2026-07-01"):
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            self.assertFalse(self._mails(cards))
            self.assertEqual(self._messages(cards), messages)
            # The points of July 2025 still expire on their date.
            self.assertEqual(self._card(self.fleet).sh_expiring_points, 600.0)

        with freeze_time("2026-07-02"):
            # A real change afterwards is notified, once.
            self._invoice(self.fleet, 500.0, "2026-07-02")
            self.assertEqual(self._card(self.fleet).sh_tier_id, self.gold)
            mail = self._mails(cards)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.subject, "Your loyalty tier is now Gold")
            self.assertEqual(mail.res_id, self._card(self.fleet).id)
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            self.assertEqual(self._mails(cards), mail)

        with freeze_time("2026-07-20"):
            # Points expiring after the warning period of the roll-out day
            # are warned of as always: the garage's of 2025-08-15.
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            warning = self._mails(cards) - mail
            self.assertEqual(len(warning), 1)
            self.assertEqual(warning.res_id, self._card(self.garage).id)
            self.assertIn("Points expiring soon: 200", " ".join(warning.body_html.split()))

    def test_first_tiers_of_members_are_not_mailed(self):
        # Members enrolled before the program had its tiers.
        tiers = self.program.sh_tier_ids
        tiers.action_archive()
        with freeze_time("2026-06-30"):
            self.program.active = True
            cards = self.program._sh_enrol_customers_with_sales()
            self.assertFalse(cards.sh_tier_id)
        tiers.action_unarchive()
        with freeze_time("2026-07-01"):
            self.env["loyalty.card"]._cron_sh_loyalty_daily()
            self.assertEqual(
                {card.partner_id.name: card.sh_tier_id.name for card in cards},
                {"Rollout Fleet": "Silver", "Rollout Garage": "Bronze", "Rollout Shop": "Silver"},
            )
            # Logged on the customer's chatter for the staff, not e-mailed.
            self.assertIn("Loyalty tier set to Silver.", self.shop.message_ids[:1].body)
            self.assertFalse(self._mails(cards))
