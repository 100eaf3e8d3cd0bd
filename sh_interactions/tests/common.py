from odoo.addons.sh_customers.tests.common import ShCustomersCommon

USER_GROUPS = "sh_customers.sh_customers_group_user,base.group_partner_manager"


class ShInteractionsCommon(ShCustomersCommon):
    """Customers users, a manager and customers for the interaction log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # The accounting test user also manages the customers.
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_manager")
        cls.sales_user = cls._company_user(
            "sh_int_sales", USER_GROUPS, name="Salma Sales", email="salma@example.com"
        )
        cls.other_user = cls._company_user(
            "sh_int_other", USER_GROUPS, name="Omar Other", email="omar@example.com"
        )
        cls.manager = cls._company_user(
            "sh_int_manager",
            "sh_customers.sh_customers_group_manager,base.group_partner_manager",
            name="Mona Manager",
            email="mona@example.com",
        )
        cls.garage = cls._customer(
            "Al Noor Garage",
            is_company=True,
            email="noor@example.com",
            mobile="+966501234567",
        )
        cls.contact = cls._customer("Khalid", parent_id=cls.garage.id)
        cls.task_type = cls.env.ref("sh_interactions.mail_activity_type_customer_task")

    @classmethod
    def _interaction(cls, partner, **vals):
        return cls.env["sh.customer.interaction"].create({"partner_id": partner.id, **vals})
