import {registry} from "@web/core/registry";

/**
 * Redeem a reward from the customer form: the form shows the points
 * balance, the wizard gives a coupon code and the new balance.
 * The customer "SH Loyalty Tour Garage" is created by
 * sh_loyalty/tests/test_ui.py with 150 points.
 */
registry.category("web_tour.tours").add("sh_loyalty_redeem_tour", {
    steps: () => [
        {
            content:
                "The customer's tier shows beside the status, near the top of the form",
            trigger:
                ".o_sh_customer_overview .o_sh_loyalty_tier_badge:contains('Bronze')",
        },
        {
            content: "The points balance shows on the customer form",
            trigger: ".o_sh_loyalty_points_button:contains('150')",
        },
        {
            content: "Redeem a reward",
            trigger: ".o_sh_loyalty_points_button",
            run: "click",
        },
        {
            content: "Choose the reward",
            trigger: ".modal .o_field_widget[name='reward_id'] input",
            run: "edit Tour car wash",
        },
        {
            content: "Pick it in the list",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour car wash')",
            run: "click",
        },
        {
            content: "The points it needs are shown",
            trigger: ".modal .o_field_widget[name='required_points']:contains('100')",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_redeem']",
            run: "click",
        },
        {
            content: "The coupon code is given",
            trigger:
                ".modal .o_sh_loyalty_redeemed .o_sh_loyalty_coupon_code span:not(:empty)",
        },
        {
            content: "The new balance is shown",
            trigger: ".modal .o_field_widget[name='points']:contains('50')",
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "Back on the customer form",
            trigger: "body:not(:has(.modal)) .o_form_view .o_sh_loyalty_points_button",
        },
    ],
});
