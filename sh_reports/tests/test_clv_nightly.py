"""The nightly predictions: each company's history fitted once, every
customer's P(alive) and predicted CLV stored for the customers list, the
form and the API, the "At risk" status following P(alive); and the
predicted CLV in ``GET /api/customers/analytics/``."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.sh_customers.api.errors import ApiError
from odoo.addons.sh_customers.tests.common import ShCustomersCommon

from ..analytics import clv
from .test_report_clv import create_garages

AS_OF = "2024-12-31"


@tagged("post_install", "-at_install")
class TestClvNightly(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Before the customers: they get their figures in every company.
        cls.company_2 = cls._second_company()
        # A branch of the test's company: its figures count the whole tree.
        cls.env.company.write({"child_ids": [Command.create({"name": "Basra Branch"})]})
        cls.env.cr.precommit.run()
        cls.branch = cls.env.company.child_ids
        cls.env.user.company_ids |= cls.branch
        cls.customers, cls.invoices = create_garages(cls.env)
        cls.prospect = cls._customer("Kufa Prospect", is_company=True)
        cls.Clv = cls.env["sh.customer.clv"]
        cls.Partner = cls.env["res.partner"]

    def _stored(self, partner, company=None):
        """The narrow row's P(alive) and predicted CLV (NULL until a fit)."""
        [row] = self.env.execute_query(
            SQL(
                "SELECT p_alive, predicted_clv FROM sh_customer_figure"
                " WHERE partner_id = %s AND company_id = %s",
                partner.id,
                (company or self.env.company).id,
            )
        )
        return row

    def test_nightly_job_stores_every_prediction(self):
        """The scheduled action fits the company's history up to today
        once and stores each customer's P(alive) and predicted CLV (12
        months, 1% a month) as ``sh_predict`` answers them; a customer
        without a purchase has none. The second company has no sale: no
        fit, and the values a fit once wrote there are emptied."""
        garage = self.customers[7]
        with freeze_time(AS_OF):
            self.Partner._sh_write_clv_figures(self.company_2, [garage.id], [0.4], [40.0])
        self.assertEqual(self._stored(garage, self.company_2), (0.4, 40.0))
        cron = self.env.ref("sh_reports.ir_cron_sh_refresh_clv_predictions")
        with freeze_time(AS_OF):
            cron.method_direct_trigger()
        expected = self.Clv.sh_predict(as_of=AS_OF)
        self.assertEqual(expected["status"], clv.FITTED)
        self.assertEqual(len(expected["customers"]), 40)
        for row in expected["customers"]:
            partner = self.Partner.browse(row["partner_id"])
            p_alive, predicted_clv = self._stored(partner)
            self.assertAlmostEqual(p_alive, row["p_alive"], places=9)
            self.assertEqual(predicted_clv, round(row["predicted_clv"], 2))
            self.assertEqual(partner.sh_p_alive, round(row["p_alive"], 4))
            self.assertAlmostEqual(partner.sh_predicted_clv, round(row["predicted_clv"], 2))
        self.assertEqual(self._stored(self.prospect), (None, None))
        self.assertEqual(self._stored(garage, self.company_2), (None, None))
        # The branch has its company's fit.
        for partner in self.customers:
            self.assertEqual(self._stored(partner, self.branch), self._stored(partner))
        # The customers list filters and sorts by them.
        below = {row["partner_id"] for row in expected["customers"] if row["p_alive"] < 0.9}
        everyone = [("id", "in", (self.customers | self.prospect).ids)]
        self.assertEqual(set(self.Partner.search([*everyone, ("sh_p_alive", "<", 0.9)]).ids), below)
        self.assertEqual(
            self.Partner.search(
                [("id", "in", self.customers.ids)], order="sh_predicted_clv desc, id"
            ).ids,
            [
                row["partner_id"]
                for row in sorted(
                    expected["customers"],
                    key=lambda row: (-round(row["predicted_clv"], 2), row["partner_id"]),
                )
            ],
        )

    def test_p_alive_below_the_threshold_is_at_risk(self):
        """With a threshold of 1, every repeat customer (P(alive) < 1) who
        is neither new nor churned is At risk after the nightly fit:
        Garage 39 (5 purchases 59 days apart, the last on 19 December, 12
        days before: Active by the gap rule). Garage 35 bought once: its
        P(alive) is 1, not below, and it stays Active. Back to 0.5, the
        next refresh makes Garage 39 Active again."""
        garage_35, garage_39 = self.customers[35], self.customers[39]
        self.env.company.sh_at_risk_p_alive = 1.0
        with freeze_time(AS_OF):
            (garage_35 | garage_39)._sh_refresh_customer_stats()
            self.assertEqual(garage_39.sh_lifecycle_status, "active")
            outcomes = self.Clv.sh_refresh_predictions()
        self.assertEqual(outcomes[self.env.company.root_id.id], clv.FITTED)
        self.assertLess(garage_39.sh_p_alive, 1.0)
        self.assertEqual(garage_39.sh_lifecycle_status, "at_risk")
        self.assertEqual(garage_35.sh_p_alive, 1.0)
        self.assertEqual(garage_35.sh_lifecycle_status, "active")
        self.assertGreater(garage_39.sh_p_alive, 0.5)
        self.env.company.sh_at_risk_p_alive = 0.5
        with freeze_time(AS_OF):
            garage_39._sh_refresh_customer_stats()
        self.assertEqual(garage_39.sh_lifecycle_status, "active")


@tagged("post_install", "-at_install")
class TestClvAnalyticsApi(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers, cls.invoices = create_garages(cls.env)
        # A Customers user who may not read invoices: the fit is the
        # company's, read as a system computation.
        cls.clerk = cls._sales_user("clv_api_clerk")
        cls.Api = cls.env["sh.customer.api"].with_user(cls.clerk)
        cls.route, cls.path_values = cls.Api._sh_api_match("/api/customers/analytics/", "GET")

    def _call(self, **params):
        with freeze_time("2025-01-15"):
            return self.Api._sh_api_call(self.route, self.path_values, params)

    def test_analytics_answers_the_fit(self):
        """The fit as of 31 December 2024 over 6 months: the parameters
        under their names, the log-likelihoods and the hold-out check
        (fitted to 180 days before), as ``sh.customer.clv`` answers them."""
        answer = self._call(as_of=AS_OF, horizon_months="6")
        predicted = answer["clv"]["predicted"]
        self.assertIn("historical", answer["clv"])
        expected = self.env["sh.customer.clv"].sh_predict(as_of=AS_OF, horizon_months=6)
        self.assertEqual(predicted["status"], clv.FITTED)
        self.assertIsNone(predicted["message"])
        self.assertEqual((predicted["as_of"], predicted["horizon_months"]), (AS_OF, 6))
        self.assertEqual(predicted["monthly_discount"], 0.01)
        self.assertEqual(set(predicted["parameters"]), {"r", "alpha", "a", "b", "p", "q", "gamma"})
        for name, value in expected["parameters"].items():
            self.assertAlmostEqual(predicted["parameters"][name], value, places=9)
        self.assertEqual(predicted["log_likelihood"], expected["log_likelihood"])
        self.assertEqual(predicted["predicted_clv"], round(expected["predicted_clv"], 2))
        self.assertEqual((predicted["customers"], predicted["repeat_customers"]), (40, 32))
        holdout = predicted["holdout"]
        self.assertEqual(holdout["calibration_end"], str(date(2024, 7, 4)))
        self.assertEqual(holdout["status"], clv.FITTED)
        diagnostic = holdout["diagnostic"]
        self.assertEqual(len(diagnostic["by_frequency"]), 8)
        # The purchase days after 4 July 2024, counted from the invoices.
        days = {
            (move.partner_id, move.invoice_date)
            for move in self.invoices
            if move.invoice_date > date(2024, 7, 4)
        }
        self.assertEqual(diagnostic["actual"], len(days))

    def test_too_little_history(self):
        """As of 31 January 2024 two customers bought again: no fit, a
        message, no parameters, the historical CLV (728, see the report's
        test) and no prediction."""
        predicted = self._call(as_of="2024-01-31")["clv"]["predicted"]
        self.assertEqual(predicted["status"], clv.TOO_LITTLE_HISTORY)
        self.assertIn("Too little history", predicted["message"])
        self.assertIsNone(predicted["parameters"])
        self.assertIsNone(predicted["log_likelihood"])
        self.assertIsNone(predicted["predicted_clv"])
        self.assertEqual(predicted["historical_clv"], 728.0)
        self.assertIsNone(predicted["holdout"]["diagnostic"])

    def test_bad_input_is_refused(self):
        for params, status, message in (
            ({"horizon_months": "0"}, 422, "horizon_months"),
            ({"horizon_months": "121"}, 422, "horizon_months"),
            ({"monthly_discount": "1"}, 422, "monthly_discount"),
            ({"holdout_days": "0"}, 422, "holdout_days"),
            ({"as_of": "2025-01-16"}, 422, "as_of cannot be after today"),
            ({"horizon_months": "soon"}, 400, "horizon_months"),
        ):
            with self.subTest(params=params), self.assertRaises(ApiError) as caught:
                self._call(**params)
            self.assertEqual(caught.exception.status, status, caught.exception.message)
            self.assertIn(message, caught.exception.message)

    def test_openapi_document(self):
        document = self.Api.get_openapi()
        operation = document["paths"]["/api/customers/analytics/"]["get"]
        names = {parameter.get("name") for parameter in operation["parameters"]}
        self.assertLessEqual({"as_of", "horizon_months", "monthly_discount", "holdout_days"}, names)
        schemas = document["components"]["schemas"]
        self.assertEqual(
            schemas["Analytics"]["properties"]["clv"]["properties"]["predicted"],
            {"$ref": "#/components/schemas/PredictedClv"},
        )
        self.assertLessEqual(
            {"parameters", "log_likelihood", "holdout"}, set(schemas["PredictedClv"]["required"])
        )
