from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.sh_customers.tests.api_common import ShApiCase

from .common import ShInteractionsCommon

TODAY = "2026-04-01"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestInteractionsApi(ShInteractionsCommon, HttpCase, ShApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_key = cls._sales_key(cls.sales_user)
        cls.other_customer = cls._customer("Other Garage")
        cls.company_b = cls.setup_other_company(name="Branch B")["company"]
        cls.dave = cls._customer("Dave of B", company_id=cls.company_b.id)
        for day in ("2026-03-01 08:00:00", "2026-03-10 08:00:00", "2026-03-20 08:00:00"):
            cls._interaction(
                cls.garage, date=day, user_id=cls.sales_user.id, summary=f"Call {day[:10]}"
            )
        cls._interaction(cls.other_customer, date="2026-03-15 08:00:00")

    @classmethod
    def _sales_key(cls, user):
        # sudo: a key without expiry date, as an administrator gives it
        return cls.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "api", None)

    def _counts(self):
        return (
            self.env["sh.customer.interaction"].search_count([]),
            self.env["sh.customer.task"].search_count([]),
            self.env["sh.api.idempotency"].sudo().search_count([]),
        )

    def test_interactions_paginated(self):
        path = f"/api/customers/{self.garage.id}/interactions/"
        status, answer = self.api(path, self.sales_key, params={"limit": "2"})
        self.assertEqual(status, 200)
        self.assertEqual((answer["total"], answer["limit"], answer["offset"]), (3, 2, 0))
        self.assertEqual(
            [item["date"] for item in answer["items"]],
            ["2026-03-20 08:00:00", "2026-03-10 08:00:00"],
        )
        item = answer["items"][0]
        self.assertEqual(
            (item["channel"], item["direction"], item["summary"], item["user"]),
            ("phone", "out", "Call 2026-03-20", {"id": self.sales_user.id, "name": "Salma Sales"}),
        )
        status, answer = self.api(path, self.sales_key, params={"limit": "2", "offset": "2"})
        self.assertEqual([item["summary"] for item in answer["items"]], ["Call 2026-03-01"])
        status, answer = self.api(path, self.sales_key, params={"offset": "1000"})
        self.assertEqual((answer["total"], answer["items"]), (3, []))
        self.assertApiError(400, path, self.sales_key, params={"limit": "two"})
        self.assertApiError(422, path, self.sales_key, params={"limit": "-2"})
        self.assertApiError(404, f"/api/customers/{self.dave.id}/interactions/", self.sales_key)
        # A contact person is not a customer of its own.
        self.assertApiError(404, f"/api/customers/{self.contact.id}/interactions/", self.sales_key)

    def test_add_interaction(self):
        path = f"/api/customers/{self.garage.id}/add_interaction/"
        body = {
            "channel": "visit",
            "direction": "in",
            "date": "2026-03-31T09:30:00+03:00",
            "duration": 0.5,
            "subject": "Brake pads",
            "summary": "Asked for a quote:\r\n\tpads and discs",
            "outcome": "promised_to_pay",
            "promise_date": "2026-04-15",
            "promise_amount": 250,
            "nps_score": 9,
        }
        status, answer = self.api(path, self.sales_key, method="POST", body=body)
        self.assertEqual(status, 201, answer)
        interaction = self.env["sh.customer.interaction"].browse(answer["id"])
        self.assertEqual(interaction.partner_id, self.garage)
        self.assertEqual(interaction.user_id, self.sales_user)
        # 09:30 in UTC+3 is 06:30 UTC.
        self.assertEqual(fields.Datetime.to_string(interaction.date), "2026-03-31 06:30:00")
        self.assertEqual(
            (interaction.channel, interaction.outcome, interaction.nps_score),
            ("visit", "promised_to_pay", "9"),
        )
        # Free text keeps its tabs and line breaks.
        self.assertEqual(interaction.summary, "Asked for a quote:\r\n\tpads and discs")
        self.assertEqual(answer["date"], "2026-03-31 06:30:00")
        self.assertEqual(answer["nps_score"], 9)
        self.assertEqual(answer["promise_amount"], 250.0)
        # The promise is followed up on the promised date.
        task = interaction.task_ids
        self.assertEqual(answer["task_ids"], task.ids)
        self.assertEqual(str(task.date_deadline), "2026-04-15")
        self.assertEqual(task.user_id, self.sales_user)

    def test_add_interaction_refusals_change_nothing(self):
        path = f"/api/customers/{self.garage.id}/add_interaction/"
        other_invoice = self._invoice(self.other_customer, 100.0, "2026-03-01")
        before = self._counts()
        for status, body in (
            (422, {}),
            (422, {"channel": "fax"}),
            (422, {"channel": "phone", "outcome": "promised_to_pay"}),
            (422, {"channel": "phone", "duration": -1}),
            (422, {"channel": "phone", "nps_score": 11}),
            (422, {"channel": "phone", "user_id": 999999}),
            (400, {"channel": "phone", "nps_score": "9"}),
            (400, {"channel": "phone", "date": "tomorrow"}),
            (400, {"channel": "phone", "promise_date": "15/04/2026"}),
            (400, {"channel": 3}),
            (400, {"channel": "phone", "colour": "blue"}),
            # Users log their own interactions only.
            (403, {"channel": "phone", "user_id": self.other_user.id}),
            # Linking an invoice needs invoicing rights.
            (403, {"channel": "phone", "invoice_id": other_invoice.id}),
            # Ids beyond the database's integers
            (422, {"channel": "phone", "user_id": 2847294426}),
            (422, {"channel": "phone", "invoice_id": 2**31}),
            # A NUL or another control character in the text
            (422, {"channel": "phone", "summary": "Quote\x00for pads"}),
            (422, {"channel": "phone", "subject": "Line\nbreak"}),
            (422, {"channel": "phone\x00"}),
            (422, {"channel": "phone", "date": "2026-03-31T09:30:00\x00"}),
            # Dates no calendar arithmetic can reach
            (422, {"channel": "phone", "date": "0001-01-01T00:00:00+05:00"}),
            (422, {"channel": "phone", "follow_up_date": "9999-12-31"}),
            (422, {"channel": "phone", "duration": 10**16}),
        ):
            self.assertApiError(status, path, self.sales_key, method="POST", body=body)
            self.assertEqual(self._counts(), before, body)

    def test_add_interaction_about_an_invoice(self):
        accountant_key = self._sales_key(self.env.user)
        path = f"/api/customers/{self.garage.id}/add_interaction/"
        invoice = self._invoice(self.garage, 100.0, "2026-03-01")
        other_invoice = self._invoice(self.other_customer, 100.0, "2026-03-01")
        before = self._counts()
        message = self.assertApiError(
            422,
            path,
            accountant_key,
            method="POST",
            body={"channel": "phone", "invoice_id": other_invoice.id},
        )
        self.assertIn("Al Noor Garage", message)
        self.assertEqual(self._counts(), before)
        status, answer = self.api(
            path, accountant_key, method="POST", body={"channel": "phone", "invoice_id": invoice.id}
        )
        self.assertEqual((status, answer["invoice_id"]), (201, invoice.id))

    def test_add_interaction_idempotent(self):
        path = f"/api/customers/{self.garage.id}/add_interaction/"
        headers = {"Idempotency-Key": "visit-2026-03-31"}
        body = {"channel": "visit", "summary": "Dropped by"}
        before = self._counts()
        first = self.api(path, self.sales_key, method="POST", body=body, headers=headers)
        second = self.api(path, self.sales_key, method="POST", body=body, headers=headers)
        self.assertEqual(first, second)
        self.assertEqual(first[0], 201)
        self.assertEqual(self._counts(), (before[0] + 1, before[1], before[2] + 1))
        self.assertApiError(
            409,
            path,
            self.sales_key,
            method="POST",
            body={"channel": "visit", "summary": "Dropped by again"},
            headers=headers,
        )
        self.assertEqual(self._counts(), (before[0] + 1, before[1], before[2] + 1))

    def test_tasks(self):
        Task = self.env["sh.customer.task"]
        values = {"partner_id": self.garage.id, "user_id": self.sales_user.id}
        late = Task.create({**values, "name": "Late call", "date_deadline": "2026-03-25"})
        started = Task.create(
            {**values, "name": "Quote", "date_deadline": "2026-04-10", "priority": "1"}
        )
        started.action_start()
        done = Task.create({**values, "name": "Delivered", "date_deadline": "2026-03-20"})
        done.action_done()
        Task.create({**values, "name": "Dropped", "date_deadline": "2026-03-21"}).action_cancel()
        Task.create({"partner_id": self.other_customer.id, "name": "Not this customer"})
        path = f"/api/customers/{self.garage.id}/tasks/"
        status, answer = self.api(path, self.sales_key)
        self.assertEqual(status, 200)
        self.assertEqual(
            (answer["customer_id"], answer["total"], answer["limit"], answer["offset"]),
            (self.garage.id, 3, 20, 0),
        )
        # Open tasks by priority, then deadline; done ones latest first.
        self.assertEqual(
            [(t["id"], t["state"], t["is_overdue"], t["date_done"]) for t in answer["items"]],
            [
                (started.id, "in_progress", False, None),
                (late.id, "todo", True, None),
                (done.id, "done", False, "2026-04-01"),
            ],
        )
        # A page at a time, across the open and the done ones.
        status, answer = self.api(path, self.sales_key, params={"limit": "1", "offset": "1"})
        self.assertEqual((answer["total"], [t["id"] for t in answer["items"]]), (3, [late.id]))
        status, answer = self.api(path, self.sales_key, params={"limit": "2", "offset": "1"})
        self.assertEqual([t["id"] for t in answer["items"]], [late.id, done.id])
        status, answer = self.api(path, self.sales_key, params={"offset": "2"})
        self.assertEqual([t["id"] for t in answer["items"]], [done.id])
        status, answer = self.api(path, self.sales_key, params={"offset": str(2**31 - 1)})
        self.assertEqual((status, answer["total"], answer["items"]), (200, 3, []))
        self.assertApiError(422, path, self.sales_key, params={"limit": "0"})
        self.assertApiError(422, path, self.sales_key, params={"offset": "2147483648"})
        self.assertApiError(400, path, self.sales_key, params={"page": "2"})

    def test_add_task(self):
        path = f"/api/customers/{self.garage.id}/add_task/"
        status, answer = self.api(
            path,
            self.sales_key,
            method="POST",
            body={"name": "Call about the order", "date_deadline": "2026-04-05", "priority": "1"},
        )
        self.assertEqual(status, 201, answer)
        task = self.env["sh.customer.task"].browse(answer["id"])
        self.assertEqual(
            (task.name, str(task.date_deadline), task.priority, task.user_id, task.partner_id),
            ("Call about the order", "2026-04-05", "1", self.sales_user, self.garage),
        )
        # The reminder is in the assignee's activities.
        self.assertEqual(task.activity_ids.user_id, self.sales_user)
        self.assertEqual(answer["state"], "todo")
        before = self._counts()
        for status, body in (
            (422, {"date_deadline": "2026-04-05"}),
            (422, {"name": "  "}),
            (422, {"name": "Call", "priority": "9"}),
            (422, {"name": "Call", "user_id": 999999}),
            (400, {"name": "Call", "date_deadline": "05/04/2026"}),
            (400, {"name": ["Call"]}),
            (422, {"name": "Call", "user_id": 3896840038}),
            (422, {"name": "Call\x00"}),
            (422, {"name": "x" * 501}),
            (422, {"name": "Call", "description": "\x07"}),
        ):
            self.assertApiError(status, path, self.sales_key, method="POST", body=body)
            self.assertEqual(self._counts(), before, body)

    def test_routes_answer_as_documented(self):
        walked = self.walk_openapi(
            self.sales_key,
            self.garage.id,
            bodies={
                "/api/customers/{id}/add_interaction/": {"channel": "phone", "summary": "Doc"},
                "/api/customers/{id}/add_task/": {"name": "Documented"},
            },
            paths=[
                "/api/customers/{id}/interactions/",
                "/api/customers/{id}/add_interaction/",
                "/api/customers/{id}/tasks/",
                "/api/customers/{id}/add_task/",
            ],
        )
        self.assertEqual(len(walked), 4)
