"""The merge of duplicate customers into one: the checks that refuse a
merge, the side-by-side preview of the group's customers and the merge
itself, on Odoo's partner merge (``base.partner.merge.automatic.wizard``),
which re-points every many2one and reference to the merged customers.

Other addons extend it: ``_sh_merge_preview_rows`` and
``_sh_merge_preview_values`` add their figures to the preview (and so to
the merge log), ``_sh_merge_combine`` combines their records that must be
one per customer (loyalty cards) before Odoo re-points the rest,
``_sh_merge_refresh`` refreshes their stored figures after it."""

import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from ..figures.rules import DEBT_GROUPS

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "sh_customers.sh_customers_group_manager"
# The customer's fields whose value the user picks, field by field, among
# the merged customers (the others keep the survivor's value, or the first
# value found among the merged customers when the survivor has none).
MERGE_FIELDS = (
    "name",
    "mobile",
    "phone",
    "email",
    "vat",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "sh_customer_type",
    "user_id",
    "category_id",
)


class ShCustomerMerge(models.AbstractModel):
    _name = "sh.customer.merge"
    _description = "Customers Merge"

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    @api.model
    def _sh_merge_check_user(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Customers managers may merge customers."))

    @api.model
    def _sh_merge_check(self, survivor, sources):
        """Refuse a merge that would lose or mix records: the user is not a
        Customers manager, fewer than two customers, the survivor among the
        sources, a contact instead of a customer, a company of the database
        merged into another, an archived customer,
        customers of different companies, one with posted receivable entries in a company the
        survivor cannot be used in, or several linked users."""
        self._sh_merge_check_user()
        if len(survivor) != 1:
            raise UserError(self.env._("Choose the one customer to keep."))
        if survivor in sources:
            raise UserError(
                self.env._(
                    "%(name)s is the customer kept: it cannot also be merged into itself.",
                    name=survivor.display_name,
                )
            )
        if not sources:
            raise UserError(
                self.env._("Choose at least one other customer to merge into the one kept.")
            )
        partners = survivor | sources
        if len(partners) < 2:
            raise UserError(self.env._("Choose at least two customers to merge."))
        contacts = partners.filtered("parent_id")
        if contacts:
            raise UserError(
                self.env._(
                    "%(names)s is a contact of a customer, not a customer: merge customers only.",
                    names=", ".join(contacts.mapped("display_name")),
                )
            )
        # sudo: which companies the database has, whoever merges
        own = self.env["res.company"].sudo().search([("partner_id", "in", sources.ids)])
        if own:
            raise UserError(
                self.env._(
                    "%(names)s is a company of this database: it can only be the customer kept.",
                    names=", ".join(own.partner_id.mapped("display_name")),
                )
            )
        archived = partners.filtered(lambda partner: not partner.active)
        if archived:
            raise UserError(
                self.env._(
                    "%(names)s is archived: restore it before merging it.",
                    names=", ".join(archived.mapped("display_name")),
                )
            )
        companies = partners.company_id
        if len(set(partners.mapped(lambda partner: partner.company_id.id))) > 1:
            raise UserError(
                self.env._(
                    "Customers of different companies cannot be merged: %(companies)s.",
                    companies=", ".join(
                        companies.mapped("name")
                        + (
                            [self.env._("shared by all companies")]
                            if not all(partner.company_id for partner in partners)
                            else []
                        )
                    ),
                )
            )
        if len(partners.with_context(active_test=False).user_ids) > 1:
            raise UserError(self.env._("Customers linked to more than one user cannot be merged."))
        self._sh_merge_check_receivables(survivor, partners)

    @api.model
    def _sh_merge_check_receivables(self, survivor, partners):
        """Refuse when a customer of the group has posted receivable entries
        in a company outside the survivor's company (and its branches): the
        survivor could not be used on them."""
        if not survivor.company_id:
            return
        allowed = (
            self.env["res.company"]
            .sudo()  # sudo: the branches of the survivor's company, whoever merges
            .search([("id", "child_of", survivor.company_id.id)])
        )
        self.env["account.move.line"].flush_model(
            ["partner_id", "account_id", "parent_state", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.name, a.code_store->>(l.company_id::text), c.name
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN res_partner p ON p.id = l.partner_id
                  JOIN res_company c ON c.id = l.company_id
                 WHERE l.partner_id IN %s
                   AND l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND l.company_id NOT IN %s
                 LIMIT 1
                """,
                tuple(partners.ids),
                tuple(allowed.ids),
            )
        )
        if rows:
            [(name, code, company)] = rows
            raise UserError(
                self.env._(
                    "%(name)s has posted entries in the receivable account %(code)s of "
                    "%(company)s, which %(survivor)s cannot be used in: these customers cannot "
                    "be merged.",
                    name=name,
                    code=code or "",
                    company=company,
                    survivor=survivor.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------

    @api.model
    def _sh_merge_preview_rows(self):
        """The rows of the preview, in order: ``{"key", "label", "type"}``,
        type ``count`` (added up by the merge and told in its log),
        ``monetary``, ``number`` or ``text``. Addons add theirs."""
        rows = [
            {"key": "code", "label": self.env._("Customer Code"), "type": "text"},
            {"key": "company", "label": self.env._("Company"), "type": "text"},
            {"key": "address", "label": self.env._("Address"), "type": "text"},
            {"key": "contacts", "label": self.env._("Contacts and Addresses"), "type": "count"},
            {"key": "invoices", "label": self.env._("Invoices"), "type": "count"},
            {"key": "credit_notes", "label": self.env._("Credit Notes"), "type": "count"},
            {"key": "payments", "label": self.env._("Payments"), "type": "count"},
            {"key": "activities", "label": self.env._("Open Activities"), "type": "count"},
            {"key": "messages", "label": self.env._("Messages"), "type": "count"},
        ]
        if self.env.user.has_groups(DEBT_GROUPS):
            rows[3:3] = [
                {"key": "debt", "label": self.env._("Debt"), "type": "monetary"},
                {"key": "overdue", "label": self.env._("Overdue"), "type": "monetary"},
            ]
        return rows

    @api.model
    def _sh_merge_preview_values(self, partners):
        """``{partner id: {row key: value}}`` of the preview, a query per row
        for all the customers at once. The counts are read as a system
        computation within the user's companies: the merge moves every
        document, whether or not the user may open it."""
        values = {
            partner.id: {
                "code": partner.sh_customer_code or "",
                "company": partner.company_id.name or self.env._("All companies"),
                "address": partner._display_address(without_company=True).replace("\n", ", "),
            }
            for partner in partners
        }
        ids = partners.ids
        company_ids = self.env.companies.ids

        def count(model, domain, groupby, key):
            # sudo: counts of the documents that the merge moves (see above)
            for partner_id, number in (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                ._read_group(domain, [groupby], ["__count"])
            ):
                values[partner_id.id][key] = number
            for partner_values in values.values():
                partner_values.setdefault(key, 0)

        count("res.partner", [("parent_id", "in", ids)], "parent_id", "contacts")
        for move_type, key in (("out_invoice", "invoices"), ("out_refund", "credit_notes")):
            count(
                "account.move",
                [
                    ("commercial_partner_id", "in", ids),
                    ("move_type", "=", move_type),
                    ("state", "=", "posted"),
                    ("company_id", "in", company_ids),
                ],
                "commercial_partner_id",
                key,
            )
        count(
            "account.payment",
            [
                ("partner_id", "in", ids),
                ("state", "not in", ("draft", "canceled")),
                ("company_id", "in", company_ids),
            ],
            "partner_id",
            "payments",
        )
        self._sh_merge_count_by_res_id("mail.activity", ids, values, "activities")
        self._sh_merge_count_by_res_id(
            "mail.message", ids, values, "messages", [("message_type", "!=", "user_notification")]
        )
        if self.env.user.has_groups(DEBT_GROUPS):
            debt = {partner_id: (0.0, 0.0) for partner_id in ids}
            today = fields.Date.context_today(self)
            for partner, overdue, residual in self.env["account.move.line"]._read_group(
                [
                    ("partner_id", "in", ids),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("company_id", "in", company_ids),
                ],
                ["partner_id", "date_maturity:day"],
                ["amount_residual:sum"],
            ):
                total, late = debt[partner.id]
                is_late = overdue and overdue < today
                debt[partner.id] = (total + residual, late + (residual if is_late else 0.0))
            currency = self.env.company.currency_id
            for partner_id, (total, late) in debt.items():
                values[partner_id]["debt"] = currency.round(total)
                values[partner_id]["overdue"] = currency.round(late)
        return values

    @api.model
    def _sh_merge_count_by_res_id(self, model, ids, values, key, domain=()):
        """Count the records of ``model`` attached to each customer by
        ``res_model``/``res_id`` (activities, messages)."""
        # sudo: counts of the records the merge moves, whoever merges
        for res_id, number in (
            self.env[model]
            .sudo()
            ._read_group(
                [("model" if model == "mail.message" else "res_model", "=", "res.partner")]
                + [("res_id", "in", ids), *domain],
                ["res_id"],
                ["__count"],
            )
        ):
            values[res_id][key] = number
        for partner_values in values.values():
            partner_values.setdefault(key, 0)

    @api.model
    def _sh_merge_preview(self, survivor, sources):
        """The preview of merging ``sources`` into ``survivor``: the rows,
        the customers (survivor first) with their values, and the totals the
        survivor will have (counts and amounts added up)."""
        self._sh_merge_check(survivor, sources)
        partners = survivor | sources
        rows = self._sh_merge_preview_rows()
        values = self._sh_merge_preview_values(partners)
        customers = [
            {
                "id": partner.id,
                "name": partner.name,
                "survivor": partner == survivor,
                "values": values[partner.id],
            }
            for partner in partners
        ]
        currency = self.env.company.currency_id
        totals = {}
        for row in rows:
            if row["type"] in ("count", "monetary", "number"):
                total = sum(values[partner.id].get(row["key"]) or 0 for partner in partners)
                totals[row["key"]] = currency.round(total) if row["type"] == "monetary" else total
        return {"rows": rows, "customers": customers, "totals": totals}

    # ------------------------------------------------------------------
    # Merge
    # ------------------------------------------------------------------

    @api.model
    def _sh_merge_combine(self, survivor, sources):
        """Combine, before Odoo re-points them, the records of the merged
        customers that must stay one per customer. Addons extend it."""

    @api.model
    def _sh_merge_refresh(self, survivor, sources):
        """Refresh the stored figures of the merged customers, after their
        records moved. Addons extend it with their own figures."""
        (survivor | sources)._sh_refresh_customer_stats()

    @api.model
    def _sh_merge(self, survivor, sources, values=None):
        """Merge ``sources`` into ``survivor``: every record of theirs moves
        to it (Odoo's partner merge), ``values`` (fields of
        ``MERGE_FIELDS`` picked from the group) are written on it, its
        figures are refreshed, the sources are archived and the merge is
        logged on its chatter. Returns the survivor."""
        self._sh_merge_check(survivor, sources)
        values = values or {}
        unknown = set(values) - set(MERGE_FIELDS)
        if unknown:
            raise UserError(
                self.env._(
                    "These fields cannot be picked: %(fields)s.", fields=", ".join(sorted(unknown))
                )
            )
        rows = self._sh_merge_preview_rows()
        moved = self._sh_merge_preview_values(sources)
        codes = {source.id: source.sh_customer_code for source in sources}
        names = {source.id: source.name for source in sources}
        self._sh_merge_combine(survivor, sources)
        # sudo: the user is a Customers manager (checked above); Odoo's merge
        # rewrites every table that refers to the customers, whoever may
        # read them. Its steps are called one by one instead of ``_merge``,
        # which stops at three customers and deletes the sources: the
        # sources are kept, archived, and a manager may merge more.
        merger = self.env["base.partner.merge.automatic.wizard"].sudo()
        sources_sudo = sources.sudo()
        survivor_sudo = survivor.sudo()
        merger._merge_bank_accounts(sources_sudo, survivor_sudo)
        merger._update_foreign_keys(sources_sudo, survivor_sudo)
        merger._update_reference_fields(sources_sudo, survivor_sudo)
        merger._update_values(sources_sudo, survivor_sudo)
        self.env.add_to_compute(survivor._fields["partner_share"], survivor)
        # The merge's own writes are the manager's too, whether or not they
        # may edit contacts otherwise (sudo keeps them as the author).
        if values:
            survivor_sudo.write(values)
        sources_sudo.write({"active": False})
        self._sh_merge_close_pairs(survivor, sources)
        self._sh_merge_refresh(survivor, sources)
        self._sh_merge_log(survivor, sources, rows, moved, codes, names)
        _logger.info(
            "(uid = %s) merged the customers %s into %s", self.env.uid, sources.ids, survivor.id
        )
        return survivor

    @api.model
    def _sh_merge_close_pairs(self, survivor, sources):
        """The duplicate pairs within the group are merged; the pairs of an
        archived source with other customers are no longer to review."""
        pairs = (
            self.env["sh.customer.duplicate"]
            .sudo()
            .search(
                [
                    "|",
                    ("partner_a_id", "in", sources.ids),
                    ("partner_b_id", "in", sources.ids),
                ]
            )
        )
        group = survivor | sources
        within = pairs.filtered(
            lambda pair: pair.partner_a_id in group and pair.partner_b_id in group
        )
        within.write({"state": "merged"})
        (pairs - within).filtered(lambda pair: pair.state == "new").unlink()

    @api.model
    def _sh_merge_log(self, survivor, sources, rows, moved, codes, names):
        """Post on the survivor's chatter who merged which customers when,
        and how many of their records moved (as the user who merged, sudo:
        a Customers manager may not otherwise write on contacts)."""
        counts = [row for row in rows if row["type"] == "count"]
        items = Markup()
        for source in sources:
            figures = ", ".join(
                self.env._(
                    "%(what)s: %(count)s", what=row["label"], count=moved[source.id][row["key"]]
                )
                for row in counts
                if moved[source.id].get(row["key"])
            )
            items += Markup("<li>%s</li>") % self.env._(
                "%(code)s %(name)s (ID %(id)s): %(figures)s",
                code=codes[source.id] or "",
                name=names[source.id],
                id=source.id,
                figures=figures or self.env._("no records"),
            )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(user)s merged these customers into this one on %(date)s; they are archived:",
                user=self.env.user.name,
                date=format_datetime(self.env, fields.Datetime.now()),
            ),
            items,
        )
        survivor.sudo().message_post(
            body=body, message_type="comment", subtype_xmlid="mail.mt_note"
        )
