from odoo.addons.sh_customers.tools.uninstall import keep_records_in_use, restore_kept_records

from . import figures
from . import models
from . import demo
from . import wizards


def pre_init_hook(env):
    """Take back the records kept when the addon was uninstalled."""
    restore_kept_records(env, "sh_loyalty")


def uninstall_hook(env):
    """Keep the customers' loyalty program while cards belong to it, and the
    product its reward gives (see sh_customers/tools/uninstall.py); remove
    the customers per tier, the members' points and their triggers on Odoo's
    tables, which read columns the uninstall drops."""
    keep_records_in_use(
        env, "sh_loyalty", ["loyalty.program", "product.product", "product.template"]
    )
    figures.tier_totals.drop(env.cr)
    figures.point_totals.drop(env.cr)
