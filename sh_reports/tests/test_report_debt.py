"""The debt report as of a date: the aging rebuilt from the receivable items
and the reconciliations dated up to it (partial payments, a credit note
reconciled and one left open, a payment dated after the date, invoices in
a second currency paid at another rate), equal to the receivable accounts'
balance on that date; DSO and debt recovery rate per customer and overall,
the trend by month end, and who may open it."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon

TODAY = "2026-06-30"


class DebtReportCommon(ShCustomersCommon):
    """Three customers, tagged so that the report reads them alone:

    - Basra: an invoice of 1,000 of 10 January 2025 due 9 February, 400 of
      it paid on 1 March and the other 600 on 10 June 2025; a credit note of
      100 of 20 May 2025 reversing nothing, left open.
    - Mosul: an invoice of 500 + 15% tax = 575 of 15 May 2025 due 14 June,
      with a credit note of 75 of 20 May reconciled with it.
    - Najaf, in euros (2 EUR to 1 until 30 April 2025, 2.5 EUR from 1 May):
      EUR 1,000 invoiced on 1 April 2025, due the same day (500), paid in
      full on 10 May (EUR 1,000 = 400; the other 100, an exchange
      difference, is booked by Odoo on the last day of the month, 31 May);
      EUR 600 invoiced on 5 May, due the same day (240), of which EUR 200
      (80) paid on 20 May."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = cls.env["res.partner.category"].create({"name": "Debt report"})
        tagged_vals = {"is_company": True, "category_id": [fields.Command.set(cls.tag.ids)]}
        cls.basra = cls._customer("Basra Auto", **tagged_vals)
        cls.mosul = cls._customer("Mosul Spares", **tagged_vals)
        cls.najaf = cls._customer("Najaf Tyres", **tagged_vals)
        cls.eur = cls.setup_other_currency("EUR", rates=[("2025-01-01", 2.0), ("2025-05-01", 2.5)])

        basra_invoice = cls._invoice(cls.basra, 1000.0, "2025-01-10", invoice_date_due="2025-02-09")
        cls._pay(basra_invoice, 400.0, "2025-03-01")
        cls._pay(basra_invoice, None, "2025-06-10")
        cls._invoice(cls.basra, 100.0, "2025-05-20", move_type="out_refund")

        mosul_invoice = cls._invoice(
            cls.mosul, 500.0, "2025-05-15", invoice_date_due="2025-06-14", taxes=cls.tax_15
        )
        # Posted, a credit note reversing an invoice is reconciled with it.
        cls._invoice(
            cls.mosul,
            75.0,
            "2025-05-20",
            move_type="out_refund",
            reversed_entry_id=mosul_invoice.id,
        )

        first_euro = cls._invoice(cls.najaf, 1000.0, "2025-04-01", currency_id=cls.eur.id)
        cls._pay(first_euro, None, "2025-05-10")
        second_euro = cls._invoice(cls.najaf, 600.0, "2025-05-05", currency_id=cls.eur.id)
        cls._pay(second_euro, 200.0, "2025-05-20")
        cls.customers = cls.basra + cls.mosul + cls.najaf
        # Who reads the report: a Customers user who may see receivables.
        cls.accountant = cls._accountant("debt_accountant")

    def _report(self, as_of, env=None, **options):
        with freeze_time(TODAY):
            return (env or self.env(user=self.accountant))["sh.report.debt"].get_report_data(
                {"as_of": as_of, "category_ids": self.tag.ids, **options}
            )

    def _rows(self, data):
        """The debt table's rows by customer."""
        [table] = [table for table in data["tables"] if table["key"] == "debt_customers"]
        return {row["_res_id"]: row for row in table["rows"]}

    def _ledger_balance(self, as_of):
        """The balance of the customers' receivable items on ``as_of``."""
        [(balance,)] = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "in", self.customers.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("date", "<=", as_of),
            ],
            aggregates=["balance:sum"],
        )
        return balance


@tagged("post_install", "-at_install")
class TestReportDebt(DebtReportCommon):
    def test_aging_as_of_a_past_date(self):
        """On 31 May 2025 Basra owed 1,000 - 400 = 600 of its invoice, 111
        days past due (19 + 31 + 30 + 31), less the open credit note of 100,
        11 days old: 500. The payment of 10 June does not count. Mosul owed
        575 - 75 = 500, due on 14 June: not due. Najaf's first invoice was
        settled (400 paid, 100 of exchange difference booked that day);
        240 - 80 = 160 of the second was 26 days past due."""
        rows = self._rows(self._report("2025-05-31"))
        self.assertEqual(list(rows), [self.basra.id, self.mosul.id, self.najaf.id])
        expected = {
            self.basra: (500.0, 500.0, {"debt_1_30": -100.0, "debt_91_120": 600.0}),
            self.mosul: (500.0, 0.0, {"debt_not_due": 500.0}),
            self.najaf: (160.0, 160.0, {"debt_1_30": 160.0}),
        }
        for customer, (debt, overdue, buckets) in expected.items():
            row = rows[customer.id]
            self.assertEqual(row["name"], customer.name)
            self.assertEqual(row["debt"], debt)
            self.assertEqual(row["overdue"], overdue)
            for column in (
                "debt_not_due",
                "debt_1_30",
                "debt_31_60",
                "debt_61_90",
                "debt_91_120",
                "debt_over_120",
            ):
                self.assertEqual(row[column], buckets.get(column, 0.0), (customer.name, column))

    def test_aging_before_the_payments(self):
        """On 30 April 2025 Basra owed 1,000 - 400 = 600, 80 days past due
        (19 + 31 + 30); Mosul nothing yet; Najaf its first invoice, 500, 29
        days past due."""
        rows = self._rows(self._report("2025-04-30"))
        self.assertEqual(list(rows), [self.basra.id, self.najaf.id])
        self.assertEqual(rows[self.basra.id]["debt_61_90"], 600.0)
        self.assertEqual(rows[self.najaf.id]["debt_1_30"], 500.0)
        self.assertEqual(rows[self.najaf.id]["overdue"], 500.0)

    def test_total_equals_the_ledger(self):
        """On every date the report's total is the balance of the customers'
        receivable items dated up to it. On 15 May 2025: Basra 1,000 - 400,
        Mosul 575 (its credit note is of 20 May), Najaf 500 - 400 (the
        exchange difference is not booked yet) + 240."""
        for as_of, total in (
            ("2025-02-28", 1000.0),
            ("2025-04-30", 1100.0),
            ("2025-05-15", 600.0 + 575.0 + 100.0 + 240.0),
            ("2025-05-31", 1160.0),
            (TODAY, -100.0 + 500.0 + 160.0),
        ):
            data = self._report(as_of)
            [debt] = [card for card in data["cards"] if card["key"] == "debt"]
            self.assertEqual(debt["value"], total, as_of)
            self.assertEqual(self._ledger_balance(as_of), total, as_of)
            [table] = [table for table in data["tables"] if table["key"] == "debt_customers"]
            self.assertEqual(table["totals"]["debt"], total, as_of)

    def test_dso_and_recovery_rate(self):
        """Over the 12 months to 31 May 2025 (365 days), from no receivable:
        Basra's credit sales are 1,000 - 100 = 900: DSO 500 / 900 x 365 =
        202.8 days, recovery (900 - 500) / (900 - 0) = 44.44%. Mosul's are
        575 - 75 = 500: DSO 365.0, and nothing to recover but what is not
        due: no rate. Najaf's 500 + 240 = 740 (an exchange difference is no
        sale): DSO 160 / 740 x 365 = 78.9, rate (740 - 160) / 740 = 78.38%.
        Overall: 1,160 / 2,140 x 365 = 197.9 days, (2,140 - 1,160) /
        (2,140 - 500) = 59.76%."""
        data = self._report("2025-05-31")
        rows = self._rows(data)
        self.assertEqual(rows[self.basra.id]["credit_sales"], 900.0)
        self.assertEqual(rows[self.basra.id]["dso"], 202.8)
        self.assertEqual(rows[self.basra.id]["cei"], 44.44)
        self.assertEqual(rows[self.mosul.id]["dso"], 365.0)
        self.assertIsNone(rows[self.mosul.id]["cei"])
        self.assertEqual(rows[self.najaf.id]["credit_sales"], 740.0)
        self.assertEqual(rows[self.najaf.id]["dso"], 78.9)
        self.assertEqual(rows[self.najaf.id]["cei"], 78.38)
        cards = {card["key"]: card for card in data["cards"]}
        self.assertEqual(cards["dso"]["value"], 197.9)
        self.assertEqual(cards["cei"]["value"], 59.76)
        self.assertEqual(cards["overdue"]["value"], 660.0)

    def test_cards_against_a_year_earlier(self):
        """On 30 April 2026 the customers owe -100 (Basra's open credit
        note) + 500 + 160 = 560, all past due; a year earlier 1,100, all
        past due. Credit sales of the 12 months to 30 April 2026: -100 +
        500 + 240 = 640: DSO 560 / 640 x 365 = 319.4 days, recovery
        (1,100 + 640 - 560) / (1,100 + 640 - 0) = 67.82%. The year before:
        1,000 + 500 = 1,500, DSO 1,100 / 1,500 x 365 = 267.7 days, recovery
        (1,500 - 1,100) / 1,500 = 26.67%. A past date opens no customer:
        the list shows today's debt."""
        cards = {card["key"]: card for card in self._report("2026-04-30")["cards"]}
        expected = {
            "debt": (560.0, 1100.0),
            "overdue": (560.0, 1100.0),
            "dso": (319.4, 267.7),
            "cei": (67.82, 26.67),
        }
        for key, (value, previous) in expected.items():
            self.assertEqual((cards[key]["value"], cards[key]["previous"]), (value, previous), key)
            self.assertIsNone(cards[key]["domain"], key)
        cards = {card["key"]: card for card in self._report(TODAY)["cards"]}
        self.assertIn(["sh_debt", "!=", 0], cards["debt"]["domain"])

    def test_trend_by_month_end(self):
        """The 12 month ends to 31 May 2025: nothing owed until December
        2024; 1,000 on 31 January (not due until 9 February), overdue on 28
        February; 600 on 31 March; 600 + 500 on 30 April; 1,160 on 31 May, of
        which 660 overdue."""
        [trend] = [
            chart for chart in self._report("2025-05-31")["charts"] if chart["key"] == "debt_trend"
        ]
        self.assertEqual(len(trend["labels"]), 12)
        self.assertEqual(trend["labels"][-1], "May 2025")
        debt, overdue = (dataset["data"] for dataset in trend["datasets"])
        self.assertEqual(debt, [0.0] * 7 + [1000.0, 1000.0, 600.0, 1100.0, 1160.0])
        self.assertEqual(overdue, [0.0] * 7 + [0.0, 1000.0, 600.0, 1100.0, 660.0])

    def test_aging_chart(self):
        """Debt by age on 31 May 2025: 500 not due, -100 + 160 = 60 at 1-30
        days, 600 at 91-120 days."""
        [aging] = [
            chart for chart in self._report("2025-05-31")["charts"] if chart["key"] == "debt_aging"
        ]
        self.assertEqual(aging["datasets"][0]["data"], [500.0, 60.0, 0.0, 0.0, 600.0, 0.0])

    def test_who_may_open_it(self):
        """A Customers user without accounting rights may not open the
        report; one who may see receivables reads it."""
        seller = self._sales_user("debt_seller")
        with self.assertRaises(AccessError):
            self._report("2025-05-31", env=self.env(user=seller))
        rows = self._rows(self._report("2025-05-31"))
        self.assertEqual(rows[self.basra.id]["debt"], 500.0)
        self.assertEqual(len(rows), 3)


@tagged("post_install", "-at_install")
class TestReportDebtCompanies(DebtReportCommon):
    """The company's whole tree counts, as in Odoo's total receivable; another
    company does not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"child_ids": [fields.Command.create({"name": "Basra Branch"})]})
        cls.env.cr.precommit.run()
        cls.branch = cls.env.company.child_ids
        cls.env.user.company_ids |= cls.branch
        cls.other_company = cls._second_company()
        # 200 invoiced by the branch on 1 May 2025, due the same day; 999 by
        # another company.
        cls._invoice(cls.basra, 200.0, "2025-05-01", company=cls.branch)
        cls._invoice(cls.basra, 999.0, "2025-05-01", company=cls.other_company)

    def test_the_branch_counts_another_company_does_not(self):
        """On 31 May 2025 Basra owes 500 (see DebtReportCommon) + the
        branch's 200, 30 days past due: -100 + 200 = 100 at 1-30 days."""
        data = self._report("2025-05-31")
        row = self._rows(data)[self.basra.id]
        self.assertEqual(row["debt"], 700.0)
        self.assertEqual(row["debt_1_30"], 100.0)
        [debt] = [card for card in data["cards"] if card["key"] == "debt"]
        self.assertEqual(debt["value"], 1160.0 + 200.0)
