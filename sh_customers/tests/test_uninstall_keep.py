from odoo.tests import tagged

from odoo.addons.sh_customers.tools.uninstall import keep_records_in_use, restore_kept_records

from .common import ShCustomersCommon


@tagged("post_install", "-at_install")
class TestUninstallKeep(ShCustomersCommon):
    """The records an addon made that Odoo's records still use outlive the
    addon's uninstall, and are found again when it is installed again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"]
        cls.sold = product.create({"name": "Kept Brake Pads", "default_code": "KEEP-SOLD"})
        cls.unsold = product.create({"name": "Unsold Wiper", "default_code": "KEEP-UNSOLD"})
        invoice = cls._invoice(cls._customer("Keep Customer"), 100.0, "2026-01-10", post=False)
        invoice.invoice_line_ids.product_id = cls.sold
        invoice.action_post()
        cls.env["ir.model.data"].create(
            [
                {"module": "sh_customers", "name": name, "model": record._name, "res_id": record.id}
                for name, record in (
                    ("test_keep_sold", cls.sold),
                    ("test_keep_sold_template", cls.sold.product_tmpl_id),
                    ("test_keep_unsold", cls.unsold),
                    ("test_keep_unsold_template", cls.unsold.product_tmpl_id),
                )
            ]
        )

    def test_keep_records_in_use_and_take_them_back(self):
        kept = keep_records_in_use(
            self.env, "sh_customers", ["product.product", "product.template"]
        )
        # The product an invoice sells, and its template (needed by the
        # product), are kept: their external ids are set aside, so the
        # uninstall leaves them alone.
        self.assertIn("sh_customers.test_keep_sold", kept)
        self.assertIn("sh_customers.test_keep_sold_template", kept)
        self.assertFalse(self.env.ref("sh_customers.test_keep_sold", raise_if_not_found=False))
        self.assertEqual(self.env.ref("__sh_customers_kept__.test_keep_sold"), self.sold)
        # The unsold one goes with the addon, as any record it made.
        self.assertNotIn("sh_customers.test_keep_unsold", kept)
        self.assertNotIn("sh_customers.test_keep_unsold_template", kept)
        self.assertEqual(self.env.ref("sh_customers.test_keep_unsold"), self.unsold)
        # Nothing about the kept records changed.
        self.assertTrue(self.sold.active)
        self.assertEqual(self.sold.default_code, "KEEP-SOLD")

        # Installed again, the addon takes back its external ids: its data
        # finds the same records.
        restore_kept_records(self.env, "sh_customers")
        self.assertEqual(self.env.ref("sh_customers.test_keep_sold"), self.sold)
        self.assertEqual(
            self.env.ref("sh_customers.test_keep_sold_template"), self.sold.product_tmpl_id
        )
        self.assertFalse(
            self.env["ir.model.data"].search([("module", "=", "__sh_customers_kept__")])
        )

    def test_taken_back_records_stay_as_users_left_them(self):
        """Installed again, the addon's data finds the records it took back
        and does not write over them; an update of the addon, and the data
        of the records it makes anew, are written as always."""
        keep_records_in_use(self.env, "sh_customers", ["product.product", "product.template"])
        self.sold.name = "Brake Pads, as the shop renamed them"
        restore_kept_records(self.env, "sh_customers")
        Product = self.env["product.product"].with_context(install_module="sh_customers")

        def load(xml_id, name, update=False):
            return Product._load_records(
                [{"xml_id": xml_id, "values": {"name": name}, "noupdate": False}], update
            )

        # The installation keeps the name the shop gave the product.
        self.assertEqual(load("sh_customers.test_keep_sold", "Brake Pads"), self.sold)
        self.assertEqual(self.sold.name, "Brake Pads, as the shop renamed them")
        # A record the installation makes is made with its data.
        made = load("sh_customers.test_keep_new", "New Filter")
        self.assertEqual(made.name, "New Filter")
        # Another addon's record, or an update, is written as always.
        other = self.env["product.product"].with_context(install_module="sh_reports")
        other._load_records([{"xml_id": "sh_customers.test_keep_sold", "values": {"name": "A"}}])
        self.assertEqual(self.sold.name, "A")
        load("sh_customers.test_keep_sold", "Brake Pads", update=True)
        self.assertEqual(self.sold.name, "Brake Pads")
