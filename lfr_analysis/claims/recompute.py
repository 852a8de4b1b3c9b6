"""Recompute a published figure from the deployment record.

A :class:`Recipe` is what a row of ``published_figures.csv`` says about its figure: the
metric, the period and the part of the record (the ``record_filter``). :func:`recompute`
turns it into a number, with the rows used and, for a rate, its exact interval;
:func:`running_total` follows a count through time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lfr_analysis.datasets.published_figures import RATE_METRICS, RECORD_METRICS
from lfr_analysis.stats.intervals import rate_ci

__all__ = [
    "RECORD_COVERAGE_START",
    "Recipe",
    "Recomputation",
    "recompute",
    "select_rows",
    "running_total",
]

#: The Met's operational deployment record begins with the 2020-22 grid; the 2016-19
#: trials are not in it (they are in ``other_deployments.csv``, from other sources).
RECORD_COVERAGE_START = pd.Timestamp("2020-01-01")


@dataclass(frozen=True)
class Recipe:
    """What to recompute: a metric over a period of the record, with filters.

    Parameters
    ----------
    metric : str
        A key of :data:`RECORD_METRICS`.
    start, end : pandas.Timestamp
        First and last deployment date included.
    filters : tuple
        ``(key, op, value)`` triples from :func:`parse_filter`.
    include_secondary : bool
        Include rows transcribed by third parties (``source_type == "secondary"``).
    exclude_flags : tuple of str
        Leave out rows whose ``quality_flags`` include any of these.
    """

    metric: str
    start: pd.Timestamp
    end: pd.Timestamp
    filters: tuple = ()
    include_secondary: bool = True
    exclude_flags: tuple = ()

    def describe(self) -> str:
        """One line saying what the recipe computes."""
        parts = [f"{self.metric}, {self.start.date()} to {self.end.date()}"]
        parts += [f"{k}{op}{v}" for k, op, v in self.filters]
        parts.append("all rows" if self.include_secondary else "primary rows only")
        parts += [f"without rows flagged {flag}" for flag in self.exclude_flags]
        return "; ".join(parts)


@dataclass
class Recomputation:
    """The result of applying a :class:`Recipe` to the deployment table."""

    recipe: Recipe
    value: float
    numerator: float | None
    denominator: float | None
    rows: int
    primary_rows: int
    secondary_rows: int
    rows_missing: int
    first_date: pd.Timestamp | None
    last_date: pd.Timestamp | None
    ci_lower: float | None = None
    ci_upper: float | None = None
    notes: list[str] = field(default_factory=list)


def select_rows(deployments: pd.DataFrame, recipe: Recipe) -> pd.DataFrame:
    """Return the rows of ``deployments`` that ``recipe`` keeps, before dates are applied."""
    keep = pd.Series(True, index=deployments.index)
    if not recipe.include_secondary:
        keep &= deployments["source_type"].eq("primary")
    if recipe.exclude_flags and "quality_flags" in deployments.columns:
        flags = deployments["quality_flags"].fillna("").str.split(";")
        keep &= ~flags.map(lambda row: any(f.strip() in recipe.exclude_flags for f in row))
    for key, _, value in recipe.filters:
        if key == "place":
            pattern = "|".join(re.escape(p.strip()) for p in value.split("|"))
            text = deployments["location"].fillna("")
            if "borough" in deployments:
                text = text + " | " + deployments["borough"].fillna("")
            keep &= text.str.contains(pattern, case=False, regex=True)
        elif key == "threshold":
            keep &= np.isclose(deployments["threshold"].astype("float64"), float(value))
        elif key == "source_type":
            keep &= deployments["source_type"].eq(value)
    return deployments.loc[keep]


def recompute(deployments: pd.DataFrame, recipe: Recipe, *, conf: float = 0.95):
    """Compute ``recipe`` from the deployment table.

    Sums skip rows where the column is unknown (and count them in ``rows_missing``); a
    rate uses only rows where both numerator and denominator are known, and carries a
    Clopper-Pearson interval from :func:`lfr_analysis.stats.intervals.rate_ci`.

    Parameters
    ----------
    deployments : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_deployments`.
    recipe : Recipe
    conf : float
        Confidence level of the interval on a rate.

    Returns
    -------
    Recomputation
    """
    if recipe.metric not in RECORD_METRICS:
        raise ValueError(f"metric {recipe.metric!r} is not in the record {tuple(RECORD_METRICS)}")
    rows = select_rows(deployments, recipe)
    rows = rows[(rows["date"] >= recipe.start) & (rows["date"] <= recipe.end)]
    numerator_col, denominator_col = RECORD_METRICS[recipe.metric]
    result = dict(numerator=None, denominator=None, rows_missing=0)
    if numerator_col is None:
        value = float(len(rows))
    elif recipe.metric == "watchlist_size":
        known = rows[numerator_col].dropna()
        value = float(known.max()) if len(known) else float("nan")
        result["rows_missing"] = int(rows[numerator_col].isna().sum())
    elif denominator_col is None:
        known = rows[numerator_col].dropna()
        value = float(known.sum()) if len(known) else float("nan")
        result["rows_missing"] = int(rows[numerator_col].isna().sum())
    else:
        both = rows[[numerator_col, denominator_col]].dropna()
        result["rows_missing"] = len(rows) - len(both)
        result["numerator"] = float(both[numerator_col].sum())
        result["denominator"] = float(both[denominator_col].sum())
        value = float("nan")
        if result["denominator"] > 0:
            value = result["numerator"] / result["denominator"]
    out = Recomputation(
        recipe=recipe,
        value=value,
        rows=len(rows),
        primary_rows=int(rows["source_type"].eq("primary").sum()),
        secondary_rows=int(rows["source_type"].eq("secondary").sum()),
        first_date=rows["date"].min() if len(rows) else None,
        last_date=rows["date"].max() if len(rows) else None,
        **result,
    )
    if denominator_col is not None and out.denominator:
        ci = rate_ci(int(out.numerator), int(out.denominator), method="clopper-pearson", conf=conf)
        out.ci_lower = float(np.asarray(ci["lower"])[0])
        out.ci_upper = float(np.asarray(ci["upper"])[0])
    return out


def running_total(deployments: pd.DataFrame, metric: str, start) -> pd.Series:
    """Return the running total of a count from ``start``, one value per deployment date.

    Parameters
    ----------
    deployments : pandas.DataFrame
    metric : str
        A count in :data:`RECORD_METRICS` (not a rate, not ``watchlist_size``).
    start : str or pandas.Timestamp
        First day counted.

    Returns
    -------
    pandas.Series
        Indexed by deployment date (ascending); unknown counts add nothing.
    """
    if metric not in RECORD_METRICS or metric in RATE_METRICS or metric == "watchlist_size":
        counts = [m for m in RECORD_METRICS if m not in RATE_METRICS and m != "watchlist_size"]
        raise ValueError(f"metric {metric!r} is not a count; use one of {counts}")
    start = pd.Timestamp(start)
    rows = deployments[deployments["date"] >= start]
    column = RECORD_METRICS[metric][0]
    per_day = (
        rows.groupby("date").size()
        if column is None
        else rows.groupby("date")[column].sum(min_count=0).astype("float64")
    )
    return per_day.sort_index().cumsum().rename(f"{metric} since {start.date()}")
