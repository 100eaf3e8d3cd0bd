"""The database storage the customer figures need beyond what the ORM
declares: the sales and receivable history's array columns of the narrow
rows (no ORM field holds an array), the indexes the figures' statements read
from, and the room left in res_partner's pages for the refresh's in-place
updates. ``ensure_storage`` creates what is missing and never drops or
rebuilds what exists; it runs before the addon's tables are set up, at
install (the pre_init_hook) and at an upgrade (a migration script).
``drop_storage`` removes, at uninstall, what it made on Odoo's own tables."""

from odoo.tools import SQL
from odoo.tools.sql import create_model_table, table_exists

from .history import HISTORY_COLUMNS

FIGURE_TABLE = "sh_customer_figure"
FIGURE_TABLE_COMMENT = "Customer Figures per Company"

# Fill factor of res_partner's pages. The refresh rewrites the figures of
# every customer. With room left in each page, and no index on the figures
# (they are dense, an index would not narrow a search), PostgreSQL updates a
# row in place (a HOT update) instead of adding an entry to each of the
# table's indexes: several times fewer writes.
PARTNER_FILLFACTOR = 70

# The indexes by name, each with its definition.
INDEXES = (
    # The customers the Customers app lists (its action's domain and default
    # filter, the dashboard's customers), found from this index alone instead
    # of reading res_partner's wide rows; it holds what the record rules and
    # the KPI cards read.
    (
        "res_partner_sh_customer_index",
        SQL(
            """
            ON res_partner (id) INCLUDE (commercial_partner_id, company_id, partner_share)
             WHERE active = TRUE AND customer_rank > 0 AND (is_company = TRUE OR parent_id IS NULL)
            """
        ),
    ),
    # A customer's posted sales documents.
    (
        "account_move_sh_customer_sales_index",
        SQL(
            """
            ON account_move USING btree (commercial_partner_id, company_id, invoice_date)
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
            """
        ),
    ),
    # A refresh of every customer reads all their sales from this index
    # alone, in one pass.
    (
        "account_move_sh_sales_by_date_index",
        SQL(
            """
            ON account_move (invoice_date)
                INCLUDE (commercial_partner_id, company_id, move_type, amount_untaxed_signed)
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
            """
        ),
    ),
    # The receivable items per receivable account, from this index alone.
    (
        "account_move_line_sh_receivable_history_index",
        SQL(
            """
            ON account_move_line (account_id, date)
                INCLUDE (partner_id, company_id, journal_id, balance, date_maturity, id,
                         amount_residual, reconciled)
             WHERE parent_state = 'posted'
            """
        ),
    ),
    # The customer dashboard finds the items not yet due on a past day (the
    # debt recovery rate) by their due date, from this index alone.
    (
        "account_move_line_sh_receivable_due_index",
        SQL(
            """
            ON account_move_line (account_id, (COALESCE(date_maturity, date)))
                INCLUDE (date, date_maturity, partner_id, company_id, balance, id)
             WHERE parent_state = 'posted'
            """
        ),
    ),
    # A customer's receivable items (to rebuild its receivable history),
    # from this index alone.
    (
        "account_move_line_sh_partner_receivable_index",
        SQL(
            """
            ON account_move_line (partner_id, account_id)
                INCLUDE (date, company_id, journal_id, balance)
             WHERE parent_state = 'posted'
            """
        ),
    ),
    # The open receivable items (the customers' debt and today's aging),
    # from this index alone.
    (
        "account_move_line_sh_open_receivable_index",
        SQL(
            """
            ON account_move_line (account_id)
                INCLUDE (partner_id, company_id, amount_residual, date, date_maturity)
             WHERE parent_state = 'posted' AND reconciled IS NOT TRUE
            """
        ),
    ),
    # The reconciliations counted after a day: the items a debt as of a
    # past day still reads (none for today), found without reading every
    # reconciliation.
    (
        "account_partial_reconcile_sh_max_date_index",
        SQL(
            """
            ON account_partial_reconcile (max_date) INCLUDE (debit_move_id, credit_move_id)
            """
        ),
    ),
)


def ensure_figure_table(cr):
    """The narrow rows' table with its history columns and the fingerprint
    of what the history follows from (invoice count, net sales, the
    documents' dates, debt) when it was built; the ORM adds its fields'
    columns to it."""
    if not table_exists(cr, FIGURE_TABLE):
        create_model_table(cr, FIGURE_TABLE, FIGURE_TABLE_COMMENT)
    for column, sql_type in (*HISTORY_COLUMNS, ("history_check", "bigint")):
        cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s%s",
                SQL.identifier(FIGURE_TABLE),
                SQL.identifier(column),
                SQL(sql_type),
                SQL(" DEFAULT '{}'") if sql_type.endswith("[]") else SQL(),
            )
        )


def ensure_partner_fillfactor(cr):
    cr.execute("SELECT reloptions FROM pg_class WHERE oid = 'res_partner'::regclass")
    if f"fillfactor={PARTNER_FILLFACTOR}" not in (cr.fetchone()[0] or []):
        cr.execute(
            SQL("ALTER TABLE res_partner SET (fillfactor = %s)", SQL(str(PARTNER_FILLFACTOR)))
        )


def ensure_storage(cr):
    """Create whatever the figures' storage lacks; an existing column or
    index is left as it is."""
    ensure_figure_table(cr)
    ensure_partner_fillfactor(cr)
    for name, definition in INDEXES:
        cr.execute(SQL("CREATE INDEX IF NOT EXISTS %s %s", SQL.identifier(name), definition))


def drop_storage(cr):
    """Remove the indexes made on Odoo's tables and give res_partner back
    PostgreSQL's fill factor, unless another has been set since (at
    uninstall; the narrow rows' table goes with the model)."""
    for name, _definition in INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    cr.execute("SELECT reloptions FROM pg_class WHERE oid = 'res_partner'::regclass")
    if f"fillfactor={PARTNER_FILLFACTOR}" in (cr.fetchone()[0] or []):
        cr.execute(SQL("ALTER TABLE res_partner RESET (fillfactor)"))
