"""``data/study_predictions.csv``: independent-study predictions and results, cited.

One row per published figure: NPL 2023 (thresholds 0.56-0.64, watchlist scaling, test
sizes), Essex 2019, Cardiff/UPSI 2018 and South Wales Police figures, NIST, NPL 2025, Met
statements to be tested, and a census benchmark. Each row gives the threshold, the
watchlist size, what the figure is per, the study's own event count and denominator where
known, its source and what was verified against that source.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem

__all__ = ["COLUMNS", "DATASET", "FILE", "KINDS", "PER", "UNITS", "load", "row"]

FILE = "study_predictions.csv"

KINDS = ("study_result", "design", "observed", "claim", "policy_limit", "benchmark")
UNITS = ("proportion", "percent", "count", "one_in", "factor", "hours", "text")
PER = ("face", "pass", "alert", "comparison", "search", "person")

COLUMNS = [
    Column("reference_id", "str", required=True, description="Stable identifier of the row."),
    Column("study", "str", required=True, description="Study, report or statement."),
    Column("study_year", "int", required=True, min=2015, max=2030, description="Year of it."),
    Column(
        "kind",
        "str",
        required=True,
        choices=KINDS,
        description=(
            "study_result (a figure from an evaluation), design (size of a study), observed "
            "(an operational figure, for comparison), claim (a statement to test), "
            "policy_limit, benchmark (a population share used only as a rough yardstick)."
        ),
    ),
    Column("metric", "str", required=True, description="What the figure measures."),
    Column(
        "value",
        "float",
        min=0,
        description="The figure as a number in `unit`; blank when the figure is qualitative.",
    ),
    Column(
        "value_as_printed", "str", required=True, description="The figure as the source words it."
    ),
    Column(
        "unit",
        "str",
        required=True,
        choices=UNITS,
        description="Unit of `value`; one_in means '1 in value'.",
    ),
    Column(
        "per",
        "str",
        choices=PER,
        description=(
            "Denominator of a rate: face (face detected), pass (a person passing the camera), "
            "alert, comparison (one probe against one image), search, person."
        ),
    ),
    Column("threshold", "float", min=0, max=1, description="Face-match threshold, when stated."),
    Column("threshold_as_printed", "str", description="Threshold as the source words it."),
    Column("watchlist_size", "int", min=1, description="Watchlist size the figure applies to."),
    Column("watchlist_as_printed", "str", description="Watchlist size as the source words it."),
    Column(
        "events",
        "int",
        min=0,
        description="The study's own event count behind the figure, where known.",
        unit="events",
    ),
    Column("denominator", "int", min=1, description="The count the events are out of, if known."),
    Column("denominator_unit", "str", description="What the denominator counts."),
    Column("population_or_condition", "str", description="Who or what was measured."),
    Column("source_title", "str", required=True, description="Title of the page read."),
    Column("source_url", "str", required=True, description="Address of the page read."),
    Column("source_date", "date", min="2015-01-01", max="2030-12-31", description="Its date."),
    Column("locator", "str", description="Where in the source the figure is."),
    Column(
        "verification",
        "str",
        required=True,
        description="What was checked against the source, or 'not re-verified'.",
    ),
    Column("notes", "str", description="Caveats, conflicts and how the figure is used."),
]


def _row_checks(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Relations between columns that the per-column rules cannot express."""
    value, unit = frame["value"], frame["unit"]
    events, denominator = frame["events"], frame["denominator"]
    known = value.notna()

    def at(mask, column, message, *, as_read=True):
        cells = frame.loc[pd.Series(mask, index=frame.index).astype(bool), column]
        return [
            Problem(name, line, column, cell if as_read else None, message(line))
            for line, cell in cells.items()
        ]

    problems = at(
        known & (unit == "text"), "value", lambda line: "unit 'text' must have a blank value"
    )
    problems += at(
        ~known & (unit != "text"),
        "value",
        lambda line: f"unit '{unit[line]}' needs a numeric value",
        as_read=False,
    )
    whole = value.where(known, 0.0)
    problems += at(
        (unit == "count") & known & (whole != whole.round()),
        "value",
        lambda line: "a count must be whole",
    )
    problems += at(
        (unit == "one_in") & known & (whole < 1), "value", lambda line: "'1 in N' needs N >= 1"
    )
    both = events.notna() & denominator.notna()
    problems += at(
        both & (events > denominator).fillna(False),
        "events",
        lambda line: f"exceeds the denominator {denominator[line]}",
    )
    problems += at(
        denominator.notna() & frame["denominator_unit"].isna(),
        "denominator_unit",
        lambda line: "say what the denominator counts",
        as_read=False,
    )
    return sorted(problems, key=lambda problem: problem.line)  # stable: rule order in a line


DATASET = Dataset(
    file=FILE,
    name="study-predictions",
    title="Independent-study predictions and results for police live facial recognition",
    description=(
        "One row per published figure: NPL 2023 (thresholds 0.56-0.64, watchlist scaling, "
        "test sizes), Essex 2019, Cardiff/UPSI 2018 and South Wales Police figures, NIST, "
        "NPL 2025 (PND retrospective search), Met statements to be tested, and a census "
        "benchmark. Each row gives threshold, watchlist size, what the figure is per, the "
        "study's own event count and denominator where known, its source and what was "
        "verified against that source."
    ),
    sources=(
        {
            "title": "The Register, 6 Apr 2023 (NPL 2023 findings)",
            "path": "https://www.theregister.com/2023/04/06/uk_police_facial_recognition/",
        },
        {
            "title": "Computer Weekly, 12 Apr 2023 (NPL 2023 findings)",
            "path": "https://www.computerweekly.com/news/365535008/"
            "UK-police-double-down-on-improved-facial-recognition",
        },
        {
            "title": "Each row's source_url (see the file)",
            "path": "study_predictions.csv",
        },
    ),
    columns=COLUMNS,
    unique=("reference_id",),
    checks=_row_checks,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Read and validate ``data/study_predictions.csv``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file (default: the data folder's).
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per published figure; ``value`` is float, ``events``, ``denominator`` and
        ``watchlist_size`` are nullable integers (blank = unknown, never 0).

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        Naming file, line, column and value of every problem.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)


def row(table: pd.DataFrame, reference_id: str) -> pd.Series:
    """Return the row of ``table`` (from :func:`load`) with ``reference_id``.

    Raises
    ------
    ValueError
        When no row has that id.
    """
    match = table.loc[table["reference_id"] == reference_id]
    if match.empty:
        raise ValueError(f"{FILE}: no row with reference_id {reference_id!r}")
    return match.iloc[0]
