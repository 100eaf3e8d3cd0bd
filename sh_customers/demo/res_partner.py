"""The hook that builds the demo customers and their documents when demo
data loads."""

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sh_generate_demo(self):
        """The addon's demo data (demo/sh_customers_demo.xml). The generator
        is imported here, when demo data is loaded, and never otherwise."""
        from .generator import generate_demo

        return generate_demo(self.env)
