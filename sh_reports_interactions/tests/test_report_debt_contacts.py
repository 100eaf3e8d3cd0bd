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

    def _contacts(self, as_of):
        return {
            partner_id: (row["last_contact"], row["promise_date"], row["promise_amount"])
            for partner_id, row in self._rows(self._report(as_of)).items()
        }

    def test_last_contact_and_open_promise(self):
        """On 31 May 2025 Basra was last contacted on 25 May (the call of 5
        June comes after) and had promised 600 by 10 June; Mosul's promise
        was for 25 May, past: no open promise, its last contact on 16 May;
        Najaf was never contacted."""
        self.assertEqual(
            self._contacts("2025-05-31"),
            {
                self.basra.id: ("2025-05-25", "2025-06-10", 600.0),
                self.mosul.id: ("2025-05-16", None, None),
                self.najaf.id: (None, None, None),
            },
        )
        [table] = self._report("2025-05-31")["tables"]
        keys = [column["key"] for column in table["columns"]]
        self.assertEqual(keys[-3:], ["last_contact", "promise_date", "promise_amount"])

    def test_as_of_an_earlier_date(self):
        """On 20 May 2025 Basra's last contact was its promise of 10 May,
        open; Mosul's promise to pay by 25 May was open too, without an
        amount."""
        contacts = self._contacts("2025-05-20")
        self.assertEqual(contacts[self.basra.id], ("2025-05-10", "2025-06-10", 600.0))
        self.assertEqual(contacts[self.mosul.id], ("2025-05-16", "2025-05-25", None))
        self.assertEqual(contacts[self.najaf.id], (None, None, None))
