import {registry} from "@web/core/registry";

/**
 * The customers app: KPI cards follow the search, the period and the card
 * filters; list and kanban both show them; the customer form draws the
 * monthly sales chart. The figures are those of the customers named
 * "SH Tour ..." created by sh_customers/tests/test_ui.py.
 */

function card(name, value) {
    return `.o_sh_customer_kpis:not(.o_sh_kpi_loading) .o_sh_kpi_card[data-kpi='${name}'][data-value='${value}']`;
}

function checkCards(figures, content) {
    return Object.entries(figures).map(([name, value]) => ({
        content: `${content}: ${name} is ${value}`,
        trigger: card(name, value),
    }));
}

registry.category("web_tour.tours").add("sh_customers_tour", {
    url: "/odoo/action-sh_customers.res_partner_action_sh_customers",
    steps: () => [
        {
            content: "The kanban opens with its KPI cards",
            trigger: ".o_kanban_renderer .o_kanban_record",
        },
        {
            content: "Eight cards for a user who may see debts",
            trigger: ".o_sh_customer_kpis .o_sh_kpi_card[data-kpi='overdue']",
        },
        {
            content: "Search the tour's customers",
            trigger: ".o_searchview_input",
            run: "edit SH Tour",
        },
        {
            content: "Search them by name",
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "The search shows as a facet",
            trigger: ".o_searchview_facet:contains('SH Tour')",
        },
        ...checkCards(
            {
                customers: 5,
                active: 1,
                new_this_month: 1,
                at_risk: 2,
                debt: 4200,
                overdue: 3700,
                net_sales: 3200,
                average_order_value: 400,
            },
            "Cards of the searched customers over the last 12 months"
        ),
        {
            content: "Sales of this month only",
            trigger: "select.o_sh_kpi_period",
            run: "select this_month",
        },
        ...checkCards(
            {customers: 5, net_sales: 500, average_order_value: 500},
            "Sales cards of this month"
        ),
        {
            content: "Show the customers at risk",
            trigger: ".o_sh_kpi_card[data-kpi='at_risk']",
            run: "click",
        },
        {
            content: "The At Risk filter is applied",
            trigger: ".o_searchview_facet:contains('At Risk')",
        },
        {
            content: "The card shows its filter is on",
            trigger: ".o_sh_kpi_card.o_sh_kpi_active[data-kpi='at_risk']",
        },
        ...checkCards(
            {
                customers: 2,
                active: 0,
                at_risk: 2,
                debt: 700,
                overdue: 700,
                net_sales: 0,
            },
            "Cards of the customers at risk"
        ),
        {
            content: "Only the customers at risk are listed",
            trigger:
                ".o_kanban_renderer:not(:has(.o_kanban_record:contains('SH Tour New Workshop')))",
        },
        {
            content: "A second click removes the filter",
            trigger: ".o_sh_kpi_card[data-kpi='at_risk']",
            run: "click",
        },
        {
            content: "The At Risk facet is gone",
            trigger:
                ".o_control_panel:not(:has(.o_searchview_facet:contains('At Risk')))",
        },
        ...checkCards({customers: 5}, "Back to every searched customer"),
        {
            content: "Show the active customers",
            trigger: ".o_sh_kpi_card[data-kpi='active']",
            run: "click",
        },
        {
            content: "The card adds a status facet",
            trigger: ".o_searchview_facet:contains('Status: Active')",
        },
        ...checkCards(
            {customers: 1, active: 1, debt: 3000},
            "Cards of the active customer"
        ),
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows the active customer",
            trigger: ".o_list_renderer .o_data_row:contains('SH Tour Active Garage')",
        },
        ...checkCards(
            {customers: 1, active: 1, net_sales: 2000, average_order_value: 1000},
            "The list has the same cards, over the last 12 months"
        ),
        {
            content: "Remove the status facet",
            trigger: ".o_searchview_facet:contains('Status: Active') .o_facet_remove",
            run: "click",
        },
        ...checkCards(
            {customers: 5, net_sales: 3200},
            "List cards of every searched customer"
        ),
        {
            content: "Open the active customer",
            trigger: ".o_data_row .o_data_cell:contains('SH Tour Active Garage')",
            run: "click",
        },
        {
            content:
                "The customer's invoices and debt come first among the form's buttons",
            trigger:
                ".o_form_view .o-form-buttonbox > button[name='action_sh_open_invoices']:first-child" +
                " + button[name='action_sh_open_debt']:contains('3,000.00')",
        },
        {
            content: "Open the Statistics page",
            trigger: ".o_form_view .o_notebook .nav-link[name='sh_statistics']",
            run: "click",
        },
        {
            content: "The monthly sales chart is drawn",
            trigger: ".o_sh_monthly_sales_chart canvas",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open the prospect",
            trigger: ".o_data_row .o_data_cell:contains('SH Tour Prospect')",
            run: "click",
        },
        {
            content: "Open the prospect's Statistics page",
            trigger: ".o_form_view .o_notebook .nav-link[name='sh_statistics']",
            run: "click",
        },
        {
            content: "A customer without sales gets a message instead of a chart",
            trigger: ".o_sh_monthly_sales_chart .o_sh_monthly_sales_empty",
        },
    ],
});
