from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .dashboard_common import (
    OWN_CARDS,
    PERIOD,
    PREVIOUS,
    ShDashboardCommon,
    invoices,
    net_sales,
)


class DashboardTests:
    """The dashboard's period, cards and the lists they open."""

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

    def test_overdue_on_the_days_items_are_dated(self):
        """At the end of a period, an item dated that day is not yet due,
        whether it is due the same day (newcomer's 150 of June 2nd) or has
        payment terms (regular's 500 of June 1st, due July 31st); one dated
        the next day is not owed yet."""
        data = self.Dashboard.get_dashboard_data(date_from="2026-06-02", date_to="2026-06-02")
        self.assertEqual(
            (data["period"]["previous_from"], data["period"]["previous_to"]),
            ("2026-06-01", "2026-06-01"),
        )
        cards = self._by_key(data["cards"])
        # June 2nd: regular 500, newcomer 150, lapsed 260 not yet due,
        # churner's 400 overdue since January 31st; June 1st: the same
        # without newcomer's 150.
        self.assertEqual((cards["debt"]["value"], cards["debt"]["previous"]), (1310.0, 1160.0))
        self.assertEqual((cards["overdue"]["value"], cards["overdue"]["previous"]), (400.0, 400.0))

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


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestDashboard(DashboardTests, ShDashboardCommon):
    """The tests of ``DashboardTests`` on the dashboard's test company, whose
    figures no full refresh wrote: the dashboard reads every customer's
    row. (The tests live in a plain class that each test class
    decorates: freezegun's decorator on a class binds its setUpClass to
    that class, which a subclass cannot then extend.)"""

    allow_inherited_tests_method = True
