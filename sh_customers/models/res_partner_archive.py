"""Archiving a customer with a reason: the reason, note, who and when on the
partner (tracked in its chatter), the amounts that need a manager's
confirmation before a customer is archived (``_sh_archive_blockers``, which
``sh_loyalty`` extends with unused points), the customers suggested for
archiving (``_sh_archive_suggestion_domain``, extended the same way), and
archiving and restoring them."""

from datetime import timedelta

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from ..figures.rules import DEBT_GROUPS

ARCHIVE_REASONS = [
    ("moved", "Moved"),
    ("closed", "Closed"),
    ("duplicate", "Duplicate"),
    ("bad_debt", "Bad debt"),
    ("other", "Other"),
]
CUSTOMERS_USER = "sh_customers.sh_customers_group_user"
CUSTOMERS_MANAGER = "sh_customers.sh_customers_group_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    sh_archive_reason = fields.Selection(
        ARCHIVE_REASONS,
        string="Archive Reason",
        readonly=True,
        copy=False,
        tracking=True,
        help="Why the customer was archived; cleared when the customer is restored.",
    )
    sh_archive_note = fields.Text(
        string="Archive Note",
        readonly=True,
        copy=False,
        tracking=True,
        help="What the user who archived the customer wrote about it.",
    )
    sh_archived_by_id = fields.Many2one(
        "res.users",
        string="Archived By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The user who archived the customer.",
    )
    sh_archive_date = fields.Datetime(
        string="Archived On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the customer was archived.",
    )
    sh_archive_suggested = fields.Boolean(
        string="Suggested for Archiving",
        compute="_compute_sh_archive_suggested",
        search="_search_sh_archive_suggested",
        help="No purchase for longer than the company's archive suggestion period (Settings, "
        "365 days by default), no open debt and no unused loyalty points.",
    )

    def _compute_sh_archive_suggested(self):
        suggested = self.search([("id", "in", self.ids), ("sh_archive_suggested", "=", True)])
        for partner in self:
            partner.sh_archive_suggested = partner in suggested

    def _search_sh_archive_suggested(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search the archive suggestions with Yes or No."))
        # A subquery, so that "not suggested" holds for every other customer,
        # those without a last purchase included.
        suggested = self.with_context(active_test=False)._search(
            self._sh_archive_suggestion_domain()
        )
        return [("id", "in" if (operator == "=") == value else "not in", suggested)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_archive(self):
        """From the Customers app (its actions set ``sh_archive_with_reason``),
        archiving opens the dialog that asks why; elsewhere, and from code,
        Odoo's archive as it is."""
        if self.env.context.get("sh_archive_with_reason"):
            return self.action_sh_archive_wizard()
        return super().action_archive()

    def action_unarchive(self):
        """Restore the customers: active again, the archive reason cleared
        and a note in their chatter. Their documents, figures, loyalty card
        and interactions never left them. A Customers user restores the
        customers they see, as they archive them."""
        archived = self.filtered(lambda partner: not partner.active)
        if archived and self.env.user.has_group(CUSTOMERS_USER):
            archived.check_access("read")
            # sudo: Customers users restore the customers they see without
            # the right to edit every contact (Contacts' "Creation" group).
            archived = archived.sudo()
        res = super(ResPartner, archived).action_unarchive()
        reasoned = archived.filtered("sh_archive_reason")
        if reasoned:
            reasoned.write(
                {
                    "sh_archive_reason": False,
                    "sh_archive_note": False,
                    "sh_archived_by_id": False,
                    "sh_archive_date": False,
                }
            )
        if archived:
            body = escape(self.env._("Customer restored from the archive."))
            archived._message_log_batch({partner.id: body for partner in archived})
        return res

    def action_sh_archive_wizard(self):
        """The dialog that archives these customers with a reason."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Archive Customers"),
            "res_model": "sh.customer.archive.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": [Command.set(self.ids)]},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _sh_archive(self, reason, note):
        """Archive the customers of ``self`` with ``reason`` and ``note``,
        and say so in their chatter. The wizard checked the reason and the
        confirmation before."""
        self.check_access("read")
        reason_label = dict(self._fields["sh_archive_reason"]._description_selection(self.env))[
            reason
        ]
        # sudo: Customers users archive the customers they see without the
        # right to edit every contact (Contacts' "Creation" group); who may
        # archive what was checked by the wizard.
        self.sudo().write(
            {
                "active": False,
                "sh_archive_reason": reason,
                "sh_archive_note": note or False,
                "sh_archived_by_id": self.env.uid,
                "sh_archive_date": fields.Datetime.now(),
            }
        )
        body = escape(self.env._("Customer archived: %(reason)s.", reason=reason_label))
        if note:
            body += Markup("<br/>") + escape(note)
        self._message_log_batch({partner.id: body for partner in self})

    def _sh_archive_blockers(self):
        """What must be confirmed before the customers of ``self`` are
        archived: a list of kinds, each a dict with ``kind``, ``label``,
        ``sequence``, ``amounts`` (``{partner id: amount}``, the customers
        that have some) and ``format`` (amount to text). Here the open debt
        in the current company and, as a customer is archived for every
        company, in each other company (tree) that the customer owes,
        each in its currency; the amounts show only to users who may see
        receivables, and only for companies they work in. ``sh_loyalty``
        adds the unused points."""
        debts = self._sh_archive_debts()
        current = self.env.company.root_id
        allowed = self.env.user.company_ids.root_id
        may_see = self.env.user.has_groups(DEBT_GROUPS)

        def formatter(currency, visible):
            def show(amount):
                if not visible:
                    return self.env._("(amount hidden)")
                return format_amount(self.env, amount, currency)

            return show

        blockers = [
            {
                "kind": "debt",
                "label": self.env._("Open debt"),
                "sequence": 10,
                "amounts": debts.pop(current, {}),
                "format": formatter(current.currency_id, may_see),
            }
        ]
        hidden = {}
        for root, amounts in sorted(debts.items(), key=lambda item: item[0].name):
            if root not in allowed:
                # Another company the user does not work in: that it is
                # owed, without the amounts.
                for partner_id in amounts:
                    hidden[partner_id] = 0.0
                continue
            blockers.append(
                {
                    "kind": f"debt_{root.id}",
                    "label": self.env._("Open debt in %(company)s", company=root.name),
                    "sequence": 11,
                    "amounts": amounts,
                    "format": formatter(root.currency_id, may_see),
                }
            )
        if hidden:
            blockers.append(
                {
                    "kind": "debt_elsewhere",
                    "label": self.env._("Open debt in another company"),
                    "sequence": 12,
                    "amounts": hidden,
                    "format": formatter(False, False),
                }
            )
        return blockers

    def _sh_archive_debts(self):
        """The open debt of the customers of ``self`` that the user sees, by
        company tree (its root company, whose figures count the whole
        tree): ``{root company: {partner id: debt}}``, only the customers
        who owe something. One statement over the customers' stored
        figures."""
        figures = self.env["sh.customer.figure"]
        self._sh_flush_for_stats()
        query = self.with_context(active_test=False)._search([("id", "in", self.ids)])
        partner = query.table
        figure = query.make_alias(partner, "sh_archive_figure")
        query.add_join(
            "JOIN",
            figure,
            figures._table,
            SQL(
                "%s = %s",
                SQL.identifier(figure, "partner_id"),
                SQL.identifier(partner, "id"),
            ),
        )
        company = query.make_alias(figure, "company")
        query.add_join(
            "JOIN",
            company,
            "res_company",
            SQL(
                "%s = %s AND %s = %s",
                SQL.identifier(company, "id"),
                SQL.identifier(figure, "company_id"),
                # A company's figures count its whole tree: the root's row.
                SQL.identifier(company, "parent_path"),
                SQL("%s::varchar || '/'", SQL.identifier(company, "id")),
            ),
        )
        debt = SQL.identifier(figure, "debt")
        query.add_where(SQL("ROUND(%s::numeric, 6) > 0", debt))
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(figure, "company_id"),
                SQL.identifier(partner, "id"),
                debt,
            )
        )
        debts = {}
        for company_id, partner_id, amount in rows:
            # sudo: the currency of a company the user may not work in
            # (whose name and amounts are then not shown).
            root = self.env["res.company"].sudo().browse(company_id)
            amount = root.currency_id.round(amount)
            if not root.currency_id.is_zero(amount):
                debts.setdefault(root, {})[partner_id] = amount
        return debts

    @api.model
    def _sh_archive_suggestion_domain(self):
        """The customers suggested for archiving in the current company: a
        last purchase older than the company's suggestion period, and a
        receivable balance of zero (neither debt nor a credit the company
        owes them) in every company. ``sh_loyalty`` adds: no unused points."""
        company = self.env.company
        cutoff = fields.Date.context_today(self) - timedelta(days=company.sh_archive_suggest_days)
        figures = self.env["sh.customer.figure"]
        self._sh_flush_for_stats()
        # A balance in any company: archiving hides the customer from all.
        debtors = SQL(
            "(SELECT partner_id FROM %s WHERE ROUND(debt::numeric, %s) <> 0)",
            SQL.identifier(figures._table),
            company.currency_id.decimal_places,
        )
        return [("sh_last_purchase_date", "<", cutoff), ("id", "not in", debtors)]
