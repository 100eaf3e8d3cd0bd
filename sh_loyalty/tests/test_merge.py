"""Merging customers combines their cards of the customers' program into
one: the balance and the points owed added up, every earning lot kept with
its own expiry date, the history kept, the highest tier kept."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltyMerge(ShLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._company_user(
            "loyalty_merge_manager", "sh_customers.sh_customers_group_manager"
        )
        cls.sales = cls._sales_user("loyalty_merge_sales")
        company = cls.env.company
        cls.kept = cls._customer("Garage Al Amal", company_id=company.id)
        cls.dup = cls._customer("Al-Amal Garage", company_id=company.id)
        with freeze_time("2025-09-01"):
            cls._invoice(cls.kept, 100.0, "2025-09-01")
        with freeze_time("2026-02-01"):
            cls._invoice(cls.dup, 1200.0, "2026-02-01")
        with freeze_time("2026-03-01"):
            cls.env["loyalty.card"].search(
                [("partner_id", "=", cls.dup.id), ("program_id", "=", cls.program.id)]
            )._sh_adjust(-50, "Spent at the counter")

    def _lots(self, card):
        return sorted((str(lot.expiry_date), lot.points, lot.remaining) for lot in card.sh_lot_ids)

    @freeze_time("2026-06-30")
    def test_cards_combined_with_lots_history_and_tier(self):
        kept_card, dup_card = self._card(self.kept), self._card(self.dup)
        self.assertEqual((kept_card.points, dup_card.points), (100.0, 1150.0))
        self.assertEqual((kept_card.sh_tier_id, dup_card.sh_tier_id), (self.bronze, self.silver))
        ledger = self._ledger(self.kept) + self._ledger(self.dup)
        preview = (
            self.env["sh.customer.merge"]
            .with_user(self.manager)
            ._sh_merge_preview(self.kept, self.dup)
        )
        self.assertEqual(preview["totals"]["loyalty_points"], 1250.0)
        self.assertEqual(preview["totals"]["loyalty_lots"], 2)
        self.assertEqual(preview["totals"]["loyalty_history"], 3)

        self.env["sh.customer.merge"].with_user(self.manager)._sh_merge(self.kept, self.dup)

        self.env.invalidate_all()
        # 100 + 1200 - 50 on the kept customer's own card.
        self.assertEqual(self._card(self.kept), kept_card)
        self.assertEqual(kept_card.points, 1250.0)
        self.assertEqual(self.kept.sh_loyalty_points, 1250.0)
        self.assertEqual(
            self._lots(kept_card),
            [("2026-09-01", 100.0, 100.0), ("2027-02-01", 1200.0, 1150.0)],
        )
        self.assertEqual(sorted(self._ledger(self.kept)), sorted(ledger))
        self.assertEqual(kept_card.sh_tier_id, self.silver)
        self.assertEqual(self.kept.sh_loyalty_tier_id, self.silver)
        self.assertFalse(dup_card.active)
        self.assertEqual(dup_card.points, 0.0)
        self.assertFalse(dup_card.sh_lot_ids)
        log = self.kept.message_ids.filtered(lambda m: "merged these customers" in m.body)
        self.assertIn("Points Lots: 1", log.body)
        self.assertIn("Points Movements: 2", log.body)

        # Each lot still expires on its own date.
        with freeze_time("2026-09-02"):
            self._daily()
            self.assertEqual(kept_card.points, 1150.0)
            self.assertEqual(self._ledger(self.kept)[-1], ("expire", -100.0))

    @freeze_time("2026-06-30")
    def test_refused_merge_leaves_cards_alone(self):
        cards = self._card(self.kept) | self._card(self.dup)
        before = [(card.partner_id, card.points, card.active, self._lots(card)) for card in cards]
        with self.assertRaisesRegex(AccessError, "Only Customers managers may merge customers."):
            self.env["sh.customer.merge"].with_user(self.sales)._sh_merge(self.kept, self.dup)
        self.env.invalidate_all()
        after = [(card.partner_id, card.points, card.active, self._lots(card)) for card in cards]
        self.assertEqual(after, before)

    @freeze_time("2026-06-30")
    def test_card_of_the_merged_customer_only(self):
        """The kept customer has no card yet: the other's card becomes its."""
        newcomer = self._customer("Amal Newcomer", company_id=self.env.company.id)
        dup_card = self._card(self.dup)
        self.env["sh.customer.merge"].with_user(self.manager)._sh_merge(newcomer, self.dup)
        self.env.invalidate_all()
        self.assertEqual(self._card(newcomer), dup_card)
        self.assertEqual(newcomer.sh_loyalty_points, 1150.0)
        self.assertEqual(newcomer.sh_loyalty_tier_id, self.silver)
