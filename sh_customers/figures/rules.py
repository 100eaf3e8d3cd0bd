"""The business rules of the customer figures, each written once: the debt's
aging buckets, the lifecycle statuses, the RFM segments and their score
cut-offs, the customer types and who may see receivables. Plain data and
the small SQL builders that apply a rule to given expressions, so that the
refresh, the dashboard, the statement and the list export all derive from
the same definition."""

from dataclasses import dataclass

from odoo.tools import SQL

CUSTOMER_TYPES = [
    ("retail", "Retail"),
    ("workshop", "Workshop"),
    ("fleet", "Fleet"),
    ("wholesale", "Wholesale"),
]

# The groups that may see receivables (debt, aging, statements).
DEBT_GROUPS = "account.group_account_invoice,account.group_account_readonly"

# ----------------------------------------------------------------------
# Aging of the debt
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class AgingBucket:
    """A part of the debt by days overdue (today minus the item's due date):
    from ``first_day`` to ``last_day`` included, None for an open end."""

    key: str
    first_day: int | None
    last_day: int | None
    label: str

    @property
    def partner_field(self):
        """The customer's stored amount of the bucket (res.partner)."""
        return f"sh_debt_{self.key}"

    @property
    def column(self):
        """Its copy in the customers' narrow rows (sh.customer.figure)."""
        return f"debt_{self.key}"

    def holds(self, days):
        """Whether an item ``days`` overdue falls in the bucket."""
        return (self.first_day is None or days >= self.first_day) and (
            self.last_day is None or days <= self.last_day
        )

    def condition_sql(self, days):
        """The SQL condition that ``days`` (an expression counting days
        overdue) falls in the bucket."""
        if self.first_day is None:
            return SQL("%s <= %s", days, self.last_day)
        if self.last_day is None:
            return SQL("%s >= %s", days, self.first_day)
        return SQL("%s BETWEEN %s AND %s", days, self.first_day, self.last_day)


AGING_BUCKETS = (
    AgingBucket("not_due", None, 0, "Not Due"),
    AgingBucket("1_30", 1, 30, "1-30 Days"),
    AgingBucket("31_60", 31, 60, "31-60 Days"),
    AgingBucket("61_90", 61, 90, "61-90 Days"),
    AgingBucket("91_120", 91, 120, "91-120 Days"),
    AgingBucket("over_120", 121, None, "Over 120 Days"),
)
AGING_BUCKET_FIELDS = tuple(bucket.partner_field for bucket in AGING_BUCKETS)
AGING_BUCKET_COLUMNS = tuple(bucket.column for bucket in AGING_BUCKETS)


def aging_bucket_key(days):
    """The key of the bucket of an item ``days`` overdue."""
    return next(bucket.key for bucket in AGING_BUCKETS if bucket.holds(days))


def overdue_sql(days):
    """The SQL condition that an item ``days`` overdue is overdue: its due
    date has passed."""
    return SQL("%s > 0", days)


def aging_bucket_sql(days):
    """The SQL expression giving the key of the bucket of ``days``."""
    return SQL(
        "CASE %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", bucket.condition_sql(days), bucket.key)
            for bucket in AGING_BUCKETS
        ),
    )


# ----------------------------------------------------------------------
# Lifecycle status
# ----------------------------------------------------------------------

LIFECYCLE_STATUSES = [
    ("prospect", "Prospect"),
    ("new", "New"),
    ("active", "Active"),
    ("at_risk", "At Risk"),
    ("churned", "Churned"),
]


def purchase_gap_sql(first_date, last_date, invoice_count):
    """The customer's usual gap between purchases in days, to one decimal:
    first to last purchase divided by the number of invoices minus one;
    NULL with fewer than two invoices."""
    return SQL(
        "CASE WHEN %(count)s > 1"
        " THEN ROUND((%(last)s - %(first)s)::numeric / (%(count)s - 1), 1) END",
        count=invoice_count,
        first=first_date,
        last=last_date,
    )


def _lifecycle_rules(day, first_date, last_date, invoice_count, gap, settings, p_alive=None):
    """The statuses in the order they are tried, each with its condition;
    the first whose condition holds is the customer's status on ``day``.
    ``settings``: the company's new_days, churn_days, gap_factor and, when
    ``p_alive`` is given, p_alive_threshold (values or SQL expressions).
    ``p_alive``: the customer's stored probability of being alive (NULL
    until a fit wrote it), or None where it is not known (a past day): the
    gap rule alone then decides who is at risk."""
    days_since = SQL("(%s::date - %s)", day, last_date)
    at_risk = SQL("%s > 0 AND %s > %s * %s", gap, days_since, settings["gap_factor"], gap)
    if p_alive is not None:
        at_risk = SQL(
            "(%s) OR (%s IS NOT NULL AND %s < %s)",
            at_risk,
            p_alive,
            p_alive,
            settings["p_alive_threshold"],
        )
    return (
        ("prospect", SQL("%s = 0", invoice_count)),
        ("churned", SQL("%s > %s", days_since, settings["churn_days"])),
        ("new", SQL("%s::date - %s <= %s", day, first_date, settings["new_days"])),
        ("at_risk", at_risk),
        ("active", SQL("TRUE")),
    )


def lifecycle_status_sql(day, first_date, last_date, invoice_count, gap, settings, p_alive=None):
    """The SQL expression of a customer's lifecycle status on ``day``, from
    its first and last purchase and invoice count up to that day, its usual
    gap (``purchase_gap_sql``) and, when known, its P(alive):

    - Prospect: no invoice;
    - Churned: no purchase for longer than the churn period;
    - New: first purchase within the new customer period;
    - At risk: no purchase for more than the gap factor times the usual gap,
      or a P(alive) below the company's threshold;
    - Active: every other customer."""
    rules = _lifecycle_rules(day, first_date, last_date, invoice_count, gap, settings, p_alive)
    return SQL(
        "CASE %s ELSE 'active' END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", condition, status)
            for status, condition in rules
            if status != "active"
        ),
    )


def lifecycle_is_sql(
    status, day, first_date, last_date, invoice_count, gap, settings, p_alive=None
):
    """The SQL condition that a customer's lifecycle status on ``day`` is
    ``status`` (the arguments as for ``lifecycle_status_sql``): its rule
    holds and none of the rules tried before it."""
    conditions = []
    for key, condition in _lifecycle_rules(
        day, first_date, last_date, invoice_count, gap, settings, p_alive
    ):
        if key == status:
            conditions.append(SQL("(%s)", condition))
            return SQL(" AND ").join(conditions)
        conditions.append(SQL("NOT COALESCE(%s, FALSE)", condition))
    raise ValueError(f"Unknown lifecycle status {status!r}")


def bought_within_churn_sql(day, last_date, churn_days):
    """The SQL condition that a customer whose last purchase is
    ``last_date`` is not churned on ``day``: a customer of the company."""
    return SQL("%s::date - %s <= %s", day, last_date, churn_days)


def churn_day_sql(last_date, churn_days):
    """The SQL expression of the day a customer whose last purchase is
    ``last_date`` becomes churned, without a purchase since."""
    return SQL("(%s + %s + 1)", last_date, churn_days)


# ----------------------------------------------------------------------
# RFM
# ----------------------------------------------------------------------

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential Loyalists"),
    ("new", "New"),
    ("promising", "Promising"),
    ("need_attention", "Need Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cant_lose", "Can't Lose"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
    ("prospect", "Prospect"),
]

# Score cut-offs used when a company has too few customers for quintiles.
# "r": a customer whose days since the last purchase reach the k-th value
# scores k (1-based), otherwise 5; "f" and "m": a value up to the k-th
# cut-off scores k, otherwise 5.
FIXED_RFM_BREAKPOINTS = {
    "method": "fixed",
    "r": [366, 181, 91, 31],
    "f": [1, 2, 4, 9],
    "m": [500, 2000, 5000, 20000],
}
MIN_CUSTOMERS_FOR_QUINTILES = 50


def rfm_breakpoints_from_tiles(count, r, f, m):
    """The cut-offs a company's customers are scored against, from the
    number ``count`` of its customers with a purchase and the NTILE(5)
    cut-offs ``r``, ``f`` and ``m`` of their recency, frequency and
    monetary value (``statements.rfm_breakpoints_sql``): those quintiles
    from MIN_CUSTOMERS_FOR_QUINTILES customers on, otherwise the fixed
    cut-offs (FIXED_RFM_BREAKPOINTS)."""
    if count < MIN_CUSTOMERS_FOR_QUINTILES:
        return FIXED_RFM_BREAKPOINTS
    return {
        "method": "quintiles",
        "r": [int(v) for v in r],
        "f": [int(v) for v in f],
        "m": [float(v) for v in m],
    }


def rfm_score_sql(value, cutoffs, invoice_count, descending=False):
    """The SQL expression of a 1-5 score of ``value`` against the four
    ``cutoffs`` (SQL expressions, see FIXED_RFM_BREAKPOINTS): 0 without an
    invoice; with ``descending`` (recency) a value reaching the k-th cut-off
    scores k, otherwise a value up to the k-th cut-off scores k; 5 beyond."""
    comparison = SQL(">=") if descending else SQL("<=")
    return SQL(
        "CASE WHEN %s = 0 THEN 0 %s ELSE 5 END",
        invoice_count,
        SQL(" ").join(
            SQL("WHEN %s %s %s THEN %s", value, comparison, cutoff, score)
            for score, cutoff in enumerate(cutoffs, start=1)
        ),
    )


def rfm_segment_sql(r_score, f_score, m_score, invoice_count):
    """The SQL expression of the RFM segment from the recency, frequency
    and monetary scores."""
    return SQL(
        """CASE WHEN %(count)s = 0 THEN 'prospect'
                WHEN %(r)s = 5 AND %(f)s >= 4 THEN 'champions'
                WHEN %(r)s IN (3, 4) AND %(f)s >= 4 THEN 'loyal'
                WHEN %(r)s >= 4 AND %(f)s IN (2, 3) THEN 'potential_loyalist'
                WHEN %(r)s = 5 AND %(f)s = 1 THEN 'new'
                WHEN %(r)s = 4 AND %(f)s = 1 THEN 'promising'
                WHEN %(r)s = 3 AND %(f)s = 3 THEN 'need_attention'
                WHEN %(r)s = 3 THEN 'about_to_sleep'
                WHEN %(r)s = 1 AND %(f)s <= 2 AND %(m)s <= 2 THEN 'lost'
                WHEN %(f)s = 5 THEN 'cant_lose'
                WHEN %(f)s >= 3 THEN 'at_risk'
                ELSE 'hibernating'
           END""",
        count=invoice_count,
        r=r_score,
        f=f_score,
        m=m_score,
    )
