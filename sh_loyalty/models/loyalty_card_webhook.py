"""The loyalty webhook events: loyalty.tier_changed when a card changes tier
(upgrade after a sale, lowering at the review), loyalty.points_earned and
loyalty.points_redeemed for the history lines that earn or redeem points."""

from odoo import fields, models

# The history lines' reasons sent as webhook events.
POINTS_EVENTS = {"earn": "loyalty.points_earned", "redeem": "loyalty.points_redeemed"}


def tier_data(tier):
    """What a receiver is told of a tier."""
    return tier and {"id": tier.id, "name": tier.name, "threshold": tier.threshold} or None


class LoyaltyCard(models.Model):
    # One concern of loyalty.card per file: see the list in loyalty_card.py.
    _inherit = "loyalty.card"  # pylint: disable=consider-merging-classes-inherited

    def _sh_apply(self, movements):
        lines = super()._sh_apply(movements)
        for reason, event_code in POINTS_EVENTS.items():
            event_lines = lines.filtered(lambda line, reason=reason: line.sh_reason == reason)
            if event_lines:
                event_lines.card_id._sh_webhook_emit_points(event_code, event_lines)
        return lines

    def _sh_after_tier_change(self, rows):
        res = super()._sh_after_tier_change(rows)
        Delivery = self.env["sh.webhook.delivery"]
        subscriptions = rows and Delivery._sh_webhook_subscriptions("loyalty.tier_changed")
        if not subscriptions:
            return res
        Tier = self.env["sh.loyalty.tier"]
        payloads = []
        for card_id, old_id, new_id in rows:
            card = self.browse(card_id)
            old, new = Tier.browse(old_id), Tier.browse(new_id)
            payloads.append(
                {
                    "company_id": card.company_id.id,
                    "res_model": "loyalty.card",
                    "res_id": card.id,
                    "data": {
                        **card._sh_webhook_card_data(),
                        "old_tier": tier_data(old),
                        "new_tier": tier_data(new),
                        "direction": ("up" if not old or new.threshold > old.threshold else "down"),
                        "date": fields.Date.to_string(fields.Date.context_today(self)),
                    },
                }
            )
        Delivery._sh_webhook_emit("loyalty.tier_changed", payloads, subscriptions)
        return res

    def _sh_webhook_emit_points(self, event_code, lines):
        """Send ``event_code`` for the history ``lines`` of these cards."""
        Delivery = self.env["sh.webhook.delivery"]
        subscriptions = Delivery._sh_webhook_subscriptions(event_code)
        if not subscriptions:
            return
        Delivery._sh_webhook_emit(
            event_code,
            [
                {
                    "company_id": line.card_id.company_id.id,
                    "res_model": "loyalty.history",
                    "res_id": line.id,
                    "data": {
                        **line.card_id._sh_webhook_card_data(),
                        "history_id": line.id,
                        "points": line.issued - line.used,
                        "description": line.description,
                        "date": fields.Date.to_string(line.sh_date),
                        "document": (
                            {"id": line.sh_move_id.id, "number": line.sh_move_id.name}
                            if line.sh_move_id
                            else None
                        ),
                    },
                }
                for line in lines
            ],
            subscriptions,
        )

    def _sh_webhook_card_data(self):
        """What a receiver is told of a member's card."""
        self.ensure_one()
        customer = self.partner_id
        return {
            "card_id": self.id,
            "program": {"id": self.program_id.id, "name": self.program_id.name},
            "customer": {
                "id": customer.id,
                "customer_code": customer.sh_customer_code or None,
                "name": customer.name,
            },
            "balance": self.points,
            "tier": self.sh_tier_id.name or None,
        }
