"""The customer dashboard's context (``ctx``): the period asked for resolved
into its first and last day and those of the period compared with it, their
months, the company, its tree and currency, and whether the user may see
receivables; every part of the dashboard reads it and the figures read once
are kept in it. Also the period as the dashboard's answer and the customers
list's KPI cards take it."""

from datetime import datetime, time, timedelta

import pytz
from babel.dates import format_date as babel_format_date
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools.misc import get_lang

from .periods import period_label, previous_period, resolve_period
from .rules import DEBT_GROUPS


def months_between(start, end):
    """The first day of each month from ``start``'s to ``end``'s."""
    month = start.replace(day=1)
    months = []
    while month <= end:
        months.append(month)
        month += relativedelta(months=1)
    return months


def month_label(env, month):
    """A month as the charts name it (e.g. "Jun 2026"), in the user's
    language."""
    return babel_format_date(month, "MMM yyyy", locale=get_lang(env).code)


def dashboard_context(env, today, date_from, date_to, period, compare):
    """The context of the period given by ``date_from``/``date_to`` or, without
    dates, by ``period`` (ending ``today``), compared with the previous
    period of the same length when ``compare``."""
    period, start, end = resolve_period(env, today, period, date_from, date_to)
    previous_from, previous_to = previous_period(period, start, end)
    months = months_between(start, end)
    # Align the previous period's months with this period's.
    previous_months = (months_between(previous_from, previous_to) + [None] * len(months))[
        : len(months)
    ]
    company = env.company
    return {
        "today": today,
        "period": period,
        "date_from": start,
        "date_to": end,
        "previous_from": previous_from,
        "previous_to": previous_to,
        "months": months,
        "previous_months": previous_months,
        "compare": bool(compare),
        "company": company,
        # A company sees the sales and receivables of its whole company
        # tree, as the customer figures do.
        "company_ids": company._sh_tree_company_ids(),
        "currency": company.currency_id,
        "show_debt": env.user.has_groups(DEBT_GROUPS),
    }


def period_data(env, ctx):
    """The period of ``ctx`` as plain data, with its label."""
    return {
        "date_from": fields.Date.to_string(ctx["date_from"]),
        "date_to": fields.Date.to_string(ctx["date_to"]),
        "previous_from": fields.Date.to_string(ctx["previous_from"]),
        "previous_to": fields.Date.to_string(ctx["previous_to"]),
        "period": ctx["period"],
        "label": period_label(env, ctx["period"], ctx["date_from"], ctx["date_to"]),
    }


def list_period(ctx):
    """The dashboard's period as the customers list's KPI cards take it
    (they name the periods alike): its name ("custom" for dates) and
    dates."""
    return {
        "period": ctx["period"],
        "date_from": fields.Date.to_string(ctx["date_from"]),
        "date_to": fields.Date.to_string(ctx["date_to"]),
    }


def datetime_bounds(env, date_from, date_to):
    """The UTC datetimes at which the user's day ``date_from`` starts and
    the day after ``date_to`` starts."""
    tz = pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")

    def midnight(day):
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    return midnight(date_from), midnight(date_to + timedelta(days=1))


def history_days(ctx):
    """The days the figures read each customer's history on, in order and
    each once (a period often starts the day after the previous one ends):
    the ends of both periods and the days before their starts."""
    return sorted(
        {
            ctx["date_from"] - timedelta(days=1),
            ctx["date_to"],
            ctx["previous_from"] - timedelta(days=1),
            ctx["previous_to"],
        }
    )
