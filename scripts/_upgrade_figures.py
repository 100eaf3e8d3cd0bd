"""Figures of a database with the addons, read before and after an upgrade
by scripts/upgrade-test, and compared.

    python scripts/_upgrade_figures.py record <database> <file.json>
    python scripts/_upgrade_figures.py compare <before.json> <after.json>

The figures are read with SQL, whatever version of the addons wrote them:
every customer figure stored on res_partner (per company: the sum and count
of a number, the count of each value of a status or a segment, a
fingerprint of the values customer by customer), the narrow copy of the
figures in sh_customer_figure when there is one, the loyalty cards' points
and their history, the interactions and the tasks, the posted invoices.
``compare`` prints one line per check and "upgrade: N passed, M failed";
a figure present before must be present and equal after, except the
columns that a migration drops on purpose (DROPPED)."""

import json
import sys

import psycopg2

# Columns the migrations drop: migrations/18.0.1.1.0 (derived from stored dates since).
DROPPED = {"res_partner.sh_days_since_purchase", "res_partner.sh_oldest_overdue_days"}
# Not figures: the fingerprint the refresh compares to find changed customers.
INTERNAL = {"sh_stats_digest"}
# Figures counted per value.
PER_VALUE = {"sh_lifecycle_status", "sh_rfm_segment"}
# The narrow copy of sh_customer_figure equals these customer figures.
NARROW = {
    "net_sales": "sh_net_sales",
    "debt": "sh_debt",
    "overdue": "sh_overdue",
    "lifecycle_status": "sh_lifecycle_status",
    "rfm_segment": "sh_rfm_segment",
}


def record(dbname, path):
    connection = psycopg2.connect(dbname=dbname)
    cr = connection.cursor()
    figures = {}

    def columns(table):
        cr.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = %s AND (column_name LIKE 'sh\\_%%' OR %s != 'res_partner')",
            (table, table),
        )
        return dict(cr.fetchall())

    def add(key, query, params=()):
        cr.execute(query, params)
        figures[key] = [[round(v, 2) if isinstance(v, float) else v for v in row] for row in cr]

    for column, kind in sorted(columns("res_partner").items()):
        if column in INTERNAL:
            continue
        key = f"res_partner.{column}"
        if kind == "jsonb":
            # One value per company: numbers summed, statuses and segments
            # counted per value, other words (dates) by their range.
            per_value = column in PER_VALUE
            add(
                key,
                f"""
                SELECT item.key, jsonb_typeof(item.value),
                       round(sum((item.value #>> '{{}}')::numeric)
                             FILTER (WHERE jsonb_typeof(item.value) = 'number'), 2)::float8,
                       min(item.value #>> '{{}}')
                           FILTER (WHERE jsonb_typeof(item.value) = 'string'),
                       max(item.value #>> '{{}}')
                           FILTER (WHERE jsonb_typeof(item.value) = 'string'),
                       count(*)
                  FROM res_partner, jsonb_each({column}) item
                 GROUP BY 1, 2{", item.value #>> '{}'" if per_value else ""} ORDER BY 1, 2, 4
                """,  # a column name read from the catalogue
            )
            add(
                f"{key} by customer",
                f"""
                SELECT md5(string_agg(id || '=' || item.key || ':' ||
                           CASE WHEN jsonb_typeof(item.value) = 'number'
                                THEN round((item.value #>> '{{}}')::numeric, 2)::text
                                ELSE item.value #>> '{{}}' END, ',' ORDER BY id, item.key))
                  FROM res_partner, jsonb_each({column}) item
                """,  # a column name read from the catalogue
            )
        else:
            add(
                key,
                f"SELECT count({column}), count(DISTINCT {column}) FROM res_partner",
            )
    if columns("sh_customer_figure"):
        for column in NARROW:
            if column in ("net_sales", "debt", "overdue"):
                value, group = f"round(sum({column})::numeric, 2)::float8", ""
            else:
                value, group = column, f", {column}"
            add(
                f"sh_customer_figure.{column}",
                f"SELECT company_id::text, {value}, count(*) FROM sh_customer_figure"
                f" GROUP BY company_id{group} ORDER BY 1, 2",
            )
    if columns("sh_customer_total"):
        # The companies' totals as stored, and as the listed customers'
        # narrow rows give them.
        add(
            "customer totals",
            "SELECT company_id, lifecycle_status, sum(customers),"
            " round(sum(net_sales)::numeric, 2)::float8, round(sum(debt)::numeric, 2)::float8"
            " FROM sh_customer_total GROUP BY 1, 2 HAVING sum(customers) <> 0 ORDER BY 1, 2",
        )
        add(
            "customer totals from the rows",
            "SELECT company_id, lifecycle_status, count(*),"
            " round(sum(net_sales)::numeric, 2)::float8, round(sum(debt)::numeric, 2)::float8"
            " FROM sh_customer_figure WHERE listed GROUP BY 1, 2 ORDER BY 1, 2",
        )
        add(
            "day totals",
            "SELECT company_id, sum(invoices), sum(first_buyers),"
            " round(sum(sales)::numeric, 2)::float8, round(sum(receivable)::numeric, 2)::float8"
            " FROM sh_customer_day_total GROUP BY 1 ORDER BY 1",
        )
        add(
            "day totals from the rows",
            "SELECT company_id, sum(invoice_counts[array_length(invoice_counts, 1)]),"
            " count(first_purchase_date),"
            " round(sum(sale_totals[array_length(sale_totals, 1)])::numeric, 2)::float8,"
            " round(sum(receivable_totals[array_length(receivable_totals, 1)])::numeric, 2)::float8"
            " FROM sh_customer_figure WHERE listed GROUP BY 1 ORDER BY 1",
        )
    add("partners", "SELECT count(*), count(*) FILTER (WHERE active) FROM res_partner")
    add(
        "posted invoices",
        "SELECT move_type, count(*), round(sum(amount_total), 2)::float8 FROM account_move"
        " WHERE state = 'posted' GROUP BY 1 ORDER BY 1",
    )
    add("payments", "SELECT count(*), round(sum(amount), 2)::float8 FROM account_payment")
    add(
        "loyalty cards", "SELECT count(*), round(sum(points)::numeric, 2)::float8 FROM loyalty_card"
    )
    add(
        "loyalty history",
        "SELECT count(*), round(sum(issued)::numeric, 2)::float8,"
        " round(sum(used)::numeric, 2)::float8 FROM loyalty_history",
    )
    if columns("sh_customer_interaction"):
        add("interactions", "SELECT count(*) FROM sh_customer_interaction")
    add("activities (tasks)", "SELECT count(*) FROM mail_activity")
    connection.close()
    with open(path, "w", encoding="utf-8") as file:
        json.dump(figures, file, indent=1, sort_keys=True)


def compare(before_path, after_path):
    with open(before_path, encoding="utf-8") as file:
        before = json.load(file)
    with open(after_path, encoding="utf-8") as file:
        after = json.load(file)
    results = {"passed": 0, "failed": 0}

    def check(name, ok, detail=""):
        results["passed" if ok else "failed"] += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail and not ok else ''}")

    for key, value in sorted(before.items()):
        if key.split(" ")[0] in DROPPED:
            check(f"{key} dropped by a migration", key not in after)
            continue
        check(key, after.get(key) == value, f"{str(value)[:300]} -> {str(after.get(key))[:300]}")
    # The narrow copy that the upgrade added equals the customers' figures.
    for column, partner_column in NARROW.items():
        key = f"sh_customer_figure.{column}"
        if key in before or key not in after:
            continue
        expected = sorted(
            [company, total if kind == "number" else low, count]
            for company, kind, total, low, _high, count in before[f"res_partner.{partner_column}"]
            if kind != "null"
        )
        check(
            f"{key} = customers' {partner_column}",
            sorted(after[key]) == expected,
            f"{expected[:10]} -> {sorted(after[key])[:10]}",
        )
    # The totals the upgrade added equal what the narrow rows give.
    for key in ("customer totals", "day totals"):
        if key in after:
            check(
                f"{key} = the narrow rows'",
                after[key] == after[f"{key} from the rows"],
                f"{str(after[key])[:300]} != {str(after[f'{key} from the rows'])[:300]}",
            )
    print(f"upgrade: {results['passed']} passed, {results['failed']} failed")
    return results["failed"] == 0


if __name__ == "__main__":
    if sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3])
    else:
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) else 1)
