import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {localization} from "@web/core/l10n/localization";
import {formatFloat} from "@web/core/utils/numbers";

/**
 * Formatting of the dashboard's figures, from the plain values and the
 * company currency ({symbol, position, digits}) the server sends.
 */

/** A left-to-right mark keeps "SAR 1,200" in that order inside Arabic text. */
const LTR_MARK = "\u200e";

function withLtrMark(text) {
    return localization.direction === "rtl" ? `${LTR_MARK}${text}` : text;
}

/**
 * "1.5M", "200k", "2M": one decimal where it tells two axis ticks apart
 * ("1.5M" and "2M", not "2M" twice), none where it is zero.
 */
function formatShort(value) {
    const text = formatFloat(value, {humanReadable: true, decimals: 1});
    const zero = new RegExp(`\\${localization.decimalPoint}0(?=[^0-9]*$)`);
    return text.replace(zero, "");
}

/**
 * @param {number} value
 * @param {{symbol: string, position: string, digits: number}} currency
 * @param {Object} [options]
 * @param {boolean} [options.short] "12k" instead of "12,345.00" (chart axes)
 */
export function formatMoney(value, currency, {short = false} = {}) {
    const amount = short
        ? formatShort(value)
        : formatFloat(value, {digits: [69, currency?.digits ?? 2]});
    if (!currency?.symbol) {
        return amount;
    }
    return currency.position === "before"
        ? `${currency.symbol}\u00a0${amount}`
        : `${amount}\u00a0${currency.symbol}`;
}

export function formatNumber(value, {short = false} = {}) {
    if (short) {
        return formatShort(value);
    }
    return formatFloat(value, {digits: [69, Number.isInteger(value) ? 0 : 2]});
}

export function formatPercent(value) {
    return `${formatFloat(value, {digits: [69, 1]})}%`;
}

/**
 * One value of a card, a chart or a table cell in its format: number,
 * money, percent, date, list or text. Empty values show as a dash.
 */
export function formatValue(value, format, currency, options = {}) {
    if (value === null || value === undefined || value === false) {
        return "—";
    }
    switch (format) {
        case "money":
            return withLtrMark(formatMoney(value, currency, options));
        case "percent":
            return withLtrMark(formatPercent(value));
        case "number":
            return withLtrMark(formatNumber(value, options));
        case "date":
            return formatDate(deserializeDate(value));
        case "list":
            return Array.isArray(value) ? value.join(", ") : String(value);
        default:
            return String(value);
    }
}
