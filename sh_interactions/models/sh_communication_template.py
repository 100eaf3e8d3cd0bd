"""Communication templates: messages to customers by purpose, rendered in
the customer's language with their figures, and sent by e-mail, SMS or
WhatsApp."""

import re
from types import SimpleNamespace
from urllib.parse import quote

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from odoo.addons.sh_customers.figures.rules import DEBT_GROUPS

from .res_company import ShWhatsAppError

PURPOSES = [
    ("payment_reminder", "Payment Reminder"),
    ("thank_you", "Thank You"),
    ("points_expiring", "Points Expiring"),
    ("tier_upgrade", "Tier Upgrade"),
    ("win_back", "Inactive Customer Win-back"),
    ("other", "Other"),
]

SEND_CHANNELS = [("email", "E-mail"), ("sms", "SMS"), ("whatsapp", "WhatsApp")]


class ShCommunicationTemplate(models.Model):
    _name = "sh.communication.template"
    _description = "Communication Template"
    _inherit = ["mail.render.mixin"]
    _order = "sequence, id"
    # Only Customers managers edit the templates (access rights); every
    # Customers user renders them.
    _unrestricted_rendering = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    purpose = fields.Selection(PURPOSES, required=True, default="other")
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use the template in every company.",
    )
    subject = fields.Char(
        translate=True,
        help="Subject of the e-mail; not used by SMS and WhatsApp.",
    )
    body = fields.Text(
        string="Message",
        required=True,
        translate=True,
        help="The text sent by e-mail, SMS or WhatsApp, in the customer's language. "
        "Placeholders: {{ customer.name }}, {{ customer.debt }}, {{ customer.overdue }}, "
        "{{ customer.points }}, {{ customer.expiring_points }}, {{ customer.expiring_date }}, "
        "{{ customer.tier }}, {{ customer.last_invoice }} (number, "
        "date and amount), {{ customer.last_invoice_number }}, {{ customer.last_invoice_date }}, "
        "{{ customer.last_invoice_amount }}, {{ customer.company }}.",
    )

    def _compute_render_model(self):
        self.render_model = "res.partner"

    def _check_access_right_dynamic_template(self):
        # Customers managers maintain these templates (only they may write
        # them); their placeholders are evaluated in Odoo's sandbox.
        if self.env.user.has_group("sh_customers.sh_customers_group_manager"):
            return
        super()._check_access_right_dynamic_template()

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------

    def _render_messages(self, partners):
        """Subject and text of the message to each of ``partners``, in the
        customer's language: ``{partner_id: {"subject": ..., "body": ...}}``."""
        self.ensure_one()
        self._check_debt_access()
        result = {}
        for lang, lang_partners in partners.grouped(
            lambda partner: partner.lang or self.env.lang or "en_US"
        ).items():
            template = self.with_context(lang=lang)
            lang_partners = lang_partners.with_context(lang=lang)
            values = lang_partners._sh_message_values()
            for partner in lang_partners:
                context = {"customer": SimpleNamespace(**values[partner.id])}
                result[partner.id] = {
                    fname: template._tidy(
                        template._render_template_inline_template(
                            template[fname] or "", "res.partner", partner.ids, add_context=context
                        )[partner.id]
                    )
                    for fname in ("subject", "body")
                }
        return result

    def _check_debt_access(self):
        """A message showing a debt is sent only by users who may see it."""
        shows_debt = re.compile(r"customer\.(debt|overdue)\b")
        if self.env.user.has_groups(DEBT_GROUPS):
            return
        for template in self.with_context(lang="en_US"):
            if shows_debt.search(template.subject or "") or shows_debt.search(template.body):
                raise UserError(
                    _(
                        "The template %(template)s shows the customer's debt: only users who "
                        "may see receivables can send it.",
                        template=template.name,
                    )
                )

    @api.model
    def _tidy(self, text):
        """Drop the spaces left by empty values (a customer without a tier)."""
        return re.sub(r"[ \t]{2,}", " ", text).replace(" .", ".").strip()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _recipient(self, partner, channel):
        """Address or number the message goes to, False when missing."""
        if channel == "email":
            return partner.email or False
        number = partner.mobile or partner.phone
        if channel == "whatsapp":
            return partner._sh_international_number(number)
        return number or False

    @api.model
    def _missing_recipient_reason(self, channel):
        if channel == "email":
            return _("No e-mail address")
        return _("No mobile or phone number")

    def _send(self, partners, channel, messages=None):
        """Send the template to ``partners`` through ``channel`` and log an
        interaction per message sent. Customers without an e-mail address or
        a number are skipped, not failed.

        WhatsApp messages go through the company's WhatsApp Business Cloud
        API when it has one (``res.company._sh_whatsapp_send_text``), as
        click-to-chat links otherwise; a message the API does not send is
        failed, not logged.

        :return: dict with ``sent`` (partners), ``skipped`` ({partner_id:
            reason}), ``failed`` ({partner_id: reason}) and ``links``
            ({partner_id: WhatsApp URL})
        """
        self.ensure_one()
        messages = messages or self._render_messages(partners)
        skipped = {}
        failed = {}
        links = {}
        sent = self.env["res.partner"]
        company = self.env.company
        cloud = channel == "whatsapp" and company._sh_whatsapp_cloud()
        # Why no message can go through the API (its account is refused).
        blocked = None
        for partner in partners:
            recipient = self._recipient(partner, channel)
            if not recipient:
                skipped[partner.id] = self._missing_recipient_reason(channel)
                continue
            if blocked:
                failed[partner.id] = blocked
                continue
            message = messages[partner.id]
            # Customers users write to the customers they see without
            # necessarily being allowed to edit them; the message keeps the
            # user as its author.
            partner_sudo = partner.sudo()
            if channel == "email":
                partner_sudo.message_post(
                    body=plaintext2html(message["body"]),
                    subject=message["subject"] or self.name,
                    author_id=self.env.user.partner_id.id,
                    partner_ids=partner.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
            elif channel == "sms":
                partner_sudo._message_sms(
                    message["body"],
                    author_id=self.env.user.partner_id.id,
                    partner_ids=partner.ids,
                )
            elif cloud:
                try:
                    company._sh_whatsapp_send_text(recipient, message["body"])
                except ShWhatsAppError as error:
                    failed[partner.id] = str(error)
                    blocked = error.every and str(error)
                    continue
            else:
                links[partner.id] = f"https://wa.me/{recipient}?text={quote(message['body'])}"
            sent |= partner
        self.env["sh.customer.interaction"].with_context(sh_interaction_no_note=True).create(
            [
                {
                    "partner_id": partner.id,
                    "channel": channel,
                    "direction": "out",
                    "outcome": "message_sent",
                    "subject": messages[partner.id]["subject"] or self.name,
                    "summary": messages[partner.id]["body"],
                }
                for partner in sent
            ]
        )
        return {"sent": sent, "skipped": skipped, "failed": failed, "links": links}
