"""Recompute a published figure from the deployment record.

A :class:`Recipe` is what a row of ``published_figures.csv`` says about its figure: the
metric, the period and the part of the record (the ``record_filter``). :func:`recompute`
turns it into a number, with the deployments used and, for a rate, its exact interval;
:func:`compare_definitions` recomputes several recipes side by side; :func:`running_total`
follows a count through time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lfr_analysis.datasets.published_figures import MAX_METRICS, RATE_METRICS, RECORD_METRICS
from lfr_analysis.stats.intervals import rate_ci

__all__ = [
    "RECORD_COVERAGE_START",
    "Recipe",
    "Recomputation",
    "compare_definitions",
    "read_as_printed",
    "recompute",
    "row_mask",
    "running_total",
    "select_rows",
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
    as_printed : tuple of str
        Columns read as the Met printed them: for each, the column ``<name>_as_printed``
        (where the table has it and the cell is not blank) replaces the corrected value,
        e.g. ``("date",)`` places a corrected deployment at its printed date.
    force : str, optional
        Keep only this force's rows (when the table has a ``force`` column).
    """

    metric: str
    start: pd.Timestamp
    end: pd.Timestamp
    filters: tuple = ()
    include_secondary: bool = True
    exclude_flags: tuple = ()
    as_printed: tuple = ()
    force: str | None = None

    def describe(self) -> str:
        """One line saying what the recipe computes."""
        parts = [f"{self.metric}, {self.start.date()} to {self.end.date()}"]
        parts += [f"{k}{op}{v}" for k, op, v in self.filters]
        parts.append("all rows" if self.include_secondary else "primary rows only")
        parts += [f"without rows flagged {flag}" for flag in self.exclude_flags]
        parts += [f"{column} as printed" for column in self.as_printed]
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
    #: The rows that gave the value (rows with the count unknown are left out), in date
    #: order, with their ``deployment_id``, ``source_table`` and ``source_url``.
    used: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def deployment_ids(self) -> tuple:
        """``deployment_id`` of every row that gave the value; empty without the column."""
        return _column(self.used, "deployment_id")

    @property
    def sources(self) -> tuple:
        """``(source_table, source_url)`` of the same rows ("" where the table lacks them)."""
        tables = _column(self.used, "source_table")
        return tuple(zip(tables, _column(self.used, "source_url"), strict=True))


def read_as_printed(deployments: pd.DataFrame, columns) -> pd.DataFrame:
    """Return ``deployments`` with each of ``columns`` replaced by its printed value.

    A column ``<name>_as_printed`` holds the value the Met printed where the record
    corrects it; blank cells there mean the printed value is the value used. Columns
    without such a companion are left as they are.
    """
    out = deployments
    for column in columns:
        printed = f"{column}_as_printed"
        if printed not in deployments.columns:
            continue
        if out is deployments:
            out = deployments.copy(deep=False)  # columns are replaced, never written into
        values = deployments[printed]
        if column == "date":
            values = pd.to_datetime(values)
        out[column] = values.where(values.notna(), deployments[column])
    return out


def row_mask(deployments: pd.DataFrame, recipe: Recipe, *, window: bool = True) -> np.ndarray:
    """Return which rows of ``deployments`` ``recipe`` keeps, as a boolean array.

    ``deployments`` is read as it is (call :func:`read_as_printed` first for a recipe with
    ``as_printed``). With ``window`` False the recipe's dates are not applied.
    """
    keep = np.ones(len(deployments), dtype=bool)
    if recipe.force is not None and "force" in deployments.columns:
        keep &= deployments["force"].to_numpy() == recipe.force
    if not recipe.include_secondary:
        keep &= deployments["source_type"].to_numpy() == "primary"
    if recipe.exclude_flags and "quality_flags" in deployments.columns:
        flags = deployments["quality_flags"].fillna("").str.split(";")
        keep &= ~flags.map(lambda row: any(f.strip() in recipe.exclude_flags for f in row))
    for key, _, value in recipe.filters:
        if key == "place":
            pattern = "|".join(re.escape(p.strip()) for p in value.split("|"))
            text = deployments["location"].fillna("")
            if "borough" in deployments:
                text = text + " | " + deployments["borough"].fillna("")
            keep &= text.str.contains(pattern, case=False, regex=True).to_numpy()
        elif key == "borough":
            if "borough" not in deployments.columns:
                raise ValueError(f"filter borough={value}: the deployment table has no 'borough'")
            names = deployments["borough"].fillna("").str.casefold()
            keep &= (names == value.casefold()).to_numpy()
        elif key == "threshold":
            keep &= np.isclose(deployments["threshold"].astype("float64"), float(value))
        elif key == "source_type":
            keep &= deployments["source_type"].to_numpy() == value
    if window:
        dates = deployments["date"].to_numpy(dtype="datetime64[ns]")
        keep &= (dates >= recipe.start.to_datetime64()) & (dates <= recipe.end.to_datetime64())
    return keep


def select_rows(deployments: pd.DataFrame, recipe: Recipe) -> pd.DataFrame:
    """Return the rows of ``deployments`` that ``recipe`` keeps, before dates are applied."""
    deployments = read_as_printed(deployments, recipe.as_printed)
    return deployments.loc[row_mask(deployments, recipe, window=False)]


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
    numerator_col, denominator_col = RECORD_METRICS[recipe.metric]
    frame = read_as_printed(deployments, recipe.as_printed)
    wanted = ["date", "source_type", "deployment_id", "source_table", "source_url"]
    wanted += [c for c in (numerator_col, denominator_col) if c]
    rows = frame.loc[row_mask(frame, recipe), [c for c in wanted if c in frame.columns]]
    rows = rows.sort_values("date", kind="stable")
    result = dict(numerator=None, denominator=None, rows_missing=0)
    used = rows
    if numerator_col is None:
        value = float(len(rows))
    elif denominator_col is None:
        used = rows[rows[numerator_col].notna()]
        known = used[numerator_col].astype("float64")
        result["rows_missing"] = len(rows) - len(used)
        if not len(known):
            value = float("nan")
        elif recipe.metric in MAX_METRICS:
            value = float(known.max())
        else:
            value = float(known.sum())
    else:
        used = rows[rows[numerator_col].notna() & rows[denominator_col].notna()]
        result["rows_missing"] = len(rows) - len(used)
        result["numerator"] = float(used[numerator_col].astype("float64").sum())
        result["denominator"] = float(used[denominator_col].astype("float64").sum())
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
        used=used,
        **result,
    )
    if recipe.metric in RATE_METRICS and out.denominator:
        ci = rate_ci(int(out.numerator), int(out.denominator), method="clopper-pearson", conf=conf)
        out.ci_lower = float(np.asarray(ci["lower"])[0])
        out.ci_upper = float(np.asarray(ci["upper"])[0])
    return out


def _column(rows: pd.DataFrame | None, name: str) -> tuple:
    if rows is None:
        return ()
    if name not in rows.columns:
        return ("",) * len(rows) if name != "deployment_id" else ()
    return tuple("" if pd.isna(v) else str(v) for v in rows[name].tolist())


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
    counts = [m for m, (_, den) in RECORD_METRICS.items() if den is None and m not in MAX_METRICS]
    if metric not in counts:
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
