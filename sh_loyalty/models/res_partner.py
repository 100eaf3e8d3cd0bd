"""The customer's loyalty on the partner: its card, tier and points in the
current company, the actions on them, and the customers list's tier card."""

from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from odoo.addons.sh_customers.figures import totals

from ..figures import tier_totals


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    sh_loyalty_card_ids = fields.One2many(
        "loyalty.card",
        "partner_id",
        string="Loyalty Cards",
        help="Loyalty cards, gift cards and coupons held by this customer.",
    )
    sh_loyalty_tier_id = fields.Many2one(
        "sh.loyalty.tier",
        string="Loyalty Tier",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Tier of the customer in the current company's customers' program.",
    )
    # The card is the current company's: the figures read through it are
    # cached per company too.
    sh_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        string="Loyalty Card",
        compute="_compute_sh_loyalty_card_id",
        search="_search_sh_loyalty_card_id",
        help="The customer's card in the current company's customers' program.",
    )
    sh_loyalty_points = fields.Float(
        related="sh_loyalty_card_id.points", depends_context=("company",), string="Points Balance"
    )
    sh_loyalty_points_owed = fields.Float(
        related="sh_loyalty_card_id.sh_points_owed", depends_context=("company",)
    )
    sh_loyalty_expiring_points = fields.Float(
        related="sh_loyalty_card_id.sh_expiring_points",
        depends_context=("company",),
        string="Points Expiring Soon",
    )
    sh_loyalty_expiring_date = fields.Date(
        related="sh_loyalty_card_id.sh_expiring_date", depends_context=("company",)
    )
    sh_loyalty_tier_color = fields.Integer(
        related="sh_loyalty_card_id.sh_tier_color", depends_context=("company",)
    )
    sh_loyalty_next_tier_id = fields.Many2one(
        related="sh_loyalty_card_id.sh_next_tier_id", depends_context=("company",)
    )
    sh_loyalty_amount_to_next = fields.Float(
        related="sh_loyalty_card_id.sh_amount_to_next_tier",
        depends_context=("company",),
        string="Still Needed",
    )
    sh_loyalty_tier_progress = fields.Float(
        related="sh_loyalty_card_id.sh_tier_progress", depends_context=("company",)
    )
    sh_loyalty_qualifying_value = fields.Float(
        related="sh_loyalty_card_id.sh_qualifying_value",
        depends_context=("company",),
        string="Qualifying Value",
    )
    sh_loyalty_tier_basis = fields.Selection(
        related="sh_loyalty_card_id.program_id.sh_tier_basis",
        depends_context=("company",),
        string="Tier Basis",
    )
    sh_loyalty_history_ids = fields.Many2many(
        "loyalty.history",
        string="Recent Points Movements",
        compute="_compute_sh_loyalty_history_ids",
    )

    def init(self):
        """Make the companies' customers per tier and their triggers, or
        replace the triggers with the current ones (``figures.tier_totals``),
        once the tier column exists."""
        res = super().init()
        tier_totals.ensure(self.env.cr)
        return res

    @api.depends_context("company")
    def _compute_sh_loyalty_card_id(self):
        self.sh_loyalty_card_id = False
        program = (
            self.env["loyalty.program"]
            .sudo()  # sudo: the program is found for any user who sees the customer
            ._sh_customer_programs(self.env.company)
            .get(self.env.company.id)
        )
        partners = self.filtered("id")
        if not program or not partners:
            return
        cards = self.env["loyalty.card"].search(
            [
                ("program_id", "=", program.id),
                ("partner_id", "in", partners.commercial_partner_id.ids),
            ],
            order="id",
        )
        by_partner = {}
        for card in cards:
            by_partner.setdefault(card.partner_id.id, card)
        for partner in partners:
            partner.sh_loyalty_card_id = by_partner.get(partner.commercial_partner_id.id)

    @api.depends_context("company")
    def _compute_sh_loyalty_history_ids(self):
        """The ten latest movements of each customer's card, one query."""
        self.sh_loyalty_history_ids = False
        cards = self.sh_loyalty_card_id
        if not cards:
            return
        self.env["loyalty.history"].flush_model(["card_id", "sh_date"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM (
                    SELECT h.id, ROW_NUMBER() OVER (
                               PARTITION BY h.card_id ORDER BY h.sh_date DESC, h.id DESC) AS n
                      FROM loyalty_history h
                     WHERE h.card_id IN %s
                ) latest WHERE n <= 10
                """,
                tuple(cards.ids),
            )
        )
        # Read through the ORM so that record rules apply to what is shown.
        lines = self.env["loyalty.history"].search([("id", "in", [row[0] for row in rows])])
        by_card = {}
        for line in lines.sorted(lambda line: (line.sh_date, line.id), reverse=True):
            by_card.setdefault(line.card_id.id, []).append(line.id)
        for partner in self:
            partner.sh_loyalty_history_ids = by_card.get(partner.sh_loyalty_card_id.id, [])

    def _search_sh_loyalty_card_id(self, operator, value):
        if operator not in ("in", "="):
            return NotImplemented
        cards = self.env["loyalty.card"].browse(value if isinstance(value, list) else [value])
        return [("commercial_partner_id", "in", cards.partner_id.ids)]

    def action_sh_loyalty_redeem(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Redeem a Reward"),
            "res_model": "sh.loyalty.redeem.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_sh_loyalty_adjust(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Adjust Points"),
            "res_model": "sh.loyalty.adjust.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_sh_loyalty_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sh_loyalty.loyalty_history_action_sh_loyalty"
        )
        action["domain"] = [("card_id", "=", self.sh_loyalty_card_id.id)]
        return action

    @api.model
    def _sh_kpi_figures(self, domain, date_from, date_to):
        """The customers list's figures, with the number of customers in
        each active tier of the company's program (``loyalty_tiers``, by
        threshold) and in its two highest tiers."""
        kpis = super()._sh_kpi_figures(domain, date_from, date_to)
        program = (
            self.env["loyalty.program"]
            .sudo()  # sudo: only the program's tiers are read for the card
            ._sh_customer_programs(self.env.company)
            .get(self.env.company.id)
        )
        if not program:
            return kpis
        counts = self._sh_loyalty_tier_counts(domain)
        tiers = program._sh_active_tiers()
        kpis["loyalty_tiers"] = [
            {"id": t.id, "name": t.name, "count": counts.get(t.id, 0)} for t in tiers
        ]
        kpis["loyalty_members"] = sum(counts.get(t.id, 0) for t in tiers)
        top = tiers[-2:]
        kpis["loyalty_top_tier_ids"] = top.ids
        kpis["loyalty_top_tiers"] = sum(counts.get(t.id, 0) for t in top)
        return kpis

    @api.model
    def _sh_loyalty_tier_counts(self, domain):
        """The customers matching ``domain`` in each tier of the current
        company, ``{tier_id: count}``. The Customers app's own list,
        unfiltered, reads the companies' customers per tier
        (``figures.tier_totals``), which PostgreSQL keeps up to date; a
        search or a filter counts the matching customers' tiers."""
        if totals.lists_every_customer(self.env, domain):
            return tier_totals.tier_counts(self.env, self.env.company)
        query = self._search(domain)
        tier = self._field_to_sql(query.table, "sh_loyalty_tier_id", query)
        return dict(
            self.env.execute_query(
                SQL(
                    "%s GROUP BY 1",
                    query.select(SQL("(%s)::int", tier), SQL("COUNT(*)")),
                )
            )
        )

    @api.model
    def _sh_kpi_cards(self, kpis):
        """The customers list's cards, with the customers of the program's
        two highest tiers (the count per tier below) when the company has a
        customers' program; a click filters on them."""
        cards = super()._sh_kpi_cards(kpis)
        if "loyalty_tiers" not in kpis:
            return cards
        top_ids = kpis["loyalty_top_tier_ids"]
        top_names = ", ".join(t["name"] for t in kpis["loyalty_tiers"] if t["id"] in top_ids)
        cards.append(
            self._sh_kpi_card(
                "loyalty_top_tiers",
                self.env._("Top Tiers"),
                self.env._(
                    "Customers in the loyalty tiers %(tiers)s, out of %(members)s members. "
                    "Tiers follow rolling 12-month net sales.",
                    tiers=top_names,
                    members=formatLang(self.env, kpis["loyalty_members"], digits=0),
                ),
                kpis["loyalty_top_tiers"],
                90,
                "fa-trophy",
                note=" · ".join(
                    f"{t['name']} {formatLang(self.env, t['count'], digits=0)}"
                    for t in kpis["loyalty_tiers"]
                ),
                domain=[("sh_loyalty_tier_id", "in", top_ids)],
                description=self.env._("Tier: %(tiers)s", tiers=top_names),
            )
        )
        return cards
