"""The customer dashboard's figures when the user sees every customer the
companies' totals count (``totals.lists_every_customer``): the sums (sales
and new buyers by month, invoices, statuses and segments, lifetime value,
receivable on any day, credit sales, today's aging) from the totals, a few
rows per company and day; what counts customers over a period (buyers,
repeat buyers, retention, churn, the status on a past day, the buyers of
each month) and the period's top customers from the counts kept as of the
nightly pass and the customers changed since (``dashboard_counts``). Both
give the figures ``dashboard.read_figures`` gives. ``ctx`` is the
dashboard's context."""

from odoo.tools import SQL

from . import totals
from .dashboard import add_rates
from .dashboard_context import history_days
from .dashboard_counts import read_counts
from .dashboard_debt import debt_values, not_due_statement
from .rules import AGING_BUCKET_COLUMNS


def read_totals_figures(env, ctx, query):
    """Every figure of the dashboard (as ``dashboard.read_figures`` gives
    them) from the companies' totals and the counts of ``dashboard_counts``
    over the visible customers (``query``)."""
    company = ctx["company"]
    df, dt = ctx["date_from"], ctx["date_to"]
    current, previous, month_buyers, top = read_counts(env, ctx, query)
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
