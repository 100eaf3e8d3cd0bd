"""``POST /api/customers/merge/`` over HTTP: the preview with ``dry_run``
changes nothing; the merge moves everything and archives the others; bad
ids and refusals answer 4xx with a clear message and change nothing."""

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .api_common import ShApiCase
from .common import ShCustomersCommon

TODAY = "2026-04-01"
PATH = "/api/customers/merge/"
MANAGER = "sh_customers.sh_customers_group_manager,account.group_account_invoice"
USER = "sh_customers.sh_customers_group_user,account.group_account_invoice"


@tagged("post_install", "-at_install")
class TestCustomersMergeApi(ShCustomersCommon, HttpCase, ShApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.company_b = cls._second_company(name="Branch B")
        with freeze_time(TODAY):
            cls.kept = cls._customer("Alice Garage", company_id=company.id)
            cls.dup = cls._customer("ALICE garage", company_id=company.id)
            cls._invoice(cls.kept, 1000.0, "2026-03-01", taxes=cls.tax_15)
            cls._invoice(cls.dup, 200.0, "2026-03-20", invoice_date_due="2026-04-20")
            cls.dave = cls._customer("Dave of B", company_id=cls.company_b.id)
        cls.manager, cls.manager_key = cls._api_user("api_merge_manager", MANAGER)
        cls.clerk, cls.clerk_key = cls._api_user("api_merge_clerk", USER)

    def _state(self):
        self.env.invalidate_all()
        return [
            (partner.active, self._credit(partner), len(partner.message_ids))
            for partner in (self.kept, self.dup, self.dave)
        ]

    def test_dry_run_answers_the_preview_and_changes_nothing(self):
        before = self._state()
        body = {"target_id": self.kept.id, "source_ids": [self.dup.id], "dry_run": True}
        with freeze_time(TODAY):
            status, answer = self.api(PATH, self.manager_key, method="POST", body=body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            (answer["dry_run"], answer["target_id"], answer["source_ids"]),
            (True, self.kept.id, [self.dup.id]),
        )
        self.assertEqual(
            [(c["id"], c["survivor"]) for c in answer["customers"]],
            [(self.kept.id, True), (self.dup.id, False)],
        )
        kept, dup = (customer["values"] for customer in answer["customers"])
        # 1000 + 15% tax, overdue; 200 due on 2026-04-20.
        self.assertEqual((kept["debt"], kept["overdue"]), (1150.0, 1150.0))
        self.assertEqual((dup["debt"], dup["overdue"]), (200.0, 0.0))
        self.assertEqual(answer["totals"]["debt"], 1350.0)
        self.assertEqual(answer["totals"]["invoices"], 2)
        self.assertIn({"key": "debt", "label": "Debt", "type": "monetary"}, answer["rows"])
        self.assertEqual(self._state(), before)

    def test_merge(self):
        body = {"target_id": self.kept.id, "source_ids": [self.dup.id, self.dup.id]}
        with freeze_time(TODAY):
            status, answer = self.api(PATH, self.manager_key, method="POST", body=body)
        self.assertEqual(status, 200, answer)
        self.assertFalse(answer["dry_run"])
        self.assertEqual(answer["source_ids"], [self.dup.id])
        self.env.invalidate_all()
        self.assertFalse(self.dup.active)
        self.assertEqual(self._credit(self.kept), 1350.0)

    def test_bad_requests_change_nothing(self):
        before = self._state()
        cases = [
            (
                403,
                {"target_id": self.kept.id, "source_ids": [self.dup.id]},
                self.clerk_key,
                "Only Customers managers may merge customers.",
            ),
            (
                404,
                {"target_id": 999999999, "source_ids": [self.dup.id]},
                self.manager_key,
                "No customer 999999999.",
            ),
            (
                404,
                {"target_id": self.kept.id, "source_ids": [self.dave.id]},
                self.manager_key,
                f"No customer {self.dave.id}.",
            ),
            (
                422,
                {"target_id": self.kept.id, "source_ids": [self.kept.id, self.dup.id]},
                self.manager_key,
                "Alice Garage is the customer kept: it cannot also be merged into itself.",
            ),
            (
                422,
                {"target_id": self.kept.id, "source_ids": []},
                self.manager_key,
                "source_ids must not be empty.",
            ),
            (422, {"source_ids": [self.dup.id]}, self.manager_key, "target_id is required."),
            (
                422,
                {"target_id": self.kept.id, "source_ids": [0]},
                self.manager_key,
                "source_ids must be at least 1.",
            ),
            (
                400,
                {"target_id": self.kept.id, "source_ids": "12"},
                self.manager_key,
                "source_ids must be a list of integers.",
            ),
            (
                400,
                {"target_id": self.kept.id, "source_ids": ["12"]},
                self.manager_key,
                "source_ids must be an integer.",
            ),
            (
                400,
                {"target_id": self.kept.id, "source_ids": [self.dup.id], "keep": "all"},
                self.manager_key,
                "Unknown parameter: keep.",
            ),
        ]
        with freeze_time(TODAY):
            for status, body, key, message in cases:
                with self.subTest(body=body):
                    self.assertEqual(
                        self.assertApiError(status, PATH, key, method="POST", body=body), message
                    )
        self.assertEqual(self._state(), before)

    def test_refusals_in_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.manager.lang = "ar_001"
        self.clerk.lang = "ar_001"
        body = {"target_id": self.kept.id, "source_ids": [self.kept.id]}
        with freeze_time(TODAY):
            message = self.assertApiError(422, PATH, self.manager_key, method="POST", body=body)
            self.assertEqual(
                message, "Alice Garage هو العميل المحتفظ به: لا يمكن دمجه في نفسه أيضًا."
            )
            message = self.assertApiError(403, PATH, self.clerk_key, method="POST", body=body)
            self.assertEqual(message, "لا يدمج العملاءَ إلا مديرو تطبيق العملاء.")
        self.assertTrue(self.kept.active)

    def test_route_answers_as_documented(self):
        with freeze_time(TODAY):
            walked = self.walk_openapi(
                self.manager_key,
                self.kept.id,
                bodies={
                    PATH: {"target_id": self.kept.id, "source_ids": [self.dup.id], "dry_run": True}
                },
                paths=[PATH],
            )
        self.assertEqual(walked, [("post", PATH)])
        _status, document = self.api("/api/customers/openapi.json")
        body = document["paths"][PATH]["post"]["requestBody"]["content"]["application/json"]
        source_ids = body["schema"]["properties"]["source_ids"]
        self.assertEqual(
            (source_ids["type"], source_ids["minItems"], source_ids["maxItems"]),
            ("array", 1, 50),
        )
        self.assertTrue(self.dup.active)
