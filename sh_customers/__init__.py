from odoo import fields

from . import controllers
from . import models
from . import demo
from . import report
from . import figures
from . import tools
from . import wizards


def pre_init_hook(env):
    """Make the figures' storage (history columns, indexes) before the
    addon's tables are set up and its data loaded, whose customers the
    figures' refresh already writes."""
    figures.storage.ensure_storage(env.cr)
    tools.uninstall.restore_kept_records(env, "sh_customers")


def post_init_hook(env):
    """Write the figures of the customers the database already has: right
    away when they are few, otherwise in the background, by the scheduled
    refresh run now (see figures/refresh.py, ``start_first_refresh``). Once
    written, count the customers of the named periods for the dashboard, as
    the scheduled refresh does at the end of its pass."""
    figures.refresh.start_first_refresh(env)
    if not figures.refresh.first_refresh_progress(env):
        figures.dashboard_counts.write_counts(env, fields.Date.context_today(env["res.partner"]))


def uninstall_hook(env):
    """Keep the demo products that documents sell (see tools/uninstall.py),
    and remove the customer totals with their triggers, one of which is on
    res_partner and would outlive the addon, as would the statistics kept
    on res_partner for the refresh, the indexes made on Odoo's tables for
    the figures and res_partner's fill factor."""
    figures.totals.drop_totals(env.cr)
    figures.statements.drop_commercial_statistics(env.cr)
    figures.storage.drop_storage(env.cr)
    tools.uninstall.keep_records_in_use(
        env, "sh_customers", ["product.product", "product.template"]
    )
