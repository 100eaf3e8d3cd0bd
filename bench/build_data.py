"""Build (once) or restore the benchmark database.

    /opt/odoo18/venv/bin/python bench/build_data.py            # restore, or build if no dump
    /opt/odoo18/venv/bin/python bench/build_data.py --rebuild  # build again
    /opt/odoo18/venv/bin/python bench/build_data.py --resume   # finish an interrupted build

Building installs sh_customers without demo data in a new database, then runs
the demo generator (sh_customers/demo/generator.py) in cohorts of customers, each
with the full two years of invoices, credit notes and payments, committing
(and analysing the tables) after each generated month, and dumps the result
to bench/data/bench.dump (git-ignored). Restoring that dump takes seconds.
--resume starts again at the first cohort not finished (an interrupted cohort
keeps the months it committed).
"""

import argparse
import json
import logging
import subprocess
import sys
import time

from common import ADDONS_PATH, DATA, ODOO_HOME  # bench/common.py, beside this script

import odoo
from odoo.tools import config

DUMP = DATA / "bench.dump"
SUMMARY = DATA / "build.json"
PROGRESS_PARAM = "sh_customers.bench_cohorts_done"

_logger = logging.getLogger("bench.build_data")


def run(*command):
    _logger.info("$ %s", " ".join(str(part) for part in command))
    subprocess.run([str(part) for part in command], check=True)


def database_exists(name):
    out = subprocess.run(
        ["psql", "-lqtA", "-F", "|"], check=True, capture_output=True, text=True
    ).stdout
    return name in {line.split("|")[0] for line in out.splitlines()}


def restore(db):
    run("dropdb", "--if-exists", db)
    run("createdb", db)
    run("pg_restore", "--no-owner", "--jobs=2", "-d", db, DUMP)
    # A dump made by an earlier version of the addon gets its migrations,
    # indexes and columns, as a production database would on upgrade.
    odoo_bin(db, "-u", "sh_customers")
    # A restored table has no visibility map yet: vacuum, as autovacuum would
    # soon, so that index-only scans are measured as in production.
    run("psql", "-q", "-d", db, "-c", "VACUUM ANALYZE")


def odoo_bin(db, *options):
    run(
        sys.executable,
        ODOO_HOME / "src" / "odoo-bin",
        f"--addons-path={ADDONS_PATH}",
        "-d",
        db,
        *options,
        "--stop-after-init",
        "--log-level=warn",
    )


def install(db):
    run("dropdb", "--if-exists", db)
    odoo_bin(db, "-i", "sh_customers", "--without-demo=all")


def generate(db, args):
    registry = odoo.modules.registry.Registry(db)
    # The addon's demo generator: importable once the addons path is set.
    from odoo.addons.sh_customers.demo.generator import generate as generate_customers

    cohorts = -(-args.customers // args.cohort)
    totals = {}
    started = time.monotonic()
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        params = env["ir.config_parameter"]
        done = int(params.get_param(PROGRESS_PARAM, 0))
        if SUMMARY.exists() and done:
            totals = json.loads(SUMMARY.read_text()).get("created", {})
        for cohort in range(done, cohorts):
            size = min(args.cohort, args.customers - cohort * args.cohort)
            _logger.info("Cohort %s/%s: %s customers", cohort + 1, cohorts, size)
            counts = generate_customers(
                env,
                customers=size,
                seed=args.seed + cohort,
                years=2,
                activity=args.activity,
                batch_size=1000,
                checkpoint=lambda: checkpoint(cr),
            )
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            params.set_param(PROGRESS_PARAM, cohort + 1)
            cr.commit()
            write_summary(db, args, totals, cohort + 1, cohorts, time.monotonic() - started)
            env.invalidate_all()


def checkpoint(cr):
    """Commit each generated month, and refresh the planner's statistics:
    without them the growing tables get plans made for empty ones."""
    cr.commit()
    cr.execute(
        "ANALYZE account_move, account_move_line, account_partial_reconcile, "
        "account_payment, res_partner"
    )
    cr.commit()


def write_summary(db, args, totals, done, cohorts, seconds):
    counts = {}
    for label, query in (
        (
            "customers",
            "SELECT COUNT(*) FROM res_partner WHERE customer_rank > 0 AND parent_id IS NULL",
        ),
        ("invoices", "SELECT COUNT(*) FROM account_move WHERE move_type = 'out_invoice'"),
        ("credit notes", "SELECT COUNT(*) FROM account_move WHERE move_type = 'out_refund'"),
        ("payments", "SELECT COUNT(*) FROM account_payment"),
        ("journal items", "SELECT COUNT(*) FROM account_move_line"),
    ):
        out = subprocess.run(
            ["psql", "-qtA", "-d", db, "-c", query], check=True, capture_output=True, text=True
        )
        counts[label] = int(out.stdout.strip())
    SUMMARY.write_text(
        json.dumps(
            {
                "database": db,
                "customers_asked": args.customers,
                "cohort": args.cohort,
                "cohorts_done": done,
                "cohorts": cohorts,
                "seed": args.seed,
                "activity": args.activity,
                "generation_seconds_this_run": round(seconds),
                "created": totals,
                "in_database": counts,
            },
            indent=2,
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bench_sh_customers")
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--cohort", type=int, default=5000, help="customers per commit")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--activity", type=float, default=1.0)
    parser.add_argument("--rebuild", action="store_true", help="build even if a dump exists")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted build")
    parser.add_argument("--no-dump", action="store_true", help="leave the database undumped")
    args = parser.parse_args()
    config.parse_config([f"--addons-path={ADDONS_PATH}", "-d", args.db, "--log-level=info"])
    odoo.netsvc.init_logger()
    DATA.mkdir(exist_ok=True)

    if DUMP.exists() and not (args.rebuild or args.resume):
        restore(args.db)
        _logger.info("Restored %s from %s", args.db, DUMP)
        return
    if not (args.resume and database_exists(args.db)):
        install(args.db)
    generate(args.db, args)
    run("psql", "-q", "-d", args.db, "-c", "VACUUM ANALYZE")
    if not args.no_dump:
        run("pg_dump", "-Fc", "-f", DUMP, args.db)
        _logger.info("Dumped %s to %s", args.db, DUMP)


if __name__ == "__main__":
    main()
