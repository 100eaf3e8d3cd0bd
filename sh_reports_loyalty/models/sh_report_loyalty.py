"""Loyalty and rewards: the points the members of the company's customers'
program earned, spent, lost and had taken back in a period against the
period before it, the points still open and what they are worth as of a
day, the members' tiers on that day and the tier changes of the period,
the rewards redeemed, and the members whose points expire soon.

Every movement is read from the points history (``loyalty.history``) of
the cards of the program held by the report's customers, the liability as
the dashboard's card computes it (open points times the value of a point),
the tiers from the tier changes (``sh.loyalty.tier.change``)."""

from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.sh_customers.figures.dashboard_context import datetime_bounds
from odoo.addons.sh_customers.figures.dashboard_debt import percent
from odoo.addons.sh_customers.figures.periods import period_label
from odoo.addons.sh_loyalty.models.loyalty_history import REASONS
from odoo.addons.sh_loyalty.models.sh_customer_dashboard import ENGAGED_REASONS

# The members listed for their expiring points: those whose points expire
# within these days.
EXPIRY_WINDOW_DAYS = 30
# The movements of the history the headline figures sum: points issued are
# the "issued" of earnings, the others the "used" of their lines.
ISSUED_REASON = "earn"
USED_REASONS = {"redeemed": "redeem", "expired": "expire", "reversed": "reverse"}


class ShReportLoyalty(models.AbstractModel):
    _name = "sh.report.loyalty"
    _inherit = "sh.report"
    _description = "Loyalty and Rewards"

    # The liability, the tiers and the points open are read as of a day.
    _sh_report_as_of = True

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------

    @api.model
    def _sh_options_label(self, ctx):
        """The period of the movements, then the day of the state."""
        return " · ".join(
            [
                period_label(self.env, ctx["period"], ctx["date_from"], ctx["date_to"]),
                super()._sh_options_label(ctx),
            ]
        )

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_sections(self, ctx, data):
        res = super()._sh_report_sections(ctx, data)
        _ = self.env._
        program = self._sh_loyalty_program(ctx)
        if not program:
            data["messages"].append(
                _(
                    "%(company)s has no customers' loyalty program: there is nothing to report.",
                    company=ctx["company"].name,
                )
            )
            return res
        self.env["loyalty.card"]._sh_flush_ledger()
        self.env["sh.loyalty.tier.change"].flush_model()
        ctx["loyalty_members"] = self._sh_members_sql(ctx, program)
        movements = self._sh_movements(ctx)
        data["cards"].extend(self._sh_movement_cards(ctx, program, movements))
        data["tables"].append(self._sh_movements_table(ctx, program, movements))
        self._sh_tier_sections(ctx, data, program)
        self._sh_reward_sections(ctx, data, program)
        self._sh_expiring_sections(ctx, data, program)
        return res

    @api.model
    def _sh_loyalty_program(self, ctx):
        """The company's customers' program, or None."""
        program = (
            self.env["loyalty.program"]
            .sudo()  # sudo: the program is found for any user who may open the report
            ._sh_customer_programs(ctx["company"])
            .get(ctx["company"].id)
        )
        return program.sudo(False) if program else None

    @api.model
    def _sh_members_sql(self, ctx, program):
        """The members the user may see: the cards of ``program`` (record
        rules) held by the report's customers, with their customer
        (``id``, ``partner_id``)."""
        customers = self._sh_customer_query(ctx)
        cards = self.env["loyalty.card"]._search([("program_id", "=", program.id)])
        return SQL(
            "SELECT card.id, card.partner_id FROM (%s) card WHERE card.partner_id IN (%s)",
            cards.select(
                SQL.identifier(cards.table, "id"), SQL.identifier(cards.table, "partner_id")
            ),
            customers.select(SQL.identifier(customers.table, "id")),
        )

    @api.model
    def _sh_movements(self, ctx):
        """The members' points history, one statement: per reason, the
        points in (issued) and out (used) of each period; the members, those
        who earned or spent points in each period, and the points open as of
        the report's day."""
        df, dt = ctx["date_from"], ctx["date_to"]
        pf, pt = ctx["previous_from"], ctx["previous_to"]
        [(reasons, members, engaged, previous_engaged, open_points)] = self.env.execute_query(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s),
                line AS MATERIALIZED (
                    SELECT h.card_id, h.sh_reason, h.sh_date, h.issued, h.used
                      FROM loyalty_history h
                     WHERE h.card_id IN (SELECT id FROM member)
                )
                SELECT
                    (SELECT json_agg(json_build_array(
                                reason, cur_in, cur_out, prev_in, prev_out))
                       FROM (
                        SELECT line.sh_reason AS reason,
                               COALESCE(SUM(line.issued) FILTER (
                                   WHERE line.sh_date BETWEEN %(df)s AND %(dt)s), 0) AS cur_in,
                               COALESCE(SUM(line.used) FILTER (
                                   WHERE line.sh_date BETWEEN %(df)s AND %(dt)s), 0) AS cur_out,
                               COALESCE(SUM(line.issued) FILTER (
                                   WHERE line.sh_date BETWEEN %(pf)s AND %(pt)s), 0) AS prev_in,
                               COALESCE(SUM(line.used) FILTER (
                                   WHERE line.sh_date BETWEEN %(pf)s AND %(pt)s), 0) AS prev_out
                          FROM line
                         WHERE line.sh_date BETWEEN %(df)s AND %(dt)s
                            OR line.sh_date BETWEEN %(pf)s AND %(pt)s
                         GROUP BY line.sh_reason
                    ) movement),
                    (SELECT COUNT(*) FROM member),
                    (SELECT COUNT(DISTINCT line.card_id) FROM line
                      WHERE line.sh_reason IN %(engaged)s
                        AND line.sh_date BETWEEN %(df)s AND %(dt)s),
                    (SELECT COUNT(DISTINCT line.card_id) FROM line
                      WHERE line.sh_reason IN %(engaged)s
                        AND line.sh_date BETWEEN %(pf)s AND %(pt)s),
                    (SELECT COALESCE(SUM(line.issued - line.used), 0) FROM line
                      WHERE line.sh_date <= %(as_of)s)
                """,
                members=ctx["loyalty_members"],
                engaged=ENGAGED_REASONS,
                df=df,
                dt=dt,
                pf=pf,
                pt=pt,
                as_of=ctx["as_of"],
            )
        )
        by_reason = {
            reason or False: {"cur": (cur_in, cur_out), "prev": (prev_in, prev_out)}
            for reason, cur_in, cur_out, prev_in, prev_out in reasons or []
        }
        figures = {}
        for prefix in ("cur", "prev"):

            def points(reason, column, prefix=prefix):
                return by_reason.get(reason, {}).get(prefix, (0.0, 0.0))[column]

            issued = points(ISSUED_REASON, 0)
            values = {"issued": issued}
            values.update({key: points(reason, 1) for key, reason in USED_REASONS.items()})
            values["redemption_rate"] = percent(values["redeemed"], issued)
            values["breakage"] = percent(values["expired"], issued)
            values["engaged"] = engaged if prefix == "cur" else previous_engaged
            values["engagement"] = percent(values["engaged"], members)
            figures[prefix] = values
        return {
            "by_reason": by_reason,
            "members": members,
            "open_points": open_points,
            "current": figures["cur"],
            "previous": figures["prev"],
        }

    @api.model
    def _sh_movement_cards(self, ctx, program, movements):
        _ = self.env._
        df, dt = ctx["date_from"], ctx["date_to"]
        cur, prev = movements["current"], movements["previous"]
        as_of = format_date(self.env, ctx["as_of"])
        point_value = self.env["sh.customer.dashboard"]._sh_point_value(program)
        members_domain = [("sh_loyalty_card_ids", "any", [("program_id", "=", program.id)])]
        # The members with open points today: those of a day before today
        # are not known to the customers list.
        open_domain = (
            [
                (
                    "sh_loyalty_card_ids",
                    "any",
                    [("program_id", "=", program.id), ("points", ">", 0)],
                )
            ]
            if ctx["as_of"] >= ctx["today"]
            else None
        )

        def history(*reasons):
            return program._sh_members_domain(reasons, df, dt)

        cards = [
            self._sh_card(
                ctx,
                "points_issued",
                _("Points Issued"),
                _("Points the members earned on their purchases in the period."),
                cur["issued"],
                prev["issued"],
                domain=history(ISSUED_REASON),
                sequence=10,
            ),
            self._sh_card(
                ctx,
                "points_redeemed",
                _("Points Used"),
                _("Points the members spent on rewards in the period."),
                cur["redeemed"],
                prev["redeemed"],
                domain=history(USED_REASONS["redeemed"]),
                sequence=20,
            ),
            self._sh_card(
                ctx,
                "points_expired",
                _("Points Expired"),
                _("Points that expired unused in the period."),
                cur["expired"],
                prev["expired"],
                better="down",
                domain=history(USED_REASONS["expired"]),
                sequence=30,
            ),
            self._sh_card(
                ctx,
                "points_reversed",
                _("Points Reversed"),
                _(
                    "Points taken back in the period by credit notes and cancelled invoices, "
                    "including those the balance could not cover and that are settled from "
                    "later earnings."
                ),
                cur["reversed"],
                prev["reversed"],
                better="down",
                domain=history(USED_REASONS["reversed"]),
                sequence=40,
            ),
            self._sh_card(
                ctx,
                "redemption_rate",
                _("Redemption Rate"),
                _("Points used as a percentage of the points issued in the period."),
                cur["redemption_rate"],
                prev["redemption_rate"],
                fmt="percent",
                domain=history(USED_REASONS["redeemed"]),
                sequence=50,
            ),
            self._sh_card(
                ctx,
                "breakage",
                _("Breakage"),
                _("Points expired as a percentage of the points issued in the period."),
                cur["breakage"],
                prev["breakage"],
                fmt="percent",
                better="down",
                domain=history(USED_REASONS["expired"]),
                sequence=60,
            ),
            self._sh_card(
                ctx,
                "loyalty_engagement",
                _("Loyalty Engagement"),
                _(
                    "Members who earned or spent points in the period, as a percentage of the "
                    "members of the customers' program."
                ),
                cur["engagement"],
                prev["engagement"],
                fmt="percent",
                domain=history(*ENGAGED_REASONS),
                sequence=70,
            ),
            self._sh_card(
                ctx,
                "members",
                _("Members"),
                _("Customers holding a card of the customers' program."),
                movements["members"],
                fmt="integer",
                domain=members_domain,
                sequence=80,
            ),
            self._sh_card(
                ctx,
                "open_points",
                _("Open Points"),
                _("Points earned and not yet used, expired or taken back on %(date)s.", date=as_of),
                movements["open_points"],
                domain=open_domain,
                sequence=90,
            ),
        ]
        if point_value:
            cards.append(
                self._sh_card(
                    ctx,
                    "points_liability",
                    _("Points Liability"),
                    _(
                        "Open points on %(date)s times the value of a point (the best value "
                        "a reward of the program gives a point).",
                        date=as_of,
                    ),
                    movements["open_points"] * point_value,
                    fmt="money",
                    better="down",
                    domain=open_domain,
                    sequence=100,
                )
            )
        return cards

    @api.model
    def _sh_reason_labels(self):
        labels = dict(
            self.env["loyalty.history"]._fields["sh_reason"]._description_selection(self.env)
        )
        labels[False] = self.env._("Other")
        return labels

    @api.model
    def _sh_movements_table(self, ctx, program, movements):
        _ = self.env._
        labels = self._sh_reason_labels()
        by_reason = movements["by_reason"]
        reasons = [key for key, _label in REASONS if key in by_reason]
        reasons += [key for key in by_reason if key not in reasons]
        columns = [
            ("reason", _("Movement"), "text"),
            ("points_in", _("Points In"), "number"),
            ("points_out", _("Points Out"), "number"),
            ("net", _("Net"), "number"),
        ]
        if ctx["compare"]:
            columns.append(("previous_net", _("Net, Previous Period"), "number"))
        rows = []
        for reason in reasons:
            cur_in, cur_out = by_reason[reason]["cur"]
            prev_in, prev_out = by_reason[reason]["prev"]
            row = {
                "reason": labels.get(reason, reason),
                "points_in": cur_in,
                "points_out": cur_out,
                "net": cur_in - cur_out,
            }
            if reason:
                row["_domain"] = program._sh_members_domain(
                    [reason], ctx["date_from"], ctx["date_to"]
                )
            if ctx["compare"]:
                row["previous_net"] = prev_in - prev_out
            rows.append(row)
        totals = {
            "reason": _("Total"),
            "points_in": sum(row["points_in"] for row in rows),
            "points_out": sum(row["points_out"] for row in rows),
            "net": sum(row["net"] for row in rows),
        }
        if ctx["compare"]:
            totals["previous_net"] = sum(row["previous_net"] for row in rows)
        return self._sh_table(
            "movements",
            _("Points Movements"),
            columns,
            rows,
            totals=totals,
            sequence=10,
            help_text=_(
                "The members' points history in the period by reason: points in (earned, "
                "shortfalls owed) and out (used, expired, taken back, shortfalls settled). "
                "The net total is the change of the open points over the period."
            ),
            empty=_("No member's points moved in the period."),
        )

    # ------------------------------------------------------------------
    # Tiers
    # ------------------------------------------------------------------

    @api.model
    def _sh_tier_sections(self, ctx, data, program):
        """The members per tier as of the report's day (each member's tier
        then: the tier its first later change left, or its tier today), and
        the tier changes of the period. Tier changes are known from the
        day this addon is installed: before, each member counts in the
        tier it had then."""
        _ = self.env._
        _start, end = datetime_bounds(self.env, ctx["as_of"], ctx["as_of"])
        tier_rows = self.env.execute_query(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s),
                later AS (
                    SELECT DISTINCT ON (change.card_id) change.card_id, change.old_tier_id
                      FROM sh_loyalty_tier_change change
                     WHERE change.card_id IN (SELECT id FROM member)
                       AND change.date > %(as_of)s
                     ORDER BY change.card_id, change.date, change.id
                )
                SELECT CASE WHEN later.card_id IS NULL THEN card.sh_tier_id
                            ELSE later.old_tier_id END AS tier_id,
                       array_agg(member.partner_id ORDER BY member.partner_id)
                  FROM member
                  JOIN loyalty_card card ON card.id = member.id
                  LEFT JOIN later ON later.card_id = member.id
                 -- A member on the day: its card was made by then, or
                 -- holds points dated up to then (a customer enrolled
                 -- with the points of its past sales).
                 WHERE card.create_date < %(end)s
                    OR EXISTS (SELECT 1 FROM loyalty_history h
                                WHERE h.card_id = member.id AND h.sh_date <= %(as_of)s)
                 GROUP BY 1
                """,
                members=ctx["loyalty_members"],
                as_of=ctx["as_of"],
                end=end,
            )
        )
        partners_by_tier = {tier_id or False: partner_ids for tier_id, partner_ids in tier_rows}
        df, dt = ctx["date_from"], ctx["date_to"]
        pf, pt = ctx["previous_from"], ctx["previous_to"]
        change_rows = self.env.execute_query_dict(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s)
                SELECT change.id, change.date, change.partner_id, partner.complete_name AS name,
                       partner.sh_customer_code AS code, change.old_tier_id,
                       change.new_tier_id, change.direction
                  FROM sh_loyalty_tier_change change
                  JOIN member ON member.id = change.card_id
                  JOIN res_partner partner ON partner.id = change.partner_id
                 WHERE change.date BETWEEN %(df)s AND %(dt)s
                    OR change.date BETWEEN %(pf)s AND %(pt)s
                 ORDER BY change.date, change.id
                """,
                members=ctx["loyalty_members"],
                df=df,
                dt=dt,
                pf=pf,
                pt=pt,
            )
        )
        tiers = program._sh_active_tiers()
        seen = {tier_id for tier_id in partners_by_tier if tier_id}
        seen |= {row["old_tier_id"] for row in change_rows if row["old_tier_id"]}
        seen |= {row["new_tier_id"] for row in change_rows if row["new_tier_id"]}
        # Tiers archived since keep their place after the active ones.
        tiers |= (
            self.env["sh.loyalty.tier"]
            .with_context(active_test=False)
            .browse(sorted(seen - set(tiers.ids)))
        )
        names = {tier.id: tier.name for tier in tiers}
        names[False] = _("No Tier")
        order = [*tiers.ids, False]
        total = sum(len(ids) for ids in partners_by_tier.values())
        distribution = [
            (tier_id, partners_by_tier[tier_id]) for tier_id in order if tier_id in partners_by_tier
        ]
        as_of = format_date(self.env, ctx["as_of"])
        data["tables"].append(
            self._sh_table(
                "tiers",
                _("Members per Tier"),
                [
                    ("tier", _("Tier"), "text"),
                    ("members", _("Members"), "integer"),
                    ("share", _("Share of Members %"), "percent"),
                ],
                [
                    {
                        "_domain": [("id", "in", ids)],
                        "tier": names[tier_id],
                        "members": len(ids),
                        "share": percent(len(ids), total),
                    }
                    for tier_id, ids in distribution
                ],
                totals={"tier": _("Total"), "members": total},
                sequence=20,
                help_text=_("Each member's tier on %(date)s.", date=as_of),
                empty=_("The program had no member on this day."),
            )
        )
        data["charts"].append(
            self._sh_chart(
                "tiers",
                _("Members per Tier on %(date)s", date=as_of),
                "doughnut",
                [names[tier_id] for tier_id, _ids in distribution],
                [
                    {
                        "key": "members",
                        "label": _("Members"),
                        "data": [len(ids) for _tier_id, ids in distribution],
                    }
                ],
                [[("id", "in", ids)] for _tier_id, ids in distribution],
                sequence=10,
            )
        )
        self._sh_tier_change_sections(ctx, data, change_rows, names, order)

    @api.model
    def _sh_tier_change_sections(self, ctx, data, change_rows, names, order):
        _ = self.env._
        df, dt = ctx["date_from"], ctx["date_to"]
        current = [row for row in change_rows if df <= row["date"] <= dt]
        previous = [row for row in change_rows if not df <= row["date"] <= dt]
        directions = dict(
            self.env["sh.loyalty.tier.change"]._fields["direction"]._description_selection(self.env)
        )
        for direction, key, label, help_text, sequence in (
            (
                "up",
                "tier_upgrades",
                _("Tier Upgrades"),
                _("Members moved up to a higher tier in the period."),
                110,
            ),
            (
                "down",
                "tier_downgrades",
                _("Tier Downgrades"),
                _("Members moved down a tier in the period, after the grace period."),
                120,
            ),
        ):
            ids = sorted({row["partner_id"] for row in current if row["direction"] == direction})
            data["cards"].append(
                self._sh_card(
                    ctx,
                    key,
                    label,
                    help_text,
                    sum(1 for row in current if row["direction"] == direction),
                    sum(1 for row in previous if row["direction"] == direction),
                    better="up" if direction == "up" else "down",
                    domain=[("id", "in", ids)],
                    sequence=sequence,
                )
            )
        data["tables"].append(
            self._sh_table(
                "tier_changes",
                _("Tier Changes"),
                [
                    ("date", _("Date"), "date"),
                    ("customer", _("Customer"), "text"),
                    ("code", _("Code"), "code"),
                    ("old_tier", _("From Tier"), "text"),
                    ("new_tier", _("To Tier"), "text"),
                    ("direction", _("Change"), "text"),
                ],
                [
                    {
                        "_res_id": row["partner_id"],
                        "date": row["date"].isoformat(),
                        "customer": row["name"],
                        "code": row["code"] or "",
                        "old_tier": names.get(row["old_tier_id"] or False, ""),
                        "new_tier": names.get(row["new_tier_id"] or False, ""),
                        "direction": directions[row["direction"]],
                    }
                    for row in current
                ],
                sequence=30,
                help_text=_(
                    "Every tier change of the period: upgrades as soon as a sale reaches a "
                    "tier, downgrades by one level at the review once the grace period has "
                    "passed."
                ),
                empty=_("No member changed tier in the period."),
            )
        )
        labels = [names[tier_id] for tier_id in order if tier_id]
        data["charts"].append(
            self._sh_chart(
                "tier_changes",
                _("Tier Changes by Tier Reached"),
                "bar",
                labels,
                [
                    {
                        "key": direction,
                        "label": label,
                        "data": [
                            sum(
                                1
                                for row in current
                                if row["direction"] == direction and row["new_tier_id"] == tier_id
                            )
                            for tier_id in order
                            if tier_id
                        ],
                    }
                    for direction, label in (("up", _("Upgrades")), ("down", _("Downgrades")))
                ],
                [
                    [
                        (
                            "id",
                            "in",
                            sorted(
                                {
                                    row["partner_id"]
                                    for row in current
                                    if row["new_tier_id"] == tier_id and row["direction"] != "first"
                                }
                            ),
                        )
                    ]
                    for tier_id in order
                    if tier_id
                ],
                sequence=20,
            )
        )

    # ------------------------------------------------------------------
    # Rewards
    # ------------------------------------------------------------------

    @api.model
    def _sh_reward_sections(self, ctx, data, program):
        """The program's rewards by the coupons the members redeemed for
        them in the period (each redemption gives one coupon of the
        reward's coupon program), most redeemed first."""
        _ = self.env._
        first = min(ctx["date_from"], ctx["previous_from"])
        start, end = datetime_bounds(self.env, ctx["date_from"], ctx["date_to"])
        previous_start, previous_end = datetime_bounds(
            self.env, ctx["previous_from"], ctx["previous_to"]
        )
        first_start, _end = datetime_bounds(self.env, first, first)
        coupons = self.env["loyalty.card"]._search(
            [("create_date", ">=", first_start), ("create_date", "<", end)]
        )
        rows = self.env.execute_query(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s)
                SELECT reward.id,
                       COUNT(*) FILTER (WHERE coupon.create_date >= %(start)s),
                       COUNT(*) FILTER (WHERE coupon.create_date >= %(previous_start)s
                                          AND coupon.create_date < %(previous_end)s),
                       array_agg(DISTINCT coupon.partner_id) FILTER (
                           WHERE coupon.create_date >= %(start)s)
                  FROM loyalty_reward reward
                  JOIN (%(coupons)s) coupon ON coupon.program_id = reward.sh_coupon_program_id
                 WHERE reward.program_id = %(program)s
                   AND coupon.partner_id IN (SELECT partner_id FROM member)
                 GROUP BY reward.id
                """,
                members=ctx["loyalty_members"],
                coupons=coupons.select(
                    SQL.identifier(coupons.table, "program_id"),
                    SQL.identifier(coupons.table, "partner_id"),
                    SQL.identifier(coupons.table, "create_date"),
                ),
                program=program.id,
                start=start,
                previous_start=previous_start,
                previous_end=previous_end,
            )
        )
        rows = [row for row in rows if row[1] or row[2]]
        rewards = (
            self.env["loyalty.reward"]
            .with_context(active_test=False)
            .browse([row[0] for row in rows])
        )
        by_id = {reward.id: reward for reward in rewards}
        rows.sort(key=lambda row: (-row[1], -row[2], by_id[row[0]].description or "", row[0]))
        columns = [
            ("reward", _("Reward"), "text"),
            ("coupons", _("Redemptions"), "integer"),
            ("customers", _("Customers"), "integer"),
            ("points", _("Points"), "number"),
        ]
        if ctx["compare"]:
            columns.append(("previous", _("Redemptions, Previous Period"), "integer"))
        table_rows = []
        for reward_id, count, previous, partner_ids in rows:
            reward = by_id[reward_id]
            partner_ids = partner_ids or []
            row = {
                "reward": reward.description,
                "coupons": count,
                "customers": len(partner_ids),
                "points": count * reward.required_points,
            }
            if partner_ids:
                row["_domain"] = [("id", "in", partner_ids)]
            if ctx["compare"]:
                row["previous"] = previous
            table_rows.append(row)
        data["tables"].append(
            self._sh_table(
                "rewards",
                _("Top Rewards"),
                columns,
                table_rows,
                totals={
                    "reward": _("Total"),
                    "coupons": sum(row["coupons"] for row in table_rows),
                    "points": sum(row["points"] for row in table_rows),
                },
                sequence=40,
                help_text=_(
                    "The rewards the members redeemed in the period, most redeemed first: "
                    "each redemption gives the customer one coupon. Points: the reward's "
                    "points times its redemptions."
                ),
                empty=_("No reward was redeemed in the period."),
            )
        )
        top = table_rows[:10]
        data["charts"].append(
            self._sh_chart(
                "rewards",
                _("Top Rewards"),
                "bar",
                [row["reward"] for row in top],
                [
                    {
                        "key": "coupons",
                        "label": _("Redemptions"),
                        "data": [row["coupons"] for row in top],
                    }
                ],
                [row.get("_domain") for row in top],
                sequence=30,
                horizontal=True,
            )
        )

    # ------------------------------------------------------------------
    # Expiring points
    # ------------------------------------------------------------------

    @api.model
    def _sh_expiring_sections(self, ctx, data, program):
        """The members whose open points expire within the next
        EXPIRY_WINDOW_DAYS days (from today: the points still open are
        today's), soonest first."""
        _ = self.env._
        until = ctx["today"] + timedelta(days=EXPIRY_WINDOW_DAYS)
        rows = self.env.execute_query_dict(
            SQL(
                """
                WITH member AS MATERIALIZED (%(members)s)
                SELECT card.partner_id, partner.complete_name AS name,
                       partner.sh_customer_code AS code, card.sh_tier_id,
                       card.points AS balance, SUM(lot.remaining) AS expiring,
                       MIN(lot.expiry_date) AS expiry_date
                  FROM sh_loyalty_lot lot
                  JOIN member ON member.id = lot.card_id
                  JOIN loyalty_card card ON card.id = lot.card_id
                  JOIN res_partner partner ON partner.id = card.partner_id
                 WHERE lot.remaining > 0 AND lot.expiry_date <= %(until)s
                 GROUP BY card.id, partner.id
                 ORDER BY MIN(lot.expiry_date), SUM(lot.remaining) DESC, card.partner_id
                """,
                members=ctx["loyalty_members"],
                until=until,
            )
        )
        tiers = (
            self.env["sh.loyalty.tier"]
            .with_context(active_test=False)
            .browse({row["sh_tier_id"] for row in rows if row["sh_tier_id"]})
        )
        names = {tier.id: tier.name for tier in tiers}
        ids = [row["partner_id"] for row in rows]
        data["cards"].append(
            self._sh_card(
                ctx,
                "expiring_points",
                _("Points Expiring in %(days)s Days", days=EXPIRY_WINDOW_DAYS),
                _(
                    "Open points that expire by %(date)s, held by %(members)s members.",
                    date=format_date(self.env, until),
                    members=len(rows),
                ),
                sum(row["expiring"] for row in rows),
                better="down",
                domain=[("id", "in", ids)],
                sequence=130,
            )
        )
        data["tables"].append(
            self._sh_table(
                "expiring",
                _("Members with Points Expiring in %(days)s Days", days=EXPIRY_WINDOW_DAYS),
                [
                    ("customer", _("Customer"), "text"),
                    ("code", _("Code"), "code"),
                    ("tier", _("Tier"), "text"),
                    ("balance", _("Balance"), "number"),
                    ("expiring", _("Expiring Points"), "number"),
                    ("expiry_date", _("First Expiry"), "date"),
                ],
                [
                    {
                        "_res_id": row["partner_id"],
                        "customer": row["name"],
                        "code": row["code"] or "",
                        "tier": names.get(row["sh_tier_id"], ""),
                        "balance": row["balance"],
                        "expiring": row["expiring"],
                        "expiry_date": row["expiry_date"].isoformat(),
                    }
                    for row in rows
                ],
                totals={
                    "customer": _("Total"),
                    "expiring": sum(row["expiring"] for row in rows),
                },
                sequence=50,
                help_text=_(
                    "Members whose open points expire by %(date)s (today's points), "
                    "soonest first: a reason to call them before their points are lost.",
                    date=format_date(self.env, until),
                ),
                empty=_("No member's points expire in the next %(days)s days.", days=30),
            )
        )
