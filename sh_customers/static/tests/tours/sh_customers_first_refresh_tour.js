import {registry} from "@web/core/registry";

/**
 * While the first refresh after installation runs, the Customers app says
 * so above its figures (sh_customers/tests/test_first_refresh.py,
 * TestFirstRefreshUi): above the KPI cards of the customers list, and
 * above the dashboard's cards.
 */
registry.category("web_tour.tours").add("sh_customers_first_refresh_tour", {
    steps: () => [
        {
            content: "The figures are said to be being computed, with the progress",
            trigger: ".o_sh_first_refresh[role='status']:contains('customers done')",
        },
    ],
});
