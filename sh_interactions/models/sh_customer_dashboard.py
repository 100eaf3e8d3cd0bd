"""The interactions' part of the customer dashboard: the NPS and open tasks
cards, the chart of interactions per channel and outcome, and the NPS in the
analytics, each counted over the interactions and tasks of the current
company's tree that the user may see."""

from datetime import timedelta

from odoo import _, api, models
from odoo.tools import SQL, float_round

from .sh_customer_interaction import CHANNELS, OUTCOMES
from .sh_customer_task import OPEN_STATES


class ShCustomerDashboard(models.AbstractModel):
    _inherit = "sh.customer.dashboard"

    @api.model
    def _sh_dashboard_cards(self, ctx):
        cards = super()._sh_dashboard_cards(ctx)
        current = self._sh_nps(ctx, ctx["date_from"], ctx["date_to"])
        previous = self._sh_nps(ctx, ctx["previous_from"], ctx["previous_to"])
        start, end = self._sh_datetime_bounds(ctx["date_from"], ctx["date_to"])
        open_tasks, previous_open_tasks = self._sh_open_tasks(ctx)
        cards += [
            self._sh_card(
                ctx,
                "nps",
                _("NPS"),
                _(
                    "Net Promoter Score of the period: percentage of answers of 9 or 10 minus "
                    "percentage of answers from 0 to 6, over the NPS scores recorded on "
                    "interactions (from -100 to 100)."
                ),
                current["score"],
                previous["score"],
                domain=[
                    (
                        "sh_interaction_ids",
                        "any",
                        [("nps_score", "!=", False), *self._sh_interaction_domain(ctx, start, end)],
                    )
                ],
                sequence=150,
            ),
            self._sh_card(
                ctx,
                "open_tasks",
                _("Open Tasks"),
                _("Customer tasks to do or in progress at the end of the period."),
                open_tasks,
                previous_open_tasks,
                better="down",
                domain=[("sh_task_ids", "any", self._sh_open_task_domain(ctx))],
                sequence=160,
            ),
        ]
        return cards

    @api.model
    def _sh_dashboard_charts(self, ctx):
        charts = super()._sh_dashboard_charts(ctx)
        start, end = self._sh_datetime_bounds(ctx["date_from"], ctx["date_to"])
        groups = self.env["sh.customer.interaction"]._read_group(
            self._sh_interaction_domain(ctx, start, end),
            ["channel", "outcome"],
            ["__count"],
        )
        counts = {(channel, outcome): count for channel, outcome, count in groups}
        channels = [key for key, _label in CHANNELS if any(c == key for c, _o in counts)]
        outcomes = [key for key, _label in OUTCOMES if any(o == key for _c, o in counts)]
        if any(not o for _c, o in counts):
            outcomes.append(False)
        Interaction = self.env["sh.customer.interaction"]
        no_outcome = _("No Outcome")
        channel_labels = dict(Interaction._fields["channel"]._description_selection(self.env))
        outcome_labels = dict(Interaction._fields["outcome"]._description_selection(self.env))
        charts.append(
            self._sh_chart(
                "interactions",
                _("Interactions per Channel and Outcome"),
                "bar",
                [channel_labels[key] for key in channels],
                [
                    {
                        "key": outcome or "none",
                        "label": outcome_labels[outcome] if outcome else no_outcome,
                        "data": [counts.get((channel, outcome), 0) for channel in channels],
                    }
                    for outcome in outcomes
                ],
                [
                    [
                        (
                            "sh_interaction_ids",
                            "any",
                            [
                                ("channel", "=", channel),
                                *self._sh_interaction_domain(ctx, start, end),
                            ],
                        )
                    ]
                    for channel in channels
                ],
                sequence=80,
            )
        )
        return charts

    @api.model
    def _sh_analytics(self, ctx):
        analytics = super()._sh_analytics(ctx)
        analytics["nps"] = self._sh_nps(ctx, ctx["date_from"], ctx["date_to"])
        return analytics

    @api.model
    def _sh_interaction_domain(self, ctx, start, end):
        """Interactions the user may see between the UTC datetimes ``start``
        (included) and ``end`` (excluded), in the current company's tree
        (an interaction's customer belongs to its company or is shared)."""
        return [
            ("company_id", "in", self._sh_company_ids(ctx)),
            ("date", ">=", start),
            ("date", "<", end),
        ]

    @api.model
    def _sh_nps(self, ctx, date_from, date_to):
        start, end = self._sh_datetime_bounds(date_from, date_to)
        groups = self.env["sh.customer.interaction"]._read_group(
            self._sh_interaction_domain(ctx, start, end) + [("nps_category", "!=", False)],
            ["nps_category"],
            ["__count"],
        )
        counts = dict(groups)
        answers = sum(counts.values())
        promoters = counts.get("promoter", 0)
        detractors = counts.get("detractor", 0)
        return {
            # An NPS is a whole number from -100 to 100, halves rounded away from zero.
            "score": int(float_round((promoters - detractors) * 100.0 / answers, 0))
            if answers
            else None,
            "answers": answers,
            "promoters": promoters,
            "passives": counts.get("passive", 0),
            "detractors": detractors,
        }

    @api.model
    def _sh_open_task_domain(self, ctx):
        """The tasks counted open at the end of the period (see
        ``_sh_open_tasks``)."""
        domain = [("company_id", "in", self._sh_company_ids(ctx))]
        if ctx["date_to"] >= ctx["today"]:
            return domain + [("state", "in", list(OPEN_STATES))]
        return domain + [
            ("create_date", "<", ctx["date_to"] + timedelta(days=1)),
            "|",
            ("state", "in", list(OPEN_STATES)),
            "&",
            ("state", "=", "done"),
            ("date_done", ">", ctx["date_to"]),
        ]

    @api.model
    def _sh_open_tasks(self, ctx):
        """Tasks the user may see, of the current company's tree, open at the
        end of each period: a task was open on a day when it was created by
        then and is still open or was done after that day."""
        Task = self.env["sh.customer.task"]
        Task.flush_model(["state", "date_done", "create_date"])
        query = Task._search([("company_id", "in", self._sh_company_ids(ctx))])
        task = SQL.identifier(query.table)

        def open_on(day):
            return SQL(
                """COUNT(*) FILTER (
                       WHERE %(task)s.create_date::date <= %(day)s
                         AND (%(task)s.state IN %(open)s
                              OR %(task)s.state = 'done' AND %(task)s.date_done > %(day)s))""",
                task=task,
                day=day,
                open=OPEN_STATES,
            )

        [(now_open, end_open, previous_open)] = self.env.execute_query(
            query.select(
                SQL("COUNT(*) FILTER (WHERE %s.state IN %s)", task, OPEN_STATES),
                open_on(ctx["date_to"]),
                open_on(ctx["previous_to"]),
            )
        )
        current = now_open if ctx["date_to"] >= ctx["today"] else end_open
        return current, previous_open
