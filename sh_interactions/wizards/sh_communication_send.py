from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.sh_communication_template import SEND_CHANNELS


class ShCommunicationSend(models.TransientModel):
    _name = "sh.communication.send"
    _description = "Send a Message to Customers"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )
    template_id = fields.Many2one(
        "sh.communication.template",
        required=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', current_company_id)]",
    )
    channel = fields.Selection(SEND_CHANNELS, string="Send by", required=True, default="email")
    preview_html = fields.Html(
        string="Preview", compute="_compute_preview_html", sanitize=False, readonly=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Sent")], string="Status", default="draft", readonly=True
    )
    report_html = fields.Html(string="Report", sanitize=False, readonly=True)

    @api.model
    def _default_partner_ids(self):
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_ids"):
            partners = self.env["res.partner"].browse(context["active_ids"])
            return partners.commercial_partner_id.ids
        return []

    @api.depends("partner_ids", "template_id", "channel")
    def _compute_preview_html(self):
        for wizard in self:
            lines = wizard._preview_lines()
            wizard.preview_html = lines and self.env["ir.qweb"]._render(
                "sh_interactions.communication_preview", {"lines": lines}
            )

    def _preview_lines(self):
        """One line per customer: recipient, rendered subject and text, or
        the reason the customer will be skipped."""
        self.ensure_one()
        partners = self.partner_ids._origin
        if not self.template_id or not partners:
            return []
        template = self.template_id._origin
        messages = template._render_messages(partners)
        lines = []
        for partner in partners:
            recipient = template._recipient(partner, self.channel)
            lines.append(
                {
                    "partner": partner,
                    "recipient": recipient,
                    "subject": messages[partner.id]["subject"] if self.channel == "email" else "",
                    "body": messages[partner.id]["body"],
                    "skip_reason": not recipient
                    and template._missing_recipient_reason(self.channel),
                }
            )
        return lines

    def action_send(self):
        self.ensure_one()
        if self.state == "done":
            raise UserError(_("These messages have already been sent."))
        result = self.template_id._send(self.partner_ids, self.channel)
        if result["failed"] and not result["sent"]:
            # Nothing went out: say why, and keep the wizard as it was.
            raise UserError("\n".join(dict.fromkeys(result["failed"].values())))
        if self.channel == "whatsapp" and len(self.partner_ids) == 1 and result["links"]:
            return {
                "type": "ir.actions.act_url",
                "url": next(iter(result["links"].values())),
                "target": "new",
            }
        partners = {partner.id: partner for partner in self.partner_ids}
        failed = result["failed"]
        self.write(
            {
                "state": "done",
                "report_html": self.env["ir.qweb"]._render(
                    "sh_interactions.communication_report",
                    {
                        "sent_label": self.env._("Sent: %(count)s", count=len(result["sent"])),
                        "skipped_label": self.env._(
                            "Skipped: %(count)s", count=len(result["skipped"]) + len(failed)
                        ),
                        "skipped": [
                            self.env._(
                                "%(customer)s: %(reason)s",
                                customer=partners[partner_id].display_name,
                                reason=reason,
                            )
                            for partner_id, reason in (result["skipped"] | failed).items()
                        ],
                        "links": [
                            (partners[partner_id], url)
                            for partner_id, url in result["links"].items()
                        ],
                    },
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Messages Sent"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }
