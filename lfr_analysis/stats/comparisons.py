"""Exact tests of counts against a prediction, and of two rates against each other.

Every p-value of the package's comparisons comes from here, vectorised (one call for any
number of groups), and each says which two-sided rule it follows:

``"central"``
    Twice the smaller one-sided tail, capped at 1 (statsmodels'
    ``test_poisson(..., method="exact-c")``; the rule that matches the equal-tailed Garwood
    interval: the p-value is below ``1 - conf`` exactly when the interval excludes the
    prediction).
``"minlike"``
    The probabilities of every outcome no more likely than the one observed, summed (with
    R's relative tolerance of 1e-7): R's ``poisson.test(x, T, r)``, ``binom.test`` and so
    the two-sample ``poisson.test(c(x1, x2), c(T1, T2))``, and scipy's ``binomtest``.
``"mid-p"``
    The central rule on mid-p tails (half the probability of the observed count counted in
    each tail), statsmodels' ``method="midp-c"``.

:func:`poisson_test` tests an observed count against an expected one; :func:`binomial_test`
a count of events in trials against a probability; :func:`compare_poisson` two Poisson
rates (R's two-sample ``poisson.test``: the exact conditional test and ratio interval);
:func:`compare_binomial` two shares (R's ``fisher.test``: Fisher's exact test and the
conditional maximum-likelihood odds ratio with its exact interval).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats.contingency import odds_ratio

from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import difference_ci, poisson_ci, rate_ci

__all__ = [
    "ALTERNATIVES",
    "RULES",
    "binomial_test",
    "compare_binomial",
    "compare_poisson",
    "fixed_prediction_tests",
    "poisson_test",
    "study_tests",
]

#: ``alternative`` values of every test here (as scipy and R name them).
ALTERNATIVES = ("two-sided", "greater", "less")

#: Two-sided rules of :func:`poisson_test`, each described in words.
RULES = {
    "central": "central: twice the smaller tail (statsmodels test_poisson exact-c)",
    "minlike": "outcomes no more likely than the observed one (R's poisson.test, binom.test)",
    "mid-p": "central rule on mid-p tails (statsmodels test_poisson midp-c)",
}

#: R's relative tolerance when it compares probabilities of outcomes ("no more likely").
_REL_ERR = 1 + 1e-7


def _first_true(predicate, low, high) -> np.ndarray:
    """Smallest integer k in [low, high] at which ``predicate`` holds, elementwise.

    ``predicate`` must be monotone (false, then true) on [low, high] and hold at ``high``;
    bisection on integers (held as floats, exact below 2**53), vectorised.
    """
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    while np.any(active := low < high):
        mid = np.floor((low + high) / 2)
        holds = predicate(mid)
        high = np.where(active & holds, mid, high)
        low = np.where(active & ~holds, mid + 1, low)
    return low


def _minlike_poisson(x: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """R's ``poisson.test(x, T, r)`` two-sided p-value for counts ``x`` against means ``mu``.

    Below the mean: P(X <= x) plus the upper tail from the first count at or above
    ``ceil(mu)`` whose probability is no larger than that of ``x``; above it: P(X >= x) plus
    the lower tail up to the last such count at or below ``floor(mu)``.
    """
    p = np.ones(x.shape)
    threshold = stats.poisson.logpmf(x, mu) + np.log(_REL_ERR)
    below = x < mu
    if below.any():
        xs, ms, ts = x[below], mu[below], threshold[below]
        start = np.ceil(ms)
        end = np.maximum(np.ceil(2 * ms - xs), start)
        while np.any(grow := stats.poisson.logpmf(end, ms) > ts):
            end = np.where(grow, 2 * end + 1, end)
        first = _first_true(lambda k: stats.poisson.logpmf(k, ms) <= ts, start, end)
        p[below] = stats.poisson.cdf(xs, ms) + stats.poisson.sf(first - 1, ms)
    above = x > mu
    if above.any():
        xs, ms, ts = x[above], mu[above], threshold[above]
        top = np.floor(ms)
        # the first count in [0, floor(mu)] more likely than x; the tail is everything before
        first = _first_true(
            lambda k: (k > top) | (stats.poisson.logpmf(k, ms) > ts), np.zeros(xs.shape), top + 1
        )
        p[above] = stats.poisson.cdf(first - 1, ms) + stats.poisson.sf(xs - 1, ms)
    return np.minimum(p, 1.0)


def _minlike_binomial(k: np.ndarray, n: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """R's ``binom.test(k, n, p)`` (and scipy's ``binomtest``) two-sided p-value."""
    p = np.ones(k.shape)
    with np.errstate(divide="ignore"):
        threshold = stats.binom.logpmf(k, n, prob) + np.log(_REL_ERR)
    mode = prob * n
    below = k < mode
    if below.any():
        ks, ns, ps, ts = k[below], n[below], prob[below], threshold[below]
        first = _first_true(
            lambda j: (j > ns) | (stats.binom.logpmf(j, ns, ps) <= ts), np.ceil(ps * ns), ns + 1
        )
        p[below] = stats.binom.cdf(ks, ns, ps) + stats.binom.sf(first - 1, ns, ps)
    above = k > mode
    if above.any():
        ks, ns, ps, ts = k[above], n[above], prob[above], threshold[above]
        top = np.floor(ps * ns)
        first = _first_true(
            lambda j: (j > top) | (stats.binom.logpmf(j, ns, ps) > ts), np.zeros(ks.shape), top + 1
        )
        p[above] = stats.binom.cdf(first - 1, ns, ps) + stats.binom.sf(ks - 1, ns, ps)
    return np.minimum(p, 1.0)


def _alternative(alternative) -> str:
    checks.choice(alternative, ALTERNATIVES, "alternative")
    return alternative


def poisson_test(observed, expected, *, alternative="two-sided", rule="central") -> np.ndarray:
    """Exact p-values of observed counts against expected (Poisson) counts, elementwise.

    Parameters
    ----------
    observed : int or array-like
        Observed counts (whole numbers >= 0).
    expected : float or array-like
        Expected counts under the prediction (finite, above 0).
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: P(X >= observed), more than predicted; ``"less"``: P(X <= observed).
    rule : {"central", "minlike", "mid-p"}
        The two-sided rule (see :data:`RULES`); ``"mid-p"`` also gives one-sided mid-p
        tails. ``"minlike"`` reproduces R's ``poisson.test``.

    Returns
    -------
    numpy.ndarray
        One p-value per element, in [0, 1].

    Examples
    --------
    Four false alerts against 0.624 expected (notebook 03 at threshold 0.62):

    >>> float(poisson_test(4, 0.62423474, rule="central")[0]).__round__(4)
    0.0077
    >>> float(poisson_test(4, 0.62423474, rule="minlike")[0]).__round__(4)
    0.0039
    """
    _alternative(alternative)
    checks.choice(rule, tuple(RULES), "rule")
    x, _ = checks.counts(observed, "observed")
    mu, _ = checks.positive(expected, "expected")
    try:
        x, mu = np.broadcast_arrays(x.astype(float), mu)
    except ValueError:
        raise ValueError(
            f"observed (length {x.size}) and expected (length {mu.size}) differ in length"
        ) from None
    fewer = stats.poisson.cdf(x, mu)
    more = stats.poisson.sf(x - 1, mu)
    if rule == "mid-p":
        half = 0.5 * stats.poisson.pmf(x, mu)
        fewer, more = fewer - half, more - half
    if alternative == "greater":
        return np.clip(more, 0.0, 1.0)
    if alternative == "less":
        return np.clip(fewer, 0.0, 1.0)
    if rule == "minlike":
        return _minlike_poisson(x, mu)
    return np.clip(2 * np.minimum(fewer, more), 0.0, 1.0)


def binomial_test(events, trials, prob, *, alternative="two-sided") -> np.ndarray:
    """Exact binomial p-values of ``events`` in ``trials`` against probability ``prob``.

    The two-sided p-value follows the "minlike" rule, as R's ``binom.test`` and scipy's
    ``binomtest`` do; vectorised.

    Parameters
    ----------
    events, trials : int or array-like
        Counts (``events <= trials``); ``trials`` may be 0 (the p-value is then 1).
    prob : float or array-like
        Probability under the null, in [0, 1].
    alternative : {"two-sided", "greater", "less"}

    Returns
    -------
    numpy.ndarray
    """
    _alternative(alternative)
    k, _ = checks.counts(events, "events")
    n, _ = checks.counts(trials, "trials")
    p = checks.probability(prob, "prob")
    k, n, p = np.broadcast_arrays(k.astype(float), n.astype(float), np.atleast_1d(p))
    checks.refuse_where("events", k, k > n, "at most trials")
    if alternative == "greater":
        return np.clip(stats.binom.sf(k - 1, n, p), 0.0, 1.0)
    if alternative == "less":
        return np.clip(stats.binom.cdf(k, n, p), 0.0, 1.0)
    out = np.ones(k.shape)
    some = n > 0
    out[some] = _minlike_binomial(k[some], n[some], p[some])
    return out


def compare_poisson(
    events_1, exposure_1, events_2, exposure_2, *, conf=0.95, alternative="two-sided"
) -> pd.DataFrame:
    """Compare two Poisson rates: R's ``poisson.test(c(x1, x2), c(T1, T2))``, row by row.

    Given the total ``x1 + x2``, ``x1`` is binomial with ``p = T1 / (T1 + T2)`` when the
    rates are equal: the p-value is R's ``binom.test`` of ``x1`` in ``x1 + x2`` against it
    (two-sided: the "minlike" rule) and the interval for the ratio ``(x1 / T1) / (x2 /
    T2)`` is the Clopper-Pearson interval of ``x1 / (x1 + x2)`` mapped to a ratio
    (Silcocks 1994).

    Zero counts never give a degenerate interval: with ``x1 = 0`` the lower limit is 0
    (the interval is an upper bound only), with ``x2 = 0`` the estimate and the upper
    limit are infinite (a lower bound only), and with both 0 the estimate is NaN, the
    interval 0 to infinity and the p-value 1, as in R. The ``bound`` column says which.

    Parameters
    ----------
    events_1, events_2 : int or array-like
        Counts in the two groups.
    exposure_1, exposure_2 : float or array-like
        Their exposures (faces seen, alerts, deployments, ...), above 0.
    conf : float
        Confidence level (two-sided unless ``alternative`` is one-sided, as in R).
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: rate 1 is larger than rate 2 (the interval is then a lower bound).

    Returns
    -------
    pandas.DataFrame
        ``events_1``, ``exposure_1``, ``events_2``, ``exposure_2``, ``rate_1``, ``rate_2``,
        ``ratio``, ``lower``, ``upper``, ``p_value``, ``bound``, ``alternative``, ``conf``,
        ``method``.
    """
    conf = checks.conf_level(conf)
    _alternative(alternative)
    x1, _ = checks.counts(events_1, "events_1")
    x2, _ = checks.counts(events_2, "events_2")
    t1, _ = checks.positive(exposure_1, "exposure_1")
    t2, _ = checks.positive(exposure_2, "exposure_2")
    try:
        x1, t1, x2, t2 = np.broadcast_arrays(x1, t1, x2, t2)
    except ValueError:
        raise ValueError("events_1, exposure_1, events_2 and exposure_2 differ in length") from None
    total = x1 + x2
    share = t1 / (t1 + t2)
    p = binomial_test(x1, total, share, alternative=alternative)
    lower, upper = np.zeros(x1.shape), np.full(x1.shape, np.inf)
    some = total > 0
    if some.any():
        side = {"two-sided": "two-sided", "greater": "lower", "less": "upper"}[alternative]
        limits = rate_ci(x1[some], total[some], conf=conf, side=side)
        scale = t2[some] / t1[some]
        with np.errstate(divide="ignore"):
            low, high = limits["lower"].to_numpy(), limits["upper"].to_numpy()
            lower[some] = np.where(low < 1, low / (1 - low) * scale, np.inf)
            upper[some] = np.where(high < 1, high / (1 - high) * scale, np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x1 / t1) / (x2 / t2)
    bound = np.select(
        [total == 0, x1 == 0, x2 == 0, np.isinf(upper), lower == 0],
        [
            "no events in either group: no comparison",
            "upper bound only (no events in group 1)",
            "lower bound only (no events in group 2)",
            "lower bound only (one-sided)",
            "upper bound only (one-sided)",
        ],
        default="two-sided interval",
    )
    return pd.DataFrame(
        {
            "events_1": x1,
            "exposure_1": t1,
            "events_2": x2,
            "exposure_2": t2,
            "rate_1": x1 / t1,
            "rate_2": x2 / t2,
            "ratio": ratio,
            "lower": lower,
            "upper": upper,
            "p_value": p,
            "bound": bound,
            "alternative": alternative,
            "conf": conf,
            "method": "exact conditional (binomial) test and ratio interval, as R's poisson.test",
        }
    )


def compare_binomial(
    events_1, trials_1, events_2, trials_2, *, conf=0.95, alternative="two-sided"
) -> pd.Series:
    """Compare two shares (e.g. false alerts per alert): R's ``fisher.test`` on the 2 x 2 table.

    Fisher's exact test and the conditional maximum-likelihood odds ratio with its exact
    interval (scipy's ``odds_ratio(kind="conditional")``, the estimator of R's
    ``fisher.test``), each share with its Clopper-Pearson interval and, two-sided, the
    Newcombe interval for the difference. A zero cell gives an odds ratio of 0 (or
    infinity) with a one-sided interval, never a degenerate one.

    Parameters
    ----------
    events_1, trials_1, events_2, trials_2 : int
        Events and trials (``events <= trials``, ``trials >= 1``) in the two groups.
    conf : float
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: share 1 is larger.

    Returns
    -------
    pandas.Series
        ``share_1``, ``share_1_lower``, ``share_1_upper``, the same for group 2,
        ``difference`` with ``difference_lower``/``difference_upper`` (two-sided only),
        ``odds_ratio``, ``lower``, ``upper``, ``p_value``, ``bound``, ``alternative``,
        ``conf``, ``method``.
    """
    conf = checks.conf_level(conf)
    _alternative(alternative)
    x1 = checks.whole(events_1, "events_1")
    n1 = checks.whole(trials_1, "trials_1", minimum=1)
    x2 = checks.whole(events_2, "events_2")
    n2 = checks.whole(trials_2, "trials_2", minimum=1)
    for x, n, name in ((x1, n1, "events_1"), (x2, n2, "events_2")):
        if x > n:
            raise ValueError(f"{name} ({x}) exceed the trials of their group ({n})")
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    p_value = float(stats.fisher_exact(table, alternative=alternative).pvalue)
    result = odds_ratio(table, kind="conditional")
    interval = result.confidence_interval(conf, alternative=alternative)
    shares = rate_ci([x1, x2], [n1, n2], conf=conf)
    if alternative == "two-sided":
        diff_low, diff_high = difference_ci(x1, n1, x2, n2, conf=conf)
    else:
        diff_low = diff_high = np.nan
    lower, upper = float(interval.low), float(interval.high)
    bound = (
        "no comparison (a row or column of the table is empty)"
        if np.isnan(result.statistic)
        else "upper bound only"
        if lower == 0
        else "lower bound only"
        if np.isinf(upper)
        else "two-sided interval"
    )
    return pd.Series(
        {
            "events_1": x1,
            "trials_1": n1,
            "events_2": x2,
            "trials_2": n2,
            "share_1": x1 / n1,
            "share_1_lower": float(shares["lower"].iloc[0]),
            "share_1_upper": float(shares["upper"].iloc[0]),
            "share_2": x2 / n2,
            "share_2_lower": float(shares["lower"].iloc[1]),
            "share_2_upper": float(shares["upper"].iloc[1]),
            "difference": x1 / n1 - x2 / n2,
            "difference_lower": diff_low,
            "difference_upper": diff_high,
            "odds_ratio": float(result.statistic),
            "lower": lower,
            "upper": upper,
            "p_value": p_value,
            "bound": bound,
            "alternative": alternative,
            "conf": conf,
            "method": "Fisher's exact test and conditional odds ratio, as R's fisher.test; "
            "Clopper-Pearson shares; Newcombe difference",
        }
    )


def fixed_prediction_tests(observed, expected, conf: float = 0.95) -> dict:
    """Observed counts against fixed expected counts: O/E, Garwood interval, exact p-values.

    Vectorised over groups. Where ``expected`` is 0 every value is NaN.

    Returns
    -------
    dict of numpy.ndarray
        ``ratio``, ``ratio_lower``, ``ratio_upper`` (Garwood, R's ``poisson.test(O,
        E)$conf.int``), ``p_two_sided`` (central rule), ``p_two_sided_minlike`` (R's rule),
        ``p_more``, ``p_fewer``, ``p_midp_two_sided``.
    """
    observed = np.asarray(observed, dtype=np.int64)
    expected = np.asarray(expected, dtype=float)
    out = {
        name: np.full(len(observed), np.nan)
        for name in (
            "ratio", "ratio_lower", "ratio_upper", "p_two_sided", "p_two_sided_minlike",
            "p_more", "p_fewer", "p_midp_two_sided",
        )
    }  # fmt: skip
    some = expected > 0
    if some.any():
        o, e = observed[some], expected[some]
        limits = poisson_ci(o, e, conf=conf)
        out["ratio"][some] = o / e
        out["ratio_lower"][some] = limits["lower"].to_numpy()
        out["ratio_upper"][some] = limits["upper"].to_numpy()
        out["p_two_sided"][some] = poisson_test(o, e, rule="central")
        out["p_two_sided_minlike"][some] = poisson_test(o, e, rule="minlike")
        out["p_more"][some] = poisson_test(o, e, alternative="greater")
        out["p_fewer"][some] = poisson_test(o, e, alternative="less")
        out["p_midp_two_sided"][some] = poisson_test(o, e, rule="mid-p")
    return out


def study_tests(observed, faces_scaled, study_events: int, study_exposure: float, conf=0.95):
    """Exact conditional comparison that counts the study's own Poisson uncertainty.

    ``observed`` of ``observed + study_events`` is binomial with probability ``faces_scaled
    / (faces_scaled + study_exposure)`` under equal rates (statsmodels'
    ``test_poisson_2indep(..., method="exact-cond")``, R's two-sample ``poisson.test``).
    Vectorised over groups; NaN where ``faces_scaled`` is 0.

    Returns
    -------
    dict of numpy.ndarray
        ``p_cond_more``; when the study saw events also ``p_cond_two_sided`` (R's rule),
        ``p_cond_fewer``, ``ratio_lower_cond`` and ``ratio_upper_cond``.
    """
    observed = np.asarray(observed, dtype=np.int64)
    faces_scaled = np.asarray(faces_scaled, dtype=float)
    c_ref, m_ref = int(study_events), float(study_exposure)
    names = ["p_cond_more"]
    if c_ref > 0:
        names += ["p_cond_two_sided", "p_cond_fewer", "ratio_lower_cond", "ratio_upper_cond"]
    out = {name: np.full(len(observed), np.nan) for name in names}
    some = faces_scaled > 0
    if not some.any():
        return out
    o, s = observed[some], faces_scaled[some]
    total, share = o + c_ref, s / (s + m_ref)
    out["p_cond_more"][some] = binomial_test(o, total, share, alternative="greater")
    if c_ref == 0:
        return out
    out["p_cond_two_sided"][some] = binomial_test(o, total, share)
    out["p_cond_fewer"][some] = binomial_test(o, total, share, alternative="less")
    limits = rate_ci(o, total, conf=conf)
    scale = m_ref / s
    low, high = limits["lower"].to_numpy(), limits["upper"].to_numpy()
    with np.errstate(divide="ignore"):
        out["ratio_lower_cond"][some] = np.where(low < 1, low / (1 - low) * scale, np.inf)
        out["ratio_upper_cond"][some] = np.where(high < 1, high / (1 - high) * scale, np.inf)
    return out
