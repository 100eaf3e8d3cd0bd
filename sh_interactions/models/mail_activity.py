"""The activity that reminds an assignee of a customer task: marking it
done marks the task done."""

from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    sh_task_id = fields.Many2one(
        "sh.customer.task",
        string="Customer Task",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a customer task's activity done (from the activity menu or
        the chatter) marks the task done."""
        tasks = self.sh_task_id.filtered(lambda task: task.state in ("todo", "in_progress"))
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if tasks:
            tasks.write({"state": "done"})
        return result
