"""The merge of customers and their interaction log: the preview shows each
customer's interactions and open tasks (Odoo's partner merge moves them,
with the tasks' activities, to the customer kept), and the kept
customer's last contact, recent contacts and NPS are computed again."""

from odoo import api, models

from .sh_customer_task import OPEN_STATES


class ShCustomerMerge(models.AbstractModel):
    _inherit = "sh.customer.merge"

    @api.model
    def _sh_merge_preview_rows(self):
        rows = super()._sh_merge_preview_rows()
        return rows + [
            {"key": "interactions", "label": self.env._("Interactions"), "type": "count"},
            {"key": "open_tasks", "label": self.env._("Open Tasks"), "type": "count"},
        ]

    @api.model
    def _sh_merge_preview_values(self, partners):
        values = super()._sh_merge_preview_values(partners)
        company_ids = self.env.companies.ids
        for model, key, domain in (
            ("sh.customer.interaction", "interactions", []),
            ("sh.customer.task", "open_tasks", [("state", "in", OPEN_STATES)]),
        ):
            for partner_values in values.values():
                partner_values[key] = 0
            # sudo: counts of the records the merge moves, whoever merges
            for partner, number in (
                self.env[model]
                .sudo()
                ._read_group(
                    [("partner_id", "in", partners.ids), ("company_id", "in", company_ids)]
                    + domain,
                    ["partner_id"],
                    ["__count"],
                )
            ):
                values[partner.id][key] = number
        return values

    @api.model
    def _sh_merge_refresh(self, survivor, sources):
        res = super()._sh_merge_refresh(survivor, sources)
        (survivor | sources)._sh_refresh_interaction_stats()
        return res
