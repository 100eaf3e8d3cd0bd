"""The debt as of a date, rebuilt from the receivable items and their
reconciliations, for every customer of a report in two SQL statements: the
aging of each customer on the day (``aging_sql``), and the receivable's
history up to the day (``history_sql``: each customer's debt a year before
and credit sales since, and the totals at the ends of the months).

What a customer owed on a day is what PRODUCT.md calls the aging as of a
date: its posted receivable items dated up to that day, less what was
reconciled with them by then, a partial reconciliation counting from the
day both of its items are dated (its ``max_date``), whatever is reconciled
later. Today's residuals (``amount_residual``) are not read: a payment or
a credit note dated after the day leaves the invoice owed on that day.
Days overdue are the day minus the item's due date, as the customer
figures count them, and the aging buckets those of ``AGING_BUCKETS``.

The history reads every amount as a movement of a customer's receivable
on a day: an item's balance on its date, and each partial reconciliation
of an item, minus its amount on the debit item and plus it on the credit
item, on the day it counts from. Each movement keeps the due date of its
item, so that the debt on any day and its part not yet due are sums of
the movements dated up to that day. The sum of every movement up to a day
is the receivable accounts' balance on that day: a reconciliation adds to
one item what it takes from the other.

The customer is the commercial partner of the item's partner; the items
are those of the company's whole tree, as Odoo's own total receivable and
the customer figures count them. Amounts are summed as exact decimals."""

from odoo import fields
from odoo.tools import SQL

from odoo.addons.sh_customers.figures.receivable import receivable_account_ids, sale_journal_ids
from odoo.addons.sh_customers.figures.rules import AGING_BUCKETS, overdue_sql
from odoo.addons.sh_customers.figures.statements import analytic_settings

# A customer row of ``aging_sql``, in the statement's order: the debt on
# the day, its overdue part and its aging (one column per bucket).
CUSTOMER_COLUMNS = (
    "partner_id",
    "name",
    "customer_code",
    "debt",
    "overdue",
    *(bucket.column for bucket in AGING_BUCKETS),
)
# A customer row of ``history_sql``: its debt on the window's opening day
# and its credit sales of the window.
HISTORY_COLUMNS = ("partner_id", "opening", "credit_sales")
# A row of the days of ``history_sql``: every customer's debt on the day,
# its overdue part, the part not yet due, and the credit sales of the
# window ending on the day.
DAY_COLUMNS = ("day", "debt", "overdue", "not_due", "credit_sales")


def due_date_sql(line):
    """The due date of the receivable item ``line`` (an alias): its date
    when it has none, as the customer figures age it."""
    return SQL(
        "COALESCE(%s, %s)", SQL.identifier(line, "date_maturity"), SQL.identifier(line, "date")
    )


def flush_aging(env):
    """Write what the debt statements read to the database."""
    env["account.move.line"].flush_model(
        [
            "parent_state",
            "account_id",
            "company_id",
            "date",
            "date_maturity",
            "balance",
            "partner_id",
            "journal_id",
            "reconciled",
        ]
    )
    env["account.partial.reconcile"].flush_model(
        ["debit_move_id", "credit_move_id", "amount", "max_date"]
    )
    env["res.partner"].flush_model(["commercial_partner_id", "complete_name", "sh_customer_code"])


def receivable_items_sql(env, customers, company_ids, as_of):
    """The condition that a receivable item (``line``, joined to its
    partner ``partner``) counts: posted, of a receivable account of the
    companies ``company_ids``, dated up to ``as_of``, of a customer
    (commercial partner) that ``customers`` selects (a parenthesised query
    of res_partner ids, ``Query.subselect()``)."""
    return SQL(
        """line.parent_state = 'posted'
           AND line.account_id = ANY(%(accounts)s)
           AND line.company_id = ANY(%(company_ids)s)
           AND line.date <= %(as_of)s
           AND partner.commercial_partner_id IN %(customers)s""",
        accounts=receivable_account_ids(env, company_ids),
        company_ids=list(company_ids),
        as_of=as_of,
        customers=customers,
    )


def movements_sql(env, customers, company_ids, until):
    """The history's common part: ``item``, the receivable items that
    count up to ``until`` (``receivable_items_sql``), and ``movement``, the
    movements of their customers' receivable (columns partner_id, day,
    due, amount and sale: an item of a sales journal, a credit sale) dated
    up to ``until``."""
    return SQL(
        """
        item AS MATERIALIZED (
            SELECT line.id, partner.commercial_partner_id AS partner_id, line.date,
                   %(due)s AS due, line.balance,
                   line.journal_id = ANY(%(sale_journals)s) AS sale
              FROM account_move_line line
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE %(condition)s
        ),
        movement AS (
            SELECT partner_id, date AS day, due, balance AS amount, sale FROM item
             UNION ALL
            SELECT item.partner_id, part.max_date, item.due, -part.amount, FALSE
              FROM account_partial_reconcile part
              JOIN item ON item.id = part.debit_move_id
             WHERE part.max_date <= %(until)s
             UNION ALL
            SELECT item.partner_id, part.max_date, item.due, part.amount, FALSE
              FROM account_partial_reconcile part
              JOIN item ON item.id = part.credit_move_id
             WHERE part.max_date <= %(until)s
        )
        """,
        due=due_date_sql("line"),
        sale_journals=sale_journal_ids(env),
        condition=receivable_items_sql(env, customers, company_ids, until),
        until=until,
    )


def aging_sql(env, customers, company_ids, as_of):
    """Per customer that ``customers`` selects (a parenthesised query of
    res_partner ids) whose debt on ``as_of`` is not nil, the largest debt
    first, a row of CUSTOMER_COLUMNS: its name and reference, its debt on
    ``as_of``, the overdue part and the aging by the buckets.

    Only the items that were open on the day are read: those not fully
    reconciled today, and those with a reconciliation counted after the
    day. An item fully reconciled today by reconciliations all counted by
    the day owed nothing on it. What each of them owed is its balance less
    its reconciliations counted by the day."""
    days_overdue = SQL("(%s::date - owed.due)", as_of)
    condition = receivable_items_sql(env, customers, company_ids, as_of)
    return SQL(
        """
        WITH later AS (
            -- The items of the reconciliations counted after the day.
            SELECT unnest(ARRAY[debit_move_id, credit_move_id]) AS id
              FROM account_partial_reconcile
             WHERE max_date > %(as_of)s
        ),
        item AS (
            SELECT line.id, partner.commercial_partner_id AS partner_id, %(due)s AS due,
                   line.balance
              FROM account_move_line line
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE %(condition)s
               AND (line.reconciled IS NOT TRUE OR line.id IN (SELECT id FROM later))
        ),
        owed AS (
            SELECT item.partner_id, item.due,
                   item.balance - COALESCE(debit.amount, 0) + COALESCE(credit.amount, 0)
                       AS amount
              FROM item
              LEFT JOIN LATERAL (
                    SELECT SUM(part.amount) AS amount FROM account_partial_reconcile part
                     WHERE part.debit_move_id = item.id AND part.max_date <= %(as_of)s
              ) debit ON TRUE
              LEFT JOIN LATERAL (
                    SELECT SUM(part.amount) AS amount FROM account_partial_reconcile part
                     WHERE part.credit_move_id = item.id AND part.max_date <= %(as_of)s
              ) credit ON TRUE
        ),
        customer_row AS (
            SELECT owed.partner_id,
                   SUM(owed.amount) AS debt,
                   COALESCE(SUM(owed.amount) FILTER (WHERE %(overdue)s), 0) AS overdue,
                   %(buckets)s
              FROM owed
             GROUP BY owed.partner_id
            HAVING SUM(owed.amount) <> 0
        )
        SELECT row.partner_id, partner.complete_name, partner.sh_customer_code, row.debt,
               row.overdue, %(bucket_columns)s
          FROM customer_row row
          JOIN res_partner partner ON partner.id = row.partner_id
         ORDER BY row.debt DESC, partner.complete_name, row.partner_id
        """,
        as_of=as_of,
        due=due_date_sql("line"),
        condition=condition,
        overdue=overdue_sql(days_overdue),
        buckets=SQL(", ").join(
            SQL(
                "COALESCE(SUM(owed.amount) FILTER (WHERE %s), 0) AS %s",
                bucket.condition_sql(days_overdue),
                SQL.identifier(bucket.column),
            )
            for bucket in AGING_BUCKETS
        ),
        bucket_columns=SQL(", ").join(
            SQL.identifier("row", bucket.column) for bucket in AGING_BUCKETS
        ),
    )


def history_sql(env, customers, company_ids, as_of, opening, days, openings):
    """The receivable's history up to ``as_of``, in one statement: a JSON
    object of

    - ``customers``: a row (HISTORY_COLUMNS) per customer that
      ``customers`` selects with a receivable item: its debt on
      ``opening`` and its credit sales after ``opening`` up to ``as_of``;
    - ``days``: a row (DAY_COLUMNS) per day of ``days`` (none after
      ``as_of``), the sums over every customer, the credit sales of each
      day's window starting after the day of ``openings`` at the same
      place."""
    thresholds = sorted(set(days) | set(openings))
    return SQL(
        """
        WITH %(movements)s,
        customer_row AS (
            SELECT movement.partner_id,
                   COALESCE(SUM(movement.amount) FILTER (
                       WHERE movement.day <= %(opening)s), 0) AS opening,
                   COALESCE(SUM(movement.amount) FILTER (
                       WHERE movement.sale AND movement.day > %(opening)s), 0) AS credit_sales
              FROM movement
             GROUP BY movement.partner_id
        ),
        daily AS (
            -- The movements summed between the days asked for (and the
            -- openings of their windows, the thresholds): what is read
            -- once per day is a few hundred rows. ``before`` is the number
            -- of thresholds before the movement's day (it counts on the
            -- threshold of that rank + 1 and after), ``due`` the first
            -- threshold on or after which the due date lies, or the day
            -- before the first: it compares with every threshold as the
            -- due date does.
            SELECT width_bucket(movement.day - 1, %(thresholds)s::date[]) AS before,
                   COALESCE(
                       (%(thresholds)s::date[])[
                           NULLIF(width_bucket(movement.due, %(thresholds)s::date[]), 0)],
                       (%(thresholds)s::date[])[1] - 1
                   ) AS due,
                   SUM(movement.amount) AS amount,
                   SUM(movement.amount) FILTER (WHERE movement.sale) AS sales
              FROM movement
             GROUP BY 1, 2
        ),
        day_row AS (
            SELECT point.day,
                   COALESCE(SUM(daily.amount) FILTER (WHERE %(counted)s), 0) AS debt,
                   COALESCE(SUM(daily.amount) FILTER (
                       WHERE %(counted)s AND %(day_overdue)s), 0) AS overdue,
                   COALESCE(SUM(daily.amount) FILTER (
                       WHERE %(counted)s AND NOT %(day_overdue)s), 0) AS not_due,
                   COALESCE(SUM(daily.sales) FILTER (
                       WHERE %(counted)s AND daily.before >= point.opening), 0)
                       AS credit_sales
              FROM unnest(%(days)s::date[], %(positions)s::int[], %(openings)s::int[])
                   AS point (day, position, opening)
              LEFT JOIN daily ON TRUE
             GROUP BY point.day
        )
        SELECT json_build_object(
            'customers', (
                SELECT COALESCE(json_agg(json_build_array(
                           row.partner_id, row.opening, row.credit_sales)), '[]')
                  FROM customer_row row
            ),
            'days', (
                SELECT COALESCE(json_agg(json_build_array(
                           row.day, row.debt, row.overdue, row.not_due, row.credit_sales)
                       ORDER BY row.day), '[]')
                  FROM day_row row
            )
        )
        """,
        movements=movements_sql(env, customers, company_ids, as_of),
        opening=opening,
        thresholds=thresholds,
        # A movement counts on a day when it is dated up to it.
        counted=SQL("daily.before < point.position"),
        day_overdue=overdue_sql(SQL("(point.day - daily.due)")),
        days=list(days),
        positions=[thresholds.index(day) + 1 for day in days],
        openings=[thresholds.index(day) + 1 for day in openings],
    )


def read_aging(env, customers, company_ids, as_of):
    """The rows of ``aging_sql`` (same arguments) as dicts by column,
    flushed first, run as the figures' analytic statements are (no JIT
    compilation: its compile time exceeds the statement's); amounts as
    floats (each rounds back to the cent: the sums are exact decimals)."""
    flush_aging(env)
    with analytic_settings(env):
        rows = env.execute_query(aging_sql(env, customers, company_ids, as_of))
    return [
        dict(zip(CUSTOMER_COLUMNS, (*row[:3], *map(float, row[3:])), strict=True)) for row in rows
    ]


def read_history(env, customers, company_ids, as_of, opening, days, openings):
    """The answer of ``history_sql`` (same arguments), flushed first and
    run as the figures' analytic statements are:
    ``customers``, its customer rows by customer id, and ``days``, its
    days' rows by day, as dicts by column."""
    flush_aging(env)
    with analytic_settings(env):
        [(answer,)] = env.execute_query(
            history_sql(env, customers, company_ids, as_of, opening, days, openings)
        )
    return {
        "customers": {
            row[0]: dict(zip(HISTORY_COLUMNS, row, strict=True)) for row in answer["customers"]
        },
        "days": {
            fields.Date.to_date(row[0]): dict(zip(DAY_COLUMNS, row, strict=True))
            for row in answer["days"]
        },
    }
