import {registry} from "@web/core/registry";

const {Settings} = luxon;

/**
 * One convention for digits in every language: Western digits (0-9), as
 * Odoo writes amounts, quantities and chart axes in Arabic too. Odoo's
 * dates alone would use Arabic-Indic digits in Arabic ("٢٧ أغسطس ٢٠٢٥"
 * beside "$ 1,200.00"); they follow the amounts instead.
 */
export const westernDigitsService = {
    dependencies: ["localization"],
    start() {
        Settings.defaultNumberingSystem = "latn";
    },
};

registry.category("services").add("sh_customers.western_digits", westernDigitsService);
