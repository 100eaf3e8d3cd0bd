"""The options of a customer report, asked before it opens: the report, its
period or "as of" date, the company and the customer filters, and the
report's own options; then shown on screen, printed or exported."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sh_customers.figures.periods import CUSTOM, DEFAULT_PERIOD, period_choices
from odoo.addons.sh_customers.figures.rules import CUSTOMER_TYPES, LIFECYCLE_STATUSES, RFM_SEGMENTS

REPORTS = [
    ("sh.report.analytics", "Customer Analytics"),
    ("sh.report.clv", "Customer Lifetime Value"),
    ("sh.report.debt", "Debt"),
    ("sh.report.sales", "Sales by Customer"),
]
RANK_BY = [
    ("net_sales", "Net Sales"),
    ("invoices", "Invoices"),
    ("aov", "Average Order Value"),
    ("margin", "Margin (at Current Cost)"),
]


class ShReportWizard(models.TransientModel):
    _name = "sh.report.wizard"
    _description = "Customer Report Options"

    report = fields.Selection(REPORTS, required=True, default="sh.report.analytics")
    uses_as_of = fields.Boolean(compute="_compute_uses_as_of")
    period = fields.Selection(
        "_selection_period",
        required=True,
        default=DEFAULT_PERIOD,
        help="The period of the figures, compared with the period of the same length just "
        "before it.",
    )
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    compare = fields.Boolean(
        "Compare with the Previous Period",
        default=True,
        help="Show each figure of the period beside the same figure of the previous period.",
    )
    as_of = fields.Date(
        "As of",
        default=fields.Date.context_today,
        help="The day the report reads the state on: what was owed, the points open, the "
        "history the lifetime value is fitted on. Later documents are ignored.",
    )
    compare_as_of = fields.Date(
        "Segments Moved Since",
        help="The segment migration compares each customer's segment on this day with its "
        "segment at the end of the period. Empty: the day before the period starts.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    customer_type = fields.Selection(CUSTOMER_TYPES)
    segment = fields.Selection(RFM_SEGMENTS)
    status = fields.Selection(LIFECYCLE_STATUSES, "Customer Status")
    user_id = fields.Many2one("res.users", "Salesperson")
    category_ids = fields.Many2many("res.partner.category", string="Tags")
    rank_by = fields.Selection(RANK_BY, "Rank Customers by", default="net_sales")
    horizon_months = fields.Integer(
        "Horizon (Months)",
        default=12,
        help="How far ahead the predicted lifetime value looks.",
    )
    monthly_discount = fields.Float(
        "Monthly Discount Rate (%)",
        default=1.0,
        digits=(16, 2),
        help="Future sales are worth less today: each month ahead is discounted by this rate.",
    )
    holdout_days = fields.Integer(
        "Hold-out Period (Days)",
        default=180,
        help="The fit is checked by fitting on the history up to this many days before the "
        "'as of' date and comparing its predictions with the purchases made since.",
    )

    @api.model
    def _selection_period(self):
        return [*period_choices(self.env), (CUSTOM, _("Custom Dates"))]

    @api.depends("report")
    def _compute_uses_as_of(self):
        for wizard in self:
            wizard.uses_as_of = bool(wizard.report and self.env[wizard.report]._sh_report_as_of)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_show(self):
        """The report on screen."""
        self.ensure_one()
        options = self._sh_report_options()
        report = self.env[self.report]
        # Refuse bad options here, in the dialog, rather than on an empty screen.
        report._sh_check_report_access()
        report._sh_report_context(options)
        return {
            "type": "ir.actions.client",
            "tag": "sh_reports.report",
            "name": report._sh_report_title(),
            "params": {"report": self.report, "options": options},
        }

    def action_print_pdf(self):
        self.ensure_one()
        return self._sh_report_action("sh_reports.sh_report_pdf_action")

    def action_export_xlsx(self):
        self.ensure_one()
        return self._sh_report_action("sh_reports.sh_report_xlsx_action")

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _sh_report_action(self, xmlid):
        options = self._sh_report_options()
        self.env[self.report]._sh_check_report_access()
        self.env[self.report]._sh_report_context(options)
        return self.env.ref(xmlid).report_action(
            None, data={"report": self.report, "options": options}
        )

    def _sh_report_options(self):
        """The options as the report reads them (``sh.report``): only those
        given."""
        self.ensure_one()
        if self.period == CUSTOM and not (self.date_from and self.date_to):
            raise UserError(_("Give the first and the last day of the period."))
        options = {
            "period": self.period,
            "compare": self.compare,
            "company_id": self.company_id.id,
            "rank_by": self.rank_by,
            "horizon_months": self.horizon_months,
            "monthly_discount": self.monthly_discount / 100.0,
            "holdout_days": self.holdout_days,
        }
        if self.period == CUSTOM:
            options.update(
                date_from=fields.Date.to_string(self.date_from),
                date_to=fields.Date.to_string(self.date_to),
            )
        for name in ("as_of", "compare_as_of"):
            if self[name]:
                options[name] = fields.Date.to_string(self[name])
        for name in ("customer_type", "segment", "status"):
            if self[name]:
                options[name] = self[name]
        if self.user_id:
            options["user_id"] = self.user_id.id
        if self.category_ids:
            options["category_ids"] = self.category_ids.ids
        return options
