from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ShInteractionsCommon


@tagged("post_install", "-at_install")
class TestInteractions(ShInteractionsCommon):
    @freeze_time("2026-03-10 09:30:00")
    def test_quick_log_from_customer_form(self):
        """The form's button opens the quick log with everything but the
        outcome filled in; one more click logs the call."""
        garage = self.garage.with_user(self.sales_user)
        action = garage.action_sh_log_interaction()
        self.assertEqual(action["res_model"], "sh.interaction.quick.log")
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.sales_user)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard_form.partner_id, self.garage)
        self.assertEqual(wizard_form.channel, "phone")
        self.assertEqual(wizard_form.direction, "out")
        self.assertEqual(wizard_form.user_id, self.sales_user)
        self.assertEqual(wizard_form.date, fields.Datetime.to_datetime("2026-03-10 09:30:00"))
        wizard_form.outcome = "order_taken"
        wizard_form.subject = "Ordered brake pads"
        wizard_form.save().action_log()

        interaction = self.garage.sh_interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertRecordValues(
            interaction,
            [
                {
                    "channel": "phone",
                    "direction": "out",
                    "outcome": "order_taken",
                    "subject": "Ordered brake pads",
                    "user_id": self.sales_user.id,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertFalse(interaction.task_ids)
        self.assertIn("Ordered brake pads", self.garage.message_ids[0].body)
        self.assertEqual(
            self.garage.sh_last_contact_date, fields.Datetime.to_datetime("2026-03-10 09:30:00")
        )
        self.assertEqual(self.garage.sh_interaction_count, 1)

    def test_contact_logged_on_a_person_goes_to_the_customer(self):
        interaction = self._interaction(self.contact, channel="visit")
        self.assertEqual(interaction.partner_id, self.garage)

    @freeze_time("2026-03-10 12:00:00")
    def test_per_customer_statistics(self):
        """Last contact, days since, contacts in the last 90 days and NPS
        (% of 9-10 minus % of 0-6) for each customer, in one refresh."""
        other = self._customer("Desert Fleet", is_company=True)
        self._interaction(self.garage, date="2025-10-01 10:00:00", nps_score="10")
        self._interaction(self.garage, date="2026-01-15 10:00:00", nps_score="9")
        self._interaction(self.garage, date="2026-02-20 10:00:00", nps_score="3")
        self._interaction(self.garage, date="2026-03-05 16:00:00", nps_score="8")
        # A call nobody answered has no score, which is not a zero.
        self._interaction(self.garage, date="2026-03-06 16:00:00", outcome="no_answer")
        self._interaction(other, date="2026-03-01 08:00:00", nps_score="0")

        self.assertEqual(
            self.garage.sh_last_contact_date, fields.Datetime.to_datetime("2026-03-06 16:00:00")
        )
        self.assertEqual(self.garage.sh_days_since_contact, 4)
        self.assertEqual(self.garage.sh_contact_count_90d, 4)
        self.assertEqual(self.garage.sh_nps_answer_count, 4)
        # 2 promoters, 1 detractor out of 4 answers: 50% - 25%.
        self.assertEqual(self.garage.sh_nps, 25.0)
        self.assertEqual(other.sh_nps, -100.0)
        self.assertEqual(other.sh_contact_count_90d, 1)
        self.assertEqual(
            self.env["res.partner"].search(
                [("id", "in", (self.garage | other).ids), ("sh_nps", "<", 0)]
            ),
            other,
        )
        breakdown = self.garage.sh_interaction_breakdown
        self.assertIn("Phone Call", breakdown)
        self.assertIn("No Answer", breakdown)

        # The window moves on with the nightly refresh.
        with freeze_time("2026-06-01 12:00:00"):
            self.env["res.partner"]._cron_sh_refresh_interaction_stats()
            self.assertEqual(self.garage.sh_contact_count_90d, 2)
            self.garage.invalidate_recordset(["sh_days_since_contact"])
            self.assertEqual(self.garage.sh_days_since_contact, 87)

        # Removing the interactions clears the figures.
        (self.garage | other).sh_interaction_ids.unlink()
        self.assertFalse(self.garage.sh_last_contact_date)
        self.assertEqual(self.garage.sh_contact_count_90d, 0)
        self.assertEqual(self.garage.sh_nps_answer_count, 0)

    def test_statistics_are_per_company(self):
        company_b = self._second_company(name="Branch B")
        self._interaction(self.garage, date="2026-01-10 10:00:00", company_id=company_b.id)
        self.assertFalse(self.garage.sh_last_contact_date)
        self.assertEqual(
            self.garage.with_company(company_b).sh_last_contact_date,
            fields.Datetime.to_datetime("2026-01-10 10:00:00"),
        )

    @freeze_time("2026-03-10 09:30:00")
    def test_promise_to_pay_creates_a_follow_up_task(self):
        wizard_form = Form(
            self.env["sh.interaction.quick.log"]
            .with_user(self.sales_user)
            .with_context(**self.garage.action_sh_log_interaction()["context"])
        )
        wizard_form.outcome = "promised_to_pay"
        wizard_form.promise_date = fields.Date.to_date("2026-03-20")
        wizard_form.promise_amount = 450.0
        self.assertEqual(wizard_form.follow_up_date, fields.Date.to_date("2026-03-20"))
        wizard_form.save().action_log()

        task = self.garage.sh_open_task_ids
        self.assertRecordValues(
            task,
            [
                {
                    "name": "Check the payment of $\xa0450.00 promised by Al Noor Garage",
                    "user_id": self.sales_user.id,
                    "date_deadline": fields.Date.to_date("2026-03-20"),
                    "state": "todo",
                    "interaction_id": self.garage.sh_interaction_ids.id,
                }
            ],
        )
        activity = self.garage.activity_ids
        self.assertRecordValues(
            activity,
            [
                {
                    "activity_type_id": self.task_type.id,
                    "summary": task.name,
                    "user_id": self.sales_user.id,
                    "date_deadline": fields.Date.to_date("2026-03-20"),
                }
            ],
        )

    def test_promise_recorded_later_creates_then_moves_its_task(self):
        interaction = self._interaction(self.garage, outcome="reached")
        self.assertFalse(self.garage.sh_open_task_ids)
        interaction.write(
            {"outcome": "promised_to_pay", "promise_date": fields.Date.to_date("2026-04-05")}
        )
        task = self.garage.sh_open_task_ids
        self.assertRecordValues(
            task,
            [
                {
                    "name": "Check the payment promised by Al Noor Garage",
                    "date_deadline": fields.Date.to_date("2026-04-05"),
                    "interaction_id": interaction.id,
                }
            ],
        )
        # The customer moves the promise: the same task follows, no second one.
        interaction.promise_date = fields.Date.to_date("2026-04-12")
        self.garage.invalidate_recordset(["sh_open_task_ids"])
        self.assertEqual(self.garage.sh_open_task_ids, task)
        self.assertEqual(task.date_deadline, fields.Date.to_date("2026-04-12"))
        self.assertEqual(task.activity_ids.date_deadline, fields.Date.to_date("2026-04-12"))

    def test_promise_to_pay_needs_a_date(self):
        with self.assertRaisesRegex(ValidationError, "promised to pay by"), self.cr.savepoint():
            self._interaction(self.garage, outcome="promised_to_pay")
        self.garage.invalidate_recordset(["sh_interaction_ids"])
        self.assertFalse(self.garage.sh_interaction_ids)

    def test_follow_up_date_creates_a_task(self):
        interaction = self._interaction(
            self.garage,
            outcome="reached",
            follow_up_date="2026-04-01",
            follow_up_note="Send the catalogue",
            user_id=self.other_user.id,
        )
        self.assertRecordValues(
            interaction.task_ids,
            [
                {
                    "name": "Send the catalogue",
                    "user_id": self.other_user.id,
                    "date_deadline": fields.Date.to_date("2026-04-01"),
                }
            ],
        )

    def test_invoice_must_belong_to_the_customer(self):
        other = self._customer("Desert Fleet", is_company=True)
        invoice = self._invoice(other, 100.0, "2026-01-10")
        with (
            self.assertRaisesRegex(ValidationError, "is not an invoice of Al Noor Garage"),
            self.cr.savepoint(),
        ):
            self._interaction(self.garage, invoice_id=invoice.id)
        own = self._invoice(self.garage, 100.0, "2026-01-10")
        self.assertEqual(self._interaction(self.garage, invoice_id=own.id).invoice_id, own)

    def test_nps_score_range(self):
        interaction = self._interaction(self.garage)
        with self.assertRaises(ValueError):
            interaction.nps_score = "11"

    def test_customer_with_interactions_cannot_be_deleted(self):
        self._interaction(self.garage, subject="First call")
        with self.assertRaisesRegex(
            UserError,
            "Al Noor Garage cannot be deleted: interactions have been logged with them. "
            "Archive the customer instead.",
        ):
            self.garage.unlink()
        self.assertTrue(self.garage.exists())
        self.assertEqual(self.garage.sh_interaction_ids.subject, "First call")
        # Without interactions a customer is deleted as before.
        plain = self._customer("Walk-in")
        plain.unlink()
        self.assertFalse(plain.exists())
        # Archiving is allowed.
        self.garage.action_archive()
        self.assertFalse(self.garage.active)
