from odoo import fields, models
from odoo.tools import SQL

from .res_partner import LIFECYCLE_STATUSES, RFM_SEGMENTS

# The figures kept here, as (column, res.partner field).
FIGURE_FIELDS = (
    ("lifecycle_status", "sh_lifecycle_status"),
    ("rfm_segment", "sh_rfm_segment"),
    ("first_purchase_date", "sh_first_purchase_date"),
    ("net_sales", "sh_net_sales"),
    ("debt", "sh_debt"),
    ("overdue", "sh_overdue"),
    ("debt_not_due", "sh_debt_not_due"),
    ("debt_1_30", "sh_debt_1_30"),
    ("debt_31_60", "sh_debt_31_60"),
    ("debt_61_90", "sh_debt_61_90"),
    ("debt_91_120", "sh_debt_91_120"),
    ("debt_over_120", "sh_debt_over_120"),
)
# The customer's sales history: one element per posted invoice and credit
# note, in date order (no field type of the ORM holds an array: init() adds
# these columns):
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


class ShCustomerFigure(models.Model):
    """The few stored figures that the KPI cards and the dashboard sum over
    every customer, and the customer's sales history (HISTORY_COLUMNS), one
    narrow row per customer and company.

    The figures themselves live on the customer (company-dependent fields of
    res.partner, which the list, the form and the searches read). Summing
    them over 20,000 customers means reading them out of res_partner's wide
    rows, which costs more than the sums: these rows hold a copy of the
    figures that are summed (FIGURE_FIELDS), written by the same statement that writes the
    customer's figures (``res.partner._sh_refresh_customer_stats``), for the
    same customers and companies, so they never differ from them."""

    _name = "sh.customer.figure"
    _description = "Customer Figures per Company"
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    lifecycle_status = fields.Selection(LIFECYCLE_STATUSES, readonly=True)
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="RFM Segment", readonly=True)
    first_purchase_date = fields.Date(readonly=True)
    net_sales = fields.Float(readonly=True)
    debt = fields.Float(readonly=True)
    overdue = fields.Float(readonly=True)
    debt_not_due = fields.Float(string="Not Due", readonly=True)
    debt_1_30 = fields.Float(string="1-30 Days", readonly=True)
    debt_31_60 = fields.Float(string="31-60 Days", readonly=True)
    debt_61_90 = fields.Float(string="61-90 Days", readonly=True)
    debt_91_120 = fields.Float(string="91-120 Days", readonly=True)
    debt_over_120 = fields.Float(string="Over 120 Days", readonly=True)

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one set of figures per company.",
        ),
    ]

    def init(self):
        res = super().init()
        for column, sql_type in HISTORY_COLUMNS:
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s DEFAULT '{}'",
                    SQL.identifier(self._table),
                    SQL.identifier(column),
                    SQL(sql_type),
                )
            )
        # The fingerprint of what the history follows from (invoice count,
        # net sales, the documents' dates, debt) when it was built.
        self.env.cr.execute(
            SQL(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS history_check bigint",
                SQL.identifier(self._table),
            )
        )
        return res

    def _sh_upsert_sql(self, source):
        """The statement that writes the rows of ``source`` (a relation with
        partner_id, company_id, the figures under their res.partner names and
        history_check): inserted, or updated where the customer already has
        them. The history itself is rebuilt apart, where history_check
        changed (``res.partner._sh_rebuild_history``)."""
        columns = [SQL.identifier(column) for column, _fname in FIGURE_FIELDS] + [
            SQL.identifier("history_check")
        ]
        sources = [fname for _column, fname in FIGURE_FIELDS] + ["history_check"]
        return SQL(
            """
            INSERT INTO sh_customer_figure (partner_id, company_id, %(columns)s)
            SELECT partner_id, company_id, %(values)s FROM %(source)s
            ON CONFLICT (partner_id, company_id) DO UPDATE SET %(assignments)s
            """,
            columns=SQL(", ").join(columns),
            values=SQL(", ").join(SQL.identifier(fname) for fname in sources),
            source=source,
            assignments=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", column, column) for column in columns
            ),
        )

    def _sh_join(self, query, partner_alias, company):
        """Join the figures of ``company`` to the customers that ``query``
        selects (a customer never refreshed has none: its columns are
        then NULL); returns the join's alias, for ``_sh_column``."""
        alias = query.make_alias(partner_alias, "sh_figure")
        query.add_join(
            "LEFT JOIN",
            alias,
            self._table,
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(alias, "partner_id"),
                SQL.identifier(partner_alias, "id"),
                SQL.identifier(alias, "company_id"),
                company.id,
            ),
        )
        return alias

    def _sh_column(self, alias, column):
        """A figure of the join ``alias``; where the customer has none, the
        customer field's default in the current company (a prospect's
        status) or NULL."""
        value = SQL.identifier(alias, column)
        Partner = self.env["res.partner"]
        fallback = Partner._fields[dict(FIGURE_FIELDS)[column]].get_company_dependent_fallback(
            Partner
        )
        if fallback not in (None, False, 0):
            return SQL("COALESCE(%s, %s)", value, fallback)
        return value

    def _sh_history_columns(self, kind=None):
        """The history columns: all of them, or those of the ``"sales"`` or
        ``"receivable"`` history."""
        columns = {"sales": SALES_HISTORY_COLUMNS, "receivable": RECEIVABLE_HISTORY_COLUMNS}
        return [column for column, _type in columns.get(kind, HISTORY_COLUMNS)]

    # The sales history of the relation ``alias`` (this table, or a query
    # that selects its history columns under their names) as of a position
    # (``_sh_position``), and of the period between two positions.

    def _sh_position(self, alias, day, dates="sale_dates"):
        """The number of documents (or with ``dates="receivable_dates"``,
        receivable items) dated up to ``day`` (0 without any, NULL without
        history)."""
        return SQL("width_bucket(%s::date, %s)", day, SQL.identifier(alias, dates))

    def _sh_invoices_until(self, alias, position):
        """Number of invoices up to ``position``."""
        return SQL("COALESCE(%s[%s], 0)", SQL.identifier(alias, "invoice_counts"), position)

    def _sh_last_invoice_until(self, alias, position):
        """Date of the last invoice up to ``position``, or NULL."""
        return SQL("%s[%s]", SQL.identifier(alias, "last_invoice_dates"), position)

    def _sh_sales_until(self, alias, position):
        """Net sales up to ``position``."""
        return SQL("COALESCE(%s[%s], 0)", SQL.identifier(alias, "sale_totals"), position)

    def _sh_sales_between(self, alias, start, end):
        """Net sales of the documents after position ``start`` up to
        position ``end``."""
        return SQL(
            "(%s - %s)",
            self._sh_sales_until(alias, end),
            self._sh_sales_until(alias, start),
        )

    def _sh_invoices_between(self, alias, start, end):
        """Number of invoices after position ``start`` up to position ``end``."""
        return SQL(
            "(%s - %s)",
            self._sh_invoices_until(alias, end),
            self._sh_invoices_until(alias, start),
        )

    def _sh_receivable_until(self, alias, position):
        """The receivable up to ``position`` of the receivable dates."""
        return SQL("COALESCE(%s[%s], 0)", SQL.identifier(alias, "receivable_totals"), position)

    def _sh_credit_sales_between(self, alias, start, end):
        """Credit sales of the receivable items after position ``start`` up
        to position ``end`` of the receivable dates."""
        totals = SQL.identifier(alias, "credit_sale_totals")
        return SQL("(COALESCE(%s[%s], 0) - COALESCE(%s[%s], 0))", totals, end, totals, start)
