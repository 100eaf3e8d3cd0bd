from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestReportUi(ShCustomersCommon, HttpCase):
    """A report in a browser (tour ``sh_reports_sales_tour``): from the menu
    to the options dialog, the report on screen, the next rows of its
    ranking asked for, a customer opened from its row and back. The report
    opens on the last 12 months ending today, so the invoices are dated a
    few days before today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("sh_customers.sh_customers_group_user")
        today = fields.Date.context_today(cls.env.user)
        garage = cls._customer("SH Report Garage", is_company=True)
        fleet = cls._customer("SH Report Fleet", is_company=True)
        cls._invoice(garage, 1200.0, today - timedelta(days=10))
        cls._invoice(fleet, 800.0, today - timedelta(days=20))
        cls._invoice(fleet, 300.0, today - timedelta(days=400))
        # More buyers than the first rows a table shows: the rest on demand.
        for index in range(100):
            buyer = cls._customer(f"SH Report Buyer {index:03d}", is_company=True)
            cls._invoice(buyer, 10.0 + index, today - timedelta(days=5))

    def test_sales_report_tour(self):
        self.start_tour(
            "/odoo/action-sh_customers.res_partner_action_sh_customers",
            "sh_reports_sales_tour",
            login=self.env.user.login,
        )
