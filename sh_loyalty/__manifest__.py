{
    "name": "SH Customers Loyalty",
    "summary": "Loyalty points, tiers and rewards for SH Customers, on Odoo's loyalty programs",
    "version": "18.0.1.0.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_customers", "loyalty"],
    "data": ["security/ir.model.access.csv", "views/res_partner_views.xml"],
    "installable": True,
}
