from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestExpiry(ShLoyaltyCommon):
    """Points expire per lot after the program's validity, oldest spent
    first; customers are warned once before."""

    def test_fifo_spending_expiry_and_warning(self):
        customer = self._customer("Expiring Garage", email="garage@example.com")
        with freeze_time("2025-01-10"):
            self._invoice(customer, 100.0, "2025-01-10")
        with freeze_time("2025-06-01"):
            self._invoice(customer, 200.0, "2025-06-01")
            card = self._card(customer)
            self.assertEqual(card.points, 300.0)
        with freeze_time("2025-07-01"):
            # Spending takes the oldest lot first.
            card._sh_adjust(-50, "Spent at the counter")
            lots = card.sh_lot_ids.sorted("expiry_date")
            self.assertEqual(lots.mapped("remaining"), [50.0, 200.0])
        with freeze_time("2025-12-15"):
            self._daily()
            customer.invalidate_recordset()
            self.assertEqual(customer.sh_loyalty_expiring_points, 50.0)
            self.assertEqual(str(customer.sh_loyalty_expiring_date), "2026-01-10")
            mails = self.env["mail.mail"].search(
                [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
            )
            self.assertEqual(len(mails), 1)
            self.assertIn("Points expiring soon: 50", " ".join(mails.body_html.split()))
            # Warned once per lot.
            self._daily()
            self.assertEqual(
                self.env["mail.mail"].search_count(
                    [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
                ),
                1,
            )
        with freeze_time("2026-01-10"):
            self._daily()
            self.assertEqual(card.points, 200.0)
            self.assertEqual(self._ledger(customer)[-1], ("expire", -50.0))
            # Expiring twice does nothing.
            self._daily()
            self.assertEqual(card.points, 200.0)
            self.assertEqual(self._ledger(customer).count(("expire", -50.0)), 1)
        with freeze_time("2026-06-01"):
            self._daily()
            self.assertEqual(card.points, 0.0)
            self.assertEqual(self._ledger(customer)[-1], ("expire", -200.0))
            self.assertEqual(sum(points for _reason, points in self._ledger(customer)), 0.0)

    def test_refund_takes_from_its_invoice_lot(self):
        customer = self._customer("Refund Lot")
        with freeze_time("2025-01-10"):
            self._invoice(customer, 100.0, "2025-01-10")
        with freeze_time("2025-06-01"):
            second = self._invoice(customer, 200.0, "2025-06-01")
            self._refund(second, 200.0, "2025-06-01")
            card = self._card(customer)
            lots = card.sh_lot_ids.sorted("expiry_date")
            self.assertEqual(lots.mapped("remaining"), [100.0, 0.0])

    def test_cron_runs_in_batches(self):
        customers = [self._customer(f"Batch {i}") for i in range(3)]
        with freeze_time("2025-01-10"):
            for customer in customers:
                self._invoice(customer, 100.0, "2025-01-10")
        with freeze_time("2026-01-10"):
            Card = self.env["loyalty.card"]
            Card.search([("program_id.sh_is_customer_program", "=", True)])
            Card._cron_sh_loyalty_daily(batch_size=2)
            Card._cron_sh_loyalty_daily(batch_size=2)
            Card._cron_sh_loyalty_daily(batch_size=10000)
            for customer in customers:
                self.assertEqual(self._points(customer), 0.0)
