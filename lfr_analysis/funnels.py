"""Deployments against exact Poisson limits: funnel plots and cumulative O/E.

:func:`funnel_data` gives each deployment (or group) its O/E against the expected count E
under a reference (:mod:`lfr_analysis.predictions`), exact p-values, one two-sided family
adjusted for multiple testing (so that the chance of flagging any unit wrongly is at most
``1 - conf``, in either direction), and the exact funnel limits (:func:`funnel_limits`) to
draw them against (:func:`lfr_analysis.plotting.plot_funnel`). :func:`cumulative_oe`
follows observed and expected false alerts over time against the exact range the reference allows
(:func:`lfr_analysis.plotting.plot_cumulative_oe`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from lfr_analysis.predictions import _reference_rate, prepare
from lfr_analysis.rates import TIERS, tier_indicators
from lfr_analysis.references import Reference
from lfr_analysis.stats import checks
from lfr_analysis.stats.baserates import DEFAULT_SCALING
from lfr_analysis.stats.comparisons import poisson_test
from lfr_analysis.stats.intervals import poisson_ci

__all__ = ["FUNNEL_VIEW", "cumulative_oe", "funnel_data", "funnel_limits"]

#: The columns of :func:`funnel_data`'s points by default (after the unit column);
#: ``full=True`` adds ``faces_seen``, ``p_two_sided``, ``expected_basis``, ``adjust``,
#: ``family_error_rate``.
FUNNEL_VIEW = [
    "n_deployments",
    "n_excluded",
    "n_primary",
    "n_secondary",
    "observed",
    "expected",
    "ratio",
    "p_more",
    "p_fewer",
    "p_adjusted",
    "flag",
    "flag_adjusted",
]


def funnel_limits(expected, probs=(0.001, 0.025, 0.975, 0.999)) -> pd.DataFrame:
    """Exact Poisson control limits for O/E at each expected count (Spiegelhalter 2005).

    Parameters
    ----------
    expected : array_like
        Expected counts E > 0 at which to compute the limits.
    probs : sequence of float
        Quantiles; the defaults give 99.8% and 95% two-sided limits.

    Returns
    -------
    pandas.DataFrame
        Long format: ``expected``, ``prob``, ``count_step`` (the exact quantile
        ``poisson.ppf(prob, E)``), ``count_interpolated`` (the quantile minus the fraction
        that makes the limit continuous in E, clipped at 0), and the same two divided by E
        (``ratio_step``, ``ratio_interpolated``).
    """
    grid, _ = checks.positive(expected, "expected")
    if grid.size == 0:
        raise ValueError("expected: give at least one expected count (positive numbers)")
    probs = tuple(np.atleast_1d(probs))
    frames = []
    for i, prob in enumerate(probs):
        if isinstance(prob, bool) or not isinstance(prob, int | float | np.floating):
            raise TypeError(f"probs at position {i} must be a number, got {prob!r}")
        if not 0 < prob < 1:
            raise ValueError(f"probs at position {i} must be in (0, 1), got {float(prob)!r}")
        step = stats.poisson.ppf(prob, grid)
        below = stats.poisson.cdf(step - 1, grid)
        at = stats.poisson.cdf(step, grid)
        fraction = (at - prob) / (at - below)
        interpolated = np.clip(step - fraction, 0, None)
        frames.append(
            pd.DataFrame(
                {
                    "expected": grid,
                    "prob": prob,
                    "count_step": step,
                    "count_interpolated": interpolated,
                    "ratio_step": step / grid,
                    "ratio_interpolated": interpolated / grid,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _flag(observed, expected):
    """Pointwise flags from the exact (step) limits: above a limit when P(X < O) >= its
    quantile (the same as O > ``poisson.ppf(q, E)``), below when P(X <= O) < it."""
    below_o = stats.poisson.cdf(observed - 1, expected)  # P(X < O), 0 at O = 0
    up_to_o = stats.poisson.cdf(observed, expected)
    return np.select(
        [below_o >= 0.999, below_o >= 0.975, up_to_o < 0.001, up_to_o < 0.025],
        ["above 99.8%", "above 95%", "below 99.8%", "below 95%"],
        default="within",
    )


def _adjusted(p_values: np.ndarray, adjust: str, level: float) -> np.ndarray:
    """Adjust p-values across units: Holm in closed form, other methods by statsmodels."""
    if adjust == "holm":
        order = np.argsort(p_values, kind="stable")
        steps = p_values[order] * np.arange(len(p_values), 0, -1)
        corrected = np.empty_like(p_values)
        corrected[order] = np.minimum(np.maximum.accumulate(steps), 1.0)
        return corrected
    try:
        return multipletests(p_values, alpha=level, method=adjust)[1]
    except ValueError:
        raise ValueError(f"adjust={adjust!r} is not a method of multipletests") from None


def funnel_data(
    deployments: pd.DataFrame,
    reference: Reference,
    *,
    by: str = "deployment_id",
    scaling: str = DEFAULT_SCALING,
    adjust: str = "holm",
    conf: float = 0.95,
    allow_threshold_mismatch: bool = False,
    missing: str = "exclude",
    probs=(0.001, 0.025, 0.975, 0.999),
    n_grid: int = 200,
    full: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points and exact limits for a funnel plot of O/E against E.

    Each unit (deployment by default, or a group such as a month) gets O, E, O/E, its exact
    one-sided p-values ``p_more`` = P(X >= O) and ``p_fewer`` = P(X <= O), and the
    two-sided ``p_two_sided`` (central rule: twice the smaller tail). The two-sided
    p-values form **one family**, adjusted across units (``adjust``, Holm by default) into
    ``p_adjusted``; ``flag_adjusted`` names the direction of each unit whose adjusted
    p-value is below ``1 - conf``. The chance of any false flag, in either direction, is
    then at most ``1 - conf`` (``family_error_rate``); two one-sided families adjusted
    separately, as before, allowed about twice that. ``flag`` compares each unit with the
    exact pointwise limits (step) drawn on the chart, with no adjustment. For a zero-event
    reference E is at its upper bound (``expected_basis`` says so).

    Parameters
    ----------
    deployments : pandas.DataFrame
    reference : Reference
    by : str
        Unit of the funnel (pooled within units).
    scaling, allow_threshold_mismatch, missing : see
        :func:`lfr_analysis.predictions.observed_vs_expected`.
    adjust : str
        ``multipletests`` method, e.g. ``"holm"`` (controls the family-wise error rate) or
        ``"fdr_bh"`` (the false discovery rate instead).
    conf : float
        A unit is flagged when its adjusted p-value is below ``1 - conf``.
    probs : sequence of float
        Quantiles of the limits.
    n_grid : int
        Points of the limit curves.
    full : bool
        Give the points' full working (:data:`FUNNEL_VIEW` plus ``faces_seen``,
        ``p_two_sided``, ``expected_basis``, ``adjust``, ``family_error_rate``).

    Returns
    -------
    points, limits : pandas.DataFrame
        ``points`` one row per unit with a positive expected count, with ``n_excluded`` the
        unit's own rows left out for a missing value and ``n_primary``/``n_secondary`` the
        rows used of each source type; ``limits`` as from :func:`funnel_limits` over the
        range of E.
    """
    if not isinstance(by, str):
        raise TypeError(f"by must be one column name, not {by!r}")
    checks.frame(deployments, [by])
    if not isinstance(full, bool):
        raise TypeError(f"full must be True or False, not {full!r}")
    if not isinstance(adjust, str):
        raise TypeError(f"adjust must be a multipletests method name, not {adjust!r}")
    frame = prepare(
        deployments,
        reference,
        scaling=scaling,
        conf=conf,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
    )
    conf = checks.conf_level(conf)
    level = 1 - conf
    n_grid = checks.whole(n_grid, "n_grid", minimum=2)
    used = frame["_used"].to_numpy(dtype=bool)
    work = pd.DataFrame(
        {
            by: frame[by],
            "n_deployments": used.astype(np.int64),
            "n_excluded": (~used).astype(np.int64),
            "observed": frame["_observed"].to_numpy(dtype=np.int64),
            "expected": frame["_expected"].to_numpy(dtype=float),
            "faces_seen": frame["_faces"].to_numpy(dtype=float),
        },
        index=frame.index,
    )
    tiers = tier_indicators(frame, used)
    if tiers is not None:
        work = pd.concat([work, tiers], axis=1)
    units = work.groupby(by, sort=True, observed=True).sum()
    units = units.loc[units["expected"] > 0].reset_index()
    if units.empty:
        raise ValueError("no unit has a positive expected count")
    for tier in TIERS:
        column = f"n_{tier}"
        units[column] = (
            pd.array([pd.NA] * len(units), dtype="Int64")
            if tiers is None
            else units[column].astype("Int64")
        )
    observed, expected = units["observed"].to_numpy(), units["expected"].to_numpy()
    units["ratio"] = observed / expected
    units["p_more"] = poisson_test(observed, expected, alternative="greater")
    units["p_fewer"] = poisson_test(observed, expected, alternative="less")
    units["p_two_sided"] = poisson_test(observed, expected, rule="central")
    units["p_adjusted"] = _adjusted(units["p_two_sided"].to_numpy(), adjust, level)
    units["flag"] = _flag(observed, expected)
    flagged = units["p_adjusted"] < level
    more = units["p_more"] < units["p_fewer"]
    units["flag_adjusted"] = np.select(
        [flagged & more, flagged & ~more],
        [f"more than predicted ({adjust})", f"fewer than predicted ({adjust})"],
        default="not flagged",
    )
    _, basis = _reference_rate(reference, conf)
    units["expected_basis"] = basis
    units["adjust"] = adjust
    units["family_error_rate"] = level
    low, high = expected.min(), expected.max()
    grid = np.geomspace(low / 2, high * 2, n_grid) if high > low else np.array([low / 2, low * 2])
    limits = funnel_limits(grid, probs)
    if full:
        return units[[by, *FUNNEL_VIEW, "faces_seen", "p_two_sided", "expected_basis", "adjust",
                      "family_error_rate"]], limits  # fmt: skip
    return units[[by, *FUNNEL_VIEW]], limits


def cumulative_oe(
    deployments: pd.DataFrame,
    reference: Reference,
    *,
    order_by: str = "date",
    scaling: str = DEFAULT_SCALING,
    conf: float = 0.95,
    allow_threshold_mismatch: bool = False,
    missing: str = "exclude",
) -> pd.DataFrame:
    """Cumulative observed and expected false alerts over time, with exact limits.

    Returns one row per deployment used, in ``order_by`` order (ties by
    ``deployment_id``): ``cum_observed``, ``cum_expected``, ``cum_ratio`` with its Garwood
    interval, and the exact Poisson range of the cumulative count if the reference held
    (``expected_lower``/``expected_upper``: the equal-tailed quantiles at ``conf`` of
    Poisson(cum_expected)). The limits are pointwise, not simultaneous.

    Parameters
    ----------
    deployments : pandas.DataFrame
    reference : Reference
    order_by : str
        Time column.
    scaling, conf, allow_threshold_mismatch, missing : see
        :func:`lfr_analysis.predictions.observed_vs_expected`.

    Returns
    -------
    pandas.DataFrame
    """
    checks.frame(deployments, [order_by])
    frame = prepare(
        deployments,
        reference,
        scaling=scaling,
        conf=conf,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
    )
    conf = checks.conf_level(conf)
    id_column = "deployment_id"
    sort_keys = [order_by] + ([id_column] if id_column in frame.columns else [])
    frame = frame.loc[frame["_used"]].sort_values(sort_keys, kind="stable")
    out = pd.DataFrame(
        {
            order_by: frame[order_by].to_numpy(),
            "observed": frame["_observed"].to_numpy(),
            "expected": frame["_expected"].to_numpy(),
        }
    )
    if id_column in frame.columns:
        out.insert(0, id_column, frame[id_column].to_numpy())
    out["cum_observed"] = out["observed"].cumsum()
    out["cum_expected"] = out["expected"].cumsum()
    positive = out["cum_expected"] > 0
    out["cum_ratio"] = np.where(positive, out["cum_observed"] / out["cum_expected"], np.nan)
    lower, upper = np.full(len(out), np.nan), np.full(len(out), np.nan)
    if positive.any():
        limits = poisson_ci(
            out.loc[positive, "cum_observed"].to_numpy(),
            out.loc[positive, "cum_expected"].to_numpy(),
            conf=conf,
        )
        lower[positive.to_numpy()] = limits["lower"].to_numpy()
        upper[positive.to_numpy()] = limits["upper"].to_numpy()
    out["cum_ratio_lower"], out["cum_ratio_upper"] = lower, upper
    tail = (1 - conf) / 2
    out["expected_lower"] = stats.poisson.ppf(tail, out["cum_expected"])
    out["expected_upper"] = stats.poisson.ppf(1 - tail, out["cum_expected"])
    return out
