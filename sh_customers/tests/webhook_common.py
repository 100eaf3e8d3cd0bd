"""A webhook receiver on the test machine (an HTTP server on 127.0.0.1 in a
thread of the test process) and the helpers of the webhook tests."""

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo import fields

from .common import ShCustomersCommon


class Receiver:
    """Records every POST it gets and answers with the next status of
    ``statuses`` (200 once they are used up), an int or a ``(status, body)``
    pair; ``answer`` is the body of a 2xx status given alone."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        self.answer = b"accepted"
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if isinstance(status, tuple):
                    status, answer = status
                else:
                    answer = receiver.answer if status < 300 else b"receiver is busy"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hooks"):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def json(self, index=-1):
        return json.loads(self.requests[index]["body"])


def closed_port_url():
    """The URL of a port of the test machine on which nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


def signature(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class ShWebhookCommon(ShCustomersCommon):
    """A receiver, and the registry in test mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The accounting test user also manages the customers (and so the
        # webhooks).
        cls.env.user.groups_id |= cls.env.ref("sh_customers.sh_customers_group_manager")
        cls.receiver = Receiver()
        cls.addClassCleanup(cls.receiver.stop)

    def setUp(self):
        super().setUp()
        self.receiver.requests.clear()
        self.receiver.statuses.clear()
        # Each test starts with no callback left by the class's set-up.
        self.env.cr.postcommit.clear()

    @classmethod
    def _subscription(cls, codes, name="Online shop", url=None, **vals):
        events = cls.env["sh.webhook.event"].search([("code", "in", codes)])
        return cls.env["sh.webhook.subscription"].create(
            {
                "name": name,
                "url": url or cls.receiver.url(),
                "event_ids": [(6, 0, events.ids)],
                **vals,
            }
        )

    def _after_commit(self):
        """What follows the commit of the user's transaction: the cron it
        triggered for now sends the deliveries; then read what it wrote."""
        self.env.flush_all()
        cron = self.env.ref("sh_customers.ir_cron_sh_webhook_retry")
        triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())]
        )
        if triggers:
            triggers.unlink()
            self.env["sh.webhook.delivery"]._cron_sh_webhook_retry()
            self.env.flush_all()
        self.env.cr.postcommit.clear()
        self.env.invalidate_all()

    def _deliveries(self, subscription):
        return self.env["sh.webhook.delivery"].search(
            [("subscription_id", "=", subscription.id)], order="id"
        )
