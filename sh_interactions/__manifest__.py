{
    "name": "SH Customers Interactions",
    "summary": "Interaction log, tasks, reminders and message templates for SH Customers",
    "version": "18.0.1.0.0",
    "category": "Sales/Customers",
    "author": "SH Parts",
    "website": "https://github.com/sh-parts/sh-customers",
    "license": "LGPL-3",
    "depends": ["sh_customers", "mail", "sms"],
    "data": ["views/res_partner_views.xml"],
    "installable": True,
}
