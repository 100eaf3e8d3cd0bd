from datetime import date, timedelta

from odoo import Command
from odoo.tests import tagged

from .common import ACCOUNTANT_GROUPS, SALES_GROUPS, ShCustomersTourCommon


@tagged("post_install", "-at_install")
class TestCustomerTimelineUi(ShCustomersTourCommon):
    """The timeline on the customer form in a browser (tours
    ``sh_customers_timeline_tour`` and ``sh_customers_timeline_phone_tour``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "SH Timeline Tour Garage", "is_company": True}
        )
        # 55 invoices of 100, one a day from 1 January 2025.
        invoices = [
            cls._invoice(cls.customer, 100.0, date(2025, 1, 1) + timedelta(days=day))
            for day in range(55)
        ]
        # The last one paid on 1 March.
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices[-1].ids
        ).create({"payment_date": date(2025, 3, 1)})._create_payments()
        cls.customer.message_post(body="Asked for brake discs.", message_type="comment")

    @classmethod
    def _user(cls, login, groups, **vals):
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "password": login,
                "groups_id": [Command.set([cls.env.ref(xmlid).id for xmlid in groups.split(",")])],
                **vals,
            }
        )

    def _url(self):
        return f"/odoo/action-sh_customers.res_partner_action_sh_customers/{self.customer.id}"

    def test_timeline_on_the_form(self):
        accountant = self._user("sh_timeline_tour", ACCOUNTANT_GROUPS, tz="UTC")
        self.browser_size = "1400x900"
        self.start_tour(self._url(), "sh_customers_timeline_tour", login=accountant.login)

    def test_timeline_in_arabic_on_a_phone(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.env["ir.module.module"]._load_module_terms(["sh_customers"], ["ar_001"])
        seller = self._user("sh_timeline_phone", SALES_GROUPS, lang="ar_001", tz="Asia/Riyadh")
        self.browser_size = "390x844"
        self.touch_enabled = True
        self.start_tour(self._url(), "sh_customers_timeline_phone_tour", login=seller.login)
