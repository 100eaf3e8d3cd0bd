"""A customer report as a spreadsheet (XLSX): a summary sheet (the options
and the headline figures), one sheet per table with every row, a frozen
header, an autofilter and number and date formats, and a sheet of charts
drawn by Excel from their data, in the user's reading direction."""

import re
from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.tools.misc import get_lang

from .customer_report import HEAT_FORMATS

# Characters a sheet name cannot hold, and its longest length.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31
COLUMN_WIDTHS = {
    "text": 30,
    "code": 16,
    "integer": 11,
    "number": 12,
    "money": 16,
    "percent": 10,
    "date": 13,
    "days": 10,
}
# Excel's chart type and subtype of a chart of the screen.
CHART_TYPES = {
    "bar": {"type": "column"},
    "line": {"type": "line"},
    "pie": {"type": "pie"},
    "doughnut": {"type": "doughnut"},
}


class ReportShCustomerReportXlsx(models.AbstractModel):
    _name = "report.sh_reports.report_customer_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Customer Report (XLSX)"

    def generate_xlsx_report(self, workbook, data, objects):
        pdf = self.env["report.sh_reports.report_customer"]
        report, options = pdf._sh_report_request(data)
        values = self.env[report].get_report_data(options)
        company = self.env["res.company"].browse(values["options"]["company_id"])
        formats = self._sh_formats(workbook, company.currency_id)
        rtl = get_lang(self.env).direction == "rtl"
        names = set()
        summary = self._sh_add_sheet(workbook, _("Summary"), names, rtl)
        self._sh_write_summary(summary, values, company, formats)
        for table in values["tables"]:
            sheet = self._sh_add_sheet(workbook, table["title"], names, rtl)
            self._sh_write_table(sheet, table, formats)
        if values["charts"]:
            sheet = self._sh_add_sheet(workbook, _("Charts"), names, rtl)
            self._sh_write_charts(workbook, sheet, values["charts"], formats)

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------

    @api.model
    def _sh_add_sheet(self, workbook, title, names, rtl):
        """A new sheet named after ``title``, its name made valid and unique
        among ``names``."""
        base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:SHEET_NAME_LENGTH] or "Sheet"
        name, number = base, 2
        while name.lower() in names:
            suffix = f" ({number})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
            number += 1
        names.add(name.lower())
        sheet = workbook.add_worksheet(name)
        if rtl:
            sheet.right_to_left()
        return sheet

    @api.model
    def _sh_write_summary(self, sheet, values, company, formats):
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 2, 18)
        sheet.write_string(0, 0, values["title"], formats["title"])
        sheet.write_string(1, 0, company.name)
        sheet.write_string(2, 0, values["options_label"])
        row = 4
        for message in values["messages"]:
            sheet.write_string(row, 0, message, formats["message"])
            row += 1
        if row > 4:
            row += 1
        if not values["cards"]:
            return
        compare = bool(values["period"]["previous_from"])
        headers = [_("Figure"), _("Value")] + ([_("Previous Period")] if compare else [])
        for col, label in enumerate(headers):
            sheet.write_string(row, col, label, formats["header"])
        for card in values["cards"]:
            row += 1
            sheet.write_string(row, 0, card["label"])
            self._sh_write_cell(sheet, row, 1, card["value"], card["format"], formats)
            if compare:
                self._sh_write_cell(sheet, row, 2, card["previous"], card["format"], formats)

    @api.model
    def _sh_write_table(self, sheet, table, formats):
        columns = table["columns"]
        for col, column in enumerate(columns):
            sheet.set_column(col, col, COLUMN_WIDTHS[column["format"]])
            sheet.write_string(0, col, column["label"], formats["header"])
        rows = table["rows"]
        for index, row in enumerate(rows, start=1):
            for col, column in enumerate(columns):
                self._sh_write_cell(
                    sheet, index, col, row.get(column["key"]), column["format"], formats
                )
        if table["totals"]:
            total_row = len(rows) + 1
            for col, column in enumerate(columns):
                value = table["totals"].get(column["key"])
                if col == 0:
                    sheet.write_string(total_row, col, _("Total"), formats["total"])
                elif value is not None:
                    self._sh_write_cell(
                        sheet, total_row, col, value, column["format"], formats, total=True
                    )
        sheet.freeze_panes(1, 0)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(columns) - 1)
        if table["heatmap"] and rows:
            for col, column in enumerate(columns):
                if column["format"] in HEAT_FORMATS:
                    sheet.conditional_format(
                        1,
                        col,
                        len(rows),
                        col,
                        {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#2E9AA0"},
                    )

    @api.model
    def _sh_write_charts(self, workbook, sheet, charts, formats):
        """Each chart's data as a small table, with Excel's own chart of it
        beside the table."""
        row = 0
        for chart in charts:
            labels, datasets = chart["labels"], chart["datasets"]
            sheet.write_string(row, 0, chart["title"], formats["title"])
            sheet.write_string(row + 1, 0, "", formats["header"])
            for col, dataset in enumerate(datasets, start=1):
                sheet.write_string(row + 1, col, dataset["label"], formats["header"])
            for index, label in enumerate(labels, start=row + 2):
                sheet.write_string(index, 0, str(label))
                for col, dataset in enumerate(datasets, start=1):
                    value = dataset["data"][index - row - 2]
                    self._sh_write_cell(sheet, index, col, value, chart["format"], formats)
            if labels:
                excel = workbook.add_chart(CHART_TYPES.get(chart["type"], {"type": "column"}))
                first, last = row + 2, row + 1 + len(labels)
                for col in range(1, len(datasets) + 1):
                    excel.add_series(
                        {
                            "name": [sheet.name, row + 1, col],
                            "categories": [sheet.name, first, 0, last, 0],
                            "values": [sheet.name, first, col, last, col],
                        }
                    )
                excel.set_title({"name": chart["title"]})
                excel.set_size({"width": 620, "height": 300})
                sheet.insert_chart(row, len(datasets) + 2, excel)
            # A chart is about 15 rows high.
            row += max(len(labels) + 3, 17)
        sheet.set_column(0, 0, 28)

    # ------------------------------------------------------------------
    # Cells
    # ------------------------------------------------------------------

    @api.model
    def _sh_formats(self, workbook, currency):
        customer_list = self.env["report.sh_customers.customer_list_xlsx"]
        money = customer_list._sh_money_format(currency)
        date = customer_list._sh_date_format(get_lang(self.env))
        number_formats = {
            "money": money,
            "integer": "#,##0",
            "number": "#,##0.##",
            "days": "#,##0.0",
            "percent": '0.0" %"',
            "date": date,
        }
        formats = {
            "title": workbook.add_format({"bold": True, "font_size": 13}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True}
            ),
            "message": workbook.add_format({"italic": True, "font_color": "#8A6D3B"}),
            "total": workbook.add_format({"bold": True, "top": 1}),
        }
        for fmt, number_format in number_formats.items():
            formats[fmt] = workbook.add_format({"num_format": number_format})
            formats[f"total_{fmt}"] = workbook.add_format(
                {"bold": True, "top": 1, "num_format": number_format}
            )
        return formats

    @api.model
    def _sh_write_cell(self, sheet, row, col, value, fmt, formats, total=False):
        """``value`` in its format; text always as text (a name starting
        with "=" is no formula)."""
        cell_format = formats.get(f"total_{fmt}" if total else fmt)
        if value is None or value is False or value == "":
            sheet.write_blank(row, col, None, cell_format)
        elif fmt == "date":
            day = fields.Date.to_date(value)
            sheet.write_datetime(row, col, datetime.combine(day, time()), cell_format)
        elif fmt in ("text", "code"):
            sheet.write_string(row, col, str(value), formats["total"] if total else None)
        else:
            sheet.write_number(row, col, value, cell_format)
