"""Merging customers moves their interactions and tasks (with the tasks'
activities) to the customer kept, whose last contact, recent contacts and
NPS are computed again."""

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import ShInteractionsCommon


@freeze_time("2026-03-10 08:00:00")
@tagged("post_install", "-at_install")
class TestInteractionsMerge(ShInteractionsCommon):
    def test_interactions_and_tasks_move_to_the_kept_customer(self):
        dup = self._customer("Al Noor Garage (old)", is_company=True)
        self._interaction(self.garage, date="2026-01-15 10:00:00", nps_score="9")
        moved = self._interaction(dup, date="2026-03-05 16:00:00", nps_score="3")
        self._interaction(dup, date="2026-02-01 09:00:00", outcome="no_answer")
        task = self.env["sh.customer.task"].create(
            {"name": "Collect the old invoice", "partner_id": dup.id, "user_id": self.sales_user.id}
        )
        activity = self.env["mail.activity"].search([("sh_task_id", "=", task.id)])
        Merge = self.env["sh.customer.merge"].with_user(self.manager)
        preview = Merge._sh_merge_preview(self.garage, dup)
        self.assertEqual(preview["totals"]["interactions"], 3)
        self.assertEqual(preview["totals"]["open_tasks"], 1)

        Merge._sh_merge(self.garage, dup)

        self.assertEqual(moved.partner_id, self.garage)
        self.assertEqual(len(self.garage.sh_interaction_ids), 3)
        self.assertEqual(task.partner_id, self.garage)
        self.assertEqual((activity.res_model, activity.res_id), ("res.partner", self.garage.id))
        self.garage.invalidate_recordset()
        self.assertEqual(self.garage.sh_interaction_count, 3)
        self.assertEqual(self.garage.sh_open_task_count, 1)
        self.assertEqual(
            self.garage.sh_last_contact_date, fields.Datetime.to_datetime("2026-03-05 16:00:00")
        )
        # One promoter, one detractor out of two answers.
        self.assertEqual(self.garage.sh_nps, 0.0)
        self.assertFalse(dup.active)
        log = self.garage.message_ids.filtered(lambda m: "merged these customers" in m.body)
        self.assertIn("Interactions: 2", log.body)
        self.assertIn("Open Tasks: 1", log.body)
