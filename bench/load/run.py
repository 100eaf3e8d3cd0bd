"""Load and faults on the customers API (see bench/README.md, "Load and
faults").

    python3 bench/load/run.py                   # both configurations, 50 clients, 5 min each
    python3 bench/load/run.py -u 10 -t 30s      # shorter, while developing
    python3 bench/load/run.py --faults -u 25 -t 2m   # the faults, then the interrupted refresh
    python3 bench/load/run.py --faults --no-pg-restart   # the faults but PostgreSQL's restart
    python3 bench/load/run.py --nightly         # the interrupted nightly refresh alone

Works on a copy of the benchmark database (``--template``, default
bench_21k; the copy ``--db``, default load_21k, made when missing with its
filestore, and prepared once by ``dbtasks.py prepare``: every customer a
member of the loyalty program, the figures refreshed, an API key). Locust
(bench/load/requirements.txt) runs in an environment of its own,
$ODOO_HOME/locust-venv, made when missing: never in Odoo's, whose gevent it
would upgrade.

For each configuration, in one run: (a) Odoo's multi-process server with 4
HTTP workers and a cron worker (scripts/start's flags) reading from a
streaming replica (scripts/replica, a cluster of its own: ``--replica-cluster``,
``--replica-port``), (b) 1 HTTP worker and no replica. Each: the server
started on the copy, the clients of locustfile.py (``-u`` clients, ``-r``
started per second, ``-t`` long, headless), the server stopped, then the
ledger checks (dbtasks.py check). Prints and writes (bench/data/load/)
the throughput and the 50th/95th/99th percentiles per route, the failures
(5xx and transport errors), the expected refusals counted apart, and the
checks.

``--faults``: one configuration, (a), during a load run (the clients go on
until 30 s after the last fault, at least ``-t``): one HTTP worker killed
(SIGKILL), PostgreSQL's primary restarted (waiting first until no
``odoo-bin --test-enable`` runs on the machine), the replica stopped then
started again. Each outage lasts from the fault until the server answers a
read again. Failures are allowed only within the outage windows; after
them the server must answer without being restarted and the ledger checks
must hold. Then the nightly refresh: every customer's figures made stale,
the refresh's process killed (SIGKILL) after some batches were committed,
run again to its end, and the figures compared with a full refresh's.
"""

import argparse
import csv
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ODOO_HOME = Path(os.environ.get("ODOO_HOME", "/opt/odoo18"))
ODOO_PYTHON = str(ODOO_HOME / "venv/bin/python")
ODOO_BIN = str(ODOO_HOME / "src/odoo-bin")
ADDONS_PATH = f"{ODOO_HOME}/src/odoo/addons,{REPO}"
LOCUST_VENV = ODOO_HOME / "locust-venv"
FILESTORE = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "Odoo/filestore"
OUT = REPO / "bench/data/load"
DBTASKS = str(HERE / "dbtasks.py")
# Errors that end later than this after an outage are not the outage's.
GRACE = 5.0
ROUTES = (
    "GET summary",
    "GET loyalty",
    "GET dashboard",
    "GET top-customers",
    "POST add_interaction",
    "POST add_task",
    "POST add_points",
    "POST redeem_reward",
)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def psql(db, query):
    return run(["psql", "-d", db, "-Atqc", query], capture_output=True).stdout.strip()


# ----------------------------------------------------------------------
# Set-up


def locust_bin():
    locust = LOCUST_VENV / "bin/locust"
    if not locust.exists():
        log(f"Making the load test's environment {LOCUST_VENV}")
        run([sys.executable, "-m", "venv", str(LOCUST_VENV)])
        run([str(LOCUST_VENV / "bin/pip"), "install", "-q", "-r", str(HERE / "requirements.txt")])
    return str(locust)


def database(args):
    """The copy of the template, made and prepared when missing; returns
    the prepared data (the API key, the customers, the rewards)."""
    data = OUT / f"{args.db}.json"
    exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'")
    if not exists:
        log(f"Copying {args.template} to {args.db}")
        run(["createdb", "-T", args.template, args.db])
        if (FILESTORE / args.template).is_dir():
            shutil.copytree(FILESTORE / args.template, FILESTORE / args.db, dirs_exist_ok=True)
        data.unlink(missing_ok=True)
    if not data.exists():
        log(f"Preparing {args.db}: loyalty members, figures refreshed, an API key")
        run([ODOO_PYTHON, DBTASKS, "prepare", "--db", args.db, "--out", str(data)])
    return data


def replica(args, command):
    env = {
        **os.environ,
        "SH_REPLICA_CLUSTER": args.replica_cluster,
        "SH_REPLICA_PORT": str(args.replica_port),
    }
    run([str(REPO / "scripts/replica"), command], env=env)


# ----------------------------------------------------------------------
# The server


class Server:
    """Odoo's multi-process server on the copy, with scripts/start's
    flags for ``workers`` HTTP workers, reading from the replica or not."""

    def __init__(self, args, workers, with_replica, name):
        self.args = args
        self.url = f"http://127.0.0.1:{args.port}"
        self.log_path = OUT / f"odoo-{name}.log"
        cmd = [
            ODOO_PYTHON, ODOO_BIN, f"--addons-path={ADDONS_PATH}", "-d", args.db,
            f"--db-filter=^{args.db}$", "--http-interface=127.0.0.1",
            f"--http-port={args.port}", f"--gevent-port={args.port + 3}",
            f"--workers={workers}", "--max-cron-threads=1",
            f"--limit-memory-soft={2048 * 1024 * 1024}",
            f"--limit-memory-hard={2560 * 1024 * 1024}",
            "--limit-time-cpu=300", "--limit-time-real=600", "--limit-time-real-cron=3600",
            f"--logfile={self.log_path}",
        ]  # fmt: skip
        if with_replica:
            socket_dir = psql("postgres", "SHOW unix_socket_directories").split(",")[0].strip()
            cmd += [f"--db_replica_host={socket_dir}", f"--db_replica_port={args.replica_port}"]
        self.log_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.wait_ready(120)

    def warm_up(self, key, customers, workers):
        """A few concurrent reads, so that every worker has loaded the
        registry before the clients start."""
        paths = [
            f"/api/customers/{customer}/{suffix}"
            for customer in customers[: 3 * workers]
            for suffix in ("", "loyalty/")
        ] + ["/api/customers/dashboard/"] * workers
        with ThreadPoolExecutor(2 * workers) as pool:
            list(pool.map(lambda path: self.answers(path, key), paths))

    def answers(self, path="/web/login", key=None):
        request = urllib.request.Request(self.url + path)
        if key:
            request.add_header("Authorization", f"Bearer {key}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_ready(self, seconds):
        for _second in range(seconds):
            if self.process.poll() is not None:
                raise SystemExit(f"Odoo stopped; see {self.log_path}")
            if self.answers():
                return
            time.sleep(1)
        raise SystemExit(f"Odoo did not answer on {self.url}; see {self.log_path}")

    def http_workers(self):
        """The pids of the live HTTP workers: children of the master that
        logged "Worker WorkerHTTP (pid) alive"."""
        children = run(
            ["ps", "--ppid", str(self.process.pid), "-o", "pid="], capture_output=True
        ).stdout.split()
        logged = re.findall(r"Worker WorkerHTTP \((\d+)\) alive", self.log_path.read_text())
        return [int(pid) for pid in logged if pid in children]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_errors(self):
        lines = self.log_path.read_text(errors="replace").splitlines()
        return [line for line in lines if " ERROR " in line or " CRITICAL " in line]


# ----------------------------------------------------------------------
# Locust and its results


def start_locust(args, data, name, duration):
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**os.environ, "LOAD_DATA": str(data), "LOAD_OUT": str(out)}
    cmd = [
        locust_bin(), "-f", str(HERE / "locustfile.py"), "--headless",
        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", duration,
        "--host", f"http://127.0.0.1:{args.port}", "--csv", str(out / "locust"),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "60",
    ]  # fmt: skip
    return out, subprocess.Popen(
        cmd, env=env, stdout=open(out / "locust.log", "w"), stderr=subprocess.STDOUT
    )


def results(out):
    """Per route: requests, failures, req/s and percentiles (ms), from
    Locust's CSV; the answers counted by status; the failures' log."""
    rows = {}
    with open(out / "locust_stats.csv") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
                "max": row["Max Response Time"],
            }
    counts = {}
    for path in glob.glob(str(out / "counts-*.json")):
        for key, count in json.loads(Path(path).read_text()).items():
            counts[key] = counts.get(key, 0) + count
    failures = []
    for path in glob.glob(str(out / "failures-*.jsonl")):
        failures += [json.loads(line) for line in Path(path).read_text().splitlines()]
    failures.sort(key=lambda failure: failure["t"])
    return {"routes": rows, "counts": counts, "failures": failures}


def print_results(title, result):
    print(f"\n{title}")
    print(
        f"{'route':32} {'requests':>8} {'fail':>5} {'req/s':>6} "
        f"{'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    )
    names = [
        *ROUTES,
        *(f"{route} (replayed)" for route in ROUTES if route.startswith("POST")),
        "Aggregated",
    ]
    for name in names:
        row = result["routes"].get(name)
        if row:
            print(
                f"{name:32} {row['requests']:8d} {row['failures']:5d} {row['rps']:6.1f} "
                f"{row['p50']:>6} {row['p95']:>6} {row['p99']:>6} {float(row['max']):7.0f}"
            )
    statuses = {}
    for key, count in result["counts"].items():
        route, status = key.rsplit("|", 1)
        if status not in ("200", "201"):
            statuses.setdefault(route, []).append(f"{status}: {count}")
    for route, listed in sorted(statuses.items()):
        print(f"  {route}: {', '.join(listed)}")


def checks(args, marks):
    """dbtasks.py check: the ledger checks after a run."""
    process = subprocess.run(
        [ODOO_PYTHON, DBTASKS, "check", "--db", args.db, "--since", str(marks)],
        text=True,
        capture_output=True,
        check=False,
    )
    try:
        return json.loads(process.stdout)
    except ValueError:
        return {"ok": False, "error": process.stdout[-2000:] + process.stderr[-2000:]}


def quiet_scheduler(args):
    """The scheduled jobs due within the next hours moved to tomorrow, so
    that the nightly jobs (the loyalty run, the refresh) do not run in one
    configuration and not in the other: the clients meet the day's server."""
    psql(
        args.db,
        "UPDATE ir_cron SET nextcall = NOW() AT TIME ZONE 'UTC' + INTERVAL '1 day'"
        " WHERE active AND nextcall < NOW() AT TIME ZONE 'UTC' + INTERVAL '12 hours'",
    )


def write_marks(args, name):
    marks = OUT / f"marks-{name}.json"
    out = run([ODOO_PYTHON, DBTASKS, "marks", "--db", args.db], capture_output=True).stdout
    marks.write_text(out.strip().splitlines()[-1])
    return marks


def summary_line(check):
    if "error" in check:
        return "the checks could not run: " + check["error"]
    ledger, idem, figures = check["ledger"], check["idempotency"], check["figures"]
    return (
        f"ledger {'ok' if ledger['ok'] else 'FAILED'} ({ledger['cards']} cards, "
        f"{ledger['cards_wrong']} wrong); idempotency {'ok' if idem['ok'] else 'FAILED'} "
        f"({idem['keys']} keys; applied {idem['applied']}; {idem['coupons_created']} coupons"
        f"{'; ' + '; '.join(idem['problems']) if idem['problems'] else ''}); figures "
        f"{'ok' if figures['ok'] else 'FAILED'} ({figures['customers_compared']} customers, "
        f"{figures['customers_differing']} differ)"
    )


# ----------------------------------------------------------------------
# Load


def load(args, data):
    prepared = json.loads(Path(data).read_text())
    configurations = [("4 workers + replica", 4, True, "w4-replica"), ("1 worker", 1, False, "w1")]
    report = {}
    for title, workers, with_replica, name in configurations:
        if with_replica:
            log(f"Starting the replica {args.replica_cluster} on port {args.replica_port}")
            replica(args, "start")
        quiet_scheduler(args)
        marks = write_marks(args, name)
        log(f"{title}: starting Odoo on port {args.port}")
        server = Server(args, workers, with_replica, name)
        server.warm_up(prepared["key"], prepared["customers"], workers)
        try:
            log(f"{title}: {args.users} clients for {args.time}")
            started = time.time()
            out, locust = start_locust(args, data, name, args.time)
            locust.wait()
            elapsed = time.time() - started
        finally:
            server.stop()
            if with_replica:
                replica(args, "stop")
        result = results(out)
        result["errors_in_log"] = server.log_errors()[:20]
        result["seconds"] = round(elapsed)
        log(f"{title}: the ledger checks")
        result["checks"] = checks(args, marks)
        report[title] = result
        print_results(f"== {title} ({args.users} clients, {args.time})", result)
        print(f"  transport errors and 5xx: {len(result['failures'])}")
        print(f"  errors in Odoo's log: {len(result['errors_in_log'])}")
        print(f"  checks: {summary_line(result['checks'])}")
    (OUT / "load-report.json").write_text(json.dumps(report, indent=1))
    return all(r["checks"].get("ok") and not r["failures"] for r in report.values())


# ----------------------------------------------------------------------
# Faults


def seconds(duration):
    """Locust's -t (``90s``, ``2m``, ``1h``) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return int(duration[:-1]) * units[duration[-1]] if duration[-1] in units else int(duration)


def wait_no_tests(limit=600):
    """Until no odoo-bin --test-enable runs on the machine (up to
    ``limit`` seconds; None when one still runs): restarting PostgreSQL
    would break it."""
    waited = 0
    while waited < limit:
        out = subprocess.run(
            ["pgrep", "-af", "test-enable"], capture_output=True, text=True, check=False
        ).stdout
        running = [line for line in out.splitlines() if "odoo-bin" in line and "pgrep" not in line]
        if not running:
            return waited
        if waited == 0:
            log(f"Waiting for {len(running)} test run(s) to end before restarting PostgreSQL")
        time.sleep(10)
        waited += 10
    return None


def until_answers(server, key, customer, limit=120):
    """Seconds until the server answers a read and a write again."""
    start = time.time()
    while time.time() - start < limit:
        if server.answers(f"/api/customers/{customer}/", key) and server.answers(
            f"/api/customers/{customer}/loyalty/", key
        ):
            return time.time()
        time.sleep(0.5)
    return None


def faults(args, data):
    prepared = json.loads(Path(data).read_text())
    key, customer = prepared["key"], prepared["customers"][0]
    name = "faults"
    if args.pg_restart and wait_no_tests() is None:
        raise SystemExit("Test runs still going after 10 minutes: PostgreSQL cannot be restarted.")
    log(f"Starting the replica {args.replica_cluster} on port {args.replica_port}")
    replica(args, "start")
    quiet_scheduler(args)
    marks = write_marks(args, name)
    server = Server(args, 4, True, name)
    server.warm_up(key, prepared["customers"], 4)
    timeline = []

    def outage(label, act):
        start = time.time()
        detail = act()
        back = until_answers(server, key, customer)
        timeline.append(
            {
                "fault": label,
                "start": start,
                "end": back or time.time(),
                "answers_again_after_s": round(back - start, 1) if back else None,
                "detail": detail,
            }
        )
        log(f"{label}: {detail}; answers again after {timeline[-1]['answers_again_after_s']} s")

    def kill_worker():
        pids = server.http_workers()
        os.kill(pids[0], signal.SIGKILL)
        return f"SIGKILL to HTTP worker {pids[0]} of {len(pids)}"

    def restart_primary(waited):
        run(["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"])
        return f"pg_ctlcluster 15 main restart (after waiting {waited} s for test runs)"

    def stop_replica():
        replica(args, "stop")
        time.sleep(args.replica_down)
        replica(args, "start")
        return f"replica stopped, started again {args.replica_down} s later"

    try:
        log(f"faults: {args.users} clients for {args.time}")
        started = time.time()
        # The clients run until the last outage is 30 s behind, and at
        # least -t: a wait for test runs must not leave a fault unloaded.
        out, locust = start_locust(args, data, name, "2h")
        time.sleep(20)
        outage("HTTP worker killed", kill_worker)
        time.sleep(15)
        if args.pg_restart:
            waited = wait_no_tests()  # the clients go on meanwhile
            if waited is None:
                log("Test runs still going after 10 minutes: PostgreSQL is not restarted.")
            else:
                outage("PostgreSQL primary restarted", lambda: restart_primary(waited))
            time.sleep(15)
        outage("replica stopped and started", stop_replica)
        time.sleep(max(30, seconds(args.time) - (time.time() - started)))
        locust.send_signal(signal.SIGTERM)
        locust.wait(120)
        elapsed = time.time() - started
        after = until_answers(server, key, customer, limit=10)
    finally:
        server.stop()
        replica(args, "stop")
    result = results(out)
    result["seconds"] = round(elapsed)
    result["answers_after_the_run"] = bool(after)
    result["timeline"] = [
        {
            **event,
            "start": round(event["start"] - started, 1),
            "end": round(event["end"] - started, 1),
        }
        for event in timeline
    ]
    outside = [
        failure
        for failure in result["failures"]
        if not any(e["start"] <= failure["t"] <= e["end"] + GRACE for e in timeline)
    ]
    for failure in result["failures"]:
        failure["t"] = round(failure["t"] - started, 1)
    result["failures_outside_outages"] = outside
    result["errors_in_log"] = len(server.log_errors())
    log("faults: the ledger checks")
    result["checks"] = checks(args, marks)
    print_results(f"== faults ({args.users} clients, {args.time}, 4 workers + replica)", result)
    print("  timeline (s from the start):")
    for event in result["timeline"]:
        print(
            f"    {event['start']:6.1f} {event['fault']}: {event['detail']}; answers again after "
            f"{event['answers_again_after_s']} s"
        )
    print(f"  failures: {len(result['failures'])}, outside the outages: {len(outside)}")
    for failure in outside[:10]:
        print(f"    {failure}")
    print(f"  answers after the run without a restart: {result['answers_after_the_run']}")
    print(f"  errors in Odoo's log: {result['errors_in_log']}")
    print(f"  checks: {summary_line(result['checks'])}")
    result["nightly"] = nightly(args)
    (OUT / "faults-report.json").write_text(json.dumps(result, indent=1))
    return (
        not outside
        and result["answers_after_the_run"]
        and result["checks"].get("ok")
        and result["nightly"]["ok"]
    )


def nightly(args):
    """The nightly refresh killed after some batches, run again to its
    end: the figures must equal a full refresh's."""
    log("nightly refresh: every customer's figures made stale")
    run([ODOO_PYTHON, DBTASKS, "stale", "--db", args.db])
    cmd = [ODOO_PYTHON, DBTASKS, "nightly", "--db", args.db, "--batch-size", str(args.batch_size)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    committed = 0
    for line in process.stdout:
        if line.startswith("batch "):
            committed += 1
            if committed == args.kill_after:
                time.sleep(0.3)  # into the next batch's statement
                process.kill()
                break
    process.wait()
    # Batches committed while this one read the lines.
    committed += sum(1 for line in process.stdout if line.startswith("batch "))
    cursor = psql(
        args.db,
        "SELECT value FROM ir_config_parameter WHERE key = 'sh_customers.stats_refresh_cursor'",
    )
    stale_left = psql(
        args.db,
        "SELECT COUNT(*) FROM res_partner"
        " WHERE id = commercial_partner_id AND sh_stats_digest IS NULL",
    )
    log(
        f"nightly refresh killed after {committed} batches: cursor {cursor}, "
        f"{stale_left} customers still stale"
    )
    started = time.time()
    rest = run(cmd, capture_output=True).stdout.strip().splitlines()
    log(f"nightly refresh run again: {len(rest)} batches in {time.time() - started:.1f} s")
    empty = OUT / "marks-none.json"
    empty.write_text(
        run([ODOO_PYTHON, DBTASKS, "marks", "--db", args.db], capture_output=True).stdout
    )
    check = checks(args, empty)
    figures = check.get("figures", {})
    result = {
        "batches_before_kill": committed,
        "cursor_after_kill": cursor,
        "customers_stale_after_kill": int(stale_left or 0),
        "batches_after": len(rest),
        "figures": figures,
        "ok": bool(figures.get("ok")) and int(stale_left or 0) > 0,
    }
    print(
        f"  nightly refresh: killed after {committed} batches "
        f"({stale_left} customers still stale), finished in {len(rest)} more; "
        f"figures {'equal' if figures.get('ok') else 'DIFFER from'} "
        f"a full refresh's ({figures.get('customers_compared')} customers, "
        f"{figures.get('customers_differing')} differ)"
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", default="bench_21k")
    parser.add_argument("--db", default="load_21k")
    parser.add_argument("--port", type=int, default=8270)
    parser.add_argument("--replica-cluster", default="load_replica")
    parser.add_argument("--replica-port", type=int, default=5460)
    parser.add_argument("-u", "--users", type=int, default=50)
    parser.add_argument("-r", "--spawn-rate", type=int, default=10)
    parser.add_argument("-t", "--time", default="5m")
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--nightly", action="store_true", help="the interrupted refresh only")
    parser.add_argument("--no-pg-restart", dest="pg_restart", action="store_false")
    parser.add_argument("--replica-down", type=int, default=10, help="seconds (faults)")
    parser.add_argument("--batch-size", type=int, default=2000, help="nightly refresh (faults)")
    parser.add_argument("--kill-after", type=int, default=4, help="batches (faults)")
    parser.add_argument(
        "--drop", action="store_true", help="drop the copy and the replica at the end"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    data = database(args)
    try:
        if args.nightly:
            ok = nightly(args)["ok"]
        elif args.faults:
            ok = faults(args, data)
        else:
            ok = load(args, data)
    finally:
        if args.drop:
            replica(args, "drop")
            run(["dropdb", "--if-exists", args.db])
            shutil.rmtree(FILESTORE / args.db, ignore_errors=True)
            (OUT / f"{args.db}.json").unlink(missing_ok=True)
    print(f"\nload: {'ok' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
