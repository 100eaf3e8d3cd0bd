import {Component, onWillStart, useState} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {DateTimeInput} from "@web/core/datetime/datetime_input";
import {Domain} from "@web/core/domain";
import {deserializeDate, serializeDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {formatFloat} from "@web/core/utils/numbers";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {DashboardChart} from "./dashboard_chart";
import {formatValue} from "./dashboard_format";

export const DASHBOARD_MODEL = "sh.customer.dashboard";

function isNumber(value) {
    return typeof value === "number";
}

/**
 * The customer dashboard: KPI cards compared with the previous period,
 * charts and tables, all from one call to
 * ``sh.customer.dashboard.get_dashboard_data``. The server describes
 * every card, chart and table (addons add theirs there), so this action
 * only presents them. Cards, bars and slices open the customers list
 * filtered on the domain the server gives for them.
 */
export class CustomerDashboard extends Component {
    static template = "sh_customers.CustomerDashboard";
    static components = {Layout, DashboardChart, DateTimeInput};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.keepLast = new KeepLast();
        const saved = this.props.state?.shDashboard || {};
        this.state = useState({
            // Without a period the server shows its default one.
            period: saved.period || null,
            // Dates of the custom period, as luxon dates.
            dateFrom: saved.dateFrom ? deserializeDate(saved.dateFrom) : null,
            dateTo: saved.dateTo ? deserializeDate(saved.dateTo) : null,
            data: null,
            loading: false,
        });
        // Coming back from a list opened here shows the same period again.
        this.shown = saved;
        useSetupAction({
            getLocalState: () => ({shDashboard: this.shown}),
        });
        onWillStart(() => Promise.all([loadBundle("web.chartjs_lib"), this.load()]));
    }

    /** The named periods as the server names them, then custom dates. */
    get periods() {
        const named = this.state.data?.periods || [];
        return [
            ...named.map(([value, label]) => ({value, label})),
            {value: "custom", label: _t("Custom Dates")},
        ];
    }

    get isCustom() {
        return this.state.period === "custom";
    }

    get canApplyCustom() {
        const {dateFrom, dateTo} = this.state;
        return Boolean(dateFrom && dateTo && dateFrom <= dateTo);
    }

    /** The custom period ends before it starts. */
    get customDatesReversed() {
        const {dateFrom, dateTo} = this.state;
        return Boolean(dateFrom && dateTo && dateFrom > dateTo);
    }

    async load() {
        const {period, dateFrom, dateTo} = this.state;
        const kwargs = {compare: true};
        if (period === "custom") {
            kwargs.date_from = serializeDate(dateFrom);
            kwargs.date_to = serializeDate(dateTo);
        } else if (period) {
            kwargs.period = period;
        }
        this.state.loading = true;
        try {
            const data = await this.keepLast.add(
                this.orm.call(DASHBOARD_MODEL, "get_dashboard_data", [], kwargs)
            );
            this.state.data = data;
            this.state.period = data.period.period;
            this.shown = {
                period: data.period.period,
                dateFrom: kwargs.date_from,
                dateTo: kwargs.date_to,
            };
        } finally {
            this.state.loading = false;
        }
    }

    onPeriodChange(ev) {
        const period = ev.target.value;
        this.state.period = period;
        if (period !== "custom") {
            this.load();
            return;
        }
        // Start the custom dates from the period shown, then wait for Apply.
        const shown = this.state.data?.period;
        if (shown && !this.state.dateFrom) {
            this.state.dateFrom = deserializeDate(shown.date_from);
            this.state.dateTo = deserializeDate(shown.date_to);
        }
    }

    onDateFromChange(date) {
        this.state.dateFrom = date || null;
    }

    onDateToChange(date) {
        this.state.dateTo = date || null;
    }

    onApplyCustom() {
        if (this.canApplyCustom) {
            this.load();
        }
    }

    // ------------------------------------------------------------------
    // Presentation
    // ------------------------------------------------------------------

    get currency() {
        return this.state.data?.currency || {};
    }

    get comparisonLabel() {
        const period = this.state.data?.period;
        if (!period?.previous_from) {
            return "";
        }
        return _t("Compared with %(from)s to %(to)s", {
            from: formatValue(period.previous_from, "date"),
            to: formatValue(period.previous_to, "date"),
        });
    }

    get periodLabel() {
        const period = this.state.data?.period;
        if (!period) {
            return "";
        }
        const dates = _t("%(from)s to %(to)s", {
            from: formatValue(period.date_from, "date"),
            to: formatValue(period.date_to, "date"),
        });
        return period.period === "custom" ? dates : `${period.label} (${dates})`;
    }

    format(value, format) {
        return formatValue(value, format, this.currency);
    }

    /**
     * Comparison of a card with the previous period: an arrow for the
     * direction, green when it moves the way that is good for this card
     * (``better``), and the change: percent for counts and amounts,
     * percentage points for rates. Without a figure on one side (no
     * invoice to average, say) only the previous figure shows.
     */
    comparison(card) {
        if (!this.state.data.period.previous_from) {
            return null;
        }
        const {value, previous, variation, format, better} = card;
        const previousText = this.format(previous, format);
        if (!isNumber(value) || !isNumber(previous)) {
            return {
                direction: "none",
                tone: "muted",
                icon: "",
                change: "",
                previous: previousText,
                title: _t("%(previous)s in the previous period", {
                    previous: previousText,
                }),
            };
        }
        const delta = value - previous;
        const direction = delta > 0 ? "up" : delta < 0 ? "down" : "flat";
        let tone = "muted";
        if (direction !== "flat") {
            tone = direction === (better || "up") ? "success" : "danger";
        }
        let change = "";
        if (format === "percent") {
            change = _t("%(points)s pts", {
                points: formatFloat(Math.abs(delta), {digits: [69, 1]}),
            });
        } else if (isNumber(variation)) {
            change = formatValue(Math.abs(variation), "percent");
        }
        const titles = {
            up: () =>
                _t("Up from %(previous)s in the previous period", {
                    previous: previousText,
                }),
            down: () =>
                _t("Down from %(previous)s in the previous period", {
                    previous: previousText,
                }),
            flat: () =>
                _t("Same as in the previous period (%(previous)s)", {
                    previous: previousText,
                }),
        };
        return {
            direction,
            tone,
            icon: {up: "fa-arrow-up", down: "fa-arrow-down", flat: "fa-minus"}[
                direction
            ],
            change,
            previous: previousText,
            title: titles[direction](),
        };
    }

    cardTitle(card) {
        const parts = [card.help];
        if (card.domain) {
            parts.push(_t("Click to see these customers."));
        }
        return parts.filter(Boolean).join("\n");
    }

    get hasData() {
        const data = this.state.data;
        return Boolean(
            data && (data.cards.length || data.charts.length || data.tables.length)
        );
    }

    // ------------------------------------------------------------------
    // Navigation
    // ------------------------------------------------------------------

    /**
     * Open the customers (the Customers app's kanban and list) matching
     * ``domain``, named after what was clicked. The list shows exactly the
     * customers counted: the app's default filters are not applied, and its
     * KPI cards show the sales of the dashboard's period (the card named by
     * a dashboard card's ``kpi`` shows its figure). The
     * action is passed whole, without the id of the Customers action: a
     * reload of the page then restores it, domain included, instead of
     * loading the Customers action again.
     */
    async openCustomers(domain, name) {
        const xmlId = this.state.data.customer_action;
        const action = await this.actionService.loadAction(xmlId);
        const context = Object.fromEntries(
            Object.entries(action.context || {}).filter(
                ([key]) => !key.startsWith("search_default_")
            )
        );
        context.sh_kpi_period = this.state.data.list_period;
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: action.res_model,
            views: action.views.filter(([, viewType]) => viewType !== "search"),
            search_view_id: action.search_view_id,
            domain: Domain.and([action.domain || [], domain]).toList(),
            context,
            help: action.help,
        });
    }

    onCardClick(card) {
        if (card.domain) {
            this.openCustomers(card.domain, card.label);
        }
    }

    onChartOpen(domain, name) {
        return this.openCustomers(domain, name);
    }

    onRowKeydown(ev, row) {
        if (ev.key === "Enter") {
            this.openCustomer(row);
        }
    }

    openCustomer(row) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "res.partner",
            res_id: row.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("sh_customers.customer_dashboard", CustomerDashboard);
