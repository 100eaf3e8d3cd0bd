"""The customers list's KPI cards: their figures for the list's search,
computed in the database from the customers' narrow rows and sales history,
and the cards described from them (label, value, help, the filter a click
applies), which other addons extend with ``_sh_kpi_figures`` and
``_sh_kpi_cards``."""

from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..figures import totals
from ..figures.periods import (
    CUSTOM,
    DEFAULT_PERIOD,
    period_choices,
    period_label,
    resolve_period,
)
from ..figures.refresh import first_refresh_notice
from ..figures.rules import DEBT_GROUPS


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    @api.readonly
    def sh_get_customer_kpis(
        self, domain=None, period=DEFAULT_PERIOD, date_from=None, date_to=None
    ):
        """The customer list's KPI cards for the customers matching ``domain``
        (the list's active search), in the current company: their figures
        and, in ``cards``, the cards that show them, in their order. The
        sales cards cover the named ``period`` up to today, or with dates
        the days from ``date_from`` to ``date_to`` (a list opened from the
        dashboard shows the dashboard's period; a named period ignores the
        dates the dashboard gives with it)."""
        today = fields.Date.context_today(self)
        if period != CUSTOM:
            date_from = date_to = None
        period, date_from, date_to = resolve_period(self.env, today, period, date_from, date_to)
        currency = self.env.company.currency_id
        kpis = {
            "currency_id": currency.id,
            "period": period,
            "period_label": period_label(self.env, period, date_from, date_to),
            "periods": [
                {"value": value, "label": label} for value, label in period_choices(self.env)
            ],
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
            **self._sh_kpi_figures(domain or [], date_from, date_to),
            # While the first refresh after installation runs, what the
            # cards say above them: their figures are not complete yet.
            "first_refresh": first_refresh_notice(self.env),
        }
        if period == CUSTOM:
            kpis["periods"].append({"value": CUSTOM, "label": kpis["period_label"]})
        kpis["cards"] = sorted(self._sh_kpi_cards(kpis), key=lambda card: card["sequence"])
        return kpis

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    @api.model
    def _sh_kpi_figures(self, domain, date_from, date_to):
        """The figures of the cards for the customers matching ``domain``:
        counts and debt as they stand today, sales from ``date_from`` to
        ``date_to``. Another addon adds its figures by extending this.

        The Customers app's own list, unfiltered, reads the companies'
        totals (``figures.totals``), which PostgreSQL keeps up to date:
        a few rows, however many customers there are; a search or a
        filter reads the matching customers' rows."""
        self._sh_flush_for_stats()
        if totals.lists_every_customer(self.env, domain):
            return self._sh_kpi_totals(date_from, date_to)
        today = fields.Date.context_today(self)
        query = self._search(domain)
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
        sales, invoices = self._sh_kpi_sales(figure, date_from, date_to)
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
                        SQL("%s AS net_sales", sales),
                        SQL("%s AS invoices", invoices),
                    ),
                    month_start=today.replace(day=1),
                )
            )
        )
        if companies:
            company_sales, company_invoices = self._sh_kpi_company_sales(
                query, own, companies, date_from, date_to
            )
            net_sales += company_sales
            invoices += company_invoices
        currency = company.currency_id
        return {
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
    def _sh_kpi_totals(self, date_from, date_to):
        """The figures of the cards for every customer of the list, from
        the company's totals: the same figures as the pass over the
        customers' rows, from a few rows."""
        company = self.env.company
        currency = company.currency_id
        show_debt = self.env.user.has_groups(DEBT_GROUPS)
        rows = totals.customer_totals(self.env, company)

        def count(status):
            return sum(row["customers"] for row in rows if row["lifecycle_status"] == status)

        month_start = fields.Date.context_today(self).replace(day=1)
        new = totals.day_sums(self.env, company, date_from=month_start)["first_buyers"]
        period = totals.day_sums(self.env, company, date_from, date_to)
        net_sales, invoices = period["sales"], period["invoices"]
        debt = sum(row["debt"] for row in rows)
        overdue = sum(row["overdue"] for row in rows)
        return {
            "customers": sum(row["customers"] for row in rows),
            "active": count("active"),
            "new_this_month": new,
            "at_risk": count("at_risk"),
            "show_debt": show_debt,
            "debt": currency.round(debt) if show_debt else None,
            "overdue": currency.round(overdue) if show_debt else None,
            "net_sales": currency.round(net_sales),
            "average_order_value": currency.round(net_sales / invoices) if invoices else 0.0,
        }

    @api.model
    def _sh_kpi_sales(self, alias, date_from, date_to):
        """Net sales and invoice count from ``date_from`` to ``date_to`` of
        the customer whose narrow row is ``alias``, from its sales history."""
        Figure = self.env["sh.customer.figure"]
        positions = (
            Figure._sh_position(alias, SQL("(%s::date - 1)", date_from)),
            Figure._sh_position(alias, date_to),
        )
        return (
            Figure._sh_sales_between(alias, *positions),
            Figure._sh_invoices_between(alias, *positions),
        )

    @api.model
    def _sh_kpi_company_sales(self, query, own, companies, date_from, date_to):
        """Sales of the ``companies`` whose contacts match ``query``: a
        contact brings its company's sales, once, unless the company
        matches too."""
        sales, invoices = self._sh_kpi_sales("company_figure", date_from, date_to)
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
                sales=sales,
                invoices=invoices,
                companies=companies,
                company_id=self.env.company.id,
                matching=query.select(SQL.identifier(query.table, "id"), SQL("%s AS own", own)),
            )
        )
        return company_sales, company_invoices

    # ------------------------------------------------------------------
    # Cards
    # ------------------------------------------------------------------

    @api.model
    def _sh_kpi_cards(self, kpis):
        """The cards of the figures ``kpis``, in any order (``sequence``
        orders them). Another addon adds a card by extending this and
        appending a ``_sh_kpi_card``."""
        cards = self._sh_kpi_count_cards(kpis)
        if kpis["show_debt"]:
            cards += self._sh_kpi_debt_cards(kpis)
        return cards + self._sh_kpi_sales_cards(kpis)

    @api.model
    def _sh_kpi_card(
        self,
        key,
        label,
        help_text,
        value,
        sequence,
        icon,
        fmt="integer",
        note=None,
        tone=None,
        domain=None,
        description=None,
        filter_name=None,
    ):
        """One card: ``value`` shown in ``fmt`` (integer or money, in the
        company currency), ``help_text`` as its tooltip. A card with a
        ``domain`` filters the list on a click, under the search view's
        filter ``filter_name`` when the view has it, otherwise as a filter
        of its own named ``description``; a second click removes it."""
        if domain is not None:
            help_text = "\n".join(
                [help_text, self.env._("Click to filter the list on these customers.")]
            )
            domain = [
                (fname, operator, fields.Date.to_string(term) if isinstance(term, date) else term)
                for fname, operator, term in domain
            ]
        return {
            "key": key,
            "sequence": sequence,
            "icon": icon,
            "label": label,
            "value": value,
            "format": fmt,
            "note": note,
            "help": help_text,
            "tone": tone,
            "domain": domain,
            "description": description or label,
            "filter": filter_name,
        }

    @api.model
    def _sh_kpi_count_cards(self, kpis):
        """The counts of customers, as they stand today."""
        _ = self.env._
        month_start = fields.Date.context_today(self).replace(day=1)
        return [
            self._sh_kpi_card(
                "customers",
                _("Customers"),
                _(
                    "Customers matching the current search and filters, prospects (no "
                    "purchase yet) included."
                ),
                kpis["customers"],
                10,
                "fa-users",
            ),
            self._sh_kpi_card(
                "active",
                _("Active"),
                _(
                    "Customers with the status Active: they have bought, their first purchase "
                    "is older than the new customer period, and they are neither at risk nor "
                    "churned."
                ),
                kpis["active"],
                20,
                "fa-check-circle",
                domain=[("sh_lifecycle_status", "=", "active")],
                description=_("Status: Active"),
            ),
            self._sh_kpi_card(
                "new_this_month",
                _("New Buyers This Month"),
                _(
                    "Customers whose first posted invoice is dated in the current month. Not "
                    "the status New, which covers a longer period (the new customer period, "
                    "90 days by default)."
                ),
                kpis["new_this_month"],
                30,
                "fa-user-plus",
                domain=[("sh_first_purchase_date", ">=", month_start)],
                filter_name="filter_sh_new_this_month",
            ),
            self._sh_kpi_card(
                "at_risk",
                _("At Risk"),
                _(
                    "Customers with the status At Risk: no purchase for more than the at risk "
                    "gap factor (2 by default) times their usual gap between purchases. Not "
                    "the RFM segment At Risk."
                ),
                kpis["at_risk"],
                40,
                "fa-exclamation-triangle",
                tone="warning" if kpis["at_risk"] else None,
                domain=[("sh_lifecycle_status", "=", "at_risk")],
                filter_name="filter_sh_at_risk",
            ),
        ]

    @api.model
    def _sh_kpi_debt_cards(self, kpis):
        """The debt cards, for users who may see receivables."""
        _ = self.env._
        return [
            self._sh_kpi_card(
                "debt",
                _("Total Debt"),
                _(
                    "Open receivable of these customers: posted, unreconciled receivable "
                    "items, taxes included. Equal to Total Receivable."
                ),
                kpis["debt"],
                50,
                "fa-credit-card",
                fmt="money",
                domain=[("sh_debt", ">", 0)],
                filter_name="filter_sh_with_debt",
            ),
            self._sh_kpi_card(
                "overdue",
                _("Overdue Debt"),
                _("Part of the debt whose due date has passed."),
                kpis["overdue"],
                60,
                "fa-clock-o",
                fmt="money",
                tone="danger" if kpis["overdue"] > 0 else None,
                domain=[("sh_overdue", ">", 0)],
                filter_name="filter_sh_overdue",
            ),
        ]

    @api.model
    def _sh_kpi_sales_cards(self, kpis):
        """The sales cards, over the cards' sales period."""
        _ = self.env._
        dates = _(
            "%(from)s to %(to)s",
            **{
                "from": format_date(self.env, kpis["date_from"]),
                "to": format_date(self.env, kpis["date_to"]),
            },
        )
        return [
            self._sh_kpi_card(
                "net_sales",
                _("Net Sales"),
                _(
                    "Posted customer invoices minus posted credit notes, untaxed, in company "
                    "currency, dated from %(period)s.",
                    period=dates,
                ),
                kpis["net_sales"],
                70,
                "fa-line-chart",
                fmt="money",
                note=kpis["period_label"],
            ),
            self._sh_kpi_card(
                "average_order_value",
                _("Average Order Value"),
                _(
                    "Net sales divided by the number of posted invoices (credit notes not "
                    "counted), dated from %(period)s.",
                    period=dates,
                ),
                kpis["average_order_value"],
                80,
                "fa-shopping-cart",
                fmt="money",
                note=kpis["period_label"],
            ),
        ]
