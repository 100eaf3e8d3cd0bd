"""What every customer report shares: its options checked and resolved into
a context (the period and the one before it, the "as of" date, the company,
the customers chosen by the filters), and its answer as plain data that the
screen, the PDF and the XLSX all draw from one method,
``get_report_data``:

- ``cards``: the headline figures, each with the previous period's value
  and the customers it opens (as the dashboard's cards);
- ``charts``: Chart.js descriptions (as the dashboard's charts), each
  label opening its customers;
- ``tables``: columns (key, label, format) and rows, each row opening
  the customer or the documents behind it, with the number of rows the
  table has: the screen asks for the first rows and the next ones on
  demand (``get_report_rows``), the PDF for the first ones, the XLSX for
  every row. A table's rows are built only when they are sent;
- ``messages``: what the user should read before the figures (too little
  history, a filter that leaves no customer).

A report is a model inheriting ``sh.report`` whose ``_sh_report_sections``
adds its parts; another addon adds parts by extending that method."""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round
from odoo.tools.misc import format_date

from odoo.addons.sh_customers.figures.dashboard_context import (
    dashboard_context,
    list_period,
    period_data,
)
from odoo.addons.sh_customers.figures.dashboard_domains import (
    CUSTOMER_DOMAIN,
    plain_domain,
    plain_term,
)
from odoo.addons.sh_customers.figures.periods import DEFAULT_PERIOD, parse_date, period_label

# How a table cell or a card's value reads (the screen, the PDF and the
# XLSX format each kind alike).
FORMATS = ("text", "code", "integer", "number", "money", "percent", "date", "days")
# Rows a table shows on screen and prints; the XLSX has every row.
SCREEN_ROWS = 100
PRINTED_ROWS = 50
# The most rows the screen may ask for at once.
MAX_ROWS_ASKED = 5000


class ShReport(models.AbstractModel):
    _name = "sh.report"
    _description = "Customer Report"

    # Groups a user needs to open the report (a comma-separated list of
    # XML ids, any of them), besides the Customers user group.
    _sh_report_groups = None
    # Whether the report is a state as of a date (debt, liability, CLV)
    # rather than the figures of a period.
    _sh_report_as_of = False

    # ------------------------------------------------------------------
    # The answer
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_report_data(self, options=None, row_limit=None):
        """The report for ``options`` (see ``_sh_report_context``) as plain
        data: its title, the options as the user reads them, and its cards,
        charts, tables and messages, each sorted by its sequence. Each table
        sends its first ``row_limit`` rows (every row without a limit) and
        its ``row_count``."""
        row_limit = self._sh_check_row_window(0, row_limit)[1]
        report, data = self._sh_report_parts(options)
        for table in data["tables"]:
            report._sh_send_rows(table, 0, row_limit)
        return data

    @api.model
    @api.readonly
    def get_report_rows(self, options, table, offset=0, limit=SCREEN_ROWS):
        """The rows ``offset`` to ``offset + limit`` of the table ``table``
        (its key) of the report for ``options``: what the screen shows when
        the user asks for more rows than it received."""
        offset, limit = self._sh_check_row_window(offset, limit)
        report, data = self._sh_report_parts(options)
        for part in data["tables"]:
            if part["key"] == table:
                return report._sh_send_rows(part, offset, limit)["rows"]
        raise UserError(_("This report has no table %(table)s.", table=table))

    @api.model
    def _sh_check_row_window(self, offset, limit):
        """``offset`` and ``limit`` as whole numbers, ``limit`` at most
        MAX_ROWS_ASKED when given; a UserError for anything else."""
        try:
            offset = int(offset or 0)
            limit = None if limit is None else int(limit)
        except (TypeError, ValueError):
            raise UserError(_("The rows asked for must be given as whole numbers.")) from None
        if offset < 0 or (limit is not None and not 0 <= limit <= MAX_ROWS_ASKED):
            raise UserError(
                _(
                    "Ask for at most %(count)s rows of a table at once, from row 0 on.",
                    count=MAX_ROWS_ASKED,
                )
            )
        return offset, limit

    @api.model
    def _sh_report_parts(self, options):
        """The report (in its company) and its data for ``options``, its
        tables' rows not built yet (see ``_sh_send_rows``)."""
        self._sh_check_report_access()
        ctx = self._sh_report_context(options or {})
        report = self.with_company(ctx["company"])
        data = {
            "report": self._name,
            "title": report._sh_report_title(),
            "company": ctx["company"].name,
            "currency": report._sh_currency_data(ctx),
            "options": report._sh_options_data(ctx),
            "options_label": report._sh_options_label(ctx),
            "show_debt": ctx["show_debt"],
            # What the screen's cards compare with and open (as the
            # dashboard's): the period, without its previous one when the
            # report does not compare, and the customers list.
            "period": report._sh_period_data(ctx),
            "customer_action": "sh_customers.res_partner_action_sh_customers",
            "list_period": list_period(ctx),
            "cards": [],
            "charts": [],
            "tables": [],
            "messages": [],
        }
        report._sh_report_sections(ctx, data)
        for part in ("cards", "charts", "tables"):
            data[part].sort(key=lambda item: item.get("sequence", 100))
        return report, data

    @api.model
    def _sh_report_title(self):
        """The report's name in the user's language (its model's)."""
        return self.env["ir.model"]._get(self._name).name

    @api.model
    def _sh_report_sections(self, ctx, data):
        """Add the report's cards, charts, tables and messages to ``data``;
        extended by each report and by the addons that add to it."""

    @api.model
    def _sh_may_open_report(self):
        """Whether the user may open the report."""
        user = self.env.user
        return user.has_groups("sh_customers.sh_customers_group_user") and (
            not self._sh_report_groups or user.has_groups(self._sh_report_groups)
        )

    @api.model
    def _sh_check_report_access(self):
        if not self._sh_may_open_report():
            raise AccessError(
                _("You are not allowed to open the report %(report)s.", report=self._description)
            )

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_context(self, options):
        """The report's context from ``options``, a dict of:

        - ``period`` (this_month, quarter, year, 12m; or custom with
          ``date_from`` and ``date_to``), ``compare`` (default True);
        - ``as_of``: the day a state is read on (default: the period's end);
        - ``company_id``: one of the user's companies (default: current);
        - the customer filters ``customer_type``, ``segment``, ``status``,
          ``user_id`` (salesperson) and ``category_ids`` (tags);
        - and what a report adds (``_sh_report_extra_options``).

        Raises a UserError for what cannot be read."""
        company = self._sh_report_company(options.get("company_id"))
        env = self.with_company(company).env
        today = fields.Date.context_today(self)
        ctx = dashboard_context(
            env,
            today,
            options.get("date_from") or None,
            options.get("date_to") or None,
            options.get("period") or DEFAULT_PERIOD,
            options.get("compare", True),
        )
        as_of = options.get("as_of")
        ctx["as_of"] = parse_date(env, as_of, "as_of") if as_of else ctx["date_to"]
        ctx["filters"] = self._sh_report_filters(options)
        ctx["customer_domain"] = self._sh_customer_domain(ctx["filters"])
        ctx.update(self.with_company(company)._sh_report_extra_options(options))
        return ctx

    @api.model
    def _sh_report_extra_options(self, options):
        """The report's own options, checked, as context entries."""
        return {}

    @api.model
    def _sh_report_company(self, company_id):
        if not company_id:
            return self.env.company
        try:
            company_id = int(company_id)
        except (TypeError, ValueError):
            raise UserError(_("company_id must be the id of a company.")) from None
        if company_id not in self.env.user.company_ids.ids:
            raise UserError(_("You cannot read the reports of this company."))
        return self.env["res.company"].browse(company_id)

    @api.model
    def _sh_report_filters(self, options):
        """The customer filters of ``options``, checked against their fields."""
        partners = self.env["res.partner"]
        filters = {}
        for key, fname in (
            ("customer_type", "sh_customer_type"),
            ("segment", "sh_rfm_segment"),
            ("status", "sh_lifecycle_status"),
        ):
            value = options.get(key)
            if not value:
                continue
            allowed = dict(partners._fields[fname]._description_selection(self.env))
            if value not in allowed:
                raise UserError(
                    _(
                        "Unknown %(filter)s %(value)s; use one of: %(values)s.",
                        filter=key,
                        value=value,
                        values=", ".join(allowed),
                    )
                )
            filters[key] = value
        for key, model in (("user_id", "res.users"), ("category_ids", "res.partner.category")):
            value = options.get(key)
            if not value:
                continue
            ids = value if isinstance(value, (list, tuple)) else [value]
            try:
                ids = [int(record_id) for record_id in ids]
            except (TypeError, ValueError):
                raise UserError(
                    _("%(filter)s must be record ids, not %(value)s.", filter=key, value=value)
                ) from None
            records = self.env[model].browse(ids).exists()
            if len(records) != len(set(ids)):
                raise UserError(_("%(filter)s names a record that does not exist.", filter=key))
            filters[key] = records.ids if key == "category_ids" else records.ids[0]
        return filters

    @api.model
    def _sh_customer_domain(self, filters):
        """The customers of the report: the Customers app's customers that
        meet every filter."""
        domain = list(CUSTOMER_DOMAIN)
        for key, fname in (
            ("customer_type", "sh_customer_type"),
            ("segment", "sh_rfm_segment"),
            ("status", "sh_lifecycle_status"),
            ("user_id", "user_id"),
        ):
            if key in filters:
                domain.append((fname, "=", filters[key]))
        if "category_ids" in filters:
            domain.append(("category_id", "in", filters["category_ids"]))
        return domain

    @api.model
    def _sh_customer_query(self, ctx):
        """The report's customers the user may see, as a query on
        res_partner (record rules and the company apply); the figures they
        read flushed."""
        partners = self.env["res.partner"]
        partners._sh_flush_for_stats()
        return partners._search(ctx["customer_domain"])

    # ------------------------------------------------------------------
    # The options as the user reads them
    # ------------------------------------------------------------------

    @api.model
    def _sh_options_data(self, ctx):
        return {
            "period": ctx["period"],
            "date_from": fields.Date.to_string(ctx["date_from"]),
            "date_to": fields.Date.to_string(ctx["date_to"]),
            "previous_from": fields.Date.to_string(ctx["previous_from"]),
            "previous_to": fields.Date.to_string(ctx["previous_to"]),
            "as_of": fields.Date.to_string(ctx["as_of"]),
            "compare": ctx["compare"],
            "company_id": ctx["company"].id,
            **ctx["filters"],
        }

    @api.model
    def _sh_period_data(self, ctx):
        period = period_data(self.env, ctx)
        if not ctx["compare"]:
            period.update(previous_from=None, previous_to=None)
        return period

    @api.model
    def _sh_options_label(self, ctx):
        """The options in a line: "Last 12 Months · compared with ... ·
        Workshop", or "As of 30/11/2026 · ..." for a report of a state."""
        parts = []
        if self._sh_report_as_of:
            parts.append(_("As of %(date)s", date=format_date(self.env, ctx["as_of"])))
        else:
            parts.append(period_label(self.env, ctx["period"], ctx["date_from"], ctx["date_to"]))
            if ctx["compare"]:
                parts.append(
                    _(
                        "compared with %(start)s - %(end)s",
                        start=format_date(self.env, ctx["previous_from"]),
                        end=format_date(self.env, ctx["previous_to"]),
                    )
                )
        partners = self.env["res.partner"]
        for key, fname in (
            ("customer_type", "sh_customer_type"),
            ("segment", "sh_rfm_segment"),
            ("status", "sh_lifecycle_status"),
        ):
            if key in ctx["filters"]:
                labels = dict(partners._fields[fname]._description_selection(self.env))
                parts.append(labels[ctx["filters"][key]])
        if "user_id" in ctx["filters"]:
            parts.append(self.env["res.users"].browse(ctx["filters"]["user_id"]).name)
        if "category_ids" in ctx["filters"]:
            tags = self.env["res.partner.category"].browse(ctx["filters"]["category_ids"])
            parts.append(", ".join(tags.mapped("name")))
        return " · ".join(parts)

    @api.model
    def _sh_currency_data(self, ctx):
        currency = ctx["currency"]
        return {
            "symbol": currency.symbol,
            "position": currency.position,
            "digits": currency.decimal_places,
        }

    # ------------------------------------------------------------------
    # Parts
    # ------------------------------------------------------------------

    @api.model
    def _sh_card(self, ctx, key, label, help_text, value, previous=None, **kwargs):
        """A headline figure, as a dashboard card (see
        ``sh.customer.dashboard._sh_card``: ``fmt``, ``better``, ``domain``
        of the customers it opens, ``sequence``)."""
        return self.env["sh.customer.dashboard"]._sh_card(
            ctx, key, label, help_text, value, previous, **kwargs
        )

    @api.model
    def _sh_chart(self, key, title, chart_type, labels, datasets, domains, **kwargs):
        """A chart, as a dashboard chart (``fmt``, ``sequence``,
        ``horizontal``); ``domains``: per label, the customers it opens."""
        return self.env["sh.customer.dashboard"]._sh_chart(
            key, title, chart_type, labels, datasets, domains, **kwargs
        )

    @api.model
    def _sh_table(
        self,
        key,
        title,
        columns,
        rows,
        totals=None,
        model="res.partner",
        sequence=100,
        heatmap=False,
        help_text=None,
        empty=None,
        domain=None,
        make_row=None,
    ):
        """A table: ``columns`` as (key, label, format) (a format of
        FORMATS), ``rows`` as dicts by column key, each with the record it
        opens (``_res_id``, a record of ``model``) or the records
        (``_domain`` on ``_model``, by default ``model``); ``totals`` by
        column key. A ``heatmap`` table shades its number cells by value.
        ``empty`` is what the table says when it has no row. ``domain`` is
        what every row's records share: a row's ``_domain`` is added to it.

        With ``make_row``, ``rows`` are what the rows are made of, in their
        order, and ``make_row(item)`` makes the row of an item: only the
        rows sent are made (a table of every customer sends a hundred)."""
        for _key, _label, fmt in columns:
            if fmt not in FORMATS:
                raise ValueError(f"Unknown format {fmt!r}")
        return {
            "key": key,
            "title": title,
            "help": help_text,
            "columns": [
                {"key": col_key, "label": label, "format": fmt} for col_key, label, fmt in columns
            ],
            "rows": None,
            "row_count": len(rows),
            "_items": rows,
            "_make_row": make_row,
            "totals": totals,
            "model": model,
            "domain": self._sh_plain_domain(domain, model),
            "heatmap": heatmap,
            "empty": empty or _("No customer matches these options."),
            "sequence": sequence,
        }

    @api.model
    def _sh_table_rows(self, data, key):
        """Every row of the table ``key`` of ``data`` not sent yet (for a
        part that reads another's rows), made; [] without that table."""
        for table in data["tables"]:
            if table["key"] == key:
                make_row = table["_make_row"]
                return [make_row(item) for item in table["_items"]] if make_row else table["_items"]
        return []

    @api.model
    def _sh_send_rows(self, table, offset, limit):
        """Make the rows ``offset`` to ``offset + limit`` (to the last
        without a limit) of ``table`` its ``rows``, their domains as plain
        data; return the table."""
        items = table.pop("_items")
        make_row = table.pop("_make_row")
        window = items[offset : None if limit is None else offset + limit]
        rows = [make_row(item) for item in window] if make_row else list(window)
        for row in rows:
            row_model = row.get("_model", table["model"])
            if "_domain" in row:
                row["_domain"] = self._sh_plain_domain(row["_domain"], row_model)
            if "_cell_domains" in row:
                row["_cell_domains"] = {
                    key: self._sh_plain_domain(domain, row_model)
                    for key, domain in row["_cell_domains"].items()
                }
        table["rows"] = rows
        table["row_offset"] = offset
        return table

    @api.model
    def _sh_plain_domain(self, domain, model):
        """``domain`` on ``model`` as plain data (dates as text); on the
        customers, with the Customers app's own condition first."""
        if domain is None:
            return None
        if model == "res.partner":
            return plain_domain(domain)
        return [plain_term(term) for term in domain]

    @api.model
    def _sh_money(self, ctx, amount):
        """``amount`` rounded as the company's currency rounds it (its
        rounding read once per report: a table may round thousands)."""
        if "rounding" not in ctx:
            ctx["rounding"] = ctx["currency"].rounding
        return float_round(amount or 0.0, precision_rounding=ctx["rounding"])
