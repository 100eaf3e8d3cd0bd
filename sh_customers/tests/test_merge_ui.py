from odoo import fields
from odoo.tests import tagged

from .common import ShCustomersTourCommon


@tagged("post_install", "-at_install")
class TestMergeUi(ShCustomersTourCommon):
    """Find Duplicates, Preview and Merge, Merge, in a browser (tour
    ``sh_customers_merge_tour``), as the administrator (a Customers
    manager)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        company = cls.env.company
        cls.kept, cls.dup = cls.env["res.partner"].create(
            [
                {
                    "name": "SH Merge Tour Garage",
                    "is_company": True,
                    "mobile": "+966 50 765 4321",
                    "company_id": company.id,
                },
                {
                    "name": "SH Merge Tour Garage Co",
                    "is_company": True,
                    "phone": "+966507654321",
                    "company_id": company.id,
                },
            ]
        )
        cls._invoice(cls.kept, 300.0, today)
        cls._invoice(cls.dup, 200.0, today)

    def test_merge_tour(self):
        self.start_tour(
            "/odoo/action-sh_customers.sh_customer_duplicate_action",
            "sh_customers_merge_tour",
            login="admin",
        )
        self.assertFalse(self.dup.active)
        self.assertTrue(self.kept.active)
        self.assertEqual(self.kept.sh_invoice_count, 2)
