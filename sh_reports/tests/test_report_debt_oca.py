"""The debt report against OCA's aged partner balance
(``account_financial_report``, installed in the test database by
scripts/test): on the same dates, customer by customer, the same debt in
the same aging buckets, to the cent."""

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .test_report_debt import TODAY, DebtReportCommon

# OCA's bucket of each of our aging buckets.
OCA_BUCKETS = {
    "debt_not_due": "current",
    "debt_1_30": "30_days",
    "debt_31_60": "60_days",
    "debt_61_90": "90_days",
    "debt_91_120": "120_days",
    "debt_over_120": "older",
}
OCA_REPORT = "report.account_financial_report.aged_partner_balance"


@tagged("post_install", "-at_install")
class TestReportDebtAgainstOca(DebtReportCommon):
    def _oca_aging(self, as_of):
        """OCA's aged partner balance of the company's receivable accounts
        on ``as_of``, posted entries only, summed over the accounts by
        partner: {partner id: {bucket: amount}}."""
        self.assertIn(OCA_REPORT, self.env, "account_financial_report must be installed")
        with freeze_time(TODAY):
            wizard = self.env["aged.partner.balance.report.wizard"].create(
                {
                    "date_at": as_of,
                    "company_id": self.env.company.id,
                    "target_move": "posted",
                    "receivable_accounts_only": True,
                    "partner_ids": [fields.Command.set(self.customers.ids)],
                }
            )
            wizard.onchange_type_accounts_only()
            data = wizard._prepare_report_data()
            # The data as the report action sends it: its dates as text.
            data["date_at"] = fields.Date.to_string(wizard.date_at)
            values = self.env[OCA_REPORT]._get_report_values(wizard.ids, data)
        names = {customer.name: customer.id for customer in self.customers}
        aging = {}
        for account in values["aged_partner_balance"]:
            for partner in account["partners"]:
                totals = aging.setdefault(names[partner["name"]], {})
                for key in ("residual", *OCA_BUCKETS.values()):
                    totals[key] = totals.get(key, 0.0) + partner[key]
        return {
            partner_id: {key: round(amount, 2) for key, amount in totals.items()}
            for partner_id, totals in aging.items()
            if round(totals["residual"], 2)
        }

    def _our_aging(self, as_of):
        rows = self._rows(self._report(as_of))
        return {
            partner_id: {
                "residual": row["debt"],
                **{oca: row[ours] for ours, oca in OCA_BUCKETS.items()},
            }
            for partner_id, row in rows.items()
        }

    def test_same_as_oca_customer_by_customer(self):
        """Before and after the payments, on a day between a payment and
        the invoice it pays, and today: every customer's debt and aging
        equal OCA's to the cent (OCA's "current" is our "not due")."""
        for as_of in ("2025-02-28", "2025-04-30", "2025-05-15", "2025-05-31", TODAY):
            ours, oca = self._our_aging(as_of), self._oca_aging(as_of)
            self.assertTrue(ours, as_of)
            self.assertEqual(ours, oca, as_of)
