"""The customers REST API: ``/api/customers/...``, JSON in and out.

Each route parses the request, calls one method of ``sh.customer.api`` and
shapes its answer; :func:`serve` does the common part: the company, the
body, the idempotency key, the savepoint that undoes a refused request, and
the JSON error answer."""

import json
import logging

from odoo import http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..models.sh_customer_api import CONTROL_RE, ApiError, error_answer

_logger = logging.getLogger(__name__)

MAX_BODY_SIZE = 1024 * 1024


def api_route(path, auth="bearer"):
    """A route of the API. The method is checked by :func:`serve` so that a
    wrong one is answered in JSON too."""
    return http.route(path, type="http", auth=auth, csrf=False, save_session=False)


def json_response(data, status=200, headers=None):
    return request.make_json_response(data, status=status, headers=headers)


def error_response(exception):
    status, answer = error_answer(request.env, exception)
    return json_response(answer, status=status)


def _api_lang():
    """Answer in the key user's language, errors included."""
    user = request.env.user
    if user.lang:
        request.update_env(context=dict(request.env.context, lang=user.lang))


def _api_env(headers):
    """The key user's environment: their default company, or the allowed
    company named by the ``X-Company-Id`` header."""
    user = request.env.user
    company = user.company_id
    if "X-Company-Id" in headers:
        company = user.company_ids.filtered(lambda c: c.id == headers["X-Company-Id"])
        if not company:
            raise ApiError(
                403,
                request.env._(
                    "The company %(id)s is not one of yours.", id=headers["X-Company-Id"]
                ),
            )
    request.update_env(context=dict(request.env.context, allowed_company_ids=[company.id]))
    return request.env


def _read_body():
    httprequest = request.httprequest
    if httprequest.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ApiError(
            400, request.env._("Send the body as JSON, with Content-Type: application/json.")
        )
    raw = httprequest.get_data(cache=True)
    if len(raw) > MAX_BODY_SIZE:
        raise ApiError(400, request.env._("The request body is too large."))

    def refuse_constant(name):
        raise ValueError(name)

    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, request.env._("The request body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise ApiError(400, request.env._("The request body must be a JSON object."))
    return body


def _read_query():
    args = request.httprequest.args
    repeated = sorted(name for name, values in args.lists() if len(values) > 1)
    if repeated:
        raise ApiError(
            400,
            request.env._("Parameter given more than once: %(names)s.", names=", ".join(repeated)),
        )
    return args.to_dict()


def serve(handler, method="GET", status=200):
    """Answer the current request with ``handler(env, params)``.

    ``params`` is the query string of a GET, the JSON body of a POST. A
    POST with an ``Idempotency-Key`` header is applied once: a repeat gets
    the stored answer. Whatever goes wrong, the answer is a JSON error and
    the request's transaction is rolled back; only concurrency errors go
    up, so that the server retries the request."""
    httprequest = request.httprequest
    try:
        _api_lang()
        if httprequest.method != method:
            raise ApiError(
                405,
                request.env._("Use %(method)s on this route.", method=method),
            )
        if CONTROL_RE.search(httprequest.path):
            # No route of the API has such a character: the path would
            # otherwise reach the database with the idempotency key.
            raise ApiError(404, request.env._("No such route."))
        headers = request.env["sh.customer.api"]._sh_api_headers(httprequest.headers)
        env = _api_env(headers)
        if method == "GET":
            params = _read_query()
        else:
            if httprequest.args:
                raise ApiError(
                    400,
                    request.env._(
                        "Unknown parameter: %(names)s.",
                        names=", ".join(sorted(httprequest.args)),
                    ),
                )
            params = _read_body()
        key = headers.get("Idempotency-Key") if method == "POST" else None
        entry = None
        if key is not None:
            Idempotency = env["sh.api.idempotency"]
            replay = Idempotency._sh_replay(key, httprequest.path, params)
            if replay:
                return json_response(
                    replay[1], status=replay[0], headers=[("Idempotent-Replayed", "true")]
                )
            entry = Idempotency._sh_claim(key, httprequest.path, params)
        answer = handler(env, params)
        if entry:
            entry._sh_store(status, answer)
        env.flush_all()
        return json_response(answer, status=status)
    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
        raise
    except Exception as exc:  # noqa: BLE001 - every error becomes a JSON answer
        # The request's transaction holds only what this request did: a
        # refused request changes nothing.
        request.env.cr.rollback()
        return error_response(exc)


class CustomersApi(http.Controller):
    # The routes read the query string and the body themselves (see serve);
    # ``_params`` only keeps Odoo from warning about parameters it passes.

    @api_route("/api/customers/openapi.json", auth="public")
    def openapi(self, **_params):
        try:
            document = request.env["sh.customer.api"].get_openapi(
                base_url=request.httprequest.host_url.rstrip("/")
            )
        except Exception as exc:  # noqa: BLE001
            return error_response(exc)
        return json_response(document)

    @api_route("/api/customers/dashboard/")
    def dashboard(self, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_dashboard(params))

    @api_route("/api/customers/analytics/")
    def analytics(self, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_analytics(params))

    @api_route("/api/customers/top-customers/")
    def top_customers(self, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_top_customers(params))

    @api_route("/api/customers/at-risk/")
    def at_risk(self, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_at_risk_customers(params))

    @api_route("/api/customers/<string:customer_id>/")
    def customer(self, customer_id, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_customer(customer_id, params))

    @api_route("/api/customers/<path:unknown>")
    def unknown(self, unknown, **_params):
        return error_response(
            ApiError(404, request.env._("No such route: %(path)s", path=request.httprequest.path))
        )
