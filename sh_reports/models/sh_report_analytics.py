"""Customer analytics: RFM, segment migration, cohort retention, churn, repeat purchases and average order value."""

from odoo import models


class ShReportAnalytics(models.AbstractModel):
    _name = "sh.report.analytics"
    _inherit = "sh.report"
    _description = "Customer Analytics"
