"""Tests of the report Customer Lifetime Value: its options, its cards and
tables with and without a fit, the customer filters against the fit on the
company's whole history, the hold-out check, and who may open it."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon


def create_garages(env):
    """40 customers: Garage i first buys on day 3 i of 2024 and then every
    20 + i days, 1 + i % 5 times in all (the last by 19 December 2024), an
    invoice of 50 + 10 k + i for its k-th purchase; 32 of them buy again.
    Garages 0-9 are workshops. Returns the customers and their invoices."""
    customers = env["res.partner"].create(
        [
            {
                "name": f"Garage {i:02d}",
                "is_company": True,
                "sh_customer_type": "workshop" if i < 10 else "retail",
            }
            for i in range(40)
        ]
    )
    start = date(2024, 1, 1)
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": start + timedelta(days=3 * i + k * (20 + i)),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Parts", "quantity": 1, "price_unit": 50.0 + 10 * k + i}
                    )
                ],
            }
            for i, customer in enumerate(customers)
            for k in range(1 + i % 5)
        ]
    )
    invoices.action_post()
    return customers, invoices


def _history_value(i):
    """Net sales of Garage i (see setUpClass): n = 1 + i % 5 invoices of
    50 + 10 k + i, k = 0 .. n - 1: n (50 + i) + 10 n (n - 1) / 2."""
    n = 1 + i % 5
    return n * (50 + i) + 10 * n * (n - 1) / 2


@tagged("post_install", "-at_install")
class TestReportClv(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_user")
        cls.customers, cls.invoices = create_garages(cls.env)
        cls.Report = cls.env["sh.report.clv"]

    def _report(self, **options):
        with freeze_time("2025-01-15"):
            return self.Report.get_report_data(options)

    @staticmethod
    def _part(data, kind, key):
        return next((part for part in data[kind] if part["key"] == key), None)

    def _card(self, data, key):
        card = self._part(data, "cards", key)
        return card and card["value"]

    def test_options(self):
        """Defaults: 12 months, 1% a month, a hold-out of 180 days; a bad
        option is refused with what to enter instead."""
        ctx = self.Report._sh_report_context({"as_of": "2024-12-31"})
        self.assertEqual(
            (ctx["horizon_months"], ctx["monthly_discount"], ctx["holdout_days"]),
            (12, 0.01, 180),
        )
        ctx = self.Report._sh_report_context(
            {"horizon_months": "6", "monthly_discount": "0.02", "holdout_days": 90}
        )
        self.assertEqual(
            (ctx["horizon_months"], ctx["monthly_discount"], ctx["holdout_days"]), (6, 0.02, 90)
        )
        for options, message in (
            ({"horizon_months": 0}, "The horizon must be a whole number of months"),
            ({"horizon_months": 1.5}, "The horizon must be a whole number of months"),
            ({"horizon_months": "soon"}, "The horizon must be a whole number of months"),
            ({"horizon_months": 121}, "from 1 to 120"),
            ({"monthly_discount": -0.01}, "such as 0.01 for 1% a month"),
            ({"monthly_discount": 1}, "such as 0.01 for 1% a month"),
            ({"monthly_discount": True}, "such as 0.01 for 1% a month"),
            ({"holdout_days": 0}, "The hold-out period must be a whole number of days"),
        ):
            with self.subTest(options=options), self.assertRaisesRegex(UserError, message):
                self.Report.get_report_data(options)

    def test_too_little_history_shows_historical_clv(self):
        """As of 31 January 2024, Garages 0-10 have bought (day 3 i <= 30)
        and only Garages 1 and 2 bought again (days 24 and 28): 2 repeat
        customers, far from 30. The report says so and shows the historical
        CLV alone: sum of 50 + i for i = 0..10 = 605, plus the repeat
        purchases 61 and 62 = 728."""
        data = self._report(as_of="2024-01-31")
        self.assertEqual(len(data["messages"]), 1)
        self.assertIn("Too little history", data["messages"][0])
        self.assertEqual(self._card(data, "historical_clv"), 728.0)
        self.assertEqual(self._card(data, "customers"), 11)
        self.assertEqual(self._card(data, "repeat_customers"), 2)
        self.assertIsNone(self._part(data, "cards", "predicted_clv"))
        self.assertIsNone(self._part(data, "tables", "parameters"))
        self.assertIsNone(self._part(data, "tables", "holdout"))
        self.assertEqual(data["charts"], [])
        table = self._part(data, "tables", "customers")
        self.assertEqual(
            [column["key"] for column in table["columns"]],
            ["code", "customer", "frequency", "historical_clv"],
        )
        # Ranked by historical CLV: Garage 2 (52 + 62 = 114), Garage 1
        # (51 + 61 = 112), then Garages 10 .. 3 and 0 by their one invoice.
        self.assertEqual(
            [(row["customer"], row["historical_clv"]) for row in table["rows"][:3]],
            [("Garage 02", 114.0), ("Garage 01", 112.0), ("Garage 10", 60.0)],
        )
        self.assertEqual(table["rows"][0]["_res_id"], self.customers[2].id)
        self.assertEqual(table["totals"]["historical_clv"], 728.0)

    def test_fitted_report(self):
        """As of 31 December 2024 the models are fitted on 40 customers, 32
        of them repeat customers: the parameters with their standard errors
        and log-likelihoods, the predicted CLV of every customer ranked, and
        totals equal to the sums of the rows."""
        data = self._report(as_of="2024-12-31", horizon_months=6, monthly_discount=0.02)
        self.assertEqual(data["messages"], [])
        expected = self.env["sh.customer.clv"].sh_predict(
            as_of="2024-12-31", horizon_months=6, monthly_discount=0.02
        )
        # Every invoice is dated by 19 December: the sum of every garage's
        # n (50 + i) + 10 n (n - 1) / 2.
        historical = sum(_history_value(i) for i in range(40))
        self.assertEqual(self._card(data, "historical_clv"), round(historical, 2))
        self.assertEqual(self._card(data, "customers"), 40)
        self.assertEqual(self._card(data, "repeat_customers"), 32)
        self.assertAlmostEqual(
            self._card(data, "predicted_clv"), round(expected["predicted_clv"], 2), places=2
        )
        mean_p_alive = sum(row["p_alive"] for row in expected["customers"]) / 40 * 100
        self.assertAlmostEqual(self._card(data, "mean_p_alive"), round(mean_p_alive, 2), places=2)

        parameters = self._part(data, "tables", "parameters")
        self.assertEqual(
            [row["parameter"] for row in parameters["rows"]],
            ["r", "alpha", "a", "b", "p", "q", "gamma", "log-likelihood", "log-likelihood"],
        )
        by_name = {row["parameter"]: row for row in parameters["rows"][:7]}
        for name, value in expected["parameters"].items():
            self.assertAlmostEqual(by_name[name]["value"], value, places=6)
        self.assertEqual(
            [row["value"] for row in parameters["rows"][7:]],
            [expected["log_likelihood"]["bgnbd"], expected["log_likelihood"]["gamma_gamma"]],
        )
        self.assertIn("40 customers, 32 of whom bought again", parameters["help"])

        table = self._part(data, "tables", "customers")
        self.assertEqual(len(table["rows"]), 40)
        self.assertEqual(
            [row["_res_id"] for row in table["rows"]],
            [row["partner_id"] for row in expected["customers"]],
        )
        predicted = [row["predicted_clv"] for row in table["rows"]]
        self.assertEqual(predicted, sorted(predicted, reverse=True))
        garage_4 = next(row for row in table["rows"] if row["_res_id"] == self.customers[4].id)
        # 54 + 64 + 74 + 84 + 94 = 370, four repeat purchases.
        self.assertEqual((garage_4["frequency"], garage_4["historical_clv"]), (4, 370.0))
        self.assertTrue(0 <= garage_4["p_alive"] <= 100)
        self.assertEqual(table["totals"]["historical_clv"], round(historical, 2))
        self.assertAlmostEqual(
            table["totals"]["predicted_clv"], self._card(data, "predicted_clv"), places=2
        )
        # The P(alive) chart: every customer in its quarter, opening them.
        chart = self._part(data, "charts", "p_alive")
        self.assertEqual(chart["labels"], ["0% to 25%", "25% to 50%", "50% to 75%", "75% to 100%"])
        counts = [0, 0, 0, 0]
        for row in expected["customers"]:
            counts[min(int(row["p_alive"] * 4), 3)] += 1
        self.assertEqual(chart["datasets"][0]["data"], counts)
        self.assertEqual(sum(len(domain[-1][2]) for domain in chart["domains"]), 40)

    def test_filters_choose_the_customers_not_the_fit(self):
        """The workshops (Garages 0-9) are the report's customers; the fit
        stays the company's: the same parameters as without the filter.
        Historical CLV: 50 + 112 + 186 + 272 + 370 + 55 + 122 + 201 + 292
        + 395 = 2055; 8 of them bought again (i % 5 >= 1)."""
        everyone = self._report(as_of="2024-12-31")
        data = self._report(as_of="2024-12-31", customer_type="workshop")
        self.assertEqual(self._card(data, "historical_clv"), 2055.0)
        self.assertEqual(self._card(data, "customers"), 10)
        self.assertEqual(self._card(data, "repeat_customers"), 8)
        table = self._part(data, "tables", "customers")
        self.assertEqual({row["_res_id"] for row in table["rows"]}, set(self.customers[:10].ids))
        self.assertEqual(table["totals"]["historical_clv"], 2055.0)
        # The predicted CLV of the workshops: the sum of their rows.
        self.assertAlmostEqual(
            self._card(data, "predicted_clv"),
            sum(row["predicted_clv"] for row in table["rows"]),
            delta=0.01 * len(table["rows"]),
        )
        self.assertLess(self._card(data, "predicted_clv"), self._card(everyone, "predicted_clv"))
        self.assertEqual(
            self._part(data, "tables", "parameters")["rows"],
            self._part(everyone, "tables", "parameters")["rows"],
        )

    def test_holdout_check(self):
        """Fitted up to 90 days before 31 December 2024 (2 October), the
        repeat purchases predicted for the 90 days after against the purchase
        days the customers made in them, per number of repeat purchases
        before; the chart shows both series."""
        data = self._report(as_of="2024-12-31", holdout_days=90)
        table = self._part(data, "tables", "holdout")
        self.assertEqual(
            [row["frequency"] for row in table["rows"]],
            ["0", "1", "2", "3", "4", "5", "6", "7 or more"],
        )
        holdout_days = {
            (move.partner_id.id, move.invoice_date)
            for move in self.invoices
            if move.invoice_date > date(2024, 10, 2)
        }
        self.assertEqual(table["totals"]["actual"], len(holdout_days))
        self.assertEqual(sum(row["actual"] for row in table["rows"]), len(holdout_days))
        # Customers who bought by 2 October: Garage i's first day 3 i is
        # always before it, so all 40.
        self.assertEqual(table["totals"]["customers"], 40)
        self.assertEqual(sum(row["customers"] for row in table["rows"]), 40)
        # The row "0" opens the garages with one purchase day by 2 October.
        calibration_days = {}
        for move in self.invoices:
            if move.invoice_date <= date(2024, 10, 2):
                calibration_days.setdefault(move.partner_id.id, set()).add(move.invoice_date)
        once = {partner_id for partner_id, days in calibration_days.items() if len(days) == 1}
        zero = table["rows"][0]
        self.assertEqual(zero["customers"], len(once))
        self.assertEqual(set(zero["_domain"][-1][2]), once)
        chart = self._part(data, "charts", "holdout")
        self.assertEqual([dataset["key"] for dataset in chart["datasets"]], ["predicted", "actual"])
        self.assertEqual(chart["datasets"][1]["data"], [row["actual"] for row in table["rows"]])
        self.assertEqual(len(chart["domains"]), 8)

    def test_holdout_too_early_to_check(self):
        """A hold-out of 300 days leaves the history to 6 March 2024, when
        few garages had bought again: the report keeps its prediction and
        says why the fit is not checked."""
        data = self._report(as_of="2024-12-31", holdout_days=300)
        self.assertIsNotNone(self._part(data, "tables", "parameters"))
        self.assertIsNone(self._part(data, "tables", "holdout"))
        self.assertIsNone(self._part(data, "charts", "holdout"))
        [message] = data["messages"]
        self.assertIn("Too little history before 03/06/2024 to check the fit", message)

    def test_who_may_open_it(self):
        """A Customers user without access to invoices sees the same report
        (the fit reads the company's history as a system computation); an
        internal user without the Customers app cannot open it."""
        user = self._sales_user("clv_sales")
        data = self.Report.with_user(user).get_report_data({"as_of": "2024-12-31"})
        admin = self.Report.get_report_data({"as_of": "2024-12-31"})
        self.assertEqual(self._card(data, "historical_clv"), self._card(admin, "historical_clv"))
        self.assertEqual(self._card(data, "customers"), 40)
        outsider = self._outsider("clv_outsider")
        with self.assertRaises(AccessError):
            self.Report.with_user(outsider).get_report_data({"as_of": "2024-12-31"})
