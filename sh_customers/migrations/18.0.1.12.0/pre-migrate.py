from odoo.addons.sh_customers.figures.storage import ensure_storage


def migrate(cr, version):
    """The index of the receivable items with payment terms by the interval
    from their date to their due date, which the dashboard's items not yet
    due at the end of a period read."""
    if not version:
        return
    ensure_storage(cr)
