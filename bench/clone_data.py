"""Make a larger benchmark database from a built one: copy its customers and
their documents in SQL, each copy with its ids and references shifted.

    createdb -T bench_sh_customers bench_sh_customers_21k
    /opt/odoo18/venv/bin/python bench/clone_data.py bench_sh_customers_21k 6
    psql bench_sh_customers_21k -c "VACUUM ANALYZE"

Copies the customers (and their contacts), their invoices, credit notes and
payments with their journal items, reconciliations, taxes and the customers'
narrow rows; a copied posted document's name gets "-C<copy>" and a copied
customer's name " <copy>". Each copy repeats the generator's histories: the
data keeps the generated data's shape at a multiple of its size, in seconds
instead of the generator's hours. Triggers are off while it copies: run it
on a database no one uses. Table and column names come from the database's
own catalogue, never from input.
"""

import argparse
import time

import psycopg2

# The tables copied, each with the relation of the ids of its rows copied.
COPIED = {
    "res_partner": "copied_partner",
    "account_move": "copied_move",
    "account_move_line": "copied_line",
    "account_payment": "copied_payment",
    "account_partial_reconcile": "copied_partial",
    "account_full_reconcile": "copied_full",
    "sh_customer_figure": "copied_figure",
}
TAX_RELATION = "account_move_line_account_tax_rel"
SELECTIONS = (
    (
        "copied_partner",
        (
            "SELECT id FROM res_partner WHERE customer_rank > 0 OR commercial_partner_id IN "
            "(SELECT id FROM res_partner WHERE customer_rank > 0)"
        ),
    ),
    (
        "copied_move",
        (
            "SELECT id FROM account_move"
            " WHERE commercial_partner_id IN (SELECT id FROM copied_partner)"
        ),
    ),
    (
        "copied_line",
        "SELECT id FROM account_move_line WHERE move_id IN (SELECT id FROM copied_move)",
    ),
    (
        "copied_payment",
        "SELECT id FROM account_payment WHERE move_id IN (SELECT id FROM copied_move)",
    ),
    (
        "copied_partial",
        (
            "SELECT id FROM account_partial_reconcile WHERE debit_move_id IN "
            "(SELECT id FROM copied_line) AND credit_move_id IN (SELECT id FROM copied_line)"
        ),
    ),
    (
        "copied_full",
        (
            "SELECT DISTINCT full_reconcile_id AS id FROM account_move_line "
            "WHERE id IN (SELECT id FROM copied_line) AND full_reconcile_id IS NOT NULL"
        ),
    ),
    (
        "copied_figure",
        "SELECT id FROM sh_customer_figure WHERE partner_id IN (SELECT id FROM copied_partner)",
    ),
)
FOREIGN_KEYS = """
    SELECT conrelid::regclass::text, attribute.attname, confrelid::regclass::text
      FROM pg_constraint
      JOIN pg_attribute attribute
        ON attribute.attrelid = conrelid AND attribute.attnum = ANY(conkey)
     WHERE contype = 'f' AND confrelid::regclass::text = ANY(%s)
       AND conrelid::regclass::text = ANY(%s)
"""


def column_expression(table, column, references, offsets, copy):
    """The value of ``column`` of ``table`` in the ``copy``-th copy."""
    if column == "id":
        return f"id + {copy * offsets[table]}"
    if column in references:
        target = references[column]
        shifted = f"{column} + {copy * offsets[target]}"
        # A reference to a row not copied: kept for a partner (the company,
        # a salesperson's), dropped otherwise.
        kept = column if target == "res_partner" else "NULL"
        copied = f"SELECT id FROM {COPIED[target]}"
        return f"CASE WHEN {column} IN ({copied}) THEN {shifted} ELSE {kept} END"
    if table == "account_move" and column == "name":
        return f"CASE WHEN name IS NULL OR name = '/' THEN name ELSE name || '-C{copy}' END"
    if table == "res_partner" and column in ("name", "complete_name"):
        return f"{column} || ' {copy}'"
    return f'"{column}"'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("copies", type=int)
    args = parser.parse_args()
    connection = psycopg2.connect(dbname=args.db)
    cr = connection.cursor()
    tables = list(COPIED)
    cr.execute(FOREIGN_KEYS, (tables, [*tables, TAX_RELATION]))
    references = {}
    for table, column, target in cr.fetchall():
        references.setdefault(table, {})[column] = target
    offsets = {}
    for table in tables:
        cr.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        offsets[table] = cr.fetchone()[0]
    for name, select in SELECTIONS:
        cr.execute(f"CREATE TEMP TABLE {name} AS {select}")
    columns = {}
    for table in tables:
        cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
            (table,),
        )
        columns[table] = [column for (column,) in cr.fetchall()]
    for table in [*tables, TAX_RELATION]:
        cr.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    start = time.time()
    for copy in range(1, args.copies + 1):
        for table in tables:
            values = ", ".join(
                column_expression(table, column, references.get(table, {}), offsets, copy)
                for column in columns[table]
            )
            names = ", ".join(f'"{column}"' for column in columns[table])
            cr.execute(
                f"INSERT INTO {table} ({names}) SELECT {values} FROM {table}"
                f" WHERE id IN (SELECT id FROM {COPIED[table]})"
            )
        cr.execute(
            f"INSERT INTO {TAX_RELATION}"
            f" SELECT account_move_line_id + {copy * offsets['account_move_line']}, account_tax_id"
            f" FROM {TAX_RELATION} WHERE account_move_line_id IN (SELECT id FROM copied_line)"
        )
        print(f"copy {copy}: {time.time() - start:.1f} s", flush=True)
    for table in [*tables, TAX_RELATION]:
        cr.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
    for table in tables:
        cr.execute(f"SELECT setval('{table}_id_seq', (SELECT MAX(id) FROM {table}))")
    connection.commit()
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE customer_rank > 0")
    print(f"{cr.fetchone()[0]} customers")


if __name__ == "__main__":
    main()
