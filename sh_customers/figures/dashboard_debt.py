"""The receivable part of the customer dashboard's statement, for users who
may see receivables: each visible customer's receivable on the days the
periods need and its credit sales from its receivable history, the part of
the receivable not yet due at the end of each period, today's aging by the
aging buckets, and the debt recovery rate (CEI) read from them."""

from datetime import timedelta

from odoo.tools import SQL

from .dashboard_context import history_days
from .receivable import receivable_account_ids
from .rules import AGING_BUCKET_COLUMNS, AGING_BUCKET_FIELDS


def percent(part, whole):
    """``part`` as a percentage of ``whole`` to two decimals; None without
    a whole."""
    return round(part * 100.0 / whole, 2) if whole else None


def receivable_columns(env, ctx, suffixes, position):
    """Per visible customer (``history``: the customers with their history
    and its positions, ``position(suffix, kind)``, on the days of
    ``suffixes``): the receivable on each day the periods need
    (``balance_<suffix>``), the credit sales of each period, and today's
    aging buckets (as the customer's figures hold them)."""
    Figure = env["sh.customer.figure"]
    start = ctx["date_from"] - timedelta(days=1)
    previous_start = ctx["previous_from"] - timedelta(days=1)

    def receivable_position(day):
        return position(suffixes[day], "receivable")

    return SQL(", ").join(
        [
            *(SQL.identifier("history", column) for column in AGING_BUCKET_COLUMNS),
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


def debt_statement(env, ctx, suffixes):
    """The receivable figures of the visible customers (``customer`` of the
    figures' statement): the receivable on the days the periods need and
    the credit sales (the items of sales journals) of each period, summed
    from the customers' receivable history; the part not yet due at the end
    of each period (``not_due_statement``); and today's aging, the sum of
    the customers' aging buckets as their figures hold them (what the
    customer list shows and filters on).

    Amounts are summed as floating-point numbers: they have two decimals
    and far fewer than fifteen digits, so their sums round back to the cent
    exactly, at a fraction of the cost of exact decimals."""
    return SQL(
        """
        SELECT json_build_object(
            'balances', history.balances,
            'sales', history.sales,
            'previous_sales', history.previous_sales,
            'aging', history.aging
        )::jsonb || (%(not_due)s)::jsonb
          FROM (
            SELECT json_build_array(%(balances)s) AS balances,
                   json_build_array(%(aging)s) AS aging,
                   COALESCE(SUM(credit_sales), 0) AS sales,
                   COALESCE(SUM(previous_credit_sales), 0) AS previous_sales
              FROM customer
          ) history
        """,
        balances=SQL(", ").join(
            SQL("COALESCE(SUM(%s), 0)", SQL.identifier(f"balance_{suffixes[day]}"))
            for day in history_days(ctx)
        ),
        aging=SQL(", ").join(
            SQL("COALESCE(SUM(%s), 0)", SQL.identifier(column)) for column in AGING_BUCKET_COLUMNS
        ),
        not_due=not_due_statement(env, ctx, SQL("line.partner_id IN (SELECT id FROM customer)")),
    )


def not_due_statement(env, ctx, customers):
    """The part of the receivable of the customers ``customers`` selects (a
    condition on the receivable item ``line``) not yet due at the end of
    each period: the residual on that day of the items whose due date had
    not passed, from those items alone (found by due date) and the partial
    reconciliations made by then. One JSON object: ``not_due``,
    ``previous_not_due`` and ``applied`` (what the reconciliations made by
    each period's end applied to them)."""
    dt, pt = ctx["date_to"], ctx["previous_to"]
    receivable = SQL(
        """line.parent_state = 'posted'
           AND line.account_id = ANY(%(accounts)s)
           AND line.company_id = ANY(%(company_ids)s)
           AND %(customers)s""",
        accounts=receivable_account_ids(env, ctx["company_ids"]),
        company_ids=ctx["company_ids"],
        customers=customers,
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
            'not_due', (SELECT COALESCE(SUM(balance) FILTER (WHERE current), 0) FROM not_due),
            'previous_not_due',
                (SELECT COALESCE(SUM(balance) FILTER (WHERE previous), 0) FROM not_due),
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
        """,
        dt=dt,
        pt=pt,
        first_day=min(dt, pt),
        due=due,
        not_due=not_due_on(dt),
        previous_not_due=not_due_on(pt),
        receivable=receivable,
    )


def cei(opening, sales, closing, closing_not_due):
    """The collection effectiveness index (debt recovery rate) of a period."""
    return percent(opening + sales - closing, opening + sales - closing_not_due)


def debt_values(ctx, debt):
    """The debt figures of both periods and today's aging (by the partner
    field of each aging bucket) from the answer of ``debt_statement``."""
    balance = dict(zip(history_days(ctx), debt["balances"], strict=True))
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
            "cei": cei(opening, sales, closing, not_due),
        }

    return {
        "current": period("", ctx["date_from"], ctx["date_to"]),
        "previous": period("previous_", ctx["previous_from"], ctx["previous_to"]),
        "aging": dict(zip(AGING_BUCKET_FIELDS, debt["aging"], strict=True)),
    }
