from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .api_common import ShApiCase
from .common import ShCustomersCommon

TODAY = "2026-04-01"
USER = "sh_customers.sh_customers_group_user"
BILLING = "account.group_account_invoice"
PATH = "/api/customers/{id}/timeline/"


@tagged("post_install", "-at_install")
class TestCustomerTimelineApi(ShCustomersCommon, HttpCase, ShApiCase):
    """``GET /api/customers/{id}/timeline/``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._second_company(name="Branch B")
        with freeze_time(TODAY):
            cls.garage = cls._customer("Mosul Garage")
            # 1000 + 15% = 1150, 500 paid (650), 200 + 15% = 230 credited: 420 owed.
            cls.invoice = cls._invoice(cls.garage, 1000.0, "2026-01-10", taxes=cls.tax_15)
            cls._pay(cls.invoice, amount=500.0, date="2026-02-01")
            cls.refund = cls._invoice(
                cls.garage, 200.0, "2026-03-01", move_type="out_refund", taxes=cls.tax_15
            )
            cls.stranger = cls._customer("Of Branch B", company_id=cls.company_b.id)
        cls.accountant, cls.accountant_key = cls._api_user(
            "timeline_api_accountant", f"{USER},{BILLING}", cls.env.company, tz="UTC"
        )
        cls.clerk, cls.clerk_key = cls._api_user("timeline_api_clerk", USER, cls.env.company)

    def _path(self, partner):
        return PATH.replace("{id}", str(partner.id))

    def test_timeline(self):
        status, answer = self.api(
            self._path(self.garage),
            self.accountant_key,
            params={"kinds": "invoice,credit_note,payment"},
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            [(e["kind"], e["date"], e["amount"], e["debt"]) for e in answer["events"]],
            [
                ("credit_note", "2026-03-01", -230.0, 420.0),
                ("payment", "2026-02-01", -500.0, 650.0),
                ("invoice", "2026-01-10", 1150.0, 1150.0),
            ],
        )
        self.assertEqual(
            (answer["customer_id"], answer["limit"], answer["offset"], answer["has_more"]),
            (self.garage.id, 50, 0, False),
        )
        self.assertTrue(answer["show_debt"])
        # One page of one event, from the second.
        status, answer = self.api(
            self._path(self.garage),
            self.accountant_key,
            params={"kinds": "invoice,credit_note,payment", "limit": "1", "offset": "1"},
        )
        self.assertEqual([e["kind"] for e in answer["events"]], ["payment"])
        self.assertTrue(answer["has_more"])
        # A period.
        status, answer = self.api(
            self._path(self.garage),
            self.accountant_key,
            params={"date_from": "2026-01-01", "date_to": "2026-01-31"},
        )
        self.assertEqual([e["kind"] for e in answer["events"]], ["invoice"])

    def test_clerk_sees_no_money(self):
        status, answer = self.api(self._path(self.garage), self.clerk_key)
        self.assertEqual(status, 200, answer)
        money = {"invoice", "credit_note", "payment", "reconciliation", "entry"}
        self.assertFalse([e for e in answer["events"] if e["kind"] in money])
        self.assertFalse(answer["show_debt"])

    def test_other_company_customer_is_not_found(self):
        message = self.assertApiError(404, self._path(self.stranger), self.accountant_key)
        self.assertEqual(message, f"No customer {self.stranger.id}.")

    def test_bad_parameters(self):
        path = self._path(self.garage)
        cases = [
            (400, {"limit": "many"}, "limit must be an integer."),
            (422, {"limit": "0"}, "limit must be at least 1."),
            (400, {"date_from": "01/02/2026"}, None),
            (
                422,
                {"date_from": "2026-03-01", "date_to": "2026-01-01"},
                "date_from must not be after date_to.",
            ),
            (422, {"kinds": "invoice,visit"}, "Unknown kinds of events: visit; use some of: "),
            (400, {"page": "2"}, "Unknown parameter: page."),
        ]
        for status, params, message in cases:
            with self.subTest(params=params):
                answer = self.assertApiError(status, path, self.accountant_key, params=params)
                if message:
                    self.assertTrue(answer.startswith(message), answer)

    def test_answers_as_documented(self):
        with freeze_time(TODAY):
            walked = self.walk_openapi(self.accountant_key, self.garage.id, bodies={}, paths=[PATH])
        self.assertEqual(walked, [("get", PATH)])
