"""The merge of duplicate customers: everything of the merged customers
moves to the one kept (invoices, payments and their reconciliations,
contacts, activities, messages) with the same total debt to the cent and
the same document counts; the others are archived and the merge is logged
on the kept customer's chatter. Every refusal changes nothing."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ShCustomersCommon

MANAGER_GROUPS = "sh_customers.sh_customers_group_manager,account.group_account_invoice"


@freeze_time("2026-06-30")
@tagged("post_install", "-at_install")
class TestCustomerMerge(ShCustomersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_manager")
        cls.manager = cls._company_user("merge_manager", MANAGER_GROUPS)
        cls.sales = cls._company_user(
            "merge_sales", "sh_customers.sh_customers_group_user,account.group_account_invoice"
        )
        company = cls.env.company
        cls.kept = cls._customer("Garage Al Amal", company_id=company.id, mobile="0501234567")
        cls.dup = cls._customer(
            "Al-Amal Garage", company_id=company.id, email="info@amal.sa", city="Riyadh"
        )
        cls.contact = cls._customer("Saeed (driver)", parent_id=cls.dup.id, type="delivery")
        with freeze_time("2026-03-01"):
            # Kept: 1150 invoiced (1000 + 15% tax), 500 paid.
            cls.kept_invoice = cls._invoice(cls.kept, 1000.0, "2026-03-01", taxes=cls.tax_15)
            cls.kept_payment = cls._pay(cls.kept_invoice, 500.0, "2026-03-10")
            # Duplicate: 2300 invoiced, a credit note of 230 settling part
            # of it, 1000 paid; a second invoice of 115 not due yet.
            cls.dup_invoice = cls._invoice(cls.dup, 2000.0, "2026-03-01", taxes=cls.tax_15)
            cls.dup_refund = cls._invoice(
                cls.dup, 200.0, "2026-03-05", move_type="out_refund", taxes=cls.tax_15
            )
            (cls.dup_invoice | cls.dup_refund).line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).reconcile()
            cls.dup_payment = cls._pay(cls.dup_invoice, 1000.0, "2026-03-20")
        cls.dup_later = cls._invoice(
            cls.dup, 100.0, "2026-06-20", taxes=cls.tax_15, invoice_date_due="2026-07-20"
        )
        cls.dup_activity = cls.dup.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call about the brake order"
        )
        cls.dup_message = cls.dup.message_post(body="Prefers WhatsApp", message_type="comment")

    def _snapshot(self, *partners):
        """What a user would notice of the customers, read afresh."""
        self.env.invalidate_all()
        Move = self.env["account.move"]
        return {
            partner.id: {
                "active": partner.active,
                "name": partner.name,
                "credit": self._credit(partner),
                "moves": Move.search([("commercial_partner_id", "=", partner.id)]).ids,
                "children": partner.child_ids.ids,
                "activities": partner.activity_ids.ids,
                "messages": len(partner.message_ids),
            }
            for partner in partners
        }

    def _merge(self, survivor, sources, user=None, values=None):
        Merge = self.env["sh.customer.merge"].with_user(user or self.manager)
        return Merge._sh_merge(survivor.with_user(user or self.manager), sources, values)

    def test_merge_keeps_debt_documents_and_reconciliations(self):
        # Kept: 1150 - 500 = 650. Duplicate: 2300 - 230 - 1000 + 115 = 1185.
        self.assertEqual(self._credit(self.kept), 650.0)
        self.assertEqual(self._credit(self.dup), 1185.0)
        dup_partials = self.dup_invoice.line_ids.matched_credit_ids
        self.assertEqual(len(dup_partials), 2)
        preview = (
            self.env["sh.customer.merge"]
            .with_user(self.manager)
            ._sh_merge_preview(self.kept, self.dup)
        )
        before = {customer["id"]: customer["values"] for customer in preview["customers"]}
        self.assertEqual(
            (before[self.dup.id]["debt"], before[self.dup.id]["overdue"]), (1185.0, 1070.0)
        )
        self.assertEqual(preview["totals"]["debt"], 1835.0)
        self.assertEqual(preview["totals"]["invoices"], 3)
        self.assertEqual(preview["totals"]["credit_notes"], 1)
        self.assertEqual(preview["totals"]["payments"], 2)

        self._merge(self.kept, self.dup)

        self.assertEqual(self._credit(self.kept), 1835.0)
        self.assertEqual(self._credit(self.dup), 0.0)
        self.assertFalse(self.dup.active)
        self.assertTrue(self.kept.active)
        documents = self.kept_invoice | self.dup_invoice | self.dup_refund | self.dup_later
        self.assertEqual(documents.commercial_partner_id, self.kept)
        self.assertEqual((self.kept_payment | self.dup_payment).partner_id, self.kept)
        # The reconciliations are the same records, the residuals unchanged:
        # 2300 - 230 - 1000 = 1070.
        self.assertEqual(self.dup_invoice.line_ids.matched_credit_ids, dup_partials)
        self.assertEqual(self.dup_invoice.amount_residual, 1070.0)
        self.assertEqual(self.dup_invoice.payment_state, "partial")
        self.assertEqual(self.contact.parent_id, self.kept)
        self.assertEqual(self.dup_activity.res_id, self.kept.id)
        self.assertEqual(self.dup_message.res_id, self.kept.id)
        # The kept customer's figures are refreshed: 1000 + 2000 - 200 + 100.
        self.kept.invalidate_recordset()
        self.assertEqual(self.kept.sh_net_sales, 2900.0)
        self.assertEqual(self.kept.sh_debt, 1835.0)
        self.assertEqual(self.kept.sh_overdue, 1720.0)
        self.assertEqual(self.kept.sh_invoice_count, 3)
        # The preview of the kept customer alone now shows the totals.
        after = self.env["sh.customer.merge"]._sh_merge_preview_values(self.kept)[self.kept.id]
        for row in preview["rows"]:
            if row["key"] == "messages":
                # Plus the merge log itself.
                self.assertEqual(after["messages"], preview["totals"]["messages"] + 1)
            elif row["type"] in ("count", "monetary"):
                self.assertEqual(after[row["key"]], preview["totals"][row["key"]], row["key"])

    def test_merge_log_on_the_chatter(self):
        code = self.dup.sh_customer_code
        self._merge(self.kept, self.dup)
        log = self.kept.message_ids.filtered(lambda m: "merged these customers" in m.body)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.author_id, self.manager.partner_id)
        text = log.body
        self.assertIn(
            f"{self.manager.name} merged these customers into this one on Jun 30, 2026", text
        )
        self.assertIn(f"{code} Al-Amal Garage (ID {self.dup.id})", text)
        self.assertIn("Contacts and Addresses: 1", text)
        self.assertIn("Invoices: 2", text)
        self.assertIn("Credit Notes: 1", text)
        self.assertIn("Payments: 1", text)
        self.assertIn("Open Activities: 1", text)

    def test_values_picked_field_by_field(self):
        self._merge(self.kept, self.dup, values={"name": "Al-Amal Garage", "email": "info@amal.sa"})
        self.assertEqual(self.kept.name, "Al-Amal Garage")
        self.assertEqual(self.kept.email, "info@amal.sa")
        # Kept's own mobile; the city only the duplicate had.
        self.assertEqual(self.kept.mobile, "0501234567")
        self.assertEqual(self.kept.city, "Riyadh")

    def test_wizard_preview_survivor_and_values(self):
        wizard_form = Form(
            self.env["sh.customer.merge.wizard"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=[self.dup.id, self.kept.id])
        )
        self.assertEqual(wizard_form.survivor_id, self.kept)
        self.assertFalse(wizard_form.blocker)
        self.assertIn("Al-Amal Garage", wizard_form.preview_html)
        self.assertIn("1,835.00", wizard_form.preview_html)
        with wizard_form.line_ids.edit(0) as line:
            self.assertEqual(line.field_name, "name")
            self.assertEqual(line.source_id, self.kept)
            line.source_id = self.dup
            self.assertEqual(line.value, "Al-Amal Garage")
        wizard = wizard_form.save()
        lines = {line.field_name: line for line in wizard.line_ids}
        # Each value from the kept customer, or the duplicate where it has none.
        self.assertEqual(lines["mobile"].source_id, self.kept)
        self.assertEqual(lines["city"].source_id, self.dup)
        self.assertEqual(lines["city"].value, "Riyadh")
        action = wizard.action_merge()
        self.assertEqual(action["res_id"], self.kept.id)
        self.assertEqual(self.kept.name, "Al-Amal Garage")
        self.assertEqual(self.kept.city, "Riyadh")
        self.assertFalse(self.dup.active)

    def test_manager_merges_more_than_three(self):
        company = self.env.company
        others = self.env["res.partner"].create(
            [{"name": f"Amal {n}", "company_id": company.id} for n in range(3)]
        )
        invoices = self.env["account.move"]
        for partner in others:
            invoices |= self._invoice(partner, 100.0, "2026-06-01")
        self._merge(self.kept, self.dup | others)
        self.assertFalse((self.dup | others).filtered("active"))
        self.assertEqual(invoices.commercial_partner_id, self.kept)
        # 650 + 1185 + 3 × 100.
        self.assertEqual(self._credit(self.kept), 2135.0)

    def _assert_refused(self, error, message, survivor, sources, user=None, partners=None):
        partners = partners or (survivor | sources)
        before = self._snapshot(*partners)
        with self.assertRaises(error) as caught:
            self._merge(survivor, sources, user=user)
        self.assertEqual(caught.exception.args[0], message)
        self.assertEqual(self._snapshot(*partners), before)

    def test_refusals_change_nothing(self):
        self._assert_refused(
            AccessError,
            "Only Customers managers may merge customers.",
            self.kept,
            self.dup,
            user=self.sales,
        )
        self._assert_refused(
            UserError,
            "Garage Al Amal is the customer kept: it cannot also be merged into itself.",
            self.kept,
            self.kept | self.dup,
        )
        self._assert_refused(
            UserError,
            "Choose at least one other customer to merge into the one kept.",
            self.kept,
            self.env["res.partner"],
        )
        self._assert_refused(
            UserError,
            "Al-Amal Garage, Saeed (driver) is a contact of a customer, not a customer: "
            "merge customers only.",
            self.kept,
            self.contact,
        )
        company_partner = self.env.company.partner_id
        self._assert_refused(
            UserError,
            f"{company_partner.display_name} is a company of this database: it can only be the "
            "customer kept.",
            self.kept,
            company_partner,
        )
        archived = self._customer("Amal Archived", company_id=self.env.company.id, active=False)
        self._assert_refused(
            UserError,
            "Amal Archived is archived: restore it before merging it.",
            self.kept,
            archived,
        )
        other_company = self._second_company(name="SH Jeddah")
        elsewhere = self._customer("Amal Jeddah", company_id=other_company.id)
        self.manager.company_ids |= other_company
        before = self._snapshot(self.kept, elsewhere)
        with self.assertRaisesRegex(UserError, "^Customers of different companies cannot be"):
            self._merge(self.kept, elsewhere)
        self.assertEqual(self._snapshot(self.kept, elsewhere), before)
        shared = self._customer("Amal (all companies)")
        with self.assertRaisesRegex(
            UserError, "^Customers of different companies .*shared by all companies"
        ):
            self._merge(self.kept, shared)
        with self.assertRaisesRegex(UserError, "^These fields cannot be picked: credit_limit."):
            self._merge(self.kept, self.dup, values={"credit_limit": 1.0})
        self.assertTrue(self.dup.active)

    def test_receivable_of_another_company_refuses(self):
        other_company = self._second_company(name="SH Jeddah")
        self.manager.company_ids |= other_company
        legacy = self._customer("Amal Legacy")
        self._invoice(legacy, 300.0, "2026-05-01", company=other_company)
        # An old customer made the first company's only after it bought in
        # the second: its receivable there cannot follow the kept customer.
        legacy.company_id = self.env.company
        self._assert_refused(
            UserError,
            "Amal Legacy has posted entries in the receivable account 121000 of SH Jeddah, "
            "which Garage Al Amal cannot be used in: these customers cannot be merged.",
            self.kept,
            legacy,
        )

    def test_merge_wizard_shows_why_it_cannot_merge(self):
        other_company = self._second_company(name="SH Jeddah")
        elsewhere = self._customer("Amal Jeddah", company_id=other_company.id)
        self.manager.company_ids |= other_company
        wizard = (
            self.env["sh.customer.merge.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "partner_ids": [Command.set((self.kept | elsewhere).ids)],
                    "survivor_id": self.kept.id,
                }
            )
        )
        self.assertIn("Customers of different companies cannot be merged", wizard.blocker)
        self.assertFalse(wizard.preview_html)
        with self.assertRaisesRegex(UserError, "Customers of different companies"):
            wizard.action_merge()
        self.assertTrue(elsewhere.active)
