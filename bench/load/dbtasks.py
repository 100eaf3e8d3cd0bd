"""The load test's work on its database, run with Odoo's Python by
bench/load/run.py (see bench/README.md, "Load and faults").

    /opt/odoo18/venv/bin/python bench/load/dbtasks.py prepare --db load_21k --out data.json
    /opt/odoo18/venv/bin/python bench/load/dbtasks.py marks --db load_21k
    /opt/odoo18/venv/bin/python bench/load/dbtasks.py check --db load_21k --since marks.json
    /opt/odoo18/venv/bin/python bench/load/dbtasks.py stale --db load_21k
    /opt/odoo18/venv/bin/python bench/load/dbtasks.py nightly --db load_21k --batch-size 2000

- ``prepare``: every customer a member of the customers' loyalty program
  (bench/reports.py's ``enrol_loyalty``, once per database), every
  customer's figures refreshed and committed (the state the load starts
  from), an API key for the administrator; writes the key, the customers
  drawn for the clients and the program's rewards as JSON.
- ``marks``: the last id of each table the load writes, before a run.
- ``check``: the ledger checks after a run (JSON on stdout, exit 1 when
  one fails): every card of the customers' program has the balance its
  history sums to; every idempotency key of the run has its stored answer
  and was applied once (one redemption, one adjustment, one interaction or
  task per key, no coupon given twice); the customers' stored figures
  equal those of a full refresh run in a transaction rolled back.
- ``stale``: make every customer's stored figures wrong and their digest
  unknown, committed, so that the next refresh writes every customer.
- ``nightly``: the nightly refresh as the scheduler runs it: its job
  (``_cron_sh_refresh_customer_stats``) called again and again, each batch
  committed, until a pass ends; prints a line per committed batch.
"""

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from common import open_registry  # noqa: E402  bench/common.py
from reports import enrol_loyalty  # noqa: E402  bench/reports.py

import odoo  # noqa: E402
from odoo.tools import SQL  # noqa: E402

# The tables a load run writes, with their id sequences.
TABLES = (
    "loyalty_history",
    "loyalty_card",
    "sh_api_idempotency",
    "sh_customer_interaction",
    "sh_customer_task",
)
CURSOR_PARAM = "sh_customers.stats_refresh_cursor"
# Routes of the writes, as the idempotency table stores them (the path).
WRITE_ROUTES = ("add_points", "redeem_reward", "add_interaction", "add_task")


def environment(cr):
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def customers_program(env):
    company = env.ref("base.main_company")
    return env["loyalty.program"]._sh_customer_programs(company)[company.id]


def prepare(registry, out, sample):
    enrol_loyalty(registry)
    with registry.cursor() as cr:
        env = environment(cr)
        env["res.partner"]._sh_compute_rfm_breakpoints()
        env["res.partner"]._sh_refresh_customer_stats(all_customers=True)
        env["ir.config_parameter"].set_param(CURSOR_PARAM, 0)
        admin = env.ref("base.user_admin")
        key = env["res.users.apikeys"].with_user(admin).sudo()._generate(None, "load test", None)
        program = customers_program(env)
        cr.execute(
            """
            SELECT c.partner_id FROM loyalty_card c JOIN res_partner p ON p.id = c.partner_id
             WHERE c.program_id = %s AND p.active ORDER BY c.partner_id
            """,
            [program.id],
        )
        members = [row[0] for row in cr.fetchall()]
        # Redemptions are drawn from the members with points for every
        # reward, so that most of them are applied rather than refused.
        cr.execute(
            """
            SELECT c.partner_id FROM loyalty_card c JOIN res_partner p ON p.id = c.partner_id
             WHERE c.program_id = %s AND p.active AND c.points >= %s ORDER BY c.partner_id
            """,
            [program.id, max(program.reward_ids.mapped("required_points"), default=0)],
        )
        rich = [row[0] for row in cr.fetchall()]
        rewards = [
            {"id": reward.id, "points": reward.required_points}
            for reward in program.reward_ids
            if reward.active
        ]
        cr.commit()
    rng = random.Random(2026)
    customers = sorted(rng.sample(members, min(sample, len(members))))
    redeemers = sorted(rng.sample(rich, min(sample, len(rich))))
    Path(out).write_text(
        json.dumps(
            {"key": key, "customers": customers, "redeemers": redeemers, "rewards": rewards},
            indent=1,
        )
    )
    print(
        f"{len(members)} members, {len(customers)} drawn, {len(redeemers)} with points for "
        f"every reward, {len(rewards)} rewards -> {out}"
    )


def marks(registry):
    with registry.cursor() as cr:
        result = {}
        for table in TABLES:
            cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
            result[table] = cr.fetchone()[0]
        print(json.dumps(result))


def figures_snapshot(cr):
    """Every customer's stored figures: ``{(partner, company): row}`` of
    the figure table, and the figures stored on the partner."""
    cr.execute(
        """
        SELECT partner_id, company_id, md5(ROW(lifecycle_status, rfm_segment,
               first_purchase_date, net_sales, debt, overdue, debt_not_due, debt_1_30,
               debt_31_60, debt_61_90, debt_91_120, debt_over_120, p_alive, predicted_clv,
               sale_dates, sale_totals, invoice_counts, last_invoice_dates, receivable_dates,
               receivable_totals, credit_sale_totals, history_check)::text)
          FROM sh_customer_figure
        """
    )
    rows = {(partner, company): digest for partner, company, digest in cr.fetchall()}
    cr.execute(
        """
        SELECT id, md5(ROW(sh_first_purchase_date, sh_last_purchase_date, sh_invoice_count,
               sh_net_sales, sh_average_order_value, sh_purchase_gap_days, sh_debt, sh_overdue,
               sh_oldest_due_date, sh_debt_not_due, sh_debt_1_30, sh_debt_31_60, sh_debt_61_90,
               sh_debt_91_120, sh_debt_over_120, sh_available_credit, sh_over_credit_limit,
               sh_rfm_frequency, sh_rfm_monetary, sh_rfm_r_score, sh_rfm_f_score,
               sh_rfm_m_score, sh_rfm_segment, sh_lifecycle_status)::text)
          FROM res_partner WHERE id = commercial_partner_id
        """
    )
    rows.update({(partner, None): digest for partner, digest in cr.fetchall()})
    return rows


def figures_check(registry):
    """The stored figures against a full refresh's, the refresh rolled
    back: how many customers' rows differ, and how many it wrote."""
    with registry.cursor() as cr:
        env = environment(cr)
        before = figures_snapshot(cr)
        written = env["res.partner"]._sh_refresh_customer_stats(all_customers=True)
        env.flush_all()
        after = figures_snapshot(cr)
        cr.rollback()
    differ = sorted(
        {key[0] for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    )
    return {
        "ok": not differ,
        "customers_compared": len({key[0] for key in after}),
        "customers_differing": len(differ),
        "customers_written_by_refresh": len(written),
        "first_differing": differ[:10],
    }


def ledger_check(cr, program_id):
    """Every card of the customers' program: balance = sum of its history."""
    cr.execute(
        """
        SELECT c.id, c.points, COALESCE(SUM(h.issued - h.used), 0)
          FROM loyalty_card c LEFT JOIN loyalty_history h ON h.card_id = c.id
         WHERE c.program_id = %s
         GROUP BY c.id, c.points
        HAVING abs(c.points - COALESCE(SUM(h.issued - h.used), 0)) > 0.005
        """,
        [program_id],
    )
    wrong = cr.fetchall()
    cr.execute("SELECT COUNT(*) FROM loyalty_card WHERE program_id = %s", [program_id])
    return {
        "ok": not wrong,
        "cards": cr.fetchone()[0],
        "cards_wrong": len(wrong),
        "first": wrong[:10],
    }


def idempotency_check(cr, since, program_id):
    """The keys claimed since ``since``: each has its stored answer, and
    the writes of the run are exactly one per key answered 201."""
    cr.execute(
        "SELECT id, route, status, response FROM sh_api_idempotency WHERE id > %s",
        [since["sh_api_idempotency"]],
    )
    entries = cr.fetchall()
    by_route = {name: [] for name in WRITE_ROUTES}
    unanswered = []
    for entry_id, route, status, response in entries:
        if status is None:
            unanswered.append(entry_id)
            continue
        name = route.rstrip("/").rsplit("/", 1)[-1]
        if status == 201:
            by_route[name].append(json.loads(response))

    def count(query, *params):
        cr.execute(query, params)
        return cr.fetchone()[0]

    applied = {
        "add_points": count(
            "SELECT COUNT(*) FROM loyalty_history WHERE id > %s AND sh_reason = 'adjust'",
            since["loyalty_history"],
        ),
        "redeem_reward": count(
            "SELECT COUNT(*) FROM loyalty_history WHERE id > %s AND sh_reason = 'redeem'",
            since["loyalty_history"],
        ),
        "add_interaction": count(
            "SELECT COUNT(*) FROM sh_customer_interaction WHERE id > %s",
            since["sh_customer_interaction"],
        ),
        "add_task": count(
            "SELECT COUNT(*) FROM sh_customer_task WHERE id > %s", since["sh_customer_task"]
        ),
    }
    coupons = count(
        "SELECT COUNT(*) FROM loyalty_card WHERE id > %s AND program_id != %s",
        since["loyalty_card"],
        program_id,
    )
    coupon_ids = [answer["coupon"]["id"] for answer in by_route["redeem_reward"]]
    movement_ids = [answer["movement"]["id"] for answer in by_route["add_points"]]
    cr.execute(
        "SELECT COUNT(*) FROM loyalty_history WHERE id = ANY(%s) AND sh_reason = 'adjust'",
        [movement_ids],
    )
    movements_found = cr.fetchone()[0]
    keys = {name: len(answers) for name, answers in by_route.items()}
    problems = []
    if unanswered:
        problems.append(f"{len(unanswered)} keys claimed without a stored answer")
    for name in WRITE_ROUTES:
        if keys[name] != applied[name]:
            problems.append(f"{name}: {keys[name]} keys answered 201, {applied[name]} applied")
    if coupons != len(coupon_ids) or len(set(coupon_ids)) != len(coupon_ids):
        problems.append(f"{len(coupon_ids)} redemptions answered, {coupons} coupons created")
    if movements_found != len(set(movement_ids)) or len(set(movement_ids)) != len(movement_ids):
        problems.append(f"{len(movement_ids)} adjustments answered, {movements_found} found")
    return {
        "ok": not problems,
        "keys": len(entries),
        "keys_answered_201": keys,
        "applied": applied,
        "coupons_created": coupons,
        "problems": problems,
    }


def check(registry, since_path, figures=True):
    since = json.loads(Path(since_path).read_text())
    with registry.cursor() as cr:
        program_id = customers_program(environment(cr)).id
        result = {
            "ledger": ledger_check(cr, program_id),
            "idempotency": idempotency_check(cr, since, program_id),
        }
    if figures:
        result["figures"] = figures_check(registry)
    result["ok"] = all(part["ok"] for part in result.values())
    print(json.dumps(result, indent=1))
    return 0 if result["ok"] else 1


def stale(registry):
    with registry.cursor() as cr:
        cr.execute(
            """
            UPDATE sh_customer_figure SET net_sales = -1, debt = -1, lifecycle_status = NULL,
                   rfm_segment = NULL
            """
        )
        figures = cr.rowcount
        cr.execute(
            """
            UPDATE res_partner SET sh_stats_digest = NULL, sh_net_sales = NULL, sh_debt = NULL,
                   sh_lifecycle_status = NULL
             WHERE id = commercial_partner_id
            """
        )
        print(f"{figures} figure rows and {cr.rowcount} customers made stale")
        cr.execute("DELETE FROM ir_config_parameter WHERE key = %s", [CURSOR_PARAM])


def nightly(registry, batch_size):
    """The scheduler's loop: a batch, committed, again until a pass ends
    (the cursor back at 0)."""
    batch = 0
    while True:
        with registry.cursor() as cr:
            env = environment(cr)
            env["res.partner"]._cron_sh_refresh_customer_stats(batch_size=batch_size)
            cursor = int(env["ir.config_parameter"].get_param(CURSOR_PARAM, 0))
            cr.commit()
        batch += 1
        print(f"batch {batch} committed, cursor {cursor}", flush=True)
        if not cursor:
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("task", choices=("prepare", "marks", "check", "stale", "nightly"))
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default="load-data.json")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--since", help="marks.json written before the run (check)")
    parser.add_argument("--no-figures", action="store_true", help="check: skip the figures")
    parser.add_argument("--batch-size", type=int, default=2000)
    args = parser.parse_args()
    registry = open_registry(args.db)
    if args.task == "prepare":
        prepare(registry, args.out, args.sample)
    elif args.task == "marks":
        marks(registry)
    elif args.task == "check":
        return check(registry, args.since, figures=not args.no_figures)
    elif args.task == "stale":
        stale(registry)
    elif args.task == "nightly":
        nightly(registry, args.batch_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
