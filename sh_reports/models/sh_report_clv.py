"""Customer lifetime value, historical and predicted (BG/NBD and Gamma-Gamma).

The models are fitted on the company's whole purchase history up to the
"as of" date (``sh.customer.clv``); the report's customer filters choose
which customers its cards and its ranking show, not the history the models
learn from. Without enough history to fit, the report says so and shows the
historical lifetime value alone."""

import math

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .sh_customer_clv import (
    DEFAULT_HOLDOUT_DAYS,
    DEFAULT_HORIZON_MONTHS,
    DEFAULT_MONTHLY_DISCOUNT,
    MAX_HOLDOUT_DAYS,
    MAX_HORIZON_MONTHS,
)

# The P(alive) chart's bands, [low, high): a quarter each, the last with 1.
P_ALIVE_BANDS = ((0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.01))


class ShReportClv(models.AbstractModel):
    _name = "sh.report.clv"
    _inherit = "sh.report"
    _description = "Customer Lifetime Value"

    _sh_report_as_of = True

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_extra_options(self, options):
        """``horizon_months`` (whole months, default 12), ``monthly_discount``
        (a fraction per month, default 0.01) and ``holdout_days`` (whole
        days, default 180)."""
        return {
            "horizon_months": self._sh_whole_number_option(
                options,
                "horizon_months",
                DEFAULT_HORIZON_MONTHS,
                MAX_HORIZON_MONTHS,
                self.env._(
                    "The horizon must be a whole number of months from 1 to %(maximum)s.",
                    maximum=MAX_HORIZON_MONTHS,
                ),
            ),
            "monthly_discount": self._sh_discount_option(options),
            "holdout_days": self._sh_whole_number_option(
                options,
                "holdout_days",
                DEFAULT_HOLDOUT_DAYS,
                MAX_HOLDOUT_DAYS,
                self.env._(
                    "The hold-out period must be a whole number of days from 1 to %(maximum)s.",
                    maximum=MAX_HOLDOUT_DAYS,
                ),
            ),
        }

    @api.model
    def _sh_whole_number_option(self, options, key, default, maximum, message):
        value = options.get(key)
        if value is None or value is False or value == "":
            return default
        if isinstance(value, bool):
            raise UserError(message)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UserError(message) from None
        if number != int(number) or not 1 <= number <= maximum:
            raise UserError(message)
        return int(number)

    @api.model
    def _sh_discount_option(self, options):
        value = options.get("monthly_discount")
        if value is None or value is False or value == "":
            return DEFAULT_MONTHLY_DISCOUNT
        message = self.env._(
            "The monthly discount rate must be a fraction from 0 up to 1,"
            " such as 0.01 for 1% a month."
        )
        if isinstance(value, bool):
            raise UserError(message)
        try:
            rate = float(value)
        except (TypeError, ValueError):
            raise UserError(message) from None
        if not 0 <= rate < 1:
            raise UserError(message)
        return rate

    @api.model
    def _sh_options_data(self, ctx):
        return {
            **super()._sh_options_data(ctx),
            "horizon_months": ctx["horizon_months"],
            "monthly_discount": ctx["monthly_discount"],
            "holdout_days": ctx["holdout_days"],
        }

    @api.model
    def _sh_rate_label(self, ctx):
        """The monthly discount as a percentage: 1 for 0.01."""
        return f"{ctx['monthly_discount'] * 100:g}"

    @api.model
    def _sh_options_label(self, ctx):
        return " · ".join(
            [
                super()._sh_options_label(ctx),
                self.env._(
                    "%(months)s months ahead, discounted %(rate)s%% a month",
                    months=ctx["horizon_months"],
                    rate=self._sh_rate_label(ctx),
                ),
            ]
        )

    # ------------------------------------------------------------------
    # Sections
    # ------------------------------------------------------------------

    @api.model
    def _sh_report_sections(self, ctx, data):
        res = super()._sh_report_sections(ctx, data)
        # sudo: the models learn from the company's whole history, as the
        # stored net sales every Customers user sees count every invoice;
        # the customers shown are those of the report's filters that the
        # user may see (``_sh_visible_customers``).
        predictor = self.env["sh.customer.clv"].sudo()
        partner_ids, summary, net_sales, model, predictions = predictor._sh_prediction(
            ctx["as_of"], ctx["horizon_months"], ctx["monthly_discount"], ctx["company"]
        )
        fit = predictor._sh_fit_values(model, summary, ctx["as_of"])
        if fit["message"]:
            data["messages"].append(fit["message"])
        visible = self._sh_visible_customers(ctx)
        rows = [
            {
                "partner_id": partner_id,
                "frequency": int(summary.frequency[i]),
                "historical_clv": float(net_sales[i]),
                **{name: float(values[i]) for name, values in predictions.items()},
            }
            for i, partner_id in enumerate(partner_ids)
            if partner_id in visible
        ]
        rank_by = "predicted_clv" if predictions else "historical_clv"
        rows.sort(key=lambda row: (-row[rank_by], row["partner_id"]))
        data["cards"].extend(self._sh_clv_cards(ctx, rows, bool(predictions)))
        data["tables"].append(self._sh_customers_table(ctx, rows, visible, bool(predictions)))
        if model.fitted:
            data["charts"].append(self._sh_p_alive_chart(rows))
            data["tables"].append(self._sh_parameters_table(fit))
            self._sh_holdout_sections(ctx, data, predictor, (partner_ids, summary))
        return res

    @api.model
    def _sh_visible_customers(self, ctx):
        """The report's customers the user may see: {id: (name, code)}."""
        query = self._sh_customer_query(ctx)
        rows = self.env.execute_query(
            query.select(
                SQL.identifier(query.table, "id"),
                SQL.identifier(query.table, "complete_name"),
                SQL.identifier(query.table, "sh_customer_code"),
            )
        )
        return {partner_id: (name, code) for partner_id, name, code in rows}

    @api.model
    def _sh_clv_cards(self, ctx, rows, fitted):
        _ = self.env._
        as_of = format_date(self.env, ctx["as_of"])
        ids = [row["partner_id"] for row in rows]
        repeat_ids = [row["partner_id"] for row in rows if row["frequency"] > 0]
        cards = [
            self._sh_card(
                ctx,
                "historical_clv",
                _("Historical CLV"),
                _(
                    "Net sales to %(date)s of the customers shown: posted invoices minus"
                    " posted credit notes, untaxed, in company currency.",
                    date=as_of,
                ),
                sum(row["historical_clv"] for row in rows),
                fmt="money",
                domain=[("id", "in", ids)],
                sequence=10,
            ),
            self._sh_card(
                ctx,
                "customers",
                _("Customers"),
                _("Customers shown who bought at least once by %(date)s.", date=as_of),
                len(rows),
                fmt="integer",
                domain=[("id", "in", ids)],
                sequence=30,
            ),
            self._sh_card(
                ctx,
                "repeat_customers",
                _("Repeat Customers"),
                _(
                    "Customers shown who bought on two days or more by %(date)s"
                    " (several invoices of one day are one purchase).",
                    date=as_of,
                ),
                len(repeat_ids),
                fmt="integer",
                domain=[("id", "in", repeat_ids)],
                sequence=40,
            ),
        ]
        if fitted:
            cards += [
                self._sh_card(
                    ctx,
                    "predicted_clv",
                    _("Predicted CLV"),
                    _(
                        "What the customers shown are expected to buy over the next"
                        " %(months)s months, discounted %(rate)s%% a month: expected"
                        " purchases (BG/NBD) times expected spend per purchase"
                        " (Gamma-Gamma), fitted on the company's whole history.",
                        months=ctx["horizon_months"],
                        rate=self._sh_rate_label(ctx),
                    ),
                    sum(row["predicted_clv"] for row in rows),
                    fmt="money",
                    domain=[("id", "in", ids)],
                    sequence=20,
                ),
                self._sh_card(
                    ctx,
                    "mean_p_alive",
                    _("Mean P(alive)"),
                    _(
                        "The average probability, on %(date)s, that a customer shown is"
                        " still buying, in percent.",
                        date=as_of,
                    ),
                    sum(row["p_alive"] for row in rows) * 100 / len(rows) if rows else None,
                    fmt="percent",
                    domain=[("id", "in", ids)],
                    sequence=50,
                ),
            ]
        return cards

    @api.model
    def _sh_customers_table(self, ctx, rows, visible, fitted):
        _ = self.env._
        columns = [
            ("code", _("Code"), "code"),
            ("customer", _("Customer"), "text"),
            ("frequency", _("Repeat Purchases"), "integer"),
            ("historical_clv", _("Historical CLV"), "money"),
        ]
        if fitted:
            columns += [
                ("p_alive", _("P(alive) %"), "percent"),
                ("expected_purchases", _("Expected Purchases"), "number"),
                ("expected_spend", _("Expected Spend per Purchase"), "money"),
                ("predicted_clv", _("Predicted CLV"), "money"),
            ]

        def make_row(row):
            name, code = visible[row["partner_id"]]
            table_row = {
                "_res_id": row["partner_id"],
                "code": code or "",
                "customer": name,
                "frequency": row["frequency"],
                "historical_clv": self._sh_money(ctx, row["historical_clv"]),
            }
            if fitted:
                table_row.update(
                    p_alive=round(row["p_alive"] * 100, 2),
                    expected_purchases=round(row["expected_purchases"], 2),
                    expected_spend=self._sh_money(ctx, row["expected_spend"]),
                    predicted_clv=self._sh_money(ctx, row["predicted_clv"]),
                )
            return table_row

        totals = {
            "customer": _("Total"),
            "frequency": sum(row["frequency"] for row in rows),
            "historical_clv": self._sh_money(ctx, sum(row["historical_clv"] for row in rows)),
        }
        if fitted:
            totals.update(
                expected_purchases=round(sum(row["expected_purchases"] for row in rows), 2),
                predicted_clv=self._sh_money(ctx, sum(row["predicted_clv"] for row in rows)),
            )
        return self._sh_table(
            "customers",
            _("Customers by Predicted CLV") if fitted else _("Customers by Historical CLV"),
            columns,
            rows,
            totals=totals,
            sequence=10,
            make_row=make_row,
            help_text=_(
                "Every customer of the report's filters who bought by the date. Repeat"
                " purchases: purchase days after the first. P(alive): the probability"
                " that the customer is still buying. Expected purchases and predicted"
                " CLV cover the next %(months)s months. The models are fitted on the"
                " company's whole history, whatever the filters.",
                months=ctx["horizon_months"],
            ),
            empty=_("No customer of these options bought by this date."),
        )

    @api.model
    def _sh_p_alive_chart(self, rows):
        """The customers shown by quarter of P(alive), each bar opening its
        customers."""
        _ = self.env._
        bands = [[] for _band in P_ALIVE_BANDS]
        for row in rows:
            index = next(
                i for i, (low, high) in enumerate(P_ALIVE_BANDS) if low <= row["p_alive"] < high
            )
            bands[index].append(row)
        return self._sh_chart(
            "p_alive",
            _("Customers by P(alive)"),
            "bar",
            [
                _("%(low)s%% to %(high)s%%", low=round(low * 100), high=round(min(high, 1) * 100))
                for low, high in P_ALIVE_BANDS
            ],
            [
                {
                    "key": "customers",
                    "label": _("Customers"),
                    "data": [len(band) for band in bands],
                },
            ],
            [[("id", "in", [row["partner_id"] for row in band])] for band in bands],
            sequence=20,
        )

    @api.model
    def _sh_parameters_table(self, fit):
        _ = self.env._
        bgnbd, gamma_gamma = _("BG/NBD (purchases)"), _("Gamma-Gamma (spend)")
        meanings = {
            "r": (bgnbd, _("Shape of how purchase rates vary between customers.")),
            "alpha": (
                bgnbd,
                _(
                    "Scale of the purchase rates, in days: customers buy r / alpha"
                    " times a day on average."
                ),
            ),
            "a": (
                bgnbd,
                _(
                    "With b, how likely a customer is to stop buying after a purchase:"
                    " a / (a + b) on average."
                ),
            ),
            "b": (bgnbd, _("With a, how likely a customer is to stop buying after a purchase.")),
            "p": (gamma_gamma, _("Shape of how a customer's spend varies between purchases.")),
            "q": (gamma_gamma, _("Shape of how the average spend varies between customers.")),
            "gamma": (gamma_gamma, _("Scale of the average spends, in company currency.")),
        }
        rows = [
            {
                "model": model,
                "parameter": name,
                "value": fit["parameters"][name],
                "standard_error": self._sh_finite(fit["standard_errors"].get(name)),
                "meaning": meaning,
            }
            for name, (model, meaning) in meanings.items()
        ]
        rows += [
            {
                "model": model,
                "parameter": _("log-likelihood"),
                "value": fit["log_likelihood"][key],
                "standard_error": None,
                "meaning": _("Log-likelihood of the history at the fitted parameters."),
            }
            for key, model in (("bgnbd", bgnbd), ("gamma_gamma", gamma_gamma))
        ]
        return self._sh_table(
            "parameters",
            _("Fitted Parameters"),
            [
                ("model", _("Model"), "text"),
                ("parameter", _("Parameter"), "code"),
                ("value", _("Estimate"), "number"),
                ("standard_error", _("Standard Error"), "number"),
                ("meaning", _("Meaning"), "text"),
            ],
            rows,
            model=None,
            sequence=30,
            help_text=_(
                "Maximum-likelihood estimates on the company's whole history to the date,"
                " whatever the report's filters: %(customers)s customers, %(repeat)s of"
                " whom bought again.",
                customers=fit["customers"],
                repeat=fit["repeat_customers"],
            ),
        )

    @api.model
    def _sh_finite(self, value):
        """``value``, or None where it is not a finite number (a standard
        error of a singular information matrix)."""
        return value if value is not None and math.isfinite(value) else None

    @api.model
    def _sh_holdout_sections(self, ctx, data, predictor, final):
        """The fit's check on the last ``holdout_days`` before the date: a
        table and a chart of the predicted and actual repeat purchases per
        number of purchases before the hold-out. ``final``: the customers'
        ids and Summary as of the date."""
        _ = self.env._
        values, groups = predictor._sh_holdout(
            ctx["as_of"], ctx["holdout_days"], ctx["company"], final
        )
        if not values["diagnostic"]:
            data["messages"].append(values["message"])
            return
        diagnostic = values["diagnostic"]
        labels, rows = [], []
        for group in diagnostic["by_frequency"]:
            label = (
                _("%(count)s or more", count=group["frequency"])
                if group["or_more"]
                else str(group["frequency"])
            )
            domain = [("id", "in", groups.get(group["frequency"], []))]
            labels.append(label)
            rows.append(
                {
                    "_domain": domain,
                    "frequency": label,
                    "customers": group["customers"],
                    "predicted": round(group["predicted"], 2),
                    "actual": group["actual"],
                    "difference": round(group["actual"] - group["predicted"], 2),
                }
            )
        help_text = _(
            "Fitted on the company's whole history to %(end)s, the repeat purchases"
            " predicted for the %(days)s days that follow against those the customers"
            " made, by the number of repeat purchases before %(end)s. Close columns"
            " mean a model that describes the customers well.",
            end=format_date(self.env, values["calibration_end"]),
            days=ctx["holdout_days"],
        )
        data["tables"].append(
            self._sh_table(
                "holdout",
                _("Fit Check on a Hold-out Period"),
                [
                    ("frequency", _("Repeat Purchases Before the Hold-out"), "text"),
                    ("customers", _("Customers"), "integer"),
                    ("predicted", _("Predicted Purchases"), "number"),
                    ("actual", _("Actual Purchases"), "number"),
                    ("difference", _("Actual - Predicted"), "number"),
                ],
                rows,
                totals={
                    "frequency": _("Total"),
                    "customers": diagnostic["customers"],
                    "predicted": round(diagnostic["predicted"], 2),
                    "actual": diagnostic["actual"],
                    "difference": round(diagnostic["actual"] - diagnostic["predicted"], 2),
                },
                sequence=20,
                help_text=help_text,
            )
        )
        data["charts"].append(
            self._sh_chart(
                "holdout",
                _("Predicted and Actual Purchases in the Hold-out"),
                "bar",
                labels,
                [
                    {
                        "key": "predicted",
                        "label": _("Predicted"),
                        "data": [row["predicted"] for row in rows],
                    },
                    {
                        "key": "actual",
                        "label": _("Actual"),
                        "data": [row["actual"] for row in rows],
                    },
                ],
                [row["_domain"] for row in rows],
                sequence=10,
            )
        )
