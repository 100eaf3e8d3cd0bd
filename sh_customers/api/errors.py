"""The API's refusals: :class:`ApiError` (a status and a translated
message) and :func:`error_answer`, which turns any exception into the JSON
error answer ``{"error": {"code", "message"}}``."""

import logging

from psycopg2 import IntegrityError
from werkzeug.exceptions import HTTPException

from odoo import http
from odoo.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)

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
# What each error status means, as the OpenAPI document says it.
ERROR_DESCRIPTIONS = {
    400: "Malformed request: bad JSON, a value of the wrong type or an unknown parameter.",
    401: "No API key, or an invalid or expired one.",
    403: "The key's user is not allowed to do this.",
    404: "No such customer, or not visible to the key's user in the current company.",
    409: "Conflict: not enough points, or an idempotency key reused with another request.",
    422: "A value is not valid.",
}


class ApiError(Exception):
    """A refused API request: its HTTP status and a translated message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.code = ERROR_CODES.get(status, "error")
        self.message = message


def _status_and_message(env, exception):
    if isinstance(exception, ApiError):
        return exception.status, exception.message
    if isinstance(exception, AccessDenied | http.SessionExpiredException):
        return 401, env._("A valid API key is required: Authorization: Bearer <key>.")
    if isinstance(exception, AccessError):
        return 403, exception.args[0]
    if isinstance(exception, MissingError):
        return 404, exception.args[0]
    if isinstance(exception, UserError):
        return 422, exception.args[0]
    if isinstance(exception, IntegrityError):
        return 422, env._("The values break a rule of the database.")
    if isinstance(exception, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
        return 503, env._("The server is busy; send the request again.")
    if isinstance(exception, HTTPException) and exception.code == 401:
        return 401, env._("A valid API key is required: Authorization: Bearer <key>.")
    if isinstance(exception, HTTPException) and exception.code == 404:
        return 404, env._("No such route.")
    if isinstance(exception, HTTPException) and exception.code and exception.code < 500:
        return exception.code, exception.description or exception.name
    _logger.error("Customers API: unexpected error", exc_info=exception)
    return 500, env._("An unexpected error occurred; it has been logged.")


def error_answer(env, exception):
    """``(status, body)`` of the JSON answer to ``exception``; an unexpected
    error is logged and answered without its details."""
    status, message = _status_and_message(env, exception)
    # A message may quote the request: keep it writable as UTF-8.
    message = str(message).encode("utf-8", "replace").decode()
    return status, {"error": {"code": ERROR_CODES.get(status, "error"), "message": message}}
