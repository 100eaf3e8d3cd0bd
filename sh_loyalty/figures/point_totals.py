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

Engaged members, each counted once over a period, cannot be summed from
days: the dashboard counts them from the period's movements of the members
(``engaged_sql``).
"""

from odoo.tools import SQL

from odoo.addons.sh_customers.figures.totals import listed_sql, visible_sql

MEMBERS = "sh_loyalty_member"
TOTALS = "sh_loyalty_point_total"
# The tables the triggers follow, and their trigger functions.
TRIGGERS = (
    ("loyalty_history", "sh_loyalty_point_lines"),
    ("loyalty_card", "sh_loyalty_point_cards"),
    ("res_partner", "sh_loyalty_point_partners"),
)
# The function comparing cards' membership with the members table.
MEMBERSHIP_FUNCTION = "sh_loyalty_point_membership"
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


def _insert_sql(shares):
    """Insert the sums of ``shares`` (rows of a key, a day, members and
    points) by key and day, where not nothing."""
    return SQL(
        """
        INSERT INTO sh_loyalty_point_total
               (program_id, partner_company_id, partner_share, day,
                members, points, earned, redeemed)
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


def _membership_sql():
    """The body of ``sh_loyalty_point_membership(card_ids)``: the cards
    whose membership differs from ``sh_loyalty_member`` leave their old key
    (their count and whole history taken off) and join their new one."""
    moved = SQL(
        """
        WITH wanted AS (%(wanted)s),
             kept AS (SELECT * FROM sh_loyalty_member WHERE card_id = ANY(card_ids))
        SELECT kept.card_id, kept.program_id, kept.partner_company_id, kept.partner_share,
               -1 AS sign
          FROM kept
         WHERE NOT EXISTS (SELECT FROM wanted
                            WHERE wanted.card_id = kept.card_id
                              AND wanted.program_id = kept.program_id
                              AND wanted.partner_company_id IS NOT DISTINCT FROM
                                  kept.partner_company_id
                              AND wanted.partner_share = kept.partner_share)
        UNION ALL
        SELECT wanted.card_id, wanted.program_id, wanted.partner_company_id,
               wanted.partner_share, 1
          FROM wanted
         WHERE NOT EXISTS (SELECT FROM kept
                            WHERE kept.card_id = wanted.card_id
                              AND kept.program_id = wanted.program_id
                              AND kept.partner_company_id IS NOT DISTINCT FROM
                                  wanted.partner_company_id
                              AND kept.partner_share = wanted.partner_share)
        """,
        wanted=wanted_sql(SQL("card.id = ANY(card_ids)")),
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
    return SQL(
        """
        BEGIN
            %(totals)s;
            DELETE FROM sh_loyalty_member member
             WHERE member.card_id = ANY(card_ids)
               AND NOT EXISTS (SELECT FROM (%(wanted)s) wanted
                                WHERE wanted.card_id = member.card_id);
            INSERT INTO sh_loyalty_member (card_id, %(key)s)
            %(wanted)s
            ON CONFLICT (card_id) DO UPDATE
               SET program_id = EXCLUDED.program_id,
                   partner_company_id = EXCLUDED.partner_company_id,
                   partner_share = EXCLUDED.partner_share
             WHERE (sh_loyalty_member.program_id, sh_loyalty_member.partner_company_id,
                    sh_loyalty_member.partner_share)
                   IS DISTINCT FROM (EXCLUDED.program_id, EXCLUDED.partner_company_id,
                                     EXCLUDED.partner_share);
        END
        """,
        totals=_insert_sql(shares),
        wanted=wanted_sql(SQL("card.id = ANY(card_ids)")),
        key=SQL(KEY),
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


# Rows of a statement from which the trigger plans its statement for them
# (PL/pgSQL keeps the plan a statement got at its first run in the session;
# see ``tier_totals``).
PLANNED_FROM = 100


def _lines_function_sql(cr):
    """The trigger function of ``loyalty_history``: its statement's new
    lines of member cards minus its old ones; the rows of deleted cards
    leave ``sh_loyalty_member`` with their history."""

    def planned(rows, statement):
        return SQL(
            """
            IF (SELECT COUNT(*) FROM %(rows)s) > %(planned_from)s THEN
                EXECUTE %(text)s;
            ELSE
                %(statement)s;
            END IF;
            """,
            rows=SQL.identifier(rows),
            planned_from=PLANNED_FROM,
            text=cr.mogrify(statement.code, statement.params).decode(),
            statement=statement,
        )

    return SQL(
        """
        BEGIN
            IF TG_OP = 'INSERT' THEN
                %(insert)s
            ELSIF TG_OP = 'DELETE' THEN
                %(delete)s
            ELSE
                %(update)s
            END IF;
            RETURN NULL;
        END
        """,
        insert=planned("new_rows", _insert_sql(lines_sql("new_rows", "1"))),
        delete=SQL(
            """
            %s
            DELETE FROM sh_loyalty_member member
             WHERE member.card_id IN (SELECT card_id FROM old_rows)
               AND NOT EXISTS (SELECT FROM loyalty_card card WHERE card.id = member.card_id);
            """,
            planned("old_rows", _insert_sql(lines_sql("old_rows", "-1"))),
        ),
        update=planned(
            "new_rows",
            _insert_sql(
                SQL("%s UNION ALL %s", lines_sql("old_rows", "-1"), lines_sql("new_rows", "1"))
            ),
        ),
    )


def _membership_trigger_sql(table):
    """The trigger function of ``table`` (cards or partners): compare the
    membership of the cards its statement may have changed.

    A deleted card's history is deleted by the foreign key's cascade, whose
    own statement trigger runs after this one: the card only leaves the
    members' count here, and its row in ``sh_loyalty_member`` stays for the
    history's trigger to take its lines off the totals (and the row away)."""
    if table == "res_partner":
        # A new partner holds no card yet; a deleted one's cards lose it by
        # the foreign key, an update of the cards.
        changes = SQL("card_ids := (%s);", _changed_cards_sql(table, "both"))
    else:
        changes = SQL(
            """
            IF TG_OP = 'INSERT' THEN
                card_ids := (%(inserted)s);
            ELSIF TG_OP = 'DELETE' THEN
                %(deleted)s;
                RETURN NULL;
            ELSE
                card_ids := (%(updated)s);
            END IF;
            """,
            inserted=_changed_cards_sql(table, "new_rows"),
            deleted=_insert_sql(
                SQL(
                    """
                    SELECT member.program_id, member.partner_company_id, member.partner_share,
                           NULL::date, -COUNT(*), 0::numeric, 0::numeric, 0::numeric
                      FROM old_rows JOIN sh_loyalty_member member ON member.card_id = old_rows.id
                     GROUP BY 1, 2, 3
                    """
                )
            ),
            updated=_changed_cards_sql(table, "both"),
        )
    return SQL(
        """
        DECLARE
            card_ids integer[];
        BEGIN
            %s
            IF card_ids IS NOT NULL THEN
                PERFORM sh_loyalty_point_membership(card_ids);
            END IF;
            RETURN NULL;
        END
        """,
        changes,
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
    cr.execute(SQL("SELECT to_regclass(%s)", TOTALS))
    fill = cr.fetchone()[0] is None
    functions = {
        "sh_loyalty_point_lines": _lines_function_sql(cr),
        "sh_loyalty_point_cards": _membership_trigger_sql("loyalty_card"),
        "sh_loyalty_point_partners": _membership_trigger_sql("res_partner"),
    }
    membership = _membership_sql()
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
            CREATE INDEX IF NOT EXISTS sh_loyalty_history_engaged_index
                ON loyalty_history (sh_date, card_id)
             WHERE sh_reason IN ('earn', 'redeem');
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
        rebuild(cr)


def rebuild(cr):
    """Find the members and count their points again from the cards,
    customers and history (the rows of changes other transactions add
    meanwhile stay: they are not in this count)."""
    cr.execute(SQL("DELETE FROM sh_loyalty_point_total; DELETE FROM sh_loyalty_member"))
    cr.execute(
        SQL(
            "INSERT INTO sh_loyalty_member (card_id, %s) %s",
            SQL(KEY),
            wanted_sql(SQL("TRUE")),
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
            DROP INDEX IF EXISTS sh_loyalty_history_engaged_index;
            DROP TABLE IF EXISTS sh_loyalty_point_total;
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
    [engaged] = env.execute_query_dict(engaged_sql(env, program, periods))
    figures.update(engaged)
    return figures


def engaged_sql(env, program, periods):
    """The members of ``program`` the user sees who earned or spent points
    in each period of ``periods``, each counted once: from the periods'
    movements of the members, not every member's history."""
    starts = [date_from for date_from, _date_to in periods.values()]
    ends = [date_to for _date_from, date_to in periods.values()]
    return SQL(
        """
        SELECT %(counts)s
          FROM loyalty_history line
          JOIN sh_loyalty_member total ON total.card_id = line.card_id
         WHERE line.sh_reason IN %(engaged)s AND line.sh_date BETWEEN %(start)s AND %(end)s
           AND total.program_id = %(program)s AND %(visible)s
        """,
        counts=SQL(", ").join(
            SQL(
                "COUNT(DISTINCT line.card_id) FILTER (WHERE line.sh_date BETWEEN %s AND %s)::int"
                " AS %s",
                date_from,
                date_to,
                SQL.identifier(f"{name}_engaged"),
            )
            for name, (date_from, date_to) in periods.items()
        ),
        engaged=ENGAGED_REASONS,
        start=min(starts),
        end=max(ends),
        program=program.id,
        visible=visible_sql(env, "total"),
    )
