from odoo.addons.sh_customers.figures.storage import ensure_storage


def migrate(cr, version):
    """The index of the reconciliations by the day they count from, which
    the debt as of a past day reads."""
    if not version:
        return
    ensure_storage(cr)
