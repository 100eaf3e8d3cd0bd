from odoo import api, fields, models

from ..models.sh_customer_interaction import CHANNELS, DIRECTIONS, NPS_SCORES, OUTCOMES

LOGGED_FIELDS = (
    "partner_id",
    "channel",
    "direction",
    "date",
    "duration",
    "user_id",
    "subject",
    "summary",
    "outcome",
    "nps_score",
    "invoice_id",
    "follow_up_date",
    "follow_up_note",
    "promise_date",
    "promise_amount",
)


class ShInteractionQuickLog(models.TransientModel):
    _name = "sh.interaction.quick.log"
    _description = "Log an Interaction"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, domain="[('parent_id', '=', False)]"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    channel = fields.Selection(CHANNELS, required=True, default="phone")
    direction = fields.Selection(DIRECTIONS, required=True, default="out")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    duration = fields.Float()
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    subject = fields.Char()
    summary = fields.Text()
    outcome = fields.Selection(OUTCOMES)
    nps_score = fields.Selection(NPS_SCORES, string="NPS Score")
    invoice_id = fields.Many2one(
        "account.move",
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), "
        "('state', '=', 'posted'), ('commercial_partner_id', '=', partner_id)]",
    )
    follow_up_date = fields.Date(string="Follow-up On")
    follow_up_note = fields.Char(string="Follow-up")
    promise_date = fields.Date(string="Promised Payment Date")
    promise_amount = fields.Monetary(string="Promised Amount", currency_field="currency_id")
    task_id = fields.Many2one("sh.customer.task")

    @api.onchange("outcome", "promise_date")
    def _onchange_outcome(self):
        if self.outcome == "promised_to_pay" and self.promise_date:
            self.follow_up_date = self.promise_date

    def _interaction_values(self):
        self.ensure_one()
        values = {name: self[name] for name in LOGGED_FIELDS}
        values = self._convert_to_write(values)
        values["company_id"] = self.company_id.id
        return values

    def action_log(self):
        self.ensure_one()
        interaction = self.env["sh.customer.interaction"].create(self._interaction_values())
        if self.task_id and not self.task_id.interaction_id:
            self.task_id.interaction_id = interaction
        return {"type": "ir.actions.act_window_close"}
