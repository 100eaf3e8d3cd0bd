"""The customer dashboard's own cards described as data: each card's key,
label and help (translated when the dashboard is read; a help may name the
churn period, ``%(days)s``), the period figure it shows, how it is shown and
which way is better, the customers list's card showing the same figure
(``kpi``) and its place. ``sh.customer.dashboard._sh_dashboard_cards``
builds them with the figures of the period and the customers each card
opens (``dashboard_domains.card_domains``); other addons add their cards by
extending that method."""

from dataclasses import dataclass

from odoo.tools.translate import LazyGettext, LazyTranslate

_lt = LazyTranslate(__name__)


@dataclass(frozen=True)
class DashboardCard:
    key: str
    label: LazyGettext
    help: LazyGettext
    # The figure of the period shown, compared with the previous period's.
    figure: str
    fmt: str = "number"
    better: str = "up"
    kpi: str | None = None
    sequence: int = 100
    # A receivable figure, shown to the users who may see receivables.
    receivable: bool = False


DASHBOARD_CARDS = (
    DashboardCard(
        "customers_with_purchases",
        _lt("Customers with Purchases"),
        _lt(
            "Customers with at least one purchase up to the end of the period; "
            "prospects, who have not bought yet, are not counted."
        ),
        "customers",
        kpi="customers",
        sequence=10,
    ),
    DashboardCard(
        "buyers",
        _lt("Buyers"),
        _lt("Customers with at least one posted invoice in the period, whatever their status."),
        "buyers",
        kpi="customers",
        sequence=20,
    ),
    DashboardCard(
        "new_buyers",
        _lt("New Buyers"),
        _lt(
            "Customers whose first purchase is in the period. Not the status New, "
            "which covers the new customer period before today."
        ),
        "new",
        kpi="customers",
        sequence=30,
    ),
    DashboardCard(
        "at_risk",
        _lt("At Risk"),
        _lt(
            "Customers with the status At Risk at the end of the period: no purchase "
            "for more than the at risk gap factor times their usual gap between "
            "purchases. Not the RFM segment At Risk."
        ),
        "at_risk",
        better="down",
        kpi="at_risk",
        sequence=40,
    ),
    DashboardCard(
        "churned",
        _lt("Churned in Period"),
        _lt(
            "Customers who reached %(days)s days without a purchase during the period "
            "and had not bought again by its end."
        ),
        "churned",
        better="down",
        kpi="customers",
        sequence=50,
    ),
    DashboardCard(
        "net_sales",
        _lt("Net Sales"),
        _lt(
            "Posted customer invoices minus posted credit notes of the period, "
            "untaxed, in company currency."
        ),
        "net_sales",
        fmt="money",
        kpi="net_sales",
        sequence=60,
    ),
    DashboardCard(
        "average_order_value",
        _lt("Average Order Value"),
        _lt("Net sales of the period divided by its number of invoices."),
        "aov",
        fmt="money",
        kpi="average_order_value",
        sequence=70,
    ),
    DashboardCard(
        "repeat_purchase_rate",
        _lt("Repeat Purchase Rate"),
        _lt(
            "Buyers with two invoices or more in the period, as a percentage of "
            "the buyers (customers with at least one)."
        ),
        "repeat_rate",
        fmt="percent",
        sequence=80,
    ),
    DashboardCard(
        "retention",
        _lt("Retention"),
        _lt(
            "(Customers at the end of the period minus new buyers) divided by the "
            "customers at its start; a customer is one who bought within the churn "
            "period (%(days)s days) before that date. Opens the customers retained: "
            "customers at the end whose first purchase is before the period."
        ),
        "retention",
        fmt="percent",
        sequence=90,
    ),
    DashboardCard(
        "debt",
        _lt("Total Debt"),
        _lt(
            "Open receivable at the end of the period: posted invoices not yet "
            "paid, less unapplied payments and credit notes."
        ),
        "debt",
        fmt="money",
        better="down",
        kpi="debt",
        sequence=100,
        receivable=True,
    ),
    DashboardCard(
        "overdue",
        _lt("Overdue Debt"),
        _lt("Part of the debt past its due date, at the end of the period."),
        "overdue",
        fmt="money",
        better="down",
        kpi="overdue",
        sequence=110,
        receivable=True,
    ),
    DashboardCard(
        "cei",
        _lt("Debt Recovery Rate"),
        _lt(
            "Collection effectiveness index: (opening receivable + credit sales - "
            "closing receivable) / (opening receivable + credit sales - closing "
            "receivable not yet due) x 100."
        ),
        "cei",
        fmt="percent",
        sequence=120,
        receivable=True,
    ),
)


def card_text(env, text, values):
    """``text`` (a lazy translation) in the user's language, its
    placeholders filled from ``values`` as ``_()`` fills them."""
    return env._(text) % values
