from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .dashboard_common import (
    DOCUMENTS,
    PERIOD,
    ShDashboardCommon,
    invoices,
    net_sales,
)


class DashboardChartsTests:
    """The dashboard's charts, tables, rankings and analytics, its company
    isolation, access and errors."""

    def test_month_charts_on_custom_dates(self):
        """From 15 December: lapsed bought on the 11th (before the period)
        and on the 21st: December counts it once, as a returning buyer; a
        month of the previous period counts only its days in that period."""
        date_from, date_to = "2025-12-15", "2026-06-30"
        previous_from, previous_to = "2025-05-31", "2025-12-14"
        data = self.Dashboard.get_dashboard_data(date_from=date_from, date_to=date_to)
        charts = self._by_key(data["charts"])
        months = ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 7)]
        previous_months = ["2025-05"] + [f"2025-{m:02d}" for m in range(6, 12)]

        def window(month, start, end):
            return (max(f"{month}-01", start), min(f"{month}-31", end))

        def first_invoice(name):
            return min(date for who, kind, _a, date in DOCUMENTS if who == name)

        def first_in(name, month):
            start, end = window(month, date_from, date_to)
            return start <= first_invoice(name) <= end

        current, previous = charts["sales_by_month"]["datasets"]
        self.assertEqual(
            current["data"], [net_sales(window(m, date_from, date_to)) for m in months]
        )
        self.assertEqual(
            previous["data"],
            [net_sales(window(m, previous_from, previous_to)) for m in previous_months],
        )
        self.assertEqual(previous["data"][0], 0.0)  # 31 May 2025 alone: nothing sold
        buyers = [{doc[0] for doc in invoices(window(m, date_from, date_to))} for m in months]
        new_buyers = [
            {name for name in month_buyers if first_in(name, month)}
            for month, month_buyers in zip(months, buyers, strict=True)
        ]
        new, returning = charts["new_vs_returning"]["datasets"]
        self.assertEqual(new["data"], [len(names) for names in new_buyers])
        self.assertEqual(
            returning["data"],
            [len(b - n) for b, n in zip(buyers, new_buyers, strict=True)],
        )
        self.assertEqual(returning["data"][0], 1)  # lapsed, on the 21st only

    def test_charts(self):
        data = self.Dashboard.get_dashboard_data()
        charts = self._by_key(data["charts"])
        sales = charts["sales_by_month"]
        self.assertEqual(len(sales["labels"]), 12)
        self.assertEqual(sales["labels"][0], "Jul 2025")
        self.assertEqual(sales["labels"][-1], "Jun 2026")
        current, previous = sales["datasets"]
        months = [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]

        def by_month(month):
            return net_sales((f"{month}-01", f"{month}-31"))

        self.assertEqual(current["data"], [by_month(m) for m in months])
        self.assertEqual(current["data"][1], 2000.0)  # August 2025
        self.assertEqual(current["data"][7], -200.0)  # February 2026: the credit note
        previous_months = [f"{int(m[:4]) - 1}{m[4:]}" for m in months]
        self.assertEqual(previous["data"], [by_month(m) for m in previous_months])
        # The June bar opens its buyers.
        self.assertEqual(self._names(sales["domains"][-1]), {"Regular", "Newcomer"})

        new, returning = charts["new_vs_returning"]["datasets"]
        self.assertEqual(new["data"], [0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1])
        self.assertEqual(returning["data"], [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])

        status = charts["lifecycle_status"]
        counts = dict(zip(status["labels"], status["datasets"][0]["data"], strict=True))
        self.assertEqual(counts, {"Prospect": 1, "New": 1, "Active": 2, "At Risk": 1, "Churned": 2})
        churned = status["labels"].index("Churned")
        self.assertEqual(self._names(status["domains"][churned]), {"Churner", "Old Churned"})

        segments = charts["rfm_segments"]
        self.assertEqual(sum(segments["datasets"][0]["data"]), 7)
        for domain, count in zip(segments["domains"], segments["datasets"][0]["data"], strict=True):
            self.assertEqual(len(self._names(domain)), count)

        aging = charts["debt_aging"]
        self.assertEqual(aging["datasets"][0]["data"], [1010.0, 150.0, 0.0, 0.0, 0.0, 400.0])
        self.assertEqual(self._names(aging["domains"][-1]), {"Churner"})
        # One bar per aging bucket, named and filtering as the list does.
        self.assertEqual(
            aging["labels"],
            ["Not Due", "1-30 Days", "31-60 Days", "61-90 Days", "91-120 Days", "Over 120 Days"],
        )
        self.assertEqual(aging["domains"][1][-1], ["sh_debt_1_30", ">", 0])

        top = charts["top_customers"]
        self.assertEqual(top["labels"], ["Regular", "One Timer", "Newcomer", "Lapsed"])
        self.assertEqual(top["datasets"][0]["data"], [3300.0, 800.0, 400.0, 300.0])
        self.assertEqual(self._names(top["domains"][0]), {"Regular"})
        # Customers' names read along bars laid out across.
        self.assertTrue(top["horizontal"])
        self.assertFalse(charts["sales_by_month"]["horizontal"])

    def test_tables(self):
        tables = self._by_key(self.Dashboard.get_dashboard_data()["tables"])
        top = tables["top_customers"]["rows"]
        self.assertEqual(
            [row["name"] for row in top], ["Regular", "One Timer", "Newcomer", "Lapsed"]
        )
        self.assertEqual(
            (top[0]["net_sales"], top[0]["invoice_count"], top[0]["average_order_value"]),
            (3300.0, 3, 1100.0),
        )
        self.assertEqual(top[0]["last_purchase_date"], "2026-06-01")
        [lapsed] = tables["at_risk"]["rows"]
        self.assertEqual(lapsed["id"], self.customers["lapsed"].id)
        self.assertEqual(
            lapsed["reasons"],
            [
                "No purchase for 191 days, against a usual gap of 10 days",
                f"Debt of {self._amount(260.0)} over the credit limit of {self._amount(250.0)}",
            ],
        )

    def test_at_risk_reasons_name_p_alive(self):
        """A customer at risk by its P(alive) alone is told so, not by a gap
        it does not exceed; a P(alive) at the threshold gives no reason."""
        regular, lapsed = self.customers["regular"], self.customers["lapsed"]
        # Regular bought 5 times from 1 August 2024 to 1 June 2026: a usual
        # gap of 669 / 4 = 167.3 days, 29 days since its last purchase: no
        # gap reason. P(alive) 0.2 < 0.5 makes it at risk. Lapsed: P(alive)
        # 0.5, the threshold itself, is not below it.
        self.env["res.partner"]._sh_write_clv_figures(
            self.company_a, [regular.id, lapsed.id], [0.2, 0.5], [0.0, 0.0]
        )
        self.assertEqual(regular.sh_lifecycle_status, "at_risk")

        def reasons():
            rows = self._by_key(self.Dashboard.get_dashboard_data()["tables"])["at_risk"]["rows"]
            return {row["id"]: row["reasons"] for row in rows}

        gap = "No purchase for 191 days, against a usual gap of 10 days"
        over_limit = f"Debt of {self._amount(260.0)} over the credit limit of {self._amount(250.0)}"
        self.assertEqual(
            reasons(),
            {
                regular.id: ["Likely to have stopped buying: P(alive) 20.0 %, below 50.0 %"],
                lapsed.id: [gap, over_limit],
            },
        )
        # At a threshold of 0.6, lapsed's 0.5 is below it too: both reasons.
        self.company_a.sh_at_risk_p_alive = 0.6
        self.assertEqual(
            reasons()[lapsed.id],
            [gap, "Likely to have stopped buying: P(alive) 50.0 %, below 60.0 %", over_limit],
        )

    def test_top_customers(self):
        def ranking(by, **kwargs):
            answer = self.Dashboard.get_top_customers(by=by, **kwargs)
            return answer["total"], [(item["name"], item["value"]) for item in answer["items"]]

        self.assertEqual(
            ranking("net_sales", limit=2),
            (4, [("Regular", 3300.0), ("One Timer", 800.0)]),
        )
        self.assertEqual(
            ranking("net_sales", limit=2, offset=2),
            (4, [("Newcomer", 400.0), ("Lapsed", 300.0)]),
        )
        self.assertEqual(
            ranking("invoice_count"),
            (4, [("Regular", 3), ("Lapsed", 3), ("Newcomer", 2), ("One Timer", 1)]),
        )
        self.assertEqual(
            ranking("average_order_value"),
            (
                4,
                [("Regular", 1100.0), ("One Timer", 800.0), ("Newcomer", 200.0), ("Lapsed", 100.0)],
            ),
        )
        self.assertEqual(
            ranking("debt"),
            (4, [("Regular", 500.0), ("Newcomer", 400.0), ("Churner", 400.0), ("Lapsed", 260.0)]),
        )
        self.assertEqual(
            ranking("net_sales", date_from="2024-07-01", date_to="2025-06-30"),
            (2, [("Regular", 2000.0), ("Churner", 800.0)]),
        )
        self.assertEqual(ranking("net_sales", offset=10), (4, []))
        with self.assertRaisesRegex(UserError, "cannot be ranked by points"):
            self.Dashboard.get_top_customers(by="points")
        with self.assertRaises(UserError):
            self.Dashboard.get_top_customers(limit=0)
        with self.assertRaises(UserError):
            self.Dashboard.get_top_customers(offset="first")

    def test_at_risk_customers(self):
        answer = self.Dashboard.get_at_risk_customers()
        self.assertEqual(answer["total"], 1)
        [item] = answer["items"]
        self.assertEqual(
            (item["name"], item["days_since_purchase"], item["usual_gap_days"], item["overdue"]),
            ("Lapsed", 191, 10.0, 0.0),
        )
        self.assertEqual(self.Dashboard.get_at_risk_customers(offset=1)["items"], [])
        with self.assertRaises(UserError):
            self.Dashboard.get_at_risk_customers(limit=100000)

    def test_analytics(self):
        analytics = self.Dashboard.get_analytics()
        self.assertEqual(analytics["period"]["date_from"], PERIOD[0])
        self.assertEqual(
            analytics["retention"],
            {"rate": 50.0, "customers_at_start": 2, "customers_at_end": 4, "new_customers": 3},
        )
        self.assertEqual(analytics["churn"], {"rate": 50.0, "churned_in_period": 1})
        self.assertEqual(
            analytics["repeat_purchase"], {"rate": 75.0, "repeat_customers": 3, "customers": 4}
        )
        self.assertEqual(
            analytics["average_order_value"],
            {"value": 533.33, "net_sales": 4800.0, "invoices": 9},
        )
        total = net_sales(("2000-01-01", "2026-06-30"))
        self.assertEqual(total, 8200.0)
        self.assertEqual(
            analytics["clv"],
            {
                "historical": {"customers": 6, "total": total, "average": round(total / 6, 2)},
                "predicted": None,
            },
        )
        self.assertEqual(
            analytics["cei"]["rate"], round((400 + 4800 - 1560) / (400 + 4800 - 1010) * 100, 2)
        )
        self.assertEqual(analytics["cei"]["credit_sales"], 4800.0)
        segments = {segment["key"]: segment for segment in analytics["segments"]}
        self.assertEqual(sum(segment["customers"] for segment in segments.values()), 7)
        self.assertEqual(segments["prospect"]["customers"], 1)
        self.assertEqual(sum(segment["net_sales"] for segment in segments.values()), total)
        custom = self.Dashboard.get_analytics(date_from="2026-06-01", date_to="2026-06-30")
        self.assertEqual(
            custom["average_order_value"]["net_sales"], net_sales(("2026-06-01", "2026-06-30"))
        )

    def test_company_isolation(self):
        data_a = self.Dashboard.get_dashboard_data()
        top_a = self.Dashboard.get_top_customers(limit=50)
        self.assertNotIn(self.customer_b.id, [item["id"] for item in top_a["items"]])
        self.assertEqual(self._by_key(data_a["cards"])["net_sales"]["value"], 4800.0)

        dashboard_b = self.env["sh.customer.dashboard"].with_user(self.user_b)
        cards_b = self._by_key(dashboard_b.get_dashboard_data()["cards"])
        self.assertEqual(cards_b["net_sales"]["value"], 5000.0)
        self.assertEqual(cards_b["customers_with_purchases"]["value"], 1)
        self.assertEqual(cards_b["debt"]["value"], 5000.0)
        top_b = dashboard_b.get_top_customers()
        self.assertEqual([item["name"] for item in top_b["items"]], ["Customer of B"])
        self.assertEqual(dashboard_b.get_at_risk_customers()["total"], 0)

    def test_no_debt_without_receivable_rights(self):
        dashboard = self.env["sh.customer.dashboard"].with_user(self.sales_user)
        data = dashboard.get_dashboard_data()
        self.assertFalse(data["show_debt"])
        cards = self._by_key(data["cards"])
        self.assertFalse({"debt", "overdue", "cei"} & set(cards))
        self.assertEqual(cards["net_sales"]["value"], 4800.0)
        self.assertNotIn("debt_aging", self._by_key(data["charts"]))
        top = self._by_key(data["tables"])["top_customers"]["rows"]
        self.assertNotIn("debt", top[0])
        at_risk = self._by_key(data["tables"])["at_risk"]
        self.assertNotIn("overdue", at_risk["rows"][0])
        self.assertEqual(len(at_risk["rows"][0]["reasons"]), 1)
        self.assertIsNone(dashboard.get_analytics()["cei"])
        with self.assertRaisesRegex(AccessError, "receivables"):
            dashboard.get_top_customers(by="debt")

    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "Unknown period"):
            self.Dashboard.get_dashboard_data(period="decade")
        with self.assertRaisesRegex(UserError, "YYYY-MM-DD"):
            self.Dashboard.get_dashboard_data(date_from="2026-13-01", date_to="2026-12-31")
        with self.assertRaisesRegex(UserError, "after it ends"):
            self.Dashboard.get_dashboard_data(date_from="2026-06-01", date_to="2026-01-31")
        with self.assertRaisesRegex(UserError, "first day"):
            self.Dashboard.get_dashboard_data(date_to="2026-01-31")
        with self.assertRaisesRegex(UserError, "ten years"):
            self.Dashboard.get_dashboard_data(date_from="2000-01-01", date_to="2026-01-31")

    def test_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.env["ir.module.module"]._load_module_terms(
            ["sh_customers"], ["ar_001"], overwrite=True
        )
        data = self.Dashboard.with_context(lang="ar_001").get_dashboard_data()
        cards = self._by_key(data["cards"])
        self.assertEqual(cards["repeat_purchase_rate"]["label"], "معدل الشراء المتكرر")
        # A help naming the churn period reads it in the translation.
        self.assertIn("بلغوا 365 يومًا", cards["churned"]["help"])
        self.assertEqual(data["periods"][-1], ("12m", "آخر 12 شهراً"))
        charts = self._by_key(data["charts"])
        self.assertEqual(charts["sales_by_month"]["title"], "صافي المبيعات حسب الشهر")
        self.assertNotIn("Jun", charts["sales_by_month"]["labels"][-1])
        [lapsed] = self._by_key(data["tables"])["at_risk"]["rows"]
        self.assertIn("لا شراء منذ 191 يومًا", lapsed["reasons"][0])
        with self.assertRaisesRegex(UserError, "فترة غير معروفة"):
            self.Dashboard.with_context(lang="ar_001").get_dashboard_data(period="decade")

    def test_without_comparison(self):
        data = self.Dashboard.get_dashboard_data(compare=False)
        for card in data["cards"]:
            self.assertIsNone(card["previous"])
            self.assertIsNone(card["variation"])
        self.assertEqual(len(self._by_key(data["charts"])["sales_by_month"]["datasets"]), 1)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboardCharts(DashboardChartsTests, ShDashboardCommon):
    """The tests of ``DashboardChartsTests`` on the dashboard's test company, whose
    figures no full refresh wrote: the dashboard reads every customer's
    row. (The tests live in a plain class that each test class
    decorates: freezegun's decorator on a class binds its setUpClass to
    that class, which a subclass cannot then extend.)"""

    allow_inherited_tests_method = True
