"""The debt report's last contact and open promise to pay per customer, as
they stood on the "as of" date."""

from odoo.tests import tagged

from odoo.addons.sh_reports.tests.test_report_debt import DebtReportCommon


@tagged("post_install", "-at_install")
class TestDebtReportContacts(DebtReportCommon):
    """The debt report's customers (see DebtReportCommon), with:

    - Basra: a call on 10 May 2025 promising 600 by 10 June, a visit on 25
      May, and a call on 5 June;
    - Mosul: a call on 16 May 2025 promising to pay by 25 May, no amount
      said;
    - Najaf: no interaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_manager")
        Interaction = cls.env["sh.customer.interaction"]
        Interaction.create(
            [
                {
                    "partner_id": cls.basra.id,
                    "date": "2025-05-10 09:00:00",
                    "outcome": "promised_to_pay",
                    "promise_date": "2025-06-10",
                    "promise_amount": 600.0,
                },
                {"partner_id": cls.basra.id, "channel": "visit", "date": "2025-05-25 09:00:00"},
                {"partner_id": cls.basra.id, "date": "2025-06-05 09:00:00"},
                {
                    "partner_id": cls.mosul.id,
                    "date": "2025-05-16 09:00:00",
                    "outcome": "promised_to_pay",
                    "promise_date": "2025-05-25",
                },
            ]
        )

    def _follow_up(self, as_of):
        data = self._report(as_of)
        [table] = [table for table in data["tables"] if table["key"] == "debt_follow_up"]
        return {
            row["_res_id"]: (
                row["debt"],
                row["last_contact"],
                row["promise_date"],
                row["promise_amount"],
            )
            for row in table["rows"]
        }

    def test_last_contact_and_open_promise(self):
        """On 31 May 2025 Basra (owing 500) was last contacted on 25 May (the
        call of 5 June comes after) and had promised 600 by 10 June; Mosul's
        (owing 500) promise was for 25 May, past: no open promise, its last
        contact on 16 May. Najaf, never contacted, is not followed up."""
        self.assertEqual(
            self._follow_up("2025-05-31"),
            {
                self.basra.id: (500.0, "2025-05-25", "2025-06-10", 600.0),
                self.mosul.id: (500.0, "2025-05-16", None, None),
            },
        )

    def test_as_of_an_earlier_date(self):
        """On 20 May 2025 Basra's (owing 1,000 - 400 = 600 and the credit
        note of 100) last contact was its promise of 10 May, open; Mosul's
        promise to pay by 25 May was open too, without an amount."""
        self.assertEqual(
            self._follow_up("2025-05-20"),
            {
                self.basra.id: (500.0, "2025-05-10", "2025-06-10", 600.0),
                self.mosul.id: (500.0, "2025-05-16", "2025-05-25", None),
            },
        )

    def test_before_any_contact(self):
        """On 30 April 2025 Basra and Najaf owed, and no one had been
        contacted: the follow-up is empty."""
        self.assertEqual(self._follow_up("2025-04-30"), {})
