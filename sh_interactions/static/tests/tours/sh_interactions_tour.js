import {registry} from "@web/core/registry";

/**
 * From the customer form: log a call in two clicks (plus what was said),
 * then create a task; both show on the customer's Interactions page.
 * The customer is created by sh_interactions/tests/test_ui.py.
 */
registry.category("web_tour.tours").add("sh_interactions_tour", {
    steps: () => [
        {
            content: "The customer form is open",
            trigger: ".o_form_view .o_sh_interaction_buttons",
        },
        {
            content: "Log an interaction",
            trigger:
                ".o_sh_interaction_buttons button[name='action_sh_log_interaction']",
            run: "click",
        },
        {
            content: "The quick log opens as a phone call",
            trigger:
                ".modal .o_field_widget[name='channel'] input[data-value='phone']:checked",
        },
        {
            content: "Say what the call was about",
            trigger: ".modal .o_field_widget[name='subject'] input",
            run: "edit Asked about brake discs",
        },
        {
            content: "The customer was reached",
            trigger: ".modal .o_field_widget[name='outcome'] select",
            run: 'select "reached"',
        },
        {
            content: "Log it",
            trigger: ".modal button[name='action_log']",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Open the Interactions page",
            trigger: ".o_form_view .o_notebook .nav-link[name='sh_interactions']",
            run: "click",
        },
        {
            content: "The call is listed",
            trigger:
                ".o_field_widget[name='sh_interaction_ids'] .o_data_row:contains('Asked about brake discs')",
        },
        {
            content: "Create a task",
            trigger: ".o_sh_interaction_buttons button[name='action_sh_new_task']",
            run: "click",
        },
        {
            content: "Name the task",
            trigger: ".modal .o_field_widget[name='name'] input",
            run: "edit Send the brake disc quotation",
        },
        {
            content: "Save the task",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The task is among the open tasks",
            trigger:
                ".o_field_widget[name='sh_open_task_ids'] .o_data_row:contains('Send the brake disc quotation')",
        },
    ],
});
