"""Candidate duplicate customers: pairs of a company's customers that share
a tax ID, a mobile or phone number or an e-mail address, or whose folded
names are alike (``tools.identity``), scored and listed for a manager to
merge or dismiss. The list of a company is rebuilt by one statement
(``figures.duplicates``), on demand and every night."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..figures import duplicates

_logger = logging.getLogger(__name__)


class ShCustomerDuplicate(models.Model):
    _name = "sh.customer.duplicate"
    _description = "Candidate Duplicate Customers"
    _order = "score desc, id"
    _rec_name = "partner_a_id"

    partner_a_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        help="The customer of the pair created first.",
    )
    partner_b_id = fields.Many2one(
        "res.partner",
        string="Possible Duplicate",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        help="The customer of the pair created last.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The company among whose customers the pair was found.",
    )
    partner_a_code = fields.Char(related="partner_a_id.sh_customer_code", string="Code")
    partner_b_code = fields.Char(related="partner_b_id.sh_customer_code", string="Duplicate Code")
    score = fields.Integer(
        readonly=True,
        aggregator=False,
        help="How likely the two are one customer: 50 for the same tax ID, 40 for the same "
        "mobile or phone number, 35 for the same e-mail address, plus up to 30 for alike "
        "names (their trigram similarity times 30).",
    )
    match_vat = fields.Boolean(string="Same Tax ID", readonly=True)
    match_phone = fields.Boolean(
        string="Same Phone", readonly=True, help="The same mobile or phone number, in E.164."
    )
    match_email = fields.Boolean(string="Same E-mail", readonly=True)
    name_similarity = fields.Float(
        readonly=True,
        digits=(3, 2),
        aggregator=False,
        help="Trigram similarity of the folded names, from 0 (nothing alike) to 1 (the same "
        "name once Arabic and Latin spellings are folded).",
    )
    reasons = fields.Char(
        compute="_compute_reasons", help="Why the two customers may be one, most telling first."
    )
    state = fields.Selection(
        [("new", "To Review"), ("dismissed", "Not a Duplicate"), ("merged", "Merged")],
        string="Status",
        default="new",
        required=True,
        readonly=True,
        index=True,
        help="Dismissed pairs stay dismissed when the list is rebuilt.",
    )

    _sql_constraints = [
        (
            "pair_unique",
            "UNIQUE(company_id, partner_a_id, partner_b_id)",
            "A pair of customers is listed once per company.",
        ),
        ("pair_ordered", "CHECK(partner_a_id < partner_b_id)", "A pair is listed in id order."),
    ]

    def init(self):
        duplicates.ensure_trigram(self.env.cr)

    @api.depends("match_vat", "match_phone", "match_email", "name_similarity")
    def _compute_reasons(self):
        for pair in self:
            reasons = []
            if pair.match_vat:
                reasons.append(self.env._("same tax ID"))
            if pair.match_phone:
                reasons.append(self.env._("same phone number"))
            if pair.match_email:
                reasons.append(self.env._("same e-mail"))
            if pair.name_similarity >= duplicates.SIMILARITY_THRESHOLD:
                reasons.append(
                    self.env._(
                        "names %(percent)s%% alike", percent=round(pair.name_similarity * 100)
                    )
                )
            pair.reasons = ", ".join(reasons)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_find_duplicates(self):
        """Rebuild the pairs of the user's current companies and show them
        (a button of the list: whatever pairs are selected)."""
        self._sh_check_manager()
        self._sh_rebuild(self.env.companies)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "sh_customers.sh_customer_duplicate_action"
        )

    def action_dismiss(self):
        """Not a duplicate: the pairs stay out of the list on every rebuild."""
        self._sh_check_manager()
        self.filtered(lambda pair: pair.state == "new").write({"state": "dismissed"})

    def action_restore(self):
        self._sh_check_manager()
        self.filtered(lambda pair: pair.state == "dismissed").write({"state": "new"})

    def action_merge(self):
        """The merge wizard on the customers of the selected pairs."""
        self._sh_check_manager()
        partners = self.partner_a_id | self.partner_b_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Customers"),
            "res_model": "sh.customer.merge.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": partners.ids},
        }

    # ------------------------------------------------------------------
    # Rebuild
    # ------------------------------------------------------------------

    @api.model
    def _sh_check_manager(self):
        if not self.env.user.has_group("sh_customers.sh_customers_group_manager"):
            raise AccessError(
                self.env._("Only Customers managers may find and merge duplicate customers.")
            )

    @api.model
    def _sh_rebuild(self, companies):
        """Rebuild the pairs of each of ``companies`` among the customers the
        user sees in it, one statement per company; returns the number of
        pairs to review per company id."""
        counts = {}
        for company in companies:
            counts[company.id] = duplicates.rebuild_pairs(
                self.env["res.partner"].with_company(company), company
            )
        self.invalidate_model()
        return counts

    @api.model
    def _cron_sh_find_duplicates(self):
        """Every night: rebuild the pairs of every company."""
        # sudo: the nightly run compares the customers of every company,
        # whichever user the scheduler runs it as.
        duplicates_sudo = self.sudo()
        counts = duplicates_sudo._sh_rebuild(duplicates_sudo.env["res.company"].search([]))
        _logger.info("Duplicate customers to review, by company: %s", counts)
