import random
import re

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.sh_customers.demo.generator import CustomerDemoGenerator, generate

from .common import ShCustomersCommon

ARABIC = re.compile("[\u0600-\u06ff]")
# The customers the Customers app lists (its action's domain and default filter).
CUSTOMERS = [("customer_rank", ">", 0), "|", ("is_company", "=", True), ("parent_id", "=", False)]


@tagged("post_install", "-at_install")
class TestDemoData(ShCustomersCommon):
    """The demo generator makes the same business for the same seed, through
    Odoo's own accounting, so that Odoo's receivable and ours agree; its
    customers have names of their own and speak the language they are
    named in, and its prices are in the company's currency."""

    def _generate(self, company):
        before = self.env["res.partner"].search([]).ids
        counts = generate(
            self.env["res.company"].with_company(company).env,
            customers=60,
            seed=11,
            today=fields.Date.to_date("2026-06-30"),
        )
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
        company_2 = self._second_company()
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
        self._assert_languages(customers)
        self._assert_prices_in_company_currency(customers)

    def test_names_unique(self):
        """The 300 customers of the addon's demo, and the 2,000 of a bigger
        run, each have a name of their own (the demo's seed drew nine names
        twice before)."""
        generator = CustomerDemoGenerator(self.env)
        for count in (300, 2000):
            plans = generator._plan_customers(random.Random(2024), count, 0.5)
            names = [plan["vals"]["vals"]["name"] for plan in plans]
            self.assertEqual(len(set(names)), count)

    def _assert_languages(self, customers):
        """Customers named in Arabic speak Arabic, the others English;
        invoicing contacts speak the language of their company."""
        self.assertEqual(len(set(customers.mapped("name"))), len(customers))
        arabic = customers.filtered(lambda customer: ARABIC.search(customer.name))
        self.assertTrue(arabic)
        self.assertEqual(set(arabic.mapped("lang")), {"ar_001"})
        self.assertEqual(set((customers - arabic).mapped("lang")), {"en_US"})
        contacts = self.env["res.partner"].search([("parent_id", "in", customers.ids)])
        self.assertTrue(contacts)
        for contact in contacts:
            self.assertEqual(contact.lang, contact.parent_id.lang, contact.name)

    def _assert_prices_in_company_currency(self, customers):
        """Prices are riyals; a company in US dollars gets them at the
        riyal's peg (3.75): front brake pads at 180.00 SAR are 48.00 USD."""
        currency = self.env.company.currency_id.name
        self.assertIn(currency, ("SAR", "USD"))
        lines = self.env["account.move.line"].search(
            [
                ("move_id.commercial_partner_id", "in", customers.ids),
                ("move_id.move_type", "=", "out_invoice"),
                ("product_id.default_code", "=", "BRK-PAD-F"),
            ]
        )
        self.assertTrue(lines)
        self.assertEqual(set(lines.mapped("price_unit")), {180.0 if currency == "SAR" else 48.0})
        limits = set(customers.mapped("credit_limit")) - {0.0}
        self.assertTrue(limits)
        # Whole hundreds: 5,000 SAR is 1,300 USD, not 1,333.33.
        self.assertTrue(all(limit % 100 == 0 for limit in limits), limits)


@tagged("post_install", "-at_install")
class TestInstalledDemo(TransactionCase):
    """The demo database as installed: a believable SH Parts. Unlike other
    tests these read the demo data, since the demo data is what they test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.customers = cls.env["res.partner"].search(
            [*CUSTOMERS, ("company_id", "in", (False, cls.company.id))]
        )

    def test_company_is_sh_parts_in_riyadh(self):
        company = self.company
        self.assertEqual(company.name, "SH Parts")
        self.assertEqual(company.country_id.code, "SA")
        self.assertEqual(company.city, "Riyadh")
        self.assertTrue(company.phone.startswith("+966 "))
        self.assertRegex(company.vat, r"^3\d{13}3$")
        self.assertTrue(company.email.endswith(".sa"))
        self.assertFalse(company.uses_default_logo)
        # Riyals, unless Odoo's own demo entries were there first (a
        # database created without a country keeps its first currency).
        entries = self.env["account.move.line"].search_count(
            [("company_id", "=", company.id), ("move_id.partner_id", "not in", self.customers.ids)]
        )
        if not entries:
            self.assertEqual(company.currency_id.name, "SAR")

    def test_first_print_goes_straight_to_the_document(self):
        """The document layout is configured: printing an invoice prints it
        instead of opening the layout dialog, with the company's address."""
        self.assertTrue(self.company.external_report_layout_id)
        self.assertIn("Riyadh", self.company.company_details)
        invoice = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("partner_id", "child_of", self.customers.ids),
            ],
            limit=1,
        )
        self.assertTrue(invoice)
        action = (
            self.env.ref("account.account_invoices")
            .with_company(self.company)
            .report_action(invoice)
        )
        self.assertEqual(action["type"], "ir.actions.report")

    def test_customers_are_the_retailers_own(self):
        """Odoo's sample partners (Azure Interior, Deco Addict...) keep their
        sample invoices but are not among the retailer's customers; every
        customer has a name of its own, and those named in Arabic speak
        Arabic (their statements and e-mails are in Arabic)."""
        self.assertGreaterEqual(len(self.customers), 300)
        samples = self.env["ir.model.data"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", self.customers.ids),
                ("module", "not in", ("sh_customers", "sh_loyalty", "sh_interactions")),
            ]
        )
        self.assertFalse(samples, samples.mapped("complete_name"))
        for xmlid in ("base.res_partner_2", "base.res_partner_12"):  # Deco Addict, Azure Interior
            sample = self.env.ref(xmlid, raise_if_not_found=False)
            if sample:
                self.assertNotIn(sample, self.customers)
        names = self.customers.mapped("name")
        self.assertEqual(len(set(names)), len(names))
        arabic = self.customers.filtered(lambda customer: ARABIC.search(customer.name))
        self.assertGreater(len(arabic), len(self.customers) / 2)
        self.assertEqual(set(arabic.mapped("lang")), {"ar_001"})
        self.assertEqual(set(self.customers.mapped("country_id.code")), {"SA"})
