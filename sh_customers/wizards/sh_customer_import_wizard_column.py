from odoo import api, fields, models

from ..models.sh_customer_import import IMPORT_FIELDS


class ShCustomerImportWizardColumn(models.TransientModel):
    _name = "sh.customer.import.wizard.column"
    _description = "Customer Import Column"
    _order = "sequence"

    wizard_id = fields.Many2one(
        "sh.customer.import.wizard", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(help="The column's position in the file, from 0.")
    header = fields.Char(string="File Column", readonly=True, help="The column's header.")
    sample = fields.Char(
        string="Example", readonly=True, help="The first value of the column in the file."
    )
    field_name = fields.Selection(
        selection="_selection_field_name",
        string="Import As",
        help="What the column holds; columns left empty are not imported.",
    )

    @api.model
    def _selection_field_name(self):
        labels = self.env["sh.customer.import"]._sh_import_labels()
        return [(fname, labels[fname]) for fname in IMPORT_FIELDS]
