"""The customer on res.partner: its code and type, its purchase, debt, RFM
and lifecycle figures (company-dependent fields written by the figures'
refresh, ``figures.refresh``), the Customer 360 form's computed lists and
charts, and the quick actions. The figures' rules live in
``figures.rules``, their SQL in ``figures.statements``."""

import operator
import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..figures import dashboard_counts, refresh, totals
from ..figures.dashboard_context import month_label
from ..figures.rules import (
    AGING_BUCKETS,
    CUSTOMER_TYPES,
    DEBT_GROUPS,
    LIFECYCLE_STATUSES,
    RFM_SEGMENTS,
)
from ..figures.statements import CLV_FIELDS

SEARCH_COMPARISONS = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _figure(field_type, string, *args, **kwargs):
    """A figure that the refresh writes (``figures.refresh``): one value per
    company, read-only, not copied, and not indexed (the figures are dense:
    an index would not narrow a search, and it would stop the refresh's
    in-place updates)."""
    return field_type(
        *args,
        string=string,
        company_dependent=True,
        index=False,
        readonly=True,
        copy=False,
        **kwargs,
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
    sh_figures_pending = fields.Boolean(
        string="Figures Being Computed",
        compute="_compute_sh_figures_pending",
        help="The first refresh after the Customers app was installed has not reached "
        "this customer yet: its figures are not computed.",
    )
    sh_whatsapp_url = fields.Char(
        string="WhatsApp Link",
        compute="_compute_sh_whatsapp_url",
        help="Click-to-chat link built from the mobile number (or the phone number) "
        "in international format.",
    )

    # Purchases (per company)
    sh_first_purchase_date = _figure(fields.Date, "First Purchase")
    sh_last_purchase_date = _figure(fields.Date, "Last Purchase")
    sh_invoice_count = _figure(
        fields.Integer,
        "Posted Invoices",
        help="Posted customer invoices, credit notes not included.",
    )
    sh_net_sales = _figure(
        fields.Float,
        "Net Sales",
        digits="Account",
        help="Posted customer invoices minus posted credit notes, untaxed, in company currency.",
    )
    sh_average_order_value = _figure(
        fields.Float,
        "Average Order Value",
        digits="Account",
        help="Net sales divided by the number of invoices.",
    )
    sh_purchase_gap_days = _figure(
        fields.Float,
        "Usual Gap (days)",
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
    sh_debt = _figure(
        fields.Float,
        "Debt",
        digits="Account",
        groups=DEBT_GROUPS,
        help="Open receivable: posted, unreconciled receivable items. Equal to Total Receivable.",
    )
    sh_overdue = _figure(
        fields.Float,
        "Overdue",
        digits="Account",
        groups=DEBT_GROUPS,
        help="Part of the debt whose due date has passed.",
    )
    sh_oldest_due_date = _figure(
        fields.Date,
        "Oldest Due Date",
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
    # The debt's aging, one field per bucket of AGING_BUCKETS.
    vars().update(
        {
            bucket.partner_field: _figure(
                fields.Float, bucket.label, digits="Account", groups=DEBT_GROUPS
            )
            for bucket in AGING_BUCKETS
        }
    )
    sh_available_credit = _figure(
        fields.Float,
        "Available Credit",
        digits="Account",
        groups=DEBT_GROUPS,
        help="Credit limit minus debt; zero when the customer has no credit limit.",
    )
    sh_over_credit_limit = _figure(fields.Boolean, "Over Credit Limit", groups=DEBT_GROUPS)

    # RFM and lifecycle (per company)
    sh_rfm_frequency = _figure(
        fields.Integer,
        "Frequency",
        help="Invoices within the RFM window.",
    )
    sh_rfm_monetary = _figure(
        fields.Float,
        "Monetary",
        digits="Account",
        help="Net sales within the RFM window.",
    )
    sh_rfm_r_score = _figure(
        fields.Integer,
        "Recency Score",
        help="1 (longest ago) to 5 (most recent).",
    )
    sh_rfm_f_score = _figure(fields.Integer, "Frequency Score")
    sh_rfm_m_score = _figure(fields.Integer, "Monetary Score")
    sh_rfm_segment = _figure(
        fields.Selection,
        "Segment",
        RFM_SEGMENTS,
        help="RFM segment from the recency and frequency scores.",
    )
    sh_lifecycle_status = _figure(
        fields.Selection,
        "Customer Status",
        LIFECYCLE_STATUSES,
        help="Prospect: no purchase yet. New: first purchase within the new customer "
        "period. At risk: no purchase for more than the at risk gap factor times the "
        "usual gap, or a P(alive) below the company's at-risk threshold. Churned: no "
        "purchase for longer than the churn period. Active: every other customer.",
    )

    # Predicted lifetime value in the current company, from the narrow rows
    # where the nightly fit writes it (``figures.statements.CLV_FIELDS``):
    # empty (NULL) until a fit wrote it, which a search on a number of the
    # ORM would take for 0; searched and sorted in SQL on those rows.
    sh_p_alive = fields.Float(
        string="P(alive)",
        digits=(16, 4),
        compute="_compute_sh_clv_figures",
        search="_search_sh_p_alive",
        help="Probability that the customer is still buying, from the purchase model "
        "(BG/NBD) fitted each night on the company's whole history. Empty until a fit, "
        "and for a customer without a purchase.",
    )
    sh_predicted_clv = fields.Float(
        string="Predicted CLV",
        digits="Account",
        compute="_compute_sh_clv_figures",
        search="_search_sh_predicted_clv",
        help="Net sales expected from the customer over the next 12 months, discounted "
        "1% a month: expected purchases (BG/NBD) times expected spend per purchase "
        "(Gamma-Gamma), fitted each night on the company's whole history. Empty until a "
        "fit, and for a customer without a purchase.",
    )

    # The refresh compares this fingerprint of a customer's figures in a
    # company instead of each figure, and writes only customers whose
    # figures changed.
    sh_stats_digest = _figure(
        fields.Char,
        "Figures Fingerprint",
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

    def _compute_sh_figures_pending(self):
        pending_after = refresh.first_refresh_pending_after(self.env)
        for partner in self:
            partner.sh_figures_pending = (
                pending_after is not None and partner.commercial_partner_id.id > pending_after
            )

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

    @api.depends_context("company")
    def _compute_sh_clv_figures(self):
        values = self._sh_clv_figures()
        for partner in self:
            customer_id = partner.commercial_partner_id._origin.id
            p_alive, predicted_clv = values.get(customer_id, (None, None))
            partner.sh_p_alive = p_alive or 0.0
            partner.sh_predicted_clv = predicted_clv or 0.0

    def _sh_clv_figures(self):
        """The stored P(alive) and predicted CLV of the commercial partners
        of ``self`` in the current company, by customer id: ``(None, None)``
        until a fit wrote them."""
        figures = self.env["sh.customer.figure"]
        columns = [column for column, _fname in CLV_FIELDS]
        figures.flush_model(["partner_id", "company_id", *columns])
        rows = self.env.execute_query(
            SQL(
                "SELECT partner_id, %s FROM %s WHERE company_id = %s AND partner_id = ANY(%s)",
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL.identifier(figures._table),
                self.env.company.id,
                self.commercial_partner_id._origin.ids,
            )
        )
        return {partner_id: tuple(values) for partner_id, *values in rows}

    def _search_sh_p_alive(self, operator, value):
        return self._sh_search_clv_figure("p_alive", operator, value)

    def _search_sh_predicted_clv(self, operator, value):
        return self._sh_search_clv_figure("predicted_clv", operator, value)

    def _sh_search_clv_figure(self, column, operator, value):
        """A domain on a figure of the nightly fit (``column`` of the narrow
        rows) in the current company: a comparison with a number holds for
        the customers that have the figure; ``= False`` finds those without
        it, ``!= False`` those with it."""
        figures = self.env["sh.customer.figure"]
        condition = SQL("%s IS NOT NULL", SQL.identifier(column))
        if value is False and operator in ("=", "!="):
            operator = "not in" if operator == "=" else "in"
        elif (
            operator in SEARCH_COMPARISONS
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            condition = SQL("%s %s %s", SQL.identifier(column), SQL(operator), value)
            operator = "in"
        else:
            raise UserError(_("Search on P(alive) and the predicted CLV with a number."))
        figures.flush_model(["partner_id", "company_id", column])
        subquery = SQL(
            "(SELECT partner_id FROM %s WHERE company_id = %s AND %s)",
            SQL.identifier(figures._table),
            self.env.company.id,
            condition,
        )
        return [("id", operator, subquery)]

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The figures of the nightly fit read from the narrow rows of the
        current company, so that the customers list sorts by them."""
        column = {field_name: name for name, field_name in CLV_FIELDS}.get(fname)
        if column is None or query is None:
            return super()._field_to_sql(alias, fname, query, flush)
        figures = self.env["sh.customer.figure"]
        if flush:
            figures.flush_model(["partner_id", "company_id", column])
        return SQL.identifier(figures._sh_join(query, alias, self.env.company), column)

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
        labels = [month_label(self.env, month) for month in months]
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
                "labels": labels,
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

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """Fill the form's aging group with a field per aging bucket."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            for group in arch.iterfind(".//group[@name='sh_aging']"):
                for bucket in AGING_BUCKETS:
                    etree.SubElement(
                        group,
                        "field",
                        name=bucket.partner_field,
                        widget="monetary",
                        options="{'currency_field': 'sh_currency_id'}",
                    )
        return arch, view

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
        # A partner that becomes a commercial partner (no parent any more,
        # or a company) gets its figures now, as a new customer does.
        if {"credit_limit", "parent_id", "is_company"} & vals.keys():
            self._sh_refresh_customer_stats()
        return res

    # ------------------------------------------------------------------
    # Statistics
    # ------------------------------------------------------------------

    def _sh_flush_for_stats(self):
        """Write every pending change that the figures' statements read."""
        refresh.flush_for_figures(self.env)

    @api.model
    def _sh_compute_rfm_breakpoints(self, today=None):
        """Store on every company the RFM cut-offs over its customers
        (``figures.refresh.compute_rfm_breakpoints``)."""
        refresh.compute_rfm_breakpoints(self.env, today)

    def _sh_refresh_customer_stats(self, today=None, all_customers=False):
        """Recompute and write the figures of the commercial partners of
        ``self`` (or of every customer) for every company; returns the
        customers written (``figures.refresh.refresh_customer_figures``)."""
        return refresh.refresh_customer_figures(self, today, all_customers)

    @api.model
    def _sh_write_clv_figures(self, companies, partner_ids, p_alive, predicted_clv):
        """Store the P(alive) and predicted CLV of a fit of the tree of
        ``companies`` and compute again the status of the customers whose
        P(alive) crossed the at-risk threshold
        (``figures.refresh.write_clv_figures``)."""
        return refresh.write_clv_figures(self.env, companies, partner_ids, p_alive, predicted_clv)

    @api.model
    def _cron_sh_refresh_customer_stats(self, batch_size=None):
        """Refresh every customer's figures, a batch at a time
        (``figures.refresh.cron_refresh``: by default 5,000 customers a
        batch during the first refresh after installation, which reports
        its progress, 20,000 otherwise), and fold the rows of changes of
        the companies' totals (``figures.totals.compact``); once the pass
        has finished, count the customers of the named periods again
        (``figures.dashboard_counts.write_counts``)."""
        if not batch_size:
            first = refresh.first_refresh_progress(self.env)
            batch_size = refresh.FIRST_REFRESH_BATCH if first else refresh.NIGHTLY_BATCH
        finished = refresh.cron_refresh(self.env, batch_size)
        totals.compact(self.env.cr)
        if finished:
            dashboard_counts.write_counts(self.env, fields.Date.context_today(self))

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
