"""The customer dashboard's statement: the SQL that reads every sales, status
and receivable figure of the dashboard in one statement from the customers'
sales and receivable history (``sh.customer.figure``), the ranking of the
customers and the page of at-risk customers, the settings they run with, and
the reading of their answers into plain figures. Each builder takes the
environment and the dashboard's context (``ctx``: the period and what every
part of the dashboard shares, see ``sh.customer.dashboard``) and returns
``SQL``; the model runs them."""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .dashboard_context import history_days
from .dashboard_debt import debt_statement, debt_values, percent, receivable_columns
from .rules import (
    AGING_BUCKET_COLUMNS,
    bought_within_churn_sql,
    churn_day_sql,
    lifecycle_is_sql,
    purchase_gap_sql,
)

# At-risk customers shown on the dashboard.
AT_RISK_ROWS = 10
# The 10 customers with the highest net sales of the period, from the
# statement's ``customer`` rows (``cur_sales``: NULL without a document in
# the period).
TOP_SQL = SQL(
    """
    SELECT json_agg(json_build_object(
               'id', id, 'net_sales', cur_sales,
               'invoices', cur_invoices,
               'aov', cur_sales / NULLIF(cur_invoices, 0)
           ) ORDER BY cur_sales DESC, id)
      FROM (SELECT * FROM customer WHERE cur_sales IS NOT NULL
             ORDER BY cur_sales DESC, id LIMIT 10) top
    """
)


def position(suffix, kind="sale"):
    """The customer's position in its sales (or receivable) history on the
    day of ``suffix`` (see ``day_suffixes``)."""
    return SQL.identifier("history", f"{kind}_position_{suffix}")


def day_suffixes(ctx):
    """The days the periods need a customer's history on, each with the
    suffix naming its columns."""
    return {day: f"d{index}" for index, day in enumerate(history_days(ctx))}


def _as_of(Figure, suffix, count=True):
    """Last purchase (and invoice count) as of a day, from the customer's
    sales history."""
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


def _at_risk(company, day, suffix):
    """The customer's lifecycle status is At risk on ``day`` (the status
    rule applied to its purchases as of that day)."""
    last, count = SQL.identifier(f"last_{suffix}"), SQL.identifier(f"count_{suffix}")
    return lifecycle_is_sql(
        "at_risk",
        day,
        SQL("first_date"),
        last,
        count,
        purchase_gap_sql(SQL("first_date"), last, count),
        {
            "churn_days": company.sh_churn_days,
            "new_days": company.sh_new_customer_days,
            "gap_factor": company.sh_at_risk_gap_factor,
        },
    )


def _customer_on(company, day, suffix):
    """The customer bought within the churn period before ``day``."""
    return bought_within_churn_sql(day, SQL.identifier(f"last_{suffix}"), company.sh_churn_days)


def _period_figures(company, first, last, end_suffix, start_suffix, prefix):
    """The counts of one period, over the customers of the statement."""
    invoices = SQL.identifier(f"{prefix}_invoices")
    return SQL(
        """json_build_object(
            'customers', COUNT(*) FILTER (WHERE first_date <= %(last)s),
            'buyers', COUNT(*) FILTER (WHERE %(invoices)s > 0),
            'repeaters', COUNT(*) FILTER (WHERE %(invoices)s > 1),
            'new', COUNT(*) FILTER (WHERE first_date BETWEEN %(first)s AND %(last)s),
            'at_risk', COUNT(*) FILTER (WHERE %(at_risk)s),
            'churned', COUNT(*) FILTER (
                WHERE %(churn_day)s BETWEEN %(first)s AND %(last)s),
            'at_start', COUNT(*) FILTER (WHERE %(start_customer)s),
            'at_end', COUNT(*) FILTER (WHERE %(end_customer)s),
            'invoices', COALESCE(SUM(%(invoices)s), 0)
        )""",
        first=first,
        last=last,
        invoices=invoices,
        at_risk=_at_risk(company, last, end_suffix),
        churn_day=churn_day_sql(SQL.identifier(f"last_{end_suffix}"), company.sh_churn_days),
        start_customer=_customer_on(company, first - timedelta(days=1), start_suffix),
        end_customer=_customer_on(company, last, end_suffix),
    )


def _customer_columns(env, ctx, query, figure, suffixes):
    """The visible customers (``query``) with their figures, their history
    and its positions on the days of ``suffixes``."""
    Figure = env["sh.customer.figure"]

    def value(column):
        return Figure._sh_column(figure, column)

    return query.select(
        SQL.identifier(query.table, "id"),
        SQL("%s AS status", value("lifecycle_status")),
        SQL("%s AS segment", value("rfm_segment")),
        SQL("%s AS net_sales", value("net_sales")),
        SQL("%s AS first_purchase", value("first_purchase_date")),
        *(
            SQL("%s AS %s", value(column), SQL.identifier(column))
            for column in (AGING_BUCKET_COLUMNS if ctx["show_debt"] else ())
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
    )


def _history_values(env, ctx, suffixes):
    """The parameters of the statement read from the customers' history."""
    Figure = env["sh.customer.figure"]
    dt, pt = ctx["date_to"], ctx["previous_to"]
    start = suffixes[ctx["date_from"] - timedelta(days=1)]
    previous_start = suffixes[ctx["previous_from"] - timedelta(days=1)]
    # An entry of a buyer's sales history in the months' chart, and the
    # one before it.
    entry = SQL("customer.window_start + item.n")
    entry_before = SQL("customer.window_start + item.n - 1")
    return {
        "sold": SQL("%s > %s", position(suffixes[dt]), position(start)),
        "cur_sales": Figure._sh_sales_between("history", position(start), position(suffixes[dt])),
        "cur_invoices": Figure._sh_invoices_between(
            "history", position(start), position(suffixes[dt])
        ),
        "prev_invoices": Figure._sh_invoices_between(
            "history", position(previous_start), position(suffixes[pt])
        ),
        "window_start": position(previous_start),
        "window_end": position(suffixes[dt]),
        "window_history": SQL(", ").join(
            SQL(
                "CASE WHEN %s > %s THEN %s END AS %s",
                position(suffixes[dt]),
                position(previous_start),
                SQL.identifier("history", column),
                SQL.identifier(column),
            )
            for column in Figure._sh_history_columns("sales")
        ),
        "entry_sales": Figure._sh_sales_between("customer", entry_before, entry),
        "entry_invoices": Figure._sh_invoices_between("customer", entry_before, entry),
        "last_before": Figure._sh_last_invoice_until("customer", entry_before),
        "as_of": SQL(", ").join(
            _as_of(Figure, suffix, count=day in (dt, pt)) for day, suffix in suffixes.items()
        ),
    }


def period_columns(values, date_to):
    """The columns of a customer (``history``) the counts of both periods
    read, from ``values`` (``_history_values``): its first purchase up to
    the period's end, its purchases as of the days the periods need, and its
    sales and invoices of each period."""
    return SQL(
        """CASE WHEN history.first_purchase <= %(dt)s
                THEN history.first_purchase END AS first_date,
           %(as_of)s,
           CASE WHEN %(sold)s THEN %(cur_sales)s END AS cur_sales,
           %(cur_invoices)s AS cur_invoices,
           %(prev_invoices)s AS prev_invoices""",
        dt=date_to,
        **{
            key: values[key]
            for key in ("as_of", "sold", "cur_sales", "cur_invoices", "prev_invoices")
        },
    )


def figures_statement(env, ctx, query):
    """Every sales and status figure of the dashboard, from one statement:
    the visible customers (``query``) are read once, with their sales and
    receivable history (``sh.customer.figure``), which gives their
    purchases and receivable on any day, and the entries of both periods
    for the months' chart; for users who may see receivables, the few items
    not yet due at the end of each period. No sales document is read: the
    statement's cost follows the number of customers and of their entries
    in the periods, and its plan does not depend on estimates of how many
    customers are visible. Amounts are summed as floating-point numbers (see
    ``debt_statement``)."""
    company = ctx["company"]
    df, dt = ctx["date_from"], ctx["date_to"]
    pf, pt = ctx["previous_from"], ctx["previous_to"]
    start, previous_start = df - timedelta(days=1), pf - timedelta(days=1)
    suffixes = day_suffixes(ctx)
    figure = env["sh.customer.figure"]._sh_join(query, query.table, company)
    values = _history_values(env, ctx, suffixes)
    return SQL(
        """
        -- The visible customers with, from their history, their
        -- purchases as of the days the periods need and, for users who
        -- may see receivables, their receivable on those days. (The
        -- history is read where it lies: OFFSET 0 keeps the positions
        -- computed once per customer without copying the arrays.)
        WITH customer AS MATERIALIZED (
            SELECT history.id, history.status, history.segment, history.net_sales,
                   %(period_columns)s,
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
            (%(top)s),
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
        customers=_customer_columns(env, ctx, query, figure, suffixes),
        receivable=SQL(", %s", receivable_columns(env, ctx, suffixes, position))
        if ctx["show_debt"]
        else SQL(),
        # The first day of the month, without the time zone conversion
        # a date_trunc of a date implies.
        month=SQL("date_trunc('month', item.day::timestamp)::date"),
        first_month=SQL("date_trunc('month', first_date::timestamp)::date"),
        df=df,
        dt=dt,
        pf=pf,
        pt=pt,
        current=_period_figures(company, df, dt, suffixes[dt], suffixes[start], "cur"),
        previous=_period_figures(company, pf, pt, suffixes[pt], suffixes[previous_start], "prev"),
        at_risk_rows=AT_RISK_ROWS,
        top=TOP_SQL,
        debt=debt_statement(env, ctx, suffixes) if ctx["show_debt"] else SQL("NULL"),
        period_columns=period_columns(values, dt),
        **values,
    )


def add_rates(values):
    """The rates of a period's figures: average order value, repeat
    purchase rate and retention."""
    values["aov"] = values["net_sales"] / values["invoices"] if values["invoices"] else None
    values["repeat_rate"] = percent(values["repeaters"], values["buyers"])
    values["retention"] = percent(values["at_end"] - values["new"], values["at_start"])


def read_figures(ctx, row):
    """The figures of the dashboard from the row of ``figures_statement``."""
    (current, previous, sales, statuses, segments, top, totals, at_risk_ids, debt) = row
    if ctx["date_to"] >= ctx["today"]:
        # The stored status is the one the customer list filters on.
        current["at_risk"] = (statuses or {}).get("at_risk", 0)
    sales = {fields.Date.to_date(month): values for month, values in (sales or {}).items()}
    current["net_sales"] = sum(v[0] or 0.0 for v in sales.values())
    previous["net_sales"] = sum(v[1] or 0.0 for v in sales.values())
    for values in (current, previous):
        add_rates(values)
    segments = segments or {}
    return {
        "current": current,
        "previous": previous,
        "sales_by_month": {month: v[0] or 0.0 for month, v in sales.items()},
        "previous_sales_by_month": {month: v[1] or 0.0 for month, v in sales.items()},
        "new_by_month": {month: v[3] for month, v in sales.items()},
        "returning_by_month": {month: v[2] - v[3] for month, v in sales.items()},
        "statuses": {key: count for key, count in (statuses or {}).items() if key},
        "segments": {key: v[0] for key, v in segments.items() if key},
        "segment_sales": {key: v[1] or 0.0 for key, v in segments.items() if key},
        "top": top or [],
        "clv": {"customers": totals["customers"], "total": totals["total"]},
        "at_risk_ids": at_risk_ids or [],
        "debt": debt and debt_values(ctx, debt),
    }


def ranking_statement(env, ctx, query, by, limit, offset):
    """How many visible customers (``query``) are ranked by ``by`` (those
    with sales in the period, or with debt) and one page of them, best
    first, with their figures of the period."""
    Figure = env["sh.customer.figure"]
    figure = Figure._sh_join(query, query.table, ctx["company"])
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
    return SQL(
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
            SQL.identifier(query.table, "id"),
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


def at_risk_page_statement(env, query, limit, offset):
    """How many customers ``query`` selects (the visible at-risk customers)
    and the ids of one page of them, most valuable first."""
    net_sales = env["res.partner"]._field_to_sql(query.table, "sh_net_sales", query)
    return SQL(
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
