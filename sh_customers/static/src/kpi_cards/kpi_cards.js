import {
    Component,
    onWillStart,
    onWillUpdateProps,
    useEnv,
    useState,
    useSubEnv,
} from "@odoo/owl";
import {Domain} from "@web/core/domain";
import {KeepLast} from "@web/core/utils/concurrency";
import {useService} from "@web/core/utils/hooks";
import {formatInteger, formatMonetary} from "@web/views/fields/formatters";

/**
 * The sales period the cards start on: the one given in the action's
 * context (``sh_kpi_period``: a list opened from the dashboard shows the
 * dashboard's period, named or custom dates), or the server's default.
 */
function initialPeriod(searchModel) {
    const given = searchModel?.globalContext?.sh_kpi_period;
    if (given?.period === "custom" && given.date_from && given.date_to) {
        return {period: "custom", dateFrom: given.date_from, dateTo: given.date_to};
    }
    return {period: given?.period || null, dateFrom: null, dateTo: null};
}

function periodKwargs({period, dateFrom, dateTo}) {
    if (period === "custom") {
        return {period, date_from: dateFrom, date_to: dateTo};
    }
    return period ? {period} : {};
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
 * The KPI cards above the customers list and kanban, as the server
 * describes them (``sh_get_customer_kpis``: label, value and its format,
 * help, the filter a click applies). They show the figures of the customers
 * matching the view's domain (the active search) and reload whenever that
 * domain or the sales period changes; a card with a filter toggles it in
 * the search model.
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
        // The dashboard's custom dates stay among the choices once left.
        this.customChoice = null;
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
        this.customChoice =
            kpis.periods.find((choice) => choice.value === "custom") ||
            this.customChoice;
        Object.assign(this.state, {kpis, period: kpis.period, loading: false});
    }

    get periods() {
        const periods = this.state.kpis.periods;
        if (!this.customChoice || periods.some((p) => p.value === "custom")) {
            return periods;
        }
        return [...periods, this.customChoice];
    }

    formatValue(card) {
        if (card.format === "money") {
            return formatMonetary(card.value, {
                currencyId: this.state.kpis.currency_id,
            });
        }
        return formatInteger(card.value);
    }

    get cards() {
        return this.state.kpis.cards.map((card) => {
            const clickable = Boolean(card.domain);
            const active = clickable && this.isFilterActive(card);
            return {
                ...card,
                display: this.formatValue(card),
                clickable,
                active,
                className: [
                    clickable && "o_sh_kpi_clickable",
                    active && "o_sh_kpi_active border-primary",
                    card.tone && `o_sh_kpi_${card.tone}`,
                ]
                    .filter(Boolean)
                    .join(" "),
            };
        });
    }

    /** Search items that a card toggles: the search view's filter the card
     * names, or the domain filter the card created on a previous click. */
    searchItemsOf(card) {
        const items = Object.values(this.env.searchModel.searchItems);
        const named = card.filter
            ? items.filter((item) => item.name === card.filter)
            : [];
        return named.length
            ? named
            : items.filter((item) => item.shCustomerCard === card.key);
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
        } else {
            searchModel.createNewFilters([
                {
                    description: card.description,
                    domain: new Domain(card.domain).toString(),
                    invisible: "True",
                    shCustomerCard: card.key,
                },
            ]);
        }
    }

    onPeriodChange(ev) {
        this.state.period = ev.target.value;
        this.load();
    }
}
