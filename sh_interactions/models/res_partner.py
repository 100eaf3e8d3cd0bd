"""The customer's interactions and tasks: their counts, the per-company
interaction figures (last contact, contacts of the last 90 days, NPS)
and their refresh, the values the message templates show, and the
customer form's actions."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date, formatLang

from odoo.addons.sh_customers.figures.rules import DEBT_GROUPS

from .sh_customer_task import OPEN_STATES

# Interaction figures written by _sh_refresh_interaction_stats(), per company.
INTERACTION_STAT_FIELDS = (
    "sh_last_contact_date",
    "sh_contact_count_90d",
    "sh_nps_answer_count",
    "sh_nps",
)
CONTACT_WINDOW_DAYS = 90


class ResPartner(models.Model):
    _inherit = "res.partner"

    sh_interaction_ids = fields.One2many(
        "sh.customer.interaction", "partner_id", string="Interactions"
    )
    sh_task_ids = fields.One2many("sh.customer.task", "partner_id", string="Customer Tasks")
    sh_open_task_ids = fields.One2many(
        "sh.customer.task",
        "partner_id",
        string="Open Tasks",
        domain=[("state", "in", OPEN_STATES)],
    )
    sh_interaction_count = fields.Integer(
        string="Interaction Count", compute="_compute_sh_interaction_count"
    )
    sh_open_task_count = fields.Integer(
        string="Open Task Count", compute="_compute_sh_interaction_count"
    )
    sh_last_contact_date = fields.Datetime(
        string="Last Contact", company_dependent=True, readonly=True, copy=False
    )
    sh_days_since_contact = fields.Integer(
        string="Days Since Last Contact",
        compute="_compute_sh_days_since_contact",
        help="Days between the last logged interaction and today.",
    )
    sh_contact_count_90d = fields.Integer(
        string="Contacts (90 Days)",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Interactions logged with the customer in the last 90 days.",
    )
    sh_nps_answer_count = fields.Integer(
        string="NPS Answers", company_dependent=True, readonly=True, copy=False
    )
    sh_nps = fields.Float(
        string="NPS",
        company_dependent=True,
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Net Promoter Score: percentage of answers of 9 or 10 minus percentage of "
        "answers from 0 to 6, over every NPS score recorded on the customer's "
        "interactions (from -100 to 100).",
    )
    sh_interaction_breakdown = fields.Html(
        string="Interactions per Channel and Outcome",
        compute="_compute_sh_interaction_breakdown",
        sanitize=False,
    )

    @api.depends_context("company")
    def _compute_sh_interaction_count(self):
        interactions = dict(
            self.env["sh.customer.interaction"]._read_group(
                [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
                ["partner_id"],
                ["__count"],
            )
        )
        tasks = dict(
            self.env["sh.customer.task"]._read_group(
                [("partner_id", "in", self.ids), ("state", "in", OPEN_STATES)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.sh_interaction_count = interactions.get(partner, 0)
            partner.sh_open_task_count = tasks.get(partner, 0)

    @api.depends("sh_last_contact_date")
    @api.depends_context("company", "tz")
    def _compute_sh_days_since_contact(self):
        today = fields.Date.context_today(self)
        for partner in self:
            last = partner.sh_last_contact_date
            partner.sh_days_since_contact = (
                last and (today - fields.Date.context_today(self, last)).days
            )

    @api.depends_context("company", "lang")
    def _compute_sh_interaction_breakdown(self):
        Interaction = self.env["sh.customer.interaction"]
        domain = [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)]
        counts = {}
        for dimension in ("channel", "outcome"):
            for partner, value, count in Interaction._read_group(
                domain, ["partner_id", dimension], ["__count"]
            ):
                counts.setdefault(partner, {}).setdefault(dimension, []).append((value, count))
        labels = {
            dimension: dict(Interaction._fields[dimension]._description_selection(self.env))
            for dimension in ("channel", "outcome")
        }
        for partner in self:
            partner_counts = counts.get(partner)
            if not partner_counts:
                partner.sh_interaction_breakdown = False
                continue
            rows = {
                dimension: [
                    (labels[dimension].get(value) or self.env._("No outcome"), count)
                    for value, count in sorted(
                        partner_counts.get(dimension, []), key=lambda item: -item[1]
                    )
                ]
                for dimension in ("channel", "outcome")
            }
            partner.sh_interaction_breakdown = self.env["ir.qweb"]._render(
                "sh_interactions.interaction_breakdown", {"rows": rows}
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sh_interactions(self):
        # Interactions of every company count: a customer is shared.
        with_interactions = (
            self.env["sh.customer.interaction"]
            .sudo()
            ._read_group([("partner_id", "in", self.ids)], ["partner_id"])
        )
        if with_interactions:
            names = ", ".join(partner.display_name for (partner,) in with_interactions)
            raise UserError(
                _(
                    "%(customers)s cannot be deleted: interactions have been logged with "
                    "them. Archive the customer instead.",
                    customers=names,
                )
            )

    # ------------------------------------------------------------------
    # Statistics
    # ------------------------------------------------------------------

    def _sh_refresh_interaction_stats(self, now=None, all_customers=False):
        """Recompute the last contact, the contacts of the last 90 days and
        the NPS of the customers of ``self`` (or of every customer with
        interactions) for every company, in one statement.

        The figures are stored for every company; each user reads those of
        the current company.
        """
        if not all_customers and not self:
            return
        now = now or fields.Datetime.now()
        self.env["sh.customer.interaction"].flush_model(
            ["partner_id", "company_id", "date", "nps_score"]
        )
        self.flush_model(INTERACTION_STAT_FIELDS)
        if all_customers:
            target = SQL(
                """SELECT DISTINCT partner_id FROM sh_customer_interaction
                   UNION SELECT id FROM res_partner WHERE sh_last_contact_date IS NOT NULL"""
            )
        else:
            target = SQL("SELECT unnest(%s::int[])", list(set(self.ids)))
        query = SQL(
            """
            WITH target(partner_id) AS (%(target)s),
            stats AS (
                SELECT i.partner_id, i.company_id,
                       MAX(i.date) AS last_date,
                       COUNT(*) FILTER (WHERE i.date >= %(since)s) AS contacts,
                       COUNT(i.nps_score) AS answers,
                       ROUND(100.0 * (
                           COUNT(*) FILTER (WHERE i.nps_score::int >= 9)
                           - COUNT(*) FILTER (WHERE i.nps_score::int <= 6)
                       ) / NULLIF(COUNT(i.nps_score), 0), 1) AS nps
                  FROM sh_customer_interaction i
                  JOIN target ON target.partner_id = i.partner_id
                 GROUP BY i.partner_id, i.company_id
            ),
            new_values AS (
                SELECT target.partner_id,
                       jsonb_object_agg(
                           stats.company_id::text,
                           to_char(stats.last_date, 'YYYY-MM-DD HH24:MI:SS')
                       )
                           FILTER (WHERE stats.company_id IS NOT NULL) AS last_date,
                       jsonb_object_agg(stats.company_id::text, stats.contacts)
                           FILTER (WHERE stats.company_id IS NOT NULL) AS contacts,
                       jsonb_object_agg(stats.company_id::text, stats.answers)
                           FILTER (WHERE stats.company_id IS NOT NULL) AS answers,
                       jsonb_object_agg(stats.company_id::text, stats.nps)
                           FILTER (WHERE stats.company_id IS NOT NULL) AS nps
                  FROM target
                  LEFT JOIN stats ON stats.partner_id = target.partner_id
                 GROUP BY target.partner_id
            )
            UPDATE res_partner partner
               SET sh_last_contact_date = new_values.last_date,
                   sh_contact_count_90d = new_values.contacts,
                   sh_nps_answer_count = new_values.answers,
                   sh_nps = new_values.nps
              FROM new_values
             WHERE partner.id = new_values.partner_id
               AND (partner.sh_last_contact_date, partner.sh_contact_count_90d,
                    partner.sh_nps_answer_count, partner.sh_nps)
                   IS DISTINCT FROM
                   (new_values.last_date, new_values.contacts, new_values.answers, new_values.nps)
         RETURNING partner.id
            """,
            target=target,
            since=now - timedelta(days=CONTACT_WINDOW_DAYS),
        )
        rows = self.env.execute_query(query)
        changed = self.browse([row[0] for row in rows])
        changed.invalidate_recordset(list(INTERACTION_STAT_FIELDS))
        changed.modified(INTERACTION_STAT_FIELDS)

    @api.model
    def _cron_sh_refresh_interaction_stats(self):
        """Move the 90-day window of every customer with interactions."""
        self._sh_refresh_interaction_stats(all_customers=True)

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------

    def _sh_message_values(self):
        """The customer's figures a communication template may show, as text
        formatted in the current language; one dict per customer, keyed by
        partner id. The loyalty placeholders (points, tier, expiring points
        and date) stay empty unless another addon fills them in
        (``_sh_message_extra_values``)."""
        show_debt = self.env.user.has_groups(DEBT_GROUPS)
        currency = self.env.company.currency_id
        last_invoices = self._sh_last_invoices()
        extra_values = self._sh_message_extra_values()
        values = {}
        for partner in self:
            commercial = partner.commercial_partner_id
            invoice = last_invoices.get(commercial.id)
            if invoice:
                last_invoice_date = format_date(self.env, invoice.invoice_date)
                last_invoice_amount = formatLang(
                    self.env, invoice.amount_total_signed, currency_obj=currency
                )
                last_invoice = self.env._(
                    "%(number)s of %(date)s, %(amount)s",
                    number=invoice.name,
                    date=last_invoice_date,
                    amount=last_invoice_amount,
                )
            else:
                last_invoice = last_invoice_date = last_invoice_amount = ""
            values[partner.id] = {
                "name": partner.name or "",
                "customer_name": commercial.name or "",
                "company": self.env.company.name,
                "debt": show_debt
                and formatLang(self.env, commercial.sh_debt, currency_obj=currency)
                or "",
                "overdue": show_debt
                and formatLang(self.env, commercial.sh_overdue, currency_obj=currency)
                or "",
                "points": formatLang(self.env, 0, digits=0),
                "tier": "",
                "expiring_points": formatLang(self.env, 0, digits=0),
                "expiring_date": "",
                "last_invoice": last_invoice,
                "last_invoice_number": invoice.name if invoice else "",
                "last_invoice_date": last_invoice_date,
                "last_invoice_amount": last_invoice_amount,
                **extra_values.get(partner.id, {}),
            }
        return values

    def _sh_message_extra_values(self):
        """Placeholders that other addons fill in for the messages to the
        customers of ``self``: ``{partner_id: {placeholder: text}}``, the
        text formatted in the current language. None here; the bridge of
        the loyalty addon (sh_interactions_loyalty) adds the points and the
        tier."""
        return {}

    def _sh_last_invoices(self):
        """The last posted invoice of each commercial partner of ``self`` in
        the current company that the user may read, in one query."""
        Move = self.env["account.move"]
        if not Move.has_access("read"):
            return {}
        Move.flush_model(["commercial_partner_id", "invoice_date", "state", "move_type"])
        query = Move._search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("company_id", "=", self.env.company.id),
            ]
        )
        table = SQL.identifier(query.table)
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (%(table)s.commercial_partner_id)
                          %(table)s.commercial_partner_id, %(table)s.id
                     FROM %(from)s
                    WHERE %(where)s
                    ORDER BY %(table)s.commercial_partner_id,
                             %(table)s.invoice_date DESC, %(table)s.id DESC""",
                table=table,
                **{"from": query.from_clause, "where": query.where_clause or SQL("TRUE")},
            )
        )
        return {partner_id: Move.browse(move_id) for partner_id, move_id in rows}

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_sh_log_interaction(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Log Interaction"),
            "res_model": "sh.interaction.quick.log",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_sh_new_task(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Task"),
            "res_model": "sh.customer.task",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_sh_send_message(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Message"),
            "res_model": "sh.communication.send",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self.commercial_partner_id.ids},
        }

    def action_sh_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sh_interactions.sh_customer_interaction_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_sh_open_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sh_interactions.sh_customer_task_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
