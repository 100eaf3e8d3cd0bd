{
    "name": "SH Customers Reports with Loyalty",
    "summary": "The Loyalty and Rewards report of SH Customers Reports",
    "version": "18.0.1.0.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_reports", "sh_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/sh_reports_loyalty_rules.xml",
        "wizards/sh_report_wizard_views.xml",
        "views/sh_reports_loyalty_menus.xml",
    ],
    "installable": True,
    "auto_install": True,
}
