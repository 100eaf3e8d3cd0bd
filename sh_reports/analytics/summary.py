"""The customers' purchase-day summary the predicted CLV is fitted on, read
in one SQL statement from the posted customer invoices and credit notes of
a company (with every company of its tree, as the customer figures count
them) dated up to an "as of" date; what is dated after it is hidden.

A purchase is a day on which the customer (the commercial partner) has at
least one posted invoice: several invoices of one day are one purchase.
The value of a purchase day is the customer's net sales of that day as
PRODUCT.md defines sales: the untaxed amounts in company currency of the
day's invoices, less the credit notes that reverse them. A credit note
counts on the customer's last purchase day on or before the day of the
invoice it reverses (``reversed_entry_id``: that invoice's own day when it
is one of the summary's), or on or before its own date when it reverses
none, or on the first purchase day when there is none before. The reversed
invoice is read only for its date, which orders the credit note among the
customer's documents: the day it counts on is always one of the purchase
days read under the record rules. A credit note never makes a purchase
day, and the values of a customer's purchase days add up to its net sales
to the "as of" date (its historical CLV); a customer whose documents are
all credit notes has no purchase day and no summary.

The documents are read through ``account.move``'s ``_search``: the record
rules of the environment's user hold. The nightly refresh reads it as the
superuser, for every customer of the company."""

from odoo.tools import SQL

from odoo.addons.sh_customers.figures.statements import analytic_settings, company_scope_sql

# The columns of a summary row, in the statement's order.
SUMMARY_COLUMNS = (
    "partner_id",
    "first_day",
    "last_day",
    "frequency",
    "recency",
    "age",
    "value",
    "net_sales",
)


def summary_sql(env, company, as_of):
    """One row per customer with a purchase day up to ``as_of`` in the tree
    of ``company``, with the columns of SUMMARY_COLUMNS: the first and the
    last purchase day, ``frequency`` (the repeat purchase days), ``recency``
    (days from the first to the last purchase day), ``age`` (days from the
    first purchase day to ``as_of``), ``value`` (the mean value of the
    repeat purchase days, NULL without a repeat) and ``net_sales`` (the
    value of all of them)."""
    Move = env["account.move"]
    query = Move._search(
        [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("invoice_date", "<=", as_of),
        ]
    )
    documents = query.select(
        SQL.identifier(query.table, "company_id"),
        SQL("%s AS partner_id", SQL.identifier(query.table, "commercial_partner_id")),
        SQL.identifier(query.table, "move_type"),
        SQL("%s AS day", SQL.identifier(query.table, "invoice_date")),
        SQL("%s AS amount", SQL.identifier(query.table, "amount_untaxed_signed")),
        SQL.identifier(query.table, "reversed_entry_id"),
    )
    return SQL(
        """
        WITH doc AS (
            SELECT doc.partner_id, doc.move_type, doc.day, doc.amount,
                   LEAST(COALESCE(reversed.invoice_date, doc.day), doc.day) AS anchor
              FROM (%(documents)s) doc
              JOIN (%(scope)s) scope ON scope.member_id = doc.company_id
              LEFT JOIN account_move reversed
                ON reversed.id = doc.reversed_entry_id
               AND reversed.commercial_partner_id = doc.partner_id
             WHERE scope.company_id = %(company)s
               AND doc.partner_id IS NOT NULL
        ),
        attributed AS (
            SELECT partner_id, amount,
                   CASE WHEN move_type = 'out_invoice' THEN day
                        ELSE COALESCE(
                            MAX(day) FILTER (WHERE move_type = 'out_invoice')
                                OVER (PARTITION BY partner_id ORDER BY anchor),
                            MIN(day) FILTER (WHERE move_type = 'out_invoice')
                                OVER (PARTITION BY partner_id)
                        )
                   END AS purchase_day
              FROM doc
        ),
        purchase AS (
            SELECT partner_id, purchase_day, SUM(amount) AS amount,
                   MIN(purchase_day) OVER (PARTITION BY partner_id) AS first_day
              FROM attributed
             WHERE purchase_day IS NOT NULL
             GROUP BY partner_id, purchase_day
        )
        SELECT partner_id,
               MIN(purchase_day) AS first_day,
               MAX(purchase_day) AS last_day,
               COUNT(*) - 1 AS frequency,
               MAX(purchase_day) - MIN(purchase_day) AS recency,
               %(as_of)s::date - MIN(purchase_day) AS age,
               SUM(amount) FILTER (WHERE purchase_day > first_day)
                   / NULLIF(COUNT(*) - 1, 0) AS value,
               SUM(amount) AS net_sales
          FROM purchase
         GROUP BY partner_id
         ORDER BY partner_id
        """,
        documents=documents,
        scope=company_scope_sql(),
        company=company.id,
        as_of=as_of,
    )


def read_summary(env, company, as_of):
    """The summary rows of ``summary_sql`` as one tuple per column of
    SUMMARY_COLUMNS (empty tuples when no customer bought), after writing
    to the database what the statement reads."""
    env["account.move"].flush_model(
        [
            "company_id",
            "commercial_partner_id",
            "move_type",
            "state",
            "invoice_date",
            "amount_untaxed_signed",
            "reversed_entry_id",
        ]
    )
    # Every document of the company is grouped by customer and day, twice:
    # with the memory to do it without spilling to disk.
    with analytic_settings(env):
        rows = env.execute_query(summary_sql(env, company, as_of))
    columns = tuple(zip(*rows, strict=True)) or ((),) * len(SUMMARY_COLUMNS)
    return dict(zip(SUMMARY_COLUMNS, columns, strict=True))
