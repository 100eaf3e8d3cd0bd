"""Measure what the loyalty points' triggers cost (see README.md, "Members and
points kept by PostgreSQL").

    /opt/odoo18/venv/bin/python bench/loyalty_triggers.py --db bench_100k [--repeat 3] [--posts 20]

On a database with sh_loyalty installed and its customers enrolled, in one
session, each measure alternately with the triggers of
``sh_loyalty/figures/point_totals.py`` and with them disabled
(``ALTER TABLE ... DISABLE TRIGGER`` inside the transaction):

- statements as the product's flows write them: every partner's tier
  written again, 1,000 customers archived, one customer archived, one
  earning line inserted, every member's points expired in one statement;
- posting invoices one at a time and registering their payments, as
  ``bench/run.py`` does (``bench_posting``): the posting, the parent
  ``_post`` alone, our hook inside it.

Everything is rolled back. Measurements, not tests: each is repeated and its
median printed.
"""

import time

from common import arguments, median_ms, open_registry, print_measures
from run import bench_posting

import odoo
from odoo.tools import SQL

TRIGGERS = (
    ("loyalty_history", "sh_loyalty_point_lines_insert"),
    ("loyalty_history", "sh_loyalty_point_lines_update"),
    ("loyalty_history", "sh_loyalty_point_lines_delete"),
    ("loyalty_card", "sh_loyalty_point_cards_insert"),
    ("loyalty_card", "sh_loyalty_point_cards_update"),
    ("loyalty_card", "sh_loyalty_point_cards_delete"),
    ("res_partner", "sh_loyalty_point_partners_update"),
)
MEMBERS = "SELECT partner_id FROM loyalty_card WHERE partner_id IS NOT NULL ORDER BY id"
STATEMENTS = (
    (
        "every partner's tier written again (the tier review's UPDATE)",
        (
            "UPDATE res_partner SET sh_loyalty_tier_id = sh_loyalty_tier_id"
            " WHERE sh_loyalty_tier_id IS NOT NULL"
        ),
    ),
    (
        "1,000 customers archived in one statement",
        f"UPDATE res_partner SET active = FALSE WHERE id IN ({MEMBERS} LIMIT 1000)",
    ),
    (
        "one customer archived",
        f"UPDATE res_partner SET active = FALSE WHERE id = ({MEMBERS} DESC LIMIT 1)",
    ),
    (
        "one earning line inserted",
        (
            "INSERT INTO loyalty_history (card_id, issued, used, sh_reason, sh_date, description)"
            " SELECT id, 10, 0, 'earn', CURRENT_DATE, 'bench' FROM loyalty_card"
            " ORDER BY id DESC LIMIT 1"
        ),
    ),
    (
        "every member's points expired in one statement",
        (
            "INSERT INTO loyalty_history (card_id, issued, used, sh_reason, sh_date, description)"
            " SELECT id, 0, 1, 'expire', CURRENT_DATE, 'bench' FROM loyalty_card"
        ),
    ),
)


def switch(cr, enabled):
    for table, trigger in TRIGGERS:
        cr.execute(
            SQL(
                "ALTER TABLE %s %s TRIGGER %s",
                SQL.identifier(table),
                SQL("ENABLE" if enabled else "DISABLE"),
                SQL.identifier(trigger),
            )
        )


def main():
    parser = arguments(__doc__, repeat=3)
    parser.add_argument("--posts", type=int, default=20, help="invoices posted per variant")
    args = parser.parse_args()
    registry = open_registry(args.db)
    samples = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        for _index in range(args.repeat):
            for enabled in (True, False):
                suffix = "with the triggers" if enabled else "without"
                for label, statement in STATEMENTS:
                    cr.execute("SAVEPOINT statement")
                    switch(cr, enabled)
                    start = time.perf_counter()
                    cr.execute(statement)
                    elapsed = time.perf_counter() - start
                    cr.execute("ROLLBACK TO SAVEPOINT statement")
                    samples.setdefault(f"{label}, {suffix}", []).append(elapsed)
                cr.execute("SAVEPOINT posting")
                switch(cr, enabled)
                posted, parent, hook, payment, _payment_hook = bench_posting(env, args.posts)
                cr.execute("ROLLBACK TO SAVEPOINT posting")
                env.invalidate_all()
                for label, values in (
                    ("post 1 invoice", posted),
                    ("post 1 invoice, parent _post only", parent),
                    ("our hook inside posting", hook),
                    ("register 1 payment", payment),
                ):
                    samples.setdefault(f"{label}, {suffix}", []).extend(values)
        cr.rollback()
    print()
    print_measures(sorted(samples.items()))
    for label, _statement in STATEMENTS:
        with_ms = median_ms(samples[f"{label}, with the triggers"])
        without_ms = median_ms(samples[f"{label}, without"])
        print(f"{label}: {with_ms:.1f} ms with the triggers, {without_ms:.1f} ms without")


if __name__ == "__main__":
    main()
