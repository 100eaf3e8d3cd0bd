from odoo.tests import Form, tagged

from .common import ShLoyaltyCommon


@tagged("post_install", "-at_install")
class TestProgramForm(ShLoyaltyCommon):
    """The program form of Odoo's Loyalty app, with its embedded reward
    form, works for every program: the reward's end date is offered on the
    customers' program only."""

    def test_new_program_with_a_reward_line(self):
        # What a user of the Loyalty app does (and Odoo's own tests): a new
        # program, whose reward lines are edited before the program exists.
        with Form(self.env["loyalty.program"]) as program_form:
            program_form.name = "Buy Two Get One"
            program_form.program_type = "buy_x_get_y"
            program_form.reward_ids.remove(0)
            with program_form.reward_ids.new() as reward:
                reward.reward_product_qty = 2
                # Not a customers' program: the end date is not offered.
                with self.assertRaisesRegex(AssertionError, "invisible"):
                    reward.sh_date_to = "2026-12-31"
            program = program_form.save()
        self.assertEqual(program.reward_ids.reward_type, "product")
        self.assertEqual(program.reward_ids.reward_product_qty, 2)
        self.assertFalse(program.reward_ids.sh_date_to)

    def test_customers_program_reward_end_date(self):
        with Form(self.program) as program_form, program_form.reward_ids.new() as reward:
            reward.description = "Free wiper blades"
            reward.required_points = 300
            reward.sh_date_to = "2026-12-31"
        reward = self.program.reward_ids.filtered(lambda r: r.description == "Free wiper blades")
        self.assertEqual(str(reward.sh_date_to), "2026-12-31")
        self.assertEqual(reward.required_points, 300)
