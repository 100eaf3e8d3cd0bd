"""Run one test file or one test of the addons with pytest-odoo, on a
database where the addons are installed (see README.md, "One test while
developing")::

    pytest --odoo-database=<database> sh_customers/tests/test_customer_stats.py

The addons of this repository are added to Odoo's addons path, so no Odoo
configuration file is needed (``--odoo-config`` or ``ODOO_RC`` still
work). Without a database, pytest runs as usual (the repository checks of
``tests/``)."""

from pathlib import Path

REPOSITORY = str(Path(__file__).resolve().parent)


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("odoo"):
        return
    import odoo

    if not odoo.tools.config["db_name"]:
        return
    paths = [path for path in odoo.tools.config["addons_path"].split(",") if path]
    if REPOSITORY not in paths:
        odoo.tools.config["addons_path"] = ",".join([*paths, REPOSITORY])
        odoo.modules.module.initialize_sys_path()
