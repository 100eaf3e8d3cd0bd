import {Component} from "@odoo/owl";
import {formatDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * The day of a date or a date and time, in the user's language and time
 * zone, year included ("27 Aug, 2025"): the lists show when a customer last
 * bought or was contacted, the hour does not matter there.
 */
export class ShDateField extends Component {
    static template = "sh_customers.DateField";
    static props = {...standardFieldProps};

    get formattedValue() {
        const value = this.props.record.data[this.props.name];
        return value ? formatDate(value) : "";
    }
}

export const shDateField = {
    component: ShDateField,
    displayName: _t("Date"),
    supportedTypes: ["date", "datetime"],
};

registry.category("fields").add("sh_date", shDateField);
