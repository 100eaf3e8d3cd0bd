from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import ShInteractionsCommon


@tagged("post_install", "-at_install")
class TestTasks(ShInteractionsCommon):
    def _task(self, **vals):
        return self.env["sh.customer.task"].create(
            {
                "name": "Call about the order",
                "partner_id": self.garage.id,
                "user_id": self.sales_user.id,
                "date_deadline": "2026-03-12",
                **vals,
            }
        )

    def _task_activities(self, task):
        return self.env["mail.activity"].search([("sh_task_id", "=", task.id)])

    @freeze_time("2026-03-10 08:00:00")
    def test_activity_follows_the_task(self):
        """An open task is an activity of its assignee on the customer, with
        its deadline; it moves with the task and is done with it."""
        task = self._task()
        activity = self._task_activities(task)
        self.assertRecordValues(
            activity,
            [
                {
                    "res_model": "res.partner",
                    "res_id": self.garage.id,
                    "activity_type_id": self.task_type.id,
                    "summary": "Call about the order",
                    "user_id": self.sales_user.id,
                    "date_deadline": fields.Date.to_date("2026-03-12"),
                }
            ],
        )
        # The activity menu (systray) of the assignee counts it.
        groups = self.sales_user.with_user(self.sales_user)._get_activity_groups()
        partner_group = next(group for group in groups if group["model"] == "res.partner")
        self.assertEqual(partner_group["planned_count"], 1)

        task.write({"date_deadline": "2026-03-15", "user_id": self.other_user.id})
        self.assertRecordValues(
            activity,
            [{"user_id": self.other_user.id, "date_deadline": fields.Date.to_date("2026-03-15")}],
        )

        task.with_user(self.other_user).action_done()
        self.assertEqual(task.state, "done")
        self.assertFalse(self._task_activities(task).filtered("active"))
        self.assertFalse(self.garage.activity_ids)
        self.assertIn("Call about the order", self.garage.message_ids[0].body)

        # Reopened, it is back in the activities.
        task.action_reset()
        self.assertEqual(len(self.garage.activity_ids), 1)
        # Cancelled, it leaves them.
        task.action_cancel()
        self.assertFalse(self.garage.activity_ids)

    def test_several_tasks_of_a_customer_at_once(self):
        tasks = self.env["sh.customer.task"].create(
            [
                {"name": name, "partner_id": self.garage.id, "user_id": self.sales_user.id}
                for name in ("First", "Second", "Third")
            ]
        )
        self.assertEqual(
            sorted(self.garage.activity_ids.mapped("summary")), ["First", "Second", "Third"]
        )
        self.assertEqual(tasks.activity_ids.sh_task_id, tasks)

    @freeze_time("2026-03-10 08:00:00")
    def test_activity_done_closes_the_task(self):
        task = self._task()
        self.garage.activity_ids.with_user(self.sales_user).action_feedback(feedback="Called")
        self.assertEqual(task.state, "done")
        self.assertTrue(task.date_done)
        self.assertEqual(task.date_done, fields.Date.to_date("2026-03-10"))

    def test_recurring_task_creates_the_next_one(self):
        task = self._task(recurrence="monthly", date_deadline="2026-01-31")
        task.action_done()
        following = self.garage.sh_open_task_ids
        self.assertRecordValues(
            following,
            [
                {
                    "name": "Call about the order",
                    "recurrence": "monthly",
                    "date_deadline": fields.Date.to_date("2026-02-28"),
                    "state": "todo",
                }
            ],
        )
        self.assertEqual(self.garage.activity_ids.date_deadline, following.date_deadline)

    def test_new_task_from_customer_form(self):
        action = self.garage.with_user(self.sales_user).action_sh_new_task()
        task_form = Form(
            self.env["sh.customer.task"]
            .with_user(self.sales_user)
            .with_context(**action["context"])
        )
        self.assertEqual(task_form.partner_id, self.garage)
        self.assertEqual(task_form.user_id, self.sales_user)
        task_form.name = "Deliver the invoice copy"
        task_form.date_deadline = fields.Date.to_date("2026-03-11")
        task = task_form.save()
        self.assertEqual(self.garage.activity_ids.summary, "Deliver the invoice copy")
        self.assertEqual(task.state, "todo")

    @freeze_time("2026-03-10 08:00:00")
    def test_overdue_filters(self):
        late = self._task(name="Late", date_deadline="2026-03-09")
        today = self._task(name="Today", date_deadline="2026-03-10")
        self._task(name="Later", date_deadline="2026-03-11")
        self._task(name="Late but done", date_deadline="2026-03-01", state="done")
        self._task(name="Someone else's", date_deadline="2026-03-10", user_id=self.other_user.id)
        Task = self.env["sh.customer.task"].with_user(self.sales_user)
        domain = [("partner_id", "=", self.garage.id)]
        self.assertEqual(Task.search(domain + [("is_overdue", "=", True)]), late)
        self.assertTrue(late.is_overdue)
        self.assertFalse(today.is_overdue)
        search_view = self.env.ref("sh_interactions.sh_customer_task_view_search")
        self.assertIn('name="my_today"', search_view.arch)
        my_today = Task.search(
            domain
            + [
                ("user_id", "=", self.sales_user.id),
                ("state", "in", ("todo", "in_progress")),
                ("date_deadline", "<=", "2026-03-10"),
            ]
        )
        self.assertEqual(my_today, late | today)

    @freeze_time("2026-03-10 06:00:00")
    def test_overdue_digest(self):
        """One e-mail per user with overdue tasks, listing only theirs."""
        fleet = self._customer("Desert Fleet", is_company=True)
        self._task(name="Chase the March payment", date_deadline="2026-03-05")
        self._task(name="Send the quotation", date_deadline="2026-03-09", partner_id=fleet.id)
        self._task(name="Not yet due", date_deadline="2026-03-10")
        self._task(name="Done already", date_deadline="2026-03-01", state="done")
        self._task(name="Omar's late visit", date_deadline="2026-03-08", user_id=self.other_user.id)
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        self.env["sh.customer.task"]._cron_send_overdue_digest()
        users = self.sales_user | self.other_user | self.manager
        mails = (Mail.search([]) - before).filtered(
            lambda mail: mail.recipient_ids & users.partner_id
        )
        self.assertEqual(len(mails), 2)
        to_sales = mails.filtered(lambda mail: mail.recipient_ids == self.sales_user.partner_id)
        to_other = mails.filtered(lambda mail: mail.recipient_ids == self.other_user.partner_id)
        self.assertEqual(to_sales.subject, "Overdue customer tasks: 2")
        self.assertIn("Chase the March payment", to_sales.body_html)
        self.assertIn("Send the quotation", to_sales.body_html)
        self.assertIn("Desert Fleet", to_sales.body_html)
        self.assertNotIn("Not yet due", to_sales.body_html)
        self.assertNotIn("Omar", to_sales.body_html)
        self.assertEqual(to_other.subject, "Overdue customer tasks: 1")
        self.assertIn("Omar&#39;s late visit", to_other.body_html)
