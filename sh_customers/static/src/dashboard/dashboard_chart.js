import {Component, useEffect, useRef} from "@odoo/owl";
import {cookie} from "@web/core/browser/cookie";
import {getBorderWhite, getColor, hexToRGBA} from "@web/core/colors/colors";
import {localization} from "@web/core/l10n/localization";
import {_t} from "@web/core/l10n/translation";
import {formatValue} from "./dashboard_format";

const ROUND_TYPES = ["doughnut", "pie"];
const MAX_TICK_LENGTH = 16;
/** A label axis longer than this skips labels rather than crowd them. */
const MAX_LABELS_SHOWN_ALL = 8;
/** Characters per line of a label under a bar, and lines at most. */
const TICK_LINE_LENGTH = 8;
const TICK_MAX_LINES = 3;

/**
 * A label in its own direction: First Strong Isolate ... Pop Directional
 * Isolate, so that "Al Noor Transport Co." keeps its dot at its end on an
 * Arabic chart (a canvas label cannot take dir="auto").
 */
export function isolate(text) {
    return `\u2068${text}\u2069`;
}

/** Chart.js's own legend items of a chart (slices or datasets). */
function legendItems(chart) {
    const own = Chart.overrides[chart.config.type]?.plugins?.legend?.labels;
    return (own?.generateLabels || Chart.defaults.plugins.legend.labels.generateLabels)(
        chart
    );
}

/** "Al Noor Transport Company" cut to ``length`` characters. */
function shorten(label, length = MAX_TICK_LENGTH) {
    return label.length > length ? `${label.slice(0, length - 1)}…` : label;
}

/**
 * A label under a bar on lines of about TICK_LINE_LENGTH characters, cut
 * between words ("More than 120 days" -> ["More than 120", "days"]), so
 * that labels stand upright side by side instead of slanting over the
 * chart's edges.
 */
function wrapLabel(label) {
    const lines = [];
    for (const word of label.split(" ")) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last].length + word.length < TICK_LINE_LENGTH) {
            lines[last] = `${lines[last]} ${word}`;
        } else {
            lines.push(word);
        }
    }
    if (lines.length > TICK_MAX_LINES) {
        lines.splice(TICK_MAX_LINES - 1, Infinity, `${lines[TICK_MAX_LINES - 1]}…`);
    }
    return lines.map((line) => isolate(shorten(line)));
}

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

    /**
     * In Arabic the months and the other labels of a vertical bar or line
     * chart read from the right: the chart gets them in reverse order
     * (rather than a reversed axis, whose end labels Chart.js would clip).
     */
    get isFlipped() {
        const {horizontal} = this.props.chart;
        return localization.direction === "rtl" && !this.isRound && !horizontal;
    }

    /** Index in the server's labels of the chart's label at ``index``. */
    sourceIndex(index) {
        return this.isFlipped ? this.props.chart.labels.length - 1 - index : index;
    }

    /** Values (labels, data) in the order the chart draws them. */
    drawn(values) {
        return this.isFlipped ? [...values].reverse() : values;
    }

    /** Domain of the bar, point or slice at this dataset and label index. */
    domainAt(datasetIndex, index) {
        const {domains, datasets} = this.props.chart;
        const own = datasets[datasetIndex]?.domains;
        const source = this.sourceIndex(index);
        return (own ? own[source] : domains?.[source]) || null;
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
            const common = {label: dataset.label, data: this.drawn(dataset.data)};
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
            data: {labels: this.drawn(labels), datasets: this.getDatasets()},
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
                        labels: {
                            generateLabels: (chart) =>
                                legendItems(chart).map((item) => ({
                                    ...item,
                                    text: isolate(item.text),
                                })),
                        },
                    },
                    tooltip: {
                        rtl,
                        textDirection: localization.direction,
                        callbacks: {
                            title: (items) =>
                                items.map((item) => isolate(String(item.label))),
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
            // Long labels (customer names) are cut; the tooltip shows them
            // whole. Labels under bars stand upright on short lines; a long
            // series (months) skips labels that would overlap on a phone.
            const labelAxis = {
                grid: {display: false},
                ticks: {
                    autoSkip: horizontal || labels.length > MAX_LABELS_SHOWN_ALL,
                    autoSkipPadding: 8,
                    maxRotation: 0,
                    callback(value) {
                        const label = String(this.getLabelForValue(value));
                        return horizontal ? isolate(shorten(label)) : wrapLabel(label);
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
                // right in Arabic (see isFlipped), the value axis on that
                // side too.
                config.options.scales = {
                    x: labelAxis,
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
            const label = chart.labels[this.sourceIndex(element.index)];
            this.props.onOpen(
                domain,
                _t("%(chart)s: %(label)s", {chart: chart.title, label})
            );
        }
    }
}
