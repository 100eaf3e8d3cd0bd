"""Measure the loyalty points on the benchmark data (see README.md, "Loyalty").

    /opt/odoo18/venv/bin/python bench/loyalty.py [--dump bench/data/bench.dump]
        [--db bench_sh_loyalty] [--reuse] [--repeat 5] [--posts 40]

Restores the benchmark dump into its own database, installs sh_loyalty there
and makes every customer a member of the main company's customers' program,
with the ledger and the points lots of their past invoices and credit notes
(set-based, a few statements). Then measures, in one run:

- the extra time earning adds to posting one invoice: invoices posted one at
  a time, alternately through sh_loyalty's override of ``_post`` and straight
  through the implementation below it (sh_customers' hook included in both);
- the daily expiry plus tier review over all members, against the floor of
  one SQL statement computing every member's expiring points and rolling
  12-month net sales.

Measurements, not tests: each is repeated and its median printed. Posted
invoices and daily runs are rolled back, so every sample starts from the same
state.
"""

import json
import os
import platform
import random
import subprocess
import time
from datetime import timedelta

from common import (  # bench/common.py, beside this script
    ADDONS_PATH,
    DATA,
    ODOO_HOME,
    arguments,
    draft_invoices,
    median_ms,
    method_timer,
    open_registry,
    results_path,
)
from dateutil.relativedelta import relativedelta

import odoo
from odoo import fields
from odoo.tools import SQL

ODOO_BIN = ODOO_HOME / "src" / "odoo-bin"
PYTHON = ODOO_HOME / "venv" / "bin" / "python"
RESULTS = results_path("loyalty_results.json")
TARGET_POST_MS = 10.0
TARGET_DAILY_RATIO = 5.0


def restore(dump, db):
    """A fresh database from the dump, with sh_loyalty installed."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    subprocess.run(["createdb", db], check=True)
    subprocess.run(["pg_restore", "--no-owner", "-j", "4", "-d", db, str(dump)], check=True)
    subprocess.run(
        [
            str(PYTHON),
            str(ODOO_BIN),
            f"--addons-path={ADDONS_PATH}",
            "-d",
            db,
            "-i",
            "sh_loyalty",
            "--stop-after-init",
            "--log-level=warn",
            "--http-port=0",
            "--max-cron-threads=0",
        ],
        check=True,
    )
    subprocess.run(["psql", "-q", "-d", db, "-c", "VACUUM ANALYZE"], check=True)


def enrol(env, program):
    """Every customer of the program's company becomes a member, with the
    ledger and the lots of their posted invoices and credit notes: one
    statement each for the cards, the invoices' rate, the history, the lots
    and the balances. Credit notes take from their invoice's lot; the daily
    run then expires what is past and sets the tiers."""
    params = {
        "program": program.id,
        "company": program.company_id.id,
        "rate": program.sh_points_per_unit,
        "months": program.sh_validity_months,
        "bronze": program._sh_tier_for_value(0.0).id,
        "today": fields.Date.context_today(program),
    }

    def run(query):
        env.cr.execute(SQL(query, **params))

    run(
        """
        INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active,
                                  sh_tier_id, sh_tier_since, sh_points_owed,
                                  create_uid, create_date, write_uid, write_date)
        SELECT %(program)s, %(company)s, p.id,
               '044' || substr(md5(p.id::text || clock_timestamp()::text), 1, 13),
               0, TRUE, %(bronze)s, %(today)s, 0, 1, NOW(), 1, NOW()
          FROM res_partner p
         WHERE p.id = p.commercial_partner_id AND p.customer_rank > 0
           AND NOT EXISTS (SELECT 1 FROM loyalty_card c
                            WHERE c.partner_id = p.id AND c.program_id = %(program)s)
        """
    )
    run(
        """
        UPDATE account_move SET sh_loyalty_factor = %(rate)s
         WHERE state = 'posted' AND move_type = 'out_invoice' AND company_id = %(company)s
        """
    )
    run(
        """
        INSERT INTO loyalty_history (card_id, description, issued, used, sh_points, sh_reason,
                                     sh_move_id, order_model, order_id, sh_date, sh_user_id,
                                     sh_partner_id, sh_program_id,
                                     create_uid, create_date, write_uid, write_date)
        SELECT c.id, m.name,
               GREATEST(pts, 0), GREATEST(-pts, 0), pts,
               CASE WHEN pts > 0 THEN 'earn' ELSE 'reverse' END,
               m.id, 'account.move', m.id, m.invoice_date, 1, c.partner_id, c.program_id,
               1, NOW(), 1, NOW()
          FROM account_move m
          JOIN loyalty_card c ON c.partner_id = m.commercial_partner_id
                             AND c.program_id = %(program)s
          CROSS JOIN LATERAL (SELECT ROUND(m.amount_untaxed_signed * %(rate)s) AS pts) r
         WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
           AND m.company_id = %(company)s AND r.pts != 0
        """
    )
    run(
        """
        INSERT INTO sh_loyalty_lot (card_id, company_id, move_id, date, expiry_date, points,
                                    remaining, warned, create_uid, create_date, write_uid,
                                    write_date)
        SELECT h.card_id, %(company)s, h.sh_move_id, h.sh_date,
               h.sh_date + make_interval(months => %(months)s), h.issued, h.issued, FALSE,
               1, NOW(), 1, NOW()
          FROM loyalty_history h
         WHERE h.sh_program_id = %(program)s AND h.sh_reason = 'earn'
        """
    )
    run(
        """
        UPDATE sh_loyalty_lot lot
           SET remaining = GREATEST(lot.remaining - r.used, 0)
          FROM (SELECT m.reversed_entry_id AS move_id, SUM(h.used) AS used
                  FROM loyalty_history h
                  JOIN account_move m ON m.id = h.sh_move_id
                 WHERE h.sh_program_id = %(program)s AND h.sh_reason = 'reverse'
                   AND m.reversed_entry_id IS NOT NULL
                 GROUP BY m.reversed_entry_id) r
         WHERE lot.move_id = r.move_id
        """
    )
    run(
        """
        WITH lots AS (SELECT card_id, SUM(remaining) AS points FROM sh_loyalty_lot
                       GROUP BY card_id)
        UPDATE loyalty_card c SET points = lots.points
          FROM lots WHERE lots.card_id = c.id AND c.program_id = %(program)s
        """
    )
    env.invalidate_all()


def floor_sql(program, today):
    """Every member's expiring points and rolling 12-month net sales, one
    statement, nothing written."""
    return SQL(
        """
        SELECT c.id, COALESCE(l.expiring, 0), COALESCE(s.sales, 0)
          FROM loyalty_card c
          LEFT JOIN (SELECT card_id, SUM(remaining) AS expiring FROM sh_loyalty_lot
                      WHERE remaining > 0 AND expiry_date <= %(warn)s
                      GROUP BY card_id) l ON l.card_id = c.id
          LEFT JOIN (SELECT commercial_partner_id, SUM(amount_untaxed_signed) AS sales
                       FROM account_move
                      WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
                        AND company_id = %(company)s
                        AND invoice_date > %(since)s AND invoice_date <= %(today)s
                      GROUP BY commercial_partner_id) s ON s.commercial_partner_id = c.partner_id
         WHERE c.program_id = %(program)s
        """,
        program=program.id,
        company=program.company_id.id,
        today=today,
        since=today - relativedelta(months=12),
        warn=today + timedelta(days=program.sh_expiry_warning_days),
    )


def bench_daily(env, program, repeat):
    """The floor, then the expiry plus tier review of every member on the
    following days (each rolled back, so every day starts from the same
    state)."""
    Card = env["loyalty.card"]
    card_ids = Card.search([("program_id", "=", program.id)]).ids
    today = fields.Date.context_today(program)
    floor, daily, counts = [], [], []
    for index in range(repeat):
        day = today + timedelta(days=index + 1)
        start = time.perf_counter()
        env.cr.execute(floor_sql(program, day))
        env.cr.fetchall()
        floor.append(time.perf_counter() - start)
        env.cr.execute("SAVEPOINT bench_daily")
        start = time.perf_counter()
        expired, changes = Card._sh_expire_and_review(card_ids, day)
        env.flush_all()
        daily.append(time.perf_counter() - start)
        counts.append((expired, changes))
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_daily")
        env.invalidate_all()
    return floor, daily, counts, len(card_ids)


def bench_posting(env, program, posts):
    """Post invoices one at a time, alternately with earning (sh_loyalty's
    _post) and without (the implementation below it); all rolled back."""
    from odoo.addons.sh_loyalty.models.account_move import AccountMove as LoyaltyMove

    rng = random.Random(7)
    env.cr.execute(
        SQL(
            "SELECT partner_id FROM loyalty_card WHERE program_id = %s ORDER BY 1",
            program.id,
        )
    )
    customers = [row[0] for row in env.cr.fetchall()]
    env.cr.execute("SAVEPOINT bench_posting")
    moves = draft_invoices(env, 2 * posts, rng, customers)
    env.flush_all()
    with_earning, without_earning, sync_only = [], [], []
    with method_timer(type(env["loyalty.card"]), "_sh_sync_moves") as spent:
        for index, move in enumerate(moves):
            earning = index % 2 == 0
            spent.clear()
            start = time.perf_counter()
            if earning:
                move._post(soft=False)
            else:
                super(LoyaltyMove, move)._post(soft=False)
            env.flush_all()
            elapsed = time.perf_counter() - start
            (with_earning if earning else without_earning).append(elapsed)
            if earning:
                sync_only.append(sum(spent))
    earned = sum(moves[::2].mapped(lambda m: len(m.sh_loyalty_history_ids)))
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_posting")
    env.invalidate_all()
    return with_earning, without_earning, sync_only, earned


def row(label, samples, target=""):
    return [
        label,
        f"{median_ms(samples):.1f}",
        f"{min(samples) * 1000:.1f}",
        f"{max(samples) * 1000:.1f}",
        str(len(samples)),
        target,
    ]


def main():
    parser = arguments(__doc__, repeat=5)
    parser.set_defaults(db="bench_sh_loyalty")
    parser.add_argument("--dump", default=str(DATA / "bench.dump"))
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    parser.add_argument("--posts", type=int, default=40, help="invoices posted per variant")
    args = parser.parse_args()
    if not args.reuse:
        restore(args.dump, args.db)
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        program = env.ref("sh_loyalty.loyalty_program_sh_customers")
        start = time.perf_counter()
        enrol(env, program)
        enrol_s = time.perf_counter() - start
        Card = env["loyalty.card"]
        card_ids = Card.search([("program_id", "=", program.id)]).ids
        start = time.perf_counter()
        catch_up = Card._sh_expire_and_review(card_ids, fields.Date.context_today(program))
        catch_up_s = time.perf_counter() - start
        cr.commit()
        env.cr.execute("ANALYZE loyalty_card, loyalty_history, sh_loyalty_lot")
        data = {
            "members": len(card_ids),
            "invoices_and_credit_notes": env["account.move"].search_count(
                [("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted")]
            ),
            "ledger_lines": env["loyalty.history"].search_count([]),
            "lots": env["sh.loyalty.lot"].search_count([]),
            "enrol_s": round(enrol_s, 1),
            "first_run_s": round(catch_up_s, 1),
            "first_run_expired_points": catch_up[0],
            "first_run_tier_changes": catch_up[1],
        }
        floor, daily, counts, members = bench_daily(env, program, args.repeat)
        with_earning, without_earning, sync_only, earned = bench_posting(env, program, args.posts)
        cr.rollback()
    overhead_ms = median_ms(with_earning) - median_ms(without_earning)
    ratio = median_ms(daily) / median_ms(floor)
    table = [
        row("floor: expiring points + 12-month sales, all members", floor),
        row("daily expiry + tier review, all members", daily, f"<= {TARGET_DAILY_RATIO}x floor"),
        row("post one invoice, with earning", with_earning),
        row("post one invoice, without earning", without_earning),
        row("earning itself (sync of the invoice)", sync_only),
    ]
    header = ["measure", "median ms", "min ms", "max ms", "n", "target"]
    widths = [max(len(line[i]) for line in [header, *table]) for i in range(6)]
    print()
    print(f"Data: {json.dumps(data)}")
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print()
    for line in [header, *table]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)))
    print()
    print(
        f"earning overhead per posted invoice (median with - median without): "
        f"{overhead_ms:.1f} ms; earning itself {median_ms(sync_only):.1f} ms; "
        f"target < {TARGET_POST_MS:.0f} ms"
    )
    print(
        f"daily expiry + tier review / floor: {ratio:.2f}x over {members} members "
        f"(expired points and tier changes per day: {counts}); "
        f"target <= {TARGET_DAILY_RATIO:.0f}x"
    )
    RESULTS.write_text(
        json.dumps(
            {
                "data": data,
                "repeat": args.repeat,
                "posts": args.posts,
                "earned_lines": earned,
                "median_ms": {
                    "floor": median_ms(floor),
                    "daily": median_ms(daily),
                    "post_with_earning": median_ms(with_earning),
                    "post_without_earning": median_ms(without_earning),
                    "earning_itself": median_ms(sync_only),
                },
                "earning_overhead_ms": overhead_ms,
                "daily_over_floor": ratio,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
