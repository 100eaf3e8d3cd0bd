import {registry} from "@web/core/registry";

/**
 * A customer report from its menu: the options dialog opens on the last 12
 * months, Show draws the report, a row opens its customer and the
 * breadcrumb comes back to the same report; Options opens the dialog again
 * with the options shown; a table shows its first 100 rows and the next ones
 * on demand. The customers are those of
 * sh_reports/tests/test_report_ui.py.
 */

const REPORT = ".o_sh_customer_report .o_sh_dashboard:not(.o_sh_dashboard_loading)";

registry.category("web_tour.tours").add("sh_reports_sales_tour", {
    url: "/odoo/action-sh_customers.res_partner_action_sh_customers",
    steps: () => [
        {
            content: "Open the Reports menu",
            trigger: ".o_menu_sections button:contains('Reports')",
            run: "click",
        },
        {
            content: "Open Sales by Customer",
            trigger: ".dropdown-item:contains('Sales by Customer')",
            run: "click",
        },
        {
            content: "The options start on the last 12 months",
            trigger: ".modal .o_field_widget[name='period'] select",
            run() {
                const value = JSON.parse(this.anchor.value);
                if (value !== "12m") {
                    throw new Error(`The period is ${value}, not the last 12 months`);
                }
            },
        },
        {
            content: "Show the report",
            trigger: ".modal button[name='action_show']",
            run: "click",
        },
        {
            content: "The report shows its title and options",
            trigger: `${REPORT}[data-report='sh.report.sales'] .o_sh_report_options_label:contains('Last 12 Months')`,
        },
        {
            content: "The cards compare with the previous period",
            trigger: `${REPORT} .o_sh_dashboard_card .o_sh_dashboard_comparison`,
        },
        {
            content: "The ranking shows its first 100 rows and says how many it has",
            trigger: `${REPORT} .o_sh_report_table[data-key='ranking'] .o_sh_report_more:contains('100 of')`,
            run() {
                const rows = document.querySelectorAll(
                    ".o_sh_report_table[data-key='ranking'] tbody tr.o_sh_report_row"
                );
                if (rows.length !== 100) {
                    throw new Error(`The ranking shows ${rows.length} rows, not 100`);
                }
            },
        },
        {
            content: "Ask for more rows",
            trigger: `${REPORT} .o_sh_report_table[data-key='ranking'] .o_sh_report_more button`,
            run: "click",
        },
        {
            content: "The next rows are added after the first ones",
            trigger: `${REPORT} .o_sh_report_table[data-key='ranking'] tbody tr.o_sh_report_row:nth-child(101)`,
        },
        {
            content: "Open the tour's garage from its row",
            trigger: `${REPORT} .o_sh_report_row_clickable:contains('SH Report Garage')`,
            run: "click",
        },
        {
            content: "The customer's form opens",
            trigger: ".o_form_view .o_breadcrumb .active:contains('SH Report Garage')",
        },
        {
            content: "Back to the report",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Sales by Customer')",
            run: "click",
        },
        {
            content: "The same report is shown again",
            trigger: `${REPORT}[data-report='sh.report.sales'] .o_sh_report_row_clickable:contains('SH Report Garage')`,
        },
        {
            content: "Change the options",
            trigger: ".o_sh_report_options_button",
            run: "click",
        },
        {
            content: "The dialog is open on the same report",
            trigger:
                ".modal .o_field_widget[name='report']:contains('Sales by Customer')",
        },
    ],
});
