{
    "name": "SH Customers Reports",
    "summary": "Customer analytics, debt aging, sales by customer and loyalty reports",
    "version": "18.0.1.1.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_customers", "report_xlsx"],
    "external_dependencies": {"python": ["numpy", "scipy"]},
    "data": [
        "data/ir_cron_data.xml",
    ],
    "installable": True,
}
