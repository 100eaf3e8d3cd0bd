"""The merge wizard: the group's customers side by side (the preview of
``sh.customer.merge``), the customer kept and, field by field, which
customer's value it keeps."""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from ..models.sh_customer_merge import MERGE_FIELDS


class ShCustomerMergeWizard(models.TransientModel):
    _name = "sh.customer.merge.wizard"
    _description = "Merge Customers"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="The customers to merge into one.",
    )
    survivor_id = fields.Many2one(
        "res.partner",
        string="Customer Kept",
        domain="[('id', 'in', partner_ids)]",
        help="The customer that remains: the others' invoices, payments, points, interactions, "
        "activities and messages move to it, and they are archived.",
    )
    line_ids = fields.One2many(
        "sh.customer.merge.wizard.line",
        "wizard_id",
        string="Values Kept",
        help="For each field, the customer whose value the customer kept takes.",
    )
    preview_html = fields.Html(
        string="Preview", compute="_compute_preview_html", sanitize=False, readonly=True
    )
    blocker = fields.Char(
        compute="_compute_preview_html", help="Why these customers cannot be merged."
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") != "res.partner" or not context.get("active_ids"):
            return res
        partners = self.env["res.partner"].browse(context["active_ids"]).exists()
        survivor = partners.sorted("id")[:1]
        res["partner_ids"] = [Command.set(partners.ids)]
        res["survivor_id"] = survivor.id
        res["line_ids"] = [
            Command.create(
                {"field_name": fname, "source_id": self._first_with(fname, survivor, partners).id}
            )
            for fname in MERGE_FIELDS
        ]
        return res

    @api.model
    def _first_with(self, fname, survivor, partners):
        """The survivor, unless it has no value for ``fname`` and another
        customer of the group has one."""
        if survivor[fname]:
            return survivor
        return next((partner for partner in partners if partner[fname]), survivor)

    @api.depends("partner_ids", "survivor_id")
    def _compute_preview_html(self):
        Merge = self.env["sh.customer.merge"]
        for wizard in self:
            wizard.blocker = False
            wizard.preview_html = False
            survivor = wizard.survivor_id._origin
            partners = wizard.partner_ids._origin
            if not survivor or not partners:
                continue
            try:
                preview = Merge._sh_merge_preview(survivor, partners - survivor)
            except (UserError, AccessError) as error:
                wizard.blocker = error.args[0]
                continue
            wizard.preview_html = self.env["ir.qweb"]._render(
                "sh_customers.sh_customer_merge_preview", wizard._preview_table(preview)
            )

    def _preview_table(self, preview):
        """The preview's values as the table shows them."""
        currency = self.env.company.currency_id

        def shown(value, kind):
            if value is None or value is False:
                return ""
            if kind == "monetary":
                return format_amount(self.env, value, currency)
            return str(value)

        return {
            "customers": preview["customers"],
            "rows": [
                {
                    "label": row["label"],
                    "cells": [
                        shown(customer["values"].get(row["key"]), row["type"])
                        for customer in preview["customers"]
                    ],
                    "total": shown(preview["totals"].get(row["key"]), row["type"]),
                }
                for row in preview["rows"]
            ],
        }

    @api.onchange("survivor_id")
    def _onchange_survivor_id(self):
        """The values follow the customer kept, where it has one."""
        partners = self.partner_ids._origin
        for line in self.line_ids:
            line.source_id = self._first_with(line.field_name, self.survivor_id._origin, partners)

    def action_merge(self):
        self.ensure_one()
        survivor = self.survivor_id
        partners = self.partner_ids
        values = {}
        for line in self.line_ids:
            source = line.source_id
            if not source or source == survivor or source not in partners:
                continue
            field = source._fields[line.field_name]
            value = source[line.field_name]
            if field.type == "many2one":
                value = value.id
            elif field.type == "many2many":
                value = [Command.set(value.ids)]
            values[line.field_name] = value
        self.env["sh.customer.merge"]._sh_merge(survivor, partners - survivor, values)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": survivor.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
