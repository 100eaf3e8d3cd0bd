"""The members and points of each loyalty program, kept up to date by
PostgreSQL as cards, points history and customers are written, so that the
unfiltered dashboard reads a few rows per day instead of every member's
points history.

``sh_loyalty_member`` holds the cards that count as members: active cards
of a customer the Customers app lists (``figures.totals.listed_sql``), with
the program and who may see the customer (its company and whether it is
shared, as Odoo's partner rule reads them).

``sh_loyalty_point_total`` holds, per program, who may see the members and
day, the members (on the row without a day), and the points their history
moved that day: all of them, those earned and those redeemed.

Triggers keep both in the same transaction as the write, whatever made it:
- a statement on ``loyalty_history`` adds the moved points of the lines of
  member cards, those of its new rows minus those of its old ones;
- a statement on ``loyalty_card`` (a card made, moved to another customer,
  archived or deleted) or on a customer's membership columns of
  ``res_partner`` (archived, made a contact, moved to another company)
  compares the cards' membership with ``sh_loyalty_member``, and moves the
  changed cards' count and whole history from their old key to their new
  one.

A deleted card's history goes with it by the foreign key's cascade, whose
trigger runs after the card's: the card keeps its row in
``sh_loyalty_member`` until then, so that its lines come off the totals as
any deleted line does.

Rows of changes are only ever inserted, so that transactions writing
different cards never wait for each other; the daily loyalty pass counts
them again (``rebuild``), which also folds them into one row per key.

Engaged members (who earned or spent points), each counted once over a
period, cannot be summed from days. ``sh_loyalty_engaged_total`` keeps,
per program and who may see the members, how many cards were first engaged
on each day, how many were last engaged on each day, and the gaps between
two engaged days of a card: a member was engaged in a period unless its
first engaged day is after it, its last one before it, or a gap spans it
(``engaged_count``). The history's trigger counts the engaged days of the
cards whose engaging lines a statement changed again, as they were and as
they are.
"""

from odoo.tools import SQL

from odoo.addons.sh_customers.figures.totals import listed_sql, visible_sql

from .plans import PLANNED_FROM, planned, trigger_body

TOTALS = "sh_loyalty_point_total"
ENGAGED = "sh_loyalty_engaged_total"
# The tables the triggers follow, and their trigger functions.
TRIGGERS = (
    ("loyalty_history", "sh_loyalty_point_lines"),
    ("loyalty_card", "sh_loyalty_point_cards"),
    ("res_partner", "sh_loyalty_point_partners"),
)
# Movements by which a member takes part in the program.
ENGAGED_REASONS = ("earn", "redeem")
KEY = "program_id, partner_company_id, partner_share"


def _moved_sql(sign):
    """The points a history line ``line`` moved, times ``sign`` (an SQL
    expression): all of them, those earned and those redeemed."""
    return SQL(
        """
        %(sign)s * (line.issued - line.used)::numeric,
        %(sign)s * (CASE WHEN line.sh_reason = 'earn' THEN line.issued ELSE 0 END)::numeric,
        %(sign)s * (CASE WHEN line.sh_reason = 'redeem' THEN line.used ELSE 0 END)::numeric
        """,
        sign=sign,
    )


def lines_sql(lines, sign):
    """The share in the totals of the points history lines ``lines`` (a
    relation), times ``sign``: one row per line of a member card."""
    return SQL(
        """
        SELECT member.program_id, member.partner_company_id, member.partner_share,
               line.sh_date, 0, %(moved)s
          FROM %(lines)s line
          JOIN sh_loyalty_member member ON member.card_id = line.card_id
        """,
        lines=SQL.identifier(lines),
        moved=_moved_sql(SQL(sign)),
    )


def engaged_sql(days, members, sign):
    """The share in ``sh_loyalty_engaged_total`` of the engaged days
    ``days`` (a statement of card_id, day; a day may repeat) of the cards of
    ``members`` (a relation of card_id and the key, aliased ``member``),
    times ``sign`` (an SQL expression): each card's first and last engaged
    day, and each gap between two engaged days of the card."""
    return SQL(
        """
        SELECT member.program_id, member.partner_company_id, member.partner_share,
               part.kind, part.day, part.next_day, %(sign)s
          FROM (
                SELECT step.card_id, step.day,
                       lead(step.day) OVER card AS next_day,
                       lag(step.day) OVER card AS previous_day
                  FROM (SELECT DISTINCT card_id, day FROM (%(days)s) AS days (card_id, day)
                         WHERE day IS NOT NULL) step
                WINDOW card AS (PARTITION BY step.card_id ORDER BY step.day)
               ) step
          JOIN %(members)s member ON member.card_id = step.card_id
         CROSS JOIN LATERAL (
                VALUES ('first', step.day, NULL::date, step.previous_day IS NULL),
                       ('last', step.day, NULL::date, step.next_day IS NULL),
                       ('gap', step.day, step.next_day, step.next_day IS NOT NULL)
               ) AS part (kind, day, next_day, counts)
         WHERE part.counts
        """,
        days=days,
        members=members,
        sign=sign,
    )


def _engaged_days_sql(cards):
    """The engaged days of the cards of ``cards`` (an SQL condition on
    ``line``): card_id, day of their lines earning or spending points."""
    return SQL(
        "SELECT line.card_id, line.sh_date FROM loyalty_history line"
        " WHERE %s AND line.sh_reason IN %s",
        cards,
        ENGAGED_REASONS,
    )


def summed_engaged_sql(shares):
    """The sums of ``shares`` (rows of a key, a kind, its days and cards) by
    key, kind and days, where not nothing: rows of
    ``sh_loyalty_engaged_total``."""
    return SQL(
        """
        SELECT program_id, partner_company_id, partner_share, kind, day, next_day, SUM(cards)
          FROM (%s) AS share (program_id, partner_company_id, partner_share, kind, day,
                              next_day, cards)
         GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(cards) <> 0
        """,
        shares,
    )


def _insert_engaged_sql(shares):
    """Insert the sums of ``shares`` by key, kind and days
    (``summed_engaged_sql``)."""
    return SQL(
        """
        INSERT INTO sh_loyalty_engaged_total
               (program_id, partner_company_id, partner_share, kind, day, next_day, cards)
        %s
        """,
        summed_engaged_sql(shares),
    )


def wanted_sql(cards):
    """The membership the cards of ``cards`` (an SQL condition on ``card``)
    should have: card_id and the key, for the cards that are members."""
    return SQL(
        """
        SELECT card.id AS card_id, card.program_id,
               partner.company_id AS partner_company_id,
               COALESCE(partner.partner_share, FALSE) AS partner_share
          FROM loyalty_card card
          JOIN res_partner partner ON partner.id = card.partner_id
         WHERE %(cards)s AND card.active AND card.program_id IS NOT NULL AND %(listed)s
        """,
        cards=cards,
        listed=listed_sql("partner"),
    )


def summed_sql(shares):
    """The sums of ``shares`` (rows of a key, a day, members and points) by
    key and day, where not nothing: rows of ``sh_loyalty_point_total``."""
    return SQL(
        """
        SELECT program_id, partner_company_id, partner_share, day,
               SUM(members), SUM(points), SUM(earned), SUM(redeemed)
          FROM (%s) AS share (program_id, partner_company_id, partner_share, day,
                              members, points, earned, redeemed)
         GROUP BY 1, 2, 3, 4
        HAVING SUM(members) <> 0 OR SUM(points) <> 0 OR SUM(earned) <> 0
            OR SUM(redeemed) <> 0
        """,
        shares,
    )


def _insert_sql(shares):
    """Insert the sums of ``shares`` by key and day (``summed_sql``)."""
    return SQL(
        """
        INSERT INTO sh_loyalty_point_total
               (program_id, partner_company_id, partner_share, day,
                members, points, earned, redeemed)
        %s
        """,
        summed_sql(shares),
    )


def _membership_statements(ids):
    """The statements of ``sh_loyalty_point_membership(card_ids)``, for the
    cards ``ids`` (an SQL array): the cards whose membership differs from
    ``sh_loyalty_member`` leave their old key (their count, whole history
    and engaged days taken off) and join their new one."""
    moved = SQL(
        """
        WITH wanted AS (%(wanted)s),
             kept AS (SELECT * FROM sh_loyalty_member WHERE card_id = ANY(%(ids)s))
        SELECT kept.card_id, kept.program_id, kept.partner_company_id, kept.partner_share,
               -1 AS sign
          FROM kept
         WHERE NOT EXISTS (SELECT FROM wanted WHERE %(same)s)
        UNION ALL
        SELECT wanted.card_id, wanted.program_id, wanted.partner_company_id,
               wanted.partner_share, 1
          FROM wanted
         WHERE NOT EXISTS (SELECT FROM kept WHERE %(same)s)
        """,
        wanted=wanted_sql(SQL("card.id = ANY(%s)", ids)),
        ids=ids,
        # The same card, of the same program and key.
        same=SQL(
            """wanted.card_id = kept.card_id AND wanted.program_id = kept.program_id
               AND wanted.partner_company_id IS NOT DISTINCT FROM kept.partner_company_id
               AND wanted.partner_share = kept.partner_share"""
        ),
    )
    shares = SQL(
        """
        WITH moved AS (%(moved)s)
        SELECT moved.program_id, moved.partner_company_id, moved.partner_share,
               NULL::date, moved.sign, 0::numeric, 0::numeric, 0::numeric
          FROM moved
        UNION ALL
        SELECT moved.program_id, moved.partner_company_id, moved.partner_share, line.sh_date, 0,
               %(points)s
          FROM moved
          JOIN loyalty_history line ON line.card_id = moved.card_id
        """,
        moved=moved,
        points=_moved_sql(SQL("moved.sign")),
    )
    engaged = SQL(
        "WITH moved AS (%s) %s",
        moved,
        _insert_engaged_sql(
            engaged_sql(
                _engaged_days_sql(SQL("line.card_id IN (SELECT card_id FROM moved)")),
                SQL("moved"),
                SQL("member.sign"),
            )
        ),
    )
    wanted = wanted_sql(SQL("card.id = ANY(%s)", ids))
    return [
        _insert_sql(shares),
        engaged,
        SQL(
            """
            DELETE FROM sh_loyalty_member member
             WHERE member.card_id = ANY(%(ids)s)
               AND NOT EXISTS (SELECT FROM (%(wanted)s) wanted
                                WHERE wanted.card_id = member.card_id)
            """,
            ids=ids,
            wanted=wanted,
        ),
        SQL(
            """
            INSERT INTO sh_loyalty_member (card_id, %(key)s)
            %(wanted)s
            ON CONFLICT (card_id) DO UPDATE
               SET program_id = EXCLUDED.program_id,
                   partner_company_id = EXCLUDED.partner_company_id,
                   partner_share = EXCLUDED.partner_share
             WHERE (sh_loyalty_member.program_id, sh_loyalty_member.partner_company_id,
                    sh_loyalty_member.partner_share)
                   IS DISTINCT FROM (EXCLUDED.program_id, EXCLUDED.partner_company_id,
                                     EXCLUDED.partner_share)
            """,
            key=SQL(KEY),
            wanted=wanted,
        ),
    ]


def _membership_sql(cr):
    """The body of ``sh_loyalty_point_membership(card_ids)``: its
    statements, planned for the cards given when they are many."""
    count = len(_membership_statements(SQL("card_ids")))
    statements = [
        planned(cr, lambda ids, index=index: _membership_statements(ids)[index])
        for index in range(count)
    ]
    return SQL(
        """
        DECLARE
            many boolean := cardinality(card_ids) > %s;
        BEGIN
            %s
        END
        """,
        PLANNED_FROM,
        SQL("\n").join(statements),
    )


def _changed_cards_sql(table, transition):
    """The ids of the cards whose membership the statement on ``table`` may
    have changed, from its transition tables: ``new_rows``, the cards it
    made; ``both``, the cards whose customer, program or active flag it
    changed, or the cards of the customers whose listing, company or sharing
    it changed."""
    if transition == "new_rows":
        return SQL("SELECT array_agg(row.id) FROM new_rows row")
    if table == "loyalty_card":
        return SQL(
            """
            SELECT array_agg(now_row.id)
              FROM new_rows now_row JOIN old_rows was_row ON was_row.id = now_row.id
             WHERE (now_row.partner_id, now_row.program_id, now_row.active)
                   IS DISTINCT FROM (was_row.partner_id, was_row.program_id, was_row.active)
            """
        )
    return SQL(
        """
        SELECT array_agg(card.id)
          FROM new_rows now_row
          JOIN old_rows was_row ON was_row.id = now_row.id
          JOIN loyalty_card card ON card.partner_id = now_row.id
         WHERE (%(listed_now)s, now_row.company_id, COALESCE(now_row.partner_share, FALSE))
               IS DISTINCT FROM (%(listed_was)s, was_row.company_id,
                                COALESCE(was_row.partner_share, FALSE))
        """,
        listed_now=listed_sql("now_row"),
        listed_was=listed_sql("was_row"),
    )


def _engaged_change_sql(op, ids):
    """The change a statement ``op`` of ``loyalty_history`` makes to the
    engaged days of the cards ``ids`` (an SQL array): their share with the
    history as it was (its new rows out, its old rows in) taken off, their
    share with the history as it is added."""
    cards = SQL("line.card_id = ANY(%s)", ids)
    if op == "DELETE":
        was = [_engaged_days_sql(cards)]
    else:
        was = [
            _engaged_days_sql(
                SQL(
                    "%s AND NOT EXISTS (SELECT FROM new_rows new_line WHERE new_line.id = line.id)",
                    cards,
                )
            )
        ]
    if op != "INSERT":
        was.append(
            SQL(
                "SELECT line.card_id, line.sh_date FROM old_rows line"
                " WHERE %s AND line.sh_reason IN %s",
                cards,
                ENGAGED_REASONS,
            )
        )
    members = SQL("sh_loyalty_member")
    return _insert_engaged_sql(
        SQL(
            "%s UNION ALL %s",
            engaged_sql(SQL(" UNION ALL ").join(was), members, SQL("-1")),
            engaged_sql(_engaged_days_sql(cards), members, SQL("1")),
        )
    )


def _engaged_cards_sql(op):
    """The ids of the cards whose engaged days a statement ``op`` of
    ``loyalty_history`` may have changed."""
    if op == "UPDATE":
        return SQL(
            """
            SELECT array_agg(DISTINCT card_id) FROM (
                SELECT unnest(ARRAY[now_row.card_id, was_row.card_id]) AS card_id
                  FROM new_rows now_row JOIN old_rows was_row ON was_row.id = now_row.id
                 WHERE (now_row.card_id, now_row.sh_reason, now_row.sh_date)
                       IS DISTINCT FROM (was_row.card_id, was_row.sh_reason, was_row.sh_date)
                   AND (now_row.sh_reason IN %(engaged)s OR was_row.sh_reason IN %(engaged)s)
            ) changed
            """,
            engaged=ENGAGED_REASONS,
        )
    return SQL(
        "SELECT array_agg(DISTINCT card_id) FROM %s WHERE sh_reason IN %s",
        SQL("new_rows" if op == "INSERT" else "old_rows"),
        ENGAGED_REASONS,
    )


def _lines_function_sql(cr):
    """The trigger function of ``loyalty_history``: its statement's new
    lines of member cards minus its old ones, and the engaged days of the
    cards whose engaging lines it changed; the rows of deleted cards leave
    ``sh_loyalty_member`` with their history."""

    def engaged(op):
        return SQL(
            """
            %(cards)s
            IF card_ids IS NOT NULL THEN
                many := many OR cardinality(card_ids) > %(planned_from)s;
                %(change)s
            END IF;
            """,
            cards=planned(cr, lambda ids: _engaged_cards_sql(op), into="card_ids"),
            planned_from=PLANNED_FROM,
            change=planned(cr, lambda ids: _engaged_change_sql(op, ids)),
        )

    def points(shares):
        return planned(cr, lambda ids: _insert_sql(shares))

    body = SQL(
        """
        IF TG_OP = 'INSERT' THEN
            %(insert)s
            %(insert_engaged)s
        ELSIF TG_OP = 'DELETE' THEN
            %(delete)s
            %(delete_engaged)s
            %(delete_members)s
        ELSE
            -- An update of none of the columns the totals read changes
            -- nothing (checked for small statements: the join is planned
            -- once for the session).
            IF NOT many THEN
                IF NOT EXISTS (%(changed)s) THEN
                    RETURN NULL;
                END IF;
            END IF;
            %(update)s
            %(update_engaged)s
        END IF;
        """,
        changed=SQL(
            """
            SELECT FROM new_rows now_row JOIN old_rows was_row ON was_row.id = now_row.id
             WHERE (now_row.card_id, now_row.issued, now_row.used, now_row.sh_reason,
                    now_row.sh_date)
                   IS DISTINCT FROM (was_row.card_id, was_row.issued, was_row.used,
                                     was_row.sh_reason, was_row.sh_date)
            """
        ),
        insert=points(lines_sql("new_rows", "1")),
        insert_engaged=engaged("INSERT"),
        delete=points(lines_sql("old_rows", "-1")),
        delete_engaged=engaged("DELETE"),
        delete_members=planned(
            cr,
            lambda ids: SQL(
                """
                DELETE FROM sh_loyalty_member member
                 WHERE member.card_id IN (SELECT card_id FROM old_rows)
                   AND NOT EXISTS (SELECT FROM loyalty_card card WHERE card.id = member.card_id)
                """
            ),
        ),
        update=points(
            SQL("%s UNION ALL %s", lines_sql("old_rows", "-1"), lines_sql("new_rows", "1"))
        ),
        update_engaged=engaged("UPDATE"),
    )
    return trigger_body(body, SQL("card_ids integer[];"))


def _membership_trigger_sql(cr, table):
    """The trigger function of ``table`` (cards or partners): compare the
    membership of the cards its statement may have changed.

    A deleted card's history is deleted by the foreign key's cascade, whose
    own statement trigger runs after this one: the card only leaves the
    members' count here, and its row in ``sh_loyalty_member`` stays for the
    history's trigger to take its lines off the totals (and the row away)."""

    def cards(transition):
        return planned(cr, lambda ids: _changed_cards_sql(table, transition), into="card_ids")

    if table == "res_partner":
        # A new partner holds no card yet; a deleted one's cards lose it by
        # the foreign key, an update of the cards.
        changes = cards("both")
    else:
        deleted = _insert_sql(
            SQL(
                """
                SELECT member.program_id, member.partner_company_id, member.partner_share,
                       NULL::date, -COUNT(*), 0::numeric, 0::numeric, 0::numeric
                  FROM old_rows JOIN sh_loyalty_member member ON member.card_id = old_rows.id
                 GROUP BY 1, 2, 3
                """
            )
        )
        changes = SQL(
            """
            IF TG_OP = 'INSERT' THEN
                %(inserted)s
            ELSIF TG_OP = 'DELETE' THEN
                %(deleted)s
                RETURN NULL;
            ELSE
                %(updated)s
            END IF;
            """,
            inserted=cards("new_rows"),
            deleted=planned(cr, lambda ids: deleted),
            updated=cards("both"),
        )
    return trigger_body(
        SQL(
            """
            %s
            IF card_ids IS NOT NULL THEN
                PERFORM sh_loyalty_point_membership(card_ids);
            END IF;
            """,
            changes,
        ),
        SQL("card_ids integer[];"),
    )


def _events(table):
    """The statements of ``table`` its triggers follow, and the transition
    tables of each (PostgreSQL gives a trigger with transition tables one
    event only, and no column list: the functions compare the rows)."""
    events = [("update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows")]
    if table != "res_partner":
        events += [
            ("insert", "INSERT", "NEW TABLE AS new_rows"),
            ("delete", "DELETE", "OLD TABLE AS old_rows"),
        ]
    return events


def ensure(cr):
    """Make the tables (filled when new), and the trigger functions and
    triggers, replaced with the current ones (at every installation and
    update of the addon)."""
    cr.execute(SQL("SELECT to_regclass(%s) IS NULL OR to_regclass(%s) IS NULL", TOTALS, ENGAGED))
    fill = cr.fetchone()[0]
    functions = {
        "sh_loyalty_point_lines": _lines_function_sql(cr),
        "sh_loyalty_point_cards": _membership_trigger_sql(cr, "loyalty_card"),
        "sh_loyalty_point_partners": _membership_trigger_sql(cr, "res_partner"),
    }
    membership = _membership_sql(cr)
    cr.execute(
        SQL(
            """
            CREATE TABLE IF NOT EXISTS sh_loyalty_member (
                card_id integer PRIMARY KEY,
                program_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sh_loyalty_member_program_index
                ON sh_loyalty_member (program_id);
            CREATE TABLE IF NOT EXISTS sh_loyalty_point_total (
                program_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL,
                day date,
                members integer NOT NULL,
                points numeric NOT NULL,
                earned numeric NOT NULL,
                redeemed numeric NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sh_loyalty_point_total_program_index
                ON sh_loyalty_point_total (program_id, day);
            CREATE TABLE IF NOT EXISTS sh_loyalty_engaged_total (
                program_id integer NOT NULL,
                partner_company_id integer,
                partner_share boolean NOT NULL,
                kind varchar NOT NULL,
                day date NOT NULL,
                next_day date,
                cards integer NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sh_loyalty_engaged_total_day_index
                ON sh_loyalty_engaged_total (program_id, kind, day);
            CREATE INDEX IF NOT EXISTS sh_loyalty_engaged_total_gap_index
                ON sh_loyalty_engaged_total USING gist (daterange(day, next_day, '()'))
             WHERE kind = 'gap';
            CREATE INDEX IF NOT EXISTS sh_loyalty_history_card_index
                ON loyalty_history (card_id, sh_date);
            CREATE OR REPLACE FUNCTION sh_loyalty_point_membership(card_ids integer[])
            RETURNS void LANGUAGE plpgsql AS %(membership)s;
            """,
            # A function's body takes no parameters: they are written in.
            membership=cr.mogrify(membership.code, membership.params).decode(),
        )
    )
    for table, function in TRIGGERS:
        body = functions[function]
        cr.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS %s",
                SQL.identifier(function),
                cr.mogrify(body.code, body.params).decode(),
            )
        )
        for name, event, transition in _events(table):
            cr.execute(
                SQL(
                    """
                    DROP TRIGGER IF EXISTS %(trigger)s ON %(table)s;
                    CREATE TRIGGER %(trigger)s
                        AFTER %(event)s ON %(table)s
                        REFERENCING %(transition)s
                        FOR EACH STATEMENT EXECUTE FUNCTION %(function)s();
                    """,
                    trigger=SQL.identifier(f"{function}_{name}"),
                    table=SQL.identifier(table),
                    event=SQL(event),
                    transition=SQL(transition),
                    function=SQL.identifier(function),
                )
            )
    if fill:
        rebuild(cr, members=True)


def rebuild(cr, members=False):
    """Count the members' points and engaged days again from
    ``sh_loyalty_member`` and the history, which also folds the rows of
    changes (those other transactions add meanwhile stay: they are not in
    this count). ``members``: find the members again from the cards and
    customers first (when the tables are new); otherwise only the rows of
    deleted cards that had no history to take theirs away go."""
    cr.execute(SQL("DELETE FROM sh_loyalty_point_total; DELETE FROM sh_loyalty_engaged_total"))
    if members:
        cr.execute(
            SQL(
                "DELETE FROM sh_loyalty_member; INSERT INTO sh_loyalty_member (card_id, %s) %s",
                SQL(KEY),
                wanted_sql(SQL("TRUE")),
            )
        )
    else:
        cr.execute(
            SQL(
                """
                DELETE FROM sh_loyalty_member member
                 WHERE NOT EXISTS (SELECT FROM loyalty_card card WHERE card.id = member.card_id)
                """
            )
        )
    cr.execute(
        _insert_sql(
            SQL(
                """
                SELECT %(key)s, NULL::date, COUNT(*), 0::numeric, 0::numeric, 0::numeric
                  FROM sh_loyalty_member GROUP BY 1, 2, 3
                UNION ALL %(lines)s
                """,
                key=SQL(KEY),
                lines=lines_sql("loyalty_history", "1"),
            )
        )
    )
    cr.execute(
        _insert_engaged_sql(
            engaged_sql(_engaged_days_sql(SQL("TRUE")), SQL("sh_loyalty_member"), SQL("1"))
        )
    )


def drop(cr):
    """Remove the tables, the triggers and their functions (at uninstall:
    the triggers read columns the uninstall drops)."""
    for table, function in TRIGGERS:
        for name, _event, _transition in _events(table):
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s",
                    SQL.identifier(f"{function}_{name}"),
                    SQL.identifier(table),
                )
            )
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(function)))
    cr.execute(
        SQL(
            """
            DROP FUNCTION IF EXISTS sh_loyalty_point_membership(integer[]) CASCADE;
            DROP INDEX IF EXISTS sh_loyalty_history_card_index;
            DROP TABLE IF EXISTS sh_loyalty_point_total;
            DROP TABLE IF EXISTS sh_loyalty_engaged_total;
            DROP TABLE IF EXISTS sh_loyalty_member;
            """
        )
    )


def point_figures(env, program, periods):
    """The members of ``program`` the user sees, and for each period of
    ``periods`` (a dict of name: (date_from, date_to)): the open points at
    its end, the points earned and redeemed in it, and the members engaged
    in it (who earned or spent points), each counted once."""
    env["loyalty.history"].flush_model(["card_id", "issued", "used", "sh_reason", "sh_date"])
    env["loyalty.card"].flush_model(["partner_id", "program_id", "active"])
    env["res.partner"].flush_model(
        ["active", "customer_rank", "is_company", "parent_id", "company_id", "partner_share"]
    )
    visible = visible_sql(env, "total")
    columns = [SQL("COALESCE(SUM(total.members), 0)::int AS members")]
    for name, (date_from, date_to) in periods.items():
        columns += [
            SQL(
                "COALESCE(SUM(total.points) FILTER (WHERE total.day <= %s), 0)::float AS %s",
                date_to,
                SQL.identifier(f"{name}_open_points"),
            ),
            SQL(
                "COALESCE(SUM(total.earned) FILTER (WHERE total.day BETWEEN %s AND %s), 0)::float"
                " AS %s",
                date_from,
                date_to,
                SQL.identifier(f"{name}_issued"),
            ),
            SQL(
                "COALESCE(SUM(total.redeemed) FILTER (WHERE total.day BETWEEN %s AND %s),"
                " 0)::float AS %s",
                date_from,
                date_to,
                SQL.identifier(f"{name}_redeemed"),
            ),
        ]
    [figures] = env.execute_query_dict(
        SQL(
            "SELECT %s FROM sh_loyalty_point_total total WHERE total.program_id = %s AND %s",
            SQL(", ").join(columns),
            program.id,
            visible,
        )
    )
    for name, (date_from, date_to) in periods.items():
        figures[f"{name}_engaged"] = engaged_count(env, program, date_from, date_to)
    return figures


def engaged_count(env, program, date_from, date_to):
    """The members of ``program`` the user sees who earned or spent points
    between ``date_from`` and ``date_to``, each counted once: those whose
    first engaged day is not after the period, less those whose last one is
    before it, less those with a gap between two engaged days around it."""
    [[count]] = env.execute_query(
        SQL(
            """
            SELECT COALESCE((SELECT SUM(total.cards) FROM sh_loyalty_engaged_total total
                              WHERE total.program_id = %(program)s AND total.kind = 'first'
                                AND total.day <= %(date_to)s AND %(visible)s), 0)
                 - COALESCE((SELECT SUM(total.cards) FROM sh_loyalty_engaged_total total
                              WHERE total.program_id = %(program)s AND total.kind = 'last'
                                AND total.day < %(date_from)s AND %(visible)s), 0)
                 - COALESCE((SELECT SUM(total.cards) FROM sh_loyalty_engaged_total total
                              WHERE total.kind = 'gap'
                                AND daterange(total.day, total.next_day, '()')
                                    @> daterange(%(date_from)s, %(date_to)s, '[]')
                                AND total.program_id = %(program)s AND %(visible)s), 0)
            """,
            program=program.id,
            date_from=date_from,
            date_to=date_to,
            visible=visible_sql(env, "total"),
        )
    )
    return int(count)
