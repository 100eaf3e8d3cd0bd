"""The customers a dashboard card or chart opens, as domains of the customers
list: those who bought, sold, churned or were retained in a period, exact
through their invoices for users who may read them, otherwise from their
stored purchase dates where those say the same, or None where they cannot
(the card then opens nothing). ``ctx`` is the dashboard's context."""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields

# The customers the Customers app lists: commercial partners that bought or
# were made customers.
CUSTOMER_DOMAIN = [
    ("customer_rank", ">", 0),
    "|",
    ("is_company", "=", True),
    ("parent_id", "=", False),
]


def reads_invoices(env):
    """Whether the user may read invoices (and so filter on them)."""
    return env["account.move"].has_access("read")


def documents_domain(ctx, move_types, start, end):
    """Customers with a posted document of ``move_types`` dated between
    ``start`` and ``end`` in the current company's tree, their own or one
    of their contacts', as the customer figures count them."""
    documents = [
        ("move_type", "in", move_types),
        ("state", "=", "posted"),
        ("company_id", "in", ctx["company_ids"]),
        ("invoice_date", ">=", start),
        ("invoice_date", "<=", end),
    ]
    return [
        "|",
        ("invoice_ids", "any", documents),
        ("child_ids.invoice_ids", "any", documents),
    ]


def bought_domain(env, ctx, start, end):
    """Customers who bought (a posted invoice) between ``start`` and
    ``end``: exact through their invoices for users who may read invoices,
    otherwise from their first and last purchase dates (exact for a period
    that ends today), or None."""
    if reads_invoices(env):
        return documents_domain(ctx, ["out_invoice"], start, end)
    if end >= ctx["today"]:
        return [("sh_last_purchase_date", ">=", start), ("sh_first_purchase_date", "<=", end)]
    return None


def sold_domain(env, ctx, start, end):
    """Customers with a posted invoice or credit note between ``start`` and
    ``end``: every customer whose net sales of the period are not nothing.
    Users who may not read invoices get the buyers."""
    if reads_invoices(env):
        return documents_domain(ctx, ["out_invoice", "out_refund"], start, end)
    return bought_domain(env, ctx, start, end)


def churned_domain(env, ctx, start, end):
    """Customers whose last purchase up to ``end`` was the churn period
    (plus the day it is reached) before a day of the period: they bought
    then and not in the churn period before ``end``."""
    churn_after = timedelta(days=ctx["company"].sh_churn_days + 1)
    if reads_invoices(env):
        return [
            "&",
            *bought_domain(env, ctx, start - churn_after, end - churn_after),
            "!",
            *bought_domain(env, ctx, end - churn_after + timedelta(days=1), end),
        ]
    if end >= ctx["today"]:
        return [
            ("sh_last_purchase_date", ">=", start - churn_after),
            ("sh_last_purchase_date", "<=", end - churn_after),
        ]
    return None


def retained_domain(env, ctx, start, end):
    """Customers at the end of the period (a purchase within the churn
    period before ``end``) whose first purchase is before ``start``."""
    churn = timedelta(days=ctx["company"].sh_churn_days)
    at_end = bought_domain(env, ctx, end - churn, end)
    if at_end is None:
        return None
    return [("sh_first_purchase_date", "<", start), *at_end]


def month_domains(env, ctx):
    """The buyers of each month of the period (within the period)."""
    return [
        bought_domain(env, ctx, max(month, ctx["date_from"]), min(end, ctx["date_to"]))
        for month, end in ((m, m + relativedelta(months=1, days=-1)) for m in ctx["months"])
    ]


def plain_term(term):
    """A domain's term as plain data: its dates written as strings, inside
    an "any" too."""
    if not isinstance(term, (list, tuple)):
        return term
    fname, operator, value = term
    if isinstance(value, datetime):
        value = fields.Datetime.to_string(value)
    elif isinstance(value, date):
        value = fields.Date.to_string(value)
    elif operator == "any":
        value = [plain_term(inner) for inner in value]
    return [fname, operator, value]


def plain_domain(domain):
    """A customer list domain as plain data: the customers' own condition
    first, dates written as strings; None stays None."""
    if domain is None:
        return None
    return [plain_term(term) for term in CUSTOMER_DOMAIN + list(domain)]


def card_domains(env, ctx):
    """The customers each card of the dashboard (by key) opens. Figures as
    they stand today (status, debt) are those the list shows and filters on
    only for a period that ends today: before, their cards open nothing."""
    df, dt = ctx["date_from"], ctx["date_to"]
    ends_today = dt >= ctx["today"]
    bought = bought_domain(env, ctx, df, dt)
    sold = sold_domain(env, ctx, df, dt)
    with_debt = [("sh_debt", "!=", 0)] if ends_today else None
    return {
        "customers_with_purchases": [("sh_first_purchase_date", "<=", dt)],
        "buyers": bought,
        "new_buyers": [("sh_first_purchase_date", ">=", df), ("sh_first_purchase_date", "<=", dt)],
        "at_risk": [("sh_lifecycle_status", "=", "at_risk")] if ends_today else None,
        "churned": churned_domain(env, ctx, df, dt),
        "net_sales": sold,
        "average_order_value": sold,
        "repeat_purchase_rate": bought,
        "retention": retained_domain(env, ctx, df, dt),
        "debt": with_debt,
        "overdue": [("sh_overdue", ">", 0)] if ends_today else None,
        "cei": with_debt,
    }
