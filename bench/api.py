"""Measure the customers API's customer summary on the benchmark data (see
README.md, "API").

    /opt/odoo18/venv/bin/python bench/api.py [--db bench_sh_customers] [--repeat 3]
        [--customers 200]

On the database restored by bench/build_data.py, as the admin user (who sees
receivables), for a fixed random sample of customers with purchases, in one
run and interleaved:

- the model method the route calls (``sh.customer.api.get_customer``), its
  answer serialised to JSON, with the ORM caches emptied before each call as
  in a new request;
- the full request ``GET /api/customers/{id}/`` through Odoo's WSGI
  application in this process (routing, API key check, company, the method,
  the JSON answer), without the network;
- for comparison, Odoo's own per-customer figures read the generic way:
  ``res.partner.read`` of ``credit`` and ``total_invoiced``.

Measurements, not tests: each is repeated and its median printed. The API
key the requests need is created for the run and removed after it; nothing
else is written.
"""

import json
import os
import platform
import random
import statistics
import time

from common import (  # bench/common.py, beside this script
    arguments,
    median_ms,
    method_timer,
    open_registry,
    print_measures,
    results_path,
)
from werkzeug.test import Client

import odoo

RESULTS = results_path("api_results.json")
TARGET_MS = 30.0


def percentile_ms(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


def sample_customers(env, count):
    env.cr.execute(
        """
        SELECT id FROM res_partner
         WHERE id = commercial_partner_id AND active
           AND (sh_invoice_count->>%s)::int > 0
         ORDER BY id
        """,
        [str(env.ref("base.user_admin").company_id.id)],
    )
    ids = [row[0] for row in env.cr.fetchall()]
    return random.Random(2024).sample(ids, min(count, len(ids))), len(ids)


def create_key(registry, admin_id):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, admin_id, {})
        key = env["res.users.apikeys"].sudo()._generate(None, "bench/api.py", None)
        cr.commit()
    return key


def remove_key(registry):
    with registry.cursor() as cr:
        cr.execute("DELETE FROM res_users_apikeys WHERE name = 'bench/api.py'")
        cr.commit()


def bench_api(registry, env, customer_ids, repeat):
    from odoo.addons.sh_customers.models.sh_customer_api import ShCustomerApi

    admin = env.ref("base.user_admin")
    context = {"lang": "en_US", "tz": "Asia/Riyadh", "allowed_company_ids": admin.company_id.ids}
    user_env = env(user=admin, su=False, context=context)
    customers_api = user_env["sh.customer.api"]
    partners = user_env["res.partner"]
    key = create_key(registry, admin.id)
    client = Client(odoo.http.root)
    headers = {"Authorization": f"Bearer {key}"}
    samples = {"method": [], "http": [], "http_method": [], "native": []}
    answer = None
    try:
        # Warm the registry's caches (routing map, views, rules) as a
        # running server has them.
        response = client.get(f"/api/customers/{customer_ids[0]}/", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        answer = response.get_json()
        with method_timer(ShCustomerApi, "get_customer") as spent:
            for _round in range(repeat):
                for partner_id in customer_ids:
                    user_env.invalidate_all()
                    start = time.perf_counter()
                    json.dumps(customers_api.get_customer(str(partner_id)))
                    samples["method"].append(time.perf_counter() - start)

                    calls = len(spent)
                    start = time.perf_counter()
                    response = client.get(f"/api/customers/{partner_id}/", headers=headers)
                    samples["http"].append(time.perf_counter() - start)
                    assert response.status_code == 200, response.get_data(as_text=True)
                    samples["http_method"] += spent[calls:]

                    user_env.invalidate_all()
                    start = time.perf_counter()
                    json.dumps(
                        partners.browse(partner_id).read(["name", "credit", "total_invoiced"]),
                        default=str,
                    )
                    samples["native"].append(time.perf_counter() - start)
    finally:
        remove_key(registry)
    return samples, answer


def main():
    parser = arguments(__doc__, repeat=3)
    parser.add_argument("--customers", type=int, default=200)
    args = parser.parse_args()
    # One database named, no filter: the requests find it without listing
    # the server's databases, as on a single-database server.
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        customer_ids, buyers = sample_customers(env, args.customers)
        samples, answer = bench_api(registry, env, customer_ids, args.repeat)
        cr.rollback()

    table = [
        ("summary: model method (get_customer + JSON)", samples["method"]),
        ("summary: full request GET /api/customers/{id}/", samples["http"]),
        ("  of which the model method", samples["http_method"]),
        ("native: res.partner.read credit, total_invoiced", samples["native"]),
    ]
    print()
    print(f"Customers with purchases: {buyers}; sample: {len(customer_ids)} x {args.repeat}")
    print(f"Answer: {json.dumps(answer)}")
    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print()
    print_measures(table, ("p95 ms", lambda samples: percentile_ms(samples, 0.95)))
    method_ms = median_ms(samples["method"])
    http_ms = median_ms(samples["http"])
    print()
    print(
        f"summary: {method_ms:.1f} ms in the model method, {http_ms:.1f} ms the full request "
        f"(target < {TARGET_MS:.0f} ms: {'met' if http_ms < TARGET_MS else 'NOT met'})"
    )
    RESULTS.write_text(
        json.dumps(
            {
                "customers_with_purchases": buyers,
                "sample": len(customer_ids),
                "repeat": args.repeat,
                "median_ms": {name: median_ms(values) for name, values in samples.items()},
                "p95_ms": {name: percentile_ms(values, 0.95) for name, values in samples.items()},
                "mean_ms": {
                    name: statistics.fmean(values) * 1000 for name, values in samples.items()
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
