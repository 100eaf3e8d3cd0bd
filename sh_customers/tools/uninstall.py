"""Records an addon made that outlive it when it is uninstalled.

Uninstalling an addon deletes every record it made (those of its external
ids). Some of them become users' data the moment Odoo's own records point at
them: the demo products that posted invoices sell, the loyalty program whose
cards hold customers' points, the activity type of the tasks. Deleting them
would fail (a restricting reference) or take the users' records with them (a
cascading one) or leave those records half-empty (a reference set to null).

So an addon's ``uninstall_hook`` names the models whose records it keeps when
still in use: :func:`keep_records_in_use` finds those that another record
refers to (through any foreign key of a table the addon does not own) and
moves their external ids aside, under ``__<addon>_kept__``, so that Odoo
leaves them in place; the records are not changed. The addon's
``pre_init_hook`` calls :func:`restore_kept_records` when it is installed
again: its external ids come back, and its data finds the same records
instead of making a second program or activity type, and leaves them as
users left them (``models/base.py``)."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The addons that keep records in use when uninstalled.
KEEPING_ADDONS = ("sh_customers", "sh_loyalty", "sh_interactions")


def kept_module(module):
    """The module name under which ``module``'s kept records wait."""
    return f"__{module}_kept__"


def keep_records_in_use(env, module, models):
    """Keep the records of ``models`` (model names) that ``module`` made and
    that records of other tables refer to; return the kept records' external
    ids."""
    cr = env.cr
    own_tables = _own_tables(env, module)
    kept = []
    for model_name in models:
        if model_name not in env:
            continue
        cr.execute(
            SQL(
                "SELECT id, res_id, name FROM ir_model_data WHERE module = %s AND model = %s",
                module,
                model_name,
            )
        )
        rows = cr.fetchall()
        if not rows:
            continue
        used = _referenced_ids(cr, env[model_name]._table, [row[1] for row in rows], own_tables)
        data_ids = [data_id for data_id, res_id, _name in rows if res_id in used]
        if not data_ids:
            continue
        cr.execute(
            SQL(
                "UPDATE ir_model_data SET module = %s WHERE id IN %s",
                kept_module(module),
                tuple(data_ids),
            )
        )
        names = sorted(name for _id, res_id, name in rows if res_id in used)
        kept += [f"{module}.{name}" for name in names]
        _logger.info(
            "%s: %s %s kept, still in use: %s",
            module,
            len(names),
            model_name,
            ", ".join(names),
        )
    env.registry.clear_cache()  # ir.model.data's xmlid lookup
    return kept


def restore_kept_records(env, module):
    """Give back to ``module`` the external ids of its records kept when it
    was uninstalled, those whose record still exists."""
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT id, model, res_id FROM ir_model_data WHERE module = %s",
            kept_module(module),
        )
    )
    rows = cr.fetchall()
    if not rows:
        return
    found = []
    for data_id, model_name, res_id in rows:
        cr.execute(SQL("SELECT to_regclass(%s)", model_name.replace(".", "_")))
        table = cr.fetchone()[0]
        if table:
            cr.execute(SQL("SELECT 1 FROM %s WHERE id = %s", SQL.identifier(table), res_id))
            if cr.rowcount:
                found.append(data_id)
    if found:
        cr.execute(SQL("UPDATE ir_model_data SET module = %s WHERE id IN %s", module, tuple(found)))
    # The external ids of records deleted since then point at nothing.
    cr.execute(SQL("DELETE FROM ir_model_data WHERE module = %s", kept_module(module)))
    env.registry.clear_cache()  # ir.model.data's xmlid lookup
    _logger.info("%s: %s kept records taken back", module, len(found))


def _own_tables(env, module):
    """The tables that go with ``module``: those of the models only it
    defines, and its many2many tables."""
    env.cr.execute(
        SQL(
            """
            SELECT model.model
              FROM ir_model model
              JOIN ir_model_data data
                ON data.model = 'ir.model' AND data.res_id = model.id AND data.module = %s
             WHERE NOT EXISTS (
                   SELECT 1 FROM ir_model_data other
                    WHERE other.model = 'ir.model' AND other.res_id = model.id
                      AND other.module != %s)
            """,
            module,
            module,
        )
    )
    tables = {env[name]._table for (name,) in env.cr.fetchall() if name in env}
    env.cr.execute(
        SQL(
            """
            SELECT relation.name
              FROM ir_model_relation relation
              JOIN ir_module_module mod ON mod.id = relation.module
             WHERE mod.name = %s
            """,
            module,
        )
    )
    tables.update(name for (name,) in env.cr.fetchall())
    return tables


def _referenced_ids(cr, table, ids, own_tables, depth=3):
    """The ids among ``ids`` of ``table`` that rows of other tables (not one
    of ``own_tables``, not the row itself) still need: a reference that
    restricts the deletion or would be set empty, or a cascading one from a
    row that is needed itself (a loyalty program's rewards go with it unless
    an order uses them). Rows of many2many tables are links, not needed."""
    cr.execute(
        SQL(
            """
            SELECT referring.relname, attribute.attname, fk.confdeltype,
                   EXISTS (SELECT 1 FROM pg_attribute id_column
                            WHERE id_column.attrelid = fk.conrelid AND id_column.attname = 'id'
                              AND NOT id_column.attisdropped)
              FROM pg_constraint fk
              JOIN pg_class referring ON referring.oid = fk.conrelid
              JOIN pg_attribute attribute
                ON attribute.attrelid = fk.conrelid AND attribute.attnum = fk.conkey[1]
             WHERE fk.contype = 'f' AND fk.confrelid = %s::regclass
               AND array_length(fk.conkey, 1) = 1
            """,
            table,
        )
    )
    used = set()
    for referring, column, on_delete, has_id in cr.fetchall():
        if referring in own_tables or not has_id:
            continue
        query = SQL(
            "SELECT id, %s FROM %s WHERE %s = ANY(%s)",
            SQL.identifier(column),
            SQL.identifier(referring),
            SQL.identifier(column),
            list(ids),
        )
        if referring == table:
            query = SQL("%s AND id != %s", query, SQL.identifier(column))
        cr.execute(query)
        rows = cr.fetchall()
        if on_delete == "c" and rows and depth:
            needed = _referenced_ids(cr, referring, [row[0] for row in rows], own_tables, depth - 1)
            rows = [row for row in rows if row[0] in needed]
        used.update(row[1] for row in rows)
    return used
