import {registry} from "@web/core/registry";
import {KanbanController} from "@web/views/kanban/kanban_controller";
import {KanbanRenderer} from "@web/views/kanban/kanban_renderer";
import {kanbanView} from "@web/views/kanban/kanban_view";
import {ListController} from "@web/views/list/list_controller";
import {ListRenderer} from "@web/views/list/list_renderer";
import {listView} from "@web/views/list/list_view";
import {CustomerKpiCards, usePrefetchedCustomerKpis} from "../kpi_cards/kpi_cards";

// The customers action's list and kanban: Odoo's own views with the KPI
// cards above the records, fed with the domain of the active search. The
// controllers ask for the first cards while the records load.

export class CustomerListController extends ListController {
    setup() {
        super.setup();
        usePrefetchedCustomerKpis(this.props.domain);
    }
}

export class CustomerKanbanController extends KanbanController {
    setup() {
        super.setup();
        usePrefetchedCustomerKpis(this.props.domain);
    }
}

export class CustomerListRenderer extends ListRenderer {
    static template = "sh_customers.CustomerListRenderer";
    static components = {...ListRenderer.components, CustomerKpiCards};
}

export const customerListView = {
    ...listView,
    Controller: CustomerListController,
    Renderer: CustomerListRenderer,
};

export class CustomerKanbanRenderer extends KanbanRenderer {
    static template = "sh_customers.CustomerKanbanRenderer";
    static components = {...KanbanRenderer.components, CustomerKpiCards};
}

export const customerKanbanView = {
    ...kanbanView,
    Controller: CustomerKanbanController,
    Renderer: CustomerKanbanRenderer,
};

registry.category("views").add("sh_customer_list", customerListView);
registry.category("views").add("sh_customer_kanban", customerKanbanView);
