"""Measure the bulk import of customers (see README.md, "Import").

    /opt/odoo18/venv/bin/python bench/import.py --db <db> [--rows 10000] [--repeat 1]

On a database with sh_customers installed, as the admin user (a Customers
manager), with ``--rows`` rows generated from a fixed seed: Arabic and
Latin names, mobiles written locally, with the country code or in
Arabic-Indic digits, e-mails, customer types, salespeople by login, cities;
one row in fifty with a bad e-mail or mobile, one in a hundred repeating an
earlier row's mobile, and one in twenty naming an existing customer's
mobile (when the database has customers with mobiles). Then, each repeated
and rolled back after each run, so that nothing is written:

- **dry run**: ``sh.customer.import._sh_import_rows(dry_run=True)``;
- **wizard dry run**: the same rows as a CSV file through the wizard: the
  file read by base_import, the columns mapped, the dry run and its 10,000
  lines written;
- **import**: the same rows imported (``valid_only``, matches updated), the
  writes flushed;
- **re-import unchanged**: the imported customers exported in the import's
  layout (``report.sh_customers.customer_import_xlsx._sh_import_rows``)
  and imported again: every row matched, nothing to write;
- **re-import with a change**: the same, every customer's city changed.

Target: under 60 s for the dry run and for the import of 10,000 rows.
The numbers go to ``bench/data/import_results.json`` (not versioned).
"""

import base64
import csv
import io
import json
import platform
import random
import time

from common import arguments, open_registry, print_measures, results_path

import odoo

RESULTS = results_path("import_results.json")
FIRST_NAMES = ["محمد", "أحمد", "فاطمة", "Omar", "Sara", "خالد", "نورة", "Yousef", "Lina", "عبدالله"]
LAST_NAMES = ["العتيبي", "Al Harbi", "القحطاني", "Haddad", "الشمري", "Nasser", "الدوسري", "Saleh"]
TRADES = ["ورشة", "Garage", "Fleet", "مؤسسة", "Auto Parts", ""]
TYPES = ["retail", "Workshop", "fleet", "wholesale", ""]
CITIES = ["الرياض", "Jeddah", "الدمام", "Mecca", "Medina", ""]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def generate_rows(env, count, seed):
    """``count`` import rows from ``seed`` (see the module's head)."""
    rng = random.Random(seed)
    env.cr.execute(
        "SELECT sh_mobile_key FROM res_partner WHERE sh_mobile_key IS NOT NULL ORDER BY id"
    )
    existing = [row[0] for row in env.cr.fetchall()]
    logins = env["res.users"].search([("share", "=", False)]).mapped("login")
    rows = []
    for index in range(count):
        number = 500000000 + index * 7 + 1
        mobile = f"0{number}"
        spelling = rng.random()
        if spelling < 0.3:
            mobile = f"+966 {number}"
        elif spelling < 0.45:
            mobile = mobile.translate(ARABIC_DIGITS)
        row = {
            "name": " ".join(
                part
                for part in (
                    rng.choice(TRADES),
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    str(index),
                )
                if part
            ),
            "mobile": mobile,
            "email": f"customer{index}@example.com" if rng.random() < 0.6 else "",
            "sh_customer_type": rng.choice(TYPES),
            "user_id": rng.choice(logins) if rng.random() < 0.5 else "",
            "city": rng.choice(CITIES),
        }
        draw = rng.random()
        if draw < 0.02:
            row["email"] = f"customer{index}@"
        elif draw < 0.03:
            row["mobile"] = "0500"
        elif draw < 0.04 and rows:
            row["mobile"] = rng.choice(rows)["mobile"]
        elif draw < 0.09 and existing:
            row["mobile"] = rng.choice(existing)
        rows.append(row)
    return rows


def main():
    parser = arguments(__doc__, repeat=1)
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    registry = open_registry(args.db)
    table, counts = [], {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin.id, context={"lang": "en_US", "tz": "UTC"})
        customers = env["res.partner"].search_count([("parent_id", "=", False)])
        rows = generate_rows(env, args.rows, args.seed)
        Import = env["sh.customer.import"]
        export = env["report.sh_customers.customer_import_xlsx"]
        output = io.StringIO()
        writer = csv.DictWriter(output, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        csv_file = base64.b64encode(output.getvalue().encode())
        samples = {
            "dry run": [],
            "wizard dry run": [],
            "import": [],
            "re-import unchanged": [],
            "re-import with a change": [],
        }

        def measure(label, function):
            env.invalidate_all()
            start = time.perf_counter()
            result = function()
            env.flush_all()
            samples[label].append(time.perf_counter() - start)
            counts[label] = result["counts"]
            return result

        for _run in range(args.repeat):
            measure(
                "dry run",
                lambda: Import._sh_import_rows(rows, dry_run=True, mode="valid_only"),
            )
            wizard = env["sh.customer.import.wizard"].create(
                {"file": csv_file, "file_name": "customers.csv", "mode": "valid_only"}
            )

            def wizard_dry_run(wizard=wizard):
                wizard.action_read_file()
                wizard.action_dry_run()
                return {
                    "counts": {
                        outcome: wizard[f"{outcome}_count"]
                        for outcome in ("created", "updated", "skipped", "rejected")
                    }
                }

            measure("wizard dry run", wizard_dry_run)
            result = measure(
                "import",
                lambda: Import._sh_import_rows(rows, dry_run=False, mode="valid_only"),
            )
            imported = env["res.partner"].browse(result["created_ids"])
            exported = export._sh_import_rows(imported)
            measure(
                "re-import unchanged",
                lambda exported=exported: Import._sh_import_rows(
                    exported, dry_run=False, mode="valid_only"
                ),
            )
            changed = [{**row, "city": f"{row['city']} 2".strip()} for row in exported]
            measure(
                "re-import with a change",
                lambda changed=changed: Import._sh_import_rows(
                    changed, dry_run=False, mode="valid_only"
                ),
            )
            cr.rollback()
            env.invalidate_all()
        table = [(label, values) for label, values in samples.items()]
    print(f"{args.rows} rows, {customers} customers in the database before the import")
    for label, value in counts.items():
        print(f"{label}: {value}")
    print_measures(table)
    results = {
        "db": args.db,
        "rows": args.rows,
        "customers_before": customers,
        "machine": platform.platform(),
        "counts": counts,
        "seconds": {label: values for label, values in table},
    }
    RESULTS.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
