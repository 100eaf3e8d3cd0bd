"""Customers ‣ Import customers: a file read, its columns mapped (and the
mapping remembered), the dry run, the import, the rejected rows downloaded,
and the export for re-import read back as updates."""

import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_customer_import import ShCustomerImportCommon

IMPORT_XLSX = "sh_customers.action_report_customer_import_xlsx"


@tagged("post_install", "-at_install")
class TestCustomerImportWizard(ShCustomerImportCommon):
    def _wizard(self, content, file_name="customers.csv", user=None, lang="en_US", **vals):
        return (
            self.env["sh.customer.import.wizard"]
            .with_user(user or self.manager)
            .with_context(lang=lang)
            .create({"file": base64.b64encode(content), "file_name": file_name, **vals})
        )

    def _csv(self, *lines):
        return "\n".join(lines).encode("utf-8")

    def _mapping(self, wizard):
        return {column.header: column.field_name for column in wizard.column_ids}

    def _lines(self, wizard):
        return [
            (line.row, line.name, line.outcome, line.reasons or "", line.partner_id)
            for line in wizard.line_ids
        ]

    def _sheet_rows(self, content):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [
            ["" if value is None else value for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]

    def test_csv_mapped_dry_run_then_import(self):
        content = self._csv(
            "Name,Mobile Number,E-mail,Customer Type,Salesperson,Notes",
            "ورشة النور,٠٥٠٦٦٦٧٧٧٧,Info@Nour.example,ورشة,samir.sales,keep",
            "Garage Al Noor,0501112222,,,,",
            "Broken,0501,,,,",
        )
        wizard = self._wizard(content)
        wizard.action_read_file()
        self.assertEqual(wizard.state, "map")
        self.assertEqual(
            self._mapping(wizard),
            {
                "Name": "name",
                "Mobile Number": "mobile",
                "E-mail": "email",
                "Customer Type": "sh_customer_type",
                "Salesperson": "user_id",
                "Notes": False,
            },
        )
        self.assertEqual(wizard.column_ids[1].sample, "٠٥٠٦٦٦٧٧٧٧")
        # The Arabic label of a type is read in an Arabic user's import only.
        before = self._snapshot()
        wizard.action_dry_run()
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(
            self._lines(wizard),
            [
                (
                    2,
                    "ورشة النور",
                    "rejected",
                    'Unknown customer type "ورشة": use one of Retail, Workshop, Fleet, Wholesale.',
                    self.env["res.partner"],
                ),
                (3, "Garage Al Noor", "updated", "", self.garage),
                (
                    4,
                    "Broken",
                    "rejected",
                    'The mobile "0501" is not a valid number.',
                    self.env["res.partner"],
                ),
            ],
        )
        self.assertEqual(
            (
                wizard.created_count,
                wizard.updated_count,
                wizard.skipped_count,
                wizard.rejected_count,
            ),
            (0, 1, 0, 2),
        )
        # All or nothing: the rejected rows stop the import.
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertEqual(
            caught.exception.args[0],
            "2 rows are rejected, so nothing was imported. Download them, fix them and import "
            "the file again, or choose to import the valid rows only.",
        )
        self.assertEqual(self._snapshot(), before)
        # Valid rows only.
        wizard.action_back()
        wizard.mode = "valid_only"
        wizard.action_dry_run()
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self.garage.mobile, "+966501112222")
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.rejected_count), (0, 1, 2)
        )
        self.assertEqual(len(self._snapshot()), len(before))

    def test_arabic_user_reads_arabic_labels(self):
        self.env["res.lang"]._activate_lang("ar_001")
        content = self._csv(
            "الاسم,نوع العميل",
            "ورشة النور,ورشة",
            "Fleet Two,fleet",
            "Omar,Workshop",
            "VIP,vip",
        )
        wizard = self._wizard(content, lang="ar_001")
        wizard.action_read_file()
        # The headers in Arabic are the import's labels in Arabic.
        self.assertEqual(self._mapping(wizard), {"الاسم": "name", "نوع العميل": "sh_customer_type"})
        wizard.mode = "valid_only"
        wizard.action_dry_run()
        self.assertEqual(
            [(line.outcome, line.reasons or "") for line in wizard.line_ids],
            [
                ("created", ""),
                ("created", ""),
                ("created", ""),
                (
                    "rejected",
                    'نوع عميل غير معروف "vip": استخدم أحد الأنواع: تجزئة, ورشة, أسطول, جملة.',
                ),
            ],
        )
        wizard.action_import()
        created = wizard.line_ids.partner_id
        self.assertEqual(created.mapped("name"), ["ورشة النور", "Fleet Two", "Omar"])
        self.assertEqual(created.mapped("sh_customer_type"), ["workshop", "fleet", "workshop"])

    def test_mapping_is_remembered_per_layout(self):
        content = self._csv("Client,Phone No,Ref", "Sara,0112345678,R-1")
        wizard = self._wizard(content)
        wizard.action_read_file()
        self.assertEqual(self._mapping(wizard), {"Client": False, "Phone No": False, "Ref": False})
        wizard.column_ids[0].field_name = "name"
        wizard.column_ids[1].field_name = "phone"
        wizard.column_ids[2].field_name = "sh_customer_code"
        wizard.action_dry_run()
        self.assertEqual(wizard.line_ids.outcome, "created")
        # The same headers in another order, another case: the same mapping.
        other = self._wizard(self._csv("ref,CLIENT,Phone No", "R-2,Omar,0112345679"))
        other.action_read_file()
        self.assertEqual(
            self._mapping(other),
            {"ref": "sh_customer_code", "CLIENT": "name", "Phone No": "phone"},
        )
        # Other headers: another layout, guessed again.
        third = self._wizard(self._csv("Client,Phone No", "Omar,0112345679"))
        third.action_read_file()
        self.assertEqual(self._mapping(third), {"Client": False, "Phone No": False})

    def test_download_rejected_rows_fix_and_import_again(self):
        content = self._csv(
            "name,mobile,email",
            "Good,0507000001,good@example.com",
            "=Bad mail,0507000002,bad@",
            "No number,12,",
        )
        wizard = self._wizard(content)
        wizard.action_read_file()
        wizard.mode = "valid_only"
        wizard.action_dry_run()
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.rejected_count), (1, 2))
        action = wizard.action_download_rejected()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/{wizard.id}/rejected_file/", action["url"])
        rows = self._sheet_rows(base64.b64decode(wizard.rejected_file))
        self.assertEqual(
            rows,
            [
                ["name", "mobile", "email", "Reason"],
                ["=Bad mail", "0507000002", "bad@", 'The e-mail "bad@" is not a valid address.'],
                ["No number", "12", "", 'The mobile "12" is not a valid number.'],
            ],
        )
        # Fixed, the file imports; the Reason column is not mapped.
        rows[1][0], rows[1][2], rows[2][1] = "Bad mail", "bad@example.com", "0507000003"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        output = io.BytesIO()
        book.save(output)
        again = self._wizard(output.getvalue(), "Rejected rows.xlsx")
        again.action_read_file()
        self.assertEqual(
            self._mapping(again),
            {"name": "name", "mobile": "mobile", "email": "email", "Reason": False},
        )
        again.action_dry_run()
        again.action_import()
        self.assertEqual(
            [(line.outcome, line.partner_id.mobile) for line in again.line_ids],
            [("created", "+966507000002"), ("created", "+966507000003")],
        )

    def test_refusals_change_nothing(self):
        before = self._snapshot()
        cases = [
            (b"", "Choose a CSV or XLSX file to import."),
            (self._csv("name,mobile"), "The file has no row to import under its headers."),
        ]
        for content, message in cases:
            with self.subTest(message=message), self.assertRaises(UserError) as caught:
                wizard = self._wizard(content)
                if not content:
                    wizard.file = False
                wizard.action_read_file()
            self.assertEqual(caught.exception.args[0], message)
        wizard = self._wizard(b"PK\x03\x04 not really a spreadsheet", "customers.xlsx")
        with (
            mute_logger("odoo.addons.base_import.models.base_import", "odoo.tools.mimetypes"),
            mute_logger("py.warnings"),
            self.assertRaisesRegex(UserError, "^The file could not be read: Unable to read"),
        ):
            wizard.action_read_file()

        wizard = self._wizard(self._csv("Name,Mobile,Other", "Sara,0501234567,0507654321"))
        wizard.action_read_file()
        wizard.column_ids[2].field_name = "mobile"
        with self.assertRaises(UserError) as caught:
            wizard.action_dry_run()
        self.assertEqual(
            caught.exception.args[0],
            'The columns "Mobile" and "Other" are both imported as Mobile: keep one.',
        )
        wizard.column_ids[2].field_name = False
        wizard.column_ids[0].field_name = False
        with self.assertRaises(UserError) as caught:
            wizard.action_dry_run()
        self.assertEqual(
            caught.exception.args[0], "Choose the column holding the customers' names."
        )
        # Nothing rejected: nothing to download.
        wizard.column_ids[0].field_name = "name"
        wizard.action_dry_run()
        with self.assertRaises(UserError) as caught:
            wizard.action_download_rejected()
        self.assertEqual(caught.exception.args[0], "No row is rejected.")
        # Another file put in after the mapping.
        wizard.write({"file": base64.b64encode(self._csv("Customer,Mobile", "Sara,0501234567"))})
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertEqual(
            caught.exception.args[0],
            "The file changed since its columns were mapped: read it again.",
        )
        self.assertEqual(self._snapshot(), before)

    def test_only_customers_managers_import(self):
        before = self._snapshot()
        with self.assertRaises(AccessError):
            self._wizard(self._csv("name", "Sneaky"), user=self.seller)
        action = self.env.ref("sh_customers.sh_customer_import_wizard_menu")
        self.assertNotIn(action, self.env["ir.ui.menu"].with_user(self.seller)._visible_menu_ids())
        self.assertEqual(self._snapshot(), before)

    def test_export_for_reimport_round_trip(self):
        with freeze_time("2026-03-01"):
            self.fleet.write(
                {
                    "user_id": self.seller.id,
                    "country_id": self.saudi.id,
                    "mobile": "+966 55 123 4567",
                    "phone": "011 222 3333",
                    "street": "King Fahd Road",
                    "city": "الرياض",
                    "zip": "12211",
                    "vat": "310 123 456 700 003",
                }
            )
        customers = self.garage | self.fleet
        content, report_format = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(IMPORT_XLSX, customers.ids, data=None)
        )
        self.assertEqual(report_format, "xlsx")
        rows = self._sheet_rows(content)
        self.assertEqual(
            rows,
            [
                [
                    "sh_customer_code",
                    "name",
                    "sh_customer_type",
                    "mobile",
                    "phone",
                    "email",
                    "vat",
                    "user_id",
                    "street",
                    "city",
                    "zip",
                    "country_id",
                ],
                [
                    self.garage.sh_customer_code,
                    "Garage Al Noor",
                    "workshop",
                    "+966 50 111 2222",
                    "",
                    "Noor@Garage.example",
                    "300 000 000 000 003",
                    "",
                    "",
                    "",
                    "",
                    "",
                ],
                [
                    self.fleet.sh_customer_code,
                    "Fleet Co",
                    "fleet",
                    "+966 55 123 4567",
                    "011 222 3333",
                    "ops@fleet.example",
                    "310 123 456 700 003",
                    "samir.sales",
                    "King Fahd Road",
                    "الرياض",
                    "12211",
                    "SA",
                ],
            ],
        )
        count = self.env["res.partner"].search_count([])
        wizard = self._wizard(content, "Customers for import.xlsx")
        wizard.action_read_file()
        self.assertEqual(self._mapping(wizard), {fname: fname for fname in rows[0]})
        wizard.action_dry_run()
        self.assertEqual(
            [(line.outcome, line.partner_id) for line in wizard.line_ids],
            [("updated", self.garage), ("updated", self.fleet)],
        )
        wizard.action_import()
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.rejected_count), (0, 2, 0)
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        # The numbers, e-mail and tax ID come back normalised; the rest as it was.
        self.assertEqual(
            (self.fleet.mobile, self.fleet.phone, self.fleet.vat, self.fleet.user_id),
            ("+966551234567", "+966112223333", "310123456700003", self.seller),
        )
        self.assertEqual(
            (self.fleet.name, self.fleet.city, self.fleet.country_id),
            ("Fleet Co", "الرياض", self.saudi),
        )
        self.assertEqual(self.garage.email, "noor@garage.example")
        # Exported again and imported again: nothing changes.
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_xlsx(IMPORT_XLSX, customers.ids, data=None)
        )
        before = self._snapshot()
        wizard = self._wizard(content, "Customers for import.xlsx")
        wizard.action_read_file()
        wizard.action_dry_run()
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.updated_count), (0, 2))
        self.assertEqual(self._snapshot(), before)
