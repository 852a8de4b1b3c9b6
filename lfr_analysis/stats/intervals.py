"""Intervals for rare-event rates: the suite's only interval code.

Every interval of the package comes from here, so each library defect is worked around
once:

:func:`rate_ci`
    A binomial rate ``events / trials`` with a confidence interval, row by row,
    vectorised: Clopper-Pearson (default; coverage never below the level), mid-p,
    Jeffreys, modified Jeffreys, Wilson; two-sided or one-sided.
:func:`rate_posterior`, :func:`prob_rate_exceeds`
    The Bayesian reading: Beta posterior quantiles and tail probabilities.

Where scipy or statsmodels is wrong for these inputs, the module says so and works around
it: statsmodels' Jeffreys and Wilson lower limits are set to 0 at zero events; Beta
quantiles (behind the Clopper-Pearson and Jeffreys limits) are checked by a round trip,
because ``scipy.special.betaincinv`` is wrong in isolated places; the mid-p interval is
computed here because statsmodels' ``confint_poisson(method="midp-c")`` is scalar,
degenerate at 0 and inaccurate at tiny rates.

Clopper-Pearson is the default because its coverage never falls below the nominal level;
mid-p is the "closest to nominal" alternative; plain Wilson and plain Jeffreys have coverage
holes near 0.84 and 0.90 at 0.1-0.2 expected events, the regime of a single deployment, so
use them only for comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.optimize import elementwise
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    multinomial_proportions_confint,
    proportion_confint,
)

from lfr_analysis.stats import checks

__all__ = [
    "METHODS",
    "DEFAULT_SHARE_METHOD",
    "SHARE_METHODS",
    "SIDES",
    "beta_quantile",
    "difference_ci",
    "gamma_quantile",
    "multinomial_ci",
    "poisson_ci",
    "prob_rate_exceeds",
    "quasi_binomial_ci",
    "quasi_binomial_limits",
    "quasi_poisson_ci",
    "rate_ci",
    "rate_posterior",
    "ratio_ci",
]

#: Interval methods accepted by :func:`rate_ci`.
METHODS = ("clopper-pearson", "mid-p", "jeffreys", "jeffreys-modified", "wilson")

#: ``side`` values accepted by :func:`rate_ci`.
SIDES = ("two-sided", "upper", "lower")

_MIDP_TOLERANCES = {"xrtol": 1e-12}

#: Methods whose one-sided bound below conf = 0.75 can fall on the wrong side of the estimate
#: (mid-p at 2 in 3 with conf 0.5 gives an upper bound of 0.65).
_EQUAL_TAILED_ONLY = ("mid-p", "jeffreys", "jeffreys-modified")


def _beta_tail_gap(p, a, b, q):
    """Beta(a, b) probability below ``p`` minus ``q``, from the tail nearer ``q`` (increasing)."""
    return np.where(q <= 0.5, special.betainc(a, b, p) - q, (1.0 - q) - special.betaincc(a, b, p))


def _check_beta_quantiles(values, a, b, q) -> np.ndarray:
    """Return Beta(a, b) quantiles ``values`` at ``q``, re-solved where they fail a round trip.

    ``scipy.special.betaincinv`` (and so ``scipy.stats.beta.ppf`` and statsmodels'
    Clopper-Pearson and Jeffreys intervals) returns wrong quantiles in isolated places, e.g.
    ``betaincinv(1000, 1e9 - 999, 0.025)`` gives 1.9e-6 where the answer is 9.4e-7 (scipy
    1.17; compare scipy issue 12796). Each quantile is checked by putting it back through
    ``betainc``; where the probability is off by more than a millionth (relative to the tail),
    it is found again by :func:`scipy.optimize.elementwise.find_root` on [0, 1].
    """
    values, a, b, q = (np.array(v, dtype=float) for v in np.broadcast_arrays(values, a, b, q))
    tail = np.minimum(q, 1.0 - q)
    with np.errstate(invalid="ignore"):
        # one fast betainc for the check (its absolute error, ~1e-16, is far below the
        # tolerance); the slower upper-tail function is used only to re-solve
        gap = np.abs(special.betainc(a, b, values) - q)
    bad = ~(gap <= 1e-6 * tail)
    if bad.any():
        found = elementwise.find_root(
            _beta_tail_gap,
            (np.zeros(int(bad.sum())), np.ones(int(bad.sum()))),
            args=(a[bad], b[bad], q[bad]),
            tolerances={"xrtol": 1e-14},
        )
        if not np.all(found.success):
            raise RuntimeError("a Beta quantile could not be found; please report this input")
        values[bad] = found.x
    return values


def _midp_lower_tail(p, x, n, tail):
    """P(X > x) + P(X = x) / 2 - tail: its root in ``p`` is the mid-p lower limit.

    P(X > x) is the regularised incomplete beta function I_p(x + 1, n - x) with float
    arguments (``scipy.special.bdtrc`` fails above n = 1e9) and P(X = x) is
    ``scipy.stats.binom.pmf`` (a mass from ``gammaln`` loses all its digits by n = 1e15).
    """
    return special.betainc(x + 1.0, n - x, p) + 0.5 * stats.binom.pmf(x, n, p) - tail


def _midp_upper_tail(p, x, n, tail):
    """P(X < x) + P(X = x) / 2 - tail: its root in ``p`` is the mid-p upper limit.

    P(X <= x) is taken as 1 - I_p(x + 1, n - x): ``betaincc`` is five times slower, and the
    difference is exact enough at the tail probabilities of a confidence limit.
    """
    return (1.0 - special.betainc(x + 1.0, n - x, p)) - 0.5 * stats.binom.pmf(x, n, p) - tail


def beta_quantile(a, b, q) -> np.ndarray:
    """Beta(a, b) quantile at ``q``, checked by a round trip and re-solved where wrong.

    The one path for Beta quantiles in the package (Clopper-Pearson and Jeffreys limits,
    posteriors): ``scipy.special.betaincinv`` is wrong in isolated places (see
    :func:`_check_beta_quantiles`).
    """
    return _check_beta_quantiles(special.betaincinv(a, b, q), a, b, q)


_quantile = beta_quantile


def _bracketed_root(function, low, high, args) -> np.ndarray:
    """Elementwise root of ``function`` in [low, high].

    When the bracket is narrower than a billionth of its upper end (huge counts, where the
    two Clopper-Pearson limits that bracket a mid-p limit coincide to double precision) and
    the root search cannot resolve it, the middle of the bracket is returned.
    """
    found = elementwise.find_root(function, (low, high), args=args, tolerances=_MIDP_TOLERANCES)
    narrow = np.abs(high - low) <= 1e-9 * np.abs(high)
    if not np.all(found.success | narrow):
        raise RuntimeError("mid-p root finding did not converge; please report this input")
    return np.where(found.success, found.x, (low + high) / 2)


def _midp_limits(x: np.ndarray, n: np.ndarray, tail: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact binomial mid-p limits with probability ``tail`` in each tail.

    Each limit is the root of the mid-p tail function, found elementwise by
    :func:`scipy.optimize.elementwise.find_root` inside a bracket of two Clopper-Pearson
    limits (the mid-p tail lies between the tails at ``x`` and ``x + 1``). At ``x = 0``
    the upper limit is ``1 - (2 * tail) ** (1 / n)`` and at ``x = n`` the lower limit is
    ``(2 * tail) ** (1 / n)``, both in closed form.
    """
    lower = np.zeros(x.shape)
    upper = np.ones(x.shape)
    inner = (x > 0) & (x < n)
    xi, ni = x[inner].astype(float), n[inner].astype(float)
    if xi.size:
        lower[inner] = _bracketed_root(
            _midp_lower_tail,
            _quantile(xi, ni - xi + 1, tail),
            _quantile(xi + 1, ni - xi, tail),
            (xi, ni, tail),
        )
        upper[inner] = _bracketed_root(
            _midp_upper_tail,
            _quantile(xi, ni - xi + 1, 1 - tail),
            _quantile(xi + 1, ni - xi, 1 - tail),
            (xi, ni, tail),
        )
    zero = x == 0
    upper[zero] = -np.expm1(np.log(2 * tail) / n[zero])
    full = x == n
    lower[full] = np.exp(np.log(2 * tail) / n[full])
    return lower, upper


def _limits(x: np.ndarray, n: np.ndarray, method: str, tail: float):
    """Equal-tailed limits with probability ``tail`` in each tail, before any clean-up.

    Clopper-Pearson and Jeffreys limits are Beta quantiles, taken from
    :func:`beta_quantile` (the one repaired path); Wilson's from statsmodels.
    """
    if method == "mid-p":
        return _midp_limits(x, n, tail)
    lower, upper = np.zeros(x.shape), np.ones(x.shape)
    if method == "wilson":
        low, high = proportion_confint(x, n, alpha=2 * tail, method="wilson")
        lower, upper = np.array(low, dtype=float), np.array(high, dtype=float)
        return lower, upper
    shift = 0.0 if method == "clopper-pearson" else 0.5
    some, short = x > 0, x < n
    xf, nf = x.astype(float), n.astype(float)
    lower[some] = beta_quantile(xf[some] + shift, nf[some] - xf[some] + 1 - shift, tail)
    upper[short] = beta_quantile(xf[short] + 1 - shift, nf[short] - xf[short] + shift, 1 - tail)
    if method == "jeffreys-modified":
        # Brown, Cai & DasGupta (2001), section 4.1.2: Clopper-Pearson limits at x = 0 and
        # x = n, and the lower (upper) limit 0 (1) at x = 1 (x = n - 1).
        zero, full = x == 0, x == n
        upper[zero] = -np.expm1(np.log(tail) / n[zero])
        lower[full] = np.exp(np.log(tail) / n[full])
        lower[(x == 1) & (n > 1)] = 0.0
        upper[(x == n - 1) & (n > 1)] = 1.0
    return lower, upper


def rate_ci(events, trials, method="clopper-pearson", conf=0.95, side="two-sided") -> pd.DataFrame:
    """Estimate rates ``events / trials`` with confidence intervals, row by row.

    Parameters
    ----------
    events, trials : int, array-like or pandas.Series
        Counts (whole numbers >= 0, ``events <= trials``, ``trials >= 1``). Scalars broadcast
        against arrays. A Series keeps its index in the result; two Series must share one.
    method : {"clopper-pearson", "mid-p", "jeffreys", "jeffreys-modified", "wilson"}
        ``"clopper-pearson"`` (default): exact, coverage never below ``conf``.
        ``"mid-p"``: exact binomial mid-p, closest to nominal on average, may dip below it.
        ``"jeffreys"``: equal-tailed Beta(x + 1/2, n - x + 1/2) quantiles.
        ``"jeffreys-modified"``: the same with the Brown, Cai & DasGupta (2001) boundary
        fixes (Clopper-Pearson limit at 0 events, lower limit 0 at 1 event).
        ``"wilson"``: the score interval. Plain Wilson and plain Jeffreys under-cover at
        0.1-0.2 expected events (see the module docstring).
    conf : float
        Confidence level, at least 0.5 and below 1, e.g. 0.95; at least 0.75 for a one-sided
        mid-p or Jeffreys bound. Lower levels are refused: the limits there need not bracket
        the estimate.
    side : {"two-sided", "upper", "lower"}
        ``"upper"`` gives a one-sided upper bound at level ``conf`` (``lower`` is then 0), e.g.
        the "rule of three" bound ``1 - 0.05 ** (1 / n)`` at 0 events; ``"lower"`` gives a
        one-sided lower bound (``upper`` is then 1).

    Returns
    -------
    pandas.DataFrame
        Columns ``events``, ``trials``, ``estimate`` (events / trials), ``lower``, ``upper``,
        ``method``, ``conf``, ``side``. ``lower`` is exactly 0 where ``events`` is 0 and
        ``upper`` is exactly 1 where ``events == trials``, whatever the method.

    Raises
    ------
    ValueError
        For a missing, negative, non-integer or non-numeric count, ``events > trials``,
        ``trials == 0`` (each naming the first offending position), or a bad ``method``,
        ``conf`` or ``side``.

    Examples
    --------
    >>> rate_ci(10, 3_147_436)[["lower", "upper"]].round(9)
            lower     upper
    0  0.000002  0.000006
    """
    checks.choice(method, METHODS, "method")
    checks.choice(side, SIDES, "side")
    conf = checks.conf_level(conf)
    if side != "two-sided" and conf < 0.75 and method in _EQUAL_TAILED_ONLY:
        raise ValueError(
            f"conf={conf!r}: a one-sided {method} bound needs a level of at least 0.75 (below "
            "it, the bound can fall on the wrong side of the estimate)"
        )
    x, n, index = checks.count_pair(events, trials)
    tail = (1 - conf) / 2 if side == "two-sided" else 1 - conf
    lower, upper = _limits(x, n, method, tail)
    lower = np.clip(lower, 0.0, 1.0)
    upper = np.clip(upper, 0.0, 1.0)
    lower[x == 0] = 0.0
    upper[x == n] = 1.0
    if side == "upper":
        lower[:] = 0.0
    elif side == "lower":
        upper[:] = 1.0
    return pd.DataFrame(
        {
            "events": x,
            "trials": n,
            "estimate": x / n,
            "lower": lower,
            "upper": upper,
            "method": method,
            "conf": conf,
            "side": side,
        },
        index=index,
    )


# --------------------------------------------------------------------------------------
# Bayesian reading
# --------------------------------------------------------------------------------------


def _check_prior(prior) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in prior)
    except (TypeError, ValueError):
        raise ValueError(f"prior={prior!r}: give two positive numbers (a, b)") from None
    if not (a > 0 and b > 0 and np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"prior={prior!r}: both Beta parameters must be positive and finite")
    return a, b


def rate_posterior(events, trials, prior=(0.5, 0.5), probs=(0.025, 0.5, 0.975)) -> pd.DataFrame:
    """Quantiles of the Beta posterior of a rate, for a Bayesian reading beside an interval.

    With a Beta(a, b) prior and ``events`` in ``trials``, the posterior is
    Beta(a + events, b + trials - events). The default prior Beta(1/2, 1/2) is Jeffreys'.

    Parameters
    ----------
    events, trials : int, array-like or pandas.Series
        Counts, checked as in :func:`rate_ci`.
    prior : tuple of two floats
        Beta prior parameters (a, b), both positive.
    probs : sequence of float
        Posterior probabilities whose quantiles are wanted, each strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``events``, ``trials``, ``prior_a``, ``prior_b``, ``posterior_mean`` and one
        column ``q<prob>`` per probability (e.g. ``q0.025``), index as in :func:`rate_ci`.
    """
    a, b = _check_prior(prior)
    probs = tuple(float(p) for p in np.atleast_1d(probs))
    if not probs or not all(0 < p < 1 for p in probs):
        raise ValueError(f"probs={probs!r}: each probability must be strictly between 0 and 1")
    x, n, index = checks.count_pair(events, trials)
    post_a, post_b = a + x, b + n - x
    table = {
        "events": x,
        "trials": n,
        "prior_a": a,
        "prior_b": b,
        "posterior_mean": post_a / (post_a + post_b),
    }
    for p in probs:
        table[f"q{p:g}"] = beta_quantile(post_a, post_b, p)
    return pd.DataFrame(table, index=index)


def prob_rate_exceeds(events, trials, value, prior=(0.5, 0.5)) -> pd.Series:
    """Posterior probability that the true rate exceeds ``value``.

    For example, the probability that the per-face false-alert rate is above NPL's
    1 in 6,000, given the observed counts and a Beta(a, b) prior.

    Parameters
    ----------
    events, trials : int, array-like or pandas.Series
        Counts, checked as in :func:`rate_ci`.
    value : float
        The rate to compare with, strictly between 0 and 1.
    prior : tuple of two floats
        Beta prior parameters (a, b).

    Returns
    -------
    pandas.Series
        ``P(rate > value | data)``, named ``prob_rate_exceeds``.
    """
    a, b = _check_prior(prior)
    if not isinstance(value, int | float | np.floating) or not 0 < float(value) < 1:
        raise ValueError(f"value={value!r}: the rate to compare with must be between 0 and 1")
    x, n, index = checks.count_pair(events, trials)
    return pd.Series(
        stats.beta.sf(float(value), a + x, b + n - x), index=index, name="prob_rate_exceeds"
    )


# --------------------------------------------------------------------------------------
# Poisson counts: rates per exposure, ratios of two rates
# --------------------------------------------------------------------------------------


def _gamma_tail_gap(x, a, q):
    """Gamma(a) probability below ``x`` minus ``q``, from the tail nearer ``q``."""
    return np.where(q <= 0.5, special.gammainc(a, x) - q, (1.0 - q) - special.gammaincc(a, x))


def gamma_quantile(a, q) -> np.ndarray:
    """Gamma(a, 1) quantile at ``q``, checked by a round trip like :func:`beta_quantile`.

    The Garwood limits of a Poisson count are Gamma quantiles; ``gammaincinv`` is checked
    by putting each quantile back through ``gammainc`` and re-solved by
    :func:`scipy.optimize.elementwise.find_root` where the probability is off by more than
    a millionth of the tail.
    """
    a, q = (np.array(v, dtype=float) for v in np.broadcast_arrays(a, q))
    values = special.gammaincinv(a, q)
    tail = np.minimum(q, 1.0 - q)
    with np.errstate(invalid="ignore"):
        gap = np.abs(special.gammainc(a, values) - q)
    bad = ~(gap <= 1e-6 * tail)
    if bad.any():
        high = a[bad] + 50.0 * np.sqrt(a[bad]) + 100.0
        found = elementwise.find_root(
            _gamma_tail_gap,
            (np.zeros(int(bad.sum())), high),
            args=(a[bad], q[bad]),
            tolerances={"xrtol": 1e-14},
        )
        if not np.all(found.success):
            raise RuntimeError("a Gamma quantile could not be found; please report this input")
        values[bad] = found.x
    return values


def poisson_ci(events, exposure=1.0, conf=0.95, side="two-sided") -> pd.DataFrame:
    """Exact (Garwood) interval for a Poisson rate ``events / exposure``, row by row.

    The limits are Gamma quantiles (``lower = G^-1(tail; x) / T``, ``upper =
    G^-1(1 - tail; x + 1) / T``), the same numbers as R's ``poisson.test(x, T)$conf.int``
    and statsmodels' ``confint_poisson(x, T, method="exact-c")``. With ``exposure`` an
    expected count E, the interval is that of the ratio O/E (an SIR, Ulm 1990).

    Parameters
    ----------
    events : int, array-like or pandas.Series
        Counts (whole numbers >= 0).
    exposure : float, array-like or pandas.Series
        Positive exposures (person-time, faces, deployments, or an expected count).
    conf : float
        Confidence level, at least 0.5 and below 1.
    side : {"two-sided", "upper", "lower"}
        As in :func:`rate_ci`: a one-sided upper bound has ``lower`` 0, a one-sided lower
        bound has ``upper`` infinite.

    Returns
    -------
    pandas.DataFrame
        Columns ``events``, ``exposure``, ``estimate``, ``lower``, ``upper``, ``method``,
        ``conf``, ``side``; ``lower`` is 0 where ``events`` is 0.
    """
    checks.choice(side, SIDES, "side")
    conf = checks.conf_level(conf)
    x, index = checks.counts(events, "events")
    t, t_index = checks.positive(exposure, "exposure")
    try:
        x, t = np.broadcast_arrays(x, t)
    except ValueError:
        raise ValueError(
            f"events (length {x.size}) and exposure (length {t.size}) have different lengths"
        ) from None
    index = index if index is not None and len(index) == x.size else t_index
    if index is None or len(index) != x.size:
        index = pd.RangeIndex(x.size)
    tail = (1 - conf) / 2 if side == "two-sided" else 1 - conf
    lower = np.zeros(x.shape)
    some = x > 0
    lower[some] = gamma_quantile(x[some].astype(float), tail) / t[some]
    upper = gamma_quantile(x.astype(float) + 1.0, 1.0 - tail) / t
    if side == "upper":
        lower[:] = 0.0
    elif side == "lower":
        upper[:] = np.inf
    return pd.DataFrame(
        {
            "events": x,
            "exposure": t,
            "estimate": x / t,
            "lower": lower,
            "upper": upper,
            "method": "exact Poisson (Garwood)",
            "conf": conf,
            "side": side,
        },
        index=index,
    )


def ratio_ci(events_1, exposure_1, events_2, exposure_2, conf=0.95) -> tuple[float, float]:
    """Exact conditional interval for the ratio of two Poisson rates (rate 1 / rate 2).

    Given the total ``x1 + x2``, ``x1`` is binomial with ``pi = r T1 / (r T1 + T2)``; the
    Clopper-Pearson limits of ``pi`` become limits of the ratio ``r`` (Silcocks 1994), as
    R's ``poisson.test(c(x1, x2), c(T1, T2))$conf.int``. When ``x2`` is 0 the upper limit
    is infinite; when ``x1`` is 0 the lower limit is 0 (one-sided statements, never a
    degenerate interval).

    Returns
    -------
    tuple of float
        ``(lower, upper)``.
    """
    x1, x2 = (int(checks.count(v, n)) for v, n in ((events_1, "events_1"), (events_2, "events_2")))
    t1, _ = checks.positive(exposure_1, "exposure_1")
    t2, _ = checks.positive(exposure_2, "exposure_2")
    total = x1 + x2
    if total == 0:
        return 0.0, float("inf")
    limits = rate_ci(x1, total, conf=conf).iloc[0]
    scale = float(t2[0]) / float(t1[0])
    low, high = float(limits["lower"]), float(limits["upper"])
    lower = low / (1 - low) * scale if low < 1 else float("inf")
    upper = high / (1 - high) * scale if high < 1 else float("inf")
    return lower, upper


# --------------------------------------------------------------------------------------
# shares of several categories, and the difference of two proportions
# --------------------------------------------------------------------------------------

#: Simultaneous interval methods accepted by :func:`multinomial_ci`, each in words (the label
#: a chart prints).
SHARE_METHODS = {
    "bonferroni-cp": "Bonferroni-adjusted Clopper-Pearson (simultaneous)",
    "goodman": "Goodman (1965) simultaneous",
}

#: The default of :func:`multinomial_ci`: Bonferroni-adjusted Clopper-Pearson, whose exact
#: simultaneous coverage never falls below the level (each share's interval covers with
#: probability at least ``1 - (1 - conf) / k``). Goodman's falls to 91.3% at 12 arrests in
#: 8 categories (tests/test_shares.py enumerates the coverage of both).
DEFAULT_SHARE_METHOD = "bonferroni-cp"


def multinomial_ci(counts, conf=0.95, method=DEFAULT_SHARE_METHOD) -> np.ndarray:
    """Simultaneous intervals for the shares of exclusive, complete categories.

    Parameters
    ----------
    counts : array-like
        One count per category (at least two categories).
    conf : float
        Simultaneous confidence level: all ``k`` intervals hold their shares together with
        probability at least ``conf`` (exactly so for ``"bonferroni-cp"``).
    method : {"bonferroni-cp", "goodman"}
        ``"bonferroni-cp"`` (default): each share's Clopper-Pearson interval at level
        ``1 - (1 - conf) / k``, through :func:`rate_ci`. Its coverage never falls below
        ``conf`` (Bonferroni's inequality with exact intervals), at the price of some
        width. ``"goodman"``: Goodman (1965), via
        ``statsmodels.stats.proportion.multinomial_proportions_confint``, clipped to
        [0, 1]; asymptotic, and below its level at small counts (91.3% at 12 arrests in
        8 categories), so use it only for comparison. :data:`SHARE_METHODS` names both in
        words.

    Returns
    -------
    numpy.ndarray
        Shape ``(k, 2)``: lower and upper limit per category.
    """
    checks.choice(method, tuple(SHARE_METHODS), "method")
    conf = checks.conf_level(conf)
    values = checks.count(counts, "counts")
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"counts: give one count per category, at least two; got {values!r}")
    if values.sum() == 0:
        raise ValueError("counts: all counts are 0, so there are no shares")
    if method == "goodman":
        limits = multinomial_proportions_confint(values, alpha=1 - conf, method=method)
        return np.clip(limits, 0.0, 1.0)
    level = 1 - (1 - conf) / values.size
    limits = rate_ci(values, int(values.sum()), conf=level)
    return limits[["lower", "upper"]].to_numpy()


# --------------------------------------------------------------------------------------
# a pooled rate allowing for spread between units
# --------------------------------------------------------------------------------------


def quasi_binomial_ci(events, trials, conf=0.95) -> pd.Series:
    """Interval for a pooled rate that allows for spread between units (quasi-binomial).

    The exact interval of the pooled rate (:func:`rate_ci` on the summed counts) assumes
    every unit (deployment) shares one rate. When units differ more than that allows, the
    quasi-binomial model keeps the same estimate, ``sum(events) / sum(trials)``, and widens
    its standard error by the Pearson dispersion

        phi = X^2 / (k - 1),  X^2 = sum((x_i - n_i p)^2 / (n_i p (1 - p))),

    over the ``k`` units; the interval is Wald on the logit scale,
    ``expit(logit(p) +/- z sqrt(phi / (N p (1 - p))))``, the interval of R's
    ``glm(cbind(x, n - x) ~ 1, family = quasibinomial)``. ``phi`` is floored at 1, so the
    interval never claims less spread than the binomial. For rare events (false alerts per
    face) it is the quasi-Poisson interval to many digits.

    Why this one: it keeps the pooled estimate that the exact interval is about (a
    negative binomial fit weights small deployments more and estimates a different
    average), it needs no random numbers, and it can be checked against R's ``glm``. A
    deployment-level bootstrap sees only the spread the sample happens to show, which with
    a few dozen events rests on a handful of deployments.

    Parameters
    ----------
    events, trials : array-like
        One count per unit (``trials >= 1``, ``events <= trials``), at least two units.
    conf : float

    Returns
    -------
    pandas.Series
        ``estimate``, ``lower``, ``upper``, ``dispersion`` (phi before flooring),
        ``n_units``, ``conf``, ``method``. Without events the interval is undefined
        (NaN limits): use the exact upper bound.
    """
    conf = checks.conf_level(conf)
    x, n, _ = checks.count_pair(events, trials)
    if x.size < 2:
        raise ValueError(f"events: need at least two units to measure spread, got {x.size}")
    xf = x.astype(float)
    limits = quasi_binomial_limits(xf.sum(), n.sum(), np.sum(xf**2 / n), x.size, conf)
    return pd.Series(
        {
            "estimate": x.sum() / n.sum(),
            "lower": float(limits["lower"][0]),
            "upper": float(limits["upper"][0]),
            "dispersion": float(limits["dispersion"][0]),
            "n_units": int(x.size),
            "conf": conf,
            "method": "quasi-binomial (Pearson dispersion, Wald on the logit scale)",
        }
    )


def quasi_binomial_limits(events, trials, sum_sq, n_units, conf=0.95) -> dict:
    """The limits of :func:`quasi_binomial_ci` from group sums, for many groups at once.

    Parameters
    ----------
    events, trials : array-like
        Group totals ``sum(x_i)`` and ``sum(n_i)``.
    sum_sq : array-like
        ``sum(x_i ** 2 / n_i)`` over the group's units (all with ``n_i >= 1``); the Pearson
        statistic is then ``(sum_sq - p * events) / (p * (1 - p))``.
    n_units : array-like
        Units per group; a group with fewer than two, or with no events (or only events),
        gets NaN limits.
    conf : float

    Returns
    -------
    dict of numpy.ndarray
        ``lower``, ``upper`` and ``dispersion`` (phi before flooring at 1).
    """
    conf = checks.conf_level(conf)
    x, n, s, k = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float)) for v in (events, trials, sum_sq, n_units))
    )
    ok = (k >= 2) & (x > 0) & (x < n)
    lower, upper, phi = (np.full(x.shape, np.nan) for _ in range(3))
    p = x[ok] / n[ok]
    phi[ok] = (s[ok] - p * x[ok]) / (p * (1 - p)) / (k[ok] - 1)
    z = stats.norm.ppf(0.5 + conf / 2)
    se = np.sqrt(np.maximum(phi[ok], 1.0) / (n[ok] * p * (1 - p)))
    lower[ok] = special.expit(special.logit(p) - z * se)
    upper[ok] = special.expit(special.logit(p) + z * se)
    return {"lower": lower, "upper": upper, "dispersion": phi}


def quasi_poisson_ci(events, exposure, conf=0.95) -> pd.Series:
    """Interval for a pooled Poisson rate that allows for spread between units (quasi-Poisson).

    The counterpart of :func:`quasi_binomial_ci` for counts without a ceiling (arrests per
    deployment): estimate ``sum(x_i) / sum(t_i)``, Pearson dispersion ``phi = X^2 / (k -
    1)`` with ``X^2 = sum((x_i - t_i r)^2 / (t_i r))``, floored at 1, and the Wald
    interval on the log scale, ``r exp(+/- z sqrt(phi / sum(x_i)))``: R's
    ``glm(x ~ 1, offset = log(t), family = quasipoisson())``.

    Parameters
    ----------
    events : array-like
        One count per unit (whole numbers >= 0), at least two units.
    exposure : float or array-like
        Each unit's exposure (above 0); 1 per deployment for a rate per deployment.
    conf : float

    Returns
    -------
    pandas.Series
        ``estimate``, ``lower``, ``upper``, ``dispersion`` (phi before flooring),
        ``n_units``, ``conf``, ``method``; NaN limits without events.
    """
    conf = checks.conf_level(conf)
    x, _ = checks.counts(events, "events")
    t, _ = checks.positive(exposure, "exposure")
    try:
        x, t = np.broadcast_arrays(x.astype(float), t)
    except ValueError:
        raise ValueError(
            f"events (length {x.size}) and exposure (length {t.size}) differ"
        ) from None
    if x.size < 2:
        raise ValueError(f"events: need at least two units to measure spread, got {x.size}")
    total = x.sum()
    rate = total / t.sum()
    lower = upper = phi = float("nan")
    if total > 0:
        fitted = t * rate
        phi = float(np.sum((x - fitted) ** 2 / fitted) / (x.size - 1))
        half = stats.norm.ppf(0.5 + conf / 2) * np.sqrt(max(phi, 1.0) / total)
        lower, upper = float(rate * np.exp(-half)), float(rate * np.exp(half))
    return pd.Series(
        {
            "estimate": float(rate),
            "lower": lower,
            "upper": upper,
            "dispersion": phi,
            "n_units": int(x.size),
            "conf": conf,
            "method": "quasi-Poisson (Pearson dispersion, Wald on the log scale)",
        }
    )


def difference_ci(events_1, trials_1, events_2, trials_2, conf=0.95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for the difference of two proportions (1 - 2).

    Through ``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``.

    Returns
    -------
    tuple of float
        ``(lower, upper)``.
    """
    conf = checks.conf_level(conf)
    (x1, x2), (n1, n2) = checks.count_pair([events_1, events_2], [trials_1, trials_2])[:2]
    low, high = confint_proportions_2indep(
        int(x1), int(n1), int(x2), int(n2), method="newcomb", compare="diff", alpha=1 - conf
    )
    return float(low), float(high)
