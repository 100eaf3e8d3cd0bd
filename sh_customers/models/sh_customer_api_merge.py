"""The merge route of the customers API: ``POST /api/customers/merge/``
merges customers into one (Customers managers), or with ``dry_run`` answers
the merge's preview without changing anything."""

from odoo import api, models

from ..api.errors import ApiError
from ..api.openapi import BOOLEAN, FREE_OBJECT, INTEGER, STRING, enum, obj
from ..api.routes import Route

MAX_SOURCES = 50
ROW_TYPES = ("count", "monetary", "number", "text")


class ShCustomerApi(models.AbstractModel):
    _inherit = "sh.customer.api"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _sh_api_routes(self):
        return [
            *super()._sh_api_routes(),
            Route(
                "POST",
                "/api/customers/merge/",
                "_sh_api_merge",
                summary="Merge duplicate customers into one (Customers managers); with dry_run, "
                "the preview of the merge, nothing changed",
                answer="CustomerMerge",
                body={
                    "target_id": {
                        "type": "int",
                        "required": True,
                        "min": 1,
                        "description": "The customer kept.",
                    },
                    "source_ids": {
                        "type": "int_list",
                        "required": True,
                        "min_items": 1,
                        "max_items": MAX_SOURCES,
                        "item": {"type": "int", "min": 1},
                        "description": "The customers merged into the one kept, then archived.",
                    },
                    "dry_run": {
                        "type": "bool",
                        "default": False,
                        "description": "Answer the preview only.",
                    },
                },
            ),
        ]

    @api.model
    def _sh_api_openapi_schemas(self):
        schemas = super()._sh_api_openapi_schemas()
        row = obj({"key": STRING, "label": STRING, "type": enum(ROW_TYPES)})
        customer = obj(
            {
                "id": INTEGER,
                "name": STRING,
                "survivor": BOOLEAN,
                "values": {
                    **FREE_OBJECT,
                    "description": "The customer's value of each row, by the row's key.",
                },
            }
        )
        schemas["CustomerMerge"] = obj(
            {
                "dry_run": BOOLEAN,
                "target_id": INTEGER,
                "source_ids": {"type": "array", "items": INTEGER},
                "rows": {"type": "array", "items": row},
                "customers": {
                    "type": "array",
                    "items": customer,
                    "description": "Before the merge, the customer kept first.",
                },
                "totals": {
                    **FREE_OBJECT,
                    "description": "The counts and amounts the customer kept has after the "
                    "merge, by row key.",
                },
            }
        )
        return schemas

    @api.model
    def _sh_api_merge(self, values):
        """``POST /api/customers/merge/``: customers the user does not see
        in the current company are not found (404); the merge's refusals
        are invalid requests (422), a user who may not merge is refused
        (403)."""
        Merge = self.env["sh.customer.merge"]
        Merge._sh_merge_check_user()
        ids = [values["target_id"], *values["source_ids"]]
        found = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("id", "in", ids), ("parent_id", "=", False)])
        )
        missing = [str(partner_id) for partner_id in ids if partner_id not in found.ids]
        if missing:
            raise ApiError(404, self.env._("No customer %(id)s.", id=", ".join(missing)))
        survivor = found.browse(values["target_id"])
        sources = found.browse(values["source_ids"])
        preview = Merge._sh_merge_preview(survivor, sources)
        if not values["dry_run"]:
            Merge._sh_merge(survivor, sources)
        return {
            "dry_run": values["dry_run"],
            "target_id": survivor.id,
            "source_ids": sources.ids,
            **preview,
        }
