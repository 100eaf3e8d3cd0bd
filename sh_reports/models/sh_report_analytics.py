"""Customer analytics: RFM, segment migration, cohort retention, churn,
repeat purchases and average order value.

The period's figures (buyers, new buyers, retention, repeat purchase rate,
average order value) are the customer dashboard's, read by its statement
over the report's customers; the RFM scores and segments of any day, and
the cohorts, are read from the customers' sales history
(``analytics.rfm``, ``analytics.cohorts``)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.sh_customers.figures import dashboard as dashboard_statements
from odoo.addons.sh_customers.figures.dashboard_cards import DASHBOARD_CARDS, card_text
from odoo.addons.sh_customers.figures.dashboard_context import month_label
from odoo.addons.sh_customers.figures.dashboard_debt import percent
from odoo.addons.sh_customers.figures.dashboard_domains import (
    bought_domain,
    card_domains,
    churned_domain,
)
from odoo.addons.sh_customers.figures.periods import parse_date
from odoo.addons.sh_customers.figures.rules import RFM_SEGMENTS
from odoo.addons.sh_customers.figures.statements import analytic_settings

from ..analytics.cohorts import COHORT_MONTHS, cohorts_sql
from ..analytics.rfm import RFM_COLUMNS, rfm_breakpoints, rfm_sql

# The dashboard's cards the report shows, in its order, with the churn
# (``churn``, 100 - retention) after the retention.
PERIOD_CARDS = (
    "buyers",
    "new_buyers",
    "retention",
    "churn",
    "repeat_purchase_rate",
    "average_order_value",
)
SCORES = (1, 2, 3, 4, 5)


class ShReportAnalytics(models.AbstractModel):
    _name = "sh.report.analytics"
    _inherit = "sh.report"
    _description = "Customer Analytics"

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_extra_options(self, options):
        """``compare_as_of``: the first day of the segment migration (by
        default the day before the period starts; it ends on ``as_of``)."""
        compare_as_of = options.get("compare_as_of")
        return {
            "compare_as_of": parse_date(self.env, compare_as_of, "compare_as_of")
            if compare_as_of
            else None
        }

    @api.model
    def _sh_options_data(self, ctx):
        data = super()._sh_options_data(ctx)
        data["compare_as_of"] = fields.Date.to_string(self._sh_migration_days(ctx)[0])
        return data

    @api.model
    def _sh_migration_days(self, ctx):
        """The first and last day of the segment migration."""
        first = ctx.get("compare_as_of") or ctx["date_from"] - timedelta(days=1)
        last = ctx["as_of"]
        if first >= last:
            raise UserError(
                self.env._(
                    "The segment migration starts (%(start)s) on or after it ends (%(end)s): "
                    "choose a first date before the as of date.",
                    start=format_date(self.env, first),
                    end=format_date(self.env, last),
                )
            )
        return first, last

    # ------------------------------------------------------------------
    # The report
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_sections(self, ctx, data):
        res = super()._sh_report_sections(ctx, data)
        first, last = self._sh_migration_days(ctx)
        # The RFM is read as of the end of each period (today at the
        # latest): today's is the stored one.
        end = min(ctx["date_to"], ctx["today"])
        days = {"end": end, "from": first, "to": last}
        if ctx["compare"]:
            days["previous"] = min(ctx["previous_to"], ctx["today"])
        rows = self._sh_rfm_rows(ctx, days)
        figures = self._sh_period_figures(ctx)
        if not figures["current"]["customers"]:
            data["messages"].append(
                self.env._("No customer of these options has bought up to the end of the period.")
            )
        data["cards"] += self._sh_analytics_cards(ctx, figures)
        data["charts"] += self._sh_segment_charts(ctx, rows, days)
        data["tables"] += self._sh_segment_maps(ctx, rows, end)
        data["tables"].append(self._sh_migration_table(ctx, rows, first, last))
        data["tables"].append(self._sh_cohort_table(ctx))
        data["tables"].append(self._sh_rfm_table(ctx, rows, end))
        return res

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _sh_customer_history(self, ctx):
        """The report's customers with their name, code, first purchase and
        sales history (``sh.customer.figure``), as a query to select from."""
        query = self._sh_customer_query(ctx)
        Figure = self.env["sh.customer.figure"]
        Partner = self.env["res.partner"]
        figure = Figure._sh_join(query, query.table, ctx["company"])
        return query.select(
            SQL("%s AS partner_id", SQL.identifier(query.table, "id")),
            SQL("%s AS name", Partner._field_to_sql(query.table, "name", query)),
            SQL("%s AS code", Partner._field_to_sql(query.table, "sh_customer_code", query)),
            SQL("%s AS first_date", Figure._sh_column(figure, "first_purchase_date")),
            *(SQL.identifier(figure, column) for column in Figure._sh_history_columns("sales")),
        )

    @api.model
    def _sh_period_figures(self, ctx):
        """The dashboard's figures of the period and of the previous one
        (``figures.dashboard.figures_statement``) over the report's
        customers, read once per context."""
        if "figures" not in ctx:
            # The report shows no receivable figure: the statement reads none.
            figures_ctx = dict(ctx, show_debt=False)
            statement = dashboard_statements.figures_statement(
                self.env, figures_ctx, self._sh_customer_query(ctx)
            )
            with analytic_settings(self.env):
                [row] = self.env.execute_query(statement)
            ctx["figures"] = dashboard_statements.read_figures(figures_ctx, row)
        return ctx["figures"]

    @api.model
    def _sh_rfm_rows(self, ctx, days):
        """Every customer of the report, with its name, code, net sales of
        the period (and of the previous one) and, per entry of ``days``
        (key: day), its RFM as of that day (RFM_COLUMNS, each named
        ``<key>_<column>``), in one statement."""
        Figure = self.env["sh.customer.figure"]
        company = ctx["company"]
        Figure.flush_model()
        start = Figure._sh_position("customer", ctx["date_from"] - timedelta(days=1))
        end = Figure._sh_position("customer", ctx["date_to"])
        previous_start = Figure._sh_position("customer", ctx["previous_from"] - timedelta(days=1))
        previous_end = Figure._sh_position("customer", ctx["previous_to"])
        names = ["partner_id", "name", "code", "net_sales", "previous_net_sales"]
        columns, joins = [], []
        # One join per day, however many keys name it.
        aliases = {}
        for key, day in days.items():
            if day not in aliases:
                aliases[day] = f"rfm_{len(aliases)}"
                breakpoints = rfm_breakpoints(self.env, company, day, ctx["today"])
                joins.append(
                    SQL(
                        "CROSS JOIN LATERAL (%s) %s",
                        rfm_sql(Figure, "customer", company, day, breakpoints),
                        SQL.identifier(aliases[day]),
                    )
                )
            columns += [SQL.identifier(aliases[day], column) for column in RFM_COLUMNS]
            names += [f"{key}_{column}" for column in RFM_COLUMNS]
        statement = SQL(
            """
            WITH customer AS MATERIALIZED (%(customers)s)
            SELECT customer.partner_id, customer.name, customer.code,
                   %(net_sales)s, %(previous_net_sales)s, %(columns)s
              FROM customer
              %(joins)s
             ORDER BY customer.partner_id
            """,
            customers=self._sh_customer_history(ctx),
            net_sales=self._sh_money_sql(ctx, Figure._sh_sales_between("customer", start, end)),
            previous_net_sales=self._sh_money_sql(
                ctx, Figure._sh_sales_between("customer", previous_start, previous_end)
            ),
            columns=SQL(", ").join(columns),
            joins=SQL(" ").join(joins),
        )
        rows = [dict(zip(names, row, strict=True)) for row in self.env.execute_query(statement)]
        for row in rows:
            # Scored as exact numbers, shown as amounts.
            for key in days:
                if row[f"{key}_monetary"] is not None:
                    row[f"{key}_monetary"] = float(row[f"{key}_monetary"])
        return rows

    @api.model
    def _sh_money_sql(self, ctx, amount):
        """``amount`` (an SQL expression) rounded to the currency's cents,
        as ``_sh_money`` rounds an amount, once per row in the database."""
        return SQL("ROUND((%s)::numeric, %s)::float8", amount, ctx["currency"].decimal_places)

    # ------------------------------------------------------------------
    # Cards
    # ------------------------------------------------------------------

    @api.model
    def _sh_analytics_cards(self, ctx, figures):
        """The period's buyers, new buyers, retention, churn, repeat purchase
        rate and average order value, each with the previous period's, as
        the dashboard's cards say and count them."""
        current, previous = figures["current"], figures["previous"]
        values = {"days": ctx["company"].sh_churn_days}
        domains = card_domains(self.env, ctx)
        domains["churn"] = churned_domain(self.env, ctx, ctx["date_from"], ctx["date_to"])
        dashboard_cards = {card.key: card for card in DASHBOARD_CARDS}

        def churn(period_figures):
            retention = period_figures["retention"]
            return None if retention is None else 100.0 - retention

        cards = []
        for sequence, key in enumerate(PERIOD_CARDS, start=1):
            if key == "churn":
                label = self.env._("Churn")
                help_text = self.env._(
                    "100%% minus the retention: the share of the customers at the start of "
                    "the period who are no longer customers at its end, net of the customers "
                    "who came back. Opens the customers who reached %(days)s days without a "
                    "purchase during the period.",
                    days=values["days"],
                )
                value, previous_value = churn(current), churn(previous)
                fmt, better = "percent", "down"
            else:
                card = dashboard_cards[key]
                label = card_text(self.env, card.label, values)
                help_text = card_text(self.env, card.help, values)
                value, previous_value = current[card.figure], previous[card.figure]
                fmt, better = card.fmt, card.better
            cards.append(
                self._sh_card(
                    ctx,
                    key,
                    label,
                    help_text,
                    value,
                    previous_value,
                    fmt=fmt,
                    better=better,
                    domain=self._sh_with_filters(ctx, domains[key]),
                    sequence=sequence * 10,
                )
            )
        return cards

    @api.model
    def _sh_with_filters(self, ctx, domain):
        """``domain`` restricted to the report's customers (None stays None:
        what cannot be opened)."""
        if domain is None:
            return None
        return expression.AND([ctx["customer_domain"], domain])

    @api.model
    def _sh_heatmap_table(self, key, title, columns, rows, **kwargs):
        """A heat-map table whose cells open their customers: each row's
        ``_cell_domains`` gives, by column key, the domain of the customers
        of its cell (None: the cell opens nothing)."""
        return self._sh_table(key, title, columns, rows, heatmap=True, **kwargs)

    # ------------------------------------------------------------------
    # RFM segments
    # ------------------------------------------------------------------

    @api.model
    def _sh_segment_labels(self):
        fname = "sh_rfm_segment"
        return dict(self.env["res.partner"]._fields[fname]._description_selection(self.env))

    @api.model
    def _sh_customers_domain(self, ctx, day, ids, stored_domain):
        """The customers ``ids`` (whose scores or segment are those of
        ``day``) as a domain of the customers list: ``stored_domain``, on
        the stored figures, when ``day`` is today (they say the same),
        otherwise the customers by id."""
        if day == ctx["today"]:
            return self._sh_with_filters(ctx, stored_domain)
        return [("id", "in", sorted(ids))]

    @api.model
    def _sh_segment_charts(self, ctx, rows, days):
        """Customers and net sales per RFM segment at the end of the period
        (and of the previous one)."""
        labels = self._sh_segment_labels()
        keys = [key for key, _label in RFM_SEGMENTS]
        current = {key: [] for key in keys}
        previous = {key: [] for key in keys}
        for row in rows:
            current[row["end_segment"]].append(row)
            if ctx["compare"]:
                previous[row["previous_segment"]].append(row)
        shown = [key for key in keys if current[key] or previous[key]]

        def dataset(key, label, by_segment, measure):
            return {
                "key": key,
                "label": label,
                "data": [measure(by_segment[segment]) for segment in shown],
            }

        def count(segment_rows):
            return len(segment_rows)

        def sales(segment_rows):
            return self._sh_money(ctx, sum(row["net_sales"] or 0.0 for row in segment_rows))

        def previous_sales(segment_rows):
            return self._sh_money(
                ctx, sum(row["previous_net_sales"] or 0.0 for row in segment_rows)
            )

        domains = [
            self._sh_customers_domain(
                ctx,
                days["end"],
                [row["partner_id"] for row in current[segment]],
                [("sh_rfm_segment", "=", segment)],
            )
            for segment in shown
        ]
        customers = [dataset("current", self.env._("End of the Period"), current, count)]
        net_sales = [dataset("current", self.env._("This Period"), current, sales)]
        if ctx["compare"]:
            customers.append(
                dataset("previous", self.env._("End of the Previous Period"), previous, count)
            )
            net_sales.append(
                dataset("previous", self.env._("Previous Period"), previous, previous_sales)
            )
        segment_labels = [labels[segment] for segment in shown]
        return [
            self._sh_chart(
                "segment_customers",
                self.env._("Customers per RFM Segment"),
                "bar",
                segment_labels,
                customers,
                domains,
                sequence=10,
            ),
            self._sh_chart(
                "segment_net_sales",
                self.env._("Net Sales per RFM Segment"),
                "bar",
                segment_labels,
                net_sales,
                domains,
                fmt="money",
                sequence=20,
            ),
        ]

    @api.model
    def _sh_segment_maps(self, ctx, rows, day):
        """The segment map: the customers with a purchase at the end of the
        period by recency score (rows, 5 first) and frequency score
        (columns), as counts and as net sales of the period."""
        cells = {(r, f): [] for r in SCORES for f in SCORES}
        for row in rows:
            if row["end_r_score"]:
                cells[row["end_r_score"], row["end_f_score"]].append(row)
        measures = {
            "customers": ("integer", len),
            "net_sales": (
                "money",
                lambda cell: self._sh_money(ctx, sum(row["net_sales"] or 0.0 for row in cell)),
            ),
        }
        help_texts = {
            "customers": self.env._(
                "Customers with a purchase by recency score (R, 5: bought most recently) "
                "and frequency score (F, 5: most invoices in the RFM window) on %(day)s. "
                "A cell opens its customers.",
                day=format_date(self.env, day),
            ),
            "net_sales": self.env._(
                "Net sales of the period of the customers of each cell of the segment "
                "map on %(day)s. A cell opens its customers.",
                day=format_date(self.env, day),
            ),
        }
        titles = {
            "customers": self.env._("Segment Map: Customers"),
            "net_sales": self.env._("Segment Map: Net Sales"),
        }
        tables = []
        for sequence, (measure, (fmt, value)) in enumerate(measures.items(), start=1):
            columns = [("recency", self.env._("Recency Score"), "text")]
            columns += [(f"f{f}", self.env._("F %(score)s", score=f), fmt) for f in SCORES]
            columns.append(("total", self.env._("Total"), fmt))
            table_rows = []
            for r in reversed(SCORES):
                row_cells = [cells[r, f] for f in SCORES]
                row = {"recency": self.env._("R %(score)s", score=r)}
                row.update(
                    {f"f{f}": value(cell) for f, cell in zip(SCORES, row_cells, strict=True)}
                )
                row["total"] = value([item for cell in row_cells for item in cell])
                row["_domain"] = self._sh_customers_domain(
                    ctx,
                    day,
                    [item["partner_id"] for cell in row_cells for item in cell],
                    [("sh_rfm_r_score", "=", r)],
                )
                row["_cell_domains"] = {
                    f"f{f}": self._sh_customers_domain(
                        ctx,
                        day,
                        [item["partner_id"] for item in cells[r, f]],
                        [("sh_rfm_r_score", "=", r), ("sh_rfm_f_score", "=", f)],
                    )
                    for f in SCORES
                }
                table_rows.append(row)
            totals = {"recency": self.env._("Total")}
            totals.update(
                {f"f{f}": value([item for r in SCORES for item in cells[r, f]]) for f in SCORES}
            )
            totals["total"] = value([item for cell in cells.values() for item in cell])
            tables.append(
                self._sh_heatmap_table(
                    f"segment_map_{measure}",
                    titles[measure],
                    columns,
                    table_rows,
                    totals=totals,
                    sequence=sequence * 10,
                    help_text=help_texts[measure],
                )
            )
        return tables

    @api.model
    def _sh_migration_table(self, ctx, rows, first, last):
        """How many customers moved from each RFM segment on ``first``
        (rows) to each on ``last`` (columns)."""
        labels = self._sh_segment_labels()
        moves = {}
        for row in rows:
            moves.setdefault((row["from_segment"], row["to_segment"]), []).append(row["partner_id"])
        used = {segment for pair in moves for segment in pair}
        segments = [key for key, _label in RFM_SEGMENTS if key in used]
        columns = [
            (
                "segment",
                self.env._(
                    "On %(start)s → on %(end)s",
                    start=format_date(self.env, first),
                    end=format_date(self.env, last),
                ),
                "text",
            )
        ]
        columns += [(segment, labels[segment], "integer") for segment in segments]
        columns.append(("total", self.env._("Total"), "integer"))
        table_rows = []
        for source in segments:
            ids = [i for target in segments for i in moves.get((source, target), [])]
            table_rows.append(
                {
                    "segment": labels[source],
                    **{target: len(moves.get((source, target), [])) for target in segments},
                    "total": len(ids),
                    "_domain": [("id", "in", sorted(ids))],
                    "_cell_domains": {
                        target: [("id", "in", sorted(moves.get((source, target), [])))]
                        for target in segments
                    },
                }
            )
        totals = {"segment": self.env._("Total"), "total": len(rows)}
        totals.update(
            {
                target: sum(len(moves.get((source, target), [])) for source in segments)
                for target in segments
            }
        )
        return self._sh_heatmap_table(
            "segment_migration",
            self.env._("Segment Migration"),
            columns,
            table_rows,
            totals=totals,
            sequence=30,
            help_text=self.env._(
                "Customers by their RFM segment on %(start)s (rows) and on %(end)s (columns): "
                "the diagonal holds those who kept their segment. Each segment is the one "
                "the customer had on that day, scored against that day's cut-offs.",
                start=format_date(self.env, first),
                end=format_date(self.env, last),
            ),
        )

    # ------------------------------------------------------------------
    # Cohorts
    # ------------------------------------------------------------------

    @api.model
    def _sh_cohort_table(self, ctx):
        """Cohort retention: for the customers whose first purchase is in
        one of the 12 months ending with the period, the share of each
        cohort that bought in each month since, up to the period's end."""
        Figure = self.env["sh.customer.figure"]
        Figure.flush_model()
        last_day = ctx["date_to"]
        last_month = last_day.replace(day=1)
        first_month = last_month - relativedelta(months=COHORT_MONTHS - 1)
        statement = cohorts_sql(
            Figure,
            SQL("(%s)", self._sh_customer_history(ctx)),
            first_month,
            last_day,
        )
        sizes, buyers = {}, {}
        for cohort, months_since, size, count in self.env.execute_query(statement):
            sizes[cohort] = size
            if months_since is not None:
                buyers[cohort, months_since] = count
        columns = [
            ("cohort", self.env._("First Purchase"), "text"),
            ("size", self.env._("Customers"), "integer"),
        ]
        columns += [
            (f"m{month}", self.env._("Month %(month)s", month=month), "percent")
            for month in range(COHORT_MONTHS)
        ]
        rows = []
        reached, bought = [0] * COHORT_MONTHS, [0] * COHORT_MONTHS
        for index in range(COHORT_MONTHS):
            cohort = first_month + relativedelta(months=index)
            size = sizes.get(cohort, 0)
            cohort_domain = [
                ("sh_first_purchase_date", ">=", cohort),
                ("sh_first_purchase_date", "<=", min(cohort + relativedelta(day=31), last_day)),
            ]
            row = {
                "cohort": month_label(self.env, cohort),
                "size": size,
                "_domain": self._sh_with_filters(ctx, cohort_domain),
                "_cell_domains": {},
            }
            for month in range(COHORT_MONTHS):
                start = cohort + relativedelta(months=month)
                if start > last_day or not size:
                    row[f"m{month}"] = None
                    continue
                count = buyers.get((cohort, month), 0)
                row[f"m{month}"] = percent(count, size)
                reached[month] += size
                bought[month] += count
                month_bought = bought_domain(
                    self.env, ctx, start, min(start + relativedelta(day=31), last_day)
                )
                row["_cell_domains"][f"m{month}"] = (
                    None
                    if month_bought is None
                    else self._sh_with_filters(ctx, cohort_domain + month_bought)
                )
            rows.append(row)
        totals = {"cohort": self.env._("All Cohorts"), "size": sum(sizes.values())}
        totals.update(
            {f"m{month}": percent(bought[month], reached[month]) for month in range(COHORT_MONTHS)}
        )
        return self._sh_heatmap_table(
            "cohort_retention",
            self.env._("Cohort Retention"),
            columns,
            rows,
            totals=totals,
            sequence=40,
            help_text=self.env._(
                "Customers by the month of their first purchase, and the share of them who "
                "bought (a posted invoice) in each month since, up to %(end)s; month 0 is the "
                "month of the first purchase. The totals weigh each cohort by its customers.",
                end=format_date(self.env, last_day),
            ),
        )

    # ------------------------------------------------------------------
    # RFM table
    # ------------------------------------------------------------------

    @api.model
    def _sh_rfm_table(self, ctx, rows, day):
        """Every customer of the report with its RFM on ``day``, the most
        valuable first."""
        labels = self._sh_segment_labels()
        columns = [
            ("name", self.env._("Customer"), "text"),
            ("code", self.env._("Code"), "code"),
            ("recency", self.env._("Days Since Last Purchase"), "days"),
            ("frequency", self.env._("Invoices in the RFM Window"), "integer"),
            ("monetary", self.env._("Net Sales in the RFM Window"), "money"),
            ("r_score", self.env._("Recency Score"), "integer"),
            ("f_score", self.env._("Frequency Score"), "integer"),
            ("m_score", self.env._("Monetary Score"), "integer"),
            ("segment", self.env._("Segment"), "text"),
            ("net_sales", self.env._("Net Sales of the Period"), "money"),
        ]
        if ctx["compare"]:
            columns += [
                ("previous_segment", self.env._("Segment at the Previous Period's End"), "text"),
                ("previous_net_sales", self.env._("Net Sales of the Previous Period"), "money"),
            ]

        def make_row(row):
            return {
                "name": row["name"],
                "code": row["code"] or "",
                "recency": row["end_recency"],
                "frequency": row["end_frequency"],
                "monetary": row["end_monetary"],
                "r_score": row["end_r_score"] or None,
                "f_score": row["end_f_score"] or None,
                "m_score": row["end_m_score"] or None,
                "segment": labels[row["end_segment"]],
                "net_sales": row["net_sales"],
                **(
                    {
                        "previous_segment": labels[row["previous_segment"]],
                        "previous_net_sales": row["previous_net_sales"],
                    }
                    if ctx["compare"]
                    else {}
                ),
                "_res_id": row["partner_id"],
            }

        ordered = sorted(
            rows,
            key=lambda row: (-(row["end_monetary"] or 0), row["name"] or "", row["partner_id"]),
        )
        totals = {
            "name": self.env._("Total"),
            "frequency": sum(row["end_frequency"] for row in rows),
            "monetary": self._sh_money(ctx, sum(row["end_monetary"] for row in rows)),
            "net_sales": self._sh_money(ctx, sum(row["net_sales"] for row in rows)),
        }
        if ctx["compare"]:
            totals["previous_net_sales"] = self._sh_money(
                ctx, sum(row["previous_net_sales"] for row in rows)
            )
        company = ctx["company"]
        return self._sh_table(
            "rfm",
            self.env._("RFM by Customer"),
            columns,
            ordered,
            totals=totals,
            sequence=50,
            make_row=make_row,
            help_text=self.env._(
                "On %(day)s: recency (days since the last invoice), frequency (invoices) and "
                "monetary value (net sales) over the last %(months)s months, each scored 1 "
                "to 5 (5 is best), and the segment they give. Customers without a purchase "
                "are prospects.",
                day=format_date(self.env, day),
                months=company.sh_rfm_window_months,
            ),
        )
