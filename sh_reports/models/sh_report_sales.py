"""Sales by customer: ranking, Pareto, new and returning customers."""

from odoo import models


class ShReportSales(models.AbstractModel):
    _name = "sh.report.sales"
    _inherit = "sh.report"
    _description = "Sales by Customer"
