"""The refresh of the customer figures: what runs the statements of
``statements`` and ``history`` and writes their results. It flushes what
they read, computes the RFM cut-offs of every company, refreshes the figures
of some or every customer in one statement, rebuilds the history of those
whose documents changed, and runs the scheduled refresh a batch at a time.
The res.partner methods of the same purpose delegate here."""

import json
from contextlib import nullcontext

from odoo import fields
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from .history import rebuild_history_sql
from .receivable import receivable_account_ids, sale_journal_ids
from .rules import FIXED_RFM_BREAKPOINTS, rfm_breakpoints_from_tiles
from .statements import (
    CLV_FIELDS,
    COMMERCIAL_SQL,
    STAT_FIELDS,
    analytic_settings,
    clv_figures_sql,
    company_rfm_values_sql,
    customer_figures_sql,
    rfm_breakpoints_sql,
)

# The system parameter holding where the scheduled refresh resumes.
CURSOR_PARAM = "sh_customers.stats_refresh_cursor"
# The system parameter holding the companies that existed when the
# scheduled refresh's current pass started.
PASS_COMPANIES_PARAM = "sh_customers.stats_refresh_companies"
# The system parameter set while the first refresh after installation runs:
# the customers it has refreshed and their number, as JSON.
FIRST_REFRESH_PARAM = "sh_customers.first_refresh"
# Up to this many customers, the installation refreshes them itself: it
# takes no longer than a batch of the scheduled refresh.
FIRST_REFRESH_INLINE_LIMIT = 1000
REFRESH_CRON = "sh_customers.ir_cron_sh_refresh_customer_stats"
# Customers per batch of the scheduled refresh: during the first refresh,
# whose progress the Customers app shows, and on the nightly passes after
# it, where each batch's own costs (reading its range of the sales, the
# commit) weigh more than the progress (at 99,006 customers: 6.2 s in
# batches of 5,000, 4.8 s in batches of 20,000).
FIRST_REFRESH_BATCH = 5000
NIGHTLY_BATCH = 20000


def flush_for_figures(env):
    """Write to the database every pending change that the figures'
    statements read."""
    env["account.move"].flush_model(
        ["state", "move_type", "commercial_partner_id", "company_id"]
        + ["invoice_date", "amount_untaxed_signed"]
    )
    env["account.move.line"].flush_model(
        ["account_id", "amount_residual", "company_id", "parent_state"]
        + ["partner_id", "reconciled", "date_maturity", "date"]
    )
    env["account.account"].flush_model(["account_type"])
    env["res.company"].flush_model(
        ["parent_path", "sh_rfm_window_months", "sh_new_customer_days"]
        + ["sh_churn_days", "sh_at_risk_gap_factor", "sh_at_risk_p_alive"]
        + ["sh_rfm_breakpoints"]
    )
    env["res.partner"].flush_model(
        ["commercial_partner_id", "credit_limit", *STAT_FIELDS, "sh_stats_digest"]
    )


def compute_rfm_breakpoints(env, today=None):
    """Store on every company the NTILE(5) cut-offs of recency, frequency
    and monetary value over its customers with a purchase, or the fixed
    cut-offs when it has too few customers for quintiles."""
    today = today or fields.Date.context_today(env["res.partner"])
    flush_for_figures(env)
    rows = env.execute_query(
        rfm_breakpoints_sql(company_rfm_values_sql(today), SQL.identifier("company_id"))
    )
    by_company = {
        company_id: rfm_breakpoints_from_tiles(count, r, f, m)
        for company_id, count, r, f, m in rows
    }
    for company in env["res.company"].sudo().search([]):
        company.sh_rfm_breakpoints = by_company.get(company.id, FIXED_RFM_BREAKPOINTS)


def refresh_customer_figures(partners, today=None, all_customers=False):
    """Recompute the purchase, debt, RFM and lifecycle figures of the
    commercial partners of ``partners`` (or of every customer) for every
    company, in one statement, and write only the values that changed. The
    sales and receivable history of the customers whose documents or
    receivable changed is rebuilt after them. Returns the customers
    written.

    Runs as a system computation: the figures are stored for every company
    and each user only reads those of the current company."""
    if not all_customers and not partners:
        return partners.browse()
    if partners.env.context.get("sh_defer_customer_stats"):
        # A bulk load (the demo generator) refreshes everyone at its end.
        return partners.browse()
    env = partners.env
    today = today or fields.Date.context_today(partners)
    partner_ids = None if all_customers else set(partners.commercial_partner_id.ids)
    flush_for_figures(env)
    companies = env["res.company"].sudo().search([])
    credit_limit = partners._fields["credit_limit"]
    credit_limit_fallbacks = {
        str(company.id): credit_limit.get_company_dependent_fallback(
            partners.sudo().with_company(company)
        )
        or 0.0
        for company in companies
    }
    receivable = receivable_account_ids(env)
    query = customer_figures_sql(
        today, partner_ids, receivable, credit_limit_fallbacks, len(companies)
    )
    # Every customer, or a batch of them, is an analytic statement; one
    # customer's refresh (a posting's) is not, and skips the settings.
    many = partner_ids is None or len(partner_ids) >= ANALYZE_FROM
    with analytic_settings(env) if many else nullcontext():
        [(updated_ids, stale_partner_ids, stale_company_ids)] = env.execute_query(query)
        if stale_partner_ids:
            rebuild_history(env, stale_partner_ids, stale_company_ids, receivable)
    if all_customers:
        mark_figures_complete(companies)
    partners.invalidate_model([*STAT_FIELDS, "sh_stats_digest"])
    env["sh.customer.figure"].invalidate_model()
    return partners.browse(updated_ids)


def mark_figures_complete(companies):
    """Record that every customer has its figures in ``companies``: the
    companies' totals count them all (``figures.totals``)."""
    companies.filtered(lambda company: not company.sh_figures_complete).sh_figures_complete = True


def write_clv_figures(env, companies, partner_ids, p_alive, predicted_clv, today=None):
    """Store the P(alive) and predicted CLV of a fit of the tree of
    ``companies`` (``partner_ids``, ``p_alive``, ``predicted_clv``: arrays
    of the same length; every other customer of those companies gets none)
    in one statement, then compute again the status of the customers whose
    P(alive) crossed the at-risk threshold. Returns those customers."""
    flush_for_figures(env)
    [(crossed_ids,)] = env.execute_query(
        clv_figures_sql(companies.ids, partner_ids, p_alive, predicted_clv)
    )
    partners = env["res.partner"]
    partners.invalidate_model([fname for _column, fname in CLV_FIELDS])
    env["sh.customer.figure"].invalidate_model([column for column, _fname in CLV_FIELDS])
    crossed = partners.browse(crossed_ids)
    refresh_customer_figures(crossed, today)
    return crossed


# Customers refreshed at once from which the refresh runs as an analytic
# statement, and histories rebuilt at once from which the figures' table is
# analysed first: far more than a posting or a payment touches.
ANALYZE_FROM = 1000


def rebuild_history(env, partner_ids, company_ids, receivable=None):
    """Rebuild the sales and receivable history of the customers
    ``partner_ids`` in the companies ``company_ids`` (pairs, in the same
    order) from their documents and receivable items, after their figures
    were written: the customers whose documents or receivable changed, not
    every customer whose figures a new day moved."""
    if receivable is None:
        receivable = receivable_account_ids(env)
    if len(partner_ids) >= ANALYZE_FROM:
        # The figures' rows this transaction just wrote (every customer's,
        # after an installation or a forced refresh) are unknown to the
        # planner's statistics until the table is analysed: taking the
        # table for nearly empty, it computes the history again for each
        # of its rows, minutes where the statement takes a second.
        env.cr.execute(SQL("ANALYZE sh_customer_figure"))
    env.execute_query(
        rebuild_history_sql(partner_ids, company_ids, receivable, sale_journal_ids(env))
    )


def cron_refresh(env, batch_size=FIRST_REFRESH_BATCH):
    """Refresh every customer's figures, a batch at a time, in id order.

    The cursor in a system parameter lets the scheduler resume where the
    previous batch ended; the RFM cut-offs are recomputed when a full pass
    starts, so every customer of a pass is scored against the same
    population. During the first refresh after installation, each batch
    adds its customers to the first refresh's progress, which is cleared
    with the pass's last batch. Returns whether the pass has finished."""
    params = env["ir.config_parameter"].sudo()
    last_id = int(params.get_param(CURSOR_PARAM, 0))
    if not last_id:
        env["res.partner"]._sh_compute_rfm_breakpoints()
        # The companies the pass writes every customer's figures of.
        params.set_param(PASS_COMPANIES_PARAM, json.dumps(env["res.company"].sudo().search([]).ids))
    rows = env.execute_query(
        SQL(
            "SELECT id FROM res_partner WHERE %s AND id > %s ORDER BY id LIMIT %s",
            COMMERCIAL_SQL,
            last_id,
            batch_size,
        )
    )
    batch = env["res.partner"].browse([row[0] for row in rows])
    batch._sh_refresh_customer_stats()
    remaining = 0
    if batch:
        [(remaining,)] = env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM res_partner WHERE %s AND id > %s",
                COMMERCIAL_SQL,
                batch.ids[-1],
            )
        )
    params.set_param(CURSOR_PARAM, batch.ids[-1] if remaining else 0)
    if not remaining:
        pass_companies = json.loads(params.get_param(PASS_COMPANIES_PARAM) or "[]")
        mark_figures_complete(env["res.company"].sudo().browse(pass_companies).exists())
    first = first_refresh_progress(env)
    if first:
        done = first["done"] + len(batch)
        params.set_param(
            FIRST_REFRESH_PARAM,
            json.dumps({"done": done, "total": done + remaining}) if remaining else False,
        )
        if remaining:
            # The scheduler runs a few batches, then sleeps up to a minute
            # before the next ones unless woken: wake it when this batch
            # is committed, so the first refresh goes on at once.
            env.cr.postcommit.add(env["ir.cron"]._notifydb)
    env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
    return not remaining


def start_first_refresh(env, inline_limit=None):
    """Start the first refresh after installation, which writes every
    customer's figures for the first time. Up to ``inline_limit``
    customers (``FIRST_REFRESH_INLINE_LIMIT`` by default), refresh them
    now; beyond, mark the figures as being computed and have the scheduled
    refresh run now, in the background, a batch at a time from the first
    customer: an installation on a database with many customers returns at
    once instead of computing all of them."""
    if inline_limit is None:
        inline_limit = FIRST_REFRESH_INLINE_LIMIT
    params = env["ir.config_parameter"].sudo()
    [(total,)] = env.execute_query(SQL("SELECT COUNT(*) FROM res_partner WHERE %s", COMMERCIAL_SQL))
    # A pass left half-way before an uninstall starts again from the start.
    params.set_param(CURSOR_PARAM, False)
    if total <= inline_limit:
        params.set_param(FIRST_REFRESH_PARAM, False)
        compute_rfm_breakpoints(env)
        refresh_customer_figures(env["res.partner"], all_customers=True)
        return
    params.set_param(FIRST_REFRESH_PARAM, json.dumps({"done": 0, "total": total}))
    env.ref(REFRESH_CRON)._trigger()


def first_refresh_progress(env):
    """While the first refresh after installation runs, how far it is:
    ``done`` customers refreshed of ``total``; None once it has finished."""
    value = env["ir.config_parameter"].sudo().get_param(FIRST_REFRESH_PARAM)
    return json.loads(value) if value else None


def first_refresh_pending_after(env):
    """While the first refresh after installation runs, the id after which
    the customers still wait for it (the refresh goes in id order); None
    once it has finished."""
    if not first_refresh_progress(env):
        return None
    return int(env["ir.config_parameter"].sudo().get_param(CURSOR_PARAM, 0))


def first_refresh_notice(env):
    """What the Customers app says while the first refresh after
    installation runs (its figures are not all computed yet): ``done``,
    ``total`` and a ``message``; None once it has finished."""
    progress = first_refresh_progress(env)
    if not progress:
        return None
    return {
        **progress,
        "message": env._(
            "Figures are being computed: %(done)s of %(total)s customers done. "
            "Until then, some customers show no purchases or debt.",
            done=formatLang(env, progress["done"], digits=0),
            total=formatLang(env, progress["total"], digits=0),
        ),
    }
