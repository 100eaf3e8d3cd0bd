import logging
import re
from datetime import date, datetime, timezone

from psycopg2 import IntegrityError
from werkzeug.exceptions import HTTPException

from odoo import _, api, fields, http, models
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from .res_partner import DEBT_GROUPS
from .sh_customer_dashboard import PERIOD_MONTHS, TOP_MEASURES

_logger = logging.getLogger(__name__)

MAX_LIMIT = 200
# Every integer fits PostgreSQL's integer columns; every number the numeric
# ones with room to spare; every date Python's arithmetic on periods.
MIN_INT = -(2**31)
MAX_INT = 2**31 - 1
MAX_NUMBER = 10**15
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
MAX_STRING = 10000
# Characters no value may hold: the C0 control characters (NUL among them)
# and DEL. Free text keeps tabs and line breaks.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
TEXT_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    500: "server_error",
    503: "busy",
}
ERROR_DESCRIPTIONS = {
    400: "Malformed request: bad JSON, a value of the wrong type or an unknown parameter.",
    401: "No API key, or an invalid or expired one.",
    403: "The key's user is not allowed to do this.",
    404: "No such customer, or not visible to the key's user in the current company.",
    409: "Conflict: not enough points, or an idempotency key reused with another request.",
    422: "A value is not valid.",
}
PAGING_SPEC = {
    "limit": {"type": "int", "min": 1, "max": MAX_LIMIT, "default": 20},
    "offset": {"type": "int", "min": 0, "max": MAX_INT, "default": 0},
}
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
INT_RE = re.compile(r"-?\d{1,18}\Z", re.ASCII)
NUMBER_RE = re.compile(r"-?\d{1,15}(\.\d{1,6})?\Z", re.ASCII)
# The request headers the API reads, checked and described like the
# parameters of a route.
HEADER_SPECS = {
    "X-Company-Id": {
        "type": "int",
        "min": 1,
        "description": "One of the key user's allowed companies; the user's default company "
        "otherwise.",
    },
    "Idempotency-Key": {
        "type": "string",
        "min_length": 1,
        "max_length": 255,
        "single_line": True,
        "description": "Any unique string (at most 255 characters): a request repeated with "
        "the same key within 24 hours is applied once and answered with the first answer; "
        "the same key with another body is refused (409).",
    },
}


def number_bounds(rule):
    """``(lowest, highest)`` value of an integer or number parameter: its
    rule's ``min`` and ``max`` within what the database holds."""
    low, high = (MIN_INT, MAX_INT) if rule["type"] == "int" else (-MAX_NUMBER, MAX_NUMBER)
    return max(low, rule.get("min", low)), min(high, rule.get("max", high))


class ApiError(Exception):
    """A refused API request: its HTTP status and a translated message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.code = ERROR_CODES.get(status, "error")
        self.message = message


def error_answer(env, exception):
    """``(status, body)`` of the JSON answer to ``exception``; an unexpected
    error is logged and answered without its details."""
    if isinstance(exception, ApiError):
        status, message = exception.status, exception.message
    elif isinstance(exception, AccessDenied | http.SessionExpiredException):
        status, message = 401, env._("A valid API key is required: Authorization: Bearer <key>.")
    elif isinstance(exception, AccessError):
        status, message = 403, exception.args[0]
    elif isinstance(exception, MissingError):
        status, message = 404, exception.args[0]
    elif isinstance(exception, UserError):
        status, message = 422, exception.args[0]
    elif isinstance(exception, IntegrityError):
        status, message = 422, env._("The values break a rule of the database.")
    elif isinstance(exception, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
        status, message = 503, env._("The server is busy; send the request again.")
    elif isinstance(exception, HTTPException) and exception.code == 401:
        status, message = 401, env._("A valid API key is required: Authorization: Bearer <key>.")
    elif isinstance(exception, HTTPException) and exception.code == 404:
        status, message = 404, env._("No such route.")
    elif isinstance(exception, HTTPException) and exception.code and exception.code < 500:
        status, message = exception.code, exception.description or exception.name
    else:
        _logger.error("Customers API: unexpected error", exc_info=exception)
        status, message = 500, env._("An unexpected error occurred; it has been logged.")
    # A message may quote the request: keep it writable as UTF-8.
    message = str(message).encode("utf-8", "replace").decode()
    return status, {"error": {"code": ERROR_CODES.get(status, "error"), "message": message}}


class ShCustomerApi(models.AbstractModel):
    _name = "sh.customer.api"
    _description = "Customers API"

    # ------------------------------------------------------------------
    # Input
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_parse(self, values, spec, from_query=False):
        """Check ``values`` (the JSON body, or the query string when
        ``from_query``: every value a string) against ``spec``
        (``{name: {"type", "required", "min", "max", "min_length",
        "max_length", "single_line", "choices", "default"}}``) and return the
        converted values. Unknown names and values of the wrong type raise a
        400, values out of range or holding control characters a 422: no
        value reaches the database unchecked."""
        if not isinstance(values, dict):
            raise ApiError(400, _("The request body must be a JSON object."))
        unknown = sorted(set(values) - set(spec))
        if unknown:
            raise ApiError(
                400,
                _("Unknown parameter: %(names)s.", names=", ".join(map(str, unknown))[:200]),
            )
        result = {}
        for name, rule in spec.items():
            if name not in values or values[name] is None:
                if rule.get("required"):
                    raise ApiError(422, _("%(name)s is required.", name=name))
                if "default" in rule:
                    result[name] = rule["default"]
                continue
            result[name] = self._sh_api_convert(name, values[name], rule, from_query)
        return result

    @api.model
    def _sh_api_headers(self, headers):
        """The API's request headers (``HEADER_SPECS``) that ``headers``
        carries, checked and converted like parameters."""
        values = {name: headers[name] for name in HEADER_SPECS if name in headers}
        return {
            name: self._sh_api_convert(name, value, HEADER_SPECS[name], from_query=True)
            for name, value in values.items()
        }

    @api.model
    def _sh_api_convert(self, name, value, rule, from_query):
        kind = rule["type"]
        if isinstance(value, str):
            self._sh_api_check_text(name, value, rule)
        if kind in ("int", "number"):
            return self._sh_api_number(name, value, rule, from_query)
        if kind == "bool":
            if from_query and value in ("true", "false", "1", "0"):
                value = value in ("true", "1")
            if not isinstance(value, bool):
                raise ApiError(400, _("%(name)s must be true or false.", name=name))
            return value
        if not isinstance(value, str):
            raise ApiError(400, _("%(name)s must be a string.", name=name))
        if kind == "date":
            return self._sh_api_date(name, value)
        if kind == "datetime":
            return self._sh_api_datetime(name, value)
        if kind == "choice" and value not in rule["choices"]:
            raise ApiError(
                422,
                _(
                    "%(name)s must be one of: %(choices)s.",
                    name=name,
                    choices=", ".join(rule["choices"]),
                ),
            )
        if kind == "string":
            value = value.strip()
            if (rule.get("required") or rule.get("min_length")) and not value:
                raise ApiError(422, _("%(name)s is required.", name=name))
            if len(value) > rule.get("max_length", MAX_STRING):
                raise ApiError(
                    422,
                    _(
                        "%(name)s is too long: at most %(max)s characters.",
                        name=name,
                        max=rule.get("max_length", MAX_STRING),
                    ),
                )
        return value

    @api.model
    def _sh_api_check_text(self, name, value, rule):
        """Refuse a value holding a control character (NUL among them; free
        text may hold tabs and line breaks) or a character that cannot be
        written in UTF-8 (a lone surrogate)."""
        free_text = rule["type"] == "string" and not rule.get("single_line")
        forbidden = (TEXT_CONTROL_RE if free_text else CONTROL_RE).search(value)
        if not forbidden:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                forbidden = True
        if forbidden:
            raise ApiError(422, _("%(name)s contains a character that is not allowed.", name=name))

    @api.model
    def _sh_api_number(self, name, value, rule, from_query):
        """An integer (``rule["type"] == "int"``) or any number, within the
        rule's bounds (``number_bounds``)."""
        integer = rule["type"] == "int"
        if from_query and isinstance(value, str):
            if integer and INT_RE.match(value):
                value = int(value)
            elif not integer and NUMBER_RE.match(value):
                value = float(value)
        kinds = int if integer else int | float
        if isinstance(value, bool) or not isinstance(value, kinds):
            if integer:
                raise ApiError(400, _("%(name)s must be an integer.", name=name))
            raise ApiError(400, _("%(name)s must be a number.", name=name))
        low, high = number_bounds(rule)
        if value < low:
            raise ApiError(422, _("%(name)s must be at least %(min)s.", name=name, min=low))
        if value > high:
            raise ApiError(422, _("%(name)s must be at most %(max)s.", name=name, max=high))
        return value

    @api.model
    def _sh_api_date(self, name, value):
        try:
            if not DATE_RE.match(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise ApiError(
                400, _("%(name)s must be a date written YYYY-MM-DD.", name=name)
            ) from None
        self._sh_api_check_date(name, day)
        return day

    @api.model
    def _sh_api_datetime(self, name, value):
        """An ISO 8601 date and time; without a time zone it is UTC."""
        try:
            if len(value) > 40:
                raise ValueError(value)
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(
                400,
                _("%(name)s must be a date and time written YYYY-MM-DDTHH:MM:SS.", name=name),
            ) from None
        self._sh_api_check_date(name, moment.date())
        if moment.tzinfo:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment.replace(microsecond=0)

    @api.model
    def _sh_api_check_date(self, name, day):
        if not MIN_DATE <= day <= MAX_DATE:
            raise ApiError(
                422,
                _(
                    "%(name)s must be between %(min)s and %(max)s.",
                    name=name,
                    min=MIN_DATE.isoformat(),
                    max=MAX_DATE.isoformat(),
                ),
            )

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
            if not INT_RE.match(customer_id or ""):
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
    def get_customer(self, customer_id, params=None):
        """``GET /api/customers/{id}/``: the customer's figures in the
        current company."""
        self._sh_api_parse(params or {}, self._sh_api_specs()["summary"], from_query=True)
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
        show_debt = self.env.user.has_groups(DEBT_GROUPS)
        fnames = self._sh_api_summary_fnames()
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
                }
            )
        return summaries

    # ------------------------------------------------------------------
    # Dashboard, analytics, rankings
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_period(self, values):
        date_from, date_to = values.get("date_from"), values.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise ApiError(422, _("date_from must not be after date_to."))
        return values.get("date_from"), values.get("date_to")

    @api.model
    def get_dashboard(self, params):
        self._sh_api_check_user()
        values = self._sh_api_parse(params, self._sh_api_specs()["dashboard"], from_query=True)
        date_from, date_to = self._sh_api_period(values)
        return self.env["sh.customer.dashboard"].get_dashboard_data(
            date_from=date_from,
            date_to=date_to,
            period=values["period"],
            compare=values["compare"],
        )

    @api.model
    def get_analytics(self, params):
        self._sh_api_check_user()
        values = self._sh_api_parse(params, self._sh_api_specs()["analytics"], from_query=True)
        date_from, date_to = self._sh_api_period(values)
        return self.env["sh.customer.dashboard"].get_analytics(date_from=date_from, date_to=date_to)

    @api.model
    def get_top_customers(self, params):
        self._sh_api_check_user()
        values = self._sh_api_parse(params, self._sh_api_specs()["top_customers"], from_query=True)
        date_from, date_to = self._sh_api_period(values)
        result = self.env["sh.customer.dashboard"].get_top_customers(
            date_from=date_from,
            date_to=date_to,
            by=values["by"],
            limit=values["limit"],
            offset=values["offset"],
        )
        return {
            **result,
            "by": values["by"],
            "limit": values["limit"],
            "offset": values["offset"],
        }

    @api.model
    def get_at_risk_customers(self, params):
        self._sh_api_check_user()
        values = self._sh_api_parse(params, self._sh_api_specs()["at_risk"], from_query=True)
        result = self.env["sh.customer.dashboard"].get_at_risk_customers(
            limit=values["limit"], offset=values["offset"]
        )
        return {**result, "limit": values["limit"], "offset": values["offset"]}

    @api.model
    def _sh_api_specs(self):
        """Parameters of each route, by operation: used to check the input
        and to describe it in the OpenAPI document."""
        period = {
            "date_from": {"type": "date", "description": "First day of the period."},
            "date_to": {"type": "date", "description": "Last day of the period."},
        }
        return {
            "summary": {},
            "dashboard": {
                **period,
                "period": {
                    "type": "choice",
                    "choices": list(PERIOD_MONTHS),
                    "default": "12m",
                    "description": "Period when no dates are given.",
                },
                "compare": {
                    "type": "bool",
                    "default": True,
                    "description": "Also compute the previous period.",
                },
            },
            "analytics": dict(period),
            "top_customers": {
                **period,
                "by": {
                    "type": "choice",
                    "choices": list(TOP_MEASURES),
                    "default": "net_sales",
                    "description": "Measure to rank by; debt only for users who see receivables.",
                },
                **PAGING_SPEC,
            },
            "at_risk": dict(PAGING_SPEC),
        }

    # ------------------------------------------------------------------
    # OpenAPI document
    # ------------------------------------------------------------------

    @api.model
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
            "paths": self._sh_api_openapi_paths(),
            "components": {
                "securitySchemes": {
                    "bearer": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "An Odoo API key (Preferences ‣ Account Security).",
                    }
                },
                "parameters": {
                    "customer_id": {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "description": "Customer id (a company or individual without parent).",
                        "schema": self._sh_api_openapi_schema({"type": "int", "min": 1}),
                    },
                    "company": self._sh_api_openapi_header("X-Company-Id"),
                    "idempotency_key": self._sh_api_openapi_header("Idempotency-Key"),
                },
                "schemas": self._sh_api_openapi_schemas(),
                "responses": {
                    str(status): {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    }
                    for status, description in ERROR_DESCRIPTIONS.items()
                },
            },
        }

    @api.model
    def _sh_api_openapi_schemas(self):
        partner_fields = self.env["res.partner"]._fields
        statuses = partner_fields["sh_lifecycle_status"]._description_selection(self.env)
        segments = partner_fields["sh_rfm_segment"]._description_selection(self.env)
        number = {"type": "number"}
        nullable_number = {"type": "number", "nullable": True}
        summary = {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "code": {"type": "string", "nullable": True},
            "type": {"type": "string", "nullable": True},
            "company_id": {"type": "integer"},
            "currency": {"type": "string"},
            "net_sales": number,
            "invoice_count": {"type": "integer"},
            "average_order_value": number,
            "last_purchase_date": {"type": "string", "format": "date", "nullable": True},
            "debt": {**nullable_number, "description": "null unless the user sees receivables."},
            "overdue": {
                **nullable_number,
                "description": "null unless the user sees receivables.",
            },
            "status": {
                "type": "string",
                "nullable": True,
                "enum": [*(key for key, __ in statuses), None],
                "description": "Lifecycle status (a key).",
            },
            "status_label": {
                "type": "string",
                "nullable": True,
                "description": "The status in the user's language.",
            },
            "segment": {
                "type": "string",
                "nullable": True,
                "enum": [*(key for key, __ in segments), None],
                "description": "RFM segment (a key).",
            },
            "segment_label": {
                "type": "string",
                "nullable": True,
                "description": "The segment in the user's language.",
            },
        }
        return {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    }
                },
            },
            "CustomerSummary": {
                "type": "object",
                "required": list(summary),
                "properties": summary,
            },
        }

    @api.model
    def _sh_api_openapi_parameters(self, spec):
        parameters = []
        for name, rule in spec.items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": bool(rule.get("required")),
                    "description": rule.get("description", ""),
                    "schema": self._sh_api_openapi_schema(rule),
                }
            )
        return parameters

    @api.model
    def _sh_api_openapi_header(self, name):
        rule = HEADER_SPECS[name]
        return {
            "name": name,
            "in": "header",
            "required": False,
            "description": rule["description"],
            "schema": self._sh_api_openapi_schema(rule),
        }

    @api.model
    def _sh_api_openapi_schema(self, rule):
        kind = rule["type"]
        schema = {
            "int": {"type": "integer"},
            "number": {"type": "number"},
            "bool": {"type": "boolean"},
            "date": {"type": "string", "format": "date"},
            "datetime": {"type": "string", "format": "date-time"},
            "choice": {"type": "string", "enum": rule.get("choices")},
            "string": {"type": "string"},
        }[kind]
        if kind in ("int", "number"):
            schema["minimum"], schema["maximum"] = number_bounds(rule)
        if kind == "string":
            if rule.get("required") or rule.get("min_length"):
                schema["minLength"] = rule.get("min_length", 1)
            schema["maxLength"] = rule.get("max_length", MAX_STRING)
        if "default" in rule:
            schema["default"] = rule["default"]
        return schema

    @api.model
    def _sh_api_openapi_body(self, spec):
        return {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": [name for name, rule in spec.items() if rule.get("required")],
                        "properties": {
                            name: {
                                **self._sh_api_openapi_schema(rule),
                                "description": rule.get("description", ""),
                            }
                            for name, rule in spec.items()
                        },
                    }
                }
            },
        }

    @api.model
    def _sh_api_openapi_operation(
        self, summary, answer, errors, spec=None, body=None, status=200, customer=False
    ):
        """One operation: ``answer`` is the schema of the success answer,
        ``errors`` the error statuses it may give besides 400 and 401."""
        parameters = [{"$ref": "#/components/parameters/company"}]
        if customer:
            parameters.insert(0, {"$ref": "#/components/parameters/customer_id"})
        if body is not None:
            parameters.append({"$ref": "#/components/parameters/idempotency_key"})
        parameters += self._sh_api_openapi_parameters(spec or {})
        operation = {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                str(status): {
                    "description": summary,
                    "content": {"application/json": {"schema": answer}},
                },
                **{
                    str(code): {"$ref": f"#/components/responses/{code}"}
                    for code in sorted({400, 401, *errors})
                },
            },
        }
        if body is not None:
            operation["requestBody"] = self._sh_api_openapi_body(body)
            operation["responses"][str(status)]["headers"] = {
                "Idempotent-Replayed": {
                    "description": "'true' when the answer is the stored answer to an "
                    "earlier request with the same Idempotency-Key.",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            }
        return operation

    @api.model
    def _sh_api_openapi_paths(self):
        specs = self._sh_api_specs()
        free_object = {"type": "object", "additionalProperties": True}
        ranked = {
            "type": "object",
            "required": ["total", "limit", "offset", "items"],
            "properties": {
                "total": {"type": "integer"},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "by": {"type": "string"},
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "name", "code"],
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "code": {"type": "string", "nullable": True},
                            "value": {"type": "number"},
                            "reasons": {"type": "array", "items": {"type": "string"}},
                        },
                    },
                },
            },
        }
        return {
            "/api/customers/{id}/": {
                "get": self._sh_api_openapi_operation(
                    "One customer's summary in the current company",
                    {"$ref": "#/components/schemas/CustomerSummary"},
                    [403, 404],
                    customer=True,
                )
            },
            "/api/customers/dashboard/": {
                "get": self._sh_api_openapi_operation(
                    "The dashboard's data for a period, with the previous period",
                    free_object,
                    [403, 422],
                    spec=specs["dashboard"],
                )
            },
            "/api/customers/analytics/": {
                "get": self._sh_api_openapi_operation(
                    "Segments, retention, churn, repeat rate, AOV, CLV, NPS, CEI, engagement",
                    free_object,
                    [403, 422],
                    spec=specs["analytics"],
                )
            },
            "/api/customers/top-customers/": {
                "get": self._sh_api_openapi_operation(
                    "Customers ranked by net sales (or another measure) in a period",
                    ranked,
                    [403, 422],
                    spec=specs["top_customers"],
                )
            },
            "/api/customers/at-risk/": {
                "get": self._sh_api_openapi_operation(
                    "At-risk customers and why",
                    ranked,
                    [403, 422],
                    spec=specs["at_risk"],
                )
            },
            "/api/customers/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3 document",
                            "content": {"application/json": {"schema": free_object}},
                        }
                    },
                }
            },
        }
