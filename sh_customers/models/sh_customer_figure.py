"""The customers' narrow rows (``sh.customer.figure``): the few figures that
the KPI cards and the dashboard sum, and the customer's sales and
receivable history, one row per customer and company, with the SQL accessors
that read the history as of a day or over a period. The refresh
(``figures.refresh``) writes them; their extra columns are made by
``figures.storage``."""

from odoo import fields, models
from odoo.tools import SQL

from ..figures import statements, totals
from ..figures.history import history_columns
from ..figures.rules import AGING_BUCKETS, LIFECYCLE_STATUSES, RFM_SEGMENTS
from ..figures.statements import FIGURE_FIELDS


class ShCustomerFigure(models.Model):
    """The few stored figures that the KPI cards and the dashboard sum over
    every customer, and the customer's sales and receivable history
    (``figures.history``), one narrow row per customer and company.

    The figures themselves live on the customer (company-dependent fields of
    res.partner, which the list, the form and the searches read). Summing
    them over 20,000 customers means reading them out of res_partner's wide
    rows, which costs more than the sums: these rows hold a copy of the
    figures that are summed (FIGURE_FIELDS), written by the same statement that
    writes the customer's figures (``figures.statements.customer_figures_sql``), for the
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
    # The debt's aging, one column per bucket of AGING_BUCKETS.
    vars().update(
        {
            bucket.column: fields.Float(string=bucket.label, readonly=True)
            for bucket in AGING_BUCKETS
        }
    )

    # The predicted lifetime value of the last nightly fit (NULL until a
    # fit wrote it, and for a customer without a purchase).
    p_alive = fields.Float(string="P(alive)", readonly=True)
    predicted_clv = fields.Float(string="Predicted CLV", readonly=True)

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one set of figures per company.",
        ),
    ]

    def init(self):
        """Make the companies' totals, their functions and triggers, or
        replace them with the current ones (at every installation and
        update of the addon), and the statistics by which PostgreSQL
        estimates how many customers the refresh reads."""
        res = super().init()
        totals.ensure_totals(self.env.cr)
        statements.ensure_commercial_statistics(self.env.cr)
        return res

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
        return history_columns(kind)

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
