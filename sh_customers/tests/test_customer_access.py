from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestCustomerAccess(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(name="Branch B")["company"]
        cls.env.user.company_ids |= cls.company_b
        cls.shared = cls._customer("Shared Customer")
        cls.private_a = cls._customer("Customer of A", company_id=cls.company_a.id)
        cls._invoice(cls.shared, 700.0, "2026-01-10")
        cls._invoice(cls.private_a, 300.0, "2026-01-10")
        cls.sales_user = new_test_user(
            cls.env,
            login="sh_sales",
            groups="sh_customers.sh_customers_group_user",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )
        cls.accountant_b = new_test_user(
            cls.env,
            login="sh_accountant_b",
            groups="sh_customers.sh_customers_group_user,account.group_account_invoice",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.accountant_a = new_test_user(
            cls.env,
            login="sh_accountant_a",
            groups="sh_customers.sh_customers_group_user,account.group_account_invoice",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )

    def test_debt_visible_only_to_receivable_users(self):
        as_sales = self.shared.with_user(self.sales_user)
        self.assertEqual(as_sales.sh_net_sales, 700.0)
        with self.assertRaises(AccessError):
            as_sales.read(["sh_debt"])
        kpis = (
            self.env["res.partner"]
            .with_user(self.sales_user)
            .sh_get_customer_kpis([("id", "=", self.shared.id)])
        )
        self.assertFalse(kpis["show_debt"])
        self.assertIsNone(kpis["debt"])
        self.assertEqual(kpis["net_sales"], 0.0 if kpis["date_from"] > "2026-01-10" else 700.0)
        self.assertEqual(self.shared.with_user(self.accountant_a).sh_debt, 700.0)

    def test_customer_form_opens_without_accounting_rights(self):
        """A Customers user who may not read journal entries opens the
        customer form: purchases, top products and the monthly chart show,
        the invoices and the debt sections are left out."""
        as_sales = self.shared.with_user(self.sales_user)
        with self.assertRaises(AccessError):
            self.env["account.move"].with_user(self.sales_user).search([], limit=1)
        form = Form(as_sales)
        self.assertEqual(form.sh_net_sales, 700.0)
        self.assertNotIn("sh_invoice_ids", form._view["fields"])
        self.assertNotIn("sh_open_item_ids", form._view["fields"])
        # Sales statistics come from the journal items nonetheless.
        monthly = as_sales.sh_monthly_sales
        self.assertEqual(len(monthly["values"]), 24)
        self.assertEqual(sum(monthly["values"]), 700.0 if "Jan 2026" in monthly["labels"] else 0.0)

    def test_company_b_never_sees_company_a_figures(self):
        as_b = self.env["res.partner"].with_user(self.accountant_b)
        shared = as_b.browse(self.shared.id)
        self.assertEqual(shared.sh_net_sales, 0.0)
        self.assertEqual(shared.sh_debt, 0.0)
        self.assertEqual(shared.sh_lifecycle_status, "prospect")
        self.assertFalse(as_b.search([("id", "=", self.private_a.id)]))
        self.assertFalse(as_b.search([("id", "=", self.shared.id), ("sh_debt", ">", 0)]))
        kpis = as_b.sh_get_customer_kpis([("id", "in", (self.shared | self.private_a).ids)])
        self.assertEqual((kpis["customers"], kpis["debt"]), (1, 0.0))

    def test_groups_and_menus(self):
        menu = self.env.ref("sh_customers.sh_customers_menu_root")
        settings_menu = self.env.ref("sh_customers.res_config_settings_menu_sh_customers")
        visible = self.env["ir.ui.menu"].with_user(self.sales_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertNotIn(settings_menu.id, visible)
        outsider = new_test_user(self.env, login="sh_outsider", groups="base.group_user")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(outsider)._visible_menu_ids())
