from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30")
class TestCustomerAccess(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls._second_company(name="Branch B")
        cls.shared = cls._customer("Shared Customer")
        cls.private_a = cls._customer("Customer of A", company_id=cls.company_a.id)
        cls._invoice(cls.shared, 700.0, "2026-01-10")
        cls._invoice(cls.private_a, 300.0, "2026-01-10")
        cls.sales_user = cls._sales_user("sh_sales", cls.company_a)
        cls.accountant_b = cls._accountant("sh_accountant_b", cls.company_b)
        cls.accountant_a = cls._accountant("sh_accountant_a", cls.company_a)

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
        # The cards cover the last 12 months, 1 July 2025 to 30 June 2026.
        self.assertEqual((kpis["date_from"], kpis["date_to"]), ("2025-07-01", "2026-06-30"))
        self.assertEqual(kpis["net_sales"], 700.0)
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
        # The 24 months from July 2024 to June 2026: 700 in January 2026.
        monthly = as_sales.sh_monthly_sales
        self.assertEqual(len(monthly["values"]), 24)
        self.assertEqual(monthly["labels"][0], "Jul 2024")
        self.assertEqual(monthly["labels"][-1], "Jun 2026")
        january = monthly["labels"].index("Jan 2026")
        self.assertEqual(monthly["values"][january], 700.0)
        self.assertEqual(sum(monthly["values"]), 700.0)

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
        outsider = self._outsider("sh_outsider")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(outsider)._visible_menu_ids())
