"""The column mapping of each file layout the customer import has read,
so that the next file with the same columns is mapped the same way."""

from odoo import api, fields, models


class ShCustomerImportLayout(models.Model):
    _name = "sh.customer.import.layout"
    _description = "Customer Import Layout"

    name = fields.Char(
        string="Columns",
        required=True,
        index=True,
        help="The file's column headers, in lower case, sorted and one a line: a file with "
        "the same headers has the same layout.",
    )
    mapping = fields.Json(
        help="The import column chosen for each header of the file, the header in lower case "
        "({header: field name}).",
    )

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "A file layout is remembered once."),
    ]

    @api.model
    def _sh_layout_key(self, headers):
        return "\n".join(sorted(header.strip().casefold() for header in headers))

    @api.model
    def _sh_get_mapping(self, headers):
        """The remembered ``{header: field name}`` of the layout of
        ``headers`` (whatever their order and case), or None."""
        layout = self.search([("name", "=", self._sh_layout_key(headers))], limit=1)
        if not layout:
            return None
        mapping = layout.mapping or {}
        return {
            header: mapping[header.strip().casefold()]
            for header in headers
            if header.strip().casefold() in mapping
        }

    @api.model
    def _sh_remember(self, headers, mapping):
        """Remember ``mapping`` (``{header: field name}``) for the layout of
        ``headers``."""
        key = self._sh_layout_key(headers)
        mapping = {header.strip().casefold(): fname for header, fname in mapping.items()}
        layout = self.search([("name", "=", key)], limit=1)
        if layout:
            layout.mapping = mapping
        else:
            self.create({"name": key, "mapping": mapping})
