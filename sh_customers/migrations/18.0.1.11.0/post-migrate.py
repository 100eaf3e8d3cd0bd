from odoo.tools import SQL

from odoo.addons.sh_customers.figures.totals import ensure_totals


def migrate(cr, version):
    """The companies' customer totals (figures/totals.py): their tables,
    computed from the customers' narrow rows, the triggers that keep them up
    to date from now on, and the companies in which every customer already
    has figures, whose totals count them all."""
    if not version:
        return
    ensure_totals(cr)
    cr.execute(
        SQL(
            """
            UPDATE res_company company
               SET sh_figures_complete = NOT EXISTS (
                   SELECT 1 FROM res_partner partner
                    WHERE partner.id = partner.commercial_partner_id
                      AND NOT EXISTS (
                          SELECT 1 FROM sh_customer_figure figure
                           WHERE figure.partner_id = partner.id
                             AND figure.company_id = company.id))
            """
        )
    )
