"""The nearest window or definition that reproduces a figure (a search, being replaced).

For a figure the record does not reproduce, :func:`alternatives` searches nearby windows
(start and end moved by up to :data:`WINDOW_SEARCH_DAYS`) and other definitions (primary
rows only, per alert instead of per face, suspect rows left out) for the nearest one that
does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lfr_analysis.claims.recompute import Recipe, recompute, select_rows
from lfr_analysis.claims.rules import acceptance_interval, accepts
from lfr_analysis.datasets.published_figures import RATE_METRICS, RECORD_METRICS

__all__ = ["Alternative", "alternatives", "compare_definitions", "search_days", "window_values"]

#: The most (days) the nearest-window search moves the start or the end of a period.
WINDOW_SEARCH_DAYS = 62

#: In the nearest-match search, changing one definition (primary rows only, per alert
#: instead of per face) costs as much as moving the window by this many days.
DEFINITION_COST_DAYS = 30

#: In the same search, moving both the start and the end costs this many days more than
#: moving one of them (a published period usually has one uncertain end).
BOTH_ENDS_COST_DAYS = 15

#: Quality flags (``quality_flags`` of the deployment table) of rows whose date or counts
#: are suspect; the search tries leaving them out.
SUSPECT_FLAGS = ("date_out_of_sequence",)


def window_values(deployments, recipe: Recipe, starts, ends) -> np.ndarray:
    """Return ``recipe``'s value for every (start, end) pair on a grid, quickly.

    Parameters
    ----------
    deployments : pandas.DataFrame
    recipe : Recipe
        Metric, filters and row choice; its own dates are ignored.
    starts, ends : array of datetime64
        Candidate first and last days.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(starts), len(ends))``; NaN where the window is empty or inverted.
    """
    rows = select_rows(deployments, recipe)
    rows = rows.sort_values("date", kind="stable")
    dates = rows["date"].to_numpy(dtype="datetime64[ns]")
    lo = np.searchsorted(dates, np.asarray(starts, dtype="datetime64[ns]"), side="left")
    hi = np.searchsorted(dates, np.asarray(ends, dtype="datetime64[ns]"), side="right")
    numerator_col, denominator_col = RECORD_METRICS[recipe.metric]

    def window_sum(column, mask=None):
        values = rows[column].astype("Float64").fillna(0).to_numpy(dtype="float64")
        if mask is not None:
            values = np.where(mask, values, 0.0)
        cumulative = np.concatenate([[0.0], np.cumsum(values)])
        return cumulative[hi][None, :] - cumulative[lo][:, None]

    count = (hi[None, :] - lo[:, None]).astype("float64")
    if numerator_col is None:
        values = count
    elif denominator_col is None:
        values = window_sum(numerator_col)
    else:
        both = (rows[numerator_col].notna() & rows[denominator_col].notna()).to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            values = window_sum(numerator_col, both) / window_sum(denominator_col, both)
    return np.where(count > 0, values, np.nan)


@dataclass(frozen=True)
class Alternative:
    """A window or definition tried when looking for what the published figure counted."""

    recipe: Recipe
    value: float  # in the published unit
    accepted: bool
    shift_days: int


def search_days(recipe: Recipe) -> int:
    """How far the nearest-window search moves a period's start and end.

    A sixth of the period's length, at least 7 days and at most
    :data:`WINDOW_SEARCH_DAYS`: the boundaries of a year are less certain than those of a
    day, and a one-day figure should not be matched to another week's deployments.
    """
    length = (recipe.end - recipe.start).days + 1
    return int(min(WINDOW_SEARCH_DAYS, max(7, length // 6)))


def alternatives(
    deployments, recipe: Recipe, figure: dict, *, end_known: bool = True, keep: int = 10
) -> list[Alternative]:
    """Try nearby windows and other definitions; return the best ``keep``, best first.

    Starts move by up to :func:`search_days` days to a deployment date or the day after
    one, or later to the day after any deployment in the period (leaving out its first
    deployments); ends move as far to a deployment date or the day before one, or to any
    later deployment date (a running total from the same start). Beyond the span only one
    end moves. The
    definitions tried (:func:`_definitions`) are all rows or primary rows only, with or
    without rows flagged :data:`SUSPECT_FLAGS` and, for a rate, per face or per alert.
    The figure's own window and definition is not a candidate. Candidates that reproduce
    the figure come first, cheapest first: days moved, plus :data:`BOTH_ENDS_COST_DAYS`
    when both ends move, plus :data:`DEFINITION_COST_DAYS` per changed definition. The
    others follow, nearest value first.

    Parameters
    ----------
    deployments : pandas.DataFrame
    recipe : Recipe
        The figure's own recipe.
    figure : dict
        Needs ``value``, ``step``, ``qualifier`` and ``unit``.
    end_known : bool
        False when the published figure gives no end date: ends are then free and only
        the start's shift counts.
    keep : int
        How many candidates to return.

    Returns
    -------
    list of Alternative
    """
    span = pd.Timedelta(days=search_days(recipe) if end_known else WINDOW_SEARCH_DAYS)
    day = pd.Timedelta(days=1)
    dates = pd.DatetimeIndex(sorted(deployments["date"].dropna().unique()))
    inside = dates[(dates >= recipe.start) & (dates < recipe.end)]
    starts = _candidate_days(dates, recipe.start, span).union(inside + day)
    later = dates[dates >= (recipe.end if end_known else recipe.start)]
    ends = _candidate_days(dates, recipe.end, span, step=-day).union(later)
    start_shift = np.abs((starts - recipe.start).days.to_numpy())[:, None]
    end_shift = np.abs((ends - recipe.end).days.to_numpy())[None, :]
    if not end_known:
        end_shift = 0 * end_shift
    shift = start_shift + end_shift
    both = (start_shift > 0) & (end_shift > 0)
    # move both ends only within the span; beyond it, keep one end where it was
    near = (start_shift <= span.days) & ((end_shift <= span.days) | (not end_known))
    one_end = (start_shift == 0) | (end_shift == 0)
    valid_order = (starts.to_numpy()[:, None] <= ends.to_numpy()[None, :]) & (near | one_end)
    low, high = _acceptance_bounds(figure)
    parts = []
    for number, variant in enumerate(_definitions(recipe)):
        raw = window_values(deployments, variant, starts.values, ends.values)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = _in_unit_array(raw, variant.metric, figure["unit"])
        ok = np.isfinite(values) & valid_order
        if number == 0 and end_known:  # the figure's own definition: leave its window out
            ok &= shift > 0
        accepted = ok & (values >= low) & (values < high)
        with np.errstate(divide="ignore", invalid="ignore"):
            gap = np.where(values < low, low - values, values - high) / abs(figure["value"])
        i, j = np.nonzero(ok)
        cost = shift + BOTH_ENDS_COST_DAYS * both + DEFINITION_COST_DAYS * _changes(variant, recipe)
        parts.append(
            pd.DataFrame(
                {
                    "rejected": ~accepted[i, j],
                    "gap": np.where(accepted[i, j], 0.0, gap[i, j]),
                    "cost": cost[i, j],
                    "variant": number,
                    "i": i,
                    "j": j,
                    "value": values[i, j],
                }
            )
        )
    table = pd.concat(parts, ignore_index=True)
    table["first"] = np.where(table["rejected"], table["gap"], table["cost"])
    table = table.sort_values(["rejected", "first", "cost"], kind="stable")
    variants = _definitions(recipe)
    found = []
    for row in table.head(keep).itertuples(index=False):
        base = variants[row.variant]
        alt = Recipe(
            base.metric,
            starts[row.i],
            ends[row.j],
            base.filters,
            base.include_secondary,
            base.exclude_flags,
        )
        ok = accepts(figure["value"], figure["step"], figure["qualifier"], float(row.value))
        found.append(Alternative(alt, float(row.value), ok, int(shift[row.i, row.j])))
    return found


def _definitions(recipe: Recipe) -> list[Recipe]:
    """The figure's own definition first, then the other definitions to try."""
    metrics = [recipe.metric]
    if recipe.metric in RATE_METRICS:
        metrics += [m for m in RATE_METRICS if m != recipe.metric]
    variants = []
    for metric in metrics:
        for include_secondary in (recipe.include_secondary, not recipe.include_secondary):
            for flags in (recipe.exclude_flags, () if recipe.exclude_flags else SUSPECT_FLAGS):
                variants.append(
                    Recipe(
                        metric, recipe.start, recipe.end, recipe.filters, include_secondary, flags
                    )
                )
    return variants


def _acceptance_bounds(figure) -> tuple[float, float]:
    """Return the accepted values of a figure as a half-open float interval."""
    value, qualifier = figure["value"], figure["qualifier"]
    if qualifier in ("exact", "about"):
        low, high = acceptance_interval(value, figure["step"])
        return float(low), float(high)
    if qualifier == "at_least":
        return value, np.inf
    if qualifier == "more_than":
        return np.nextafter(value, np.inf), np.inf
    if qualifier == "at_most":
        return -np.inf, np.nextafter(value, np.inf)
    return -np.inf, value


def _in_unit_array(values: np.ndarray, metric: str, unit: str) -> np.ndarray:
    if metric not in RATE_METRICS:
        return values
    if unit == "one_in":
        return 1.0 / values
    return values * (100.0 if unit == "percent" else 1.0)


_ONE_DAY = pd.Timedelta(days=1)


def _candidate_days(dates, centre, span, step=_ONE_DAY):
    """Deployment dates within ``span`` of ``centre``, each also moved by ``step``.

    A window that starts the day after a deployment (``step`` +1 day) leaves it out with
    the smallest move; a window that ends the day before one (``step`` -1 day) likewise.
    """
    near = dates[(dates >= centre - span) & (dates <= centre + span)]
    moved = near + step
    moved = moved[(moved >= centre - span) & (moved <= centre + span)]
    return near.union(moved).union(pd.DatetimeIndex([centre]))


def _changes(candidate: Recipe, original: Recipe) -> int:
    return (
        int(candidate.metric != original.metric)
        + int(candidate.include_secondary != original.include_secondary)
        + int(candidate.exclude_flags != original.exclude_flags)
    )


def compare_definitions(deployments: pd.DataFrame, recipes: dict[str, Recipe]) -> pd.DataFrame:
    """Recompute several recipes side by side: the same record under other definitions.

    Parameters
    ----------
    deployments : pandas.DataFrame
    recipes : dict of str to Recipe
        Label -> recipe, e.g. ``{"calendar 2024": Recipe(...), ...}``.

    Returns
    -------
    pandas.DataFrame
        Indexed by label: ``metric``, ``start``, ``end``, ``value``, ``numerator``,
        ``denominator``, ``ci_lower``, ``ci_upper`` (95% Clopper-Pearson, rates only),
        ``rows``, ``secondary_rows``, ``rows_missing``.
    """
    if not recipes:
        raise ValueError("recipes is empty: give at least one label -> Recipe")
    rows = {}
    for label, recipe in recipes.items():
        result = recompute(deployments, recipe)
        rows[label] = {
            "metric": recipe.metric,
            "start": recipe.start,
            "end": recipe.end,
            "value": result.value,
            "numerator": result.numerator,
            "denominator": result.denominator,
            "ci_lower": result.ci_lower,
            "ci_upper": result.ci_upper,
            "rows": result.rows,
            "secondary_rows": result.secondary_rows,
            "rows_missing": result.rows_missing,
        }
    return pd.DataFrame.from_dict(rows, orient="index")
