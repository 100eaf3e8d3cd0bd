{
    "name": "SH Customers Reports with Interactions",
    "summary": "Last contact and promises to pay in the debt report of SH Customers Reports",
    "version": "18.0.1.0.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_reports", "sh_interactions"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
