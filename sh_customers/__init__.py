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
