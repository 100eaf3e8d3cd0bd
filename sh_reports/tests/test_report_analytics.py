"""Tests of the report Customer Analytics: the RFM of any day against the
stored one, the segment map, the segment migration, the cohort retention
and the period's cards against the dashboard's, with the record rules and
the filters."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import format_date

from odoo.addons.sh_customers.tests.common import ShCustomersCommon

# The fixed cut-offs apply (fewer than 50 customers with a purchase):
# R: 366+ days since the last invoice scores 1, 181+ 2, 91+ 3, 31+ 4, else 5;
# F: up to 1 invoice in the 24 months' window scores 1, 2: 2, 4: 3, 9: 4;
# M: up to 500 net sales scores 1, 2,000: 2, 5,000: 3, 20,000: 4.
TODAY = "2026-06-30"


class ShAnalyticsCommon(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the customers built here count: others (demo data) are not
        # customers for the duration of the test (sudo: the test user may
        # not write every partner).
        cls.env["res.partner"].sudo().search([("customer_rank", ">", 0)]).customer_rank = 0
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_user")

    @classmethod
    def _history(cls, name, documents, company=None, **vals):
        """A customer (a company) and its documents, (amount, date) pairs, a
        negative amount being a credit note, posted together."""
        customer = cls._customer(name, is_company=True, customer_rank=1, **vals)
        moves = cls.env["account.move"]
        for amount, date in documents:
            move_type = "out_invoice" if amount > 0 else "out_refund"
            moves |= cls._invoice(
                customer, abs(amount), date, move_type=move_type, post=False, company=company
            )
        moves.action_post()
        return customer

    def _report(self, env=None, **options):
        return (env or self.env)["sh.report.analytics"].get_report_data(options)

    @staticmethod
    def _part(data, kind, key):
        [part] = [item for item in data[kind] if item["key"] == key]
        return part

    def _cell(self, table, label, column):
        """The value and the customers opened of a heat-map cell."""
        [row] = [row for row in table["rows"] if label in row.values()]
        domain = row["_cell_domains"][column]
        customers = domain and self.env["res.partner"].search(domain)
        return row[column], customers


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestReportAnalytics(ShAnalyticsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls._second_company(name="Mosul Branch")
        history = cls._history
        cls.anbar = history("Anbar Workshop", [(1000.0, "2025-12-20")], sh_customer_type="workshop")
        cls.babil = history("Babil Parts", [(300.0, "2024-06-01"), (400.0, "2026-06-15")])
        cls.dohuk = history(
            "Dohuk Fleet",
            [(500.0, f"2025-{month:02}-05") for month in range(7, 12)],
            sh_customer_type="fleet",
        )
        cls.erbil = cls._customer("Erbil Tyres", is_company=True, customer_rank=1)
        # A credit note is no purchase: Fallujah's of 1 October 2025.
        cls.fallujah = history(
            "Fallujah Garage",
            [(700.0, "2025-07-20"), (700.0, "2025-09-20"), (-100.0, "2025-10-01")],
            sh_customer_type="workshop",
        )
        cls.hilla = history("Hilla Motors", [(200.0, "2025-03-10")])
        cls.ilam = history("Ilam Spares", [(300.0, "2025-05-01")])
        cls.karbala = history("Karbala Cars", [(600.0, "2026-02-01")])
        # A customer of both companies that bought in the second only, and
        # a customer of the second company only.
        cls.najaf = history("Najaf Auto", [(900.0, "2026-03-01")], company=cls.company_2)
        cls.mosul = history(
            "Mosul Trucks",
            [(800.0, "2026-04-01")],
            company=cls.company_2,
            company_id=cls.company_2.id,
        )
        cls.customers = (
            cls.anbar
            | cls.babil
            | cls.dohuk
            | cls.erbil
            | cls.fallujah
            | cls.hilla
            | cls.ilam
            | cls.karbala
            | cls.najaf
        )

    def test_segments_as_of_today_are_the_stored_ones(self):
        """As of today the RFM read from the history is the stored RFM, score
        by score; the RFM table shows it for every customer, prospects too.

        On 30 June 2026 (window: after 30 June 2024):
        - Anbar: 192 days (11 + 31 + 28 + 31 + 30 + 31 + 30), R2; 1 invoice,
          F1; 1,000, M2: Hibernating;
        - Babil: 15 days, R5; its invoice of 1 June 2024 is out of the
          window: F1, 400, M1: New;
        - Dohuk: 237 days, R2; 5 invoices, F4; 2,500, M3: At Risk;
        - Fallujah: 283 days, R2; 2 invoices, F2; 700 + 700 - 100 = 1,300,
          M2: Hibernating;
        - Hilla: 477 days, R1, F1, M1: Lost; Ilam: 425 days, R1: Lost;
        - Karbala: 149 days, R3; F1; 600, M2: About to Sleep;
        - Erbil, and Najaf (which bought in the other company): Prospect."""
        report = self.env["sh.report.analytics"].with_company(self.env.company)
        ctx = report._sh_report_context({"period": "year"})
        rows = report._sh_rfm_rows(ctx, {"end": fields.Date.to_date(TODAY)})
        by_id = {row["partner_id"]: row for row in rows}
        self.assertEqual(set(by_id), set(self.customers.ids))
        expected = {
            self.anbar: (192, 1, 1000.0, 2, 1, 2, "hibernating"),
            self.babil: (15, 1, 400.0, 5, 1, 1, "new"),
            self.dohuk: (237, 5, 2500.0, 2, 4, 3, "at_risk"),
            self.fallujah: (283, 2, 1300.0, 2, 2, 2, "hibernating"),
            self.hilla: (477, 1, 200.0, 1, 1, 1, "lost"),
            self.ilam: (425, 1, 300.0, 1, 1, 1, "lost"),
            self.karbala: (149, 1, 600.0, 3, 1, 2, "about_to_sleep"),
            self.erbil: (None, 0, 0.0, 0, 0, 0, "prospect"),
            self.najaf: (None, 0, 0.0, 0, 0, 0, "prospect"),
        }
        columns = ("recency", "frequency", "monetary", "r_score", "f_score", "m_score", "segment")
        for customer, values in expected.items():
            row = by_id[customer.id]
            self.assertEqual(tuple(row[f"end_{column}"] for column in columns), values)
            self.assertEqual(
                (row["end_r_score"], row["end_f_score"], row["end_m_score"], row["end_segment"]),
                (
                    customer.sh_rfm_r_score,
                    customer.sh_rfm_f_score,
                    customer.sh_rfm_m_score,
                    customer.sh_rfm_segment,
                ),
                customer.name,
            )
        table = self._part(self._report(period="year"), "tables", "rfm")
        self.assertEqual(len(table["rows"]), 9)
        # The most valuable first: Dohuk's 2,500 in the window.
        first = table["rows"][0]
        self.assertEqual(first["_res_id"], self.dohuk.id)
        self.assertEqual(
            (first["recency"], first["frequency"], first["monetary"], first["segment"]),
            (237, 5, 2500.0, "At Risk"),
        )
        # Net sales of the window: 1,000 + 400 + 2,500 + 1,300 + 200 + 300 + 600;
        # of the period (2026): Babil's 400 and Karbala's 600.
        self.assertEqual(table["totals"]["monetary"], 6300.0)
        self.assertEqual(table["totals"]["net_sales"], 1000.0)
        # Beside them, at the end of the previous period (30 June 2025):
        # Dohuk had not bought yet; Hilla's 200 and Ilam's 300.
        self.assertEqual(
            (first["previous_segment"], first["previous_net_sales"]), ("Prospect", 0.0)
        )
        self.assertEqual(table["totals"]["previous_net_sales"], 500.0)

    def test_segment_map(self):
        """The customers with a purchase by R (rows) and F (columns) today,
        with the net sales of the period (2026) of each cell; a cell opens
        its customers."""
        data = self._report(period="year")
        customers = self._part(data, "tables", "segment_map_customers")
        self.assertTrue(customers["heatmap"])
        self.assertEqual(
            [row["recency"] for row in customers["rows"]], ["R 5", "R 4", "R 3", "R 2", "R 1"]
        )
        grid = {
            row["recency"]: [row[f"f{f}"] for f in range(1, 6)] + [row["total"]]
            for row in customers["rows"]
        }
        self.assertEqual(
            grid,
            {
                "R 5": [1, 0, 0, 0, 0, 1],  # Babil
                "R 4": [0, 0, 0, 0, 0, 0],
                "R 3": [1, 0, 0, 0, 0, 1],  # Karbala
                "R 2": [1, 1, 0, 1, 0, 3],  # Anbar; Fallujah; Dohuk
                "R 1": [2, 0, 0, 0, 0, 2],  # Hilla and Ilam
            },
        )
        self.assertEqual(customers["totals"]["total"], 7)
        self.assertEqual(self._cell(customers, "R 2", "f1"), (1, self.anbar))
        self.assertEqual(self._cell(customers, "R 1", "f1"), (2, self.hilla | self.ilam))
        sales = self._part(data, "tables", "segment_map_net_sales")
        self.assertEqual(self._cell(sales, "R 5", "f1"), (400.0, self.babil))
        self.assertEqual(self._cell(sales, "R 3", "f1"), (600.0, self.karbala))
        self.assertEqual(sales["totals"]["total"], 1000.0)
        # A period that ended before today: its map is that of its last day,
        # 31 March 2026 (window: after 31 March 2024), whose cells open their
        # customers by id. R1 F1: Babil (668 days, its invoice of June 2024
        # still in the window) and Hilla (386 days); R4 F1: Karbala (58 days).
        past = self._part(
            self._report(period="custom", date_from="2026-01-01", date_to="2026-03-31"),
            "tables",
            "segment_map_customers",
        )
        self.assertEqual(self._cell(past, "R 1", "f1"), (2, self.babil | self.hilla))
        self.assertEqual(self._cell(past, "R 4", "f1"), (1, self.karbala))
        [r4] = [row for row in past["rows"] if row["recency"] == "R 4"]
        self.assertIn(["id", "in", [self.karbala.id]], r4["_cell_domains"]["f1"])
        # Per segment at the end of 2026's half year and at the end of the
        # previous period (30 June 2025: Babil lost; Hilla, 112 days, R3,
        # About to Sleep; Ilam, 60 days, R4, Promising), with the net sales
        # of each period: Hilla's 200 and Ilam's 300 in the previous one.
        chart = self._part(data, "charts", "segment_customers")
        current, previous = chart["datasets"]
        by_label = dict(
            zip(chart["labels"], zip(current["data"], previous["data"], strict=True), strict=True)
        )
        self.assertEqual(by_label["Hibernating"], (2, 0))
        self.assertEqual(by_label["Lost"], (2, 1))
        self.assertEqual(by_label["About to Sleep"], (1, 1))
        self.assertEqual(by_label["Promising"], (0, 1))
        self.assertEqual(by_label["Prospect"], (2, 6))
        chart = self._part(data, "charts", "segment_net_sales")
        current, previous = chart["datasets"]
        by_label = dict(
            zip(chart["labels"], zip(current["data"], previous["data"], strict=True), strict=True)
        )
        self.assertEqual(by_label["New"], (400.0, 0.0))
        self.assertEqual(by_label["About to Sleep"], (600.0, 200.0))
        self.assertEqual(by_label["Promising"], (0.0, 300.0))

    def test_segment_migration(self):
        """From 31 December 2025 (window: after 31 December 2023) to today:
        - Anbar: 11 days, R5, F1: New -> Hibernating;
        - Babil: 578 days, R1, F1, 300, M1: Lost -> New;
        - Dohuk: 56 days, R4, F4: Loyal -> At Risk;
        - Fallujah: 102 days, R3, F2: About to Sleep -> Hibernating;
        - Hilla: 296 days, R2, F1: Hibernating -> Lost; Ilam: 244 days, R2:
          Hibernating -> Lost;
        - Karbala: no purchase yet, Prospect -> About to Sleep;
        - Erbil and Najaf: Prospect -> Prospect."""
        data = self._report(period="year")
        self.assertEqual(
            (data["options"]["compare_as_of"], data["options"]["as_of"]),
            ("2025-12-31", "2026-06-30"),
        )
        table = self._part(data, "tables", "segment_migration")
        self.assertTrue(table["heatmap"])
        segments = [column["key"] for column in table["columns"][1:-1]]
        self.assertEqual(
            segments,
            ["loyal", "new", "about_to_sleep", "at_risk", "hibernating", "lost", "prospect"],
        )
        matrix = {
            row["segment"]: {key: row[key] for key in segments if row[key]} for row in table["rows"]
        }
        self.assertEqual(
            matrix,
            {
                "Loyal": {"at_risk": 1},
                "New": {"hibernating": 1},
                "About to Sleep": {"hibernating": 1},
                "At Risk": {},
                "Hibernating": {"lost": 2},
                "Lost": {"new": 1},
                "Prospect": {"about_to_sleep": 1, "prospect": 2},
            },
        )
        self.assertEqual(table["totals"]["total"], 9)
        self.assertEqual(table["totals"]["hibernating"], 2)
        self.assertEqual(self._cell(table, "Hibernating", "lost"), (2, self.hilla | self.ilam))
        self.assertEqual(self._cell(table, "Lost", "new"), (1, self.babil))
        # From 31 March 2026: Karbala (58 days, R4, F1) was Promising, Babil
        # (668 days) Lost, Dohuk (146 days, R3, F4) Loyal, Anbar (101 days,
        # R3, F1) About to Sleep.
        table = self._part(
            self._report(period="year", compare_as_of="2026-03-31"), "tables", "segment_migration"
        )
        self.assertEqual(self._cell(table, "Promising", "about_to_sleep"), (1, self.karbala))
        self.assertEqual(self._cell(table, "About to Sleep", "hibernating"), (1, self.anbar))
        self.assertIn(
            format_date(self.env, fields.Date.to_date("2026-03-31")), table["columns"][0]["label"]
        )
        with self.assertRaisesRegex(UserError, "segment migration starts"):
            self._report(period="year", compare_as_of="2026-06-30")

    def test_cohort_retention(self):
        """Cohorts of July 2025 to June 2026 (first purchases): July 2025
        holds Dohuk (bought July to November) and Fallujah (July and
        September; its credit note of October is no purchase): 2 customers,
        month 1 (August) 1 of 2 = 50%, month 2 (September) 2 of 2 = 100%,
        months 3 and 4 (October, November) 50%, then 0%. December 2025:
        Anbar, 100% then 0% up to June 2026 (month 6), nothing beyond.
        February 2026: Karbala. Babil's first purchase (June 2024) and
        Hilla's and Ilam's (March, May 2025) are older."""
        table = self._part(self._report(period="year"), "tables", "cohort_retention")
        self.assertTrue(table["heatmap"])
        rows = {row["cohort"]: row for row in table["rows"]}
        self.assertEqual(len(rows), 12)
        july = rows["Jul 2025"]
        self.assertEqual(july["size"], 2)
        self.assertEqual(
            [july[f"m{month}"] for month in range(12)],
            [100.0, 50.0, 100.0, 50.0, 50.0] + [0.0] * 7,
        )
        december = rows["Dec 2025"]
        self.assertEqual(
            [december[f"m{month}"] for month in range(12)], [100.0] + [0.0] * 6 + [None] * 5
        )
        self.assertEqual(rows["Feb 2026"]["size"], 1)
        self.assertEqual(rows["Aug 2025"]["size"], 0)
        self.assertIsNone(rows["Aug 2025"]["m0"])
        # All cohorts, each weighed by its customers over the months it has
        # reached: month 1: 1 of 4 (July 2, December 1, February 1) = 25%;
        # month 2: 2 of 4 = 50%; month 5: 0 of 3 (February's month 5 is
        # July 2026).
        totals = table["totals"]
        self.assertEqual(totals["size"], 4)
        self.assertEqual((totals["m0"], totals["m1"], totals["m2"]), (100.0, 25.0, 50.0))
        self.assertEqual(totals["m5"], 0.0)
        # A cell opens the customers of the cohort who bought that month.
        self.assertEqual(self._cell(table, "Jul 2025", "m2"), (100.0, self.dohuk | self.fallujah))
        self.assertEqual(self._cell(table, "Jul 2025", "m3"), (50.0, self.dohuk))

    def test_cards_are_the_dashboards(self):
        """Buyers, new buyers, retention, repeat purchase rate and average
        order value are the dashboard's for the same period, churn is 100
        minus the retention. 2026 to 30 June: buyers Babil and Karbala, new
        Karbala; 400 + 600 over 2 invoices = 500; no repeat buyer. At its
        start (31 December 2025) the customers with a purchase in the 365
        days before are Anbar, Dohuk, Fallujah, Hilla and Ilam (5); at its
        end Anbar, Babil, Dohuk, Fallujah and Karbala (5): retention
        (5 - 1) / 5 = 80%, churn 20%. First half of 2025: buyers Hilla and
        Ilam, both new, (200 + 300) / 2 = 250; Babil alone at the start, the
        two new at the end: retention (2 - 2) / 1 = 0%, churn 100%."""
        data = self._report(period="year")
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(
            {key: (card["value"], card["previous"]) for key, card in cards.items()},
            {
                "buyers": (2, 2),
                "new_buyers": (1, 2),
                "retention": (80.0, 0.0),
                "churn": (20.0, 100.0),
                "repeat_purchase_rate": (0.0, 0.0),
                "average_order_value": (500.0, 250.0),
            },
        )
        dashboard = self.env["sh.customer.dashboard"].get_dashboard_data(period="year")
        for card in dashboard["cards"]:
            if card["key"] in cards:
                self.assertEqual(
                    (cards[card["key"]]["value"], cards[card["key"]]["previous"]),
                    (card["value"], card["previous"]),
                    card["key"],
                )
        # The buyers card opens the buyers.
        buyers = self.env["res.partner"].search(cards["buyers"]["domain"])
        self.assertEqual(buyers, self.babil | self.karbala)
        # Without the comparison, no previous value and no previous series.
        data = self._report(period="year", compare=False)
        self.assertEqual({card["previous"] for card in data["cards"]}, {None})
        self.assertEqual(len(self._part(data, "charts", "segment_customers")["datasets"]), 1)

    def test_filters_apply(self):
        """Workshops only: Anbar and Fallujah, in every part."""
        data = self._report(period="year", customer_type="workshop")
        rfm = self._part(data, "tables", "rfm")
        self.assertEqual({row["_res_id"] for row in rfm["rows"]}, {self.anbar.id, self.fallujah.id})
        migration = self._part(data, "tables", "segment_migration")
        self.assertEqual(migration["totals"]["total"], 2)
        self.assertEqual(migration["totals"]["hibernating"], 2)
        cohorts = {
            row["cohort"]: row for row in self._part(data, "tables", "cohort_retention")["rows"]
        }
        # July 2025 is Fallujah alone: it did not buy in August.
        self.assertEqual((cohorts["Jul 2025"]["size"], cohorts["Jul 2025"]["m1"]), (1, 0.0))
        cards = {card["key"]: card for card in data["cards"]}
        # No workshop bought in 2026; Anbar and Fallujah were customers at
        # its start and are still at its end: (2 - 0) / 2.
        self.assertEqual(cards["buyers"]["value"], 0)
        self.assertEqual(cards["retention"]["value"], 100.0)
        self.assertEqual(
            self.env["res.partner"].search(cards["retention"]["domain"]),
            self.anbar | self.fallujah,
        )

    def test_record_rules_and_companies(self):
        """A user of the first company never sees the second company's own
        customer, and Najaf, which bought in the second company only, is a
        prospect there. A user of the second company sees its two buyers,
        and the first company's sales nowhere."""
        user = self._sales_user("analytics_first")
        data = self._report(env=self.env(user=user), period="year")
        rfm = self._part(data, "tables", "rfm")
        ids = {row["_res_id"] for row in rfm["rows"]}
        self.assertEqual(ids, set(self.customers.ids))
        [najaf] = [row for row in rfm["rows"] if row["_res_id"] == self.najaf.id]
        self.assertEqual((najaf["segment"], najaf["net_sales"]), ("Prospect", 0.0))
        self.assertEqual(self._part(data, "tables", "segment_migration")["totals"]["total"], 9)

        user_2 = self._sales_user("analytics_second", company=self.company_2)
        data = self._report(env=self.env(user=user_2), period="year")
        rfm = self._part(data, "tables", "rfm")
        buyers = {row["_res_id"] for row in rfm["rows"] if row["segment"] != "Prospect"}
        self.assertEqual(buyers, {self.najaf.id, self.mosul.id})
        self.assertEqual(rfm["totals"]["net_sales"], 1700.0)
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(cards["buyers"]["value"], 2)
        self.assertEqual(cards["average_order_value"]["value"], 850.0)


@tagged("post_install", "-at_install")
class TestReportAnalyticsQuintiles(ShAnalyticsCommon):
    """With 60 customers the quintiles apply: a past day's segments are
    those the refresh stored that day, and today's the stored ones."""

    def _refresh(self):
        Partner = self.env["res.partner"]
        Partner._sh_compute_rfm_breakpoints()
        Partner._sh_refresh_customer_stats(all_customers=True)

    def _stored(self, customers):
        return {
            customer.id: (
                customer.sh_rfm_r_score,
                customer.sh_rfm_f_score,
                customer.sh_rfm_m_score,
                customer.sh_rfm_segment,
            )
            for customer in customers
        }

    def test_past_day_segments_are_those_stored_that_day(self):
        # Customer i: (i % 4) + 1 invoices of 50 x (i + 1), every 40 days
        # back from 3 x i days before 31 March 2026.
        march = fields.Date.to_date("2026-03-31")
        with freeze_time("2026-03-31"):
            customers = self.env["res.partner"]
            for index in range(60):
                customers |= self._history(
                    f"Customer {index:02}",
                    [
                        (50.0 * (index + 1), fields.Date.subtract(march, days=3 * index + 40 * k))
                        for k in range(index % 4 + 1)
                    ],
                )
            self._refresh()
            march_breakpoints = self.env.company.sh_rfm_breakpoints
            in_march = self._stored(customers)
        self.assertEqual(march_breakpoints["method"], "quintiles")
        with freeze_time(TODAY):
            # A third of them buy again in June.
            for customer in customers[::3]:
                self._invoice(customer, 75.0, "2026-06-10")
            self._refresh()
            in_june = self._stored(customers)
            self.assertNotEqual(in_june, in_march)
            report = self.env["sh.report.analytics"].with_company(self.env.company)
            ctx = report._sh_report_context({"period": "quarter"})
            rows = report._sh_rfm_rows(ctx, {"end": fields.Date.to_date(TODAY), "from": march})
        self.assertEqual(len(rows), 60)
        for key, stored in (("end", in_june), ("from", in_march)):
            self.assertEqual(
                {
                    row["partner_id"]: (
                        row[f"{key}_r_score"],
                        row[f"{key}_f_score"],
                        row[f"{key}_m_score"],
                        row[f"{key}_segment"],
                    )
                    for row in rows
                },
                stored,
                key,
            )
