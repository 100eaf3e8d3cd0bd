import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {formatChar, formatMany2one} from "@web/views/fields/formatters";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * A customer's name in a list: at least NAME_MIN_WIDTH pixels wide, taking
 * what the other columns leave, and isolated from the text around it, so a
 * Latin name in an Arabic list reads from its first word ("Al Noor
 * Transport Co." with its dot at the end) and is cut at its end.
 */
const NAME_MIN_WIDTH = 180;

export class ShNameField extends Component {
    static template = "sh_customers.NameField";
    static props = {...standardFieldProps};

    get name() {
        const {record, name} = this.props;
        const value = record.data[name];
        return record.fields[name].type === "many2one"
            ? formatMany2one(value)
            : formatChar(value);
    }
}

export const shNameField = {
    component: ShNameField,
    displayName: _t("Name"),
    supportedTypes: ["char", "many2one"],
    listViewWidth: [NAME_MIN_WIDTH],
};

registry.category("fields").add("sh_name", shNameField);
