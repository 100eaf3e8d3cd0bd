from odoo.addons.sh_customers.tools.uninstall import keep_records_in_use, restore_kept_records

from . import models
from . import demo
from . import wizards


def pre_init_hook(env):
    """Take back the records kept when the addon was uninstalled."""
    restore_kept_records(env, "sh_interactions")


def uninstall_hook(env):
    """Keep the activity type of the customers' tasks while activities have
    it (see sh_customers/tools/uninstall.py)."""
    keep_records_in_use(env, "sh_interactions", ["mail.activity.type"])
