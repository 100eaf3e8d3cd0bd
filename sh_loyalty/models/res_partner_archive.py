"""Archiving customers with loyalty: unused points in a customers' program
must be confirmed before a customer is archived, and a customer who holds
some is not suggested for archiving. The card itself stays active and keeps
its points: a restored customer finds them."""

from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .loyalty_card import POINTS_DIGITS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _sh_archive_blockers(self):
        """The open debt, and the unused points of each customer's cards in
        the customers' programs: the current company's, and, as a customer
        is archived for every company, the other companies' (their amounts
        only for users who work there)."""
        blockers = super()._sh_archive_blockers()
        program_ids = self.env["loyalty.program"]._sh_customer_program_ids()
        if not program_ids:
            return blockers
        # sudo: the balances of the cards in every company's program; those
        # of a company the user does not work in are not shown.
        groups = (
            self.env["loyalty.card"]
            .sudo()
            ._read_group(
                [
                    ("program_id", "in", list(program_ids.values())),
                    ("partner_id", "in", self.ids),
                    ("points", ">", 0),
                ],
                groupby=["program_id", "partner_id"],
                aggregates=["points:sum"],
            )
        )
        by_company = {}
        for program, partner, points in groups:
            amounts = by_company.setdefault(program.company_id, {})
            amounts[partner.id] = amounts.get(partner.id, 0.0) + points
        allowed = self.env.user.company_ids

        def show(points):
            return formatLang(self.env, points, digits=POINTS_DIGITS)

        def hide(points):
            return self.env._("(amount hidden)")

        blockers.append(
            {
                "kind": "points",
                "label": self.env._("Unused points"),
                "sequence": 20,
                "amounts": by_company.pop(self.env.company, {}),
                "format": show,
            }
        )
        hidden = {}
        for company, amounts in sorted(by_company.items(), key=lambda item: item[0].name):
            if company not in allowed:
                hidden.update(dict.fromkeys(amounts, 0.0))
                continue
            blockers.append(
                {
                    "kind": f"points_{company.id}",
                    "label": self.env._("Unused points in %(company)s", company=company.name),
                    "sequence": 21,
                    "amounts": amounts,
                    "format": show,
                }
            )
        if hidden:
            blockers.append(
                {
                    "kind": "points_elsewhere",
                    "label": self.env._("Unused points in another company"),
                    "sequence": 22,
                    "amounts": hidden,
                    "format": hide,
                }
            )
        return blockers

    @api.model
    def _sh_archive_suggestion_domain(self):
        """Also no unused points in any company's customers' program."""
        domain = super()._sh_archive_suggestion_domain()
        program_ids = self.env["loyalty.program"]._sh_customer_program_ids()
        if not program_ids:
            return domain
        cards = self.env["loyalty.card"]
        cards.flush_model(["program_id", "partner_id", "points"])
        holders = SQL(
            "(SELECT partner_id FROM %s WHERE program_id = ANY(%s) AND points > 0 "
            "AND partner_id IS NOT NULL)",
            SQL.identifier(cards._table),
            list(program_ids.values()),
        )
        return expression.AND([domain, [("id", "not in", holders)]])
