from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import USER_GROUPS, ShInteractionsCommon


@tagged("post_install", "-at_install")
class TestAccess(ShInteractionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._second_company(name="Branch B")
        cls.user_b = cls._company_user("sh_int_b", USER_GROUPS, cls.company_b)
        cls.mine = cls._interaction(cls.garage, subject="Mine", user_id=cls.sales_user.id)
        cls.theirs = cls._interaction(cls.garage, subject="Theirs", user_id=cls.other_user.id)
        cls.in_b = cls._interaction(
            cls.garage, subject="In B", user_id=cls.user_b.id, company_id=cls.company_b.id
        )
        Task = cls.env["sh.customer.task"]
        cls.my_task = Task.create(
            {"name": "My task", "partner_id": cls.garage.id, "user_id": cls.sales_user.id}
        )
        cls.their_task = Task.with_user(cls.other_user).create(
            {"name": "Their task", "partner_id": cls.garage.id, "user_id": cls.other_user.id}
        )

    def test_users_see_the_interactions_of_their_companies(self):
        Interaction = self.env["sh.customer.interaction"]
        domain = [("partner_id", "=", self.garage.id)]
        seen = Interaction.with_user(self.sales_user).search(domain)
        self.assertEqual(seen, self.mine | self.theirs)
        self.assertEqual(Interaction.with_user(self.user_b).search(domain), self.in_b)
        with self.assertRaises(AccessError):
            self.in_b.with_user(self.sales_user).read(["subject"])
        # The figures of company B are not those of company A.
        self.assertEqual(self.garage.with_user(self.sales_user).sh_interaction_count, 2)
        self.assertEqual(self.garage.with_user(self.user_b).sh_interaction_count, 1)

    def test_users_change_only_their_own_interactions(self):
        self.mine.with_user(self.sales_user).summary = "Called back"
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.sales_user).write({"summary": "Not mine"})
        self.assertFalse(self.theirs.summary)
        with self.assertRaises(AccessError):
            self.mine.with_user(self.sales_user).unlink()
        self.assertTrue(self.mine.exists())
        with self.assertRaises(AccessError):
            self.env["sh.customer.interaction"].with_user(self.sales_user).create(
                {"partner_id": self.garage.id, "user_id": self.other_user.id}
            )
        # Managers change every interaction.
        self.theirs.with_user(self.manager).summary = "Checked by the manager"
        self.assertEqual(self.theirs.summary, "Checked by the manager")
        self.mine.with_user(self.manager).unlink()
        self.assertFalse(self.mine.exists())

    def test_tasks_of_others_are_read_only(self):
        Task = self.env["sh.customer.task"].with_user(self.sales_user)
        self.assertEqual(
            Task.search([("partner_id", "=", self.garage.id)]), self.my_task | self.their_task
        )
        with self.assertRaises(AccessError):
            self.their_task.with_user(self.sales_user).action_done()
        self.assertEqual(self.their_task.state, "todo")
        self.my_task.with_user(self.sales_user).action_done()
        self.assertEqual(self.my_task.state, "done")
        self.their_task.with_user(self.manager).action_done()
        self.assertEqual(self.their_task.state, "done")
        self.assertFalse(
            self.env["sh.customer.task"]
            .with_user(self.user_b)
            .search([("partner_id", "=", self.garage.id)])
        )

    def test_templates_are_edited_by_managers(self):
        template = self.env.ref("sh_interactions.sh_communication_template_thank_you")
        self.assertTrue(template.with_user(self.sales_user).body)
        with self.assertRaises(AccessError):
            template.with_user(self.sales_user).write({"body": "Changed"})
        template.with_user(self.manager).write({"name": "Thanks"})
        self.assertEqual(template.name, "Thanks")

    def test_debt_shown_only_by_users_who_may_see_it(self):
        reminder = self.env.ref("sh_interactions.sh_communication_template_payment_reminder")
        with self.assertRaisesRegex(UserError, "only users who may see receivables can send it"):
            reminder.with_user(self.sales_user)._render_messages(self.garage)
        thanks = self.env.ref("sh_interactions.sh_communication_template_thank_you")
        messages = thanks.with_user(self.sales_user)._render_messages(self.garage)
        self.assertTrue(messages[self.garage.id]["body"].startswith("Dear Al Noor Garage"))

    def test_outsiders_see_nothing(self):
        outsider = self._outsider("sh_int_outsider")
        with self.assertRaises(AccessError):
            self.env["sh.customer.interaction"].with_user(outsider).search([])
        with self.assertRaises(AccessError):
            self.env["sh.customer.task"].with_user(outsider).search([])
