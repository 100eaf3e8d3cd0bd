from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestEarning(ShLoyaltyCommon):
    """Every sale earns exactly once; credit notes, refunds and
    cancellations take back what their invoice earned."""

    def test_posted_invoice_earns_on_untaxed_amount(self):
        customer = self._customer("Garage Earn")
        invoice = self._invoice(customer, 1000.0, "2026-03-10", taxes=self.tax_15)
        self.assertEqual(self._points(customer), 1000.0)
        line = invoice.sh_loyalty_history_ids
        self.assertEqual(line.sh_reason, "earn")
        self.assertEqual(line.issued, 1000.0)
        self.assertEqual(line.sh_user_id, self.env.user)
        self.assertEqual(line.sh_partner_id, customer)
        self.assertIn(invoice.name, line.description)
        lot = self._card(customer).sh_lot_ids
        self.assertEqual((lot.points, lot.remaining), (1000.0, 1000.0))
        self.assertEqual(str(lot.expiry_date), "2027-03-10")

    def test_draft_and_repost_earn_once(self):
        customer = self._customer("Garage Repost")
        invoice = self._invoice(customer, 500.0, "2026-03-01")
        invoice.button_draft()
        self.assertEqual(self._points(customer), 0.0)
        invoice.action_post()
        invoice.button_draft()
        invoice.invoice_line_ids.price_unit = 600.0
        invoice.action_post()
        self.assertEqual(self._points(customer), 600.0)
        self.assertEqual(
            self._ledger(customer),
            [
                ("earn", 500.0),
                ("reverse", -500.0),
                ("earn", 500.0),
                ("reverse", -500.0),
                ("earn", 600.0),
            ],
        )
        # Running the synchronisation again changes nothing.
        invoice._sh_loyalty_sync()
        self.assertEqual(self._points(customer), 600.0)
        self.assertEqual(len(self._ledger(customer)), 5)
        self.assertEqual(sum(self._card(customer).sh_lot_ids.mapped("remaining")), 600.0)

    def test_duplicate_starts_clean(self):
        customer = self._customer("Garage Copy")
        invoice = self._invoice(customer, 300.0, "2026-03-01")
        copy = invoice.copy({"invoice_date": "2026-03-02"})
        self.assertFalse(copy.sh_loyalty_history_ids)
        self.assertFalse(copy.sh_loyalty_factor)
        self.assertEqual(self._points(customer), 300.0)
        copy.action_post()
        self.assertEqual(self._points(customer), 600.0)
        self.assertEqual(len(invoice.sh_loyalty_history_ids), 1)
        self.assertEqual(len(copy.sh_loyalty_history_ids), 1)

    def test_full_and_partial_refunds(self):
        customer = self._customer("Garage Refund")
        invoice = self._invoice(customer, 1000.0, "2026-03-01", taxes=self.tax_15)
        self._refund(invoice, 400.0, "2026-03-05")
        self.assertEqual(self._points(customer), 600.0)
        # A second refund can take back what is left, not more.
        self._refund(invoice, 1000.0, "2026-03-06")
        self.assertEqual(self._points(customer), 0.0)
        self.assertEqual(
            self._ledger(customer), [("earn", 1000.0), ("reverse", -400.0), ("reverse", -600.0)]
        )

    def test_refund_reset_to_draft_gives_points_back(self):
        customer = self._customer("Garage Refund Draft")
        invoice = self._invoice(customer, 1000.0, "2026-03-01")
        refund = self._refund(invoice, 250.0, "2026-03-05")
        self.assertEqual(self._points(customer), 750.0)
        refund.button_draft()
        self.assertEqual(self._points(customer), 1000.0)
        refund.action_post()
        self.assertEqual(self._points(customer), 750.0)

    def test_invoice_and_credit_note_posted_together(self):
        customer = self._customer("Garage Together")
        invoice = self._invoice(customer, 1000.0, "2026-03-01")
        refund = self._refund(invoice, 400.0, "2026-03-05", post=False)
        invoice.button_draft()
        self.assertEqual(self._points(customer), 0.0)
        # Posted in one go, the credit note takes back its share of what its
        # invoice earns in the same posting.
        (invoice | refund).action_post()
        self.assertEqual(self._points(customer), 600.0)
        self.assertEqual(
            self._ledger(customer),
            [("earn", 1000.0), ("reverse", -1000.0), ("earn", 1000.0), ("reverse", -400.0)],
        )

    def test_partial_refund_pro_rata_with_multiplier(self):
        customer = self._customer("Garage Silver")
        self._invoice(customer, 1000.0, "2026-03-01")
        card = self._card(customer)
        self.assertEqual(card.sh_tier_id, self.silver)
        invoice = self._invoice(customer, 200.0, "2026-03-02")
        self.assertEqual(invoice.sh_loyalty_factor, 1.5)
        self.assertEqual(self._points(customer), 1300.0)
        # Half the invoice refunded: half of its 300 points.
        self._refund(invoice, 100.0, "2026-03-03")
        self.assertEqual(self._points(customer), 1150.0)

    def test_cancel_takes_points_back(self):
        customer = self._customer("Garage Cancel")
        invoice = self._invoice(customer, 800.0, "2026-03-01")
        invoice.button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(self._points(customer), 0.0)
        self.assertEqual(self._ledger(customer), [("earn", 800.0), ("reverse", -800.0)])

    def test_direct_credit_note_takes_points_at_rate(self):
        customer = self._customer("Garage Direct Refund")
        self._invoice(customer, 500.0, "2026-03-01")
        self._invoice(customer, 120.0, "2026-03-02", move_type="out_refund")
        self.assertEqual(self._points(customer), 380.0)

    def test_shortfall_is_owed_and_settled(self):
        customer = self._customer("Garage Owes")
        invoice = self._invoice(customer, 500.0, "2026-03-01")
        self._card(customer)._sh_adjust(-400, "Gift at the counter")
        self._refund(invoice, 500.0, "2026-03-02")
        card = self._card(customer)
        self.assertEqual(card.points, 0.0)
        self.assertEqual(card.sh_points_owed, 400.0)
        self._invoice(customer, 300.0, "2026-03-03")
        self.assertEqual((card.points, card.sh_points_owed), (0.0, 100.0))
        self._invoice(customer, 250.0, "2026-03-04")
        self.assertEqual((card.points, card.sh_points_owed), (150.0, 0.0))
        self.assertEqual(
            self._ledger(customer),
            [
                ("earn", 500.0),
                ("adjust", -400.0),
                ("reverse", -500.0),
                ("owed", 400.0),
                ("earn", 300.0),
                ("settle", -300.0),
                ("earn", 250.0),
                ("settle", -100.0),
            ],
        )
        # The balance is the sum of the ledger.
        self.assertEqual(sum(points for _reason, points in self._ledger(customer)), 150.0)
        self.assertEqual(sum(card.sh_lot_ids.mapped("remaining")), 150.0)

    def test_negative_balance_when_allowed(self):
        self.program.sh_allow_negative = True
        customer = self._customer("Garage Negative")
        invoice = self._invoice(customer, 500.0, "2026-03-01")
        self._card(customer)._sh_adjust(-400, "Gift at the counter")
        self._refund(invoice, 500.0, "2026-03-02")
        card = self._card(customer)
        self.assertEqual((card.points, card.sh_points_owed), (-400.0, 0.0))
        self._invoice(customer, 500.0, "2026-03-03")
        self.assertEqual(card.points, 100.0)
        self.assertEqual(sum(card.sh_lot_ids.mapped("remaining")), 100.0)

    def test_contact_earns_for_its_company(self):
        company = self._customer("Fleet Co", is_company=True)
        driver = self._customer("Driver", parent_id=company.id)
        self._invoice(driver, 200.0, "2026-03-01")
        self.assertEqual(self._points(company), 200.0)
        self.assertFalse(self._card(driver))

    def test_vendor_bills_and_other_companies_earn_nothing(self):
        customer = self._customer("Supplier and Customer")
        self._invoice(customer, 200.0, "2026-03-01", move_type="in_invoice")
        self.assertFalse(self._card(customer))
        other = self.setup_other_company()["company"]
        self._invoice(customer, 200.0, "2026-03-01", company=other)
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", customer.id)]))

    def test_customers_program_adds_no_order_rules(self):
        """Points come from invoices only: no rule that would make Sales or
        Point of Sale add points to the card for the same order."""
        program = self.env.ref("sh_loyalty.loyalty_program_sh_customers").sudo()
        self.assertFalse(program.with_context(active_test=False).rule_ids)
        self.assertTrue(program.sh_is_customer_program)
        self.assertEqual(len(program.sh_tier_ids), 4)
