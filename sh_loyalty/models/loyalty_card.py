"""The customers' loyalty card: its balance fields and the points ledger
(movements written to the balance, the earning lots and the history).

Earning from invoices, tiers, the daily run and redemption extend
``loyalty.card`` in the ``loyalty_card_*`` files beside this one."""

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.tools import float_round

POINTS_DIGITS = 0


def round_points(value):
    return float_round(value, precision_digits=POINTS_DIGITS, rounding_method="HALF-UP")


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"  # pylint: disable=consider-merging-classes-inherited

    sh_is_customer_program = fields.Boolean(related="program_id.sh_is_customer_program")
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

    def action_loyalty_update_balance(self):
        """On a customers' program card the balance changes through the
        adjustment, which keeps the lots and asks for a reason."""
        if len(self) == 1 and self.sh_is_customer_program:
            action = self.partner_id.action_sh_loyalty_adjust()
            action["context"] = {**action["context"], "default_card_id": self.id}
            return action
        return super().action_loyalty_update_balance()

    # ------------------------------------------------------------------
    # Ledger
    # ------------------------------------------------------------------

    @api.model
    def _sh_get_cards(self, partners_by_program):
        """Cards of ``{program: partners}``, created where missing in the
        tier that no sales give; returns ``{(program_id, partner_id): card}``."""
        cards = {}
        domain = []
        for program, partners in partners_by_program.items():
            domain = (["|"] if domain else []) + domain
            domain += ["&", ("program_id", "=", program.id), ("partner_id", "in", partners.ids)]
        if not domain:
            return cards
        for card in self.with_context(active_test=False).search(domain, order="id"):
            cards.setdefault((card.program_id.id, card.partner_id.id), card)
        today = fields.Date.context_today(self)
        vals_list = []
        for program, partners in partners_by_program.items():
            missing = [partner for partner in partners if (program.id, partner.id) not in cards]
            if not missing:
                continue
            # A new member starts in the tier that no sales give.
            first_tier = program._sh_tier_for_value(0.0)
            vals_list += [
                {
                    "program_id": program.id,
                    "partner_id": partner.id,
                    "points": 0.0,
                    "sh_tier_id": first_tier.id,
                    "sh_tier_since": today,
                }
                for partner in missing
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

    @api.model
    def _sh_flush_ledger(self):
        """Write the pending changes of what the ledger's statements read
        (programs, tiers, cards, lots, history and the invoices tiers
        qualify on) before they run."""
        for model in (
            "loyalty.program",
            "sh.loyalty.tier",
            "loyalty.card",
            "sh.loyalty.lot",
            "loyalty.history",
        ):
            self.env[model].flush_model()
        self.env["account.move"].flush_model(
            [
                "state",
                "move_type",
                "invoice_date",
                "commercial_partner_id",
                "company_id",
                "amount_untaxed_signed",
            ]
        )

    def _sh_invalidate_ledger(self, fnames):
        """After a statement wrote ``fnames`` of these cards and added lines
        to their history: drop exactly that from the cache, with what is
        computed from it (the customers' balances, expiry and movements)."""
        fnames = [
            *fnames,
            "history_ids",
            "sh_expiring_points",
            "sh_expiring_date",
            "sh_last_activity",
        ]
        self.invalidate_recordset(fnames)
        self.modified(fnames)
        # The customers' recent movements, read from the history: only the
        # customers (and their contacts) of these cards, in every company.
        Partner = self.env["res.partner"]
        movements = Partner._fields["sh_loyalty_history_ids"]
        # sudo: only reads the commercial partner of customers already shown
        shown = self.env.cache.get_records(Partner.sudo(), movements, all_contexts=True)
        if shown:
            # Read only when some customer's movements are in the cache: the
            # daily run writes thousands of cards and has none.
            customers = self.partner_id
            shown.filtered(
                lambda partner: partner.commercial_partner_id in customers
            ).invalidate_recordset([movements.name])
