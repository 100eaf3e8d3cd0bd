"""The hook that builds the demo interactions and tasks when demo data
loads."""

from odoo import api, models


class ShCustomerInteraction(models.Model):
    _inherit = "sh.customer.interaction"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sh_generate_demo(self):
        """Interactions and tasks of the demo customers
        (demo/sh_interactions_demo.xml). The generator is imported here,
        when demo data is loaded, and never otherwise."""
        from .generator import generate_demo

        return generate_demo(self.env)
