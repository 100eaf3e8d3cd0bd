"""The dialog that archives customers with a reason: from the customer form,
the customers list's actions and the archive suggestions. Customers who
still owe money or hold unused points (``res.partner._sh_archive_blockers``)
are archived only when a Customers manager ticks the confirmation below the
amounts."""

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.res_partner_archive import ARCHIVE_REASONS, CUSTOMERS_MANAGER


class ShCustomerArchiveWizard(models.TransientModel):
    _name = "sh.customer.archive.wizard"
    _description = "Archive Customers with a Reason"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="The customers to archive.",
    )
    reason = fields.Selection(
        ARCHIVE_REASONS,
        help="Why the customers are archived: kept on each customer until restored.",
    )
    note = fields.Text(
        help="Details of the reason, written on each customer and in its chatter; "
        "required with the reason Other.",
    )
    has_blockers = fields.Boolean(
        string="Owe Money or Hold Points",
        compute="_compute_blockers",
        help="Some of the customers still have open debt or unused loyalty points.",
    )
    blocker_summary = fields.Html(
        string="Open Amounts",
        compute="_compute_blockers",
        sanitize=False,
        help="The open debt and unused points of each customer, and their totals.",
    )
    confirm_blockers = fields.Boolean(
        string="Archive anyway",
        help="Archive these customers although they owe money or hold points; only "
        "Customers managers may.",
    )
    can_confirm_blockers = fields.Boolean(
        compute="_compute_blockers",
        help="Whether the current user may archive customers who owe money or hold points.",
    )

    @api.depends("partner_ids")
    @api.depends_context("uid")
    def _compute_blockers(self):
        manager = self.env.user.has_group(CUSTOMERS_MANAGER)
        for wizard in self:
            rows, totals = wizard._sh_blocker_rows()
            wizard.has_blockers = bool(rows)
            wizard.blocker_summary = wizard._sh_blocker_html(rows, totals) if rows else False
            wizard.can_confirm_blockers = manager

    @api.model
    def default_get(self, fields_list):
        """The customers chosen in a list (its action menu) by default."""
        vals = super().default_get(fields_list)
        context = self.env.context
        if (
            "partner_ids" in fields_list
            and not vals.get("partner_ids")
            and context.get("active_model") == "res.partner"
        ):
            vals["partner_ids"] = [Command.set(context.get("active_ids") or [])]
        return vals

    def _sh_customers(self):
        """The chosen customers still active (the records themselves, also
        while the dialog is being filled in)."""
        return self.partner_ids._origin.filtered("active")

    def _sh_blocker_rows(self):
        """The chosen customers that owe money or hold points, with the text
        of each amount: ``[(partner, [(label, text), ...]), ...]``, and the
        totals by kind ``[(label, text), ...]``."""
        partners = self._sh_customers()
        if not partners:
            return [], []
        blockers = sorted(partners._sh_archive_blockers(), key=lambda kind: kind["sequence"])
        rows = []
        for partner in partners.sorted(lambda partner: (partner.display_name, partner.id)):
            amounts = [
                (kind["label"], kind["format"](kind["amounts"][partner.id]))
                for kind in blockers
                if partner.id in kind["amounts"]
            ]
            if amounts:
                rows.append((partner, amounts))
        totals = [
            (kind["label"], kind["format"](sum(kind["amounts"].values())))
            for kind in blockers
            if kind["amounts"]
        ]
        return rows, totals

    def _sh_blocker_html(self, rows, totals):
        def line(name, amounts, tag="td"):
            cells = Markup("").join(
                Markup("<%s>%s</%s>") % (tag, escape(f"{label}: {text}"), tag)
                for label, text in amounts
            )
            return Markup("<tr><%s>%s</%s>%s</tr>") % (tag, name, tag, cells)

        body = Markup("").join(line(partner.display_name, amounts) for partner, amounts in rows)
        total = line(self.env._("Total"), totals, "th")
        return Markup('<table class="table table-sm mb-0"><tbody>%s%s</tbody></table>') % (
            body,
            total,
        )

    def _sh_blocker_text(self, rows, totals):
        lines = [
            self.env._(
                "%(customer)s: %(amounts)s",
                customer=partner.display_name,
                amounts=", ".join(f"{label} {text}" for label, text in amounts),
            )
            for partner, amounts in rows
        ]
        lines.append(
            self.env._(
                "Total: %(amounts)s",
                amounts=", ".join(f"{label} {text}" for label, text in totals),
            )
        )
        return "\n".join(lines)

    def action_sh_archive(self):
        """Archive the chosen customers with the reason and note, once the
        reason is complete and, for customers who owe money or hold points,
        a Customers manager ticked the confirmation. A refusal archives
        nothing."""
        self.ensure_one()
        partners = self._sh_customers()
        if not partners:
            raise UserError(self.env._("Choose at least one customer who is not archived yet."))
        if not self.reason:
            raise UserError(self.env._("Choose why the customers are archived."))
        note = (self.note or "").strip()
        if self.reason == "other" and not note:
            raise UserError(self.env._('Write a note: the reason "Other" needs one.'))
        rows, totals = self._sh_blocker_rows()
        if rows and not self.env.user.has_group(CUSTOMERS_MANAGER):
            raise AccessError(
                self.env._(
                    "Only Customers managers may archive customers who owe money or hold "
                    "points:\n%(amounts)s",
                    amounts=self._sh_blocker_text(rows, totals),
                )
            )
        if rows and not self.confirm_blockers:
            raise UserError(
                self.env._(
                    "These customers still owe money or hold points:\n%(amounts)s\n"
                    'Tick "Archive anyway" to archive them nonetheless.',
                    amounts=self._sh_blocker_text(rows, totals),
                )
            )
        partners._sh_archive(self.reason, note)
        return {"type": "ir.actions.act_window_close"}
