from odoo.tests import HttpCase, tagged

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestDashboardUi(ShCustomersCommon, HttpCase):
    """The customer dashboard in a browser (tour ``sh_customers_dashboard_tour``):
    it opens, follows the period filter and the custom dates, compares with
    the previous period, and its cards and bars open the matching customers.

    The company of the test has only the customers below, so the tour can
    check exact figures on custom dates that do not depend on today:
    from 1 January to 30 June 2025 (compared with the second half of 2024)
    the garage and the fleet bought 1500 + 2000 - 300 = 3200, against 1000
    in the second half of 2024 (the garage 400, the retail customer 600).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("sh_customers.sh_customers_group_user")
        garage = cls._customer("SH Dash Garage", is_company=True)
        fleet = cls._customer("SH Dash Fleet", is_company=True)
        retail = cls._customer("SH Dash Retail", is_company=True)
        cls._customer("SH Dash Prospect", is_company=True, customer_rank=1)
        cls._invoice(garage, 400.0, "2024-08-01")
        cls._invoice(garage, 1000.0, "2025-02-10")
        cls._invoice(garage, 500.0, "2025-03-15")
        cls._invoice(fleet, 2000.0, "2025-03-20")
        cls._invoice(fleet, 300.0, "2025-04-05", move_type="out_refund")
        cls._invoice(retail, 600.0, "2024-10-01")

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-sh_customers.sh_customer_dashboard_action",
            "sh_customers_dashboard_tour",
            login=self.env.user.login,
        )

    def test_dashboard_list_survives_reload(self):
        """A list opened from a card keeps its customers when the page is
        reloaded."""
        self.start_tour(
            "/odoo/action-sh_customers.sh_customer_dashboard_action",
            "sh_customers_dashboard_reload_tour",
            login=self.env.user.login,
        )

    def test_dashboard_menu_first_in_customers(self):
        root = self.env.ref("sh_customers.sh_customers_menu_root")
        dashboard = self.env.ref("sh_customers.sh_customer_dashboard_menu")
        self.assertEqual(root.child_id.sorted("sequence")[:1], dashboard)
        self.assertEqual(
            dashboard.action, self.env.ref("sh_customers.sh_customer_dashboard_action")
        )
        self.assertIn(dashboard.id, self.env["ir.ui.menu"]._visible_menu_ids())
        outsider = self._outsider("sh_dash_outsider")
        self.assertNotIn(
            dashboard.id, self.env["ir.ui.menu"].with_user(outsider)._visible_menu_ids()
        )
