"""The customer reports as they are printed and exported: each report's PDF
read back with pdftotext in English and in Arabic (title, options, amounts,
the tables cut to their first rows, right to left), and its XLSX opened with
openpyxl (the summary's figures, every row of every table, frozen headers,
filters, number and date formats, Excel's own charts, right to left)."""

import os
import shutil
import tempfile
from datetime import datetime
from io import BytesIO
from unittest.mock import patch

from freezegun import freeze_time
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from odoo import Command
from odoo.tests import HttpCase, tagged
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
XLSX = "sh_reports.report_customer_xlsx"
# The second quarter of 2026 against the 91 days before it (31 December
# 2025 to 31 March 2026); the states are read as of its last day.
PERIOD = {"period": "custom", "date_from": "2026-04-01", "date_to": "2026-06-30"}
REPORTS = (
    "sh.report.sales",
    "sh.report.debt",
    "sh.report.analytics",
    "sh.report.clv",
    "sh.report.loyalty",
)
MONEY_FORMAT = '"$" #,##0.00'
ARABIC_NAME = "مؤسسة الخليج العربي لتجارة قطع غيار السيارات والمعدات الثقيلة بالجملة"


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestReportExports(ShCustomersCommon, HttpCase):
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
        if "sh.report.loyalty" in cls.env:
            # 1 point per unit of untaxed sales; Silver from 1000 points,
            # Gold from 5000.
            cls.env.user.groups_id |= cls.env.ref("sh_loyalty.sh_loyalty_group_manager")
            cls.env["loyalty.program"].create(
                {
                    "name": "SH Rewards",
                    "program_type": "loyalty",
                    "company_id": cls.env.company.id,
                    "sh_is_customer_program": True,
                    "sh_points_per_unit": 1.0,
                    "sh_validity_months": 12,
                    "sh_notify_tier_change": False,
                    "rule_ids": [Command.clear()],
                    "communication_plan_ids": [Command.clear()],
                    "reward_ids": [
                        Command.clear(),
                        Command.create(
                            {
                                "reward_type": "discount",
                                "discount": 10,
                                "discount_mode": "percent",
                                "discount_applicability": "order",
                                "required_points": 100,
                                "description": "10% off",
                            }
                        ),
                    ],
                    "sh_tier_ids": [
                        Command.create({"name": "Bronze", "threshold": 0, "multiplier": 1}),
                        Command.create({"name": "Silver", "threshold": 1000, "multiplier": 1}),
                        Command.create({"name": "Gold", "threshold": 5000, "multiplier": 1}),
                    ],
                }
            )
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

    def _skip_missing(self, report):
        if report not in self.env:
            self.skipTest(f"{report} is not installed")

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
        title_word = _plain(data["title"]).split()[-1]
        boxes = [box for page, word, box in words if page == 1 and word == title_word]
        self.assertTrue(boxes, title_word)
        if lang == "ar_001":
            # The options line names the months in Arabic.
            self.assertIn("يونيو", text)
            self.assertGreater(boxes[0][0], page_width / 2, "The title is on the right.")
        else:
            self.assertLess(boxes[0][2], page_width / 2, "The title is on the left.")
        return text, words

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------

    def test_sales_pdf(self):
        """Net sales: Al Noor 5000 - 1000 = 4000 and the Parts Buyers
        10 x (1 + ... + 60) = 18300, in all 22300 against Gulf's 1500 of the
        previous period; 61 invoices, an average order of 22300 / 61 =
        365.57; Al Noor's share 4000 / 22300 = 17.9 %. Of the 61 ranked
        customers the first 50 are printed, each row once (none cut by the
        end of a page): Al Noor, then Parts Buyer 60 down to Parts Buyer
        12."""
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                text, words = self._check_pdf(
                    "sh.report.sales", lang, [22300.0, 1500.0, 365.57, 4000.0, 18300.0, 600.0]
                )
                self._assert_printed(text, ARABIC_NAME)
                self.assertIn("17.9 %", text)
                # Fleet's change, its minus sign beside its digits.
                self.assertIn("-100.0%", _squash(text))
                self._assert_printed(text, "Al Noor Workshop")
                ranking = self._by_key(self._data("sh.report.sales", lang)["tables"])["ranking"]
                codes = [row["code"] for row in ranking["rows"]]
                self.assertEqual(len(codes), 61)
                printed = [word for _page, word, _box in words]
                self.assertEqual([printed.count(code) for code in codes[:50]], [1] * 50)
                self.assertEqual([printed.count(code) for code in codes[50:]], [0] * 11)
                if lang == "en_US":
                    self.assertIn("The first 50 of 61 rows; the XLSX export has every row.", text)

    def test_debt_pdf(self):
        """As of 30 June, Al Noor owes 5750 (5000 + 15 %) - 1150 (the credit
        note, 1000 + 15 %) - 2000 (paid) = 2600: the invoice's 3750 left are
        51 days overdue (31-60), the credit note's -1150 are 25 days old
        (1-30). The Parts Buyers owe their 18300, 63 to 90 days overdue
        (61-90). In all 20900. The 61 debtors are printed down to Parts
        Buyer 12 (120), without Parts Buyer 11 (110)."""
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                text, _words = self._check_pdf(
                    "sh.report.debt", lang, [20900.0, 2600.0, 3750.0, -1150.0, 18300.0]
                )
                self._assert_printed(text, "Al Noor Workshop")
                printed = _squash(text)
                self.assertRegex(printed, r"(?<![\d,])120\.00")
                self.assertNotRegex(printed, r"(?<![\d,])110\.00")
                if lang == "en_US":
                    self.assertIn("The first 50 of 61 rows", text)

    def test_analytics_pdf(self):
        """The RFM as of 30 June: Al Noor bought 3000 + 5000 - 1000 = 7000
        on 2 invoices, last on 10 May, 51 days before; Gulf 1500, 135 days
        before (15 February). Net sales of the period 22300, average order
        365.57 against 1500."""
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                text, _words = self._check_pdf(
                    "sh.report.analytics", lang, [7000.0, 22300.0, 365.57, 1500.0]
                )
                self._assert_printed(text, "Al Noor Workshop")
                self.assertIn("135", text)
                self.assertIn("51", text)
                if lang == "ar_001":
                    # Labels already translated by the Customers app.
                    self.assertIn("المشترون", text)

    def test_clv_pdf(self):
        """Too few repeat buyers to fit (1, 30 needed): the historical CLV
        alone, Al Noor's 3000 + 5000 - 1000 = 7000, Gulf's 1500, in all
        7000 + 1500 + 18300 = 26800."""
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                text, _words = self._check_pdf(
                    "sh.report.clv", lang, [26800.0, 7000.0, 1500.0, 600.0]
                )
                self._assert_printed(text, "Al Noor Workshop")

    def test_loyalty_pdf(self):
        """A point per unit of untaxed sales: 5000 (Al Noor) + 18300 = 23300
        issued in the period (1500 before), 1000 taken back by the credit
        note; open on 30 June 3000 + 1500 + 23300 - 1000 = 26800. Al Noor
        reached Gold (5000) on 10 May with 3000 + 5000 = 8000 points."""
        self._skip_missing("sh.report.loyalty")
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                text, _words = self._check_pdf(
                    "sh.report.loyalty", lang, [], numbers=[23300, 1500, 1000, 26800]
                )
                self._assert_printed(text, "Al Noor Workshop")
                self._assert_printed(text, "Gold")

    # ------------------------------------------------------------------
    # XLSX
    # ------------------------------------------------------------------

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

    def test_xlsx_of_every_report(self):
        for report in REPORTS:
            if report not in self.env:
                continue
            with self.subTest(report=report):
                self._check_workbook(report, "en_US")

    def test_sales_xlsx_has_every_row(self):
        """The ranking sheet has the 61 ranked customers (the PDF prints 50)
        and the total 22300; the summary the net sales against 1500."""
        book, data = self._check_workbook("sh.report.sales", "en_US")
        self.assertEqual(
            [sheet.title for sheet in book.worksheets],
            ["Summary", *(table["title"] for table in data["tables"]), "Charts"],
        )
        ranking = book["Customers Ranked by Net Sales"]
        rows = list(ranking.iter_rows(values_only=True))
        header = rows[0]
        customer, net_sales = header.index("Customer"), header.index("Net Sales")
        self.assertEqual(len(rows), 1 + 61 + 1)
        self.assertEqual(rows[1][customer], "Al Noor Workshop")
        self.assertEqual(rows[1][net_sales], 4000.0)
        self.assertEqual(rows[61][customer], "Parts Buyer 01")
        self.assertEqual(rows[61][net_sales], 10.0)
        self.assertEqual(rows[62][customer], "Total")
        self.assertEqual(rows[62][net_sales], 22300.0)
        summary = {row[0]: row[1:3] for row in book["Summary"].iter_rows(values_only=True)}
        self.assertEqual(summary["Net Sales"], (22300.0, 1500.0))
        self.assertEqual(summary["Average Order Value"], (365.57, 1500.0))
        self.assertEqual(len(book["Charts"]._charts), 5)

    def test_loyalty_xlsx_dates(self):
        """The tier change of Al Noor to Gold on 10 May is a date cell."""
        self._skip_missing("sh.report.loyalty")
        book, data = self._check_workbook("sh.report.loyalty", "en_US")
        titles = [table["title"] for table in data["tables"]]
        sheet = book.worksheets[1 + titles.index("Tier Changes")]
        rows = list(sheet.iter_rows(values_only=False))
        self.assertEqual(rows[1][0].value, datetime(2026, 5, 10))
        self.assertTrue(rows[1][0].is_date)
        self.assertEqual(rows[1][0].number_format, "mm/dd/yyyy")
        self.assertEqual(rows[1][1].value, "Al Noor Workshop")

    def test_xlsx_in_arabic(self):
        """Every sheet reads right to left; the dates of the options line
        are Arabic; the rows are those of the English export."""
        for report in ("sh.report.sales", "sh.report.debt"):
            with self.subTest(report=report):
                book, data = self._check_workbook(report, "ar_001")
                self.assertIn("يونيو", book.worksheets[0]["A3"].value)
                sheet = book.worksheets[1]
                self.assertEqual(sheet.title, data["tables"][0]["title"])
                # Every ranked customer or debtor and the total.
                self.assertEqual(sheet.max_row, 1 + 61 + 1)
