"""The customers' loyalty program of a company: its earning, validity, tier
and notification settings, which program is the company's, and the
enrolment of the customers who already bought."""

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"  # pylint: disable=consider-merging-classes-inherited

    sh_is_customer_program = fields.Boolean(
        string="Customers' Program",
        copy=False,
        help="The program in which the company's customers earn points from their posted "
        "invoices. One per company; a company without one earns nothing.",
    )
    sh_points_per_unit = fields.Float(
        string="Points per Currency Unit",
        default=1.0,
        digits=(16, 4),
        help="Points earned per unit of untaxed net amount, in company currency, before the "
        "tier multiplier.",
    )
    sh_validity_months = fields.Integer(
        string="Points Validity (months)",
        default=12,
        help="Points expire this many months after the invoice that earned them; 0 means "
        "they never expire.",
    )
    sh_allow_negative = fields.Boolean(
        string="Allow Negative Balance",
        help="When a credit note takes back more points than the customer has, the balance "
        "goes negative. Otherwise it stops at zero and the shortfall is owed, settled from "
        "later earnings.",
    )
    sh_tier_basis = fields.Selection(
        [("sales", "Rolling 12-month net sales"), ("points", "Qualifying points")],
        string="Tier Basis",
        default="sales",
        required=True,
        help="What tier thresholds are compared with: net sales of the last 12 months "
        "(untaxed, credit notes deducted) or points earned from sales in the last 12 months.",
    )
    sh_tier_grace_days = fields.Integer(
        string="Downgrade Grace (days)",
        default=30,
        help="A customer below the tier's threshold keeps the tier this many days before "
        "the review moves them down one level.",
    )
    sh_expiry_warning_days = fields.Integer(
        string="Expiry Warning (days)",
        default=30,
        help="Customers are warned by e-mail this many days before their points expire.",
    )
    sh_notify_tier_change = fields.Boolean(
        string="Notify Tier Changes",
        default=True,
        help="E-mail the customer when their tier changes.",
    )
    sh_coupon_validity_days = fields.Integer(
        string="Coupon Validity (days)",
        default=90,
        help="A coupon obtained by redeeming points can be used for this many days; 0 means "
        "no end date.",
    )
    sh_tier_ids = fields.One2many("sh.loyalty.tier", "program_id", string="Tiers")

    @api.constrains("sh_is_customer_program", "company_id", "active")
    def _check_sh_one_customer_program(self):
        programs = self.filtered("sh_is_customer_program")
        if not programs:
            return
        counts = self.with_context(active_test=True)._read_group(
            [("sh_is_customer_program", "=", True), ("company_id", "in", programs.company_id.ids)],
            ["company_id"],
            ["__count"],
        )
        if any(count > 1 for _company, count in counts):
            raise ValidationError(_("A company can have only one active customers' program."))
        if any(program.program_type != "loyalty" for program in programs):
            raise ValidationError(_("The customers' program must be a loyalty card program."))

    @api.model_create_multi
    def create(self, vals_list):
        programs = super().create(vals_list)
        self.env.registry.clear_cache()
        return programs

    def write(self, vals):
        res = super().write(vals)
        if {"sh_is_customer_program", "company_id", "active"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache()
    def _sh_customer_program_ids(self):
        """``{company_id: program_id}`` of the active customers' programs,
        cached: every posted invoice asks for it."""
        programs = self.sudo().search_read(  # sudo: all companies, whoever asks
            [("sh_is_customer_program", "=", True)], ["company_id"]
        )
        return {
            program["company_id"][0]: program["id"] for program in programs if program["company_id"]
        }

    @api.model
    def _sh_customer_programs(self, companies):
        """The active customers' program of each company, ``{company_id: program}``."""
        ids = self._sh_customer_program_ids()
        return {
            company.id: self.browse(ids[company.id]) for company in companies if company.id in ids
        }

    def _sh_members_domain(self, reasons, start, end):
        """The customers (a res.partner domain) whose card of this program
        has a line of ``reasons`` dated between ``start`` and ``end``."""
        self.ensure_one()
        return [
            (
                "sh_loyalty_card_ids",
                "any",
                [
                    ("program_id", "=", self.id),
                    (
                        "history_ids",
                        "any",
                        [
                            ("sh_reason", "in", list(reasons)),
                            ("sh_date", ">=", start),
                            ("sh_date", "<=", end),
                        ],
                    ),
                ],
            )
        ]

    def _sh_active_tiers(self):
        """The program's active tiers, lowest threshold first: the ladder
        that cards climb and that the lists and charts show."""
        return self.sh_tier_ids.filtered("active").sorted("threshold")

    def _sh_tier_for_value(self, value):
        """The tier that the qualifying ``value`` gives in this program, by
        the tier rule (``sh.loyalty.tier._sh_reached_sql``)."""
        self.ensure_one()
        Tier = self.env["sh.loyalty.tier"]
        Tier.flush_model(["program_id", "active", "threshold", "sequence"])
        rows = self.env.execute_query(Tier._sh_reached_sql(self.id, value))
        return Tier.browse([tier_id for tier_id, _threshold in rows])

    def _sh_enrol_customers_with_sales(self):
        """Enrol the customers who already bought from this program's
        company: what a program started on a running business (the demo
        data's) shows from its first day.

        Every commercial partner with a posted customer invoice or credit
        note of the company gets a card, and those documents earn and take
        back their points by the program's own rule, oldest first, as if
        posted now: at the rate of the tier every new member starts in.
        Then the daily run (expiry, tier review, expiry warnings) runs for
        the members, so that points older than the validity expire and tiers
        follow the rolling 12-month net sales. The roll-out is quiet:
        customers are not e-mailed about the tier their enrolment gives them
        (the change is logged on their chatter), and points that expire
        within the warning period are marked as warned without an e-mail, so
        that the next daily run has nothing to send either.

        Set-based (the earning of all documents at once), and safe to run
        again: documents that already earned are left as they are. Does
        nothing unless this is its company's active customers' program.

        :return: the members' cards
        """
        self.ensure_one()
        Card = self.env["loyalty.card"].with_context(sh_loyalty_no_notify=True)
        company = self.company_id
        if not company or self._sh_customer_programs(company).get(company.id) != self:
            return Card
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
            ],
            order="invoice_date, id",
        )
        Card._sh_sync_moves(moves)
        cards = Card.search([("program_id", "=", self.id)], order="id")
        today = fields.Date.context_today(self)
        Card._sh_expire_and_review(cards.ids, today)
        Card._sh_warn_expiring(cards.ids, today)
        return cards
