import {Component, useEffect, useRef} from "@odoo/owl";
import {cookie} from "@web/core/browser/cookie";
import {getBorderWhite, getColor, hexToRGBA} from "@web/core/colors/colors";
import {localization} from "@web/core/l10n/localization";
import {_t} from "@web/core/l10n/translation";
import {formatValue} from "./dashboard_format";

const ROUND_TYPES = ["doughnut", "pie"];
const MAX_TICK_LENGTH = 16;

/**
 * One chart of the customer dashboard, drawn with Chart.js from the
 * server's generic description: {key, title, type, format, labels,
 * datasets: [{label, data, domains?}], domains, horizontal?}. A bar,
 * point or slice with a domain opens the matching customers (the
 * dataset's own domains win over the chart's, which are per label).
 * Chart.js must be loaded (the dashboard loads it once for all charts).
 */
export class DashboardChart extends Component {
    static template = "sh_customers.DashboardChart";
    static props = {
        chart: Object,
        currency: Object,
        onOpen: Function,
    };

    setup() {
        this.canvasRef = useRef("canvas");
        this.chart = null;
        useEffect(
            () => {
                this.renderChart();
                return () => this.destroyChart();
            },
            () => [this.props.chart]
        );
    }

    get isEmpty() {
        const {labels, datasets} = this.props.chart;
        return (
            !labels?.length ||
            !datasets?.some((dataset) => dataset.data.some((value) => value))
        );
    }

    get isRound() {
        return ROUND_TYPES.includes(this.props.chart.type);
    }

    get isClickable() {
        const {domains, datasets} = this.props.chart;
        return Boolean(
            domains?.some(Boolean) ||
                datasets?.some((dataset) => dataset.domains?.some(Boolean))
        );
    }

    /** Domain of the bar, point or slice at this dataset and label index. */
    domainAt(datasetIndex, index) {
        const {domains, datasets} = this.props.chart;
        const own = datasets[datasetIndex]?.domains;
        return (own ? own[index] : domains?.[index]) || null;
    }

    format(value, short = false) {
        const {format} = this.props.chart;
        return formatValue(value, format || "number", this.props.currency, {short});
    }

    destroyChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
    }

    renderChart() {
        this.destroyChart();
        if (!this.canvasRef.el || this.isEmpty) {
            return;
        }
        this.chart = new Chart(this.canvasRef.el, this.getChartConfig());
    }

    getDatasets() {
        const colorScheme = cookie.get("color_scheme");
        const {type, datasets, labels} = this.props.chart;
        if (this.isRound) {
            const colors = labels.map((label, index) =>
                getColor(index, colorScheme, labels.length)
            );
            return datasets.map((dataset) => ({
                label: dataset.label,
                data: dataset.data,
                backgroundColor: colors,
                borderColor: getBorderWhite(colorScheme),
                hoverOffset: 4,
            }));
        }
        return datasets.map((dataset, index) => {
            const color = getColor(index, colorScheme, datasets.length);
            const common = {label: dataset.label, data: dataset.data};
            if (type === "line") {
                return {
                    ...common,
                    borderColor: color,
                    backgroundColor: hexToRGBA(color, 0.2),
                    pointBackgroundColor: color,
                    tension: 0.2,
                    fill: datasets.length === 1,
                };
            }
            return {...common, backgroundColor: color, borderRadius: 2};
        });
    }

    getChartConfig() {
        const {type, labels, datasets, horizontal} = this.props.chart;
        const rtl = localization.direction === "rtl";
        const showLegend = this.isRound || datasets.length > 1;
        const config = {
            type,
            data: {labels, datasets: this.getDatasets()},
            options: {
                maintainAspectRatio: false,
                responsive: true,
                animation: false,
                onClick: (event, elements) => this.onChartClick(elements),
                onHover: (event, elements) => {
                    const [element] = elements;
                    const target = event.native?.target;
                    if (target) {
                        target.style.cursor =
                            element &&
                            this.domainAt(element.datasetIndex, element.index)
                                ? "pointer"
                                : "";
                    }
                },
                plugins: {
                    legend: {
                        display: showLegend,
                        position: this.isRound ? "bottom" : "top",
                        rtl,
                        textDirection: localization.direction,
                    },
                    tooltip: {
                        rtl,
                        textDirection: localization.direction,
                        callbacks: {
                            label: (item) => {
                                const value = this.isRound
                                    ? item.parsed
                                    : item.parsed[horizontal ? "x" : "y"];
                                const prefix = showLegend
                                    ? `${item.dataset.label}: `
                                    : "";
                                return `${prefix}${this.format(value)}`;
                            },
                        },
                    },
                },
            },
        };
        if (!this.isRound) {
            const valueAxis = {
                beginAtZero: true,
                ticks: {callback: (value) => this.format(value, true)},
            };
            const labelAxis = {
                grid: {display: false},
                ticks: {
                    autoSkip: true,
                    // Long labels (customer names) are cut; the tooltip
                    // shows them whole.
                    callback(value) {
                        const label = String(this.getLabelForValue(value));
                        return label.length > MAX_TICK_LENGTH
                            ? `${label.slice(0, MAX_TICK_LENGTH - 1)}…`
                            : label;
                    },
                },
            };
            if (horizontal) {
                // Bars grow from the start side; the first label on top.
                config.options.indexAxis = "y";
                config.options.scales = {
                    x: {...valueAxis, reverse: rtl},
                    y: {...labelAxis, position: rtl ? "right" : "left"},
                };
            } else {
                // Labels (months) read from the start side: the first on the
                // right in Arabic, the value axis on that side too.
                config.options.scales = {
                    x: {...labelAxis, reverse: rtl},
                    y: {...valueAxis, position: rtl ? "right" : "left"},
                };
            }
        }
        return config;
    }

    onChartClick(elements) {
        const [element] = elements;
        if (!element) {
            return;
        }
        const domain = this.domainAt(element.datasetIndex, element.index);
        if (domain) {
            const {chart} = this.props;
            const label = chart.labels[element.index];
            this.props.onOpen(
                domain,
                _t("%(chart)s: %(label)s", {chart: chart.title, label})
            );
        }
    }
}
