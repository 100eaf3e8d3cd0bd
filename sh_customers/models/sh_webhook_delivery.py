"""Webhook deliveries: one event for one subscription, its JSON payload and
the outcome of each attempt to post it.

Emitting an event (``_sh_webhook_emit``) inserts the pending deliveries in
the user's transaction with a trigger of the sending cron for now: once that
transaction has committed, Odoo wakes a cron worker, which sends them. A
delivery never blocks or breaks the user's action (the user's request never
waits for a receiver), and nothing is sent for an action that is rolled
back, its trigger rolled back with it. A delivery the receiver did not
accept is retried by the same cron with a growing delay (``BACKOFF``), then
given up."""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Delay before each retry after a failed attempt; the attempt after the
# last delay is the last one.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
# Seconds to connect to a receiver, and to wait for its answer.
TIMEOUT = (3.05, 5)
# How long the log keeps the deliveries that were sent.
RETENTION = timedelta(days=90)

STATES = [
    ("pending", "Pending"),
    ("sent", "Sent"),
    ("failed", "Failed, will retry"),
    ("dead", "Given up"),
]


class ShWebhookDelivery(models.Model):
    _name = "sh.webhook.delivery"
    _description = "Webhook Delivery"
    _order = "id desc"
    _rec_name = "event_id"

    subscription_id = fields.Many2one(
        "sh.webhook.subscription",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The webhook the event is posted to.",
    )
    company_id = fields.Many2one(
        related="subscription_id.company_id", store=True, index=True, string="Company"
    )
    url = fields.Char(related="subscription_id.url", string="URL")
    event_id = fields.Many2one(
        "sh.webhook.event", required=True, readonly=True, help="What happened."
    )
    event_code = fields.Char(related="event_id.code", string="Event Code")
    res_model = fields.Char(string="Model", readonly=True, help="Model of the record concerned.")
    res_id = fields.Integer(string="Record ID", readonly=True, help="Id of the record concerned.")
    event_date = fields.Datetime(
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        help="When the event happened: the body's created_at key.",
    )
    payload = fields.Json(readonly=True, help="The event's data, the body's data key.")
    payload_text = fields.Text(
        string="Data", compute="_compute_payload_text", help="The event's data, as sent."
    )
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default="pending",
        readonly=True,
        index=True,
        help="Pending: not tried yet. Sent: the receiver answered with a 2xx status. "
        "Failed, will retry: the receiver did not accept it; it is tried again at the next "
        "attempt. Given up: every retry failed; Send Again starts over.",
    )
    attempt_count = fields.Integer(
        string="Attempts", readonly=True, help="Posts tried so far, retries included."
    )
    next_attempt_date = fields.Datetime(
        string="Next Attempt",
        readonly=True,
        index=True,
        default=fields.Datetime.now,
        help="Retries wait 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours; "
        "after the sixth failed attempt the delivery is given up.",
    )
    last_status_code = fields.Integer(
        string="HTTP Status", readonly=True, help="Status code of the receiver's last answer."
    )
    last_error = fields.Text(string="Error", readonly=True, help="Why the last attempt failed.")
    sent_date = fields.Datetime(
        string="Sent On", readonly=True, help="When the receiver accepted the delivery."
    )

    @api.depends("payload")
    def _compute_payload_text(self):
        for delivery in self:
            delivery.payload_text = json.dumps(delivery.payload, ensure_ascii=False, indent=2)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_sh_send_again(self):
        """Send these deliveries again, with a new series of retries."""
        archived = self.subscription_id.filtered(lambda subscription: not subscription.active)
        if archived:
            raise UserError(
                _(
                    "The webhook %(name)s is archived: restore it before sending its "
                    "deliveries again.",
                    name=archived[0].name,
                )
            )
        self.write(
            {
                "state": "pending",
                "attempt_count": 0,
                "next_attempt_date": fields.Datetime.now(),
                "last_error": False,
            }
        )
        self._sh_send_after_commit()

    # ------------------------------------------------------------------
    # Emitting
    # ------------------------------------------------------------------

    @api.model
    def _sh_webhook_subscriptions(self, event_code):
        """The active subscriptions to ``event_code``, whatever the user's
        companies: an event is the system's, not the user's."""
        # sudo: any user's action emits events; only managers read the
        # subscriptions.
        return (
            self.env["sh.webhook.subscription"]
            .sudo()
            .search([("active", "=", True), ("event_ids.code", "=", event_code)])
        )

    @api.model
    def _sh_webhook_emit(self, event_code, payloads, subscriptions=None):
        """Queue the event ``event_code`` for each payload, to every active
        subscription of the payload's company, and send the deliveries
        after the commit.

        :param payloads: dicts with ``company_id`` (False for a record shared
            by every company), ``res_model``, ``res_id`` and ``data`` (what
            the receiver gets, made of JSON values)
        :param subscriptions: the subscriptions to the event, when the
            caller already looked them up
        :return: the deliveries, inserted together (one INSERT per hundred)
        """
        if subscriptions is None:
            subscriptions = self._sh_webhook_subscriptions(event_code)
        if not payloads or not subscriptions:
            return self.browse()
        event = subscriptions.event_ids.filtered(lambda event: event.code == event_code)
        vals_list = []
        for payload in payloads:
            # Dates and amounts become the JSON the receiver reads.
            data = json.loads(json.dumps(payload["data"], default=str))
            vals_list += [
                {
                    "subscription_id": subscription.id,
                    "event_id": event.id,
                    "res_model": payload["res_model"],
                    "res_id": payload["res_id"],
                    "payload": data,
                }
                for subscription in subscriptions
                if not payload["company_id"] or subscription.company_id.id == payload["company_id"]
            ]
        # sudo: the log is the managers'; the user's action only adds to it.
        deliveries = self.sudo().create(vals_list)
        deliveries._sh_send_after_commit()
        return deliveries

    def _sh_send_after_commit(self):
        """Have the cron send the due deliveries as soon as the current
        transaction has committed (its trigger is rolled back with the
        transaction)."""
        self.env.ref("sh_customers.ir_cron_sh_webhook_retry").sudo()._trigger()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _sh_body(self):
        """The raw body posted to the receiver, which the signature covers."""
        self.ensure_one()
        return json.dumps(
            {
                "id": self.id,
                "event": self.event_code,
                "created_at": fields.Datetime.to_string(self.event_date),
                "company_id": self.company_id.id,
                "data": self.payload,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        ).encode()

    def _sh_headers(self, body):
        self.ensure_one()
        signature = hmac.new(self.subscription_id.secret.encode(), body, hashlib.sha256).hexdigest()
        return {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "SH-Customers-Webhook/1.0",
            "X-SH-Event": self.event_code,
            "X-SH-Delivery": str(self.id),
            "X-SH-Signature": f"sha256={signature}",
        }

    def _sh_lock_due(self):
        """The deliveries of ``self`` still to send and due, locked; those
        another transaction is sending are left to it."""
        self.flush_model(["state", "next_attempt_date"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM sh_webhook_delivery
                 WHERE id = ANY(%s) AND state IN ('pending', 'failed')
                   AND next_attempt_date <= %s
                 ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                self.ids,
                fields.Datetime.now(),
            )
        )
        return self.browse([row[0] for row in rows])

    def _sh_deliver(self):
        """Post the due deliveries of ``self`` to their receivers and record
        each outcome. A receiver that cannot be reached is not tried again
        in the same run: its other deliveries wait for the retry of the one
        that failed, without counting an attempt."""
        deliveries = self.exists()._sh_lock_due()
        deliveries = deliveries.filtered(lambda delivery: delivery.subscription_id.active)
        # When to try again each receiver that could not be reached.
        unreachable = {}
        # When the cron must run again: at each retry.
        wake_up = set()
        for delivery in deliveries:
            url = delivery.subscription_id.url
            if url in unreachable:
                delivery.next_attempt_date = unreachable[url]
                continue
            body = delivery._sh_body()
            try:
                response = requests.post(
                    url, data=body, headers=delivery._sh_headers(body), timeout=TIMEOUT
                )
            except requests.RequestException as error:
                retry = delivery._sh_record_failure(None, str(error))
                unreachable[url] = retry or fields.Datetime.now() + BACKOFF[0]
                wake_up.add(unreachable[url])
                continue
            if 200 <= response.status_code < 300:
                delivery._sh_record_success(response.status_code)
            else:
                wake_up.add(delivery._sh_record_failure(response.status_code, response.text[:500]))
        wake_up.discard(False)
        if wake_up:
            self.env.ref("sh_customers.ir_cron_sh_webhook_retry").sudo()._trigger_list(
                sorted(wake_up)
            )

    def _sh_record_success(self, status_code):
        self.write(
            {
                "state": "sent",
                "attempt_count": self.attempt_count + 1,
                "last_status_code": status_code,
                "last_error": False,
                "sent_date": fields.Datetime.now(),
            }
        )

    def _sh_record_failure(self, status_code, error):
        """Schedule the next retry of the failed delivery, or give it up
        after the last one; returns the time of the next attempt (False
        when given up)."""
        self.ensure_one()
        attempts = self.attempt_count + 1
        vals = {
            "attempt_count": attempts,
            "last_status_code": status_code or False,
            "last_error": error
            or _("The receiver answered with HTTP status %(status)s.", status=status_code),
        }
        if attempts <= len(BACKOFF):
            vals.update(
                state="failed", next_attempt_date=fields.Datetime.now() + BACKOFF[attempts - 1]
            )
        else:
            vals.update(state="dead", next_attempt_date=False)
        self.write(vals)
        return vals["next_attempt_date"]

    @api.model
    def _cron_sh_webhook_retry(self, batch_size=50):
        """Send the deliveries whose next attempt is due, a batch at a time
        (the cron commits between batches and runs again while some are
        left)."""
        domain = [
            ("state", "in", ("pending", "failed")),
            ("next_attempt_date", "<=", fields.Datetime.now()),
            ("subscription_id.active", "=", True),
        ]
        due = self.search(domain, order="next_attempt_date, id", limit=batch_size)
        due._sh_deliver()
        remaining = self.search_count(domain) if len(due) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(due), remaining=remaining)

    @api.autovacuum
    def _gc_sh_webhook_delivery(self):
        """Forget the deliveries sent longer ago than the retention period."""
        limit = fields.Datetime.now() - RETENTION
        self.env.cr.execute(
            SQL(
                "DELETE FROM sh_webhook_delivery WHERE state = 'sent' AND sent_date < %s",
                limit,
            )
        )
        _logger.info("GC %r delete %d entries", self._name, self.env.cr.rowcount)
