from odoo import http

from odoo.addons.sh_customers.controllers.api import api_route, serve


class CustomersLoyaltyApi(http.Controller):
    @api_route("/api/customers/<string:customer_id>/loyalty/")
    def loyalty(self, customer_id, **_params):
        return serve(lambda env, params: env["sh.customer.api"].get_loyalty(customer_id, params))

    @api_route("/api/customers/<string:customer_id>/add_points/")
    def add_points(self, customer_id, **_params):
        return serve(
            lambda env, params: env["sh.customer.api"].add_points(customer_id, params),
            method="POST",
            status=201,
        )

    @api_route("/api/customers/<string:customer_id>/redeem_reward/")
    def redeem_reward(self, customer_id, **_params):
        return serve(
            lambda env, params: env["sh.customer.api"].redeem_reward(customer_id, params),
            method="POST",
            status=201,
        )
