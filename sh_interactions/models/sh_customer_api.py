"""The interactions routes of the customers API: a customer's
interactions and tasks, a page at a time, and logging an interaction or
creating a task."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sh_customers.api.checks import PAGING_SPEC
from odoo.addons.sh_customers.api.openapi import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    enum,
    nullable,
    obj,
    page,
    ref,
    reference,
)
from odoo.addons.sh_customers.api.routes import Route

from .sh_customer_interaction import CHANNELS, DIRECTIONS, OUTCOMES
from .sh_customer_task import OPEN_STATES, RECURRENCES

PRIORITIES = ["0", "1", "2"]
TAGS = ("Interactions",)
# An id of another record: checked by the handler.
RECORD_ID = {"type": "int", "min": 1}
INTERACTION_SPEC = {
    "channel": {"type": "choice", "choices": [c for c, __ in CHANNELS], "required": True},
    "direction": {"type": "choice", "choices": [d for d, __ in DIRECTIONS], "default": "out"},
    "date": {
        "type": "datetime",
        "description": "When it happened (UTC unless a time zone is given); now by default.",
    },
    "duration": {"type": "number", "min": 0, "description": "Hours."},
    "subject": {"type": "string", "max_length": 500, "single_line": True},
    "summary": {"type": "string"},
    "outcome": {"type": "choice", "choices": [o for o, __ in OUTCOMES]},
    "nps_score": {
        "type": "int",
        "min": 0,
        "max": 10,
        "description": "Answer to 'How likely are you to recommend us?'.",
    },
    "user_id": {**RECORD_ID, "description": "Salesperson; the key's user by default."},
    "invoice_id": {**RECORD_ID, "description": "A posted invoice of this customer."},
    "follow_up_date": {"type": "date", "description": "A follow-up task is created on this date."},
    "follow_up_note": {"type": "string", "max_length": 500},
    "promise_date": {
        "type": "date",
        "description": "Required when the outcome is promised_to_pay.",
    },
    "promise_amount": {"type": "number", "min": 0},
}
TASK_SPEC = {
    "name": {"type": "string", "required": True, "max_length": 500, "single_line": True},
    "date_deadline": {"type": "date", "description": "Today by default."},
    "user_id": {**RECORD_ID, "description": "Assignee; the key's user by default."},
    "priority": {"type": "choice", "choices": PRIORITIES, "default": "0"},
    "recurrence": {"type": "choice", "choices": [r for r, __ in RECURRENCES], "default": "none"},
    "description": {"type": "string"},
}


class ShCustomerApi(models.AbstractModel):
    _inherit = "sh.customer.api"

    @api.model
    def _sh_api_routes(self):
        customer_page = "/api/customers/{id}/"
        return [
            *super()._sh_api_routes(),
            Route(
                "GET",
                customer_page + "interactions/",
                "_sh_api_get_interactions",
                summary="The customer's interactions, latest first",
                answer="Interactions",
                query=PAGING_SPEC,
                tags=TAGS,
            ),
            Route(
                "POST",
                customer_page + "add_interaction/",
                "_sh_api_add_interaction",
                summary="Log an interaction (and its follow-up task when it asks for one)",
                answer="Interaction",
                body=INTERACTION_SPEC,
                status=201,
                tags=TAGS,
            ),
            Route(
                "GET",
                customer_page + "tasks/",
                "_sh_api_get_tasks",
                summary="The customer's open tasks (by priority and deadline), then the done "
                "ones (latest first)",
                answer="Tasks",
                query=PAGING_SPEC,
                tags=TAGS,
            ),
            Route(
                "POST",
                customer_page + "add_task/",
                "_sh_api_add_task",
                summary="Create a task for the customer",
                answer="Task",
                body=TASK_SPEC,
                status=201,
                tags=TAGS,
            ),
        ]

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_user(self, user):
        return {"id": user.id, "name": user.name} if user else None

    @api.model
    def _sh_api_interaction(self, interaction):
        return {
            "id": interaction.id,
            "date": fields.Datetime.to_string(interaction.date),
            "channel": interaction.channel,
            "direction": interaction.direction,
            "subject": interaction.subject or None,
            "summary": interaction.summary or None,
            "outcome": interaction.outcome or None,
            "nps_score": int(interaction.nps_score) if interaction.nps_score else None,
            "duration": interaction.duration,
            "user": self._sh_api_user(interaction.user_id),
            "invoice_id": interaction.invoice_id.id or None,
            "follow_up_date": fields.Date.to_string(interaction.follow_up_date) or None,
            "promise_date": fields.Date.to_string(interaction.promise_date) or None,
            "promise_amount": interaction.promise_amount or None,
            "task_ids": interaction.task_ids.ids,
        }

    @api.model
    def _sh_api_task(self, task):
        return {
            "id": task.id,
            "name": task.name,
            "state": task.state,
            "date_deadline": fields.Date.to_string(task.date_deadline),
            "date_done": fields.Date.to_string(task.date_done) or None,
            "is_overdue": task.is_overdue,
            "priority": task.priority,
            "recurrence": task.recurrence,
            "user": self._sh_api_user(task.user_id),
            "description": task.description or None,
            "interaction_id": task.interaction_id.id or None,
        }

    @api.model
    def _sh_api_get_interactions(self, customer_id, values):
        """``GET /api/customers/{id}/interactions/``: latest first."""
        partner = self._sh_api_customer(customer_id)
        Interaction = self.env["sh.customer.interaction"]
        domain = [("partner_id", "=", partner.id), ("company_id", "=", self.env.company.id)]
        interactions = Interaction.search(domain, limit=values["limit"], offset=values["offset"])
        return self._sh_api_page(
            Interaction.search_count(domain),
            [self._sh_api_interaction(interaction) for interaction in interactions],
            values["limit"],
            values["offset"],
        )

    @api.model
    def _sh_api_get_tasks(self, customer_id, values):
        """``GET /api/customers/{id}/tasks/``: open tasks (by priority and
        deadline), then done ones (latest first), a page at a time."""
        partner = self._sh_api_customer(customer_id)
        limit, offset = values["limit"], values["offset"]
        Task = self.env["sh.customer.task"]
        domain = [("partner_id", "=", partner.id), ("company_id", "=", self.env.company.id)]
        open_domain = domain + [("state", "in", OPEN_STATES)]
        done_domain = domain + [("state", "=", "done")]
        open_count = Task.search_count(open_domain)
        tasks = (
            Task.search(open_domain, limit=limit, offset=offset) if offset < open_count else Task
        )
        if len(tasks) < limit:
            tasks += Task.search(
                done_domain,
                order="date_done desc, id desc",
                limit=limit - len(tasks),
                offset=max(offset - open_count, 0),
            )
        return {
            "customer_id": partner.id,
            **self._sh_api_page(
                open_count + Task.search_count(done_domain),
                [self._sh_api_task(task) for task in tasks],
                limit,
                offset,
            ),
        }

    @api.model
    def _sh_api_check_user_id(self, values):
        if values.get("user_id"):
            user = self.env["res.users"].search(
                [("id", "=", values["user_id"]), ("share", "=", False)]
            )
            if not user:
                raise UserError(_("No internal user %(id)s.", id=values["user_id"]))

    @api.model
    def _sh_api_add_interaction(self, customer_id, values):
        """``POST /api/customers/{id}/add_interaction/``: log one
        interaction, with its follow-up task when it asks for one."""
        partner = self._sh_api_customer(customer_id)
        self._sh_api_check_user_id(values)
        if values.get("invoice_id"):
            invoice = self.env["account.move"].search(
                [
                    ("id", "=", values["invoice_id"]),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("commercial_partner_id", "=", partner.id),
                ]
            )
            if not invoice:
                raise UserError(
                    _(
                        "%(id)s is not a posted invoice of %(customer)s.",
                        id=values["invoice_id"],
                        customer=partner.display_name,
                    )
                )
        if "nps_score" in values:
            values["nps_score"] = str(values["nps_score"])
        interaction = self.env["sh.customer.interaction"].create(
            {**values, "partner_id": partner.id, "company_id": self.env.company.id}
        )
        return self._sh_api_interaction(interaction)

    @api.model
    def _sh_api_add_task(self, customer_id, values):
        """``POST /api/customers/{id}/add_task/``: create one task, with its
        reminder in the assignee's activities."""
        partner = self._sh_api_customer(customer_id)
        self._sh_api_check_user_id(values)
        task = self.env["sh.customer.task"].create(
            {**values, "partner_id": partner.id, "company_id": self.env.company.id}
        )
        return self._sh_api_task(task)

    # ------------------------------------------------------------------
    # OpenAPI
    # ------------------------------------------------------------------

    @api.model
    def _sh_api_openapi_schemas(self):
        schemas = super()._sh_api_openapi_schemas()
        user = reference()
        interaction = {
            "id": INTEGER,
            "date": {**STRING, "description": "UTC, YYYY-MM-DD HH:MM:SS"},
            "channel": enum(c for c, __ in CHANNELS),
            "direction": enum(d for d, __ in DIRECTIONS),
            "subject": nullable(STRING),
            "summary": nullable(STRING),
            "outcome": nullable(STRING),
            "nps_score": nullable(INTEGER),
            "duration": NUMBER,
            "user": user,
            "invoice_id": nullable(INTEGER),
            "follow_up_date": nullable(DATE),
            "promise_date": nullable(DATE),
            "promise_amount": nullable(NUMBER),
            "task_ids": {"type": "array", "items": INTEGER},
        }
        task = {
            "id": INTEGER,
            "name": STRING,
            "state": STRING,
            "date_deadline": DATE,
            "date_done": nullable(DATE),
            "is_overdue": BOOLEAN,
            "priority": enum(PRIORITIES),
            "recurrence": STRING,
            "user": user,
            "description": nullable(STRING),
            "interaction_id": nullable(INTEGER),
        }
        schemas["Interaction"] = obj(interaction)
        schemas["Task"] = obj(task)
        schemas["Interactions"] = page(ref("Interaction"))
        schemas["Tasks"] = page(ref("Task"), customer_id=INTEGER)
        return schemas
