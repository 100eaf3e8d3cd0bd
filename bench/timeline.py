"""Measure the customer timeline on the benchmark data (see README.md,
"Timeline").

    /opt/odoo18/venv/bin/python bench/timeline.py [--db bench_sh_customers] [--repeat 9]

As the admin user, on the customer with the longest history (the most
posted journal entries of its receivable, then points history lines and
interactions when those addons are installed), in one run and interleaved
so that machine noise hits all alike:

- the timeline's first page, 50 events of every kind, through ``call_kw``
  as the form's widget asks for it (``sh.customer.timeline.get_timeline``),
  its answer serialised to JSON; target under 150 ms;
- a later page (offset 500, or the last page of a shorter history), as
  the user scrolls;
- the first page of the money events of one year (kinds and period
  filters);
- the baseline: the form's own load, ``get_views`` of the Customers form
  and ``web_read`` of the fields its view shows (relational fields with
  their display names), as the web client opens the customer.

Measurements, not tests: each is repeated, with the ORM caches emptied
before each run, and its median printed. Nothing is written.
"""

import json
import os
import platform

from common import (  # bench/common.py, beside this script
    arguments,
    data_summary,
    median_ms,
    open_registry,
    print_measures,
    results_path,
    timed,
)
from lxml import etree

import odoo
from odoo.tools import SQL

RESULTS = results_path("timeline_results.json")
TARGET_MS = 150.0
LATER_OFFSET = 500


def longest_history(env):
    """The customer with the most posted receivable entries: ``(id,
    entries)``."""
    [(partner_id, entries)] = env.execute_query(
        SQL(
            """
            SELECT line.partner_id, COUNT(DISTINCT line.move_id)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
               AND line.partner_id IS NOT NULL
             GROUP BY line.partner_id
             ORDER BY 2 DESC, 1
             LIMIT 1
            """
        )
    )
    return partner_id, entries


def form_specification(env, arch):
    """The ``web_read`` specification of the fields a form view shows:
    every field outside a sub-view, relational ones with their display
    names."""
    fields = env["res.partner"]._fields
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        # A field of a sub-view (a contact of the contacts' kanban) is read
        # with its relation.
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        if name not in fields:
            continue
        field = fields[name]
        spec[name] = {"fields": {"display_name": {}}} if field.relational else {}
    return spec


def bench_timeline(env, repeat):
    admin = env.ref("base.user_admin")
    user_env = env(user=admin, su=False, context={"lang": "en_US", "tz": "Asia/Riyadh"})
    partner_id, entries = longest_history(env)
    timeline = user_env["sh.customer.timeline"]
    everything = timeline.get_timeline(partner_id, limit=500)
    total = len(everything["events"])
    later = LATER_OFFSET if everything["has_more"] else max(total - 50, 0)
    money = ["invoice", "credit_note", "payment", "reconciliation", "entry"]
    newest = everything["events"][0]["date"][:10] if everything["events"] else "2026-01-01"
    year_from = f"{int(newest[:4]) - 1}{newest[4:]}"

    action = user_env.ref("sh_customers.res_partner_action_sh_customers")
    Partner = user_env["res.partner"]
    views = Partner.get_views([[False, "form"]], {"action_id": action.id})
    spec = form_specification(user_env, views["views"]["form"]["arch"])

    def call(kwargs):
        def run():
            json.dumps(odoo.api.call_kw(timeline, "get_timeline", [partner_id], kwargs))

        return run

    def form_call():
        answer = Partner.get_views([[False, "form"]], {"action_id": action.id})
        record = Partner.browse(partner_id).web_read(spec)
        json.dumps([answer, record], default=str)

    calls = {
        "timeline first page (50 events, every kind)": call({"limit": 50}),
        f"timeline later page (offset {later})": call({"limit": 50, "offset": later}),
        "timeline money events of one year": call(
            {"limit": 50, "kinds": money, "date_from": year_from, "date_to": newest}
        ),
        "baseline: the form's own load (get_views + web_read)": form_call,
    }
    samples = {label: [] for label in calls}
    for _index in range(repeat):
        for label, function in calls.items():
            samples[label] += timed(function, 1, before=user_env.invalidate_all)
    shape = {
        "partner_id": partner_id,
        "receivable_entries": entries,
        "events_in_first_500": total,
        "more_than_500": everything["has_more"],
        "form_fields": len(spec),
    }
    return samples, shape


def main():
    parser = arguments(__doc__, repeat=9)
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        data = data_summary(env)
        samples, shape = bench_timeline(env, args.repeat)
        cr.rollback()

    table = list(samples.items())
    first_ms = median_ms(table[0][1])
    form_ms = median_ms(table[-1][1])
    print()
    print(f"Data: {json.dumps(data)}")
    print(f"Customer: {json.dumps(shape)}")
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print()
    print_measures(table)
    print()
    print(
        f"timeline first page: {first_ms:.1f} ms (target < {TARGET_MS:.0f} ms: "
        f"{'met' if first_ms < TARGET_MS else 'NOT met'}); the form's own load {form_ms:.1f} ms"
    )
    RESULTS.write_text(
        json.dumps(
            {
                "data": data,
                "customer": shape,
                "repeat": args.repeat,
                "median_ms": {label: median_ms(values) for label, values in table},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
