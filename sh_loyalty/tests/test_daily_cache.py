from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestDailyCache(ShLoyaltyCommon):
    """The daily run writes with SQL and drops from the cache exactly what
    it wrote: the figures already read in the same transaction show the
    run's result at once, without clearing the whole cache."""

    def _run_daily(self):
        # What the scheduled action calls, with no cache cleared after it.
        self.env["ir.config_parameter"].set_param("sh_loyalty.daily_cursor", 0)
        self.env["loyalty.card"]._cron_sh_loyalty_daily()

    def test_warning_and_expiry_show_at_once(self):
        customer = self._customer("Cached Garage", email="cached@example.com")
        with freeze_time("2025-01-10"):
            self._invoice(customer, 500.0, "2025-01-10")
            card = self._card(customer)
            lot = card.sh_lot_ids
        with freeze_time("2025-12-15"):
            # Read, so that the cache holds them.
            self.assertFalse(lot.warned)
            self.assertEqual(card.points, 500.0)
            # 2026-01-10 is within the 30 days' warning period.
            self.assertEqual(customer.sh_loyalty_expiring_points, 500.0)
            self._run_daily()
            self.assertTrue(lot.warned)
            self.assertEqual(
                self.env["mail.mail"].search_count(
                    [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
                ),
                1,
            )
        with freeze_time("2026-01-10"):
            # 500 earned on 2025-01-10, valid 12 months.
            self.assertEqual(card.points, 500.0)
            self.assertEqual(lot.remaining, 500.0)
            self.assertEqual(customer.sh_loyalty_points, 500.0)
            self.assertEqual(customer.sh_loyalty_expiring_points, 500.0)
            self.assertEqual(str(customer.sh_loyalty_expiring_date), "2026-01-10")
            self.assertEqual(card.history_ids.mapped("used"), [0.0])
            # A contact of the customer shows the customer's movements too.
            driver = self._customer("Cached Driver", parent_id=customer.id)
            (customer | driver).read(["sh_loyalty_history_ids"])
            self._run_daily()
            # 500 - 500 expired = 0, everywhere it is shown.
            self.assertEqual(card.points, 0.0)
            self.assertEqual(lot.remaining, 0.0)
            self.assertEqual(customer.sh_loyalty_points, 0.0)
            self.assertEqual(customer.sh_loyalty_expiring_points, 0.0)
            self.assertFalse(customer.sh_loyalty_expiring_date)
            self.assertEqual(
                sorted(
                    customer.sh_loyalty_history_ids.mapped(lambda h: (h.sh_reason, h.sh_points))
                ),
                [("earn", 500.0), ("expire", -500.0)],
            )
            self.assertEqual(driver.sh_loyalty_history_ids, customer.sh_loyalty_history_ids)
            self.assertEqual(sorted(card.history_ids.mapped("used")), [0.0, 500.0])

    def test_downgrade_shows_at_once(self):
        customer = self._customer("Cached Fleet")
        with freeze_time("2025-01-10"):
            self._invoice(customer, 12000.0, "2025-01-10")
            card = self._card(customer)
        with freeze_time("2026-01-11"):
            # Read, so that the cache holds them.
            self.assertEqual(card.sh_tier_id, self.platinum)
            self.assertEqual(card.sh_qualifying_value, 12000.0)
            self.assertFalse(card.sh_downgrade_pending_since)
            self.assertEqual(customer.sh_loyalty_tier_id, self.platinum)
            self.assertEqual(customer.sh_loyalty_qualifying_value, 12000.0)
            # The sale has left the rolling 12 months: the grace period starts.
            self._run_daily()
            self.assertEqual(card.sh_qualifying_value, 0.0)
            self.assertEqual(customer.sh_loyalty_qualifying_value, 0.0)
            self.assertEqual(str(card.sh_downgrade_pending_since), "2026-01-11")
            self.assertEqual(card.sh_tier_id, self.platinum)
        with freeze_time("2026-02-10"):
            self.assertEqual(customer.sh_loyalty_tier_id, self.platinum)
            self.assertEqual(customer.sh_loyalty_next_tier_id, self.env["sh.loyalty.tier"])
            # 30 days' grace have passed: one level down.
            self._run_daily()
            self.assertEqual(card.sh_tier_id, self.gold)
            self.assertEqual(str(card.sh_tier_since), "2026-02-10")
            self.assertEqual(customer.sh_loyalty_tier_id, self.gold)
            self.assertEqual(customer.sh_loyalty_next_tier_id, self.platinum)
            # Platinum's 10000 - a qualifying value of 0.
            self.assertEqual(customer.sh_loyalty_amount_to_next, 10000.0)
