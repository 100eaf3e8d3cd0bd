"""Purchase histories simulated from known BG/NBD and Gamma-Gamma
parameters, in days, for the tests of the predicted CLV's fit."""

import numpy as np

from ..analytics import clv


def simulate(rng, customers, bgnbd, gamma_gamma, ages=(30, 540), holdout_days=0):
    """``customers`` histories drawn with the numpy Generator ``rng``: each
    customer buys at its own Poisson rate (Gamma(r, alpha) across
    customers) and, after each purchase, leaves for good with its own
    probability (Beta(a, b)); it has been a customer for a number of days
    drawn uniformly in ``ages``, and is watched ``holdout_days`` more.
    Each purchase's value is Gamma(p, nu) with nu Gamma(q, gamma) across
    customers; the mean of x values is then Gamma(p x, nu x). Returns the
    Summary at the end of ``ages`` and each customer's purchases in the
    hold-out."""
    r, alpha, a, b = bgnbd
    p, q, gamma = gamma_gamma
    rate = rng.gamma(r, 1 / alpha, customers)
    dropout = rng.beta(a, b, customers)
    age = rng.uniform(*ages, customers)
    frequency, recency, holdout = (np.zeros(customers) for _i in range(3))
    now = np.zeros(customers)
    active = np.ones(customers, dtype=bool)
    while active.any():
        ids = np.flatnonzero(active)
        now[ids] += rng.exponential(1 / rate[ids])
        in_calibration = now[ids] <= age[ids]
        in_holdout = ~in_calibration & (now[ids] <= age[ids] + holdout_days)
        frequency[ids[in_calibration]] += 1
        recency[ids[in_calibration]] = now[ids[in_calibration]]
        holdout[ids[in_holdout]] += 1
        bought = ids[in_calibration | in_holdout]
        active[ids[~(in_calibration | in_holdout)]] = False
        active[bought[rng.random(len(bought)) < dropout[bought]]] = False
    nu = rng.gamma(q, 1 / gamma, customers)
    repeat = np.maximum(frequency, 1)
    value = np.where(frequency > 0, rng.gamma(p * repeat, 1 / (nu * repeat)), np.nan)
    return clv.Summary.of(frequency, recency, age, value), holdout
