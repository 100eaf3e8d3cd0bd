"""The set-based SQL statements of the customer figures: the purchase, debt,
RFM and lifecycle figures of every customer in every company and their copy
in the customers' narrow rows (``sh.customer.figure``), the open items'
aging and the RFM cut-offs. Each builder returns ``SQL``, with no value ever
formatted into its text; ``refresh`` runs them. Also the columns these
statements write: STAT_FIELDS on res.partner, FIGURE_FIELDS on
sh.customer.figure. The history kept in the narrow rows is built by
``history``."""

import json
from contextlib import contextmanager

from odoo.tools import SQL

from .rules import (
    AGING_BUCKETS,
    FIXED_RFM_BREAKPOINTS,
    lifecycle_status_sql,
    overdue_sql,
    purchase_gap_sql,
    rfm_score_sql,
    rfm_segment_sql,
)

# Every figure of res.partner the refresh writes in one set-based statement;
# the names are the columns that statement produces. Their order is part of
# the figures' fingerprint.
STAT_FIELDS = (
    "sh_first_purchase_date",
    "sh_last_purchase_date",
    "sh_invoice_count",
    "sh_net_sales",
    "sh_average_order_value",
    "sh_purchase_gap_days",
    "sh_debt",
    "sh_overdue",
    "sh_oldest_due_date",
    *(bucket.partner_field for bucket in AGING_BUCKETS),
    "sh_available_credit",
    "sh_over_credit_limit",
    "sh_rfm_frequency",
    "sh_rfm_monetary",
    "sh_rfm_r_score",
    "sh_rfm_f_score",
    "sh_rfm_m_score",
    "sh_rfm_segment",
    "sh_lifecycle_status",
)

# Memory for each sort and hash of an analytic statement (PostgreSQL's
# default, 4MB, spills the sales of 20,000 customers to disk).
ANALYTIC_WORK_MEM = "64MB"

# The partners the figures are computed for: the commercial partners. Put
# this way, PostgreSQL estimates how many they are from the statistics of
# COMMERCIAL_STATISTICS; it cannot estimate "id = commercial_partner_id"
# (two columns of a row) and takes it for 0.5% of the partners, then looks
# up each customer's narrow row one at a time where a hash join reads them
# all at once (at 100,000 customers, half a second of the refresh).
COMMERCIAL_SQL = SQL("(id = commercial_partner_id) IS TRUE")
COMMERCIAL_STATISTICS = "sh_res_partner_commercial"

# The predicted lifetime value's figures, as (column of the narrow rows,
# res.partner field): written in the narrow rows alone by the fit that the
# reports addon runs each night (``clv_figures_sql``), NULL until a fit
# wrote them, and read, searched and sorted by res.partner from there.
CLV_FIELDS = (("p_alive", "sh_p_alive"), ("predicted_clv", "sh_predicted_clv"))

# The figures copied to the customers' narrow rows, as (column, res.partner
# field).
FIGURE_FIELDS = (
    ("lifecycle_status", "sh_lifecycle_status"),
    ("rfm_segment", "sh_rfm_segment"),
    ("first_purchase_date", "sh_first_purchase_date"),
    ("net_sales", "sh_net_sales"),
    ("debt", "sh_debt"),
    ("overdue", "sh_overdue"),
    *((bucket.column, bucket.partner_field) for bucket in AGING_BUCKETS),
)


@contextmanager
def analytic_settings(env):
    """Run the block's statements as the analytic statements they are:
    without JIT compilation (on the figures' and the dashboard's
    aggregates its compile time, seconds, exceeds the time it saves, and
    the planner's cost estimate, which grows with the data, would switch
    it on past a size), and with the memory to group and sort every
    customer's sales without spilling them to disk. The settings end with
    the block."""
    settings = {"jit": "off", "work_mem": ANALYTIC_WORK_MEM}
    [previous] = env.execute_query(
        SQL("SELECT %s", SQL(", ").join(SQL("current_setting(%s)", name) for name in settings))
    )
    set_config(env, settings)
    try:
        yield
    finally:
        set_config(env, dict(zip(settings, previous, strict=True)))


def set_config(env, settings):
    """Set PostgreSQL's ``settings`` (name: value) for the transaction."""
    env.execute_query(
        SQL(
            "SELECT %s",
            SQL(", ").join(
                SQL("set_config(%s, %s, true)", name, value) for name, value in settings.items()
            ),
        )
    )


def ensure_commercial_statistics(cr):
    """Have PostgreSQL keep statistics of COMMERCIAL_SQL's condition on
    res_partner, and gather them at once when they are new."""
    cr.execute(SQL("SELECT 1 FROM pg_statistic_ext WHERE stxname = %s", COMMERCIAL_STATISTICS))
    if cr.fetchone():
        return
    cr.execute(
        SQL(
            "CREATE STATISTICS %s ON (id = commercial_partner_id) FROM res_partner",
            SQL.identifier(COMMERCIAL_STATISTICS),
        )
    )
    cr.execute(SQL("ANALYZE res_partner"))


def drop_commercial_statistics(cr):
    """Remove the statistics of ``ensure_commercial_statistics``."""
    cr.execute(SQL("DROP STATISTICS IF EXISTS %s", SQL.identifier(COMMERCIAL_STATISTICS)))


def company_scope_sql():
    """Each company (company_id) with every company of its tree (member_id):
    a company's figures count the entries of its whole tree, as
    ``res.partner.credit`` does."""
    return SQL(
        """
        SELECT company.id AS company_id, member.id AS member_id
          FROM res_company company
          JOIN res_company member
            ON split_part(member.parent_path, '/', 1)
             = split_part(company.parent_path, '/', 1)
        """
    )


def target_join_sql(target, column, bounds=None):
    """The join restricting a statement to the customers ``target`` selects
    (a query of ``partner_id``), matched on ``column``; none when it is
    None (every customer, in one pass). ``bounds``: the lowest and highest
    of those customers' ids (see ``within_sql``)."""
    if target is None:
        return SQL()
    return SQL(
        "JOIN (%s) target ON target.partner_id = %s %s",
        target,
        column,
        within_sql(column, bounds),
    )


def within_sql(column, bounds):
    """``column`` between ``bounds`` (the lowest and highest id of the
    customers refreshed), as a further condition; none without bounds.
    Implied by the join on those customers, it lets PostgreSQL read only
    their range of an index: a batch of the scheduled refresh (customers in
    id order) then reads its customers' documents, not everyone's."""
    if bounds is None:
        return SQL()
    return SQL("AND %s BETWEEN %s AND %s", column, *bounds)


def sales_sql(today, target=None, bounds=None):
    """Per (customer, company): purchase figures from posted invoices and
    credit notes, of the customers ``target`` selects (a query of
    ``partner_id``), or of every customer in one pass when it is None.

    ``days_check``, the sum of the documents' dates as day numbers, is part
    of the figures' fingerprint: posting, resetting or cancelling a document
    changes the invoice count, the net sales or this sum, so the customer is
    written, and its sales history rebuilt, whenever its history changed."""
    return SQL(
        """
        SELECT m.commercial_partner_id AS partner_id,
               scope.company_id,
               MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_date,
               MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_date,
               COUNT(*) FILTER (WHERE m.move_type = 'out_invoice') AS invoice_count,
               SUM(m.amount_untaxed_signed) AS net_sales,
               COUNT(*) FILTER (
                   WHERE m.move_type = 'out_invoice' AND m.invoice_date > scope.window_start
               ) AS window_count,
               SUM(m.amount_untaxed_signed) FILTER (
                   WHERE m.invoice_date > scope.window_start
               ) AS window_sales,
               SUM(m.invoice_date - DATE '2000-01-01') AS days_check
          FROM account_move m
          %(target_join)s
          -- Each company's RFM window starts on a day computed once, not
          -- for each document.
          JOIN (
               SELECT scope.*,
                      (%(today)s::date
                       - make_interval(months => company.sh_rfm_window_months))::date
                      AS window_start
                 FROM (%(scope)s) scope
                 JOIN res_company company ON company.id = scope.company_id
          ) scope ON scope.member_id = m.company_id
         WHERE m.state = 'posted'
           AND m.move_type IN ('out_invoice', 'out_refund')
         GROUP BY m.commercial_partner_id, scope.company_id
        """,
        target_join=target_join_sql(target, SQL("m.commercial_partner_id"), bounds),
        scope=company_scope_sql(),
        today=today,
    )


def open_items_aging_sql(today, receivable, target=None, bounds=None):
    """Per (customer, company): the open receivable on ``today`` (debt), its
    overdue part, the due date of the oldest item still owed and its aging
    (a column per bucket of AGING_BUCKETS, named as the bucket's column), of
    the customers ``target`` selects (a query of ``partner_id``), or of
    every customer in one pass over the open items when it is None.
    ``receivable``: the ids of the receivable accounts
    (``receivable.receivable_account_ids``)."""
    days = SQL("due.days")
    return SQL(
        """
        SELECT line.partner_id, scope.company_id,
               SUM(line.amount_residual) AS debt,
               SUM(line.amount_residual) FILTER (WHERE %(overdue)s) AS overdue,
               %(buckets)s,
               MIN(COALESCE(line.date_maturity, line.date)) FILTER (
                   WHERE line.amount_residual > 0
               ) AS oldest_due
          FROM account_move_line line
          %(target_join)s
          JOIN (%(scope)s) scope ON scope.member_id = line.company_id
         CROSS JOIN LATERAL (
               SELECT %(today)s::date - COALESCE(line.date_maturity, line.date) AS days
         ) due
         WHERE line.parent_state = 'posted'
           AND line.account_id = ANY(%(receivable)s)
           AND line.reconciled IS NOT TRUE
         GROUP BY line.partner_id, scope.company_id
        """,
        overdue=overdue_sql(days),
        buckets=SQL(", ").join(
            SQL(
                "SUM(line.amount_residual) FILTER (WHERE %s) AS %s",
                bucket.condition_sql(days),
                SQL.identifier(bucket.column),
            )
            for bucket in AGING_BUCKETS
        ),
        target_join=target_join_sql(target, SQL("line.partner_id"), bounds),
        scope=company_scope_sql(),
        today=today,
        receivable=receivable,
    )


def target_sql(partner_ids):
    """The customers to refresh (``partner_ids``, or every commercial
    partner when None), with their credit limits and the fingerprints of
    their stored figures."""
    chosen = SQL() if partner_ids is None else SQL("AND id = ANY(%s)", list(partner_ids))
    return SQL(
        "SELECT id AS partner_id, credit_limit, sh_stats_digest FROM res_partner WHERE %s %s",
        COMMERCIAL_SQL,
        chosen,
    )


def per_company_values_sql(columns, company_count):
    """The figures to write, from the rows of ``digested`` (one per customer
    and company) and ``changed`` (those whose fingerprint changed): each as
    the ``{company id: value}`` object that company-dependent columns hold,
    with the fingerprint of each company's figures, for the customers whose
    fingerprint changed in some company. With a single company there is one
    row per customer and no aggregation to pay for."""
    if company_count == 1:
        return SQL(
            """
            SELECT partner_id, %s,
                   jsonb_build_object(company_id::text, digest) AS sh_stats_digest
              FROM changed
            """,
            SQL(", ").join(
                SQL("jsonb_build_object(company_id::text, %s) AS %s", column, column)
                for column in columns
            ),
        )
    return SQL(
        """
        SELECT partner_id, %s,
               jsonb_object_agg(company_id::text, digest) AS sh_stats_digest
          FROM digested
         GROUP BY partner_id
        HAVING bool_or(digest IS DISTINCT FROM stored_digest)
        """,
        SQL(", ").join(
            SQL("jsonb_object_agg(company_id::text, to_jsonb(%s)) AS %s", column, column)
            for column in columns
        ),
    )


def figure_upsert_sql(source):
    """The statement that writes the narrow rows of ``source`` (a relation
    with partner_id, company_id, the figures under their res.partner names
    and history_check): inserted, or updated where the customer already has
    them. The history itself is rebuilt apart, where history_check changed
    (``history.rebuild_history_sql``)."""
    columns = [SQL.identifier(column) for column, _fname in FIGURE_FIELDS] + [
        SQL.identifier("history_check")
    ]
    sources = [fname for _column, fname in FIGURE_FIELDS] + ["history_check"]
    return SQL(
        """
        INSERT INTO sh_customer_figure (partner_id, company_id, %(columns)s)
        SELECT partner_id, company_id, %(values)s FROM %(source)s
        ON CONFLICT (partner_id, company_id) DO UPDATE SET %(assignments)s
        """,
        columns=SQL(", ").join(columns),
        values=SQL(", ").join(SQL.identifier(fname) for fname in sources),
        source=source,
        assignments=SQL(", ").join(SQL("%s = EXCLUDED.%s", column, column) for column in columns),
    )


def rfm_breakpoints_sql(values, partition=None):
    """The NTILE(5) cut-offs of recency, frequency and monetary value over
    the customers with a purchase of ``values`` (a relation of customer
    values: columns ``recency``, ``frequency``, ``monetary`` and
    ``invoice_count``), with their number: one row ``(count, r, f, m)``,
    or, with ``partition`` (a column of ``values``, such as company_id),
    one row ``(partition, count, r, f, m)`` per value of it that has such
    a customer. ``rules.rfm_breakpoints_from_tiles`` turns a row into the
    cut-offs customers are scored against."""
    if partition is None:
        key = over = group = SQL()
    else:
        key = SQL("%s,", partition)
        over = SQL("PARTITION BY %s", partition)
        group = SQL("GROUP BY %s", partition)
    return SQL(
        """
        WITH tiles AS (
            SELECT %(key)s recency, frequency, monetary,
                   NTILE(5) OVER (%(over)s ORDER BY recency DESC) AS r,
                   NTILE(5) OVER (%(over)s ORDER BY frequency) AS f,
                   NTILE(5) OVER (%(over)s ORDER BY monetary) AS m
              FROM (%(values)s) value
             WHERE invoice_count > 0
        )
        SELECT %(key)s COUNT(*),
               ARRAY[MIN(recency) FILTER (WHERE r = 1),
                     MIN(recency) FILTER (WHERE r = 2),
                     MIN(recency) FILTER (WHERE r = 3),
                     MIN(recency) FILTER (WHERE r = 4)],
               ARRAY[MAX(frequency) FILTER (WHERE f = 1),
                     MAX(frequency) FILTER (WHERE f = 2),
                     MAX(frequency) FILTER (WHERE f = 3),
                     MAX(frequency) FILTER (WHERE f = 4)],
               ARRAY[MAX(monetary) FILTER (WHERE m = 1),
                     MAX(monetary) FILTER (WHERE m = 2),
                     MAX(monetary) FILTER (WHERE m = 3),
                     MAX(monetary) FILTER (WHERE m = 4)]
          FROM tiles
         %(group)s
        """,
        key=key,
        over=over,
        values=values,
        group=group,
    )


def company_rfm_values_sql(today):
    """Per (customer, company): the customer's recency, frequency and
    monetary value on ``today`` and its invoice count, from the refresh's
    sales (``sales_sql``): the values the company's RFM cut-offs are taken
    over (``rfm_breakpoints_sql`` partitioned by company_id)."""
    return SQL(
        """
        SELECT company_id, invoice_count,
               %(today)s::date - last_date AS recency,
               window_count AS frequency,
               COALESCE(window_sales, 0) AS monetary
          FROM (%(sales)s) sales
        """,
        sales=sales_sql(today),
        today=today,
    )


def _cutoffs(kind):
    return [SQL.identifier(f"{kind}{index}") for index in range(1, 5)]


def customer_figures_sql(today, partner_ids, receivable, credit_limit_fallbacks, company_count):
    """The refresh's statement: the figures of the customers ``partner_ids``
    (every customer when None) in every company, written to res_partner
    and to the narrow rows where their fingerprint changed. It returns the
    ids of the customers written, and the customers and companies (two
    arrays, pairs in the same order) whose documents or receivable changed,
    whose history is to be rebuilt. ``receivable``: the ids of the
    receivable accounts; ``credit_limit_fallbacks``: each company's default
    credit limit, by company id as text."""
    stat_columns = [SQL.identifier(fname) for fname in STAT_FIELDS]
    target = None if partner_ids is None else SQL("SELECT partner_id FROM target")
    bounds = (min(partner_ids), max(partner_ids)) if partner_ids else None
    # The scores are MATERIALIZED: once inlined, PostgreSQL would evaluate
    # a score again wherever the segment rules name it, for every customer.
    return SQL(
        """
        WITH target AS (%(target)s),
        sales AS (%(sales)s),
        debt AS (%(debt)s),
        company AS MATERIALIZED (
            SELECT company.id,
                   company.sh_new_customer_days AS new_days,
                   company.sh_churn_days AS churn_days,
                   company.sh_at_risk_gap_factor AS gap_factor,
                   company.sh_at_risk_p_alive AS p_alive_threshold,
                   currency.decimal_places AS decimals,
                   (%(limits)s::jsonb ->> company.id::text)::numeric AS limit_fallback,
                   (bp -> 'r' ->> 0)::numeric AS r1, (bp -> 'r' ->> 1)::numeric AS r2,
                   (bp -> 'r' ->> 2)::numeric AS r3, (bp -> 'r' ->> 3)::numeric AS r4,
                   (bp -> 'f' ->> 0)::numeric AS f1, (bp -> 'f' ->> 1)::numeric AS f2,
                   (bp -> 'f' ->> 2)::numeric AS f3, (bp -> 'f' ->> 3)::numeric AS f4,
                   (bp -> 'm' ->> 0)::numeric AS m1, (bp -> 'm' ->> 1)::numeric AS m2,
                   (bp -> 'm' ->> 2)::numeric AS m3, (bp -> 'm' ->> 3)::numeric AS m4
              FROM res_company company
              JOIN res_currency currency ON currency.id = company.currency_id
             CROSS JOIN LATERAL (
                   SELECT COALESCE(company.sh_rfm_breakpoints, %(fixed)s::jsonb) AS bp
             ) breakpoints
        ),
        base AS (
            SELECT target.partner_id,
                   target.sh_stats_digest ->> company.id::text AS stored_digest,
                   company.*,
                   COALESCE(sales.invoice_count, 0) AS invoice_count,
                   sales.first_date,
                   sales.last_date,
                   COALESCE(sales.net_sales, 0) AS net_sales,
                   COALESCE(sales.window_count, 0) AS frequency,
                   COALESCE(sales.window_sales, 0) AS monetary,
                   COALESCE(sales.days_check, 0) AS days_check,
                   %(today)s::date - sales.last_date AS days_since,
                   %(gap)s AS gap,
                   COALESCE((target.credit_limit ->> company.id::text)::numeric,
                            company.limit_fallback, 0) AS credit_limit,
                   COALESCE(debt.debt, 0) AS debt,
                   COALESCE(debt.overdue, 0) AS overdue,
                   debt.oldest_due,
                   %(buckets)s,
                   stored.p_alive,
                   stored.history_check AS stored_history_check
              FROM target
             CROSS JOIN company
              LEFT JOIN sales ON sales.partner_id = target.partner_id
                             AND sales.company_id = company.id
              LEFT JOIN debt ON debt.partner_id = target.partner_id
                            AND debt.company_id = company.id
              LEFT JOIN sh_customer_figure stored
                     ON stored.partner_id = target.partner_id
                    AND stored.company_id = company.id
                    %(stored_within)s
        ),
        scored AS MATERIALIZED (
            SELECT base.*,
                   %(r_score)s AS r_score,
                   %(f_score)s AS f_score,
                   %(m_score)s AS m_score
              FROM base
        ),
        stats AS (
            SELECT partner_id, id AS company_id, stored_digest,
                   first_date AS sh_first_purchase_date,
                   last_date AS sh_last_purchase_date,
                   invoice_count AS sh_invoice_count,
                   ROUND(net_sales, decimals) AS sh_net_sales,
                   CASE WHEN invoice_count > 0
                        THEN ROUND(net_sales / invoice_count, decimals) ELSE 0
                   END AS sh_average_order_value,
                   COALESCE(gap, 0) AS sh_purchase_gap_days,
                   ROUND(debt, decimals) AS sh_debt,
                   ROUND(overdue, decimals) AS sh_overdue,
                   oldest_due AS sh_oldest_due_date,
                   %(bucket_fields)s,
                   CASE WHEN credit_limit > 0
                        THEN ROUND(credit_limit - debt, decimals) ELSE 0
                   END AS sh_available_credit,
                   credit_limit > 0 AND debt > credit_limit AS sh_over_credit_limit,
                   frequency AS sh_rfm_frequency,
                   ROUND(monetary, decimals) AS sh_rfm_monetary,
                   r_score AS sh_rfm_r_score,
                   f_score AS sh_rfm_f_score,
                   m_score AS sh_rfm_m_score,
                   %(segment)s AS sh_rfm_segment,
                   %(status)s AS sh_lifecycle_status,
                   days_check,
                   stored_history_check
              FROM scored
        ),
        digested AS (
            SELECT stats.*,
                   hash_record_extended(
                       ROW(%(stat_columns)s, days_check), 0
                   )::text AS digest,
                   hash_record_extended(
                       ROW(sh_invoice_count, sh_net_sales, days_check, sh_debt), 0
                   ) AS history_check
              FROM stats
        ),
        -- The customers and companies whose figures changed.
        changed AS (
            SELECT * FROM digested WHERE digest IS DISTINCT FROM stored_digest
        ),
        new_values AS (%(new_values)s),
        -- Of those, the ones whose documents or receivable changed: their
        -- history is rebuilt (a new day alone changes none of it).
        stale AS (
            SELECT partner_id, company_id FROM changed
             WHERE history_check IS DISTINCT FROM stored_history_check
        ),
        -- The copy that the KPI cards and the dashboard sum.
        figures AS (%(figures)s),
        -- The customers to write are found by id (the planner, which
        -- cannot tell how many fingerprints changed, would otherwise read
        -- every customer to join them).
        written AS (
            UPDATE res_partner partner
               SET %(assignments)s
              FROM new_values
             WHERE partner.id = new_values.partner_id
               AND partner.id = ANY(ARRAY(SELECT partner_id FROM new_values))
            RETURNING partner.id
        )
        SELECT ARRAY(SELECT id FROM written),
               ARRAY(SELECT partner_id FROM stale),
               ARRAY(SELECT company_id FROM stale)
        """,
        target=target_sql(partner_ids),
        # Everyone: one pass over the sales and the open items, not a
        # lookup per customer.
        sales=sales_sql(today, target, bounds),
        debt=open_items_aging_sql(today, receivable, target, bounds),
        stored_within=within_sql(SQL("stored.partner_id"), bounds),
        today=today,
        fixed=json.dumps(FIXED_RFM_BREAKPOINTS),
        limits=json.dumps(credit_limit_fallbacks),
        gap=purchase_gap_sql(
            SQL("sales.first_date"), SQL("sales.last_date"), SQL("sales.invoice_count")
        ),
        buckets=SQL(", ").join(
            SQL(
                "COALESCE(%s, 0) AS %s",
                SQL.identifier("debt", bucket.column),
                SQL.identifier(bucket.column),
            )
            for bucket in AGING_BUCKETS
        ),
        r_score=rfm_score_sql(
            SQL("days_since"), _cutoffs("r"), SQL("invoice_count"), descending=True
        ),
        f_score=rfm_score_sql(SQL("frequency"), _cutoffs("f"), SQL("invoice_count")),
        m_score=rfm_score_sql(SQL("monetary"), _cutoffs("m"), SQL("invoice_count")),
        bucket_fields=SQL(", ").join(
            SQL(
                "ROUND(%s, decimals) AS %s",
                SQL.identifier(bucket.column),
                SQL.identifier(bucket.partner_field),
            )
            for bucket in AGING_BUCKETS
        ),
        segment=rfm_segment_sql(
            SQL("r_score"), SQL("f_score"), SQL("m_score"), SQL("invoice_count")
        ),
        status=lifecycle_status_sql(
            today,
            SQL("first_date"),
            SQL("last_date"),
            SQL("invoice_count"),
            SQL("gap"),
            {
                "new_days": SQL("new_days"),
                "churn_days": SQL("churn_days"),
                "gap_factor": SQL("gap_factor"),
                "p_alive_threshold": SQL("p_alive_threshold"),
            },
            p_alive=SQL("p_alive"),
        ),
        stat_columns=SQL(", ").join(stat_columns),
        new_values=per_company_values_sql(stat_columns, company_count),
        figures=figure_upsert_sql(SQL("changed")),
        # new_values holds every company's value: it replaces the column.
        assignments=SQL(", ").join(
            SQL("%s = new_values.%s", column, column)
            for column in [*stat_columns, SQL.identifier("sh_stats_digest")]
        ),
    )


def clv_figures_sql(company_ids, partner_ids, p_alive, predicted_clv):
    """The statement that writes the customers' P(alive) and predicted CLV
    in the companies ``company_ids`` (a fit of their tree) to their narrow
    rows, in one pass. ``partner_ids``, ``p_alive`` and ``predicted_clv``
    are arrays of the same length; a customer of those companies that they
    do not name (no purchase, or no fit) gets NULL. Only the values that
    change are written. It returns the customers whose P(alive) crossed
    their company's at-risk threshold either way, or got or lost one: their
    status is to be computed again."""
    return SQL(
        """
        WITH prediction AS (
            SELECT *
              FROM unnest(%(partner_ids)s::int[], %(p_alive)s::float8[],
                          %(predicted_clv)s::float8[])
                   AS prediction(partner_id, p_alive, predicted_clv)
        ),
        changed AS (
            SELECT figure.id, figure.partner_id, figure.company_id,
                   prediction.p_alive, prediction.predicted_clv,
                   COALESCE(figure.p_alive < company.sh_at_risk_p_alive, FALSE)
                       IS DISTINCT FROM
                   COALESCE(prediction.p_alive < company.sh_at_risk_p_alive, FALSE)
                       AS crossed
              FROM sh_customer_figure figure
              JOIN res_company company ON company.id = figure.company_id
              LEFT JOIN prediction ON prediction.partner_id = figure.partner_id
             WHERE figure.company_id = ANY(%(company_ids)s)
               AND (figure.p_alive, figure.predicted_clv)
                   IS DISTINCT FROM (prediction.p_alive, prediction.predicted_clv)
        ),
        figures AS (
            UPDATE sh_customer_figure figure
               SET p_alive = changed.p_alive, predicted_clv = changed.predicted_clv
              FROM changed
             WHERE figure.id = changed.id
        )
        SELECT ARRAY(SELECT DISTINCT partner_id FROM changed WHERE crossed)
        """,
        partner_ids=list(partner_ids),
        p_alive=list(p_alive),
        predicted_clv=list(predicted_clv),
        company_ids=list(company_ids),
    )
