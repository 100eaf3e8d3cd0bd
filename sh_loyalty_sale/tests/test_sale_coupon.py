from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.sh_loyalty.tests.common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-15")
class TestSaleCoupon(ShLoyaltyCommon):
    """The coupon a customer receives for points is applied to a sales
    order with Sales' own Coupon Code button, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Coupon Garage")
        cls._invoice(cls.customer, 150.0, "2026-01-10")

    def _order(self, customer=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (customer or self.customer).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 3,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _apply_code(self, order, code):
        """What the salesperson does: Coupon Code, type the code, then pick
        the reward it offers."""
        action = (
            self.env["sale.loyalty.coupon.wizard"]
            .create({"order_id": order.id, "coupon_code": code})
            .action_apply()
        )
        chooser = (
            self.env["sale.loyalty.reward.wizard"]
            .with_context(**action["context"])
            .create({"order_id": order.id})
        )
        # The coupon's reward only: the customer's points are not offered
        # in Sales, they are spent by redeeming.
        self.assertEqual(len(chooser.reward_ids), 1)
        chooser.selected_reward_id = chooser.reward_ids
        chooser.action_apply()

    def _redeem(self, reward=None):
        wizard = (
            self.env["sh.loyalty.redeem.wizard"]
            .with_context(default_partner_id=self.customer.id)
            .create({"reward_id": (reward or self.reward).id})
        )
        wizard.action_redeem()
        return wizard.coupon_code

    def test_redeemed_coupon_discounts_an_order_once(self):
        code = self._redeem()
        self.assertEqual(self._points(self.customer), 50.0)

        order = self._order()
        self._apply_code(order, code)
        # 10% off the untaxed 300.00 of the order: 30.00.
        discount = order.order_line.filtered("reward_id")
        self.assertEqual(discount.reward_id.program_id, self.reward.sh_coupon_program_id)
        self.assertEqual(discount.price_subtotal, -30.0)
        self.assertEqual(order.amount_untaxed, 270.0)
        order.action_confirm()
        coupon = self.env["loyalty.card"].search([("code", "=", code)])
        self.assertEqual(coupon.points, 0.0)
        self.assertEqual(order.amount_untaxed, 270.0)

        # The same code again, on a new order: refused, the order unchanged.
        second = self._order()
        with self.assertRaisesRegex(ValidationError, "This coupon has already been used."):
            self.env["sale.loyalty.coupon.wizard"].create(
                {"order_id": second.id, "coupon_code": code}
            ).action_apply()
        self.assertFalse(second.order_line.filtered("reward_id"))
        self.assertEqual(second.amount_untaxed, 300.0)
        # The points were spent once, by the redemption.
        self.assertEqual(self._points(self.customer), 50.0)

    def test_redeemed_free_product_coupon(self):
        wipers = self._create_product(name="Wiper Blades", lst_price=25.0)
        reward = self.env["loyalty.reward"].create(
            {
                "program_id": self.program.id,
                "reward_type": "product",
                "reward_product_id": wipers.id,
                "reward_product_qty": 1,
                "required_points": 120,
                "description": "Free wiper blades",
            }
        )
        code = self._redeem(reward)
        self.assertEqual(self._points(self.customer), 30.0)

        order = self._order()
        self._apply_code(order, code)
        free = order.order_line.filtered("reward_id")
        self.assertEqual(free.product_id, wipers)
        self.assertEqual(free.product_uom_qty, 1.0)
        self.assertEqual(free.price_subtotal, 0.0)
        self.assertEqual(order.amount_untaxed, 300.0)
        order.action_confirm()
        self.assertEqual(self.env["loyalty.card"].search([("code", "=", code)]).points, 0.0)
