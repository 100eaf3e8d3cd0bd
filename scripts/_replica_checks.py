"""The requests of scripts/replica-test, against an Odoo server that reads
from a streaming replica logging every statement it runs.

A read passes when Odoo served it in a read-only transaction ("ro" at the
end of its request log line) and the replica logged its statements on the
database (a table the call reads among them); a write passes when Odoo
served it in a read/write transaction ("rw"), the replica logged nothing
on the database meanwhile, and the answer holds what was written. Prints
one line per check and closes with "replica: N passed, N failed"."""

import os
import re
import subprocess
import sys
import time

import requests

URL = os.environ["REPLICA_TEST_URL"]
KEY = os.environ["REPLICA_TEST_KEY"]
DB = os.environ["REPLICA_TEST_DB"]
ODOO_LOG = os.environ["REPLICA_TEST_LOG"]
REPLICA_LOG = os.environ["REPLICA_TEST_REPLICA_LOG"]
SYNC = os.environ["REPLICA_TEST_SYNC"].split()
TIMEOUT = 120
# A line the replica logs: "<time> [pid] user@database application LOG:  statement: ..."
LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[\d+\] ")
STATEMENT_RE = re.compile(LINE_RE.pattern + r"\S*@(\S+) \S* LOG:  statement: ")
RESULTS = []


def size(path):
    return os.path.getsize(path)


def read_from(path, offset):
    with open(path, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        return log.read()


def replica_statements(offset):
    """The statements the replica ran on the database since ``offset`` of
    its log, each with its continuation lines."""
    statements = []
    current = None
    for line in read_from(REPLICA_LOG, offset).splitlines():
        match = STATEMENT_RE.match(line)
        if match:
            current = [line] if match.group(1) == DB else None
            if current is not None:
                statements.append(current)
        elif LINE_RE.match(line):
            current = None
        elif current is not None:
            # A statement of several lines goes on without the prefix.
            current.append(line)
    return ["\n".join(lines) for lines in statements]


def cursor_mode(offset, method, path):
    """The transaction Odoo served ``method path`` in (ro, rw or ro->rw),
    from its request log line written after ``offset``: the line comes
    after the answer, hence the wait."""
    line_re = re.compile(
        rf'"{method} {re.escape(path)}(\?\S*)? HTTP/[\d.]+" \d+ .* (ro|rw|ro->rw)\s*$', re.MULTILINE
    )
    for _attempt in range(50):
        matches = line_re.findall(read_from(ODOO_LOG, offset))
        if matches:
            return matches[-1][1]
        time.sleep(0.1)
    return None


def record(name, ok, detail=""):
    RESULTS.append(ok)
    print(f"{'ok    ' if ok else 'FAILED'} {name}{': ' + detail if detail else ''}", flush=True)


def api(method, path, body=None):
    response = requests.request(
        method,
        URL + path,
        headers={"Authorization": f"Bearer {KEY}"},
        json=body,
        timeout=TIMEOUT,
    )
    return response.status_code, response.json()


def rpc(session, model, method, **kwargs):
    response = session.post(
        f"{URL}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": [], "kwargs": kwargs},
        },
        timeout=TIMEOUT,
    )
    answer = response.json()
    return (200 if "result" in answer else 500), answer.get("result", answer.get("error"))


def check_read(name, method, path, call, table):
    """``call()`` answers 200 in a read-only transaction, and the replica
    ran its statements, one of them reading ``table``."""
    odoo_offset, replica_offset = size(ODOO_LOG), size(REPLICA_LOG)
    try:
        status, answer = call()
    except (requests.RequestException, ValueError) as exc:
        record(name, False, str(exc))
        return None
    mode = cursor_mode(odoo_offset, method, path)
    statements = replica_statements(replica_offset)
    on_table = [s for s in statements if re.search(rf'\b"?{table}"?\b', s)]
    ok = status == 200 and mode == "ro" and bool(on_table)
    record(
        name,
        ok,
        f"status {status}, transaction {mode}, {len(statements)} statements on the replica, "
        f"{len(on_table)} reading {table}" + ("" if status == 200 else f": {answer}"),
    )
    return answer


def check_write(name, path, body, expect):
    """The POST answers 201 in a read/write transaction, the replica ran
    nothing on the database meanwhile, and ``expect(answer)`` holds."""
    odoo_offset, replica_offset = size(ODOO_LOG), size(REPLICA_LOG)
    try:
        status, answer = api("POST", path, body)
    except (requests.RequestException, ValueError) as exc:
        record(name, False, str(exc))
        return None
    mode = cursor_mode(odoo_offset, "POST", path)
    statements = replica_statements(replica_offset)
    ok = status == 201 and mode == "rw" and not statements and expect(answer)
    record(
        name,
        ok,
        f"status {status}, transaction {mode}, {len(statements)} statements on the replica"
        + ("" if ok else f": {answer}"),
    )
    return answer


def primary(query):
    return subprocess.run(
        ["psql", "-d", DB, "-Atqc", query], check=True, capture_output=True, text=True
    ).stdout.strip()


def main():
    # The customer with the most interactions and a loyalty card.
    customer = int(
        primary(
            """SELECT p.id FROM res_partner p
                 JOIN loyalty_card c ON c.partner_id = p.id
                 JOIN sh_customer_interaction i ON i.partner_id = p.id
                WHERE p.active AND p.parent_id IS NULL
                GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1"""
        )
    )
    base = f"/api/customers/{customer}/"

    def get(path):
        return lambda: api("GET", path)

    # The API's GET routes and the OpenAPI document.
    check_read("GET openapi.json", "GET", "/api/customers/openapi.json",
               get("/api/customers/openapi.json"), "ir_model_fields")  # fmt: skip
    reads = [
        ("customer summary", base, "res_partner"),
        ("dashboard", "/api/customers/dashboard/", "sh_customer_figure"),
        ("analytics", "/api/customers/analytics/", "account_move"),
        ("top customers", "/api/customers/top-customers/", "res_partner"),
        ("at-risk customers", "/api/customers/at-risk/", "res_partner"),
        ("timeline", base + "timeline/", "account_move"),
        ("loyalty", base + "loyalty/", "loyalty_card"),
        ("interactions", base + "interactions/", "sh_customer_interaction"),
        ("tasks", base + "tasks/", "sh_customer_task"),
    ]
    for name, path, table in reads:
        check_read(f"GET {name}", "GET", path, get(path), table)

    # The screens' read-only calls, in a session of the administrator.
    session = requests.Session()
    session.post(
        URL + "/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": DB, "login": "admin", "password": "admin"}},
        timeout=TIMEOUT,
    ).raise_for_status()
    calls = [
        ("sh.customer.dashboard", "get_dashboard_data", {}, "sh_customer_figure"),
        ("res.partner", "sh_get_customer_kpis", {"domain": []}, "res_partner"),
        ("sh.customer.timeline", "get_timeline", {"partner_id": customer}, "account_move"),
    ]
    for report in ("sh.report.analytics", "sh.report.sales", "sh.report.debt", "sh.report.clv"):
        calls.append((report, "get_report_data", {"options": {}, "row_limit": 10}, "res_partner"))
    calls.append(
        ("sh.report.loyalty", "get_report_data", {"options": {}, "row_limit": 10}, "loyalty_card")
    )
    for model, method, kwargs, table in calls:
        path = f"/web/dataset/call_kw/{model}/{method}"
        data = check_read(
            f"RPC {model}.{method}",
            "POST",
            path,
            lambda m=model, f=method, k=kwargs: rpc(session, m, f, **k),
            table,
        )
        if method == "get_report_data" and data and data.get("tables"):
            table_key = data["tables"][0]["key"]
            check_read(
                f"RPC {model}.get_report_rows",
                "POST",
                f"/web/dataset/call_kw/{model}/get_report_rows",
                lambda m=model, t=table_key: rpc(
                    session, m, "get_report_rows", options={}, table=t, offset=0, limit=5
                ),
                table,
            )

    # The customers list's XLSX export, through Odoo's report route.
    ids = primary(
        "SELECT string_agg(id::text, ',') FROM (SELECT id FROM res_partner"
        " WHERE active AND parent_id IS NULL ORDER BY id LIMIT 20) first_customers"
    )
    path = f"/report/xlsx/sh_customers.customer_list_xlsx/{ids}"

    def export():
        response = session.get(URL + path, timeout=TIMEOUT)
        return response.status_code, response.content

    check_read("XLSX export of the customers list", "GET", path, export, "res_partner")

    # Writes go to the primary and answer with what they wrote; once the
    # replica has replayed them, a read finds them there.
    summary = f"Called from the replica test {time.time()}"
    interaction = check_write(
        "POST add_interaction",
        base + "add_interaction/",
        {"channel": "phone", "direction": "out", "summary": summary},
        lambda answer: answer.get("summary") == summary and answer.get("id"),
    )
    _status, loyalty = api("GET", base + "loyalty/")
    balance = loyalty["balance"]
    check_write(
        "POST add_points",
        base + "add_points/",
        {"points": 7, "reason": "Replica test"},
        lambda answer: answer.get("balance") == balance + 7,
    )
    subprocess.run(SYNC, check=True, capture_output=True)
    answer = check_read(
        "GET loyalty after the write", "GET", base + "loyalty/", get(base + "loyalty/"),
        "loyalty_card",
    )  # fmt: skip
    record(
        "the replica has the new balance",
        bool(answer) and answer.get("balance") == balance + 7,
        f"{balance} + 7 -> {answer and answer.get('balance')}",
    )
    answer = check_read(
        "GET interactions after the write", "GET", base + "interactions/",
        get(base + "interactions/"), "sh_customer_interaction",
    )  # fmt: skip
    ids = [item["id"] for item in (answer or {}).get("items", [])]
    record(
        "the replica has the new interaction",
        bool(interaction) and interaction["id"] in ids,
        f"interaction {interaction and interaction.get('id')} in the first page",
    )

    # No read fell back to the primary.
    log = read_from(ODOO_LOG, 0)
    fallbacks = re.findall(r"retrying with a read/write cursor|ro->rw|readonly cursor", log)
    record("no read-only transaction retried on the primary", not fallbacks, f"{len(fallbacks)}")
    errors = re.findall(r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) .*$", log, re.MULTILINE)
    record("no error in Odoo's log", not errors, "; ".join(errors[:3]))

    failed = RESULTS.count(False)
    print(f"\nreplica: {len(RESULTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
