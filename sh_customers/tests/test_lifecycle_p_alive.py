"""The "At risk" status from P(alive): the rule with a stored P(alive) and
the company's threshold, and the predictions' storage: written per company,
empty until written, filtered and sorted in the customers list, answered
by the API, and the status computed again when P(alive) crosses the
threshold."""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from ..figures.rules import (
    LIFECYCLE_STATUSES,
    lifecycle_is_sql,
    lifecycle_status_sql,
    purchase_gap_sql,
)
from .common import ShCustomersCommon

TODAY = "2026-01-10"


@tagged("post_install", "-at_install")
class TestLifecyclePAlive(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls._second_company()
        with freeze_time(TODAY):
            # Bought on 1 October, 1 November and 1 December 2025: a usual
            # gap of 61 / 2 = 30.5 days, 40 days since the last purchase on
            # 10 January (less than 2 x 30.5), 101 days since the first
            # (more than the 90 days of a new customer): Active.
            cls.garage = cls._customer("Karbala Garage", is_company=True)
            for day in ("2025-10-01", "2025-11-01", "2025-12-01"):
                cls._invoice(cls.garage, 100.0, day)
            cls.prospect = cls._customer("Najaf Prospect", is_company=True)
        cls.Partner = cls.env["res.partner"]

    def _predictions(self, partner, company):
        """The stored P(alive) and predicted CLV of the narrow row (NULL
        until a fit wrote them)."""
        [row] = self.env.execute_query(
            SQL(
                "SELECT p_alive, predicted_clv FROM sh_customer_figure"
                " WHERE partner_id = %s AND company_id = %s",
                partner.id,
                company.id,
            )
        )
        return row

    def _write(self, partner_ids, p_alive, predicted_clv, company=None):
        with freeze_time(TODAY):
            return self.Partner._sh_write_clv_figures(
                company or self.env.company, partner_ids, p_alive, predicted_clv
            )

    def test_rule_with_p_alive(self):
        """At risk when P(alive) is below the threshold or by the gap rule;
        a P(alive) equal to the threshold or unknown leaves the gap rule
        alone; New and Churned are tried first."""
        settings = {
            "new_days": 90,
            "churn_days": 365,
            "gap_factor": 2.0,
            "p_alive_threshold": 0.5,
        }
        # day, first purchase, last purchase, invoices, P(alive)
        customers = [
            ("2026-06-30", "2026-01-01", "2026-05-01", 5, 0.3),  # gap 30, 60 days: at risk
            ("2026-06-30", "2026-01-01", "2026-05-01", 5, 0.5),  # at the threshold: active
            ("2026-06-30", "2026-01-01", "2026-05-01", 5, None),  # not fitted: active
            ("2026-06-30", "2026-01-01", "2026-04-30", 5, 0.9),  # 61 days > 2 x 29.8: at risk
            ("2026-06-30", "2026-04-01", "2026-04-01", 1, 0.1),  # new, 90 days
            ("2026-06-30", "2025-01-01", "2025-06-29", 3, 0.1),  # churned, 366 days
            ("2026-06-30", None, None, 0, None),  # prospect
        ]
        values = SQL(", ").join(
            SQL("(%s::date, %s::date, %s::date, %s, %s::float8)", *customer)
            for customer in customers
        )
        arguments = (
            SQL("day"),
            SQL("first_date"),
            SQL("last_date"),
            SQL("invoice_count"),
            purchase_gap_sql(SQL("first_date"), SQL("last_date"), SQL("invoice_count")),
            settings,
        )
        statuses = [key for key, _label in LIFECYCLE_STATUSES]
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, ARRAY[%s] FROM (VALUES %s) AS customer"
                "(day, first_date, last_date, invoice_count, p_alive)",
                lifecycle_status_sql(*arguments, p_alive=SQL("p_alive")),
                SQL(", ").join(
                    lifecycle_is_sql(status, *arguments, p_alive=SQL("p_alive"))
                    for status in statuses
                ),
                values,
            )
        )
        self.assertEqual(
            [status for status, _conditions in rows],
            ["at_risk", "active", "active", "at_risk", "new", "churned", "prospect"],
        )
        for status, conditions in rows:
            self.assertEqual(
                [key for key, holds in zip(statuses, conditions, strict=True) if holds],
                [status],
            )

    def test_predictions_move_the_status(self):
        """P(alive) 0.2 < 0.5 makes the active garage At risk at once; 0.8
        makes it Active again; emptied, the gap rule alone decides."""
        self.assertEqual(self.garage.sh_lifecycle_status, "active")
        self.assertEqual(self._predictions(self.garage, self.env.company), (None, None))

        crossed = self._write([self.garage.id], [0.2], [123.45])
        self.assertEqual(crossed, self.garage)
        self.assertEqual(self.garage.sh_lifecycle_status, "at_risk")
        self.assertEqual(self._predictions(self.garage, self.env.company), (0.2, 123.45))
        self.assertAlmostEqual(self.garage.sh_p_alive, 0.2)
        self.assertAlmostEqual(self.garage.sh_predicted_clv, 123.45)
        # The customers list filters and sorts by them; a customer without
        # a prediction is not one with a P(alive) of 0.
        both = [("id", "in", (self.garage | self.prospect).ids)]
        self.assertEqual(self.Partner.search([*both, ("sh_p_alive", "<", 0.5)]), self.garage)
        self.assertEqual(self.Partner.search([*both, ("sh_p_alive", ">", 0.2)]), self.Partner)
        self.assertEqual(self.Partner.search([*both, ("sh_p_alive", "=", False)]), self.prospect)
        self.assertEqual(
            self.Partner.search([*both, ("sh_predicted_clv", "!=", False)]), self.garage
        )
        self.assertEqual(self.prospect.sh_p_alive, 0.0)
        self.assertEqual(
            self.Partner.search(both, order="sh_predicted_clv desc nulls last").ids,
            [self.garage.id, self.prospect.id],
        )
        # A new value on the same side of the threshold changes no status.
        self.assertFalse(self._write([self.garage.id], [0.3], [100.0]))

        crossed = self._write([self.garage.id], [0.8], [200.0])
        self.assertEqual(crossed, self.garage)
        self.assertEqual(self.garage.sh_lifecycle_status, "active")

        # A fit without the garage (or no fit) empties its values.
        self._write([self.garage.id], [0.1], [10.0])
        self.assertEqual(self.garage.sh_lifecycle_status, "at_risk")
        crossed = self._write([], [], [])
        self.assertEqual(crossed, self.garage)
        self.assertEqual(self._predictions(self.garage, self.env.company), (None, None))
        self.assertEqual(self.garage.sh_lifecycle_status, "active")

    def test_predictions_are_per_company(self):
        """A fit of the second company leaves the first's values alone."""
        self._write([self.garage.id], [0.9], [50.0])
        self._write([self.garage.id], [0.1], [5.0], company=self.company_2)
        self.assertEqual(self._predictions(self.garage, self.env.company), (0.9, 50.0))
        self.assertEqual(self._predictions(self.garage, self.company_2), (0.1, 5.0))
        self.assertAlmostEqual(self.garage.sh_p_alive, 0.9)
        self.assertAlmostEqual(self.garage.with_company(self.company_2).sh_p_alive, 0.1)
        # No sale in the second company: a prospect there, whatever P(alive).
        self.assertEqual(self.garage.with_company(self.company_2).sh_lifecycle_status, "prospect")
        self.assertEqual(self.garage.sh_lifecycle_status, "active")

    def test_threshold(self):
        """The threshold is a company setting from 0 to 1: the statuses
        follow a change at once; a value outside is refused and changes
        nothing."""
        self._write([self.garage.id], [0.6], [60.0])
        self.assertEqual(self.garage.sh_lifecycle_status, "active")
        self.assertEqual(self.env.company.sh_at_risk_p_alive, 0.5)
        with freeze_time(TODAY):
            self.env.company.sh_at_risk_p_alive = 0.7
        self.assertEqual(self.garage.sh_lifecycle_status, "at_risk")
        # The second company's threshold leaves the first's statuses alone.
        with freeze_time(TODAY):
            self.company_2.sh_at_risk_p_alive = 0.1
        self.assertEqual(self.garage.sh_lifecycle_status, "at_risk")
        with freeze_time(TODAY):
            self.env.company.sh_at_risk_p_alive = 0.6
        self.assertEqual(self.garage.sh_lifecycle_status, "active")
        self.env.company.sh_at_risk_p_alive = 0.7
        for value in (1.5, -0.1):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValidationError, "between 0 and 1"),
                self.env.cr.savepoint(),
            ):
                self.env.company.sh_at_risk_p_alive = value
                self.env.company.flush_recordset()
        self.env.company.invalidate_recordset()
        self.assertEqual(self.env.company.sh_at_risk_p_alive, 0.7)

    def test_api_answers_the_predictions(self):
        """``GET /api/customers/{id}/`` answers P(alive) and the predicted
        CLV, null until a fit wrote them."""
        user = self._sales_user("p_alive_api_clerk")
        api = self.env["sh.customer.api"].with_user(user)
        answer = api.get_customer(str(self.garage.id))
        self.assertEqual((answer["p_alive"], answer["predicted_clv"]), (None, None))
        self._write([self.garage.id], [0.25], [99.99])
        answer = api.get_customer(str(self.garage.id))
        self.assertEqual((answer["p_alive"], answer["predicted_clv"]), (0.25, 99.99))
        answer = api.get_customer(str(self.prospect.id))
        self.assertEqual((answer["p_alive"], answer["predicted_clv"]), (None, None))
        summary = api.get_openapi()["components"]["schemas"]["CustomerSummary"]
        self.assertLessEqual({"p_alive", "predicted_clv"}, set(summary["required"]))

    def test_form_shows_the_predictions(self):
        """The customer form reads them, empty for a customer being created
        and for a contact of a customer, its company's."""
        self._write([self.garage.id], [0.35], [70.0])
        view = "sh_customers.res_partner_view_form_sh_customers"
        form = Form(self.Partner.with_context(default_is_company=True), view=view)
        form.name = "Hilla Spares"
        self.assertEqual((form.sh_p_alive, form.sh_predicted_clv), (0.0, 0.0))
        self.assertEqual(form.save().sh_predicted_clv, 0.0)
        with Form(self.garage, view=view) as form:
            self.assertEqual((form.sh_p_alive, form.sh_predicted_clv), (0.35, 70.0))
        contact = self._customer("Karbala Garage, Ali", parent_id=self.garage.id)
        self.assertEqual(contact.sh_p_alive, 0.35)
