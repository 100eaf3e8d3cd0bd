from freezegun import freeze_time

from odoo.tests import tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestTiers(ShLoyaltyCommon):
    """Upgrade at once when a sale crosses a threshold; the review lowers a
    tier by one level at most, after the grace period."""

    def test_upgrade_at_once_and_logged(self):
        customer = self._customer("Workshop Upgrade", email="upgrade@example.com")
        self.program.sh_notify_tier_change = True
        with freeze_time("2026-03-01"):
            self._invoice(customer, 600.0, "2026-03-01")
            card = self._card(customer)
            self.assertEqual(card.sh_tier_id, self.bronze)
            self.assertEqual(card.sh_qualifying_value, 600.0)
            self.assertEqual(customer.sh_loyalty_next_tier_id, self.silver)
            self.assertEqual(customer.sh_loyalty_amount_to_next, 400.0)
            self.assertEqual(customer.sh_loyalty_tier_progress, 60.0)
            # The invoice that crosses the threshold earns at the old rate.
            invoice = self._invoice(customer, 5000.0, "2026-03-01")
            self.assertEqual(invoice.sh_loyalty_factor, 1.0)
            self.assertEqual(card.sh_tier_id, self.gold)
            self.assertEqual(str(card.sh_tier_since), "2026-03-01")
            customer.invalidate_recordset()
            self.assertEqual(customer.sh_loyalty_tier_id, self.gold)
            self.assertEqual(customer.sh_loyalty_amount_to_next, 4400.0)
            self.assertIn(
                "Loyalty tier upgraded from Bronze to Gold.",
                customer.message_ids.mapped("body")[0],
            )
            mail = self.env["mail.mail"].search(
                [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
            )
            self.assertEqual(len(mail), 1)
            self.assertIn("Gold", mail.subject)
            # The next invoice earns with the Gold multiplier.
            self.assertEqual(self._invoice(customer, 100.0, "2026-03-02").sh_loyalty_factor, 2.0)
            # The customers list filters and groups by tier.
            Partner = self.env["res.partner"]
            self.assertIn(customer, Partner.search([("sh_loyalty_tier_id", "=", self.gold.id)]))
            groups = Partner._read_group(
                [("id", "=", customer.id)], ["sh_loyalty_tier_id"], ["__count"]
            )
            self.assertEqual(groups, [(self.gold, 1)])
            # The tier KPI card of the customers list counts them.
            kpis = Partner.sh_get_customer_kpis([("id", "=", customer.id)])
            self.assertEqual(kpis["loyalty_members"], 1)
            self.assertEqual(kpis["loyalty_top_tiers"], 1)
            self.assertEqual(kpis["loyalty_top_tier_ids"], (self.gold | self.platinum).ids)
            self.assertEqual([tier["count"] for tier in kpis["loyalty_tiers"]], [0, 0, 1, 0])
            # Its card comes last, and a click filters on the two top tiers.
            card = kpis["cards"][-1]
            self.assertEqual(
                (card["key"], card["label"], card["value"], card["note"]),
                ("loyalty_top_tiers", "Top Tiers", 1, "Bronze 0 · Silver 0 · Gold 1 · Platinum 0"),
            )
            self.assertEqual(
                card["domain"], [("sh_loyalty_tier_id", "in", (self.gold | self.platinum).ids)]
            )
            self.assertEqual(card["description"], "Tier: Gold, Platinum")
            self.assertIn("loyalty tiers Gold, Platinum, out of 1 members", card["help"])
            self.assertEqual(Partner.search([("id", "=", customer.id)] + card["domain"]), customer)
            # Without a customers' program, no tier figures and no card.
            self.program.active = False
            kpis = Partner.sh_get_customer_kpis([("id", "=", customer.id)])
            self.assertNotIn("loyalty_tiers", kpis)
            self.assertNotIn("loyalty_top_tiers", [card["key"] for card in kpis["cards"]])

    def test_grace_then_one_level_down(self):
        customer = self._customer("Fleet Lapsing")
        with freeze_time("2025-01-10"):
            self._invoice(customer, 12000.0, "2025-01-10")
            card = self._card(customer)
            self.assertEqual(card.sh_tier_id, self.platinum)
        # A year later the sale leaves the rolling window.
        with freeze_time("2026-01-11"):
            self._daily()
            self.assertEqual(card.sh_qualifying_value, 0.0)
            self.assertEqual(card.sh_tier_id, self.platinum)
            self.assertEqual(str(card.sh_downgrade_pending_since), "2026-01-11")
        with freeze_time("2026-02-09"):
            self._daily()
            self.assertEqual(card.sh_tier_id, self.platinum)
        with freeze_time("2026-02-10"):
            self._daily()
            self.assertEqual(card.sh_tier_id, self.gold)
            self.assertEqual(str(card.sh_downgrade_pending_since), "2026-02-10")
            self.assertIn(
                "Loyalty tier lowered from Platinum to Gold.",
                customer.message_ids.mapped("body")[0],
            )
        with freeze_time("2026-02-20"):
            # A sale back above Gold's threshold ends the grace period.
            self._invoice(customer, 6000.0, "2026-02-20")
            self._daily()
            self.assertEqual(card.sh_tier_id, self.gold)
            self.assertFalse(card.sh_downgrade_pending_since)

    def test_review_upgrades_and_keeps(self):
        customer = self._customer("Retail Steady")
        with freeze_time("2026-01-05"):
            self._invoice(customer, 1500.0, "2026-01-05")
            card = self._card(customer)
            self.assertEqual(card.sh_tier_id, self.silver)
            self._daily()
            self.assertEqual(card.sh_tier_id, self.silver)
            self.assertFalse(card.sh_downgrade_pending_since)

    def test_points_basis(self):
        self.program.sh_tier_basis = "points"
        self.program.sh_points_per_unit = 0.5
        customer = self._customer("Points Qualifier")
        with freeze_time("2026-03-01"):
            self._invoice(customer, 1500.0, "2026-03-01")
            card = self._card(customer)
            self.assertEqual(card.points, 750.0)
            self.assertEqual(card.sh_qualifying_value, 750.0)
            self.assertEqual(card.sh_tier_id, self.bronze)
            self._invoice(customer, 500.0, "2026-03-01")
            self.assertEqual(card.sh_tier_id, self.silver)
