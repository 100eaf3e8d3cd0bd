from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .webhook_common import ShWebhookCommon, closed_port_url, signature

NOW = datetime(2026, 3, 11, 9, 0, 0)


@tagged("post_install", "-at_install")
class TestWebhookDelivery(ShWebhookCommon):
    @freeze_time(NOW)
    def test_created_customer_is_posted_signed_after_the_commit(self):
        subscription = self._subscription(["customer.created"])
        customer = self._customer(
            "Al Noor Garage", customer_rank=1, is_company=True, email="noor@example.com"
        )
        delivery = self._deliveries(subscription)
        self.assertEqual(delivery.state, "pending")
        self.assertFalse(self.receiver.requests, "Nothing is sent before the commit.")

        self._after_commit()

        self.assertEqual(len(self.receiver.requests), 1)
        request = self.receiver.requests[0]
        body = request["body"]
        self.assertEqual(request["headers"]["X-SH-Event"], "customer.created")
        self.assertEqual(request["headers"]["X-SH-Delivery"], str(delivery.id))
        self.assertEqual(request["headers"]["X-SH-Signature"], signature(subscription.secret, body))
        self.assertNotEqual(request["headers"]["X-SH-Signature"], signature("another secret", body))
        sent = self.receiver.json()
        self.assertEqual(sent["id"], delivery.id)
        self.assertEqual(sent["event"], "customer.created")
        self.assertEqual(sent["created_at"], "2026-03-11 09:00:00")
        self.assertEqual(sent["company_id"], self.env.company.id)
        self.assertEqual(sent["data"]["id"], customer.id)
        self.assertEqual(sent["data"]["name"], "Al Noor Garage")
        self.assertEqual(sent["data"]["customer_code"], customer.sh_customer_code)
        self.assertEqual(sent["data"]["email"], "noor@example.com")
        self.assertTrue(sent["data"]["is_company"])
        self.assertRecordValues(
            delivery,
            [
                {
                    "state": "sent",
                    "attempt_count": 1,
                    "last_status_code": 200,
                    "sent_date": NOW,
                    "last_error": False,
                }
            ],
        )

    @freeze_time(NOW)
    def test_only_customers_and_their_meaningful_changes_are_sent(self):
        subscription = self._subscription(["customer.created", "customer.updated"])
        garage, workshop = self._customer("Garage", customer_rank=1) | self._customer(
            "Workshop", customer_rank=1
        )
        self._customer("Contact", parent_id=garage.id, customer_rank=1)
        self._customer("Supplier", supplier_rank=1)
        self.assertEqual(
            self._deliveries(subscription).mapped("res_id"),
            [garage.id, workshop.id],
            "A contact of a customer and a supplier are not customers.",
        )
        self._deliveries(subscription).unlink()

        (garage | workshop).write({"comment": "Pays cash"})
        self.assertFalse(self._deliveries(subscription), "An internal note is not sent.")

        (garage | workshop).write({"phone": "+966 11 555 0100"})
        deliveries = self._deliveries(subscription)
        self.assertEqual(deliveries.mapped("event_code"), ["customer.updated"] * 2)
        self.assertEqual(deliveries.mapped("res_id"), [garage.id, workshop.id])
        self.assertEqual(deliveries[0].payload["changed_fields"], ["phone"])
        self.assertEqual(deliveries[0].payload["phone"], "+966 11 555 0100")

    @freeze_time(NOW)
    def test_partner_becomes_a_customer_with_its_first_invoice(self):
        subscription = self._subscription(["customer.created"])
        partner = self._customer("Walk-in Buyer")
        self.assertFalse(self._deliveries(subscription))
        self._invoice(partner, 100.0, "2026-03-11")
        delivery = self._deliveries(subscription)
        self.assertEqual(delivery.res_id, partner.id)
        self.assertEqual(delivery.payload["name"], "Walk-in Buyer")
        # A second invoice does not announce it again.
        self._invoice(partner, 50.0, "2026-03-11")
        self.assertEqual(len(self._deliveries(subscription)), 1)

    @freeze_time(NOW)
    def test_each_company_receives_its_own_customers_and_the_shared_ones(self):
        other_company = self._second_company(name="SH Parts Jeddah")
        here = self._subscription(["customer.created"], name="Riyadh shop")
        there = self._subscription(
            ["customer.created"], name="Jeddah shop", company_id=other_company.id
        )
        own = self._customer("Riyadh Garage", customer_rank=1, company_id=self.env.company.id)
        shared = self._customer("Shared Fleet", customer_rank=1)
        self.assertEqual(self._deliveries(here).mapped("res_id"), [own.id, shared.id])
        self.assertEqual(self._deliveries(there).mapped("res_id"), [shared.id])

    def test_retried_with_backoff_after_a_failure_then_sent(self):
        with freeze_time(NOW) as frozen:
            subscription = self._subscription(["customer.created"])
            self._customer("Al Noor Garage", customer_rank=1)
            delivery = self._deliveries(subscription)
            self.receiver.statuses[:] = [500]
            self._after_commit()
            self.assertRecordValues(
                delivery,
                [
                    {
                        "state": "failed",
                        "attempt_count": 1,
                        "last_status_code": 500,
                        "last_error": "receiver is busy",
                        "next_attempt_date": NOW + timedelta(minutes=1),
                    }
                ],
            )
            # The cron is woken at the retry's time.
            cron = self.env.ref("sh_customers.ir_cron_sh_webhook_retry")
            triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
            self.assertIn(NOW + timedelta(minutes=1), triggers.mapped("call_at"))
            # Not due yet: the cron leaves it.
            frozen.move_to(NOW + timedelta(seconds=59))
            Delivery = self.env["sh.webhook.delivery"]
            Delivery._cron_sh_webhook_retry()
            self.assertEqual(len(self.receiver.requests), 1)

            frozen.move_to(NOW + timedelta(minutes=1))
            Delivery._cron_sh_webhook_retry()
            self.assertEqual(len(self.receiver.requests), 2)
            first, second = self.receiver.requests
            self.assertEqual(first["body"], second["body"], "A retry sends the same body.")
            self.assertEqual(second["headers"]["X-SH-Delivery"], str(delivery.id))
            self.assertRecordValues(
                delivery,
                [
                    {
                        "state": "sent",
                        "attempt_count": 2,
                        "last_status_code": 200,
                        "last_error": False,
                        "sent_date": NOW + timedelta(minutes=1),
                    }
                ],
            )

    def test_backoff_schedule_then_given_up(self):
        with freeze_time(NOW) as frozen:
            subscription = self._subscription(["customer.created"])
            self._customer("Al Noor Garage", customer_rank=1)
            delivery = self._deliveries(subscription)
            self.receiver.statuses[:] = [503] * 6
            self._after_commit()
            now = NOW
            waits = []
            for _attempt in range(5):
                self.assertEqual(delivery.state, "failed")
                waits.append(delivery.next_attempt_date - now)
                now = delivery.next_attempt_date
                frozen.move_to(now)
                self.env["sh.webhook.delivery"]._cron_sh_webhook_retry()
            self.assertEqual(
                waits,
                [
                    timedelta(minutes=1),
                    timedelta(minutes=5),
                    timedelta(minutes=30),
                    timedelta(hours=2),
                    timedelta(hours=12),
                ],
            )
            self.assertRecordValues(
                delivery,
                [
                    {
                        "state": "dead",
                        "attempt_count": 6,
                        "last_status_code": 503,
                        "next_attempt_date": False,
                    }
                ],
            )
            frozen.move_to(now + timedelta(days=2))
            self.env["sh.webhook.delivery"]._cron_sh_webhook_retry()
            self.assertEqual(len(self.receiver.requests), 6, "A delivery given up is not retried.")

            # Send Again starts over, and sends after the commit.
            delivery.action_sh_send_again()
            self._after_commit()
            self.assertRecordValues(
                delivery, [{"state": "sent", "attempt_count": 1, "last_status_code": 200}]
            )
            self.assertEqual(len(self.receiver.requests), 7)

    @freeze_time(NOW)
    def test_receiver_down_does_not_break_the_users_action(self):
        subscription = self._subscription(["customer.created"], url=closed_port_url())
        customers = self._customer("Garage", customer_rank=1) | self._customer(
            "Workshop", customer_rank=1
        )
        self._after_commit()
        self.assertTrue(customers.exists())
        first, second = self._deliveries(subscription)
        self.assertEqual(first.state, "failed")
        self.assertEqual(first.attempt_count, 1)
        self.assertFalse(first.last_status_code)
        self.assertIn("Connection refused", first.last_error)
        self.assertEqual(first.next_attempt_date, NOW + timedelta(minutes=1))
        # The receiver is not tried again in the same run: the other
        # delivery waits for the first one's retry, without an attempt.
        self.assertRecordValues(
            second,
            [
                {
                    "state": "pending",
                    "attempt_count": 0,
                    "next_attempt_date": NOW + timedelta(minutes=1),
                }
            ],
        )
        cron = self.env.ref("sh_customers.ir_cron_sh_webhook_retry")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertEqual(triggers.mapped("call_at"), [NOW + timedelta(minutes=1)])

    @freeze_time(NOW)
    def test_sent_by_the_cron_a_batch_at_a_time_never_in_the_users_request(self):
        subscription = self._subscription(["customer.created"])
        for name in ("Garage", "Workshop", "Fleet Co"):
            self._customer(name, customer_rank=1)
        deliveries = self._deliveries(subscription)
        self.env.flush_all()
        # The user's action only queued them, and woke the cron for now.
        self.assertFalse(self.receiver.requests)
        self.assertEqual(deliveries.mapped("state"), ["pending"] * 3)
        cron = self.env.ref("sh_customers.ir_cron_sh_webhook_retry")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertIn(NOW, triggers.mapped("call_at"))
        Delivery = self.env["sh.webhook.delivery"]
        Delivery._cron_sh_webhook_retry(batch_size=2)
        self.assertEqual(deliveries.mapped("state"), ["sent", "sent", "pending"])
        Delivery._cron_sh_webhook_retry(batch_size=2)
        self.assertEqual(deliveries.mapped("state"), ["sent"] * 3)
        self.assertEqual(
            sorted(request["headers"]["X-SH-Delivery"] for request in self.receiver.requests),
            sorted(str(delivery.id) for delivery in deliveries),
            "Each delivery is posted once.",
        )

    @freeze_time(NOW)
    def test_nothing_is_sent_for_a_rolled_back_action(self):
        subscription = self._subscription(["customer.created"])
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self._customer("Al Noor Garage", customer_rank=1)
            # The user's action fails after the customer was created.
            _ = 1 / 0
        self._after_commit()
        self.assertFalse(self._deliveries(subscription))
        self.assertFalse(self.receiver.requests)

    @freeze_time(NOW)
    def test_archived_webhook_is_not_sent_and_not_sent_again(self):
        subscription = self._subscription(["customer.created"], url=closed_port_url())
        self._customer("Al Noor Garage", customer_rank=1)
        self._after_commit()
        delivery = self._deliveries(subscription)
        subscription.action_archive()
        before = delivery.read(["state", "attempt_count", "next_attempt_date", "last_error"])
        with self.assertRaisesRegex(
            UserError,
            r"^The webhook Online shop is archived: restore it before sending its deliveries "
            r"again\.$",
        ):
            delivery.action_sh_send_again()
        self.assertEqual(
            delivery.read(["state", "attempt_count", "next_attempt_date", "last_error"]), before
        )
        cron = self.env.ref("sh_customers.ir_cron_sh_webhook_retry")
        self.assertFalse(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id), ("call_at", "=", NOW)])
        )
        self.env.flush_all()
        with freeze_time(NOW + timedelta(hours=1)):
            self.env["sh.webhook.delivery"]._cron_sh_webhook_retry()
        self.assertEqual(delivery.attempt_count, 1)
        self._customer("Workshop", customer_rank=1)
        self.assertEqual(
            len(self._deliveries(subscription)), 1, "An archived webhook gets nothing."
        )


@tagged("post_install", "-at_install")
class TestWebhookOverdue(ShWebhookCommon):
    def test_invoices_are_sent_once_the_day_after_they_fall_due(self):
        subscription = self._subscription(["invoice.overdue"])
        garage = self._customer("Al Noor Garage", customer_rank=1)
        with freeze_time("2026-03-01"):
            due_10 = self._invoice(
                garage, 100.0, "2026-03-01", invoice_date_due="2026-03-10", taxes=self.tax_15
            )
            paid_10 = self._invoice(garage, 40.0, "2026-03-01", invoice_date_due="2026-03-10")
            self._pay(paid_10)
            due_12 = self._invoice(garage, 200.0, "2026-03-01", invoice_date_due="2026-03-12")
            self._pay(due_12, amount=50.0)
            due_13 = self._invoice(garage, 80.0, "2026-03-01", invoice_date_due="2026-03-13")
            self._invoice(garage, 60.0, "2026-03-01", invoice_date_due="2026-03-14")
        Move = self.env["account.move"]
        with freeze_time("2026-03-11 02:00:00"):
            Move._cron_sh_webhook_invoice_overdue()
        delivery = self._deliveries(subscription)
        self.assertEqual(delivery.res_id, due_10.id)
        # 100.00 untaxed + 15.00 VAT, nothing paid.
        self.assertEqual(delivery.payload["amount_total"], 115.0)
        self.assertEqual(delivery.payload["amount_residual"], 115.0)
        self.assertEqual(delivery.payload["due_date"], "2026-03-10")
        self.assertEqual(delivery.payload["number"], due_10.name)
        self.assertEqual(delivery.payload["customer"]["id"], garage.id)
        # Run again the same day: nothing new.
        with freeze_time("2026-03-11 05:00:00"):
            Move._cron_sh_webhook_invoice_overdue()
        self.assertEqual(len(self._deliveries(subscription)), 1)
        # Three days without a check: the invoices due on the 12th and the
        # 13th are sent, not the one due today nor the one of the 10th again.
        with freeze_time("2026-03-14 02:00:00"):
            Move._cron_sh_webhook_invoice_overdue()
        deliveries = self._deliveries(subscription)
        self.assertEqual(deliveries.mapped("res_id"), [due_10.id, due_12.id, due_13.id])
        # 200.00 less the 50.00 paid.
        self.assertEqual(deliveries[1].payload["amount_residual"], 150.0)


@tagged("post_install", "-at_install")
class TestWebhookAccess(ShWebhookCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls._subscription(["customer.created"])
        cls._customer("Al Noor Garage", customer_rank=1)
        cls.delivery = cls.env["sh.webhook.delivery"].search(
            [("subscription_id", "=", cls.subscription.id)]
        )

    def test_customers_users_see_no_webhook_nor_secret(self):
        user = self._sales_user("sh_webhook_sales")
        for model, record in (
            ("sh.webhook.subscription", self.subscription),
            ("sh.webhook.delivery", self.delivery),
        ):
            with self.assertRaises(AccessError):
                self.env[model].with_user(user).search([])
            with self.assertRaises(AccessError):
                record.with_user(user).read(["id"])
        with self.assertRaises(AccessError):
            self.env["sh.webhook.subscription"].with_user(user).create(
                {"name": "Mine", "url": "https://evil.example.com"}
            )

    def test_a_customers_user_still_emits_events(self):
        user = self._company_user(
            "sh_webhook_editor", "sh_customers.sh_customers_group_user,base.group_partner_manager"
        )
        customer = (
            self.env["res.partner"].with_user(user).create({"name": "Fleet Co", "customer_rank": 1})
        )
        self.assertEqual(
            self.env["sh.webhook.delivery"]
            .search([("subscription_id", "=", self.subscription.id)])
            .mapped("res_id")[0],
            customer.id,
        )

    def test_managers_see_their_companies_webhooks_only(self):
        manager = self._company_user(
            "sh_webhook_manager", "sh_customers.sh_customers_group_manager"
        )
        other_company = self._second_company(name="SH Parts Jeddah")
        other_manager = self._company_user(
            "sh_webhook_manager_2", "sh_customers.sh_customers_group_manager", other_company
        )
        Subscription = self.env["sh.webhook.subscription"]
        self.assertEqual(Subscription.with_user(manager).search([]), self.subscription)
        self.assertEqual(self.subscription.with_user(manager).secret, self.subscription.secret)
        self.assertFalse(Subscription.with_user(other_manager).search([]))
        self.assertFalse(self.env["sh.webhook.delivery"].with_user(other_manager).search([]))

    def test_refused_subscriptions_change_nothing(self):
        Subscription = self.env["sh.webhook.subscription"]
        count = Subscription.search_count([])
        event = self.env.ref("sh_customers.sh_webhook_event_customer_created")
        refused_url = (
            "The webhook URL %s is not a web address: it must start with http:// or https://, "
            "such as https://shop.example.com/hooks/customers."
        )
        cases = [
            (
                {"name": "Shop", "url": "shop.example.com/hooks", "event_ids": [(6, 0, event.ids)]},
                refused_url % "shop.example.com/hooks",
            ),
            (
                {"name": "Shop", "url": "ftp://shop.example.com", "event_ids": [(6, 0, event.ids)]},
                refused_url % "ftp://shop.example.com",
            ),
            (
                {"name": "Shop", "url": "https://shop.example.com/hooks"},
                "Choose at least one event for the webhook Shop.",
            ),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as refused, self.env.cr.savepoint():
                    Subscription.create(vals)
                self.assertEqual(str(refused.exception), message)
                self.assertEqual(Subscription.search_count([]), count)
        before = self.subscription.read(["url", "event_ids"])
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.subscription.write({"url": "not a url"})
        self.subscription.invalidate_recordset()
        self.assertEqual(self.subscription.read(["url", "event_ids"]), before)

    def test_manager_sets_a_webhook_up_in_its_form(self):
        manager = self._company_user("sh_webhook_form", "sh_customers.sh_customers_group_manager")
        form = Form(self.env["sh.webhook.subscription"].with_user(manager))
        form.name = "Call centre"
        form.url = "https://calls.example.com/hooks"
        form.event_ids.add(self.env.ref("sh_customers.sh_webhook_event_customer_updated"))
        subscription = form.save()
        self.assertEqual(subscription.company_id, self.env.company)
        self.assertEqual(len(subscription.secret), 64)
        self.assertEqual(subscription.event_ids.mapped("code"), ["customer.updated"])
        # The deliveries' log opens with its list, form and search views.
        Delivery = self.env["sh.webhook.delivery"].with_user(manager)
        views = Delivery.get_views([(False, "list"), (False, "form"), (False, "search")])
        self.assertEqual(set(views["views"]), {"list", "form", "search"})
        delivery_form = Form(self.delivery.with_user(manager))
        self.assertEqual(delivery_form.state, "pending")
        self.assertIn('"name": "Al Noor Garage"', delivery_form.payload_text)

    def test_new_secret_signs_the_next_deliveries(self):
        old = self.subscription.secret
        self.subscription.action_sh_new_secret()
        self.assertNotEqual(self.subscription.secret, old)
        self.assertEqual(len(self.subscription.secret), 64)
