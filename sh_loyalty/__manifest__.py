{
    "name": "SH Customers Loyalty",
    "summary": "Loyalty points, tiers and rewards for SH Customers, on Odoo's loyalty programs",
    "version": "18.0.1.1.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_customers", "account", "loyalty", "mail"],
    "data": [
        "security/sh_loyalty_groups.xml",
        "security/ir.model.access.csv",
        "security/sh_loyalty_rules.xml",
        "views/res_partner_views.xml",
        "views/loyalty_program_views.xml",
        "views/loyalty_card_views.xml",
        "wizards/sh_loyalty_wizard_views.xml",
        "views/sh_loyalty_menus.xml",
        "data/sh_loyalty_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/sh_webhook_event_data.xml",
        "data/mail_message_subtype_data.xml",
    ],
    "demo": [
        "demo/sh_loyalty_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sh_loyalty/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
