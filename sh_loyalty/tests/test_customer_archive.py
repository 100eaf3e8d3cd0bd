from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import format_amount

from .common import ShLoyaltyCommon

MANAGER_GROUPS = "sh_customers.sh_customers_group_manager,account.group_account_invoice"


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestCustomerArchivePoints(ShLoyaltyCommon):
    """Unused points, like open debt, need a Customers manager's confirmation
    before a customer is archived; the card keeps them while the customer is
    archived and the restored customer finds them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 500.00 bought and paid on 1 April: 500 points.
        cls.holder = cls._customer("Points Holder")
        cls._pay(cls._invoice(cls.holder, 500.0, "2026-04-01"), date="2026-04-02")
        # 200.00 + 15% tax owed since 1 April: 230.00 of debt and 200 points.
        cls.debtor = cls._customer("Points Debtor")
        cls._invoice(cls.debtor, 200.0, "2026-04-01", taxes=cls.tax_15)
        cls.customers = cls.holder | cls.debtor
        cls.sales_user = cls._sales_user("sh_archive_points_sales")
        cls.manager = cls._company_user("sh_archive_points_manager", MANAGER_GROUPS)

    def _wizard(self, user, partners, **vals):
        return (
            self.env["sh.customer.archive.wizard"]
            .with_user(user)
            .create({"partner_ids": [Command.set(partners.ids)], **vals})
        )

    def _snapshot(self):
        self.env.invalidate_all()
        cards = (
            self.env["loyalty.card"]
            .with_context(active_test=False)
            .search([("partner_id", "in", self.customers.ids)], order="id")
        )
        return (
            [(partner.active, partner.sh_archive_reason) for partner in self.customers],
            [(card.id, card.active, card.points, len(card.history_ids)) for card in cards],
        )

    def _amount(self, amount):
        return format_amount(self.env, amount, self.env.company.currency_id)

    def test_points_need_confirmation(self):
        before = self._snapshot()
        self.assertEqual((self._points(self.holder), self._points(self.debtor)), (500.0, 200.0))
        wizard = self._wizard(self.manager, self.customers, reason="moved")
        self.assertTrue(wizard.has_blockers)
        with self.assertRaises(UserError) as refusal:
            wizard.action_sh_archive()
        self.assertEqual(
            str(refusal.exception),
            "These customers still owe money or hold points:\n"
            f"Points Debtor: Open debt {self._amount(230.0)}, Unused points 200\n"
            "Points Holder: Unused points 500\n"
            f"Total: Open debt {self._amount(230.0)}, Unused points 700\n"
            'Tick "Archive anyway" to archive them nonetheless.',
        )
        self.assertEqual(self._snapshot(), before)

    def test_customers_user_may_not_confirm_points(self):
        before = self._snapshot()
        wizard = self._wizard(self.sales_user, self.holder, reason="moved", confirm_blockers=True)
        self.assertIn("Unused points: 500", wizard.blocker_summary)
        with self.assertRaises(AccessError) as refusal:
            wizard.action_sh_archive()
        self.assertEqual(
            str(refusal.exception),
            "Only Customers managers may archive customers who owe money or hold points:\n"
            "Points Holder: Unused points 500\n"
            "Total: Unused points 500",
        )
        self.assertEqual(self._snapshot(), before)

    def test_archive_and_restore_keep_the_card_and_points(self):
        """Archived with the manager's confirmation, the customer's card stays
        active with its 500 points and tier; restored, the customer has the
        same card, points, movements and tier."""
        card = self._card(self.holder)
        tier = self.holder.sh_loyalty_tier_id
        self.assertEqual(tier, self.bronze)
        Dashboard = self.env["sh.customer.dashboard"].with_user(self.manager)

        def open_points():
            cards = Dashboard.get_dashboard_data()["cards"]
            return {card["key"]: card["value"] for card in cards}["points_liability"]

        before = self._snapshot()
        points_before = open_points()
        self._wizard(
            self.manager, self.holder, reason="moved", confirm_blockers=True
        ).action_sh_archive()
        self.assertFalse(self.holder.active)
        self.assertTrue(card.active)
        self.assertEqual(card.points, 500.0)
        # Archived, the customer's points leave the dashboard's open points.
        self.assertEqual(points_before - open_points(), 500.0)
        self.holder.with_user(self.sales_user).action_unarchive()
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(open_points(), points_before)
        self.assertEqual(self._card(self.holder), card)
        self.assertEqual(self.holder.sh_loyalty_points, 500.0)
        self.assertEqual(self.holder.sh_loyalty_tier_id, tier)

    def test_suggestions_leave_out_points(self):
        """With 60 days, the three customers (last bought 90 days ago) are
        old enough: the holder keeps 500 points, the debtor owes 230.00, and
        the customer who spent their 100 points on a reward is suggested."""
        spender = self._customer("Points Spender")
        self._pay(self._invoice(spender, 100.0, "2026-04-01"), date="2026-04-02")
        self.env["sh.loyalty.redeem.wizard"].with_context(default_partner_id=spender.id).create(
            {"reward_id": self.reward.id}
        ).action_redeem()
        self.assertEqual(self._points(spender), 0.0)
        Partner = self.env["res.partner"].with_user(self.sales_user)
        domain = [
            ("id", "in", (self.customers | spender).ids),
            ("sh_archive_suggested", "=", True),
        ]
        self.assertEqual(Partner.search(domain), self.env["res.partner"])
        self.env.company.sh_archive_suggest_days = 60
        self.assertEqual(Partner.search(domain), spender)

    def test_points_in_another_company(self):
        """Points held in another company's program count too: a manager
        who works there sees how many, one who does not only that some are
        held; a customer holding them is not suggested for archiving."""
        company_b = self._second_company(name="Points Company B")
        self._program(company_b)
        abroad = self._customer("Points Abroad")
        # Bought here 50.00 in January 2025: its 50 points expired after 12
        # months, and 300.00 in company B in January 2026: 300 points there.
        self._pay(self._invoice(abroad, 50.0, "2025-01-10"), date="2025-01-11")
        self._pay(self._invoice(abroad, 300.0, "2026-01-10", company=company_b))
        self._daily()
        self.assertEqual(self._points(abroad), 0.0)
        cards_b = self.env["loyalty.card"].search(
            [("partner_id", "=", abroad.id), ("program_id.company_id", "=", company_b.id)]
        )
        self.assertEqual(cards_b.points, 300.0)
        both = new_test_user(
            self.env,
            login="sh_archive_points_both",
            groups=MANAGER_GROUPS,
            company_id=self.env.company.id,
            company_ids=[Command.set((self.env.company | company_b).ids)],
        )
        for user, line in (
            (self.manager, "Unused points in another company (amount hidden)"),
            (both, "Unused points in Points Company B 300"),
        ):
            wizard = self._wizard(user, abroad, reason="moved")
            with self.assertRaises(UserError) as refusal:
                wizard.action_sh_archive()
            self.assertEqual(
                str(refusal.exception),
                "These customers still owe money or hold points:\n"
                f"Points Abroad: {line}\n"
                f"Total: {line}\n"
                'Tick "Archive anyway" to archive them nonetheless.',
            )
        self.assertTrue(abroad.active)
        # Last bought here 536 days ago, owes nothing, no points here: only
        # the points in company B keep it out of the suggestions.
        self.assertEqual(abroad.sh_last_purchase_date.isoformat(), "2025-01-10")
        self.assertEqual(self._credit(abroad), 0.0)
        self.assertFalse(abroad.sh_archive_suggested)
