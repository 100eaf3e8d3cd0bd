"""Measure the customer figures on the benchmark database (see README.md).

    /opt/odoo18/venv/bin/python bench/run.py [--db bench_sh_customers] [--repeat 5]
                                             [--posts 40] [--explain]

Measurements, not tests: each is repeated and its median printed, in one run,
on the data built by bench/build_data.py. The database is left as found: the
figures cleared to force writes are written back by the refresh itself, and
the documents posted to time the hooks are rolled back.
"""

import json
import os
import platform
import random
import threading
import time
from datetime import timedelta

from common import (  # bench/common.py, beside this script
    HERE,
    arguments,
    data_summary,
    draft_invoices,
    median_ms,
    method_timer,
    open_registry,
    results_path,
    timed,
    vacuum,
)
from lxml import etree

import odoo
from odoo import fields
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

RESULTS = results_path("results.json")


# ----------------------------------------------------------------------
# (a) the floor: one statement, every customer's figures, no write
# ----------------------------------------------------------------------


def floor_sql(env, today):
    from odoo.addons.sh_customers.figures.rules import AGING_BUCKETS

    return SQL(
        """
        WITH sales AS (
            SELECT m.commercial_partner_id AS partner_id,
                   MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_date,
                   MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_date,
                   COUNT(*) FILTER (WHERE m.move_type = 'out_invoice') AS invoice_count,
                   SUM(m.amount_untaxed_signed) AS net_sales
              FROM account_move m
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.company_id = %(company)s
             GROUP BY m.commercial_partner_id
        ),
        debt AS (
            SELECT l.partner_id,
                   SUM(l.amount_residual) AS debt,
                   SUM(l.amount_residual) FILTER (WHERE d.days > 0) AS overdue,
                   %(buckets)s
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             CROSS JOIN LATERAL (
                   SELECT %(today)s::date - COALESCE(l.date_maturity, l.date) AS days
             ) d
             WHERE l.parent_state = 'posted'
               AND a.account_type = 'asset_receivable'
               AND l.reconciled IS NOT TRUE
               AND l.company_id = %(company)s
             GROUP BY l.partner_id
        )
        SELECT p.id, debt.debt, debt.overdue, %(bucket_columns)s,
               sales.invoice_count, sales.net_sales, sales.first_date, sales.last_date
          FROM res_partner p
          LEFT JOIN sales ON sales.partner_id = p.id
          LEFT JOIN debt ON debt.partner_id = p.id
         WHERE p.id = p.commercial_partner_id
        """,
        company=env.company.id,
        today=today,
        buckets=SQL(",\n").join(
            SQL(
                "SUM(l.amount_residual) FILTER (WHERE %s) AS %s",
                bucket.condition_sql(SQL("d.days")),
                SQL.identifier(bucket.column),
            )
            for bucket in AGING_BUCKETS
        ),
        bucket_columns=SQL(", ").join(
            SQL.identifier("debt", bucket.column) for bucket in AGING_BUCKETS
        ),
    )


def bench_floor(env, repeat):
    """The floor with PostgreSQL's settings and with those the refresh runs
    with (``statements.analytic_settings``: no JIT, more memory to sort and
    group), each rolled back; the faster of the two is the floor the
    refresh is compared with."""
    from odoo.addons.sh_customers.figures.statements import analytic_settings

    sql = floor_sql(env, fields.Date.context_today(env["res.partner"]))

    def run():
        env.cr.execute(sql)
        env.cr.fetchall()

    default = timed(run, repeat)

    def run_analytic():
        with analytic_settings(env):
            run()

    analytic = timed(run_analytic, repeat)
    env.cr.rollback()
    return default, analytic


# ----------------------------------------------------------------------
# (b) our full refresh, forced writes and no change
# ----------------------------------------------------------------------


def clear_figures(env):
    from odoo.addons.sh_customers.figures.statements import STAT_FIELDS

    env.cr.execute(
        SQL(
            "UPDATE res_partner SET %s",
            SQL(", ").join(
                SQL("%s = NULL", SQL.identifier(fname))
                for fname in (*STAT_FIELDS, "sh_stats_digest")
            ),
        )
    )
    env.cr.execute("DELETE FROM sh_customer_figure")
    env.cr.commit()
    env.invalidate_all()


def bench_refresh(env, db, repeat):
    partners = env["res.partner"]

    def forced_setup():
        clear_figures(env)
        vacuum(db, "res_partner", "sh_customer_figure")

    def refresh():
        partners._sh_refresh_customer_stats(all_customers=True)
        env.cr.commit()

    forced = timed(refresh, repeat, before=forced_setup)
    vacuum(db, "res_partner", "sh_customer_figure")
    unchanged = timed(refresh, repeat)
    # The scheduled action's real night: the figures are those of the day
    # before; each run moves one day further, then today's are put back.
    today = fields.Date.context_today(partners)
    days = iter(range(1, repeat + 1))

    def next_day():
        partners._sh_refresh_customer_stats(
            today=today + timedelta(days=next(days)), all_customers=True
        )
        env.cr.commit()

    nightly = timed(next_day, repeat)
    written = len(
        partners._sh_refresh_customer_stats(
            today=today + timedelta(days=repeat + 1), all_customers=True
        )
    )
    env.cr.commit()
    refresh()
    vacuum(db, "res_partner", "sh_customer_figure")
    return forced, unchanged, nightly, written


def bench_bare_write(env, db, repeat):
    """The write alone: every customer's stored figures, cleared as for the
    forced refresh, written back from a copy and committed, nothing
    computed: what writing every row of res_partner costs whatever
    computes it. The customers' narrow rows are left alone."""
    from odoo.addons.sh_customers.figures.statements import STAT_FIELDS

    columns = [SQL.identifier(fname) for fname in (*STAT_FIELDS, "sh_stats_digest")]
    env.cr.execute(
        SQL(
            "CREATE TEMP TABLE sh_bench_figures AS SELECT id, %s FROM res_partner"
            " WHERE sh_stats_digest IS NOT NULL",
            SQL(", ").join(columns),
        )
    )
    env.cr.commit()

    def clear():
        env.cr.execute(
            SQL(
                "UPDATE res_partner SET %s WHERE id IN (SELECT id FROM sh_bench_figures)",
                SQL(", ").join(SQL("%s = NULL", column) for column in columns),
            )
        )
        env.cr.commit()
        vacuum(db, "res_partner")

    def write():
        env.cr.execute(
            SQL(
                "UPDATE res_partner SET %s FROM sh_bench_figures copy"
                " WHERE res_partner.id = copy.id",
                SQL(", ").join(SQL("%s = copy.%s", column, column) for column in columns),
            )
        )
        env.cr.commit()

    samples = timed(write, repeat, before=clear)
    env.cr.execute("DROP TABLE sh_bench_figures")
    env.cr.commit()
    env.invalidate_all()
    vacuum(db, "res_partner")
    return samples


# ----------------------------------------------------------------------
# (c) Odoo's own receivable for the same customers
# ----------------------------------------------------------------------


def bench_native_credit(env, repeat):
    env.cr.execute("SELECT id FROM res_partner WHERE id = commercial_partner_id")
    partners = env["res.partner"].browse([row[0] for row in env.cr.fetchall()])
    credit = partners._fields["credit"]

    def run():
        partners.invalidate_recordset(["credit", "debit"])
        # As the ORM computes the field: in one call for every customer,
        # its values protected. Called bare, _credit_debit_get assigns them
        # as writes, which update every customer's row (write_date).
        credit.compute_value(partners)

    return timed(run, repeat)


# ----------------------------------------------------------------------
# (d) what our hooks add to posting one invoice, and to one payment
# ----------------------------------------------------------------------


def hook_timer(env):
    """Time spent in res.partner._sh_refresh_customer_stats (the work our
    hooks add) while the block runs."""
    return method_timer(type(env["res.partner"]), "_sh_refresh_customer_stats")


def bench_posting(env, posts):
    """Post invoices one at a time, alternately through our override of
    _post (parent + refresh of the invoice's customer) and straight through
    the parent implementation (no hook), flushing inside the timing; also
    time the hook itself. Everything is rolled back."""
    from odoo.addons.sh_customers.models.account_move import AccountMove as ShAccountMove

    rng = random.Random(7)
    with_hook, without_hook, hook_only, payment, payment_hook = [], [], [], [], []
    env.cr.execute("SAVEPOINT bench_posting")
    moves = draft_invoices(env, 2 * posts, rng)
    env.flush_all()
    for index, move in enumerate(moves):
        hooked = index % 2 == 0
        with hook_timer(env) as spent:
            start = time.perf_counter()
            if hooked:
                move._post(soft=False)
            else:
                super(ShAccountMove, move)._post(soft=False)
            env.flush_all()
            elapsed = time.perf_counter() - start
        (with_hook if hooked else without_hook).append(elapsed)
        if hooked:
            hook_only.append(sum(spent))
    # Registering a payment: the payment's posting and its matching with the
    # invoice change the customer's figures; the wizard refreshes them once,
    # after both.
    for move in moves[:posts]:
        with hook_timer(env) as spent:
            start = time.perf_counter()
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({})._create_payments()
            env.flush_all()
            payment.append(time.perf_counter() - start)
        payment_hook.append(sum(spent))
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_posting")
    env.invalidate_all()
    return with_hook, without_hook, hook_only, payment, payment_hook


# ----------------------------------------------------------------------
# (e) the customers page against (f) the native contacts page
# ----------------------------------------------------------------------


def list_specification(model, view_id):
    """The specification the web client sends for a list view: every field
    of the arch, many2one and x2many read with their display name."""
    view = model.get_views([(view_id, "list")])["views"]["list"]
    arch = etree.fromstring(view["arch"])
    specification = {}
    for node in arch.iter("field"):
        if node.getparent().tag != "list":
            continue
        fname = node.get("name")
        field = model._fields[fname]
        if field.type in ("many2one", "many2many", "one2many"):
            sub = {"display_name": {}}
            if (
                node.get("widget") == "many2many_tags"
                and "color" in model.env[field.comodel_name]._fields
            ):
                sub["color"] = {}
            specification[fname] = {"fields": sub}
        else:
            specification[fname] = {}
    return specification


def action_domain(env, xmlid):
    """The domain a user first sees with an action: its domain and the
    filters its context turns on by default."""
    action = env.ref(xmlid)
    context = safe_eval(action.context or "{}", {"uid": env.uid})
    domain = safe_eval(action.domain or "[]", {"uid": env.uid})
    defaults = {
        key[len("search_default_") :] for key in context if key.startswith("search_default_")
    }
    search = env[action.res_model].get_views([(action.search_view_id.id, "search")])
    arch = etree.fromstring(search["views"]["search"]["arch"])
    for node in arch.iter("filter"):
        if node.get("name") in defaults and node.get("domain"):
            domain = expression.AND([domain, safe_eval(node.get("domain"), {"uid": env.uid})])
    return domain, context


def bench_pages(env, repeat):
    admin = env.ref("base.user_admin")
    user_env = env(user=admin, su=False, context={"lang": "en_US", "tz": "Asia/Riyadh"})
    partner = user_env["res.partner"]

    customers_view = env.ref("sh_customers.res_partner_view_list_sh_customers").id
    customers_domain, customers_context = action_domain(
        user_env, "sh_customers.res_partner_action_sh_customers"
    )
    customers_spec = list_specification(partner.with_context(**customers_context), customers_view)
    contacts_view = env.ref("base.view_partner_tree").id
    contacts_domain, contacts_context = action_domain(user_env, "contacts.action_contacts")
    contacts_spec = list_specification(partner, contacts_view)

    def customers_page():
        model = partner.with_context(**customers_context)
        model.web_search_read(customers_domain, customers_spec, limit=80, count_limit=10001)
        model.sh_get_customer_kpis(customers_domain)

    def customers_list_only():
        model = partner.with_context(**customers_context)
        model.web_search_read(customers_domain, customers_spec, limit=80, count_limit=10001)

    def customers_kpis_only():
        partner.with_context(**customers_context).sh_get_customer_kpis(customers_domain)

    def contacts_page():
        partner.with_context(**contacts_context).web_search_read(
            contacts_domain, contacts_spec, limit=80, count_limit=10001
        )

    def in_own_cursor(function):
        """Run ``function(model)`` in a cursor of its own, as a server
        thread answering one request does."""
        with env.registry.cursor() as cr:
            thread_env = odoo.api.Environment(cr, admin.id, dict(user_env.context))
            function(thread_env["res.partner"].with_context(**customers_context))

    def customers_page_concurrent():
        # The web client asks for the records and for the cards at once
        # (kpi_cards.js does not wait for one before the other); a threaded
        # or multi-worker server answers both side by side.
        threads = [
            threading.Thread(
                target=in_own_cursor,
                args=(
                    lambda model: model.web_search_read(
                        customers_domain, customers_spec, limit=80, count_limit=10001
                    ),
                ),
            ),
            threading.Thread(
                target=in_own_cursor,
                args=(lambda model: model.sh_get_customer_kpis(customers_domain),),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def cold():
        user_env.invalidate_all()

    customers_page()  # warm the registry caches (views, rules) like a running server
    contacts_page()
    results = {}
    # Interleave the two pages so that machine noise hits both alike.
    for _index in range(repeat):
        for label, function in (
            ("customers", customers_page),
            ("customers_concurrent", customers_page_concurrent),
            ("customers_list", customers_list_only),
            ("customers_kpis", customers_kpis_only),
            ("contacts", contacts_page),
        ):
            results.setdefault(label, []).extend(timed(function, 1, before=cold))
    return results, customers_spec, contacts_spec, customers_domain


# ----------------------------------------------------------------------
# EXPLAIN ANALYZE of the refresh and of the floor
# ----------------------------------------------------------------------


def explain(env, db):
    """EXPLAIN ANALYZE the refresh statement with every row to write (after
    clearing the figures) and with nothing to change, and the floor. The
    analysed UPDATE writes the figures back, and is committed."""
    captured = []
    original = odoo.api.Environment.execute_query

    def capture(self, query):
        captured.append(query)
        return original(self, query)

    odoo.api.Environment.execute_query = capture
    try:
        env["res.partner"]._sh_refresh_customer_stats(all_customers=True)
    finally:
        odoo.api.Environment.execute_query = original
    env.cr.commit()
    refresh_sql = next(query for query in captured if "UPDATE res_partner" in query.code)
    plans = {}
    clear_figures(env)
    vacuum(db, "res_partner", "sh_customer_figure")
    for label, sql in (
        ("refresh_forced", refresh_sql),
        ("refresh_unchanged", refresh_sql),
        ("floor", floor_sql(env, fields.Date.context_today(env["res.partner"]))),
    ):
        env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", sql))
        plans[label] = "\n".join(row[0] for row in env.cr.fetchall())
        env.cr.commit()
        if label == "refresh_forced":
            vacuum(db, "res_partner", "sh_customer_figure")
    env.invalidate_all()
    for label, plan in plans.items():
        (HERE / "data" / f"explain_{label}.txt").write_text(plan)
    return plans


# ----------------------------------------------------------------------


def row(label, samples, target=None, met=None):
    cells = [
        label,
        f"{median_ms(samples):10.1f}",
        f"{min(samples) * 1000:10.1f}",
        f"{max(samples) * 1000:10.1f}",
        f"{len(samples):3d}",
    ]
    if target:
        cells += [target, "yes" if met else "NO"]
    return cells


def main():
    parser = arguments(__doc__, repeat=5)
    parser.add_argument("--posts", type=int, default=40, help="invoices posted per variant")
    parser.add_argument("--explain", action="store_true", help="also EXPLAIN ANALYZE")
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        data = data_summary(env)
        cr.commit()
        floor_default, floor_analytic = bench_floor(env, args.repeat)
        floor = min(floor_default, floor_analytic, key=median_ms)
        forced, unchanged, nightly, nightly_written = bench_refresh(env, args.db, args.repeat)
        bare_write = bench_bare_write(env, args.db, args.repeat)
        native = bench_native_credit(env, args.repeat)
        with_hook, without_hook, hook_only, payment, payment_hook = bench_posting(env, args.posts)
        pages, customers_spec, contacts_spec, customers_domain = bench_pages(env, args.repeat)
        cr.rollback()
        plans = explain(env, args.db) if args.explain else {}

    floor_ms = median_ms(floor)
    overhead_ms = median_ms(with_hook) - median_ms(without_hook)
    table = [
        row("(a) floor: one SELECT, all customers, no write (the faster below)", floor),
        row("(a)   with PostgreSQL's settings", floor_default),
        row("(a)   with the refresh's settings (no JIT, work_mem 64MB)", floor_analytic),
        # The first refresh after installation: no ratio target (it runs
        # in the background, a batch at a time; see first_refresh.py).
        row("(b) full refresh, every row written", forced),
        row(
            "(b) full refresh, nothing changed",
            unchanged,
            "<= 3x (a)",
            median_ms(unchanged) <= 3 * floor_ms,
        ),
        row(
            "(b) full refresh, the next day (as every night)",
            nightly,
            "<= 3x (a)",
            median_ms(nightly) <= 3 * floor_ms,
        ),
        row("(g) the write alone: every customer's cleared figures written back", bare_write),
        row("(c) Odoo credit (_credit_debit_get), all customers", native),
        row("(d) post 1 invoice, with our hook", with_hook),
        row("(d) post 1 invoice, parent _post only", without_hook),
        row(
            "(d) our hook inside posting (refresh)", hook_only, "< 20 ms", median_ms(hook_only) < 20
        ),
        row("(d) register 1 payment (wizard)", payment),
        row(
            "(d) our hooks inside the payment",
            payment_hook,
            "< 20 ms",
            median_ms(payment_hook) < 20,
        ),
        row("(e) customers page: list 80 then KPIs", pages["customers"]),
        row(
            "(e) customers page: list 80 and KPIs side by side",
            pages["customers_concurrent"],
            "<= 1.5x (f)",
            median_ms(pages["customers_concurrent"]) <= 1.5 * median_ms(pages["contacts"]),
        ),
        row("(e)   of which list 80 (web_search_read)", pages["customers_list"]),
        row("(e)   of which KPIs (sh_get_customer_kpis)", pages["customers_kpis"]),
        row("(f) contacts page: list 80", pages["contacts"]),
    ]
    ratio_pages = median_ms(pages["customers"]) / median_ms(pages["contacts"])
    ratio_concurrent = median_ms(pages["customers_concurrent"]) / median_ms(pages["contacts"])
    header = ["measure", "median ms", "min ms", "max ms", "n", "target", "met"]
    widths = [
        max(len(str(line[i])) for line in [header, *table] if len(line) > i) for i in range(7)
    ]
    print()
    print(f"Data: {json.dumps(data)}")
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print()
    for line in [header, *table]:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)))
    print()
    print(
        f"full refresh / floor: {median_ms(forced) / floor_ms:.2f}x (every row written), "
        f"{median_ms(unchanged) / floor_ms:.2f}x (no change), "
        f"{median_ms(nightly) / floor_ms:.2f}x (the next day: {nightly_written} customers "
        "written); target <= 3x"
    )
    print(
        f"the write alone / floor: {median_ms(bare_write) / floor_ms:.2f}x; every row written "
        f"= the write alone + {median_ms(forced) - median_ms(bare_write):.1f} ms"
    )
    print(
        f"posting overhead (median with - median without): {overhead_ms:.1f} ms; "
        f"hook itself: {median_ms(hook_only):.1f} ms; target < 20 ms"
    )
    print(
        f"customers page / contacts page: {ratio_concurrent:.2f}x as the web client asks "
        f"(list and KPIs side by side), {ratio_pages:.2f}x one after the other; "
        "target <= 1.5x"
    )
    for label, plan in plans.items():
        print(f"\nEXPLAIN ANALYZE {label}: bench/data/explain_{label}.txt")
        print("\n".join(plan.splitlines()[:3]))
    RESULTS.write_text(
        json.dumps(
            {
                "data": data,
                "repeat": args.repeat,
                "posts": args.posts,
                "median_ms": {
                    "floor": median_ms(floor),
                    "floor_default_settings": median_ms(floor_default),
                    "floor_refresh_settings": median_ms(floor_analytic),
                    "refresh_forced": median_ms(forced),
                    "refresh_unchanged": median_ms(unchanged),
                    "refresh_next_day": median_ms(nightly),
                    "bare_write": median_ms(bare_write),
                    "native_credit": median_ms(native),
                    "post_with_hook": median_ms(with_hook),
                    "post_without_hook": median_ms(without_hook),
                    "hook_in_post": median_ms(hook_only),
                    "payment": median_ms(payment),
                    "hooks_in_payment": median_ms(payment_hook),
                    **{f"page_{key}": median_ms(value) for key, value in pages.items()},
                },
                "customers_domain": repr(customers_domain),
                "customers_spec": list(customers_spec),
                "contacts_spec": list(contacts_spec),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
