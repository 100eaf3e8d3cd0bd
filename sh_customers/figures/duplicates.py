"""The duplicate finder's SQL: the statement that rebuilds a company's
candidate pairs.

A pair is a candidate when the two customers share a tax ID, a mobile or
phone number (either of one against either of the other) or an e-mail
address, or when their folded names (``tools.identity.name_key``) are equal
or at least ``SIMILARITY_THRESHOLD`` alike by PostgreSQL's ``pg_trgm``
(the Jaccard index of their trigrams). The pairs sharing a key or a name
come from grouping them. The alike names are found among the distinct names
at once (``tools.trigrams``, from ``pg_trgm``'s own trigrams of each name),
then spread to the customers bearing them. Without ``pg_trgm`` (the
extension could not be created) only equal folded names pair, and a warning
says so.

The threshold is high enough that names sharing only the father's and the
family's names (brothers, cousins: "سعد محمد القحطاني" and "خالد محمد
القحطاني" are 0.61 alike) do not pair, while a letter missed or added
("سعد"/"سعيد": 0.76) or words reordered ("garage al amal"/"al amal garage
co": 0.81) do.

The score orders the list: ``SCORES`` per shared key plus the names'
similarity times ``NAME_SCORE``."""

import logging

import psycopg2

from odoo.tools import SQL

from ..tools import trigrams
from .dashboard_domains import CUSTOMER_DOMAIN

_logger = logging.getLogger(__name__)

SIMILARITY_THRESHOLD = 0.75
SCORES = {"vat": 50, "phone": 40, "email": 35}
NAME_SCORE = 30
# A key or a name shared by more customers than this (a fleet's
# switchboard, a workshop's common e-mail, a very common name) says nothing
# about any two of them: it would list every pair of a crowd.
MAX_SHARED = 10


def ensure_trigram(cr):
    """Create ``pg_trgm`` (in a savepoint: the database user may not be
    allowed to); returns whether it is there."""
    try:
        with cr.savepoint(flush=False):
            cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except psycopg2.Error as error:
        _logger.warning(
            "The pg_trgm extension could not be created (%s): the duplicate finder pairs "
            "only equal names.",
            error,
        )
        return False
    return True


def has_trigram(cr):
    cr.execute(SQL("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    return bool(cr.fetchone())


def customers_query(partners, company):
    """The active customers of ``company`` (its own and the shared ones)
    that the user of ``partners`` sees, with their keys."""
    query = partners.with_context(active_test=True)._search(
        [*CUSTOMER_DOMAIN, ("company_id", "in", [company.id, False])]
    )
    table = query.table
    return query.select(
        SQL.identifier(table, "id"),
        *(
            SQL.identifier(table, fname)
            for fname in ("sh_vat_key", "sh_mobile_key", "sh_phone_key", "sh_email_key")
        ),
        SQL.identifier(table, "sh_name_key"),
    )


def rebuild_pairs(partners, company):
    """Rebuild the candidate pairs of ``company`` in one statement
    (``rebuild_sql``): new pairs added, the scores of listed ones updated
    (a dismissed pair stays dismissed), pairs to review that no longer
    match removed. Returns the number of pairs to review."""
    env = partners.env
    partners.flush_model(
        [
            "sh_vat_key",
            "sh_mobile_key",
            "sh_phone_key",
            "sh_email_key",
            "sh_name_key",
            "active",
            "company_id",
            "customer_rank",
            "parent_id",
            "is_company",
        ]
    )
    env["sh.customer.duplicate"].flush_model()
    alike = None
    if has_trigram(env.cr):
        alike = alike_names(partners, company)
    else:
        _logger.warning("pg_trgm is not installed: the duplicate finder pairs only equal names.")
    # The statement joins sets of thousands of rows, whose sizes the
    # planner misjudges right after a rebuild (its statistics do not know
    # the pairs just written yet): a nested loop over them would take
    # minutes where hash joins take seconds.
    [(nestloop,)] = env.execute_query(SQL("SELECT current_setting('enable_nestloop')"))
    env.execute_query(SQL("SELECT set_config('enable_nestloop', 'off', true)"))
    [(to_review,)] = env.execute_query(rebuild_sql(partners, company, alike))
    env.execute_query(SQL("SELECT set_config('enable_nestloop', %s, true)", nestloop))
    return to_review


def alike_names(partners, company):
    """The pairs of customers of ``company`` the user sees whose folded
    names are alike (not equal: equal names pair by grouping), among the
    names borne by at most ``MAX_SHARED`` customers, with their names'
    similarity: three lists, the first customers' ids, the second ones',
    the similarities."""
    rows = partners.env.execute_query(
        SQL(
            """
            WITH customers AS MATERIALIZED (%s)
            SELECT sh_name_key, show_trgm(sh_name_key), array_agg(id)
              FROM customers
             WHERE sh_name_key IS NOT NULL
             GROUP BY sh_name_key
            HAVING COUNT(*) <= %s
            """,
            customers_query(partners, company),
            MAX_SHARED,
        )
    )
    left, right, alike = trigrams.alike_pairs([row[1] for row in rows], SIMILARITY_THRESHOLD)
    first_ids, second_ids, similarities = [], [], []
    for a_index, b_index, similarity in zip(
        left.tolist(), right.tolist(), alike.tolist(), strict=True
    ):
        for a_id in rows[a_index][2]:
            for b_id in rows[b_index][2]:
                first_ids.append(min(a_id, b_id))
                second_ids.append(max(a_id, b_id))
                similarities.append(similarity)
    return first_ids, second_ids, similarities


def rebuild_sql(partners, company, alike=None):
    """The statement that rebuilds the pairs of ``company`` among the
    customers the user of ``partners`` sees, and answers the number of
    pairs to review; ``alike`` is ``alike_names``'s answer (without it, only
    equal folded names pair)."""
    env = partners.env
    if alike is not None:
        alike_sql = SQL("SELECT * FROM unnest(%s::int[], %s::int[], %s::float4[])", *alike)
        similarity = SQL("similarity(ca.sh_name_key, cb.sh_name_key)")
    else:
        alike_sql = SQL("SELECT NULL::int, NULL::int, NULL::float4 WHERE FALSE")
        similarity = SQL("NULL::float")
    return SQL(
        """
        WITH customers AS MATERIALIZED (%(customers)s),
        keys AS (
            SELECT id, 'vat' AS kind, sh_vat_key AS key
              FROM customers WHERE sh_vat_key IS NOT NULL
             UNION
            SELECT id, 'phone', sh_mobile_key FROM customers WHERE sh_mobile_key IS NOT NULL
             UNION
            SELECT id, 'phone', sh_phone_key FROM customers WHERE sh_phone_key IS NOT NULL
             UNION
            SELECT id, 'email', sh_email_key FROM customers WHERE sh_email_key IS NOT NULL
             UNION
            SELECT id, 'name', sh_name_key FROM customers WHERE sh_name_key IS NOT NULL
        ),
        groups AS (
            SELECT kind, key, array_agg(id) AS ids
              FROM keys
             GROUP BY kind, key
            HAVING COUNT(*) <= %(max_shared)s
        ),
        alike AS (%(alike)s),
        matches AS (
            SELECT a.id AS a_id, b.id AS b_id, g.kind,
                   CASE WHEN g.kind = 'name' THEN 1.0 END AS alike
              FROM groups g, unnest(g.ids) a(id), unnest(g.ids) b(id)
             WHERE a.id < b.id
             UNION ALL
            SELECT a_id, b_id, 'name', alike FROM alike AS p(a_id, b_id, alike)
        ),
        pairs AS (
            SELECT a_id, b_id,
                   bool_or(kind = 'vat') AS match_vat,
                   bool_or(kind = 'phone') AS match_phone,
                   bool_or(kind = 'email') AS match_email,
                   max(alike) AS alike
              FROM matches
             GROUP BY a_id, b_id
        ),
        scored AS (
            -- The names' similarity computed only for the pairs found by a
            -- key alone.
            SELECT p.a_id, p.b_id, p.match_vat, p.match_phone, p.match_email,
                   round(COALESCE(p.alike, %(similarity)s, 0.0)::numeric, 2) AS name_similarity
              FROM pairs p
              JOIN customers ca ON ca.id = p.a_id
              JOIN customers cb ON cb.id = p.b_id
        ),
        listed AS MATERIALIZED (
            SELECT id, partner_a_id, partner_b_id, state
              FROM sh_customer_duplicate
             WHERE company_id = %(company_id)s
        ),
        written AS (
            -- Only new pairs and those whose reasons changed are written.
            INSERT INTO sh_customer_duplicate AS d (
                partner_a_id, partner_b_id, company_id, state,
                match_vat, match_phone, match_email, name_similarity, score,
                create_uid, create_date, write_uid, write_date)
            SELECT a_id, b_id, %(company_id)s, 'new',
                   match_vat, match_phone, match_email, name_similarity,
                   %(vat)s * match_vat::int + %(phone)s * match_phone::int
                   + %(email)s * match_email::int + round(%(name)s * name_similarity)::int,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM scored
            ON CONFLICT (company_id, partner_a_id, partner_b_id) DO UPDATE
               SET match_vat = EXCLUDED.match_vat,
                   match_phone = EXCLUDED.match_phone,
                   match_email = EXCLUDED.match_email,
                   name_similarity = EXCLUDED.name_similarity,
                   score = EXCLUDED.score,
                   state = CASE WHEN d.state = 'merged' THEN 'new' ELSE d.state END,
                   write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date
             WHERE d.state = 'merged'
                OR (d.match_vat, d.match_phone, d.match_email, d.name_similarity, d.score)
                   IS DISTINCT FROM (EXCLUDED.match_vat, EXCLUDED.match_phone,
                                     EXCLUDED.match_email, EXCLUDED.name_similarity,
                                     EXCLUDED.score)
        ),
        gone AS (
            DELETE FROM sh_customer_duplicate d
             USING listed l
             WHERE d.id = l.id
               AND l.state = 'new'
               AND NOT EXISTS (
                   SELECT 1 FROM scored s WHERE s.a_id = l.partner_a_id AND s.b_id = l.partner_b_id
               )
        )
        SELECT COUNT(*)
          FROM scored s
          LEFT JOIN listed l ON l.partner_a_id = s.a_id AND l.partner_b_id = s.b_id
         WHERE l.state IS NULL OR l.state IN ('new', 'merged')
        """,
        customers=customers_query(partners, company),
        max_shared=MAX_SHARED,
        alike=alike_sql,
        similarity=similarity,
        company_id=company.id,
        vat=SCORES["vat"],
        phone=SCORES["phone"],
        email=SCORES["email"],
        name=NAME_SCORE,
        uid=env.uid,
    )
