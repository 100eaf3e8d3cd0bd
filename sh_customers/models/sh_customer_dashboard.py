"""The customer dashboard (``sh.customer.dashboard``): the methods the
dashboard's client action and the REST API call, each returning plain data,
and the dashboard's cards, charts, tables and analytics described on the
server from the figures that sh_customers/figures/dashboard*.py read. Other
addons add theirs by extending ``_sh_dashboard_cards``,
``_sh_dashboard_charts``, ``_sh_dashboard_tables`` and ``_sh_analytics``
with ``super()``, building them with ``_sh_card`` and ``_sh_chart``."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..figures import dashboard as statements
from ..figures import totals
from ..figures.dashboard_cards import DASHBOARD_CARDS, card_text
from ..figures.dashboard_context import (
    dashboard_context,
    datetime_bounds,
    list_period,
    month_label,
    period_data,
)
from ..figures.dashboard_debt import percent
from ..figures.dashboard_domains import CUSTOMER_DOMAIN, card_domains, month_domains, plain_domain
from ..figures.dashboard_rows import at_risk_items, top_items
from ..figures.dashboard_totals import read_totals_figures
from ..figures.periods import DEFAULT_PERIOD, period_choices
from ..figures.refresh import first_refresh_notice
from ..figures.rules import AGING_BUCKETS, LIFECYCLE_STATUSES, RFM_SEGMENTS
from ..figures.statements import analytic_settings

# What the customers can be ranked by (``get_top_customers``).
TOP_MEASURES = ("net_sales", "invoice_count", "average_order_value", "debt")
# The most customers one page of a ranking or of the at-risk customers holds.
MAX_PAGE_SIZE = 500


class ShCustomerDashboard(models.AbstractModel):
    _name = "sh.customer.dashboard"
    _description = "Customer Dashboard"

    # ------------------------------------------------------------------
    # Public methods (the dashboard and the REST API)
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_dashboard_data(self, date_from=None, date_to=None, period=DEFAULT_PERIOD, compare=True):
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
            # The named periods the dashboard offers, with their labels.
            "periods": period_choices(self.env),
            "customer_action": "sh_customers.res_partner_action_sh_customers",
            # The period the KPI cards of a customers list opened from the
            # dashboard show (``res.partner.sh_get_customer_kpis``).
            "list_period": list_period(ctx),
            "show_debt": ctx["show_debt"],
            # While the first refresh after installation runs, what the
            # dashboard says above its figures: they are not complete yet.
            "first_refresh": first_refresh_notice(self.env),
            "cards": sorted(self._sh_dashboard_cards(ctx), key=by_sequence),
            "charts": sorted(self._sh_dashboard_charts(ctx), key=by_sequence),
            "tables": sorted(self._sh_dashboard_tables(ctx), key=by_sequence),
        }

    @api.model
    @api.readonly
    def get_analytics(self, date_from=None, date_to=None):
        """The customer analytics of the period (by default the last 12
        months): segments, retention and churn, repeat purchase rate, average
        order value, customer lifetime value, debt recovery rate, and what the
        other addons add (NPS, loyalty engagement)."""
        ctx = self._sh_dashboard_context(date_from, date_to, DEFAULT_PERIOD, True)
        return self._sh_analytics(ctx)

    @api.model
    @api.readonly
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
        ctx = self._sh_dashboard_context(date_from, date_to, DEFAULT_PERIOD, False)
        if by == "debt" and not ctx["show_debt"]:
            raise AccessError(_("Only users who may see receivables can rank customers by debt."))
        query = self._sh_customer_query()
        [(total, rows)] = self.env.execute_query(
            statements.ranking_statement(self.env, ctx, query, by, limit, offset)
        )
        items = self._sh_top_items(ctx, rows or [], by)
        return {"total": total, "by": by, "period": self._sh_period_data(ctx), "items": items}

    @api.model
    @api.readonly
    def get_at_risk_customers(self, limit=20, offset=0):
        """The at-risk customers, most valuable first, one page, each with
        the reasons to call them."""
        limit, offset = self._sh_check_page(limit, offset)
        ctx = self._sh_dashboard_context(None, None, DEFAULT_PERIOD, False)
        Partner = self.env["res.partner"]
        Partner._sh_flush_for_stats()
        query = Partner._search(CUSTOMER_DOMAIN + [("sh_lifecycle_status", "=", "at_risk")])
        [(total, ids)] = self.env.execute_query(
            statements.at_risk_page_statement(self.env, query, limit, offset)
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
        domains = card_domains(self.env, ctx)
        values = {"days": ctx["company"].sh_churn_days}
        cards = []
        for card in DASHBOARD_CARDS:
            if card.receivable and not ctx["show_debt"]:
                continue
            period_figures = figures["debt"] if card.receivable else figures
            cards.append(
                self._sh_card(
                    ctx,
                    card.key,
                    card_text(self.env, card.label, values),
                    card_text(self.env, card.help, values),
                    period_figures["current"][card.figure],
                    period_figures["previous"][card.figure],
                    fmt=card.fmt,
                    better=card.better,
                    domain=domains[card.key],
                    kpi=card.kpi,
                    sequence=card.sequence,
                )
            )
        return cards

    @api.model
    def _sh_dashboard_charts(self, ctx):
        figures = self._sh_figures(ctx)
        charts = self._sh_month_charts(ctx)
        charts.append(
            self._sh_selection_chart(
                "rfm_segments",
                _("Customers per RFM Segment"),
                "doughnut",
                "sh_rfm_segment",
                self._sh_selection_counts("sh_rfm_segment", RFM_SEGMENTS, figures["segments"]),
                sequence=30,
            )
        )
        if ctx["show_debt"]:
            aging = figures["debt"]["aging"]
            charts.append(
                self._sh_series_chart(
                    "debt_aging",
                    _("Debt by Age"),
                    "bar",
                    ("debt", _("Debt")),
                    [
                        (
                            self._sh_bucket_label(bucket.partner_field),
                            self._sh_money(ctx, aging[bucket.partner_field]),
                            [(bucket.partner_field, ">", 0)],
                        )
                        for bucket in AGING_BUCKETS
                    ],
                    fmt="money",
                    sequence=40,
                )
            )
        charts.append(
            self._sh_series_chart(
                "top_customers",
                _("Top 10 Customers by Net Sales"),
                "bar",
                ("net_sales", _("Net Sales")),
                [
                    (row["name"], row["net_sales"], [("id", "=", row["id"])])
                    for row in self._sh_top_rows(ctx)
                ],
                fmt="money",
                sequence=50,
                horizontal=True,
            )
        )
        statuses = figures["statuses"]
        charts.append(
            self._sh_selection_chart(
                "lifecycle_status",
                _("Customers per Status"),
                "pie",
                "sh_lifecycle_status",
                self._sh_selection_counts("sh_lifecycle_status", LIFECYCLE_STATUSES, statuses),
                sequence=60,
            )
        )
        return charts

    @api.model
    def _sh_month_charts(self, ctx):
        """The charts by month of the period: net sales (and those of the
        previous period), new and returning buyers."""
        figures = self._sh_figures(ctx)
        months = ctx["months"]
        month_labels = [month_label(self.env, month) for month in months]
        buyers = month_domains(self.env, ctx)
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
        buyer_datasets = [
            {
                "key": key,
                "label": label,
                "data": [figures[f"{key}_by_month"].get(m, 0) for m in months],
            }
            for key, label in (("new", _("New Buyers")), ("returning", _("Returning Buyers")))
        ]
        return [
            self._sh_chart(
                "sales_by_month",
                _("Net Sales by Month"),
                "bar",
                month_labels,
                sales_datasets,
                buyers,
                fmt="money",
                sequence=10,
            ),
            self._sh_chart(
                "new_vs_returning",
                _("New and Returning Buyers by Month"),
                "bar",
                month_labels,
                buyer_datasets,
                buyers,
                sequence=20,
            ),
        ]

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
        total = sum(figures["segments"].values())
        segments = [
            {
                "key": key,
                "label": label,
                "customers": count,
                "share": self._sh_percent(count, total),
                "net_sales": self._sh_money(ctx, figures["segment_sales"].get(key, 0.0)),
            }
            for key, label, count in self._sh_selection_counts(
                "sh_rfm_segment", RFM_SEGMENTS, figures["segments"], empty=True
            )
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
                # The predicted lifetime value, when an addon fits a model
                # of future purchases (sh_reports, in the API's answer).
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
        return dashboard_context(self.env, today, date_from, date_to, period, compare)

    @api.model
    def _sh_period_data(self, ctx):
        return period_data(self.env, ctx)

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
        """The companies whose sales and receivables the dashboard counts:
        the current company's whole tree."""
        return ctx["company_ids"]

    @api.model
    def _sh_figures(self, ctx):
        """Every sales, status and receivable figure of the dashboard, read
        once per context by one statement (see
        ``figures.dashboard.figures_statement``), or from the companies'
        totals (``figures.dashboard_totals``)."""
        if "figures" not in ctx:
            query = self._sh_customer_query()
            with analytic_settings(self.env):
                if totals.lists_every_customer(self.env, CUSTOMER_DOMAIN):
                    # The user sees every customer the company's totals
                    # count: their sums come from the totals.
                    ctx["figures"] = read_totals_figures(self.env, ctx, query)
                else:
                    statement = statements.figures_statement(self.env, ctx, query)
                    [row] = self.env.execute_query(statement)
                    ctx["figures"] = statements.read_figures(ctx, row)
        return ctx["figures"]

    @api.model
    def _sh_debt_figures(self, ctx):
        """Receivable of the visible customers at the ends of both periods,
        the debt recovery rate (CEI) of each, and today's aging."""
        return self._sh_figures(ctx)["debt"]

    @api.model
    def _sh_top_items(self, ctx, rows, by):
        """Ranked customers as plain data (see ``figures.dashboard_rows``)."""
        return top_items(self.env, ctx, rows, by)

    @api.model
    def _sh_at_risk_items(self, ctx, ids):
        """At-risk customers as plain data, each with the reasons to call
        them."""
        return at_risk_items(self.env, ctx, ids)

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
    def _sh_datetime_bounds(self, date_from, date_to):
        """The UTC datetimes at which the user's day ``date_from`` starts and
        the day after ``date_to`` starts."""
        return datetime_bounds(self.env, date_from, date_to)

    @api.model
    def _sh_money(self, ctx, amount):
        return ctx["currency"].round(amount or 0.0)

    @api.model
    def _sh_percent(self, part, whole):
        return percent(part, whole)

    @api.model
    def _sh_bucket_label(self, fname):
        return self.env["res.partner"]._fields[fname]._description_string(self.env)

    @api.model
    def _sh_selection_counts(self, fname, selection, counts, empty=False):
        """``(key, label, count)`` of each value of the customers' selection
        field ``fname`` in the order of ``selection``, labels in the user's
        language, from ``counts`` (key: customers); without ``empty``, only
        the values some customer has."""
        labels = dict(self.env["res.partner"]._fields[fname]._description_selection(self.env))
        return [
            (key, labels[key], counts.get(key, 0))
            for key, _label in selection
            if empty or counts.get(key)
        ]

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
            "domain": plain_domain(domain),
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
            "domains": [plain_domain(domain) for domain in domains],
            "sequence": sequence,
            # Bars along the other axis, for long labels such as names.
            "horizontal": horizontal,
        }

    @api.model
    def _sh_series_chart(
        self, key, title, chart_type, series, points, fmt="number", sequence=100, horizontal=False
    ):
        """A chart of one series (``series``: its key and label) with a part
        for each of ``points``: its label, its value and the domain of the
        customers it opens."""
        series_key, series_label = series
        return self._sh_chart(
            key,
            title,
            chart_type,
            [label for label, _value, _domain in points],
            [
                {
                    "key": series_key,
                    "label": series_label,
                    "data": [value for _label, value, _domain in points],
                }
            ],
            [domain for _label, _value, domain in points],
            fmt=fmt,
            sequence=sequence,
            horizontal=horizontal,
        )

    @api.model
    def _sh_selection_chart(self, key, title, chart_type, fname, counts, sequence=100):
        """A chart of the customers per value of their selection field
        ``fname``, from ``counts`` (see ``_sh_selection_counts``), each part
        opening the customers with that value."""
        return self._sh_series_chart(
            key,
            title,
            chart_type,
            ("customers", _("Customers")),
            [(label, count, [(fname, "=", value)]) for value, label, count in counts],
            sequence=sequence,
        )
