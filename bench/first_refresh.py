"""Time the installation of sh_customers on a database that already has
customers and posted documents, and the first refresh of their figures that
runs after it in the background.

    createdb -T <database without sh_customers> <db>
    /opt/odoo18/venv/bin/python bench/first_refresh.py --db <db>

Installs sh_customers (``odoo-bin -i sh_customers --stop-after-init``),
timed until the command returns; then starts Odoo on the database (no HTTP,
one cron thread), wakes its cron thread and waits until the first refresh's
progress (the system parameter ``sh_customers.first_refresh``) is cleared,
printing it as it goes. The refresh's own time is read from the scheduled
action's progress records: from the first batch's start to the last one's
end.
"""

import argparse
import itertools
import subprocess
import sys
import time

import psycopg2
from common import ADDONS_PATH, ODOO_HOME

FIRST_REFRESH_PARAM = "sh_customers.first_refresh"
CRON_XMLID = "ir_cron_sh_refresh_customer_stats"


def odoo_command(db, *options):
    return [
        f"{ODOO_HOME}/venv/bin/python",
        f"{ODOO_HOME}/src/odoo-bin",
        f"--addons-path={ADDONS_PATH}",
        "-d",
        db,
        "--log-level=warn",
        *options,
    ]


def scalar(connection, query, params=()):
    with connection.cursor() as cr:
        cr.execute(query, params)
        row = cr.fetchone()
    connection.commit()
    return row and row[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between two looks")
    args = parser.parse_args()
    connection = psycopg2.connect(dbname=args.db)
    customers = scalar(
        connection, "SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id"
    )
    print(f"{customers} commercial partners", flush=True)

    start = time.monotonic()
    subprocess.run(odoo_command(args.db, "-i", "sh_customers", "--stop-after-init"), check=True)
    print(f"install returned after {time.monotonic() - start:.1f} s", flush=True)
    print(f"progress: {scalar(connection, _param_query(), (FIRST_REFRESH_PARAM,))}", flush=True)

    server = subprocess.Popen(
        odoo_command(args.db, "--no-http", "--max-cron-threads=1"), stdout=sys.stdout
    )
    start = time.monotonic()
    # The scheduler listens on the "postgres" database.
    postgres = psycopg2.connect(dbname="postgres")
    try:
        while progress := scalar(connection, _param_query(), (FIRST_REFRESH_PARAM,)):
            # Wake the cron thread, as the trigger of an install in a
            # running server does.
            scalar(postgres, "SELECT pg_notify('cron_trigger', %s)", (args.db,))
            print(f"{time.monotonic() - start:7.1f} s  {progress}", flush=True)
            time.sleep(args.poll)
        print(f"first refresh done, seen after {time.monotonic() - start:.1f} s", flush=True)
    finally:
        server.terminate()
        server.wait()
    starts = _batch_starts(connection)
    steps = sorted(later - earlier for earlier, later in itertools.pairwise(starts))
    print(
        f"{len(starts)} batches started over {starts[-1] - starts[0]:.1f} s,"
        f" {steps[len(steps) // 2]:.1f} s from one batch's start to the next's (median)"
    )


def _param_query():
    return "SELECT value FROM ir_config_parameter WHERE key = %s"


def _batch_starts(connection):
    """When each batch of the refresh started (its progress record was
    made), in seconds."""
    with connection.cursor() as cr:
        cr.execute(
            """
            SELECT EXTRACT(EPOCH FROM progress.create_date)
              FROM ir_cron_progress progress
              JOIN ir_model_data data
                ON data.model = 'ir.cron' AND data.res_id = progress.cron_id
             WHERE data.module = 'sh_customers' AND data.name = %s AND progress.done > 0
             ORDER BY progress.id
            """,
            (CRON_XMLID,),
        )
        return [float(start) for (start,) in cr.fetchall()]


if __name__ == "__main__":
    main()
