"""``data/arrests_by_offence.csv``: published LFR arrest counts, one row per figure.

Event or period totals (``row_type`` ``total``), totals with a given outcome (``outcome``),
aggregate categories such as "VAWG" or "sex offenders in breach" (``category``), offences
named in an "including ..." list without a count (``named``, count 1 and qualifier
``at_least``), and arrested people listed one by one (``person``: one person, or n people
with the same description). Each count carries a ``qualifier``: ``exact`` (as published),
``at_least`` ("more than N", or named without a count), ``approx`` ("about N") or ``share``
(only a proportion was published; the count is blank and never derived). Competing
versions of a figure share a ``conflict_group``; one is marked ``preferred``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem, split_list

__all__ = ["COLUMNS", "DATASET", "FILE", "QUALIFIERS", "QUALITY_FLAGS", "ROW_TYPES", "load"]

FILE = "arrests_by_offence.csv"

ROW_TYPES = ("total", "outcome", "category", "named", "person")
QUALIFIERS = ("exact", "at_least", "approx", "share")
VERIFICATION = ("checked", "unchecked")

#: Known quirks a row can carry in ``quality_flags`` (semicolon-separated).
QUALITY_FLAGS = {
    "arithmetic_conflict": "the published categories do not add up to the published total",
    "attribution_unconfirmed": "the source does not confirm that this arrest came from LFR",
    "count_conflict": "another source gives a different count for the same thing",
    "description_conflict": "sources describe the arrest differently",
    "framing_conflict": "sources frame the figure differently (e.g. subset of which total)",
    "interim_figure": "an interim count, later superseded",
    "may_include_other_fr": "may include retrospective or other facial recognition",
    "not_police_source": "figure from a politician, campaign group or third-party analysis",
    "period_approximate": "the period's dates are approximate",
    "period_partly_stated": "only one end of the period is stated",
    "period_unstated": "the period is not stated",
}

_PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")

COLUMNS = [
    Column("record_id", "str", required=True, description="Stable id: event_id plus a number."),
    Column("event_id", "str", required=True, description="Groups the figures of one event/period."),
    Column("force", "str", required=True, description="Police force."),
    Column("event", "str", required=True, description="Event or period as described."),
    Column(
        "period_start",
        "str",
        description="Start of the period: YYYY, YYYY-MM or YYYY-MM-DD; blank if not stated.",
    ),
    Column("period_end", "str", description="End of the period, same format; blank if unstated."),
    Column(
        "row_type",
        "str",
        required=True,
        choices=ROW_TYPES,
        description="total / outcome (total with that outcome) / category (aggregate) / "
        "named (offence named in an 'including' list) / person (listed arrested people).",
    ),
    Column(
        "published_category",
        "str",
        required=True,
        description="The category as published; key into offence_taxonomy.csv.",
    ),
    Column(
        "count",
        "int",
        min=0,
        description="Arrests as published; blank when only a share was published.",
        unit="arrests",
    ),
    Column(
        "qualifier",
        "str",
        required=True,
        choices=QUALIFIERS,
        description="exact; at_least ('more than N' or named without a count); approx; share.",
    ),
    Column("outcome", "str", description="Outcome of the counted arrests, as published."),
    Column(
        "conflict_group",
        "str",
        description="Rows giving competing versions of the same figure share this name.",
    ),
    Column(
        "preferred",
        "bool",
        required=True,
        description="The version analyses use (exactly one per conflict group; notes say why).",
    ),
    Column(
        "quality_flags",
        "str",
        description=(
            "Known quirks, semicolon-separated (see "
            "lfr_analysis.datasets.arrests_by_offence.QUALITY_FLAGS)."
        ),
    ),
    Column(
        "verification",
        "str",
        required=True,
        choices=VERIFICATION,
        description="checked: figure re-read in a stored copy of the cited page; unchecked: "
        "transcribed from the compilation only.",
    ),
    Column("source_url", "str", required=True, description="Page the figure was read from."),
    Column(
        "source_date", "str", required=True, description="Publication date (as precise as known)."
    ),
    Column("notes", "str", description="Locator, caveats, corrections and their reasons."),
]


def _period_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for line, row in frame.iterrows():
        for column in ("period_start", "period_end"):
            value = row[column]
            if pd.isna(value):
                continue
            ok = _PARTIAL_DATE.fullmatch(value) is not None
            if ok:
                padded = value + "-01" * ((10 - len(value)) // 3)
                try:
                    pd.Timestamp(padded)
                except ValueError:
                    ok = False
            if not ok:
                problems.append(
                    Problem(name, line, column, value, "is not YYYY, YYYY-MM or YYYY-MM-DD")
                )
        start, end = row["period_start"], row["period_end"]
        if pd.notna(start) and pd.notna(end):
            width = min(len(start), len(end))
            if start[:width] > end[:width]:
                problems.append(Problem(name, line, "period_end", end, f"is before {start}"))
    return problems


def _arrest_row_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for line, row in frame.iterrows():
        if (row["qualifier"] == "share") != pd.isna(row["count"]):
            problems.append(
                Problem(
                    name,
                    line,
                    "count",
                    None if pd.isna(row["count"]) else row["count"],
                    "must be blank exactly when qualifier is 'share'",
                )
            )
        if not row["record_id"].startswith(row["event_id"] + "-"):
            problems.append(
                Problem(name, line, "record_id", row["record_id"], "must start with event_id")
            )
        is_all = row["published_category"].startswith("ALL")
        if is_all != (row["row_type"] in ("total", "outcome")):
            problems.append(
                Problem(
                    name,
                    line,
                    "row_type",
                    row["row_type"],
                    "total/outcome rows, and only they, have a category starting 'ALL'",
                )
            )
        if row["row_type"] == "outcome" and pd.isna(row["outcome"]):
            problems.append(Problem(name, line, "outcome", None, "outcome row without outcome"))
        for flag in split_list(row["quality_flags"]):
            if flag not in QUALITY_FLAGS:
                problems.append(
                    Problem(name, line, "quality_flags", flag, "is not a known quality flag")
                )
        if not str(row["source_url"]).startswith(("http://", "https://")):
            problems.append(Problem(name, line, "source_url", row["source_url"], "is not a URL"))
        if pd.isna(row["conflict_group"]) and not row["preferred"]:
            problems.append(
                Problem(
                    name,
                    line,
                    "preferred",
                    "false",
                    "only rows in a conflict group may be not preferred",
                )
            )
    return problems


def _arrest_group_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for event_id, rows in frame.groupby("event_id", sort=False):
        for column in ("force", "event"):
            if rows[column].nunique() > 1:
                line = rows.index[list(rows[column]).index(rows[column].iloc[-1])]
                problems.append(
                    Problem(
                        name,
                        line,
                        column,
                        rows[column].iloc[-1],
                        f"differs between rows of event {event_id!r}",
                    )
                )
        totals = rows[(rows["row_type"] == "total") & rows["preferred"]]
        if len(totals) > 1:
            problems.append(
                Problem(
                    name,
                    totals.index[1],
                    "row_type",
                    "total",
                    f"event {event_id!r} has more than one preferred total",
                )
            )
        exact = totals[(totals["qualifier"] == "exact") & totals["count"].notna()]
        if len(exact) == 1:
            total = int(exact["count"].iloc[0])
            persons = rows[(rows["row_type"] == "person") & rows["preferred"]]
            described = int(persons["count"].sum())
            if described > total:
                problems.append(
                    Problem(
                        name,
                        persons.index[-1],
                        "count",
                        described,
                        f"people listed in event {event_id!r} exceed its total {total}",
                    )
                )
            for line, out in rows[rows["row_type"] == "outcome"].iterrows():
                if pd.notna(out["count"]) and out["qualifier"] == "exact" and out["count"] > total:
                    problems.append(
                        Problem(
                            name,
                            line,
                            "count",
                            out["count"],
                            f"outcome count exceeds the event total {total}",
                        )
                    )
    for group, rows in frame.dropna(subset=["conflict_group"]).groupby("conflict_group"):
        if int(rows["preferred"].sum()) != 1:
            problems.append(
                Problem(
                    name,
                    rows.index[0],
                    "preferred",
                    int(rows["preferred"].sum()),
                    f"conflict group {group!r} needs exactly one preferred row",
                )
            )
    return problems


def _arrest_checks(frame: pd.DataFrame, name: str) -> list[Problem]:
    return (
        _period_problems(frame, name)
        + _arrest_row_problems(frame, name)
        + _arrest_group_problems(frame, name)
    )


DATASET = Dataset(
    file=FILE,
    name="arrests-by-offence",
    title="Published LFR arrest counts by offence, category, outcome and event",
    description=(
        "One row per published figure: event and period totals, outcome totals, aggregate "
        "categories, offences named in 'including' lists, and arrested people listed one by "
        "one, for the Met and ten other forces, 2016-2026. Each row cites the page it was "
        "read from; qualifier says whether the count is exact, a lower bound, approximate "
        "or only a share. Conflicting versions are kept, one marked preferred."
    ),
    sources=(
        {
            "title": "Met news releases and aggregate statements (per-row URLs)",
            "path": "https://news.met.police.uk/",
        },
        {
            "title": "Met VAWG action plan progress: tackling perpetrators",
            "path": "https://www.met.police.uk/police-forces/metropolitan-police/areas/"
            "about-us/about-the-met/vawg-action-plan-summary/tackling-perpetrators/",
        },
        {
            "title": "Other forces' releases and press reports (per-row URLs)",
            "path": "https://www.essex.police.uk/",
        },
    ),
    columns=COLUMNS,
    unique=("record_id",),
    checks=_arrest_checks,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load and validate ``data/arrests_by_offence.csv``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file (default: the data folder's).
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per published figure; ``count`` is nullable ``Int64``.

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        Naming file, line, column and value of every problem.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
