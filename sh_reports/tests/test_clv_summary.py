"""The purchase-day summary read from real posted invoices and credit notes,
and the predicted CLV answered by ``sh.customer.clv`` on it: purchase days,
the "as of" date, credit notes, companies and record rules, too little
history and a fit."""

from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon

from ..analytics import clv
from ..analytics.summary import read_summary


@tagged("post_install", "-at_install")
class TestClvSummary(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls._second_company()
        # A branch of the test's company: its invoices are the company's.
        cls.env.company.write({"child_ids": [Command.create({"name": "Basra Branch"})]})
        cls.env.cr.precommit.run()
        cls.branch = cls.env.company.child_ids
        cls.env.user.company_ids |= cls.branch
        cls.basra = cls._customer("Basra Auto", is_company=True)
        cls.mosul = cls._customer("Mosul Spares", is_company=True)
        basra, mosul = cls.basra, cls.mosul
        # Basra: two invoices on 10 January (one purchase day, 150 untaxed:
        # the 15% tax is not sales), one on 1 February, two on 15 March.
        cls._invoice(basra, 100.0, "2025-01-10", taxes=cls.tax_15)
        cls._invoice(basra, 50.0, "2025-01-10")
        february = cls._invoice(basra, 200.0, "2025-02-01", taxes=cls.tax_15)
        cls._invoice(basra, 300.0, "2025-03-15")
        cls._invoice(basra, 20.0, "2025-03-15")
        # A credit note of 80 reversing February's invoice counts on
        # 1 February; one of 20 reversing nothing on the last purchase day
        # before it, 15 March.
        cls._invoice(
            basra, 80.0, "2025-03-20", move_type="out_refund", reversed_entry_id=february.id
        )
        cls._invoice(basra, 20.0, "2025-03-16", move_type="out_refund")
        # Neither a draft invoice, nor another company's, nor one of a
        # contact's invoices dated after the "as of" dates.
        cls._invoice(basra, 999.0, "2025-04-01", post=False)
        cls._invoice(basra, 999.0, "2025-04-01", company=cls.company_2)
        contact = cls._customer("Basra Auto, Ali", parent_id=basra.id)
        cls._invoice(contact, 40.0, "2025-05-02")
        cls._invoice(basra, 25.0, "2025-05-10", company=cls.branch)
        # Mosul: a credit note of 30 before its first purchase counts on
        # that first purchase day (100 - 30 = 70), then one of 60.
        cls._invoice(mosul, 30.0, "2025-01-05", move_type="out_refund")
        cls._invoice(mosul, 100.0, "2025-01-20")
        cls._invoice(mosul, 60.0, "2025-02-20")
        # Only a credit note: no purchase, no summary.
        cls._invoice(cls._customer("Najaf Tyres"), 10.0, "2025-02-02", move_type="out_refund")

    def _summary(self, as_of, env=None):
        columns = read_summary(env or self.env, self.env.company, fields.Date.to_date(as_of))
        return {
            row[0]: dict(zip(columns, row, strict=True))
            for row in zip(*columns.values(), strict=True)
        }

    def test_purchase_days_and_credit_notes(self):
        """As of 30 April 2025, Basra bought on 3 days (10 January, 1 February
        and 15 March): 2 repeat purchase days, the last 64 days after the
        first (21 + 28 + 15), 110 days since the first (21 + 28 + 31 + 30).
        Its repeat days are worth 200 - 80 = 120 and 300 + 20 - 20 = 300,
        a mean of 210; its net sales 150 + 120 + 300 = 570."""
        summary = self._summary("2025-04-30")
        self.assertEqual(set(summary), {self.basra.id, self.mosul.id})
        basra = summary[self.basra.id]
        self.assertEqual(basra["first_day"], date(2025, 1, 10))
        self.assertEqual(basra["last_day"], date(2025, 3, 15))
        self.assertEqual(basra["frequency"], 2)
        self.assertEqual(basra["recency"], 64)
        self.assertEqual(basra["age"], 110)
        self.assertAlmostEqual(basra["value"], 210.0, places=2)
        self.assertAlmostEqual(basra["net_sales"], 570.0, places=2)
        # Mosul: first purchase 20 January worth 100 - 30 = 70, one repeat
        # of 60 on 20 February (31 days later), 100 days before 30 April.
        mosul = summary[self.mosul.id]
        self.assertEqual((mosul["frequency"], mosul["recency"], mosul["age"]), (1, 31, 100))
        self.assertAlmostEqual(mosul["value"], 60.0, places=2)
        self.assertAlmostEqual(mosul["net_sales"], 130.0, places=2)

    def test_as_of_hides_later_documents(self):
        """As of 1 March 2025 Basra's March invoices and both credit notes
        are not there yet: one repeat purchase day (1 February, worth 200),
        22 days after the first, 50 days before 1 March; net sales 350.
        The contact's invoice of 2 May counts from that day on, the
        branch's of 10 May from that day. Before the first invoice there is
        no summary."""
        basra = self._summary("2025-03-01")[self.basra.id]
        self.assertEqual((basra["frequency"], basra["recency"], basra["age"]), (1, 22, 50))
        self.assertAlmostEqual(basra["value"], 200.0, places=2)
        self.assertAlmostEqual(basra["net_sales"], 350.0, places=2)
        # The "as of" day itself counts.
        basra = self._summary("2025-02-01")[self.basra.id]
        self.assertEqual((basra["frequency"], basra["age"]), (1, 22))
        # 2 May: a fourth purchase day of 40, the last, 112 days after the first.
        basra = self._summary("2025-05-02")[self.basra.id]
        self.assertEqual((basra["frequency"], basra["recency"]), (3, 112))
        self.assertAlmostEqual(basra["value"], (120.0 + 300.0 + 40.0) / 3, places=2)
        self.assertAlmostEqual(basra["net_sales"], 610.0, places=2)
        # 10 May: the branch's invoice of 25 is a fifth purchase day.
        basra = self._summary("2025-05-10")[self.basra.id]
        self.assertEqual((basra["frequency"], basra["recency"]), (4, 120))
        self.assertAlmostEqual(basra["net_sales"], 635.0, places=2)
        self.assertEqual(self._summary("2025-01-04"), {})

    def test_record_rules_hold(self):
        """A user of the second company only does not read the first
        company's invoices: its summary of the first company is empty."""
        user = self._accountant("clv_outsider", company=self.company_2)
        self.assertEqual(self._summary("2025-04-30", env=self.env(user=user)), {})
        self.assertEqual(len(self._summary("2025-04-30")), 2)

    def test_too_little_history_gives_historical_clv(self):
        """Two customers are far fewer than 30 repeat customers: the answer
        says so, has no parameters, gives each customer's historical CLV
        (net sales to the date) and no prediction; no exception."""
        result = self.env["sh.customer.clv"].sh_predict(as_of="2025-04-30")
        self.assertEqual(result["status"], clv.TOO_LITTLE_HISTORY)
        self.assertIn("Too little history", result["message"])
        self.assertEqual(result["repeat_customers"], 2)
        self.assertEqual(result["parameters"], {})
        self.assertIsNone(result["predicted_clv"])
        self.assertAlmostEqual(result["historical_clv"], 570.0 + 130.0, places=2)
        self.assertEqual(
            [
                (row["partner_id"], round(row["historical_clv"], 2), row["predicted_clv"])
                for row in result["customers"]
            ],
            [(self.basra.id, 570.0, None), (self.mosul.id, 130.0, None)],
        )
        holdout = self.env["sh.customer.clv"].sh_holdout_diagnostic(
            as_of="2025-04-30", holdout_days=60
        )
        self.assertEqual(holdout["status"], clv.TOO_LITTLE_HISTORY)
        self.assertIsNone(holdout["diagnostic"])


@tagged("post_install", "-at_install")
class TestClvPrediction(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 40 customers: customer i first buys on day 3 i of 2024 and then
        # every 20 + i days, 1 + i % 5 times; 32 of them buy again.
        customers = cls.env["res.partner"].create(
            [{"name": f"Garage {i}", "is_company": True} for i in range(40)]
        )
        start = date(2024, 1, 1)
        invoices = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": start + timedelta(days=3 * i + k * (20 + i)),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Parts", "quantity": 1, "price_unit": 50.0 + 10 * k + i}
                        )
                    ],
                }
                for i, customer in enumerate(customers)
                for k in range(1 + i % 5)
            ]
        )
        invoices.action_post()
        cls.customers = customers

    def test_prediction_of_a_fitted_history(self):
        """With 32 repeat customers the models are fitted: the parameters
        under their names, the log-likelihoods, each customer's P(alive)
        between 0 and 1, its expected purchases and predicted CLV, ranked
        by predicted CLV; its historical CLV its net sales."""
        result = self.env["sh.customer.clv"].sh_predict(
            as_of="2024-12-31", horizon_months=6, monthly_discount=0.02
        )
        self.assertEqual(result["status"], clv.FITTED)
        self.assertFalse(result["message"])
        self.assertEqual((result["customers"] and len(result["customers"])), 40)
        self.assertEqual(result["repeat_customers"], 32)
        self.assertEqual(set(result["parameters"]), {"r", "alpha", "a", "b", "p", "q", "gamma"})
        self.assertEqual(set(result["log_likelihood"]), {"bgnbd", "gamma_gamma"})
        self.assertTrue(all(value > 0 for value in result["parameters"].values()))
        predicted = [row["predicted_clv"] for row in result["customers"]]
        self.assertEqual(predicted, sorted(predicted, reverse=True))
        self.assertAlmostEqual(result["predicted_clv"], sum(predicted), places=6)
        for row in result["customers"]:
            self.assertTrue(0.0 <= row["p_alive"] <= 1.0)
            self.assertGreaterEqual(row["expected_purchases"], 0.0)
            self.assertGreaterEqual(row["predicted_clv"], 0.0)
        # Garage 4 bought 5 times: 54 + 64 + 74 + 84 + 94 = 370.
        garage_4 = next(
            row for row in result["customers"] if row["partner_id"] == self.customers[4].id
        )
        self.assertEqual(garage_4["frequency"], 4)
        self.assertEqual(garage_4["recency"], 4 * 24)
        self.assertAlmostEqual(garage_4["historical_clv"], 370.0, places=2)

    def test_holdout_diagnostic(self):
        """Fitted on the history up to 60 days before the "as of" date, the
        diagnostic compares the purchases predicted for those 60 days with
        the purchase days the customers made in them."""
        as_of = date(2024, 12, 31)
        result = self.env["sh.customer.clv"].sh_holdout_diagnostic(as_of=as_of, holdout_days=60)
        self.assertEqual(result["calibration_end"], "2024-11-01")
        self.assertEqual(result["status"], clv.FITTED)
        # The purchase days of the hold-out, counted from the invoices.
        invoices = self.env["account.move"].search(
            [
                ("partner_id", "in", self.customers.ids),
                ("invoice_date", ">", "2024-11-01"),
                ("invoice_date", "<=", as_of),
            ]
        )
        diagnostic = result["diagnostic"]
        self.assertEqual(
            diagnostic["actual"],
            len(set(invoices.mapped(lambda m: (m.partner_id, m.invoice_date)))),
        )
        self.assertEqual(
            sum(row["customers"] for row in diagnostic["by_frequency"]), diagnostic["customers"]
        )
        self.assertGreater(diagnostic["predicted"], 0.0)
