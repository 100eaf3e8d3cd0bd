from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestTierRule(ShLoyaltyCommon):
    """One rule gives the tier of a qualifying value, for a new card, after
    a sale and in the review: the highest active tier whose threshold the
    value reaches; below every threshold, the lowest active tier."""

    def test_tier_for_values(self):
        program = self.program
        for value, tier in (
            (-50.0, self.bronze),
            (0.0, self.bronze),
            (999.99, self.bronze),
            (1000.0, self.silver),
            (4999.99, self.silver),
            (5000.0, self.gold),
            (12000.0, self.platinum),
        ):
            with self.subTest(value=value):
                self.assertEqual(program._sh_tier_for_value(value), tier)
        # An archived tier is skipped: 6,000.00 falls back to Silver.
        self.gold.active = False
        self.assertEqual(program._sh_tier_for_value(6000.0), self.silver)
        # Below the lowest threshold, the lowest tier all the same.
        self.bronze.threshold = 100.0
        self.assertEqual(program._sh_tier_for_value(0.0), self.bronze)

    def test_net_sales_below_every_threshold_lower_the_tier(self):
        """A credit note larger than the year's sales leaves negative net
        sales: the tier goes down one level after the grace period, as for
        any value below the tier's threshold."""
        customer = self._customer("Fleet Returning")
        with freeze_time("2025-01-10"):
            invoice = self._invoice(customer, 12000.0, "2025-01-10")
            card = self._card(customer)
            self.assertEqual(card.sh_tier_id, self.platinum)
        with freeze_time("2026-01-05"):
            self._refund(invoice, 3000.0, "2026-01-05")
        # The invoice has left the rolling 12 months; the credit note has not.
        with freeze_time("2026-01-11"):
            self._daily()
            self.assertEqual(card.sh_qualifying_value, -3000.0)
            self.assertEqual(card.sh_tier_id, self.platinum)
            self.assertEqual(str(card.sh_downgrade_pending_since), "2026-01-11")
        with freeze_time("2026-02-10"):
            self._daily()
            self.assertEqual(card.sh_tier_id, self.gold)
            self.assertEqual(str(card.sh_downgrade_pending_since), "2026-02-10")
