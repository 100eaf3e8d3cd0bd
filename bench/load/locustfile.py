"""API clients of the customers API under load (see bench/README.md, "Load
and faults"), run by bench/load/run.py in the load test's own environment.

Each simulated client holds an API key (``Authorization: Bearer``) and,
between short pauses, reads a customer's summary or loyalty card, the
dashboard or the top customers, or writes: an interaction, a task, points
added by hand, a reward redeemed. Every write carries an
``Idempotency-Key``; about one in ten is sent again with the same key and
body, which must be answered with the first answer, marked
``Idempotent-Replayed: true``. The customers are drawn from the members of
the loyalty program, the redemptions' from those who had points for every
reward when the run was prepared (``LOAD_DATA``: the key, the customers and the
rewards, written by ``dbtasks.py prepare``).

Any 5xx answer or transport error is a failure; the refusals a client
expects (409: not enough points for the reward) are successes counted
apart (a refused request changes nothing, its key included: it is not
replayed). A write that failed is sent again with the same key (as a client
would after a lost answer), up to ``RETRIES`` times. Each failure is logged
with its time (``LOAD_OUT``/failures-<pid>.jsonl) so that the faults'
outages can be matched, and the counts of answers by route and status
are written at the end (``LOAD_OUT``/counts-<pid>.json).
"""

import json
import os
import random
import time
import uuid
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
OUT = Path(os.environ.get("LOAD_OUT", "."))
REPLAY_SHARE = float(os.environ.get("LOAD_REPLAY_SHARE", "0.1"))
RETRIES = int(os.environ.get("LOAD_RETRIES", "3"))
# Refusals a client expects, by route: not enough points for the reward.
EXPECTED = {"POST redeem_reward": {409}}
COUNTS = Counter()
FAILURES = OUT / f"failures-{os.getpid()}.jsonl"
TIMEOUT = 60


@events.request.add_listener
def log_failure(request_type, name, response_time, response_length, exception=None, **_kw):
    if exception is None:
        return
    with FAILURES.open("a") as log:
        log.write(
            json.dumps({"t": time.time(), "name": name, "error": str(exception)[:300]}) + "\n"
        )


@events.quitting.add_listener
def write_counts(**_kw):
    (OUT / f"counts-{os.getpid()}.json").write_text(
        json.dumps({f"{name}|{status}": count for (name, status), count in COUNTS.items()})
    )


def describe(response):
    """A failed answer's status and text, or the transport error."""
    if response.status_code == 0:
        return f"transport error: {response.error!r}"[:300]
    return f"{response.status_code}: {response.text[:200]}"


class ApiClient(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {DATA['key']}"
        self.rng = random.Random()

    def customer(self):
        return self.rng.choice(DATA["customers"])

    def get(self, name, path, params=None):
        with self.client.get(
            path, params=params, name=name, catch_response=True, timeout=TIMEOUT
        ) as response:
            COUNTS[name, response.status_code] += 1
            if response.status_code != 200:
                response.failure(describe(response))

    def post(self, name, path, body):
        """Send a write with a new key; again with the same key after a
        failure (up to RETRIES times), and now and then once more after
        its answer, which must be replayed."""
        key = uuid.uuid4().hex
        headers = {"Idempotency-Key": key}
        first = None
        for attempt in range(RETRIES + 1):
            with self.client.post(
                path, json=body, headers=headers, name=name, catch_response=True, timeout=TIMEOUT
            ) as response:
                COUNTS[name, response.status_code] += 1
                if response.status_code == 201:
                    first = response
                    break
                if response.status_code in EXPECTED.get(name, ()):
                    # Refused, and so not stored under the key: nothing to replay.
                    response.success()
                    return
                response.failure(describe(response))
            COUNTS[name, "retried"] += 1
            time.sleep(1 + attempt)
        if first is None or self.rng.random() >= REPLAY_SHARE:
            return
        replay_name = f"{name} (replayed)"
        with self.client.post(
            path, json=body, headers=headers, name=replay_name, catch_response=True,
            timeout=TIMEOUT,
        ) as response:  # fmt: skip
            same = (
                response.status_code == first.status_code
                and response.headers.get("Idempotent-Replayed") == "true"
                and response.json() == first.json()
            )
            COUNTS[replay_name, response.status_code if same else "differs"] += 1
            if not same:
                response.failure(
                    f"replay differs: {response.status_code} {response.text[:200]} "
                    f"after {first.status_code} {first.text[:200]}"
                )

    # Reads

    @task(25)
    def summary(self):
        self.get("GET summary", f"/api/customers/{self.customer()}/")

    @task(20)
    def loyalty(self):
        self.get("GET loyalty", f"/api/customers/{self.customer()}/loyalty/")

    @task(8)
    def dashboard(self):
        self.get("GET dashboard", "/api/customers/dashboard/")

    @task(8)
    def top_customers(self):
        by = self.rng.choice(["net_sales", "invoice_count", "average_order_value", "debt"])
        self.get("GET top-customers", "/api/customers/top-customers/", {"by": by, "limit": 20})

    # Writes

    @task(10)
    def add_interaction(self):
        body = {
            "channel": self.rng.choice(["phone", "visit", "email", "whatsapp", "meeting"]),
            "direction": self.rng.choice(["in", "out"]),
            "summary": f"Load test call {uuid.uuid4().hex[:8]}",
            "outcome": self.rng.choice(["reached", "no_answer", "order_taken", "other"]),
        }
        self.post(
            "POST add_interaction", f"/api/customers/{self.customer()}/add_interaction/", body
        )

    @task(8)
    def add_task(self):
        body = {"name": f"Call back {uuid.uuid4().hex[:8]}", "priority": self.rng.choice("01")}
        self.post("POST add_task", f"/api/customers/{self.customer()}/add_task/", body)

    @task(10)
    def add_points(self):
        body = {"points": self.rng.randint(10, 200), "reason": "Load test goodwill"}
        self.post("POST add_points", f"/api/customers/{self.customer()}/add_points/", body)

    @task(8)
    def redeem_reward(self):
        body = {"reward_id": self.rng.choice(DATA["rewards"])["id"]}
        customer = self.rng.choice(DATA["redeemers"])
        self.post("POST redeem_reward", f"/api/customers/{customer}/redeem_reward/", body)
