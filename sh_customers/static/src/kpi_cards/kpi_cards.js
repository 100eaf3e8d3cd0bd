import {
    Component,
    onWillStart,
    onWillUpdateProps,
    useEnv,
    useState,
    useSubEnv,
} from "@odoo/owl";
import {deserializeDate, formatDate} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {formatInteger, formatMonetary} from "@web/views/fields/formatters";

export const PERIODS = ["month", "quarter", "year", "12m"];
export const DEFAULT_PERIOD = "12m";

/**
 * The sales period the cards start on: the one given in the action's
 * context (``sh_kpi_period``: a list opened from the dashboard shows the
 * dashboard's period, named or custom dates), or the last 12 months.
 */
function initialPeriod(searchModel) {
    const given = searchModel?.globalContext?.sh_kpi_period;
    if (given?.period === "custom" && given.date_from && given.date_to) {
        return {period: "custom", dateFrom: given.date_from, dateTo: given.date_to};
    }
    if (PERIODS.includes(given?.period)) {
        return {period: given.period, dateFrom: null, dateTo: null};
    }
    return {period: DEFAULT_PERIOD, dateFrom: null, dateTo: null};
}

function periodKwargs({period, dateFrom, dateTo}) {
    return period === "custom"
        ? {period, date_from: dateFrom, date_to: dateTo}
        : {period};
}

/**
 * Ask for the cards of the view's first search right away, side by side
 * with the records (call it in the view controller's setup); the cards
 * component takes that answer instead of asking again after the records.
 */
export function usePrefetchedCustomerKpis(domain) {
    const orm = useService("orm");
    const period = initialPeriod(useEnv().searchModel);
    useSubEnv({
        shCustomerKpis: {
            domain,
            period: period.period,
            promise: orm.call(
                "res.partner",
                "sh_get_customer_kpis",
                [domain],
                periodKwargs(period)
            ),
        },
    });
}

/**
 * The eight KPI cards above the customers list and kanban. They show the
 * figures of the customers matching the view's domain (the active search)
 * and reload whenever that domain changes; a card with a filter toggles it
 * in the search model.
 */
export class CustomerKpiCards extends Component {
    static template = "sh_customers.CustomerKpiCards";
    static props = {
        domain: Array,
    };

    setup() {
        this.orm = useService("orm");
        this.keepLast = new KeepLast();
        this.givenPeriod = initialPeriod(this.env.searchModel);
        this.state = useState({
            kpis: null,
            period: this.givenPeriod.period,
            loading: false,
        });
        this.domain = this.props.domain;
        onWillStart(() => this.load(this.env.shCustomerKpis));
        onWillUpdateProps((nextProps) => {
            if (JSON.stringify(nextProps.domain) !== JSON.stringify(this.domain)) {
                this.domain = nextProps.domain;
                // Not awaited: the records show at once, the cards follow.
                this.load();
            }
        });
    }

    async load(prefetched = null) {
        this.state.loading = true;
        const request =
            prefetched &&
            this.state.period === prefetched.period &&
            JSON.stringify(prefetched.domain) === JSON.stringify(this.domain)
                ? prefetched.promise
                : this.orm.call(
                      "res.partner",
                      "sh_get_customer_kpis",
                      [this.domain],
                      periodKwargs({...this.givenPeriod, period: this.state.period})
                  );
        const kpis = await this.keepLast.add(request);
        Object.assign(this.state, {kpis, loading: false});
    }

    get periodLabels() {
        const labels = {
            month: _t("This Month"),
            quarter: _t("This Quarter"),
            year: _t("This Year"),
            "12m": _t("Last 12 Months"),
        };
        const {dateFrom, dateTo} = this.givenPeriod;
        if (dateFrom && dateTo) {
            labels.custom = _t("%(from)s to %(to)s", {
                from: formatDate(deserializeDate(dateFrom)),
                to: formatDate(deserializeDate(dateTo)),
            });
        }
        return labels;
    }

    get periods() {
        const labels = this.periodLabels;
        const values = labels.custom ? [...PERIODS, "custom"] : PERIODS;
        return values.map((value) => ({value, label: labels[value]}));
    }

    get cards() {
        const kpis = this.state.kpis;
        const money = (value) => formatMonetary(value, {currencyId: kpis.currency_id});
        const count = (value) => formatInteger(value);
        const clickHint = _t("Click to filter the list on these customers.");
        const cards = [
            {
                name: "customers",
                icon: "fa-users",
                label: _t("Customers"),
                value: kpis.customers,
                display: count(kpis.customers),
                help: _t(
                    "Customers matching the current search and filters, prospects (no purchase yet) included."
                ),
            },
            {
                name: "active",
                icon: "fa-check-circle",
                label: _t("Active"),
                value: kpis.active,
                display: count(kpis.active),
                help: _t(
                    "Customers with the status Active: they have bought, their first purchase is older than the new customer period, and they are neither at risk nor churned."
                ),
                facet: {
                    description: _t("Status: Active"),
                    domain: "[('sh_lifecycle_status', '=', 'active')]",
                },
            },
            {
                name: "new_this_month",
                icon: "fa-user-plus",
                label: _t("New Buyers This Month"),
                value: kpis.new_this_month,
                display: count(kpis.new_this_month),
                help: _t(
                    "Customers whose first posted invoice is dated in the current month. Not the status New, which covers a longer period (the new customer period, 90 days by default)."
                ),
                filterName: "filter_sh_new_this_month",
            },
            {
                name: "at_risk",
                icon: "fa-exclamation-triangle",
                tone: kpis.at_risk ? "warning" : "",
                label: _t("At Risk"),
                value: kpis.at_risk,
                display: count(kpis.at_risk),
                help: _t(
                    "Customers with the status At Risk: no purchase for more than the at risk gap factor (2 by default) times their usual gap between purchases. Not the RFM segment At Risk."
                ),
                filterName: "filter_sh_at_risk",
            },
        ];
        if (kpis.show_debt) {
            cards.push(
                {
                    name: "debt",
                    icon: "fa-credit-card",
                    label: _t("Total Debt"),
                    value: kpis.debt,
                    display: money(kpis.debt),
                    help: _t(
                        "Open receivable of these customers: posted, unreconciled receivable items, taxes included. Equal to Total Receivable."
                    ),
                    filterName: "filter_sh_with_debt",
                },
                {
                    name: "overdue",
                    icon: "fa-clock-o",
                    tone: kpis.overdue > 0 ? "danger" : "",
                    label: _t("Overdue Debt"),
                    value: kpis.overdue,
                    display: money(kpis.overdue),
                    help: _t("Part of the debt whose due date has passed."),
                    filterName: "filter_sh_overdue",
                }
            );
        }
        const period = _t("%(from)s to %(to)s", {
            from: formatDate(deserializeDate(kpis.date_from)),
            to: formatDate(deserializeDate(kpis.date_to)),
        });
        const periodLabel = this.periodLabels[kpis.period];
        cards.push(
            {
                name: "net_sales",
                icon: "fa-line-chart",
                label: _t("Net Sales"),
                note: periodLabel,
                value: kpis.net_sales,
                display: money(kpis.net_sales),
                help: _t(
                    "Posted customer invoices minus posted credit notes, untaxed, in company currency, dated from %(period)s.",
                    {period}
                ),
            },
            {
                name: "average_order_value",
                icon: "fa-shopping-cart",
                label: _t("Average Order Value"),
                note: periodLabel,
                value: kpis.average_order_value,
                display: money(kpis.average_order_value),
                help: _t(
                    "Net sales divided by the number of posted invoices (credit notes not counted), dated from %(period)s.",
                    {period}
                ),
            }
        );
        for (const card of cards) {
            card.clickable = Boolean(card.filterName || card.facet);
            card.active = card.clickable && this.isFilterActive(card);
            card.className = [
                card.clickable && "o_sh_kpi_clickable",
                card.active && "o_sh_kpi_active border-primary",
                card.tone && `o_sh_kpi_${card.tone}`,
            ]
                .filter(Boolean)
                .join(" ");
            if (card.clickable) {
                card.help = `${card.help}\n${clickHint}`;
            }
        }
        return cards;
    }

    /** Search items that a card toggles: a named filter of the search view,
     * or the domain filter the card created on a previous click. */
    searchItemsOf(card) {
        const searchModel = this.env.searchModel;
        return Object.values(searchModel.searchItems).filter((item) =>
            card.filterName
                ? item.name === card.filterName
                : item.shCustomerCard === card.name
        );
    }

    isFilterActive(card) {
        const ids = new Set(this.searchItemsOf(card).map((item) => item.id));
        return this.env.searchModel.query.some((element) =>
            ids.has(element.searchItemId)
        );
    }

    onCardClick(card) {
        if (!card.clickable) {
            return;
        }
        const searchModel = this.env.searchModel;
        const [item] = this.searchItemsOf(card);
        if (item) {
            searchModel.toggleSearchItem(item.id);
        } else if (card.facet) {
            searchModel.createNewFilters([
                {...card.facet, invisible: "True", shCustomerCard: card.name},
            ]);
        }
    }

    onPeriodChange(ev) {
        this.state.period = ev.target.value;
        this.load();
    }
}
