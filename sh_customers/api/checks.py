"""The checks of every value the API reads (path, query string, body,
headers) before it reaches the database.

A value is described by a rule: ``{"type": "int" | "number" | "bool" |
"date" | "datetime" | "choice" | "string" | "list" | "int_list", "required",
"min", "max", "min_length", "max_length", "single_line", "choices",
"default", "max_items", "items", "description"}``; a set of parameters by a
spec, ``{name: rule}``. A ``list`` holds at most ``max_items`` values, each
described by its ``items`` schema. An ``int_list`` (a JSON array of
integers, in a body only) holds between ``min_items`` and ``max_items``
distinct integers checked by its ``item`` rule. The same
rules give the OpenAPI document its schemas (:mod:`.openapi`)."""

import re
from datetime import date, datetime, timezone

from .errors import ApiError

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
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
INT_RE = re.compile(r"-?\d{1,18}\Z", re.ASCII)
NUMBER_RE = re.compile(r"-?\d{1,15}(\.\d{1,6})?\Z", re.ASCII)

PAGING_SPEC = {
    "limit": {"type": "int", "min": 1, "max": MAX_LIMIT, "default": 20},
    "offset": {"type": "int", "min": 0, "max": MAX_INT, "default": 0},
}
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


def parse(env, values, spec, from_query=False):
    """Check ``values`` (the JSON body, or the query string when
    ``from_query``: every value a string) against ``spec`` and return the
    converted values, defaults filled in. Unknown names and values of the
    wrong type raise a 400, values out of range or holding control
    characters a 422."""
    unknown = sorted(set(values) - set(spec))
    if unknown:
        raise ApiError(
            400,
            env._("Unknown parameter: %(names)s.", names=", ".join(map(str, unknown))[:200]),
        )
    result = {}
    for name, rule in spec.items():
        if name not in values or values[name] is None:
            if rule.get("required"):
                raise ApiError(422, env._("%(name)s is required.", name=name))
            if "default" in rule:
                result[name] = rule["default"]
            continue
        result[name] = convert(env, name, values[name], rule, from_query)
    return result


def parse_headers(env, headers):
    """The API's request headers (``HEADER_SPECS``) that ``headers``
    carries, checked and converted like parameters."""
    return {
        name: convert(env, name, headers[name], rule, from_query=True)
        for name, rule in HEADER_SPECS.items()
        if name in headers
    }


def convert(env, name, value, rule, from_query):
    """``value`` checked against ``rule`` and converted to its type."""
    kind = rule["type"]
    if kind == "int_list":
        return _int_list(env, name, value, rule)
    if isinstance(value, str):
        _check_text(env, name, value, rule)
    if kind in ("int", "number"):
        return _number(env, name, value, rule, from_query)
    if kind == "bool":
        if from_query and value in ("true", "false", "1", "0"):
            value = value in ("true", "1")
        if not isinstance(value, bool):
            raise ApiError(400, env._("%(name)s must be true or false.", name=name))
        return value
    if kind == "list":
        return _list(env, name, value, rule)
    if not isinstance(value, str):
        raise ApiError(400, env._("%(name)s must be a string.", name=name))
    if kind == "date":
        return _date(env, name, value)
    if kind == "datetime":
        return _datetime(env, name, value)
    if kind == "choice" and value not in rule["choices"]:
        raise ApiError(
            422,
            env._(
                "%(name)s must be one of: %(choices)s.",
                name=name,
                choices=", ".join(rule["choices"]),
            ),
        )
    if kind == "string":
        return _string(env, name, value, rule)
    return value


def _list(env, name, value, rule):
    """A JSON array of at most ``max_items`` items; the route's handler
    checks the items (``items`` describes them in the document)."""
    if not isinstance(value, list):
        raise ApiError(400, env._("%(name)s must be a list.", name=name))
    if (rule.get("required") or rule.get("min_items")) and not value:
        raise ApiError(422, env._("%(name)s is required.", name=name))
    max_items = rule.get("max_items", MAX_LIMIT)
    if len(value) > max_items:
        raise ApiError(
            422,
            env._("%(name)s has too many items: at most %(max)s.", name=name, max=max_items),
        )
    return value


def _string(env, name, value, rule):
    value = value.strip()
    if (rule.get("required") or rule.get("min_length")) and not value:
        raise ApiError(422, env._("%(name)s is required.", name=name))
    max_length = rule.get("max_length", MAX_STRING)
    if len(value) > max_length:
        raise ApiError(
            422,
            env._("%(name)s is too long: at most %(max)s characters.", name=name, max=max_length),
        )
    return value


def _check_text(env, name, value, rule):
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
        raise ApiError(422, env._("%(name)s contains a character that is not allowed.", name=name))


def _number(env, name, value, rule, from_query):
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
            raise ApiError(400, env._("%(name)s must be an integer.", name=name))
        raise ApiError(400, env._("%(name)s must be a number.", name=name))
    low, high = number_bounds(rule)
    if value < low:
        raise ApiError(422, env._("%(name)s must be at least %(min)s.", name=name, min=low))
    if value > high:
        raise ApiError(422, env._("%(name)s must be at most %(max)s.", name=name, max=high))
    return value


def _int_list(env, name, value, rule):
    """A list of distinct integers, each checked by the rule's ``item``,
    in the order given, repeats dropped."""
    if not isinstance(value, list):
        raise ApiError(400, env._("%(name)s must be a list of integers.", name=name))
    items = list(dict.fromkeys(_number(env, name, item, rule["item"], False) for item in value))
    if rule.get("min_items") and not items:
        raise ApiError(422, env._("%(name)s must not be empty.", name=name))
    if len(items) < rule.get("min_items", 0):
        raise ApiError(
            422,
            env._("%(name)s needs at least %(min)s values.", name=name, min=rule["min_items"]),
        )
    if "max_items" in rule and len(items) > rule["max_items"]:
        raise ApiError(
            422,
            env._("%(name)s takes at most %(max)s values.", name=name, max=rule["max_items"]),
        )
    return items


def _date(env, name, value):
    try:
        if not DATE_RE.match(value):
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            400, env._("%(name)s must be a date written YYYY-MM-DD.", name=name)
        ) from None
    _check_date(env, name, day)
    return day


def _datetime(env, name, value):
    """An ISO 8601 date and time; without a time zone it is UTC."""
    try:
        if len(value) > 40:
            raise ValueError(value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(
            400,
            env._("%(name)s must be a date and time written YYYY-MM-DDTHH:MM:SS.", name=name),
        ) from None
    _check_date(env, name, moment.date())
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _check_date(env, name, day):
    if not MIN_DATE <= day <= MAX_DATE:
        raise ApiError(
            422,
            env._(
                "%(name)s must be between %(min)s and %(max)s.",
                name=name,
                min=MIN_DATE.isoformat(),
                max=MAX_DATE.isoformat(),
            ),
        )
