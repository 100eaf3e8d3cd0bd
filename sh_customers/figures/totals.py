"""The companies' customer totals, kept up to date by PostgreSQL as the
customers' figures are written, so that the unfiltered customers list and
the dashboard sum a few rows per company instead of every customer.

Two tables hold them, each a sum of rows of changes:

- ``sh_customer_total``: per company and status and RFM segment, the number
  of customers, their net sales, debt, overdue debt and aging buckets;
- ``sh_customer_day_total``: per company and day, the sales (net sales and
  invoice count), the first purchases, the receivable and the credit sales
  of the day.

Both are split by what decides who may see the customers (the company of
the customer and whether it is shared, as Odoo's partner rule reads them)
and count only the customers the Customers app lists (active commercial
partners with a customer rank): the membership columns of the narrow rows
(``listed``, ``partner_company_id``, ``partner_share``), which a trigger on
res_partner keeps equal to the customer's.

Triggers on ``sh_customer_figure`` turn every statement that writes the
narrow rows (a posting's refresh, the nightly refresh, a history rebuild,
a merge, a deletion) into rows of changes, the new rows' share minus the
old rows' share, in the same transaction: the totals are always the sum of
the narrow rows they summarise, whatever wrote them. A row of changes is
only ever inserted, never updated, so that transactions writing the
figures of different customers at the same time never wait for each
other; ``compact`` folds the rows of changes into one row per key (the
nightly refresh runs it).
"""

from odoo.osv import expression
from odoo.tools import SQL

from .dashboard_domains import CUSTOMER_DOMAIN
from .history import SALES_HISTORY_COLUMNS
from .refresh import first_refresh_progress
from .rules import AGING_BUCKET_COLUMNS

TOTAL_TABLE = "sh_customer_total"
DAY_TABLE = "sh_customer_day_total"
# Who sees a customer (Odoo's partner rule reads these).
VISIBILITY_COLUMNS = ("partner_company_id", "partner_share")
# The membership columns of the narrow rows.
MEMBERSHIP_COLUMNS = (
    ("listed", "boolean"),
    ("partner_company_id", "integer"),
    ("partner_share", "boolean"),
)
# The sums of sh_customer_total, each from the narrow rows' column of the
# same name (``customers`` counts them).
TOTAL_SUMS = ("net_sales", "debt", "overdue", *AGING_BUCKET_COLUMNS)
TOTAL_KEYS = ("company_id", *VISIBILITY_COLUMNS, "lifecycle_status", "rfm_segment")
DAY_SUMS = ("sales", "invoices", "first_buyers", "receivable", "credit_sales")
DAY_KEYS = ("company_id", *VISIBILITY_COLUMNS, "day")
# The res.partner columns that decide whether the Customers app lists a
# customer and who sees it.
PARTNER_COLUMNS = (
    "active",
    "customer_rank",
    "is_company",
    "parent_id",
    "company_id",
    "partner_share",
)
# The figures' columns the counts of customers over a period read, whose
# state before each change since the last nightly pass the trigger keeps in
# ``sh_customer_count_before`` (see ``dashboard_counts``).
COUNTED_COLUMNS = (
    "listed",
    *VISIBILITY_COLUMNS,
    "first_purchase_date",
    "sale_dates",
    "sale_totals",
    "invoice_counts",
    "last_invoice_dates",
)
# The figures' columns whose change changes the day totals.
DAY_SOURCE_COLUMNS = (
    "listed",
    *VISIBILITY_COLUMNS,
    "first_purchase_date",
    "sale_dates",
    "sale_totals",
    "invoice_counts",
    "receivable_dates",
    "receivable_totals",
    "credit_sale_totals",
)


def _ids(names, alias=None):
    return SQL(", ").join(
        SQL.identifier(alias, name) if alias else SQL.identifier(name) for name in names
    )


def listed_sql(partner):
    """Whether the Customers app lists the partner row ``partner`` (an
    alias, or a trigger's NEW or OLD): its action's domain with the filter
    Customers, active records only."""
    return SQL(
        "(COALESCE(%(p)s.active, FALSE) AND COALESCE(%(p)s.customer_rank, 0) > 0"
        " AND (COALESCE(%(p)s.is_company, FALSE) OR %(p)s.parent_id IS NULL))",
        p=SQL(partner) if partner in ("NEW", "OLD") else SQL.identifier(partner),
    )


def _keys_sql():
    """The visibility keys of a narrow row ``row``."""
    return SQL("row.company_id, row.partner_company_id, COALESCE(row.partner_share, FALSE)")


def total_rows_sql(rows, sign):
    """The share in ``sh_customer_total`` of the narrow rows ``rows`` (a
    relation), times ``sign``: one row per key."""
    return SQL(
        """
        SELECT %(keys)s, %(sign)s * COUNT(*), %(sums)s
          FROM %(rows)s row
         WHERE row.listed
         GROUP BY %(keys)s
        """,
        keys=SQL("%s, row.lifecycle_status, row.rfm_segment", _keys_sql()),
        sign=sign,
        sums=SQL(", ").join(
            SQL("%s * COALESCE(SUM(%s), 0)", sign, SQL.identifier("row", column))
            for column in TOTAL_SUMS
        ),
        rows=rows,
    )


def day_rows_sql(rows, sign):
    """The share in ``sh_customer_day_total`` of the narrow rows ``rows``,
    times ``sign``, one row per entry of their history: an entry's change
    is its running figure minus the one before (the entries of one day
    share their running figures, so the day's first entry carries the
    day's change and the others none)."""
    keys = _keys_sql()

    def before(column):
        return SQL("COALESCE(%s[(entry.n - 1)::int], 0)", SQL.identifier("row", column))

    return SQL(
        """
        SELECT %(keys)s, entry.day,
               %(sign)s * (entry.total - %(sales_before)s),
               %(sign)s * (entry.count - %(count_before)s),
               0, 0::float8, 0::float8
          FROM %(rows)s row
         CROSS JOIN LATERAL unnest(row.sale_dates, row.sale_totals, row.invoice_counts)
               WITH ORDINALITY AS entry (day, total, count, n)
         WHERE row.listed AND entry.day IS NOT NULL
        UNION ALL
        SELECT %(keys)s, entry.day, 0::float8, 0, 0,
               %(sign)s * (entry.total - %(receivable_before)s),
               %(sign)s * (entry.credit - %(credit_before)s)
          FROM %(rows)s row
         CROSS JOIN LATERAL unnest(
               row.receivable_dates, row.receivable_totals, row.credit_sale_totals)
               WITH ORDINALITY AS entry (day, total, credit, n)
         WHERE row.listed AND entry.day IS NOT NULL
        UNION ALL
        SELECT %(keys)s, row.first_purchase_date, 0::float8, 0, %(sign)s, 0::float8, 0::float8
          FROM %(rows)s row
         WHERE row.listed AND row.first_purchase_date IS NOT NULL
        """,
        keys=keys,
        sign=sign,
        sales_before=before("sale_totals"),
        count_before=before("invoice_counts"),
        receivable_before=before("receivable_totals"),
        credit_before=before("credit_sale_totals"),
        rows=rows,
    )


def _insert_totals(rows):
    """Insert the sums of ``rows`` (a statement giving rows of
    ``sh_customer_total`` keys and sums) by key, where not nothing."""
    return SQL(
        """
        INSERT INTO sh_customer_total (%(keys)s, customers, %(sums)s)
        SELECT %(keys)s, COALESCE(SUM(customers), 0), %(summed)s
          FROM (%(rows)s) AS change (%(keys)s, customers, %(sums)s)
         GROUP BY %(keys)s
        HAVING SUM(customers) <> 0 OR %(nonzero)s
        """,
        keys=_ids(TOTAL_KEYS),
        sums=_ids(TOTAL_SUMS),
        summed=SQL(", ").join(SQL("COALESCE(SUM(%s), 0)", SQL.identifier(c)) for c in TOTAL_SUMS),
        rows=rows,
        nonzero=SQL(" OR ").join(
            SQL("ABS(SUM(%s)) >= 0.000001", SQL.identifier(c)) for c in TOTAL_SUMS
        ),
    )


def _insert_days(rows):
    """Insert the sums of ``rows`` (rows of ``sh_customer_day_total`` keys
    and sums) by key, where not nothing."""
    return SQL(
        """
        INSERT INTO sh_customer_day_total (%(keys)s, %(sums)s)
        SELECT %(keys)s, COALESCE(SUM(sales), 0), COALESCE(SUM(invoices), 0),
               COALESCE(SUM(first_buyers), 0), COALESCE(SUM(receivable), 0),
               COALESCE(SUM(credit_sales), 0)
          FROM (%(rows)s) AS change (%(keys)s, %(sums)s)
         GROUP BY %(keys)s
        HAVING SUM(invoices) <> 0 OR SUM(first_buyers) <> 0
            OR ABS(SUM(sales)) >= 0.000001 OR ABS(SUM(receivable)) >= 0.000001
            OR ABS(SUM(credit_sales)) >= 0.000001
        """,
        keys=_ids(DAY_KEYS),
        sums=_ids(DAY_SUMS),
        rows=rows,
    )


def _changed_ids():
    """The ids of the updated narrow rows whose share of the day totals
    changed (their history, first purchase or membership), each with
    whether what the counts of customers read changed (``counted``)."""
    return SQL(
        """SELECT o.id, (%(old_counted)s) IS DISTINCT FROM (%(new_counted)s) AS counted
             FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (%(old)s) IS DISTINCT FROM (%(new)s)""",
        old=_ids(DAY_SOURCE_COLUMNS, "o"),
        new=_ids(DAY_SOURCE_COLUMNS, "n"),
        old_counted=_ids(COUNTED_COLUMNS, "o"),
        new_counted=_ids(COUNTED_COLUMNS, "n"),
    )


def keep_before_sql(rows, absent=False):
    """Keep the state of the narrow rows ``rows`` before their change (or,
    ``absent``, that they did not exist) for the counts of customers kept
    as of the last nightly pass."""
    # An absent row is not listed and has nothing else.
    values = (
        SQL(", ").join([SQL("FALSE"), *(SQL("NULL") for _column in COUNTED_COLUMNS[1:])])
        if absent
        else _ids(COUNTED_COLUMNS, "row")
    )
    return SQL(
        """
        INSERT INTO sh_customer_count_before (partner_id, company_id, %(columns)s)
        SELECT row.partner_id, row.company_id, %(values)s FROM %(rows)s row
        """,
        columns=_ids(COUNTED_COLUMNS),
        values=values,
        rows=rows,
    )


def _changed_rows(side):
    """The ``side`` (old_rows or new_rows) of the updated narrow rows whose
    share of the day totals changed (``changed``: their ids)."""
    return SQL(
        "(SELECT side.* FROM %s side WHERE side.id IN (SELECT id FROM changed))",
        SQL.identifier(side),
    )


# Rows written by one statement from which the trigger plans its join of
# the old and new rows for them (see ``_function_sql``).
PLANNED_FROM = 100


def _function_sql(cr):
    """The trigger function of the narrow rows: their statement's change
    of the totals."""
    old, new = SQL.identifier("old_rows"), SQL.identifier("new_rows")
    update_totals = _insert_totals(
        SQL("%s UNION ALL %s", total_rows_sql(old, SQL("-1")), total_rows_sql(new, SQL("1")))
    )
    # A refresh rewrites the figures of many customers whose history did
    # not change (a new day moves statuses): only the others are unnested.
    update_days = SQL(
        "WITH changed AS MATERIALIZED (%s), kept AS (%s) %s",
        _changed_ids(),
        keep_before_sql(
            SQL(
                "(SELECT side.* FROM old_rows side JOIN changed ON changed.id = side.id"
                " WHERE changed.counted)"
            )
        ),
        _insert_days(
            SQL(
                "%s UNION ALL %s",
                day_rows_sql(_changed_rows("old_rows"), SQL("-1")),
                day_rows_sql(_changed_rows("new_rows"), SQL("1")),
            )
        ),
    )
    body = SQL(
        """
        BEGIN
            IF TG_OP = 'INSERT' THEN
                %(insert_totals)s;
                %(insert_days)s;
                %(insert_before)s;
            ELSIF TG_OP = 'DELETE' THEN
                %(delete_totals)s;
                %(delete_days)s;
                %(delete_before)s;
            ELSE
                %(update_totals)s;
                -- The day totals' statement joins the old rows to the new
                -- ones. PL/pgSQL keeps the plan a statement got at its
                -- first run in the session: planned for the few rows of a
                -- posting (or none), that join compares every old row with
                -- every new one, a second for the 2,500 customers of a
                -- nightly batch. Many rows get a plan of their own.
                IF (SELECT COUNT(*) FROM old_rows) > %(planned_from)s THEN
                    EXECUTE %(update_days_text)s;
                ELSE
                    %(update_days)s;
                END IF;
            END IF;
            RETURN NULL;
        END
        """,
        insert_totals=_insert_totals(total_rows_sql(new, SQL("1"))),
        insert_days=_insert_days(day_rows_sql(new, SQL("1"))),
        delete_totals=_insert_totals(total_rows_sql(old, SQL("-1"))),
        delete_days=_insert_days(day_rows_sql(old, SQL("-1"))),
        insert_before=keep_before_sql(new, absent=True),
        delete_before=keep_before_sql(old),
        update_totals=update_totals,
        update_days=update_days,
        update_days_text=_literal(cr, update_days),
        planned_from=PLANNED_FROM,
    )
    return body


def _literal(cr, statement):
    """``statement`` with its parameters written in (a function's body
    takes no parameters)."""
    return cr.mogrify(statement.code, statement.params).decode()


def ensure_totals(cr):
    """Create what the totals lack: the membership columns of the narrow
    rows (filled from the customers), the tables (filled from the narrow
    rows), the trigger functions and the triggers, replaced with the
    current ones. Existing totals are kept."""
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'sh_customer_figure' AND column_name = 'listed'"
        )
    )
    fill_membership = not cr.fetchall()
    # At installation the table has just been made, without rows (nor the
    # columns the fields add next): nothing to fill.
    cr.execute(SQL("SELECT EXISTS (SELECT 1 FROM sh_customer_figure)"))
    has_rows = cr.fetchone()[0]
    for column, sql_type in MEMBERSHIP_COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE sh_customer_figure ADD COLUMN IF NOT EXISTS %s %s",
                SQL.identifier(column),
                SQL(sql_type),
            )
        )
    cr.execute(SQL("SELECT to_regclass(%s)", TOTAL_TABLE))
    fill_totals = cr.fetchone()[0] is None
    cr.execute(
        SQL(
            """
            CREATE TABLE IF NOT EXISTS sh_customer_total (
                company_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL,
                lifecycle_status varchar,
                rfm_segment varchar,
                customers integer NOT NULL,
                %(sums)s
            );
            CREATE INDEX IF NOT EXISTS sh_customer_total_company_index
                ON sh_customer_total (company_id);
            CREATE TABLE IF NOT EXISTS sh_customer_day_total (
                company_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL,
                day date NOT NULL,
                sales float8 NOT NULL,
                invoices integer NOT NULL,
                first_buyers integer NOT NULL,
                receivable float8 NOT NULL,
                credit_sales float8 NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sh_customer_day_total_company_day_index
                ON sh_customer_day_total (company_id, day);
            CREATE TABLE IF NOT EXISTS sh_customer_count (
                company_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL,
                date_from date NOT NULL,
                date_to date NOT NULL,
                previous_from date NOT NULL,
                previous_to date NOT NULL,
                settings jsonb NOT NULL,
                counts jsonb NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sh_customer_count_company_index
                ON sh_customer_count (company_id, date_from, date_to);
            CREATE TABLE IF NOT EXISTS sh_customer_count_before (
                id bigserial PRIMARY KEY,
                partner_id integer NOT NULL,
                company_id integer NOT NULL,
                listed boolean NOT NULL,
                partner_company_id integer,
                partner_share boolean,
                first_purchase_date date,
                %(history)s
            );
            CREATE INDEX IF NOT EXISTS sh_customer_count_before_company_index
                ON sh_customer_count_before (company_id, partner_id, id);
            """,
            history=SQL(", ").join(
                SQL("%s %s", SQL.identifier(column), SQL(sql_type))
                for column, sql_type in SALES_HISTORY_COLUMNS
            ),
            sums=SQL(", ").join(
                SQL("%s float8 NOT NULL", SQL.identifier(column)) for column in TOTAL_SUMS
            ),
        )
    )
    if fill_membership and has_rows:
        fill_membership_sql(cr)
    cr.execute(
        SQL(
            """
            CREATE OR REPLACE FUNCTION sh_customer_figure_totals() RETURNS trigger
            LANGUAGE plpgsql AS %(body)s;

            CREATE OR REPLACE FUNCTION sh_customer_figure_membership() RETURNS trigger
            LANGUAGE plpgsql AS %(membership_body)s;

            CREATE OR REPLACE FUNCTION sh_customer_partner_membership() RETURNS trigger
            LANGUAGE plpgsql AS %(partner_body)s;

            DROP TRIGGER IF EXISTS sh_customer_figure_membership ON sh_customer_figure;
            CREATE TRIGGER sh_customer_figure_membership
                BEFORE INSERT ON sh_customer_figure
                FOR EACH ROW WHEN (NEW.listed IS NULL)
                EXECUTE FUNCTION sh_customer_figure_membership();

            DROP TRIGGER IF EXISTS sh_customer_figure_totals_insert ON sh_customer_figure;
            CREATE TRIGGER sh_customer_figure_totals_insert
                AFTER INSERT ON sh_customer_figure
                REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION sh_customer_figure_totals();
            DROP TRIGGER IF EXISTS sh_customer_figure_totals_update ON sh_customer_figure;
            CREATE TRIGGER sh_customer_figure_totals_update
                AFTER UPDATE ON sh_customer_figure
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION sh_customer_figure_totals();
            DROP TRIGGER IF EXISTS sh_customer_figure_totals_delete ON sh_customer_figure;
            CREATE TRIGGER sh_customer_figure_totals_delete
                AFTER DELETE ON sh_customer_figure
                REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION sh_customer_figure_totals();

            DROP TRIGGER IF EXISTS sh_customer_partner_membership ON res_partner;
            CREATE TRIGGER sh_customer_partner_membership
                AFTER UPDATE OF %(partner_columns)s ON res_partner
                FOR EACH ROW WHEN (
                    (%(old_listed)s, OLD.company_id, OLD.partner_share)
                    IS DISTINCT FROM (%(new_listed)s, NEW.company_id, NEW.partner_share))
                EXECUTE FUNCTION sh_customer_partner_membership();
            """,
            body=_literal(cr, _function_sql(cr)),
            membership_body=_literal(
                cr,
                SQL(
                    """
                    BEGIN
                        SELECT %(listed)s, partner.company_id, partner.partner_share
                          INTO NEW.listed, NEW.partner_company_id, NEW.partner_share
                          FROM res_partner partner
                         WHERE partner.id = NEW.partner_id;
                        NEW.listed := COALESCE(NEW.listed, FALSE);
                        RETURN NEW;
                    END
                    """,
                    listed=listed_sql("partner"),
                ),
            ),
            partner_body=_literal(
                cr,
                SQL(
                    """
                    BEGIN
                        UPDATE sh_customer_figure
                           SET listed = %(listed)s,
                               partner_company_id = NEW.company_id,
                               partner_share = NEW.partner_share
                         WHERE partner_id = NEW.id;
                        RETURN NULL;
                    END
                    """,
                    listed=listed_sql("NEW"),
                ),
            ),
            partner_columns=_ids(PARTNER_COLUMNS),
            old_listed=listed_sql("OLD"),
            new_listed=listed_sql("NEW"),
        )
    )
    if (fill_totals or fill_membership) and has_rows:
        rebuild_totals(cr)


def fill_membership_sql(cr):
    """Write every narrow row's membership from its customer."""
    cr.execute(
        SQL(
            """
            UPDATE sh_customer_figure figure
               SET listed = %(listed)s,
                   partner_company_id = partner.company_id,
                   partner_share = partner.partner_share
              FROM res_partner partner
             WHERE partner.id = figure.partner_id
            """,
            listed=listed_sql("partner"),
        )
    )


def rebuild_totals(cr):
    """Compute the totals again from the narrow rows."""
    figure = SQL.identifier("sh_customer_figure")
    cr.execute(SQL("DELETE FROM sh_customer_total; DELETE FROM sh_customer_day_total"))
    cr.execute(_insert_totals(total_rows_sql(figure, SQL("1"))))
    cr.execute(_insert_days(day_rows_sql(figure, SQL("1"))))


def compact(cr):
    """Fold the rows of changes of both tables into one row per key (rows
    other transactions add meanwhile stay as they are)."""
    for table, rows in (
        (TOTAL_TABLE, _insert_totals),
        (DAY_TABLE, _insert_days),
    ):
        keys, sums = (
            (TOTAL_KEYS, ("customers", *TOTAL_SUMS))
            if table == TOTAL_TABLE
            else (DAY_KEYS, DAY_SUMS)
        )
        cr.execute(
            SQL(
                "WITH gone AS (DELETE FROM %(table)s RETURNING *) %(insert)s",
                table=SQL.identifier(table),
                insert=rows(SQL("SELECT %s FROM gone", _ids((*keys, *sums)))),
            )
        )


def drop_totals(cr):
    """Remove the totals, their triggers and functions (at uninstall: the
    trigger on res_partner would outlive the narrow rows it writes)."""
    cr.execute(
        SQL(
            """
            DROP TRIGGER IF EXISTS sh_customer_partner_membership ON res_partner;
            DROP TABLE IF EXISTS sh_customer_total;
            DROP TABLE IF EXISTS sh_customer_day_total;
            DROP TABLE IF EXISTS sh_customer_count;
            DROP TABLE IF EXISTS sh_customer_count_before;
            DROP FUNCTION IF EXISTS sh_customer_partner_membership() CASCADE;
            DROP FUNCTION IF EXISTS sh_customer_figure_membership() CASCADE;
            DROP FUNCTION IF EXISTS sh_customer_figure_totals() CASCADE;
            """
        )
    )


# ----------------------------------------------------------------------
# Reading the totals
# ----------------------------------------------------------------------


def _conjuncts(domain):
    """The terms of ``domain`` that must all hold, as a set of comparable
    values (an "or" of terms as the set of its terms)."""
    domain = expression.normalize_domain(list(domain))

    def parse(index):
        token = domain[index]
        if token in ("&", "|"):
            left, index = parse(index + 1)
            right, index = parse(index)
            parts = set()
            for part in (left, right):
                if isinstance(part, tuple) and part[:1] == (token,):
                    parts |= part[1]
                else:
                    parts.add(part)
            return (token, frozenset(parts)), index
        if token == "!":
            inner, index = parse(index + 1)
            return ("!", inner), index
        return frozen(token), index + 1

    def frozen(value):
        if isinstance(value, (list, tuple)):
            return tuple(frozen(item) for item in value)
        return value

    tree, _end = parse(0)
    if isinstance(tree, tuple) and tree[:1] == ("&",):
        return frozenset(tree[1])
    return frozenset([tree])


def lists_every_customer(env, domain):
    """Whether the customers ``domain`` selects, as the current user sees
    them, are those the totals count: the Customers app's own list (its
    action's domain and the filter Customers, nothing more), read with
    Odoo's partner rule alone, once a full refresh has written every
    customer's figures in the current company (the first one after
    installation, or after the company was made)."""
    if _conjuncts(domain) != _conjuncts(CUSTOMER_DOMAIN):
        return False
    if env.context.get("active_test", True) is False or first_refresh_progress(env):
        return False
    if not env.company.sh_figures_complete:
        return False
    rules = env["ir.rule"]._get_rules("res.partner")
    return not rules or rules.ids == [env.ref("base.res_partner_rule").id]


def visible_sql(env, alias):
    """The totals' rows (``alias``) of the customers the user sees, as
    Odoo's partner rule decides: customers that are not shared, of no
    company or of a company above or among the allowed ones."""
    if env.su:
        return SQL("TRUE")
    companies = env["res.company"].sudo().search([("id", "parent_of", env.companies.ids)])
    return SQL(
        "(NOT %(share)s OR %(company)s IS NULL OR %(company)s = ANY(%(companies)s))",
        share=SQL.identifier(alias, "partner_share"),
        company=SQL.identifier(alias, "partner_company_id"),
        companies=companies.ids,
    )


def customer_totals(env, company):
    """The totals of the customers of ``company`` the user sees, by status
    and segment: a list of dicts of ``lifecycle_status``, ``rfm_segment``,
    ``customers`` and the sums of ``TOTAL_SUMS``."""
    columns = ("customers", *TOTAL_SUMS)
    rows = env.execute_query_dict(
        SQL(
            """
            SELECT total.lifecycle_status, total.rfm_segment, %(sums)s
              FROM sh_customer_total total
             WHERE total.company_id = %(company_id)s AND %(visible)s
             GROUP BY 1, 2
            HAVING SUM(total.customers) <> 0
            """,
            sums=SQL(", ").join(
                SQL("SUM(%s) AS %s", SQL.identifier("total", column), SQL.identifier(column))
                for column in columns
            ),
            company_id=company.id,
            visible=visible_sql(env, "total"),
        )
    )
    return rows


def day_sums(env, company, date_from=None, date_to=None, by_month=False):
    """The day totals of the customers of ``company`` the user sees, summed
    from ``date_from`` to ``date_to`` (either open): a dict of the sums of
    ``DAY_SUMS``; ``by_month``: a dict of such dicts by the first day of
    their month."""
    conditions = [SQL("day.company_id = %s", company.id), visible_sql(env, "day")]
    if date_from:
        conditions.append(SQL("day.day >= %s", date_from))
    if date_to:
        conditions.append(SQL("day.day <= %s", date_to))
    month = SQL("date_trunc('month', day.day::timestamp)::date")
    rows = env.execute_query_dict(
        SQL(
            """
            SELECT %(group)s %(sums)s
              FROM sh_customer_day_total day
             WHERE %(conditions)s
             %(group_by)s
            """,
            group=SQL("%s AS month,", month) if by_month else SQL(),
            sums=SQL(", ").join(
                SQL(
                    "COALESCE(SUM(%s), 0) AS %s",
                    SQL.identifier("day", column),
                    SQL.identifier(column),
                )
                for column in DAY_SUMS
            ),
            conditions=SQL(" AND ").join(conditions),
            group_by=SQL("GROUP BY 1") if by_month else SQL(),
        )
    )
    if by_month:
        return {row.pop("month"): row for row in rows}
    return rows[0]


def receivable_on(env, company, days):
    """The receivable of the customers of ``company`` the user sees at the
    end of each of ``days``, in their order, from one read of the day
    totals."""
    [(balances,)] = env.execute_query(
        SQL(
            """
            SELECT ARRAY(
                SELECT COALESCE(SUM(day.receivable) FILTER (WHERE day.day <= until), 0)
                  FROM unnest(%(days)s::date[]) WITH ORDINALITY AS asked (until, n)
                  LEFT JOIN sh_customer_day_total day
                         ON day.company_id = %(company_id)s AND %(visible)s
                 GROUP BY asked.n ORDER BY asked.n)
            """,
            days=list(days),
            company_id=company.id,
            visible=visible_sql(env, "day"),
        )
    )
    return balances
