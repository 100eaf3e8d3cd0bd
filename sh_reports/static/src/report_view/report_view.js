import {formatFloat} from "@web/core/utils/numbers";
import {useService} from "@web/core/utils/hooks";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {CustomerDashboard} from "@sh_customers/dashboard/dashboard";
import {formatValue} from "@sh_customers/dashboard/dashboard_format";

/** Rows a table receives at first, and more each time the user asks (the XLSX has all). */
const SCREEN_ROWS = 100;
const MORE_ROWS = 500;
/** Formats of the server's tables and the dashboard format that draws them. */
const DISPLAY_FORMATS = {integer: "number", days: "number", code: "text"};
const HEAT_FORMATS = ["integer", "number", "money", "percent", "days"];
const NUMBER_FORMATS = HEAT_FORMATS;

/**
 * A customer report on screen: the cards, charts and tables of the
 * report model's ``get_report_data`` for the options chosen in the
 * report's dialog, drawn as the customer dashboard draws its own. Cards,
 * chart parts, rows and heat-map cells open the customers or documents
 * behind them; the report can be printed or exported from here, and its
 * options changed.
 */
export class CustomerReportView extends CustomerDashboard {
    static template = "sh_reports.CustomerReportView";

    setup() {
        super.setup();
        this.notification = useService("notification");
        this.state.loadingRows = {};
    }

    get reportModel() {
        return this.props.action.params?.report;
    }

    get options() {
        return this.props.action.params?.options || {};
    }

    async load() {
        if (!this.reportModel) {
            // Opened again from its address alone, without its options.
            this.state.data = null;
            return;
        }
        this.state.loading = true;
        try {
            this.state.data = await this.keepLast.add(
                this.orm.call(this.reportModel, "get_report_data", [], {
                    options: this.options,
                    row_limit: SCREEN_ROWS,
                })
            );
        } finally {
            this.state.loading = false;
        }
    }

    get hasData() {
        const data = this.state.data;
        return Boolean(
            data &&
                (data.cards.length ||
                    data.charts.length ||
                    data.tables.some((table) => table.row_count))
        );
    }

    /** A figure without a previous value (a state as of a date) stands alone. */
    comparison(card) {
        if (card.previous === null || card.previous === undefined) {
            return null;
        }
        return super.comparison(card);
    }

    format(value, format) {
        if (format === "number" && value && Math.abs(value) < 1) {
            // A model's parameter such as 0.0416 keeps its digits; 0.81
            // stays 0.81.
            const decimals = Math.abs(value) < 0.1 ? 4 : 2;
            return formatFloat(value, {digits: [69, decimals]});
        }
        return formatValue(value, DISPLAY_FORMATS[format] || format, this.currency);
    }

    isNumber(column) {
        return NUMBER_FORMATS.includes(column.format);
    }

    // ------------------------------------------------------------------
    // Tables
    // ------------------------------------------------------------------

    hiddenRowCount(table) {
        return Math.max(table.row_count - table.rows.length, 0);
    }

    shownRowsLabel(table) {
        return _t("%(shown)s of %(total)s rows shown.", {
            shown: table.rows.length,
            total: table.row_count,
        });
    }

    /** The table's next rows, asked of the server (the report is read again). */
    async showMoreRows(table) {
        if (this.state.loadingRows[table.key]) {
            return;
        }
        this.state.loadingRows[table.key] = true;
        try {
            const rows = await this.orm.call(this.reportModel, "get_report_rows", [], {
                options: this.options,
                table: table.key,
                offset: table.rows.length,
                limit: MORE_ROWS,
            });
            table.rows.push(...rows);
        } finally {
            this.state.loadingRows[table.key] = false;
        }
    }

    /** The largest value of each number column of a heat-map table. */
    heatMax(table) {
        const max = {};
        if (!table.heatmap) {
            return max;
        }
        for (const column of table.columns) {
            if (HEAT_FORMATS.includes(column.format)) {
                max[column.key] = Math.max(
                    0,
                    ...table.rows.map((row) => Math.abs(row[column.key] || 0))
                );
            }
        }
        return max;
    }

    /** A heat-map cell shaded by its value against its column's largest. */
    cellStyle(table, column, value, max) {
        const largest = max[column.key];
        if (!table.heatmap || !value || !largest) {
            return "";
        }
        const share = Math.min(Math.abs(value) / largest, 1);
        const alpha = (0.08 + 0.6 * share).toFixed(2);
        return `background-color: rgba(1, 126, 132, ${alpha});`;
    }

    rowOpens(table, row) {
        return Boolean(row._res_id || row._domain);
    }

    cellDomain(row, column) {
        return row._cell_domains?.[column.key] || null;
    }

    onRowClick(table, row) {
        if (row._res_id) {
            return this.actionService.doAction({
                type: "ir.actions.act_window",
                res_model: row._model || table.model,
                res_id: row._res_id,
                views: [[false, "form"]],
            });
        }
        if (row._domain) {
            // What the table's rows share, and the row's own part.
            const domain = [...(table.domain || []), ...row._domain];
            return this.openRecords(row._model || table.model, domain, table.title);
        }
    }

    onCellClick(ev, table, row, column) {
        const domain = this.cellDomain(row, column);
        if (domain) {
            ev.stopPropagation();
            const name = `${table.title}: ${column.label}`;
            this.openRecords(row._model || table.model, domain, name);
        }
    }

    onTableRowKeydown(ev, table, row) {
        if (ev.key === "Enter") {
            this.onRowClick(table, row);
        }
    }

    openRecords(model, domain, name) {
        if (model === "res.partner") {
            return this.openCustomers(domain, name);
        }
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    // ------------------------------------------------------------------
    // Options, print, export
    // ------------------------------------------------------------------

    /** The report's dialog again, filled with the options shown. */
    onChangeOptions() {
        const options = this.options;
        const context = {default_report: this.reportModel};
        for (const [key, value] of Object.entries(options)) {
            if (key === "monthly_discount") {
                context.default_monthly_discount = value * 100;
            } else if (key === "category_ids") {
                context.default_category_ids = value;
            } else if (key !== "company_id" || value) {
                context[`default_${key}`] = value;
            }
        }
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            name: _t("Report Options"),
            res_model: "sh.report.wizard",
            views: [[false, "form"]],
            target: "new",
            context,
        });
    }

    onPrint(reportType) {
        const names = {
            "qweb-pdf": "sh_reports.report_customer",
            xlsx: "sh_reports.report_customer_xlsx",
        };
        return this.actionService.doAction({
            type: "ir.actions.report",
            report_type: reportType,
            report_name: names[reportType],
            report_file: names[reportType],
            name: this.state.data?.title,
            data: {report: this.reportModel, options: this.options},
        });
    }
}

registry.category("actions").add("sh_reports.report", CustomerReportView);
