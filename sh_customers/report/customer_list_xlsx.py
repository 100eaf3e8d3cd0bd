"""The customer list as a spreadsheet (XLSX): the columns and rows of the
list's data method (``customer_list``), with number and date formats, in the
user's reading direction."""

import re
from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.tools.misc import get_lang

# strftime directives of a language's date format and their Excel equivalent.
EXCEL_DATE_CODES = {
    "%d": "dd",
    "%e": "d",
    "%m": "mm",
    "%b": "mmm",
    "%B": "mmmm",
    "%y": "yy",
    "%Y": "yyyy",
    "%a": "ddd",
    "%A": "dddd",
}
COLUMN_WIDTHS = {
    "code": 18,
    "char": 28,
    "selection": 16,
    "integer": 10,
    "money": 14,
    "date": 13,
}


class CustomerListXlsx(models.AbstractModel):
    _name = "report.sh_customers.customer_list_xlsx"
    _inherit = "report.report_xlsx.abstract"  # pylint: disable=consider-merging-classes-inherited
    _description = "Customer List (XLSX)"

    @api.model
    def _sh_filename(self):
        """The name of the downloaded file: "Customers 2026-12-05.xlsx"."""
        return _(
            "Customers %(date)s.xlsx",
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )

    def generate_xlsx_report(self, workbook, data, partners):
        values = self.env["report.sh_customers.report_customer_list"]._get_list_data(partners)
        columns, rows, totals = values["columns"], values["rows"], values["totals"]
        lang = get_lang(self.env)
        sheet = workbook.add_worksheet(_("Customers"))
        if lang.direction == "rtl":
            sheet.right_to_left()
        header = workbook.add_format(
            {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True, "valign": "top"}
        )
        money_format = self._sh_money_format(values["currency"])
        formats = {
            "money": workbook.add_format({"num_format": money_format}),
            "integer": workbook.add_format({"num_format": "0"}),
            "date": workbook.add_format({"num_format": self._sh_date_format(lang)}),
        }
        total_formats = {
            "text": workbook.add_format({"bold": True, "top": 1}),
            "money": workbook.add_format({"bold": True, "top": 1, "num_format": money_format}),
            "integer": workbook.add_format({"bold": True, "top": 1, "num_format": "0"}),
        }
        for col, column in enumerate(columns):
            sheet.set_column(col, col, COLUMN_WIDTHS[column["kind"]])
            sheet.write_string(0, col, column["label"], header)
        for row_index, row in enumerate(rows, start=1):
            for col, column in enumerate(columns):
                value, kind = row[column["name"]], column["kind"]
                if kind in ("money", "integer"):
                    sheet.write_number(row_index, col, value, formats[kind])
                elif kind == "date":
                    if value:
                        sheet.write_datetime(
                            row_index, col, datetime.combine(value, time()), formats["date"]
                        )
                elif value:
                    # Always as text: a name starting with "=" is no formula.
                    sheet.write_string(row_index, col, value)
        # Totals, as in the PDF: sums of the amounts and invoices, and the
        # average order value of all the customers listed.
        total_row = len(rows) + 1
        for col, column in enumerate(columns):
            value = totals.get(column["name"])
            if col == 0:
                sheet.write_string(total_row, col, _("Total"), total_formats["text"])
            elif value is None:
                sheet.write_blank(total_row, col, None, total_formats["text"])
            else:
                sheet.write_number(total_row, col, value, total_formats[column["kind"]])
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(columns) - 1)

    def _sh_money_format(self, currency):
        digits = "0" * currency.decimal_places
        number = f"#,##0.{digits}" if digits else "#,##0"
        symbol = (currency.symbol or "").replace('"', "")
        if not symbol:
            return number
        if currency.position == "before":
            return f'"{symbol}" {number}'
        return f'{number} "{symbol}"'

    def _sh_date_format(self, lang):
        """The language's date format as an Excel number format, or ISO dates
        when it uses directives Excel has no equivalent for."""
        excel = re.sub(
            r"%[a-zA-Z]", lambda match: EXCEL_DATE_CODES.get(match[0], "?"), lang.date_format
        )
        if "?" in excel or re.search(r"[^dmy\s/.,-]", excel):
            return "yyyy-mm-dd"
        return excel
