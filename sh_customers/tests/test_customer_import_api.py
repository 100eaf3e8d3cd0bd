"""``POST /api/customers/import/`` over HTTP: a dry run, the import, a
replay of its Idempotency-Key, a file, and every refusal (4xx with a clear
message, nothing written)."""

import base64

from odoo.tests import HttpCase, tagged

from .api_common import ShApiCase
from .test_customer_import import MANAGER_GROUPS, ShCustomerImportCommon

PATH = "/api/customers/import/"
COLUMNS = (
    "The columns are: sh_customer_code, name, sh_customer_type, mobile, phone, email, vat, "
    "user_id, street, city, zip, country_id."
)


@tagged("post_install", "-at_install")
class TestCustomerImportApi(ShCustomerImportCommon, HttpCase, ShApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_manager, cls.manager_key = cls._api_user("api_import_manager", MANAGER_GROUPS)
        cls.api_clerk, cls.clerk_key = cls._api_user(
            "api_import_clerk", "sh_customers.sh_customers_group_user"
        )

    def _rows(self):
        return [
            {"name": "شركة الأسطول", "mobile": "٠٥٥٥٥٥١٢٣٤", "sh_customer_type": "fleet"},
            {"name": "Garage Al Noor", "email": "NOOR@garage.example", "city": "Dammam"},
            {"name": "Broken", "email": "broken@"},
        ]

    def test_dry_run_then_import_once(self):
        before = self._snapshot()
        status, answer = self.api(
            PATH, self.manager_key, "POST", body={"rows": self._rows(), "dry_run": True}
        )
        self.assertEqual(status, 200, answer)
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(
            answer,
            {
                "dry_run": True,
                "mode": "all_or_nothing",
                "on_match": "update",
                "applied": False,
                "counts": {"created": 1, "updated": 1, "skipped": 0, "rejected": 1},
                "rows": [
                    {"row": 1, "outcome": "created", "reasons": [], "id": None},
                    {"row": 2, "outcome": "updated", "reasons": [], "id": self.garage.id},
                    {
                        "row": 3,
                        "outcome": "rejected",
                        "reasons": ['The e-mail "broken@" is not a valid address.'],
                        "id": None,
                    },
                ],
                "created_ids": [],
                "updated_ids": [],
            },
        )
        # All or nothing: the rejected row stops it.
        status, answer = self.api(PATH, self.manager_key, "POST", body={"rows": self._rows()})
        self.assertEqual((status, answer["applied"]), (200, False))
        self.assertEqual(self._snapshot(), before)

        body = {"rows": self._rows(), "mode": "valid_only"}
        headers = {"Idempotency-Key": "import-2026-03-01"}
        status, answer = self.api(PATH, self.manager_key, "POST", body=body, headers=headers)
        self.assertEqual(status, 200, answer)
        self.assertTrue(answer["applied"])
        self.assertEqual(answer["updated_ids"], [self.garage.id])
        created = self.env["res.partner"].browse(answer["created_ids"])
        self.assertEqual(
            (created.name, created.mobile, created.sh_customer_type),
            ("شركة الأسطول", "+966555551234", "fleet"),
        )
        self.assertEqual(self.garage.city, "Dammam")
        after = self._snapshot()
        self.assertEqual(len(after), len(before) + 1)
        # The same request again: the same answer, nothing written.
        status, replay = self.api(PATH, self.manager_key, "POST", body=body, headers=headers)
        self.assertEqual((status, replay), (200, answer))
        self.assertEqual(self._last_response.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self._snapshot(), after)
        # The same key with other rows: a conflict.
        message = self.assertApiError(
            409,
            PATH,
            self.manager_key,
            "POST",
            body={**body, "on_match": "skip"},
            headers=headers,
        )
        self.assertEqual(message, "This Idempotency-Key was already used for another request.")
        self.assertEqual(self._snapshot(), after)

    def test_file_upload(self):
        code = self.fleet.sh_customer_code
        content = f"Name,Mobile,Customer Code\nSara,0501230000,\nFleet Co,,{code}\n"
        body = {
            "file": base64.b64encode(content.encode()).decode(),
            "file_name": "customers.csv",
            "mode": "valid_only",
            "on_match": "skip",
        }
        status, answer = self.api(PATH, self.manager_key, "POST", body=body)
        self.assertEqual(status, 200, answer)
        self.assertEqual(
            [(row["row"], row["outcome"], row["id"]) for row in answer["rows"]],
            [(2, "created", answer["created_ids"][0]), (3, "skipped", self.fleet.id)],
        )
        self.assertEqual(
            self.env["res.partner"].browse(answer["created_ids"]).mobile, "+966501230000"
        )

    def test_bad_payloads_are_refused(self):
        before = self._snapshot()
        csv_file = base64.b64encode(b"Name,Colour\nSara,red\n").decode()
        long_file = "Name\n" + "".join(f"Customer {index}\n" for index in range(10001))
        long_file = base64.b64encode(long_file.encode()).decode()
        cases = [
            (400, {"raw": "{not json"}, "The request body is not valid JSON."),
            (400, {"body": {"rows": "Sara"}}, "rows must be a list."),
            (400, {"body": {"rows": [], "upsert": True}}, "Unknown parameter: upsert."),
            (
                400,
                {"body": {"rows": [{"name": "x"}], "dry_run": "yes"}},
                "dry_run must be true or false.",
            ),
            (422, {"body": {}}, "Send either rows or file."),
            (422, {"body": {"rows": [], "file": "eA=="}}, "Send either rows or file."),
            (422, {"body": {"rows": []}}, "There is no row to import."),
            (422, {"body": {"rows": ["Sara"]}}, "Row 1 is not a set of columns."),
            (
                422,
                {"body": {"rows": [{"name": "Sara", "colour": "red"}]}},
                f"Row 1 has unknown columns: colour. {COLUMNS}",
            ),
            (
                422,
                {"body": {"rows": [{"name": "x"}], "mode": "some"}},
                "mode must be one of: all_or_nothing, valid_only.",
            ),
            (
                422,
                {"body": {"rows": [{"name": "x"}] * 10001}},
                "rows has too many items: at most 10000.",
            ),
            (422, {"body": {"file": "not base64!"}}, "The file could not be read."),
            (
                422,
                {"body": {"file": csv_file, "file_name": "c.csv"}},
                f"Unknown columns in the file: Colour. {COLUMNS}",
            ),
            (
                422,
                {"body": {"file": long_file, "file_name": "c.csv"}},
                "The file has too many rows: at most 10000.",
            ),
        ]
        for status, request, message in cases:
            with self.subTest(message=message):
                self.assertEqual(
                    self.assertApiError(status, PATH, self.manager_key, "POST", **request), message
                )
        self.assertEqual(self._snapshot(), before)

    def test_customers_users_are_refused(self):
        before = self._snapshot()
        message = self.assertApiError(
            403, PATH, self.clerk_key, "POST", body={"rows": self._rows(), "mode": "valid_only"}
        )
        self.assertEqual(message, "Only Customers managers may import customers.")
        self.assertApiError(401, PATH, None, "POST", body={"rows": self._rows()})
        self.assertEqual(self._snapshot(), before)

    def test_openapi_describes_the_route(self):
        status, document = self.api("/api/customers/openapi.json")
        self.assertEqual(status, 200)
        operation = document["paths"][PATH]["post"]
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        self.assertEqual(
            set(schema["properties"]), {"rows", "file", "file_name", "dry_run", "mode", "on_match"}
        )
        self.assertEqual(schema["properties"]["rows"]["maxItems"], 10000)
        self.assertEqual(schema["properties"]["mode"]["enum"], ["all_or_nothing", "valid_only"])
        self.assertEqual(
            operation["responses"]["200"]["content"]["application/json"]["schema"],
            {"$ref": "#/components/schemas/CustomerImport"},
        )
        self.assertEqual(
            set(document["components"]["schemas"]["CustomerImport"]["required"]),
            {
                "dry_run",
                "mode",
                "on_match",
                "applied",
                "counts",
                "rows",
                "created_ids",
                "updated_ids",
            },
        )
        self.assertLessEqual({"400", "401", "403", "409", "422"}, set(operation["responses"]))
