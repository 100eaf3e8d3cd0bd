"""The interaction log: calls, visits and messages with a customer, their
outcome, NPS answer and promise to pay, and the follow-up tasks they ask
for."""

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from .sh_customer_task import OPEN_STATES

CHANNELS = [
    ("phone", "Phone Call"),
    ("visit", "Visit"),
    ("whatsapp", "WhatsApp"),
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("meeting", "Meeting"),
]

DIRECTIONS = [("out", "Outgoing"), ("in", "Incoming")]

OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("promised_to_pay", "Promised to Pay"),
    ("complaint", "Complaint"),
    ("order_taken", "Order Taken"),
    ("message_sent", "Message Sent"),
    ("other", "Other"),
]

NPS_SCORES = [(str(score), str(score)) for score in range(11)]

NPS_CATEGORIES = [
    ("promoter", "Promoter (9-10)"),
    ("passive", "Passive (7-8)"),
    ("detractor", "Detractor (0-6)"),
]


class ShCustomerInteraction(models.Model):
    _name = "sh.customer.interaction"
    _description = "Customer Interaction"
    _inherit = ["mail.thread", "sh.customer.record.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    currency_id = fields.Many2one(related="company_id.currency_id")
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    direction = fields.Selection(DIRECTIONS, required=True, default="out", tracking=True)
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now, tracking=True)
    duration = fields.Float(help="Duration of the contact, in hours.")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    subject = fields.Char()
    summary = fields.Text()
    outcome = fields.Selection(OUTCOMES, tracking=True)
    nps_score = fields.Selection(
        NPS_SCORES,
        string="NPS Score",
        help="Answer of the customer to 'How likely are you to recommend us?', from 0 to 10. "
        "Leave empty when the customer was not asked or did not answer.",
    )
    nps_category = fields.Selection(
        NPS_CATEGORIES,
        string="NPS Category",
        compute="_compute_nps_category",
        store=True,
    )
    invoice_id = fields.Many2one(
        "account.move",
        check_company=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), "
        "('state', '=', 'posted'), ('commercial_partner_id', '=', partner_id)]",
    )
    follow_up_date = fields.Date(
        string="Follow-up On",
        help="A follow-up task is created for the salesperson on this date.",
    )
    follow_up_note = fields.Char(string="Follow-up")
    promise_date = fields.Date(
        string="Promised Payment Date",
        help="A follow-up task is created for the salesperson on this date.",
    )
    promise_amount = fields.Monetary(string="Promised Amount", currency_field="currency_id")
    task_ids = fields.One2many("sh.customer.task", "interaction_id", string="Tasks")

    @api.depends("nps_score")
    def _compute_nps_category(self):
        for interaction in self:
            score = interaction.nps_score and int(interaction.nps_score)
            if not interaction.nps_score:
                interaction.nps_category = False
            elif score >= 9:
                interaction.nps_category = "promoter"
            elif score >= 7:
                interaction.nps_category = "passive"
            else:
                interaction.nps_category = "detractor"

    @api.depends("subject", "channel", "partner_id")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for interaction in self:
            interaction.display_name = interaction.subject or _(
                "%(channel)s with %(customer)s",
                channel=channels.get(interaction.channel, ""),
                customer=interaction.partner_id.name or "",
            )

    @api.constrains("outcome", "promise_date")
    def _check_promise_date(self):
        for interaction in self:
            if interaction.outcome == "promised_to_pay" and not interaction.promise_date:
                raise ValidationError(_("Enter the date the customer promised to pay by."))

    @api.constrains("duration")
    def _check_duration(self):
        if any(interaction.duration < 0 for interaction in self):
            raise ValidationError(_("The duration of an interaction cannot be negative."))

    @api.constrains("invoice_id", "partner_id")
    def _check_invoice_id(self):
        for interaction in self:
            invoice = interaction.invoice_id
            if invoice and invoice.commercial_partner_id != interaction.partner_id:
                raise ValidationError(
                    _(
                        "Invoice %(invoice)s is not an invoice of %(customer)s.",
                        invoice=invoice.display_name,
                        customer=interaction.partner_id.display_name,
                    )
                )

    @api.onchange("outcome", "promise_date")
    def _onchange_outcome(self):
        if self.outcome == "promised_to_pay" and self.promise_date:
            self.follow_up_date = self.promise_date

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._create_follow_up_tasks()
        if not self.env.context.get("sh_interaction_no_note"):
            interactions._post_partner_notes()
        interactions.partner_id._sh_refresh_interaction_stats()
        return interactions

    def write(self, vals):
        partners = self.partner_id
        res = super().write(vals)
        if {"outcome", "promise_date", "promise_amount", "follow_up_date"} & set(vals):
            self._sync_follow_up_tasks()
        if {"partner_id", "company_id", "date", "nps_score"} & set(vals):
            (partners | self.partner_id)._sh_refresh_interaction_stats()
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        partners._sh_refresh_interaction_stats()
        return res

    def _follow_up_task_values(self):
        """Values of the follow-up task of each interaction that asks for one:
        a promise to pay is followed up on the promised date, any other
        interaction on its follow-up date."""
        vals_list = []
        for interaction in self:
            if interaction.outcome == "promised_to_pay" and interaction.promise_date:
                deadline = interaction.promise_date
                if interaction.promise_amount:
                    name = _(
                        "Check the payment of %(amount)s promised by %(customer)s",
                        amount=interaction._format_amount(interaction.promise_amount),
                        customer=interaction.partner_id.name,
                    )
                else:
                    name = _(
                        "Check the payment promised by %(customer)s",
                        customer=interaction.partner_id.name,
                    )
            elif interaction.follow_up_date:
                deadline = interaction.follow_up_date
                name = interaction.follow_up_note or _(
                    "Follow up with %(customer)s", customer=interaction.partner_id.name
                )
            else:
                continue
            vals_list.append(
                {
                    "name": name,
                    "partner_id": interaction.partner_id.id,
                    "company_id": interaction.company_id.id,
                    "user_id": interaction.user_id.id,
                    "date_deadline": deadline,
                    "interaction_id": interaction.id,
                    "description": interaction.follow_up_note or interaction.summary or False,
                }
            )
        return vals_list

    def _create_follow_up_tasks(self):
        vals_list = self._follow_up_task_values()
        return self.env["sh.customer.task"].create(vals_list)

    def _sync_follow_up_tasks(self):
        """After an edit: an interaction that now asks for a follow-up gets
        its task, and an open follow-up task moves to the new date and
        title (a promise to pay recorded or moved later)."""
        open_tasks = self.env["sh.customer.task"].search(
            [("interaction_id", "in", self.ids), ("state", "in", OPEN_STATES)]
        )
        task_by_interaction = {task.interaction_id.id: task for task in open_tasks}
        to_create = []
        for vals in self._follow_up_task_values():
            task = task_by_interaction.get(vals["interaction_id"])
            if task:
                task.write({"name": vals["name"], "date_deadline": vals["date_deadline"]})
            else:
                to_create.append(vals)
        return self.env["sh.customer.task"].create(to_create)

    def _format_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _post_partner_notes(self):
        """Show each logged interaction in the customer's chatter, the
        customer's timeline."""
        channels = dict(self._fields["channel"]._description_selection(self.env))
        outcomes = dict(self._fields["outcome"]._description_selection(self.env))
        for interaction in self:
            body = Markup("<p><strong>%s</strong>%s</p>%s") % (
                channels[interaction.channel],
                (
                    Markup(" &ndash; %s") % outcomes[interaction.outcome]
                    if interaction.outcome
                    else ""
                ),
                Markup("<p>%s</p>") % (interaction.subject or interaction.summary or "")
                if interaction.subject or interaction.summary
                else "",
            )
            # Users who may log interactions are not all allowed to edit the
            # customer itself; the note only mirrors the interaction they logged.
            interaction.partner_id.sudo().message_post(
                body=body,
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
