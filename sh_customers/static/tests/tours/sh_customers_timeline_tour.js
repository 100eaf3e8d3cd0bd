import {registry} from "@web/core/registry";

/**
 * The customer's timeline on its form, as an accountant: 50 events, then
 * the rest with "Load more", the balance after each money event, a kind
 * hidden by its chip and a period. The customer "SH Timeline Tour Garage"
 * comes from sh_customers/tests/test_customer_timeline_ui.py: 55 invoices of
 * 100, one a day from 1 January to 24 February 2025, and the last one paid
 * on 1 March 2025 (a payment and its matching with the invoice); a message
 * posted today.
 */
const SHOWN_KINDS = ["invoice", "payment", "reconciliation", "message"];

registry.category("web_tour.tours").add("sh_customers_timeline_tour", {
    steps: () => [
        {
            content: "Open the timeline",
            trigger: ".o_notebook .nav-link[name='sh_timeline']",
            run: "click",
        },
        {
            // Other addons add their kinds (points, interactions): leave
            // them out, the tests of those addons show them.
            content:
                "Show only the invoices, payments, their matching and the messages",
            trigger: ".o_sh_timeline_chip[data-kind='invoice']",
            run() {
                for (const chip of document.querySelectorAll(".o_sh_timeline_chip")) {
                    if (!SHOWN_KINDS.includes(chip.dataset.kind)) {
                        chip.click();
                    }
                }
            },
        },
        {
            content: "Only those kinds are shown",
            trigger: `.o_sh_timeline_events:not(:has(.o_sh_timeline_event${SHOWN_KINDS.map(
                (kind) => `:not([data-kind='${kind}'])`
            ).join("")}))`,
        },
        {
            content: "The payment, with the balance after it: 5500 - 100",
            trigger:
                ".o_sh_timeline_event[data-kind='payment'] .o_sh_timeline_debt:contains('5,400.00')",
        },
        {
            content: "The first page holds 50 events",
            trigger:
                ".o_sh_timeline_events:has(.o_sh_timeline_event:eq(49)):not(:has(.o_sh_timeline_event:eq(50)))",
        },
        {
            content: "Load the rest",
            trigger: ".o_sh_timeline_more",
            run: "click",
        },
        {
            content: "All 58 events",
            trigger:
                ".o_sh_timeline_events:has(.o_sh_timeline_event:eq(57)):not(:has(.o_sh_timeline_event:eq(58)))",
        },
        {
            content: "The first invoice last, with a balance of 100",
            trigger:
                ".o_sh_timeline_event:last-child[data-kind='invoice'] .o_sh_timeline_debt:contains('100.00')",
        },
        {
            content: "Nothing more to load",
            trigger: ".o_sh_timeline:not(:has(.o_sh_timeline_more))",
        },
        {
            content: "Hide the invoices",
            trigger: ".o_sh_timeline_chip[data-kind='invoice']",
            run: "click",
        },
        {
            content: "Only the message, the payment and its matching are left",
            trigger:
                ".o_sh_timeline_events:has(.o_sh_timeline_event[data-kind='payment']):not(:has(.o_sh_timeline_event[data-kind='invoice']))",
        },
        {
            content: "Show the invoices again",
            trigger: ".o_sh_timeline_chip[data-kind='invoice']",
            run: "click",
        },
        {
            content: "From 20 February 2025",
            trigger: ".o_sh_timeline_date_from",
            run() {
                // As the browser's date picker sets it.
                const input = document.querySelector(".o_sh_timeline_date_from");
                input.value = "2025-02-20";
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content:
                "From 20 February: the message, the payment, its matching and the invoices of 20 to 24 February",
            trigger:
                ".o_sh_timeline_events:has(.o_sh_timeline_event:eq(7)):not(:has(.o_sh_timeline_event:eq(8)))",
        },
        {
            content: "Open the payment",
            trigger: ".o_sh_timeline_event[data-kind='payment'] .o_sh_timeline_link",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_form_view .o_field_widget[name='amount']",
        },
    ],
});

/**
 * The timeline in Arabic on a phone, as a Customers user without
 * accounting rights: right to left, the message, no money events and no
 * balance.
 */
registry.category("web_tour.tours").add("sh_customers_timeline_phone_tour", {
    steps: () => [
        {
            content: "The page reads right to left",
            trigger: "html[dir='rtl'], body.o_rtl",
        },
        {
            content: "Open the timeline",
            trigger: ".o_notebook .nav-link[name='sh_timeline']",
            run: "click",
        },
        {
            content: "The message, and no money event or balance",
            trigger:
                ".o_sh_timeline_events:has(.o_sh_timeline_event[data-kind='message']):not(:has(.o_sh_timeline_event[data-kind='invoice'])):not(:has(.o_sh_timeline_debt))",
        },
        {
            content: "The kinds' chips fit the screen",
            trigger: ".o_sh_timeline_chip[data-kind='message']",
            run() {
                const chips = document.querySelector(".o_sh_timeline_filters");
                if (chips.scrollWidth > chips.clientWidth + 1) {
                    throw new Error("The kinds' chips overflow the phone's screen.");
                }
                const timeline = document.querySelector(".o_sh_timeline");
                if (timeline.getBoundingClientRect().right > window.innerWidth + 1) {
                    throw new Error("The timeline is wider than the phone's screen.");
                }
            },
        },
    ],
});
