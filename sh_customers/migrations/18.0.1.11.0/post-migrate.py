from odoo.tools import SQL


def migrate(cr, version):
    """The companies in which every customer already has figures, whose
    totals count them all. (The totals themselves, computed from the
    customers' narrow rows, and their triggers come with the narrow rows'
    model, ``sh.customer.figure.init``.)"""
    if not version:
        return
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
