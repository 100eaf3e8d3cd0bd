"""Measure the scheduled refresh's whole pass, as the scheduler runs it (see
README.md, "The scheduled pass and the kept counts").

    /opt/odoo18/venv/bin/python bench/cron_pass.py [--db bench_sh_customers] [--repeat 2]
                                                   [--batches 5000,20000]

On the benchmark database, as the scheduler runs
``res.partner._cron_sh_refresh_customer_stats``: batch after batch, in id
order, until the pass has finished, each batch followed by the folding of
the totals' rows of changes; then the counts of the named periods written
for the dashboard (``dashboard_counts.write_counts``). Each batch size of
``--batches`` is measured in the same run, alternately, against the floor
(one SELECT of every customer's figures, ``run.py``'s (a)), with a new day
each time (the pass runs the day after the figures were written, as it does
every night). Everything is rolled back: the database is left as found.
"""

import json
import os
import platform
import time
from datetime import timedelta
from unittest.mock import patch

from common import arguments, data_summary, median_ms, open_registry, results_path
from run import floor_sql

import odoo
from odoo import fields

RESULTS = results_path("cron_pass_results.json")


def run_pass(env, batch_size):
    """The whole pass in batches of ``batch_size``; returns the seconds of
    the batches and of the counts' writing."""
    from odoo.addons.sh_customers.figures import dashboard_counts, refresh, totals

    partners = env["res.partner"]
    start = time.perf_counter()
    batches = 0
    while True:
        batches += 1
        finished = refresh.cron_refresh(env, batch_size)
        totals.compact(env.cr)
        if finished:
            break
    refreshed = time.perf_counter()
    dashboard_counts.write_counts(env, fields.Date.context_today(partners))
    counted = time.perf_counter()
    return batches, refreshed - start, counted - refreshed


def main():
    parser = arguments(__doc__, repeat=2)
    parser.add_argument("--batches", default="5000,20000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.batches.split(",")]
    registry = open_registry(args.db)
    samples = {size: {"refresh": [], "counts": [], "batches": 0} for size in sizes}
    floors = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        data = data_summary(env)
        tomorrow = fields.Date.today() + timedelta(days=1)
        for _index in range(args.repeat):
            for size in sizes:
                # The next day, as the nightly pass finds it.
                with patch.object(fields.Date, "context_today", return_value=tomorrow):
                    batches, refreshed, counted = run_pass(env, size)
                samples[size]["refresh"].append(refreshed)
                samples[size]["counts"].append(counted)
                samples[size]["batches"] = batches
                cr.rollback()
                env.invalidate_all()
                start = time.perf_counter()
                env.cr.execute(floor_sql(env, tomorrow))
                env.cr.fetchall()
                floors.append(time.perf_counter() - start)
                cr.rollback()
    floor_ms = median_ms(floors)
    print()
    print(f"Data: {json.dumps(data)}")
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print(f"floor (one SELECT, every customer): {floor_ms:.1f} ms (n={len(floors)})")
    results = {"data": data, "repeat": args.repeat, "floor_ms": floor_ms, "passes": {}}
    for size in sizes:
        refresh_ms = median_ms(samples[size]["refresh"])
        counts_ms = median_ms(samples[size]["counts"])
        print(
            f"batches of {size}: {samples[size]['batches']} batches, refresh {refresh_ms:.0f} ms"
            f" ({refresh_ms / floor_ms:.1f}x the floor), counts {counts_ms:.0f} ms,"
            f" whole pass {refresh_ms + counts_ms:.0f} ms"
        )
        results["passes"][size] = {
            "batches": samples[size]["batches"],
            "refresh_ms": refresh_ms,
            "counts_ms": counts_ms,
        }
    RESULTS.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
