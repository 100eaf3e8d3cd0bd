"""The selected customers in the import's layout (XLSX): the columns of
``sh.customer.import`` under their names, values as the import reads them
(customer type as its key, salesperson by login, country by code), so that
the file imported again updates the same customers."""

from odoo import _, api, fields, models

from ..models.sh_customer_import import IMPORT_FIELDS


class CustomerImportXlsx(models.AbstractModel):
    _name = "report.sh_customers.customer_import_xlsx"
    _inherit = "report.report_xlsx.abstract"  # pylint: disable=consider-merging-classes-inherited
    _description = "Customers for Re-import (XLSX)"

    @api.model
    def _sh_filename(self):
        """The name of the downloaded file: "Customers for import 2026-12-05.xlsx"."""
        return _(
            "Customers for import %(date)s.xlsx",
            date=fields.Date.to_string(fields.Date.context_today(self)),
        )

    @api.model
    def _sh_import_rows(self, partners):
        """A row per customer: ``{field name: text}`` of the import's
        columns."""
        partners.fetch([fname for fname in IMPORT_FIELDS])
        rows = []
        for partner in partners:
            row = {fname: partner[fname] or "" for fname in IMPORT_FIELDS}
            row["user_id"] = partner.user_id.login or ""
            row["country_id"] = partner.country_id.code or ""
            rows.append(row)
        return rows

    def generate_xlsx_report(self, workbook, data, partners):
        sheet = workbook.add_worksheet(_("Customers"))
        header = workbook.add_format({"bold": True, "bg_color": "#E9ECEF", "border": 1})
        for col, fname in enumerate(IMPORT_FIELDS):
            sheet.set_column(col, col, 28 if fname == "name" else 18)
            sheet.write_string(0, col, fname, header)
        for row_index, row in enumerate(self._sh_import_rows(partners), start=1):
            for col, fname in enumerate(IMPORT_FIELDS):
                if row[fname]:
                    # As text: a number keeps its leading zero and "+".
                    sheet.write_string(row_index, col, row[fname])
        sheet.freeze_panes(1, 0)
