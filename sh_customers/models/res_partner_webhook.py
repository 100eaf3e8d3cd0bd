"""The customers' webhook events: customer.created when a customer is
created (or a partner becomes one with its first invoice), customer.updated
when what other systems know of a customer changes."""

from odoo import api, fields, models

from ..figures.dashboard_domains import CUSTOMER_DOMAIN

# The fields whose change is sent as customer.updated.
WEBHOOK_FIELDS = (
    "name",
    "sh_customer_code",
    "sh_customer_type",
    "is_company",
    "email",
    "phone",
    "mobile",
    "vat",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "lang",
    "credit_limit",
    "active",
    "customer_rank",
    "parent_id",
)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._sh_webhook_emit_customers("customer.created")
        return partners

    def write(self, vals):
        changed = [fname for fname in WEBHOOK_FIELDS if fname in vals]
        # What makes a partner one of the customers (CUSTOMER_DOMAIN).
        status_changed = bool({"customer_rank", "is_company", "parent_id"} & set(vals))
        Delivery = self.env["sh.webhook.delivery"]
        updated = Delivery._sh_webhook_subscriptions("customer.updated") if changed else None
        created = Delivery._sh_webhook_subscriptions("customer.created") if status_changed else None
        if not updated and not created:
            return super().write(vals)
        # Those who were customers before the change are updated (or
        # archived); those it makes customers are announced as created.
        before = self._sh_webhook_customers()
        res = super().write(vals)
        if updated:
            before._sh_webhook_emit_customers("customer.updated", changed, updated)
        if created:
            (self - before)._sh_webhook_emit_customers("customer.created", subscriptions=created)
        return res

    def _increase_rank(self, field, n=1):
        """A partner that gets its first invoice becomes a customer."""
        newcomers = (
            self.filtered(lambda partner: not partner.customer_rank)
            if field == "customer_rank"
            else self.browse()
        )
        res = super()._increase_rank(field, n)
        newcomers._sh_webhook_emit_customers("customer.created")
        return res

    def _sh_webhook_customers(self):
        """The partners of ``self`` that the Customers app lists."""
        return self.filtered_domain(CUSTOMER_DOMAIN)

    def _sh_webhook_emit_customers(self, event_code, changed=None, subscriptions=None):
        Delivery = self.env["sh.webhook.delivery"]
        if subscriptions is None:
            subscriptions = Delivery._sh_webhook_subscriptions(event_code)
        if not subscriptions or not self:
            return
        customers = self._sh_webhook_customers()
        Delivery._sh_webhook_emit(
            event_code,
            [
                {
                    "company_id": customer.company_id.id,
                    "res_model": "res.partner",
                    "res_id": customer.id,
                    "data": customer._sh_webhook_customer_data(changed),
                }
                for customer in customers
            ],
            subscriptions,
        )

    def _sh_webhook_customer_data(self, changed=None):
        """What a receiver is told of a customer."""
        self.ensure_one()
        data = {
            "id": self.id,
            "customer_code": self.sh_customer_code or None,
            "name": self.name,
            "is_company": self.is_company,
            "customer_type": self.sh_customer_type or None,
            "email": self.email or None,
            "phone": self.phone or None,
            "mobile": self.mobile or None,
            "vat": self.vat or None,
            "street": self.street or None,
            "street2": self.street2 or None,
            "city": self.city or None,
            "zip": self.zip or None,
            "state": self.state_id.name or None,
            "country_code": self.country_id.code or None,
            "lang": self.lang or None,
            "credit_limit": self.credit_limit,
            "active": self.active,
            "write_date": fields.Datetime.to_string(self.write_date),
        }
        if changed is not None:
            data["changed_fields"] = changed
        return data
