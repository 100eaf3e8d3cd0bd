"""The predicted CLV's models on their own (no database): the fit recovers
the parameters that simulated histories were drawn from, the gradients are
exact, the predictions agree with the published model, and too little
history is an outcome, not an error."""

import numpy as np
from scipy.optimize import check_grad

from odoo.tests import TransactionCase, tagged

from ..analytics import clv
from .clv_simulation import simulate

# The parameters the histories are drawn from, in days: a purchase every
# alpha / r = 112 days on average (alpha = 4 weeks = 28 days), a chance of
# leaving after each purchase of a / (a + b) = 25%, a mean spend per
# purchase of p gamma / (q - 1) = 30.
BGNBD = {"r": 0.25, "alpha": 28.0, "a": 0.8, "b": 2.4}
GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "gamma": 15.0}
TRUE = {**BGNBD, **GAMMA_GAMMA}


@tagged("post_install", "-at_install")
class TestClvFit(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.summary, cls.holdout = simulate(
            np.random.default_rng(2026),
            4000,
            tuple(BGNBD.values()),
            tuple(GAMMA_GAMMA.values()),
            holdout_days=180,
        )
        cls.model = clv.fit(cls.summary)

    def test_fit_recovers_simulated_parameters(self):
        """On 4,000 simulated customers (about 1,700 of them repeat), each
        fitted parameter lies within 4 standard errors of the true one. The
        standard errors are the fit's own (observed information, on the
        parameters' logarithms); over 30 seeds at this size the errors
        divided by them had standard deviations of 0.7 to 1.1 and never
        passed 2.7, so 4 fails by chance about once in 10,000 fits, while
        the errors themselves stay small enough to mean something (about
        4% of r, 6% of alpha and q, 12-20% of a, b, p and gamma)."""
        model = self.model
        self.assertEqual(model.status, clv.FITTED)
        self.assertEqual(model.customers, 4000)
        self.assertGreater(model.repeat_customers, 1500)
        errors = clv.standard_errors(model, self.summary)
        for name, true in TRUE.items():
            fitted = model.parameters[name]
            log_error = errors[name] / fitted
            self.assertLess(log_error, 0.25, name)
            self.assertLess(abs(np.log(fitted / true)), 4 * log_error, name)

    def test_fit_recovers_the_customers_means(self):
        """What the models are used for is better determined than each
        parameter: the mean purchase rate r / alpha, the mean dropout
        a / (a + b) and the mean spend p gamma / (q - 1). Over 30 seeds at
        this size their relative errors had standard deviations of 3%,
        6.6% and 1.7% (at most 8.6%, 14% and 4.3%): the tolerances are about
        4 of them."""
        p = self.model.parameters
        self.assertAlmostEqual(p["r"] / p["alpha"] / (0.25 / 28.0), 1.0, delta=0.12)
        self.assertAlmostEqual(p["a"] / (p["a"] + p["b"]) / 0.25, 1.0, delta=0.25)
        self.assertAlmostEqual(p["p"] * p["gamma"] / (p["q"] - 1) / 30.0, 1.0, delta=0.07)

    def test_log_likelihood_is_the_maximum(self):
        """The answered log-likelihoods are those of the fitted parameters,
        and no nearby parameters do better."""
        model, summary = self.model, self.summary
        bgnbd, gamma_gamma = model.bgnbd(), model.gamma_gamma()
        ll_bgnbd = clv.bgnbd_log_likelihood(bgnbd, summary)
        ll_gg = clv.gamma_gamma_log_likelihood(gamma_gamma, summary)
        self.assertAlmostEqual(model.log_likelihood["bgnbd"], ll_bgnbd, places=4)
        self.assertAlmostEqual(model.log_likelihood["gamma_gamma"], ll_gg, places=4)
        for i in range(4):
            for factor in (0.95, 1.05):
                moved = list(bgnbd)
                moved[i] *= factor
                self.assertLess(clv.bgnbd_log_likelihood(moved, summary), ll_bgnbd)
        for i in range(3):
            for factor in (0.95, 1.05):
                moved = list(gamma_gamma)
                moved[i] *= factor
                self.assertLess(clv.gamma_gamma_log_likelihood(moved, summary), ll_gg)

    def test_gradients_are_exact(self):
        """The analytic gradients the optimiser follows agree with finite
        differences of the log-likelihoods, away from the maximum."""
        x, t_x, T = self.summary.frequency, self.summary.recency, self.summary.age
        spenders = ~np.isnan(self.summary.value)
        m = self.summary.value[spenders]
        for model_terms, args, point in (
            (clv._bgnbd_terms, (x, t_x, T), (0.4, 20.0, 1.3, 3.0)),
            (clv._gamma_gamma_terms, (x[spenders], m), (3.0, 2.5, 20.0)),
        ):

            def value(params, terms=model_terms, args=args):
                return terms(params, *args)[0].mean()

            def gradient(params, terms=model_terms, args=args):
                return terms(params, *args)[1].mean(axis=1)

            scale = np.abs(gradient(np.array(point))).max()
            self.assertLess(check_grad(value, gradient, np.array(point)) / scale, 1e-5)

    def test_predictions_of_the_published_example(self):
        """Fader, Hardie and Lee (2005) fitted r = 0.243, alpha = 4.414,
        a = 0.793, b = 2.426 (weeks) on CDNOW and predict 1.226 purchases
        in the next 39 weeks for a customer with x = 2, t_x = 30.43,
        T = 38.86 weeks; the same in days (alpha and every time x 7)."""
        params = (0.243, 4.414 * 7, 0.793, 2.426)
        customer = clv.Summary.of([2], [30.43 * 7], [38.86 * 7])
        [expected] = clv.expected_purchases(params, customer, 39 * 7)
        self.assertAlmostEqual(expected, 1.226, places=3)
        # P(alive) = 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).
        [alive] = clv.p_alive(params, customer)
        odds = 0.793 / 3.426 * ((4.414 + 38.86) / (4.414 + 30.43)) ** 2.243
        self.assertAlmostEqual(alive, 1 / (1 + odds), places=12)

    def test_predicted_clv_adds_the_discounted_months(self):
        """The predicted CLV is the sum over the horizon's months of the
        purchases expected in that month times the expected spend,
        discounted; without a discount, the purchases over the horizon
        times the spend. A customer who never bought again is alive."""
        model, summary = self.model, self.summary
        plain = clv.predict(model, summary, horizon_months=12, monthly_discount=0.0)
        np.testing.assert_allclose(
            plain["predicted_clv"], plain["expected_purchases"] * plain["expected_spend"]
        )
        discounted = clv.predict(model, summary, horizon_months=12, monthly_discount=0.01)
        by_month = np.zeros(len(summary))
        previous = np.zeros(len(summary))
        for month in range(1, 13):
            cumulative = clv.expected_purchases(model.bgnbd(), summary, month * 365.25 / 12)
            by_month += (cumulative - previous) * discounted["expected_spend"] / 1.01**month
            previous = cumulative
        np.testing.assert_allclose(discounted["predicted_clv"], by_month)
        self.assertTrue((discounted["predicted_clv"] < plain["predicted_clv"]).all())
        np.testing.assert_array_equal(discounted["p_alive"][summary.frequency == 0], 1.0)
        p, q, gamma = model.gamma_gamma()
        np.testing.assert_allclose(
            discounted["expected_spend"][summary.frequency == 0], p * gamma / (q - 1)
        )

    def test_holdout_diagnostic(self):
        """Fitted on the calibration histories, the model predicts the 180
        days that follow within 15% of what the simulated customers bought
        (over 30 seeds the ratio's error had a standard deviation of 4.1%,
        at most 9.1%); each row adds its group's customers."""
        diagnostic = clv.holdout_diagnostic(self.model, self.summary, 180, self.holdout)
        self.assertEqual(diagnostic["actual"], self.holdout.sum())
        self.assertAlmostEqual(diagnostic["predicted"] / diagnostic["actual"], 1.0, delta=0.15)
        rows = diagnostic["by_frequency"]
        self.assertEqual([row["frequency"] for row in rows], list(range(8)))
        self.assertEqual(rows[-1]["or_more"], True)
        self.assertEqual(sum(row["customers"] for row in rows), 4000)
        self.assertEqual(rows[0]["customers"], int((self.summary.frequency == 0).sum()))
        self.assertEqual(rows[7]["customers"], int((self.summary.frequency >= 7).sum()))
        self.assertAlmostEqual(sum(row["predicted"] for row in rows), diagnostic["predicted"])

    def test_too_little_history_is_an_outcome(self):
        """Fewer than 30 repeat customers, or none at all, give
        TOO_LITTLE_HISTORY without parameters, never an exception."""
        repeat = np.flatnonzero(self.summary.frequency > 0)[:29]
        once = np.flatnonzero(self.summary.frequency == 0)[:500]
        kept = np.concatenate([repeat, once])
        few = clv.Summary.of(
            self.summary.frequency[kept],
            self.summary.recency[kept],
            self.summary.age[kept],
            self.summary.value[kept],
        )
        for summary in (few, clv.Summary.of([], [], [], [])):
            model = clv.fit(summary)
            self.assertEqual(model.status, clv.TOO_LITTLE_HISTORY)
            self.assertFalse(model.fitted)
            self.assertEqual(model.parameters, {})
            self.assertEqual(clv.standard_errors(model, summary), {})
        self.assertEqual(clv.fit(few).repeat_customers, 29)
