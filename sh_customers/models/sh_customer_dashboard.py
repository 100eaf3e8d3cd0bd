from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

import pytz
from babel.dates import format_date as babel_format_date
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount, format_date, get_lang

from .res_partner import DEBT_GROUPS, LIFECYCLE_STATUSES, RFM_SEGMENTS
from .sh_customer_figure import FIGURE_FIELDS

# Memory for each sort and hash of the dashboard's statement (PostgreSQL's
# default, 4MB, spills a period's sales of 20,000 customers to disk).
ANALYTIC_WORK_MEM = "64MB"
# The customers the Customers app lists: commercial partners that bought or
# were made customers.
CUSTOMER_DOMAIN = [
    ("customer_rank", ">", 0),
    "|",
    ("is_company", "=", True),
    ("parent_id", "=", False),
]

# Named periods and how far back the period compared with them lies.
PERIOD_MONTHS = {"this_month": 1, "quarter": 3, "year": 12, "12m": 12}
# The same periods in the customers list's KPI cards.
LIST_PERIODS = {"this_month": "month", "quarter": "quarter", "year": "year", "12m": "12m"}
MAX_PERIOD_DAYS = 3660
TOP_MEASURES = ("net_sales", "invoice_count", "average_order_value", "debt")
MAX_PAGE_SIZE = 500
# At-risk customers shown on the dashboard.
AT_RISK_ROWS = 10
# The aging buckets, as the customer figures name them.
DEBT_BUCKETS = (
    "sh_debt_not_due",
    "sh_debt_1_30",
    "sh_debt_31_60",
    "sh_debt_61_90",
    "sh_debt_91_120",
    "sh_debt_over_120",
)
# Their copies in the customers' narrow rows (sh.customer.figure).
DEBT_BUCKET_COLUMNS = tuple(
    column for fname in DEBT_BUCKETS for column, field in FIGURE_FIELDS if field == fname
)


class ShCustomerDashboard(models.AbstractModel):
    _name = "sh.customer.dashboard"
    _description = "Customer Dashboard"

    # ------------------------------------------------------------------
    # Public methods (the dashboard and the REST API)
    # ------------------------------------------------------------------

    @api.model
    def get_dashboard_data(self, date_from=None, date_to=None, period="12m", compare=True):
        """Everything the customer dashboard shows, for the period given by
        ``date_from``/``date_to`` or, without dates, by ``period``, compared
        with the previous period of the same length."""
        ctx = self._sh_dashboard_context(date_from, date_to, period, compare)
        currency = ctx["currency"]
        by_sequence = lambda item: item["sequence"]  # noqa: E731
        return {
            "period": self._sh_period_data(ctx),
            "currency": {
                "id": currency.id,
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "customer_action": "sh_customers.res_partner_action_sh_customers",
            # The period the KPI cards of a customers list opened from the
            # dashboard show (``res.partner.sh_get_customer_kpis``).
            "list_period": self._sh_list_period(ctx),
            "show_debt": ctx["show_debt"],
            "cards": sorted(self._sh_dashboard_cards(ctx), key=by_sequence),
            "charts": sorted(self._sh_dashboard_charts(ctx), key=by_sequence),
            "tables": sorted(self._sh_dashboard_tables(ctx), key=by_sequence),
        }

    @api.model
    def get_analytics(self, date_from=None, date_to=None):
        """The customer analytics of the period (by default the last 12
        months): segments, retention and churn, repeat purchase rate, average
        order value, customer lifetime value, debt recovery rate, and what the
        other addons add (NPS, loyalty engagement)."""
        ctx = self._sh_dashboard_context(date_from, date_to, "12m", True)
        return self._sh_analytics(ctx)

    @api.model
    def get_top_customers(self, date_from=None, date_to=None, by="net_sales", limit=10, offset=0):
        """Customers ranked by ``by`` (net sales, invoices or average order
        value in the period, or current debt), best first, one page."""
        if by not in TOP_MEASURES:
            raise UserError(
                _(
                    "Customers cannot be ranked by %(by)s; use one of: %(measures)s.",
                    by=by,
                    measures=", ".join(TOP_MEASURES),
                )
            )
        limit, offset = self._sh_check_page(limit, offset)
        ctx = self._sh_dashboard_context(date_from, date_to, "12m", False)
        if by == "debt" and not ctx["show_debt"]:
            raise AccessError(_("Only users who may see receivables can rank customers by debt."))
        total, rows = self._sh_ranking(ctx, by, limit, offset)
        items = self._sh_top_items(ctx, rows, by)
        return {"total": total, "by": by, "period": self._sh_period_data(ctx), "items": items}

    @api.model
    def get_at_risk_customers(self, limit=20, offset=0):
        """The at-risk customers, most valuable first, one page, each with
        the reasons to call them."""
        limit, offset = self._sh_check_page(limit, offset)
        ctx = self._sh_dashboard_context(None, None, "12m", False)
        Partner = self.env["res.partner"]
        Partner._sh_flush_for_stats()
        query = Partner._search(CUSTOMER_DOMAIN + [("sh_lifecycle_status", "=", "at_risk")])
        net_sales = Partner._field_to_sql(query.table, "sh_net_sales", query)
        [(total, ids)] = self.env.execute_query(
            SQL(
                """
                WITH at_risk AS MATERIALIZED (%(customers)s)
                SELECT (SELECT COUNT(*) FROM at_risk),
                       (SELECT json_agg(id ORDER BY net_sales DESC NULLS LAST, id) FROM (
                           SELECT id, net_sales FROM at_risk
                            ORDER BY net_sales DESC NULLS LAST, id
                            LIMIT %(limit)s OFFSET %(offset)s
                       ) page)
                """,
                customers=query.select(
                    SQL.identifier(query.table, "id"), SQL("%s AS net_sales", net_sales)
                ),
                limit=limit,
                offset=offset,
            )
        )
        return {"total": total, "items": self._sh_at_risk_items(ctx, ids or [])}

    # ------------------------------------------------------------------
    # Extension points: other addons add their cards, charts, tables and
    # analytics by extending these.
    # ------------------------------------------------------------------

    @api.model
    def _sh_dashboard_cards(self, ctx):
        """The dashboard's cards. A card counting customers is named after
        what it counts (the lifecycle statuses keep their names: "At Risk"
        is the status); its click opens exactly the customers it counts, and
        ``kpi`` names the card of the customers list that shows the same
        figure for them (for the period of the dashboard, given to the list
        in ``list_period``), or is None for a rate the list does not show."""
        figures = self._sh_figures(ctx)
        cur, prev = figures["current"], figures["previous"]
        df, dt = ctx["date_from"], ctx["date_to"]
        churn_days = ctx["company"].sh_churn_days
        # Figures as they stand today (status, debt) are those the list
        # shows and filters on only for a period that ends today.
        ends_today = dt >= ctx["today"]
        bought = self._sh_bought_domain(ctx, df, dt)
        sold = self._sh_sold_domain(ctx, df, dt)
        churned = self._sh_churned_domain(ctx, df, dt)
        retained = self._sh_retained_domain(ctx, df, dt)
        cards = [
            self._sh_card(
                ctx,
                "customers_with_purchases",
                _("Customers with Purchases"),
                _(
                    "Customers with at least one purchase up to the end of the period; "
                    "prospects, who have not bought yet, are not counted."
                ),
                cur["customers"],
                prev["customers"],
                domain=[("sh_first_purchase_date", "<=", dt)],
                kpi="customers",
                sequence=10,
            ),
            self._sh_card(
                ctx,
                "buyers",
                _("Buyers"),
                _(
                    "Customers with at least one posted invoice in the period, whatever "
                    "their status."
                ),
                cur["buyers"],
                prev["buyers"],
                domain=bought,
                kpi="customers",
                sequence=20,
            ),
            self._sh_card(
                ctx,
                "new_buyers",
                _("New Buyers"),
                _(
                    "Customers whose first purchase is in the period. Not the status New, "
                    "which covers the new customer period before today."
                ),
                cur["new"],
                prev["new"],
                domain=[("sh_first_purchase_date", ">=", df), ("sh_first_purchase_date", "<=", dt)],
                kpi="customers",
                sequence=30,
            ),
            self._sh_card(
                ctx,
                "at_risk",
                _("At Risk"),
                _(
                    "Customers with the status At Risk at the end of the period: no purchase "
                    "for more than the at risk gap factor times their usual gap between "
                    "purchases. Not the RFM segment At Risk."
                ),
                cur["at_risk"],
                prev["at_risk"],
                better="down",
                domain=[("sh_lifecycle_status", "=", "at_risk")] if ends_today else None,
                kpi="at_risk",
                sequence=40,
            ),
            self._sh_card(
                ctx,
                "churned",
                _("Churned in Period"),
                _(
                    "Customers who reached %(days)s days without a purchase during the period "
                    "and had not bought again by its end.",
                    days=churn_days,
                ),
                cur["churned"],
                prev["churned"],
                better="down",
                domain=churned,
                kpi="customers",
                sequence=50,
            ),
            self._sh_card(
                ctx,
                "net_sales",
                _("Net Sales"),
                _(
                    "Posted customer invoices minus posted credit notes of the period, "
                    "untaxed, in company currency."
                ),
                cur["net_sales"],
                prev["net_sales"],
                fmt="money",
                domain=sold,
                kpi="net_sales",
                sequence=60,
            ),
            self._sh_card(
                ctx,
                "average_order_value",
                _("Average Order Value"),
                _("Net sales of the period divided by its number of invoices."),
                cur["aov"],
                prev["aov"],
                fmt="money",
                domain=sold,
                kpi="average_order_value",
                sequence=70,
            ),
            self._sh_card(
                ctx,
                "repeat_purchase_rate",
                _("Repeat Purchase Rate"),
                _(
                    "Buyers with two invoices or more in the period, as a percentage of "
                    "the buyers (customers with at least one)."
                ),
                cur["repeat_rate"],
                prev["repeat_rate"],
                fmt="percent",
                domain=bought,
                sequence=80,
            ),
            self._sh_card(
                ctx,
                "retention",
                _("Retention"),
                _(
                    "(Customers at the end of the period minus new buyers) divided by the "
                    "customers at its start; a customer is one who bought within the churn "
                    "period (%(days)s days) before that date. Opens the customers retained: "
                    "customers at the end whose first purchase is before the period.",
                    days=churn_days,
                ),
                cur["retention"],
                prev["retention"],
                fmt="percent",
                domain=retained,
                sequence=90,
            ),
        ]
        if ctx["show_debt"]:
            debt = self._sh_debt_figures(ctx)
            with_debt = [("sh_debt", "!=", 0)] if ends_today else None
            cards += [
                self._sh_card(
                    ctx,
                    "debt",
                    _("Total Debt"),
                    _(
                        "Open receivable at the end of the period: posted invoices not yet "
                        "paid, less unapplied payments and credit notes."
                    ),
                    debt["current"]["debt"],
                    debt["previous"]["debt"],
                    fmt="money",
                    better="down",
                    domain=with_debt,
                    kpi="debt",
                    sequence=100,
                ),
                self._sh_card(
                    ctx,
                    "overdue",
                    _("Overdue Debt"),
                    _("Part of the debt past its due date, at the end of the period."),
                    debt["current"]["overdue"],
                    debt["previous"]["overdue"],
                    fmt="money",
                    better="down",
                    domain=[("sh_overdue", ">", 0)] if ends_today else None,
                    kpi="overdue",
                    sequence=110,
                ),
                self._sh_card(
                    ctx,
                    "cei",
                    _("Debt Recovery Rate"),
                    _(
                        "Collection effectiveness index: (opening receivable + credit sales - "
                        "closing receivable) / (opening receivable + credit sales - closing "
                        "receivable not yet due) x 100."
                    ),
                    debt["current"]["cei"],
                    debt["previous"]["cei"],
                    fmt="percent",
                    domain=with_debt,
                    sequence=120,
                ),
            ]
        return cards

    @api.model
    def _sh_dashboard_charts(self, ctx):
        figures = self._sh_figures(ctx)
        months = ctx["months"]
        month_labels = [self._sh_month_label(month) for month in months]
        month_domains = [
            self._sh_bought_domain(ctx, max(month, ctx["date_from"]), min(end, ctx["date_to"]))
            for month, end in ((m, m + relativedelta(months=1, days=-1)) for m in months)
        ]
        sales_datasets = [
            {
                "key": "current",
                "label": _("This Period"),
                "data": [
                    self._sh_money(ctx, figures["sales_by_month"].get(m, 0.0)) for m in months
                ],
            }
        ]
        if ctx["compare"]:
            sales_datasets.append(
                {
                    "key": "previous",
                    "label": _("Previous Period"),
                    "data": [
                        self._sh_money(ctx, figures["previous_sales_by_month"].get(m, 0.0))
                        for m in ctx["previous_months"]
                    ],
                }
            )
        new_by_month = figures["new_by_month"]
        returning_by_month = figures["returning_by_month"]
        charts = [
            self._sh_chart(
                "sales_by_month",
                _("Net Sales by Month"),
                "bar",
                month_labels,
                sales_datasets,
                month_domains,
                fmt="money",
                sequence=10,
            ),
            self._sh_chart(
                "new_vs_returning",
                _("New and Returning Buyers by Month"),
                "bar",
                month_labels,
                [
                    {
                        "key": "new",
                        "label": _("New Buyers"),
                        "data": [new_by_month.get(m, 0) for m in months],
                    },
                    {
                        "key": "returning",
                        "label": _("Returning Buyers"),
                        "data": [returning_by_month.get(m, 0) for m in months],
                    },
                ],
                month_domains,
                sequence=20,
            ),
        ]
        segment_labels = dict(
            self.env["res.partner"]._fields["sh_rfm_segment"]._description_selection(self.env)
        )
        segments = [key for key, _label in RFM_SEGMENTS if figures["segments"].get(key)]
        charts.append(
            self._sh_chart(
                "rfm_segments",
                _("Customers per RFM Segment"),
                "doughnut",
                [segment_labels[key] for key in segments],
                [
                    {
                        "key": "customers",
                        "label": _("Customers"),
                        "data": [figures["segments"][key] for key in segments],
                    }
                ],
                [[("sh_rfm_segment", "=", key)] for key in segments],
                sequence=30,
            )
        )
        if ctx["show_debt"]:
            aging = figures["debt"]["aging"]
            charts.append(
                self._sh_chart(
                    "debt_aging",
                    _("Debt by Age"),
                    "bar",
                    [self._sh_bucket_label(fname) for fname in DEBT_BUCKETS],
                    [
                        {
                            "key": "debt",
                            "label": _("Debt"),
                            "data": [self._sh_money(ctx, aging[fname]) for fname in DEBT_BUCKETS],
                        }
                    ],
                    [[(fname, ">", 0)] for fname in DEBT_BUCKETS],
                    fmt="money",
                    sequence=40,
                )
            )
        top = self._sh_top_rows(ctx)
        charts.append(
            self._sh_chart(
                "top_customers",
                _("Top 10 Customers by Net Sales"),
                "bar",
                [row["name"] for row in top],
                [
                    {
                        "key": "net_sales",
                        "label": _("Net Sales"),
                        "data": [row["net_sales"] for row in top],
                    }
                ],
                [[("id", "=", row["id"])] for row in top],
                fmt="money",
                sequence=50,
                horizontal=True,
            )
        )
        status_labels = dict(
            self.env["res.partner"]._fields["sh_lifecycle_status"]._description_selection(self.env)
        )
        statuses = [key for key, _label in LIFECYCLE_STATUSES if figures["statuses"].get(key)]
        charts.append(
            self._sh_chart(
                "lifecycle_status",
                _("Customers per Status"),
                "pie",
                [status_labels[key] for key in statuses],
                [
                    {
                        "key": "customers",
                        "label": _("Customers"),
                        "data": [figures["statuses"][key] for key in statuses],
                    }
                ],
                [[("sh_lifecycle_status", "=", key)] for key in statuses],
                sequence=60,
            )
        )
        return charts

    @api.model
    def _sh_dashboard_tables(self, ctx):
        money = "money"
        top_columns = [
            {"key": "name", "label": _("Customer"), "format": "text"},
            {"key": "code", "label": _("Code"), "format": "text"},
            {"key": "net_sales", "label": _("Net Sales"), "format": money},
            {"key": "invoice_count", "label": _("Invoices"), "format": "number"},
            {"key": "average_order_value", "label": _("Average Order Value"), "format": money},
            {"key": "last_purchase_date", "label": _("Last Purchase"), "format": "date"},
        ]
        at_risk_columns = [
            {"key": "name", "label": _("Customer"), "format": "text"},
            {"key": "code", "label": _("Code"), "format": "text"},
            {"key": "net_sales", "label": _("Net Sales"), "format": money},
            {"key": "last_purchase_date", "label": _("Last Purchase"), "format": "date"},
            {"key": "reasons", "label": _("Why"), "format": "list"},
        ]
        if ctx["show_debt"]:
            at_risk_columns.insert(3, {"key": "overdue", "label": _("Overdue"), "format": money})
        return [
            {
                "key": "top_customers",
                "title": _("Top Customers"),
                "columns": top_columns,
                "rows": self._sh_top_rows(ctx),
                "sequence": 10,
            },
            {
                "key": "at_risk",
                "title": _("At-Risk Customers"),
                "columns": at_risk_columns,
                "rows": self._sh_at_risk_items(ctx, self._sh_figures(ctx)["at_risk_ids"]),
                "sequence": 20,
            },
        ]

    @api.model
    def _sh_analytics(self, ctx):
        figures = self._sh_figures(ctx)
        cur = figures["current"]
        segment_labels = dict(
            self.env["res.partner"]._fields["sh_rfm_segment"]._description_selection(self.env)
        )
        total = sum(figures["segments"].values())
        segments = [
            {
                "key": key,
                "label": segment_labels[key],
                "customers": figures["segments"].get(key, 0),
                "share": self._sh_percent(figures["segments"].get(key, 0), total),
                "net_sales": self._sh_money(ctx, figures["segment_sales"].get(key, 0.0)),
            }
            for key, _label in RFM_SEGMENTS
        ]
        clv = figures["clv"]
        analytics = {
            "period": self._sh_period_data(ctx),
            "currency": ctx["currency"].name,
            "customers": cur["customers"],
            "segments": segments,
            "retention": {
                "rate": cur["retention"],
                "customers_at_start": cur["at_start"],
                "customers_at_end": cur["at_end"],
                "new_customers": cur["new"],
            },
            "churn": {
                "rate": None if cur["retention"] is None else round(100.0 - cur["retention"], 2),
                "churned_in_period": cur["churned"],
            },
            "repeat_purchase": {
                "rate": cur["repeat_rate"],
                "repeat_customers": cur["repeaters"],
                "customers": cur["buyers"],
            },
            "average_order_value": {
                "value": self._sh_money(ctx, cur["aov"] or 0.0),
                "net_sales": self._sh_money(ctx, cur["net_sales"]),
                "invoices": cur["invoices"],
            },
            "clv": {
                "historical": {
                    "customers": clv["customers"],
                    "total": self._sh_money(ctx, clv["total"]),
                    "average": self._sh_money(ctx, clv["total"] / clv["customers"])
                    if clv["customers"]
                    else 0.0,
                },
                # No model of future purchases is fitted yet.
                "predicted": None,
            },
            "cei": None,
            "nps": None,
            "engagement": None,
        }
        if ctx["show_debt"]:
            debt = self._sh_debt_figures(ctx)["current"]
            analytics["cei"] = {
                "rate": debt["cei"],
                "opening_receivable": self._sh_money(ctx, debt["opening"]),
                "credit_sales": self._sh_money(ctx, debt["credit_sales"]),
                "closing_receivable": self._sh_money(ctx, debt["debt"]),
                "closing_receivable_not_due": self._sh_money(ctx, debt["not_due"]),
            }
        return analytics

    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------

    @api.model
    def _sh_dashboard_context(self, date_from, date_to, period, compare):
        """The resolved period and what every part of the dashboard shares."""
        today = fields.Date.context_today(self)
        if date_from or date_to:
            start = self._sh_parse_date(date_from, "date_from") if date_from else None
            end = self._sh_parse_date(date_to, "date_to") if date_to else today
            if not start:
                raise UserError(_("Give the first day of the period (date_from)."))
            if start > end:
                raise UserError(
                    _(
                        "The period starts (%(start)s) after it ends (%(end)s).",
                        start=fields.Date.to_string(start),
                        end=fields.Date.to_string(end),
                    )
                )
            if (end - start).days > MAX_PERIOD_DAYS:
                raise UserError(_("The period cannot be longer than ten years."))
            previous_to = start - timedelta(days=1)
            previous_from = previous_to - (end - start)
            period = "custom"
        else:
            if period not in PERIOD_MONTHS:
                raise UserError(
                    _(
                        "Unknown period %(period)s; use one of: %(periods)s.",
                        period=period,
                        periods=", ".join(PERIOD_MONTHS),
                    )
                )
            end = today
            if period == "this_month":
                start = today.replace(day=1)
            elif period == "quarter":
                start = today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
            elif period == "year":
                start = today.replace(day=1, month=1)
            else:
                start = today - relativedelta(months=12) + timedelta(days=1)
            shift = relativedelta(months=PERIOD_MONTHS[period])
            previous_from, previous_to = start - shift, end - shift
        months = self._sh_months(start, end)
        previous_months = self._sh_months(previous_from, previous_to)
        # Align the previous period's months with this period's.
        previous_months = (previous_months + [None] * len(months))[: len(months)]
        company = self.env.company
        return {
            "today": today,
            "period": period,
            "date_from": start,
            "date_to": end,
            "previous_from": previous_from,
            "previous_to": previous_to,
            "months": months,
            "previous_months": previous_months,
            "compare": bool(compare),
            "company": company,
            "currency": company.currency_id,
            "show_debt": self.env.user.has_groups(DEBT_GROUPS),
        }

    @api.model
    def _sh_list_period(self, ctx):
        """The dashboard's period as the customers list's KPI cards name it:
        the same named period, or the dates."""
        period = LIST_PERIODS.get(ctx["period"], "custom")
        return {
            "period": period,
            "date_from": fields.Date.to_string(ctx["date_from"]),
            "date_to": fields.Date.to_string(ctx["date_to"]),
        }

    @api.model
    def _sh_parse_date(self, value, name):
        if isinstance(value, date):
            return value
        try:
            parsed = fields.Date.to_date(value)
        except (TypeError, ValueError):
            parsed = None
        if not parsed:
            raise UserError(
                _(
                    "%(name)s must be a date written YYYY-MM-DD, not %(value)s.",
                    name=name,
                    value=value,
                )
            )
        return parsed

    @api.model
    def _sh_months(self, start, end):
        month = start.replace(day=1)
        months = []
        while month <= end:
            months.append(month)
            month += relativedelta(months=1)
        return months

    @api.model
    def _sh_month_label(self, month):
        return babel_format_date(month, "MMM yyyy", locale=get_lang(self.env).code)

    @api.model
    def _sh_period_data(self, ctx):
        labels = {
            "this_month": _("This Month"),
            "quarter": _("This Quarter"),
            "year": _("This Year"),
            "12m": _("Last 12 Months"),
        }
        label = labels.get(ctx["period"]) or _(
            "%(start)s - %(end)s",
            start=format_date(self.env, ctx["date_from"]),
            end=format_date(self.env, ctx["date_to"]),
        )
        return {
            "date_from": fields.Date.to_string(ctx["date_from"]),
            "date_to": fields.Date.to_string(ctx["date_to"]),
            "previous_from": fields.Date.to_string(ctx["previous_from"]),
            "previous_to": fields.Date.to_string(ctx["previous_to"]),
            "period": ctx["period"],
            "label": label,
        }

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _sh_customer_query(self):
        """The customers the current user may see, as a query on res_partner
        (record rules and the current company apply)."""
        self.env["res.partner"]._sh_flush_for_stats()
        return self.env["res.partner"]._search(CUSTOMER_DOMAIN)

    @api.model
    def _sh_company_ids(self, ctx):
        """A company sees the sales and receivables of its whole company
        tree, as the customer figures do."""
        if "company_ids" not in ctx:
            ctx["company_ids"] = ctx["company"]._sh_tree_company_ids()
        return ctx["company_ids"]

    @api.model
    def _sh_figures(self, ctx):
        """Every sales and status figure of the dashboard, from one
        statement: the visible customers are read once, with their sales
        and receivable history (``sh.customer.figure``), which gives their
        purchases and receivable on any day, and the entries of both periods
        for the months' chart; for users who may see receivables, the few
        items not yet due at the end of each period. No sales document is read:
        the statement's cost follows the number of customers and of their
        entries in the periods, and its plan does not depend on estimates
        of how many customers are visible. Amounts are summed as
        floating-point numbers (see ``_sh_debt_sql``)."""
        if "figures" in ctx:
            return ctx["figures"]
        query = self._sh_customer_query()
        partner = query.table
        Figure = self.env["sh.customer.figure"]
        figure = Figure._sh_join(query, partner, ctx["company"])

        def value(column):
            return Figure._sh_column(figure, column)

        company = ctx["company"]
        df, dt = ctx["date_from"], ctx["date_to"]
        pf, pt = ctx["previous_from"], ctx["previous_to"]
        start, previous_start = df - timedelta(days=1), pf - timedelta(days=1)
        # Each customer's last purchase (and invoice count) as of the days
        # the periods need, each day once (a period often starts the day
        # after the previous one ends).
        suffixes = {
            day: f"d{index}" for index, day in enumerate(sorted({dt, start, pt, previous_start}))
        }

        def position(suffix, kind="sale"):
            return SQL.identifier("history", f"{kind}_position_{suffix}")

        def as_of(suffix, count=True):
            """Last purchase (and invoice count) as of a day, from the
            customer's sales history."""
            last = SQL(
                "%s AS %s",
                Figure._sh_last_invoice_until("history", position(suffix)),
                SQL.identifier(f"last_{suffix}"),
            )
            if not count:
                return last
            return SQL(
                "%s, %s AS %s",
                last,
                Figure._sh_invoices_until("history", position(suffix)),
                SQL.identifier(f"count_{suffix}"),
            )

        def at_risk(day, suffix):
            """The customer's lifecycle status is At risk on ``day``."""
            last, count = SQL.identifier(f"last_{suffix}"), SQL.identifier(f"count_{suffix}")
            gap = SQL("ROUND((%s - first_date)::numeric / NULLIF(%s - 1, 0), 1)", last, count)
            return SQL(
                """%(count)s > 1
                   AND %(day)s::date - %(last)s <= %(churn)s
                   AND %(day)s::date - first_date > %(new)s
                   AND %(gap)s > 0
                   AND %(day)s::date - %(last)s > %(factor)s * %(gap)s""",
                count=count,
                last=last,
                day=day,
                gap=gap,
                churn=company.sh_churn_days,
                new=company.sh_new_customer_days,
                factor=company.sh_at_risk_gap_factor,
            )

        def customer_on(day, suffix):
            """The customer bought within the churn period before ``day``."""
            last = SQL.identifier(f"last_{suffix}")
            return SQL("%s::date - %s <= %s", day, last, company.sh_churn_days)

        # An entry of a buyer's sales history in the months' chart, and the
        # one before it.
        entry = SQL("customer.window_start + item.n")
        entry_before = SQL("customer.window_start + item.n - 1")

        def period_figures(first, last, end_suffix, start_suffix, prefix):
            invoices = SQL.identifier(f"{prefix}_invoices")
            return SQL(
                """json_build_object(
                    'customers', COUNT(*) FILTER (WHERE first_date <= %(last)s),
                    'buyers', COUNT(*) FILTER (WHERE %(invoices)s > 0),
                    'repeaters', COUNT(*) FILTER (WHERE %(invoices)s > 1),
                    'new', COUNT(*) FILTER (WHERE first_date BETWEEN %(first)s AND %(last)s),
                    'at_risk', COUNT(*) FILTER (WHERE %(at_risk)s),
                    'churned', COUNT(*) FILTER (
                        WHERE %(end_last)s + %(churn_after)s BETWEEN %(first)s AND %(last)s),
                    'at_start', COUNT(*) FILTER (WHERE %(start_customer)s),
                    'at_end', COUNT(*) FILTER (WHERE %(end_customer)s),
                    'invoices', COALESCE(SUM(%(invoices)s), 0)
                )""",
                first=first,
                last=last,
                invoices=invoices,
                at_risk=at_risk(last, end_suffix),
                end_last=SQL.identifier(f"last_{end_suffix}"),
                churn_after=company.sh_churn_days + 1,
                start_customer=customer_on(first - timedelta(days=1), start_suffix),
                end_customer=customer_on(last, end_suffix),
            )

        statement = SQL(
            """
            -- The visible customers with, from their history, their
            -- purchases as of the days the periods need and, for users who
            -- may see receivables, their receivable on those days. (The
            -- history is read where it lies: OFFSET 0 keeps the positions
            -- computed once per customer without copying the arrays.)
            WITH customer AS MATERIALIZED (
                SELECT history.id, history.status, history.segment, history.net_sales,
                       CASE WHEN history.first_purchase <= %(dt)s
                            THEN history.first_purchase END AS first_date,
                       %(as_of)s,
                       CASE WHEN %(sold)s THEN %(cur_sales)s END AS cur_sales,
                       %(cur_invoices)s AS cur_invoices,
                       %(prev_invoices)s AS prev_invoices,
                       -- The sales history of the customers who bought in
                       -- either period, with the positions around both,
                       -- for the months' chart.
                       %(window_start)s AS window_start,
                       %(window_end)s AS window_end,
                       %(window_history)s
                       %(receivable)s
                  FROM (%(customers)s OFFSET 0) history
            )
            SELECT
                (SELECT %(current)s FROM customer),
                (SELECT %(previous)s FROM customer),
                (SELECT json_object_agg(month, json_build_array(
                            amount, previous_amount, buyers, new_count))
                   FROM (
                    SELECT month.month,
                           month.amount, month.previous_amount, month.buyers,
                           COALESCE(first.new_count, 0) AS new_count
                      FROM (
                        -- The sales of both periods by month, from each
                        -- buyer's history between the positions around
                        -- them: a day's first entry carries the day's
                        -- sales and invoices (its peers share its running
                        -- figures). A buyer counts in a month at its first
                        -- invoice there: its last invoice before was
                        -- earlier than the month (or the period's start).
                        SELECT %(month)s AS month,
                               SUM(%(entry_sales)s) FILTER (
                                   WHERE item.day BETWEEN %(df)s AND %(dt)s
                               ) AS amount,
                               SUM(%(entry_sales)s) FILTER (
                                   WHERE item.day BETWEEN %(pf)s AND %(pt)s
                               ) AS previous_amount,
                               COUNT(*) FILTER (
                                   WHERE item.day BETWEEN %(df)s AND %(dt)s
                                     AND %(entry_invoices)s > 0
                                     AND (%(last_before)s IS NULL
                                          OR %(last_before)s < GREATEST(%(month)s, %(df)s))
                               ) AS buyers
                          FROM customer
                         CROSS JOIN LATERAL unnest(
                               customer.sale_dates[customer.window_start + 1
                                                   : customer.window_end]
                         ) WITH ORDINALITY AS item(day, n)
                         WHERE customer.window_end > customer.window_start
                         GROUP BY 1
                      ) month
                      LEFT JOIN (
                        SELECT %(first_month)s AS month,
                               COUNT(*) AS new_count
                          FROM customer
                         WHERE first_date BETWEEN %(df)s AND %(dt)s
                         GROUP BY 1
                      ) first ON first.month = month.month
                ) sales),
                (SELECT json_object_agg(status, count) FROM (
                    SELECT status, COUNT(*) AS count FROM customer
                     WHERE status IS NOT NULL GROUP BY status
                ) statuses),
                (SELECT json_object_agg(segment, json_build_array(count, net_sales)) FROM (
                    SELECT segment, COUNT(*) AS count, SUM(net_sales) AS net_sales
                      FROM customer
                     WHERE segment IS NOT NULL
                     GROUP BY segment
                ) segments),
                (SELECT json_agg(json_build_object(
                            'id', id, 'net_sales', cur_sales,
                            'invoices', cur_invoices,
                            'aov', cur_sales / NULLIF(cur_invoices, 0)
                        ) ORDER BY cur_sales DESC, id)
                   FROM (SELECT * FROM customer WHERE cur_sales IS NOT NULL
                          ORDER BY cur_sales DESC, id LIMIT 10) top),
                (SELECT json_build_object(
                    'customers', COUNT(*) FILTER (WHERE status <> 'prospect'),
                    'total', COALESCE(SUM(net_sales) FILTER (WHERE status <> 'prospect'), 0)
                ) FROM customer),
                (SELECT json_agg(id ORDER BY net_sales DESC NULLS LAST, id) FROM (
                    SELECT id, net_sales FROM customer WHERE status = 'at_risk'
                     ORDER BY net_sales DESC NULLS LAST, id LIMIT %(at_risk_rows)s
                ) at_risk),
                (%(debt)s)
            """,
            customers=query.select(
                SQL.identifier(partner, "id"),
                SQL("%s AS status", value("lifecycle_status")),
                SQL("%s AS segment", value("rfm_segment")),
                SQL("%s AS net_sales", value("net_sales")),
                SQL("%s AS first_purchase", value("first_purchase_date")),
                *(
                    SQL("%s AS %s", value(column), SQL.identifier(column))
                    for column in (DEBT_BUCKET_COLUMNS if ctx["show_debt"] else ())
                ),
                *(SQL.identifier(figure, column) for column in Figure._sh_history_columns()),
                *(
                    SQL(
                        "%s AS %s",
                        Figure._sh_position(figure, day, f"{kind}_dates"),
                        SQL.identifier(f"{kind}_position_{suffix}"),
                    )
                    for day, suffix in suffixes.items()
                    for kind in ("sale", "receivable")
                ),
            ),
            sold=SQL("%s > %s", position(suffixes[dt]), position(suffixes[start])),
            cur_sales=Figure._sh_sales_between(
                "history", position(suffixes[start]), position(suffixes[dt])
            ),
            cur_invoices=Figure._sh_invoices_between(
                "history", position(suffixes[start]), position(suffixes[dt])
            ),
            prev_invoices=Figure._sh_invoices_between(
                "history", position(suffixes[previous_start]), position(suffixes[pt])
            ),
            receivable=SQL(", %s", self._sh_receivable_columns(ctx, suffixes, position))
            if ctx["show_debt"]
            else SQL(),
            window_start=position(suffixes[previous_start]),
            window_end=position(suffixes[dt]),
            window_history=SQL(", ").join(
                SQL(
                    "CASE WHEN %s > %s THEN %s END AS %s",
                    position(suffixes[dt]),
                    position(suffixes[previous_start]),
                    SQL.identifier("history", column),
                    SQL.identifier(column),
                )
                for column in Figure._sh_history_columns("sales")
            ),
            entry_sales=Figure._sh_sales_between("customer", entry_before, entry),
            entry_invoices=Figure._sh_invoices_between("customer", entry_before, entry),
            last_before=Figure._sh_last_invoice_until("customer", entry_before),
            # The first day of the month, without the time zone conversion
            # a date_trunc of a date implies.
            month=SQL("date_trunc('month', item.day::timestamp)::date"),
            first_month=SQL("date_trunc('month', first_date::timestamp)::date"),
            df=df,
            dt=dt,
            pf=pf,
            pt=pt,
            as_of=SQL(", ").join(
                as_of(suffix, count=day in (dt, pt)) for day, suffix in suffixes.items()
            ),
            current=period_figures(df, dt, suffixes[dt], suffixes[start], "cur"),
            previous=period_figures(pf, pt, suffixes[pt], suffixes[previous_start], "prev"),
            at_risk_rows=AT_RISK_ROWS,
            debt=self._sh_debt_sql(ctx, suffixes) if ctx["show_debt"] else SQL("NULL"),
        )
        with self._sh_analytic_settings():
            [row] = self.env.execute_query(statement)
        (current, previous, sales, statuses, segments, top, totals, at_risk_ids, debt) = row
        if ctx["date_to"] >= ctx["today"]:
            # The stored status is the one the customer list filters on.
            current["at_risk"] = (statuses or {}).get("at_risk", 0)
        current["net_sales"] = sum(v[0] or 0.0 for v in (sales or {}).values())
        previous["net_sales"] = sum(v[1] or 0.0 for v in (sales or {}).values())
        for values in (current, previous):
            self._sh_add_rates(values)
        segments = segments or {}
        ctx["figures"] = figures = {
            "current": current,
            "previous": previous,
            "sales_by_month": {
                fields.Date.to_date(k): v[0] or 0.0 for k, v in (sales or {}).items()
            },
            "previous_sales_by_month": {
                fields.Date.to_date(k): v[1] or 0.0 for k, v in (sales or {}).items()
            },
            "new_by_month": {fields.Date.to_date(k): v[3] for k, v in (sales or {}).items()},
            "returning_by_month": {
                fields.Date.to_date(k): v[2] - v[3] for k, v in (sales or {}).items()
            },
            "statuses": {key: count for key, count in (statuses or {}).items() if key},
            "segments": {key: v[0] for key, v in segments.items() if key},
            "segment_sales": {key: v[1] or 0.0 for key, v in segments.items() if key},
            "top": top or [],
            "clv": {"customers": totals["customers"], "total": totals["total"]},
            "at_risk_ids": at_risk_ids or [],
            "debt": debt and self._sh_debt_values(ctx, debt),
        }
        return figures

    @api.model
    @contextmanager
    def _sh_analytic_settings(self):
        """Run the block's statements as the analytic statements they are:
        without JIT compilation (on the dashboard's aggregates its compile
        time, seconds, exceeds the time it saves, and the planner's cost
        estimate, which grows with the data, would switch it on past a
        size), and with the memory to group and sort a period's sales
        without spilling them to disk. The settings end with the block."""
        settings = {"jit": "off", "work_mem": ANALYTIC_WORK_MEM}
        [previous] = self.env.execute_query(
            SQL("SELECT %s", SQL(", ").join(SQL("current_setting(%s)", name) for name in settings))
        )
        self._sh_set_config(settings)
        try:
            yield
        finally:
            self._sh_set_config(dict(zip(settings, previous, strict=True)))

    @api.model
    def _sh_set_config(self, settings):
        self.env.execute_query(
            SQL(
                "SELECT %s",
                SQL(", ").join(
                    SQL("set_config(%s, %s, true)", name, value) for name, value in settings.items()
                ),
            )
        )

    @api.model
    def _sh_add_rates(self, values):
        values["aov"] = values["net_sales"] / values["invoices"] if values["invoices"] else None
        values["repeat_rate"] = self._sh_percent(values["repeaters"], values["buyers"])
        values["retention"] = self._sh_percent(values["at_end"] - values["new"], values["at_start"])

    @api.model
    def _sh_debt_figures(self, ctx):
        """Receivable of the visible customers at the ends of both periods,
        the debt recovery rate (CEI) of each, and today's aging."""
        return self._sh_figures(ctx)["debt"]

    @api.model
    def _sh_receivable_columns(self, ctx, suffixes, position):
        """Per visible customer (``history``: the customers with their
        history and its positions, see ``_sh_figures``): the receivable on
        each day the periods need (``balance_<suffix>``), the credit sales
        of each period, and today's aging buckets (as the customer's figures
        hold them)."""
        Figure = self.env["sh.customer.figure"]
        start = ctx["date_from"] - timedelta(days=1)
        previous_start = ctx["previous_from"] - timedelta(days=1)

        def receivable_position(day):
            return position(suffixes[day], "receivable")

        return SQL(", ").join(
            [
                *(SQL.identifier("history", column) for column in DEBT_BUCKET_COLUMNS),
                *(
                    SQL(
                        "%s AS %s",
                        Figure._sh_receivable_until("history", position(suffix, "receivable")),
                        SQL.identifier(f"balance_{suffix}"),
                    )
                    for suffix in suffixes.values()
                ),
                SQL(
                    "%s AS credit_sales",
                    Figure._sh_credit_sales_between(
                        "history", receivable_position(start), receivable_position(ctx["date_to"])
                    ),
                ),
                SQL(
                    "%s AS previous_credit_sales",
                    Figure._sh_credit_sales_between(
                        "history",
                        receivable_position(previous_start),
                        receivable_position(ctx["previous_to"]),
                    ),
                ),
            ]
        )

    @api.model
    def _sh_debt_sql(self, ctx, suffixes):
        """The receivable figures of the visible customers (``customer`` of
        the figures' statement): the receivable on the days the periods
        need and the credit sales (the items of sales journals) of each
        period, summed from the customers' receivable history; the part not
        yet due at the end of each period, the residual on that day of the
        items whose due date had not passed, from those items alone (found
        by due date) and the partial reconciliations made by then; and
        today's aging, the sum of the customers' aging buckets as their
        figures hold them (what the customer list shows and filters on).

        Amounts are summed as floating-point numbers: they have two decimals
        and far fewer than fifteen digits, so their sums round back to the
        cent exactly, at a fraction of the cost of exact decimals."""
        dt, pt = ctx["date_to"], ctx["previous_to"]
        receivable = SQL(
            """line.parent_state = 'posted'
               AND line.account_id = ANY(%(accounts)s)
               AND line.company_id = ANY(%(company_ids)s)
               AND line.partner_id IN (SELECT id FROM customer)""",
            accounts=self._sh_receivable_account_ids(ctx),
            company_ids=self._sh_company_ids(ctx),
        )
        due = SQL("COALESCE(line.date_maturity, line.date)")

        def not_due_on(day):
            return SQL("(line.date <= %s AND %s >= %s)", day, due, day)

        return SQL(
            """
            WITH not_due AS MATERIALIZED (
                -- The items not yet due at the end of either period, found
                -- by their due date.
                SELECT line.id, line.balance::float8 AS balance,
                       %(not_due)s AS current, %(previous_not_due)s AS previous
                  FROM account_move_line line
                 WHERE %(receivable)s
                   AND %(due)s >= %(first_day)s
                   AND (%(not_due)s OR %(previous_not_due)s)
            )
            SELECT json_build_object(
                'balances', history.balances,
                'sales', history.sales,
                'previous_sales', history.previous_sales,
                'not_due', not_due_total.current,
                'previous_not_due', not_due_total.previous,
                'aging', history.aging,
                'applied', (
                    -- What partial reconciliations made by each day applied to
                    -- the items not yet due that day, found by index.
                    SELECT json_build_array(
                               COALESCE(SUM(applied.amount) FILTER (
                                   WHERE applied.max_date <= %(dt)s AND not_due.current), 0),
                               COALESCE(SUM(applied.amount) FILTER (
                                   WHERE applied.max_date <= %(pt)s AND not_due.previous), 0))
                      FROM not_due
                     CROSS JOIN LATERAL (
                            SELECT amount, max_date
                              FROM account_partial_reconcile
                             WHERE debit_move_id = not_due.id
                            UNION ALL
                            SELECT -amount, max_date
                              FROM account_partial_reconcile
                             WHERE credit_move_id = not_due.id
                     ) applied
                )
            )
              FROM (
                SELECT json_build_array(%(balances)s) AS balances,
                       json_build_array(%(aging)s) AS aging,
                       COALESCE(SUM(credit_sales), 0) AS sales,
                       COALESCE(SUM(previous_credit_sales), 0) AS previous_sales
                  FROM customer
              ) history
             CROSS JOIN (
                SELECT COALESCE(SUM(balance) FILTER (WHERE current), 0) AS current,
                       COALESCE(SUM(balance) FILTER (WHERE previous), 0) AS previous
                  FROM not_due
              ) not_due_total
            """,
            balances=SQL(", ").join(
                SQL("COALESCE(SUM(%s), 0)", SQL.identifier(f"balance_{suffixes[day]}"))
                for day in self._sh_balance_days(ctx)
            ),
            aging=SQL(", ").join(
                SQL("COALESCE(SUM(%s), 0)", SQL.identifier(column))
                for column in DEBT_BUCKET_COLUMNS
            ),
            dt=dt,
            pt=pt,
            first_day=min(dt, pt),
            due=due,
            not_due=not_due_on(dt),
            previous_not_due=not_due_on(pt),
            receivable=receivable,
        )

    @api.model
    def _sh_balance_days(self, ctx):
        """The days whose receivable the debt figures need, in order."""
        return sorted(
            {
                ctx["date_from"] - timedelta(days=1),
                ctx["date_to"],
                ctx["previous_from"] - timedelta(days=1),
                ctx["previous_to"],
            }
        )

    @api.model
    def _sh_receivable_account_ids(self, ctx):
        # sudo: the customers' debt is read whatever the user's access to
        # the chart of accounts, like the stored customer figures.
        return (
            self.env["account.account"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("account_type", "=", "asset_receivable"),
                    ("company_ids", "in", self._sh_company_ids(ctx)),
                ]
            )
            .ids
        )

    @api.model
    def _sh_debt_values(self, ctx, debt):
        balance = dict(zip(self._sh_balance_days(ctx), debt["balances"], strict=True))
        applied = dict(zip(("", "previous_"), debt["applied"], strict=True))

        def period(prefix, date_from, date_to):
            opening = balance[date_from - timedelta(days=1)]
            closing = balance[date_to]
            sales = debt[f"{prefix}sales"]
            not_due = debt[f"{prefix}not_due"] - applied[prefix]
            return {
                "opening": opening,
                "credit_sales": sales,
                "debt": closing,
                "not_due": not_due,
                "overdue": closing - not_due,
                "cei": self._sh_cei(opening, sales, closing, not_due),
            }

        return {
            "current": period("", ctx["date_from"], ctx["date_to"]),
            "previous": period("previous_", ctx["previous_from"], ctx["previous_to"]),
            "aging": dict(zip(DEBT_BUCKETS, debt["aging"], strict=True)),
        }

    @api.model
    def _sh_cei(self, opening, sales, closing, closing_not_due):
        return self._sh_percent(opening + sales - closing, opening + sales - closing_not_due)

    @api.model
    def _sh_ranking(self, ctx, by, limit, offset):
        """One page of the visible customers ranked by ``by``, and how many
        are ranked: those with sales in the period, or with debt."""
        query = self._sh_customer_query()
        partner = query.table
        Figure = self.env["sh.customer.figure"]
        figure = Figure._sh_join(query, partner, ctx["company"])
        debt = Figure._sh_column(figure, "debt") if ctx["show_debt"] else SQL("0::float8")
        # The period's sales of each customer from its sales history, as the
        # dashboard's figures read them (not from the documents).
        start = Figure._sh_position(figure, SQL("(%s::date - 1)", ctx["date_from"]))
        end = Figure._sh_position(figure, ctx["date_to"])
        measure = {
            "net_sales": SQL("net_sales"),
            "invoice_count": SQL("invoices"),
            "average_order_value": SQL("net_sales / NULLIF(invoices, 0)"),
            "debt": SQL("debt"),
        }[by]
        ranked = {
            "debt": SQL("debt <> 0"),
            "net_sales": SQL("sold"),
        }.get(by, SQL("invoices > 0"))
        [(total, rows)] = self.env.execute_query(
            SQL(
                """
                WITH customer AS MATERIALIZED (%(customers)s),
                ranked AS MATERIALIZED (
                    SELECT id, net_sales, invoices, net_sales / NULLIF(invoices, 0) AS aov,
                           debt, %(measure)s AS measure
                      FROM customer
                     WHERE %(ranked)s
                )
                SELECT (SELECT COUNT(*) FROM ranked),
                       (SELECT json_agg(json_build_object(
                                   'id', id, 'net_sales', net_sales, 'invoices', invoices,
                                   'aov', aov, 'debt', debt))
                          FROM (SELECT * FROM ranked
                                 ORDER BY measure DESC NULLS LAST, id
                                 LIMIT %(limit)s OFFSET %(offset)s) page)
                """,
                customers=query.select(
                    SQL.identifier(partner, "id"),
                    SQL("%s AS debt", debt),
                    SQL("COALESCE(%s > %s, FALSE) AS sold", end, start),
                    SQL("%s AS net_sales", Figure._sh_sales_between(figure, start, end)),
                    SQL("%s AS invoices", Figure._sh_invoices_between(figure, start, end)),
                ),
                measure=measure,
                ranked=ranked,
                limit=limit,
                offset=offset,
            )
        )
        return total, rows or []

    @api.model
    def _sh_top_items(self, ctx, rows, by):
        """Ranked customers as plain data, from rows of their figures in the
        period (``id``, ``net_sales``, ``invoices``, ``aov`` and, for users
        who may see receivables, ``debt``)."""
        partners = self.env["res.partner"].browse([row["id"] for row in rows])
        fnames = ["name", "sh_customer_code", "sh_last_purchase_date"]
        partners.fetch(fnames + (["sh_debt"] if ctx["show_debt"] else []))
        currency = ctx["currency"]
        items = []
        for row, partner in zip(rows, partners, strict=True):
            item = {
                "id": partner.id,
                "name": partner.name,
                "code": partner.sh_customer_code or "",
                "value": None,
                "net_sales": currency.round(row["net_sales"] or 0.0),
                "invoice_count": row["invoices"] or 0,
                "average_order_value": currency.round(row["aov"] or 0.0),
                "last_purchase_date": fields.Date.to_string(partner.sh_last_purchase_date),
            }
            if ctx["show_debt"]:
                item["debt"] = currency.round(partner.sh_debt)
            item["value"] = item[by]
            items.append(item)
        return items

    @api.model
    def _sh_at_risk_items(self, ctx, ids):
        """At-risk customers as plain data, each with the reasons to call
        them."""
        partners = self.env["res.partner"].browse(ids)
        fnames = ["name", "sh_customer_code", "sh_net_sales", "sh_invoice_count"]
        fnames += ["sh_last_purchase_date", "sh_purchase_gap_days", "sh_rfm_segment"]
        if ctx["show_debt"]:
            fnames += ["sh_debt", "sh_overdue", "sh_over_credit_limit", "credit_limit"]
        partners.fetch(fnames)
        currency = ctx["currency"]
        today = ctx["today"]
        items = []
        for partner in partners:
            last = partner.sh_last_purchase_date
            days = (today - last).days if last else 0
            gap = partner.sh_purchase_gap_days
            reasons = [
                _(
                    "No purchase for %(days)s days, against a usual gap of %(gap)s days",
                    days=days,
                    gap=round(gap),
                )
            ]
            item = {
                "id": partner.id,
                "name": partner.name,
                "code": partner.sh_customer_code or "",
                "net_sales": currency.round(partner.sh_net_sales),
                "invoice_count": partner.sh_invoice_count,
                "last_purchase_date": fields.Date.to_string(last),
                "days_since_purchase": days,
                "usual_gap_days": gap,
                "segment": partner.sh_rfm_segment or "",
                "reasons": reasons,
            }
            if ctx["show_debt"]:
                if partner.sh_overdue > 0:
                    reasons.append(
                        _(
                            "Overdue debt of %(amount)s",
                            amount=format_amount(self.env, partner.sh_overdue, currency),
                        )
                    )
                if partner.sh_over_credit_limit:
                    reasons.append(
                        _(
                            "Debt of %(debt)s over the credit limit of %(limit)s",
                            debt=format_amount(self.env, partner.sh_debt, currency),
                            limit=format_amount(self.env, partner.credit_limit, currency),
                        )
                    )
                item["debt"] = currency.round(partner.sh_debt)
                item["overdue"] = currency.round(partner.sh_overdue)
            items.append(item)
        return items

    @api.model
    def _sh_top_rows(self, ctx):
        """The top 10 customers by net sales of the period, as table rows."""
        if "top_rows" not in ctx:
            rows = self._sh_figures(ctx)["top"]
            ctx["top_rows"] = self._sh_top_items(ctx, rows, "net_sales")
        return ctx["top_rows"]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @api.model
    def _sh_check_page(self, limit, offset):
        try:
            limit, offset = int(limit), int(offset)
        except (TypeError, ValueError):
            raise UserError(_("limit and offset must be whole numbers.")) from None
        if not 1 <= limit <= MAX_PAGE_SIZE or offset < 0:
            raise UserError(
                _(
                    "limit must be between 1 and %(max)s and offset zero or more.",
                    max=MAX_PAGE_SIZE,
                )
            )
        return limit, offset

    @api.model
    def _sh_bought_domain(self, ctx, start, end):
        """Customers who bought (a posted invoice) between ``start`` and
        ``end``: exact through their invoices for users who may read
        invoices, otherwise from their first and last purchase dates (exact
        for a period that ends today), or None."""
        if self._sh_reads_invoices():
            return self._sh_documents_domain(ctx, ["out_invoice"], start, end)
        if end >= ctx["today"]:
            return [("sh_last_purchase_date", ">=", start), ("sh_first_purchase_date", "<=", end)]
        return None

    @api.model
    def _sh_sold_domain(self, ctx, start, end):
        """Customers with a posted invoice or credit note between ``start``
        and ``end``: every customer whose net sales of the period are not
        nothing. Users who may not read invoices get the buyers."""
        if self._sh_reads_invoices():
            return self._sh_documents_domain(ctx, ["out_invoice", "out_refund"], start, end)
        return self._sh_bought_domain(ctx, start, end)

    @api.model
    def _sh_churned_domain(self, ctx, start, end):
        """Customers whose last purchase up to ``end`` was the churn period
        (plus the day it is reached) before a day of the period: they bought
        then and not in the churn period before ``end``."""
        churn_after = timedelta(days=ctx["company"].sh_churn_days + 1)
        if self._sh_reads_invoices():
            return [
                "&",
                *self._sh_bought_domain(ctx, start - churn_after, end - churn_after),
                "!",
                *self._sh_bought_domain(ctx, end - churn_after + timedelta(days=1), end),
            ]
        if end >= ctx["today"]:
            return [
                ("sh_last_purchase_date", ">=", start - churn_after),
                ("sh_last_purchase_date", "<=", end - churn_after),
            ]
        return None

    @api.model
    def _sh_retained_domain(self, ctx, start, end):
        """Customers at the end of the period (a purchase within the churn
        period before ``end``) whose first purchase is before ``start``."""
        churn = timedelta(days=ctx["company"].sh_churn_days)
        at_end = self._sh_bought_domain(ctx, end - churn, end)
        if at_end is None:
            return None
        return [("sh_first_purchase_date", "<", start), *at_end]

    @api.model
    def _sh_reads_invoices(self):
        return self.env["account.move"].has_access("read")

    @api.model
    def _sh_documents_domain(self, ctx, move_types, start, end):
        """Customers with a posted document of ``move_types`` dated between
        ``start`` and ``end`` in the current company's tree, their own or
        one of their contacts', as the customer figures count them."""
        documents = [
            ("move_type", "in", move_types),
            ("state", "=", "posted"),
            ("company_id", "in", self._sh_company_ids(ctx)),
            ("invoice_date", ">=", start),
            ("invoice_date", "<=", end),
        ]
        return [
            "|",
            ("invoice_ids", "any", documents),
            ("child_ids.invoice_ids", "any", documents),
        ]

    @api.model
    def _sh_datetime_bounds(self, date_from, date_to):
        """The UTC datetimes at which the user's day ``date_from`` starts and
        the day after ``date_to`` starts."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

        def midnight(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return midnight(date_from), midnight(date_to + timedelta(days=1))

    @api.model
    def _sh_money(self, ctx, amount):
        return ctx["currency"].round(amount or 0.0)

    @api.model
    def _sh_percent(self, part, whole):
        return round(part * 100.0 / whole, 2) if whole else None

    @api.model
    def _sh_bucket_label(self, fname):
        return self.env["res.partner"]._fields[fname]._description_string(self.env)

    @api.model
    def _sh_domain(self, domain):
        """A customer list domain as plain data: the customers' own
        condition first, dates written as strings."""
        if domain is None:
            return None

        def plain(term):
            if not isinstance(term, (list, tuple)):
                return term
            fname, operator, value = term
            if isinstance(value, datetime):
                value = fields.Datetime.to_string(value)
            elif isinstance(value, date):
                value = fields.Date.to_string(value)
            elif operator == "any":
                value = [plain(inner) for inner in value]
            return [fname, operator, value]

        return [plain(term) for term in CUSTOMER_DOMAIN + list(domain)]

    @api.model
    def _sh_card(
        self,
        ctx,
        key,
        label,
        help_text,
        value,
        previous,
        fmt="number",
        better="up",
        domain=None,
        sequence=100,
        kpi=None,
    ):
        if fmt == "money":
            value = self._sh_money(ctx, value)
            previous = None if previous is None else self._sh_money(ctx, previous)
        elif fmt == "percent":
            value = None if value is None else round(value, 2)
            previous = None if previous is None else round(previous, 2)
        if not ctx["compare"]:
            previous = None
        variation = None
        if value is not None and previous:
            variation = round((value - previous) * 100.0 / abs(previous), 2)
        return {
            "key": key,
            "label": label,
            "help": help_text,
            "value": value,
            "previous": previous,
            "variation": variation,
            "format": fmt,
            "better": better,
            "domain": self._sh_domain(domain),
            # The card of the customers list that shows this figure for the
            # customers the card opens (None: the list does not show it).
            "kpi": kpi if domain is not None else None,
            "sequence": sequence,
        }

    @api.model
    def _sh_chart(
        self,
        key,
        title,
        chart_type,
        labels,
        datasets,
        domains,
        fmt="number",
        sequence=100,
        horizontal=False,
    ):
        return {
            "key": key,
            "title": title,
            "type": chart_type,
            "format": fmt,
            "labels": labels,
            "datasets": datasets,
            "domains": [self._sh_domain(domain) for domain in domains],
            "sequence": sequence,
            # Bars along the other axis, for long labels such as names.
            "horizontal": horizontal,
        }
