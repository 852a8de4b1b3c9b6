"""Declared readings: the fixed alternatives a publisher could plausibly have meant.

A published figure states a period and a definition ("540 arrests this year", "0.0003% of
faces"), but publishers count in ways they do not always say: to the day before the
release, over the calendar year, only over the rows the Met itself published. Instead of
searching windows until one reproduces the number (with enough windows any number is
"explained"), every figure gets the same short list of readings, fixed in advance by its
metric and period, never by its value (:data:`READINGS`, in this order):

``as_stated``
    The stated period, both ends included, over the figure's own part of the record (its
    ``record_filter``), all rows, dates and counts as corrected.
``end_day_excluded``
    The stated period without its last day: a total compiled before that day's
    deployments (for a period that ends at publication, the period ending at the last
    deployment before it).
``to_publication``
    From the stated start to the publication date: a running total quoted under the label
    of an earlier period ("in 2024" for a total since 1 January 2024).
``calendar_year``
    For a stated period from 1 January to a day before the year's end (a total "so far this
    year"), the whole calendar year, to publication at the latest.
``end_month_included``
    A period stated in whole months, with the month after its stated end included
    ("September 2024 to September 2025" read as thirteen months).
``primary_rows``
    The stated period over the rows the Met published itself (``source_type ==
    "primary"``), without third-party transcriptions.
``as_printed``
    The stated period with dates and counts as the Met printed them, before the record's
    cited corrections (columns ``<name>_as_printed`` of the deployment table, such as
    ``date_as_printed``). Not offered when the table has no such column.
``other_denominator``
    For a false-alert rate: per alert instead of per face, or per face instead of per
    alert (not for a comparison with another figure's rate, whose denominator is fixed).

A reading is offered only where it means something for the figure (``to_publication``
needs a publication date after the stated end, ``primary_rows`` a window with both kinds of
row) and where it selects other deployments than an earlier reading; one that would need
days after the record's last deployment is not offered. :func:`declared_readings` lists the
readings of a figure, :func:`evaluate` recomputes each and says whether it gives the
published value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lfr_analysis.claims.recompute import (
    Recipe,
    Recomputation,
    read_as_printed,
    recompute,
    row_mask,
)
from lfr_analysis.claims.rules import accepts, in_unit, relative_gap, understates
from lfr_analysis.datasets.published_figures import RATE_METRICS, RECORD_METRICS, parse_filter

__all__ = [
    "READINGS",
    "Reading",
    "ReadingResult",
    "declared_readings",
    "evaluate",
    "stated_recipe",
]

#: Every declared reading: name -> (short label, definition), in the order they are tried.
READINGS: dict[str, tuple[str, str]] = {
    "as_stated": (
        "as stated",
        "the stated period, both ends included, the figure's own part of the record, all "
        "rows, dates and counts as corrected",
    ),
    "end_day_excluded": (
        "last day left out",
        "the stated period without its last day (a total compiled before that day's "
        "deployments; for a period ending at publication, to the last deployment before it)",
    ),
    "to_publication": (
        "to publication",
        "from the stated start to the publication date: a running total quoted under the "
        "label of an earlier period",
    ),
    "calendar_year": (
        "calendar year",
        "for a period from 1 January to a day before the year's end, the whole calendar year "
        "(to publication at the latest)",
    ),
    "end_month_included": (
        "end month included",
        "a period stated in whole months with the month after its stated end included",
    ),
    "primary_rows": (
        "the Met's own rows only",
        "the stated period over the rows the Met published itself, without third-party "
        "transcriptions",
    ),
    "as_printed": (
        "as printed, before corrections",
        "the stated period with dates and counts as the Met printed them, before the "
        "record's cited corrections",
    ),
    "other_denominator": (
        "other denominator",
        "a false-alert rate per alert instead of per face, or per face instead of per alert",
    ),
}

_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Reading:
    """One declared reading of a figure: its name and the recipe it stands for."""

    name: str
    recipe: Recipe

    @property
    def label(self) -> str:
        """Short name of the reading, e.g. ``"last day left out"``."""
        return READINGS[self.name][0]

    def describe(self) -> str:
        """The reading and what it computes, e.g. ``"as stated (arrests, 2024-01-01 to ...)"``."""
        return f"{self.label} ({self.recipe.describe()})"


@dataclass
class ReadingResult:
    """A reading recomputed and compared with the published figure."""

    reading: Reading
    result: Recomputation
    value: float  # in the published unit
    accepted: bool  # the figure holds under this reading (and, if a lower bound, is not far below)
    holds: bool  # the published value or bound is satisfied, understated or not
    gap: float  # relative distance from the accepted values (0 when it holds)


def stated_recipe(figure: dict) -> Recipe:
    """The figure's own recipe: its metric, stated period, ``record_filter`` and force."""
    return Recipe(
        figure["metric"],
        figure["period_start"],
        figure["period_end"],
        parse_filter(figure.get("record_filter")),
        force=figure.get("force"),
    )


def _with(recipe: Recipe, **changes) -> Recipe:
    fields = dict(
        metric=recipe.metric,
        start=recipe.start,
        end=recipe.end,
        filters=recipe.filters,
        include_secondary=recipe.include_secondary,
        exclude_flags=recipe.exclude_flags,
        as_printed=recipe.as_printed,
        force=recipe.force,
    )
    fields.update(changes)
    return Recipe(**fields)


def _month_end(day: pd.Timestamp) -> pd.Timestamp:
    return (day + pd.offsets.MonthEnd(0)).normalize()


def _whole_months(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return start.day == 1 and end == _month_end(end) and (end - start).days > 31


def _whole_years(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)


def _printed_columns(recipe: Recipe, deployments: pd.DataFrame) -> tuple:
    """Columns of the recipe that the table also holds as printed (``<name>_as_printed``)."""
    numerator, denominator = RECORD_METRICS[recipe.metric]
    wanted = ["date", numerator, denominator]
    return tuple(c for c in wanted if c and f"{c}_as_printed" in deployments.columns)


def _both_kinds(recipe: Recipe, deployments: pd.DataFrame) -> bool:
    """Whether the stated window holds both the Met's own rows and transcribed ones."""
    mask = row_mask(read_as_printed(deployments, recipe.as_printed), recipe)
    return {"primary", "secondary"} <= set(deployments["source_type"].to_numpy()[mask])


def _candidates(figure: dict, recipe: Recipe, deployments: pd.DataFrame) -> list[Reading]:
    """Every declared reading that applies to the figure, before duplicates are dropped."""
    start, end, published = recipe.start, recipe.end, figure.get("published")
    found = [Reading("as_stated", recipe)]
    if end > start:
        found.append(Reading("end_day_excluded", _with(recipe, end=end - _DAY)))
    if pd.notna(published) and published > end:
        found.append(Reading("to_publication", _with(recipe, end=published)))
    if (
        (start.month, start.day) == (1, 1)
        and start.year == end.year
        and (end.month, end.day)
        != (
            12,
            31,
        )
    ):
        year_end = pd.Timestamp(year=end.year, month=12, day=31)
        if pd.notna(published):
            year_end = min(year_end, published)
        year = _with(recipe, start=pd.Timestamp(year=start.year, month=1, day=1), end=year_end)
        found.append(Reading("calendar_year", year))
    if _whole_months(start, end) and not _whole_years(start, end):
        later = _month_end(end + _DAY)
        if pd.notna(published):
            later = min(later, published)
        found.append(Reading("end_month_included", _with(recipe, end=later)))
    if recipe.include_secondary and _both_kinds(recipe, deployments):
        found.append(Reading("primary_rows", _with(recipe, include_secondary=False)))
    printed = _printed_columns(recipe, deployments)
    if printed:
        found.append(Reading("as_printed", _with(recipe, as_printed=printed)))
    if recipe.metric in RATE_METRICS and pd.isna(figure.get("compared_with")):
        other = next(m for m in RATE_METRICS if m != recipe.metric)
        found.append(Reading("other_denominator", _with(recipe, metric=other)))
    return found


def _rows_key(reading: Reading, deployments: pd.DataFrame) -> tuple:
    """What a reading selects: its metric and the rows (positions) in its window."""
    recipe = reading.recipe
    mask = row_mask(read_as_printed(deployments, recipe.as_printed), recipe)
    printed = tuple(recipe.as_printed) if set(recipe.as_printed) - {"date"} else ()
    return recipe.metric, printed, tuple(np.flatnonzero(mask))


def declared_readings(figure: dict, deployments: pd.DataFrame) -> list[Reading]:
    """Return the declared readings of a figure (see the module's docstring).

    The list depends on the figure's metric, period, filter, force and publication date
    and on the deployment table, never on the published value: a reading cannot be chosen
    because it matches.

    Parameters
    ----------
    figure : dict
        A row of ``published_figures.csv`` with a stated period.
    deployments : pandas.DataFrame

    Returns
    -------
    list of Reading
        ``as_stated`` first; readings that select the same deployments as an earlier one,
        or that need days after the record's last deployment, are left out.
    """
    if pd.isna(figure.get("period_start")) or pd.isna(figure.get("period_end")):
        raise ValueError(f"figure {figure.get('figure_id')!r} states no period to read")
    recipe = stated_recipe(figure)
    last = _last_date(deployments, recipe)
    readings, seen = [], set()
    for reading in _candidates(figure, recipe, deployments):
        if reading.name != "as_stated" and reading.recipe.end > last:
            continue
        key = _rows_key(reading, deployments)
        if reading.name != "as_stated" and key in seen:
            continue
        seen.add(key)
        readings.append(reading)
    return readings


def _last_date(deployments: pd.DataFrame, recipe: Recipe) -> pd.Timestamp:
    rows = deployments
    if recipe.force is not None and "force" in deployments.columns:
        rows = deployments[deployments["force"].eq(recipe.force)]
    return rows["date"].max()


def evaluate(figure: dict, deployments: pd.DataFrame, readings: list[Reading]):
    """Recompute each reading and compare it with the published figure.

    Parameters
    ----------
    figure : dict
        Needs ``value`` (the published number or bound, in ``unit``), ``step`` (its
        rounding step), ``qualifier`` and ``unit``.
    deployments : pandas.DataFrame
    readings : list of Reading
        From :func:`declared_readings`.

    Returns
    -------
    list of ReadingResult
        In the order of ``readings``.
    """
    out = []
    for reading in readings:
        result = recompute(deployments, reading.recipe)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = in_unit(result.value, figure["metric"], figure["unit"])
        holds = bool(
            np.isfinite(value)
            and accepts(figure["value"], figure["step"], figure["qualifier"], value)
        )
        accepted = holds and not understates(figure["value"], figure["qualifier"], value)
        gap = (
            relative_gap(figure["value"], figure["step"], figure["qualifier"], value)
            if np.isfinite(value)
            else float("nan")
        )
        out.append(ReadingResult(reading, result, float(value), accepted, holds, gap))
    return out
