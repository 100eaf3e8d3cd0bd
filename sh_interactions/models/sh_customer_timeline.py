"""The interactions' events on the customer timeline: each interaction
with its channel, outcome and NPS answer, and each task created, done or
overdue, of the current company's tree."""

from odoo import api, fields, models
from odoo.tools import SQL

from .sh_customer_task import OPEN_STATES

TASK_KINDS = ("task_created", "task_done", "task_overdue")


class ShCustomerTimeline(models.AbstractModel):
    _inherit = "sh.customer.timeline"

    @api.model
    def _sh_timeline_kinds(self):
        return [
            *super()._sh_timeline_kinds(),
            {
                "key": "interaction",
                "label": self.env._("Interaction"),
                "icon": "fa-comments",
                "sequence": 60,
            },
            {
                "key": "task_created",
                "label": self.env._("Task Created"),
                "icon": "fa-tasks",
                "sequence": 70,
            },
            {
                "key": "task_done",
                "label": self.env._("Task Done"),
                "icon": "fa-check-square-o",
                "sequence": 80,
            },
            {
                "key": "task_overdue",
                "label": self.env._("Task Overdue"),
                "icon": "fa-exclamation-triangle",
                "sequence": 90,
            },
        ]

    @api.model
    def _sh_timeline_sources(self, partner, ctx):
        sources = super()._sh_timeline_sources(partner, ctx)
        Interaction = self.env["sh.customer.interaction"]
        if self._sh_timeline_wants(ctx, "interaction") and Interaction.browse().has_access("read"):
            sources.append(self._sh_interaction_source(partner, ctx))
        if self._sh_timeline_wants(ctx, *TASK_KINDS) and self.env[
            "sh.customer.task"
        ].browse().has_access("read"):
            sources += self._sh_task_sources(partner, ctx)
        return sources

    @api.model
    def _sh_selection_sql(self, model, fname, column):
        """The label of the selection ``fname`` of ``model`` for the value of
        ``column``, in the user's language."""
        labels = self.env[model]._fields[fname]._description_selection(self.env)
        return SQL(
            "CASE %s %s END",
            column,
            SQL(" ").join(SQL("WHEN %s THEN %s", value, label) for value, label in labels),
        )

    @api.model
    def _sh_interaction_source(self, partner, ctx):
        """Each interaction with the customer: its channel, direction,
        outcome and NPS answer, by its salesperson."""
        Interaction = "sh.customer.interaction"
        query = self.env[Interaction]._search(
            [("partner_id", "=", partner.id), ("company_id", "in", ctx["company_ids"])]
        )
        table = query.table

        def col(name):
            return SQL.identifier(table, name)

        detail = SQL(
            "concat_ws(' · ', %s, %s, %s, %s)",
            self._sh_selection_sql(Interaction, "channel", col("channel")),
            self._sh_selection_sql(Interaction, "direction", col("direction")),
            self._sh_selection_sql(Interaction, "outcome", col("outcome")),
            SQL(
                "CASE WHEN %s IS NOT NULL THEN %s || ' ' || %s END",
                col("nps_score"),
                self.env._("NPS"),
                col("nps_score"),
            ),
        )
        return self._sh_timeline_select(
            query,
            kind=SQL("'interaction'"),
            date=col("date"),
            all_day=SQL("FALSE"),
            sort_id=col("id"),
            res_model=SQL("%s", Interaction),
            res_id=col("id"),
            name=SQL("COALESCE(NULLIF(%s, ''), %s)", col("subject"), self.env._("Interaction")),
            user_id=col("user_id"),
            detail=detail,
        )

    @api.model
    def _sh_task_sources(self, partner, ctx):
        """Each task of the customer when it was created, when it was done,
        and, while it is open, the day after its deadline."""
        Task = self.env["sh.customer.task"]
        domain = [("partner_id", "=", partner.id), ("company_id", "in", ctx["company_ids"])]
        today = fields.Date.context_today(self.with_context(tz=ctx["tz"]))
        wanted = {
            "task_created": domain,
            "task_done": [*domain, ("state", "=", "done"), ("date_done", "!=", False)],
            "task_overdue": [
                *domain,
                ("state", "in", OPEN_STATES),
                ("date_deadline", "<", today),
            ],
        }
        sources = []
        for kind, kind_domain in wanted.items():
            if not self._sh_timeline_wants(ctx, kind):
                continue
            query = Task._search(kind_domain)
            table = query.table

            def col(name, table=table):
                return SQL.identifier(table, name)

            if kind == "task_created":
                date, all_day, user = col("create_date"), SQL("FALSE"), col("create_uid")
            elif kind == "task_done":
                date = self._sh_timeline_day(ctx, col("date_done"))
                all_day, user = SQL("TRUE"), col("user_id")
            else:
                date = self._sh_timeline_day(ctx, SQL("%s + 1", col("date_deadline")))
                all_day, user = SQL("TRUE"), col("user_id")
            sources.append(
                self._sh_timeline_select(
                    query,
                    kind=SQL("%s", kind),
                    date=date,
                    all_day=all_day,
                    sort_id=col("id"),
                    res_model=SQL("'sh.customer.task'"),
                    res_id=col("id"),
                    name=col("name"),
                    user_id=user,
                    detail=SQL(
                        "%s || ' ' || to_char(%s, 'YYYY-MM-DD')",
                        self.env._("Deadline:"),
                        col("date_deadline"),
                    ),
                )
            )
        return sources
