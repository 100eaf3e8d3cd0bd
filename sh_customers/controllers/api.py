"""The customers REST API over HTTP: one controller serves every route of
``/api/customers/`` that the ``sh.customer.api`` model declares, the
installed addons' included. It does the HTTP part: the user's language and
company, the query string or the JSON body, the idempotency key, the
rollback of a refused request and the JSON error answer; the model finds
the route, checks the values and answers."""

import json

from psycopg2.errors import ReadOnlySqlTransaction

from odoo import http
from odoo.http import request
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..api.checks import CONTROL_RE, parse_headers
from ..api.errors import ApiError, error_answer
from ..api.routes import OPENAPI_PATH, PREFIX

MAX_BODY_SIZE = 1024 * 1024
# Methods that only read: served in a read-only transaction, on the read
# replica when the server has one (``db_replica_host``).
READ_METHODS = ("GET", "HEAD")


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


def _read_body(max_size=MAX_BODY_SIZE):
    httprequest = request.httprequest
    if httprequest.args:
        raise ApiError(
            400,
            request.env._(
                "Unknown parameter: %(names)s.", names=", ".join(sorted(httprequest.args))
            ),
        )
    if httprequest.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ApiError(
            400, request.env._("Send the body as JSON, with Content-Type: application/json.")
        )
    raw = httprequest.get_data(cache=True)
    if len(raw) > max_size:
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


def _idempotent(env, route, headers, params):
    """For a POST sent with an ``Idempotency-Key``: ``(stored answer,
    None)`` when the key was used already, ``(None, claimed entry)`` when
    it is new; ``(None, None)`` otherwise."""
    key = headers.get("Idempotency-Key") if route.method == "POST" else None
    if key is None:
        return None, None
    Idempotency = env["sh.api.idempotency"]
    path = request.httprequest.path
    replay = Idempotency._sh_replay(key, path, params)
    if replay:
        return replay, None
    return None, Idempotency._sh_claim(key, path, params)


def serve():
    """Answer the current request with the route of the API it asks for.

    A POST with an ``Idempotency-Key`` header is applied once: a repeat gets
    the stored answer. Whatever goes wrong, the answer is a JSON error and
    the request's transaction is rolled back; only concurrency errors and
    a write refused by a read-only transaction go up, so that the server
    retries the request (the latter in a read/write transaction)."""
    httprequest = request.httprequest
    try:
        _api_lang()
        if CONTROL_RE.search(httprequest.path):
            # No route of the API has such a character: the path would
            # otherwise reach the database with the idempotency key.
            raise ApiError(404, request.env._("No such route."))
        route, path_values = request.env["sh.customer.api"]._sh_api_match(
            httprequest.path, httprequest.method
        )
        headers = parse_headers(request.env, httprequest.headers)
        env = _api_env(headers)
        params = (
            _read_query() if route.method == "GET" else _read_body(route.max_body or MAX_BODY_SIZE)
        )
        replay, entry = _idempotent(env, route, headers, params)
        if replay:
            status, answer = replay
            return json_response(answer, status=status, headers=[("Idempotent-Replayed", "true")])
        answer = env["sh.customer.api"]._sh_api_call(route, path_values, params)
        if entry:
            entry._sh_store(route.status, answer)
        env.flush_all()
        return json_response(answer, status=route.status)
    except (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, ReadOnlySqlTransaction):
        raise
    except Exception as exc:  # noqa: BLE001 - every error becomes a JSON answer
        # The request's transaction holds only what this request did: a
        # refused request changes nothing.
        request.env.cr.rollback()
        return error_response(exc)


def _reads_only(_controller):
    """Whether the current request only reads (a GET): Odoo then serves it
    in a read-only transaction, on the read replica when there is one, and
    serves it again in a read/write one should it write after all."""
    return request.httprequest.method in READ_METHODS


class CustomersApi(http.Controller):
    # The routes read the query string and the body themselves (see serve);
    # ``_params`` only keeps Odoo from warning about parameters it passes.

    @http.route(
        OPENAPI_PATH, type="http", auth="public", csrf=False, save_session=False, readonly=True
    )
    def openapi(self, **_params):
        try:
            document = request.env["sh.customer.api"].get_openapi(
                base_url=request.httprequest.host_url.rstrip("/")
            )
        except ReadOnlySqlTransaction:
            raise
        except Exception as exc:  # noqa: BLE001
            return error_response(exc)
        return json_response(document)

    @http.route(
        PREFIX + "<path:_path>",
        type="http",
        auth="bearer",
        csrf=False,
        save_session=False,
        readonly=_reads_only,
    )
    def serve_route(self, **_params):
        """Every other route: the routes ``sh.customer.api`` declares."""
        return serve()
