"""What every customer report shares: the options dialog, the options
checked with a clear error, who may open which report, and the monthly
e-mail of the reports."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.sh_customers.tests.common import ShCustomersCommon

REPORTS = ("sh.report.analytics", "sh.report.clv", "sh.report.debt", "sh.report.sales")


@tagged("post_install", "-at_install")
class TestReportOptions(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._sales_user("sh_report_seller")
        cls.accountant = cls._accountant("sh_report_accountant")
        cls.tag = cls.env["res.partner.category"].create({"name": "Fleet Owners"})
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_user")

    def _data(self, report, options, user=None):
        return self.env[report].with_user(user or self.accountant).get_report_data(options)

    def test_options_resolve_into_period_and_as_of(self):
        with freeze_time("2026-11-20"):
            data = self._data("sh.report.sales", {"period": "this_month"})
            debt = self._data("sh.report.debt", {"as_of": "2026-06-30"})
        self.assertEqual(
            data["options"]["date_from"], "2026-11-01", "This month starts on its first day."
        )
        self.assertEqual(data["options"]["date_to"], "2026-11-20")
        self.assertEqual(data["options"]["previous_from"], "2026-10-01")
        self.assertEqual(data["options"]["previous_to"], "2026-10-20")
        self.assertEqual(data["options"]["as_of"], "2026-11-20", "As of: the period's end.")
        self.assertEqual(debt["options"]["as_of"], "2026-06-30")
        self.assertTrue(debt["options_label"].startswith("As of "), debt["options_label"])
        self.assertIn("compared with", data["options_label"])

    def test_filters_are_read_and_named(self):
        data = self._data(
            "sh.report.sales",
            {
                "customer_type": "workshop",
                "user_id": self.seller.id,
                "category_ids": [self.tag.id],
                "compare": False,
            },
        )
        self.assertEqual(data["options"]["customer_type"], "workshop")
        self.assertEqual(data["options"]["user_id"], self.seller.id)
        self.assertEqual(data["options"]["category_ids"], [self.tag.id])
        self.assertIn("Workshop", data["options_label"])
        self.assertIn(self.seller.name, data["options_label"])
        self.assertIn("Fleet Owners", data["options_label"])
        self.assertNotIn("compared with", data["options_label"])
        self.assertIsNone(data["period"]["previous_from"], "Nothing to compare with.")

    def test_bad_options_are_refused_with_what_is_wrong(self):
        other = self._second_company()
        outsider_company = self.env["res.company"].create({"name": "Not Yours"})
        cases = [
            ({"period": "fortnight"}, "Unknown period fortnight"),
            ({"period": "custom"}, "Give the first day of the period"),
            ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, r"starts \(2026-05-01\) after"),
            ({"as_of": "31/12/2026"}, "as_of must be a date written YYYY-MM-DD"),
            ({"company_id": outsider_company.id}, "You cannot read the reports of this company"),
            ({"company_id": "first"}, "company_id must be the id of a company"),
            ({"customer_type": "pirate"}, "Unknown customer_type pirate"),
            ({"status": "asleep"}, "Unknown status asleep"),
            ({"user_id": 10**9}, "user_id names a record that does not exist"),
            ({"category_ids": ["x"]}, "category_ids must be record ids"),
        ]
        for options, message in cases:
            with self.subTest(options=options), self.assertRaisesRegex(UserError, message):
                self._data("sh.report.sales", options)
        # A company of the user's is fine.
        data = self._data("sh.report.sales", {"company_id": other.id}, user=self.env.user)
        self.assertEqual(data["company"], other.name)

    def test_debt_report_only_for_users_who_may_see_receivables(self):
        self.assertFalse(self.env["sh.report.debt"].with_user(self.seller)._sh_may_open_report())
        with self.assertRaisesRegex(AccessError, "not allowed to open the report Debt"):
            self._data("sh.report.debt", {}, user=self.seller)
        self._data("sh.report.sales", {}, user=self.seller)
        self.assertTrue(self.env["sh.report.debt"].with_user(self.accountant)._sh_may_open_report())
        debt_menu = self.env.ref("sh_reports.sh_report_menu_debt")
        sales_menu = self.env.ref("sh_reports.sh_report_menu_sales")
        seller_menus = self.env["ir.ui.menu"].with_user(self.seller)._visible_menu_ids()
        accountant_menus = self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        self.assertNotIn(debt_menu.id, seller_menus)
        self.assertIn(sales_menu.id, seller_menus)
        self.assertIn(debt_menu.id, accountant_menus)
        outsider = self._outsider("sh_report_outsider")
        with self.assertRaises(AccessError):
            self._data("sh.report.sales", {}, user=outsider)

    def test_dialog_sends_its_options_to_the_screen(self):
        wizard_form = Form(
            self.env["sh.report.wizard"]
            .with_user(self.accountant)
            .with_context(default_report="sh.report.clv")
        )
        wizard_form.as_of = "2026-09-30"
        wizard_form.horizon_months = 6
        wizard_form.monthly_discount = 1.5
        wizard_form.customer_type = "fleet"
        wizard_form.category_ids.add(self.tag)
        wizard = wizard_form.save()
        self.assertTrue(wizard.uses_as_of)
        action = wizard.action_show()
        self.assertEqual(action["tag"], "sh_reports.report")
        self.assertEqual(action["params"]["report"], "sh.report.clv")
        options = action["params"]["options"]
        self.assertEqual(options["as_of"], "2026-09-30")
        self.assertEqual(options["horizon_months"], 6)
        self.assertAlmostEqual(options["monthly_discount"], 0.015, msg="1.5 % a month")
        self.assertEqual(options["customer_type"], "fleet")
        self.assertEqual(options["category_ids"], [self.tag.id])
        pdf = wizard.action_print_pdf()
        self.assertEqual(pdf["report_name"], "sh_reports.report_customer")
        self.assertEqual(pdf["data"], {"report": "sh.report.clv", "options": options})
        xlsx = wizard.action_export_xlsx()
        self.assertEqual(xlsx["report_type"], "xlsx")

    def test_dialog_refuses_custom_period_without_dates(self):
        wizard = self.env["sh.report.wizard"].create(
            {"report": "sh.report.sales", "period": "custom"}
        )
        with self.assertRaisesRegex(UserError, "Give the first and the last day"):
            wizard.action_show()


@tagged("post_install", "-at_install")
class TestMonthlyReportsMail(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager_groups = "sh_customers.sh_customers_group_manager"
        cls.manager = cls._company_user(
            "sh_monthly_manager", manager_groups, email="manager@shparts.example"
        )
        cls.finance_manager = cls._company_user(
            "sh_monthly_finance",
            f"{manager_groups},account.group_account_invoice",
            email="finance@shparts.example",
        )
        cls.seller = cls._company_user(
            "sh_monthly_seller", "sh_customers.sh_customers_group_user", email="s@shparts.example"
        )
        (cls.manager | cls.finance_manager | cls.seller).sh_report_monthly_email = True
        cls.quiet_manager = cls._company_user(
            "sh_monthly_quiet", manager_groups, email="quiet@shparts.example"
        )
        cls.customer = cls._customer("Al Noor Garage", customer_rank=1)
        cls._invoice(cls.customer, 500.0, "2026-10-12")

    def _mails(self, user):
        return self.env["mail.mail"].search([("email_to", "ilike", user.email)])

    def test_managers_who_opted_in_receive_the_reports_of_last_month(self):
        with freeze_time("2026-11-01 05:00:00"):
            self.env["sh.report.monthly.mail"]._cron_send_monthly_reports()
        reports = self.env["sh.report.monthly.mail"]._sh_report_models()
        finance = self._mails(self.finance_manager)
        self.assertEqual(len(finance), 1, "One e-mail per company.")
        self.assertIn("October 2026", finance.subject)
        # Every report, in PDF and in XLSX.
        names = sorted(finance.attachment_ids.mapped("name"))
        self.assertEqual(len(names), 2 * len(reports), names)
        self.assertIn("Debt 2026-10.pdf", names)
        self.assertIn("Debt 2026-10.xlsx", names)
        # A manager without access to receivables gets no debt report.
        manager = self._mails(self.manager)
        self.assertEqual(len(manager.attachment_ids), 2 * (len(reports) - 1))
        self.assertNotIn("Debt 2026-10.pdf", manager.attachment_ids.mapped("name"))
        # Not a manager, or did not opt in: no e-mail.
        self.assertFalse(self._mails(self.seller))
        self.assertFalse(self._mails(self.quiet_manager))

    def test_opt_in_from_the_preferences(self):
        self.quiet_manager.with_user(self.quiet_manager).write({"sh_report_monthly_email": True})
        self.assertTrue(self.quiet_manager.sh_report_monthly_email)
