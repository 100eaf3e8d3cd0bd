"""Measure the duplicate finder on the benchmark data (see README.md,
"Duplicates and merge").

    /opt/odoo18/venv/bin/python bench/duplicates.py [--db bench_sh_customers] [--repeat 5]
        [--add-generated 20000]

The database needs sh_customers at 18.0.1.10.0 or later (``odoo-bin -d <db>
-u sh_customers --stop-after-init``: the customers' keys). With
``--add-generated N`` it first adds N customers planned by the demo
generator (seed 2024: its names, mobiles, phones, e-mails and tax IDs,
without documents) to the first company, through the ORM, committed. As the
admin user, for each company with customers:

- the rebuild of its candidate pairs (``sh.customer.duplicate._sh_rebuild``:
  every pair sharing a tax ID, a phone number or an e-mail, and every pair
  of alike names) on an empty list, target under 10 s on 20,000 customers,
  and again right after it (the nightly run when nothing changed: nothing
  is written);
- of it, the alike names alone (``figures.duplicates.alike_names``: the
  distinct names and their trigrams read, every alike pair found);
- the scoring and writing statement's plan (EXPLAIN ANALYZE of
  ``figures.duplicates.rebuild_sql``, written to
  bench/data/duplicates_plan.txt).

Measurements, not tests: each is repeated and its median printed; the
pairs found are counted by reason. Nothing is written: every run is rolled
back.
"""

import json
import os
import platform
import random

from common import (  # bench/common.py, beside this script
    arguments,
    data_summary,
    median_ms,
    open_registry,
    print_measures,
    results_path,
    timed,
)

import odoo
from odoo.tools import SQL

RESULTS = results_path("duplicates_results.json")
PLAN = results_path("duplicates_plan.txt")
TARGET_MS = 10000


def bench_company(env, company, repeat):
    """The durations of the rebuild on an empty list (the first run) and
    of the rebuild right after it (the nightly run when nothing changed),
    each pair of runs rolled back, and the pairs the last run found."""
    Duplicate = env["sh.customer.duplicate"].with_company(company)
    partners = env["res.partner"].with_company(company)
    first, again, names, counts = [], [], [], {}
    for _index in range(repeat):
        names += timed(lambda: finder().alike_names(partners, company), 1)
        env.cr.execute(SQL("SAVEPOINT bench_duplicates"))
        env.cr.execute(SQL("DELETE FROM sh_customer_duplicate WHERE company_id = %s", company.id))
        env.invalidate_all()
        first += timed(lambda: Duplicate._sh_rebuild(company), 1)
        again += timed(lambda: Duplicate._sh_rebuild(company), 1)
        counts = count_pairs(env, company)
        env.cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_duplicates"))
    return first, again, names, counts


def finder():
    """The finder's SQL module, importable once the registry set the
    addons path."""
    from odoo.addons.sh_customers.figures import duplicates

    return duplicates


def count_pairs(env, company):
    [row] = env.execute_query(
        SQL(
            """
            SELECT COUNT(*),
                   COUNT(*) FILTER (WHERE match_vat),
                   COUNT(*) FILTER (WHERE match_phone),
                   COUNT(*) FILTER (WHERE match_email),
                   COUNT(*) FILTER (WHERE name_similarity >= %s),
                   COUNT(*) FILTER (WHERE NOT (match_vat OR match_phone OR match_email))
              FROM sh_customer_duplicate
             WHERE company_id = %s
            """,
            finder().SIMILARITY_THRESHOLD,
            company.id,
        )
    )
    keys = ("pairs", "same tax ID", "same phone", "same e-mail", "alike names", "names only")
    return dict(zip(keys, row, strict=True))


def write_plan(env, company, trigram):
    """The EXPLAIN ANALYZE of the rebuild's statement (rolled back)."""
    duplicates = finder()
    env.cr.execute(SQL("SAVEPOINT bench_plan"))
    partners = env["res.partner"].with_company(company)
    alike = duplicates.alike_names(partners, company) if trigram else None
    env.cr.execute(
        SQL("EXPLAIN (ANALYZE, BUFFERS) %s", duplicates.rebuild_sql(partners, company, alike))
    )
    PLAN.write_text("\n".join(row[0] for row in env.cr.fetchall()) + "\n")
    env.cr.execute(SQL("ROLLBACK TO SAVEPOINT bench_plan"))


def add_generated(env, count):
    """Add ``count`` customers planned by the demo generator to the first
    company, without documents."""
    from odoo.addons.sh_customers.demo.customers import CustomerPlanning

    company = env["res.company"].search([], limit=1)
    saudi = env.ref("base.sa")
    plans = CustomerPlanning()._plan_customers(random.Random(2024), count, 0.5)
    vals_list = []
    for plan in plans:
        vals = dict(plan["vals"]["vals"], company_id=company.id, country_id=saudi.id)
        vals_list.append(vals)
    for start in range(0, len(vals_list), 1000):
        env["res.partner"].create(vals_list[start : start + 1000])
        env.cr.commit()
        env.invalidate_all()


def main():
    parser = arguments(__doc__, repeat=5)
    parser.add_argument("--add-generated", type=int, default=0, metavar="N")
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if "sh.customer.duplicate" not in env:
            raise SystemExit(f"{args.db} lacks sh.customer.duplicate: update sh_customers in it.")
        if args.add_generated:
            add_generated(env, args.add_generated)
        data = data_summary(env)
        admin = env.ref("base.user_admin")
        companies = env["res.company"].search([])
        user_env = env(
            user=admin,
            su=False,
            context={"lang": "en_US", "allowed_company_ids": companies.ids},
        )
        trigram = finder().has_trigram(cr)
        table, found = [], {}
        for company in companies:
            [(customers,)] = env.execute_query(
                SQL(
                    "SELECT COUNT(*) FROM res_partner WHERE active AND customer_rank > 0 "
                    "AND (company_id = %s OR company_id IS NULL)",
                    company.id,
                )
            )
            if not customers:
                continue
            first, again, names, counts = bench_company(user_env, company, args.repeat)
            label = f"{company.name} ({customers} customers)"
            table += [
                (f"first run, {label}", first),
                (f"run again, {label}", again),
                (f"of it the alike names, {label}", names),
            ]
            found[label] = counts
        write_plan(user_env, companies[0], trigram)
        cr.rollback()
    print(
        f"Data: {data['customers']} customers; pg_trgm {'installed' if trigram else 'MISSING'}; "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print_measures(table)
    for label, counts in found.items():
        print(f"{label}: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
    slow = [label for label, samples in table if median_ms(samples) > TARGET_MS]
    print(f"Target: under {TARGET_MS / 1000:.0f} s each; " + (f"SLOW: {slow}" if slow else "met."))
    print(f"Plan of the first company's statement: {PLAN}")
    RESULTS.write_text(
        json.dumps(
            {
                "data": data,
                "measures": {label: median_ms(samples) for label, samples in table},
                "pairs": found,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
