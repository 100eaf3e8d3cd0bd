"""Where interactions and loyalty meet: the customer's points, tier and
expiring points in the messages of the communication templates."""

from odoo import models
from odoo.tools.misc import format_date, formatLang


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _sh_message_extra_values(self):
        """The customer's points, tier and the points that expire next, in
        the current company's customers' program."""
        values = super()._sh_message_extra_values()
        for partner in self:
            commercial = partner.commercial_partner_id
            values.setdefault(partner.id, {}).update(
                {
                    "points": formatLang(self.env, commercial.sh_loyalty_points, digits=0),
                    "tier": commercial.sh_loyalty_tier_id.display_name or "",
                    "expiring_points": formatLang(
                        self.env, commercial.sh_loyalty_expiring_points, digits=0
                    ),
                    "expiring_date": format_date(self.env, commercial.sh_loyalty_expiring_date),
                }
            )
        return values
