"""The merge of customers and their loyalty: the cards of one customers'
program combine into one card of the customer kept (balance and points
owed added up, earning lots kept with their own expiry dates, history
kept, the highest tier kept), and the preview shows each customer's
points and tier."""

from collections import defaultdict

from odoo import api, models


class ShCustomerMerge(models.AbstractModel):
    _inherit = "sh.customer.merge"

    @api.model
    def _sh_merge_preview_rows(self):
        rows = super()._sh_merge_preview_rows()
        return rows + [
            {"key": "loyalty_points", "label": self.env._("Points Balance"), "type": "number"},
            {"key": "loyalty_tier", "label": self.env._("Loyalty Tier"), "type": "text"},
            {"key": "loyalty_lots", "label": self.env._("Points Lots"), "type": "count"},
            {
                "key": "loyalty_history",
                "label": self.env._("Points Movements"),
                "type": "count",
            },
        ]

    @api.model
    def _sh_merge_preview_values(self, partners):
        values = super()._sh_merge_preview_values(partners)
        for partner_values in values.values():
            partner_values.update(
                loyalty_points=0.0, loyalty_tier="", loyalty_lots=0, loyalty_history=0
            )
        program = (
            self.env["loyalty.program"]
            .sudo()  # sudo: the program is found for any user who merges
            ._sh_customer_programs(self.env.company)
            .get(self.env.company.id)
        )
        if not program:
            return values
        # sudo: the merge moves every card, lot and movement of the program.
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .search([("program_id", "=", program.id), ("partner_id", "in", partners.ids)])
        )
        for card in cards:
            partner_values = values[card.partner_id.id]
            partner_values["loyalty_points"] += card.points
            partner_values["loyalty_tier"] = card.sh_tier_id.name or ""
        for model, key in (
            ("sh.loyalty.lot", "loyalty_lots"),
            ("loyalty.history", "loyalty_history"),
        ):
            for card, number in (
                self.env[model]
                .sudo()
                ._read_group([("card_id", "in", cards.ids)], ["card_id"], ["__count"])
            ):
                values[card.partner_id.id][key] += number
        return values

    @api.model
    def _sh_merge_combine(self, survivor, sources):
        """Combine the cards of each customers' program into one before
        Odoo's merge re-points the rest (it would add up the balances but
        leave the lots and the history on the archived cards)."""
        res = super()._sh_merge_combine(survivor, sources)
        # sudo: the ledger is written only by the checked actions; the merge
        # was checked (a Customers manager) before it came here.
        Card = self.env["loyalty.card"].sudo().with_context(tracking_disable=True)
        cards = Card.search(
            [
                ("partner_id", "in", (survivor | sources).ids),
                ("program_id.sh_is_customer_program", "=", True),
            ],
            order="id",
        )
        by_program = defaultdict(lambda: Card)
        for card in cards:
            by_program[card.program_id] |= card
        kept_cards = Card
        for group in by_program.values():
            kept = group.filtered(lambda card: card.partner_id == survivor)[:1] or group[:1]
            others = group - kept
            top = group.sorted(lambda card: (card.sh_tier_id.threshold, -card.id))[-1:]
            kept_cards |= kept
            if not others:
                kept.partner_id = survivor
                continue
            self.env["sh.loyalty.lot"].sudo().search([("card_id", "in", others.ids)]).write(
                {"card_id": kept.id}
            )
            self.env["loyalty.history"].sudo().search([("card_id", "in", others.ids)]).write(
                {"card_id": kept.id}
            )
            kept.write(
                {
                    "partner_id": survivor.id,
                    "points": sum(group.mapped("points")),
                    "sh_points_owed": sum(group.mapped("sh_points_owed")),
                    "sh_tier_id": top.sh_tier_id.id,
                    "sh_tier_since": top.sh_tier_since,
                }
            )
            others.write({"points": 0.0, "sh_points_owed": 0.0, "active": False})
            (kept | others)._sh_invalidate_ledger(["points", "sh_points_owed"])
        kept_cards._sh_store_partner_tier()
        return res
