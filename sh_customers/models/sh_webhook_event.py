"""The events other systems (the shop, the call centre, BI) can subscribe
to with a webhook: one record per event, added by the addon that emits it."""

from odoo import fields, models


class ShWebhookEvent(models.Model):
    _name = "sh.webhook.event"
    _description = "Webhook Event"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        readonly=True,
        help="Sent to the receiver in the X-SH-Event header and the body's event key, "
        "such as customer.created.",
    )
    sequence = fields.Integer(default=10)
    description = fields.Char(translate=True, help="What makes the event happen.")

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Each webhook event has its own code."),
    ]
