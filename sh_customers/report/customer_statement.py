"""The customer statement (PDF): a customer's open receivable items, its
payments of the last 12 months and the aging of its debt by the buckets of
``figures.rules.AGING_BUCKETS``, in company currency."""

from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..figures.periods import period_start
from ..figures.rules import AGING_BUCKETS, DEBT_GROUPS, aging_bucket_key


class ReportCustomerStatement(models.AbstractModel):
    _name = "report.sh_customers.report_customer_statement"
    _description = "Customer Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_groups(DEBT_GROUPS):
            raise AccessError(
                _("Only users who may see receivables can print customer statements.")
            )
        partners = self.env["res.partner"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": self.env.company,
            "statements": self._get_statement_data(partners),
            "aging_buckets": AGING_BUCKETS,
            "aging_fields": [bucket.partner_field for bucket in AGING_BUCKETS],
        }

    @api.model
    def _get_statement_data(self, partners, today=None):
        """The statement of each of ``partners`` in the current company, keyed
        by partner id: its open receivable items, its payments of the last 12
        months and the aging of its debt, in company currency.

        A contact gets the statement of its commercial partner. Open items are
        the posted, unreconciled receivable items of the current company's
        tree, as in ``res.partner.credit``, so that the total equals it.
        """
        today = today or fields.Date.context_today(self)
        currency = self.env.company.currency_id
        customers = partners.commercial_partner_id
        date_from = period_start("12m", today)
        lines_by_customer = self._sh_open_items(customers, today)
        payments_by_customer = self._sh_payments(customers, date_from, today)
        statements = {}
        for customer in customers:
            lines = lines_by_customer[customer.id]
            aging = dict.fromkeys((bucket.key for bucket in AGING_BUCKETS), 0.0)
            for line in lines:
                aging[aging_bucket_key((today - line["date_maturity"]).days)] += line["residual"]
            customer_payments = payments_by_customer[customer.id]
            statements[customer.id] = {
                "date": today,
                "date_from": date_from,
                "currency": currency,
                "lines": lines,
                "payments": customer_payments,
                "payments_total": currency.round(sum(p["amount"] for p in customer_payments)),
                "aging": {key: currency.round(value) for key, value in aging.items()},
                "total": currency.round(sum(line["residual"] for line in lines)),
            }
        return {partner.id: statements[partner.commercial_partner_id.id] for partner in partners}

    @api.model
    def _sh_open_items(self, customers, today):
        """The open receivable items of ``customers`` in the current
        company's tree, by customer id, in date order."""
        open_items = self.env["account.move.line"].search(
            [
                ("partner_id", "in", customers.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("company_id", "child_of", self.env.company.root_id.id),
            ],
            order="date, move_name, id",
        )
        lines_by_customer = defaultdict(list)
        for line in open_items:
            due_date = line.date_maturity or line.date
            lines_by_customer[line.partner_id.id].append(
                {
                    "name": line.move_name,
                    "move_type": line.move_id.move_type,
                    "is_payment": bool(line.move_id.origin_payment_id),
                    "reference": line.move_id.ref or "",
                    "date": line.move_id.invoice_date or line.date,
                    "date_maturity": due_date,
                    "days_overdue": max((today - due_date).days, 0),
                    "amount": line.balance,
                    "residual": line.amount_residual,
                }
            )
        return lines_by_customer

    @api.model
    def _sh_payments(self, customers, date_from, date_to):
        """The payments of ``customers`` (and their contacts) in the current
        company's tree from ``date_from`` to ``date_to``, by customer id, in
        date order."""
        payments = self.env["account.payment"].search(
            [
                ("partner_id", "child_of", customers.ids),
                ("partner_type", "=", "customer"),
                ("state", "in", ("in_process", "paid")),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("company_id", "child_of", self.env.company.root_id.id),
            ],
            order="date, id",
        )
        payments_by_customer = defaultdict(list)
        for payment in payments:
            payments_by_customer[payment.partner_id.commercial_partner_id.id].append(
                {
                    "name": payment.name,
                    "date": payment.date,
                    "journal": payment.journal_id.name,
                    "memo": payment.memo or "",
                    "amount": payment.amount_company_currency_signed,
                }
            )
        return payments_by_customer
