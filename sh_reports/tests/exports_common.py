"""The data of the tests of the customer reports as they are printed and
exported (an invoice, a credit note and a partial payment of Al Noor, a
previous sale of Gulf, 60 more buyers), and the helpers that read back a
report's PDF and open its XLSX."""

import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from io import BytesIO
from unittest.mock import patch

from freezegun import freeze_time
from lxml import html
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from odoo.tests import HttpCase
from odoo.tools.misc import formatLang

from odoo.addons.sh_customers.tests.common import ShCustomersCommon
from odoo.addons.sh_customers.tests.test_reports import (
    _pdf_pages,
    _pdf_words,
    _plain,
    _printed,
    _squash,
)

PDF = "sh_reports.sh_report_pdf_action"


def _line_boxes(pdf, text):
    """The boxes of the first page's lines that hold every letter of
    ``text`` (pdftotext may cut an Arabic word into its letters, in either
    order, and read a ligature in its own)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        layout = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", "-bbox-layout", file.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    wanted = Counter(re.sub(r"\s", "", _plain(text)))
    boxes = []
    for line in html.document_fromstring(layout).iter("line"):
        read = Counter(
            re.sub(r"\s", "", _plain(" ".join(word.text_content() for word in line.iter("word"))))
        )
        if not wanted - read:
            boxes.append(tuple(float(line.get(key)) for key in ("xmin", "ymin", "xmax", "ymax")))
    return boxes


XLSX = "sh_reports.report_customer_xlsx"
# The second quarter of 2026 against the 91 days before it (31 December
# 2025 to 31 March 2026); the states are read as of its last day.
PERIOD = {"period": "custom", "date_from": "2026-04-01", "date_to": "2026-06-30"}
REPORTS = (
    "sh.report.sales",
    "sh.report.debt",
    "sh.report.analytics",
    "sh.report.clv",
)
MONEY_FORMAT = '"$" #,##0.00'
ARABIC_NAME = "مؤسسة الخليج العربي لتجارة قطع غيار السيارات والمعدات الثقيلة بالجملة"


class ReportExportsCase(ShCustomersCommon, HttpCase):
    """The data of the export tests: built once, on 30 June 2026 (the
    test classes freeze that date), and their helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Qt complains on stderr without a runtime directory; give it one.
        runtime_dir = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, runtime_dir)
        cls.startClassPatcher(patch.dict(os.environ, {"XDG_RUNTIME_DIR": runtime_dir}))
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["res.lang"]._activate_lang("ar_001")
        # Only the customers built here count (sudo: the test user may not
        # write every partner).
        cls.env["res.partner"].sudo().search([("customer_rank", ">", 0)]).customer_rank = 0
        cls.env.company.name = "SH Parts Trading"
        cls.currency = cls.env.company.currency_id
        cls.accountant = cls._accountant("sh_exports_accountant")
        # What another addon sets up before the sales (a loyalty program).
        cls._sh_before_sales()
        cls.noor = cls._customer("Al Noor Workshop", sh_customer_type="workshop")
        cls.gulf = cls._customer("Gulf Fleet Services", sh_customer_type="fleet")
        # Before the period: Al Noor 3000 in October 2025, Gulf 1500 in the
        # previous period, both paid.
        with freeze_time("2025-10-15"):
            cls._pay(cls._invoice(cls.noor, 3000.0, "2025-10-15"), date="2025-10-20")
        with freeze_time("2026-02-15"):
            cls._pay(cls._invoice(cls.gulf, 1500.0, "2026-02-15"), date="2026-03-01")
        # In the period, Al Noor: 5000 + 15% tax on 10 May, a credit note of
        # 1000 + 15% on 5 June, 2000 paid on 10 June.
        with freeze_time("2026-05-10"):
            invoice = cls._invoice(cls.noor, 5000.0, "2026-05-10", taxes=cls.tax_15)
        with freeze_time("2026-06-05"):
            cls._invoice(cls.noor, 1000.0, "2026-06-05", move_type="out_refund", taxes=cls.tax_15)
        with freeze_time("2026-06-10"):
            cls._pay(invoice, amount=2000.0, date="2026-06-10")
        # 60 more buyers, Parts Buyer n buying 10 x n in April, unpaid, due
        # on the invoice's day (the 1st to the 28th); the 30th has a long
        # Arabic name.
        for number in range(1, 61):
            name = ARABIC_NAME if number == 30 else f"Parts Buyer {number:02d}"
            customer = cls._customer(name, sh_customer_type="retail")
            day = f"2026-04-{number % 28 + 1:02d}"
            with freeze_time(day):
                cls._invoice(customer, 10.0 * number, day)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @classmethod
    def _sh_before_sales(cls):
        """Set up what must exist before the invoices are posted."""

    def _data(self, report, lang):
        return (
            self.env[report].with_user(self.accountant).with_context(lang=lang)
        ).get_report_data(PERIOD)

    def _pdf(self, report, lang):
        reports = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            .with_context(lang=lang, force_report_rendering=True)
        )
        pdf, report_format = reports._render_qweb_pdf(
            PDF, [], data={"report": report, "options": PERIOD}
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf

    def _xlsx(self, report, lang):
        content, report_format = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            .with_context(lang=lang)
            ._render_xlsx(XLSX, [], data={"report": report, "options": PERIOD})
        )
        self.assertEqual(report_format, "xlsx")
        return load_workbook(BytesIO(content))

    def _amount(self, amount, lang, money=True):
        env = self.env(context={"lang": lang})
        if money:
            return formatLang(env, amount, currency_obj=self.currency)
        return formatLang(env, amount, digits=0)

    def _by_key(self, items):
        return {item["key"]: item for item in items}

    def _assert_printed(self, text, expected):
        self.assertTrue(_printed(expected, text), f"{expected!r} is not printed")

    def _assert_amounts(self, text, amounts, lang, money=True):
        """Each amount of ``amounts`` printed as the language writes it: the
        number with its separators, and in English with its currency."""
        printed = _squash(text)
        for amount in amounts:
            written = _squash(self._amount(amount, lang, money))
            number = written.replace(self.currency.symbol, "")
            self.assertIn(number, printed, f"{written} is not printed")
            if lang == "en_US":
                self.assertIn(written, printed)

    def _assert_no_overlap(self, words):
        """No two words of a page drawn over each other (a text running out
        of its column)."""
        pages = {}
        for page, text, box in words:
            pages.setdefault(page, []).append((box, text))
        for page, boxes in pages.items():
            boxes.sort()
            for index, (box, text) in enumerate(boxes):
                for other, other_text in boxes[index + 1 :]:
                    if other[0] >= box[2] - 0.5:
                        break
                    # Boxes that share more than half a point either way.
                    overlap_y = min(box[3], other[3]) - max(box[1], other[1])
                    self.assertFalse(
                        overlap_y > 0.5 and min(box[2], other[2]) - other[0] > 0.5,
                        f"{text!r} and {other_text!r} overlap on page {page}",
                    )

    def _check_pdf(self, report, lang, amounts, numbers=()):
        """The report's PDF in ``lang``: the company, its title, its options
        line, every card's label and table's title, and ``amounts`` (money)
        and ``numbers`` (whole numbers). Returns the text and the words."""
        data = self._data(report, lang)
        pdf = self._pdf(report, lang)
        text = " ".join(_pdf_pages(pdf))
        words = _pdf_words(pdf)
        self._assert_no_overlap(words)
        for expected in (
            "SH Parts Trading",
            data["title"],
            data["options_label"],
            *(card["label"] for card in data["cards"]),
            *(table["title"] for table in data["tables"]),
            *data["messages"],
        ):
            self._assert_printed(text, expected)
        self._assert_amounts(text, amounts, lang)
        self._assert_amounts(text, numbers, lang, money=False)
        # The page reads from the right in Arabic: the title is in the
        # right half of the first page, in the left half in English.
        page_width = max(box[2] for _page, _text, box in words)
        boxes = _line_boxes(pdf, data["title"])
        self.assertTrue(boxes, data["title"])
        if lang == "ar_001":
            # The options line names the months in Arabic.
            self.assertIn("يونيو", text)
            self.assertGreater(boxes[0][0], page_width / 2, "The title is on the right.")
        else:
            self.assertLess(boxes[0][2], page_width / 2, "The title is on the left.")
        return text, words

    def _check_workbook(self, report, lang):
        """The report's XLSX in ``lang`` against its data: the summary's
        cards, a sheet per table with every row and its totals, frozen
        headers and filters, money and date cells typed and formatted, and
        a sheet of Excel charts. Returns the workbook and the data."""
        data = self._data(report, lang)
        book = self._xlsx(report, lang)
        tables = data["tables"]
        charts = [chart for chart in data["charts"] if chart["labels"]]
        self.assertEqual(len(book.worksheets), 1 + len(tables) + bool(data["charts"]))
        for sheet in book.worksheets:
            self.assertEqual(bool(sheet.sheet_view.rightToLeft), lang == "ar_001", sheet.title)
        summary = book.worksheets[0]
        self.assertEqual(summary["A1"].value, data["title"])
        self.assertEqual(summary["A2"].value, "SH Parts Trading")
        self.assertEqual(summary["A3"].value, data["options_label"])
        column_a = [cell.value for cell in summary["A"]]
        if data["cards"]:
            # The cards follow their header, one a row: label, value and the
            # previous period's value when the report compares.
            first = column_a.index(data["cards"][0]["label"]) + 1
            compare = bool(data["period"]["previous_from"])
            for row, card in enumerate(data["cards"], start=first):
                label, value, previous = (summary.cell(row=row, column=col) for col in (1, 2, 3))
                self.assertEqual(label.value, card["label"])
                self.assertEqual(value.value, card["value"], card["key"])
                self.assertEqual(previous.value, card["previous"] if compare else None)
                if card["format"] == "money":
                    self.assertEqual(value.number_format, MONEY_FORMAT, card["key"])
        for message in data["messages"]:
            self.assertIn(message, column_a)
        for sheet, table in zip(book.worksheets[1:], tables, strict=False):
            columns = table["columns"]
            rows = list(sheet.iter_rows(values_only=True))
            self.assertEqual(list(rows[0]), [column["label"] for column in columns], sheet.title)
            self.assertEqual(len(rows), 1 + len(table["rows"]) + bool(table["totals"]), sheet.title)
            self.assertEqual(sheet.freeze_panes, "A2", sheet.title)
            if table["rows"]:
                last = f"{get_column_letter(len(columns))}{len(table['rows']) + 1}"
                self.assertEqual(sheet.auto_filter.ref, f"A1:{last}", sheet.title)
            for index, row in enumerate(table["rows"], start=2):
                for col, column in enumerate(columns, start=1):
                    cell = sheet.cell(row=index, column=col)
                    value = row.get(column["key"])
                    if value is None or value is False or value == "":
                        self.assertIsNone(cell.value)
                    elif column["format"] == "date":
                        self.assertTrue(cell.is_date, (sheet.title, cell.coordinate))
                        self.assertEqual(cell.value.date().isoformat(), str(value))
                    elif column["format"] in ("text", "code"):
                        self.assertEqual(cell.value, str(value))
                    else:
                        self.assertEqual(cell.value, value, (sheet.title, cell.coordinate))
                        if column["format"] == "money":
                            self.assertEqual(cell.number_format, MONEY_FORMAT)
        if data["charts"]:
            sheet = book.worksheets[-1]
            self.assertEqual(len(sheet._charts), len(charts), sheet.title)
        return book, data
