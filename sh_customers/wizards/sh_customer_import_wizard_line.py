from odoo import fields, models

OUTCOMES = [
    ("created", "Created"),
    ("updated", "Updated"),
    ("skipped", "Skipped"),
    ("rejected", "Rejected"),
]


class ShCustomerImportWizardLine(models.TransientModel):
    _name = "sh.customer.import.wizard.line"
    _description = "Customer Import Row"
    _order = "row"

    wizard_id = fields.Many2one(
        "sh.customer.import.wizard", required=True, ondelete="cascade", index=True
    )
    row = fields.Integer(readonly=True, help="The row's line in the file (the headers are line 1).")
    name = fields.Char(readonly=True, help="The name the row gives.")
    outcome = fields.Selection(
        OUTCOMES,
        readonly=True,
        help="Created: a new customer. Updated: the existing customer it matches takes its "
        "values. Skipped: it matches an existing customer, which is left as it is. Rejected: "
        "see the reasons.",
    )
    reasons = fields.Text(readonly=True, help="Why the row is rejected.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        help="The customer matched (or, after the import, created).",
    )
