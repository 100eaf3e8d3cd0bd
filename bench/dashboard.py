"""Measure the customer dashboard's data call on the benchmark data (see
README.md, "Dashboard").

    /opt/odoo18/venv/bin/python bench/dashboard.py [--db bench_sh_customers] [--repeat 7]

On the database restored by bench/build_data.py, as the admin user, in one
run and interleaved so that machine noise hits both alike:

- the dashboard's one data call for the last 12 months
  (``sh.customer.dashboard.get_dashboard_data``), through ``call_kw`` as the
  web client's request reaches it, its answer serialised to JSON; the time
  spent in the method itself and in each of its statements is taken with the
  shared method timer. The counts of customers over the period are read as
  a day's requests read them: the nightly pass's counts are written first
  (``dashboard_counts.write_counts``, committed, then vacuumed as autovacuum
  does after the nightly pass), then ``--changed`` customers are marked as
  changed since (their state kept as the totals' trigger keeps it when their
  documents change), so each call counts them again;
- the same call counting every customer with the pass (no counts kept), as
  before the counts were kept and as a period without kept counts gets it;
  both calls must give the same answer;
- the baseline: Odoo's generic ``read_group`` on ``account.invoice.report``
  (posted customer invoices and credit notes of the same period) grouped by
  customer and month.

Measurements, not tests: each is repeated, with the ORM caches emptied before
each run, and its median printed. Nothing is written but the kept counts.
"""

import json
import os
import platform
from contextlib import ExitStack

from common import (  # bench/common.py, beside this script
    arguments,
    data_summary,
    median_ms,
    method_timer,
    open_registry,
    print_measures,
    results_path,
    timed,
    vacuum,
)

import odoo

RESULTS = results_path("dashboard_results.json")
TARGET_MS = 300.0
# The dashboard's statements, timed inside the data call.
PARTS = (
    "_sh_figures",
    "_sh_top_items",
    "_sh_at_risk_items",
)
# The loyalty program's figures (members, engagement, open points, customers
# per tier), timed when sh_loyalty is installed.
LOYALTY_PART = "_sh_loyalty_figures"


def write_counts(registry, db, today):
    """Write the counts the nightly pass keeps, committed as the nightly
    pass commits them, and vacuum what it deleted, as autovacuum does after
    it."""
    from odoo.addons.sh_customers.figures import dashboard_counts

    with registry.cursor() as cr:
        dashboard_counts.write_counts(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), today)
    vacuum(db, "sh_customer_count", "sh_customer_count_before")


def mark_changed(env, changed):
    """Keep the state of ``changed`` customers of the company as if their
    documents had changed since the nightly pass (the totals' trigger keeps
    it so); rolled back with the run."""
    from odoo.tools import SQL

    from odoo.addons.sh_customers.figures import totals

    columns = SQL(", ").join(SQL.identifier(column) for column in totals.COUNTED_COLUMNS)
    env.cr.execute(
        SQL(
            """
            INSERT INTO sh_customer_count_before (partner_id, company_id, %(columns)s)
            SELECT partner_id, company_id, %(columns)s FROM sh_customer_figure
             WHERE company_id = %(company_id)s AND listed
             ORDER BY md5(partner_id::text) LIMIT %(changed)s
            """,
            columns=columns,
            company_id=env.company.id,
            changed=changed,
        )
    )


def bench_dashboard(env, repeat, changed):
    from odoo.addons.sh_customers.models.sh_customer_dashboard import ShCustomerDashboard

    admin = env.ref("base.user_admin")
    user_env = env(user=admin, su=False, context={"lang": "en_US", "tz": "Asia/Riyadh"})
    dashboard = user_env["sh.customer.dashboard"]
    mark_changed(env, changed)
    from odoo.addons.sh_customers.figures import dashboard_counts

    ctx = dashboard.with_context({})._sh_dashboard_context(None, None, "12m", True)
    if dashboard_counts.kept_counts(dashboard.env, ctx) is None:
        raise AssertionError("The dashboard does not read the kept counts.")
    answer = dashboard.get_dashboard_data(period="12m")
    period = answer["period"]
    report_domain = [
        ("move_type", "in", ("out_invoice", "out_refund")),
        ("state", "=", "posted"),
        ("invoice_date", ">=", period["date_from"]),
        ("invoice_date", "<=", period["date_to"]),
    ]
    report = user_env["account.invoice.report"]
    groups = report.read_group(
        report_domain, ["price_subtotal:sum"], ["partner_id", "invoice_date:month"], lazy=False
    )

    def dashboard_call():
        result = odoo.api.call_kw(dashboard, "get_dashboard_data", [], {"period": "12m"})
        json.dumps(result)
        return result

    def pass_call():
        # The same call counting every customer with the pass: the kept
        # counts are set aside for it.
        env.cr.execute("SAVEPOINT without_kept_counts")
        env.cr.execute("DELETE FROM sh_customer_count")
        try:
            return dashboard_call()
        finally:
            env.cr.execute("ROLLBACK TO SAVEPOINT without_kept_counts")

    def baseline_call():
        result = report.read_group(
            report_domain,
            ["price_subtotal:sum"],
            ["partner_id", "invoice_date:month"],
            lazy=False,
        )
        json.dumps(result, default=str)

    def cold():
        user_env.invalidate_all()

    cold()
    kept_answer = dashboard_call()
    cold()
    if pass_call() != kept_answer:
        raise AssertionError("The kept counts and the pass give different dashboards.")
    samples = {"dashboard": [], "pass": [], "baseline": []}
    # (The public method itself is left unwrapped: call_kw reads its
    # decorator.)
    timed_methods = {name: ShCustomerDashboard for name in PARTS}
    if env["ir.module.module"]._get("sh_loyalty").state == "installed":
        from odoo.addons.sh_loyalty.models.sh_customer_dashboard import (
            ShCustomerDashboard as LoyaltyDashboard,
        )

        timed_methods[LOYALTY_PART] = LoyaltyDashboard
    parts = {name: [] for name in timed_methods}
    with ExitStack() as stack:
        spent = [
            stack.enter_context(method_timer(model_class, name))
            for name, model_class in timed_methods.items()
        ]
        for _index in range(repeat):
            before = [len(calls) for calls in spent]
            samples["dashboard"] += timed(dashboard_call, 1, before=cold)
            for name, calls, start in zip(parts, spent, before, strict=True):
                parts[name].append(sum(calls[start:]))
            samples["pass"] += timed(pass_call, 1, before=cold)
            samples["baseline"] += timed(baseline_call, 1, before=cold)
    shape = {
        "period": period,
        "changed_customers": changed,
        "cards": len(answer["cards"]),
        "charts": len(answer["charts"]),
        "tables": len(answer["tables"]),
        "answer_bytes": len(json.dumps(answer)),
        "baseline_groups": len(groups),
    }
    return samples, parts, shape


def main():
    parser = arguments(__doc__, repeat=7)
    parser.add_argument(
        "--changed",
        type=int,
        default=1000,
        help="customers changed since the nightly pass (default 1000)",
    )
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        # The day the named periods end on for the measured call.
        admin = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        dashboard = admin.env(user=admin, su=False)["sh.customer.dashboard"]
        answer = odoo.api.call_kw(dashboard, "get_dashboard_data", [], {"period": "12m"})
        today = odoo.fields.Date.to_date(answer["period"]["date_to"])
        cr.rollback()
    write_counts(registry, args.db, today)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        data = data_summary(env)
        samples, parts, shape = bench_dashboard(env, args.repeat, args.changed)
        cr.rollback()

    dashboard_ms = median_ms(samples["dashboard"])
    baseline_ms = median_ms(samples["baseline"])
    table = [
        ("dashboard data call, 12 months (call_kw + JSON)", samples["dashboard"]),
        *((f"  of which {name}", values) for name, values in parts.items()),
        ("the same call counting every customer (no kept counts)", samples["pass"]),
        ("baseline: read_group account.invoice.report by customer, month", samples["baseline"]),
    ]
    print()
    print(f"Data: {json.dumps(data)}")
    print(f"Answer: {json.dumps(shape)}")
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print()
    print_measures(table)
    print()
    print(
        f"dashboard: {dashboard_ms:.1f} ms (target < {TARGET_MS:.0f} ms: "
        f"{'met' if dashboard_ms < TARGET_MS else 'NOT met'}); baseline {baseline_ms:.1f} ms, "
        f"{baseline_ms / dashboard_ms:.1f}x the dashboard"
    )
    RESULTS.write_text(
        json.dumps(
            {
                "data": data,
                "answer": shape,
                "repeat": args.repeat,
                "median_ms": {
                    "dashboard": dashboard_ms,
                    "pass": median_ms(samples["pass"]),
                    "baseline": baseline_ms,
                    **{name: median_ms(values) for name, values in parts.items()},
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
