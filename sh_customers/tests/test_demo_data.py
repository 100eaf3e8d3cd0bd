from odoo import fields
from odoo.tests import tagged

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestDemoData(ShCustomersCommon):
    """The demo generator makes the same business for the same seed, through
    Odoo's own accounting, so that Odoo's receivable and ours agree."""

    def _generate(self, company):
        generator = self.env["sh.customers.demo.generator"].with_company(company)
        before = self.env["res.partner"].search([]).ids
        counts = generator._generate(customers=60, seed=11, today=fields.Date.to_date("2026-06-30"))
        customers = self.env["res.partner"].search(
            [("id", "not in", before), ("parent_id", "=", False)]
        )
        return counts, customers

    def _summary(self, customers, company):
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", customers.ids),
                ("company_id", "=", company.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ],
            order="invoice_date, id",
        )
        return [
            (move.partner_id.name, move.move_type, move.invoice_date, move.amount_total)
            for move in moves
        ]

    def test_same_seed_same_business_and_receivable_agrees_with_odoo(self):
        company_2 = self.setup_other_company()["company"]
        self.env.user.company_ids |= company_2
        counts, customers = self._generate(self.env.company)
        counts_2, customers_2 = self._generate(company_2)

        self.assertEqual(counts, counts_2)
        self.assertEqual(
            self._summary(customers, self.env.company), self._summary(customers_2, company_2)
        )
        self.assertEqual(counts["customers"], 60)
        self.assertGreater(counts["invoices"], 30)
        self.assertGreater(counts["payments"], 0)

        # Our debt is Odoo's Total Receivable, to the cent, for every customer.
        for customer in customers:
            self.assertAlmostEqual(
                customer.sh_debt, self._credit(customer), places=2, msg=customer.name
            )
        # Invoices are paid in full, in part, or not at all.
        invoices = self.env["account.move"].search(
            [("commercial_partner_id", "in", customers.ids), ("move_type", "=", "out_invoice")]
        )
        states = set(invoices.mapped("payment_state"))
        self.assertIn("not_paid", states)
        self.assertIn("partial", states)
        # Paid by bank: "in payment" until the bank statement is matched.
        self.assertTrue(states & {"paid", "in_payment"})
        self.assertGreater(len(set(customers.mapped("sh_customer_type"))), 1)
