"""The API's idempotency keys: the first answer to each POST sent with an
``Idempotency-Key`` header, replayed to a repeat of the request."""

import hashlib
import json
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..api import checks
from ..api.errors import ApiError

_logger = logging.getLogger(__name__)

# How long a key is remembered.
RETENTION = timedelta(hours=24)


class ShApiIdempotency(models.Model):
    """The first answer to each POST request sent with an ``Idempotency-Key``
    header, per user: a repeated request gets the same answer and changes
    nothing."""

    _name = "sh.api.idempotency"
    _description = "Customers API Idempotency Key"
    _order = "id desc"

    key = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True, ondelete="cascade"
    )
    route = fields.Char(required=True, readonly=True)
    request_hash = fields.Char(required=True, readonly=True)
    status = fields.Integer(readonly=True)
    response = fields.Text(readonly=True)

    _sql_constraints = [
        ("user_key_unique", "UNIQUE(user_id, key)", "An idempotency key is used once per user."),
    ]

    @api.model
    def _sh_hash(self, route, body):
        payload = json.dumps([route, body], sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _sh_check_key(self, key):
        """The key is checked like the API's other headers (HEADER_SPECS)."""
        checks.convert(
            self.env, "Idempotency-Key", key, checks.HEADER_SPECS["Idempotency-Key"], True
        )

    @api.model
    def _sh_replay(self, key, route, body):
        """The stored ``(status, answer)`` of the request first sent with
        ``key`` by the current user, or None when the key is new. The same
        key with another route or body is a conflict."""
        self._sh_check_key(key)
        # sudo: the table is the API's own record, readable by no user; the
        # user is filtered explicitly.
        entry = self.sudo().search([("user_id", "=", self.env.uid), ("key", "=", key)], limit=1)
        if not entry:
            return None
        if entry.route != route or entry.request_hash != self._sh_hash(route, body):
            raise ApiError(
                409,
                _("This Idempotency-Key was already used for another request."),
            )
        return entry.status, json.loads(entry.response or "null")

    @api.model
    def _sh_claim(self, key, route, body):
        """Reserve ``key`` for this request, before it applies anything.

        The row is inserted in the request's transaction: a concurrent
        request with the same key waits on the unique index until this one
        ends; if this one commits, the other fails with a serialization
        error, is retried by the server and replays the stored answer; if
        this one is refused, the row goes with its rollback."""
        self.env.flush_all()
        # A concurrent request that committed the same key first makes this
        # statement fail with a serialization error: the request is retried
        # and replays the stored answer. Not an error worth logging.
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO sh_api_idempotency
                       (key, user_id, route, request_hash, create_uid, create_date,
                        write_uid, write_date)
                VALUES (%(key)s, %(user)s, %(route)s, %(hash)s, %(user)s,
                        NOW() AT TIME ZONE 'UTC', %(user)s, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING id
                """,
                key=key,
                user=self.env.uid,
                route=route,
                hash=self._sh_hash(route, body),
            ),
            log_exceptions=False,
        )
        rows = self.env.cr.fetchall()
        if not rows:
            raise ApiError(409, _("A request with this Idempotency-Key is in progress."))
        # sudo: see _sh_replay
        return self.sudo().browse(rows[0][0])

    def _sh_store(self, status, answer):
        self.ensure_one()
        self.sudo().write({"status": status, "response": json.dumps(answer, default=str)})

    @api.autovacuum
    def _gc_sh_api_idempotency(self):
        """Forget the keys older than the retention period."""
        limit = fields.Datetime.now() - RETENTION
        self.env.cr.execute(SQL("DELETE FROM sh_api_idempotency WHERE create_date < %s", limit))
        _logger.info("GC %r delete %d entries", self._name, self.env.cr.rowcount)
