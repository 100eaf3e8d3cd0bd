"""Merging two customers with everything a customer has at once: invoices,
partial payments and their reconciliations, a credit note, loyalty cards of
one program with lots expiring on different dates, interactions, a task
and an activity. The totals a user reads are the same before and after."""

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sh_interactions.tests.common import ShInteractionsCommon
from odoo.addons.sh_loyalty.tests.common import ShLoyaltyCommon

MANAGER = "sh_customers.sh_customers_group_manager,account.group_account_invoice"


@tagged("post_install", "-at_install")
class TestMergeEverything(ShInteractionsCommon, ShLoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.merger = cls._company_user("merge_everything", MANAGER)
        company = cls.env.company
        cls.kept = cls._customer("Garage Al Amal", company_id=company.id)
        cls.dup = cls._customer("Al-Amal Garage", company_id=company.id)
        with freeze_time("2025-10-01"):
            # Kept: 1,000.00 + 15% = 1,150.00, 400.00 paid; 1,000 points
            # (Silver) expiring on 2026-10-01.
            invoice = cls._invoice(cls.kept, 1000.0, "2025-10-01", taxes=cls.tax_15)
            cls._pay(invoice, 400.0, "2025-10-05")
        with freeze_time("2026-02-10"):
            # Duplicate: 500.00 + 15% = 575.00, a credit note of 115.00
            # reconciled with it, 200.00 paid; 500 - 100 = 400 points
            # expiring on 2027-02-01.
            invoice = cls._invoice(cls.dup, 500.0, "2026-02-01", taxes=cls.tax_15)
            reversal = (
                cls.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"journal_id": invoice.journal_id.id, "date": "2026-02-03"})
            )
            reversal.refund_moves()
            refund = invoice.reversal_move_ids
            refund.invoice_line_ids.price_unit = 100.0
            refund.action_post()
            cls._pay(invoice, 200.0, "2026-02-10")
        cls._interaction(cls.dup, date="2026-02-15 10:00:00", nps_score="9")
        cls.task = cls.env["sh.customer.task"].create(
            {"name": "Collect the balance", "partner_id": cls.dup.id, "user_id": cls.sales_user.id}
        )
        cls.activity = cls.dup.activity_schedule(
            "mail.mail_activity_data_todo", summary="Send the price list"
        )

    def _totals(self, *partners):
        """What a user reads of the customers, added up."""
        self.env.invalidate_all()
        Move = self.env["account.move"]
        return {
            "debt": round(sum(self._credit(partner) for partner in partners), 2),
            "points": sum(self._card(partner).points for partner in partners),
            "lots": sorted(
                (str(lot.expiry_date), lot.remaining)
                for partner in partners
                for lot in self._card(partner).sh_lot_ids
            ),
            "invoices": Move.search_count(
                [
                    ("commercial_partner_id", "in", [p.id for p in partners]),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ]
            ),
            "credit_notes": Move.search_count(
                [
                    ("commercial_partner_id", "in", [p.id for p in partners]),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                ]
            ),
            "payments": self.env["account.payment"].search_count(
                [("partner_id", "in", [p.id for p in partners])]
            ),
            "interactions": self.env["sh.customer.interaction"].search_count(
                [("partner_id", "in", [p.id for p in partners])]
            ),
            "activities": self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", [p.id for p in partners])]
            ),
        }

    @freeze_time("2026-06-30")
    def test_everything_moves_and_adds_up(self):
        before = self._totals(self.kept, self.dup)
        # 1,150.00 - 400.00 + 575.00 - 115.00 - 200.00.
        self.assertEqual(before["debt"], 1010.0)
        self.assertEqual(before["points"], 1400.0)
        self.assertEqual(before["lots"], [("2026-10-01", 1000.0), ("2027-02-01", 400.0)])
        self.assertEqual(
            (before["invoices"], before["credit_notes"], before["payments"]), (2, 1, 2)
        )
        # The task's activity and the one scheduled.
        self.assertEqual((before["interactions"], before["activities"]), (1, 2))

        self.env["sh.customer.merge"].with_user(self.merger)._sh_merge(self.kept, self.dup)

        self.assertEqual(self._totals(self.kept), before)
        self.assertFalse(self.dup.active)
        self.kept.invalidate_recordset()
        self.assertEqual(self.kept.sh_debt, 1010.0)
        self.assertEqual(self.kept.sh_loyalty_points, 1400.0)
        self.assertEqual(self.kept.sh_loyalty_tier_id, self.silver)
        self.assertEqual(self.kept.sh_interaction_count, 1)
        self.assertEqual(self.kept.sh_open_task_count, 1)
        self.assertEqual(self.task.partner_id, self.kept)
        self.assertEqual(self.activity.res_id, self.kept.id)
