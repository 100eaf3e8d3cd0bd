from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sh_customers.figures.statements import FIGURE_FIELDS

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestCustomerKpis(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Regular buyer, nothing owed: 3 invoices in the last 12 months, one before.
        cls.regular = cls._customer("Regular Workshop", sh_customer_type="workshop")
        for date in ("2025-06-15", "2026-02-01", "2026-04-01", "2026-06-01"):
            cls._invoice(cls.regular, 1000.0, date, invoice_date_due="2026-07-31")
        cls._pay(cls.env["account.move"].search([("partner_id", "=", cls.regular.id)]))
        # New this month, owes 400 of which 150 overdue.
        cls.newcomer = cls._customer("New Fleet", sh_customer_type="fleet")
        cls._invoice(cls.newcomer, 150.0, "2026-06-02")
        cls._invoice(cls.newcomer, 250.0, "2026-06-20", invoice_date_due="2026-07-20")
        # Bought every 10 days until 191 days ago: at risk, owes 300 not yet due.
        cls.lapsed = cls._customer("Lapsed Retail")
        for date in ("2025-12-01", "2025-12-11", "2025-12-21"):
            cls._invoice(cls.lapsed, 100.0, date, invoice_date_due="2026-12-31")
        cls.prospect = cls._customer("Prospect Wholesale", sh_customer_type="wholesale")
        cls.customers = cls.regular | cls.newcomer | cls.lapsed | cls.prospect
        cls.domain = [("id", "in", cls.customers.ids)]
        cls.Partner = Partner
        cls.company_data_2 = cls.setup_other_company()

    def test_cards_for_all_customers(self):
        kpis = self.Partner.sh_get_customer_kpis(self.domain)
        self.assertEqual(kpis["customers"], 4)
        self.assertEqual(kpis["active"], 1)
        self.assertEqual(kpis["new_this_month"], 1)
        self.assertEqual(kpis["at_risk"], 1)
        self.assertTrue(kpis["show_debt"])
        self.assertEqual(kpis["debt"], 400.0 + 300.0)
        self.assertEqual(kpis["overdue"], 150.0)
        # Last 12 months: 2025-07-01 .. 2026-06-30, the 2025-06 invoice excluded.
        self.assertEqual(kpis["date_from"], "2025-07-01")
        self.assertEqual(kpis["net_sales"], 3000.0 + 400.0 + 300.0)
        self.assertEqual(kpis["average_order_value"], 462.5)

    def test_cards_described_on_the_server(self):
        """The cards come from the server in their order, each with its
        label, value and format, its period for the sales, and the filter a
        click applies: that filter finds exactly the customers it counts."""
        kpis = self.Partner.sh_get_customer_kpis(self.domain)
        cards = kpis["cards"]
        self.assertEqual(
            [(card["key"], card["label"], card["value"], card["format"]) for card in cards],
            [
                ("customers", "Customers", 4, "integer"),
                ("active", "Active", 1, "integer"),
                ("new_this_month", "New Buyers This Month", 1, "integer"),
                ("at_risk", "At Risk", 1, "integer"),
                ("debt", "Total Debt", 700.0, "money"),
                ("overdue", "Overdue Debt", 150.0, "money"),
                ("net_sales", "Net Sales", 3700.0, "money"),
                ("average_order_value", "Average Order Value", 462.5, "money"),
            ],
        )
        self.assertEqual([card["sequence"] for card in cards], sorted(c["sequence"] for c in cards))
        by_key = {card["key"]: card for card in cards}
        # A click filters on what the card counts; a second click removes it.
        self.assertEqual(
            {key: (card["domain"], card["filter"]) for key, card in by_key.items()},
            {
                "customers": (None, None),
                "active": ([("sh_lifecycle_status", "=", "active")], None),
                "new_this_month": (
                    [("sh_first_purchase_date", ">=", "2026-06-01")],
                    "filter_sh_new_this_month",
                ),
                "at_risk": ([("sh_lifecycle_status", "=", "at_risk")], "filter_sh_at_risk"),
                "debt": ([("sh_debt", ">", 0)], "filter_sh_with_debt"),
                "overdue": ([("sh_overdue", ">", 0)], "filter_sh_overdue"),
                "net_sales": (None, None),
                "average_order_value": (None, None),
            },
        )
        for key in ("active", "new_this_month", "at_risk"):
            with self.subTest(card=key):
                found = self.Partner.search_count(self.domain + by_key[key]["domain"])
                self.assertEqual(found, by_key[key]["value"])
        self.assertEqual(by_key["active"]["description"], "Status: Active")
        self.assertEqual(by_key["at_risk"]["description"], "At Risk")
        self.assertIn("Click to filter the list", by_key["at_risk"]["help"])
        self.assertNotIn("Click to filter the list", by_key["customers"]["help"])
        self.assertEqual(
            (by_key["at_risk"]["tone"], by_key["overdue"]["tone"], by_key["active"]["tone"]),
            ("warning", "danger", None),
        )
        # The sales cards say their period.
        self.assertEqual(kpis["period_label"], "Last 12 Months")
        self.assertEqual(by_key["net_sales"]["note"], "Last 12 Months")
        self.assertIn("07/01/2025 to 06/30/2026", by_key["net_sales"]["help"])
        # The periods offered: the named ones, and custom dates when given.
        self.assertEqual(
            [(p["value"], p["label"]) for p in kpis["periods"]],
            [
                ("this_month", "This Month"),
                ("quarter", "This Quarter"),
                ("year", "This Year"),
                ("12m", "Last 12 Months"),
            ],
        )
        custom = self.Partner.sh_get_customer_kpis(
            self.domain, period="custom", date_from="2025-12-01", date_to="2026-04-01"
        )
        self.assertEqual(
            custom["periods"][-1], {"value": "custom", "label": custom["period_label"]}
        )
        self.assertEqual(custom["period_label"], "12/01/2025 - 04/01/2026")
        quarter = self.Partner.sh_get_customer_kpis(self.domain, period="quarter")
        self.assertEqual(
            (quarter["date_from"], quarter["period_label"]), ("2026-04-01", "This Quarter")
        )
        # A named period leaves the dates given with it aside.
        named = self.Partner.sh_get_customer_kpis(
            self.domain, period="this_month", date_from="2025-12-01", date_to="2026-04-01"
        )
        self.assertEqual((named["period"], named["date_from"]), ("this_month", "2026-06-01"))
        with self.assertRaisesRegex(UserError, "Unknown period month"):
            self.Partner.sh_get_customer_kpis(self.domain, period="month")

    def test_cards_without_debt_access(self):
        """A user who may not see receivables gets no debt card, and no
        debt figure."""
        user = self._sales_user("kpi_sales")
        kpis = self.Partner.with_user(user).sh_get_customer_kpis(self.domain)
        self.assertEqual(
            [card["key"] for card in kpis["cards"]],
            [
                "customers",
                "active",
                "new_this_month",
                "at_risk",
                "net_sales",
                "average_order_value",
            ],
        )
        self.assertEqual((kpis["show_debt"], kpis["debt"], kpis["overdue"]), (False, None, None))
        self.assertEqual(kpis["net_sales"], 3700.0)

    def _copies(self, company):
        rows = (
            self.env["sh.customer.figure"]
            .sudo()
            .search_read(
                [("partner_id", "in", self.customers.ids), ("company_id", "=", company.id)],
                [column for column, _fname in FIGURE_FIELDS] + ["partner_id"],
            )
        )
        return {
            row["partner_id"][0]: {column: row[column] for column, _fname in FIGURE_FIELDS}
            for row in rows
        }

    def test_cards_sum_a_copy_of_the_customers_figures(self):
        """The cards and the dashboard sum a narrow copy of six figures: it
        holds what each customer shows, in each company, and follows a
        payment at once."""
        second = self.company_data_2["company"]
        self._invoice(self.newcomer, 80.0, "2026-06-10", company=second)
        buyers = {
            self.env.company: self.regular | self.newcomer | self.lapsed,
            second: self.newcomer,
        }
        for company, customers in buyers.items():
            copies = self._copies(company)
            for customer in customers:
                shown = customer.with_company(company)
                self.assertEqual(
                    copies[customer.id],
                    {column: shown[fname] for column, fname in FIGURE_FIELDS},
                    f"{customer.name} in {company.name}",
                )
        self.assertEqual(self._copies(second)[self.newcomer.id]["debt"], 80.0)

        self._pay(
            self.env["account.move"].search(
                [("partner_id", "=", self.newcomer.id), ("company_id", "=", self.env.company.id)]
            )
        )
        self.assertEqual(self._copies(self.env.company)[self.newcomer.id]["debt"], 0.0)
        self.assertEqual(self._copies(second)[self.newcomer.id]["debt"], 80.0)
        kpis = self.Partner.sh_get_customer_kpis(self.domain)
        self.assertEqual((kpis["debt"], kpis["overdue"]), (300.0, 0.0))
        # A customer without figures yet reads as the prospect it is.
        Figure = self.env["sh.customer.figure"]
        Figure.sudo().search([("partner_id", "=", self.prospect.id)]).unlink()
        query = self.Partner._search([("id", "=", self.prospect.id)])
        alias = Figure._sh_join(query, query.table, self.env.company)
        [(status, debt)] = self.env.execute_query(
            query.select(
                Figure._sh_column(alias, "lifecycle_status"), Figure._sh_column(alias, "debt")
            )
        )
        self.assertEqual((status, debt), ("prospect", None))

    def test_cards_follow_filters(self):
        overdue = self.Partner.sh_get_customer_kpis(self.domain + [("sh_overdue", ">", 0)])
        self.assertEqual(overdue["customers"], 1)
        self.assertEqual(overdue["debt"], 400.0)
        self.assertEqual(overdue["net_sales"], 400.0)
        self.assertEqual(overdue["average_order_value"], 200.0)

        workshops = self.Partner.sh_get_customer_kpis(
            self.domain + [("sh_customer_type", "=", "workshop")], period="this_month"
        )
        self.assertEqual(workshops["customers"], 1)
        self.assertEqual(workshops["active"], 1)
        self.assertEqual(workshops["debt"], 0.0)
        self.assertEqual(workshops["net_sales"], 1000.0)
        self.assertEqual(workshops["date_from"], "2026-06-01")

        nobody = self.Partner.sh_get_customer_kpis(self.domain + [("name", "=", "nobody")])
        self.assertEqual(
            (nobody["customers"], nobody["net_sales"], nobody["average_order_value"]),
            (0, 0.0, 0.0),
        )

    def test_cards_on_the_dashboards_dates(self):
        """A list opened from the dashboard shows the sales of the
        dashboard's period, custom dates included: from 1 December 2025 to
        1 April 2026, regular's 1000 of February and April and lapsed's 300
        of December, over 5 invoices."""
        kpis = self.Partner.sh_get_customer_kpis(
            self.domain, period="custom", date_from="2025-12-01", date_to="2026-04-01"
        )
        self.assertEqual((kpis["date_from"], kpis["date_to"]), ("2025-12-01", "2026-04-01"))
        self.assertEqual(kpis["net_sales"], 2000.0 + 300.0)
        self.assertEqual(kpis["average_order_value"], 460.0)
        # The counts and the debt are today's, whatever the period.
        self.assertEqual((kpis["customers"], kpis["new_this_month"], kpis["debt"]), (4, 1, 700.0))
        with self.assertRaisesRegex(UserError, "after it ends"):
            self.Partner.sh_get_customer_kpis(
                self.domain, period="custom", date_from="2026-04-01", date_to="2025-12-01"
            )
        with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
            self.Partner.sh_get_customer_kpis(self.domain, period="custom", date_from="April")

    def test_contacts_bring_their_company_sales_once(self):
        """A search that finds a company's contacts counts the contacts and
        the company's sales once, however many of its contacts match, and
        not again when the company matches too."""
        fleet = self._customer("Gulf Fleet", is_company=True)
        drivers = self._customer("Driver Ali", parent_id=fleet.id) | self._customer(
            "Driver Omar", parent_id=fleet.id
        )
        self._invoice(drivers[0], 250.0, "2026-06-10")
        self._invoice(fleet, 100.0, "2026-05-10")

        contacts = self.Partner.sh_get_customer_kpis([("id", "in", drivers.ids)])
        self.assertEqual(contacts["customers"], 2)
        self.assertEqual(contacts["net_sales"], 350.0)
        self.assertEqual(contacts["average_order_value"], 175.0)

        everyone = self.Partner.sh_get_customer_kpis([("id", "in", (fleet | drivers).ids)])
        self.assertEqual(everyone["customers"], 3)
        self.assertEqual(everyone["net_sales"], 350.0)

        with_others = self.Partner.sh_get_customer_kpis(
            [("id", "in", (drivers | self.regular).ids)]
        )
        self.assertEqual(with_others["net_sales"], 350.0 + 3000.0)

    def test_ready_filters(self):
        def names(filter_domain):
            return set(self.Partner.search(self.domain + filter_domain).mapped("name"))

        self.assertEqual(names([("sh_debt", ">", 0)]), {"New Fleet", "Lapsed Retail"})
        self.assertEqual(names([("sh_overdue", ">", 0)]), {"New Fleet"})
        self.assertEqual(names([("sh_lifecycle_status", "=", "prospect")]), {"Prospect Wholesale"})
        self.assertEqual(names([("sh_first_purchase_date", ">=", "2026-06-01")]), {"New Fleet"})
        self.assertEqual(names([("sh_last_purchase_date", "<", "2026-04-01")]), {"Lapsed Retail"})
        self.assertEqual(names([("sh_lifecycle_status", "=", "at_risk")]), {"Lapsed Retail"})
        ordered = self.Partner.search(self.domain, order="sh_net_sales desc")
        self.assertEqual(ordered[0], self.regular)
        groups = self.Partner.read_group(
            self.domain, ["sh_net_sales:sum"], ["sh_lifecycle_status"], lazy=False
        )
        by_status = {g["sh_lifecycle_status"]: g["__count"] for g in groups}
        self.assertEqual(by_status, {"active": 1, "new": 1, "at_risk": 1, "prospect": 1})
