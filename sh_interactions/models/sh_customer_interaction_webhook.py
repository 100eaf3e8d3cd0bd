"""The interaction.logged webhook event: every interaction logged with a
customer, whoever logs it (staff, a message sent, the API)."""

from odoo import api, fields, models


class ShCustomerInteraction(models.Model):
    _inherit = "sh.customer.interaction"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._sh_webhook_emit_logged()
        return interactions

    def _sh_webhook_emit_logged(self):
        Delivery = self.env["sh.webhook.delivery"]
        subscriptions = Delivery._sh_webhook_subscriptions("interaction.logged")
        if not subscriptions or not self:
            return
        Delivery._sh_webhook_emit(
            "interaction.logged",
            [
                {
                    "company_id": interaction.company_id.id,
                    "res_model": self._name,
                    "res_id": interaction.id,
                    "data": interaction._sh_webhook_interaction_data(),
                }
                for interaction in self
            ],
            subscriptions,
        )

    def _sh_webhook_interaction_data(self):
        """What a receiver is told of an interaction."""
        self.ensure_one()
        customer = self.partner_id
        return {
            "id": self.id,
            "customer": {
                "id": customer.id,
                "customer_code": customer.sh_customer_code or None,
                "name": customer.name,
            },
            "date": fields.Datetime.to_string(self.date),
            "channel": self.channel,
            "direction": self.direction,
            "outcome": self.outcome or None,
            "subject": self.subject or None,
            "summary": self.summary or None,
            "duration_hours": self.duration,
            "user": {"id": self.user_id.id, "name": self.user_id.name} if self.user_id else None,
        }
