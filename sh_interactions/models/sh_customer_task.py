"""Customer tasks: to-dos about a customer with a deadline, their
recurrence, the assignee's activity that reminds of them, and the daily
digest of overdue tasks."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

TASK_STATES = [
    ("todo", "To Do"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("todo", "in_progress")

RECURRENCES = [
    ("none", "None"),
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
]
RECURRENCE_STEPS = {
    "daily": relativedelta(days=1),
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
}

# Fields copied to the assignee's activity of an open task.
ACTIVITY_FIELDS = {"name", "user_id", "date_deadline", "description", "partner_id"}


class ShCustomerTask(models.Model):
    _name = "sh.customer.task"
    _description = "Customer Task"
    _inherit = ["mail.thread", "sh.customer.record.mixin"]
    _order = "priority desc, date_deadline, id"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    date_deadline = fields.Date(
        string="Deadline",
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")],
        default="0",
    )
    state = fields.Selection(
        TASK_STATES, string="Status", required=True, default="todo", tracking=True
    )
    recurrence = fields.Selection(
        RECURRENCES,
        string="Repeat",
        required=True,
        default="none",
        help="When the task is done, the next one is created with its deadline moved on "
        "by a day, a week or a month.",
    )
    interaction_id = fields.Many2one(
        "sh.customer.interaction",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('partner_id', '=', partner_id)]",
    )
    description = fields.Text()
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open and past its deadline.",
    )
    activity_ids = fields.One2many(
        "mail.activity", "sh_task_id", string="Activities", readonly=True
    )

    @api.depends("state", "date_deadline")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.is_overdue = bool(
                task.state in OPEN_STATES and task.date_deadline and task.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(_("Operation not supported."))
        today = fields.Date.context_today(self)
        domain = [("state", "in", OPEN_STATES), ("date_deadline", "<", today)]
        if (operator == "=") == value:
            return domain
        return ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks._sync_activities()
        return tasks

    def write(self, vals):
        if vals.get("state") == "done":
            vals.setdefault("date_done", fields.Date.context_today(self))
            newly_done = self.filtered(lambda task: task.state != "done")
        else:
            newly_done = self.browse()
            if vals.get("state") in OPEN_STATES:
                vals["date_done"] = False
        res = super().write(vals)
        if {"state", *ACTIVITY_FIELDS} & set(vals):
            self._sync_activities(changed=set(vals))
        newly_done._create_next_occurrences()
        return res

    def unlink(self):
        # The activities are the tasks' reminders; see _sync_activities.
        self.activity_ids.sudo().unlink()
        return super().unlink()

    def _activity_values(self):
        self.ensure_one()
        return {
            "summary": self.name,
            "user_id": self.user_id.id,
            "date_deadline": self.date_deadline,
            "note": self.description and self.description.replace("\n", "<br/>"),
        }

    def _sync_activities(self, changed=None):
        """Keep one activity per open task in its assignee's activities, on
        the customer, so that the activity menu reminds them of the deadline;
        mark it done with the task and remove it when the task is cancelled.

        The activities are managed as superuser: a Customers user may manage
        tasks of customers they may not edit, and the activities only mirror
        those tasks.
        """
        if not self:
            return
        activity_type = self.env.ref("sh_interactions.mail_activity_type_customer_task")
        activities = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        open_tasks = self.filtered(lambda task: task.state in OPEN_STATES)
        closed_tasks = self - open_tasks
        # Open tasks without an activity get one.
        missing = open_tasks.filtered(lambda task: not task.activity_ids)
        partner_model_id = self.env["ir.model"]._get_id("res.partner")
        # One create per round, each holding at most one task per customer
        # and assignee: mail.activity subscribes the assignees in batch and
        # would add the same follower twice.
        rounds = defaultdict(list)
        seen = defaultdict(int)
        for task in missing:
            key = (task.partner_id.id, task.user_id.id)
            rounds[seen[key]].append(task)
            seen[key] += 1
        for tasks in rounds.values():
            activities.create(
                [
                    {
                        **task._activity_values(),
                        "res_model_id": partner_model_id,
                        "res_id": task.partner_id.id,
                        "activity_type_id": activity_type.id,
                        "sh_task_id": task.id,
                    }
                    for task in tasks
                ]
            )
        # Open tasks that changed update theirs.
        if changed and ACTIVITY_FIELDS & changed:
            for task in open_tasks - missing:
                values = task._activity_values()
                if "partner_id" in changed:
                    values["res_id"] = task.partner_id.id
                task.activity_ids.sudo().with_context(mail_activity_quick_update=True).write(values)
        # Done tasks mark theirs done, cancelled ones remove theirs.
        done = closed_tasks.filtered(lambda task: task.state == "done")
        if done.activity_ids:
            done.activity_ids.sudo()._action_done()
        if (closed_tasks - done).activity_ids:
            (closed_tasks - done).activity_ids.sudo().unlink()

    def _create_next_occurrences(self):
        """The next occurrence of each recurring task that is done."""
        recurring = self.filtered(lambda task: task.recurrence != "none")
        return self.create(
            [
                {
                    "name": task.name,
                    "partner_id": task.partner_id.id,
                    "company_id": task.company_id.id,
                    "user_id": task.user_id.id,
                    "priority": task.priority,
                    "recurrence": task.recurrence,
                    "description": task.description,
                    "interaction_id": task.interaction_id.id,
                    "date_deadline": task.date_deadline + RECURRENCE_STEPS[task.recurrence],
                }
                for task in recurring
            ]
        )

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset(self):
        self.write({"state": "todo"})

    def action_log_interaction(self):
        self.ensure_one()
        return self.partner_id.with_context(default_task_id=self.id).action_sh_log_interaction()

    @api.model
    def _cron_send_overdue_digest(self):
        """Send each user with overdue tasks one e-mail listing them."""
        today = fields.Date.context_today(self)
        groups = self._read_group(
            [("state", "in", OPEN_STATES), ("date_deadline", "<", today)],
            ["user_id"],
            ["id:recordset"],
        )
        vals_list = []
        for user, tasks in groups:
            if not user.email:
                continue
            lang_self = self.with_context(lang=user.lang or self.env.lang)
            body = lang_self.env["ir.qweb"]._render(
                "sh_interactions.overdue_task_digest",
                {
                    "user": user,
                    "tasks": tasks.with_context(lang=user.lang).sorted(
                        lambda task: (task.date_deadline, task.id)
                    ),
                    "today": today,
                },
            )
            vals_list.append(
                {
                    "subject": lang_self.env._(
                        "Overdue customer tasks: %(count)s", count=len(tasks)
                    ),
                    "body_html": body,
                    "email_from": (
                        self.env.company.email_formatted
                        or self.env.ref("base.partner_root").email_formatted
                    ),
                    "recipient_ids": [(4, user.partner_id.id)],
                    "auto_delete": True,
                }
            )
        # Runs as the scheduler; the users do not send these mails themselves.
        return self.env["mail.mail"].sudo().create(vals_list)
