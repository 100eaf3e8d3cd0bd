"""The customers the dashboard and the API list (top customers, at-risk
customers) as plain data: one row a customer, read from its stored figures
in one fetch, with the reasons to call an at-risk customer in the user's
language. ``ctx`` is the dashboard's context."""

from odoo import fields
from odoo.tools.misc import format_amount, formatLang


def top_items(env, ctx, rows, by):
    """Ranked customers as plain data, from rows of their figures in the
    period (``id``, ``net_sales``, ``invoices``, ``aov`` and, for users who
    may see receivables, ``debt``), ``value`` being the figure ``by``."""
    partners = env["res.partner"].browse([row["id"] for row in rows])
    fnames = ["name", "sh_customer_code", "sh_last_purchase_date"]
    partners.fetch(fnames + (["sh_debt"] if ctx["show_debt"] else []))
    currency = ctx["currency"]
    items = []
    for row, partner in zip(rows, partners, strict=True):
        item = {
            "id": partner.id,
            "name": partner.name,
            "code": partner.sh_customer_code or "",
            "value": None,
            "net_sales": currency.round(row["net_sales"] or 0.0),
            "invoice_count": row["invoices"] or 0,
            "average_order_value": currency.round(row["aov"] or 0.0),
            "last_purchase_date": fields.Date.to_string(partner.sh_last_purchase_date),
        }
        if ctx["show_debt"]:
            item["debt"] = currency.round(partner.sh_debt)
        item["value"] = item[by]
        items.append(item)
    return items


def _debt_reasons(env, partner, currency):
    """The reasons in an at-risk customer's debt to call it."""
    reasons = []
    if partner.sh_overdue > 0:
        reasons.append(
            env._(
                "Overdue debt of %(amount)s",
                amount=format_amount(env, partner.sh_overdue, currency),
            )
        )
    if partner.sh_over_credit_limit:
        reasons.append(
            env._(
                "Debt of %(debt)s over the credit limit of %(limit)s",
                debt=format_amount(env, partner.sh_debt, currency),
                limit=format_amount(env, partner.credit_limit, currency),
            )
        )
    return reasons


def _lifecycle_reasons(env, ctx, days, gap, p_alive):
    """The reasons an at-risk customer is at risk, as the lifecycle rule
    decides (``rules.lifecycle_status_sql``): no purchase for more than the
    company's gap factor times its usual gap (``days`` since the last
    purchase, ``gap`` its usual gap), and a P(alive) (None until a fit wrote
    it) below the company's threshold."""
    company = ctx["company"]
    reasons = []
    if gap > 0 and days > company.sh_at_risk_gap_factor * gap:
        reasons.append(
            env._(
                "No purchase for %(days)s days, against a usual gap of %(gap)s days",
                days=days,
                gap=round(gap),
            )
        )
    threshold = company.sh_at_risk_p_alive
    if p_alive is not None and p_alive < threshold:
        reasons.append(
            env._(
                "Likely to have stopped buying: P(alive) %(p_alive)s %%, below %(threshold)s %%",
                p_alive=formatLang(env, p_alive * 100, digits=1),
                threshold=formatLang(env, threshold * 100, digits=1),
            )
        )
    return reasons


def at_risk_items(env, ctx, ids):
    """At-risk customers (``ids``) as plain data, each with the reasons to
    call them."""
    partners = env["res.partner"].browse(ids)
    fnames = ["name", "sh_customer_code", "sh_net_sales", "sh_invoice_count"]
    fnames += ["sh_last_purchase_date", "sh_purchase_gap_days", "sh_rfm_segment"]
    if ctx["show_debt"]:
        fnames += ["sh_debt", "sh_overdue", "sh_over_credit_limit", "credit_limit"]
    partners.fetch(fnames)
    clv_figures = partners._sh_clv_figures()
    currency = ctx["currency"]
    items = []
    for partner in partners:
        last = partner.sh_last_purchase_date
        days = (ctx["today"] - last).days if last else 0
        gap = partner.sh_purchase_gap_days
        p_alive, _predicted_clv = clv_figures.get(partner.id, (None, None))
        item = {
            "id": partner.id,
            "name": partner.name,
            "code": partner.sh_customer_code or "",
            "net_sales": currency.round(partner.sh_net_sales),
            "invoice_count": partner.sh_invoice_count,
            "last_purchase_date": fields.Date.to_string(last),
            "days_since_purchase": days,
            "usual_gap_days": gap,
            "segment": partner.sh_rfm_segment or "",
            "reasons": _lifecycle_reasons(env, ctx, days, gap, p_alive),
        }
        if ctx["show_debt"]:
            item["reasons"] += _debt_reasons(env, partner, currency)
            item["debt"] = currency.round(partner.sh_debt)
            item["overdue"] = currency.round(partner.sh_overdue)
        items.append(item)
    return items
