"""The Loyalty and Rewards report among the reports the options dialog
opens."""

from odoo import fields, models


class ShReportWizard(models.TransientModel):
    _inherit = "sh.report.wizard"

    report = fields.Selection(
        selection_add=[("sh.report.loyalty", "Loyalty and Rewards")],
        ondelete={"sh.report.loyalty": "cascade"},
    )
