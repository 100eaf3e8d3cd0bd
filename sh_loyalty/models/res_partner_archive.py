"""Archiving customers with loyalty: unused points in the current company's
customers' program must be confirmed before a customer is archived, and a
customer who holds some is not suggested for archiving. The card itself
stays active and keeps its points: a restored customer finds them."""

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .loyalty_card import POINTS_DIGITS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _sh_archive_blockers(self):
        """The open debt, and the unused points of each customer's card in
        the current company's customers' program."""
        blockers = super()._sh_archive_blockers()
        program = self._sh_archive_program()
        if not program:
            return blockers
        groups = self.env["loyalty.card"]._read_group(
            [
                ("program_id", "=", program.id),
                ("partner_id", "in", self.ids),
                ("points", ">", 0),
            ],
            groupby=["partner_id"],
            aggregates=["points:sum"],
        )
        blockers.append(
            {
                "kind": "points",
                "label": self.env._("Unused points"),
                "sequence": 20,
                "amounts": {partner.id: points for partner, points in groups},
                "format": lambda points: formatLang(self.env, points, digits=POINTS_DIGITS),
            }
        )
        return blockers

    @api.model
    def _sh_archive_suggestion_domain(self):
        """Also no unused points in the company's customers' program."""
        domain = super()._sh_archive_suggestion_domain()
        program = self._sh_archive_program()
        if not program:
            return domain
        cards = self.env["loyalty.card"]
        cards.flush_model(["program_id", "partner_id", "points"])
        holders = SQL(
            "(SELECT partner_id FROM %s WHERE program_id = %s AND points > 0 "
            "AND partner_id IS NOT NULL)",
            SQL.identifier(cards._table),
            program.id,
        )
        return expression.AND([domain, [("id", "not in", holders)]])

    @api.model
    def _sh_archive_program(self):
        """The current company's customers' program, or an empty record."""
        return (
            self.env["loyalty.program"]
            .sudo()  # sudo: only the program's id is read, for any user who sees customers
            ._sh_customer_programs(self.env.company)
            .get(self.env.company.id, self.env["loyalty.program"])
        )
