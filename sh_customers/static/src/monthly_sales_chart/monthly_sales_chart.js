import {Component, onWillStart, useEffect, useRef} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {cookie} from "@web/core/browser/cookie";
import {getColor} from "@web/core/colors/colors";
import {localization} from "@web/core/l10n/localization";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {formatFloat, formatMonetary} from "@web/views/fields/formatters";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

/**
 * Bar chart of a customer's net sales per month, from a Json field holding
 * {"labels": [...], "values": [...]}. Chart.js is loaded when the widget is
 * first shown, as Odoo's graph view does.
 */
export class MonthlySalesChart extends Component {
    static template = "sh_customers.MonthlySalesChart";
    static props = {
        ...standardFieldProps,
        currencyField: {type: String, optional: true},
    };
    static defaultProps = {
        currencyField: "sh_currency_id",
    };

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.destroyChart();
            },
            () => [this.props.record.data[this.props.name]]
        );
    }

    get sales() {
        const value = this.props.record.data[this.props.name] || {};
        return {labels: value.labels || [], values: value.values || []};
    }

    get isEmpty() {
        return !this.sales.values.some((value) => value);
    }

    get currencyId() {
        const currency = this.props.record.data[this.props.currencyField];
        return Array.isArray(currency) ? currency[0] : currency;
    }

    formatAmount(value, short = false) {
        // Axis ticks are short ("$ 12k"); tooltips show the exact amount.
        const options = short
            ? {humanReadable: true, decimals: 0, digits: [69, 0]}
            : {};
        const amount = this.currencyId
            ? formatMonetary(value, {...options, currencyId: this.currencyId})
            : formatFloat(value, options);
        // A left-to-right mark keeps "$ 12k" in that order on a right-to-left canvas.
        return localization.direction === "rtl" ? `\u200e${amount}` : amount;
    }

    destroyChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
    }

    renderChart() {
        this.destroyChart();
        if (!this.canvasRef.el) {
            return;
        }
        this.chart = new Chart(this.canvasRef.el, this.getChartConfig());
    }

    getChartConfig() {
        const colorScheme = cookie.get("color_scheme");
        const positive = getColor(0, colorScheme, "sm");
        const negative = getColor(1, colorScheme, "sm");
        const rtl = localization.direction === "rtl";
        // Months read from the start side: oldest on the right in Arabic.
        // The chart gets them in that order rather than a reversed axis,
        // whose end labels Chart.js would clip.
        const {labels, values} = rtl
            ? {
                  labels: [...this.sales.labels].reverse(),
                  values: [...this.sales.values].reverse(),
              }
            : this.sales;
        return {
            type: "bar",
            data: {
                labels,
                datasets: [
                    {
                        label: _t("Net Sales"),
                        data: values,
                        backgroundColor: values.map((value) =>
                            value < 0 ? negative : positive
                        ),
                        borderRadius: 2,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                    legend: {display: false},
                    tooltip: {
                        rtl,
                        textDirection: localization.direction,
                        callbacks: {
                            label: (item) => this.formatAmount(item.parsed.y),
                        },
                    },
                },
                scales: {
                    x: {
                        grid: {display: false},
                        // Upright months, some skipped on a phone rather
                        // than overlapping.
                        ticks: {autoSkip: true, autoSkipPadding: 8, maxRotation: 0},
                    },
                    y: {
                        position: rtl ? "right" : "left",
                        beginAtZero: true,
                        ticks: {
                            callback: (value) => this.formatAmount(value, true),
                        },
                    },
                },
            },
        };
    }
}

export const monthlySalesChart = {
    component: MonthlySalesChart,
    displayName: _t("Monthly Sales Chart"),
    supportedTypes: ["json"],
    extractProps: ({options}) => ({
        currencyField: options.currency_field,
    }),
};

registry.category("fields").add("sh_monthly_sales_chart", monthlySalesChart);
