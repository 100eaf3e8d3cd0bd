"""What interactions and tasks share as records about a customer: the
customer and the company they belong to; the customer is always the
company (the commercial partner), even when a contact of it is picked."""

from odoo import api, fields, models


class ShCustomerRecordMixin(models.AbstractModel):
    _name = "sh.customer.record.mixin"
    _description = "Record about a Customer"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        for vals in vals_list:
            if vals.get("partner_id"):
                vals["partner_id"] = commercial[vals["partner_id"]]
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("partner_id"):
            vals["partner_id"] = (
                self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id.id
            )
        return super().write(vals)
