"""The customers list's KPI cards: their figures for the list's search,
computed in the database from the customers' narrow rows and sales history."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .res_partner import DEBT_GROUPS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def sh_get_customer_kpis(self, domain=None, period="12m", date_from=None, date_to=None):
        """The customer list's KPI cards for the customers matching ``domain``
        (the list's active search), in the current company. The sales cards
        cover ``period`` up to today, or with ``period`` "custom" the days
        from ``date_from`` to ``date_to`` (a list opened from the dashboard
        shows the dashboard's period)."""
        today = fields.Date.context_today(self)
        date_from, date_to = self._sh_kpi_period(period, today, date_from, date_to)
        month_start = today.replace(day=1)
        self._sh_flush_for_stats()
        query = self._search(domain or [])
        show_debt = self.env.user.has_groups(DEBT_GROUPS)
        partner = query.table
        company = self.env.company
        Figure = self.env["sh.customer.figure"]
        figure = Figure._sh_join(query, partner, company)

        def value(column):
            return Figure._sh_column(figure, column)

        hidden = SQL("NULL::float8")
        own = SQL(
            "%s = %s",
            SQL.identifier(partner, "id"),
            SQL.identifier(partner, "commercial_partner_id"),
        )

        def positions(alias):
            return (
                Figure._sh_position(alias, SQL("(%s::date - 1)", date_from)),
                Figure._sh_position(alias, date_to),
            )

        def period_sales(alias):
            return Figure._sh_sales_between(alias, *positions(alias))

        def period_invoices(alias):
            return Figure._sh_invoices_between(alias, *positions(alias))

        # One pass over the matching customers: the counts, the sums and,
        # from their sales history, their sales in the period.
        [(customers, active, new, at_risk, debt, overdue, net_sales, invoices, companies)] = (
            self.env.execute_query(
                SQL(
                    """
                    SELECT COUNT(*),
                           COUNT(*) FILTER (WHERE status = 'active'),
                           COUNT(*) FILTER (WHERE first_purchase >= %(month_start)s),
                           COUNT(*) FILTER (WHERE status = 'at_risk'),
                           SUM(debt), SUM(overdue),
                           COALESCE(SUM(net_sales) FILTER (WHERE own), 0),
                           COALESCE(SUM(invoices) FILTER (WHERE own), 0),
                           ARRAY_AGG(DISTINCT commercial_partner_id) FILTER (WHERE NOT own)
                      FROM (%(customers)s) customer
                    """,
                    customers=query.select(
                        SQL.identifier(partner, "commercial_partner_id"),
                        SQL("%s AS own", own),
                        SQL("%s AS status", value("lifecycle_status")),
                        SQL("%s AS first_purchase", value("first_purchase_date")),
                        SQL("%s AS debt", value("debt") if show_debt else hidden),
                        SQL("%s AS overdue", value("overdue") if show_debt else hidden),
                        SQL("%s AS net_sales", period_sales(figure)),
                        SQL("%s AS invoices", period_invoices(figure)),
                    ),
                    month_start=month_start,
                )
            )
        )
        if companies:
            # A contact that matches brings its company's sales, once, unless
            # the company matches too.
            [(company_sales, company_invoices)] = self.env.execute_query(
                SQL(
                    """
                    SELECT COALESCE(SUM(%(sales)s), 0), COALESCE(SUM(%(invoices)s), 0)
                      FROM sh_customer_figure company_figure
                     WHERE company_figure.partner_id = ANY(%(companies)s)
                       AND company_figure.company_id = %(company_id)s
                       AND company_figure.partner_id NOT IN (
                           SELECT id FROM (%(matching)s) matching WHERE own)
                    """,
                    sales=period_sales("company_figure"),
                    invoices=period_invoices("company_figure"),
                    companies=companies,
                    company_id=company.id,
                    matching=query.select(SQL.identifier(partner, "id"), SQL("%s AS own", own)),
                )
            )
            net_sales += company_sales
            invoices += company_invoices
        currency = company.currency_id
        return {
            "currency_id": currency.id,
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            "customers": customers,
            "active": active,
            "new_this_month": new,
            "at_risk": at_risk,
            "show_debt": show_debt,
            "debt": currency.round(debt or 0.0) if show_debt else None,
            "overdue": currency.round(overdue or 0.0) if show_debt else None,
            "net_sales": currency.round(net_sales),
            "average_order_value": currency.round(net_sales / invoices) if invoices else 0.0,
        }

    @api.model
    def _sh_kpi_period(self, period, today, date_from=None, date_to=None):
        """First and last day of the KPI cards' sales period."""
        if period != "custom":
            return self._sh_period_start(period, today), today
        Dashboard = self.env["sh.customer.dashboard"]
        start = Dashboard._sh_parse_date(date_from, "date_from")
        end = Dashboard._sh_parse_date(date_to, "date_to")
        if start > end:
            raise UserError(
                _(
                    "The period starts (%(start)s) after it ends (%(end)s).",
                    start=fields.Date.to_string(start),
                    end=fields.Date.to_string(end),
                )
            )
        return start, end

    @api.model
    def _sh_period_start(self, period, today):
        if period == "month":
            return today.replace(day=1)
        if period == "quarter":
            return today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
        if period == "year":
            return today.replace(day=1, month=1)
        return today - relativedelta(months=12) + timedelta(days=1)
