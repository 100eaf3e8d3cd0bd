"""Predicted customer lifetime value: the BG/NBD model of the number of
purchases and of P(alive) (Fader, Hardie and Lee, 2005, "Counting Your
Customers the Easy Way") and the Gamma-Gamma model of the spend per purchase
(Fader, Hardie and Lee, 2005, "RFM and CLV"), fitted by maximum likelihood,
their predictions, the discounted predicted CLV over a horizon and the
hold-out diagnostic of the fit. Plain numpy and scipy, no Odoo: the callers
read the customers' summaries and translate the outcomes.

The published model's conventions hold throughout: a purchase is a day,
time is counted in days, and for each customer ``frequency`` (x) is the
number of repeat purchase days, ``recency`` (t_x) the age in days at the
last purchase day (days between the first and the last purchase day) and
``T`` the age in days at the "as of" date (days between the first purchase
day and that date). ``value`` is the mean value of the repeat purchase days
(of customers with x >= 1)."""

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import approx_fprime, minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1
from threadpoolctl import threadpool_limits

# Fewer repeat customers than this leave the fit to noise: no prediction.
MIN_REPEAT_CUSTOMERS = 30
# The outcomes of a fit.
FITTED = "fitted"
TOO_LITTLE_HISTORY = "too_little_history"
FIT_FAILED = "fit_failed"
# A month of the horizon, in days (a year's average month).
DAYS_PER_MONTH = 365.25 / 12
# The hold-out diagnostic groups the customers by their calibration repeat
# purchases 0, 1, ..., 7 and "7 or more".
HOLDOUT_GROUPS = 8
# The fits search the logarithms of the parameters within these bounds
# (e^-12 to e^12), which keeps every term finite.
LOG_BOUNDS = (-12.0, 12.0)

BGNBD_PARAMETERS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMETERS = ("p", "q", "gamma")


@dataclass
class Summary:
    """The customers' purchase histories as arrays (one entry a customer)."""

    frequency: np.ndarray
    recency: np.ndarray
    age: np.ndarray
    value: np.ndarray = None

    @classmethod
    def of(cls, frequency, recency, age, value=None):
        return cls(
            np.asarray(frequency, dtype=float),
            np.asarray(recency, dtype=float),
            np.asarray(age, dtype=float),
            None if value is None else np.asarray(value, dtype=float),
        )

    def __len__(self):
        return len(self.frequency)


@dataclass
class ClvModel:
    """The outcome of the fits: ``status`` (FITTED, TOO_LITTLE_HISTORY or
    FIT_FAILED), the parameters under their names in the models (``r``,
    ``alpha`` in days, ``a``, ``b``; ``p``, ``q``, ``gamma``) and the
    log-likelihood of each fit at its maximum, with the numbers of customers
    and repeat customers (those with x >= 1 and a positive value) it was
    fitted on. Without a fit the parameters and log-likelihoods are
    empty."""

    status: str
    customers: int
    repeat_customers: int
    parameters: dict = field(default_factory=dict)
    log_likelihood: dict = field(default_factory=dict)

    @property
    def fitted(self):
        return self.status == FITTED

    def bgnbd(self):
        return tuple(self.parameters[name] for name in BGNBD_PARAMETERS)

    def gamma_gamma(self):
        return tuple(self.parameters[name] for name in GAMMA_GAMMA_PARAMETERS)


# BG/NBD ------------------------------------------------------------------


def _bgnbd_terms(params, x, t_x, T, frequencies=None):
    """The log-likelihood of each customer and its gradient with respect to
    (r, alpha, a, b): ln L = A1 + ln(e^A2 + [x > 0] e^A3) with
    A1 = ln G(r+x) - ln G(r) + r ln alpha,
    A2 = ln B(a, b+x) - ln B(a, b) - (r+x) ln(alpha+T),
    A3 = ln B(a+1, b+x-1) - ln B(a, b) - (r+x) ln(alpha+t_x).
    The gamma, beta and digamma functions depend on x alone: they are
    computed once per distinct x (``frequencies``: np.unique(x,
    return_inverse=True), computed when not given)."""
    r, alpha, a, b = params
    values, inverse = frequencies or np.unique(x, return_inverse=True)
    # b + x - 1 > 0 only matters where x >= 1; elsewhere A3 is dropped.
    repeat = values > 0
    b_x1 = np.where(repeat, b + values - 1, 1.0)
    beta_ab = betaln(a, b)
    psi_ab = digamma(a + b)
    by_x = np.stack(
        [
            gammaln(r + values) - gammaln(r),
            betaln(a, b + values) - beta_ab,
            np.where(repeat, betaln(a + 1, b_x1) - beta_ab, -np.inf),
            digamma(r + values) - digamma(r),
            psi_ab - digamma(a + b + values),
            digamma(b + values) - digamma(b),
            digamma(b_x1) - digamma(b),
        ]
    )[:, inverse]
    gamma_r, beta_2, beta_3, psi_r, psi_ab_x, psi_b, psi_b1 = by_x
    rx = r + x
    log_alpha_T = np.log(alpha + T)
    log_alpha_tx = np.log(alpha + t_x)
    a2 = beta_2 - rx * log_alpha_T
    a3 = beta_3 - rx * log_alpha_tx
    ll_23 = np.logaddexp(a2, a3)
    w2 = np.exp(a2 - ll_23)
    w3 = 1.0 - w2
    d_r = psi_r + np.log(alpha) - w2 * log_alpha_T - w3 * log_alpha_tx
    d_alpha = r / alpha - w2 * rx / (alpha + T) - w3 * rx / (alpha + t_x)
    d_a = psi_ab_x + w3 * (digamma(a + 1) - digamma(a))
    d_b = psi_ab_x + w2 * psi_b + w3 * psi_b1
    return gamma_r + r * np.log(alpha) + ll_23, np.stack([d_r, d_alpha, d_a, d_b])


def bgnbd_log_likelihood(params, summary):
    """The BG/NBD log-likelihood of the customers of ``summary`` under
    ``params`` (r, alpha, a, b)."""
    ll, _gradient = _bgnbd_terms(params, summary.frequency, summary.recency, summary.age)
    return float(ll.sum())


def _bgnbd_starts(summary):
    """Two starting points whose mean purchase rate r / alpha is the
    observed repeat rate: one with little spread in the rates and a flat
    dropout prior, one with more spread and rarer dropouts."""
    rate = max(summary.frequency.mean(), 0.1) / max(summary.age.mean(), 1.0)
    return [(1.0, 1.0 / rate, 1.0, 1.0), (0.5, 0.5 / rate, 0.5, 5.0)]


def fit_bgnbd(summary):
    """The maximum-likelihood BG/NBD parameters (r, alpha, a, b) and the
    log-likelihood at them, or None when the optimiser fails."""
    x, t_x, T = summary.frequency, summary.recency, summary.age
    frequencies = np.unique(x, return_inverse=True)

    def objective(log_params):
        params = np.exp(log_params)
        ll, gradient = _bgnbd_terms(params, x, t_x, T, frequencies)
        # The mean keeps the objective's scale independent of the number of
        # customers; the chain rule turns d/dθ into d/d(ln θ).
        return -ll.mean(), -(gradient.mean(axis=1) * params)

    return _maximise(objective, _bgnbd_starts(summary), 4)


def _maximise(objective, starts, size):
    """The best of the L-BFGS-B searches from ``starts`` (in the
    parameters' scale) of the negated mean log-likelihood ``objective`` of
    the parameters' logarithms: (parameters, mean log-likelihood) or None."""
    best = None
    # L-BFGS-B's own linear algebra is on three or four parameters: the
    # BLAS's threads add only their start and their waits, ten times the
    # fit itself on a busy machine, so the search runs on one thread.
    with np.errstate(all="ignore"), threadpool_limits(limits=1, user_api="blas"):
        for start in starts:
            result = minimize(
                objective,
                np.log(start),
                jac=True,
                method="L-BFGS-B",
                bounds=[LOG_BOUNDS] * size,
            )
            if not np.isfinite(result.fun):
                continue
            if best is None or result.fun < best.fun:
                best = result
    if best is None:
        return None
    return tuple(float(value) for value in np.exp(best.x)), -float(best.fun)


def p_alive(params, summary):
    """P(alive) at the "as of" date of each customer: 1 / (1 + [x > 0]
    a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))."""
    r, alpha, a, b = params
    x, t_x, T = summary.frequency, summary.recency, summary.age
    repeat = x > 0
    with np.errstate(all="ignore"):
        log_odds = (
            np.log(a)
            - np.log(np.where(repeat, b + x - 1, 1.0))
            + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        )
        return np.where(repeat, 1.0 / (1.0 + np.exp(log_odds)), 1.0)


def expected_purchases(params, summary, days, alive=None):
    """The expected number of purchase days of each customer in the ``days``
    after the "as of" date (``days`` a number or an array of the same length
    as the summary; ``alive``: the customers' P(alive) if already computed):
    E[Y(t) | x, t_x, T] =
    (a + b + x - 1) / (a - 1)
    * [1 - ((alpha + T) / (alpha + T + t))^(r + x)
           2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))]
    * P(alive)."""
    r, alpha, a, b = params
    x, T = summary.frequency, summary.age
    t = np.broadcast_to(np.asarray(days, dtype=float), x.shape)
    if a == 1.0:
        # The formula's limit at a = 1 is approached from just beside it.
        a = 1.0 + 1e-9
    with np.errstate(all="ignore"):
        horizon = alpha + T + t
        ratio = np.exp((r + x) * (np.log(alpha + T) - np.log(horizon)))
        hyper = hyp2f1(r + x, b + x, a + b + x - 1, t / horizon)
        if alive is None:
            alive = p_alive(params, summary)
        expected = (a + b + x - 1) / (a - 1) * (1.0 - ratio * hyper) * alive
    return np.where(t > 0, np.maximum(expected, 0.0), 0.0)


# Gamma-Gamma -------------------------------------------------------------


def _gamma_gamma_terms(params, x, m):
    """The log-likelihood of each repeat customer's mean value ``m`` of its
    ``x`` repeat purchases and its gradient with respect to (p, q, gamma):
    ln G(px + q) - ln G(px) - ln G(q) + q ln gamma + (px - 1) ln m + px ln x
    - (px + q) ln(gamma + m x)."""
    p, q, gamma = params
    px = p * x
    log_mx = np.log(gamma + m * x)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_mx
    )
    psi_pxq = digamma(px + q)
    d_p = x * (psi_pxq - digamma(px) + np.log(m) + np.log(x) - log_mx)
    d_q = psi_pxq - digamma(q) + np.log(gamma) - log_mx
    d_gamma = q / gamma - (px + q) / (gamma + m * x)
    return ll, np.stack([d_p, d_q, d_gamma])


def _spenders(summary):
    """The customers the Gamma-Gamma model describes: at least one repeat
    purchase day and a positive mean value of them."""
    value = summary.value if summary.value is not None else np.zeros(len(summary))
    return (summary.frequency > 0) & (np.nan_to_num(value) > 0)


def gamma_gamma_log_likelihood(params, summary):
    """The Gamma-Gamma log-likelihood of the repeat customers of
    ``summary`` under ``params`` (p, q, gamma)."""
    spenders = _spenders(summary)
    ll, _gradient = _gamma_gamma_terms(params, summary.frequency[spenders], summary.value[spenders])
    return float(ll.sum())


def fit_gamma_gamma(summary):
    """The maximum-likelihood Gamma-Gamma parameters (p, q, gamma) on the
    repeat customers and the log-likelihood at them, or None when the
    optimiser fails."""
    spenders = _spenders(summary)
    x, m = summary.frequency[spenders], summary.value[spenders]

    def objective(log_params):
        params = np.exp(log_params)
        ll, gradient = _gamma_gamma_terms(params, x, m)
        return -ll.mean(), -(gradient.mean(axis=1) * params)

    # Starting where the population's mean spend p gamma / (q - 1) is the
    # observed mean value.
    mean = float(m.mean())
    return _maximise(objective, [(1.0, 2.0, mean), (4.0, 3.0, mean / 2.0)], 3)


def expected_spend(params, summary):
    """The expected value of each customer's future purchase days:
    (gamma + m x) p / (p x + q - 1), a weighted mean of the population's
    mean p gamma / (q - 1) and the customer's own mean value m. Customers
    without repeat purchases (or without a positive mean value) get the
    population's mean; when q <= 1 that mean is infinite in the model and
    the observed mean value of the repeat customers stands in for it."""
    p, q, gamma = params
    x = summary.frequency
    spenders = _spenders(summary)
    m = np.where(spenders, np.nan_to_num(summary.value), 0.0)
    if q > 1:
        population = p * gamma / (q - 1)
    else:
        population = float(m[spenders].mean()) if spenders.any() else 0.0
    with np.errstate(all="ignore"):
        own = (gamma + m * x) * p / (p * x + q - 1)
    return np.where(spenders & (p * x + q - 1 > 0), own, population)


# Fit and predictions -------------------------------------------------------


def _log_gradients(model, summary):
    """Per model, its parameters and the gradient of its summed
    log-likelihood with respect to their logarithms."""
    x, t_x, T = summary.frequency, summary.recency, summary.age
    spenders = _spenders(summary)
    x_s, m_s = x[spenders], summary.value[spenders]

    def bgnbd(log_params):
        params = np.exp(log_params)
        return _bgnbd_terms(params, x, t_x, T)[1].sum(axis=1) * params

    def gamma_gamma(log_params):
        params = np.exp(log_params)
        return _gamma_gamma_terms(params, x_s, m_s)[1].sum(axis=1) * params

    return [
        (BGNBD_PARAMETERS, model.bgnbd(), bgnbd),
        (GAMMA_GAMMA_PARAMETERS, model.gamma_gamma(), gamma_gamma),
    ]


def standard_errors(model, summary):
    """The asymptotic standard error of each fitted parameter, by name:
    from the observed information (the log-likelihood's Hessian in the
    parameters' logarithms, by finite differences of the exact gradient),
    SE(theta) = theta * SE(ln theta). Empty without a fit; NaN where the
    information is singular."""
    if not model.fitted:
        return {}
    errors = {}
    with np.errstate(all="ignore"):
        for names, params, gradient in _log_gradients(model, summary):
            log_params = np.log(params)
            # The Jacobian of the gradient: one row per derivative.
            hessian = np.atleast_2d(approx_fprime(log_params, gradient, 1e-6))
            try:
                variance = np.diag(np.linalg.inv(-(hessian + hessian.T) / 2))
            except np.linalg.LinAlgError:
                variance = np.full(len(names), np.nan)
            for name, value, var in zip(names, params, variance, strict=True):
                errors[name] = float(value * np.sqrt(var)) if var >= 0 else float("nan")
    return errors


def fit(summary, min_repeat_customers=MIN_REPEAT_CUSTOMERS):
    """Both models fitted on ``summary``: a ClvModel, never an exception.
    Fewer than ``min_repeat_customers`` repeat customers give
    TOO_LITTLE_HISTORY, an optimiser that finds no finite maximum
    FIT_FAILED."""
    customers = len(summary)
    repeat_customers = int(_spenders(summary).sum())
    if repeat_customers < min_repeat_customers:
        return ClvModel(TOO_LITTLE_HISTORY, customers, repeat_customers)
    bgnbd = fit_bgnbd(summary)
    gamma_gamma = fit_gamma_gamma(summary)
    if bgnbd is None or gamma_gamma is None:
        return ClvModel(FIT_FAILED, customers, repeat_customers)
    (bgnbd_params, bgnbd_ll), (gg_params, gg_ll) = bgnbd, gamma_gamma
    return ClvModel(
        FITTED,
        customers,
        repeat_customers,
        parameters={
            **dict(zip(BGNBD_PARAMETERS, bgnbd_params, strict=True)),
            **dict(zip(GAMMA_GAMMA_PARAMETERS, gg_params, strict=True)),
        },
        # Back from the mean to the sum over the customers fitted.
        log_likelihood={
            "bgnbd": bgnbd_ll * customers,
            "gamma_gamma": gg_ll * repeat_customers,
        },
    )


def predict(model, summary, horizon_months=12, monthly_discount=0.01):
    """Each customer's predictions under a fitted ``model``, as arrays:
    ``p_alive``, ``expected_purchases`` over the horizon, ``expected_spend``
    per purchase day and ``predicted_clv``, the sum over the horizon's
    months of the purchases expected in that month times the expected
    spend, discounted at ``monthly_discount`` per month (the month m's
    value divided by (1 + discount)^m)."""
    bgnbd = model.bgnbd()
    spend = expected_spend(model.gamma_gamma(), summary)
    clv = np.zeros(len(summary))
    previous = np.zeros(len(summary))
    alive = p_alive(bgnbd, summary)
    for month in range(1, horizon_months + 1):
        cumulative = expected_purchases(bgnbd, summary, month * DAYS_PER_MONTH, alive=alive)
        clv += (cumulative - previous) * spend / (1.0 + monthly_discount) ** month
        previous = cumulative
    return {
        "p_alive": alive,
        "expected_purchases": previous,
        "expected_spend": spend,
        "predicted_clv": clv,
    }


def holdout_groups(calibration):
    """The hold-out diagnostic's group of each customer: its calibration
    repeat purchases, 7 for 7 or more."""
    return np.minimum(calibration.frequency, HOLDOUT_GROUPS - 1).astype(int)


def holdout_diagnostic(model, calibration, holdout_days, actual):
    """The BG/NBD fit checked on a hold-out: for the customers of the
    ``calibration`` summary (their histories up to the hold-out's start),
    the repeat purchase days expected in the ``holdout_days`` that follow
    against those they ``actual``-ly made, in total and per number of
    calibration repeat purchases (0, 1, ..., 6 and 7 or more; ``frequency``
    of the last row is its lower bound)."""
    predicted = expected_purchases(model.bgnbd(), calibration, holdout_days)
    actual = np.asarray(actual, dtype=float)
    group = holdout_groups(calibration)
    rows = []
    for frequency in range(HOLDOUT_GROUPS):
        members = group == frequency
        rows.append(
            {
                "frequency": frequency,
                "or_more": frequency == HOLDOUT_GROUPS - 1,
                "customers": int(members.sum()),
                "predicted": float(predicted[members].sum()),
                "actual": float(actual[members].sum()),
            }
        )
    return {
        "holdout_days": holdout_days,
        "customers": len(calibration),
        "predicted": float(predicted.sum()),
        "actual": float(actual.sum()),
        "by_frequency": rows,
    }
