"""A field of the merge wizard: which customer of the group the customer
kept takes its value from."""

from odoo import api, fields, models

from ..models.sh_customer_merge import MERGE_FIELDS


class ShCustomerMergeWizardLine(models.TransientModel):
    _name = "sh.customer.merge.wizard.line"
    _description = "Merge Customers: Value Kept"

    wizard_id = fields.Many2one(
        "sh.customer.merge.wizard", string="Merge", required=True, ondelete="cascade"
    )
    field_name = fields.Selection(
        selection="_selection_field_name", string="Field", required=True, readonly=True
    )
    source_id = fields.Many2one(
        "res.partner",
        string="Value Of",
        help="The customer whose value the customer kept takes.",
    )
    value = fields.Char(compute="_compute_value", help="The value the customer kept takes.")

    @api.model
    def _selection_field_name(self):
        Partner = self.env["res.partner"]
        return [
            (fname, Partner._fields[fname].get_description(self.env)["string"])
            for fname in MERGE_FIELDS
        ]

    @api.depends("field_name", "source_id")
    def _compute_value(self):
        for line in self:
            source = line.source_id._origin
            if not source or not line.field_name:
                line.value = False
                continue
            field = source._fields[line.field_name]
            value = source[line.field_name]
            if field.type in ("many2one", "many2many"):
                line.value = ", ".join(value.mapped("display_name"))
            elif field.type == "selection":
                line.value = dict(field._description_selection(self.env)).get(value) or ""
            else:
                line.value = value or ""
