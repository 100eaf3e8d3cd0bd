"""The records an addon takes back when it is installed again (see
tools/uninstall.py) stay as users left them."""

from odoo import api, models

from ..tools.uninstall import KEEPING_ADDONS


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _load_records(self, data_list, update=False, ignore_duplicates=False):
        """While one of our addons is installed (not updated), a record of
        its own external id that already exists is one it kept in use when
        it was uninstalled and took back since: its data does not write over
        what users made of it (a program's rewards, a product's price)."""
        module = self.env.context.get("install_module")
        if (
            not update
            and module in KEEPING_ADDONS
            and all((data.get("xml_id") or "").startswith(f"{module}.") for data in data_list)
        ):
            self = self.with_context(sh_taken_back=True)  # noqa: PLW0642
        return super()._load_records(data_list, update, ignore_duplicates)

    def _load_records_write(self, values):
        if self.env.context.get("sh_taken_back"):
            return
        return super()._load_records_write(values)
