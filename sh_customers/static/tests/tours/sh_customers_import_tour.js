import {registry} from "@web/core/registry";

/**
 * Customers ‣ Import Customers in a browser: a CSV put in the upload field,
 * its columns mapped, the dry run listing each row's outcome, the import of
 * the valid rows (sh_customers/tests/test_customer_import_ui.py).
 */

const CSV =
    "Name,Mobile,E-mail\nSH Import Tour Garage,٠٥٠٩٨٧٦٥٤٣,\nSH Import Tour Bad,12,\n";

registry.category("web_tour.tours").add("sh_customers_import_tour", {
    url: "/odoo/action-sh_customers.sh_customer_import_wizard_action",
    steps: () => [
        {
            content: "Put a CSV file in the upload field",
            trigger: ".modal .o_field_binary input[type=file]:not(:visible)",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File([CSV], "customers.csv", {type: "text/csv"})
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The file is there",
            trigger: ".modal .o_field_binary .o_clear_file_button",
        },
        {
            content: "Read it",
            trigger: ".modal footer button[name='action_read_file']",
            run: "click",
        },
        {
            content: "The columns are mapped by their headers",
            trigger:
                ".modal .o_field_one2many[name='column_ids'] tr:contains('E-mail') td[name='field_name']:contains('Email')",
        },
        {
            content: "Import the valid rows only",
            trigger:
                ".modal .o_field_radio[name='mode'] input[data-value='valid_only']",
            run: "click",
        },
        {
            content: "Run the dry run",
            trigger: ".modal footer button[name='action_dry_run']",
            run: "click",
        },
        {
            content: "The new customer's row",
            trigger:
                ".modal .o_field_one2many[name='line_ids'] tr:contains('SH Import Tour Garage'):contains('Created')",
        },
        {
            content: "The rejected row and its reason",
            trigger:
                ".modal .o_field_one2many[name='line_ids'] tr:contains('SH Import Tour Bad'):contains('Rejected'):contains('is not a valid number')",
        },
        {
            content: "Import",
            trigger: ".modal footer button[name='action_import']",
            run: "click",
        },
        {
            content: "The customers are imported",
            trigger: ".modal:contains('The customers are imported.')",
        },
        {
            content: "The rejected rows can be downloaded",
            trigger: ".modal footer button[name='action_download_rejected']",
        },
    ],
});
