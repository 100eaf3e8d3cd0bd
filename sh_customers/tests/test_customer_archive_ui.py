from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ACCOUNTANT_GROUPS, ShCustomersTourCommon


@tagged("post_install", "-at_install")
class TestCustomerArchiveUi(ShCustomersTourCommon):
    """Archiving from the Customers list in a browser (tour
    ``sh_customers_archive_tour``), as a Customers user who may see
    receivables and edit contacts but is not a Customers manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        Partner = cls.env["res.partner"]
        cls.debtor = Partner.create({"name": "SH Archive Tour Debtor", "is_company": True})
        cls._invoice(cls.debtor, 1000.0, today - relativedelta(days=40))
        cls.prospect = Partner.create(
            {"name": "SH Archive Tour Prospect", "is_company": True, "customer_rank": 1}
        )
        cls.user = cls.env["res.users"].create(
            {
                "name": "SH Archive Tour User",
                "login": "sh_archive_tour",
                "password": "sh_archive_tour",
                # Odoo gives new internal users "Contact Creation", which
                # shows Archive in the list's action menu.
                "groups_id": [
                    fields.Command.set(
                        [
                            cls.env.ref(xmlid).id
                            for xmlid in [
                                *ACCOUNTANT_GROUPS.split(","),
                                "base.group_partner_manager",
                            ]
                        ]
                    )
                ],
            }
        )

    def test_archive_from_the_list(self):
        self.browser_size = "1400x900"
        self.start_tour(
            "/odoo/action-sh_customers.res_partner_action_sh_customers?view_type=list",
            "sh_customers_archive_tour",
            login=self.user.login,
        )
        self.assertFalse(self.prospect.active)
        self.assertEqual(self.prospect.sh_archive_reason, "other")
        self.assertEqual(self.prospect.sh_archive_note, "Asked to be removed")
        self.assertEqual(self.prospect.sh_archived_by_id, self.user)
        self.assertTrue(self.debtor.active)
        self.assertFalse(self.debtor.sh_archive_reason)

    def test_manager_archives_a_debtor_and_restores_it(self):
        manager = self.env["res.users"].create(
            {
                "name": "SH Archive Tour Manager",
                "login": "sh_archive_tour_manager",
                "password": "sh_archive_tour_manager",
                "groups_id": [
                    fields.Command.set(
                        [
                            self.env.ref(xmlid).id
                            for xmlid in (
                                "sh_customers.sh_customers_group_manager",
                                "account.group_account_invoice",
                                "base.group_partner_manager",
                            )
                        ]
                    )
                ],
            }
        )
        self.browser_size = "1400x900"
        # The refusal the tour asks for on purpose is logged as a warning.
        with mute_logger("odoo.http"):
            self.start_tour(
                "/odoo/action-sh_customers.res_partner_action_sh_customers?view_type=list",
                "sh_customers_archive_manager_tour",
                login=manager.login,
            )
        self.assertTrue(self.debtor.active)
        self.assertFalse(self.debtor.sh_archive_reason)
        messages = self.debtor.message_ids.mapped(lambda message: str(message.body))
        self.assertIn("<p>Customer archived: Bad debt.</p>", messages)
        self.assertIn("<p>Customer restored from the archive.</p>", messages)
