"""The invoice.overdue webhook event: customer invoices that became overdue,
found once a day."""

from datetime import timedelta

from odoo import api, fields, models

# Where the daily check remembers the last due date it covered.
CHECKED_PARAM = "sh_customers.webhook_overdue_checked_until"


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_sh_webhook_invoice_overdue(self):
        """Send invoice.overdue for the posted customer invoices still owed
        whose due date passed since the last check (yesterday's on the first
        run): each invoice once, the day after it fell due, even after days
        without a check."""
        Delivery = self.env["sh.webhook.delivery"]
        subscriptions = Delivery._sh_webhook_subscriptions("invoice.overdue")
        params = self.env["ir.config_parameter"].sudo()
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        checked = fields.Date.to_date(params.get_param(CHECKED_PARAM) or False)
        if subscriptions and (not checked or checked < yesterday):
            start = checked + timedelta(days=1) if checked else yesterday
            # sudo: the check runs for every company, whatever the cron's user.
            invoices = self.sudo().search(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", ">=", start),
                    ("invoice_date_due", "<=", yesterday),
                ],
                order="invoice_date_due, id",
            )
            Delivery._sh_webhook_emit(
                "invoice.overdue",
                [
                    {
                        "company_id": invoice.company_id.id,
                        "res_model": "account.move",
                        "res_id": invoice.id,
                        "data": invoice._sh_webhook_invoice_data(),
                    }
                    for invoice in invoices
                ],
                subscriptions,
            )
        params.set_param(CHECKED_PARAM, fields.Date.to_string(yesterday))

    def _sh_webhook_invoice_data(self):
        """What a receiver is told of an overdue invoice."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return {
            "id": self.id,
            "number": self.name,
            "customer": {
                "id": customer.id,
                "customer_code": customer.sh_customer_code or None,
                "name": customer.name,
            },
            "invoice_date": fields.Date.to_string(self.invoice_date),
            "due_date": fields.Date.to_string(self.invoice_date_due),
            "currency": self.currency_id.name,
            "amount_total": self.amount_total,
            "amount_residual": self.amount_residual,
        }
