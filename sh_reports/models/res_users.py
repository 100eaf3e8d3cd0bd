"""Managers choose, in their preferences, to receive the customer reports
of each month by e-mail."""

from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sh_report_monthly_email = fields.Boolean(
        "Monthly Customer Reports",
        help="On the first day of each month, receive the customer reports of the month just "
        "closed by e-mail, as PDF and XLSX. For customer managers.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["sh_report_monthly_email"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["sh_report_monthly_email"]
