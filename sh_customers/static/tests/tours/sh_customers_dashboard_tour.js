import {registry} from "@web/core/registry";

/**
 * The customer dashboard: it opens on the last 12 months, follows the
 * period filter and custom dates, compares each card with the previous
 * period, and a card or a bar opens the matching customers. The figures
 * are those of the customers "SH Dash ..." of
 * sh_customers/tests/test_dashboard_ui.py, on dates that do not depend
 * on today.
 */

const DASHBOARD = ".o_sh_dashboard:not(.o_sh_dashboard_loading)";

function card(key, attributes = "") {
    return `${DASHBOARD} .o_sh_dashboard_card[data-key='${key}']${attributes}`;
}

function showPeriod(dateFrom, dateTo) {
    return [
        {
            content: "Choose custom dates",
            trigger: "select.o_sh_dashboard_period",
            run: "select custom",
        },
        {
            content: `From ${dateFrom}`,
            trigger: ".o_sh_dashboard_date_from input",
            run: `edit ${dateFrom} && press Enter`,
        },
        {
            content: `To ${dateTo}`,
            trigger: ".o_sh_dashboard_date_to input",
            run: `edit ${dateTo} && press Enter`,
        },
        {
            content: "Apply the custom dates",
            trigger: ".o_sh_dashboard_apply:enabled",
            run: "click",
        },
    ];
}

/** Click the bar or slice of ``label`` in a chart, where Chart.js draws it. */
function clickChart(chartKey, label) {
    return {
        content: `Open the customers of ${label} in the chart ${chartKey}`,
        trigger: `${DASHBOARD} .o_sh_dashboard_chart_card[data-key='${chartKey}'] canvas`,
        run() {
            const canvas = this.anchor;
            const chart = window.Chart.getChart(canvas);
            const index = chart.data.labels.indexOf(label);
            if (index < 0) {
                throw new Error(`No "${label}" in ${chart.data.labels.join(", ")}`);
            }
            const {x, y} = chart.getDatasetMeta(0).data[index].tooltipPosition();
            const rect = canvas.getBoundingClientRect();
            const position = {
                bubbles: true,
                clientX: rect.left + x,
                clientY: rect.top + y + 2,
            };
            canvas.dispatchEvent(new MouseEvent("mousemove", position));
            canvas.dispatchEvent(new MouseEvent("click", position));
        },
    };
}

registry.category("web_tour.tours").add("sh_customers_dashboard_tour", {
    url: "/odoo/action-sh_customers.sh_customer_dashboard_action",
    steps: () => [
        {
            content: "The dashboard opens on the last 12 months",
            trigger: `${DASHBOARD}[data-period='12m'] .o_sh_dashboard_card[data-key='net_sales']`,
        },
        {
            content: "Every card is compared with the previous period",
            trigger: `${DASHBOARD} .o_sh_dashboard_comparison`,
            run() {
                const cards = document.querySelectorAll(".o_sh_dashboard_card");
                const alone = [...cards].filter(
                    (element) => !element.querySelector(".o_sh_dashboard_comparison")
                );
                if (alone.length) {
                    const keys = alone.map((element) => element.dataset.key);
                    throw new Error(`No comparison on the cards ${keys.join(", ")}`);
                }
            },
        },
        {
            content: "The charts are drawn",
            trigger: `${DASHBOARD} .o_sh_dashboard_chart_card[data-key='sales_by_month']`,
        },
        {
            content: "Show this year",
            trigger: "select.o_sh_dashboard_period",
            run: "select year",
        },
        {
            content: "The dashboard shows this year",
            trigger: `${DASHBOARD}[data-period='year']`,
        },
        ...showPeriod("01/01/2025", "06/30/2025"),
        {
            content: "The dashboard shows the custom dates",
            trigger: `${DASHBOARD}[data-date-from='2025-01-01'][data-date-to='2025-06-30']`,
        },
        {
            content: "Net sales of the first half of 2025, against 1000 before",
            trigger: card("net_sales", "[data-value='3200'][data-previous='1000']"),
        },
        {
            content: "The garage and the fleet bought in the period: 2 buyers",
            trigger: card("buyers", "[data-value='2']:contains('Buyers')"),
        },
        {
            content: "3 customers had bought by its end, the prospect not counted",
            trigger: card(
                "customers_with_purchases",
                "[data-value='3']:contains('Customers with Purchases')"
            ),
        },
        {
            content: "Net sales went up: a green arrow",
            trigger: card(
                "net_sales",
                " .o_sh_dashboard_comparison.text-success[data-direction='up']:contains('220')"
            ),
        },
        {
            content: "Open the customers who bought in the period",
            trigger: card("net_sales"),
            run: "click",
        },
        {
            content: "The customers list is named after the card",
            trigger: ".o_breadcrumb .active:contains('Net Sales')",
        },
        {
            content: "It lists the garage",
            trigger: ".o_kanban_renderer .o_kanban_record:contains('SH Dash Garage')",
        },
        {
            content: "and the fleet",
            trigger: ".o_kanban_renderer .o_kanban_record:contains('SH Dash Fleet')",
        },
        {
            content: "but not who bought only before the period, nor the prospect",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_record:contains('SH Dash Retail'))):not(:has(.o_kanban_record:contains('SH Dash Prospect')))",
        },
        {
            content: "The list's cards count the same two customers",
            trigger:
                ".o_sh_customer_kpis .o_sh_kpi_card[data-kpi='customers'][data-value='2']",
        },
        {
            content: "and show the dashboard's net sales, of the same dates",
            trigger:
                ".o_sh_customer_kpis .o_sh_kpi_card[data-kpi='net_sales'][data-value='3200']",
        },
        {
            content: "The list's sales period is the dashboard's dates",
            trigger: "select.o_sh_kpi_period",
            run() {
                if (this.anchor.value !== "custom") {
                    throw new Error(`The sales period is ${this.anchor.value}`);
                }
            },
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Customer Dashboard')",
            run: "click",
        },
        {
            content: "The dashboard kept the custom dates",
            trigger: card("net_sales", "[data-value='3200']"),
        },
        clickChart("sales_by_month", "Mar 2025"),
        {
            content: "The month's customers are listed",
            trigger: ".o_kanban_renderer .o_kanban_record:contains('SH Dash Fleet')",
        },
        {
            content: "only them",
            trigger:
                ".o_sh_customer_kpis .o_sh_kpi_card[data-kpi='customers'][data-value='2']",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Customer Dashboard')",
            run: "click",
        },
        {
            content: "The fleet (1700 net) tops the garage (1500) in the top customers",
            trigger: `${DASHBOARD} .o_sh_dashboard_table[data-key='top_customers'] tbody tr:first-child:contains('SH Dash Fleet')`,
        },
        {
            content: "Open the fleet from the table",
            trigger: `${DASHBOARD} .o_sh_dashboard_table[data-key='top_customers'] .o_sh_dashboard_row:contains('SH Dash Fleet')`,
            run: "click",
        },
        {
            content: "The fleet's form opens",
            trigger: ".o_form_view .o_breadcrumb .active:contains('SH Dash Fleet')",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Customer Dashboard')",
            run: "click",
        },
        {
            content: "Try a period that ends before it starts",
            trigger: ".o_sh_dashboard_date_to input",
            run: "edit 12/31/2009 && press Enter",
        },
        {
            content: "The dashboard says why it cannot apply these dates",
            trigger: ".o_sh_dashboard_dates_error",
        },
        {
            content: "and does not let them be applied",
            trigger: ".o_sh_dashboard_apply:disabled",
        },
        {
            content: "The figures stay those of the first half of 2025",
            trigger: card("net_sales", "[data-value='3200']"),
        },
        ...showPeriod("01/01/2010", "12/31/2010"),
        {
            content: "A period without sales: no net sales",
            trigger: card("net_sales", "[data-value='0']"),
        },
        {
            content: "The sales chart says there is no data instead of drawing",
            trigger: `${DASHBOARD} .o_sh_dashboard_chart_card[data-key='sales_by_month'] .o_sh_dashboard_no_data`,
        },
    ],
});

registry.category("web_tour.tours").add("sh_customers_dashboard_reload_tour", {
    url: "/odoo/action-sh_customers.sh_customer_dashboard_action",
    steps: () => [
        ...showPeriod("01/01/2025", "06/30/2025"),
        {
            content: "Open the customers who bought in the first half of 2025",
            trigger: card("net_sales", "[data-value='3200']"),
            run: "click",
        },
        {
            content: "The list counts the garage and the fleet",
            trigger:
                ".o_sh_customer_kpis .o_sh_kpi_card[data-kpi='customers'][data-value='2']",
            run: () => window.location.reload(),
        },
        {
            content: "After a reload, the list is still named after the card",
            trigger: ".o_breadcrumb .active:contains('Net Sales')",
        },
        {
            content: "and still counts only the garage and the fleet",
            trigger:
                ".o_sh_customer_kpis .o_sh_kpi_card[data-kpi='customers'][data-value='2']",
        },
        {
            content:
                "not the customers who bought only before the period, nor the prospect",
            trigger:
                ".o_kanban_renderer:has(.o_kanban_record:contains('SH Dash Fleet')):not(:has(.o_kanban_record:contains('SH Dash Retail'))):not(:has(.o_kanban_record:contains('SH Dash Prospect')))",
        },
        {
            content: "The dashboard is still one click back",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Customer Dashboard')",
        },
    ],
});
