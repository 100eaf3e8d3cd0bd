{
    "name": "SH Customers",
    "summary": "Customer 360: purchases, debt and aging, RFM segments, lifecycle status, "
    "KPI cards and quick actions",
    "version": "18.0.1.9.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["account", "contacts", "report_xlsx"],
    # phonenumbers reads the phone numbers a customer is recognised by.
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/sh_customers_groups.xml",
        "security/ir.model.access.csv",
        "security/sh_customers_rules.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "report/sh_customers_reports.xml",
        "report/sh_customers_templates.xml",
        "views/sh_customer_dashboard_views.xml",
        "views/sh_customer_duplicate_views.xml",
        "wizards/sh_customer_merge_wizard_views.xml",
        "views/sh_customers_menus.xml",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_default_data.xml",
    ],
    "demo": ["demo/sh_customers_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "sh_customers/static/src/**/*",
        ],
        "web.report_assets_common": [
            "sh_customers/static/src/report/**/*",
        ],
        "web.assets_tests": [
            "sh_customers/static/tests/tours/**/*",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "installable": True,
    "application": True,
}
