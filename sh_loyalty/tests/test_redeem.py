import threading

from freezegun import freeze_time
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestRedeem(ShLoyaltyCommon):
    """Staff redeem rewards from the customer form; refusals say why and
    change nothing."""

    def _wizard(self, customer, reward=None):
        return (
            self.env["sh.loyalty.redeem.wizard"]
            .with_context(default_partner_id=customer.id)
            .create({"reward_id": (reward or self.reward).id})
        )

    def _snapshot(self, customer):
        card = self._card(customer)
        card.invalidate_recordset()
        return (
            card.points,
            len(card.history_ids),
            sorted(card.sh_lot_ids.mapped("remaining")),
            self.env["loyalty.card"].search_count([("partner_id", "=", customer.id)]),
        )

    def test_redeem_gives_a_coupon_usable_in_sales(self):
        customer = self._customer("Redeeming Garage")
        self._invoice(customer, 80.0, "2026-01-10")
        self._invoice(customer, 70.0, "2026-02-10")
        wizard = self._wizard(customer)
        self.assertEqual(wizard.points, 150.0)
        wizard.action_redeem()
        self.assertEqual(wizard.state, "done")
        coupon = wizard.coupon_id
        self.assertTrue(wizard.coupon_code)
        self.assertEqual(coupon.partner_id, customer)
        self.assertEqual(coupon.points, 1.0)
        self.assertEqual(str(coupon.expiration_date), "2026-06-13")
        coupon_program = coupon.program_id
        self.assertEqual(coupon_program.program_type, "coupons")
        self.assertEqual(coupon_program.trigger, "with_code")
        self.assertEqual(coupon_program.reward_ids.required_points, 1.0)
        self.assertEqual(coupon_program.reward_ids.discount, 10.0)
        self.assertEqual(self._points(customer), 50.0)
        self.assertEqual(self._ledger(customer)[-1], ("redeem", -100.0))
        line = self._card(customer).history_ids[:1]
        self.assertIn(coupon.code, line.description)
        # Oldest points spent first.
        self.assertEqual(
            self._card(customer).sh_lot_ids.sorted("expiry_date").mapped("remaining"), [0.0, 50.0]
        )
        # A second redemption reuses the reward's coupon program.
        self._invoice(customer, 100.0, "2026-03-01")
        self._wizard(customer).action_redeem()
        self.assertEqual(len(self.reward.sh_coupon_program_id.coupon_ids), 2)

    def test_refused_without_enough_points(self):
        customer = self._customer("Short Garage")
        self._invoice(customer, 60.0, "2026-01-10")
        before = self._snapshot(customer)
        with self.assertRaisesRegex(UserError, "Short Garage has 60.0 points; 10% off needs 100.0"):
            self._wizard(customer).action_redeem()
        self.assertEqual(self._snapshot(customer), before)

    def test_refused_for_expired_reward(self):
        customer = self._customer("Late Garage")
        self._invoice(customer, 500.0, "2026-01-10")
        self.reward.sh_date_to = "2026-03-14"
        before = self._snapshot(customer)
        with self.assertRaisesRegex(UserError, "could be redeemed until 2026-03-14 only"):
            self._wizard(customer).action_redeem()
        self.assertEqual(self._snapshot(customer), before)

    def test_refused_for_archived_customer(self):
        customer = self._customer("Archived Garage")
        self._invoice(customer, 500.0, "2026-01-10")
        customer.action_archive()
        before = self._snapshot(customer)
        with self.assertRaisesRegex(UserError, "archived customers cannot redeem"):
            self._card(customer)._sh_redeem(self.reward)
        self.assertEqual(self._snapshot(customer), before)


@tagged("post_install", "-at_install")
class TestConcurrentRedeem(TransactionCase):
    """Two redemptions at the same moment, in two transactions, never spend
    the same points."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            program = env.ref("sh_loyalty.loyalty_program_sh_customers")
            partner = env["res.partner"].create({"name": "SH Concurrent Garage"})
            reward = env["loyalty.reward"].create(
                {
                    "program_id": program.id,
                    "reward_type": "discount",
                    "discount": 5,
                    "required_points": 100,
                    "description": "SH concurrent reward",
                }
            )
            card = env["loyalty.card"]._sh_get_cards({program: partner})[(program.id, partner.id)]
            card._sh_adjust(150, "Opening balance")
            reward._sh_get_coupon_program()
            cr.commit()  # pylint: disable=invalid-commit
        self.ids = {"partner": partner.id, "reward": reward.id, "card": card.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            partner = env["res.partner"].browse(self.ids["partner"])
            reward = env["loyalty.reward"].browse(self.ids["reward"])
            coupon_program = reward.sh_coupon_program_id
            env["loyalty.card"].search([("partner_id", "=", partner.id)]).unlink()
            reward.unlink()
            if coupon_program:
                coupon_program.action_archive()
                coupon_program.unlink()
            partner.unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_concurrent_redemptions_spend_once(self):
        barrier = threading.Barrier(2)
        results = []
        # One environment (and transaction) per thread, opened here as
        # Odoo's own concurrency tests do.
        envs = [api.Environment(self.registry.cursor(), SUPERUSER_ID, {}) for _i in range(2)]
        for env in envs:
            self.addCleanup(env.cr.close)

        def redeem(env):
            card = env["loyalty.card"].browse(self.ids["card"])
            reward = env["loyalty.reward"].browse(self.ids["reward"])
            # Both transactions see 150 points before either redeems.
            results.append(("seen", card.points))
            barrier.wait(timeout=10)
            # Retried on a serialization failure, as Odoo retries a request.
            for _attempt in range(3):
                try:
                    coupon = card._sh_redeem(reward)
                    env.cr.commit()
                    results.append(("coupon", coupon.code))
                except SerializationFailure:
                    env.cr.rollback()
                    env.invalidate_all()
                    results.append(("retried", None))
                    continue
                except UserError as error:
                    env.cr.rollback()
                    results.append(("refused", str(error)))
                break

        threads = [threading.Thread(target=redeem, args=(env,)) for env in envs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        kinds = sorted(kind for kind, _value in results if kind != "retried")
        self.assertEqual(kinds, ["coupon", "refused", "seen", "seen"])
        self.assertEqual([value for kind, value in results if kind == "seen"], [150.0, 150.0])
        refusal = next(value for kind, value in results if kind == "refused")
        self.assertIn("has 50.0 points", refusal)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(self.ids["card"])
            self.assertEqual(card.points, 50.0)
            self.assertEqual(card.history_ids.mapped("sh_reason").count("redeem"), 1)
            self.assertEqual(sum(card.sh_lot_ids.mapped("remaining")), 50.0)
            self.assertEqual(
                env["loyalty.card"].search_count(
                    [
                        ("partner_id", "=", self.ids["partner"]),
                        ("program_id.program_type", "=", "coupons"),
                    ]
                ),
                1,
            )
