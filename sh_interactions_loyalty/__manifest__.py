{
    "name": "SH Customers Interactions with Loyalty",
    "summary": "Loyalty points and tier in the messages of SH Customers Interactions",
    "version": "18.0.1.0.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_interactions", "sh_loyalty"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
