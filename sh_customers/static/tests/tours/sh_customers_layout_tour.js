import {registry} from "@web/core/registry";

/**
 * What a user sees of the customers app in English and in Arabic, at
 * 1400 pixels and on a phone: the customer "SH Layout Trading Co." of
 * sh_customers/tests/test_ui.py (TestUiLayout), last bought on 27 August
 * 2025.
 */

const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/;

function fullyShown(element) {
    return element.scrollWidth <= element.clientWidth + 1;
}

function check(condition, message) {
    if (!condition) {
        throw new Error(message);
    }
}

registry.category("web_tour.tours").add("sh_customers_layout_list_tour", {
    steps: () => [
        {
            content: "Search the customer",
            trigger: ".o_searchview_input",
            run: "edit SH Layout Trading",
        },
        {
            content: "Search by name",
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "The list shows the customer",
            trigger: ".o_searchview_facet:contains('SH Layout Trading')",
        },
        {
            content: "The name has the room it needs and its own direction",
            trigger:
                ".o_data_row .o_sh_name[dir='auto']:contains('SH Layout Trading Co.')",
            run() {
                const header = document.querySelector(
                    ".o_list_table th[data-name='display_name']"
                );
                check(
                    header.getBoundingClientRect().width >= 180,
                    `The name column is ${header.getBoundingClientRect().width} px wide`
                );
                check(fullyShown(this.anchor), `"${this.anchor.textContent}" is cut`);
                check(
                    this.anchor.textContent === "SH Layout Trading Co.",
                    "Wrong name"
                );
            },
        },
        {
            content: "The last purchase shows whole, with its year, in Western digits",
            trigger: ".o_data_row td[name='sh_last_purchase_date']",
            run() {
                const text = this.anchor.textContent.trim();
                check(text.includes("2025") && text.includes("27"), `Date "${text}"`);
                check(
                    !ARABIC_INDIC_DIGITS.test(text),
                    `Arabic-Indic digits in "${text}"`
                );
                check(fullyShown(this.anchor), `The date "${text}" is cut`);
            },
        },
        {
            content: "The phone number shows whole",
            trigger: ".o_data_row td[name='phone'] a",
            run() {
                const number = this.anchor.getBoundingClientRect();
                const cell = this.anchor.closest("td").getBoundingClientRect();
                check(
                    number.left >= cell.left && number.right <= cell.right,
                    `The phone number is cut (${number.left}-${number.right} in ${cell.left}-${cell.right})`
                );
            },
        },
        {
            content: "Open the customer",
            trigger: ".o_data_row .o_sh_name",
            run: "click",
        },
        {
            content:
                "The customer's invoices, debt and payments show without a More menu",
            trigger:
                ".o_form_view .o-form-buttonbox:has(button[name='action_sh_open_invoices'])" +
                ":has(button[name='action_sh_open_debt'])" +
                ":has(button[name='action_sh_open_payments'])" +
                ":not(:has(.o_button_more))",
        },
        {
            content: "The code sits beside its label, read-only",
            trigger:
                ".o_sh_customer_overview .o_sh_customer_code:has([name='sh_customer_code'])",
        },
        {
            content: "The credit limit has its currency",
            trigger: ".o_form_view .o_notebook .nav-link[name='sh_credit']",
            run: "click",
        },
        {
            content: "The credit limit shows as an amount of money",
            trigger: ".o_form_view div[name='credit_limit'].o_field_monetary",
        },
    ],
});

registry.category("web_tour.tours").add("sh_customers_layout_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows its tables",
            trigger:
                ".o_sh_dashboard:not(.o_sh_dashboard_loading) .o_sh_dashboard_table[data-key='top_customers'] .o_sh_dashboard_row",
        },
        {
            content: "Every column of every table is on screen",
            trigger: ".o_sh_dashboard_table[data-key='at_risk'] .o_sh_dashboard_row",
            run() {
                const width = document.documentElement.clientWidth;
                for (const cell of document.querySelectorAll(
                    ".o_sh_dashboard_table td"
                )) {
                    const box = cell.getBoundingClientRect();
                    check(
                        box.left >= 0 && box.right <= width + 1,
                        `"${cell.textContent.trim()}" is off screen (${box.left}-${
                            box.right
                        } of ${width})`
                    );
                }
            },
        },
        {
            content: "The customer's name keeps its own direction",
            trigger:
                ".o_sh_dashboard_table td.o_sh_dashboard_cell_name span[dir='auto']",
        },
    ],
});
