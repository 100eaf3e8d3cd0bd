import {Component, onWillStart, onWillUpdateProps, useState} from "@odoo/owl";
import {
    deserializeDate,
    deserializeDateTime,
    formatDate,
    formatDateTime,
} from "@web/core/l10n/dates";
import {localization} from "@web/core/l10n/localization";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatFloat, formatMonetary} from "@web/views/fields/formatters";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";

// Events read per page: the first page comes with the form.
const PAGE_SIZE = 50;

/**
 * The customer's timeline: its invoices, credit notes, payments, points,
 * interactions, tasks and messages, newest first, from
 * ``sh.customer.timeline.get_timeline``; filtered by kind and period, a
 * page at a time.
 */
export class CustomerTimeline extends Component {
    static template = "sh_customers.CustomerTimeline";
    static props = {...standardWidgetProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.request = 0;
        this.state = useState({
            events: [],
            kinds: [],
            hidden: [],
            dateFrom: "",
            dateTo: "",
            hasMore: false,
            loading: false,
            showDebt: false,
            currencyId: false,
        });
        onWillStart(() => this.load(this.props.record.resId));
        onWillUpdateProps((next) => {
            if (next.record.resId !== this.props.record.resId) {
                return this.load(next.record.resId);
            }
        });
    }

    get kindsByKey() {
        return Object.fromEntries(this.state.kinds.map((kind) => [kind.key, kind]));
    }

    get shownKinds() {
        return this.state.kinds
            .map((kind) => kind.key)
            .filter((key) => !this.state.hidden.includes(key));
    }

    async load(resId, append = false) {
        if (!resId) {
            Object.assign(this.state, {events: [], hasMore: false});
            return;
        }
        // The answer to the latest request only: a filter changed while a
        // page was loading asks again.
        const request = ++this.request;
        this.state.loading = true;
        try {
            const data = await this.orm.call(
                "sh.customer.timeline",
                "get_timeline",
                [resId],
                {
                    limit: PAGE_SIZE,
                    offset: append ? this.state.events.length : 0,
                    // All kinds until the first answer names them.
                    kinds: this.state.kinds.length ? this.shownKinds : null,
                    date_from: this.state.dateFrom || null,
                    date_to: this.state.dateTo || null,
                }
            );
            if (request !== this.request) {
                return;
            }
            Object.assign(this.state, {
                events: append ? [...this.state.events, ...data.events] : data.events,
                kinds: data.kinds,
                hasMore: data.has_more,
                showDebt: data.show_debt,
                currencyId: data.currency.id,
            });
        } finally {
            if (request === this.request) {
                this.state.loading = false;
            }
        }
    }

    reload() {
        return this.load(this.props.record.resId);
    }

    toggleKind(key) {
        const hidden = this.state.hidden;
        this.state.hidden = hidden.includes(key)
            ? hidden.filter((hiddenKey) => hiddenKey !== key)
            : [...hidden, key];
        return this.reload();
    }

    onDateChange(field, ev) {
        this.state[field] = ev.target.value;
        return this.reload();
    }

    clearFilters() {
        Object.assign(this.state, {hidden: [], dateFrom: "", dateTo: ""});
        return this.reload();
    }

    loadMore() {
        return this.load(this.props.record.resId, true);
    }

    onScroll(ev) {
        const el = ev.target;
        if (
            this.state.hasMore &&
            !this.state.loading &&
            el.scrollTop + el.clientHeight >= el.scrollHeight - 40
        ) {
            this.loadMore();
        }
    }

    formatDate(event) {
        return event.all_day
            ? formatDate(deserializeDate(event.date))
            : formatDateTime(deserializeDateTime(event.date));
    }

    formatAmount(value, signed = false) {
        const amount = formatMonetary(Math.abs(value), {
            currencyId: this.state.currencyId,
        });
        const sign = signed ? (value < 0 ? "−" : "+") : value < 0 ? "−" : "";
        // A left-to-right mark keeps the sign before the amount in Arabic.
        const text = `${sign}${amount}`;
        return localization.direction === "rtl" ? `\u200e${text}` : text;
    }

    formatPoints(value) {
        const points = formatFloat(Math.abs(value), {digits: [16, 0]});
        return _t("%(sign)s%(points)s points", {sign: value < 0 ? "−" : "+", points});
    }

    open(event) {
        if (!event.res_model || !event.res_id) {
            return;
        }
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: event.res_model,
            res_id: event.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export const customerTimeline = {
    component: CustomerTimeline,
};

registry.category("view_widgets").add("sh_customer_timeline", customerTimeline);
