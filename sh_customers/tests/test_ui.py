from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import ShCustomersTourCommon


@tagged("post_install", "-at_install")
class TestUi(ShCustomersTourCommon):
    """The customers app in a browser: KPI cards, card filters, list and
    kanban, the monthly sales chart (tour ``sh_customers_tour``).

    The browser runs on the real clock, which freezegun cannot move: the
    documents are dated relative to today, and every figure the tour
    asserts holds whatever the day (this month's sale is dated today, the
    others lie well inside or outside every 12-month window)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        Partner = cls.env["res.partner"]
        # Bought 400, 200 and 40 days ago, never paid: active, 3000 overdue.
        active = Partner.create({"name": "SH Tour Active Garage", "is_company": True})
        for days in (400, 200, 40):
            cls._invoice(active, 1000.0, today - relativedelta(days=days))
        # Bought every 10 days and stopped: at risk, 300 and 400 overdue.
        fleet = Partner.create({"name": "SH Tour Lapsed Fleet", "is_company": True})
        for days in (200, 190, 180):
            cls._invoice(fleet, 100.0, today - relativedelta(days=days))
        retail = Partner.create({"name": "SH Tour Lapsed Retail", "is_company": True})
        for days in (300, 290):
            cls._invoice(retail, 200.0, today - relativedelta(days=days))
        # First purchase today, due in 30 days: new this month, nothing overdue.
        newcomer = Partner.create({"name": "SH Tour New Workshop", "is_company": True})
        cls._invoice(newcomer, 500.0, today, due=today + relativedelta(days=30))
        # A customer who has not bought yet.
        Partner.create({"name": "SH Tour Prospect", "is_company": True, "customer_rank": 1})

    def test_customers_tour(self):
        self.start_tour(
            "/odoo/action-sh_customers.res_partner_action_sh_customers",
            "sh_customers_tour",
            login="admin",
        )


@tagged("post_install", "-at_install")
class TestUiLayout(ShCustomersTourCommon):
    """What users see in English and in Arabic, at 1400 pixels and on a
    phone (tours ``sh_customers_layout_list_tour`` and
    ``sh_customers_layout_dashboard_tour``): the name column has room, dates
    keep their year and Western digits, the form's main buttons show without
    a "More" menu, the dashboard tables stay on screen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.partner"])
        Partner = cls.env["res.partner"]
        trading = Partner.create(
            {"name": "SH Layout Trading Co.", "is_company": True, "phone": "+966 13 626 1234"}
        )
        cls._invoice(trading, 2500.0, fields.Date.to_date("2025-08-27"))
        # Bought every 10 days and stopped: at risk, for the dashboard's table.
        fleet = Partner.create({"name": "SH Layout Lapsed Fleet", "is_company": True})
        for days in (200, 190, 180):
            cls._invoice(fleet, 100.0, today - relativedelta(days=days))
        cls._invoice(
            Partner.create({"name": "SH Layout Workshop", "is_company": True}),
            900.0,
            today - relativedelta(days=20),
        )
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.arabic_user = new_test_user(
            cls.env,
            login="sh_layout_ar",
            lang="ar_001",
            groups="base.group_user,account.group_account_invoice,"
            "sh_customers.sh_customers_group_user",
        )

    def _list_tour(self, login):
        self.start_tour(
            "/odoo/action-sh_customers.res_partner_action_sh_customers?view_type=list",
            "sh_customers_layout_list_tour",
            login=login,
        )

    def test_list_and_form_english(self):
        self.browser_size = "1400x900"
        self._list_tour("admin")

    def test_list_and_form_arabic(self):
        self.browser_size = "1400x900"
        self._list_tour(self.arabic_user.login)

    def test_dashboard_on_a_phone_arabic(self):
        self.browser_size = "390x844"
        self.touch_enabled = True
        self.start_tour(
            "/odoo/action-sh_customers.sh_customer_dashboard_action",
            "sh_customers_layout_dashboard_tour",
            login=self.arabic_user.login,
        )

    def test_dashboard_at_1400_english(self):
        self.browser_size = "1400x900"
        self.start_tour(
            "/odoo/action-sh_customers.sh_customer_dashboard_action",
            "sh_customers_layout_dashboard_tour",
            login="admin",
        )
