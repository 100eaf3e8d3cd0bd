from collections import Counter

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestLoyaltyDemo(TransactionCase):
    """The program of the demo database reads like a program that has run
    for a while: points expired lot by lot on their own dates, not all on
    the day the demo was installed. Unlike other tests these read the demo
    data, since the demo data is what they test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env.ref("sh_loyalty.loyalty_program_sh_customers")
        cls.History = cls.env["loyalty.history"]
        cls.expiries = cls.History.search(
            [("sh_program_id", "=", cls.program.id), ("sh_reason", "=", "expire")]
        )

    def test_points_expire_on_their_own_dates(self):
        self.assertGreater(len(self.expiries), 50)
        days = Counter(self.expiries.mapped("sh_date"))
        # Spread over the past year, no day holding more than a few.
        self.assertGreater(len(days), 100)
        self.assertLessEqual(max(days.values()), len(self.expiries) / 20)
        # Each expiry is dated the day its points fell due: a lot of the
        # customer's card expires on that date.
        lots = self.env["sh.loyalty.lot"].search(
            [("card_id", "in", self.expiries.card_id.ids), ("expiry_date", "!=", False)]
        )
        due = {(lot.card_id.id, lot.expiry_date) for lot in lots}
        for line in self.expiries:
            self.assertIn((line.card_id.id, line.sh_date), due, line.sh_partner_id.name)
        # Nothing left open past its expiry.
        last_run = max(days)
        self.assertFalse(lots.filtered(lambda lot: lot.expiry_date <= last_run and lot.remaining))

    def test_ledger_first_page_is_daily_activity(self):
        """The ledger's first page (its 80 latest lines) is not a wall of
        one day's expiries: sales earning points, credit notes taking them
        back, and points of a year ago expiring over many days."""
        action = self.env.ref("sh_loyalty.loyalty_history_action_sh_loyalty")
        first_page = self.History.search(safe_eval(action.domain), limit=80)
        reasons = Counter(first_page.mapped("sh_reason"))
        self.assertGreaterEqual(reasons["earn"], 20)
        self.assertLess(reasons["expire"], 60)
        expiry_days = set(
            first_page.filtered(lambda line: line.sh_reason == "expire").mapped("sh_date")
        )
        self.assertGreater(len(expiry_days), 10)

    def test_tiers_follow_todays_sales_without_past_moves(self):
        """Every member has a tier, set once: no tier change on a past day
        that the customer never had."""
        cards = self.env["loyalty.card"].search([("program_id", "=", self.program.id)])
        members = cards.filtered(lambda card: card.partner_id.customer_rank)
        self.assertTrue(members)
        self.assertTrue(all(members.mapped("sh_tier_id")))
        tiers = self.program.sh_tier_ids
        self.assertTrue(all(tiers.mapped("active")))
        messages = self.env["mail.message"].search_count(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", members.partner_id.ids),
                ("body", "ilike", "Loyalty tier"),
            ]
        )
        self.assertEqual(messages, len(members))
