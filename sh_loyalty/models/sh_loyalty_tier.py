"""Loyalty tiers of the customers' programs, and the one rule that gives
a tier for a qualifying value (``_sh_reached_sql``): every place that
chooses a tier from a value, in SQL or in Python, runs it."""

from odoo import api, fields, models
from odoo.tools import SQL

# A value this close below a threshold reaches it: the qualifying value is a
# sum of amounts, the threshold a typed one.
REACH_TOLERANCE = 0.000001


class ShLoyaltyTier(models.Model):
    _name = "sh.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, threshold, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    program_id = fields.Many2one(
        "loyalty.program",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("sh_is_customer_program", "=", True)],
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="program_id.currency_id")
    threshold = fields.Float(
        digits="Account",
        help="Rolling 12-month net sales (or qualifying points, as the program says) a "
        "customer needs to reach this tier.",
    )
    multiplier = fields.Float(
        string="Earning Multiplier",
        default=1.0,
        digits=(16, 2),
        help="Points earned by an invoice are the program's rate times the untaxed amount "
        "times this multiplier.",
    )
    benefits = fields.Html(translate=True)
    color = fields.Integer()
    member_count = fields.Integer(string="Members", compute="_compute_member_count")

    _sql_constraints = [
        (
            "threshold_positive",
            "CHECK(threshold >= 0)",
            "A tier threshold cannot be negative.",
        ),
        (
            "multiplier_positive",
            "CHECK(multiplier > 0)",
            "A tier multiplier must be positive.",
        ),
    ]

    @api.depends("program_id")
    def _compute_member_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [("sh_tier_id", "in", self.ids)], ["sh_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)

    @api.model
    def _sh_reached_sql(self, program, value):
        """The tier rule. SQL choosing, in ``program``, the tier that the
        qualifying ``value`` (rolling 12-month net sales or qualifying
        points, as the program says) gives: the highest active tier whose
        threshold the value reaches; a value below every threshold gives the
        lowest active tier, so that a member always has a tier once the
        program has one. Of tiers with the same threshold, the first by
        sequence.

        ``program`` and ``value`` are SQL expressions (columns of a statement
        that joins this one LATERAL) or plain values. Selects ``id`` and
        ``threshold``; no row when the program has no active tier. The
        caller flushes the tiers (``loyalty.card._sh_flush_ledger``)."""
        # The first branch answers for every value that reaches a threshold;
        # the second runs only when it answers nothing (LIMIT 1 over the
        # UNION ALL), so that each part reads the tiers in index order.
        return SQL(
            """
            SELECT reached.id, reached.threshold FROM (
                (SELECT t.id, t.threshold
                   FROM sh_loyalty_tier t
                  WHERE t.program_id = %(program)s AND t.active
                    AND t.threshold <= %(value)s + %(tolerance)s
                  ORDER BY t.threshold DESC, t.sequence, t.id
                  LIMIT 1)
                UNION ALL
                (SELECT t.id, t.threshold
                   FROM sh_loyalty_tier t
                  WHERE t.program_id = %(program)s AND t.active
                  ORDER BY t.threshold, t.sequence, t.id
                  LIMIT 1)
            ) reached
            LIMIT 1
            """,
            program=program,
            value=value,
            tolerance=REACH_TOLERANCE,
        )
