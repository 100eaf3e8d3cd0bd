"""Sales by customer: the customers of a period ranked against the period
before it, their share of sales and ABC class (Pareto), new against
returning buyers, the products each customer bought most of, and the
sales by customer type and by salesperson.

The customers' sales, invoices and first purchase come from their sales
history, as the dashboard's do; the products and their cost from the
invoice lines (``analytics.sales``)."""

from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate
from operator import itemgetter

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from odoo.addons.sh_customers.figures.dashboard_domains import (
    bought_domain,
    reads_invoices,
    sold_domain,
)
from odoo.addons.sh_customers.figures.statements import analytic_settings

from ..analytics.sales import (
    ABC_LIMITS,
    DEFAULT_MEASURE,
    LAST_CLASS,
    MEASURES,
    TOP_PRODUCTS,
    abc_class,
    customer_sales_sql,
    flush_documents,
)

# How each measure of a customer reads.
MEASURE_FORMATS = {"net_sales": "money", "invoices": "integer", "aov": "money", "margin": "money"}


class _ProductLines:
    """The (customer row, product index) pairs of the top products table,
    in order, without making them all: a table sends a hundred of them."""

    def __init__(self, buyers):
        self.buyers = buyers
        # Where each customer's products start in the table.
        self.starts = [0, *accumulate(len(row["product_ids"]) for row in buyers)]

    def __len__(self):
        return self.starts[-1]

    def __getitem__(self, window):
        start, stop, _step = window.indices(len(self))
        lines = []
        buyer = bisect_right(self.starts, start) - 1
        position = start
        while position < stop:
            row = self.buyers[buyer]
            first = self.starts[buyer]
            for index in range(position - first, len(row["product_ids"])):
                if position >= stop:
                    break
                lines.append((row, index))
                position += 1
            buyer += 1
        return lines


class ShReportSales(models.AbstractModel):
    _name = "sh.report.sales"
    _inherit = "sh.report"
    _description = "Sales by Customer"

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_extra_options(self, options):
        """``rank_by``: net_sales (default), invoices, aov or margin."""
        rank_by = options.get("rank_by") or DEFAULT_MEASURE
        if rank_by not in MEASURES:
            raise UserError(
                self.env._(
                    "Customers cannot be ranked by %(by)s; use one of: %(measures)s.",
                    by=rank_by,
                    measures=", ".join(MEASURES),
                )
            )
        if rank_by == "margin" and not reads_invoices(self.env):
            raise UserError(
                self.env._(
                    "The margin is read from the invoice lines: only users who may read "
                    "invoices can rank customers by margin."
                )
            )
        return {"rank_by": rank_by}

    @api.model
    def _sh_options_data(self, ctx):
        return {**super()._sh_options_data(ctx), "rank_by": ctx["rank_by"]}

    @api.model
    def _sh_options_label(self, ctx):
        return " · ".join(
            [
                super()._sh_options_label(ctx),
                self.env._(
                    "ranked by %(measure)s", measure=self._sh_measure_labels()[ctx["rank_by"]]
                ),
            ]
        )

    @api.model
    def _sh_measure_labels(self):
        _ = self.env._
        return {
            "net_sales": _("Net Sales"),
            "invoices": _("Invoices"),
            "aov": _("Average Order Value"),
            "margin": _("Margin"),
        }

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_sections(self, ctx, data):
        res = super()._sh_report_sections(ctx, data)
        _ = self.env._
        # Margin and products are read from the invoice lines: only for
        # users who may read invoices.
        with_lines = reads_invoices(self.env)
        customers = self._sh_sales_customers(ctx, with_lines)
        ranked = self._sh_rank_customers(ctx, customers, with_lines)
        data["cards"].extend(self._sh_sales_cards(ctx, customers, ranked, with_lines))
        data["tables"].append(self._sh_ranking_table(ctx, ranked, with_lines))
        data["tables"].append(self._sh_abc_table(ctx, ranked))
        data["charts"].append(self._sh_abc_chart(ctx, ranked))
        data["charts"].extend(self._sh_new_returning_charts(ctx, customers))
        for key, sequence in (("customer_type", 40), ("salesperson", 50)):
            groups = self._sh_sales_groups(ctx, customers, key)
            data["tables"].append(self._sh_group_table(ctx, key, groups, with_lines, sequence))
            data["charts"].append(self._sh_group_chart(ctx, key, groups, sequence))
        if with_lines:
            data["tables"].append(self._sh_products_table(ctx, customers))
            uncosted = sum(row["cur_uncosted"] for row in ranked)
            if self._sh_money(ctx, uncosted):
                data["messages"].append(
                    _(
                        "%(amount)s of the period's net sales are of invoice lines without a "
                        "product cost (no product, or a product whose cost is zero): the "
                        "margin counts them at no cost.",
                        amount=self._sh_format_money(ctx, uncosted),
                    )
                )
        else:
            data["messages"].append(
                _(
                    "The margin and the products each customer bought are read from the "
                    "invoices, which you may not read: they are not shown."
                )
            )
        return res

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _sh_sales_customers(self, ctx, with_lines):
        """The report's customers with a posted document in the period or
        the previous one, each a dict with their figures of both periods
        (``cur_``/``prev_``: ``sold``, ``sales``, ``invoices``, ``aov``,
        ``margin``) and ``new`` (first purchase in the period) and
        ``previous_new`` (first purchase in the previous period)."""
        query = self._sh_customer_query(ctx)
        if with_lines:
            flush_documents(self.env)
        # Two years of invoice lines grouped by customer and product: with
        # the memory to do it without spilling to disk.
        with analytic_settings(self.env):
            rows = self.env.execute_query_dict(customer_sales_sql(self.env, ctx, query, with_lines))
        df, dt = ctx["date_from"], ctx["date_to"]
        pf, pt = ctx["previous_from"], ctx["previous_to"]
        for row in rows:
            first = row["first_purchase"]
            row["new"] = bool(first and df <= first <= dt)
            row["previous_new"] = bool(first and pf <= first <= pt)
            for prefix in ("cur", "prev"):
                sales, invoices = row[f"{prefix}_sales"] or 0.0, row[f"{prefix}_invoices"] or 0
                row[f"{prefix}_sales"] = sales
                row[f"{prefix}_invoices"] = invoices
                row[f"{prefix}_aov"] = sales / invoices if invoices else None
                row[f"{prefix}_margin"] = (
                    sales - (row[f"{prefix}_cost"] or 0.0) if with_lines else None
                )
        return rows

    @api.model
    def _sh_rank_customers(self, ctx, customers, with_lines):
        """The customers with a document in the period, best first by the
        measure ``rank_by``, each with its ``rank``, ``share`` of the
        period's net sales, the ``cumulative`` share of the customers with
        as much or more net sales, and its ABC ``abc`` class (the Pareto
        rule, ``analytics.sales.abc_class``)."""
        ranked = [row for row in customers if row["cur_sold"]]
        total = sum(row["cur_sales"] for row in ranked)
        running = 0.0
        for row in sorted(ranked, key=lambda row: (-row["cur_sales"], row["id"])):
            if total > 0:
                row["share"] = row["cur_sales"] * 100.0 / total
                # From the amounts, not the rounded shares: a class limit
                # reached exactly is reached.
                row["abc"] = abc_class(round(running * 100.0 / total, 9))
                running += row["cur_sales"]
                row["cumulative"] = running * 100.0 / total
            else:
                row["share"] = row["cumulative"] = row["abc"] = None
        measure = "cur_sales" if ctx["rank_by"] == "net_sales" else f"cur_{ctx['rank_by']}"
        ranked.sort(
            key=lambda row: (
                row[measure] is None,
                -(row[measure] or 0.0),
                -row["cur_sales"],
                row["id"],
            )
        )
        for rank, row in enumerate(ranked, start=1):
            row["rank"] = rank
        return ranked

    @api.model
    def _sh_change(self, value, previous):
        """The change from ``previous`` to ``value`` in percent, or None."""
        if value is None or not previous:
            return None
        return round((value - previous) * 100.0 / abs(previous), 2)

    @api.model
    def _sh_format_money(self, ctx, amount):
        return format_amount(self.env, amount, ctx["currency"])

    # ------------------------------------------------------------------
    # Cards
    # ------------------------------------------------------------------

    @api.model
    def _sh_sales_cards(self, ctx, customers, ranked, with_lines):
        _ = self.env._
        df, dt = ctx["date_from"], ctx["date_to"]
        env = self.env
        bought = bought_domain(env, ctx, df, dt)
        new_domain = [("sh_first_purchase_date", ">=", df), ("sh_first_purchase_date", "<=", dt)]
        totals = {}
        for prefix in ("cur", "prev"):
            sales = sum(row[f"{prefix}_sales"] for row in customers)
            invoices = sum(row[f"{prefix}_invoices"] for row in customers)
            buyers = sum(1 for row in customers if row[f"{prefix}_invoices"] > 0)
            new = sum(
                1
                for row in customers
                if row["new" if prefix == "cur" else "previous_new"]
                and row[f"{prefix}_invoices"] > 0
            )
            totals[prefix] = {
                "sales": sales,
                "invoices": invoices,
                "buyers": buyers,
                "new": new,
                "returning": buyers - new,
                "aov": sales / invoices if invoices else None,
                "frequency": round(invoices / buyers, 2) if buyers else None,
                "margin": sum(row[f"{prefix}_margin"] or 0.0 for row in customers),
            }
        cur, prev = totals["cur"], totals["prev"]
        cards = [
            self._sh_card(
                ctx,
                "net_sales",
                _("Net Sales"),
                _(
                    "Posted invoices minus posted credit notes of the period, untaxed, in "
                    "company currency, of every company of the group."
                ),
                cur["sales"],
                prev["sales"],
                fmt="money",
                domain=sold_domain(env, ctx, df, dt),
                sequence=10,
            ),
            self._sh_card(
                ctx,
                "buyers",
                _("Buyers"),
                _("Customers with at least one posted invoice in the period."),
                cur["buyers"],
                prev["buyers"],
                domain=bought,
                sequence=20,
            ),
            self._sh_card(
                ctx,
                "new_buyers",
                _("New Buyers"),
                _("Buyers whose first purchase is in the period."),
                cur["new"],
                prev["new"],
                domain=new_domain,
                sequence=30,
            ),
            self._sh_card(
                ctx,
                "returning_buyers",
                _("Returning Buyers"),
                _("Buyers of the period who had bought before it."),
                cur["returning"],
                prev["returning"],
                domain=bought and [("sh_first_purchase_date", "<", df), *bought],
                sequence=40,
            ),
            self._sh_card(
                ctx,
                "invoices",
                _("Invoices"),
                _("Posted customer invoices of the period (credit notes are not counted)."),
                cur["invoices"],
                prev["invoices"],
                domain=bought,
                sequence=50,
            ),
            self._sh_card(
                ctx,
                "average_order_value",
                _("Average Order Value"),
                _("Net sales of the period divided by its invoices."),
                cur["aov"],
                prev["aov"],
                fmt="money",
                domain=bought,
                sequence=60,
            ),
            self._sh_card(
                ctx,
                "purchase_frequency",
                _("Purchase Frequency"),
                _("Invoices of the period per buyer."),
                cur["frequency"],
                prev["frequency"],
                domain=bought,
                sequence=70,
            ),
            self._sh_card(
                ctx,
                "class_a",
                _("Class A Customers"),
                _(
                    "The best-selling customers who together make the first %(limit)s%% of "
                    "the period's net sales.",
                    limit=int(ABC_LIMITS[0][0]),
                ),
                sum(1 for row in ranked if row["abc"] == ABC_LIMITS[0][1]),
                domain=[("id", "in", [row["id"] for row in ranked if row["abc"] == "A"])],
                sequence=90,
            ),
        ]
        if with_lines:
            cards.append(
                self._sh_card(
                    ctx,
                    "margin",
                    _("Margin"),
                    self._sh_margin_help(),
                    cur["margin"],
                    prev["margin"],
                    fmt="money",
                    domain=sold_domain(env, ctx, df, dt),
                    sequence=80,
                )
            )
        return cards

    @api.model
    def _sh_margin_help(self):
        return self.env._(
            "Net sales less the cost of the products sold: the quantity invoiced times the "
            "product's cost in the company today, as invoice lines carry no cost of their "
            "own. Lines without a product or with a product of no cost count at no cost."
        )

    # ------------------------------------------------------------------
    # Ranking and ABC classes
    # ------------------------------------------------------------------

    @api.model
    def _sh_ranking_table(self, ctx, ranked, with_lines):
        _ = self.env._
        labels = self._sh_measure_labels()
        rank_by = ctx["rank_by"]
        measures = [m for m in MEASURES if with_lines or m != "margin"]
        columns = [
            ("rank", _("Rank"), "integer"),
            ("customer", _("Customer"), "text"),
            ("code", _("Code"), "code"),
            (rank_by, labels[rank_by], MEASURE_FORMATS[rank_by]),
        ]
        if ctx["compare"]:
            columns += [
                (
                    "previous",
                    _("%(measure)s, Previous Period", measure=labels[rank_by]),
                    MEASURE_FORMATS[rank_by],
                ),
                ("change", _("Change %"), "percent"),
            ]
        columns += [(m, labels[m], MEASURE_FORMATS[m]) for m in measures if m != rank_by]
        columns += [
            ("share", _("Share of Sales %"), "percent"),
            ("cumulative", _("Cumulative Share %"), "percent"),
            ("abc", _("ABC Class"), "code"),
            ("buyer", _("New or Returning"), "text"),
        ]

        def make_row(row):
            values = self._sh_measure_values(ctx, row, "cur")
            table_row = {
                "_res_id": row["id"],
                "rank": row["rank"],
                "customer": row["name"],
                "code": row["code"] or "",
                **{m: values[m] for m in measures},
                "share": self._sh_round_percent(row["share"]),
                "cumulative": self._sh_round_percent(row["cumulative"]),
                "abc": row["abc"] or "",
                "buyer": self._sh_buyer_label(row),
            }
            if ctx["compare"]:
                previous = self._sh_measure_values(ctx, row, "prev")
                table_row["previous"] = previous[rank_by]
                table_row["change"] = self._sh_change(values[rank_by], previous[rank_by])
            return table_row

        totals = self._sh_totals(ctx, ranked, "cur", measures)
        totals.update(customer=_("Total"), share=100.0 if ranked and ranked[0]["share"] else None)
        if ctx["compare"]:
            previous_totals = self._sh_totals(ctx, ranked, "prev", measures)
            totals["previous"] = previous_totals[rank_by]
            totals["change"] = self._sh_change(totals[rank_by], totals["previous"])
        help_text = _(
            "Every customer with a posted invoice or credit note in the period, ranked by "
            "%(measure)s. Share of sales: the customer's part of the period's net sales. "
            "Cumulative share: that of the customer and of every customer with more net "
            "sales. ABC class: A for the customers making the first %(a)s%% of net sales, "
            "B for the next ones up to %(b)s%%, C for the rest.",
            measure=labels[rank_by],
            a=int(ABC_LIMITS[0][0]),
            b=int(ABC_LIMITS[1][0]),
        )
        if with_lines:
            margin = _("Margin: %(help)s", help=self._sh_margin_help())
            help_text = f"{help_text} {margin}"
        return self._sh_table(
            "ranking",
            _("Customers Ranked by %(measure)s", measure=labels[rank_by]),
            columns,
            ranked,
            totals=totals,
            sequence=10,
            help_text=help_text,
            empty=_("No customer of these options has a posted invoice in the period."),
            make_row=make_row,
        )

    @api.model
    def _sh_measure_values(self, ctx, row, prefix):
        """The measures of a customer (or a group) in the period ``prefix``
        (cur, prev), rounded as shown."""
        aov = row[f"{prefix}_aov"]
        margin = row.get(f"{prefix}_margin")
        return {
            "net_sales": self._sh_money(ctx, row[f"{prefix}_sales"]),
            "invoices": row[f"{prefix}_invoices"],
            "aov": None if aov is None else self._sh_money(ctx, aov),
            "margin": None if margin is None else self._sh_money(ctx, margin),
        }

    @api.model
    def _sh_totals(self, ctx, rows, prefix, measures):
        """The measures of ``rows`` together in the period ``prefix``."""
        # itemgetter: summed over every customer of the report, a dozen
        # times; a generator would take several times as long.
        sales = sum(map(itemgetter(f"{prefix}_sales"), rows))
        invoices = sum(map(itemgetter(f"{prefix}_invoices"), rows))
        group = {
            f"{prefix}_sales": sales,
            f"{prefix}_invoices": invoices,
            f"{prefix}_aov": sales / invoices if invoices else None,
            # With the margin among the measures, every row has one.
            f"{prefix}_margin": sum(map(itemgetter(f"{prefix}_margin"), rows))
            if "margin" in measures
            else None,
        }
        values = self._sh_measure_values(ctx, group, prefix)
        return {m: values[m] for m in measures}

    @api.model
    def _sh_round_percent(self, value):
        return None if value is None else round(value, 2)

    @api.model
    def _sh_buyer_label(self, row):
        if not row["cur_invoices"]:
            return ""
        return self.env._("New") if row["new"] else self.env._("Returning")

    @api.model
    def _sh_abc_classes(self, ranked):
        """Per ABC class: its name and its customers."""
        classes = [name for _limit, name in ABC_LIMITS] + [LAST_CLASS]
        members = {name: [] for name in classes}
        for row in ranked:
            if row["abc"] in members:
                members[row["abc"]].append(row)
        return [(name, members[name]) for name in classes]

    @api.model
    def _sh_abc_table(self, ctx, ranked):
        _ = self.env._
        total = sum(row["cur_sales"] for row in ranked)
        rows = [
            {
                "_domain": [("id", "in", [row["id"] for row in members])],
                "abc": name,
                "customers": len(members),
                "net_sales": self._sh_money(ctx, sum(row["cur_sales"] for row in members)),
                "share": self._sh_round_percent(
                    sum(row["cur_sales"] for row in members) * 100.0 / total if total > 0 else None
                ),
            }
            for name, members in self._sh_abc_classes(ranked)
        ]
        return self._sh_table(
            "abc_classes",
            _("ABC Classes"),
            [
                ("abc", _("ABC Class"), "code"),
                ("customers", _("Customers"), "integer"),
                ("net_sales", _("Net Sales"), "money"),
                ("share", _("Share of Sales %"), "percent"),
            ],
            rows if total > 0 else [],
            totals={
                "abc": _("Total"),
                "customers": sum(row["customers"] for row in rows),
                "net_sales": self._sh_money(ctx, total),
            },
            sequence=20,
            help_text=_(
                "A: the best-selling customers making the first %(a)s%% of the period's net "
                "sales; B: the next ones, up to %(b)s%%; C: the rest.",
                a=int(ABC_LIMITS[0][0]),
                b=int(ABC_LIMITS[1][0]),
            ),
            empty=_("The period's net sales are not positive: no ABC class."),
        )

    @api.model
    def _sh_abc_chart(self, ctx, ranked):
        _ = self.env._
        classes = self._sh_abc_classes(ranked)
        return self._sh_series_chart(
            "abc_classes",
            _("Net Sales by ABC Class"),
            "bar",
            ("net_sales", _("Net Sales")),
            [
                (
                    _("Class %(name)s (%(count)s customers)", name=name, count=len(members)),
                    self._sh_money(ctx, sum(row["cur_sales"] for row in members)),
                    [("id", "in", [row["id"] for row in members])],
                )
                for name, members in classes
            ],
            fmt="money",
            sequence=10,
        )

    @api.model
    def _sh_series_chart(self, key, title, chart_type, series, points, fmt="number", sequence=100):
        return self.env["sh.customer.dashboard"]._sh_series_chart(
            key, title, chart_type, series, points, fmt=fmt, sequence=sequence
        )

    # ------------------------------------------------------------------
    # New and returning buyers
    # ------------------------------------------------------------------

    @api.model
    def _sh_new_returning_charts(self, ctx, customers):
        _ = self.env._
        df, dt = ctx["date_from"], ctx["date_to"]
        bought = bought_domain(self.env, ctx, df, dt)
        domains = [
            [("sh_first_purchase_date", ">=", df), ("sh_first_purchase_date", "<=", dt)],
            bought and [("sh_first_purchase_date", "<", df), *bought],
        ]
        labels = [_("New Buyers"), _("Returning Buyers")]
        periods = [("cur", "new", _("This Period"))]
        if ctx["compare"]:
            periods.append(("prev", "previous_new", _("Previous Period")))
        counts, sales = [], []
        for prefix, new_key, label in periods:
            buyers = [row for row in customers if row[f"{prefix}_invoices"] > 0]
            new = [row for row in buyers if row[new_key]]
            returning = [row for row in buyers if not row[new_key]]
            counts.append({"key": prefix, "label": label, "data": [len(new), len(returning)]})
            sales.append(
                {
                    "key": prefix,
                    "label": label,
                    "data": [
                        self._sh_money(ctx, sum(row[f"{prefix}_sales"] for row in group))
                        for group in (new, returning)
                    ],
                }
            )
        return [
            self._sh_chart(
                "new_returning",
                _("New and Returning Buyers"),
                "bar",
                labels,
                counts,
                domains,
                sequence=20,
            ),
            self._sh_chart(
                "new_returning_sales",
                _("Net Sales of New and Returning Buyers"),
                "bar",
                labels,
                sales,
                domains,
                fmt="money",
                sequence=30,
            ),
        ]

    # ------------------------------------------------------------------
    # By customer type and by salesperson
    # ------------------------------------------------------------------

    @api.model
    def _sh_sales_groups(self, ctx, customers, key):
        """The customers by ``key`` (customer_type, salesperson): a list of
        (label, customer domain, rows), in the selection's order or by
        salesperson name, customers without a value last."""
        _ = self.env._
        by_value = defaultdict(list)
        fname = "sh_customer_type" if key == "customer_type" else "user_id"
        column = "customer_type" if key == "customer_type" else "user_id"
        for row in customers:
            by_value[row[column] or False].append(row)
        Partner = self.env["res.partner"]
        if key == "customer_type":
            labels = dict(Partner._fields[fname]._description_selection(self.env))
            ordered = [value for value in labels if value in by_value]
            none_label = _("No Customer Type")
        else:
            # sudo: only the salespersons' names are read, as the customer
            # form shows them.
            users = self.env["res.users"].sudo().browse([v for v in by_value if v])
            labels = {user.id: user.name for user in users}
            ordered = sorted(labels, key=lambda user_id: (labels[user_id].lower(), user_id))
            none_label = _("No Salesperson")
        if False in by_value:
            ordered.append(False)
            labels[False] = none_label
        return [(labels[value], [(fname, "=", value)], by_value[value]) for value in ordered]

    @api.model
    def _sh_group_table(self, ctx, key, groups, with_lines, sequence):
        _ = self.env._
        labels = self._sh_measure_labels()
        measures = [m for m in MEASURES if with_lines or m != "margin"]
        df, dt = ctx["date_from"], ctx["date_to"]
        sold = sold_domain(self.env, ctx, df, dt)
        total = sum(row["cur_sales"] for _label, _domain, rows in groups for row in rows)
        columns = [
            ("group", _("Customer Type") if key == "customer_type" else _("Salesperson"), "text"),
            ("buyers", _("Buyers"), "integer"),
            ("net_sales", labels["net_sales"], "money"),
        ]
        if ctx["compare"]:
            columns += [
                ("previous", _("Net Sales, Previous Period"), "money"),
                ("change", _("Change %"), "percent"),
            ]
        columns += [("share", _("Share of Sales %"), "percent")]
        columns += [(m, labels[m], MEASURE_FORMATS[m]) for m in measures if m != "net_sales"]
        rows = []
        for label, domain, members in groups:
            values = self._sh_totals(ctx, members, "cur", measures)
            previous = self._sh_totals(ctx, members, "prev", measures)
            row = {
                "group": label,
                "buyers": sum(1 for row in members if row["cur_invoices"] > 0),
                **values,
                "share": self._sh_round_percent(
                    sum(row["cur_sales"] for row in members) * 100.0 / total if total > 0 else None
                ),
            }
            if sold is not None:
                row["_domain"] = domain + sold
            if ctx["compare"]:
                row["previous"] = previous["net_sales"]
                row["change"] = self._sh_change(values["net_sales"], previous["net_sales"])
            rows.append(row)
        every = [row for _label, _domain, members in groups for row in members]
        totals = {
            "group": _("Total"),
            "buyers": sum(1 for row in every if row["cur_invoices"] > 0),
            **self._sh_totals(ctx, every, "cur", measures),
        }
        if ctx["compare"]:
            totals["previous"] = self._sh_totals(ctx, every, "prev", measures)["net_sales"]
            totals["change"] = self._sh_change(totals["net_sales"], totals["previous"])
        if key == "customer_type":
            title = _("Sales by Customer Type")
            help_text = _("Net sales of the period by the customer's type.")
        else:
            title = _("Sales by Salesperson")
            help_text = _(
                "Net sales of the period by the customer's salesperson (the salesperson on "
                "the customer's form, whoever made each invoice)."
            )
        return self._sh_table(
            f"by_{key}",
            title,
            columns,
            rows,
            totals=totals,
            sequence=sequence,
            help_text=help_text,
        )

    @api.model
    def _sh_group_chart(self, ctx, key, groups, sequence):
        _ = self.env._
        df, dt = ctx["date_from"], ctx["date_to"]
        sold = sold_domain(self.env, ctx, df, dt)
        datasets = [
            {
                "key": "cur",
                "label": _("This Period"),
                "data": [
                    self._sh_money(ctx, sum(row["cur_sales"] for row in rows))
                    for _label, _domain, rows in groups
                ],
            }
        ]
        if ctx["compare"]:
            datasets.append(
                {
                    "key": "prev",
                    "label": _("Previous Period"),
                    "data": [
                        self._sh_money(ctx, sum(row["prev_sales"] for row in rows))
                        for _label, _domain, rows in groups
                    ],
                }
            )
        return self._sh_chart(
            f"by_{key}",
            _("Net Sales by Customer Type")
            if key == "customer_type"
            else _("Net Sales by Salesperson"),
            "bar",
            [label for label, _domain, _rows in groups],
            datasets,
            [None if sold is None else domain + sold for _label, domain, _rows in groups],
            fmt="money",
            sequence=sequence,
        )

    # ------------------------------------------------------------------
    # Products
    # ------------------------------------------------------------------

    @api.model
    def _sh_products_table(self, ctx, customers):
        """The products each of ``customers`` bought most of in the period
        (by net sales, read with the customers' figures); each row opens
        the customer's invoices and credit notes of the period with that
        product. The customers by their net sales of products, best
        first."""
        _ = self.env._
        buyers = sorted(
            (row for row in customers if row["product_ids"]),
            key=lambda row: (-row["product_sales"], row["id"]),
        )
        # A line per customer and product rank, made into a row when sent.
        lines = _ProductLines(buyers)
        products = self.env["product.product"].browse(
            {product_id for row in buyers for product_id in row["product_ids"]}
        )
        # sudo: the names of products sold to the customers shown, as their
        # invoices show them.
        names = {product.id: product.display_name for product in products.sudo()}
        df, dt = ctx["date_from"], ctx["date_to"]

        def make_row(line):
            row, index = line
            product_id, net_sales = row["product_ids"][index], row["product_net_sales"][index]
            quantity, rank = row["quantities"][index], index + 1
            return {
                "_domain": [
                    ("commercial_partner_id", "=", row["id"]),
                    ("invoice_line_ids.product_id", "=", product_id),
                ],
                "customer": row["name"],
                "code": row["code"] or "",
                "rank": rank,
                "product": names[product_id],
                "quantity": round(quantity, 2),
                "net_sales": self._sh_money(ctx, net_sales),
                "share": self._sh_round_percent(
                    net_sales * 100.0 / row["product_sales"] if row["product_sales"] else None
                ),
            }

        return self._sh_table(
            "top_products",
            _("Top Products per Customer"),
            [
                ("customer", _("Customer"), "text"),
                ("code", _("Code"), "code"),
                ("rank", _("Rank"), "integer"),
                ("product", _("Product"), "text"),
                ("quantity", _("Quantity"), "number"),
                ("net_sales", _("Net Sales"), "money"),
                ("share", _("Share of the Customer's Products %"), "percent"),
            ],
            lines,
            model="account.move",
            # Each row opens the customer's invoices and credit notes of
            # the period with its product.
            domain=[
                ("move_type", "in", ["out_invoice", "out_refund"]),
                ("state", "=", "posted"),
                ("company_id", "in", ctx["company_ids"]),
                ("invoice_date", ">=", df),
                ("invoice_date", "<=", dt),
            ],
            sequence=30,
            help_text=_(
                "The %(count)s products each customer bought most of in the period, by net "
                "sales (invoice lines less credit note lines, untaxed, in company currency); "
                "the quantity is in the product's unit. Customers by their net sales of "
                "products, best first.",
                count=TOP_PRODUCTS,
            ),
            empty=_("No product was invoiced to these customers in the period."),
            make_row=make_row,
        )
