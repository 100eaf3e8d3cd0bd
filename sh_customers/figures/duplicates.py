"""The duplicate finder's SQL: the trigram index on the customers' folded
names and the statement that rebuilds a company's candidate pairs.

A pair is a candidate when the two customers share a tax ID, a mobile or
phone number (either of one against either of the other) or an e-mail
address, or when their folded names (``tools.identity.name_key``) are at
least ``SIMILARITY_THRESHOLD`` alike by PostgreSQL's ``pg_trgm``. The pairs
sharing a key come from grouping the keys; the alike names from a self-join
on the trigram index (``%`` operator). Without ``pg_trgm`` (the extension
could not be created) only equal folded names pair, and a warning says so.

The score orders the list: ``SCORES`` per shared key plus the names'
similarity times ``NAME_SCORE``."""

import logging

import psycopg2

from odoo.tools import SQL

from .dashboard_domains import CUSTOMER_DOMAIN

_logger = logging.getLogger(__name__)

SIMILARITY_THRESHOLD = 0.6
SCORES = {"vat": 50, "phone": 40, "email": 35}
NAME_SCORE = 30
# A key shared by more customers than this (a fleet's switchboard, a
# workshop's common e-mail) says nothing about any two of them: it would
# list every pair of a crowd.
MAX_SHARED = 10
NAME_INDEX = "res_partner_sh_name_key_trgm_index"


def ensure_name_index(cr):
    """Create ``pg_trgm`` (in a savepoint: the database user may not be
    allowed to) and the trigram index on the folded names; returns whether
    the index exists."""
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
    cr.execute(
        SQL(
            "CREATE INDEX IF NOT EXISTS %s ON res_partner USING gin (sh_name_key gin_trgm_ops)",
            SQL.identifier(NAME_INDEX),
        )
    )
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
    """Rebuild the candidate pairs of ``company`` in one statement: new
    pairs added, the scores of listed ones updated (a dismissed pair stays
    dismissed), pairs to review that no longer match removed. Returns the
    number of pairs to review."""
    env = partners.env
    cr = env.cr
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
    trigram = has_trigram(cr)
    if trigram:
        # For this transaction only: the threshold of the ``%`` operator.
        cr.execute(
            SQL(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                str(SIMILARITY_THRESHOLD),
            )
        )
        name_pairs = SQL(
            """
            SELECT a.id, b.id
              FROM customers a
              JOIN res_partner b ON b.sh_name_key %% a.sh_name_key AND b.id > a.id
              JOIN customers bc ON bc.id = b.id
             WHERE a.sh_name_key IS NOT NULL
            """
        )
        similarity = SQL("similarity(pa.sh_name_key, pb.sh_name_key)")
    else:
        _logger.warning("pg_trgm is not installed: the duplicate finder pairs only equal names.")
        name_pairs = SQL(
            """
            SELECT a.id, b.id
              FROM customers a
              JOIN customers b ON b.sh_name_key = a.sh_name_key AND b.id > a.id
            """
        )
        similarity = SQL("CASE WHEN pa.sh_name_key = pb.sh_name_key THEN 1.0 ELSE 0.0 END")
    [(to_review,)] = env.execute_query(
        SQL(
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
            ),
            groups AS (
                SELECT kind, array_agg(id) AS ids
                  FROM keys
                 GROUP BY kind, key
                HAVING COUNT(*) BETWEEN 2 AND %(max_shared)s
            ),
            matches AS (
                SELECT a.id AS a_id, b.id AS b_id, g.kind
                  FROM groups g, unnest(g.ids) a(id), unnest(g.ids) b(id)
                 WHERE a.id < b.id
                 UNION ALL
                SELECT names.a_id, names.b_id, 'name'
                  FROM (%(name_pairs)s) AS names(a_id, b_id)
            ),
            pairs AS (
                SELECT a_id, b_id,
                       bool_or(kind = 'vat') AS match_vat,
                       bool_or(kind = 'phone') AS match_phone,
                       bool_or(kind = 'email') AS match_email
                  FROM matches
                 GROUP BY a_id, b_id
            ),
            scored AS (
                SELECT p.*, COALESCE(%(similarity)s, 0.0) AS name_similarity
                  FROM pairs p
                  JOIN res_partner pa ON pa.id = p.a_id
                  JOIN res_partner pb ON pb.id = p.b_id
            ),
            listed AS (
                INSERT INTO sh_customer_duplicate AS d (
                    partner_a_id, partner_b_id, company_id, state,
                    match_vat, match_phone, match_email, name_similarity, score,
                    create_uid, create_date, write_uid, write_date)
                SELECT a_id, b_id, %(company_id)s, 'new',
                       match_vat, match_phone, match_email, round(name_similarity::numeric, 2),
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
                RETURNING d.id, d.state
            ),
            gone AS (
                DELETE FROM sh_customer_duplicate d
                 WHERE d.company_id = %(company_id)s
                   AND d.state = 'new'
                   AND d.id NOT IN (SELECT id FROM listed)
            )
            SELECT COUNT(*) FILTER (WHERE state = 'new') FROM listed
            """,
            customers=customers_query(partners, company),
            max_shared=MAX_SHARED,
            name_pairs=name_pairs,
            similarity=similarity,
            company_id=company.id,
            vat=SCORES["vat"],
            phone=SCORES["phone"],
            email=SCORES["email"],
            name=NAME_SCORE,
            uid=env.uid,
        )
    )
    return to_review
