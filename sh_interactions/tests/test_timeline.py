from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import ShInteractionsCommon


@tagged("post_install", "-at_install")
class TestInteractionsTimeline(ShInteractionsCommon):
    """The customer's timeline tells its interactions and tasks."""

    @freeze_time("2026-03-20 10:00:00")
    def test_interactions_and_tasks(self):
        """An interaction with its channel, direction, outcome and NPS
        answer; a task when it was created, when it was done, and the day
        after its deadline while it is open; newest first."""
        self.env.user.tz = "UTC"
        call = self._interaction(
            self.garage,
            channel="phone",
            direction="in",
            date="2026-03-02 09:15:00",
            subject="Asked about brake discs",
            outcome="reached",
            nps_score="9",
            user_id=self.sales_user.id,
        )
        Task = self.env["sh.customer.task"]
        done = Task.create(
            {"partner_id": self.garage.id, "name": "Send the quote", "date_deadline": "2026-03-05"}
        )
        late = Task.create(
            {
                "partner_id": self.garage.id,
                "name": "Call back",
                "date_deadline": "2026-03-10",
                "user_id": self.other_user.id,
            }
        )
        with freeze_time("2026-03-04"):
            done.state = "done"
        # When they were created (the database's clock is not frozen).
        Task.flush_model()
        self.env.execute_query(
            SQL(
                "UPDATE sh_customer_task SET create_date = %s WHERE id IN %s",
                "2026-03-02 09:30:00",
                (done.id, late.id),
            )
        )
        Task.invalidate_model(["create_date"])
        data = self.env["sh.customer.timeline"].get_timeline(
            self.garage.id,
            kinds=["interaction", "task_created", "task_done", "task_overdue"],
        )
        rows = [(e["kind"], e["date"], e["name"], e["user"], e["detail"]) for e in data["events"]]
        self.assertEqual(
            rows,
            [
                ("task_overdue", "2026-03-11", "Call back", "Omar Other", "Deadline: 2026-03-10"),
                (
                    "task_done",
                    "2026-03-04",
                    "Send the quote",
                    self.env.user.name,
                    "Deadline: 2026-03-05",
                ),
                (
                    "task_created",
                    "2026-03-02 09:30:00",
                    "Send the quote" if done.id > late.id else "Call back",
                    self.env.user.name,
                    rows[2][4],
                ),
                (
                    "task_created",
                    "2026-03-02 09:30:00",
                    "Call back" if done.id > late.id else "Send the quote",
                    self.env.user.name,
                    rows[3][4],
                ),
                (
                    "interaction",
                    "2026-03-02 09:15:00",
                    "Asked about brake discs",
                    "Salma Sales",
                    "Phone Call · Incoming · Reached · NPS 9",
                ),
            ],
        )
        self.assertEqual(
            (data["events"][4]["res_model"], data["events"][4]["res_id"]),
            ("sh.customer.interaction", call.id),
        )

    @freeze_time("2026-03-20 10:00:00")
    def test_in_arabic(self):
        """The kinds and the interaction's channel, direction and outcome
        are read in the user's language."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.env["ir.module.module"]._load_module_terms(
            ["sh_customers", "sh_interactions"], ["ar_001"], overwrite=True
        )
        self._interaction(
            self.garage, channel="visit", date="2026-03-02 09:15:00", outcome="order_taken"
        )
        data = (
            self.env["sh.customer.timeline"]
            .with_context(lang="ar_001")
            .get_timeline(self.garage.id, kinds=["interaction"])
        )
        self.assertEqual(data["events"][0]["detail"], "زيارة · صادر · تم أخذ طلب")
        kinds = {kind["key"]: kind["label"] for kind in data["kinds"]}
        self.assertEqual(kinds["interaction"], "التفاعل")
        self.assertEqual(kinds["invoice"], "فاتورة")
