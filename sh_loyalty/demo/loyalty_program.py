"""The hook that builds the demo program's history when demo data loads."""

from odoo import api, models


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sh_generate_demo(self, program_id):
        """The demo program's history (demo/sh_loyalty_demo.xml). The
        generator is imported here, when demo data is loaded, and never
        otherwise."""
        from .generator import generate_demo

        return generate_demo(self.browse(program_id))
