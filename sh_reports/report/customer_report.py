"""A customer report printed (PDF): the answer of the report's
``get_report_data`` for the options it was printed with, each value
formatted as the screen formats it, the tables cut to their first rows."""

import textwrap

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.misc import format_date, formatLang

from odoo.addons.sh_customers.report.ir_actions_report import HAS_ARABIC

from ..models.sh_report import PRINTED_ROWS

# Number formats shaded in a heat-map table.
HEAT_FORMATS = ("integer", "number", "money", "percent", "days")
# A printed column's width, in letters of text: a digit or a capital of a
# number, a date or a code is wider than a letter of text, a header's bold
# letter too; a text wraps to lines of TEXT_WIDTH letters.
NUMBER_LETTER = 1.25
HEADER_LETTER = 1.1
TEXT_WIDTH = 24
# A number printed left to right whatever the report's direction (an inline
# style: the report's style sheets are turned around for right-to-left
# languages).
LEFT_TO_RIGHT = '<span style="unicode-bidi: embed; direction: ltr;">%s</span>'


class ReportShCustomerReport(models.AbstractModel):
    _name = "report.sh_reports.report_customer"
    _description = "Customer Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        report, options = self._sh_report_request(data)
        values = self.env[report].get_report_data(options, row_limit=PRINTED_ROWS)
        company = self.env["res.company"].browse(values["options"]["company_id"])
        currency = company.currency_id
        tables = [self._sh_printed_table(table, currency) for table in values["tables"]]
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
            or not isinstance(self.env[report], self.env.registry["sh.report"])
        ):
            raise ValueError(_("Choose the report to print."))
        return report, data.get("options") or {}

    @api.model
    def _sh_printed_table(self, table, currency):
        """``table`` with its first PRINTED_ROWS rows, its columns' widths
        (percents of the page, after their longest printed value) and, for a
        heat-map, the largest value of its number cells."""
        rows = table["rows"]
        printed = dict(table, rows=rows[:PRINTED_ROWS], cut_note=None)
        if table["row_count"] > len(printed["rows"]):
            printed["cut_note"] = _(
                "The first %(shown)s of %(total)s rows; the XLSX export has every row.",
                shown=len(printed["rows"]),
                total=table["row_count"],
            )
        lines = printed["rows"] + ([table["totals"]] if table["totals"] else [])
        widths = [
            self._sh_column_width(
                column,
                [
                    self._sh_value_text(line.get(column["key"]), column["format"], currency)
                    for line in lines
                ],
            )
            for column in table["columns"]
        ]
        printed["widths"] = [round(width * 100.0 / sum(widths), 2) for width in widths]
        # Each header on lines of its column's width, each line a block of
        # its own: wkhtmltopdf would not wrap a run of Arabic words.
        printed["header_lines"] = [
            textwrap.wrap(
                column["label"], max(int((width - 2) / HEADER_LETTER), 1), break_long_words=False
            )
            or [""]
            for column, width in zip(table["columns"], widths, strict=True)
        ]
        if table["heatmap"]:
            printed["heat_max"] = {
                col["key"]: max((abs(row.get(col["key"]) or 0) for row in rows), default=0)
                for col in table["columns"]
                if col["format"] in HEAT_FORMATS
            }
        return printed

    @api.model
    def _sh_column_width(self, column, texts):
        """The width of a printed column of ``texts``, in letters of text,
        two more for the cell's padding: a number on one line; a text
        wrapped at its spaces to lines of TEXT_WIDTH letters, but a run of
        Arabic words on one line (wkhtmltopdf does not wrap the span of its
        own direction that it is printed in)."""
        header = max((len(word) for word in column["label"].split()), default=0) * HEADER_LETTER
        if column["format"] != "text":
            return max([len(text) * NUMBER_LETTER for text in texts] + [header]) + 2
        longest = max((len(text) for text in texts), default=0)
        unbroken = max(
            (
                len(text) if HAS_ARABIC.search(text) else max(map(len, text.split()), default=0)
                for text in texts
            ),
            default=0,
        )
        return max(min(longest, TEXT_WIDTH), unbroken, header) + 2

    @api.model
    def _sh_heat_style(self, table, column, value):
        """A heat-map cell shaded by its value against its column's largest."""
        largest = table.get("heat_max", {}).get(column["key"])
        if not largest or not value:
            return None
        share = min(abs(value) / largest, 1.0)
        return f"background-color: rgba(1, 126, 132, {0.08 + 0.6 * share:.2f});"

    @api.model
    def _sh_value_text(self, value, fmt, currency):
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

    @api.model
    def _sh_format_value(self, value, fmt, currency):
        """``value`` printed in the format ``fmt``: a number keeps its minus
        sign beside its digits in a right-to-left report ("-1,150.00 $", not
        "1,150.00- $")."""
        text = self._sh_value_text(value, fmt, currency)
        if fmt not in HEAT_FORMATS or text == "—":
            return text
        if fmt == "money":
            # As the monetary widget writes it: the digits in a span of
            # their own that the report's style keeps left to right.
            number = Markup('<span class="oe_currency_value">%s</span>') % formatLang(
                self.env, value, digits=currency.decimal_places
            )
            if currency.position == "before":
                return Markup("%s\N{NO-BREAK SPACE}%s") % (currency.symbol or "", number)
            return Markup("%s\N{NO-BREAK SPACE}%s") % (number, currency.symbol or "")
        return Markup(LEFT_TO_RIGHT) % text


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _sh_self_contained_reports(self):
        return (*super()._sh_self_contained_reports(), "sh_reports.report_customer")
