"""The Loyalty and Rewards report printed and exported, on the data of the
customer reports' export tests with a loyalty program: its PDF in English
and Arabic, its XLSX."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.sh_loyalty.tests.common import ShLoyaltyCommon
from odoo.addons.sh_reports.tests.exports_common import ReportExportsCase


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestLoyaltyReportExports(ReportExportsCase):
    @classmethod
    def _sh_before_sales(cls):
        # The loyalty tests' program, with a point per unit of untaxed sales
        # in every tier: Silver from 1000 points, Gold from 5000.
        cls.env.user.groups_id |= cls.env.ref("sh_loyalty.sh_loyalty_group_manager")
        ShLoyaltyCommon._program.__func__(
            cls,
            cls.env.company,
            name="SH Rewards",
            sh_tier_ids=[
                Command.create({"name": "Bronze", "threshold": 0, "multiplier": 1}),
                Command.create({"name": "Silver", "threshold": 1000, "multiplier": 1}),
                Command.create({"name": "Gold", "threshold": 5000, "multiplier": 1}),
            ],
        )

    def test_loyalty_pdf(self):
        """A point per unit of untaxed sales: 5000 (Al Noor) + 18300 = 23300
        issued in the period (1500 before), 1000 taken back by the credit
        note; open on 30 June 3000 + 1500 + 23300 - 1000 = 26800. Al Noor
        reached Gold (5000) on 10 May with 3000 + 5000 = 8000 points."""
        for lang in ("en_US", "ar_001"):
            with self.subTest(lang=lang):
                text, _words = self._check_pdf(
                    "sh.report.loyalty", lang, [], numbers=[23300, 1500, 1000, 26800]
                )
                self._assert_printed(text, "Al Noor Workshop")
                self._assert_printed(text, "Gold")

    def test_loyalty_xlsx(self):
        self._check_workbook("sh.report.loyalty", "en_US")

    def test_loyalty_xlsx_dates(self):
        """The tier change of Al Noor to Gold on 10 May is a date cell."""
        book, data = self._check_workbook("sh.report.loyalty", "en_US")
        titles = [table["title"] for table in data["tables"]]
        sheet = book.worksheets[1 + titles.index("Tier Changes")]
        rows = list(sheet.iter_rows(values_only=False))
        self.assertEqual(rows[1][0].value, datetime(2026, 5, 10))
        self.assertTrue(rows[1][0].is_date)
        self.assertEqual(rows[1][0].number_format, "mm/dd/yyyy")
        self.assertEqual(rows[1][1].value, "Al Noor Workshop")
