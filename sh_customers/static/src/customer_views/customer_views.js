import {registry} from "@web/core/registry";
import {KanbanRenderer} from "@web/views/kanban/kanban_renderer";
import {kanbanView} from "@web/views/kanban/kanban_view";
import {ListRenderer} from "@web/views/list/list_renderer";
import {listView} from "@web/views/list/list_view";
import {CustomerKpiCards} from "../kpi_cards/kpi_cards";

// The customers action's list and kanban: Odoo's own views with the KPI
// cards above the records, fed with the domain of the active search.

export class CustomerListRenderer extends ListRenderer {
    static template = "sh_customers.CustomerListRenderer";
    static components = {...ListRenderer.components, CustomerKpiCards};
}

export const customerListView = {
    ...listView,
    Renderer: CustomerListRenderer,
};

export class CustomerKanbanRenderer extends KanbanRenderer {
    static template = "sh_customers.CustomerKanbanRenderer";
    static components = {...KanbanRenderer.components, CustomerKpiCards};
}

export const customerKanbanView = {
    ...kanbanView,
    Renderer: CustomerKanbanRenderer,
};

registry.category("views").add("sh_customer_list", customerListView);
registry.category("views").add("sh_customer_kanban", customerKanbanView);
