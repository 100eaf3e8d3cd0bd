"""The loyalty program's events on the customer timeline: the points earned,
reversed, expired and adjusted, the rewards redeemed (from the cards'
points history) and the tier changes (the customer's chatter logs of
subtype ``mt_tier_change``)."""

from odoo import api, models
from odoo.tools import SQL

# The kind of event of each reason of the points history.
REASON_KINDS = {
    "earn": "points_earned",
    "reverse": "points_reversed",
    "expire": "points_expired",
    "redeem": "reward_redeemed",
    "owed": "points_adjusted",
    "settle": "points_adjusted",
    "adjust": "points_adjusted",
}
POINTS_KINDS = tuple(dict.fromkeys(REASON_KINDS.values()))


class ShCustomerTimeline(models.AbstractModel):
    _inherit = "sh.customer.timeline"

    @api.model
    def _sh_timeline_kinds(self):
        return [
            *super()._sh_timeline_kinds(),
            {
                "key": "points_earned",
                "label": self.env._("Points Earned"),
                "icon": "fa-star",
                "sequence": 100,
            },
            {
                "key": "reward_redeemed",
                "label": self.env._("Reward Redeemed"),
                "icon": "fa-gift",
                "sequence": 110,
            },
            {
                "key": "points_reversed",
                "label": self.env._("Points Reversed"),
                "icon": "fa-reply",
                "sequence": 120,
            },
            {
                "key": "points_expired",
                "label": self.env._("Points Expired"),
                "icon": "fa-hourglass-end",
                "sequence": 130,
            },
            {
                "key": "points_adjusted",
                "label": self.env._("Points Adjusted"),
                "icon": "fa-sliders",
                "sequence": 140,
            },
            {
                "key": "tier_change",
                "label": self.env._("Tier Change"),
                "icon": "fa-trophy",
                "sequence": 150,
            },
        ]

    @api.model
    def _sh_timeline_sources(self, partner, ctx):
        sources = super()._sh_timeline_sources(partner, ctx)
        History = self.env["loyalty.history"]
        if self._sh_timeline_wants(ctx, *POINTS_KINDS) and History.browse().has_access("read"):
            sources.append(self._sh_points_source(partner, ctx))
        if self._sh_timeline_wants(ctx, "tier_change"):
            sources.append(self._sh_tier_change_source(partner))
        return sources

    @api.model
    def _sh_points_source(self, partner, ctx):
        """Each line of the points history of the customer's cards in the
        company's tree: the points it moved, why, by whom, and its invoice
        (or the card)."""
        query = self.env["loyalty.history"]._search(
            [
                ("sh_partner_id", "=", partner.id),
                ("sh_reason", "!=", False),
                ("card_id.company_id", "in", [*ctx["company_ids"], False]),
            ]
        )
        table = query.table

        def col(name):
            return SQL.identifier(table, name)

        kind = SQL(
            "CASE %s %s END",
            col("sh_reason"),
            SQL(" ").join(
                SQL("WHEN %s THEN %s", reason, kind) for reason, kind in REASON_KINDS.items()
            ),
        )
        return self._sh_timeline_select(
            query,
            kind=kind,
            date=self._sh_timeline_day(ctx, col("sh_date")),
            all_day=SQL("TRUE"),
            # Beside its invoice or credit note, after it.
            sort_id=SQL("COALESCE(%s, %s)", col("sh_move_id"), col("id")),
            res_model=SQL(
                "CASE WHEN %s IS NOT NULL THEN 'account.move' ELSE 'loyalty.card' END",
                col("sh_move_id"),
            ),
            res_id=SQL("COALESCE(%s, %s)", col("sh_move_id"), col("card_id")),
            name=col("description"),
            points=col("sh_points"),
            user_id=col("sh_user_id"),
        )

    @api.model
    def _sh_tier_change_source(self, partner):
        """The tier changes logged on the customer."""
        subtype = self.env.ref("sh_loyalty.mt_tier_change", raise_if_not_found=False)
        query = self.env["mail.message"]._search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("subtype_id", "=", subtype.id if subtype else False),
            ]
        )
        return self._sh_timeline_messages(query, "tier_change")
