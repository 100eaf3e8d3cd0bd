"""The predicted lifetime value in the customers API: ``GET
/api/customers/analytics/`` takes an "as of" date, a horizon, a monthly
discount and a hold-out period, and answers under ``clv.predicted`` the
fitted models (parameters under their names, standard errors,
log-likelihoods), the company's historical and predicted CLV and the
hold-out check of the fit."""

import dataclasses
import math

from odoo import api, fields, models

from odoo.addons.sh_customers.api.errors import ApiError
from odoo.addons.sh_customers.api.openapi import (
    DATE,
    FREE_OBJECT,
    INTEGER,
    NUMBER,
    STRING,
    nullable,
    obj,
    ref,
)

from .sh_customer_clv import (
    DEFAULT_HOLDOUT_DAYS,
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_MONTHLY_DISCOUNT,
    MAX_HOLDOUT_DAYS,
    MAX_HORIZON_MONTHS,
)

ANALYTICS_PATH = "/api/customers/analytics/"
CLV_SPEC = {
    "as_of": {
        "type": "date",
        "description": "Day the lifetime value is predicted on: the models are fitted on the "
        "history up to it (default: today).",
    },
    "horizon_months": {
        "type": "int",
        "min": 1,
        "max": MAX_HORIZON_MONTHS,
        "default": DEFAULT_HORIZON_MONTHS,
        "description": "Months of future purchases the predicted CLV covers.",
    },
    "monthly_discount": {
        "type": "number",
        "min": 0,
        "max": 0.99,
        "default": DEFAULT_MONTHLY_DISCOUNT,
        "description": "Discount rate per month, as a fraction (0.01 for 1% a month).",
    },
    "holdout_days": {
        "type": "int",
        "min": 1,
        "max": MAX_HOLDOUT_DAYS,
        "default": DEFAULT_HOLDOUT_DAYS,
        "description": "Days before as_of on which the fit is checked: fitted on the history "
        "before them, its predicted purchases against the actual ones.",
    },
}
BGNBD = ("r", "alpha", "a", "b")
GAMMA_GAMMA = ("p", "q", "gamma")


def _finite(value):
    """``value``, or None where it is not a finite number."""
    return value if value is not None and math.isfinite(value) else None


class ShCustomerApi(models.AbstractModel):
    _inherit = "sh.customer.api"

    @api.model
    def _sh_api_routes(self):
        return [
            dataclasses.replace(route, query={**route.query, **CLV_SPEC}, answer="Analytics")
            if route.path == ANALYTICS_PATH and route.method == "GET"
            else route
            for route in super()._sh_api_routes()
        ]

    @api.model
    def _sh_api_get_analytics(self, values):
        predicted = self._sh_api_predicted_clv(values)
        answer = super()._sh_api_get_analytics(values)
        answer["clv"]["predicted"] = predicted
        return answer

    @api.model
    def _sh_api_predicted_clv(self, values):
        """The fit of the company's history up to ``as_of``, its totals and
        its hold-out check, as plain data. Too little history is an answer:
        ``status`` and ``message`` say so and the parameters are null."""
        as_of = values.get("as_of") or fields.Date.context_today(self)
        if as_of > fields.Date.context_today(self):
            raise ApiError(422, self.env._("as_of cannot be after today."))
        # sudo: the models learn from the company's whole history, as the
        # company's net sales every Customers user sees count every invoice;
        # the answer holds no customer's own figures.
        predictor = self.env["sh.customer.clv"].sudo()
        company = self.env.company
        horizon_months, monthly_discount = values["horizon_months"], values["monthly_discount"]
        partner_ids, summary, net_sales, model, predictions = predictor._sh_prediction(
            as_of, horizon_months, monthly_discount, company
        )
        fit = predictor._sh_fit_values(model, summary, as_of)
        holdout, _groups = predictor._sh_holdout(
            as_of, values["holdout_days"], company, (partner_ids, summary)
        )
        currency = company.currency_id
        return {
            "as_of": fields.Date.to_string(as_of),
            "horizon_months": horizon_months,
            "monthly_discount": monthly_discount,
            "status": fit["status"],
            "message": fit["message"] or None,
            "customers": fit["customers"],
            "repeat_customers": fit["repeat_customers"],
            "parameters": self._sh_api_parameters(fit["parameters"]) if model.fitted else None,
            "standard_errors": self._sh_api_parameters(fit["standard_errors"])
            if model.fitted
            else None,
            "log_likelihood": fit["log_likelihood"] if model.fitted else None,
            "historical_clv": currency.round(float(net_sales.sum())),
            "predicted_clv": self._sh_api_money(currency, predictions["predicted_clv"].sum())
            if model.fitted
            else None,
            "holdout": {
                "holdout_days": values["holdout_days"],
                "calibration_end": holdout["calibration_end"],
                "status": holdout["status"],
                "message": holdout["message"] or None,
                "diagnostic": holdout["diagnostic"],
            },
        }

    @api.model
    def _sh_api_money(self, currency, amount):
        """``amount`` rounded to the currency, or None where the models
        give no finite number (an extreme horizon)."""
        amount = _finite(float(amount))
        return None if amount is None else currency.round(amount)

    @api.model
    def _sh_api_parameters(self, parameters):
        """The parameters by their names in the models, null where not a
        finite number."""
        return {name: _finite(parameters.get(name)) for name in BGNBD + GAMMA_GAMMA}

    @api.model
    def _sh_api_openapi_schemas(self):
        schemas = super()._sh_api_openapi_schemas()
        parameters = {
            "r": nullable(NUMBER, "BG/NBD: shape of the purchase rates across customers."),
            "alpha": nullable(NUMBER, "BG/NBD: scale of the purchase rates, in days."),
            "a": nullable(NUMBER, "BG/NBD: first shape of the dropout probability."),
            "b": nullable(NUMBER, "BG/NBD: second shape of the dropout probability."),
            "p": nullable(NUMBER, "Gamma-Gamma: shape of the spend of a purchase."),
            "q": nullable(NUMBER, "Gamma-Gamma: shape of the mean spends across customers."),
            "gamma": nullable(NUMBER, "Gamma-Gamma: scale of the mean spends."),
        }
        group = obj(
            {
                "frequency": INTEGER,
                "or_more": {"type": "boolean"},
                "customers": INTEGER,
                "predicted": NUMBER,
                "actual": NUMBER,
            }
        )
        diagnostic = obj(
            {
                "holdout_days": INTEGER,
                "customers": INTEGER,
                "predicted": NUMBER,
                "actual": NUMBER,
                "by_frequency": {"type": "array", "items": group},
            },
            nullable=True,
        )
        status = {
            "type": "string",
            "enum": ["fitted", "too_little_history", "fit_failed"],
        }
        schemas["PredictedClv"] = obj(
            {
                "as_of": DATE,
                "horizon_months": INTEGER,
                "monthly_discount": NUMBER,
                "status": status,
                "message": nullable(STRING, "Why there is no fit; null with a fit."),
                "customers": INTEGER,
                "repeat_customers": INTEGER,
                "parameters": {**obj(parameters), "nullable": True},
                "standard_errors": {**obj(parameters), "nullable": True},
                "log_likelihood": obj({"bgnbd": NUMBER, "gamma_gamma": NUMBER}, nullable=True),
                "historical_clv": NUMBER,
                "predicted_clv": nullable(NUMBER),
                "holdout": obj(
                    {
                        "holdout_days": INTEGER,
                        "calibration_end": DATE,
                        "status": status,
                        "message": nullable(STRING),
                        "diagnostic": diagnostic,
                    }
                ),
            }
        )
        # The analytics answer's other parts stay free-form.
        schemas["Analytics"] = {
            **FREE_OBJECT,
            "required": ["clv"],
            "properties": {
                "clv": {
                    **FREE_OBJECT,
                    "required": ["historical", "predicted"],
                    "properties": {"predicted": ref("PredictedClv")},
                }
            },
        }
        return schemas
