{
    "name": "SH Customers Reports",
    "summary": "Customer analytics, debt aging, sales by customer and loyalty reports",
    "version": "18.0.1.1.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_customers", "mail", "report_xlsx"],
    "external_dependencies": {"python": ["numpy", "scipy", "threadpoolctl"]},
    "data": [
        "security/ir.model.access.csv",
        "wizards/sh_report_wizard_views.xml",
        "report/sh_reports_reports.xml",
        "report/sh_reports_templates.xml",
        "views/res_users_views.xml",
        "views/sh_reports_menus.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "data/sh_reports_cron_data.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "sh_reports/static/src/**/*",
        ],
        "web.assets_tests": [
            "sh_reports/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
