import threading

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from .webhook_common import Receiver


@tagged("post_install", "-at_install")
class TestWebhookCommitted(TransactionCase):
    """Real transactions, committed or rolled back, as a user's request
    ends: the deliveries are sent by the cron the commit wakes, never in the
    user's transaction, and two senders at once post each delivery once."""

    def setUp(self):
        super().setUp()
        self.receiver = Receiver()
        self.addCleanup(self.receiver.stop)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            event = env.ref("sh_customers.sh_webhook_event_customer_created")
            subscription = env["sh.webhook.subscription"].create(
                {
                    "name": "SH committed shop",
                    "url": self.receiver.url(),
                    "event_ids": [(6, 0, event.ids)],
                }
            )
            cr.commit()  # pylint: disable=invalid-commit
        self.subscription_id = subscription.id
        self.partner_ids = []
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env["sh.webhook.subscription"].browse(self.subscription_id).unlink()
            env["res.partner"].browse(self.partner_ids).exists().unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _create_customers(self, cr, *names):
        env = api.Environment(cr, SUPERUSER_ID, {})
        partners = env["res.partner"].create([{"name": name, "customer_rank": 1} for name in names])
        self.partner_ids += partners.ids
        return partners

    def _states(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            deliveries = env["sh.webhook.delivery"].search(
                [("subscription_id", "=", self.subscription_id)], order="id"
            )
            return deliveries.mapped("state")

    def _triggered(self):
        """The number of triggers of the sending cron due now."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref("sh_customers.ir_cron_sh_webhook_retry")
            return env["ir.cron.trigger"].search_count(
                [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())]
            )

    def test_sent_by_the_cron_once_the_transaction_commits(self):
        triggered = self._triggered()
        with self.registry.cursor() as cr:
            partner = self._create_customers(cr, "SH Committed Garage")
            cr.flush()
            cr.commit()  # pylint: disable=invalid-commit
        # The user's request is over: nothing was posted in it, the cron
        # is woken for now.
        self.assertFalse(self.receiver.requests)
        self.assertEqual(self._states(), ["pending"])
        self.assertEqual(self._triggered(), triggered + 1)
        with self.registry.cursor() as cr:
            # The environment is kept until the commit flushes it.
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["sh.webhook.delivery"]._cron_sh_webhook_retry()
        self.assertEqual(len(self.receiver.requests), 1)
        self.assertEqual(self.receiver.json()["data"]["id"], partner.id)
        self.assertEqual(self._states(), ["sent"])

    def test_nothing_sent_when_the_transaction_rolls_back(self):
        triggered = self._triggered()
        with self.registry.cursor() as cr:
            self._create_customers(cr, "SH Rolled Back Garage")
            cr.flush()
            cr.rollback()
            cr.commit()  # pylint: disable=invalid-commit
        self.assertFalse(self.receiver.requests)
        self.assertEqual(self._states(), [])
        self.assertEqual(self._triggered(), triggered, "The cron is not woken either.")

    def test_two_senders_at_once_post_each_delivery_once(self):
        with self.registry.cursor() as cr:
            self._create_customers(cr, "SH Garage A", "SH Garage B", "SH Garage C")
            cr.flush()
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._states(), ["pending"] * 3)
        barrier = threading.Barrier(2)
        errors = []
        # One environment (and transaction) per thread, opened here as
        # Odoo's own concurrency tests do.
        envs = [api.Environment(self.registry.cursor(), SUPERUSER_ID, {}) for _i in range(2)]
        for env in envs:
            self.addCleanup(env.cr.close)

        def send(env):
            try:
                deliveries = env["sh.webhook.delivery"].search(
                    [("subscription_id", "=", self.subscription_id)]
                )
                barrier.wait(timeout=10)
                deliveries._sh_deliver()
                env.cr.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                env.cr.rollback()
                errors.append(error)

        threads = [threading.Thread(target=send, args=(env,)) for env in envs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        self.assertEqual(
            sorted(request["headers"]["X-SH-Delivery"] for request in self.receiver.requests),
            sorted({request["headers"]["X-SH-Delivery"] for request in self.receiver.requests}),
        )
        self.assertEqual(len(self.receiver.requests), 3)
        self.assertEqual(self._states(), ["sent"] * 3)
