from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import format_amount
from odoo.tools.safe_eval import safe_eval

from .common import ShCustomersCommon

# The documents of the test, as (customer, kind, amount, date); every
# figure the tests expect is computed from this list.
DOCUMENTS = [
    ("regular", "out_invoice", 1000.0, "2024-08-01"),
    ("regular", "out_invoice", 1000.0, "2025-01-15"),
    ("regular", "out_invoice", 2000.0, "2025-08-01"),
    ("regular", "out_invoice", 1000.0, "2026-01-15"),
    ("regular", "out_refund", 200.0, "2026-02-10"),
    ("regular", "out_invoice", 500.0, "2026-06-01"),
    ("newcomer", "out_invoice", 150.0, "2026-06-02"),
    ("newcomer", "out_invoice", 250.0, "2026-06-20"),
    ("lapsed", "out_invoice", 100.0, "2025-12-01"),
    ("lapsed", "out_invoice", 100.0, "2025-12-11"),
    ("lapsed", "out_invoice", 100.0, "2025-12-21"),
    ("churner", "out_invoice", 400.0, "2024-12-01"),
    ("churner", "out_invoice", 400.0, "2025-01-01"),
    ("old_churned", "out_invoice", 600.0, "2023-09-01"),
    ("one_timer", "out_invoice", 800.0, "2025-10-01"),
]
# The cards of this addon (others add theirs).
OWN_CARDS = {
    "customers_with_purchases",
    "buyers",
    "new_buyers",
    "at_risk",
    "churned",
    "net_sales",
    "average_order_value",
    "repeat_purchase_rate",
    "retention",
    "debt",
    "overdue",
    "cei",
}
# Last 12 months on 2026-06-30, and the 12 months before.
PERIOD = ("2025-07-01", "2026-06-30")
PREVIOUS = ("2024-07-01", "2025-06-30")


def in_period(document, period):
    return period[0] <= document[3] <= period[1]


def net_sales(period, customer=None):
    return sum(
        amount if kind == "out_invoice" else -amount
        for name, kind, amount, date in DOCUMENTS
        if in_period((name, kind, amount, date), period) and customer in (None, name)
    )


def invoices(period, customer=None):
    return [
        document
        for document in DOCUMENTS
        if document[1] == "out_invoice"
        and in_period(document, period)
        and customer in (None, document[0])
    ]


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboard(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the customers built here count: others (demo data) are not
        # customers for the duration of the test (sudo: the accounting test
        # user may not write every partner).
        cls.env["res.partner"].sudo().search([("customer_rank", ">", 0)]).customer_rank = 0
        cls.company_a = cls.env.company
        cls.company_b = cls._second_company(name="Branch B")

        names = ("regular", "newcomer", "lapsed", "churner", "old_churned", "one_timer")
        cls.customers = {name: cls._customer(name.replace("_", " ").title()) for name in names}
        cls.customers["lapsed"].credit_limit = 250.0
        cls.prospect = cls._customer("Prospect", customer_rank=1)
        moves = {}
        for name, kind, amount, date in DOCUMENTS:
            due = {
                ("regular", "2026-06-01"): "2026-07-31",
                ("newcomer", "2026-06-20"): "2026-07-20",
                ("lapsed", "2025-12-01"): "2026-12-31",
                ("lapsed", "2025-12-11"): "2026-12-31",
                ("lapsed", "2025-12-21"): "2026-12-31",
                ("churner", "2025-01-01"): "2025-01-31",
            }.get((name, date), date)
            moves[name, date] = cls._invoice(
                cls.customers[name], amount, date, move_type=kind, invoice_date_due=due
            )
        # Paid: everything but regular's June invoice, newcomer's two,
        # lapsed's three and churner's second.
        for key, paid_on in (
            (("regular", "2024-08-01"), "2024-08-15"),
            (("regular", "2025-01-15"), "2025-02-01"),
            (("regular", "2025-08-01"), "2025-08-20"),
            (("churner", "2024-12-01"), "2024-12-10"),
            (("old_churned", "2023-09-01"), "2023-09-05"),
            (("one_timer", "2025-10-01"), "2025-10-05"),
        ):
            cls._pay(moves[key], date=paid_on)
        # 40 paid early on lapsed's first invoice, not due before December.
        cls._pay(moves["lapsed", "2025-12-01"], amount=40.0, date="2026-01-10")
        # 800 paid on regular's January invoice, the rest by the credit note.
        cls._pay(moves["regular", "2026-01-15"], amount=800.0, date="2026-02-01")
        (moves["regular", "2026-01-15"] | moves["regular", "2026-02-10"]).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()

        cls.customer_b = cls._customer("Customer of B", company_id=cls.company_b.id)
        cls._invoice(cls.customer_b, 5000.0, "2026-01-10", company=cls.company_b)

        cls.user_a = cls._accountant("sh_dashboard_accountant_a", cls.company_a)
        cls.user_b = cls._accountant("sh_dashboard_accountant_b", cls.company_b)
        cls.sales_user = cls._sales_user("sh_dashboard_sales", cls.company_a)
        cls.Dashboard = cls.env["sh.customer.dashboard"].with_user(cls.user_a)

    def _by_key(self, items):
        return {item["key"]: item for item in items}

    def _names(self, domain, user=None):
        partners = self.env["res.partner"].with_user(user or self.user_a).search(domain)
        return set(partners.mapped("name"))

    def test_period(self):
        settings = "SELECT current_setting('jit'), current_setting('work_mem')"
        self.env.cr.execute(settings)
        before = self.env.cr.fetchone()
        data = self.Dashboard.get_dashboard_data()
        # The statement ran without JIT compilation and with more memory;
        # the settings are back.
        self.env.cr.execute(settings)
        self.assertEqual(self.env.cr.fetchone(), before)
        self.assertEqual(
            data["period"],
            {
                "date_from": PERIOD[0],
                "date_to": PERIOD[1],
                "previous_from": PREVIOUS[0],
                "previous_to": PREVIOUS[1],
                "period": "12m",
                "label": "Last 12 Months",
            },
        )
        self.assertEqual(data["currency"]["id"], self.company_a.currency_id.id)
        self.assertEqual(data["customer_action"], "sh_customers.res_partner_action_sh_customers")
        # The period select offers the named periods of the list's cards and
        # the API, with their labels.
        self.assertEqual(
            data["periods"],
            [
                ("this_month", "This Month"),
                ("quarter", "This Quarter"),
                ("year", "This Year"),
                ("12m", "Last 12 Months"),
            ],
        )
        month = self.Dashboard.get_dashboard_data(period="this_month")["period"]
        self.assertEqual(
            (month["date_from"], month["date_to"], month["previous_from"], month["previous_to"]),
            ("2026-06-01", "2026-06-30", "2026-05-01", "2026-05-30"),
        )
        quarter = self.Dashboard.get_dashboard_data(period="quarter")["period"]
        self.assertEqual(
            (quarter["date_from"], quarter["previous_from"]), ("2026-04-01", "2026-01-01")
        )
        year = self.Dashboard.get_dashboard_data(period="year")["period"]
        self.assertEqual((year["date_from"], year["previous_to"]), ("2026-01-01", "2025-06-30"))
        custom = self.Dashboard.get_dashboard_data(date_from="2026-01-01", date_to="2026-01-31")
        self.assertEqual(
            (custom["period"]["period"], custom["period"]["previous_from"]),
            ("custom", "2025-12-01"),
        )
        self.assertEqual(
            self._by_key(custom["cards"])["net_sales"]["value"],
            net_sales(("2026-01-01", "2026-01-31")),
        )

    def test_cards(self):
        data = self.Dashboard.get_dashboard_data()
        cards = self._by_key(data["cards"])
        self.assertEqual(
            [card["sequence"] for card in data["cards"]],
            sorted(card["sequence"] for card in data["cards"]),
        )

        def value(key):
            return cards[key]["value"], cards[key]["previous"]

        buyers = {doc[0] for doc in invoices(PERIOD)}
        previous_buyers = {doc[0] for doc in invoices(PREVIOUS)}
        self.assertEqual(value("customers_with_purchases"), (6, 3))
        self.assertEqual(value("buyers"), (len(buyers), len(previous_buyers)))
        self.assertEqual(value("new_buyers"), (3, 2))
        # Lapsed now (191 days against a gap of 10); churner a year earlier
        # (180 days against 31).
        self.assertEqual(value("at_risk"), (1, 1))
        self.assertEqual(value("churned"), (1, 1))
        self.assertEqual(value("net_sales"), (net_sales(PERIOD), net_sales(PREVIOUS)))
        self.assertEqual(value("net_sales"), (4800.0, 2800.0))
        self.assertEqual(cards["net_sales"]["variation"], round((4800 - 2800) / 2800 * 100, 2))
        self.assertEqual(cards["net_sales"]["format"], "money")
        self.assertEqual(
            value("average_order_value"),
            (round(4800.0 / len(invoices(PERIOD)), 2), 2800.0 / len(invoices(PREVIOUS))),
        )
        self.assertEqual(value("average_order_value"), (533.33, 700.0))
        # Regular, lapsed and newcomer bought twice or more, one timer once;
        # a year earlier regular and churner twice.
        self.assertEqual(value("repeat_purchase_rate"), (75.0, 100.0))
        # Start: regular and churner; end: regular, newcomer, lapsed, one
        # timer, of which 3 new: (4 - 3) / 2. A year earlier: (2 - 2) / 1.
        self.assertEqual(value("retention"), (50.0, 0.0))
        self.assertIsNone(cards["retention"]["variation"])
        # Debt: regular 500, newcomer 400 (150 overdue), lapsed 300 - 40,
        # churner 400 overdue; a year earlier only churner's 400, overdue.
        self.assertEqual(value("debt"), (1560.0, 400.0))
        self.assertEqual(cards["debt"]["variation"], 290.0)
        self.assertEqual(cards["debt"]["better"], "down")
        self.assertEqual(value("overdue"), (550.0, 400.0))
        # CEI = (opening + credit sales - closing) / (opening + credit sales
        # - closing not due).
        self.assertEqual(
            value("cei"),
            (
                round((400 + 4800 - 1560) / (400 + 4800 - 1010) * 100, 2),
                round((0 + 2800 - 400) / (0 + 2800 - 0) * 100, 2),
            ),
        )
        # The stored debt agrees with the ledger's.
        partners = self.env["res.partner"].browse([c.id for c in self.customers.values()])
        self.assertEqual(sum(partners.mapped("sh_debt")), 1560.0)

    def test_past_period(self):
        """A period that ended a year ago: figures as they stood then."""
        data = self.Dashboard.get_dashboard_data(date_from=PREVIOUS[0], date_to=PREVIOUS[1])
        cards = self._by_key(data["cards"])

        def value(key):
            return cards[key]["value"]

        self.assertEqual(value("net_sales"), net_sales(PREVIOUS))
        self.assertEqual(value("customers_with_purchases"), 3)
        # Churner: 180 days without a purchase against a usual gap of 31.
        self.assertEqual(value("at_risk"), 1)
        self.assertEqual(value("churned"), 1)
        self.assertEqual((value("debt"), value("overdue")), (400.0, 400.0))
        self.assertEqual(value("cei"), round(2400 / 2800 * 100, 2))

    def test_cards_open_their_customers(self):
        cards = self._by_key(self.Dashboard.get_dashboard_data()["cards"])
        expected = {
            "customers_with_purchases": {
                "Regular",
                "Newcomer",
                "Lapsed",
                "Churner",
                "Old Churned",
                "One Timer",
            },
            "buyers": {"Regular", "Newcomer", "Lapsed", "One Timer"},
            "new_buyers": {"Newcomer", "Lapsed", "One Timer"},
            "at_risk": {"Lapsed"},
            "churned": {"Churner"},
            "net_sales": {"Regular", "Newcomer", "Lapsed", "One Timer"},
            "debt": {"Regular", "Newcomer", "Lapsed", "Churner"},
            "overdue": {"Newcomer", "Churner"},
        }
        for key, names in expected.items():
            with self.subTest(card=key):
                self.assertEqual(self._names(cards[key]["domain"]), names)
        # Without access to invoices, the same customers from their figures.
        sales_cards = self._by_key(
            self.Dashboard.with_user(self.sales_user).get_dashboard_data()["cards"]
        )
        self.assertEqual(
            self._names(sales_cards["buyers"]["domain"], self.sales_user),
            expected["buyers"],
        )

    def _list_kpis(self, data, card, user):
        """The KPI cards of the customers list a dashboard card opens: the
        Customers action's own domain and the card's, for the dashboard's
        period, as the list asks for them."""
        action = self.env.ref("sh_customers.res_partner_action_sh_customers")
        domain = safe_eval(action.domain) + card["domain"]
        return (
            self.env["res.partner"]
            .with_user(user)
            .sh_get_customer_kpis(domain, **data["list_period"])
        )

    def _assert_list_shows_cards(self, user, **period):
        """Every card of the dashboard opens a list whose KPI cards show its
        figure: the card named by ``kpi`` shows the card's value; a rate
        opens the customers it is computed over. A card opens nothing only
        when the list cannot show its customers: figures at the end of a
        period that ended before today (status, debt, points)."""
        dashboard = self.env["sh.customer.dashboard"].with_user(user)
        data = dashboard.get_dashboard_data(**period)
        analytics = dashboard.get_analytics(
            date_from=data["period"]["date_from"], date_to=data["period"]["date_to"]
        )
        cards = self._by_key(data["cards"])
        # What a rate's click opens, as (the list's card, its value).
        rates = {
            "repeat_purchase_rate": ("customers", analytics["repeat_purchase"]["customers"]),
            "retention": (
                "customers",
                analytics["retention"]["customers_at_end"]
                - analytics["retention"]["new_customers"],
            ),
        }
        if "debt" in cards:
            rates["cei"] = ("debt", cards["debt"]["value"])
        ends_today = data["period"]["date_to"] == "2026-06-30"
        for card in data["cards"]:
            if not card["kpi"] and card["key"] not in OWN_CARDS:
                continue  # a rate of another addon: its addon's tests open it
            with self.subTest(card=card["key"], **period):
                if card["domain"] is None:
                    self.assertFalse(ends_today)
                    self.assertIn(card["key"], {"at_risk", "debt", "overdue", "cei"})
                    continue
                kpis = self._list_kpis(data, card, user)
                self.assertEqual(
                    (kpis["date_from"], kpis["date_to"]),
                    (data["period"]["date_from"], data["period"]["date_to"]),
                )
                if card["kpi"]:
                    self.assertEqual(kpis[card["kpi"]], card["value"])
                else:
                    kpi, value = rates[card["key"]]
                    self.assertEqual(kpis[kpi], value)
        return cards

    def test_cards_open_a_list_showing_their_figure(self):
        for period in ({}, {"period": "this_month"}, {"period": "year"}):
            cards = self._assert_list_shows_cards(self.user_a, **period)
        self.assertEqual(cards["buyers"]["value"], 2)  # this year: regular, newcomer
        cards = self._assert_list_shows_cards(
            self.user_a, date_from=PREVIOUS[0], date_to=PREVIOUS[1]
        )
        # Regular and churner bought; the list shows their net sales of
        # that period.
        self.assertEqual(cards["buyers"]["value"], 2)
        self.assertEqual(cards["net_sales"]["value"], net_sales(PREVIOUS))
        self.assertIsNone(cards["at_risk"]["domain"])
        # Old churned reached 365 days without a purchase in that period.
        self.assertEqual(cards["churned"]["value"], 1)
        self._assert_list_shows_cards(self.user_a, date_from="2025-12-15", date_to="2026-06-30")
        # Without access to invoices, from the customers' purchase dates.
        self._assert_list_shows_cards(self.sales_user)

    def test_churned_in_period_who_bought_again(self):
        """Churner reached 365 days without a purchase on 2 January 2026:
        churned in the first half of 2026. Once it buys again, it still
        churned in that period, and the card's click still opens it."""
        period = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        cards = self._assert_list_shows_cards(self.user_a, **period)
        self.assertEqual(cards["churned"]["value"], 1)
        self.assertEqual(self._names(cards["churned"]["domain"]), {"Churner"})
        self._invoice(self.customers["churner"], 50.0, "2026-06-15")
        cards = self._assert_list_shows_cards(self.user_a, **period)
        self.assertEqual(self._names(cards["churned"]["domain"]), {"Churner"})

    def test_list_and_dashboard_customers(self):
        """The list's Customers card counts every customer of the search,
        prospects included: 7. The dashboard counts those who have bought
        and says so: 6 Customers with Purchases, and its click opens a list
        whose Customers card shows 6."""
        action = self.env.ref("sh_customers.res_partner_action_sh_customers")
        default_search = safe_eval(action.domain) + [("customer_rank", ">", 0)]
        kpis = self.env["res.partner"].with_user(self.user_a).sh_get_customer_kpis(default_search)
        self.assertEqual(kpis["customers"], 7)
        data = self.Dashboard.get_dashboard_data()
        cards = self._by_key(data["cards"])
        card = cards["customers_with_purchases"]
        self.assertEqual((card["label"], card["value"]), ("Customers with Purchases", 6))
        self.assertEqual(self._list_kpis(data, card, self.user_a)["customers"], 6)
        # The statuses' names are the statuses', the period's counts are
        # buyers: no card is named after the list's Customers, Active or New.
        labels = {card["label"] for card in data["cards"]}
        self.assertFalse({"Customers", "Active", "New"} & labels)
        self.assertEqual(
            (cards["buyers"]["label"], cards["new_buyers"]["label"]), ("Buyers", "New Buyers")
        )
        self.assertEqual(cards["at_risk"]["kpi"], "at_risk")
        self.assertEqual(
            data["list_period"], {"period": "12m", "date_from": PERIOD[0], "date_to": PERIOD[1]}
        )

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

    def _amount(self, amount):
        return format_amount(self.env, amount, self.company_a.currency_id)

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
