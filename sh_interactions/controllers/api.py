from odoo import http

from odoo.addons.sh_customers.controllers.api import api_route, serve


class CustomersInteractionsApi(http.Controller):
    @api_route("/api/customers/<string:customer_id>/interactions/")
    def interactions(self, customer_id, **_params):
        return serve(
            lambda env, params: env["sh.customer.api"].get_interactions(customer_id, params)
        )

    @api_route("/api/customers/<string:customer_id>/add_interaction/")
    def add_interaction(self, customer_id, **_params):
        return serve(
            lambda env, params: env["sh.customer.api"].add_interaction(customer_id, params),
            method="POST",
            status=201,
        )

    @api_route("/api/customers/<string:customer_id>/tasks/")
    def tasks(self, customer_id, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_tasks(customer_id, params))

    @api_route("/api/customers/<string:customer_id>/add_task/")
    def add_task(self, customer_id, **_params):
        return serve(
            lambda env, params: env["sh.customer.api"].add_task(customer_id, params),
            method="POST",
            status=201,
        )
