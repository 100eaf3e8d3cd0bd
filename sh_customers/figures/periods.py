"""The period vocabulary of the customer figures, shared by the customers
list's KPI cards, the dashboard, the API and the reports: the named periods
(each ending today), their labels, how far back the period compared with
each lies, and the helpers turning a period, named or given by its dates,
into its first and last day and those of the period before it."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tools.misc import format_date
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The named periods, in the order they are offered: name, label, and the
# months between the period and the one compared with it.
NAMED_PERIODS = (
    ("this_month", _lt("This Month"), 1),
    ("quarter", _lt("This Quarter"), 3),
    ("year", _lt("This Year"), 12),
    ("12m", _lt("Last 12 Months"), 12),
)
PERIOD_MONTHS = {name: months for name, _label, months in NAMED_PERIODS}
PERIOD_LABELS = {name: label for name, label, _months in NAMED_PERIODS}
DEFAULT_PERIOD = "12m"
# A period given by its first and last day.
CUSTOM = "custom"
MAX_PERIOD_DAYS = 3660


def period_start(period, today):
    """First day of the named ``period`` that ends ``today``."""
    if period == "this_month":
        return today.replace(day=1)
    if period == "quarter":
        return today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
    if period == "year":
        return today.replace(day=1, month=1)
    return today - relativedelta(months=12) + timedelta(days=1)


def previous_period(period, start, end):
    """First and last day of the period compared with ``start``-``end``: a
    named period moved back by its months, or the days of the same length
    just before a custom one."""
    if period in PERIOD_MONTHS:
        shift = relativedelta(months=PERIOD_MONTHS[period])
        return start - shift, end - shift
    previous_to = start - timedelta(days=1)
    return previous_to - (end - start), previous_to


def parse_date(env, value, name):
    """``value`` (a date or its YYYY-MM-DD text) as a date; a UserError
    naming the parameter ``name`` otherwise."""
    if isinstance(value, date):
        return value
    try:
        parsed = fields.Date.to_date(value)
    except (TypeError, ValueError):
        parsed = None
    if not parsed:
        raise UserError(
            env._(
                "%(name)s must be a date written YYYY-MM-DD, not %(value)s.",
                name=name,
                value=value,
            )
        )
    return parsed


def resolve_period(env, today, period=DEFAULT_PERIOD, date_from=None, date_to=None):
    """``(period, first day, last day)`` of the period asked for: the days
    from ``date_from`` to ``date_to`` (by default today) when a date is
    given or ``period`` is "custom", otherwise the named ``period`` ending
    ``today``. Raises a UserError for an unknown name, an unreadable
    date, a period that ends before it starts or spans over ten years."""
    if period == CUSTOM or date_from or date_to:
        start = parse_date(env, date_from, "date_from") if date_from else None
        end = parse_date(env, date_to, "date_to") if date_to else today
        if not start:
            raise UserError(env._("Give the first day of the period (date_from)."))
        if start > end:
            raise UserError(
                env._(
                    "The period starts (%(start)s) after it ends (%(end)s).",
                    start=fields.Date.to_string(start),
                    end=fields.Date.to_string(end),
                )
            )
        if (end - start).days > MAX_PERIOD_DAYS:
            raise UserError(env._("The period cannot be longer than ten years."))
        return CUSTOM, start, end
    if period not in PERIOD_MONTHS:
        raise UserError(
            env._(
                "Unknown period %(period)s; use one of: %(periods)s.",
                period=period,
                periods=", ".join(PERIOD_MONTHS),
            )
        )
    return period, period_start(period, today), today


def period_label(env, period, start, end):
    """The period as a user reads it, in the user's language: the named
    period's label, or its first and last day."""
    if period in PERIOD_LABELS:
        return env._(PERIOD_LABELS[period])
    return env._(
        "%(start)s - %(end)s",
        start=format_date(env, start),
        end=format_date(env, end),
    )


def period_choices(env):
    """The named periods as (name, label) pairs, labels in the user's
    language, for a select or an API's description."""
    return [(name, env._(label)) for name, label, _months in NAMED_PERIODS]
