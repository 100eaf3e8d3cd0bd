from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_round

from .loyalty_history import MOVE_REASONS

POINTS_DIGITS = 0


def round_points(value):
    return float_round(value, precision_digits=POINTS_DIGITS, rounding_method="HALF-UP")


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    sh_is_customer_program = fields.Boolean(related="program_id.sh_is_customer_program")
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
    sh_points_owed = fields.Float(
        string="Points Owed",
        readonly=True,
        help="Points taken back by credit notes that the balance could not cover; they are "
        "deducted from the next points earned.",
    )
    sh_lot_ids = fields.One2many("sh.loyalty.lot", "card_id", string="Points Lots")
    sh_expiring_points = fields.Float(
        string="Expiring Soon",
        compute="_compute_sh_expiry",
        help="Points that expire within the program's warning period.",
    )
    sh_expiring_date = fields.Date(
        string="Next Expiry",
        compute="_compute_sh_expiry",
        help="Date on which the oldest open points expire.",
    )
    sh_last_activity = fields.Date(string="Last Activity", compute="_compute_sh_last_activity")
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

    def _compute_sh_expiry(self):
        today = fields.Date.context_today(self)
        self.sh_expiring_points = 0.0
        self.sh_expiring_date = False
        cards = self.filtered("id")
        if not cards:
            return
        lots = self.env["sh.loyalty.lot"].sudo()  # sudo: figures shown to Customers users
        soon = defaultdict(float)
        warn_until = {
            card.id: today + relativedelta(days=card.program_id.sh_expiry_warning_days)
            for card in cards
        }
        for card, expiry_date, remaining in lots._read_group(
            [("card_id", "in", cards.ids), ("remaining", ">", 0), ("expiry_date", "!=", False)],
            ["card_id", "expiry_date:day"],
            ["remaining:sum"],
        ):
            if not card.sh_expiring_date or expiry_date < card.sh_expiring_date:
                card.sh_expiring_date = expiry_date
            if expiry_date <= warn_until[card.id]:
                soon[card.id] += remaining
        for card in cards:
            card.sh_expiring_points = soon[card.id]

    def _compute_sh_last_activity(self):
        self.sh_last_activity = False
        history = self.env["loyalty.history"].sudo()  # sudo: figures shown to Customers users
        for card, last in history._read_group(
            [("card_id", "in", self.filtered("id").ids)], ["card_id"], ["sh_date:max"]
        ):
            card.sh_last_activity = last

    @api.depends("sh_tier_id", "sh_qualifying_value")
    def _compute_sh_next_tier(self):
        for card in self:
            tiers = card.program_id.sh_tier_ids.filtered("active").sorted("threshold")
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

    def action_loyalty_update_balance(self):
        """On a customers' program card the balance changes through the
        adjustment, which keeps the lots and asks for a reason."""
        if len(self) == 1 and self.sh_is_customer_program:
            return {
                "type": "ir.actions.act_window",
                "name": _("Adjust Points"),
                "res_model": "sh.loyalty.adjust.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_partner_id": self.partner_id.id, "default_card_id": self.id},
            }
        return super().action_loyalty_update_balance()

    # ------------------------------------------------------------------
    # Ledger
    # ------------------------------------------------------------------

    @api.model
    def _sh_get_cards(self, partners_by_program):
        """Cards of ``{program: partners}``, created (with the lowest tier)
        where missing; returns ``{(program_id, partner_id): card}``."""
        cards = {}
        domain = []
        for program, partners in partners_by_program.items():
            domain = (["|"] if domain else []) + domain
            domain += ["&", ("program_id", "=", program.id), ("partner_id", "in", partners.ids)]
        if not domain:
            return cards
        for card in self.with_context(active_test=False).search(domain, order="id"):
            cards.setdefault((card.program_id.id, card.partner_id.id), card)
        vals_list = [
            {
                "program_id": program.id,
                "partner_id": partner.id,
                "points": 0.0,
                "sh_tier_id": program._sh_tier_for_value(0.0).id,
                "sh_tier_since": fields.Date.context_today(self),
            }
            for program, partners in partners_by_program.items()
            for partner in partners
            if (program.id, partner.id) not in cards
        ]
        if vals_list:
            new_cards = self.with_context(tracking_disable=True).create(vals_list)
            new_cards._sh_store_partner_tier()
            for card in new_cards:
                cards[(card.program_id.id, card.partner_id.id)] = card
        return cards

    def _sh_apply(self, movements):
        """Write point movements to the cards, their lots and the history.

        ``movements``: dicts with ``card``, ``points`` (positive earns,
        negative takes back), ``reason``, ``description``, ``date`` and
        optionally ``move`` (source document), ``lot_move`` (whose lot is
        taken from first), ``owe`` (a shortfall may be owed instead of
        refused). Earnings settle owed points first; deductions take from
        lots oldest first. Returns the history lines.
        """
        # sudo: the ledger, the lots and the balance are written only here,
        # by the actions that checked who may earn, redeem or adjust.
        ledger = self.sudo()
        Lot = ledger.env["sh.loyalty.lot"]
        cards = ledger.browse({mv["card"].id for mv in movements})
        state = {
            card.id: {
                "points": card.points,
                "owed": card.sh_points_owed,
                "program": card.program_id,
                "lots": [],
            }
            for card in cards
        }
        # Open lots matter only to deductions; plain earnings just add one.
        deducting = any(mv["points"] < 0 for mv in movements)
        open_lots = (
            Lot.search([("card_id", "in", cards.ids), ("remaining", ">", 0)]) if deducting else Lot
        )
        for lot in open_lots:
            state[lot.card_id.id]["lots"].append(
                {
                    "lot": lot,
                    "remaining": lot.remaining,
                    "move_id": lot.move_id.id,
                    "expiry_date": lot.expiry_date,
                }
            )
        new_lots = []
        history = []
        for mv in movements:
            points = round_points(mv["points"])
            if not points:
                continue
            st = state[mv["card"].id]
            move_id = mv.get("move") and mv["move"].id
            line = {
                "card_id": mv["card"].id,
                "description": mv["description"],
                "sh_reason": mv["reason"],
                "sh_date": mv["date"],
                "sh_move_id": move_id,
                "order_model": move_id and "account.move",
                "order_id": move_id,
            }
            if points > 0:
                new_lots.append(ledger._sh_plan_earning(st, line, points, history))
            else:
                ledger._sh_plan_deduction(st, line, -points, mv, history)
        if not history:
            return ledger.env["loyalty.history"]
        lines = ledger.env["loyalty.history"].create(history)
        if new_lots:
            Lot.create([{**lot["vals"], "remaining": lot["remaining"]} for lot in new_lots])
        changed = defaultdict(lambda: Lot)
        for st in state.values():
            for lot in st["lots"]:
                if "lot" in lot and lot["lot"].remaining != lot["remaining"]:
                    changed[lot["remaining"]] |= lot["lot"]
        for remaining, lots in changed.items():
            lots.write({"remaining": remaining})
        for card in cards.with_context(tracking_disable=True):
            st = state[card.id]
            if card.points != st["points"] or card.sh_points_owed != st["owed"]:
                card.write({"points": st["points"], "sh_points_owed": st["owed"]})
        return lines

    def _sh_plan_earning(self, st, line, points, history):
        """Earn ``points``: settle owed points first, then open a lot."""
        history.append({**line, "issued": points, "used": 0.0})
        settled = min(points, st["owed"])
        if settled > 0:
            st["owed"] -= settled
            history.append(
                {
                    **line,
                    "sh_reason": "settle",
                    "description": _("Owed points settled"),
                    "issued": 0.0,
                    "used": settled,
                }
            )
        rest = points - settled
        # Points covering a negative balance are spent at once.
        absorbed = min(rest, max(-st["points"], 0.0))
        st["points"] += rest
        months = st["program"].sh_validity_months
        expiry = line["sh_date"] + relativedelta(months=months) if months else False
        lot = {
            "vals": {
                "card_id": line["card_id"],
                "move_id": line["sh_move_id"] or False,
                "date": line["sh_date"],
                "expiry_date": expiry,
                "points": points,
            },
            "remaining": rest - absorbed,
            "move_id": line["sh_move_id"] or False,
            "expiry_date": expiry,
        }
        st["lots"].append(lot)
        st["lots"].sort(key=lambda lot: lot["expiry_date"] or date.max)
        return lot

    def _sh_plan_deduction(self, st, line, need, mv, history):
        """Take ``need`` points: from the lot of ``lot_move`` first, then
        oldest first; a shortfall is owed when the program does not allow a
        negative balance and the movement may owe."""
        history.append({**line, "issued": 0.0, "used": need})
        available = max(st["points"], 0.0)
        take = need
        if need > available and mv.get("owe") and not st["program"].sh_allow_negative:
            shortfall = need - available
            st["owed"] += shortfall
            take = available
            history.append(
                {
                    **line,
                    "sh_reason": "owed",
                    "description": _("Shortfall owed, settled from later earnings"),
                    "issued": shortfall,
                    "used": 0.0,
                }
            )
        st["points"] -= take
        lot_move_id = mv.get("lot_move") and mv["lot_move"].id
        own = [lot for lot in st["lots"] if lot_move_id and lot["move_id"] == lot_move_id]
        for lot in own + [lot for lot in st["lots"] if lot not in own]:
            if take <= 0:
                break
            used = min(lot["remaining"], take)
            lot["remaining"] -= used
            take -= used

    # ------------------------------------------------------------------
    # Earning from invoices
    # ------------------------------------------------------------------

    @api.model
    def _sh_sync_moves(self, moves):
        """Bring the points of customer invoices and credit notes to what
        their current state earns: posted invoices earn the program's rate
        times the untaxed amount times the tier multiplier fixed at their
        first earning, credit notes take back their share of what their
        invoice earned, anything not posted earns nothing. Only the
        difference with what the history already holds for each document is
        written, so a sale earns exactly once whatever happens to it."""
        moves = moves.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if not moves:
            return
        programs = self.env["loyalty.program"]._sh_customer_programs(moves.company_id)
        moves = moves.filtered(lambda m: m.company_id.id in programs)
        if not moves:
            return
        History = self.env["loyalty.history"]
        origins = moves.reversed_entry_id.filtered(lambda m: m.move_type == "out_invoice")
        sibling_refunds = (
            self.env["account.move"].search(
                [("reversed_entry_id", "in", origins.ids), ("move_type", "=", "out_refund")]
            )
            if origins
            else self.env["account.move"]
        )
        linked = moves | origins | sibling_refunds
        History.flush_model(["sh_move_id", "sh_reason", "issued", "used"])
        current = {
            move.id: issued - used
            for move, issued, used in History._read_group(
                [("sh_move_id", "in", linked.ids), ("sh_reason", "in", MOVE_REASONS)],
                ["sh_move_id"],
                ["issued:sum", "used:sum"],
            )
        }
        partners_by_program = defaultdict(lambda: self.env["res.partner"])
        for move in moves:
            partners_by_program[programs[move.company_id.id]] |= move.commercial_partner_id
        cards = self._sh_get_cards(partners_by_program)
        # Points taken back by other credit notes of the same invoice.
        reversed_by_others = defaultdict(float)
        for refund in sibling_refunds - moves:
            reversed_by_others[refund.reversed_entry_id.id] -= current.get(refund.id, 0.0)
        movements = []
        touched = self.browse()
        factors = {move.id: move.sh_loyalty_factor for move in moves | origins}
        new_factors = {}
        for move in moves.sorted(lambda m: (m.invoice_date or m.date, m.id)):
            program = programs[move.company_id.id]
            card = cards[(program.id, move.commercial_partner_id.id)]
            origin = move.reversed_entry_id if move.reversed_entry_id in origins else None
            target = 0.0
            if move.state == "posted":
                if origin is not None:
                    if factors[origin.id]:
                        share = round_points(-move.amount_untaxed_signed * factors[origin.id])
                        left = current.get(origin.id, 0.0) - reversed_by_others[origin.id]
                        target = -min(share, max(left, 0.0))
                else:
                    if not factors[move.id]:
                        factors[move.id] = new_factors[move.id] = program.sh_points_per_unit * (
                            card.sh_tier_id.multiplier or 1.0
                        )
                    target = round_points(move.amount_untaxed_signed * factors[move.id])
            delta = target - current.get(move.id, 0.0)
            # What the document holds once this sync is written: a credit
            # note later in the same batch takes back from it.
            current[move.id] = target
            if origin is not None:
                reversed_by_others[origin.id] -= target
            if not round_points(delta):
                continue
            touched |= card
            movements.append(
                {
                    "card": card,
                    "points": delta,
                    "move": move,
                    "lot_move": origin or move,
                    "owe": True,
                    "date": move.invoice_date or move.date,
                    "reason": "earn" if delta > 0 else "reverse",
                    "description": (
                        _("Earned on %(document)s", document=move.name)
                        if delta > 0
                        else _("Taken back: %(document)s", document=move.name)
                    ),
                }
            )
        if new_factors:
            # Straight to the column: a posted invoice's write() would check
            # and resynchronise its lines for a field they do not depend on.
            self.env.execute_query(
                SQL(
                    """
                    UPDATE account_move m SET sh_loyalty_factor = v.factor
                      FROM (VALUES %s) AS v(id, factor)
                     WHERE m.id = v.id
                    """,
                    SQL(", ").join(
                        SQL("(%s, %s::numeric)", move_id, factor)
                        for move_id, factor in new_factors.items()
                    ),
                )
            )
            moves.browse(new_factors).invalidate_recordset(["sh_loyalty_factor"])
        if movements:
            self._sh_apply(movements)
            touched._sh_upgrade_tiers()

    # ------------------------------------------------------------------
    # Tiers
    # ------------------------------------------------------------------

    def _sh_qualifying_sql(self, today, card_ids):
        """One statement: the qualifying value of every card of ``card_ids``
        (rolling 12-month net sales or qualifying points)."""
        since = today - relativedelta(months=12)
        return SQL(
            """
            WITH cards AS (
                SELECT c.id, c.partner_id, p.company_id, p.sh_tier_basis AS basis
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
            )
            SELECT cards.id AS card_id,
                   CASE WHEN cards.basis = 'points' THEN COALESCE(points.value, 0)
                        ELSE COALESCE(sales.value, 0) END AS value
              FROM cards
              LEFT JOIN sales ON sales.partner_id = cards.partner_id
                             AND sales.company_id = cards.company_id
              LEFT JOIN points ON points.card_id = cards.id
            """,
            since=since,
            today=today,
            cards=tuple(card_ids),
        )

    def _sh_upgrade_tiers(self):
        """Upgrade at once the cards whose qualifying value reached a higher
        tier (after a sale)."""
        if not self:
            return
        today = fields.Date.context_today(self)
        self.env.flush_all()
        rows = self.env.execute_query(self._sh_qualifying_sql(today, self.ids))
        values = dict(rows)
        changes = {}
        for card in self:
            value = values.get(card.id, 0.0)
            vals = {"sh_qualifying_value": value}
            tier = card.program_id._sh_tier_for_value(value)
            current = card.sh_tier_id
            if tier and (not current or tier.threshold > current.threshold):
                changes[card] = (current, tier)
            elif current and value >= current.threshold:
                vals["sh_downgrade_pending_since"] = False
            card.with_context(tracking_disable=True).write(vals)
        if changes:
            self._sh_change_tiers(changes)

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
        self.env["res.partner"].browse(list(bodies))._message_log_batch(bodies=bodies)
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
        self.env["res.partner"].invalidate_model(["sh_loyalty_tier_id"])

    # ------------------------------------------------------------------
    # Daily: expiry, tier review, warnings
    # ------------------------------------------------------------------

    @api.model
    def _sh_expire_and_review(self, card_ids, today):
        """Expire the lots due on ``today`` and review the tiers of the
        given cards, set-based: a handful of statements whatever the number
        of cards. Returns ``(points expired, tier changes)``."""
        if not card_ids:
            return 0.0, 0
        self.env.flush_all()
        user = self.env.user.id
        cards = tuple(card_ids)
        [(expired,)] = self.env.execute_query(
            SQL(
                """
                WITH due AS (
                    SELECT lot.id, lot.card_id, lot.remaining
                      FROM sh_loyalty_lot lot
                     WHERE lot.card_id IN %(cards)s
                       AND lot.remaining > 0
                       AND lot.expiry_date <= %(today)s
                       FOR UPDATE
                ), lots AS (
                    UPDATE sh_loyalty_lot lot
                       SET remaining = 0, write_date = NOW() AT TIME ZONE 'UTC',
                           write_uid = %(user)s
                      FROM due WHERE lot.id = due.id
                ), per_card AS (
                    SELECT card_id, SUM(remaining) AS points FROM due GROUP BY card_id
                ), upd AS (
                    UPDATE loyalty_card c SET points = c.points - per_card.points,
                           write_date = NOW() AT TIME ZONE 'UTC', write_uid = %(user)s
                      FROM per_card WHERE c.id = per_card.card_id
                 RETURNING c.id, c.partner_id, c.program_id, per_card.points
                ), ins AS (
                    INSERT INTO loyalty_history (card_id, description, issued, used, sh_points,
                                                 sh_reason, sh_date, sh_user_id, sh_partner_id,
                                                 sh_program_id, create_uid, create_date,
                                                 write_uid, write_date)
                    SELECT upd.id, %(description)s, 0, upd.points, -upd.points, 'expire',
                           %(today)s, %(user)s, upd.partner_id, upd.program_id, %(user)s,
                           NOW() AT TIME ZONE 'UTC', %(user)s, NOW() AT TIME ZONE 'UTC'
                      FROM upd
                 RETURNING used
                )
                SELECT COALESCE(SUM(used), 0) FROM ins
                """,
                cards=cards,
                today=today,
                user=user,
                description=_("Points expired"),
            )
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH q AS (%(qualifying)s),
                d AS (
                    SELECT c.id, c.sh_tier_id AS old_tier, q.value, c.sh_downgrade_pending_since,
                           p.sh_tier_grace_days AS grace, cur.threshold AS cur_thr,
                           target.id AS target_id, target.threshold AS target_thr,
                           lower_tier.id AS lower_id, lower_tier.threshold AS lower_thr
                      FROM loyalty_card c
                      JOIN q ON q.card_id = c.id
                      JOIN loyalty_program p ON p.id = c.program_id
                      LEFT JOIN sh_loyalty_tier cur ON cur.id = c.sh_tier_id
                      LEFT JOIN LATERAL (
                            SELECT t.id, t.threshold FROM sh_loyalty_tier t
                             WHERE t.program_id = c.program_id AND t.active
                               AND t.threshold <= q.value + 0.000001
                             ORDER BY t.threshold DESC, t.sequence, t.id LIMIT 1
                      ) target ON TRUE
                      LEFT JOIN LATERAL (
                            SELECT t.id, t.threshold FROM sh_loyalty_tier t
                             WHERE t.program_id = c.program_id AND t.active
                               AND t.threshold < cur.threshold
                             ORDER BY t.threshold DESC, t.sequence, t.id LIMIT 1
                      ) lower_tier ON TRUE
                ),
                decided AS (
                    SELECT d.*,
                           CASE
                             WHEN d.target_id IS NOT NULL
                                  AND (d.cur_thr IS NULL OR d.target_thr > d.cur_thr)
                               THEN d.target_id
                             WHEN d.target_thr < d.cur_thr AND d.lower_id IS NOT NULL
                                  AND d.sh_downgrade_pending_since IS NOT NULL
                                  AND d.sh_downgrade_pending_since + d.grace <= %(today)s
                               THEN d.lower_id
                             ELSE d.old_tier
                           END AS new_tier
                      FROM d
                ),
                upd AS (
                    UPDATE loyalty_card c
                       SET sh_qualifying_value = decided.value,
                           sh_tier_id = decided.new_tier,
                           sh_tier_since = CASE
                               WHEN decided.new_tier IS DISTINCT FROM decided.old_tier
                                   THEN %(today)s
                               ELSE c.sh_tier_since
                           END,
                           sh_downgrade_pending_since = CASE
                               WHEN decided.new_tier IS DISTINCT FROM decided.old_tier
                                   THEN CASE WHEN decided.target_thr < decided.lower_thr
                                             THEN %(today)s END
                               WHEN decided.target_thr < decided.cur_thr
                                   THEN COALESCE(c.sh_downgrade_pending_since, %(today)s)
                           END
                      FROM decided
                     WHERE c.id = decided.id
                       AND (c.sh_qualifying_value IS DISTINCT FROM decided.value
                            OR decided.new_tier IS DISTINCT FROM decided.old_tier
                            OR (decided.target_thr < decided.cur_thr)
                               IS DISTINCT FROM (c.sh_downgrade_pending_since IS NOT NULL))
                 RETURNING c.id, decided.old_tier, decided.new_tier
                )
                SELECT id, old_tier, new_tier FROM upd
                 WHERE new_tier IS DISTINCT FROM old_tier
                """,
                qualifying=self._sh_qualifying_sql(today, cards),
                today=today,
            )
        )
        self.env.invalidate_all()
        self._sh_after_tier_change(rows)
        return expired, len(rows)

    @api.model
    def _sh_warn_expiring(self, card_ids, today):
        """E-mail the customers whose points expire within the program's
        warning period, once per lot. Returns the number of cards warned.
        With the context key ``sh_loyalty_no_notify`` (enrolment) the lots
        are marked as warned and nobody is e-mailed: points a customer
        brought into the program that expire within days are not news to
        send on the program's first day."""
        if not card_ids:
            return 0
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE sh_loyalty_lot lot SET warned = TRUE
                  FROM loyalty_card c
                  JOIN loyalty_program p ON p.id = c.program_id
                  JOIN res_partner partner ON partner.id = c.partner_id
                 WHERE lot.card_id = c.id
                   AND c.id IN %(cards)s
                   AND lot.remaining > 0
                   AND NOT COALESCE(lot.warned, FALSE)
                   AND lot.expiry_date > %(today)s
                   AND lot.expiry_date <= %(today)s + p.sh_expiry_warning_days
                   AND partner.email IS NOT NULL AND partner.email != ''
             RETURNING c.id
                """,
                cards=tuple(card_ids),
                today=today,
            )
        )
        self.env["sh.loyalty.lot"].invalidate_model(["warned"])
        card_ids = sorted({row[0] for row in rows})
        template = self.env.ref(
            "sh_loyalty.mail_template_sh_points_expiring", raise_if_not_found=False
        )
        if template and card_ids and not self.env.context.get("sh_loyalty_no_notify"):
            template.send_mail_batch(card_ids)
        return len(card_ids)

    @api.model
    def _cron_sh_loyalty_daily(self, batch_size=20000):
        """Daily: expire lots, review tiers and warn of expiring points for
        the members of the customers' programs, in batches of cards; each
        batch is committed by the scheduler."""
        today = fields.Date.context_today(self)
        params = self.env["ir.config_parameter"].sudo()  # sudo: the batch cursor is technical
        start = int(params.get_param("sh_loyalty.daily_cursor", 0) or 0)
        domain = [("program_id.sh_is_customer_program", "=", True)]
        batch = self.search(domain + [("id", ">", start)], order="id", limit=batch_size)
        remaining = self.search_count(domain + [("id", ">", batch.ids[-1])]) if batch else 0
        self._sh_expire_and_review(batch.ids, today)
        self._sh_warn_expiring(batch.ids, today)
        params.set_param("sh_loyalty.daily_cursor", batch.ids[-1] if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)

    # ------------------------------------------------------------------
    # Redemption and adjustment
    # ------------------------------------------------------------------

    def _sh_lock(self):
        """Lock the card rows until the end of the transaction and re-read
        them, so that two redemptions never spend the same points."""
        self.flush_recordset()
        # A concurrent redemption that committed first makes this statement
        # fail with a serialization error: the request is retried and sees
        # the new balance. Not an error worth logging.
        self.env.cr.execute(
            SQL("SELECT id FROM loyalty_card WHERE id IN %s FOR UPDATE", tuple(self.ids)),
            log_exceptions=False,
        )
        self.invalidate_recordset(["points", "sh_points_owed"])

    def _sh_redeem(self, reward):
        """Spend ``reward.required_points`` of this card for a coupon of
        ``reward`` usable in Sales and Point of Sale; returns the coupon."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if not self.partner_id.active:
            raise UserError(
                _(
                    "%(customer)s is archived: archived customers cannot redeem rewards.",
                    customer=self.partner_id.display_name,
                )
            )
        if not reward.active or reward.program_id != self.program_id:
            raise UserError(
                _(
                    "The reward %(reward)s is not offered by this program.",
                    reward=reward.description,
                )
            )
        if reward.sh_date_to and reward.sh_date_to < today:
            raise UserError(
                _(
                    "The reward %(reward)s could be redeemed until %(date)s only.",
                    reward=reward.description,
                    date=reward.sh_date_to,
                )
            )
        self._sh_lock()
        if self.points < reward.required_points:
            raise UserError(
                _(
                    "%(customer)s has %(balance)s points; %(reward)s needs %(required)s.",
                    customer=self.partner_id.display_name,
                    balance=self.points,
                    reward=reward.description,
                    required=reward.required_points,
                )
            )
        coupon_program = reward._sh_get_coupon_program()
        validity = self.program_id.sh_coupon_validity_days
        coupon = (
            self.env["loyalty.card"]
            .with_context(tracking_disable=True)
            .create(
                {
                    "program_id": coupon_program.id,
                    "partner_id": self.partner_id.id,
                    "points": 1,
                    "expiration_date": validity and today + relativedelta(days=validity),
                }
            )
        )
        self._sh_apply(
            [
                {
                    "card": self,
                    "points": -reward.required_points,
                    "reason": "redeem",
                    "date": today,
                    "description": _(
                        "Redeemed for %(reward)s, coupon %(code)s",
                        reward=reward.description,
                        code=coupon.code,
                    ),
                }
            ]
        )
        return coupon

    def _sh_adjust(self, points, reason):
        """Manual adjustment by a loyalty manager, with its reason."""
        self.ensure_one()
        points = round_points(points)
        if not points:
            raise UserError(_("Enter the number of points to add or remove."))
        if not (reason or "").strip():
            raise UserError(_("An adjustment needs a reason."))
        self._sh_lock()
        if points < 0 and -points > self.points and not self.program_id.sh_allow_negative:
            raise UserError(
                _(
                    "%(customer)s has %(balance)s points; %(points)s cannot be removed.",
                    customer=self.partner_id.display_name,
                    balance=self.points,
                    points=-points,
                )
            )
        return self._sh_apply(
            [
                {
                    "card": self,
                    "points": points,
                    "reason": "adjust",
                    "date": fields.Date.context_today(self),
                    "description": reason.strip(),
                }
            ]
        )
