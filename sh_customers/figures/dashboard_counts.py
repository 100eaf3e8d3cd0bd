"""What the customer dashboard counts over a period, customer by customer:
the customers of both periods (buyers, repeat buyers, new, at risk on the
period's last day, churned, customers at its start and end), the buyers of
each month and the top customers by net sales of the period. Counting each
customer once over a period cannot be summed from day totals; one pass over
the customers' sales history counts them.

For the unfiltered dashboard of a named period (``lists_every_customer``),
the pass is not made at each request: the nightly pass writes each
company's counts for the named periods ending that day, by who may see the
customers (``sh_customer_count``), and the totals' trigger keeps the state
each narrow row had before any change since (``sh_customer_count_before``).
A request sums the counts its user may see, takes away what the changed
customers counted then and adds what they count now: it reads the customers
changed since the night, not every customer. Another period, or counts
kept under other settings of the company, are counted by the pass."""

import json
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

from . import totals
from .dashboard import _history_values, _period_figures, day_suffixes, period_columns
from .dashboard_context import dashboard_context
from .periods import NAMED_PERIODS

# The top customers a request shows.
TOP_ROWS = 10
# The top customers kept for each group of customers the counts are kept
# for: with the changed customers taken out and counted again, the top 10 is
# known while its last one sold more than the last one kept.
TOP_KEPT = 50
# The changed customers counted again, at most: this many, or this share of
# the customers counted, beyond which the pass over every customer is
# cheaper than counting them as they were and as they are.
CHANGED_AT_MOST = 2000
CHANGED_SHARE_AT_MOST = 0.25
# What the counts of a period keep, in the order of the statement's columns.
COUNT_PARTS = ("current", "previous", "months", "top")
# The narrow rows' columns the counts read, as ``counts_sql`` takes them.
SOURCE_COLUMNS = (
    "first_purchase_date",
    "sale_dates",
    "sale_totals",
    "invoice_counts",
    "last_invoice_dates",
)


def month_ends(ctx):
    """The last day of each month of the period, within it, after the day
    before it starts: a customer bought in a month when it has invoices
    between the month's end and the previous one."""
    ends = [ctx["date_from"] - timedelta(days=1)]
    for month in ctx["months"]:
        ends.append(min(month + relativedelta(months=1, days=-1), ctx["date_to"]))
    return ends


def counts_sql(env, ctx, rows, keys=(), top=TOP_ROWS):
    """The counts of customers of both periods, the buyers of each month and
    the ``top`` customers by net sales of the period, from the customers'
    sales history: ``rows`` is a relation of one row per customer with its
    ``id``, the columns of ``SOURCE_COLUMNS`` and ``keys``. One row per
    value of ``keys`` (one row without keys): the keys, then the parts of
    ``COUNT_PARTS`` as JSON."""
    Figure = env["sh.customer.figure"]
    company = ctx["company"]
    df, dt = ctx["date_from"], ctx["date_to"]
    pf, pt = ctx["previous_from"], ctx["previous_to"]
    start, previous_start = df - timedelta(days=1), pf - timedelta(days=1)
    suffixes = day_suffixes(ctx)
    ends = month_ends(ctx)
    key_columns = [SQL.identifier(key) for key in keys]
    history = SQL(
        """SELECT source.id, %(keys)s
                  source.first_purchase_date AS first_purchase,
                  source.sale_totals, source.invoice_counts, source.last_invoice_dates,
                  %(positions)s, %(month_ends)s
             FROM (%(rows)s) source""",
        keys=SQL("").join(SQL("%s, ", SQL.identifier("source", key)) for key in keys),
        positions=SQL(", ").join(
            SQL(
                "%s AS %s",
                Figure._sh_position("source", day),
                SQL.identifier(f"sale_position_{suffix}"),
            )
            for day, suffix in suffixes.items()
        ),
        month_ends=SQL(", ").join(
            SQL("%s AS %s", Figure._sh_position("source", end), SQL.identifier(f"month_end_{i}"))
            for i, end in enumerate(ends)
        ),
        rows=rows,
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
    # The top customers of the row's keys.
    same_keys = SQL(" AND ").join(
        [
            SQL("best.cur_sales IS NOT NULL"),
            *(SQL("best.%s IS NOT DISTINCT FROM customer.%s", key, key) for key in key_columns),
        ]
    )
    return SQL(
        """
        WITH customer AS MATERIALIZED (
            SELECT history.id, %(keys)s %(period_columns)s, %(bought)s
              FROM (%(history)s OFFSET 0) history
        )
        SELECT %(keys)s
               %(current)s,
               %(previous)s,
               json_build_array(%(months)s),
               (SELECT json_agg(json_build_object(
                           'id', id, 'net_sales', cur_sales,
                           'invoices', cur_invoices,
                           'aov', cur_sales / NULLIF(cur_invoices, 0)
                       ) ORDER BY cur_sales DESC, id)
                  FROM (SELECT * FROM customer best WHERE %(same_keys)s
                         ORDER BY cur_sales DESC, id LIMIT %(top)s) best)
          FROM customer
         %(group_by)s
        """,
        keys=SQL("").join(SQL("%s, ", key) for key in key_columns),
        period_columns=period_columns(values, dt),
        bought=bought,
        history=history,
        current=_period_figures(company, df, dt, suffixes[dt], suffixes[start], "cur"),
        previous=_period_figures(company, pf, pt, suffixes[pt], suffixes[previous_start], "prev"),
        months=months,
        same_keys=same_keys,
        top=top,
        group_by=SQL("GROUP BY %s", SQL(", ").join(key_columns)) if keys else SQL(),
    )


def counts_statement(env, ctx, query):
    """The counts of ``counts_sql`` over the visible customers (``query``),
    from their narrow rows: one row of ``COUNT_PARTS``."""
    Figure = env["sh.customer.figure"]
    figure = Figure._sh_join(query, query.table, ctx["company"])
    rows = query.select(
        SQL.identifier(query.table, "id"),
        *(SQL.identifier(figure, column) for column in SOURCE_COLUMNS),
    )
    return counts_sql(env, ctx, rows)


def read_counts(env, ctx, query):
    """The counts of ``counts_sql`` (current, previous, month buyers, top)
    of the visible customers (``query``: every customer the company's
    totals count, see ``totals.lists_every_customer``): from the counts
    kept for the period and the customers changed since, or, without kept
    counts of the period, from the pass over every customer."""
    kept = kept_counts(env, ctx)
    if kept is not None:
        return kept
    [row] = env.execute_query(counts_statement(env, ctx, query))
    return row


# ----------------------------------------------------------------------
# The counts kept as of the nightly pass
# ----------------------------------------------------------------------


def company_settings(company):
    """The settings of ``company`` the counts follow from."""
    return {
        "churn_days": company.sh_churn_days,
        "new_days": company.sh_new_customer_days,
        "gap_factor": company.sh_at_risk_gap_factor,
    }


def _narrow_rows(company, condition=None):
    """The relation of ``counts_sql`` over the customers the totals of
    ``company`` count, meeting ``condition`` (on ``figure``) if given."""
    return SQL(
        """SELECT figure.partner_id AS id, figure.partner_company_id,
                  COALESCE(figure.partner_share, FALSE) AS partner_share, %(columns)s
             FROM sh_customer_figure figure
            WHERE figure.company_id = %(company_id)s AND figure.listed AND %(condition)s""",
        columns=SQL(", ").join(SQL.identifier("figure", column) for column in SOURCE_COLUMNS),
        company_id=company.id,
        condition=condition or SQL("TRUE"),
    )


def count_days(env, today):
    """The days the named periods end on for the users: ``today`` and, where
    the time zone of an internal user (or UTC, for a user without one) is
    already or still on another day, that day (the dashboard ends its
    periods on the user's today)."""
    now = fields.Datetime.now()
    env["res.users"].flush_model(["active", "share", "partner_id"])
    env["res.partner"].flush_model(["tz"])
    zones = {
        tz
        for (tz,) in env.execute_query(
            SQL(
                """SELECT DISTINCT partner.tz FROM res_users users
                     JOIN res_partner partner ON partner.id = users.partner_id
                    WHERE users.active AND NOT users.share AND partner.tz IS NOT NULL"""
            )
        )
    }
    days = {today, fields.Date.today()}
    for tz in zones:
        days.add(fields.Date.context_today(env["res.partner"].with_context(tz=tz), now))
    return sorted(days)


def write_counts(env, today):
    """Write again every company's counts of the named periods ending
    ``today`` (and on the users' own today, see ``count_days``), by who may
    see the customers, and forget the states kept before the changes they
    now count. Runs in the cursor's repeatable read: what a transaction
    committing meanwhile changes is not in the counts, and the states it
    kept are not forgotten (they are not seen here)."""
    companies = env["res.company"].sudo().search([])
    days = count_days(env, today)
    env.cr.execute(SQL("DELETE FROM sh_customer_count"))
    env.cr.execute(SQL("DELETE FROM sh_customer_count_before"))
    keys = ("partner_company_id", "partner_share")
    for company in companies:
        company_env = env(su=True)["res.company"].with_company(company).env
        bounds = set()
        for day in days:
            for name, _label, _months in NAMED_PERIODS:
                ctx = dashboard_context(company_env, day, None, None, name, True)
                key = (ctx["date_from"], ctx["date_to"], ctx["previous_from"], ctx["previous_to"])
                if key not in bounds:
                    bounds.add(key)
                    _write_company_counts(env, company, ctx, keys)


def _write_company_counts(env, company, ctx, keys):
    """Write the counts of the period of ``ctx`` of ``company``'s customers,
    by ``keys``."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO sh_customer_count (company_id, partner_company_id, partner_share,
                        date_from, date_to, previous_from, previous_to, settings, counts)
            SELECT %(company_id)s, counted.partner_company_id, counted.partner_share,
                   %(date_from)s, %(date_to)s, %(previous_from)s, %(previous_to)s,
                   %(settings)s,
                   jsonb_build_object('current', counted.current,
                                      'previous', counted.previous,
                                      'months', counted.months, 'top', counted.top)
              FROM (%(counts)s) AS counted (partner_company_id, partner_share,
                                           current, previous, months, top)
            """,
            **_kept_key(company, ctx),
            counts=counts_sql(
                ctx["company"].env, ctx, _narrow_rows(company), keys=keys, top=TOP_KEPT
            ),
        )
    )


def _kept_key(company, ctx):
    """What the counts of ``company`` are kept under: the days of the period
    of ``ctx`` and of the one compared with it, and the company's settings
    (a jsonb parameter)."""
    return {
        "company_id": company.id,
        "date_from": ctx["date_from"],
        "date_to": ctx["date_to"],
        "previous_from": ctx["previous_from"],
        "previous_to": ctx["previous_to"],
        "settings": SQL("%s::jsonb", json.dumps(company_settings(company), sort_keys=True)),
    }


def kept_counts(env, ctx):
    """The counts of the visible customers of the company's totals from the
    counts kept for the period, corrected by the customers changed since;
    None when none are kept for it (another period, the company's settings
    changed), when too many customers changed since, or when the kept top
    customers cannot tell the top 10."""
    company = ctx["company"]
    rows = env.execute_query(
        SQL(
            """
            SELECT count.counts, %(visible)s
              FROM sh_customer_count count
             WHERE count.company_id = %(company_id)s
               AND count.date_from = %(date_from)s AND count.date_to = %(date_to)s
               AND count.previous_from = %(previous_from)s
               AND count.previous_to = %(previous_to)s
               AND count.settings = %(settings)s
            """,
            visible=totals.visible_sql(env, "count"),
            **_kept_key(company, ctx),
        )
    )
    if not rows:
        return None
    [(changed_ids,)] = env.execute_query(
        SQL(
            "SELECT ARRAY(SELECT DISTINCT partner_id FROM sh_customer_count_before"
            " WHERE company_id = %s)",
            company.id,
        )
    )
    counted = sum(counts["current"]["customers"] for counts, _visible in rows)
    if len(changed_ids) > max(CHANGED_AT_MOST, counted * CHANGED_SHARE_AT_MOST):
        # Counting them twice would cost more than the pass.
        return None
    kept = [counts for counts, visible in rows if visible]
    # The customers changed since: as they were counted, and as they are.
    changed = SQL(
        "figure.partner_id IN (SELECT partner_id FROM sh_customer_count_before"
        " WHERE company_id = %s)",
        company.id,
    )
    before = SQL(
        """SELECT DISTINCT ON (figure.partner_id) figure.partner_id AS id, %(columns)s
             FROM sh_customer_count_before figure
            WHERE figure.company_id = %(company_id)s
            ORDER BY figure.partner_id, figure.id""",
        columns=SQL(", ").join(
            SQL.identifier("figure", column)
            for column in ("listed", *totals.VISIBILITY_COLUMNS, *SOURCE_COLUMNS)
        ),
        company_id=company.id,
    )
    visible_before = SQL(
        "SELECT * FROM (%s) figure WHERE figure.listed AND %s",
        before,
        totals.visible_sql(env, "figure"),
    )
    [then] = env.execute_query(counts_sql(env, ctx, visible_before, top=0))
    [now] = env.execute_query(
        counts_sql(
            env,
            ctx,
            _narrow_rows(company, SQL("%s AND %s", changed, totals.visible_sql(env, "figure"))),
        )
    )
    then, now = dict(zip(COUNT_PARTS, then, strict=True)), dict(zip(COUNT_PARTS, now, strict=True))
    current, previous = (
        _sum_counts(kept, then, now, "current"),
        _sum_counts(kept, then, now, "previous"),
    )
    months = [
        sum(counts["months"][i] for counts in kept) - then["months"][i] + now["months"][i]
        for i in range(len(now["months"]))
    ]
    top = _top(kept, set(changed_ids), now["top"] or [])
    if top is None:
        return None
    return current, previous, months, top


def _sum_counts(kept, then, now, part):
    """A period's counts: the kept ones summed, less the changed customers'
    counts then, plus theirs now."""
    return {
        key: sum(counts[part][key] for counts in kept) - then[part][key] + now[part][key]
        for key in now[part]
    }


def _top(kept, changed_ids, changed_top):
    """The top 10 from the kept top customers of each group without the
    changed customers, and the changed customers' own top 10; None when a
    customer not kept could be among them."""
    floor = None
    candidates = list(changed_top)
    for counts in kept:
        best = counts["top"] or []
        if len(best) >= TOP_KEPT:
            last = best[-1]["net_sales"]
            floor = last if floor is None else max(floor, last)
        candidates += [item for item in best if item["id"] not in changed_ids]
    candidates.sort(key=lambda item: (-item["net_sales"], item["id"]))
    top = candidates[:TOP_ROWS]
    if floor is not None and (len(top) < TOP_ROWS or top[-1]["net_sales"] <= floor):
        return None
    return top
