import json

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.sh_customers.tests.webhook_common import Receiver, closed_port_url

from .common import ShInteractionsCommon

TOKEN = "EAAG-test-token"
NUMBER_ID = "106540352242922"


def api_error(status, code, message):
    return (status, json.dumps({"error": {"message": message, "code": code}}).encode())


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 10:00:00")
class TestWhatsAppCloud(ShInteractionsCommon):
    """The WhatsApp channel of the message templates through the WhatsApp
    Business Cloud API, against a fake API on the test machine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api = Receiver()
        cls.api.answer = json.dumps({"messages": [{"id": "wamid.HBgMOTY2"}]}).encode()
        cls.addClassCleanup(cls.api.stop)
        cls.garage.lang = "en_US"
        cls.workshop = cls._customer(
            "Al Amal Workshop", is_company=True, lang="en_US", mobile="+966551112233"
        )
        cls.template = cls.env.ref("sh_interactions.sh_communication_template_thank_you")
        cls.env.company.write(
            {
                "sh_whatsapp_phone_number_id": NUMBER_ID,
                "sh_whatsapp_token": TOKEN,
                "sh_whatsapp_api_url": cls.api.url("/v19.0"),
            }
        )

    def setUp(self):
        super().setUp()
        self.api.requests.clear()
        self.api.statuses.clear()

    def _wizard(self, partners, user=None):
        wizard = Form(
            self.env["sh.communication.send"]
            .with_user(user or self.sales_user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
        )
        wizard.template_id = self.template
        wizard.channel = "whatsapp"
        return wizard.save()

    def _snapshot(self):
        return sorted(
            self.env["sh.customer.interaction"].search([]).mapped(lambda i: (i.partner_id.id, i.id))
        )

    def test_sent_through_the_api_and_logged(self):
        wizard = self._wizard(self.garage)
        action = wizard.action_send()
        self.assertEqual(action["res_model"], "sh.communication.send", "No click-to-chat link.")
        self.assertEqual(len(self.api.requests), 1)
        request = self.api.requests[0]
        self.assertEqual(request["path"], f"/v19.0/{NUMBER_ID}/messages")
        self.assertEqual(request["headers"]["Authorization"], f"Bearer {TOKEN}")
        body = self.template._render_messages(self.garage)[self.garage.id]["body"]
        self.assertEqual(
            json.loads(request["body"]),
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "966501234567",
                "type": "text",
                "text": {"preview_url": False, "body": body},
            },
        )
        self.assertEqual(wizard.state, "done")
        self.assertIn("Sent: 1", wizard.report_html)
        interaction = self.garage.sh_interaction_ids
        self.assertRecordValues(
            interaction,
            [
                {
                    "channel": "whatsapp",
                    "direction": "out",
                    "outcome": "message_sent",
                    "summary": body,
                    "user_id": self.sales_user.id,
                }
            ],
        )

    def test_refused_message_is_reported_and_not_logged(self):
        self.api.statuses[:] = [
            api_error(400, 131030, "(#131030) Recipient phone number not in allowed list"),
        ]
        wizard = self._wizard(self.garage | self.workshop)
        wizard.action_send()
        # The customers are sent to by name: Al Amal Workshop first.
        self.assertEqual(
            [json.loads(request["body"])["to"] for request in self.api.requests],
            ["966551112233", "966501234567"],
        )
        self.assertIn("Sent: 1", wizard.report_html)
        self.assertIn("Skipped: 1", wizard.report_html)
        self.assertIn(
            "Al Amal Workshop: WhatsApp did not send the message: (#131030) Recipient phone "
            "number not in allowed list",
            wizard.report_html,
        )
        self.assertFalse(self.workshop.sh_interaction_ids)
        self.assertEqual(self.garage.sh_interaction_ids.channel, "whatsapp")

    def test_refused_account_sends_nothing_and_changes_nothing(self):
        self.api.statuses[:] = [
            api_error(401, 190, "Error validating access token: Session has expired."),
        ]
        wizard = self._wizard(self.garage | self.workshop)
        before = self._snapshot()
        with self.assertRaises(UserError) as refused:
            wizard.action_send()
        self.assertEqual(
            str(refused.exception),
            "WhatsApp refused the company's account, so nothing was sent: Error validating "
            "access token: Session has expired. Check the phone number ID and the access token "
            "in the settings.",
        )
        self.assertEqual(len(self.api.requests), 1, "The second customer is not tried.")
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(wizard.state, "draft")

    def test_answer_that_is_not_json_is_reported(self):
        self.api.statuses[:] = [(502, b"Bad Gateway")]
        wizard = self._wizard(self.garage)
        before = self._snapshot()
        with self.assertRaises(UserError) as refused:
            wizard.action_send()
        self.assertEqual(str(refused.exception), "WhatsApp did not send the message: Bad Gateway")
        self.assertEqual(self._snapshot(), before)

    @mute_logger("odoo.addons.sh_interactions.models.res_company")
    def test_unreachable_api_sends_nothing_and_changes_nothing(self):
        self.env.company.sh_whatsapp_api_url = closed_port_url().removesuffix("/hooks")
        wizard = self._wizard(self.garage)
        before = self._snapshot()
        with self.assertRaises(UserError) as refused:
            wizard.action_send()
        self.assertTrue(
            str(refused.exception).startswith("The WhatsApp Business API at http://127.0.0.1:")
        )
        self.assertTrue(
            str(refused.exception).endswith(
                "could not be reached; nothing was sent. Check the API address in the "
                "settings, or try again later."
            )
        )
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(wizard.state, "draft")

    def test_click_to_chat_without_an_account(self):
        self.env.company.sh_whatsapp_token = False
        action = self._wizard(self.garage).action_send()
        self.assertTrue(action["url"].startswith("https://wa.me/966501234567?text="))
        self.assertFalse(self.api.requests)
        self.assertEqual(self.garage.sh_interaction_ids.channel, "whatsapp")

    def test_only_managers_see_and_set_the_account(self):
        company = self.env.company
        with self.assertRaises(AccessError):
            company.with_user(self.sales_user).read(["sh_whatsapp_token"])
        with self.assertRaises(AccessError):
            company.with_user(self.sales_user).sh_whatsapp_token  # noqa: B018
        self.assertEqual(company.with_user(self.manager).sh_whatsapp_token, TOKEN)
        # A Customers user still sends with the company's account.
        self._wizard(self.garage).action_send()
        self.assertEqual(len(self.api.requests), 1)

    def test_account_is_set_in_the_settings(self):
        Settings = self.env["res.config.settings"]
        self.assertEqual(Settings.create({}).sh_whatsapp_phone_number_id, NUMBER_ID)
        Settings.create(
            {
                "sh_whatsapp_phone_number_id": "200000000000001",
                "sh_whatsapp_token": "EAAG-new-token",
            }
        ).execute()
        company = self.env.company
        self.assertEqual(company.sh_whatsapp_phone_number_id, "200000000000001")
        self.assertEqual(company.sh_whatsapp_token, "EAAG-new-token")
        self._wizard(self.garage).action_send()
        self.assertEqual(self.api.requests[0]["path"], "/v19.0/200000000000001/messages")
        self.assertEqual(self.api.requests[0]["headers"]["Authorization"], "Bearer EAAG-new-token")

    def test_refused_settings_change_nothing(self):
        company = self.env.company
        cases = [
            (
                {"sh_whatsapp_phone_number_id": "+966 50 123"},
                (
                    "The WhatsApp phone number ID is the number Meta gives the phone number, "
                    "digits only, such as 106540352242922; +966 50 123 is not one."
                ),
            ),
            (
                {"sh_whatsapp_api_url": "graph.facebook.com"},
                (
                    "The WhatsApp API address graph.facebook.com is not a web address, such as "
                    "https://graph.facebook.com/v19.0."
                ),
            ),
        ]
        fnames = ["sh_whatsapp_phone_number_id", "sh_whatsapp_api_url", "sh_whatsapp_token"]
        before = company.read(fnames)
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as refused, self.env.cr.savepoint():
                    company.write(vals)
                self.assertEqual(str(refused.exception), message)
                company.invalidate_recordset()
                self.assertEqual(company.read(fnames), before)
