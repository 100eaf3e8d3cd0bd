"""The debt report's follow-up of the customers who owed on the "as of"
date: their last contact and their open promise to pay on that date, read
from the interaction log."""

from odoo import api, models
from odoo.tools import SQL

from odoo.addons.sh_customers.figures.dashboard_context import datetime_bounds

PROMISED = "promised_to_pay"


class ShReportDebt(models.AbstractModel):
    _inherit = "sh.report.debt"

    @api.model
    def _sh_report_sections(self, ctx, data):
        res = super()._sh_report_sections(ctx, data)
        debtors = self._sh_table_rows(data, "debt_customers")
        data["tables"].append(self._sh_debt_follow_up_table(ctx, debtors))
        return res

    @api.model
    def _sh_debt_follow_up_table(self, ctx, debtors):
        """The customers of ``debtors`` (the debt table's rows, largest debt
        first) contacted by the "as of" date, with their last contact and
        open promise to pay."""
        _ = self.env._
        contacts = {
            partner_id: (last_contact, promise_date, promise_amount)
            for partner_id, last_contact, promise_date, promise_amount in self._sh_debt_contacts(
                ctx, [row["_res_id"] for row in debtors]
            )
        }
        rows = []
        for debtor in debtors:
            if debtor["_res_id"] not in contacts:
                continue
            last_contact, promise_date, promise_amount = contacts[debtor["_res_id"]]
            rows.append(
                {
                    "_res_id": debtor["_res_id"],
                    "name": debtor["name"],
                    "debt": debtor["debt"],
                    "overdue": debtor["overdue"],
                    "last_contact": last_contact.isoformat(),
                    "promise_date": promise_date and promise_date.isoformat(),
                    "promise_amount": None
                    if promise_amount is None
                    else self._sh_money(ctx, promise_amount),
                }
            )
        return self._sh_table(
            "debt_follow_up",
            _("Collection Follow-up"),
            [
                ("name", _("Customer"), "text"),
                ("debt", _("Total Debt"), "money"),
                ("overdue", _("Overdue Debt"), "money"),
                ("last_contact", _("Last Contact"), "date"),
                ("promise_date", _("Promised Payment Date"), "date"),
                ("promise_amount", _("Promised Amount"), "money"),
            ],
            rows,
            sequence=20,
            help_text=_(
                "The customers who owed on the date and had been contacted by then, the largest "
                "debt first: the last interaction recorded with them up to the date, and their "
                "open promise to pay, the latest promise whose payment date had not passed."
            ),
            empty=_("No customer who owed on this date had been contacted by then."),
        )

    @api.model
    def _sh_debt_contacts(self, ctx, partner_ids):
        """Per customer of ``partner_ids`` with an interaction up to the
        "as of" date (the end of that day in the user's time zone) that the
        user may read: the day of the last one, and the promised date and
        amount of its open promise to pay, the latest interaction with the
        outcome "Promised to Pay" whose promised date had not passed on the
        "as of" date (None without one). One statement."""
        if not partner_ids:
            return []
        as_of = ctx["as_of"]
        Interaction = self.env["sh.customer.interaction"]
        Interaction.flush_model(
            ["partner_id", "company_id", "date", "outcome", "promise_date", "promise_amount"]
        )
        _start, end = datetime_bounds(self.env, as_of, as_of)
        query = Interaction._search([("partner_id", "in", partner_ids), ("date", "<", end)])
        table = query.table
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        promised = SQL(
            "%s = %s AND %s >= %s",
            SQL.identifier(table, "outcome"),
            PROMISED,
            SQL.identifier(table, "promise_date"),
            as_of,
        )
        latest = SQL("contact.date DESC, contact.id DESC")
        return self.env.execute_query(
            SQL(
                """
                SELECT contact.partner_id,
                       MAX(contact.day),
                       (array_agg(contact.promise_date ORDER BY %(latest)s)
                            FILTER (WHERE contact.promised))[1],
                       (array_agg(contact.promise_amount ORDER BY %(latest)s)
                            FILTER (WHERE contact.promised))[1]
                  FROM (%(contacts)s) contact
                 GROUP BY contact.partner_id
                """,
                latest=latest,
                contacts=query.select(
                    SQL.identifier(table, "id"),
                    SQL.identifier(table, "partner_id"),
                    SQL.identifier(table, "date"),
                    SQL(
                        "(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date AS day",
                        SQL.identifier(table, "date"),
                        tz,
                    ),
                    SQL.identifier(table, "promise_date"),
                    SQL.identifier(table, "promise_amount"),
                    SQL("%s AS promised", promised),
                ),
            )
        )
