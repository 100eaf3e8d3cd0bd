import {registry} from "@web/core/registry";

/**
 * Duplicates and merge: Find Duplicates lists the pair of customers
 * "SH Merge Tour ..." of sh_customers/tests/test_merge_ui.py (same mobile
 * number, names alike), Preview and Merge shows them side by side with the
 * totals after the merge, and Merge, once confirmed, opens the customer
 * kept with the merge logged on its chatter.
 */

const PAIR =
    ".o_data_row:contains('SH Merge Tour Garage'):contains('SH Merge Tour Garage Co')";
const DIALOG = ".modal:not(.o_inactive_modal)";

registry.category("web_tour.tours").add("sh_customers_merge_tour", {
    steps: () => [
        {
            content: "Find the duplicates of the company",
            trigger: ".o_list_view button[name='action_find_duplicates']",
            run: "click",
        },
        {
            content: "The pair is listed with its reasons",
            trigger: `${PAIR}:contains('same phone number')`,
        },
        {
            content: "Preview the merge of the pair",
            trigger: `${PAIR} button[name='action_merge']`,
            run: "click",
        },
        {
            content: "Both customers side by side, the one kept first",
            trigger: `${DIALOG} .o_sh_merge_preview th:contains('SH Merge Tour Garage'):contains('(kept)')`,
        },
        {
            content: "The invoices of both after the merge",
            trigger: `${DIALOG} .o_sh_merge_preview tr:contains('Invoices') td:last-child:contains('2')`,
        },
        {
            content: "Merge",
            trigger: `${DIALOG} .modal-footer button[name='action_merge']`,
            run: "click",
        },
        {
            content: "Confirm",
            trigger: `${DIALOG} .modal-footer button.btn-primary:contains('Ok')`,
            run: "click",
        },
        {
            content: "The customer kept opens, the merge logged on its chatter",
            trigger:
                ".o_form_view .o-mail-Message:contains('merged these customers into this one')",
        },
    ],
});
