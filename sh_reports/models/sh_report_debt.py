"""Debt aging as of a date, DSO and debt recovery rate per customer.

The report reads the debt as it stood on the "as of" date, rebuilt from
the receivable items and their reconciliations up to that date
(``analytics.aging``): a past date shows what was owed then. Its days sales
outstanding (DSO) and debt recovery rate (CEI) are read over the 12 months
that end on the "as of" date, whatever the period chosen: a state is read
on a day, and a year holds every season once, so that two dates compare
alike. The previous values are those of the same day a year earlier, over
the 12 months before."""

from dateutil.relativedelta import relativedelta

from odoo import api, models

from odoo.addons.sh_customers.figures.dashboard_context import month_label, months_between
from odoo.addons.sh_customers.figures.dashboard_debt import cei
from odoo.addons.sh_customers.figures.rules import AGING_BUCKETS, DEBT_GROUPS

from ..analytics.aging import read_aging, read_history

# The window of the DSO and the CEI, and of the debt's trend.
WINDOW_MONTHS = 12


def dso(debt, credit_sales, days):
    """Days sales outstanding: the debt divided by the credit sales of a
    window of ``days`` days, times those days; None without credit sales."""
    return round(debt / credit_sales * days, 1) if credit_sales > 0 else None


class ShReportDebt(models.AbstractModel):
    _name = "sh.report.debt"
    _inherit = "sh.report"
    _description = "Debt"

    _sh_report_as_of = True
    _sh_report_groups = DEBT_GROUPS

    @api.model
    def _sh_report_sections(self, ctx, data):
        res = super()._sh_report_sections(ctx, data)
        debt = self._sh_debt_figures(ctx)
        data["cards"].extend(self._sh_debt_cards(ctx, debt))
        data["charts"].append(self._sh_debt_trend_chart(ctx, debt))
        data["charts"].append(self._sh_debt_aging_chart(ctx, debt))
        data["tables"].append(self._sh_debt_table(ctx, debt))
        return res

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    @api.model
    def _sh_debt_figures(self, ctx):
        """The debt of the report's customers as of ``ctx["as_of"]``, read in
        two statements: ``customers``, a row per customer with debt (its
        aging, and its DSO and CEI over the 12 months to the date);
        ``current`` and ``previous``, the totals as of the date and as of
        the same day a year earlier; ``trend``, the debt and its overdue
        part at the end of each of the 12 months to the date (the last
        month's on the date itself)."""
        as_of = ctx["as_of"]
        opening = as_of - relativedelta(months=WINDOW_MONTHS)
        previous_opening = opening - relativedelta(months=WINDOW_MONTHS)
        months = months_between(as_of - relativedelta(months=WINDOW_MONTHS - 1), as_of)
        month_ends = [min(month + relativedelta(months=1, days=-1), as_of) for month in months]
        openings = {day: day - relativedelta(months=WINDOW_MONTHS) for day in month_ends}
        openings.update({opening: previous_opening, previous_opening: previous_opening})
        days = sorted(openings)
        customers_query = self._sh_customer_query(ctx).subselect()
        customers = read_aging(self.env, customers_query, ctx["company_ids"], as_of)
        history = read_history(
            self.env,
            customers_query,
            ctx["company_ids"],
            as_of,
            opening,
            days,
            [openings[day] for day in days],
        )
        by_day = history["days"]
        window_days = (as_of - opening).days
        previous_days = (opening - previous_opening).days

        def totals(day, start, length):
            row = by_day[day]
            return {
                "debt": row["debt"],
                "overdue": row["overdue"],
                "credit_sales": row["credit_sales"],
                "dso": dso(row["debt"], row["credit_sales"], length),
                "cei": cei(by_day[start]["debt"], row["credit_sales"], row["debt"], row["not_due"]),
            }

        no_history = {"opening": 0.0, "credit_sales": 0.0}
        for row in customers:
            row.update(
                {
                    key: history["customers"].get(row["partner_id"], no_history)[key]
                    for key in ("opening", "credit_sales")
                }
            )
            not_due = row[AGING_BUCKETS[0].column]
            row["dso"] = dso(row["debt"], row["credit_sales"], window_days)
            row["cei"] = cei(row["opening"], row["credit_sales"], row["debt"], not_due)
        return {
            "customers": customers,
            "current": totals(as_of, opening, window_days),
            "previous": totals(opening, previous_opening, previous_days),
            "trend": [(month, by_day[day]) for month, day in zip(months, month_ends, strict=True)],
            "aging": {
                bucket.column: sum(row[bucket.column] for row in customers)
                for bucket in AGING_BUCKETS
            },
        }

    @api.model
    def _sh_ends_today(self, ctx):
        """Whether the report is as of today: only then do its figures open
        the customers the list shows with the same figures (the list shows
        today's debt)."""
        return ctx["as_of"] == ctx["today"]

    # ------------------------------------------------------------------
    # Cards, charts and the table
    # ------------------------------------------------------------------

    @api.model
    def _sh_debt_cards(self, ctx, debt):
        _ = self.env._
        today = self._sh_ends_today(ctx)
        current, previous = debt["current"], debt["previous"]
        with_debt = [("sh_debt", "!=", 0)] if today else None
        return [
            self._sh_card(
                ctx,
                "debt",
                _("Total Debt"),
                _(
                    "What the customers owed on the date: posted invoices not paid by then, "
                    "less payments and credit notes not yet applied. Equals the receivable "
                    "accounts' balance on that date. Compared with the same day a year earlier."
                ),
                current["debt"],
                previous["debt"],
                fmt="money",
                better="down",
                domain=with_debt,
                kpi="debt",
                sequence=10,
            ),
            self._sh_card(
                ctx,
                "overdue",
                _("Overdue Debt"),
                _("Part of the debt past its due date on the date."),
                current["overdue"],
                previous["overdue"],
                fmt="money",
                better="down",
                domain=[("sh_overdue", ">", 0)] if today else None,
                kpi="overdue",
                sequence=20,
            ),
            self._sh_card(
                ctx,
                "dso",
                _("Days Sales Outstanding"),
                _(
                    "Days of credit sales the debt stands for: debt on the date / credit sales "
                    "of the 12 months to the date x the days of those 12 months. Read over "
                    "12 months whatever the period, so that every season counts once."
                ),
                current["dso"],
                previous["dso"],
                better="down",
                domain=with_debt,
                sequence=30,
            ),
            self._sh_card(
                ctx,
                "cei",
                _("Debt Recovery Rate"),
                _(
                    "Collection effectiveness index over the 12 months to the date: "
                    "(opening receivable + credit sales - closing receivable) / (opening "
                    "receivable + credit sales - closing receivable not yet due) x 100."
                ),
                current["cei"],
                previous["cei"],
                fmt="percent",
                domain=with_debt,
                sequence=40,
            ),
        ]

    @api.model
    def _sh_debt_trend_chart(self, ctx, debt):
        _ = self.env._
        trend = debt["trend"]
        today = self._sh_ends_today(ctx)
        return self._sh_chart(
            "debt_trend",
            _("Debt and Overdue Debt by Month End"),
            "line",
            [month_label(self.env, month) for month, _row in trend],
            [
                {
                    "key": key,
                    "label": label,
                    "data": [self._sh_money(ctx, row[key]) for _month, row in trend],
                }
                for key, label in (("debt", _("Total Debt")), ("overdue", _("Overdue Debt")))
            ],
            # Only the last month, on today, opens the customers who owe.
            [None] * (len(trend) - 1) + [[("sh_debt", "!=", 0)] if today else None],
            fmt="money",
            sequence=10,
        )

    @api.model
    def _sh_debt_aging_chart(self, ctx, debt):
        today = self._sh_ends_today(ctx)
        labels = self.env["sh.customer.dashboard"]
        return self._sh_chart(
            "debt_aging",
            self.env._("Debt by Age"),
            "bar",
            [labels._sh_bucket_label(bucket.partner_field) for bucket in AGING_BUCKETS],
            [
                {
                    "key": "debt",
                    "label": self.env._("Debt"),
                    "data": [
                        self._sh_money(ctx, debt["aging"][bucket.column])
                        for bucket in AGING_BUCKETS
                    ],
                }
            ],
            [[(bucket.partner_field, ">", 0)] if today else None for bucket in AGING_BUCKETS],
            fmt="money",
            sequence=20,
        )

    @api.model
    def _sh_debt_table(self, ctx, debt):
        _ = self.env._
        labels = self.env["sh.customer.dashboard"]
        buckets = [
            (bucket.column, labels._sh_bucket_label(bucket.partner_field), "money")
            for bucket in AGING_BUCKETS
        ]
        columns = [
            ("name", _("Customer"), "text"),
            ("code", _("Code"), "code"),
            ("debt", _("Total Debt"), "money"),
            ("overdue", _("Overdue Debt"), "money"),
            *buckets,
            ("credit_sales", _("Credit Sales (12 Months)"), "money"),
            ("dso", _("DSO"), "days"),
            ("cei", _("Debt Recovery Rate"), "percent"),
        ]
        money = ["debt", "overdue", *(key for key, _label, _fmt in buckets), "credit_sales"]

        def make_row(row):
            return {
                "_res_id": row["partner_id"],
                "name": row["name"],
                "code": row["customer_code"] or "",
                **{key: self._sh_money(ctx, row[key]) for key in money},
                "dso": row["dso"],
                "cei": row["cei"],
            }

        current = debt["current"]
        totals = {
            "name": _("Total"),
            **{
                key: self._sh_money(ctx, sum(row[key] for row in debt["customers"]))
                for key in money
            },
            "dso": current["dso"],
            "cei": current["cei"],
        }
        return self._sh_table(
            "debt_customers",
            _("Debt per Customer"),
            columns,
            debt["customers"],
            totals=totals,
            sequence=10,
            help_text=_(
                "Every customer who owed something (or was owed) on the date, the largest "
                "debt first, aged by days past the due date on that date. DSO and debt "
                "recovery rate over the 12 months to the date."
            ),
            empty=_("No customer owed anything on this date."),
            make_row=make_row,
        )
