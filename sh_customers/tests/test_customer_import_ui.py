"""Customers ‣ Import Customers in a browser (tour
``sh_customers_import_tour``): the wizard's steps as a manager sees them."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerImportUi(HttpCase):
    def test_import_tour(self):
        self.env.company.country_id = self.env.ref("base.sa")
        self.start_tour(
            "/odoo/action-sh_customers.sh_customer_import_wizard_action",
            "sh_customers_import_tour",
            login="admin",
        )
        customer = self.env["res.partner"].search([("name", "=", "SH Import Tour Garage")])
        self.assertEqual(customer.mobile, "+966509876543")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "SH Import Tour Bad")]))
