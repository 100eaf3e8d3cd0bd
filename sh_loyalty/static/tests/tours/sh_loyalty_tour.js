import {registry} from "@web/core/registry";

/**
 * Redeem a reward from the customer form: the Rewards section shows the
 * balance and tier, the wizard gives a coupon code, the balance drops.
 * The customer "SH Loyalty Tour Garage" is created by
 * sh_loyalty/tests/test_ui.py with 150 points.
 */
registry.category("web_tour.tours").add("sh_loyalty_redeem_tour", {
    steps: () => [
        {
            content: "The customer form is loaded",
            trigger:
                ".o_form_view .o_field_widget[name='name']:contains('SH Loyalty Tour Garage'), .o_form_view .o_field_widget[name='name'] input",
        },
        {
            content: "Open the Rewards section",
            trigger: ".o_notebook .nav-link[name='sh_rewards']",
            run: "click",
        },
        {
            content: "The balance is shown",
            trigger:
                ".o_notebook .tab-pane.active .o_field_widget[name='sh_loyalty_points']:contains('150')",
        },
        {
            content: "The tier badge is shown",
            trigger: ".o_field_widget[name='sh_loyalty_tier_id']:contains('Bronze')",
        },
        {
            content: "Redeem a reward",
            trigger: "button[name='action_sh_loyalty_redeem']",
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
            content: "The redemption is in the recent movements",
            trigger:
                ".o_field_widget[name='sh_loyalty_history_ids'] .o_data_row:contains('Tour car wash')",
        },
    ],
});
