"""Loyalty tiers of a card: its tier fields, the qualifying value (rolling
12-month net sales or qualifying points), upgrades after a sale, and what a
tier change does (chatter, the customer's tier, the notification)."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL


class LoyaltyCard(models.Model):
    # One concern of loyalty.card per file: see the list in loyalty_card.py.
    _inherit = "loyalty.card"  # pylint: disable=consider-merging-classes-inherited

    sh_tier_id = fields.Many2one(
        "sh.loyalty.tier", string="Tier", index="btree_not_null", readonly=True, tracking=True
    )
    sh_tier_color = fields.Integer(related="sh_tier_id.color", string="Tier Color")
    sh_tier_since = fields.Date(string="Tier Since", readonly=True)
    sh_downgrade_pending_since = fields.Date(
        string="Below Threshold Since",
        readonly=True,
        help="Date the tier review first found the customer below their tier's threshold; "
        "after the program's grace period the customer moves down one level.",
    )
    sh_qualifying_value = fields.Float(
        string="Qualifying Value",
        digits="Account",
        readonly=True,
        help="Rolling 12-month net sales (or qualifying points) compared with the tier "
        "thresholds, as of the last sale or review.",
    )
    sh_next_tier_id = fields.Many2one(
        "sh.loyalty.tier", string="Next Tier", compute="_compute_sh_next_tier"
    )
    sh_amount_to_next_tier = fields.Float(
        string="Still Needed",
        digits="Account",
        compute="_compute_sh_next_tier",
        help="What the customer still needs (net sales or points) to reach the next tier.",
    )
    sh_tier_progress = fields.Float(string="Progress to Next Tier", compute="_compute_sh_next_tier")

    @api.depends("sh_tier_id", "sh_qualifying_value")
    def _compute_sh_next_tier(self):
        for card in self:
            tiers = card.program_id._sh_active_tiers()
            current = card.sh_tier_id.threshold if card.sh_tier_id else -1
            following = tiers.filtered(lambda tier, current=current: tier.threshold > current)
            next_tier = following[:1]
            card.sh_next_tier_id = next_tier
            if not next_tier:
                card.sh_amount_to_next_tier = 0.0
                card.sh_tier_progress = 100.0 if card.sh_tier_id else 0.0
                continue
            needed = max(next_tier.threshold - card.sh_qualifying_value, 0.0)
            card.sh_amount_to_next_tier = needed
            card.sh_tier_progress = (
                min(100.0, 100.0 * card.sh_qualifying_value / next_tier.threshold)
                if next_tier.threshold
                else 100.0
            )

    def _sh_qualifying_sql(self, today, card_ids):
        """One statement: the qualifying value of every card of ``card_ids``
        (rolling 12-month net sales or qualifying points) and the tier it
        gives by the tier rule. Selects ``card_id``, ``value``, ``tier_id``
        and ``tier_threshold``."""
        since = today - relativedelta(months=12)
        return SQL(
            """
            WITH cards AS (
                SELECT c.id, c.partner_id, c.program_id, p.company_id, p.sh_tier_basis AS basis
                  FROM loyalty_card c
                  JOIN loyalty_program p ON p.id = c.program_id
                 WHERE c.id IN %(cards)s
            ), sales AS (
                SELECT m.commercial_partner_id AS partner_id, m.company_id,
                       SUM(m.amount_untaxed_signed) AS value
                  FROM account_move m
                 WHERE m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date > %(since)s AND m.invoice_date <= %(today)s
                   AND (m.commercial_partner_id, m.company_id) IN (
                        SELECT partner_id, company_id FROM cards WHERE basis = 'sales')
                 GROUP BY m.commercial_partner_id, m.company_id
            ), points AS (
                SELECT h.card_id, SUM(h.issued - h.used) AS value
                  FROM loyalty_history h
                 WHERE h.card_id IN (SELECT id FROM cards WHERE basis = 'points')
                   AND h.sh_reason IN ('earn', 'reverse')
                   AND h.sh_date > %(since)s AND h.sh_date <= %(today)s
                 GROUP BY h.card_id
            ), qualifying AS (
                SELECT cards.id AS card_id, cards.program_id,
                       CASE WHEN cards.basis = 'points' THEN COALESCE(points.value, 0)
                            ELSE COALESCE(sales.value, 0) END AS value
                  FROM cards
                  LEFT JOIN sales ON sales.partner_id = cards.partner_id
                                 AND sales.company_id = cards.company_id
                  LEFT JOIN points ON points.card_id = cards.id
            )
            SELECT q.card_id, q.value, reached.id AS tier_id, reached.threshold AS tier_threshold
              FROM qualifying q
              LEFT JOIN LATERAL (%(reached)s) reached ON TRUE
            """,
            since=since,
            today=today,
            cards=tuple(card_ids),
            reached=self.env["sh.loyalty.tier"]._sh_reached_sql(
                SQL("q.program_id"), SQL("q.value")
            ),
        )

    def _sh_upgrade_tiers(self):
        """Upgrade at once the cards whose qualifying value reached a higher
        tier (after a sale)."""
        if not self:
            return
        today = fields.Date.context_today(self)
        self._sh_flush_ledger()
        rows = self.env.execute_query(self._sh_qualifying_sql(today, self.ids))
        reached = {card_id: (value, tier_id) for card_id, value, tier_id, _threshold in rows}
        Tier = self.env["sh.loyalty.tier"]
        changes = {}
        for card in self:
            value, tier_id = reached.get(card.id, (0.0, None))
            vals = {"sh_qualifying_value": value}
            tier = Tier.browse(tier_id)
            current = card.sh_tier_id
            if tier and (not current or tier.threshold > current.threshold):
                changes[card] = (current, tier)
            elif current and tier and tier.threshold >= current.threshold:
                vals["sh_downgrade_pending_since"] = False
            card.with_context(tracking_disable=True).write(vals)
        if changes:
            self._sh_change_tiers(changes)

    def _sh_invalidate_tiers(self):
        """After a statement wrote the tier fields of these cards: drop them
        from the cache, with what is computed from them."""
        fnames = [
            "sh_qualifying_value",
            "sh_tier_id",
            "sh_tier_since",
            "sh_downgrade_pending_since",
        ]
        self.invalidate_recordset(fnames)
        self.modified(fnames)

    def _sh_change_tiers(self, changes):
        """Set new tiers ``{card: (old tier, new tier)}``: log them on the
        customers' chatter and notify the customers if the program says so."""
        today = fields.Date.context_today(self)
        by_tier = defaultdict(lambda: self.browse())
        for card, (_old, new) in changes.items():
            by_tier[new] |= card
        for tier, cards in by_tier.items():
            cards.with_context(tracking_disable=True).write(
                {"sh_tier_id": tier.id, "sh_tier_since": today, "sh_downgrade_pending_since": False}
            )
        self._sh_after_tier_change(
            [(card.id, old.id, new.id) for card, (old, new) in changes.items()]
        )

    def _sh_after_tier_change(self, rows):
        """Chatter log, partner tier and notification for ``(card_id, old
        tier id, new tier id)`` rows. A member's first tier (the card had
        none: its program had no tiers yet) is not a change to tell the
        customer about, and nothing is sent with the context key
        ``sh_loyalty_no_notify`` (enrolment)."""
        if not rows:
            return
        cards = self.browse([row[0] for row in rows])
        cards._sh_store_partner_tier()
        Tier = self.env["sh.loyalty.tier"]
        bodies = {}
        for card_id, old_id, new_id in rows:
            card = self.browse(card_id)
            old, new = Tier.browse(old_id), Tier.browse(new_id)
            if old and new.threshold > old.threshold:
                text = _(
                    "Loyalty tier upgraded from %(old)s to %(new)s.", old=old.name, new=new.name
                )
            elif old:
                text = _(
                    "Loyalty tier lowered from %(old)s to %(new)s.", old=old.name, new=new.name
                )
            else:
                text = _("Loyalty tier set to %(new)s.", new=new.name)
            bodies[card.partner_id.id] = Markup("<p>%s</p>") % text
        logs = self.env["res.partner"].browse(list(bodies))._message_log_batch(bodies=bodies)
        # Logged as notes, of the subtype by which the customer's timeline
        # tells them from the other notes.
        subtype = self.env.ref("sh_loyalty.mt_tier_change", raise_if_not_found=False)
        if subtype:
            logs.write({"subtype_id": subtype.id})
        template = self.env.ref("sh_loyalty.mail_template_sh_tier_change", raise_if_not_found=False)
        changed = self.browse([card_id for card_id, old_id, _new_id in rows if old_id])
        notify = changed.filtered(
            lambda card: card.program_id.sh_notify_tier_change and card.partner_id.email
        )
        if template and notify and not self.env.context.get("sh_loyalty_no_notify"):
            template.send_mail_batch(notify.ids)

    def _sh_store_partner_tier(self):
        """Copy the card's tier to the customer's per-company tier (list
        filters and group-by), one statement for all cards."""
        if not self:
            return
        self.flush_recordset(["sh_tier_id", "partner_id", "company_id"])
        partners = self.partner_id
        partners.flush_recordset(["sh_loyalty_tier_id"])
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET sh_loyalty_tier_id = COALESCE(p.sh_loyalty_tier_id, '{}'::jsonb)
                       || jsonb_build_object(c.company_id::text, c.sh_tier_id)
                  FROM loyalty_card c
                 WHERE c.partner_id = p.id AND c.id IN %s AND c.company_id IS NOT NULL
                """,
                tuple(self.ids),
            )
        )
        partners.invalidate_recordset(["sh_loyalty_tier_id"])
