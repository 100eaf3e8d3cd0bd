"""What the benchmarks share: where Odoo and the addons are, opening the
benchmark database, timing and printing measures, the data's size, and
draft invoices to post."""

import argparse
import os
import statistics
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import odoo
from odoo import Command, fields
from odoo.tools import config

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ODOO_HOME = Path(os.environ.get("ODOO_HOME", "/opt/odoo18"))
ADDONS_PATH = f"{ODOO_HOME}/src/odoo/addons,{REPO}"
# Results, dumps and plans: not versioned.
DATA = HERE / "data"


def results_path(name):
    """Where a benchmark writes its results (bench/data/, made if missing)."""
    DATA.mkdir(exist_ok=True)
    return DATA / name


def arguments(doc, repeat):
    """A parser with the options every benchmark takes: the database and
    how many times each measure is repeated."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--db", default="bench_sh_customers")
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser


def open_registry(db):
    """The registry of ``db`` with our addons, Odoo's logging set up."""
    config.parse_config([f"--addons-path={ADDONS_PATH}", "-d", db, "--log-level=warn"])
    odoo.netsvc.init_logger()
    return odoo.modules.registry.Registry(db)


def median_ms(samples):
    return statistics.median(samples) * 1000


def print_measures(table, spread=("min ms", lambda samples: min(samples) * 1000)):
    """Print ``(label, samples)`` rows: the median, a spread column (the
    minimum unless told), the maximum and the count, in milliseconds."""
    spread_label, spread_ms = spread
    width = max(len(label) for label, _samples in table)
    print(f"{'measure'.ljust(width)}  median ms  {spread_label:>9}     max ms     n")
    for label, samples in table:
        print(
            f"{label.ljust(width)}  {median_ms(samples):9.1f}  {spread_ms(samples):9.1f}"
            f"  {max(samples) * 1000:9.1f}  {len(samples):4d}"
        )


def timed(function, repeat, before=None):
    """Run ``function`` ``repeat`` times (``before`` untimed ahead of each
    run); returns the durations in seconds."""
    samples = []
    for _index in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def vacuum(db, *tables):
    subprocess.run(
        ["psql", "-q", "-d", db, "-c", f"VACUUM ANALYZE {', '.join(tables)}"], check=True
    )


@contextmanager
def method_timer(model_class, name):
    """Time spent in ``model_class.<name>`` while the block runs: yields the
    list of durations, one per call."""
    original = getattr(model_class, name)
    own = name in vars(model_class)
    spent = []

    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    setattr(model_class, name, wrapper)
    try:
        yield spent
    finally:
        if own:
            setattr(model_class, name, original)
        else:
            delattr(model_class, name)


def draft_invoices(env, count, rng, customers=None):
    """``count`` draft invoices of three lines each, dated today, for
    customers drawn from ``customers`` (ids; by default, every customer
    with a posted invoice)."""
    if customers is None:
        env.cr.execute(
            """
            SELECT DISTINCT commercial_partner_id FROM account_move
             WHERE move_type = 'out_invoice' AND state = 'posted'
             ORDER BY 1
            """
        )
        customers = [row[0] for row in env.cr.fetchall()]
    products = env["product.product"].search([("sale_ok", "=", True)], limit=40).ids
    today = fields.Date.context_today(env["res.partner"])
    return (
        env["account.move"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": rng.choice(customers),
                    "invoice_date": today,
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": rng.choice(products), "quantity": 2, "price_unit": 150}
                        )
                        for _line in range(3)
                    ],
                }
                for _index in range(count)
            ]
        )
    )


def data_summary(env):
    queries = {
        "customers": "SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id",
        "posted invoices": "SELECT COUNT(*) FROM account_move WHERE state = 'posted' "
        "AND move_type = 'out_invoice'",
        "posted credit notes": "SELECT COUNT(*) FROM account_move WHERE state = 'posted' "
        "AND move_type = 'out_refund'",
        "payments": "SELECT COUNT(*) FROM account_payment",
        "journal items": "SELECT COUNT(*) FROM account_move_line",
        "open receivable items": "SELECT COUNT(*) FROM account_move_line l "
        "JOIN account_account a ON a.id = l.account_id WHERE a.account_type = "
        "'asset_receivable' AND NOT l.reconciled AND l.parent_state = 'posted'",
    }
    summary = {}
    for label, query in queries.items():
        env.cr.execute(query)
        summary[label] = env.cr.fetchone()[0]
    return summary
