import {registry} from "@web/core/registry";

/**
 * Archiving customers with a reason from the Customers list, as a Customers
 * user who may see receivables but is not a Customers manager: Odoo's
 * Archive opens the dialog that asks why, "Other" needs a note, and a
 * customer who owes money shows the amount and cannot be archived by this
 * user. The customers "SH Archive Tour ..." come from
 * sh_customers/tests/test_customer_archive_ui.py.
 */

function archiveSelected(name) {
    return [
        {
            content: `Select ${name}`,
            trigger: `.o_data_row:contains('${name}') .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Open the action menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Archive",
            trigger:
                ".o-dropdown--menu .o_menu_item:contains('Archive'):not(:contains('Reason')):not(:contains('Unarchive'))",
            run: "click",
        },
        {
            content: "Confirm Odoo's question",
            trigger: ".modal-footer .btn-primary:contains('Archive')",
            run: "click",
        },
        {
            content: "The dialog asks why",
            trigger: ".modal .o_field_widget[name='reason'] select",
        },
    ];
}

registry.category("web_tour.tours").add("sh_customers_archive_tour", {
    steps: () => [
        {
            content: "Search the tour's customers",
            trigger: ".o_searchview_input",
            run: "edit SH Archive Tour",
        },
        {
            content: "Search them by name",
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "Both customers are listed",
            trigger: ".o_list_view .o_data_row:contains('SH Archive Tour Debtor')",
        },
        ...archiveSelected("SH Archive Tour Prospect"),
        {
            content: "Nothing is owed: no warning",
            trigger: ".modal:not(:has(.alert-warning:visible))",
        },
        {
            content: "Choose the reason Other",
            trigger: ".modal .o_field_widget[name='reason'] select",
            run: 'select "other"',
        },
        {
            content: "Archive without a note",
            trigger: ".modal-footer button[name='action_sh_archive']",
            run: "click",
        },
        {
            content: "The note is required",
            trigger: ".modal .o_field_widget[name='note'].o_field_invalid",
        },
        {
            content: "Write the note",
            trigger: ".modal .o_field_widget[name='note'] textarea",
            run: "edit Asked to be removed",
        },
        {
            content: "Archive",
            trigger: ".modal-footer button[name='action_sh_archive']",
            run: "click",
        },
        {
            content: "The archived customer leaves the list",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('SH Archive Tour Prospect')))",
        },
        {
            content: "The debtor is still listed",
            trigger: ".o_list_view .o_data_row:contains('SH Archive Tour Debtor')",
        },
        ...archiveSelected("SH Archive Tour Debtor"),
        {
            content: "The dialog shows what the debtor owes",
            trigger:
                ".modal .alert-warning:contains('SH Archive Tour Debtor'):contains('1,000.00')",
        },
        {
            content: "Only managers may archive them",
            trigger: ".modal .alert-warning:contains('Only Customers managers')",
        },
        {
            content: "This user cannot tick the confirmation",
            trigger:
                ".modal:not(:has(.o_field_widget[name='confirm_blockers']:visible))",
        },
        {
            content: "Cancel",
            trigger: ".modal-footer button:contains('Cancel')",
            run: "click",
        },
        {
            content: "The debtor is still listed",
            trigger:
                "body:not(:has(.modal)) .o_list_view .o_data_row:contains('SH Archive Tour Debtor')",
        },
    ],
});

/**
 * A Customers manager archives the customer who owes money: refused until
 * "Archive anyway" is ticked; the "Archived" filter shows the customer
 * again, whose form gives the reason and restores it.
 */
registry.category("web_tour.tours").add("sh_customers_archive_manager_tour", {
    steps: () => [
        {
            content: "Search the tour's customers",
            trigger: ".o_searchview_input",
            run: "edit SH Archive Tour",
        },
        {
            content: "Search them by name",
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        ...archiveSelected("SH Archive Tour Debtor"),
        {
            content: "The dialog shows what the debtor owes",
            trigger:
                ".modal .alert-warning:contains('SH Archive Tour Debtor'):contains('1,000.00')",
        },
        {
            content: "Choose the reason Bad debt",
            trigger: ".modal .o_field_widget[name='reason'] select",
            run: 'select "bad_debt"',
        },
        {
            content: "Archive without ticking the confirmation",
            trigger: ".modal-footer button[name='action_sh_archive']",
            run: "click",
        },
        {
            content: "Refused: the amounts must be confirmed",
            trigger: ".modal:contains('Tick \"Archive anyway\"')",
        },
        {
            content: "Close the refusal",
            trigger:
                ".modal:contains('Tick \"Archive anyway\"') .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Tick Archive anyway",
            trigger: ".modal .o_field_widget[name='confirm_blockers'] input",
            run: "click",
        },
        {
            content: "Archive",
            trigger: ".modal-footer button[name='action_sh_archive']",
            run: "click",
        },
        {
            content: "The archived customer leaves the list",
            trigger:
                "body:not(:has(.modal)) .o_list_view:not(:has(.o_data_row:contains('SH Archive Tour Debtor')))",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter the archived customers",
            trigger: ".o_filter_menu .o_menu_item:contains('Archived')",
            run: "click",
        },
        {
            content: "Open the archived customer",
            trigger:
                ".o_list_view .o_data_row:contains('SH Archive Tour Debtor') td[name='display_name']",
            run: "click",
        },
        {
            content: "The form says why it was archived",
            trigger: ".o_form_view div[name='sh_archive']:contains('Bad debt')",
        },
        {
            content: "Restore the customer",
            trigger:
                ".o_form_view div[name='sh_archive'] button[name='action_unarchive']",
            run: "click",
        },
        {
            content: "Restored: no archive reason left",
            trigger:
                ".o_form_view:not(:has(div[name='sh_archive']:visible)):not(:has(.ribbon:visible))",
        },
    ],
});
