from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sh_customers.tests.webhook_common import ShWebhookCommon, signature

from .common import ShInteractionsCommon


@tagged("post_install", "-at_install")
class TestInteractionWebhooks(ShInteractionsCommon, ShWebhookCommon):
    @freeze_time("2026-03-10 10:00:00")
    def test_logged_interaction_is_posted(self):
        subscription = self._subscription(["interaction.logged"], name="Call centre")
        interaction = (
            self.env["sh.customer.interaction"]
            .with_user(self.sales_user)
            .create(
                {
                    "partner_id": self.contact.id,
                    "channel": "phone",
                    "direction": "in",
                    "outcome": "reached",
                    "subject": "Called about the overdue invoice",
                    "duration": 0.25,
                }
            )
        )
        delivery = self._deliveries(subscription)
        self.assertEqual(delivery.res_id, interaction.id)
        self._after_commit()
        request = self.receiver.requests[0]
        self.assertEqual(request["headers"]["X-SH-Event"], "interaction.logged")
        self.assertEqual(
            request["headers"]["X-SH-Signature"], signature(subscription.secret, request["body"])
        )
        data = self.receiver.json()["data"]
        self.assertEqual(data["id"], interaction.id)
        # Logged on the contact, the interaction belongs to the customer.
        self.assertEqual(data["customer"]["id"], self.garage.id)
        self.assertEqual(data["customer"]["name"], "Al Noor Garage")
        self.assertEqual(data["date"], "2026-03-10 10:00:00")
        self.assertEqual(data["channel"], "phone")
        self.assertEqual(data["direction"], "in")
        self.assertEqual(data["outcome"], "reached")
        self.assertEqual(data["duration_hours"], 0.25)
        self.assertEqual(data["user"], {"id": self.sales_user.id, "name": "Salma Sales"})
        self.assertEqual(delivery.state, "sent")
