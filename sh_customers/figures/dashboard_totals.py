"""The customer dashboard's figures when the user sees every customer the
companies' totals count (``totals.lists_every_customer``): the sums (sales
and new buyers by month, invoices, statuses and segments, lifetime value,
receivable on any day, credit sales, today's aging) from the totals, a few
rows per company and day; what counts customers over a period (buyers,
repeat buyers, retention, churn, the status on a past day, the buyers of
each month) and the period's top customers from one lighter pass over the
customers' sales history, which reads no receivable and unnests no entry.
Both give the figures ``dashboard.read_figures`` gives. ``ctx`` is the
dashboard's context."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo.tools import SQL

from . import totals
from .dashboard import (
    TOP_SQL,
    _history_values,
    _period_figures,
    add_rates,
    day_suffixes,
)
from .dashboard_context import history_days
from .dashboard_debt import debt_values, not_due_statement
from .rules import AGING_BUCKET_COLUMNS


def month_ends(ctx):
    """The last day of each month of the period, within it, after the day
    before it starts: a customer bought in a month when it has invoices
    between the month's end and the previous one."""
    ends = [ctx["date_from"] - timedelta(days=1)]
    for month in ctx["months"]:
        ends.append(min(month + relativedelta(months=1, days=-1), ctx["date_to"]))
    return ends


def counts_statement(env, ctx, query):
    """The counts of customers of both periods, the buyers of each month
    and the top 10 customers by net sales of the period, from each visible
    customer's (``query``) sales history as of the days they need."""
    Figure = env["sh.customer.figure"]
    company = ctx["company"]
    df, dt = ctx["date_from"], ctx["date_to"]
    pf, pt = ctx["previous_from"], ctx["previous_to"]
    start, previous_start = df - timedelta(days=1), pf - timedelta(days=1)
    suffixes = day_suffixes(ctx)
    ends = month_ends(ctx)
    figure = Figure._sh_join(query, query.table, company)
    customers = query.select(
        SQL("%s AS first_purchase", Figure._sh_column(figure, "first_purchase_date")),
        *(
            SQL.identifier(figure, column)
            for column in ("sale_totals", "invoice_counts", "last_invoice_dates")
        ),
        SQL.identifier(query.table, "id"),
        *(
            SQL(
                "%s AS %s",
                Figure._sh_position(figure, day),
                SQL.identifier(f"sale_position_{suffix}"),
            )
            for day, suffix in suffixes.items()
        ),
        *(
            SQL("%s AS %s", Figure._sh_position(figure, end), SQL.identifier(f"month_end_{i}"))
            for i, end in enumerate(ends)
        ),
    )
    bought = SQL(", ").join(
        SQL(
            "%s > 0 AS %s",
            Figure._sh_invoices_between(
                "history",
                SQL.identifier("history", f"month_end_{i - 1}"),
                SQL.identifier("history", f"month_end_{i}"),
            ),
            SQL.identifier(f"bought_{i}"),
        )
        for i in range(1, len(ends))
    )
    months = SQL(", ").join(
        SQL("COUNT(*) FILTER (WHERE %s)", SQL.identifier(f"bought_{i}"))
        for i in range(1, len(ends))
    )
    values = _history_values(env, ctx, suffixes)
    return SQL(
        """
        WITH customer AS MATERIALIZED (
            SELECT history.id,
                   CASE WHEN history.first_purchase <= %(dt)s
                        THEN history.first_purchase END AS first_date,
                   %(as_of)s,
                   CASE WHEN %(sold)s THEN %(cur_sales)s END AS cur_sales,
                   %(cur_invoices)s AS cur_invoices,
                   %(prev_invoices)s AS prev_invoices,
                   %(bought)s
              FROM (%(customers)s OFFSET 0) history
        )
        SELECT
            (SELECT %(current)s FROM customer),
            (SELECT %(previous)s FROM customer),
            (SELECT json_build_array(%(months)s) FROM customer),
            (%(top)s)
        """,
        dt=dt,
        **{
            key: values[key]
            for key in ("as_of", "sold", "cur_sales", "cur_invoices", "prev_invoices")
        },
        bought=bought,
        months=months,
        customers=customers,
        current=_period_figures(company, df, dt, suffixes[dt], suffixes[start], "cur"),
        previous=_period_figures(company, pf, pt, suffixes[pt], suffixes[previous_start], "prev"),
        top=TOP_SQL,
    )


def read_totals_figures(env, ctx, query):
    """Every figure of the dashboard (as ``dashboard.read_figures`` gives
    them) from the companies' totals and the counts of ``counts_statement``
    over the visible customers (``query``)."""
    company = ctx["company"]
    df, dt = ctx["date_from"], ctx["date_to"]
    [(current, previous, month_buyers, top)] = env.execute_query(counts_statement(env, ctx, query))
    rows = totals.customer_totals(env, company)
    statuses, segments, segment_sales = {}, {}, {}
    for row in rows:
        status, segment = row["lifecycle_status"], row["rfm_segment"]
        if status:
            statuses[status] = statuses.get(status, 0) + row["customers"]
        if segment:
            segments[segment] = segments.get(segment, 0) + row["customers"]
            segment_sales[segment] = segment_sales.get(segment, 0.0) + row["net_sales"]
    if dt >= ctx["today"]:
        # The stored status is the one the customer list filters on.
        current["at_risk"] = statuses.get("at_risk", 0)
    months = totals.day_sums(env, company, df, dt, by_month=True)
    previous_months = totals.day_sums(
        env, company, ctx["previous_from"], ctx["previous_to"], by_month=True
    )
    current["net_sales"] = sum(values["sales"] for values in months.values())
    previous["net_sales"] = sum(values["sales"] for values in previous_months.values())
    for values in (current, previous):
        add_rates(values)
    buyers = dict(zip(ctx["months"], month_buyers, strict=True))
    new = {month: values["first_buyers"] for month, values in months.items()}
    buyer_months = [month for month in ctx["months"] if buyers[month] or month in months]
    prospects = [row for row in rows if row["lifecycle_status"] != "prospect"]
    return {
        "current": current,
        "previous": previous,
        "sales_by_month": {month: values["sales"] for month, values in months.items()},
        "previous_sales_by_month": {
            month: values["sales"] for month, values in previous_months.items()
        },
        "new_by_month": {month: new.get(month, 0) for month in buyer_months},
        "returning_by_month": {month: buyers[month] - new.get(month, 0) for month in buyer_months},
        "statuses": statuses,
        "segments": segments,
        "segment_sales": segment_sales,
        "top": top or [],
        "clv": {
            "customers": sum(row["customers"] for row in prospects),
            "total": sum(row["net_sales"] for row in prospects),
        },
        "at_risk_ids": at_risk_ids(env, ctx),
        "debt": ctx["show_debt"] and debt_values(ctx, debt_from_totals(env, ctx, rows)),
    }


# At-risk customers shown on the dashboard.
AT_RISK_ROWS = 10


def at_risk_ids(env, ctx):
    """The visible at-risk customers with the highest net sales, from their
    narrow rows."""
    rows = env.execute_query(
        SQL(
            """
            SELECT figure.partner_id FROM sh_customer_figure figure
             WHERE figure.company_id = %(company_id)s AND figure.listed
               AND figure.lifecycle_status = 'at_risk' AND %(visible)s
             ORDER BY figure.net_sales DESC NULLS LAST, figure.partner_id
             LIMIT %(limit)s
            """,
            company_id=ctx["company"].id,
            visible=totals.visible_sql(env, "figure"),
            limit=AT_RISK_ROWS,
        )
    )
    return [row[0] for row in rows]


def debt_from_totals(env, ctx, rows):
    """The receivable figures ``dashboard_debt.debt_values`` reads, from
    the totals (``rows``: the customer totals): the receivable on each day
    the periods need, the credit sales of each period, today's aging, and
    the part not yet due at the end of each period from the items of the
    customers the totals count."""
    company = ctx["company"]
    balances = totals.receivable_on(env, company, history_days(ctx))
    current = totals.day_sums(env, company, ctx["date_from"], ctx["date_to"])
    previous = totals.day_sums(env, company, ctx["previous_from"], ctx["previous_to"])
    # The few items not yet due are found first, then their customers.
    customers = SQL(
        """EXISTS (SELECT 1 FROM sh_customer_figure figure
                    WHERE figure.partner_id = line.partner_id
                      AND figure.company_id = %s AND figure.listed AND %s)""",
        company.id,
        totals.visible_sql(env, "figure"),
    )
    [(not_due,)] = env.execute_query(not_due_statement(env, ctx, customers))
    return {
        "balances": balances,
        "sales": current["credit_sales"],
        "previous_sales": previous["credit_sales"],
        "aging": [sum(row[column] for row in rows) for column in AGING_BUCKET_COLUMNS],
        **not_due,
    }
