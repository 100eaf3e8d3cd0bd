"""Points earned from customer invoices and taken back by their credit
notes: a sale earns exactly once, whatever happens to it."""

from collections import defaultdict

from odoo import _, api, models
from odoo.tools import SQL

from .loyalty_card import round_points
from .loyalty_history import MOVE_REASONS


class LoyaltyCard(models.Model):
    # One concern of loyalty.card per file: see the list in loyalty_card.py.
    _inherit = "loyalty.card"  # pylint: disable=consider-merging-classes-inherited

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
        origins, sibling_refunds, current = self._sh_move_points(moves)
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
            movements.append(self._sh_move_movement(card, move, origin, delta))
        if new_factors:
            self._sh_store_loyalty_factors(moves.browse(new_factors), new_factors)
        if movements:
            self._sh_apply(movements)
            touched._sh_upgrade_tiers()

    @api.model
    def _sh_move_points(self, moves):
        """The documents linked to ``moves`` and the points each holds:
        ``(origin invoices of the credit notes, the other credit notes of
        those invoices, {move id: points earned less taken back})``."""
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
        return origins, sibling_refunds, current

    @api.model
    def _sh_move_movement(self, card, move, origin, delta):
        """The ledger movement bringing ``move``'s points on ``card`` by
        ``delta``; a credit note takes back from its ``origin``'s lot."""
        return {
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

    @api.model
    def _sh_store_loyalty_factors(self, moves, factors):
        """Fix the earning factor ``{move id: factor}`` of invoices at their
        first earning. Straight to the column: a posted invoice's write()
        would check and resynchronise its lines for a field they do not
        depend on."""
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move m SET sh_loyalty_factor = v.factor
                  FROM (VALUES %s) AS v(id, factor)
                 WHERE m.id = v.id
                """,
                SQL(", ").join(
                    SQL("(%s, %s::numeric)", move_id, factor) for move_id, factor in factors.items()
                ),
            )
        )
        moves.invalidate_recordset(["sh_loyalty_factor"])
