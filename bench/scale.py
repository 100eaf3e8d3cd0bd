"""How the costs grow with the customers: the same measures at several sizes,
each database grown from one built base, and their curves.

    /opt/odoo18/venv/bin/python bench/scale.py --base bench_base \\
        --sizes 5000,20000,100000 [--repeat 3] [--keep] [--reuse] [--append]

The base is a database built by ``bench/build_data.py`` (the generator's
customers with two years of documents posted and paid through Odoo's flows;
``--customers 3000 --cohort 3000`` builds one in about 20 minutes on two
cores). For each size, ``bench_scale_<size>`` is made from it:

1. ``createdb -T <base>``, then ``bench/clone_data.py`` with as many copies as
   bring the customers nearest to the size (each copy repeats the base's
   customers, their documents, payments and reconciliations with new ids),
   ``VACUUM ANALYZE``, and ``odoo-bin -u sh_customers`` with the current code;
2. the check that the copies are whole: for every customer, Odoo's own
   *Total Receivable* (``credit``, computed by Odoo from the journal items)
   equals our stored debt, to the cent;
3. ``bench/run.py`` (the floor, the nightly refresh, posting, the customers
   and contacts pages), ``bench/dashboard.py`` (the dashboard's data call)
   and ``bench/api.py`` (the customer summary), each its own process.

The medians go to bench/data/scale_results.json and the curves to
bench/scale.png. The databases are dropped afterwards unless ``--keep``; with
``--reuse``, those an earlier run kept are measured again after ``odoo-bin -u
sh_customers`` instead of being grown again (the credit check still runs).
"""

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import ADDONS_PATH, DATA, HERE, ODOO_HOME  # bench/common.py, beside this script

PYTHON = str(Path(ODOO_HOME) / "venv" / "bin" / "python")
ODOO_BIN = str(Path(ODOO_HOME) / "src" / "odoo-bin")
FILESTORE = Path.home() / ".local" / "share" / "Odoo" / "filestore"
RESULTS = DATA / "scale_results.json"
CHART = HERE / "scale.png"
# The measures drawn, by the script and key of its results.
MEASURES = {
    "nightly refresh": ("run", "refresh_next_day"),
    "floor (one SELECT)": ("run", "floor"),
    "customers page (list and KPIs)": ("run", "page_customers_concurrent"),
    "contacts page": ("run", "page_contacts"),
    "KPI cards": ("run", "page_customers_kpis"),
    "dashboard data call": ("dashboard", "dashboard"),
    "customer summary (API method)": ("api", "method"),
    "our hook inside posting": ("run", "hook_in_post"),
}
SCRIPTS = {
    "run": ("run.py", "results.json"),
    "dashboard": ("dashboard.py", "dashboard_results.json"),
    "api": ("api.py", "api_results.json"),
}


def shell(*command, **kwargs):
    print("$", " ".join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def psql(db, sql):
    return subprocess.run(
        ["psql", "-X", "-q", "-At", "-d", db, "-c", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def customers(db):
    return int(psql(db, "SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id"))


def customers_or_none(db):
    """The customers of ``db``, or None when there is no such database."""
    try:
        return customers(db)
    except subprocess.CalledProcessError:
        return None


def update(db):
    """``odoo-bin -u sh_customers`` on ``db`` with the current code."""
    shell(
        PYTHON,
        ODOO_BIN,
        f"--addons-path={ADDONS_PATH}",
        "-d",
        db,
        "-u",
        "sh_customers",
        "--stop-after-init",
        "--log-level=warn",
        "--http-port=0",
        "--max-cron-threads=0",
    )


def grow(base, db, size):
    """Make ``db`` from ``base`` with about ``size`` customers; returns the
    seconds each step took."""
    steps = {}
    start = time.monotonic()
    shell("dropdb", "--if-exists", db)
    shell("createdb", "-T", base, db)
    if (FILESTORE / base).exists():
        shutil.rmtree(FILESTORE / db, ignore_errors=True)
        shutil.copytree(FILESTORE / base, FILESTORE / db)
    steps["copy of the base"] = time.monotonic() - start
    copies = max(round(size / customers(base)) - 1, 0)
    start = time.monotonic()
    if copies:
        shell(PYTHON, HERE / "clone_data.py", db, copies)
    steps[f"{copies} copies (clone_data.py)"] = time.monotonic() - start
    start = time.monotonic()
    shell("psql", "-X", "-q", "-d", db, "-c", "VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.monotonic() - start
    start = time.monotonic()
    update(db)
    steps["odoo-bin -u sh_customers"] = time.monotonic() - start
    return steps


CHECK = """
import json
from odoo.tools import SQL
company_ids = env["res.company"].search([]).ids
partners = env["res.partner"].with_context(active_test=False, allowed_company_ids=company_ids)
ids = [row[0] for row in env.execute_query(SQL(
    "SELECT id FROM res_partner"
    " WHERE id = commercial_partner_id AND customer_rank > 0 ORDER BY id"))]
debt = dict(env.execute_query(SQL(
    "SELECT partner_id, SUM(debt) FROM sh_customer_figure GROUP BY partner_id")))
checked, different = 0, []
for start in range(0, len(ids), 5000):
    batch = partners.browse(ids[start:start + 5000])
    for partner in batch:
        checked += 1
        if round(partner.credit - (debt.get(partner.id) or 0.0), 2):
            different.append([partner.id, partner.credit, debt.get(partner.id)])
    env.invalidate_all()
print("CHECK " + json.dumps({"customers": checked, "different": different[:20],
                             "different_count": len(different)}))
"""


def check(db):
    """Odoo's *Total Receivable* against our debt, for every customer."""
    result = shell(
        PYTHON,
        ODOO_BIN,
        "shell",
        f"--addons-path={ADDONS_PATH}",
        "-d",
        db,
        "--no-http",
        "--log-level=warn",
        input=CHECK,
        capture_output=True,
        text=True,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("CHECK "))
    return json.loads(line[len("CHECK ") :])


def measure(db, repeat):
    """Run each benchmark script on ``db``; returns its medians by script."""
    medians = {}
    for name, (script, results) in SCRIPTS.items():
        extra = ["--customers", "100"] if name == "api" else []
        shell(PYTHON, HERE / script, "--db", db, "--repeat", repeat, *extra)
        medians[name] = json.loads((DATA / results).read_text())["median_ms"]
    return medians


def draw(results):
    """The curves, one panel per measure, against the customers."""
    import matplotlib  # only to draw, not to measure

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sizes = [result["customers"] for result in results]
    columns = 4
    rows = math.ceil(len(MEASURES) / columns)
    figure, axes = pyplot.subplots(rows, columns, figsize=(4 * columns, 3.2 * rows))
    for axis, (label, (script, key)) in zip(axes.flat, MEASURES.items(), strict=False):
        values = [result["medians"][script].get(key) for result in results]
        axis.plot(sizes, values, marker="o")
        axis.set_title(label, fontsize=10)
        axis.set_xlabel("customers")
        axis.set_ylabel("ms (median)")
        axis.set_ylim(bottom=0)
        axis.grid(True, alpha=0.3)
    for axis in list(axes.flat)[len(MEASURES) :]:
        axis.axis("off")
    figure.tight_layout()
    figure.savefig(CHART, dpi=90)


def growth(results):
    """Each measure's cost per customer at each size, relative to the first
    size: 1.0 everywhere is linear; falling towards 0 is flat."""
    first = results[0]
    lines = []
    for label, (script, key) in MEASURES.items():
        base = first["medians"][script].get(key)
        cells = []
        for result in results:
            value = result["medians"][script].get(key)
            per_customer = (value / result["customers"]) / (base / first["customers"])
            cells.append(f"{value:,.1f} ms ({per_customer:.2f})")
        lines.append(f"{label:34} " + "  ".join(cells))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="bench_base")
    parser.add_argument("--sizes", default="5000,20000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the databases kept by an earlier run again (updated, not grown)",
    )
    parser.add_argument(
        "--append", action="store_true", help="add to the sizes already in the results"
    )
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text()) if args.append and RESULTS.exists() else []
    done = {result["size"] for result in results}
    for size in [int(size) for size in args.sizes.split(",") if int(size) not in done]:
        db = f"bench_scale_{size}"
        start = time.monotonic()
        if args.reuse and customers_or_none(db) is not None:
            # A database kept by an earlier run (--keep): updated, not grown.
            update(db)
            shell("psql", "-X", "-q", "-d", db, "-c", "VACUUM ANALYZE")
            steps = {"odoo-bin -u sh_customers, VACUUM ANALYZE (reused)": time.monotonic() - start}
        else:
            steps = grow(args.base, db, size)
        build_s = time.monotonic() - start
        checked = check(db)
        if checked["different_count"]:
            sys.exit(f"{db}: Odoo's credit differs from our debt: {checked}")
        medians = measure(db, args.repeat)
        results.append(
            {
                "size": size,
                "customers": customers(db),
                "build_s": round(build_s, 1),
                "steps_s": {step: round(seconds, 1) for step, seconds in steps.items()},
                "check": checked,
                "medians": medians,
            }
        )
        RESULTS.write_text(json.dumps(results, indent=2))
        if not args.keep:
            shell("dropdb", db)
            shutil.rmtree(FILESTORE / db, ignore_errors=True)
    results.sort(key=lambda result: result["customers"])
    draw(results)
    print()
    for result in results:
        print(
            f"{result['customers']} customers: built in {result['build_s']} s {result['steps_s']}; "
            f"credit = debt for all {result['check']['customers']} customers"
        )
    print("median ms (per customer, relative to the first size):")
    print("\n".join(growth(results)))
    print(f"Curves: {CHART}; numbers: {RESULTS}")


if __name__ == "__main__":
    main()
