"""Each tier change of a card written to the tier changes
(``sh.loyalty.tier.change``) as the tier rule makes it."""

from odoo import fields, models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    def _sh_after_tier_change(self, rows):
        res = super()._sh_after_tier_change(rows)
        if not rows:
            return res
        today = fields.Date.context_today(self)
        Tier = self.env["sh.loyalty.tier"]
        cards = self.browse([card_id for card_id, _old, _new in rows])
        cards.fetch(["partner_id", "program_id"])
        vals_list = []
        for card_id, old_id, new_id in rows:
            card = self.browse(card_id)
            old, new = Tier.browse(old_id), Tier.browse(new_id)
            if not old:
                direction = "first"
            elif new and new.threshold > old.threshold:
                direction = "up"
            else:
                direction = "down"
            vals_list.append(
                {
                    "card_id": card_id,
                    "partner_id": card.partner_id.id,
                    "program_id": card.program_id.id,
                    "date": today,
                    "old_tier_id": old.id,
                    "new_tier_id": new.id,
                    "direction": direction,
                }
            )
        # sudo: the change is written by the tier rule, whoever's sale or
        # review made it; users only read the changes.
        self.env["sh.loyalty.tier.change"].sudo().create(vals_list)
        return res
