"""The RFM scores and segments of customers as of any day, read from their
sales history (``sh.customer.figure``: ``width_bucket`` positions give a
customer's invoices, net sales and last invoice date as of a day, see
``sh_customers/figures/history.py``) with the rules of the stored ones
(``sh_customers/figures/rules.py``: the score cut-offs and the segments),
so that the segments of a past day read as the nightly refresh would have
stored them that day, and today's as it stores them:

- R: days from the customer's last invoice (up to the day) to the day;
- F: invoices over the company's trailing RFM window ending that day
  (dated after the day the window starts, up to the day);
- M: net sales (invoices less credit notes) over the same window, to the
  currency's cents as the stored figure sums them;
- the scores against the company's cut-offs of that day: the quintiles of
  its customers with a purchase up to that day, or the fixed cut-offs with
  too few of them (``rfm_breakpoints``);
- the segment from the scores (``rules.rfm_segment_sql``).

Each builder returns ``SQL``; the report runs them."""

from dateutil.relativedelta import relativedelta

from odoo.tools import SQL

from odoo.addons.sh_customers.figures.rules import (
    FIXED_RFM_BREAKPOINTS,
    rfm_breakpoints_from_tiles,
    rfm_score_sql,
    rfm_segment_sql,
)
from odoo.addons.sh_customers.figures.statements import rfm_breakpoints_sql

# The columns of ``rfm_sql``'s row.
RFM_COLUMNS = (
    "last_date",
    "invoice_count",
    "recency",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "segment",
)


def window_start(company, day):
    """The day before the company's RFM window ending ``day`` starts: the
    window holds the documents dated after it (as the refresh counts them,
    ``day - interval 'n months'``, the end of a shorter month kept)."""
    return day - relativedelta(months=company.sh_rfm_window_months)


def rfm_values_sql(Figure, alias, company, day):
    """The customer's last invoice date, invoice count, recency, frequency
    and monetary value as of ``day``, from the row ``alias`` (holding the
    sales history columns of ``sh.customer.figure`` under their names; a
    customer without history has NULL arrays): a SELECT of one row, to
    join LATERAL to that row. A customer without an invoice up to the day
    has no last date, no recency and nothing in the window."""
    # Each step is kept apart (OFFSET 0): inlined, PostgreSQL would search
    # the history again wherever a later expression names a position.
    end, start = SQL("position.day_end"), SQL("position.window_start")
    return SQL(
        """
        SELECT value.*, %(day)s::date - value.last_date AS recency
          FROM (
            SELECT %(last)s AS last_date,
                   %(count)s AS invoice_count,
                   %(frequency)s AS frequency,
                   ROUND(%(monetary)s::numeric, %(decimals)s) AS monetary
              FROM (
                SELECT %(end)s AS day_end, %(start)s AS window_start OFFSET 0
              ) position
            OFFSET 0
          ) value
        """,
        end=Figure._sh_position(alias, day),
        start=Figure._sh_position(alias, window_start(company, day)),
        last=Figure._sh_last_invoice_until(alias, end),
        count=Figure._sh_invoices_until(alias, end),
        day=day,
        frequency=Figure._sh_invoices_between(alias, start, end),
        monetary=Figure._sh_sales_between(alias, start, end),
        decimals=company.currency_id.decimal_places,
    )


def company_rfm_values_sql(Figure, company, day):
    """The recency, frequency, monetary value and invoice count as of
    ``day`` of every customer of ``company``, from its sales history: the
    values the company's cut-offs of that day are taken over, as the
    refresh takes them on its day (``statements.company_rfm_values_sql``).
    Every customer's, whoever reads them: the cut-offs are the company's
    (as the stored ones, computed for every customer)."""
    return SQL(
        """
        SELECT rfm.*
          FROM %(figures)s figure
         CROSS JOIN LATERAL (%(values)s) rfm
         WHERE figure.company_id = %(company_id)s
        """,
        figures=SQL.identifier(Figure._table),
        values=rfm_values_sql(Figure, "figure", company, day),
        company_id=company.id,
    )


def rfm_breakpoints(env, company, day, today):
    """The cut-offs the customers of ``company`` are scored against on
    ``day``: on ``today``, those the refresh stored on the company (today's
    stored scores were given with them); on another day, those the rule
    of the stored ones (``rules.rfm_breakpoints_from_tiles``) gives over
    the company's customers on that day."""
    if day == today:
        return company.sh_rfm_breakpoints or FIXED_RFM_BREAKPOINTS
    Figure = env["sh.customer.figure"]
    Figure.flush_model()
    [(count, r, f, m)] = env.execute_query(
        rfm_breakpoints_sql(company_rfm_values_sql(Figure, company, day))
    )
    return rfm_breakpoints_from_tiles(count, r, f, m)


def rfm_sql(Figure, alias, company, day, breakpoints):
    """The customer's RFM as of ``day`` (RFM_COLUMNS) from the row
    ``alias`` (see ``rfm_values_sql``), scored against ``breakpoints``
    (``rfm_breakpoints``) with the stored scores' rules: a SELECT of one
    row, to join LATERAL to that row (one pass over the customers,
    however many days are read)."""
    invoice_count = SQL("invoice_count")
    return SQL(
        """
        SELECT scored.*, %(segment)s AS segment
          FROM (
            SELECT rfm.*, %(r)s AS r_score, %(f)s AS f_score, %(m)s AS m_score
              FROM (%(values)s OFFSET 0) rfm
            OFFSET 0
          ) scored
        """,
        segment=rfm_segment_sql(SQL("r_score"), SQL("f_score"), SQL("m_score"), invoice_count),
        r=rfm_score_sql(SQL("recency"), breakpoints["r"], invoice_count, descending=True),
        f=rfm_score_sql(SQL("frequency"), breakpoints["f"], invoice_count),
        m=rfm_score_sql(SQL("monetary"), breakpoints["m"], invoice_count),
        values=rfm_values_sql(Figure, alias, company, day),
    )
