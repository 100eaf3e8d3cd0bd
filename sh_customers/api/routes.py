"""The declaration of a route of the API (:class:`Route`) and the table
that finds the route a request asks for (:class:`RouteTable`).

Each route is declared once, by the ``sh.customer.api`` model's
``_sh_api_routes()``; the controller serves the table, the model checks
the input against the route's specs and the OpenAPI document describes it
(:mod:`.openapi`)."""

import re
from dataclasses import dataclass, field

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

PREFIX = "/api/customers/"
OPENAPI_PATH = PREFIX + "openapi.json"
PATH_PARAM_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    """One operation of the API.

    ``path`` is the OpenAPI path template (``/api/customers/{id}/``);
    ``handler`` names the ``sh.customer.api`` method that answers, called
    with the path's values (as written) and the checked ``query`` or
    ``body`` values (a private method, so that no RPC call reaches it with
    values left unchecked); ``query`` and ``body`` are specs (see
    :mod:`.checks`), ``body`` only for a POST; ``answer`` is the name of a
    schema of the document's components or a schema; ``status`` the
    success status; ``tags`` group the operations in the document;
    ``max_body`` the largest body a POST may send, in bytes, when more than
    the controller's default."""

    method: str
    path: str
    handler: str
    summary: str
    answer: str | dict
    query: dict = field(default_factory=dict)
    body: dict | None = None
    status: int = 200
    tags: tuple = ("Customers",)
    max_body: int | None = None

    def __post_init__(self):
        assert self.path.startswith(PREFIX), self.path
        assert (self.body is not None) == (self.method == "POST"), self.path
        assert not (self.body and self.query), self.path

    @property
    def path_params(self):
        """The names of the path's values, in their order."""
        return PATH_PARAM_RE.findall(self.path)

    @property
    def spec(self):
        """The spec of the values the route reads: its body or its query."""
        return self.body if self.body is not None else self.query


class RouteTable:
    """The routes of the installed addons, matched as Odoo matches its own
    (werkzeug's routing, a trailing slash optional)."""

    def __init__(self, routes):
        self.routes = {}
        for route in routes:
            assert (route.path, route.method) not in self.routes, route.path
            self.routes[route.path, route.method] = route
        paths = dict.fromkeys(path for path, _method in self.routes)
        self.map = Map(
            [Rule(PATH_PARAM_RE.sub(r"<\1>", path), endpoint=path) for path in paths],
            strict_slashes=False,
            merge_slashes=False,
        )

    def match(self, path, method):
        """``(route, path values)`` of the route that serves ``method`` on
        ``path``; ``(None, methods)`` when the path is served with other
        methods only; ``(None, None)`` when no route has that path."""
        try:
            template, values = self.map.bind("api").match(path, method="GET")
        except (NotFound, MethodNotAllowed, RequestRedirect):
            return None, None
        route = self.routes.get((template, method))
        if not route:
            return None, sorted(m for p, m in self.routes if p == template)
        return route, [values[name] for name in route.path_params]
