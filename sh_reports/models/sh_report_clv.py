"""Customer lifetime value, historical and predicted (BG/NBD and Gamma-Gamma)."""

from odoo import models


class ShReportClv(models.AbstractModel):
    _name = "sh.report.clv"
    _inherit = "sh.report"
    _description = "Customer Lifetime Value"
