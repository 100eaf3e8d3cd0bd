"""The company's settings of the customer figures (RFM window, new
customer and churn periods, at risk gap factor and P(alive) threshold), the
RFM cut-offs of its last full refresh, and its company tree."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    sh_rfm_window_months = fields.Integer(
        string="RFM Window (months)",
        default=24,
        help="Trailing window over which frequency and monetary value are measured.",
    )
    sh_new_customer_days = fields.Integer(
        string="New Customer Period (days)",
        default=90,
        help="A customer whose first purchase is more recent than this is New.",
    )
    sh_churn_days = fields.Integer(
        string="Churn After (days)",
        default=365,
        help="A customer with no purchase for longer than this is Churned.",
    )
    sh_at_risk_gap_factor = fields.Float(
        string="At Risk Gap Factor",
        default=2.0,
        help="A customer is At risk when the days since the last purchase exceed "
        "this many times the customer's usual gap between purchases.",
    )
    sh_at_risk_p_alive = fields.Float(
        string="At-risk P(alive) Threshold",
        default=0.5,
        help="A customer is also At risk when the probability that they are still "
        "buying (P(alive), predicted each night from the company's purchase history) "
        "is below this value, between 0 and 1. 0 leaves the status to the gap rule alone.",
    )
    sh_archive_suggest_days = fields.Integer(
        string="Suggest Archiving After (days)",
        default=365,
        help="Customers whose last purchase is older than this many days, who owe nothing "
        "and hold no unused loyalty points, are listed in Customers > Archive Suggestions.",
    )
    # Written by every import of customers into the company, in its
    # transaction: two imports at once are serialised on this row.
    sh_customer_import_count = fields.Integer(string="Customer Imports", readonly=True, copy=False)
    # Score cut-offs of the last full refresh, so that a refresh of a few
    # customers scores them against the whole population.
    sh_rfm_breakpoints = fields.Json(string="RFM Breakpoints", copy=False)
    sh_figures_complete = fields.Boolean(
        string="Customer Figures Complete",
        readonly=True,
        copy=False,
        help="Every customer has its figures in this company. A new company gets them "
        "from the next full refresh; until then, the customers list and the dashboard "
        "count its customers one by one instead of reading the company's totals.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # Its customers' figures come from a full refresh, started now.
        cron = self.env.ref(
            "sh_customers.ir_cron_sh_refresh_customer_stats", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()
        return companies

    @api.constrains(
        "sh_rfm_window_months",
        "sh_new_customer_days",
        "sh_churn_days",
        "sh_at_risk_gap_factor",
        "sh_at_risk_p_alive",
    )
    def _check_sh_customer_settings(self):
        for company in self:
            if company.sh_rfm_window_months <= 0:
                raise ValidationError(_("The RFM window must be at least one month."))
            if company.sh_new_customer_days <= 0 or company.sh_churn_days <= 0:
                raise ValidationError(_("Customer periods must be a positive number of days."))
            if company.sh_churn_days <= company.sh_new_customer_days:
                raise ValidationError(
                    _("The churn period must be longer than the new customer period.")
                )
            if company.sh_at_risk_gap_factor < 1:
                raise ValidationError(_("The at risk gap factor must be at least 1."))
            if not 0 <= company.sh_at_risk_p_alive <= 1:
                raise ValidationError(
                    _("The at-risk P(alive) threshold must be between 0 and 1, such as 0.5.")
                )

    @api.constrains("sh_archive_suggest_days")
    def _check_sh_archive_suggest_days(self):
        if any(company.sh_archive_suggest_days <= 0 for company in self):
            raise ValidationError(
                _("Archive suggestions need a positive number of days without a purchase.")
            )

    def write(self, vals):
        thresholds = {}
        if "sh_at_risk_p_alive" in vals:
            thresholds = {company: company.sh_at_risk_p_alive for company in self}
        res = super().write(vals)
        if thresholds:
            self._sh_refresh_p_alive_statuses(thresholds)
        return res

    def _sh_refresh_p_alive_statuses(self, thresholds):
        """Compute again the status of the customers whose P(alive) lies
        between a company's former threshold (``thresholds``, by company)
        and its new one: those the change moves in or out of At risk."""
        bounds = [
            (company.id, *sorted((former, company.sh_at_risk_p_alive)))
            for company, former in thresholds.items()
            if former != company.sh_at_risk_p_alive
        ]
        if not bounds:
            return
        figures = self.env["sh.customer.figure"]
        figures.flush_model(["partner_id", "company_id", "p_alive"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT figure.partner_id
                  FROM %s figure
                  JOIN unnest(%s::int[], %s::float8[], %s::float8[])
                       AS bound(company_id, low, high)
                    ON bound.company_id = figure.company_id
                 WHERE figure.p_alive >= bound.low AND figure.p_alive < bound.high
                """,
                SQL.identifier(figures._table),
                [company_id for company_id, _low, _high in bounds],
                [low for _company_id, low, _high in bounds],
                [high for _company_id, _low, high in bounds],
            )
        )
        self.env["res.partner"].browse([row[0] for row in rows])._sh_refresh_customer_stats()

    def _sh_tree_company_ids(self):
        """The ids of this company's whole tree (its root and every branch):
        a company's customer figures, cards and dashboard count the sales
        and receivables of all of them."""
        self.ensure_one()
        # sudo: the tree's companies count whatever the user's companies.
        return self.sudo().search([("id", "child_of", self.root_id.id)]).ids
