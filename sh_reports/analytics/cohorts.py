"""Cohort retention: the customers grouped by the month of their first
purchase (their cohort), and for each month since, how many of the cohort
bought (at least one posted invoice; a credit note alone is no purchase),
read from the customers' sales history (``sh.customer.figure``) as the
dashboard reads a period's buyers, without reading the documents."""

from odoo.tools import SQL

# The months since the first purchase the heat-map shows (0: the month of
# the first purchase, where every customer of the cohort bought).
COHORT_MONTHS = 12


def month_sql(day):
    """The first day of ``day``'s month (without the time zone conversion a
    date_trunc of a date implies)."""
    return SQL("date_trunc('month', %s::timestamp)::date", day)


def cohorts_sql(Figure, source, first_month, last_day):
    """Per cohort of the customers of ``source`` (a relation with
    ``partner_id``, ``first_date``, their first purchase, and the sales
    history columns of ``sh.customer.figure`` under their names) whose
    first purchase is from ``first_month`` (a month's first day) to
    ``last_day``: one row per month since the first purchase in which some
    of them bought, up to ``last_day``: the cohort (its month's first day),
    the months since, the cohort's size and the customers who bought in
    that month."""
    before = Figure._sh_position("src", SQL("(%s::date - 1)", first_month))
    end = Figure._sh_position("src", last_day)
    # An entry of the history and the one before it: the first entry of a
    # day carries the day's invoices (its peers share its running figures).
    entry = SQL("customer.start_position + item.n")
    entry_before = SQL("customer.start_position + item.n - 1")
    return SQL(
        """
        WITH customer AS MATERIALIZED (
            SELECT src.partner_id AS partner_id,
                   %(cohort)s AS cohort,
                   %(before)s AS start_position,
                   %(end)s AS end_position,
                   src.sale_dates, src.invoice_counts
              FROM %(source)s src
             WHERE src.first_date BETWEEN %(first_month)s AND %(last_day)s
        ),
        size AS (
            SELECT cohort, COUNT(*) AS size FROM customer GROUP BY cohort
        ),
        bought AS (
            SELECT DISTINCT customer.partner_id, customer.cohort, %(month)s AS month
              FROM customer
             CROSS JOIN LATERAL unnest(
                   customer.sale_dates[customer.start_position + 1 : customer.end_position]
             ) WITH ORDINALITY AS item(day, n)
             WHERE %(entry_invoices)s > 0
        )
        SELECT size.cohort,
               (EXTRACT(YEAR FROM age(bought.month, size.cohort)) * 12
                + EXTRACT(MONTH FROM age(bought.month, size.cohort)))::int AS months_since,
               size.size,
               COUNT(bought.partner_id) AS buyers
          FROM size
          LEFT JOIN bought ON bought.cohort = size.cohort
         GROUP BY 1, 2, 3
         ORDER BY 1, 2
        """,
        cohort=month_sql(SQL("src.first_date")),
        before=before,
        end=end,
        source=source,
        first_month=first_month,
        last_day=last_day,
        month=month_sql(SQL("item.day")),
        entry_invoices=Figure._sh_invoices_between("customer", entry_before, entry),
    )
