from odoo import api, fields, models


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
