import threading
import time

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import api
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.sh_customers.figures.periods import NAMED_PERIODS
from odoo.addons.sh_customers.models.sh_customer_api import ApiError

from .api_common import ShApiCase
from .common import ShCustomersCommon

TODAY = "2026-04-01"
USER = "sh_customers.sh_customers_group_user"
BILLING = "account.group_account_invoice"


@tagged("post_install", "-at_install")
class TestCustomersApi(ShCustomersCommon, HttpCase, ShApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls._second_company(name="Branch B")
        with freeze_time(TODAY):
            # Alice: two invoices and a credit note, the first invoice paid.
            cls.alice = cls._customer("Alice Garage", sh_customer_type="workshop")
            first = cls._invoice(cls.alice, 1000.0, "2026-01-10", taxes=cls.tax_15)
            cls._invoice(cls.alice, 500.0, "2026-03-05", taxes=cls.tax_15)
            cls._invoice(cls.alice, 200.0, "2026-03-20", move_type="out_refund", taxes=cls.tax_15)
            cls._pay(first, date="2026-01-20")
            # Carol used to buy every ten days and stopped in October.
            cls.carol = cls._customer("Carol Fleet", sh_customer_type="fleet")
            for day in ("2025-10-01", "2025-10-11", "2025-10-21"):
                cls._invoice(cls.carol, 100.0, day)
            # Dave belongs to company B.
            cls.dave = cls._customer("Dave of B", company_id=cls.company_b.id)
            cls._invoice(cls.dave, 700.0, "2026-02-01", company=cls.company_b)
            partners = cls.alice | cls.carol | cls.dave
            partners._sh_refresh_customer_stats()
        cls.accountant, cls.accountant_key = cls._api_user(
            "api_accountant", f"{USER},{BILLING}", cls.company_a
        )
        cls.clerk, cls.clerk_key = cls._api_user("api_clerk", USER, cls.company_a)
        cls.outsider, cls.outsider_key = cls._api_user("api_outsider", "base.group_user")
        cls.both, cls.both_key = cls._api_user(
            "api_both", f"{USER},{BILLING}", cls.company_a | cls.company_b
        )

    def _open_receivable(self, partner, overdue_on=None):
        """The customer's open receivable in company A, from the journal
        items: all of it, or the part due before ``overdue_on``."""
        domain = [
            ("partner_id", "=", partner.id),
            ("company_id", "=", self.company_a.id),
            ("account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        if overdue_on:
            domain.append(("date_maturity", "<", overdue_on))
        return sum(self.env["account.move.line"].search(domain).mapped("amount_residual"))

    # ------------------------------------------------------------------
    # Summary
    # ------------------------------------------------------------------

    def test_summary(self):
        status, answer = self.api(f"/api/customers/{self.alice.id}/", self.accountant_key)
        self.assertEqual(status, 200)
        debt = self._open_receivable(self.alice)
        # 575.00 still owed on the second invoice, less the credit note's 230.00
        self.assertAlmostEqual(debt, 345.0, places=2)
        self.assertAlmostEqual(self._credit(self.alice), debt, places=2)
        expected = {
            "id": self.alice.id,
            "name": "Alice Garage",
            "code": self.alice.sh_customer_code,
            "type": "workshop",
            "company_id": self.company_a.id,
            "currency": self.company_a.currency_id.name,
            "net_sales": 1300.0,
            "invoice_count": 2,
            "average_order_value": 650.0,
            "last_purchase_date": "2026-03-05",
            "debt": 345.0,
            "overdue": round(self._open_receivable(self.alice, overdue_on=TODAY), 2),
            # First purchase 81 days before TODAY: within the 90 days of a new customer.
            "status": "new",
        }
        self.assertTrue(self.alice.sh_customer_code)
        self.assertEqual({key: answer[key] for key in expected}, expected)
        self.assertEqual(answer["overdue"], 345.0)
        self.assertTrue(answer["segment"])

        status, answer = self.api(f"/api/customers/{self.carol.id}/", self.accountant_key)
        self.assertEqual(status, 200)
        self.assertEqual(
            (answer["net_sales"], answer["invoice_count"], answer["status"]),
            (300.0, 3, "at_risk"),
        )
        self.assertEqual((answer["debt"], answer["overdue"]), (300.0, 300.0))

    def test_summary_hides_debt_from_users_without_billing_rights(self):
        status, answer = self.api(f"/api/customers/{self.alice.id}/", self.clerk_key)
        self.assertEqual(status, 200)
        self.assertEqual((answer["net_sales"], answer["invoice_count"]), (1300.0, 2))
        self.assertIsNone(answer["debt"])
        self.assertIsNone(answer["overdue"])

    def test_other_company_customer_is_not_found(self):
        unknown = self.assertApiError(404, "/api/customers/999999999/", self.clerk_key)
        hidden = self.assertApiError(404, f"/api/customers/{self.dave.id}/", self.clerk_key)
        self.assertIn("999999999", unknown)
        self.assertIn(str(self.dave.id), hidden)
        # A user of both companies works in their default company (A)...
        self.assertApiError(404, f"/api/customers/{self.dave.id}/", self.both_key)
        # ...or in the allowed company they name.
        status, answer = self.api(
            f"/api/customers/{self.dave.id}/",
            self.both_key,
            headers={"X-Company-Id": str(self.company_b.id)},
        )
        self.assertEqual(status, 200)
        self.assertEqual((answer["net_sales"], answer["company_id"]), (700.0, self.company_b.id))
        self.assertEqual(answer["debt"], 700.0)
        # Alice's figures are company A's: nothing was sold to her in B.
        status, answer = self.api(
            f"/api/customers/{self.alice.id}/",
            self.both_key,
            headers={"X-Company-Id": str(self.company_b.id)},
        )
        self.assertEqual((status, answer["net_sales"], answer["status"]), (200, 0.0, "prospect"))
        # A company the user does not belong to is refused.
        self.assertApiError(
            403,
            f"/api/customers/{self.alice.id}/",
            self.clerk_key,
            headers={"X-Company-Id": str(self.company_b.id)},
        )
        self.assertApiError(
            400,
            f"/api/customers/{self.alice.id}/",
            self.clerk_key,
            headers={"X-Company-Id": "B"},
        )

    def test_authentication(self):
        path = f"/api/customers/{self.alice.id}/"
        self.assertApiError(401, path)
        self.assertApiError(401, path, "not-a-key")
        self.assertApiError(401, path, headers={"Authorization": f"Basic {self.clerk_key}"})
        # A key of a user who is not a Customers user
        message = self.assertApiError(403, path, self.outsider_key)
        self.assertIn("Customers users", message)
        # An archived user's key no longer works.
        self.clerk.active = False
        self.assertApiError(401, path, self.clerk_key)

    def test_answers_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.clerk.lang = "ar_001"
        message = self.assertApiError(404, "/api/customers/999999999/", self.clerk_key)
        self.assertNotIn("No customer", message)

    def test_malformed_requests_never_fail(self):
        key = self.accountant_key
        for path in (
            "/api/customers/abc/",
            "/api/customers/-1/",
            "/api/customers/0/",
            "/api/customers/1.5/",
            "/api/customers/99999999999999999999999/",
            "/api/customers/%00/",
            f"/api/customers/{self.alice.id}/no-such-route/",
        ):
            self.assertApiError(404, path, key)
        path = f"/api/customers/{self.alice.id}/"
        self.assertApiError(400, path, key, params={"limit": "5"})
        self.assertApiError(405, path, key, method="POST", body={})
        self.assertApiError(405, path, key, method="DELETE", body={})
        for params, status in (
            ({"limit": "abc"}, 400),
            ({"limit": "1e3"}, 400),
            ({"limit": "-1"}, 422),
            ({"limit": "0"}, 422),
            ({"limit": "100000"}, 422),
            ({"offset": "-5"}, 422),
            ({"offset": "99999999999999999999999999"}, 400),
            ({"offset": "9999999999"}, 422),
            ({"date_from": "2026-13-45"}, 400),
            ({"date_from": "yesterday"}, 400),
            ({"date_from": "2026-03-01", "date_to": "2026-01-01"}, 422),
            ({"by": "nonsense"}, 422),
            ({"page": "2"}, 400),
        ):
            self.assertApiError(status, "/api/customers/top-customers/", key, params=params)
        self.assertApiError(400, "/api/customers/top-customers/?limit=1&limit=2", key)
        self.assertApiError(400, "/api/customers/dashboard/", key, params={"compare": "maybe"})
        self.assertApiError(422, "/api/customers/dashboard/", key, params={"period": "decade"})
        # The largest offset there is: an empty page, not an error.
        status, answer = self.api("/api/customers/at-risk/", key, params={"offset": str(2**31 - 1)})
        self.assertEqual((status, answer["items"], answer["total"]), (200, [], 1))

    def test_values_are_checked_before_the_database(self):
        key = self.accountant_key
        path = f"/api/customers/{self.alice.id}/"
        # Ids beyond PostgreSQL's integers: no such customer, no such company.
        for customer_id in ("2147483648", "34141418847", "999999999999999999"):
            self.assertApiError(404, f"/api/customers/{customer_id}/", key)
        message = self.assertApiError(
            422, path, self.both_key, headers={"X-Company-Id": "34141418847"}
        )
        self.assertIn("2147483647", message)
        # A digit that is not 0-9 is not an id.
        self.assertApiError(400, path, self.both_key, headers={"X-Company-Id": "\u00b2"})
        self.assertApiError(404, "/api/customers/%C2%B2/", key)
        # A NUL or another control character: in a parameter, in a header.
        for params in (
            {"date_from": "2026-01-01\x00"},
            {"by": "net_sales\x00"},
            {"limit": "5\x1b"},
        ):
            message = self.assertApiError(422, "/api/customers/top-customers/", key, params=params)
            self.assertIn("not allowed", message)
        self.assertApiError(422, path, self.both_key, headers={"X-Company-Id": "1\x00"})
        self.assertApiError(401, path, headers={"Authorization": f"Bearer \x00{key}"})
        # Dates that no period can start or end with.
        for params in ({"date_from": "0001-01-01"}, {"date_to": "9999-12-31"}):
            self.assertApiError(422, "/api/customers/dashboard/", key, params=params)

    def test_openapi_states_the_limits(self):
        status, document = self.api("/api/customers/openapi.json")
        self.assertEqual(status, 200)
        components = document["components"]["parameters"]
        self.assertEqual(
            components["customer_id"]["schema"],
            {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        )
        self.assertEqual(
            components["company"]["schema"],
            {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        )
        self.assertEqual(
            components["idempotency_key"]["schema"],
            {"type": "string", "minLength": 1, "maxLength": 255},
        )
        schemas = []
        for operation in (op for ops in document["paths"].values() for op in ops.values()):
            schemas += [p["schema"] for p in operation.get("parameters", []) if "schema" in p]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schemas += list(body["schema"]["properties"].values())
        self.assertTrue(schemas)
        for schema in schemas:
            if schema["type"] == "integer":
                self.assertGreaterEqual(schema["minimum"], -(2**31), schema)
                self.assertLessEqual(schema["maximum"], 2**31 - 1, schema)
            elif schema["type"] == "number":
                self.assertLessEqual(schema["maximum"], 10**15, schema)
            elif schema["type"] == "string" and "enum" not in schema and "format" not in schema:
                self.assertIn("maxLength", schema)

    def test_refusals_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.both.lang = "ar_001"
        path = f"/api/customers/{self.alice.id}/"
        message = self.assertApiError(405, path, self.both_key, method="POST", body={})
        self.assertEqual(message, "استخدم GET على هذا المسار.")
        other = self.env["res.company"].create({"name": "Not Theirs"})
        message = self.assertApiError(
            403, path, self.both_key, headers={"X-Company-Id": str(other.id)}
        )
        self.assertEqual(message, f"الشركة {other.id} ليست من شركاتك.")

    def test_summary_answers_keys_with_labels(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.clerk.lang = "ar_001"
        with freeze_time(TODAY):
            status, answer = self.api(f"/api/customers/{self.carol.id}/", self.clerk_key)
        self.assertEqual(status, 200)
        self.assertEqual(answer["status"], "at_risk")
        status_field = self.env["res.partner"]._fields["sh_lifecycle_status"]
        labels = dict(status_field._description_selection(self.env(context={"lang": "ar_001"})))
        self.assertEqual(answer["status_label"], labels["at_risk"])
        self.assertNotEqual(answer["status_label"], "At Risk")
        self.assertTrue(answer["segment"] and answer["segment_label"])

    # ------------------------------------------------------------------
    # Dashboard, analytics, rankings
    # ------------------------------------------------------------------

    def test_dashboard(self):
        period = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        with freeze_time(TODAY):
            status, answer = self.api(
                "/api/customers/dashboard/", self.accountant_key, params=period
            )
        self.assertEqual(status, 200)
        cards = {card["key"]: card for card in answer["cards"]}
        # This period: Alice's 1000 + 500 - 200. The previous 90 days
        # (2025-10-03 to 2025-12-31): two of Carol's invoices.
        self.assertEqual(
            (cards["net_sales"]["value"], cards["net_sales"]["previous"]), (1300.0, 200.0)
        )
        self.assertEqual(cards["average_order_value"]["value"], 650.0)
        # Buyers in the period: Alice alone (Carol bought in the previous one).
        self.assertEqual(cards["buyers"]["value"], 1)
        self.assertTrue(answer["charts"])

    def test_analytics(self):
        period = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        with freeze_time(TODAY):
            status, answer = self.api(
                "/api/customers/analytics/", self.accountant_key, params=period
            )
        self.assertEqual(status, 200)
        self.assertEqual(
            answer["repeat_purchase"],
            {"rate": 100.0, "repeat_customers": 1, "customers": 1},
        )
        self.assertEqual(answer["average_order_value"]["value"], 650.0)
        self.assertEqual(answer["average_order_value"]["invoices"], 2)

    def test_top_customers(self):
        period = {"date_from": "2026-01-01", "date_to": "2026-03-31", "limit": "1"}
        with freeze_time(TODAY):
            status, answer = self.api(
                "/api/customers/top-customers/", self.accountant_key, params=period
            )
        self.assertEqual(status, 200)
        self.assertEqual((answer["limit"], answer["offset"], answer["by"]), (1, 0, "net_sales"))
        self.assertEqual(len(answer["items"]), 1)
        top = answer["items"][0]
        self.assertEqual((top["id"], top["value"]), (self.alice.id, 1300.0))
        # Ranked by invoices over the whole of Carol's activity.
        with freeze_time(TODAY):
            status, answer = self.api(
                "/api/customers/top-customers/",
                self.accountant_key,
                params={"date_from": "2025-10-01", "date_to": "2026-03-31", "by": "invoice_count"},
            )
        self.assertEqual(
            [(item["id"], item["value"]) for item in answer["items"][:2]],
            [(self.carol.id, 3), (self.alice.id, 2)],
        )
        # Ranking by debt is for users who see receivables.
        self.assertApiError(
            403, "/api/customers/top-customers/", self.clerk_key, params={"by": "debt"}
        )

    def test_at_risk(self):
        with freeze_time(TODAY):
            status, answer = self.api("/api/customers/at-risk/", self.accountant_key)
        self.assertEqual(status, 200)
        self.assertEqual((answer["total"], answer["limit"], answer["offset"]), (1, 20, 0))
        [item] = answer["items"]
        self.assertEqual((item["id"], item["name"]), (self.carol.id, "Carol Fleet"))
        # 162 days since 2025-10-21, against a usual gap of 10 days
        self.assertIn("162", item["reasons"][0])

    # ------------------------------------------------------------------
    # OpenAPI
    # ------------------------------------------------------------------

    def test_openapi_document(self):
        status, document = self.api("/api/customers/openapi.json")
        self.assertEqual(status, 200)
        self.assertTrue(document["openapi"].startswith("3."))
        routes = {
            "/api/customers/{id}/",
            "/api/customers/dashboard/",
            "/api/customers/analytics/",
            "/api/customers/top-customers/",
            "/api/customers/at-risk/",
            "/api/customers/{id}/loyalty/",
            "/api/customers/{id}/add_points/",
            "/api/customers/{id}/redeem_reward/",
            "/api/customers/{id}/interactions/",
            "/api/customers/{id}/add_interaction/",
            "/api/customers/{id}/tasks/",
            "/api/customers/{id}/add_task/",
        }
        self.assertLessEqual(routes, set(document["paths"]))
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                if path.endswith("openapi.json"):
                    continue
                self.assertIn(
                    {"$ref": "#/components/parameters/company"}, operation["parameters"], path
                )
                if method == "post":
                    self.assertIn("requestBody", operation, path)
                    self.assertIn("409", operation["responses"], path)

    def test_routes_answer_as_documented(self):
        with freeze_time(TODAY):
            walked = self.walk_openapi(
                self.accountant_key,
                self.alice.id,
                bodies={},
                paths=[
                    "/api/customers/{id}/",
                    "/api/customers/dashboard/",
                    "/api/customers/analytics/",
                    "/api/customers/top-customers/",
                    "/api/customers/at-risk/",
                    "/api/customers/openapi.json",
                ],
            )
        self.assertIn(("get", "/api/customers/{id}/"), walked)
        self.assertEqual(len(walked), 6)


@tagged("post_install", "-at_install")
class TestApiRoutes(TransactionCase):
    """One declaration per route: what the API serves, checks and documents
    is the same list, and the model answers without HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, login="api_routes_clerk", groups=USER)
        cls.Api = cls.env["sh.customer.api"].with_user(cls.clerk)

    def assertRefused(self, status, call, *args):
        with self.assertRaises(ApiError) as caught:
            call(*args)
        self.assertEqual(caught.exception.status, status, caught.exception.message)
        return caught.exception.message

    def test_every_route_is_served_and_documented(self):
        routes = self.Api._sh_api_routes()
        document = self.Api.get_openapi()
        documented = {
            (path, method.upper())
            for path, operations in document["paths"].items()
            for method in operations
        }
        self.assertEqual(
            documented - {("/api/customers/openapi.json", "GET")},
            {(route.path, route.method) for route in routes},
        )
        for route in routes:
            self.assertTrue(callable(getattr(self.Api, route.handler, None)), route.handler)
            if route.spec:
                # A handler given values is private: no RPC call reaches it unchecked.
                self.assertTrue(route.handler.startswith("_"), route.handler)
            path = route.path.replace("{id}", "42")
            expected = ["42"] if "{id}" in route.path else []
            self.assertEqual(self.Api._sh_api_match(path, route.method), (route, expected))
            # Without its trailing slash too, as Odoo matches its routes.
            self.assertEqual(self.Api._sh_api_match(path[:-1], route.method)[0], route)
            other = "GET" if route.method == "POST" else "POST"
            message = self.assertRefused(405, self.Api._sh_api_match, path, other)
            self.assertEqual(message, f"Use {route.method} on this route.")
            self.assertRefused(405, self.Api._sh_api_match, path, "HEAD")
        self.assertRefused(404, self.Api._sh_api_match, "/api/customers/42/no-such-route/", "GET")

    def test_values_are_checked_against_the_declaration(self):
        route, path_values = self.Api._sh_api_match("/api/customers/dashboard/", "GET")
        self.assertEqual(
            route.query["period"]["choices"], [name for name, _label, _months in NAMED_PERIODS]
        )
        self.assertRefused(422, self.Api._sh_api_call, route, path_values, {"period": "decade"})
        self.assertRefused(400, self.Api._sh_api_call, route, path_values, {"page": "2"})
        route, path_values = self.Api._sh_api_match("/api/customers/at-risk/", "GET")
        self.assertRefused(422, self.Api._sh_api_call, route, path_values, {"limit": "0"})
        answer = self.Api._sh_api_call(route, path_values, {"limit": "5"})
        self.assertEqual((answer["limit"], answer["offset"]), (5, 0))
        # A user who is not a Customers user is refused before the values.
        outsider = new_test_user(self.env, login="api_routes_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Api.with_user(outsider)._sh_api_call(route, path_values, {"limit": "0"})


@tagged("post_install", "-at_install")
class TestIdempotencyConcurrency(TransactionCase):
    """Two requests with one Idempotency-Key at the same moment, in two
    transactions: one applies, the other is answered with its answer."""

    KEY = "sh-concurrent-key"

    def setUp(self):
        super().setUp()
        self.uid_admin = self.env.ref("base.user_admin").id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM sh_api_idempotency WHERE key = %s", [self.KEY])
            cr.commit()  # pylint: disable=invalid-commit

    def test_one_key_applies_once(self):
        barrier = threading.Barrier(2)
        results = []
        route, body = "/api/customers/1/add_points/", {"points": 5, "reason": "x"}
        envs = [api.Environment(self.registry.cursor(), self.uid_admin, {}) for _i in range(2)]
        for env in envs:
            self.addCleanup(env.cr.close)

        def request(env, delay):
            # Retried on a serialization failure, as Odoo retries a request.
            for attempt in range(3):
                Idempotency = env["sh.api.idempotency"]
                try:
                    replay = Idempotency._sh_replay(self.KEY, route, body)
                    if replay:
                        results.append(("replayed", replay[1]))
                    else:
                        if attempt == 0:
                            barrier.wait(timeout=10)
                        entry = Idempotency._sh_claim(self.KEY, route, body)
                        # The other request tries to claim the key meanwhile.
                        time.sleep(delay)
                        entry._sh_store(200, {"applied_by": delay})
                        env.cr.commit()
                        results.append(("applied", delay))
                except SerializationFailure:
                    env.cr.rollback()
                    env.invalidate_all()
                    results.append(("retried", None))
                    continue
                except ApiError as error:
                    env.cr.rollback()
                    results.append(("refused", error.status))
                break

        threads = [
            threading.Thread(target=request, args=(env, delay))
            for env, delay in zip(envs, (0.0, 1.0), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        kinds = sorted(kind for kind, _value in results if kind != "retried")
        self.assertIn(kinds, (["applied", "replayed"], ["applied", "refused"]), results)
        applied = next(value for kind, value in results if kind == "applied")
        if "replayed" in kinds:
            replayed = next(value for kind, value in results if kind == "replayed")
            self.assertEqual(replayed, {"applied_by": applied})
        with self.registry.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM sh_api_idempotency WHERE key = %s", [self.KEY])
            self.assertEqual(cr.fetchone()[0], 1)


@tagged("post_install", "-at_install")
class TestIdempotencyRetention(TransactionCase):
    def test_keys_are_forgotten_after_a_day(self):
        Idempotency = self.env["sh.api.idempotency"]
        route = "/api/customers/1/add_task/"
        old = Idempotency._sh_claim("old-key", route, {"name": "a"})
        recent = Idempotency._sh_claim("recent-key", route, {"name": "b"})
        self.env.cr.execute(
            "UPDATE sh_api_idempotency SET create_date = NOW() AT TIME ZONE 'UTC' - %s::interval "
            "WHERE id IN %s",
            ["25 hours", (old.id,)],
        )
        self.env.cr.execute(
            "UPDATE sh_api_idempotency SET create_date = NOW() AT TIME ZONE 'UTC' - %s::interval "
            "WHERE id IN %s",
            ["23 hours", (recent.id,)],
        )
        Idempotency.invalidate_model()
        Idempotency._gc_sh_api_idempotency()
        self.assertEqual(Idempotency.sudo().search([("key", "like", "-key")]), recent)
        # A forgotten key applies again; a remembered one is replayed.
        self.assertIsNone(Idempotency._sh_replay("old-key", route, {"name": "a"}))
        recent._sh_store(201, {"id": 7})
        self.assertEqual(
            Idempotency._sh_replay("recent-key", route, {"name": "b"}), (201, {"id": 7})
        )
