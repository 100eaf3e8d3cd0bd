"""The predicted customer lifetime value of a company's customers as of a
date: reads the purchase-day summary (``analytics/summary.py``), fits the
BG/NBD and Gamma-Gamma models (``analytics/clv.py``) and answers plain data
for the analytics report, the nightly refresh and the API; with the fit's
hold-out diagnostic."""

import logging
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..analytics import clv
from ..analytics.summary import read_summary

_logger = logging.getLogger(__name__)

DEFAULT_HORIZON_MONTHS = 12
DEFAULT_MONTHLY_DISCOUNT = 0.01
DEFAULT_HOLDOUT_DAYS = 180
# The largest horizon and hold-out period the report and the API accept.
MAX_HORIZON_MONTHS = 120
MAX_HOLDOUT_DAYS = 3650


class ShCustomerClv(models.AbstractModel):
    _name = "sh.customer.clv"
    _description = "Customer Lifetime Value Prediction"

    @api.model
    def _sh_summary(self, company, as_of):
        """The company's customers' summary as of ``as_of``: their ids, the
        models' Summary and their net sales to that day (historical CLV)."""
        columns = read_summary(self.env, company, as_of)
        summary = clv.Summary.of(
            columns["frequency"],
            columns["recency"],
            columns["age"],
            columns["value"],
        )
        return list(columns["partner_id"]), summary, np.asarray(columns["net_sales"], dtype=float)

    @api.model
    def _sh_options(self, as_of, company, horizon_months, monthly_discount):
        """The options with their defaults, checked."""
        if horizon_months < 1:
            raise UserError(self.env._("The horizon must be at least one month."))
        if monthly_discount < 0:
            raise UserError(self.env._("The discount rate cannot be negative."))
        return (
            fields.Date.to_date(as_of) if as_of else fields.Date.context_today(self),
            company or self.env.company,
        )

    @api.model
    def _sh_fit_message(self, model, as_of, holdout=False):
        """What the user reads when there is no fit, or False; of the fit
        of a hold-out check's calibration history with ``holdout``."""
        if model.status == clv.TOO_LITTLE_HISTORY:
            if holdout:
                return self.env._(
                    "Too little history before %(date)s to check the fit on the period"
                    " after it: customers who bought again by then: %(count)s; at least"
                    " %(minimum)s are needed.",
                    count=model.repeat_customers,
                    date=format_date(self.env, as_of),
                    minimum=clv.MIN_REPEAT_CUSTOMERS,
                )
            return self.env._(
                "Too little history to predict the lifetime value: customers who bought"
                " again by %(date)s: %(count)s; at least %(minimum)s are needed."
                " Only the historical lifetime value is shown.",
                count=model.repeat_customers,
                date=format_date(self.env, as_of),
                minimum=clv.MIN_REPEAT_CUSTOMERS,
            )
        if model.status == clv.FIT_FAILED:
            if holdout:
                return self.env._(
                    "The lifetime value model could not be fitted on the history before"
                    " %(date)s to check the fit on the period after it.",
                    date=format_date(self.env, as_of),
                )
            return self.env._(
                "The lifetime value model could not be fitted on this history."
                " Only the historical lifetime value is shown."
            )
        return False

    @api.model
    def _sh_fit_values(self, model, summary, as_of, holdout=False):
        """The fit's outcome as plain data (``holdout``: of a hold-out
        check's calibration history)."""
        return {
            "status": model.status,
            "message": self._sh_fit_message(model, as_of, holdout),
            "customers": model.customers,
            "repeat_customers": model.repeat_customers,
            "parameters": dict(model.parameters),
            "standard_errors": clv.standard_errors(model, summary),
            "log_likelihood": dict(model.log_likelihood),
        }

    @api.model
    def _sh_prediction(self, as_of, horizon_months, monthly_discount, company):
        """The fit on the history of ``company`` up to ``as_of`` and its
        predictions as arrays: the customers' ids, their Summary, their net
        sales, the ClvModel and ``clv.predict``'s arrays (empty without a
        fit)."""
        partner_ids, summary, net_sales = self._sh_summary(company, as_of)
        model = clv.fit(summary)
        predictions = (
            clv.predict(model, summary, horizon_months, monthly_discount) if model.fitted else {}
        )
        return partner_ids, summary, net_sales, model, predictions

    @api.model
    def sh_predict(
        self,
        as_of=None,
        horizon_months=DEFAULT_HORIZON_MONTHS,
        monthly_discount=DEFAULT_MONTHLY_DISCOUNT,
        company=None,
    ):
        """The predicted CLV of the customers of ``company`` (the current
        one by default) fitted on their history up to ``as_of`` (today by
        default), over ``horizon_months`` discounted at
        ``monthly_discount`` per month. Answers the fit (``status``,
        ``message`` when there is no fit, ``parameters`` by their names in
        the models with ``alpha`` in days, their ``standard_errors``, the
        ``log_likelihood`` of each model), the total historical and
        predicted CLV, and ``customers``: one entry per customer who bought,
        ranked by predicted CLV (by historical CLV without a fit), with its
        summary, historical CLV, and, when fitted, P(alive), the expected
        purchases over the horizon, the expected spend per purchase and the
        predicted CLV (None without a fit). Too little history is an answer,
        not an error."""
        as_of, company = self._sh_options(as_of, company, horizon_months, monthly_discount)
        partner_ids, summary, net_sales, model, predictions = self._sh_prediction(
            as_of, horizon_months, monthly_discount, company
        )
        rank_by = predictions.get("predicted_clv", net_sales)
        order = sorted(range(len(partner_ids)), key=lambda i: (-rank_by[i], partner_ids[i]))

        def prediction(name, i):
            return float(predictions[name][i]) if predictions else None

        customers = [
            {
                "partner_id": partner_ids[i],
                "frequency": int(summary.frequency[i]),
                "recency": int(summary.recency[i]),
                "age": int(summary.age[i]),
                "historical_clv": float(net_sales[i]),
                "p_alive": prediction("p_alive", i),
                "expected_purchases": prediction("expected_purchases", i),
                "expected_spend": prediction("expected_spend", i),
                "predicted_clv": prediction("predicted_clv", i),
            }
            for i in order
        ]
        return {
            "as_of": fields.Date.to_string(as_of),
            "company_id": company.id,
            "horizon_months": horizon_months,
            "monthly_discount": monthly_discount,
            **self._sh_fit_values(model, summary, as_of),
            "historical_clv": float(net_sales.sum()),
            "predicted_clv": float(predictions["predicted_clv"].sum()) if predictions else None,
            "customers": customers,
        }

    @api.model
    def sh_holdout_diagnostic(self, as_of=None, holdout_days=DEFAULT_HOLDOUT_DAYS, company=None):
        """The fit checked on the last ``holdout_days`` before ``as_of``:
        fitted on the history up to the hold-out's start (``calibration``),
        the repeat purchase days predicted for the hold-out against those
        the customers made in it, in total and per number of calibration
        repeat purchases (0 to 6, then 7 or more). Without a fit on the
        calibration history, ``status`` and ``message`` say why and there is
        no comparison."""
        values, _groups = self._sh_holdout(as_of, holdout_days, company)
        return values

    @api.model
    def _sh_holdout(self, as_of, holdout_days, company, final=None):
        """``sh_holdout_diagnostic``'s answer, and the customers of each of
        its groups: ``{frequency: [partner ids]}`` (empty without a fit).
        ``final``: the customers' ids and Summary as of ``as_of`` when the
        caller already read them."""
        if holdout_days < 1:
            raise UserError(self.env._("The hold-out period must be at least one day."))
        as_of, company = self._sh_options(as_of, company, 1, 0)
        calibration_end = as_of - timedelta(days=holdout_days)
        partner_ids, calibration, _net_sales = self._sh_summary(company, calibration_end)
        model = clv.fit(calibration)
        values = {
            "as_of": fields.Date.to_string(as_of),
            "calibration_end": fields.Date.to_string(calibration_end),
            "company_id": company.id,
            **self._sh_fit_values(model, calibration, calibration_end, holdout=True),
            "diagnostic": None,
        }
        groups = {}
        if model.fitted:
            if final is None:
                final_ids, final_summary, _net_sales = self._sh_summary(company, as_of)
            else:
                final_ids, final_summary = final
            frequency = dict(zip(final_ids, final_summary.frequency, strict=True))
            # Customers bought at least as often by the end as by the
            # hold-out's start: the difference is the hold-out's purchases.
            actual = [
                frequency.get(partner_id, calibration.frequency[i]) - calibration.frequency[i]
                for i, partner_id in enumerate(partner_ids)
            ]
            values["diagnostic"] = clv.holdout_diagnostic(model, calibration, holdout_days, actual)
            for partner_id, group in zip(partner_ids, clv.holdout_groups(calibration), strict=True):
                groups.setdefault(int(group), []).append(partner_id)
        return values, groups

    # ------------------------------------------------------------------
    # Nightly predictions
    # ------------------------------------------------------------------

    @api.model
    def _cron_sh_refresh_predictions(self):
        """The scheduled action: every company's predictions of today."""
        self.sh_refresh_predictions()

    @api.model
    def sh_refresh_predictions(self, today=None):
        """Fit the history of each company tree up to ``today`` once (a
        branch's customer figures count its whole tree, as the root's do)
        and store every customer's P(alive) and predicted CLV over the
        default horizon and discount for each company of the tree, in one
        statement per tree; the customers whose P(alive) crossed the
        at-risk threshold get their status computed again. A tree without
        a fit has its customers' predictions emptied. Returns the fit's
        status by root company id.

        Runs as the superuser: the fit reads every invoice of the company,
        whoever runs it."""
        today = today or fields.Date.context_today(self)
        clv_model = self.sudo()
        companies = self.env["res.company"].sudo().search([])
        outcomes = {}
        for root in companies.root_id:
            partner_ids, _summary, _net_sales, model, predictions = clv_model._sh_prediction(
                today, DEFAULT_HORIZON_MONTHS, DEFAULT_MONTHLY_DISCOUNT, root
            )
            if not model.fitted:
                partner_ids = []
            digits = root.currency_id.decimal_places
            self.env["res.partner"].sudo()._sh_write_clv_figures(
                companies.filtered(lambda company, root=root: company.root_id == root),
                partner_ids,
                predictions["p_alive"].tolist() if model.fitted else [],
                np.round(predictions["predicted_clv"], digits).tolist() if model.fitted else [],
            )
            outcomes[root.id] = model.status
            _logger.info(
                "Predicted lifetime value of %s: %s, %s customers",
                root.name,
                model.status,
                len(partner_ids),
            )
        return outcomes
