from odoo.tests import HttpCase, new_test_user, tagged

from .common import USER_GROUPS


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    """Log a call and create a task from the customer form in a browser
    (tour ``sh_interactions_tour``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="sh_int_tour",
            password="sh_int_tour",
            name="Tour Seller",
            # The customer form shows invoices: a seller who invoices.
            groups=f"{USER_GROUPS},account.group_account_invoice",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "SH Tour Interactions Garage", "is_company": True, "phone": "0501234567"}
        )

    def test_log_call_and_create_task(self):
        self.start_tour(
            f"/odoo/action-sh_customers.res_partner_action_sh_customers/{self.customer.id}",
            "sh_interactions_tour",
            login="sh_int_tour",
        )
        interaction = self.customer.sh_interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.channel, "phone")
        self.assertEqual(interaction.subject, "Asked about brake discs")
        self.assertEqual(interaction.outcome, "reached")
        self.assertEqual(interaction.user_id, self.user)
        task = self.customer.sh_task_ids
        self.assertEqual(task.name, "Send the brake disc quotation")
        self.assertEqual(task.user_id, self.user)
        self.assertEqual(self.customer.activity_ids.summary, "Send the brake disc quotation")
