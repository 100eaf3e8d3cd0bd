"""A customer report printed (PDF): the answer of the report's
``get_report_data`` for the options it was printed with, each value
formatted as the screen formats it, the tables cut to their first rows."""

from odoo import _, api, fields, models
from odoo.tools.misc import format_date, formatLang

from ..models.sh_report import PRINTED_ROWS

# Number formats shaded in a heat-map table.
HEAT_FORMATS = ("integer", "number", "money", "percent", "days")


class ReportShCustomerReport(models.AbstractModel):
    _name = "report.sh_reports.report_customer"
    _description = "Customer Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        report, options = self._sh_report_request(data)
        values = self.env[report].get_report_data(options)
        company = self.env["res.company"].browse(values["options"]["company_id"])
        currency = company.currency_id
        tables = [self._sh_printed_table(table) for table in values["tables"]]
        return {
            "doc_ids": docids,
            "doc_model": "sh.report.wizard",
            "docs": self.env["sh.report.wizard"],
            "report": values,
            "tables": tables,
            "company": company,
            "currency": currency,
            "printed_on": fields.Date.context_today(self),
            "format_value": lambda value, fmt: self._sh_format_value(value, fmt, currency),
            "heat_style": self._sh_heat_style,
        }

    @api.model
    def _sh_report_request(self, data):
        """The report and options a print asks for (``data`` of the report
        action), the report checked to be a customer report."""
        data = data or {}
        report = data.get("report")
        if (
            not report
            or report not in self.env
            or "sh.report" not in (self.env[report]._inherit or ())
        ):
            raise ValueError(_("Choose the report to print."))
        return report, data.get("options") or {}

    @api.model
    def _sh_printed_table(self, table):
        """``table`` with its first PRINTED_ROWS rows and, for a heat-map,
        the largest value of its number cells."""
        rows = table["rows"]
        printed = dict(table, rows=rows[:PRINTED_ROWS], row_count=len(rows))
        if table["heatmap"]:
            keys = [col["key"] for col in table["columns"] if col["format"] in HEAT_FORMATS]
            printed["heat_max"] = max(
                (abs(row.get(key) or 0) for row in rows for key in keys), default=0
            )
        return printed

    @api.model
    def _sh_heat_style(self, table, column, value):
        if not table["heatmap"] or column["format"] not in HEAT_FORMATS or not value:
            return None
        share = min(abs(value) / table["heat_max"], 1.0) if table["heat_max"] else 0
        return f"background-color: rgba(1, 126, 132, {0.08 + 0.6 * share:.2f});"

    @api.model
    def _sh_format_value(self, value, fmt, currency):
        """``value`` as the user reads it in the format ``fmt``."""
        if value is None or value is False or value == "":
            return "—"
        if fmt == "money":
            return formatLang(self.env, value, currency_obj=currency)
        if fmt == "percent":
            return formatLang(self.env, value, digits=1) + " %"
        if fmt == "integer":
            return formatLang(self.env, value, digits=0)
        if fmt in ("number", "days"):
            digits = 0 if float(value).is_integer() else 2
            return formatLang(self.env, value, digits=digits)
        if fmt == "date":
            return format_date(self.env, value)
        return str(value)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _sh_self_contained_reports(self):
        return (*super()._sh_self_contained_reports(), "sh_reports.report_customer")
