from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.misc import format_amount

from .common import ShCustomersCommon

MANAGER_GROUPS = "sh_customers.sh_customers_group_manager,account.group_account_invoice"


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 09:00:00")
class TestCustomerArchive(ShCustomersCommon):
    """Archiving customers with a reason, the confirmation their debt needs,
    the archive suggestions, and restoring them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Owes 1,000.00 + 15% tax = 1,150.00 since January 2025.
        cls.debtor = cls._customer("Archive Debtor")
        cls._invoice(cls.debtor, 1000.0, "2025-01-10", taxes=cls.tax_15)
        # Bought 400.00 in March 2025 (487 days ago), paid: nothing owed.
        cls.quiet = cls._customer("Archive Quiet")
        cls._pay(cls._invoice(cls.quiet, 400.0, "2025-03-01"), date="2025-03-05")
        # Bought 200.00 on 1 May 2026 (60 days ago), paid.
        cls.recent = cls._customer("Archive Recent")
        cls._pay(cls._invoice(cls.recent, 200.0, "2026-05-01"), date="2026-05-02")
        cls.prospect = cls._customer("Archive Prospect", customer_rank=1)
        cls.customers = cls.debtor | cls.quiet | cls.recent | cls.prospect
        cls.sales_user = cls._sales_user("sh_archive_sales")
        cls.accountant = cls._accountant("sh_archive_accountant")
        cls.manager = cls._company_user("sh_archive_manager", MANAGER_GROUPS)
        cls.currency = cls.env.company.currency_id

    def _wizard(self, user, partners, **vals):
        return (
            self.env["sh.customer.archive.wizard"]
            .with_user(user)
            .create({"partner_ids": [Command.set(partners.ids)], **vals})
        )

    def _snapshot(self, partners):
        """What archiving changes, customer by customer, and their messages."""
        partners.invalidate_recordset()
        messages = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        return messages, [
            (
                partner.active,
                partner.sh_archive_reason,
                partner.sh_archive_note,
                partner.sh_archived_by_id,
                partner.sh_archive_date,
            )
            for partner in partners
        ]

    def _amount(self, amount):
        return format_amount(self.env, amount, self.currency)

    def _last_message(self, partner):
        return self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)], order="id desc", limit=1
        )

    # ------------------------------------------------------------------
    # Archiving
    # ------------------------------------------------------------------

    def test_customers_user_archives_customer_without_debt(self):
        """A Customers user, who may not edit contacts in Odoo, archives a
        customer who owes nothing: the reason, note, user and time are kept
        and the chatter says why."""
        with self.assertRaises(AccessError):
            self.quiet.with_user(self.sales_user).write({"comment": "x"})
        wizard = self._wizard(
            self.sales_user, self.quiet, reason="closed", note="  Shop closed in May.  "
        )
        self.assertFalse(wizard.has_blockers)
        self.assertFalse(wizard.blocker_summary)
        wizard.action_sh_archive()
        self.assertFalse(self.quiet.active)
        self.assertEqual(self.quiet.sh_archive_reason, "closed")
        self.assertEqual(self.quiet.sh_archive_note, "Shop closed in May.")
        self.assertEqual(self.quiet.sh_archived_by_id, self.sales_user)
        self.assertEqual(
            self.quiet.sh_archive_date, fields.Datetime.to_datetime("2026-06-30 09:00")
        )
        message = self._last_message(self.quiet)
        self.assertEqual(message.author_id, self.sales_user.partner_id)
        self.assertEqual(
            str(message.body), "<p>Customer archived: Closed.<br>Shop closed in May.</p>"
        )
        # Gone from the lists, found with the "Archived" filter.
        Partner = self.env["res.partner"].with_user(self.sales_user)
        self.assertFalse(Partner.search([("id", "=", self.quiet.id)]))
        self.assertEqual(
            Partner.search([("id", "in", self.customers.ids), ("active", "=", False)]), self.quiet
        )

    def test_archive_reason_is_tracked(self):
        # The set-up's customers were created without tracking, which
        # Odoo notes as "not to track" until the transaction ends.
        self.env.cr.precommit.data.pop("mail.tracking.res.partner", None)
        wizard = self._wizard(self.sales_user, self.quiet, reason="moved")
        wizard.with_context(tracking_disable=False, mail_notrack=False).action_sh_archive()
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.res_id", "=", self.quiet.id),
                ("mail_message_id.model", "=", "res.partner"),
            ]
        )
        self.assertIn(
            "sh_archive_reason", tracked.field_id.mapped("name"), "the reason shows in the chatter"
        )
        self.assertIn("sh_archived_by_id", tracked.field_id.mapped("name"))

    def test_archive_from_the_customers_app_asks_why(self):
        """Archive in the Customers app (its action sets the context) opens
        the dialog on the chosen customers; elsewhere Odoo's archive runs."""
        chosen = self.quiet | self.recent
        action = chosen.with_context(sh_archive_with_reason=True).action_archive()
        self.assertEqual(action["res_model"], "sh.customer.archive.wizard")
        self.assertTrue(self.quiet.active and self.recent.active)
        wizard = (
            self.env["sh.customer.archive.wizard"]
            .with_user(self.sales_user)
            .with_context(**action["context"])
            .create({"reason": "duplicate"})
        )
        self.assertEqual(wizard.partner_ids, chosen)
        # From the list's action menu: the selected customers.
        wizard = (
            self.env["sh.customer.archive.wizard"]
            .with_user(self.sales_user)
            .with_context(active_model="res.partner", active_ids=chosen.ids)
            .create({"reason": "duplicate"})
        )
        self.assertEqual(wizard.partner_ids, chosen)
        context = self.env.ref("sh_customers.res_partner_action_sh_customers").context
        self.assertIn("'sh_archive_with_reason': True", context)
        # From code, or in the Contacts app: archived at once, no reason.
        self.recent.action_archive()
        self.assertFalse(self.recent.active)
        self.assertFalse(self.recent.sh_archive_reason)

    def test_form_requires_the_note_with_other(self):
        Wizard = self.env["sh.customer.archive.wizard"].with_user(self.sales_user)
        with Form(Wizard.with_context(default_partner_ids=[Command.set(self.quiet.ids)])) as form:
            form.reason = "other"
            with self.assertRaisesRegex(AssertionError, "note"):
                form.save()
            form.note = "Asked to be removed."
        self.assertEqual(form.record.note, "Asked to be removed.")

    # ------------------------------------------------------------------
    # Refusals: nothing changes
    # ------------------------------------------------------------------

    def test_refused_without_reason(self):
        before = self._snapshot(self.customers)
        wizard = self._wizard(self.sales_user, self.quiet | self.recent)
        with self.assertRaisesRegex(UserError, r"^Choose why the customers are archived\.$"):
            wizard.action_sh_archive()
        self.assertEqual(self._snapshot(self.customers), before)

    def test_refused_other_without_note(self):
        before = self._snapshot(self.customers)
        for note in (False, "   \n "):
            wizard = self._wizard(self.sales_user, self.quiet, reason="other", note=note)
            with self.assertRaises(UserError) as refusal:
                wizard.action_sh_archive()
            self.assertEqual(str(refusal.exception), 'Write a note: the reason "Other" needs one.')
        self.assertEqual(self._snapshot(self.customers), before)

    def test_refused_without_active_customer(self):
        self.quiet.action_archive()
        before = self._snapshot(self.customers)
        for partners in (self.env["res.partner"], self.quiet):
            wizard = self._wizard(self.sales_user, partners, reason="moved")
            with self.assertRaises(UserError) as refusal:
                wizard.action_sh_archive()
            self.assertEqual(
                str(refusal.exception), "Choose at least one customer who is not archived yet."
            )
        self.assertEqual(self._snapshot(self.customers), before)

    def test_in_arabic(self):
        """The refusals, the reason and the chatter read in Arabic."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.env["ir.module.module"]._load_module_terms(
            ["sh_customers"], ["ar_001"], overwrite=True
        )
        before = self._snapshot(self.customers)
        wizard = self._wizard(self.sales_user, self.quiet, reason="other").with_context(
            lang="ar_001"
        )
        with self.assertRaises(UserError) as refusal:
            wizard.action_sh_archive()
        self.assertEqual(str(refusal.exception), 'اكتب ملاحظة: السبب "أخرى" يتطلبها.')
        self.assertEqual(self._snapshot(self.customers), before)
        wizard.reason = "moved"
        wizard.action_sh_archive()
        self.assertEqual(str(self._last_message(self.quiet).body), "<p>أُرشف العميل: انتقل.</p>")
        self.quiet.with_user(self.sales_user).with_context(lang="ar_001").action_unarchive()
        self.assertEqual(
            str(self._last_message(self.quiet).body), "<p>استُعيد العميل من الأرشيف.</p>"
        )

    def test_debt_needs_confirmation(self):
        """A customer who owes 1,150.00 among others: the dialog shows the
        amount per customer and in total, and without the confirmation
        nobody is archived, not even the customer who owes nothing."""
        before = self._snapshot(self.customers)
        wizard = self._wizard(self.manager, self.debtor | self.quiet, reason="bad_debt")
        self.assertEqual(
            self.debtor.with_user(self.manager)._sh_archive_blockers()[0]["amounts"],
            {self.debtor.id: 1150.0},
        )
        self.assertTrue(wizard.has_blockers)
        self.assertTrue(wizard.can_confirm_blockers)
        self.assertIn("Archive Debtor", wizard.blocker_summary)
        self.assertIn(self._amount(1150.0), wizard.blocker_summary)
        self.assertNotIn("Archive Quiet", wizard.blocker_summary)
        with self.assertRaises(UserError) as refusal:
            wizard.action_sh_archive()
        self.assertEqual(
            str(refusal.exception),
            "These customers still owe money or hold points:\n"
            f"Archive Debtor: Open debt {self._amount(1150.0)}\n"
            f"Total: Open debt {self._amount(1150.0)}\n"
            'Tick "Archive anyway" to archive them nonetheless.',
        )
        self.assertEqual(self._snapshot(self.customers), before)

    def test_dialog_shows_the_amounts_while_filled_in(self):
        """The dialog, before it is saved, already lists the debt and asks
        the manager for the confirmation."""
        chosen = self.debtor | self.quiet
        Wizard = self.env["sh.customer.archive.wizard"].with_user(self.manager)
        with Form(Wizard.with_context(default_partner_ids=[Command.set(chosen.ids)])) as form:
            self.assertTrue(form.has_blockers)
            self.assertTrue(form.can_confirm_blockers)
            self.assertIn(self._amount(1150.0), form.blocker_summary)
            self.assertIn("Archive Debtor", form.blocker_summary)
            form.reason = "moved"

    def test_debt_in_another_company(self):
        """A customer is archived for every company: one who owes nothing
        here but 300.00 + 15% in another company needs the confirmation; a
        manager who works there too sees the amount, one who does not only
        that it owes."""
        self.assertTrue(self.quiet.sh_archive_suggested)
        company_b = self._second_company(name="Archive Company B")
        tax_b = self.env["account.tax"].create(
            {
                "name": "VAT 15% B",
                "amount": 15.0,
                "type_tax_use": "sale",
                "company_id": company_b.id,
            }
        )
        self._invoice(self.quiet, 300.0, "2026-01-10", company=company_b, taxes=tax_b)
        self.assertEqual(self._credit(self.quiet), 0.0)
        self.assertEqual(self._credit(self.quiet, company_b), 345.0)
        # No longer suggested here either.
        self.quiet.invalidate_recordset()
        self.assertFalse(self.quiet.sh_archive_suggested)
        both = new_test_user(
            self.env,
            login="sh_archive_manager_both",
            groups=MANAGER_GROUPS,
            company_id=self.env.company.id,
            company_ids=[Command.set((self.env.company | company_b).ids)],
        )
        before = self._snapshot(self.customers)
        amount_b = format_amount(self.env, 345.0, company_b.currency_id)
        for user, line in (
            (self.manager, "Open debt in another company (amount hidden)"),
            (both, f"Open debt in Archive Company B {amount_b}"),
        ):
            wizard = self._wizard(user, self.quiet | self.recent, reason="moved")
            with self.assertRaises(UserError) as refusal:
                wizard.action_sh_archive()
            self.assertEqual(
                str(refusal.exception),
                "These customers still owe money or hold points:\n"
                f"Archive Quiet: {line}\n"
                f"Total: {line}\n"
                'Tick "Archive anyway" to archive them nonetheless.',
            )
        self.assertEqual(self._snapshot(self.customers), before)
        self._wizard(both, self.quiet, reason="moved", confirm_blockers=True).action_sh_archive()
        self.assertFalse(self.quiet.active)

    def test_totals_over_several_debtors(self):
        """A second debtor owing 230.00 (200.00 + 15%): 1,380.00 in total."""
        other = self._customer("Archive Second Debtor")
        self._invoice(other, 200.0, "2025-02-10", taxes=self.tax_15)
        wizard = self._wizard(self.manager, self.debtor | other, reason="bad_debt")
        with self.assertRaises(UserError) as refusal:
            wizard.action_sh_archive()
        self.assertIn(
            f"Archive Second Debtor: Open debt {self._amount(230.0)}\n", str(refusal.exception)
        )
        self.assertIn(f"Total: Open debt {self._amount(1380.0)}\n", str(refusal.exception))

    def test_customers_user_may_not_confirm_debt(self):
        """Only Customers managers archive a customer who owes money: a
        Customers user is refused whether the box is ticked or not (the
        dialog does not show it to them), and one who may not see
        receivables does not see the amount either."""
        before = self._snapshot(self.customers)
        for user, shown, confirm in (
            (self.accountant, self._amount(1150.0), True),
            (self.accountant, self._amount(1150.0), False),
            (self.sales_user, "(amount hidden)", True),
        ):
            wizard = self._wizard(
                user, self.debtor | self.quiet, reason="bad_debt", confirm_blockers=confirm
            )
            self.assertFalse(wizard.can_confirm_blockers)
            self.assertIn(shown, wizard.blocker_summary)
            with self.assertRaises(AccessError) as refusal:
                wizard.action_sh_archive()
            self.assertEqual(
                str(refusal.exception),
                "Only Customers managers may archive customers who owe money or hold points:\n"
                f"Archive Debtor: Open debt {shown}\n"
                f"Total: Open debt {shown}",
            )
        self.assertEqual(self._snapshot(self.customers), before)

    def test_manager_confirms_debt(self):
        debt = self.debtor.with_user(self.manager).sh_debt
        self.assertEqual(debt, 1150.0)
        wizard = self._wizard(
            self.manager,
            self.debtor,
            reason="bad_debt",
            note="Written off",
            confirm_blockers=True,
        )
        wizard.action_sh_archive()
        self.assertFalse(self.debtor.active)
        self.assertEqual(self.debtor.sh_archive_reason, "bad_debt")
        self.assertEqual(self.debtor.sh_archived_by_id, self.manager)
        # Archiving writes nothing off: the receivable is Odoo's as before.
        self.assertEqual(self._credit(self.debtor), 1150.0)

    # ------------------------------------------------------------------
    # Restoring
    # ------------------------------------------------------------------

    def test_restore_keeps_everything(self):
        """Restored, the customer has the same debt, sales and documents as
        before, and no archive reason; the chatter says so."""
        partner = self.debtor.with_user(self.manager)

        def figures():
            partner.invalidate_recordset()
            return (
                partner.sh_debt,
                self._credit(self.debtor),
                partner.sh_net_sales,
                partner.sh_invoice_count,
                partner.sh_last_purchase_date,
                partner.sh_lifecycle_status,
                self.env["account.move"].search_count(
                    [("commercial_partner_id", "=", self.debtor.id)]
                ),
            )

        before = figures()
        self.assertEqual(before[:4], (1150.0, 1150.0, 1000.0, 1))
        self._wizard(
            self.manager, self.debtor, reason="moved", confirm_blockers=True
        ).action_sh_archive()
        self.assertFalse(self.debtor.active)
        self.debtor.with_user(self.sales_user).action_unarchive()
        self.assertTrue(self.debtor.active)
        self.assertEqual(
            (
                self.debtor.sh_archive_reason,
                self.debtor.sh_archive_note,
                self.debtor.sh_archived_by_id,
                self.debtor.sh_archive_date,
            ),
            (False, False, self.env["res.users"], False),
        )
        self.assertEqual(figures(), before)
        message = self._last_message(self.debtor)
        self.assertEqual(str(message.body), "<p>Customer restored from the archive.</p>")
        self.assertEqual(message.author_id, self.sales_user.partner_id)

    def test_restore_needs_the_customers_app(self):
        self.quiet.action_archive()
        outsider = self._outsider("sh_archive_outsider")
        with self.assertRaises(AccessError):
            self.quiet.with_user(outsider).action_unarchive()
        self.assertFalse(self.quiet.active)

    # ------------------------------------------------------------------
    # Suggestions
    # ------------------------------------------------------------------

    def _suggested(self, user=None):
        return (
            self.env["res.partner"]
            .with_user(user or self.sales_user)
            .search([("id", "in", self.customers.ids), ("sh_archive_suggested", "=", True)])
        )

    def test_suggestions(self):
        """365 days by default: only the customer who last bought 487 days
        ago and owes nothing; the debtor (last bought 536 days ago) owes
        1,150.00; the prospect never bought."""
        self.assertEqual(self.env.company.sh_archive_suggest_days, 365)
        self.assertEqual(self._suggested(), self.quiet)
        self.assertTrue(self.quiet.with_user(self.sales_user).sh_archive_suggested)
        self.assertFalse(self.debtor.with_user(self.sales_user).sh_archive_suggested)
        self.assertEqual(
            self.env["res.partner"].search(
                [("id", "in", self.customers.ids), ("sh_archive_suggested", "=", False)]
            ),
            self.customers - self.quiet,
        )
        # 59 days: the customer who bought 60 days ago too.
        self.env.company.sh_archive_suggest_days = 59
        self.assertEqual(self._suggested(), self.quiet | self.recent)
        self.env.company.sh_archive_suggest_days = 60
        self.assertEqual(self._suggested(), self.quiet)
        # Owed 100.00 by the company (a credit note after a paid invoice):
        # not suggested either.
        owed = self._customer("Archive Owed")
        self._pay(self._invoice(owed, 300.0, "2025-02-01"), date="2025-02-02")
        self._invoice(owed, 100.0, "2025-02-15", move_type="out_refund")
        self.assertEqual(self._credit(owed), -100.0)
        self.assertFalse(owed.sh_archive_suggested)
        # Paid, the debtor is suggested too.
        self._pay(self.env["account.move"].search([("partner_id", "=", self.debtor.id)]))
        self.assertEqual(self._suggested(), self.quiet | self.debtor)
        # Archived in bulk from the list, they leave the suggestions.
        action = self._suggested().action_sh_archive_wizard()
        wizard = (
            self.env["sh.customer.archive.wizard"]
            .with_user(self.sales_user)
            .with_context(**action["context"])
            .create({"reason": "closed"})
        )
        wizard.action_sh_archive()
        self.assertFalse((self.quiet | self.debtor).filtered("active"))
        self.assertFalse(self._suggested())

    def test_suggestion_period_must_be_positive(self):
        for days in (0, -5):
            with self.assertRaises(ValidationError) as refusal, self.cr.savepoint():
                self.env.company.sh_archive_suggest_days = days
            self.assertEqual(
                str(refusal.exception),
                "Archive suggestions need a positive number of days without a purchase.",
            )
        self.assertEqual(self.env.company.sh_archive_suggest_days, 365)

    def test_suggestions_action(self):
        action = self.env.ref("sh_customers.res_partner_action_sh_archive_suggestions")
        self.assertIn("sh_archive_suggested", action.domain)
        self.assertIn("o_view_nocontent_smiling_face", action.help)
        menu = self.env.ref("sh_customers.res_partner_menu_sh_archive_suggestions")
        visible = self.env["ir.ui.menu"].with_user(self.sales_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)

    # ------------------------------------------------------------------
    # Cards, dashboard, lists
    # ------------------------------------------------------------------

    def test_kpi_cards_leave_out_archived_customers(self):
        """The cards follow the list's search: without the "Archived" filter
        an archived customer is not counted; with it, only archived ones."""
        Partner = self.env["res.partner"].with_user(self.accountant)
        domain = [("id", "in", self.customers.ids)]
        kpis = Partner.sh_get_customer_kpis(domain)
        # Last 12 months: the recent 200.00 only.
        self.assertEqual((kpis["customers"], kpis["net_sales"], kpis["debt"]), (4, 200.0, 1150.0))
        self._wizard(
            self.manager, self.recent | self.debtor, reason="moved", confirm_blockers=True
        ).action_sh_archive()
        kpis = Partner.sh_get_customer_kpis(domain)
        self.assertEqual((kpis["customers"], kpis["net_sales"], kpis["debt"]), (2, 0.0, 0.0))
        archived = Partner.sh_get_customer_kpis(domain + [("active", "=", False)])
        self.assertEqual(
            (archived["customers"], archived["net_sales"], archived["debt"]), (2, 200.0, 1150.0)
        )
        both = Partner.sh_get_customer_kpis(domain + [("active", "in", (True, False))])
        self.assertEqual((both["customers"], both["net_sales"], both["debt"]), (4, 200.0, 1150.0))

    def test_dashboard_leaves_out_archived_customers(self):
        """The dashboard counts the company's customers, whatever other ones
        exist: archiving the recent buyer (200.00 in May) and the debtor
        (1,150.00 owed) takes exactly them out of its cards."""
        Dashboard = self.env["sh.customer.dashboard"].with_user(self.accountant)

        def cards():
            data = Dashboard.get_dashboard_data()
            return {card["key"]: card["value"] for card in data["cards"]}

        before = cards()
        self._wizard(
            self.manager, self.recent | self.debtor, reason="moved", confirm_blockers=True
        ).action_sh_archive()
        after = cards()
        self.assertAlmostEqual(before["net_sales"] - after["net_sales"], 200.0, places=2)
        self.assertEqual(before["buyers"] - after["buyers"], 1)
        self.assertEqual(before["customers_with_purchases"] - after["customers_with_purchases"], 2)
        self.assertAlmostEqual(before["debt"] - after["debt"], 1150.0, places=2)
        (self.recent | self.debtor).with_user(self.sales_user).action_unarchive()
        self.assertEqual(cards(), before)
