"""Debt aging as of a date, DSO and debt recovery rate per customer."""

from odoo import models


class ShReportDebt(models.AbstractModel):
    _name = "sh.report.debt"
    _inherit = "sh.report"
    _description = "Debt"
