"""The customer list (PDF and XLSX): one data method giving the columns the
user may see, a row per customer with the figures of the current company,
and the totals; the debt's aging columns are those of
``figures.rules.AGING_BUCKETS``."""

from odoo import api, fields, models

from ..figures.rules import AGING_BUCKETS, DEBT_GROUPS

# The columns of the customer list (PDF and XLSX): field name and kind.
# "code" is text that reads left to right whatever the language.
LIST_COLUMNS = (
    ("sh_customer_code", "code"),
    ("name", "char"),
    ("sh_customer_type", "selection"),
    ("phone", "code"),
    ("email", "code"),
    ("sh_lifecycle_status", "selection"),
    ("sh_rfm_segment", "selection"),
    ("sh_invoice_count", "integer"),
    ("sh_net_sales", "money"),
    ("sh_average_order_value", "money"),
    ("sh_last_purchase_date", "date"),
)
# Shown only to users who may see receivables.
DEBT_COLUMNS = (
    ("sh_debt", "money"),
    ("sh_overdue", "money"),
    *((bucket.partner_field, "money") for bucket in AGING_BUCKETS),
)
# The columns of the printed list and their relative widths: what fits a
# landscape page and is read on paper. The spreadsheet keeps every column.
PRINTED_WIDTHS = {
    "sh_customer_code": 8,
    "name": 18,
    "sh_customer_type": 8,
    "phone": 10,
    "sh_lifecycle_status": 7,
    "sh_rfm_segment": 9,
    "sh_invoice_count": 6,
    "sh_net_sales": 11,
    "sh_last_purchase_date": 8,
    "sh_debt": 11,
    "sh_overdue": 11,
}


class ReportCustomerList(models.AbstractModel):
    _name = "report.sh_customers.report_customer_list"
    _description = "Customer List"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        values = self._get_list_data(partners, printed=True)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            **values,
        }

    @api.model
    def _get_list_data(self, partners, printed=False):
        """The customer list of ``partners`` with the figures of the current
        company: the columns the user may see (label, kind, and for the
        ``printed`` list only its columns with their width in percent), one
        row per partner (plain values, selections as their labels) and the
        totals of the numeric columns."""
        columns = list(LIST_COLUMNS)
        if self.env.user.has_groups(DEBT_GROUPS):
            columns += DEBT_COLUMNS
        if printed:
            columns = [column for column in columns if column[0] in PRINTED_WIDTHS]
        widths_total = sum(PRINTED_WIDTHS.get(name, 0) for name, _kind in columns)
        names = [name for name, _kind in columns]
        descriptions = partners.fields_get(names, ["string", "selection"])
        rows = partners.read([*names, "mobile"])
        for row in rows:
            mobile = row.pop("mobile")
            row["phone"] = row["phone"] or mobile or ""
            for name, kind in columns:
                if kind == "selection":
                    row[name] = dict(descriptions[name]["selection"]).get(row[name], "")
        currency = self.env.company.currency_id
        totals = {}
        for name, kind in columns:
            if kind in ("integer", "money"):
                totals[name] = sum(row[name] for row in rows)
                if kind == "money":
                    totals[name] = currency.round(totals[name])
        if "sh_average_order_value" in totals:
            invoices = totals["sh_invoice_count"]
            totals["sh_average_order_value"] = (
                currency.round(totals["sh_net_sales"] / invoices) if invoices else 0.0
            )
        return {
            "columns": [
                {
                    "name": name,
                    "kind": kind,
                    "label": descriptions[name]["string"],
                    "width": round(100.0 * PRINTED_WIDTHS[name] / widths_total, 2)
                    if printed
                    else None,
                }
                for name, kind in columns
            ],
            "rows": rows,
            "totals": totals,
            "currency": currency,
            "company": self.env.company,
            "date": fields.Date.context_today(self),
        }
