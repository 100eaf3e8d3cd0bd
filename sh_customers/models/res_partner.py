import json
import operator
import re
from datetime import timedelta

from babel.dates import format_date as babel_format_date
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import get_lang
from odoo.tools.sql import drop_index, make_index_name

from ..figures.rules import (
    CUSTOMER_TYPES,
    DEBT_GROUPS,
    FIXED_RFM_BREAKPOINTS,
    LIFECYCLE_STATUSES,
    MIN_CUSTOMERS_FOR_QUINTILES,
    RFM_SEGMENTS,
)

SEARCH_COMPARISONS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

# Fill factor of res_partner's pages: room for the refresh's in-place updates.
PARTNER_FILLFACTOR = 70

# Every figure below is written by _sh_refresh_customer_stats() in one
# set-based statement; the keys are the columns that statement produces.
STAT_FIELDS = (
    "sh_first_purchase_date",
    "sh_last_purchase_date",
    "sh_invoice_count",
    "sh_net_sales",
    "sh_average_order_value",
    "sh_purchase_gap_days",
    "sh_debt",
    "sh_overdue",
    "sh_oldest_due_date",
    "sh_debt_not_due",
    "sh_debt_1_30",
    "sh_debt_31_60",
    "sh_debt_61_90",
    "sh_debt_91_120",
    "sh_debt_over_120",
    "sh_available_credit",
    "sh_over_credit_limit",
    "sh_rfm_frequency",
    "sh_rfm_monetary",
    "sh_rfm_r_score",
    "sh_rfm_f_score",
    "sh_rfm_m_score",
    "sh_rfm_segment",
    "sh_lifecycle_status",
)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    sh_customer_code = fields.Char(
        string="Customer Code",
        copy=False,
        index="btree_not_null",
        help="Internal reference of the customer, given automatically when the customer "
        "is created.",
    )
    sh_customer_type = fields.Selection(
        CUSTOMER_TYPES,
        string="Customer Type",
        default="retail",
        help="Retail buyer, repair workshop, fleet operator or wholesaler.",
    )
    sh_currency_id = fields.Many2one(
        "res.currency",
        string="Company Currency",
        compute="_compute_sh_currency_id",
    )
    sh_whatsapp_url = fields.Char(
        string="WhatsApp Link",
        compute="_compute_sh_whatsapp_url",
        help="Click-to-chat link built from the mobile number (or the phone number) "
        "in international format.",
    )

    # Purchases (per company)
    sh_first_purchase_date = fields.Date(
        string="First Purchase", company_dependent=True, index=False, readonly=True, copy=False
    )
    sh_last_purchase_date = fields.Date(
        string="Last Purchase", company_dependent=True, index=False, readonly=True, copy=False
    )
    sh_invoice_count = fields.Integer(
        string="Posted Invoices",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        help="Posted customer invoices, credit notes not included.",
    )
    sh_net_sales = fields.Float(
        string="Net Sales",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        help="Posted customer invoices minus posted credit notes, untaxed, in company currency.",
    )
    sh_average_order_value = fields.Float(
        string="Average Order Value",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        help="Net sales divided by the number of invoices.",
    )
    sh_purchase_gap_days = fields.Float(
        string="Usual Gap (days)",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Average number of days between two purchases (first to last purchase "
        "divided by the number of invoices minus one).",
    )
    # Day counts follow from stored dates: a new day changes no stored figure.
    sh_days_since_purchase = fields.Integer(
        string="Days Since Last Purchase",
        compute="_compute_sh_days_since_purchase",
        search="_search_sh_days_since_purchase",
        help="Days from the last purchase to today; 0 for a customer with no purchase.",
    )

    # Debt (per company), visible to those who may see receivables
    sh_debt = fields.Float(
        string="Debt",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
        help="Open receivable: posted, unreconciled receivable items. Equal to Total Receivable.",
    )
    sh_overdue = fields.Float(
        string="Overdue",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
        help="Part of the debt whose due date has passed.",
    )
    sh_oldest_due_date = fields.Date(
        string="Oldest Due Date",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        groups=DEBT_GROUPS,
        help="Earliest due date among the open receivable items still owed.",
    )
    sh_oldest_overdue_days = fields.Integer(
        string="Oldest Overdue (days)",
        compute="_compute_sh_oldest_overdue_days",
        search="_search_sh_oldest_overdue_days",
        groups=DEBT_GROUPS,
        help="Days past due of the oldest open item still owed; 0 when nothing is overdue.",
    )
    sh_debt_not_due = fields.Float(
        string="Not Due",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
    )
    sh_debt_1_30 = fields.Float(
        string="1-30 Days",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
    )
    sh_debt_31_60 = fields.Float(
        string="31-60 Days",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
    )
    sh_debt_61_90 = fields.Float(
        string="61-90 Days",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
    )
    sh_debt_91_120 = fields.Float(
        string="91-120 Days",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
    )
    sh_debt_over_120 = fields.Float(
        string="Over 120 Days",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
    )
    sh_available_credit = fields.Float(
        string="Available Credit",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        groups=DEBT_GROUPS,
        help="Credit limit minus debt; zero when the customer has no credit limit.",
    )
    sh_over_credit_limit = fields.Boolean(
        string="Over Credit Limit",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        groups=DEBT_GROUPS,
    )

    # RFM and lifecycle (per company)
    sh_rfm_frequency = fields.Integer(
        string="Frequency",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        help="Invoices within the RFM window.",
    )
    sh_rfm_monetary = fields.Float(
        string="Monetary",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        digits="Account",
        help="Net sales within the RFM window.",
    )
    sh_rfm_r_score = fields.Integer(
        string="Recency Score",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        help="1 (longest ago) to 5 (most recent).",
    )
    sh_rfm_f_score = fields.Integer(
        string="Frequency Score", company_dependent=True, index=False, readonly=True, copy=False
    )
    sh_rfm_m_score = fields.Integer(
        string="Monetary Score", company_dependent=True, index=False, readonly=True, copy=False
    )
    sh_rfm_segment = fields.Selection(
        RFM_SEGMENTS,
        string="Segment",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        help="RFM segment from the recency and frequency scores.",
    )
    sh_lifecycle_status = fields.Selection(
        LIFECYCLE_STATUSES,
        string="Customer Status",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        help="Prospect: no purchase yet. New: first purchase within the new customer "
        "period. At risk: no purchase for more than the at risk gap factor times the "
        "usual gap. Churned: no purchase for longer than the churn period. "
        "Active: every other customer.",
    )

    # The refresh compares this fingerprint of a customer's figures in a
    # company instead of each figure, and writes only customers whose
    # figures changed.
    sh_stats_digest = fields.Char(
        string="Figures Fingerprint",
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        groups="base.group_system",
    )

    sh_is_top_customer = fields.Boolean(
        string="Top 10% by Net Sales",
        compute="_compute_sh_is_top_customer",
        search="_search_sh_is_top_customer",
        help="Among the 10% of customers with the highest net sales in the current company.",
    )

    # Customer 360 form
    sh_invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices and Credit Notes",
        compute="_compute_sh_invoice_ids",
        groups=DEBT_GROUPS,
    )
    sh_open_item_ids = fields.Many2many(
        "account.move.line",
        string="Open Items",
        compute="_compute_sh_open_item_ids",
        groups=DEBT_GROUPS,
    )
    sh_payment_ids = fields.Many2many(
        "account.payment",
        string="Payments",
        compute="_compute_sh_payment_ids",
        groups=DEBT_GROUPS,
    )
    sh_top_product_ids = fields.Many2many(
        "product.product",
        string="Top Products",
        compute="_compute_sh_top_product_ids",
        help="The products this customer bought for the highest net amount.",
    )
    sh_monthly_sales = fields.Json(
        string="Monthly Net Sales",
        compute="_compute_sh_monthly_sales",
        help="Net sales per month over the last 24 months.",
    )
    sh_credit_usage = fields.Float(
        string="Credit Usage (%)",
        compute="_compute_sh_credit_usage",
        groups=DEBT_GROUPS,
        help="Debt as a percentage of the credit limit.",
    )

    def _compute_sh_currency_id(self):
        self.sh_currency_id = self.env.company.currency_id

    @api.depends("sh_last_purchase_date")
    @api.depends_context("company")
    def _compute_sh_days_since_purchase(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.sh_last_purchase_date
            partner.sh_days_since_purchase = (today - last).days if last else 0

    def _search_sh_days_since_purchase(self, operator, value):
        return self._sh_search_days_since("sh_last_purchase_date", operator, value)

    @api.depends("sh_oldest_due_date")
    @api.depends_context("company")
    def _compute_sh_oldest_overdue_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            due = partner.sh_oldest_due_date
            partner.sh_oldest_overdue_days = max((today - due).days, 0) if due else 0

    def _search_sh_oldest_overdue_days(self, operator, value):
        return self._sh_search_days_since("sh_oldest_due_date", operator, value, floor=True)

    def _sh_search_days_since(self, date_field, operator, value, floor=False):
        """A domain on ``date_field`` for a number of days from that date to
        today. A customer without the date counts 0 days, and so does one
        whose date is today or later when ``floor`` is set."""
        if (
            operator not in SEARCH_COMPARISONS
            or isinstance(value, bool)
            or not isinstance(value, int)
        ):
            raise UserError(_("Search on a number of days with a whole number of days."))
        today = fields.Date.context_today(self)
        # More days is an earlier date: the comparison turns around.
        turned = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(operator, operator)
        dated = [
            (date_field, "<", today) if floor else (date_field, "!=", False),
            (date_field, turned, today - timedelta(days=value)),
        ]
        if not SEARCH_COMPARISONS[operator](0, value):
            return dated
        zero = [(date_field, "=", False)]
        if floor:
            zero = expression.OR([zero, [(date_field, ">=", today)]])
        return expression.OR([dated, zero])

    def _compute_sh_is_top_customer(self):
        top = self.search([("id", "in", self.ids), ("sh_is_top_customer", "=", True)])
        for partner in self:
            partner.sh_is_top_customer = partner in top

    def _search_sh_is_top_customer(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported"))
        self._sh_flush_for_stats()
        net_sales = self._field_to_sql("res_partner", "sh_net_sales")
        [(threshold,)] = self.env.execute_query(
            SQL(
                """
                SELECT PERCENTILE_DISC(0.1) WITHIN GROUP (ORDER BY %s DESC)
                  FROM res_partner
                 WHERE id = commercial_partner_id AND %s > 0
                """,
                net_sales,
                net_sales,
            )
        )
        positive = (operator == "=") == value
        if threshold is None:
            return [(0, "=", 1)] if positive else []
        domain = [("sh_net_sales", ">=", threshold), ("sh_net_sales", ">", 0)]
        return domain if positive else ["!", *domain]

    def _compute_sh_invoice_ids(self):
        for partner in self:
            partner.sh_invoice_ids = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ],
                limit=80,
                order="invoice_date desc, id desc",
            )

    def _compute_sh_open_item_ids(self):
        for partner in self:
            partner.sh_open_item_ids = self.env["account.move.line"].search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("company_id", "child_of", self.env.company.root_id.id),
                ],
                order="date_maturity, id",
            )

    def _compute_sh_payment_ids(self):
        for partner in self:
            partner.sh_payment_ids = self.env["account.payment"].search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("partner_type", "=", "customer"),
                    ("state", "in", ("in_process", "paid")),
                ],
                limit=80,
                order="date desc, id desc",
            )

    def _compute_sh_top_product_ids(self):
        # Sales statistics, like the stored net sales every Customers user
        # sees: read as a system computation, so that users without access
        # to journal items see them too (the company rule is in the domain).
        move_lines = self.env["account.move.line"].sudo()
        for partner in self:
            groups = move_lines._read_group(
                [
                    ("move_id.commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "product"),
                    ("product_id", "!=", False),
                    ("company_id", "child_of", self.env.company.root_id.id),
                ],
                groupby=["product_id"],
                aggregates=["balance:sum"],
                order="balance:sum",
                limit=10,
            )
            partner.sh_top_product_ids = self.env["product.product"].browse(
                [product.id for product, _balance in groups]
            )

    def _compute_sh_monthly_sales(self):
        today = fields.Date.context_today(self)
        start = today.replace(day=1) - relativedelta(months=23)
        months = [start + relativedelta(months=i) for i in range(24)]
        # Sales statistics, read as a system computation like the top
        # products above (the company rule is in the domain).
        moves = self.env["account.move"].sudo()
        for partner in self:
            groups = dict(
                moves._read_group(
                    [
                        ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                        ("move_type", "in", ("out_invoice", "out_refund")),
                        ("state", "=", "posted"),
                        ("invoice_date", ">=", start),
                        ("company_id", "child_of", self.env.company.root_id.id),
                    ],
                    groupby=["invoice_date:month"],
                    aggregates=["amount_untaxed_signed:sum"],
                )
            )
            partner.sh_monthly_sales = {
                "labels": [
                    babel_format_date(month, "MMM yyyy", locale=get_lang(self.env).code)
                    for month in months
                ],
                "values": [groups.get(month, 0.0) for month in months],
            }

    def _compute_sh_credit_usage(self):
        for partner in self:
            limit = partner.credit_limit
            partner.sh_credit_usage = limit > 0 and partner.sh_debt / limit * 100

    @api.depends("mobile", "phone", "country_id")
    def _compute_sh_whatsapp_url(self):
        for partner in self:
            number = partner._sh_international_number(partner.mobile or partner.phone)
            partner.sh_whatsapp_url = number and f"https://wa.me/{number}"

    def _sh_international_number(self, number):
        """Digits of ``number`` in international form, without the plus sign."""
        if not number:
            return False
        number = number.strip()
        digits = re.sub(r"\D", "", number)
        if number.startswith("+"):
            return digits or False
        if digits.startswith("00"):
            return digits[2:] or False
        country = self.country_id or self.env.company.country_id
        if digits.startswith("0") and country.phone_code:
            return f"{country.phone_code}{digits.lstrip('0')}"
        return digits or False

    def init(self):
        res = super().init()
        # The refresh rewrites the figures of every customer. With room left
        # in each page, and no index on the figures (they are dense, an index
        # would not narrow a search), PostgreSQL updates a row in place (a
        # HOT update) instead of adding an entry to each of the table's
        # indexes: several times fewer writes.
        cr = self.env.cr
        cr.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [self._table])
        if f"fillfactor={PARTNER_FILLFACTOR}" not in (cr.fetchone()[0] or []):
            cr.execute(
                SQL(
                    "ALTER TABLE %s SET (fillfactor = %s)",
                    SQL.identifier(self._table),
                    SQL(str(PARTNER_FILLFACTOR)),
                )
            )
        for fname in (*STAT_FIELDS, "sh_stats_digest"):
            drop_index(cr, make_index_name(self._table, fname), self._table)
        # The customers the Customers app lists (its action's domain and
        # default filter, the dashboard's customers), found from this index
        # alone instead of reading res_partner's wide rows; it holds what the
        # record rules and the KPI cards read.
        cr.execute(
            """
            CREATE INDEX IF NOT EXISTS res_partner_sh_customer_index
                ON res_partner (id) INCLUDE (commercial_partner_id, company_id, partner_share)
             WHERE active = TRUE AND customer_rank > 0 AND (is_company = TRUE OR parent_id IS NULL)
            """
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("sh_customer_code") and not vals.get("parent_id"):
                vals["sh_customer_code"] = self.env["ir.sequence"].next_by_code("sh.customer.code")
        partners = super().create(vals_list)
        # Store explicit figures (zeros, Prospect) so that sorting and
        # filtering treat new customers like every other one.
        partners.filtered(lambda partner: not partner.parent_id)._sh_refresh_customer_stats()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if "credit_limit" in vals:
            self._sh_refresh_customer_stats()
        return res

    # ------------------------------------------------------------------
    # Statistics
    # ------------------------------------------------------------------

    def _sh_flush_for_stats(self):
        self.env["account.move"].flush_model(
            ["state", "move_type", "commercial_partner_id", "company_id"]
            + ["invoice_date", "amount_untaxed_signed"]
        )
        self.env["account.move.line"].flush_model(
            ["account_id", "amount_residual", "company_id", "parent_state"]
            + ["partner_id", "reconciled", "date_maturity", "date"]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env["res.company"].flush_model(
            ["parent_path", "sh_rfm_window_months", "sh_new_customer_days"]
            + ["sh_churn_days", "sh_at_risk_gap_factor", "sh_rfm_breakpoints"]
        )
        self.flush_model(["commercial_partner_id", "credit_limit", *STAT_FIELDS, "sh_stats_digest"])

    def _sh_sales_sql(self, today, target=None):
        """Per (customer, company): purchase figures from posted invoices and
        credit notes, of the customers ``target`` selects (a query of
        ``partner_id``), or of every customer in one pass when it is None.
        A company sees the entries of its whole company tree, as
        ``res.partner.credit`` does.

        ``days_check``, the sum of the documents' dates as day numbers, is
        part of the figures' fingerprint: posting, resetting or cancelling a
        document changes the invoice count, the net sales or this sum, so
        the customer is written, and its sales history rebuilt, whenever
        its history changed."""
        target_join = (
            SQL("JOIN (%s) target ON target.partner_id = m.commercial_partner_id", target)
            if target is not None
            else SQL()
        )
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id,
                   scope.company_id,
                   MIN(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS first_date,
                   MAX(m.invoice_date) FILTER (WHERE m.move_type = 'out_invoice') AS last_date,
                   COUNT(*) FILTER (WHERE m.move_type = 'out_invoice') AS invoice_count,
                   SUM(m.amount_untaxed_signed) AS net_sales,
                   COUNT(*) FILTER (
                       WHERE m.move_type = 'out_invoice' AND m.invoice_date > win.start
                   ) AS window_count,
                   SUM(m.amount_untaxed_signed) FILTER (
                       WHERE m.invoice_date > win.start
                   ) AS window_sales,
                   SUM(m.invoice_date - DATE '2000-01-01') AS days_check
              FROM account_move m
              %(target_join)s
              JOIN (%(scope)s) scope ON scope.member_id = m.company_id
              JOIN res_company company ON company.id = scope.company_id
             CROSS JOIN LATERAL (
                   SELECT %(today)s::date
                          - make_interval(months => company.sh_rfm_window_months) AS start
             ) win
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
             GROUP BY m.commercial_partner_id, scope.company_id
            """,
            target_join=target_join,
            scope=self._sh_company_scope_sql(),
            today=today,
        )

    def _sh_history_sql(self, source):
        """The sales history (see ``sh.customer.figure``) of the customers and
        companies of ``source`` (a relation with partner_id and company_id):
        after each posted invoice and credit note of the company tree, in
        date order, its date and the customer's net sales, invoice count and
        last invoice date so far."""
        invoice = SQL("m.move_type = 'out_invoice'")
        return self._sh_running_history_sql(
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

    def _sh_receivable_history_sql(self, source, receivable):
        """The receivable history (see ``sh.customer.figure``) of the
        customers and companies of ``source`` (a relation with partner_id and
        company_id): after each posted receivable item of the company tree,
        in date order, its date and the customer's receivable and credit
        sales (its items in sales journals) so far. ``receivable``: the ids
        of the receivable accounts."""
        sale_journals = [
            journal_id
            for (journal_id,) in self.env.execute_query(
                SQL("SELECT id FROM account_journal WHERE type = 'sale'")
            )
        ]
        return self._sh_running_history_sql(
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

    def _sh_running_history_sql(self, source, items, partner, company, day, condition, columns):
        """Per customer and company of ``source`` (a relation with partner_id
        and company_id), one array per entry of ``columns`` ({name: value of
        an item}), of the values of the customer's ``items`` (a table and its
        alias, whose customer is ``partner`` and company ``company``) of the
        company tree that meet ``condition``, in the order of their ``day``.
        The values may be running aggregates over the window ``running``.

        The items of one day are ordered by day only and share their running
        figures (the window's default frame takes a row's peers): the arrays
        are the same whatever order the day's items come in."""
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
            scope=self._sh_company_scope_sql(),
            items=items,
            condition=condition,
        )

    def _sh_receivable_account_ids(self):
        """The receivable accounts of every company, as literals: the
        planner then reads the items of these accounts from their index
        instead of scanning every item."""
        return [
            account_id
            for (account_id,) in self.env.execute_query(
                SQL("SELECT id FROM account_account WHERE account_type = 'asset_receivable'")
            )
        ]

    def _sh_company_scope_sql(self):
        return SQL(
            """
            SELECT company.id AS company_id, member.id AS member_id
              FROM res_company company
              JOIN res_company member
                ON split_part(member.parent_path, '/', 1)
                 = split_part(company.parent_path, '/', 1)
            """
        )

    def _sh_debt_sql(self, today, receivable, target=None):
        """Per (customer, company): the open receivable and its aging, of the
        customers ``target`` selects (a query of ``partner_id``), or of every
        customer in one pass over the open items when it is None.
        ``receivable``: the ids of the receivable accounts."""
        target_join = (
            SQL("JOIN (%s) target ON target.partner_id = line.partner_id", target)
            if target is not None
            else SQL()
        )
        return SQL(
            """
            SELECT line.partner_id, scope.company_id,
                   SUM(line.amount_residual) AS debt,
                   SUM(line.amount_residual) FILTER (WHERE due.days > 0) AS overdue,
                   SUM(line.amount_residual) FILTER (WHERE due.days <= 0) AS not_due,
                   SUM(line.amount_residual) FILTER (WHERE due.days BETWEEN 1 AND 30) AS d30,
                   SUM(line.amount_residual) FILTER (WHERE due.days BETWEEN 31 AND 60) AS d60,
                   SUM(line.amount_residual) FILTER (WHERE due.days BETWEEN 61 AND 90) AS d90,
                   SUM(line.amount_residual) FILTER (WHERE due.days BETWEEN 91 AND 120) AS d120,
                   SUM(line.amount_residual) FILTER (WHERE due.days > 120) AS dmore,
                   MIN(COALESCE(line.date_maturity, line.date)) FILTER (
                       WHERE line.amount_residual > 0
                   ) AS oldest_due
              FROM account_move_line line
              %(target_join)s
              JOIN (%(scope)s) scope ON scope.member_id = line.company_id
             CROSS JOIN LATERAL (
                   SELECT %(today)s::date - COALESCE(line.date_maturity, line.date) AS days
             ) due
             WHERE line.parent_state = 'posted'
               AND line.account_id = ANY(%(receivable)s)
               AND line.reconciled IS NOT TRUE
             GROUP BY line.partner_id, scope.company_id
            """,
            target_join=target_join,
            scope=self._sh_company_scope_sql(),
            today=today,
            receivable=receivable,
        )

    def _sh_target_sql(self, partner_ids):
        """The customers to refresh, with their credit limits and the
        fingerprints of their stored figures."""
        if partner_ids is None:
            return SQL(
                """
                SELECT id AS partner_id, credit_limit, sh_stats_digest FROM res_partner
                 WHERE id = commercial_partner_id
                """
            )
        return SQL(
            """
            SELECT id AS partner_id, credit_limit, sh_stats_digest FROM res_partner
             WHERE id = commercial_partner_id AND id = ANY(%s)
            """,
            list(partner_ids),
        )

    @api.model
    def _sh_compute_rfm_breakpoints(self, today=None):
        """Store on every company the NTILE(5) cut-offs of recency, frequency
        and monetary value over its customers with a purchase, or the fixed
        cut-offs when it has too few customers for quintiles."""
        today = today or fields.Date.context_today(self)
        self._sh_flush_for_stats()
        rows = self.env.execute_query(
            SQL(
                """
                WITH sales AS (%(sales)s),
                tiles AS (
                    SELECT company_id,
                           %(today)s::date - last_date AS recency,
                           window_count AS frequency,
                           COALESCE(window_sales, 0) AS monetary,
                           NTILE(5) OVER (PARTITION BY company_id
                                          ORDER BY %(today)s::date - last_date DESC) AS r,
                           NTILE(5) OVER (PARTITION BY company_id ORDER BY window_count) AS f,
                           NTILE(5) OVER (PARTITION BY company_id
                                          ORDER BY COALESCE(window_sales, 0)) AS m
                      FROM sales
                     WHERE invoice_count > 0
                )
                SELECT company_id, COUNT(*),
                       ARRAY[MIN(recency) FILTER (WHERE r = 1),
                             MIN(recency) FILTER (WHERE r = 2),
                             MIN(recency) FILTER (WHERE r = 3),
                             MIN(recency) FILTER (WHERE r = 4)],
                       ARRAY[MAX(frequency) FILTER (WHERE f = 1),
                             MAX(frequency) FILTER (WHERE f = 2),
                             MAX(frequency) FILTER (WHERE f = 3),
                             MAX(frequency) FILTER (WHERE f = 4)],
                       ARRAY[MAX(monetary) FILTER (WHERE m = 1),
                             MAX(monetary) FILTER (WHERE m = 2),
                             MAX(monetary) FILTER (WHERE m = 3),
                             MAX(monetary) FILTER (WHERE m = 4)]
                  FROM tiles
                 GROUP BY company_id
                """,
                sales=self._sh_sales_sql(today),
                today=today,
            )
        )
        by_company = {
            company_id: {
                "method": "quintiles",
                "r": [int(v) for v in r],
                "f": [int(v) for v in f],
                "m": [float(v) for v in m],
            }
            for company_id, count, r, f, m in rows
            if count >= MIN_CUSTOMERS_FOR_QUINTILES
        }
        for company in self.env["res.company"].sudo().search([]):
            company.sh_rfm_breakpoints = by_company.get(company.id, FIXED_RFM_BREAKPOINTS)

    def _sh_refresh_customer_stats(self, today=None, all_customers=False):
        """Recompute the purchase, debt, RFM and lifecycle figures of the
        commercial partners of ``self`` (or of every customer) for every
        company, in one statement, and write only the values that changed.
        The sales and receivable history of the customers whose documents or
        receivable changed is rebuilt after them.

        Runs as a system computation: the figures are stored for every
        company and each user only reads those of the current company.
        """
        if not all_customers and not self:
            return self.browse()
        if self.env.context.get("sh_defer_customer_stats"):
            # A bulk load (the demo generator) refreshes everyone at its end.
            return self.browse()
        today = today or fields.Date.context_today(self)
        partner_ids = None if all_customers else set(self.commercial_partner_id.ids)
        self._sh_flush_for_stats()
        companies = self.env["res.company"].sudo().search([])
        credit_limit_fallbacks = {
            str(company.id): self._fields["credit_limit"].get_company_dependent_fallback(
                self.sudo().with_company(company)
            )
            or 0.0
            for company in companies
        }
        target_ids = SQL("SELECT partner_id FROM target")
        receivable = self._sh_receivable_account_ids()
        Figure = self.env["sh.customer.figure"]
        stat_columns = [SQL.identifier(fname) for fname in STAT_FIELDS]
        # The scores are MATERIALIZED: once inlined, PostgreSQL would evaluate
        # a score again wherever the segment rules name it, for every customer.
        query = SQL(
            """
            WITH target AS (%(target)s),
            sales AS (%(sales)s),
            debt AS (%(debt)s),
            company AS MATERIALIZED (
                SELECT company.id,
                       company.sh_new_customer_days AS new_days,
                       company.sh_churn_days AS churn_days,
                       company.sh_at_risk_gap_factor AS gap_factor,
                       currency.decimal_places AS decimals,
                       (%(limits)s::jsonb ->> company.id::text)::numeric AS limit_fallback,
                       (bp -> 'r' ->> 0)::numeric AS r1, (bp -> 'r' ->> 1)::numeric AS r2,
                       (bp -> 'r' ->> 2)::numeric AS r3, (bp -> 'r' ->> 3)::numeric AS r4,
                       (bp -> 'f' ->> 0)::numeric AS f1, (bp -> 'f' ->> 1)::numeric AS f2,
                       (bp -> 'f' ->> 2)::numeric AS f3, (bp -> 'f' ->> 3)::numeric AS f4,
                       (bp -> 'm' ->> 0)::numeric AS m1, (bp -> 'm' ->> 1)::numeric AS m2,
                       (bp -> 'm' ->> 2)::numeric AS m3, (bp -> 'm' ->> 3)::numeric AS m4
                  FROM res_company company
                  JOIN res_currency currency ON currency.id = company.currency_id
                 CROSS JOIN LATERAL (
                       SELECT COALESCE(company.sh_rfm_breakpoints, %(fixed)s::jsonb) AS bp
                 ) breakpoints
            ),
            base AS (
                SELECT target.partner_id,
                       target.sh_stats_digest ->> company.id::text AS stored_digest,
                       company.*,
                       COALESCE(sales.invoice_count, 0) AS invoice_count,
                       sales.first_date,
                       sales.last_date,
                       COALESCE(sales.net_sales, 0) AS net_sales,
                       COALESCE(sales.window_count, 0) AS frequency,
                       COALESCE(sales.window_sales, 0) AS monetary,
                       COALESCE(sales.days_check, 0) AS days_check,
                       %(today)s::date - sales.last_date AS days_since,
                       CASE WHEN sales.invoice_count > 1
                            THEN ROUND((sales.last_date - sales.first_date)::numeric
                                       / (sales.invoice_count - 1), 1)
                       END AS gap,
                       COALESCE((target.credit_limit ->> company.id::text)::numeric,
                                company.limit_fallback, 0) AS credit_limit,
                       COALESCE(debt.debt, 0) AS debt,
                       COALESCE(debt.overdue, 0) AS overdue,
                       debt.oldest_due,
                       COALESCE(debt.not_due, 0) AS not_due,
                       COALESCE(debt.d30, 0) AS d30,
                       COALESCE(debt.d60, 0) AS d60,
                       COALESCE(debt.d90, 0) AS d90,
                       COALESCE(debt.d120, 0) AS d120,
                       COALESCE(debt.dmore, 0) AS dmore
                  FROM target
                 CROSS JOIN company
                  LEFT JOIN sales ON sales.partner_id = target.partner_id
                                 AND sales.company_id = company.id
                  LEFT JOIN debt ON debt.partner_id = target.partner_id
                                AND debt.company_id = company.id
            ),
            scored AS MATERIALIZED (
                SELECT base.*,
                       CASE WHEN invoice_count = 0 THEN 0
                            WHEN days_since >= r1 THEN 1
                            WHEN days_since >= r2 THEN 2
                            WHEN days_since >= r3 THEN 3
                            WHEN days_since >= r4 THEN 4
                            ELSE 5 END AS r_score,
                       CASE WHEN invoice_count = 0 THEN 0
                            WHEN frequency <= f1 THEN 1
                            WHEN frequency <= f2 THEN 2
                            WHEN frequency <= f3 THEN 3
                            WHEN frequency <= f4 THEN 4
                            ELSE 5 END AS f_score,
                       CASE WHEN invoice_count = 0 THEN 0
                            WHEN monetary <= m1 THEN 1
                            WHEN monetary <= m2 THEN 2
                            WHEN monetary <= m3 THEN 3
                            WHEN monetary <= m4 THEN 4
                            ELSE 5 END AS m_score
                  FROM base
            ),
            stats AS (
                SELECT partner_id, id AS company_id, stored_digest,
                       first_date AS sh_first_purchase_date,
                       last_date AS sh_last_purchase_date,
                       invoice_count AS sh_invoice_count,
                       ROUND(net_sales, decimals) AS sh_net_sales,
                       CASE WHEN invoice_count > 0
                            THEN ROUND(net_sales / invoice_count, decimals) ELSE 0
                       END AS sh_average_order_value,
                       COALESCE(gap, 0) AS sh_purchase_gap_days,
                       ROUND(debt, decimals) AS sh_debt,
                       ROUND(overdue, decimals) AS sh_overdue,
                       oldest_due AS sh_oldest_due_date,
                       ROUND(not_due, decimals) AS sh_debt_not_due,
                       ROUND(d30, decimals) AS sh_debt_1_30,
                       ROUND(d60, decimals) AS sh_debt_31_60,
                       ROUND(d90, decimals) AS sh_debt_61_90,
                       ROUND(d120, decimals) AS sh_debt_91_120,
                       ROUND(dmore, decimals) AS sh_debt_over_120,
                       CASE WHEN credit_limit > 0
                            THEN ROUND(credit_limit - debt, decimals) ELSE 0
                       END AS sh_available_credit,
                       credit_limit > 0 AND debt > credit_limit AS sh_over_credit_limit,
                       frequency AS sh_rfm_frequency,
                       ROUND(monetary, decimals) AS sh_rfm_monetary,
                       r_score AS sh_rfm_r_score,
                       f_score AS sh_rfm_f_score,
                       m_score AS sh_rfm_m_score,
                       CASE WHEN invoice_count = 0 THEN 'prospect'
                            WHEN r_score = 5 AND f_score >= 4 THEN 'champions'
                            WHEN r_score IN (3, 4) AND f_score >= 4 THEN 'loyal'
                            WHEN r_score >= 4 AND f_score IN (2, 3) THEN 'potential_loyalist'
                            WHEN r_score = 5 AND f_score = 1 THEN 'new'
                            WHEN r_score = 4 AND f_score = 1 THEN 'promising'
                            WHEN r_score = 3 AND f_score = 3 THEN 'need_attention'
                            WHEN r_score = 3 THEN 'about_to_sleep'
                            WHEN r_score = 1 AND f_score <= 2 AND m_score <= 2 THEN 'lost'
                            WHEN f_score = 5 THEN 'cant_lose'
                            WHEN f_score >= 3 THEN 'at_risk'
                            ELSE 'hibernating'
                       END AS sh_rfm_segment,
                       CASE WHEN invoice_count = 0 THEN 'prospect'
                            WHEN days_since > churn_days THEN 'churned'
                            WHEN %(today)s::date - first_date <= new_days THEN 'new'
                            WHEN gap > 0 AND days_since > gap_factor * gap THEN 'at_risk'
                            ELSE 'active'
                       END AS sh_lifecycle_status,
                       days_check
                  FROM scored
            ),
            digested AS (
                SELECT stats.*,
                       hash_record_extended(
                           ROW(%(stat_columns)s, days_check), 0
                       )::text AS digest,
                       hash_record_extended(
                           ROW(sh_invoice_count, sh_net_sales, days_check, sh_debt), 0
                       ) AS history_check
                  FROM stats
            ),
            -- The customers and companies whose figures changed.
            changed AS (
                SELECT * FROM digested WHERE digest IS DISTINCT FROM stored_digest
            ),
            new_values AS (%(new_values)s),
            -- Of those, the ones whose documents or receivable changed: their
            -- history is rebuilt (a new day alone changes none of it).
            stale AS (
                SELECT changed.partner_id, changed.company_id
                  FROM changed
                  LEFT JOIN sh_customer_figure figure
                         ON figure.partner_id = changed.partner_id
                        AND figure.company_id = changed.company_id
                 WHERE figure.history_check IS DISTINCT FROM changed.history_check
            ),
            -- The copy that the KPI cards and the dashboard sum.
            figures AS (%(figures)s),
            written AS (
                UPDATE res_partner partner
                   SET %(assignments)s
                  FROM new_values
                 WHERE partner.id = new_values.partner_id
                RETURNING partner.id
            )
            SELECT ARRAY(SELECT id FROM written),
                   ARRAY(SELECT partner_id FROM stale),
                   ARRAY(SELECT company_id FROM stale)
            """,
            target=self._sh_target_sql(partner_ids),
            # Everyone: one pass over the sales and the open items, not a
            # lookup per customer.
            sales=self._sh_sales_sql(today, None if partner_ids is None else target_ids),
            debt=self._sh_debt_sql(today, receivable, None if partner_ids is None else target_ids),
            today=today,
            fixed=json.dumps(FIXED_RFM_BREAKPOINTS),
            limits=json.dumps(credit_limit_fallbacks),
            stat_columns=SQL(", ").join(stat_columns),
            new_values=self._sh_per_company_values_sql(stat_columns, len(companies)),
            figures=Figure._sh_upsert_sql(SQL("changed")),
            # new_values holds every company's value: it replaces the column.
            assignments=SQL(", ").join(
                SQL("%s = new_values.%s", column, column)
                for column in [*stat_columns, SQL.identifier("sh_stats_digest")]
            ),
        )
        [(updated_ids, stale_partner_ids, stale_company_ids)] = self.env.execute_query(query)
        if stale_partner_ids:
            self._sh_rebuild_history(stale_partner_ids, stale_company_ids, receivable)
        self.invalidate_model([*STAT_FIELDS, "sh_stats_digest"])
        self.env["sh.customer.figure"].invalidate_model()
        return self.browse(updated_ids)

    def _sh_rebuild_history(self, partner_ids, company_ids, receivable):
        """Rebuild the sales and receivable history of the customers
        ``partner_ids`` in the companies ``company_ids`` (pairs, in the same
        order) from their documents and receivable items, after their
        figures were written: the customers whose documents or receivable
        changed, not every customer whose figures a new day moved."""
        Figure = self.env["sh.customer.figure"]
        self.env.execute_query(
            SQL(
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
                history=self._sh_history_sql(SQL("stale")),
                receivable_history=self._sh_receivable_history_sql(SQL("stale"), receivable),
                assignments=SQL(", ").join(
                    SQL(
                        "%s = COALESCE(%s, '{}')",
                        SQL.identifier(column),
                        SQL.identifier(alias, column),
                    )
                    for alias, kind in (("history", "sales"), ("history_r", "receivable"))
                    for column in Figure._sh_history_columns(kind)
                ),
            )
        )

    @api.model
    def _sh_per_company_values_sql(self, columns, company_count):
        """The figures to write, from the rows of ``digested`` (one per
        customer and company) and ``changed`` (those whose fingerprint
        changed): each as the ``{company id: value}`` object that
        company-dependent columns hold, with the fingerprint of each
        company's figures, for the customers whose fingerprint changed in
        some company. With a single company there is one row per customer
        and no aggregation to pay for."""
        if company_count == 1:
            return SQL(
                """
                SELECT partner_id, %s,
                       jsonb_build_object(company_id::text, digest) AS sh_stats_digest
                  FROM changed
                """,
                SQL(", ").join(
                    SQL("jsonb_build_object(company_id::text, %s) AS %s", column, column)
                    for column in columns
                ),
            )
        return SQL(
            """
            SELECT partner_id, %s,
                   jsonb_object_agg(company_id::text, digest) AS sh_stats_digest
              FROM digested
             GROUP BY partner_id
            HAVING bool_or(digest IS DISTINCT FROM stored_digest)
            """,
            SQL(", ").join(
                SQL("jsonb_object_agg(company_id::text, to_jsonb(%s)) AS %s", column, column)
                for column in columns
            ),
        )

    @api.model
    def _cron_sh_refresh_customer_stats(self, batch_size=5000):
        """Refresh every customer's figures, a batch at a time, in id order.

        The cursor in a system parameter lets the scheduler resume where the
        previous batch ended; the RFM cut-offs are recomputed when a full pass
        starts, so every customer of a pass is scored against the same
        population.
        """
        params = self.env["ir.config_parameter"].sudo()
        last_id = int(params.get_param("sh_customers.stats_refresh_cursor", 0))
        if not last_id:
            self._sh_compute_rfm_breakpoints()
        commercial = SQL("id = commercial_partner_id")
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE %s AND id > %s ORDER BY id LIMIT %s",
                commercial,
                last_id,
                batch_size,
            )
        )
        batch = self.browse([row[0] for row in rows])
        batch._sh_refresh_customer_stats()
        remaining = 0
        if batch:
            [(remaining,)] = self.env.execute_query(
                SQL(
                    "SELECT COUNT(*) FROM res_partner WHERE %s AND id > %s",
                    commercial,
                    batch.ids[-1],
                )
            )
        params.set_param("sh_customers.stats_refresh_cursor", batch.ids[-1] if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    # ------------------------------------------------------------------
    # Quick actions
    # ------------------------------------------------------------------

    def action_sh_new_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Invoice"),
            "res_model": "account.move",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_move_type": "out_invoice",
                "default_partner_id": self.id,
            },
        }

    def action_sh_register_payment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Register Payment"),
            "res_model": "account.payment",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {
                "default_payment_type": "inbound",
                "default_partner_type": "customer",
                "default_partner_id": self.commercial_partner_id.id,
            },
        }

    def action_sh_print_statement(self):
        self.ensure_one()
        return self.env.ref("sh_customers.action_report_customer_statement").report_action(self)

    def action_sh_open_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
        ]
        action["context"] = {
            "default_move_type": "out_invoice",
            "default_partner_id": self.id,
        }
        return action

    def action_sh_open_debt(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_moves_all_a")
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
        ]
        action["context"] = {"search_default_group_by_move": 0}
        return action

    def action_sh_open_payments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_payments")
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {
            "default_payment_type": "inbound",
            "default_partner_type": "customer",
            "default_partner_id": self.commercial_partner_id.id,
        }
        return action
