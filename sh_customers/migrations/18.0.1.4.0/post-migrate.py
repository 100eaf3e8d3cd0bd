from odoo.tools import SQL

from odoo.addons.sh_customers.figures.statements import FIGURE_FIELDS


def migrate(cr, version):
    """The narrow rows of the customer figures now also hold the six aging
    buckets, which the dashboard's debt chart sums: copy them from the
    customers' stored figures of the same company."""
    if not version:
        return
    columns = [(column, fname) for column, fname in FIGURE_FIELDS if column.startswith("debt_")]
    cr.execute(
        SQL(
            """
            UPDATE sh_customer_figure figure
               SET %s
              FROM res_partner partner
             WHERE partner.id = figure.partner_id
            """,
            SQL(", ").join(
                SQL(
                    "%s = (partner.%s ->> figure.company_id::text)::float8",
                    SQL.identifier(column),
                    SQL.identifier(fname),
                )
                for column, fname in columns
            ),
        )
    )
