"""Customers ‣ Import customers: a CSV or XLSX file read by Odoo's
``base_import``, its columns mapped onto the import's (guessed, or as the
last file of the same layout), a dry run showing every row's outcome, then
the import (``sh.customer.import``); the rejected rows can be downloaded as
an XLSX with a Reason column, fixed and imported again."""

import base64
import binascii
import csv
import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.base_import.models.base_import import ImportValidationError

from ..models.sh_customer_import import IMPORT_FIELDS
from .sh_customer_import_wizard_line import OUTCOMES

# Other headers a file may give an import column, in lower case.
HEADER_ALIASES = {
    "code": "sh_customer_code",
    "customer code": "sh_customer_code",
    "type": "sh_customer_type",
    "customer type": "sh_customer_type",
    "mobile number": "mobile",
    "e-mail": "email",
    "email address": "email",
    "tax id": "vat",
    "vat number": "vat",
    "salesperson": "user_id",
    "country": "country_id",
    "country code": "country_id",
}


class ShCustomerImportWizard(models.TransientModel):
    _name = "sh.customer.import.wizard"
    _description = "Import Customers"

    state = fields.Selection(
        [
            ("upload", "Upload"),
            ("map", "Map Columns"),
            ("preview", "Dry Run"),
            ("done", "Imported"),
        ],
        default="upload",
        required=True,
    )
    file = fields.Binary(attachment=False, help="A CSV or XLSX file, its first line the headers.")
    file_name = fields.Char()
    mode = fields.Selection(
        [
            ("all_or_nothing", "All or nothing"),
            ("valid_only", "Valid rows only"),
        ],
        string="Rows to Import",
        default="all_or_nothing",
        required=True,
        help="All or nothing: one rejected row stops the whole import. Valid rows only: the "
        "rejected rows are left out and can be downloaded, fixed and imported again.",
    )
    on_match = fields.Selection(
        [("update", "Update them"), ("skip", "Skip them")],
        string="Existing Customers",
        default="update",
        required=True,
        help="A row matches an existing customer of the company by customer code, tax ID, "
        "mobile or e-mail. Update: the customer takes the row's filled values. Skip: the "
        "customer is left as it is.",
    )
    column_ids = fields.One2many("sh.customer.import.wizard.column", "wizard_id")
    line_ids = fields.One2many("sh.customer.import.wizard.line", "wizard_id")
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    skipped_count = fields.Integer(string="Skipped", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    rejected_file = fields.Binary(attachment=False, readonly=True)

    # ------------------------------------------------------------------
    # The file
    # ------------------------------------------------------------------

    def _sh_read_file(self):
        """The file's ``(headers, data rows)``, read by ``base_import``:
        every cell as text, blank lines left out."""
        self.ensure_one()
        if not self.file:
            raise UserError(_("Choose a CSV or XLSX file to import."))
        try:
            content = base64.b64decode(self.file, validate=True)
        except (binascii.Error, ValueError):
            raise UserError(_("The file could not be read.")) from None
        # A record in memory only: base_import reads the file, nothing is
        # stored.
        importer = self.env["base_import.import"].new(
            {"res_model": "res.partner", "file": content, "file_name": self.file_name or ""}
        )
        options = {"quoting": '"', "separator": "", "encoding": ""}
        try:
            __, rows = importer._read_file(options)
        except (
            ImportValidationError,
            UserError,
            ValueError,
            UnicodeDecodeError,
            csv.Error,
        ) as error:
            raise UserError(
                _("The file could not be read: %(error)s", error=str(error)[:300])
            ) from None
        rows = list(rows or [])
        if len(rows) < 2:
            raise UserError(_("The file has no row to import under its headers."))
        headers = [header.strip() for header in rows[0]]
        width = len(headers)
        data = [[*row[:width], *[""] * (width - len(row))] for row in rows[1:]]
        return headers, data

    @api.model
    def _sh_guess_mapping(self, headers):
        """``{header: field name}``: the last mapping of the same layout, or
        each header compared with the import's field names and labels (in
        English and in the user's language) and common aliases."""
        remembered = self.env["sh.customer.import.layout"]._sh_get_mapping(headers)
        if remembered is not None:
            return remembered
        known = dict(HEADER_ALIASES)
        labels = self.env["sh.customer.import"]._sh_import_labels()
        english = self.env["sh.customer.import"].with_context(lang="en_US")._sh_import_labels()
        for fname in IMPORT_FIELDS:
            for text in (fname, english[fname], labels[fname]):
                known[text.casefold()] = fname
        mapping, taken = {}, set()
        for header in headers:
            fname = known.get(header.casefold())
            if fname and fname not in taken:
                mapping[header] = fname
                taken.add(fname)
        return mapping

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _sh_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": _("Import Customers"),
        }

    def action_read_file(self):
        """Read the file and propose a column mapping."""
        self.ensure_one()
        headers, data = self._sh_read_file()
        mapping = self._sh_guess_mapping(headers)
        self.column_ids.unlink()
        self.line_ids.unlink()
        self.write(
            {
                "state": "map",
                "column_ids": [
                    fields.Command.create(
                        {
                            "sequence": index,
                            "header": header,
                            "sample": next((row[index] for row in data if row[index]), "")[:100],
                            "field_name": mapping.get(header),
                        }
                    )
                    for index, header in enumerate(headers)
                ],
            }
        )
        return self._sh_reopen()

    def _sh_rows(self):
        """The file's rows as dicts by import field name, through the
        mapping; the mapping is remembered for the file's layout."""
        headers, data = self._sh_read_file()
        if [column.header for column in self.column_ids] != headers:
            raise UserError(_("The file changed since its columns were mapped: read it again."))
        mapped = {}
        for column in self.column_ids.filtered("field_name"):
            if column.field_name in mapped:
                raise UserError(
                    _(
                        'The columns "%(first)s" and "%(second)s" are both imported as '
                        "%(field)s: keep one.",
                        first=mapped[column.field_name].header,
                        second=column.header,
                        field=dict(column._fields["field_name"]._description_selection(self.env))[
                            column.field_name
                        ],
                    )
                )
            mapped[column.field_name] = column
        if "name" not in mapped:
            raise UserError(_("Choose the column holding the customers' names."))
        self.env["sh.customer.import.layout"]._sh_remember(
            headers, {column.header: fname for fname, column in mapped.items()}
        )
        return [{fname: row[column.sequence] for fname, column in mapped.items()} for row in data]

    def _sh_show_result(self, result, rows):
        """Show ``result`` (``_sh_import_rows``): the counts and a line per
        row."""
        ids = {row["id"] for row in result["rows"] if row["id"]}
        existing = set(self.env["res.partner"].browse(ids).exists().ids)
        self.line_ids.unlink()
        self.write(
            {
                **{f"{outcome}_count": result["counts"][outcome] for outcome, __ in OUTCOMES},
                "rejected_file": False,
                "line_ids": [
                    fields.Command.create(
                        {
                            "row": line["row"],
                            "name": values.get("name") or "",
                            "outcome": line["outcome"],
                            "reasons": "\n".join(line["reasons"]) or False,
                            "partner_id": line["id"] if line["id"] in existing else False,
                        }
                    )
                    for line, values in zip(result["rows"], rows, strict=True)
                ],
            }
        )

    def action_dry_run(self):
        """Check every row and show its outcome; nothing is written."""
        self.ensure_one()
        rows = self._sh_rows()
        result = self.env["sh.customer.import"]._sh_import_rows(
            rows, dry_run=True, mode=self.mode, on_match=self.on_match, first_row=2
        )
        self._sh_show_result(result, rows)
        self.state = "preview"
        return self._sh_reopen()

    def action_import(self):
        """Import the rows: all of them or none when one is rejected, or
        the valid ones only, as the user chose."""
        self.ensure_one()
        rows = self._sh_rows()
        result = self.env["sh.customer.import"]._sh_import_rows(
            rows, dry_run=False, mode=self.mode, on_match=self.on_match, first_row=2
        )
        if not result["applied"]:
            raise UserError(
                _(
                    "%(count)s rows are rejected, so nothing was imported. Download them, "
                    "fix them and import the file again, or choose to import the valid rows "
                    "only.",
                    count=result["counts"]["rejected"],
                )
            )
        self._sh_show_result(result, rows)
        self.state = "done"
        return self._sh_reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.state = "map"
        return self._sh_reopen()

    def action_download_rejected(self):
        """The rejected rows as an XLSX: the file's columns as they were
        and a Reason column, to fix and import again."""
        self.ensure_one()
        rejected = self.line_ids.filtered(lambda line: line.outcome == "rejected")
        if not rejected:
            raise UserError(_("No row is rejected."))
        headers, data = self._sh_read_file()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("Rejected rows"))
        bold = workbook.add_format({"bold": True})
        for col, header in enumerate([*headers, _("Reason")]):
            sheet.write_string(0, col, header, bold)
        for row_index, line in enumerate(rejected, start=1):
            # Line 1 holds the headers: row n of the file is data[n - 2].
            for col, value in enumerate(data[line.row - 2]):
                # As text: a value starting with "=" is no formula.
                sheet.write_string(row_index, col, value)
            sheet.write_string(row_index, len(headers), (line.reasons or "").replace("\n", " "))
        sheet.freeze_panes(1, 0)
        workbook.close()
        self.rejected_file = base64.b64encode(output.getvalue())
        filename = _("Rejected rows.xlsx")
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/rejected_file/{filename}?download=true",
            "target": "self",
        }
