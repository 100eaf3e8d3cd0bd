from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.sh_customers.tests.api_common import ShApiCase

from .common import ShLoyaltyCommon

TODAY = "2026-04-01"
USER = "sh_customers.sh_customers_group_user"
MANAGER = "sh_loyalty.sh_loyalty_group_manager"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLoyaltyApi(ShLoyaltyCommon, HttpCase, ShApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            # 800 points earned on 2026-03-01, valid twelve months.
            cls.alice = cls._customer("Alice Garage")
            cls._invoice(cls.alice, 800.0, "2026-03-01")
            cls.bob = cls._customer("Bob Workshop")
            cls._invoice(cls.bob, 50.0, "2026-03-10")
            cls.newcomer = cls._customer("Newcomer")
            cls.company_b = cls.setup_other_company(name="Branch B")["company"]
            cls.dave = cls._customer("Dave of B", company_id=cls.company_b.id)
        cls.manager, cls.manager_key = cls._api_user("api_loyalty_manager", MANAGER)
        cls.clerk, cls.clerk_key = cls._api_user("api_loyalty_clerk", USER)

    def _state(self, partner):
        """What a refused request must leave as it was: the balance, the
        movements, the coupons and the remembered idempotency keys."""
        self.env.invalidate_all()
        card = self._card(partner)
        return (
            card.points,
            len(card.history_ids),
            self.env["loyalty.card"].search_count(
                [("partner_id", "=", partner.id), ("program_id.program_type", "=", "coupons")]
            ),
            self.env["sh.api.idempotency"].sudo().search_count([]),
        )

    def test_loyalty(self):
        status, answer = self.api(f"/api/customers/{self.alice.id}/loyalty/", self.clerk_key)
        self.assertEqual(status, 200)
        self.assertEqual(answer["customer_id"], self.alice.id)
        self.assertTrue(answer["member"])
        self.assertEqual(answer["program"], {"id": self.program.id, "name": "SH Test Rewards"})
        self.assertEqual(answer["tier"], {"id": self.bronze.id, "name": "Bronze"})
        self.assertEqual(answer["balance"], 800.0)
        # Nothing expires within the 30 days' warning; the lot expires in a year.
        self.assertEqual(answer["expiring_points"], 0.0)
        self.assertEqual(answer["next_expiry_date"], "2027-03-01")
        self.assertEqual(
            answer["next_tier"], {"id": self.silver.id, "name": "Silver", "threshold": 1000.0}
        )
        self.assertEqual(answer["amount_to_next_tier"], 200.0)
        self.assertEqual(
            [(m["reason"], m["points"], m["date"]) for m in answer["recent_movements"]],
            [("earn", 800.0, "2026-03-01")],
        )
        # The customer summary carries the tier and the balance.
        # The tier is a key (the tier's id, as above), its name beside it.
        status, answer = self.api(f"/api/customers/{self.alice.id}/", self.clerk_key)
        self.assertEqual(
            (answer["tier"], answer["tier_label"], answer["points"]),
            (self.bronze.id, "Bronze", 800.0),
        )
        status, answer = self.api(f"/api/customers/{self.newcomer.id}/loyalty/", self.clerk_key)
        self.assertEqual((status, answer["member"], answer["balance"]), (200, False, 0.0))
        status, answer = self.api(f"/api/customers/{self.newcomer.id}/", self.clerk_key)
        self.assertEqual(
            (answer["tier"], answer["tier_label"], answer["points"]), (None, None, None)
        )
        self.assertApiError(404, f"/api/customers/{self.dave.id}/loyalty/", self.clerk_key)

    def test_add_points(self):
        path = f"/api/customers/{self.alice.id}/add_points/"
        status, answer = self.api(
            path, self.manager_key, method="POST", body={"points": 50, "reason": "Goodwill"}
        )
        self.assertEqual(status, 201, answer)
        self.assertEqual((answer["points"], answer["balance"]), (50, 850.0))
        self.assertEqual(answer["movement"]["reason"], "adjust")
        self.assertEqual(answer["movement"]["description"], "Goodwill")
        self.assertEqual(self._points(self.alice), 850.0)
        self.assertEqual(self._ledger(self.alice)[-1], ("adjust", 50.0))
        # A newcomer gets a card with the adjustment.
        status, answer = self.api(
            f"/api/customers/{self.newcomer.id}/add_points/",
            self.manager_key,
            method="POST",
            body={"points": 20, "reason": "Welcome"},
        )
        self.assertEqual((status, answer["balance"]), (201, 20.0))

    def test_add_points_refusals_change_nothing(self):
        path = f"/api/customers/{self.alice.id}/add_points/"
        before = self._state(self.alice)
        refusals = [
            (403, self.clerk_key, {"points": 50, "reason": "Not mine to give"}),
            (409, self.manager_key, {"points": -801, "reason": "Too many"}),
            (400, self.manager_key, {"points": "50", "reason": "A string"}),
            (400, self.manager_key, {"points": 5.5, "reason": "A fraction"}),
            (400, self.manager_key, {"points": 50, "reason": "x", "note": "unknown"}),
            (422, self.manager_key, {"points": 0, "reason": "Nothing"}),
            (422, self.manager_key, {"points": 50}),
            (422, self.manager_key, {"points": 50, "reason": "   "}),
            # Beyond the database's integers
            (422, self.manager_key, {"points": 2**31, "reason": "Too many"}),
            (422, self.manager_key, {"points": -34141418847, "reason": "Too few"}),
            # A NUL or another control character in the text
            (422, self.manager_key, {"points": 5, "reason": "Good\x00will"}),
            (422, self.manager_key, {"points": 5, "reason": "Good\x1bwill"}),
            (422, self.manager_key, {"points": 5, "reason": "x" * 1001}),
        ]
        for status, key, body in refusals:
            message = self.assertApiError(status, path, key, method="POST", body=body)
            self.assertEqual(self._state(self.alice), before, (status, body, message))
        message = self.assertApiError(
            409, path, self.manager_key, method="POST", body={"points": -801, "reason": "x"}
        )
        self.assertIn("800", message)
        self.assertApiError(400, path, self.manager_key, method="POST", raw="[1, 2]")
        self.assertApiError(400, path, self.manager_key, method="POST", raw="{'points': 1}")
        self.assertApiError(400, path, self.manager_key, method="POST", raw=b"\xff\xfe")
        self.assertApiError(400, path, self.manager_key, method="POST", raw='{"points": NaN}')
        self.assertApiError(400, path, self.manager_key, method="POST", raw="[" * 100000)
        # A lone surrogate cannot be written as UTF-8.
        raw = '{"points": 5, "reason": "\\ud800"}'
        self.assertApiError(422, path, self.manager_key, method="POST", raw=raw)
        # A NUL in the Idempotency-Key header
        self.assertApiError(
            422,
            path,
            self.manager_key,
            method="POST",
            body={"points": 5, "reason": "Keyed"},
            headers={"Idempotency-Key": "key\x00one"},
        )
        self.assertEqual(self._state(self.alice), before)

    def test_add_points_idempotent(self):
        path = f"/api/customers/{self.alice.id}/add_points/"
        body = {"points": 30, "reason": "Retry me"}
        headers = {"Idempotency-Key": "adjust-alice-1"}
        first = self.api(path, self.manager_key, method="POST", body=body, headers=headers)
        second = self.api(path, self.manager_key, method="POST", body=body, headers=headers)
        self.assertEqual(first, (201, second[1]))
        self.assertEqual(second[0], 201)
        self.assertEqual(self._last_response.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self._points(self.alice), 830.0)
        self.assertEqual([reason for reason, _p in self._ledger(self.alice)].count("adjust"), 1)
        # The same key with another body is a conflict and changes nothing.
        before = self._state(self.alice)
        message = self.assertApiError(
            409,
            path,
            self.manager_key,
            method="POST",
            body={"points": 31, "reason": "Retry me"},
            headers=headers,
        )
        self.assertIn("Idempotency-Key", message)
        self.assertEqual(self._state(self.alice), before)
        # So is the same key on another route.
        self.assertApiError(
            409,
            f"/api/customers/{self.alice.id}/redeem_reward/",
            self.manager_key,
            method="POST",
            body={"reward_id": self.reward.id},
            headers=headers,
        )
        self.assertEqual(self._state(self.alice), before)
        # Another user's key of the same name is theirs alone.
        other_key = self._api_user("api_loyalty_manager_2", MANAGER)[1]
        status, answer = self.api(path, other_key, method="POST", body=body, headers=headers)
        self.assertEqual((status, answer["balance"]), (201, 860.0))
        # A refused request is not remembered: once possible, it applies.
        headers = {"Idempotency-Key": "remove-alice"}
        body = {"points": -900, "reason": "Fraud"}
        self.assertApiError(409, path, self.manager_key, method="POST", body=body, headers=headers)
        self.assertApiError(409, path, self.manager_key, method="POST", body=body, headers=headers)
        self.api(path, self.manager_key, method="POST", body={"points": 40, "reason": "x"})
        status, answer = self.api(path, self.manager_key, method="POST", body=body, headers=headers)
        self.assertEqual((status, answer["balance"]), (201, 0.0))
        self.assertApiError(
            422,
            path,
            self.manager_key,
            method="POST",
            body=body,
            headers={"Idempotency-Key": "x" * 300},
        )

    def test_redeem_reward(self):
        path = f"/api/customers/{self.alice.id}/redeem_reward/"
        status, answer = self.api(
            path, self.clerk_key, method="POST", body={"reward_id": self.reward.id}
        )
        self.assertEqual(status, 201, answer)
        coupon = self.env["loyalty.card"].search(
            [("partner_id", "=", self.alice.id), ("program_id.program_type", "=", "coupons")]
        )
        self.assertEqual(len(coupon), 1)
        self.assertEqual(
            answer,
            {
                "customer_id": self.alice.id,
                "reward": {"id": self.reward.id, "name": "10% off"},
                "coupon": {
                    "id": coupon.id,
                    "code": coupon.code,
                    "expiration_date": str(coupon.expiration_date),
                },
                "points_spent": 100.0,
                "balance": 700.0,
            },
        )
        self.assertEqual(self._points(self.alice), 700.0)
        self.assertEqual(self._ledger(self.alice)[-1], ("redeem", -100.0))

    def test_redeem_refusals_change_nothing(self):
        other_program = self._program(self.company_b, name="Branch B Rewards")
        bob_path = f"/api/customers/{self.bob.id}/redeem_reward/"
        before = self._state(self.bob)
        message = self.assertApiError(
            409, bob_path, self.clerk_key, method="POST", body={"reward_id": self.reward.id}
        )
        self.assertIn("50.0", message)
        for status, body in (
            (422, {"reward_id": other_program.reward_ids.id}),
            (422, {"reward_id": 999999}),
            (422, {"reward_id": 34141418847}),
            (422, {"reward_id": 2**31}),
            (422, {}),
            (400, {"reward_id": "abc"}),
            (400, {"reward_id": True}),
            (400, {"reward_id": [1]}),
        ):
            self.assertApiError(status, bob_path, self.clerk_key, method="POST", body=body)
            self.assertEqual(self._state(self.bob), before, body)
        # Not a member: nothing to redeem from.
        self.assertApiError(
            422,
            f"/api/customers/{self.newcomer.id}/redeem_reward/",
            self.clerk_key,
            method="POST",
            body={"reward_id": self.reward.id},
        )
        self.assertApiError(
            404,
            f"/api/customers/{self.dave.id}/redeem_reward/",
            self.clerk_key,
            method="POST",
            body={"reward_id": self.reward.id},
        )

    def test_redeem_idempotent(self):
        path = f"/api/customers/{self.alice.id}/redeem_reward/"
        headers = {"Idempotency-Key": "redeem-alice"}
        body = {"reward_id": self.reward.id}
        first = self.api(path, self.clerk_key, method="POST", body=body, headers=headers)
        second = self.api(path, self.clerk_key, method="POST", body=body, headers=headers)
        self.assertEqual(first, second)
        self.assertEqual(self._points(self.alice), 700.0)
        self.assertEqual(
            self.env["loyalty.card"].search_count(
                [("partner_id", "=", self.alice.id), ("program_id.program_type", "=", "coupons")]
            ),
            1,
        )

    def test_routes_answer_as_documented(self):
        walked = self.walk_openapi(
            self.manager_key,
            self.alice.id,
            bodies={
                "/api/customers/{id}/add_points/": {"points": 5, "reason": "Documented"},
                "/api/customers/{id}/redeem_reward/": {"reward_id": self.reward.id},
            },
            paths=[
                "/api/customers/{id}/loyalty/",
                "/api/customers/{id}/add_points/",
                "/api/customers/{id}/redeem_reward/",
            ],
        )
        self.assertEqual(len(walked), 3)
