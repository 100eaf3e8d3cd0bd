"""The company's WhatsApp Business Cloud API account (phone number id,
access token, API address), with which the message templates' WhatsApp
channel sends its messages instead of offering click-to-chat links."""

import logging
from urllib.parse import urlsplit

import requests

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

MANAGERS = "sh_customers.sh_customers_group_manager"
DEFAULT_API_URL = "https://graph.facebook.com/v19.0"
# Seconds to connect to the API, and to wait for its answer.
TIMEOUT = (3.05, 10)


class ShWhatsAppError(Exception):
    """The API did not send a message; ``every`` when no other message
    can be sent either (the account or the API address is wrong, the API
    cannot be reached)."""

    def __init__(self, message, every=False):
        super().__init__(message)
        self.every = every


class ResCompany(models.Model):
    _inherit = "res.company"

    sh_whatsapp_phone_number_id = fields.Char(
        string="WhatsApp Phone Number ID",
        groups=MANAGERS,
        help="The phone number id of the company's WhatsApp Business account (Meta's "
        "WhatsApp Manager, API setup). With an access token, WhatsApp messages are sent "
        "through the WhatsApp Business Cloud API; without, they open as click-to-chat links.",
    )
    sh_whatsapp_token = fields.Char(
        string="WhatsApp Access Token",
        groups=MANAGERS,
        copy=False,
        help="Access token of the WhatsApp Business account (a system user's permanent token).",
    )
    sh_whatsapp_api_url = fields.Char(
        string="WhatsApp API Address",
        groups=MANAGERS,
        default=DEFAULT_API_URL,
        help="Address of the WhatsApp Business Cloud API, with its version.",
    )

    @api.constrains("sh_whatsapp_phone_number_id", "sh_whatsapp_api_url")
    def _check_sh_whatsapp(self):
        for company in self.sudo():
            number_id = company.sh_whatsapp_phone_number_id
            if number_id and not number_id.strip().isdigit():
                raise ValidationError(
                    _(
                        "The WhatsApp phone number ID is the number Meta gives the phone "
                        "number, digits only, such as 106540352242922; %(value)s is not one.",
                        value=number_id,
                    )
                )
            parts = urlsplit(company.sh_whatsapp_api_url or DEFAULT_API_URL)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValidationError(
                    _(
                        "The WhatsApp API address %(url)s is not a web address, such as "
                        "%(default)s.",
                        url=company.sh_whatsapp_api_url,
                        default=DEFAULT_API_URL,
                    )
                )

    def _sh_whatsapp_cloud(self):
        """Whether the company sends WhatsApp messages through the Cloud API."""
        self.ensure_one()
        # sudo: Customers users send with the account that only managers see.
        company = self.sudo()
        return bool(company.sh_whatsapp_phone_number_id and company.sh_whatsapp_token)

    def _sh_whatsapp_send_text(self, number, text):
        """Send ``text`` to ``number`` (international, digits only) through
        the Cloud API; returns the message id that WhatsApp gives.

        :raise ShWhatsAppError: with a translated reason when it is not sent
        """
        self.ensure_one()
        # sudo: see _sh_whatsapp_cloud
        company = self.sudo()
        base = (company.sh_whatsapp_api_url or DEFAULT_API_URL).rstrip("/")
        url = f"{base}/{company.sh_whatsapp_phone_number_id.strip()}/messages"
        try:
            response = requests.post(
                url,
                json={
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": number,
                    "type": "text",
                    "text": {"preview_url": False, "body": text},
                },
                headers={"Authorization": f"Bearer {company.sh_whatsapp_token.strip()}"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as error:
            _logger.warning("WhatsApp Cloud API %s unreachable: %s", url, error)
            raise ShWhatsAppError(
                _(
                    "The WhatsApp Business API at %(url)s could not be reached; nothing was "
                    "sent. Check the API address in the settings, or try again later.",
                    url=base,
                ),
                every=True,
            ) from error
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        if response.ok and answer.get("messages"):
            return answer["messages"][0].get("id")
        error = answer.get("error") or {}
        reason = error.get("message") or response.text[:200] or response.reason
        if response.status_code in (401, 403) or error.get("code") in (10, 190, 200):
            raise ShWhatsAppError(
                _(
                    "WhatsApp refused the company's account, so nothing was sent: %(reason)s "
                    "Check the phone number ID and the access token in the settings.",
                    reason=reason,
                ),
                every=True,
            )
        raise ShWhatsAppError(_("WhatsApp did not send the message: %(reason)s", reason=reason))
