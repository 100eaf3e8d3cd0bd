"""Demo interactions and tasks: not part of the addon's models, imported by
``sh.customer.interaction._sh_generate_demo`` when the demo data
(demo/sh_interactions_demo.xml) is loaded."""

import random
from datetime import datetime, time, timedelta

from odoo import fields

SUBJECTS = {
    "phone": ["Asked for brake pad prices", "Called about the overdue invoice", "Order follow-up"],
    "visit": ["Visited the workshop", "Counter visit"],
    "whatsapp": ["Sent the parts catalogue", "Photo of the part to match"],
    "sms": ["Order ready for pickup"],
    "email": ["Quotation sent", "Statement sent"],
    "meeting": ["Yearly fleet contract review"],
}
OUTCOME_WEIGHTS = {
    "reached": 40,
    "no_answer": 15,
    "order_taken": 20,
    "promised_to_pay": 10,
    "complaint": 5,
    "other": 10,
}
TASK_NAMES = ["Call back about the order", "Send the quotation", "Check the spare part stock"]


def generate_demo(env, customers=60, seed=2024):
    """Interactions of the last four months with the first ``customers``
    customers that bought, a few of them with an NPS score or a promise
    to pay, and open tasks of the current user, some overdue; the same
    data for the same seed and day."""
    rng = random.Random(seed)
    now = fields.Datetime.now()
    today = fields.Date.context_today(env.user)
    partners = env["res.partner"].search(
        [("parent_id", "=", False), ("customer_rank", ">", 0), ("sh_invoice_count", ">", 0)],
        order="id",
        limit=customers,
    )
    user = env.ref("base.user_admin", raise_if_not_found=False) or env.user
    outcomes = list(OUTCOME_WEIGHTS)
    weights = list(OUTCOME_WEIGHTS.values())
    vals_list = []
    for partner in partners:
        for _index in range(rng.randint(1, 5)):
            channel = rng.choice(list(SUBJECTS))
            outcome = rng.choices(outcomes, weights)[0]
            day = now - timedelta(days=rng.randint(0, 120))
            date = datetime.combine(day.date(), time(rng.randint(7, 16), rng.choice((0, 30))))
            vals = {
                "partner_id": partner.id,
                "user_id": user.id,
                "channel": channel,
                "direction": rng.choice(("out", "out", "in")),
                "date": min(date, now),
                "duration": rng.choice((0.25, 0.5, 1.0)) if channel != "sms" else 0.0,
                "subject": rng.choice(SUBJECTS[channel]),
                "outcome": outcome,
                "nps_score": str(rng.choice((3, 6, 7, 8, 9, 9, 10, 10)))
                if rng.random() < 0.3
                else False,
            }
            if outcome == "promised_to_pay":
                vals["promise_date"] = today + timedelta(days=rng.randint(-10, 20))
            vals_list.append(vals)
    interactions = (
        env["sh.customer.interaction"]
        .with_context(tracking_disable=True, sh_interaction_no_note=True)
        .create(vals_list)
    )
    tasks = (
        env["sh.customer.task"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "name": rng.choice(TASK_NAMES),
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "date_deadline": today + timedelta(days=rng.randint(-7, 14)),
                    "priority": rng.choice(("0", "0", "1")),
                }
                for partner in partners[:12]
            ]
        )
    )
    return {"interactions": len(interactions), "tasks": len(tasks)}
