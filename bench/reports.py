"""Measure the customer reports on the benchmark data (see README.md,
"Reports").

    /opt/odoo18/venv/bin/python bench/reports.py [--db bench_sh_customers] [--repeat 5]

The database needs sh_reports and OCA's account_financial_report installed
(``odoo-bin -d <db> -i sh_reports,account_financial_report --stop-after-init``).
As the admin user, in one run and interleaved so that machine noise hits
both alike:

- the debt aging as of today and as of the same day 6 months back: our
  aging statement (``analytics.aging.aging_sql``, every customer's debt in
  the aging buckets, what OCA's report gives) and the whole debt report
  (``sh.report.debt.get_report_data``: the aging, the history of the
  receivable for the DSO, CEI and trend, cards, charts and every table
  row, serialised), against the baseline, OCA's aged
  partner balance of the receivable accounts (its report data,
  ``_get_report_values``, without rendering) for the same dates; the totals
  of both are printed and must be equal, and the customers whose debt
  differs are counted;
- every installed customer report (each model inheriting ``sh.report``):
  its data call with default options as the screen makes it (the first
  100 rows of each table, ``get_report_data({}, row_limit=100)``), target
  under 2 s, and with every row of every table (what the XLSX reads);
  with ``--enrol-loyalty``, every customer is first made a member of the
  customers' loyalty program with the points of their past invoices
  (``loyalty.enrol``, committed: once per database), so that the loyalty
  report (``sh_reports_loyalty``) has members to count;
- the nightly lifetime value (``sh.customer.clv.sh_refresh_predictions``:
  each company's purchase-day summary read in SQL, both fits, every
  customer's P(alive) and predicted CLV written, the statuses that change
  recomputed), each run a day after the one before so that every
  customer's predictions change and are written, target under 1 s;
- the XLSX of each report, when the reports' XLSX exists
  (``report.sh_reports.report_customer_xlsx``): its time; then, built once
  in a process of its own (the registry loaded, then the XLSX, as an Odoo
  worker prints it), its size, the peak of Python memory allocated while it
  is built (tracemalloc) and that process's peak resident memory.

Measurements, not tests: each is repeated, with the ORM caches emptied
before each run, and its median printed. Nothing is written.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tracemalloc

from common import (  # bench/common.py, beside this script
    arguments,
    data_summary,
    median_ms,
    open_registry,
    print_measures,
    results_path,
    timed,
)
from dateutil.relativedelta import relativedelta

import odoo
from odoo import fields

RESULTS = results_path("reports_results.json")
# Our aging against OCA's: at least this many times faster.
TARGET_SPEEDUP = 10.0
# Each report's data call, and its XLSX (with its peak memory).
TARGET_REPORT_MS = 2000.0
TARGET_XLSX_MS = 15000.0
TARGET_PEAK_MB = 400.0
TARGET_CLV_MS = 1000.0
OCA_REPORT = "report.account_financial_report.aged_partner_balance"
XLSX_REPORT = "report.sh_reports.report_customer_xlsx"


def oca_aging(env, company, as_of):
    """Two callables: OCA's aged partner balance report data of
    ``company``'s receivable accounts on ``as_of`` (the wizard made once),
    and its residual by partner id ({partner id: residual}, summed over the
    accounts)."""
    wizard = env["aged.partner.balance.report.wizard"].create(
        {
            "date_at": as_of,
            "company_id": company.id,
            "target_move": "posted",
            "receivable_accounts_only": True,
        }
    )
    wizard.onchange_type_accounts_only()
    data = wizard._prepare_report_data()
    # The data as the report action sends it: its dates as text.
    data["date_at"] = fields.Date.to_string(as_of)
    report = env[OCA_REPORT]

    def call():
        return report._get_report_values(wizard.ids, data)

    def by_partner():
        aging = report.with_context(
            age_partner_config=env["account.age.report.configuration"]
        )._get_move_lines_data(company.id, wizard.account_ids.ids, [], as_of, False, True, False)[0]
        residuals = {}
        for account in aging.values():
            for partner_id, partner in account.items():
                if isinstance(partner_id, int):
                    residuals[partner_id] = residuals.get(partner_id, 0.0) + partner["residual"]
        return residuals

    return call, by_partner


def our_aging(env, as_of):
    """A callable reading the debt report's aging statement alone, every
    customer's aging as of ``as_of`` (``analytics.aging.read_aging``): the
    figures OCA's aged partner balance gives."""
    from odoo.addons.sh_reports.analytics.aging import read_aging

    report = env["sh.report.debt"]
    ctx = report._sh_report_context({"as_of": fields.Date.to_string(as_of)})

    def call():
        customers = report._sh_customer_query(ctx).subselect()
        return read_aging(env, customers, ctx["company_ids"], as_of)

    return call


def bench_aging(env, repeat):
    """Our aging, the debt report and OCA's aged partner balance as of
    today and 6 months back, interleaved; their totals and the customers
    whose debt differs."""
    company = env.company
    today = fields.Date.context_today(env["res.partner"])
    samples, checks = {}, {}
    for label, as_of in (("today", today), ("6 months back", today - relativedelta(months=6))):
        ours = our_aging(env, as_of)
        oca, oca_by_partner = oca_aging(env, company, as_of)
        debt_report = env["sh.report.debt"]
        options = {"as_of": fields.Date.to_string(as_of)}

        def report_call(debt_report=debt_report, options=options):
            json.dumps(debt_report.get_report_data(options))

        keys = {
            "ours": f"aging as of {label}: our statement",
            "report": f"aging as of {label}: debt report data",
            "oca": f"aging as of {label}: OCA aged partner balance",
        }
        for key in keys.values():
            samples[key] = []
        for _index in range(repeat):
            samples[keys["ours"]] += timed(ours, 1, before=env.invalidate_all)
            samples[keys["report"]] += timed(report_call, 1, before=env.invalidate_all)
            samples[keys["oca"]] += timed(oca, 1, before=env.invalidate_all)
        our_rows = {row["partner_id"]: row["debt"] for row in ours()}
        oca_rows = {
            partner_id: amount
            for partner_id, amount in oca_by_partner().items()
            if round(amount, 2)
        }
        differing = [
            partner_id
            for partner_id in set(our_rows) | set(oca_rows)
            if round(our_rows.get(partner_id, 0.0) - oca_rows.get(partner_id, 0.0), 2)
        ]
        checks[label] = {
            "as_of": fields.Date.to_string(as_of),
            "our_total": round(sum(our_rows.values()), 2),
            "oca_total": round(sum(oca_rows.values()), 2),
            "customers_with_debt": len(our_rows),
            "customers_differing": len(differing),
            "speedup": round(median_ms(samples[keys["oca"]]) / median_ms(samples[keys["ours"]]), 1),
            "report_speedup": round(
                median_ms(samples[keys["oca"]]) / median_ms(samples[keys["report"]]), 1
            ),
        }
    return samples, checks


def report_models(env):
    """Every installed customer report: the models inheriting sh.report."""
    return sorted(env["sh.report"]._inherit_children)


def bench_reports(env, repeat):
    """Each report's data as the screen asks for it (its tables' first
    rows), and with every row; the size of both answers in JSON."""
    from odoo.addons.sh_reports.models.sh_report import SCREEN_ROWS

    samples, sizes = {}, {}
    for name in report_models(env):
        report = env[name]
        for label, limit in (("on screen", SCREEN_ROWS), ("every row", None)):

            def call(report=report, limit=limit):
                return json.dumps(report.get_report_data({}, row_limit=limit))

            key = f"report data, {label}: {name}"
            samples[key] = timed(call, repeat, before=env.invalidate_all)
            sizes[key] = len(call())
    return samples, sizes


def enrol_loyalty(registry):
    """Every customer a member of the customers' program, with the points
    of their past invoices (``loyalty.enrol``), committed; nothing when the
    program has members already or sh_reports_loyalty is not installed."""
    from loyalty import enrol  # bench/loyalty.py, beside this script

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "sh.report.loyalty" not in env:
            raise SystemExit("--enrol-loyalty needs sh_reports_loyalty installed.")
        program = env.ref("sh_loyalty.loyalty_program_sh_customers")
        Card = env["loyalty.card"]
        if Card.search_count([("program_id", "=", program.id)], limit=1):
            return
        enrol(env, program)
        cards = Card.search([("program_id", "=", program.id)])
        Card._sh_expire_and_review(cards.ids, fields.Date.context_today(program))
        cr.commit()
        cr.execute("ANALYZE loyalty_card, loyalty_history, sh_loyalty_lot")
        cr.commit()


def bench_clv(env, repeat):
    """The nightly fit of every company and the predictions written, after
    today's, each run a day later than the one before, as each night is: every
    customer's age grows by a day, so every P(alive) and predicted CLV
    changes and is written (the writes are rolled back with the rest of the
    run)."""
    clv = env["sh.customer.clv"]
    today = fields.Date.context_today(clv)
    days = iter(range(1, 10**6))
    # Untimed: today's predictions, as the night before left them (a first
    # night after installation writes every customer from nothing and
    # computes the status of every customer found at risk).
    clv.sh_refresh_predictions(today=today)

    def nightly():
        clv.sh_refresh_predictions(today=today + relativedelta(days=next(days)))

    return {
        "nightly CLV: fit and store every customer's predictions": timed(
            nightly, repeat, before=env.invalidate_all
        )
    }


def build_xlsx(env, name):
    """The XLSX of the report ``name`` with its default options, as the
    options dialog prints it."""
    xlsx = env[XLSX_REPORT].with_context(active_model="sh.report.wizard")
    content, _kind = xlsx.create_xlsx_report([], {"report": name, "options": {}})
    return content


def bench_xlsx(env, repeat, db):
    """Each report's XLSX, with every row: its times; then, built once in a
    process of its own (``--xlsx-memory``), its size, the peak of Python
    memory allocated while it is built (tracemalloc, which would slow the
    timed runs) and the peak resident memory of that process."""
    if XLSX_REPORT not in env:
        return {}, {}
    samples, shapes = {}, {}
    for name in report_models(env):
        samples[f"xlsx: {name}"] = timed(
            lambda name=name: build_xlsx(env, name), repeat, before=env.invalidate_all
        )
        answer = subprocess.run(
            [sys.executable, __file__, "--db", db, "--xlsx-memory", name],
            capture_output=True,
            check=True,
            text=True,
        )
        shapes[name] = json.loads(answer.stdout.strip().splitlines()[-1])
    return samples, shapes


def peak_resident_mb():
    """This process's peak resident memory in MB (VmHWM: unlike getrusage's,
    it starts again at the exec that started the process)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return None


def xlsx_memory(db, name):
    """Print, as JSON, the size of the report ``name``'s XLSX, the peak of
    Python memory allocated while it is built and the process's peak
    resident memory (the registry loaded, then the XLSX built)."""
    registry = open_registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user_env = env(
            user=env.ref("base.user_admin"),
            su=False,
            context={"lang": "en_US", "tz": "Asia/Riyadh"},
        )
        # Built once as a worker builds it, then again under tracemalloc
        # (whose own bookkeeping would weigh on the resident memory).
        content = build_xlsx(user_env, name)
        peak_rss = peak_resident_mb()
        user_env.invalidate_all()
        tracemalloc.start()
        build_xlsx(user_env, name)
        python_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        cr.rollback()
    print(
        json.dumps(
            {
                "bytes": len(content),
                "python_peak_mb": round(python_peak / 2**20, 1),
                "peak_rss_mb": peak_rss,
            }
        )
    )


def main():
    parser = arguments(__doc__, repeat=5)
    parser.add_argument("--xlsx-memory", metavar="REPORT", help=argparse.SUPPRESS)
    parser.add_argument(
        "--enrol-loyalty",
        action="store_true",
        help="make every customer a loyalty member first (committed; once per database)",
    )
    args = parser.parse_args()
    if args.xlsx_memory:
        xlsx_memory(args.db, args.xlsx_memory)
        return
    registry = open_registry(args.db)
    if args.enrol_loyalty:
        enrol_loyalty(registry)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        missing = [model for model in ("sh.report.debt", OCA_REPORT) if model not in env]
        if missing:
            raise SystemExit(
                f"{args.db} lacks {', '.join(missing)}: install sh_reports and "
                "account_financial_report in it (see the head of this script)."
            )
        data = data_summary(env)
        admin = env.ref("base.user_admin")
        user_env = env(user=admin, su=False, context={"lang": "en_US", "tz": "Asia/Riyadh"})
        aging_samples, checks = bench_aging(user_env, args.repeat)
        report_samples, report_sizes = bench_reports(user_env, args.repeat)
        clv_samples = bench_clv(env, args.repeat)
        xlsx_samples, xlsx_shapes = bench_xlsx(user_env, max(1, args.repeat // 2), args.db)
        cr.rollback()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"Data: {data['customers']} customers, {data['posted invoices']} posted invoices, "
        f"{data['journal items']} journal items, {data['open receivable items']} open "
        f"receivable items; {os.cpu_count()} CPUs, {platform.machine()}"
    )
    print_measures(
        list(aging_samples.items()) + list(report_samples.items()) + list(clv_samples.items())
    )
    for label, check in checks.items():
        equal = check["our_total"] == check["oca_total"]
        print(
            f"aging as of {label} ({check['as_of']}): ours {check['our_total']:.2f}, OCA "
            f"{check['oca_total']:.2f} ({'equal' if equal else 'DIFFERENT'}), "
            f"{check['customers_with_debt']} customers with debt, "
            f"{check['customers_differing']} differing; statement {check['speedup']}x faster "
            f"than OCA (target {TARGET_SPEEDUP:.0f}x), whole report {check['report_speedup']}x"
        )
    for label, size in report_sizes.items():
        print(f"{label}: {size / 2**20:.2f} MB of JSON")
    if xlsx_samples:
        print_measures(list(xlsx_samples.items()))
        for name, shape in xlsx_shapes.items():
            print(
                f"xlsx {name}: {shape['bytes']} bytes, Python peak {shape['python_peak_mb']} MB, "
                f"peak resident memory of its process {shape['peak_rss_mb']} MB "
                f"(target {TARGET_PEAK_MB:.0f} MB)"
            )
    else:
        print(f"No XLSX measured: {XLSX_REPORT} is not installed.")
    print(
        f"This benchmark's own peak resident memory (every report, OCA's included): "
        f"{peak_rss_mb:.0f} MB"
    )
    slow = [
        label
        for label, samples in report_samples.items()
        if "on screen" in label and median_ms(samples) > TARGET_REPORT_MS
    ] + [label for label, samples in clv_samples.items() if median_ms(samples) > TARGET_CLV_MS]
    print(
        f"Reports over {TARGET_REPORT_MS:.0f} ms: {', '.join(slow) or 'none'}; XLSX over "
        f"{TARGET_XLSX_MS:.0f} ms: "
        + (
            ", ".join(
                label
                for label, samples in xlsx_samples.items()
                if median_ms(samples) > TARGET_XLSX_MS
            )
            or "none"
        )
    )
    RESULTS.write_text(
        json.dumps(
            {
                "database": args.db,
                "data": data,
                "repeat": args.repeat,
                "median_ms": {
                    label: round(median_ms(samples), 1)
                    for label, samples in {
                        **aging_samples,
                        **report_samples,
                        **clv_samples,
                        **xlsx_samples,
                    }.items()
                },
                "report_json_bytes": report_sizes,
                "aging_checks": checks,
                "xlsx": xlsx_shapes,
                "peak_rss_mb": round(peak_rss_mb),
            },
            indent=2,
        )
    )
    print(f"Results written to {RESULTS}")


if __name__ == "__main__":
    main()
