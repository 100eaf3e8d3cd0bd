"""The customers REST API as a model, testable without HTTP: the routes of
``/api/customers/`` declared once (``_sh_api_routes``, extended by the
loyalty and interactions addons), the dispatch of a request to its handler
through them, the customers' own handlers (summary, dashboard, analytics,
rankings) and the OpenAPI document built from the same declarations."""

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError

from ..api import checks, openapi
from ..api.checks import MAX_INT, MAX_LIMIT, PAGING_SPEC
from ..api.errors import ApiError
from ..api.openapi import (
    BOOLEAN,
    DATE,
    FREE_OBJECT,
    INTEGER,
    NUMBER,
    STRING,
    enum,
    nullable,
    obj,
    page,
)
from ..api.routes import OPENAPI_PATH, Route, RouteTable
from ..figures.periods import DEFAULT_PERIOD, PERIOD_MONTHS
from ..figures.rules import DEBT_GROUPS
from .sh_customer_dashboard import TOP_MEASURES
from .sh_customer_import import IMPORT_FIELDS, MODES, ON_MATCH

PERIOD_SPEC = {
    "date_from": {"type": "date", "description": "First day of the period."},
    "date_to": {"type": "date", "description": "Last day of the period."},
}
DEBT_DESCRIPTION = "null unless the user sees receivables."
# The rows of one import request, and its body's size: 10,000 rows of
# customers fit in about 3 MB of JSON.
IMPORT_MAX_ROWS = 10000
IMPORT_MAX_BODY = 20 * 1024 * 1024
IMPORT_SPEC = {
    "rows": {
        "type": "list",
        "max_items": IMPORT_MAX_ROWS,
        "items": obj(dict.fromkeys(IMPORT_FIELDS, STRING), required=()),
        "description": "The customers, each an object of text values by column: "
        + ", ".join(IMPORT_FIELDS)
        + ". Give rows or file.",
    },
    "file": {
        "type": "string",
        "max_length": IMPORT_MAX_BODY,
        "single_line": True,
        "description": "A CSV or XLSX file, base64-encoded, its first line the column "
        "headers (the names above, their labels, or the mapping last saved in the import "
        "wizard for the same headers). Give rows or file.",
    },
    "file_name": {
        "type": "string",
        "max_length": 255,
        "single_line": True,
        "description": "The file's name; its extension (.csv, .xlsx) helps reading it.",
    },
    "dry_run": {
        "type": "bool",
        "default": False,
        "description": "Check the rows and answer their outcomes without writing anything.",
    },
    "mode": {
        "type": "choice",
        "choices": list(MODES),
        "default": "all_or_nothing",
        "description": "all_or_nothing: one rejected row and nothing is written; "
        "valid_only: the other rows are written.",
    },
    "on_match": {
        "type": "choice",
        "choices": list(ON_MATCH),
        "default": "update",
        "description": "A row matching an existing customer (customer code, tax ID, mobile "
        "or e-mail): update it with the row's non-empty values, or skip it.",
    },
}

TIMELINE_SPEC = {
    "limit": {"type": "int", "min": 1, "max": MAX_LIMIT, "default": 50},
    "offset": {"type": "int", "min": 0, "max": MAX_INT, "default": 0},
    "kinds": {
        "type": "string",
        "max_length": 1000,
        "single_line": True,
        "description": "The kinds of events to give, separated by commas (every kind by "
        "default); the answer's kinds lists them.",
    },
    "date_from": {"type": "date", "description": "First day, in the user's time zone."},
    "date_to": {"type": "date", "description": "Last day, in the user's time zone."},
}


class ShCustomerApi(models.AbstractModel):
    _name = "sh.customer.api"
    _description = "Customers API"

    # ------------------------------------------------------------------
    # Routes
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_routes(self):
        """Every route of the API, declared once: what the controller
        serves, what the input is checked against and what the OpenAPI
        document says. Other addons add theirs with ``super()``."""
        return [
            Route(
                "GET",
                "/api/customers/{id}/",
                "get_customer",
                summary="One customer's summary in the current company",
                answer="CustomerSummary",
            ),
            Route(
                "GET",
                "/api/customers/dashboard/",
                "_sh_api_get_dashboard",
                summary="The dashboard's data for a period, with the previous period",
                answer=FREE_OBJECT,
                query={
                    **PERIOD_SPEC,
                    "period": {
                        "type": "choice",
                        "choices": list(PERIOD_MONTHS),
                        "default": DEFAULT_PERIOD,
                        "description": "Period when no dates are given.",
                    },
                    "compare": {
                        "type": "bool",
                        "default": True,
                        "description": "Also compute the previous period.",
                    },
                },
            ),
            Route(
                "GET",
                "/api/customers/analytics/",
                "_sh_api_get_analytics",
                summary="Segments, retention, churn, repeat rate, AOV, CLV, NPS, CEI, engagement",
                answer=FREE_OBJECT,
                query=PERIOD_SPEC,
            ),
            Route(
                "GET",
                "/api/customers/top-customers/",
                "_sh_api_get_top_customers",
                summary="Customers ranked by net sales (or another measure) in a period",
                answer="TopCustomers",
                query={
                    **PERIOD_SPEC,
                    "by": {
                        "type": "choice",
                        "choices": list(TOP_MEASURES),
                        "default": "net_sales",
                        "description": "Measure to rank by; debt only for users who see "
                        "receivables.",
                    },
                    **PAGING_SPEC,
                },
            ),
            Route(
                "GET",
                "/api/customers/at-risk/",
                "_sh_api_get_at_risk",
                summary="At-risk customers and why",
                answer="AtRiskCustomers",
                query=PAGING_SPEC,
            ),
            Route(
                "GET",
                "/api/customers/{id}/timeline/",
                "_sh_api_get_timeline",
                summary="Everything that happened with the customer, newest first: invoices, "
                "credit notes, payments, points, interactions, tasks and messages, with the "
                "debt after each money event",
                answer="Timeline",
                query=TIMELINE_SPEC,
            ),
            Route(
                "POST",
                "/api/customers/import/",
                "_sh_api_import",
                summary="Import customers (Customers managers): each row's outcome, created, "
                "updated, skipped or rejected with its reasons",
                answer="CustomerImport",
                body=IMPORT_SPEC,
                max_body=IMPORT_MAX_BODY,
            ),
        ]

    @api.model
    @tools.ormcache()
    def _sh_api_table(self):
        # The routes depend on the installed addons only: one table per
        # registry.
        return RouteTable(self._sh_api_routes())

    @api.model
    def _sh_api_match(self, path, method):
        """``(route, path values)`` of the route serving ``method`` on
        ``path``: a 404 when no route has that path, a 405 when it is served
        with another method."""
        route, found = self._sh_api_table().match(path, method)
        if route:
            return route, found
        if found:
            raise ApiError(405, _("Use %(method)s on this route.", method=", ".join(found)))
        raise ApiError(404, _("No such route: %(path)s", path=path))

    @api.model
    def _sh_api_call(self, route, path_values, params):
        """The answer of ``route`` to ``params`` (the query string of a GET,
        every value a string; the JSON body of a POST): the user must be a
        Customers user, the values are checked against the route's spec,
        then its handler answers."""
        self._sh_api_check_user()
        values = checks.parse(self.env, params, route.spec, from_query=route.method == "GET")
        return getattr(self, route.handler)(*path_values, values)

    # ------------------------------------------------------------------
    # Helpers of the handlers
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_check_user(self):
        if not self.env.user.has_group("sh_customers.sh_customers_group_user"):
            raise AccessError(_("Only Customers users may use the customers API."))

    @api.model
    def _sh_api_customer(self, customer_id, fnames=("name",)):
        """The customer ``customer_id`` (as written in the path) if the
        user sees it in the current company, with ``fnames`` read in the
        same query; 404 otherwise, whether it does not exist or belongs to
        another company."""
        self._sh_api_check_user()
        try:
            if not checks.INT_RE.match(customer_id or ""):
                raise ValueError(customer_id)
            partner_id = int(customer_id)
        except ValueError:
            partner_id = 0
        partner = self.env["res.partner"]
        if 0 < partner_id <= MAX_INT:
            partner = partner.with_context(active_test=False).search_fetch(
                [("id", "=", partner_id), ("parent_id", "=", False)], list(fnames)
            )
        if not partner:
            raise ApiError(404, _("No customer %(id)s.", id=str(customer_id)[:40]))
        return partner.with_context(active_test=True)

    @api.model
    def _sh_api_page(self, total, items, limit, offset):
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    # ------------------------------------------------------------------
    # Customer summary
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_customer(self, customer_id, values=None):
        """``GET /api/customers/{id}/``: the customer's figures in the
        current company. Public: it reads no value but the id."""
        partner = self._sh_api_customer(customer_id, fnames=self._sh_api_summary_fnames())
        return self.get_customer_summary(partner, fetched=True)

    @api.model
    def get_customer_summary(self, partner, fetched=False):
        return self._sh_api_summaries(partner, fetched=fetched)[0]

    @api.model
    def _sh_api_summary_fnames(self):
        """The res.partner fields a summary reads: debt and overdue only for
        users who may see receivables."""
        fnames = [
            "name",
            "sh_customer_code",
            "sh_customer_type",
            "sh_net_sales",
            "sh_invoice_count",
            "sh_average_order_value",
            "sh_last_purchase_date",
            "sh_lifecycle_status",
            "sh_rfm_segment",
        ]
        if self.env.user.has_groups(DEBT_GROUPS):
            fnames += ["sh_debt", "sh_overdue"]
        return fnames

    @api.model
    def _sh_api_summaries(self, partners, fetched=False):
        """Summaries of ``partners``, in the current company: the stored
        per-company figures; debt and overdue only for users who may see
        receivables (``None`` otherwise). ``fetched``: the partners were
        searched with the summary's fields (``_sh_api_customer``), through
        the record rules, and need not be read again."""
        fnames = self._sh_api_summary_fnames()
        show_debt = "sh_debt" in fnames
        company = self.env.company
        currency = company.currency_id
        summaries = []
        partners = partners.with_company(company)
        # Keys, with their labels in the user's language beside them.
        statuses = dict(partners._fields["sh_lifecycle_status"]._description_selection(self.env))
        segments = dict(partners._fields["sh_rfm_segment"]._description_selection(self.env))
        if not fetched:
            # One query, record rules in its WHERE clause.
            partners.fetch(fnames)
        predictions = self._sh_api_predictions(partners, company)
        for partner in partners:
            values = {"id": partner.id, **{fname: partner[fname] for fname in fnames}}
            summaries.append(
                {
                    "id": values["id"],
                    "name": values["name"],
                    "code": values["sh_customer_code"] or None,
                    "type": values["sh_customer_type"] or None,
                    "company_id": company.id,
                    "currency": currency.name,
                    "net_sales": currency.round(values["sh_net_sales"] or 0.0),
                    "invoice_count": values["sh_invoice_count"] or 0,
                    "average_order_value": currency.round(values["sh_average_order_value"] or 0.0),
                    "last_purchase_date": fields.Date.to_string(values["sh_last_purchase_date"])
                    or None,
                    "debt": currency.round(values["sh_debt"] or 0.0) if show_debt else None,
                    "overdue": currency.round(values["sh_overdue"] or 0.0) if show_debt else None,
                    "status": values["sh_lifecycle_status"] or None,
                    "status_label": statuses.get(values["sh_lifecycle_status"]),
                    "segment": values["sh_rfm_segment"] or None,
                    "segment_label": segments.get(values["sh_rfm_segment"]),
                    **predictions.get(partner.id, {"p_alive": None, "predicted_clv": None}),
                }
            )
        return summaries

    @api.model
    def _sh_api_predictions(self, partners, company):
        """The P(alive) and predicted CLV of ``partners`` (read through the
        record rules already) in ``company``, by customer id; ``None`` until
        a fit wrote them."""
        currency = company.currency_id
        return {
            partner_id: {
                "p_alive": None if p_alive is None else round(p_alive, 4),
                "predicted_clv": None if clv is None else currency.round(clv),
            }
            for partner_id, (p_alive, clv) in partners._sh_clv_figures().items()
        }

    # ------------------------------------------------------------------
    # Dashboard, analytics, rankings
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_period(self, values):
        date_from, date_to = values.get("date_from"), values.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise ApiError(422, _("date_from must not be after date_to."))
        return date_from, date_to

    @api.model
    def _sh_api_get_dashboard(self, values):
        """``GET /api/customers/dashboard/``"""
        date_from, date_to = self._sh_api_period(values)
        return self.env["sh.customer.dashboard"].get_dashboard_data(
            date_from=date_from,
            date_to=date_to,
            period=values["period"],
            compare=values["compare"],
        )

    @api.model
    def _sh_api_get_analytics(self, values):
        """``GET /api/customers/analytics/``"""
        date_from, date_to = self._sh_api_period(values)
        return self.env["sh.customer.dashboard"].get_analytics(date_from=date_from, date_to=date_to)

    @api.model
    def _sh_api_get_top_customers(self, values):
        """``GET /api/customers/top-customers/``"""
        date_from, date_to = self._sh_api_period(values)
        page_values = {key: values[key] for key in ("by", "limit", "offset")}
        result = self.env["sh.customer.dashboard"].get_top_customers(
            date_from=date_from, date_to=date_to, **page_values
        )
        return {**result, **page_values}

    @api.model
    def _sh_api_get_timeline(self, customer_id, values):
        """``GET /api/customers/{id}/timeline/``: one page of the customer's
        timeline (``sh.customer.timeline.get_timeline``)."""
        partner = self._sh_api_customer(customer_id)
        date_from, date_to = self._sh_api_period(values)
        kinds = values.get("kinds")
        result = self.env["sh.customer.timeline"].get_timeline(
            partner.id,
            limit=values["limit"],
            offset=values["offset"],
            kinds=None
            if kinds is None
            else [kind.strip() for kind in kinds.split(",") if kind.strip()],
            date_from=date_from,
            date_to=date_to,
        )
        return {
            "customer_id": partner.id,
            "limit": values["limit"],
            "offset": values["offset"],
            **result,
        }

    @api.model
    def _sh_api_get_at_risk(self, values):
        """``GET /api/customers/at-risk/``"""
        page_values = {key: values[key] for key in ("limit", "offset")}
        result = self.env["sh.customer.dashboard"].get_at_risk_customers(**page_values)
        return {**result, **page_values}

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_import(self, values):
        """``POST /api/customers/import/``: the import of the wizard
        (``sh.customer.import``), from JSON rows or a file."""
        if ("rows" in values) == ("file" in values):
            raise ApiError(422, _("Send either rows or file."))
        first_row = 1
        rows = values.get("rows")
        if "file" in values:
            rows, first_row = self._sh_api_import_file(values["file"], values.get("file_name")), 2
            if len(rows) > IMPORT_MAX_ROWS:
                raise ApiError(
                    422,
                    _("The file has too many rows: at most %(max)s.", max=IMPORT_MAX_ROWS),
                )
        return self.env["sh.customer.import"]._sh_import_rows(
            rows,
            dry_run=values["dry_run"],
            mode=values["mode"],
            on_match=values["on_match"],
            first_row=first_row,
        )

    @api.model
    def _sh_api_import_file(self, content, file_name):
        """The rows of a base64 CSV or XLSX file, read and mapped as the
        wizard reads and maps them; a column it cannot map is refused."""
        self.env["sh.customer.import"]._sh_import_check_user()
        wizard = self.env["sh.customer.import.wizard"].new(
            {"file": content.encode(), "file_name": file_name or ""}
        )
        headers, data = wizard._sh_read_file()
        mapping = wizard._sh_guess_mapping(headers)
        unknown = [header for header in headers if header not in mapping]
        if unknown:
            raise ApiError(
                422,
                _(
                    "Unknown columns in the file: %(names)s. The columns are: %(columns)s.",
                    names=", ".join(unknown)[:200],
                    columns=", ".join(IMPORT_FIELDS),
                ),
            )
        return [
            {mapping[header]: row[index] for index, header in enumerate(headers)} for row in data
        ]

    # ------------------------------------------------------------------
    # OpenAPI document
    # ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_openapi(self, base_url=""):
        """The OpenAPI 3 document of every route of the installed addons."""
        return {
            "openapi": "3.0.3",
            "info": {
                "title": "SH Customers API",
                "version": "1.0",
                "description": (
                    "Customers, their figures, the dashboard and analytics. Authenticate "
                    "with an Odoo API key: 'Authorization: Bearer <key>'. Answers are in "
                    "the key user's default company, or in the allowed company given by "
                    "the X-Company-Id header. POST routes accept an Idempotency-Key header."
                ),
            },
            "servers": [{"url": base_url or "/"}],
            "security": [{"bearer": []}],
            "paths": openapi.paths(self._sh_api_routes(), OPENAPI_PATH),
            "components": openapi.components(self._sh_api_openapi_schemas()),
        }

    @api.model
    def _sh_api_openapi_schemas(self):
        """The schemas of the answers, by name, as the routes' ``answer``
        names them. Other addons add theirs with ``super()``."""
        partner_fields = self.env["res.partner"]._fields
        statuses = partner_fields["sh_lifecycle_status"]._description_selection(self.env)
        segments = partner_fields["sh_rfm_segment"]._description_selection(self.env)
        summary = {
            "id": INTEGER,
            "name": STRING,
            "code": nullable(STRING),
            "type": nullable(STRING),
            "company_id": INTEGER,
            "currency": STRING,
            "net_sales": NUMBER,
            "invoice_count": INTEGER,
            "average_order_value": NUMBER,
            "last_purchase_date": nullable(DATE),
            "debt": nullable(NUMBER, DEBT_DESCRIPTION),
            "overdue": nullable(NUMBER, DEBT_DESCRIPTION),
            "status": {
                **enum((key for key, __ in statuses), nullable=True),
                "description": "Lifecycle status (a key).",
            },
            "status_label": nullable(STRING, "The status in the user's language."),
            "segment": {
                **enum((key for key, __ in segments), nullable=True),
                "description": "RFM segment (a key).",
            },
            "segment_label": nullable(STRING, "The segment in the user's language."),
            "p_alive": nullable(
                NUMBER,
                "Probability (0 to 1) that the customer is still buying, from the "
                "nightly fit of the company's history; null until a fit or without a "
                "purchase.",
            ),
            "predicted_clv": nullable(
                NUMBER,
                "Net sales expected over the next 12 months, discounted 1% a month, from "
                "the nightly fit; null until a fit or without a purchase.",
            ),
        }
        ranked = obj(
            {
                "id": INTEGER,
                "name": STRING,
                "code": nullable(STRING),
                "value": NUMBER,
                "reasons": {"type": "array", "items": STRING},
            },
            required=("id", "name", "code"),
        )
        import_row = obj(
            {
                "row": INTEGER,
                "outcome": enum(("created", "updated", "skipped", "rejected")),
                "reasons": {"type": "array", "items": STRING},
                "id": nullable(
                    INTEGER,
                    "The customer created or updated; in a dry run, the customer matched.",
                ),
            }
        )
        customer_import = obj(
            {
                "dry_run": BOOLEAN,
                "mode": enum(MODES),
                "on_match": enum(ON_MATCH),
                "applied": {
                    **BOOLEAN,
                    "description": "Whether anything was written: false in a dry run, and "
                    "when a rejected row stopped an all_or_nothing import.",
                },
                "counts": obj(
                    dict.fromkeys(("created", "updated", "skipped", "rejected"), INTEGER)
                ),
                "rows": {"type": "array", "items": import_row},
                "created_ids": {"type": "array", "items": INTEGER},
                "updated_ids": {"type": "array", "items": INTEGER},
            }
        )
        timeline_event = obj(
            {
                "kind": {**STRING, "description": "The key of one of the answer's kinds."},
                "date": {
                    **STRING,
                    "description": "YYYY-MM-DD in the user's time zone when all_day, else UTC, "
                    "YYYY-MM-DD HH:MM:SS.",
                },
                "all_day": BOOLEAN,
                "res_model": nullable(STRING, "The model of the record the event is about."),
                "res_id": nullable(INTEGER),
                "name": STRING,
                "amount": nullable(
                    NUMBER,
                    "The change of the debt of an invoice, credit note or payment, in company "
                    "currency; the amount of a payment matched with an invoice. Payments' and "
                    "matchings' amounts are " + DEBT_DESCRIPTION,
                ),
                "points": nullable(NUMBER, "Points earned (positive) or taken (negative)."),
                "user": STRING,
                "detail": STRING,
                "debt": nullable(
                    NUMBER, "The customer's debt after a money event; " + DEBT_DESCRIPTION
                ),
            }
        )
        timeline = obj(
            {
                "customer_id": INTEGER,
                "limit": INTEGER,
                "offset": INTEGER,
                "has_more": BOOLEAN,
                "show_debt": BOOLEAN,
                "currency": FREE_OBJECT,
                "kinds": {
                    "type": "array",
                    "items": obj({"key": STRING, "label": STRING, "icon": STRING}),
                },
                "events": {"type": "array", "items": timeline_event},
            }
        )
        return {
            "Timeline": timeline,
            "CustomerImport": customer_import,
            "CustomerSummary": obj(summary),
            "RankedCustomer": ranked,
            "TopCustomers": page(openapi.ref("RankedCustomer"), by=STRING),
            "AtRiskCustomers": page(openapi.ref("RankedCustomer")),
        }
