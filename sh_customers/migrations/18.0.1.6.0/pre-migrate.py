from odoo.tools import SQL

from odoo.addons.sh_customers.figures.statements import STAT_FIELDS
from odoo.addons.sh_customers.figures.storage import ensure_storage


def migrate(cr, version):
    """The figures' history columns, indexes and res_partner's fill factor
    are no longer made again by the models at every upgrade: make whatever
    is missing once, and drop the per-figure indexes that earlier versions
    left on res_partner (the figures are dense: an index would not narrow a
    search, and it would stop the refresh's in-place updates)."""
    if not version:
        return
    ensure_storage(cr)
    for fname in (*STAT_FIELDS, "sh_stats_digest"):
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(f"res_partner__{fname}_index")))
