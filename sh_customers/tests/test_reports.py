import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from io import BytesIO
from itertools import combinations
from unittest.mock import patch

from freezegun import freeze_time
from lxml import html
from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import formatLang

from .common import ShCustomersCommon

STATEMENT = "sh_customers.action_report_customer_statement"
LIST_XLSX = "sh_customers.action_report_customer_list_xlsx"
LIST_PDF = "sh_customers.action_report_customer_list"
BUCKETS = ("not_due", "1_30", "31_60", "61_90", "91_120", "over_120")
PRINTED_COLUMNS = [
    "sh_customer_code",
    "name",
    "sh_customer_type",
    "phone",
    "sh_lifecycle_status",
    "sh_rfm_segment",
    "sh_invoice_count",
    "sh_net_sales",
    "sh_last_purchase_date",
    "sh_debt",
    "sh_overdue",
]


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestReports(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The users read English, whichever languages the database has.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.customer = cls._customer(
            "Al Noor Workshop",
            sh_customer_type="workshop",
            phone="+966 11 000 0000",
            email="noor@example.com",
        )
        cls.contact = cls._customer("Khalid", parent_id=cls.customer.id)
        tax = {"taxes": cls.tax_15}
        # 1150 due in July, 400 paid: 750 not due.
        cls.partly_paid = cls._invoice(
            cls.customer, 1000.0, "2026-06-20", invoice_date_due="2026-07-20", **tax
        )
        cls._pay(cls.partly_paid, amount=400.0, date="2026-06-25")
        # 575 due on 2026-02-14: 136 days overdue.
        cls.overdue = cls._invoice(
            cls.customer, 500.0, "2026-01-15", invoice_date_due="2026-02-14", **tax
        )
        # 57.50 due 2026-03-10 (112 days), 345 due 2026-04-10 (81 days),
        # 230 due 2026-05-16 (45 days).
        cls._invoice(cls.customer, 50.0, "2026-03-01", invoice_date_due="2026-03-10", **tax)
        cls._invoice(cls.customer, 300.0, "2026-03-20", invoice_date_due="2026-04-10", **tax)
        cls._invoice(cls.customer, 200.0, "2026-05-01", invoice_date_due="2026-05-16", **tax)
        # An open credit note of 115 dated 20 days ago.
        cls.credit_note = cls._invoice(
            cls.customer, 100.0, "2026-06-10", move_type="out_refund", **tax
        )
        # Paid in full: neither open nor in the aging; its payment is listed.
        cls._pay(cls._invoice(cls.customer, 100.0, "2026-02-01", **tax), date="2026-02-10")
        # Paid more than 12 months ago: not listed.
        cls._pay(cls._invoice(cls.customer, 80.0, "2025-01-10"), date="2025-01-20")

        cls.other = cls._customer("Gulf Fleet", sh_customer_type="fleet")
        cls._invoice(cls.other, 200.0, "2026-06-01", invoice_date_due="2026-06-15")

        cls.accountant = cls._accountant("sh_report_accountant")
        cls.sales_user = cls._sales_user("sh_report_sales")

    def _statement(self, partners, user=None):
        report = self.env["report.sh_customers.report_customer_statement"]
        return report.with_user(user or self.accountant)._get_report_values(partners.ids)

    def _xlsx_rows(self, partners, user=None, lang=None):
        reports = (
            self.env["ir.actions.report"]
            .with_user(user or self.accountant)
            .with_context(lang=lang or "en_US")
        )
        content, report_format = reports._render_xlsx(LIST_XLSX, partners.ids, data=None)
        self.assertEqual(report_format, "xlsx")
        sheet = load_workbook(BytesIO(content)).active
        return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_statement_open_items_aging_and_total_equal_credit(self):
        statement = self._statement(self.customer)["statements"][self.customer.id]
        credit = self._credit(self.customer)
        self.assertEqual(credit, 1842.50)
        self.assertEqual(statement["total"], credit)
        self.assertEqual(
            statement["aging"],
            {
                "not_due": 750.0,
                "1_30": -115.0,
                "31_60": 230.0,
                "61_90": 345.0,
                "91_120": 57.50,
                "over_120": 575.0,
            },
        )
        self.assertEqual(sum(statement["aging"].values()), credit)
        # The customer's own figures agree with the statement.
        for bucket in BUCKETS:
            self.assertEqual(self.customer[f"sh_debt_{bucket}"], statement["aging"][bucket])

        by_name = {line["name"]: line for line in statement["lines"]}
        self.assertEqual(len(by_name), 6)
        partly_paid = by_name[self.partly_paid.name]
        self.assertEqual((partly_paid["amount"], partly_paid["residual"]), (1150.0, 750.0))
        self.assertEqual(partly_paid["days_overdue"], 0)
        overdue = by_name[self.overdue.name]
        self.assertEqual((overdue["amount"], overdue["residual"]), (575.0, 575.0))
        self.assertEqual(overdue["days_overdue"], 136)
        self.assertEqual(str(overdue["date_maturity"]), "2026-02-14")
        credit_note = by_name[self.credit_note.name]
        self.assertEqual((credit_note["amount"], credit_note["residual"]), (-115.0, -115.0))
        self.assertEqual(credit_note["move_type"], "out_refund")

        # Payments of the last 12 months only, in company currency.
        self.assertEqual(
            [(str(p["date"]), p["amount"]) for p in statement["payments"]],
            [("2026-02-10", 115.0), ("2026-06-25", 400.0)],
        )
        self.assertEqual(statement["payments_total"], 515.0)

    def test_statement_renders_for_several_customers_and_contacts(self):
        partners = self.customer | self.other | self.contact
        values = self._statement(partners)
        # A contact gets the statement of its company.
        self.assertIs(values["statements"][self.contact.id], values["statements"][self.customer.id])
        self.assertEqual(values["statements"][self.other.id]["total"], self._credit(self.other))
        self.assertEqual(values["statements"][self.other.id]["aging"]["1_30"], 200.0)

        content, _format = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html(STATEMENT, partners.ids)
        )
        tree = html.fromstring(content)
        totals = [td.text_content().strip() for td in tree.xpath("//td[@name='aging_total']")]
        currency = self.env.company.currency_id
        self.assertEqual(
            totals,
            [
                formatLang(self.env, amount, currency_obj=currency)
                for amount in (1842.50, 200.0, 1842.50)
            ],
        )
        over_120 = tree.xpath("//td[@name='aging_over_120']")[0].text_content().strip()
        self.assertEqual(over_120, formatLang(self.env, 575.0, currency_obj=currency))
        page = tree.text_content()
        for text in (self.customer.sh_customer_code, self.overdue.name, "Customer Statement"):
            self.assertIn(text, page)

    def test_statement_refused_without_receivable_groups(self):
        with self.assertRaises(AccessError):
            self._statement(self.customer, user=self.sales_user)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.sales_user)._render_qweb_html(
                STATEMENT, self.customer.ids
            )

        def print_menu(user):
            bindings = self.env["ir.actions.actions"].with_user(user).get_bindings("res.partner")
            return {action["name"] for action in bindings["report"]}

        self.assertLessEqual(
            {"Customer Statement", "Customers (XLSX)", "Customers (PDF)"},
            print_menu(self.accountant),
        )
        sales_menu = print_menu(self.sales_user)
        self.assertNotIn("Customer Statement", sales_menu)
        self.assertLessEqual({"Customers (XLSX)", "Customers (PDF)"}, sales_menu)

    def test_xlsx_rows_and_values(self):
        sheet, rows = self._xlsx_rows(self.customer | self.other)
        header = rows[0]
        self.assertEqual(
            header,
            [
                "Customer Code",
                "Name",
                "Customer Type",
                "Phone",
                "Email",
                "Customer Status",
                "Segment",
                "Posted Invoices",
                "Net Sales",
                "Average Order Value",
                "Last Purchase",
                "Debt",
                "Overdue",
                "Not Due",
                "1-30 Days",
                "31-60 Days",
                "61-90 Days",
                "91-120 Days",
                "Over 120 Days",
            ],
        )
        self.assertEqual(len(rows), 4)
        row = dict(zip(header, rows[1], strict=True))
        self.assertEqual(row["Customer Code"], self.customer.sh_customer_code)
        self.assertEqual(row["Name"], "Al Noor Workshop")
        self.assertEqual(row["Customer Type"], "Workshop")
        self.assertEqual(row["Phone"], "+966 11 000 0000")
        self.assertEqual(row["Email"], "noor@example.com")
        self.assertEqual(row["Customer Status"], "Active")
        # 7 invoices: 1000 + 500 + 50 + 300 + 200 + 100 + 80, less the 100 credit note.
        self.assertEqual(row["Posted Invoices"], 7)
        self.assertEqual(row["Net Sales"], 2130.0)
        self.assertEqual(row["Average Order Value"], round(2130.0 / 7, 2))
        self.assertEqual(row["Last Purchase"].date().isoformat(), "2026-06-20")
        self.assertEqual(row["Debt"], 1842.50)
        self.assertEqual(row["Overdue"], 1092.50)
        self.assertEqual(
            [row[label] for label in header[13:]], [750.0, -115.0, 230.0, 345.0, 57.5, 575.0]
        )
        self.assertEqual(rows[2][1], "Gulf Fleet")
        self.assertEqual(rows[2][11], 200.0)
        # The totals row, as on the PDF: 8 invoices, 2130 + 200 of net sales,
        # 1842.50 + 200 of debt, the average order value of all of them.
        totals = dict(zip(header, rows[3], strict=True))
        self.assertEqual(totals["Customer Code"], "Total")
        self.assertEqual(totals["Posted Invoices"], 8)
        self.assertEqual(totals["Net Sales"], 2330.0)
        self.assertEqual(totals["Average Order Value"], round(2330.0 / 8, 2))
        self.assertEqual(totals["Debt"], 2042.50)
        self.assertEqual(totals["Overdue"], 1292.50)
        self.assertEqual(
            [totals[label] for label in header[13:]], [750.0, 85.0, 230.0, 345.0, 57.5, 575.0]
        )
        self.assertIsNone(totals["Last Purchase"])
        self.assertIn("#,##0.00", sheet["I4"].number_format)
        # Number formats for money and dates, header frozen, left to right.
        self.assertIn("#,##0.00", sheet["I2"].number_format)
        self.assertTrue(sheet["K2"].is_date)
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertFalse(sheet.sheet_view.rightToLeft)

    def test_xlsx_without_receivable_groups_has_no_debt_columns(self):
        _sheet, rows = self._xlsx_rows(self.customer, user=self.sales_user)
        self.assertEqual(len(rows[0]), 11)
        self.assertNotIn("Debt", rows[0])
        self.assertEqual(rows[1][8], 2130.0)

    def test_xlsx_right_to_left_for_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        sheet, rows = self._xlsx_rows(self.customer, lang="ar_001")
        self.assertTrue(sheet.sheet_view.rightToLeft)
        self.assertEqual(rows[1][1], "Al Noor Workshop")

    def test_pdf_list_columns_and_totals(self):
        partners = self.customer | self.other
        report = self.env["report.sh_customers.report_customer_list"]
        values = report.with_user(self.accountant)._get_report_values(partners.ids)
        self.assertEqual(values["totals"]["sh_debt"], 1842.50 + 200.0)
        self.assertEqual(values["totals"]["sh_overdue"], 1092.50 + 200.0)
        self.assertEqual(values["totals"]["sh_invoice_count"], 8)
        self.assertEqual(values["totals"]["sh_net_sales"], 2330.0)
        # The printed list has the columns that fit a landscape page, whose
        # widths fill it; the spreadsheet has every column.
        self.assertEqual([column["name"] for column in values["columns"]], PRINTED_COLUMNS)
        self.assertAlmostEqual(sum(column["width"] for column in values["columns"]), 100.0, 1)
        every_column = report.with_user(self.accountant)._get_list_data(partners)
        self.assertEqual(len(every_column["columns"]), 19)
        self.assertEqual(every_column["totals"]["sh_average_order_value"], round(2330.0 / 8, 2))

        as_sales = report.with_user(self.sales_user)._get_report_values(partners.ids)
        self.assertNotIn("sh_debt", [column["name"] for column in as_sales["columns"]])
        self.assertNotIn("sh_debt", as_sales["totals"])

        content, _format = (
            self.env["ir.actions.report"]
            .with_user(self.sales_user)
            ._render_qweb_html(LIST_PDF, partners.ids)
        )
        page = html.fromstring(content).text_content()
        self.assertIn("Gulf Fleet", page)
        self.assertIn(formatLang(self.env, 2330.0, currency_obj=self.env.company.currency_id), page)
        self.assertNotIn("Over 120 Days", page)


def _pdf_words(pdf):
    """The words of ``pdf`` as pdftotext reads them: (page, text, box), with
    Arabic presentation forms and direction marks normalised away."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        layout = subprocess.run(
            ["pdftotext", "-bbox-layout", file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    tree = html.document_fromstring(layout)
    words = []
    for number, page in enumerate(tree.iter("page"), start=1):
        for word in page.iter("word"):
            text = unicodedata.normalize("NFKC", word.text_content())
            text = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
            box = tuple(float(word.get(key)) for key in ("xmin", "ymin", "xmax", "ymax"))
            words.append((number, text, box))
    return words


def _pdf_pages(pdf):
    """The text of each page of ``pdf`` as pdftotext reads it, normalised
    (Arabic presentation forms, direction marks, spaces)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, check=True, text=True
        ).stdout
    return [_plain(page) for page in text.split("\f") if page.strip()]


def _squash(text):
    """``text`` without any space: pdftotext guesses the spaces between
    runs of different directions, not always as they were written."""
    return re.sub(r"\s+", "", _plain(text))


def _printed(expected, page):
    """Whether every word of ``expected`` is in the text ``page``; words with
    Arabic diacritics are left out, pdftotext cuts them into pieces."""
    printed = _squash(page)
    return all(
        token in printed
        for word in _plain(expected).split()
        if not any(unicodedata.category(char) == "Mn" for char in word)
        for token in re.findall(r"\w+", word)
    )


def _plain(text):
    text = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestReportsPdf(ShCustomersCommon, HttpCase):
    """The PDFs as wkhtmltopdf prints them, read back with pdftotext."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Qt complains on stderr without a runtime directory; give it one.
        runtime_dir = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, runtime_dir)
        cls.startClassPatcher(patch.dict(os.environ, {"XDG_RUNTIME_DIR": runtime_dir}))
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.env.company.write(
            {
                "name": "SH Parts Trading",
                "street": "250 King Fahd Road",
                "city": "Riyadh",
                "zip": "12271",
                "vat": "310123456700003",
                "company_registry": "1010123456",
            }
        )
        # The label of a tax id is the fiscal country's, translated.
        country = cls.env.company.account_fiscal_country_id or cls.env.ref("base.sa")
        cls.env.company.account_fiscal_country_id = country
        country.with_context(lang="en_US").vat_label = "VAT Number"
        country.with_context(lang="ar_001").vat_label = "رقم ضريبة القيمة المضافة"
        cls.accountant = cls._accountant("sh_pdf_accountant")
        # Four customers read Arabic, four English; large amounts, Arabic
        # names with numbers and long Latin names.
        names = [
            ("ورشة النور لصيانة السيارات 2", "ar_001"),
            ("مؤسسة الخليج لقطع الغيار بالجملة - الدمام", "ar_001"),
            ("شركة 3 نجوم للتجارة", "ar_001"),
            ("القمة لقطع غيار السيارات", "ar_001"),
            ("Al Faisal Spare Parts Trading Establishment - Buraydah", "en_US"),
            ("Diamond Auto Parts", "en_US"),
            ("Gulf Fleet Services and Logistics Company", "en_US"),
            ("Khalid Al-Mutairi", "en_US"),
        ]
        cls.customers = cls.env["res.partner"]
        cls.debts = {}
        for index, (name, lang) in enumerate(names):
            customer = cls._customer(
                name,
                lang=lang,
                phone=f"+966 5{index} 123 4567",
                street=f"{index + 10} Olaya Street",
                city="Riyadh",
            )
            # 1,234,567.89 x (index + 1), untaxed, due 45 days before the date.
            amount = round(1234567.89 * (index + 1), 2)
            cls._invoice(customer, amount, "2026-05-01", invoice_date_due="2026-05-16")
            cls._invoice(customer, 100.0, "2026-06-20", invoice_date_due="2026-07-20")
            cls.customers |= customer
            cls.debts[customer.id] = amount + 100.0

    def _render(self, report, partners, lang):
        reports = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            .with_context(lang=lang, force_report_rendering=True)
        )
        pdf, report_format = reports._render_qweb_pdf(report, partners.ids)
        self.assertEqual(report_format, "pdf")
        return pdf

    def _money(self, amount, lang):
        currency = self.env.company.currency_id
        return formatLang(self.env(context={"lang": lang}), amount, currency_obj=currency)

    def _assert_no_overlap(self, words):
        for (page, text, box), (other_page, other_text, other_box) in combinations(words, 2):
            if page != other_page:
                continue
            # Boxes that share more than half a point either way overlap.
            overlap_x = min(box[2], other_box[2]) - max(box[0], other_box[0])
            overlap_y = min(box[3], other_box[3]) - max(box[1], other_box[1])
            self.assertFalse(
                overlap_x > 0.5 and overlap_y > 0.5,
                f"{text!r} and {other_text!r} overlap on page {page}",
            )

    def test_customer_list_pdf_is_readable_in_english_and_arabic(self):
        data = self.env["report.sh_customers.report_customer_list"].with_user(self.accountant)
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                pdf = self._render(LIST_PDF, self.customers, lang)
                words = _pdf_words(pdf)
                self._assert_no_overlap(words)
                text = " ".join(_pdf_pages(pdf))
                values = data.with_context(lang=lang)._get_list_data(
                    self.customers.with_context(lang=lang), printed=True
                )
                printed = _squash(text)
                labels = [column["label"] for column in values["columns"]]
                for expected in [*labels, *self.customers.mapped("name")]:
                    self.assertTrue(_printed(expected, text), expected)
                # The totals row, to the cent: 1,234,567.89 x (1 + ... + 8)
                # plus 8 x 100 of net sales and of debt.
                total = round(1234567.89 * 36 + 800.0, 2)
                self.assertEqual(total, 44445244.04)
                self.assertEqual(values["totals"]["sh_net_sales"], total)
                self.assertEqual(values["totals"]["sh_debt"], total)
                amount = self._money(total, lang)
                self.assertGreaterEqual(text.count(_plain(amount).split()[0]), 1, amount)
                self.assertIn("16", text)  # the invoices: 2 x 8
                self.assertIn("1/1", printed)

    def test_statements_of_eight_customers_in_their_languages(self):
        pdf = self._render(STATEMENT, self.customers, "en_US")
        self.assertLess(len(pdf), 8 * 150 * 1024)
        words = _pdf_words(pdf)
        self._assert_no_overlap(words)
        pages = _pdf_pages(pdf)
        self.assertGreaterEqual(len(pages), 8)
        # Each customer's statement is a page of its own, in the customer's
        # language, with the company's details in its body.
        for customer in self.customers:
            lang = customer.lang
            starts = [page for page in pages if _printed(customer.name, page)]
            self.assertEqual(len(starts), 1, customer.name)
            printed = starts[0]
            title = "كشف حساب العميل" if lang == "ar_001" else "Customer Statement"
            vat_label = "رقم ضريبة القيمة المضافة" if lang == "ar_001" else "VAT Number"
            for expected in (
                title,
                vat_label,
                "SH Parts Trading",
                "250 King Fahd Road",
                "Riyadh 12271",
                "310123456700003",
                "1 / 1",
                self._money(self.debts[customer.id], lang),
            ):
                self.assertTrue(_printed(expected, printed), expected)

    def test_statement_is_small_with_selectable_text(self):
        customer = self.customers[0]
        # Enough open invoices for two pages.
        for day in range(1, 29):
            self._invoice(customer, 10.0 * day, f"2026-06-{day:02d}")
        pdf = self._render(STATEMENT, customer, "en_US")
        words = _pdf_words(pdf)
        self.assertEqual(max(page for page, _word, _box in words), 2)
        self.assertLess(len(pdf), 300 * 1024)
        text = _squash(" ".join(_pdf_pages(pdf)))
        self.assertIn("1/2", text)
        self.assertIn("2/2", text)
        self.assertTrue(_printed(customer.name, text))
        self._assert_no_overlap(words)

    def test_xlsx_download_is_named_after_the_date(self):
        self.authenticate(self.accountant.login, self.accountant.login)
        response = self.url_open(
            f"/report/xlsx/sh_customers.customer_list_xlsx/{','.join(map(str, self.customers.ids))}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Customers%202026-06-30.xlsx", response.headers["Content-Disposition"])
        sheet = load_workbook(BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 10)
        self.assertEqual(sheet.cell(10, 1).value, "Total")
