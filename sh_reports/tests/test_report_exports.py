"""The customer reports as they are printed and exported: each report's PDF
read back with pdftotext in English and in Arabic (title, options, amounts,
the tables cut to their first rows, right to left), and its XLSX opened with
openpyxl (the summary's figures, every row of every table, frozen headers,
filters, number and date formats, Excel's own charts, right to left)."""

from freezegun import freeze_time

from odoo.tests import tagged

from .exports_common import ARABIC_NAME, REPORTS, ReportExportsCase, _squash


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestReportExports(ReportExportsCase):
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

    # ------------------------------------------------------------------
    # XLSX
    # ------------------------------------------------------------------

    def test_xlsx_of_every_report(self):
        for report in REPORTS:
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
