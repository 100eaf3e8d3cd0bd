{
    "name": "SH Customers Loyalty in Sales",
    "summary": "Coupons of SH Customers Loyalty rewards applied to sales orders",
    "version": "18.0.1.0.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_loyalty", "sale_loyalty"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
