"""The OpenAPI 3 document of the API, built from the route declarations
(:class:`.routes.Route`) and their specs (:mod:`.checks`), and the small
schema builders the addons describe their answers with."""

from .checks import HEADER_SPECS, MAX_LIMIT, MAX_STRING, number_bounds
from .errors import ERROR_DESCRIPTIONS

INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
# An answer whose keys the document does not list (the dashboard's data).
FREE_OBJECT = {"type": "object", "additionalProperties": True}
# The component parameter of each path value.
PATH_PARAMETERS = {"id": "customer_id"}
SCHEMA_OF_TYPE = {
    "int": INTEGER,
    "number": NUMBER,
    "bool": BOOLEAN,
    "date": DATE,
    "datetime": {"type": "string", "format": "date-time"},
    "string": STRING,
}


def ref(name, kind="schemas"):
    return {"$ref": f"#/components/{kind}/{name}"}


def nullable(schema, description=None):
    """``schema`` that may also be null."""
    result = {**schema, "nullable": True}
    if description:
        result["description"] = description
    return result


def enum(keys, nullable=False):
    """A string among ``keys`` (or null)."""
    if nullable:
        return {"type": "string", "nullable": True, "enum": [*keys, None]}
    return {"type": "string", "enum": list(keys)}


def obj(properties, required=None, nullable=False):
    """An object of ``properties``, every one of them required unless
    ``required`` names those that are."""
    schema = {
        "type": "object",
        "required": list(properties) if required is None else list(required),
        "properties": properties,
    }
    if not schema["required"]:
        del schema["required"]
    if nullable:
        schema["nullable"] = True
    return schema


def reference(nullable=True, **properties):
    """A record named in an answer: ``{"id", "name"}`` and ``properties``."""
    return obj({"id": INTEGER, "name": STRING, **properties}, required=(), nullable=nullable)


def page(items, **properties):
    """A page of a list: ``total``, ``limit``, ``offset``, ``properties``
    (all required) and the ``items`` of schema ``items``."""
    return obj(
        {
            **properties,
            "total": INTEGER,
            "limit": INTEGER,
            "offset": INTEGER,
            "items": {"type": "array", "items": items},
        }
    )


def schema(rule):
    """The schema of a value checked by ``rule`` (see :mod:`.checks`)."""
    kind = rule["type"]
    if kind == "choice":
        result = {"type": "string", "enum": list(rule["choices"])}
    elif kind == "list":
        result = {
            "type": "array",
            "items": rule.get("items", {}),
            "maxItems": rule.get("max_items", MAX_LIMIT),
        }
    elif kind == "int_list":
        result = {"type": "array", "items": schema(rule["item"]), "uniqueItems": True}
        if "min_items" in rule:
            result["minItems"] = rule["min_items"]
        if "max_items" in rule:
            result["maxItems"] = rule["max_items"]
    else:
        result = dict(SCHEMA_OF_TYPE[kind])
    if kind in ("int", "number"):
        result["minimum"], result["maximum"] = number_bounds(rule)
    if kind == "string":
        if rule.get("required") or rule.get("min_length"):
            result["minLength"] = rule.get("min_length", 1)
        result["maxLength"] = rule.get("max_length", MAX_STRING)
    if "default" in rule:
        result["default"] = rule["default"]
    return result


def _parameter(name, place, rule, required=False):
    return {
        "name": name,
        "in": place,
        "required": required,
        "description": rule.get("description", ""),
        "schema": schema(rule),
    }


def _body(spec):
    properties = {
        name: {**schema(rule), "description": rule.get("description", "")}
        for name, rule in spec.items()
    }
    body_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, rule in spec.items() if rule.get("required")],
        "properties": properties,
    }
    return {"required": True, "content": {"application/json": {"schema": body_schema}}}


def _errors(route):
    """The error statuses of ``route`` besides 400 and 401: every route
    checks the user's rights (403) and the company header (422); a
    customer's route may not find it (404); a POST's idempotency key may
    conflict (409)."""
    statuses = {400, 401, 403, 422}
    if route.path_params:
        statuses.add(404)
    if route.method == "POST":
        statuses.add(409)
    return sorted(statuses)


def operation(route):
    """The OpenAPI operation of ``route``."""
    parameters = [ref(PATH_PARAMETERS[name], "parameters") for name in route.path_params]
    parameters.append(ref("company", "parameters"))
    if route.method == "POST":
        parameters.append(ref("idempotency_key", "parameters"))
    parameters += [
        _parameter(name, "query", rule, bool(rule.get("required")))
        for name, rule in route.query.items()
    ]
    answer = ref(route.answer) if isinstance(route.answer, str) else route.answer
    success = {"description": route.summary, "content": {"application/json": {"schema": answer}}}
    result = {
        "tags": list(route.tags),
        "summary": route.summary,
        "parameters": parameters,
        "responses": {
            str(route.status): success,
            **{str(status): ref(status, "responses") for status in _errors(route)},
        },
    }
    if route.method == "POST":
        result["requestBody"] = _body(route.body)
        success["headers"] = {
            "Idempotent-Replayed": {
                "description": "'true' when the answer is the stored answer to an "
                "earlier request with the same Idempotency-Key.",
                "schema": {"type": "string", "enum": ["true"]},
            }
        }
    return result


def paths(routes, document_path):
    """The document's paths: an operation per route, and the document's
    own path, which needs no key."""
    result = {}
    for route in routes:
        result.setdefault(route.path, {})[route.method.lower()] = operation(route)
    result[document_path] = {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3 document",
                    "content": {"application/json": {"schema": FREE_OBJECT}},
                }
            },
        }
    }
    return result


def components(schemas):
    """The document's components: the key, the shared parameters, the
    answers' ``schemas`` and the error answers."""
    return {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "An Odoo API key (Preferences ‣ Account Security).",
            }
        },
        "parameters": {
            "customer_id": {
                **_parameter("id", "path", {"type": "int", "min": 1}, required=True),
                "description": "Customer id (a company or individual without parent).",
            },
            "company": _parameter("X-Company-Id", "header", HEADER_SPECS["X-Company-Id"]),
            "idempotency_key": _parameter(
                "Idempotency-Key", "header", HEADER_SPECS["Idempotency-Key"]
            ),
        },
        "schemas": {
            "Error": obj({"error": obj({"code": STRING, "message": STRING})}),
            **schemas,
        },
        "responses": {
            str(status): {
                "description": description,
                "content": {"application/json": {"schema": ref("Error")}},
            }
            for status, description in ERROR_DESCRIPTIONS.items()
        },
    }
