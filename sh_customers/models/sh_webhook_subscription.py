"""Webhook subscriptions: a receiver's URL, the events it wants and the
secret with which every delivery to it is signed."""

import secrets
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


def _new_secret():
    return secrets.token_hex(32)


class ShWebhookSubscription(models.Model):
    _name = "sh.webhook.subscription"
    _description = "Webhook Subscription"
    _order = "name, id"

    name = fields.Char(required=True, help="Who receives the events, such as Online shop.")
    url = fields.Char(
        string="URL",
        required=True,
        help="Address the events are posted to (http or https), such as "
        "https://shop.example.com/hooks/customers.",
    )
    event_ids = fields.Many2many(
        "sh.webhook.event",
        string="Events",
        help="The events sent to this receiver.",
    )
    secret = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _new_secret(),
        help="Key of the signature of every delivery: the X-SH-Signature header holds "
        "sha256= followed by the HMAC-SHA256 of the raw body with this key, in hexadecimal. "
        "Give it to the receiver so that it can check that a delivery comes from Odoo.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Events of this company's records, and of records shared by every company, "
        "are sent to this receiver.",
    )
    delivery_ids = fields.One2many("sh.webhook.delivery", "subscription_id", string="Deliveries")
    delivery_count = fields.Integer(
        compute="_compute_delivery_counts",
        string="Number of Deliveries",
        help="Events posted or to post to this receiver, in the deliveries' log.",
    )
    failed_count = fields.Integer(
        compute="_compute_delivery_counts",
        string="Failed Deliveries",
        help="Deliveries waiting for a retry after a failure, or given up.",
    )

    def _compute_delivery_counts(self):
        Delivery = self.env["sh.webhook.delivery"]
        counts = {
            (subscription.id, state): count
            for subscription, state, count in Delivery._read_group(
                [("subscription_id", "in", self.ids)],
                groupby=["subscription_id", "state"],
                aggregates=["__count"],
            )
        }
        for subscription in self:
            by_state = {
                state: counts.get((subscription.id, state), 0)
                for state, _label in Delivery._fields["state"].selection
            }
            subscription.delivery_count = sum(by_state.values())
            subscription.failed_count = by_state["failed"] + by_state["dead"]

    @api.constrains("url")
    def _check_url(self):
        for subscription in self:
            parts = urlsplit((subscription.url or "").strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValidationError(
                    _(
                        "The webhook URL %(url)s is not a web address: it must start with "
                        "http:// or https://, such as https://shop.example.com/hooks/customers.",
                        url=subscription.url,
                    )
                )

    @api.constrains("event_ids")
    def _check_event_ids(self):
        for subscription in self:
            if not subscription.event_ids:
                raise ValidationError(
                    _("Choose at least one event for the webhook %(name)s.", name=subscription.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        subscriptions = super().create(vals_list)
        # A constraint on a many2many runs only when it is written.
        subscriptions._check_event_ids()
        return subscriptions

    def action_sh_new_secret(self):
        """Replace the secret: deliveries signed from now on use the new one."""
        self.ensure_one()
        self.secret = _new_secret()

    def action_sh_open_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sh_customers.sh_webhook_delivery_action"
        )
        action["domain"] = [("subscription_id", "=", self.id)]
        action["context"] = {"search_default_filter_not_sent": self.failed_count > 0}
        return action
