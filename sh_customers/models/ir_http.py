"""The customers API's part of Odoo's HTTP layer: a bearer key holding a
control character is refused before the database, and the errors raised
around the API's routes (no key, a bad key) are answered in its JSON."""

import werkzeug

from odoo import models
from odoo.http import request

from ..api.checks import CONTROL_RE
from ..api.errors import error_answer
from ..api.routes import PREFIX


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _auth_method_bearer(cls):
        """A key holding a control character is no key: refused before it
        is looked up in the database, which cannot hold a NUL."""
        if CONTROL_RE.search(request.httprequest.headers.get("Authorization") or ""):
            raise werkzeug.exceptions.Unauthorized("Invalid apikey")
        return super()._auth_method_bearer()

    @classmethod
    def _handle_error(cls, exception):
        """Errors raised around the customers API's routes (a missing or bad
        API key, an unknown route) are answered in the API's JSON format."""
        if request and request.httprequest.path.startswith(PREFIX):
            status, answer = error_answer(request.env, exception)
            return request.make_json_response(answer, status=status)
        return super()._handle_error(exception)
