"""The customers' sales and receivable history kept in their narrow rows
(``sh.customer.figure``): the array columns that hold it, what each element
means, and the statements that rebuild it from the documents and receivable
items of the customers whose figures the refresh found changed."""

from odoo.tools import SQL

from .statements import company_scope_sql

# The customer's sales history: one element per posted invoice and credit
# note, in date order (no field type of the ORM holds an array: they are
# added by ``storage``):
# - sale_dates: the document's date;
# - sale_totals: the customer's net sales (untaxed, company currency) so far;
# - invoice_counts: the customer's number of invoices so far;
# - last_invoice_dates: the date of the customer's last invoice so far.
# And its receivable history: one element per posted receivable item, in date
# order:
# - receivable_dates: the item's date;
# - receivable_totals: the customer's receivable (the balance of its items) so
#   far;
# - credit_sale_totals: the customer's credit sales (the balance of its items
#   in sales journals) so far.
# The position of a day, width_bucket(day, sale_dates) (a binary search: the
# number of documents dated up to that day), gives the figures as of that day,
# and two positions those of a period: any period's figures from one narrow
# row per customer, without reading the documents; the same for the
# receivable with receivable_dates.
SALES_HISTORY_COLUMNS = (
    ("sale_dates", "date[]"),
    ("sale_totals", "float8[]"),
    ("invoice_counts", "int[]"),
    ("last_invoice_dates", "date[]"),
)
RECEIVABLE_HISTORY_COLUMNS = (
    ("receivable_dates", "date[]"),
    ("receivable_totals", "float8[]"),
    ("credit_sale_totals", "float8[]"),
)
HISTORY_COLUMNS = SALES_HISTORY_COLUMNS + RECEIVABLE_HISTORY_COLUMNS


def history_columns(kind=None):
    """The history columns: all of them, or those of the ``"sales"`` or
    ``"receivable"`` history."""
    columns = {"sales": SALES_HISTORY_COLUMNS, "receivable": RECEIVABLE_HISTORY_COLUMNS}
    return [column for column, _type in columns.get(kind, HISTORY_COLUMNS)]


def running_history_sql(source, items, partner, company, day, condition, columns):
    """Per customer and company of ``source`` (a relation with partner_id
    and company_id), one array per entry of ``columns`` ({name: value of an
    item}), of the values of the customer's ``items`` (a table and its
    alias, whose customer is ``partner`` and company ``company``) of the
    company tree that meet ``condition``, in the order of their ``day``.
    The values may be running aggregates over the window ``running``.

    The items of one day are ordered by day only and share their running
    figures (the window's default frame takes a row's peers): the arrays are
    the same whatever order the day's items come in."""
    return SQL(
        """
        SELECT item.partner_id, item.company_id, %(arrays)s
          FROM (
            SELECT %(partner)s AS partner_id, source.company_id, %(day)s AS day, %(values)s
              FROM %(source)s source
              JOIN (%(scope)s) scope ON scope.company_id = source.company_id
              JOIN %(items)s ON %(partner)s = source.partner_id
                            AND %(company)s = scope.member_id
             WHERE %(condition)s
            WINDOW running AS (PARTITION BY %(partner)s, source.company_id ORDER BY %(day)s)
          ) item
         GROUP BY item.partner_id, item.company_id
        """,
        arrays=SQL(", ").join(
            SQL(
                "array_agg(%s ORDER BY item.day) AS %s",
                SQL.identifier("item", name),
                SQL.identifier(name),
            )
            for name in columns
        ),
        values=SQL(", ").join(
            SQL("%s AS %s", value, SQL.identifier(name)) for name, value in columns.items()
        ),
        partner=partner,
        company=company,
        day=day,
        source=source,
        scope=company_scope_sql(),
        items=items,
        condition=condition,
    )


def sales_history_sql(source):
    """The sales history of the customers and companies of ``source`` (a
    relation with partner_id and company_id): after each posted invoice and
    credit note of the company tree, in date order, its date and the
    customer's net sales, invoice count and last invoice date so far."""
    invoice = SQL("m.move_type = 'out_invoice'")
    return running_history_sql(
        source,
        SQL("account_move m"),
        partner=SQL("m.commercial_partner_id"),
        company=SQL("m.company_id"),
        day=SQL("m.invoice_date"),
        condition=SQL("m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')"),
        columns={
            "sale_dates": SQL("m.invoice_date"),
            "sale_totals": SQL("SUM(m.amount_untaxed_signed::float8) OVER running"),
            "invoice_counts": SQL("COUNT(*) FILTER (WHERE %s) OVER running", invoice),
            "last_invoice_dates": SQL(
                "MAX(m.invoice_date) FILTER (WHERE %s) OVER running", invoice
            ),
        },
    )


def receivable_history_sql(source, receivable, sale_journals):
    """The receivable history of the customers and companies of ``source``
    (a relation with partner_id and company_id): after each posted
    receivable item of the company tree, in date order, its date and the
    customer's receivable and credit sales (its items in the journals
    ``sale_journals``) so far. ``receivable``: the ids of the receivable
    accounts."""
    return running_history_sql(
        source,
        SQL("account_move_line line"),
        partner=SQL("line.partner_id"),
        company=SQL("line.company_id"),
        day=SQL("line.date"),
        condition=SQL("line.parent_state = 'posted' AND line.account_id = ANY(%s)", receivable),
        columns={
            "receivable_dates": SQL("line.date"),
            "receivable_totals": SQL("SUM(line.balance::float8) OVER running"),
            "credit_sale_totals": SQL(
                "COALESCE(SUM(line.balance::float8) FILTER ("
                "WHERE line.journal_id = ANY(%s)) OVER running, 0)",
                sale_journals,
            ),
        },
    )


def rebuild_history_sql(partner_ids, company_ids, receivable, sale_journals):
    """The statement that rebuilds the sales and receivable history of the
    customers ``partner_ids`` in the companies ``company_ids`` (pairs, in
    the same order) from their documents and receivable items."""
    return SQL(
        """
        WITH stale AS (
            SELECT * FROM unnest(%(partner_ids)s::int[], %(company_ids)s::int[])
                AS stale (partner_id, company_id)
        ),
        history AS (%(history)s),
        receivable_history AS (%(receivable_history)s)
        UPDATE sh_customer_figure figure
           SET %(assignments)s
          FROM stale
          LEFT JOIN history ON history.partner_id = stale.partner_id
                           AND history.company_id = stale.company_id
          LEFT JOIN receivable_history history_r
                 ON history_r.partner_id = stale.partner_id
                AND history_r.company_id = stale.company_id
         WHERE figure.partner_id = stale.partner_id
           AND figure.company_id = stale.company_id
        """,
        partner_ids=partner_ids,
        company_ids=company_ids,
        history=sales_history_sql(SQL("stale")),
        receivable_history=receivable_history_sql(SQL("stale"), receivable, sale_journals),
        assignments=SQL(", ").join(
            SQL(
                "%s = COALESCE(%s, '{}')",
                SQL.identifier(column),
                SQL.identifier(alias, column),
            )
            for alias, kind in (("history", "sales"), ("history_r", "receivable"))
            for column in history_columns(kind)
        ),
    )
