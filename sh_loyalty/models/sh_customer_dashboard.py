"""The loyalty program's part of the customer dashboard: the engagement and
points liability cards, the chart of customers per tier and the engagement
analytics, read from the members and points PostgreSQL keeps per day for
the current company's customers' program (or counted from its cards and
points history for a user with record rules of their own), and the
customers per tier."""

from odoo import _, api, models
from odoo.tools import SQL

from odoo.addons.sh_customers.figures import totals
from odoo.addons.sh_customers.figures.dashboard_domains import CUSTOMER_DOMAIN

from ..figures import point_totals
from ..figures.point_totals import ENGAGED_REASONS


class ShCustomerDashboard(models.AbstractModel):
    _inherit = "sh.customer.dashboard"

    @api.model
    def _sh_dashboard_cards(self, ctx):
        cards = super()._sh_dashboard_cards(ctx)
        loyalty = self._sh_loyalty_figures(ctx)
        if not loyalty:
            return cards
        program = loyalty["program"]
        df, dt = ctx["date_from"], ctx["date_to"]
        point_value = loyalty["point_value"]
        cards += [
            self._sh_card(
                ctx,
                "loyalty_engagement",
                _("Loyalty Engagement"),
                _(
                    "Members who earned or spent points in the period, as a percentage of the "
                    "members of the customers' program."
                ),
                loyalty["current"]["engagement"],
                loyalty["previous"]["engagement"],
                fmt="percent",
                domain=program._sh_members_domain(ENGAGED_REASONS, df, dt),
                sequence=130,
            ),
            self._sh_card(
                ctx,
                "points_liability",
                _("Points Liability"),
                _(
                    "Open points at the end of the period times the value of a point (the "
                    "best value a reward of the program gives a point)."
                )
                if point_value
                else _(
                    "Open points at the end of the period; no reward of the program gives a "
                    "point a money value."
                ),
                loyalty["current"]["open_points"] * (point_value or 1.0),
                loyalty["previous"]["open_points"] * (point_value or 1.0),
                fmt="money" if point_value else "number",
                better="down",
                # The members with open points today: those of the end of a
                # period that ends today only.
                domain=[
                    (
                        "sh_loyalty_card_ids",
                        "any",
                        [("program_id", "=", program.id), ("points", ">", 0)],
                    )
                ]
                if dt >= ctx["today"]
                else None,
                sequence=140,
            ),
        ]
        return cards

    @api.model
    def _sh_dashboard_charts(self, ctx):
        charts = super()._sh_dashboard_charts(ctx)
        loyalty = self._sh_loyalty_figures(ctx)
        if not loyalty:
            return charts
        counts = loyalty["tier_counts"]
        charts.append(
            self._sh_series_chart(
                "loyalty_tiers",
                _("Customers per Tier"),
                "doughnut",
                ("customers", _("Customers")),
                [
                    (tier.name, counts.get(tier.id, 0), [("sh_loyalty_tier_id", "=", tier.id)])
                    for tier in loyalty["tiers"]
                ],
                sequence=70,
            )
        )
        return charts

    @api.model
    def _sh_analytics(self, ctx):
        analytics = super()._sh_analytics(ctx)
        loyalty = self._sh_loyalty_figures(ctx)
        if not loyalty:
            return analytics
        current = loyalty["current"]
        point_value = loyalty["point_value"]
        analytics["engagement"] = {
            "rate": current["engagement"],
            "members": current["members"],
            "engaged_members": current["engaged"],
            "points_issued": current["issued"],
            "points_redeemed": current["redeemed"],
            "redemption_rate": self._sh_percent(current["redeemed"], current["issued"]),
            "open_points": current["open_points"],
            "point_value": point_value,
            "points_liability": self._sh_money(ctx, current["open_points"] * point_value)
            if point_value
            else None,
            "tiers": [
                {
                    "id": tier.id,
                    "name": tier.name,
                    "customers": loyalty["tier_counts"].get(tier.id, 0),
                }
                for tier in loyalty["tiers"]
            ],
        }
        return analytics

    @api.model
    def _sh_loyalty_figures(self, ctx):
        """Members, engagement and open points of the current company's
        customers' program, for both periods, and its customers per tier;
        None when the company has no customers' program."""
        if "loyalty" in ctx:
            return ctx["loyalty"]
        program = (
            self.env["loyalty.program"]
            .sudo()  # sudo: the program is found for any user who sees the dashboard
            ._sh_customer_programs(ctx["company"])
            .get(ctx["company"].id)
        )
        if not program:
            ctx["loyalty"] = None
            return None
        periods = {
            "current": (ctx["date_from"], ctx["date_to"]),
            "previous": (ctx["previous_from"], ctx["previous_to"]),
        }
        if self._sh_reads_kept_points():
            figures = point_totals.point_figures(self.env, program, periods)
        else:
            figures = self._sh_counted_points(program, periods)
        members = figures["members"]
        ctx["loyalty"] = loyalty = {
            "program": program,
            "point_value": self._sh_point_value(program),
            "tiers": program._sh_active_tiers(),
            "tier_counts": self.env["res.partner"]._sh_loyalty_tier_counts(CUSTOMER_DOMAIN),
            "current": {
                "members": members,
                "engaged": figures["current_engaged"],
                "engagement": self._sh_percent(figures["current_engaged"], members),
                "open_points": figures["current_open_points"],
                "issued": figures["current_issued"],
                "redeemed": figures["current_redeemed"],
            },
            "previous": {
                "engagement": self._sh_percent(figures["previous_engaged"], members),
                "open_points": figures["previous_open_points"],
            },
        }
        return loyalty

    @api.model
    def _sh_reads_kept_points(self):
        """Whether the user sees the members the kept points count
        (``figures.point_totals``): every customer as the Customers app
        lists them, through Odoo's partner rule alone, and the program's
        cards through Odoo's multi-company rule alone."""
        if not totals.lists_every_customer(self.env, CUSTOMER_DOMAIN):
            return False
        rules = self.env["ir.rule"]._get_rules("loyalty.card")
        company_rule = self.env.ref("loyalty.sale_loyalty_card_company_rule", False)
        return not rules or (company_rule and rules.ids == [company_rule.id])

    @api.model
    def _sh_counted_points(self, program, periods):
        """The figures ``point_totals.point_figures`` reads, counted from
        the points history of the program's cards held by the customers the
        user sees (a record rule of the user's own, or a company whose
        figures are not complete yet), in one pass that does not group it by
        card: a member engaged in a period counts once."""
        customers = self._sh_customer_query()
        cards = self.env["loyalty.card"]._search([("program_id", "=", program.id)])
        self.env["loyalty.history"].flush_model(
            ["card_id", "issued", "used", "sh_reason", "sh_date"]
        )
        columns = []
        for name, (date_from, date_to) in periods.items():
            columns += [
                SQL(
                    "COUNT(DISTINCT h.card_id) FILTER (WHERE h.sh_reason IN %s"
                    " AND h.sh_date BETWEEN %s AND %s)::int AS %s",
                    ENGAGED_REASONS,
                    date_from,
                    date_to,
                    SQL.identifier(f"{name}_engaged"),
                ),
                SQL(
                    "COALESCE(SUM(h.issued - h.used) FILTER (WHERE h.sh_date <= %s), 0) AS %s",
                    date_to,
                    SQL.identifier(f"{name}_open_points"),
                ),
                SQL(
                    "COALESCE(SUM(h.issued) FILTER (WHERE h.sh_reason = 'earn'"
                    " AND h.sh_date BETWEEN %s AND %s), 0) AS %s",
                    date_from,
                    date_to,
                    SQL.identifier(f"{name}_issued"),
                ),
                SQL(
                    "COALESCE(SUM(h.used) FILTER (WHERE h.sh_reason = 'redeem'"
                    " AND h.sh_date BETWEEN %s AND %s), 0) AS %s",
                    date_from,
                    date_to,
                    SQL.identifier(f"{name}_redeemed"),
                ),
            ]
        [figures] = self.env.execute_query_dict(
            SQL(
                """
                WITH member AS MATERIALIZED (
                    SELECT card.id FROM (%(cards)s) card
                     WHERE card.partner_id IN (%(customers)s)
                )
                SELECT (SELECT COUNT(*) FROM member)::int AS members, %(columns)s
                  FROM loyalty_history h
                  JOIN member ON member.id = h.card_id
                """,
                customers=customers.select(SQL.identifier(customers.table, "id")),
                cards=cards.select(
                    SQL.identifier(cards.table, "id"), SQL.identifier(cards.table, "partner_id")
                ),
                columns=SQL(", ").join(columns),
            )
        )
        return figures

    @api.model
    def _sh_point_value(self, program):
        """Money value of one point: the best a fixed-amount reward of the
        program gives a point, or None when no reward has a money value."""
        values = [
            reward.discount / reward.required_points
            if reward.discount_mode == "per_order"
            else reward.discount
            for reward in program.reward_ids
            if reward.active
            and reward.reward_type == "discount"
            and reward.discount_mode in ("per_order", "per_point")
            and reward.required_points > 0
        ]
        return max(values) if values else None
