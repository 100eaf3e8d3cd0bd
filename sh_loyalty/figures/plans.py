"""Statements of the loyalty figures' triggers planned for the size of the
statement that fired them.

PL/pgSQL keeps the plan a statement got at its first run in the session,
and a statement on a transition table has no parameters to plan again for.
Planned for a statement of one row, joining two transition tables of
100,000 rows compares every row with every other; planned for 100,000, each
later one-row statement pays for the room it made (40 ms a partner, measured
on the customers per tier). A large statement's triggers run theirs with a
plan of their own (``EXECUTE``).
"""

from odoo.tools import SQL

from odoo.addons.sh_customers.figures.totals import PLANNED_FROM


def planned(cr, build, into=None):
    """PL/pgSQL running the statement ``build(ids)`` (``ids``: the SQL of
    the array variable ``card_ids``), or assigning its value to ``into``,
    with a plan of its own when the trigger's statement is large (the
    variable ``many`` of ``trigger_body``)."""
    static = build(SQL("card_ids"))
    dynamic = build(SQL("$1"))
    text = cr.mogrify(dynamic.code, dynamic.params).decode()
    using = SQL(" USING card_ids") if "$1" in text else SQL()
    if into:
        return SQL(
            """
            IF many THEN
                EXECUTE %(text)s INTO %(into)s%(using)s;
            ELSE
                %(into)s := (%(static)s);
            END IF;
            """,
            text=text,
            into=SQL(into),
            using=using,
            static=static,
        )
    return SQL(
        """
        IF many THEN
            EXECUTE %(text)s%(using)s;
        ELSE
            %(static)s;
        END IF;
        """,
        text=text,
        using=using,
        static=static,
    )


def trigger_body(body, variables=None):
    """A statement trigger function's body ``body``, with ``variables`` (SQL
    declarations) and ``many``: whether its statement has more rows than
    ``PLANNED_FROM`` (its new rows, or its old ones for a deletion)."""
    return SQL(
        """
        DECLARE
            %(variables)s
            many boolean;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                many := (SELECT COUNT(*) FROM old_rows) > %(planned_from)s;
            ELSE
                many := (SELECT COUNT(*) FROM new_rows) > %(planned_from)s;
            END IF;
            %(body)s
            RETURN NULL;
        END
        """,
        variables=variables or SQL(),
        planned_from=PLANNED_FROM,
        body=body,
    )
