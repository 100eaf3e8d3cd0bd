"""The companies' customers per loyalty tier, kept up to date by PostgreSQL
as the customers' tiers are written, so that the unfiltered customers list
and the dashboard read a few rows per company instead of every customer's
tier.

``sh_loyalty_tier_total`` holds, per company and tier, the number of
customers the Customers app lists (``figures.totals.listed_sql``) whose
company-dependent tier (``res_partner.sh_loyalty_tier_id``, a jsonb of
tiers by company) in that company is that tier, split by who may see the
customers (their company and whether they are shared, as Odoo's partner
rule reads them).

Triggers on res_partner turn every statement that writes partners into
rows of changes: the new rows' share minus the old rows' share, in the
same transaction, whatever wrote them (the tier review, an archive, a
merge, an import). Unchanged rows cancel out, so a statement that changes
no customer's tier or membership adds nothing. Rows of changes are only
ever inserted, so that transactions writing different customers never
wait for each other; the daily loyalty pass counts them again
(``rebuild``), which also folds them into one row per key.
"""

from odoo.tools import SQL

from odoo.addons.sh_customers.figures.totals import PARTNER_COLUMNS, listed_sql, visible_sql

from .plans import planned, trigger_body

TABLE = "sh_loyalty_tier_total"
FUNCTION = "sh_loyalty_tier_totals"
# Which statements of res_partner the triggers follow, and the transition
# tables each one has (PostgreSQL gives a trigger with transition tables
# one event only).
EVENTS = (
    ("insert", "INSERT", "NEW TABLE AS new_rows"),
    ("update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "DELETE", "OLD TABLE AS old_rows"),
)


def share_sql(rows, sign):
    """The share in the totals of the partner rows ``rows`` (a relation),
    times ``sign``: one row per partner and company it has a tier in."""
    return SQL(
        """
        SELECT tier.key::int, row.company_id, COALESCE(row.partner_share, FALSE),
               tier.value::int, %(sign)s
          FROM %(rows)s row
         CROSS JOIN LATERAL jsonb_each_text(row.sh_loyalty_tier_id) tier
         WHERE row.sh_loyalty_tier_id IS NOT NULL AND tier.value IS NOT NULL
           AND %(listed)s
        """,
        rows=SQL.identifier(rows),
        sign=SQL(sign),
        listed=listed_sql("row"),
    )


def _insert_sql(shares):
    """Insert the sums of ``shares`` (rows of keys and counts) by key, where
    not nothing."""
    return SQL(
        """
        INSERT INTO sh_loyalty_tier_total
               (company_id, partner_company_id, partner_share, tier_id, customers)
        SELECT company_id, partner_company_id, partner_share, tier_id, SUM(customers)
          FROM (%s) AS share (company_id, partner_company_id, partner_share, tier_id, customers)
         GROUP BY 1, 2, 3, 4
        HAVING SUM(customers) <> 0
        """,
        shares,
    )


def _function_sql(cr):
    """The trigger function: the statement's change of the totals, with no
    join of the old rows to the new ones (a row that did not change counts
    once on each side and cancels out), planned for a large statement's own
    size (``figures.plans``)."""

    def change(shares):
        return planned(cr, lambda ids: _insert_sql(shares))

    return trigger_body(
        SQL(
            """
            IF TG_OP = 'INSERT' THEN
                %(insert)s
            ELSIF TG_OP = 'DELETE' THEN
                %(delete)s
            ELSE
                %(update)s
            END IF;
            """,
            insert=change(share_sql("new_rows", "1")),
            delete=change(share_sql("old_rows", "-1")),
            update=change(
                SQL("%s UNION ALL %s", share_sql("old_rows", "-1"), share_sql("new_rows", "1"))
            ),
        )
    )


def ensure(cr):
    """Make the table (filled from the customers' tiers when new), and the
    trigger function and triggers, replaced with the current ones (at
    every installation and update of the addon)."""
    cr.execute(SQL("SELECT to_regclass(%s)", TABLE))
    fill = cr.fetchone()[0] is None
    body = _function_sql(cr)
    cr.execute(
        SQL(
            """
            CREATE TABLE IF NOT EXISTS sh_loyalty_tier_total (
                company_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL,
                tier_id integer NOT NULL,
                customers integer NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sh_loyalty_tier_total_company_index
                ON sh_loyalty_tier_total (company_id);
            CREATE OR REPLACE FUNCTION sh_loyalty_tier_totals() RETURNS trigger
            LANGUAGE plpgsql AS %(body)s;
            """,
            # A function's body takes no parameters: they are written in.
            body=cr.mogrify(body.code, body.params).decode(),
        )
    )
    for name, event, transition in EVENTS:
        trigger = SQL.identifier(f"{FUNCTION}_{name}")
        cr.execute(
            SQL(
                """
                DROP TRIGGER IF EXISTS %(trigger)s ON res_partner;
                CREATE TRIGGER %(trigger)s
                    AFTER %(event)s ON res_partner
                    REFERENCING %(transition)s
                    FOR EACH STATEMENT EXECUTE FUNCTION sh_loyalty_tier_totals();
                """,
                trigger=trigger,
                event=SQL(event),
                transition=SQL(transition),
            )
        )
    if fill:
        rebuild(cr)


def rebuild(cr):
    """Count the customers per tier again from the partners (the rows of
    changes other transactions add meanwhile stay: they are not in this
    count)."""
    cr.execute(SQL("DELETE FROM sh_loyalty_tier_total"))
    cr.execute(_insert_sql(share_sql("res_partner", "1")))


def drop(cr):
    """Remove the totals, the triggers and their function (at uninstall:
    the triggers read the column the uninstall drops)."""
    for name, _event, _transition in EVENTS:
        cr.execute(
            SQL(
                "DROP TRIGGER IF EXISTS %s ON res_partner",
                SQL.identifier(f"{FUNCTION}_{name}"),
            )
        )
    cr.execute(
        SQL(
            "DROP TABLE IF EXISTS sh_loyalty_tier_total;"
            " DROP FUNCTION IF EXISTS sh_loyalty_tier_totals() CASCADE"
        )
    )


def tier_counts(env, company):
    """The customers of ``company`` the user sees per tier: ``{tier_id:
    count}``."""
    env["res.partner"].flush_model([*PARTNER_COLUMNS, "sh_loyalty_tier_id"])
    return dict(
        env.execute_query(
            SQL(
                """
                SELECT total.tier_id, SUM(total.customers)::int
                  FROM sh_loyalty_tier_total total
                 WHERE total.company_id = %(company_id)s AND %(visible)s
                 GROUP BY 1
                HAVING SUM(total.customers) <> 0
                """,
                company_id=company.id,
                visible=visible_sql(env, "total"),
            )
        )
    )
