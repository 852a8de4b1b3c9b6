"""False-alert rates with honest uncertainty.

A false alert is a rare event: a few per million faces scanned, a few per thousand alerts.
This module turns counts into rates with confidence intervals that hold at those rates, and
says which denominator each rate uses:

* **per face** (``per="face"``): false alerts / faces seen, the Met's "1 in 33,000" framing.
  "Faces seen" counts face detections, not distinct people.
* **per alert** (``per="alert"``): false alerts / alerts, the critics' framing; its
  complement is the precision of an alert.

Functions
---------
:func:`rate_ci`
    One interval per row, vectorised, four methods (plus the Brown et al. modified Jeffreys).
:func:`false_alert_rates`
    Pooled rates (sum the counts, then estimate) per group of deployments.
:func:`rate_posterior`, :func:`prob_rate_exceeds`
    The Bayesian reading: Beta posterior quantiles and tail probabilities.
:func:`compare_reported_rates`
    Each deployment's printed rate beside the rate its counts give, at the printed precision.
:func:`heterogeneity` (with :func:`conditional_mc_test`)
    Is the per-face rate the same in every deployment? A conditional Monte-Carlo test plus
    a negative binomial dispersion estimate, with a verdict in plain words.
:func:`forest_plot`
    Pooled rates and their intervals, one row per group.

Where scipy or statsmodels is wrong for these inputs, the module says so and works around it:
statsmodels' Jeffreys and Wilson lower limits are set to 0 at zero events; Beta quantiles
(behind the Clopper-Pearson and Jeffreys limits) are checked by a round trip, because
``scipy.special.betaincinv`` is wrong in isolated places; the mid-p interval is computed here
because statsmodels' ``confint_poisson(method="midp-c")`` is scalar, degenerate at 0 and
inaccurate at tiny rates.

The choice of methods follows ``STATISTICAL_METHODS.md`` (sections 2.1, 2.4 and 3.3 of the
project's statistical guide): Clopper-Pearson is the default because its coverage never
falls below the nominal level; mid-p is the "closest to nominal" alternative; plain Wilson
and plain Jeffreys have coverage holes near 0.84 and 0.90 at 0.1-0.2 expected events, the
regime of a single deployment, so use them only for comparison.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.optimize import elementwise
from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson
from statsmodels.stats.proportion import proportion_confint

#: Interval methods accepted by :func:`rate_ci`.
METHODS = ("clopper-pearson", "mid-p", "jeffreys", "jeffreys-modified", "wilson")

#: ``side`` values accepted by :func:`rate_ci`.
SIDES = ("two-sided", "upper", "lower")

#: Denominators accepted by :func:`false_alert_rates`.
PER = {"face": "faces_seen", "alert": "alerts"}

#: Below this many false alerts in total, :func:`heterogeneity` warns that it has little power.
FEW_EVENTS = 50

#: Largest count accepted (far beyond any count of faces): above it, float arithmetic in the
#: interval functions is no longer exact enough to be trusted.
MAX_COUNT = 10**15

_STATSMODELS_METHOD = {"clopper-pearson": "beta", "wilson": "wilson", "jeffreys": "jeffreys"}
_MIDP_TOLERANCES = {"xrtol": 1e-12}

#: Methods whose one-sided bound below conf = 0.75 can fall on the wrong side of the estimate
#: (mid-p at 2 in 3 with conf 0.5 gives an upper bound of 0.65).
_EQUAL_TAILED_ONLY = ("mid-p", "jeffreys", "jeffreys-modified")


# --------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------


def _position(index: pd.Index | None, i: int) -> str:
    """Describe element ``i`` for an error message (position and, for a Series, label)."""
    if index is None:
        return f"position {i}"
    return f"position {i} (index label {index[i]!r})"


def _as_counts(values, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Return ``values`` as a 1-d int64 array (and its index if it was a Series).

    Raises ValueError naming the first position that is missing, not a number, negative or
    not a whole number.
    """
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, pd.Series | pd.Index) and pd.api.types.is_bool_dtype(values):
        raise ValueError(f"{name} must be counts, got booleans (dtype {values.dtype})")
    if isinstance(values, pd.Series | pd.Index) and pd.api.types.is_numeric_dtype(values):
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
    else:
        # lists, tuples and object Series are read element by element, so that a boolean or a
        # string is refused rather than silently converted to a number
        exact = isinstance(values, np.ndarray | np.generic | int | float)
        raw = np.atleast_1d(np.asarray(values, dtype=None if exact else object))
        if raw.ndim != 1:
            raise ValueError(f"{name} must be a scalar or one-dimensional, got shape {raw.shape}")
        if raw.dtype.kind not in "iuf":
            raw = np.array([_as_number(v, name, _position(index, i)) for i, v in enumerate(raw)])
        floats = raw.astype("float64")
    checks = (
        (np.isnan(floats), "is missing"),
        (~np.isfinite(floats) & ~np.isnan(floats), "is not finite"),
        (floats < 0, "is negative"),
        (np.isfinite(floats) & (floats != np.floor(floats)), "is not a whole number"),
        (np.isfinite(floats) & (floats > MAX_COUNT), "is too large (above 1e15)"),
    )
    for bad, message in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            value = floats[i]
            raise ValueError(
                f"{name} at {_position(index, i)} {message} (value {value:g}); "
                f"{int(bad.sum())} such value(s) in all"
            )
    return floats.astype(np.int64), index


def _as_number(value, name: str, where: str) -> float:
    """Return one element as a float (NaN when missing) or raise naming its position."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise ValueError(f"{name} at {where} is {value!r}: not a number")
    return float(value)


def _check_choice(value, allowed, name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}")


def _check_conf(conf) -> float:
    """Accept confidence levels in [0.5, 1).

    Below 0.5 an equal-tailed interval (Jeffreys, mid-p) need not contain the estimate,
    and no one reports such a level, so it is refused rather than returned.
    """
    if (
        isinstance(conf, bool)
        or not isinstance(conf, int | float | np.floating)
        or not 0.5 <= float(conf) < 1
    ):
        raise ValueError(f"conf={conf!r}: the confidence level must be at least 0.5 and below 1")
    return float(conf)


def _broadcast_counts(events, trials) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Check and broadcast ``events`` and ``trials``; return them with the output index."""
    x, x_index = _as_counts(events, "events")
    n, n_index = _as_counts(trials, "trials")
    if x_index is not None and n_index is not None and not x_index.equals(n_index):
        raise ValueError("events and trials are Series with different indexes; align them first")
    try:
        x, n = np.broadcast_arrays(x, n)
    except ValueError:
        raise ValueError(
            f"events (length {x.size}) and trials (length {n.size}) have different lengths"
        ) from None
    index = x_index if x_index is not None else n_index
    if index is not None and len(index) != x.size:
        index = None
    zero = n == 0
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise ValueError(f"trials at {_position(index, i)} is 0: a rate needs at least one trial")
    over = x > n
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise ValueError(
            f"events at {_position(index, i)} ({x[i]}) exceed trials ({n[i]}); "
            f"{int(over.sum())} such row(s) in all"
        )
    return x.copy(), n.copy(), index if index is not None else pd.RangeIndex(x.size)


# --------------------------------------------------------------------------------------
# intervals
# --------------------------------------------------------------------------------------


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


def _quantile(a, b, q):
    """Checked Beta(a, b) quantile at ``q`` (see :func:`_check_beta_quantiles`)."""
    return _check_beta_quantiles(special.betaincinv(a, b, q), a, b, q)


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
    """Equal-tailed limits with probability ``tail`` in each tail, before any clean-up."""
    if method == "mid-p":
        return _midp_limits(x, n, tail)
    base = "jeffreys" if method == "jeffreys-modified" else method
    lower, upper = proportion_confint(x, n, alpha=2 * tail, method=_STATSMODELS_METHOD[base])
    lower = np.asarray(lower, dtype=float).copy()
    upper = np.asarray(upper, dtype=float).copy()
    if base in ("clopper-pearson", "jeffreys"):
        shift = 0.0 if base == "clopper-pearson" else 0.5
        low, high = x > 0, x < n
        lower[low] = _check_beta_quantiles(
            lower[low], x[low] + shift, n[low] - x[low] + 1 - shift, tail
        )
        upper[high] = _check_beta_quantiles(
            upper[high], x[high] + 1 - shift, n[high] - x[high] + shift, 1 - tail
        )
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
    _check_choice(method, METHODS, "method")
    _check_choice(side, SIDES, "side")
    conf = _check_conf(conf)
    if side != "two-sided" and conf < 0.75 and method in _EQUAL_TAILED_ONLY:
        raise ValueError(
            f"conf={conf!r}: a one-sided {method} bound needs a level of at least 0.75 (below "
            "it, the bound can fall on the wrong side of the estimate)"
        )
    x, n, index = _broadcast_counts(events, trials)
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
    x, n, index = _broadcast_counts(events, trials)
    post_a, post_b = a + x, b + n - x
    table = {
        "events": x,
        "trials": n,
        "prior_a": a,
        "prior_b": b,
        "posterior_mean": post_a / (post_a + post_b),
    }
    for p in probs:
        table[f"q{p:g}"] = stats.beta.ppf(p, post_a, post_b)
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
    x, n, index = _broadcast_counts(events, trials)
    return pd.Series(
        stats.beta.sf(float(value), a + x, b + n - x), index=index, name="prob_rate_exceeds"
    )


# --------------------------------------------------------------------------------------
# pooled rates per group of deployments
# --------------------------------------------------------------------------------------


def _require_columns(deployments: pd.DataFrame, columns) -> None:
    if not isinstance(deployments, pd.DataFrame):
        raise ValueError(f"deployments must be a pandas DataFrame, got {type(deployments)}")
    missing = [c for c in columns if c not in deployments.columns]
    if missing:
        raise ValueError(f"deployments has no column(s) {missing}")


def _row_label(deployments: pd.DataFrame, i: int) -> str:
    label = f"row {i} (index {deployments.index[i]!r})"
    if "deployment_id" in deployments.columns:
        label += f", deployment_id {deployments['deployment_id'].iloc[i]!r}"
    return label


def _counts_column(deployments: pd.DataFrame, column: str) -> np.ndarray:
    """Return a count column as float64 with NaN for missing, after checking its values."""
    values = deployments[column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise ValueError(f"column {column!r} must hold numeric counts, got dtype {values.dtype}")
    floats = values.to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(floats)
    bad = known & ((floats < 0) | (floats != np.floor(floats)) | ~np.isfinite(floats))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"column {column!r}, {_row_label(deployments, i)}: value {floats[i]:g} "
            "is not a count (a whole number >= 0)"
        )
    return floats


def _group_keys(deployments: pd.DataFrame, by, date: str) -> tuple[pd.DataFrame, list[str]]:
    """Return a frame of grouping columns (adding ``year``/``month`` from ``date``)."""
    if by is None:
        return pd.DataFrame(index=deployments.index), []
    names = [by] if isinstance(by, str) else list(by)
    if not names:
        raise ValueError("by: give a column name, a list of column names, or None")
    keys = {}
    for name in names:
        if name in deployments.columns:
            keys[name] = deployments[name]
        elif name in ("year", "month"):
            _require_columns(deployments, [date])
            stamps = pd.to_datetime(deployments[date])
            keys[name] = stamps.dt.year if name == "year" else stamps.dt.to_period("M")
        else:
            raise ValueError(f"by: deployments has no column {name!r} (nor can it be derived)")
    return pd.DataFrame(keys, index=deployments.index), names


def false_alert_rates(
    deployments: pd.DataFrame,
    by=None,
    per: str = "face",
    method: str = "clopper-pearson",
    conf: float = 0.95,
    *,
    missing: str = "exclude",
    faces: str = "faces_seen",
    alerts: str = "alerts",
    false_alerts: str = "false_alerts",
    date: str = "date",
) -> pd.DataFrame:
    """Pooled false-alert rates with intervals, overall or per group of deployments.

    Within each group the counts are summed first and the rate estimated from the sums
    (pooling, not averaging per-deployment rates).

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment, with count columns ``faces``, ``alerts`` and
        ``false_alerts`` (pandas ``Int64`` with ``<NA>`` for unknown is expected). Only the
        denominator and ``false_alerts`` are required; a missing other count column gives
        ``<NA>`` sums.
    by : str, list of str or None
        Grouping: ``None`` gives one pooled row for all deployments; a column name (e.g.
        ``"threshold"``, ``"source_type"``, ``"deployment_id"`` for one row per deployment),
        ``"year"`` or ``"month"`` (derived from ``date`` unless such a column exists), or a
        list of these. Rows whose group value is missing form their own group (shown as
        ``NaN``/``<NA>``), never dropped.
    per : {"face", "alert"}
        Denominator: faces seen (false alerts per face detection) or alerts (share of alerts
        that were false; the precision ``1 - rate`` is added).
    method, conf : see :func:`rate_ci`.
    missing : {"exclude", "raise"}
        How to treat a row whose denominator or ``false_alerts`` is unknown. ``"exclude"``
        (default) leaves it out of the pooled sums and counts it in the ``n_excluded``
        column of its group, so nothing is lost silently; ``"raise"`` raises ValueError
        naming the rows.
    faces, alerts, false_alerts, date : str
        Column names, for inputs that use other names.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, then ``n_deployments`` (rows used),
        ``n_excluded`` (rows left out for a missing count), ``faces_seen``, ``alerts``,
        ``false_alerts`` (sums over the rows used; the non-denominator sum is ``<NA>`` if any
        used row lacks it), ``per``, ``rate``, ``lower``, ``upper``, ``one_in`` (1 / rate),
        ``one_in_lower`` (1 / upper), ``one_in_upper`` (1 / lower, ``inf`` when lower is 0),
        ``zero_events``, ``method``, ``conf``; with ``per="alert"`` also ``precision``,
        ``precision_lower``, ``precision_upper``. A group with no usable row has ``<NA>``
        counts and ``NaN`` rates.

    Raises
    ------
    ValueError
        For a missing column, a count that is negative or not whole, a row with more false
        alerts than its denominator (naming the row and its ``deployment_id``), bad
        arguments, or any excluded row when ``missing="raise"``.
    """
    _check_choice(per, tuple(PER), "per")
    _check_choice(missing, ("exclude", "raise"), "missing")
    _check_choice(method, METHODS, "method")
    conf = _check_conf(conf)
    sources = {"faces_seen": faces, "alerts": alerts, "false_alerts": false_alerts}
    denominator = PER[per]
    _require_columns(deployments, [sources[denominator], false_alerts])
    counts = {
        key: (
            _counts_column(deployments, column)
            if column in deployments.columns
            else np.full(len(deployments), np.nan)
        )
        for key, column in sources.items()
    }
    usable = ~np.isnan(counts[denominator]) & ~np.isnan(counts["false_alerts"])
    too_many = usable & (counts["false_alerts"] > counts[denominator])
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        raise ValueError(
            f"{_row_label(deployments, i)}: false alerts ({counts['false_alerts'][i]:.0f}) "
            f"exceed {denominator} ({counts[denominator][i]:.0f}); "
            f"{int(too_many.sum())} such row(s) in all"
        )
    if missing == "raise" and not usable.all():
        rows = [_row_label(deployments, int(i)) for i in np.flatnonzero(~usable)[:5]]
        raise ValueError(
            f"{int((~usable).sum())} row(s) lack {denominator} or false_alerts, e.g. "
            + "; ".join(rows)
        )
    keys, names = _group_keys(deployments, by, date)
    table = _pooled_sums(keys, names, counts, usable)
    return _add_rates(table, per, method, conf)


def _pooled_sums(keys: pd.DataFrame, names: list[str], counts: dict, usable) -> pd.DataFrame:
    """Sum the counts of usable rows within each group."""
    work = keys.copy()
    work["_used"] = usable.astype(np.int64)
    work["_excluded"] = (~usable).astype(np.int64)
    for column, values in counts.items():
        work[column] = np.where(usable, values, 0.0)
        work[f"_unknown_{column}"] = (usable & np.isnan(values)).astype(np.int64)
    aggregate = {c: "sum" for c in work.columns if c not in names}
    if names:
        sums = work.groupby(names, dropna=False, sort=True, observed=True).agg(aggregate)
        sums = sums.reset_index()
    else:
        sums = work[list(aggregate)].sum().to_frame().T
    out = sums[names].copy() if names else pd.DataFrame(index=sums.index)
    out["n_deployments"] = sums["_used"].astype("Int64")
    out["n_excluded"] = sums["_excluded"].astype("Int64")
    for column in counts:
        total = pd.array(sums[column].round().astype(np.int64), dtype="Int64")
        unknown = (sums[f"_unknown_{column}"] > 0) | (sums["_used"] == 0)
        out[column] = total
        out.loc[unknown.to_numpy(), column] = pd.NA
    return out


def _add_rates(table: pd.DataFrame, per: str, method: str, conf: float) -> pd.DataFrame:
    """Add the rate, interval and 1-in-N columns to a table of pooled sums."""
    denominator = PER[per]
    trials = table[denominator]
    ok = (trials.notna() & (trials > 0)).to_numpy(dtype=bool)
    rate = np.full(len(table), np.nan)
    lower, upper = rate.copy(), rate.copy()
    if ok.any():
        ci = rate_ci(
            table.loc[ok, "false_alerts"].to_numpy(dtype=np.int64),
            trials[ok].to_numpy(dtype=np.int64),
            method=method,
            conf=conf,
        )
        rate[ok], lower[ok], upper[ok] = ci["estimate"], ci["lower"], ci["upper"]
    table["per"] = per
    table["rate"], table["lower"], table["upper"] = rate, lower, upper
    with np.errstate(divide="ignore"):
        table["one_in"] = 1.0 / rate
        table["one_in_lower"] = 1.0 / upper
        table["one_in_upper"] = 1.0 / lower
    table["zero_events"] = pd.array(table["false_alerts"] == 0, dtype="boolean")
    table["method"] = method
    table["conf"] = conf
    if per == "alert":
        table["precision"] = 1.0 - rate
        table["precision_lower"] = 1.0 - upper
        table["precision_upper"] = 1.0 - lower
    return table


# --------------------------------------------------------------------------------------
# rates as printed in the source beside the recomputed ones
# --------------------------------------------------------------------------------------

_PRINTED_PERCENT = re.compile(r"^\s*(\d+)(?:\.(\d+))?\s*%\s*$")
_NOT_PRINTED = ("", "n/a", "na")


def _parse_percent(text) -> tuple[float, float]:
    """Return (value, step) in percent for a printed rate such as ``"0.008%"``.

    ``step`` is one unit in the last printed place (0.001 for ``"0.008%"``, 1 for ``"0%"``).
    Blank or ``N/A`` gives ``(nan, nan)``. Anything else raises ValueError.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return np.nan, np.nan
    if str(text).strip().lower() in _NOT_PRINTED:
        return np.nan, np.nan
    match = _PRINTED_PERCENT.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a printed percentage such as '0.008%'")
    decimals = match.group(2) or ""
    value = float(f"{match.group(1)}.{decimals}" if decimals else match.group(1))
    return value, 10.0 ** -len(decimals)


def compare_reported_rates(
    deployments: pd.DataFrame,
    method: str = "clopper-pearson",
    conf: float = 0.95,
    *,
    reported: str = "false_alert_rate_reported",
    faces: str = "faces_seen",
    false_alerts: str = "false_alerts",
) -> pd.DataFrame:
    """Set each deployment's printed false-alert rate beside the rate its counts give.

    The Met's records print a per-face false-alert rate in percent (e.g. ``"0.008%"``).
    Each printed value is compared with ``100 * false_alerts / faces_seen`` at the printed
    precision: ``"rounded"`` when the recomputed value rounds to the printed one,
    ``"truncated"`` when it only agrees after cutting off the later digits, ``"differs"``
    otherwise; ``"not printed"`` when the source prints nothing or N/A, ``"no counts"`` when
    a count is unknown. A bare ``"0%"`` agrees with any rate below 0.5% under this rule.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with the printed rate and the two counts.
    method, conf : see :func:`rate_ci`.
    reported, faces, false_alerts : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index as ``deployments``; columns ``deployment_id`` (when present), ``faces_seen``,
        ``false_alerts``, ``reported`` (as printed), ``reported_percent``,
        ``recomputed_percent``, ``lower_percent``, ``upper_percent`` (interval of the rate
        from the counts, in percent), ``agreement`` and ``reported_in_interval``.

    Raises
    ------
    ValueError
        For a printed value that is not a percentage (naming the row), or bad counts.
    """
    _check_choice(method, METHODS, "method")
    conf = _check_conf(conf)
    _require_columns(deployments, [reported, faces, false_alerts])
    n = _counts_column(deployments, faces)
    x = _counts_column(deployments, false_alerts)
    printed = np.full(len(deployments), np.nan)
    step = printed.copy()
    for i, text in enumerate(deployments[reported].to_list()):
        try:
            printed[i], step[i] = _parse_percent(text)
        except ValueError as error:
            where = _row_label(deployments, i)
            raise ValueError(f"column {reported!r}, {where}: {error}") from None
    known = ~np.isnan(n) & ~np.isnan(x) & (np.nan_to_num(n) > 0)
    lower, upper, recomputed = (np.full(len(deployments), np.nan) for _ in range(3))
    if known.any():
        ci = rate_ci(x[known].astype(np.int64), n[known].astype(np.int64), method, conf)
        recomputed[known] = 100 * ci["estimate"].to_numpy()
        lower[known] = 100 * ci["lower"].to_numpy()
        upper[known] = 100 * ci["upper"].to_numpy()
    slack = 1e-9 * np.maximum(step, 1e-12)
    rounded = np.abs(recomputed - printed) <= step / 2 + slack
    truncated = (recomputed >= printed - slack) & (recomputed < printed + step - slack)
    agreement = np.select(
        [np.isnan(printed), ~known, rounded, truncated],
        ["not printed", "no counts", "rounded", "truncated"],
        default="differs",
    )
    out = pd.DataFrame(index=deployments.index)
    if "deployment_id" in deployments.columns:
        out["deployment_id"] = deployments["deployment_id"]
    out["faces_seen"] = deployments[faces]
    out["false_alerts"] = deployments[false_alerts]
    out["reported"] = deployments[reported]
    out["reported_percent"] = printed
    out["recomputed_percent"] = recomputed
    out["lower_percent"] = lower
    out["upper_percent"] = upper
    out["agreement"] = agreement
    inside = (printed >= lower) & (printed <= upper)
    out["reported_in_interval"] = pd.array(
        np.where(np.isnan(printed) | ~known, None, inside), dtype="boolean"
    )
    return out


# --------------------------------------------------------------------------------------
# heterogeneity between deployments
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeterogeneityResult:
    """Outcome of :func:`heterogeneity`; ``verdict`` says it in plain words.

    Attributes
    ----------
    n_deployments : int
        Deployments used (known faces and false alerts, faces > 0).
    n_excluded : int
        Deployments left out (unknown faces or false alerts, or no faces seen).
    false_alerts, faces_seen : int
        Totals over the deployments used.
    pooled_rate : float
        ``false_alerts / faces_seen``.
    statistic : float
        Pearson X^2 of the observed counts against expected counts under one common rate.
    p_value : float
        Conditional Monte-Carlo p-value: the share of ``n_sim`` multinomial redraws of the
        same total (allocated in proportion to faces seen) with X^2 at least as large,
        counted as ``(1 + hits) / (1 + n_sim)``.
    n_sim : int
        Number of Monte-Carlo redraws.
    dean_z, dean_p : float
        Dean's score statistic for NB2-type overdispersion (statsmodels' "Dean B") and its
        one-sided p-value (overdispersion direction).
    nb_alpha : float
        Negative binomial (NB2) dispersion: variance = mu + alpha * mu^2; 0 means Poisson.
    nb_alpha_lower, nb_alpha_upper : float
        Wald interval for alpha at level ``conf`` (lower clipped at 0); the upper limit is
        NaN when statsmodels cannot give a standard error (alpha at its boundary, 0).
    nb_lr_p : float
        Likelihood-ratio p-value of NB2 against Poisson with the boundary correction
        (half a chi-square with one degree of freedom).
    nb_converged : bool
        Whether the NB2 fit converged; when False, read the alpha columns with suspicion.
    few_events : bool
        True when fewer than :data:`FEW_EVENTS` false alerts were observed in total.
    verdict : str
        The answer in plain words.
    """

    n_deployments: int
    n_excluded: int
    false_alerts: int
    faces_seen: int
    pooled_rate: float
    statistic: float
    p_value: float
    n_sim: int
    dean_z: float
    dean_p: float
    nb_alpha: float
    nb_alpha_lower: float
    nb_alpha_upper: float
    nb_lr_p: float
    nb_converged: bool
    few_events: bool
    verdict: str

    def to_frame(self) -> pd.DataFrame:
        """Return the result as a one-column table (one row per attribute)."""
        return pd.Series(asdict(self), name="value").to_frame()


def conditional_mc_test(
    events: np.ndarray, exposure: np.ndarray, n_sim: int, rng: np.random.Generator
) -> tuple[float, float]:
    """Conditional Monte-Carlo test that every unit has the same Poisson rate.

    Given the total ``T = sum(events)``, under a common rate the counts are
    Multinomial(T, exposure / sum(exposure)). The statistic is Pearson's
    ``X^2 = sum((events - E)^2 / E)`` with ``E = T * exposure / sum(exposure)``; the p-value
    is ``(1 + #{X^2_sim >= X^2_obs}) / (1 + n_sim)``, which holds its level however few the
    events (unlike the chi-square approximation).

    Parameters
    ----------
    events : numpy.ndarray
        Counts per unit (whole numbers >= 0).
    exposure : numpy.ndarray
        Exposure per unit (> 0), e.g. faces seen.
    n_sim : int
        Number of redraws.
    rng : numpy.random.Generator
        Source of randomness (pass a seeded Generator for reproducible results).

    Returns
    -------
    tuple of float
        ``(statistic, p_value)``; ``(0.0, 1.0)`` when there are no events.
    """
    events = np.asarray(events, dtype=np.int64)
    exposure = np.asarray(exposure, dtype=float)
    total = int(events.sum())
    if total == 0:
        return 0.0, 1.0
    share = exposure / exposure.sum()
    expected = total * share
    observed = float(np.sum(events.astype(float) ** 2 / expected) - total)
    hits = 0
    chunk = max(1, min(n_sim, 2_000_000 // max(events.size, 1)))
    done = 0
    while done < n_sim:
        size = min(chunk, n_sim - done)
        draws = rng.multinomial(total, share, size=size)
        simulated = np.sum(draws.astype(float) ** 2 / expected, axis=1) - total
        # compare with a small relative tolerance so that ties are counted as ties
        hits += int(np.sum(simulated >= observed * (1 - 1e-12)))
        done += size
    return observed, (1 + hits) / (1 + n_sim)


def _fit_negative_binomial(y: np.ndarray, exog: np.ndarray, exposure: np.ndarray, start):
    """Fit NB2 from ``start``: Newton first, Nelder-Mead when Newton fails (alpha near 0)."""
    model = NegativeBinomial(y, exog, exposure=exposure, loglike_method="nb2")
    fit = model.fit(start_params=start, method="newton", disp=0, maxiter=200)
    if not (fit.mle_retvals.get("converged", False) and np.all(np.isfinite(fit.params))):
        fit = model.fit(start_params=start, method="nm", disp=0, maxiter=5_000)
    return fit


def _dispersion_models(y: np.ndarray, exposure: np.ndarray, conf: float) -> dict:
    """Dean's score test and an NB2 fit with exposure (statsmodels), warnings captured.

    The NB2 fit starts from the Poisson fit and ``alpha = 0.5``; statsmodels' default start
    can run off to absurd values (alpha ~ 1e265) on these sparse counts. Everything that
    statsmodels computes lazily (standard errors, log-likelihoods) is read inside the
    ``catch_warnings`` block, so its overflow warnings at the alpha = 0 boundary stay here.
    """
    exog = np.ones((y.size, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        poisson = Poisson(y, exog, exposure=exposure).fit(disp=0)
        dispersion = poisson.get_diagnostic().test_dispersion()
        dean_z = float(dispersion.statistic[list(dispersion.method).index("Dean B")])
        nb = _fit_negative_binomial(y, exog, exposure, np.r_[poisson.params, 0.5])
        alpha, alpha_se = float(nb.params[-1]), float(nb.bse[-1])
        nb_llf, poisson_llf = float(nb.llf), float(poisson.llf)
        converged = bool(nb.mle_retvals.get("converged", False)) and np.isfinite(alpha)
    z = stats.norm.ppf(0.5 + conf / 2)
    lr = max(0.0, 2 * (nb_llf - poisson_llf)) if np.isfinite(nb_llf) else np.nan
    return {
        "dean_z": dean_z,
        "dean_p": float(stats.norm.sf(dean_z)),
        "nb_alpha": max(alpha, 0.0),
        "nb_alpha_lower": max(alpha - z * alpha_se, 0.0),
        "nb_alpha_upper": alpha + z * alpha_se,
        "nb_lr_p": float(0.5 * stats.chi2.sf(lr, 1)) if lr > 0 else (1.0 if lr == 0 else np.nan),
        "nb_converged": converged,
    }


def _verdict(events: int, k: int, p_value: float, n_sim: int, level: float, dean_p: float) -> str:
    """Say what the heterogeneity tests mean, in plain words."""
    if p_value <= 1 / (n_sim + 1) * (1 + 1e-9):
        shown = f"p = {p_value:.2g}, the smallest value {n_sim:,} redraws can give"
    else:
        shown = f"p = {p_value:.3g}"
    if events == 0:
        return (
            f"No false alerts in {k} deployments: there is nothing to compare, so the data "
            "cannot say whether the rate differs between deployments."
        )
    if k < 2:
        return "Only one usable deployment: heterogeneity between deployments cannot be tested."
    if p_value < level:
        return (
            f"Evidence that the false-alert rate differs between deployments "
            f"(conditional Monte-Carlo {shown}, with {events} false alerts in "
            f"{k} deployments): more deployments have several false alerts than one common "
            "rate would produce, so a pooled rate hides real variation."
        )
    if events < FEW_EVENTS:
        return (
            f"Too few events to tell: only {events} false alerts in {k} deployments "
            f"(conditional Monte-Carlo {shown}, Dean's test p = {dean_p:.3g}). "
            "With this few events the tests have little power (in the project's methods "
            "guide, a simulation of 203 deployments sized like the Met's with about 10 events "
            "gives the conditional test 6% power when the rates vary like a negative binomial "
            "with alpha = 1, and 60% only at alpha = 20), so 'no evidence of heterogeneity' "
            "is not evidence that the rate is the same everywhere."
        )
    return (
        f"No evidence that the rate differs between deployments (conditional Monte-Carlo "
        f"{shown}, Dean's test p = {dean_p:.3g}, {events} false alerts in {k} "
        "deployments); a common rate fits the counts, though modest variation cannot be "
        "ruled out."
    )


def heterogeneity(
    deployments: pd.DataFrame,
    *,
    rng: np.random.Generator,
    n_sim: int = 20_000,
    level: float = 0.05,
    conf: float = 0.95,
    faces: str = "faces_seen",
    false_alerts: str = "false_alerts",
) -> HeterogeneityResult:
    """Test whether the per-face false-alert rate is the same in every deployment.

    Two complementary answers: (1) a conditional Monte-Carlo X^2 test (multinomial given the
    total, :func:`conditional_mc_test`), which holds its level with very few events; (2) a
    negative binomial (NB2) model with ``exposure = faces seen`` (statsmodels
    ``NegativeBinomial``), whose ``alpha`` measures extra-Poisson variation, with Dean's
    score test. Deployments with unknown faces or false alerts, or with no faces seen, are
    excluded and counted in ``n_excluded``.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with count columns ``faces`` and ``false_alerts``.
    rng : numpy.random.Generator or int
        Seeded Generator (or seed) for the Monte-Carlo redraws; required, so that results
        are reproducible.
    n_sim : int
        Number of Monte-Carlo redraws (at least 100).
    level : float
        Significance level used for the verdict.
    conf : float
        Confidence level of the interval for ``alpha``.
    faces, false_alerts : str
        Column names.

    Returns
    -------
    HeterogeneityResult
        Statistics and a ``verdict`` in plain words, which says so when the data have too
        few events to detect heterogeneity.
    """
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        rng = np.random.default_rng(int(rng))
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator or an integer seed, got {type(rng)}")
    if not isinstance(n_sim, int | np.integer) or n_sim < 100:
        raise ValueError(f"n_sim={n_sim!r}: use a whole number of at least 100 redraws")
    if not 0 < level < 1:
        raise ValueError(f"level={level!r}: the significance level must be between 0 and 1")
    conf = _check_conf(conf)
    _require_columns(deployments, [faces, false_alerts])
    exposure = _counts_column(deployments, faces)
    events = _counts_column(deployments, false_alerts)
    used = ~np.isnan(exposure) & ~np.isnan(events) & (np.nan_to_num(exposure) > 0)
    too_many = used & (events > exposure)
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        raise ValueError(f"{_row_label(deployments, i)}: false alerts exceed faces seen")
    y, n = events[used].astype(np.int64), exposure[used]
    total, k = int(y.sum()), int(used.sum())
    statistic, p_value = conditional_mc_test(y, n, int(n_sim), rng)
    models = {
        "dean_z": np.nan,
        "dean_p": np.nan,
        "nb_alpha": np.nan,
        "nb_alpha_lower": np.nan,
        "nb_alpha_upper": np.nan,
        "nb_lr_p": np.nan,
        "nb_converged": False,
    }
    if total > 0 and k >= 2:
        models = _dispersion_models(y, n, conf)
    return HeterogeneityResult(
        n_deployments=k,
        n_excluded=int((~used).sum()),
        false_alerts=total,
        faces_seen=int(n.sum()),
        pooled_rate=total / n.sum() if k else float("nan"),
        statistic=statistic,
        p_value=p_value,
        n_sim=int(n_sim),
        few_events=total < FEW_EVENTS,
        verdict=_verdict(total, k, p_value, int(n_sim), level, models["dean_p"]),
        **models,
    )


# --------------------------------------------------------------------------------------
# plotting
# --------------------------------------------------------------------------------------


def forest_plot(
    table: pd.DataFrame,
    label: str,
    *,
    ax=None,
    scale: float = 1e6,
    log: bool = False,
    color=None,
):
    """Draw pooled rates and their intervals as a forest plot, one row per group.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`false_alert_rates` (columns ``rate``, ``lower``, ``upper``,
        ``false_alerts``, ``per``, ``method``, ``conf`` and the ``label`` column).
    label : str
        Column whose values label the rows (e.g. ``"year"``, ``"threshold"``); missing
        values are labelled "unknown".
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    scale : float
        Multiplier for the rates on the x axis: 1e6 gives "per million faces", 100 gives
        percent (per alert).
    log : bool
        Logarithmic x axis, for rates that span orders of magnitude. A row with zero events
        then has no point; its interval is drawn from the left edge of the axes to its upper
        limit, ending in an open marker.
    color : str, optional
        Marker and line colour.

    Returns
    -------
    matplotlib.axes.Axes
        Rows with zero events are drawn with an open marker (at 0 on a linear axis, at the
        upper limit on a log axis); rows with no usable data are labelled "no usable rows"
        and drawn without a marker. The x label names the denominator, the confidence
        level and the interval method.
    """
    import matplotlib.pyplot as plt

    _require_columns(table, [label, "rate", "lower", "upper", "false_alerts", "per", "method"])
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 0.45 * len(table) + 1.2))
    y = np.arange(len(table))[::-1]
    rate = table["rate"].to_numpy(dtype=float) * scale
    lower = table["lower"].to_numpy(dtype=float) * scale
    upper = table["upper"].to_numpy(dtype=float) * scale
    known = ~np.isnan(rate)
    events = table["false_alerts"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    zero = known & (events == 0)
    some = known & ~zero
    shown = some if log else known
    ax.errorbar(
        rate[shown],
        y[shown],
        xerr=[rate[shown] - lower[shown], upper[shown] - rate[shown]],
        fmt="none",
        ecolor=color,
        elinewidth=1.6,
    )
    ax.plot(rate[some], y[some], "o", color=color)
    if log:
        ax.set_xscale("log")
        if some.any():
            ax.set_xlim(left=np.nanmin(lower[some]) / 2)
        left = ax.get_xlim()[0]
        ax.hlines(y[zero], left, upper[zero], color=color, linewidth=1.6)
        ax.plot(upper[zero], y[zero], "o", mfc="white", color=color)
    else:
        ax.plot(rate[zero], y[zero], "o", mfc="white", color=color)
        ax.set_xlim(left=0)
    labels = []
    for value, count, ok in zip(table[label], events, known, strict=True):
        text = "unknown" if pd.isna(value) else str(value)
        labels.append(f"{text}  ({count:.0f} FA)" if ok else f"{text}  (no usable rows)")
    ax.set_yticks(y, labels)
    per = table["per"].iloc[0] if len(table) else "face"
    unit = {1e6: "per million", 100.0: "per 100"}.get(scale, f"x {scale:g}")
    denominator = "faces seen" if per == "face" else "alerts"
    method = table["method"].iloc[0] if len(table) else ""
    conf = table["conf"].iloc[0] if "conf" in table and len(table) else 0.95
    ax.set_xlabel(
        f"false alerts {unit} {denominator}\n{conf:.0%} {method} intervals"
        + (", log scale" if log else "")
    )
    ax.grid(axis="y", visible=False)
    return ax
