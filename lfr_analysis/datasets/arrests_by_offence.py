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
    def readable(value: str) -> bool:
        if _PARTIAL_DATE.fullmatch(value) is None:
            return False
        try:
            pd.Timestamp(value + "-01" * ((10 - len(value)) // 3))
        except ValueError:
            return False
        return True

    problems = []
    for column in ("period_start", "period_end"):
        values = frame[column].dropna()
        readable_values = {value: readable(value) for value in values.unique()}
        bad = values[~values.map(readable_values).astype(bool)]
        problems += [
            Problem(name, line, column, value, "is not YYYY, YYYY-MM or YYYY-MM-DD")
            for line, value in bad.items()
        ]
    both = frame[["period_start", "period_end"]].dropna()
    start, end = both["period_start"], both["period_end"]
    width = pd.concat([start.str.len(), end.str.len()], axis=1).min(axis=1)
    for size in width.unique():
        before = (width == size) & (start.str[:size] > end.str[:size])
        problems += [
            Problem(name, line, "period_end", end[line], f"is before {start[line]}")
            for line in both.index[before.to_numpy(dtype=bool)]
        ]
    return sorted(problems, key=lambda problem: problem.line)  # stable: rule order in a line


def _arrest_row_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    # As the row-by-row checks did, a missing id, category or preferred mark (reported by
    # the value rules) stops the relation checks until the file is corrected.
    needed = frame[["record_id", "event_id", "published_category"]].isna().any(axis=None)
    if needed or (frame["conflict_group"].isna() & frame["preferred"].isna()).any():
        raise ValueError("a value the relation checks need is missing")

    def at(mask, column, message, value=None, *, as_read=True):
        rows = frame.loc[pd.Series(mask, index=frame.index).astype(bool), column]
        return [
            Problem(name, line, column, cell if as_read else value, message)
            for line, cell in rows.items()
        ]

    count, row_type, flags = frame["count"], frame["row_type"], frame["quality_flags"]
    share = "must be blank exactly when qualifier is 'share'"
    problems = [
        Problem(name, line, "count", None if pd.isna(cell) else cell, share)
        for line, cell in count[(frame["qualifier"] == "share") != count.isna()].items()
    ]
    ids = zip(frame["record_id"], frame["event_id"], strict=True)
    problems += at(
        [not r.startswith(e + "-") for r, e in ids], "record_id", "must start with event_id"
    )
    problems += at(
        frame["published_category"].str.startswith("ALL").astype(bool)
        != row_type.isin(["total", "outcome"]),
        "row_type",
        "total/outcome rows, and only they, have a category starting 'ALL'",
    )
    problems += at(
        (row_type == "outcome") & frame["outcome"].isna(),
        "outcome",
        "outcome row without outcome",
        as_read=False,
    )
    unknown = {
        cell: [flag for flag in split_list(cell) if flag not in QUALITY_FLAGS]
        for cell in flags.dropna().unique()
    }
    problems += [
        Problem(name, line, "quality_flags", flag, "is not a known quality flag")
        for line, cell in flags.dropna().items()
        for flag in unknown[cell]
    ]
    url = frame["source_url"].astype(str).str.startswith(("http://", "https://"))
    problems += at(~url.astype(bool), "source_url", "is not a URL")
    problems += at(
        frame["conflict_group"].isna() & ~frame["preferred"].fillna(True).astype(bool),
        "preferred",
        "only rows in a conflict group may be not preferred",
        "false",
        as_read=False,
    )
    return sorted(problems, key=lambda problem: problem.line)  # stable: rule order in a line


def _events_to_check(frame: pd.DataFrame) -> pd.Index:
    """The events whose rows could break a rule of :func:`_arrest_group_problems`.

    Found for all events at once; only these are then checked one by one, which names
    the line and value of each problem.
    """
    by_event = frame.groupby("event_id", sort=False)
    if frame["preferred"].isna().any():  # the checks below refuse it, as they always did
        return pd.Index(frame["event_id"].dropna().unique())
    differ = (by_event[["force", "event"]].nunique() > 1).any(axis=1)
    preferred = frame["preferred"].fillna(False).astype(bool)
    total = (frame["row_type"] == "total") & preferred
    exact = total & (frame["qualifier"] == "exact") & frame["count"].notna()
    counts = frame["count"].astype("Float64").fillna(0.0)
    person = ((frame["row_type"] == "person") & preferred).astype(bool)
    outcome = (frame["row_type"] == "outcome") & (frame["qualifier"] == "exact")
    per_event = pd.DataFrame(
        {
            "event_id": frame["event_id"],
            "totals": total.astype(int),
            "exact": exact.astype(int),
            "exact_total": counts.where(exact.astype(bool), 0.0),
            "described": counts.where(person, 0.0),
            "outcome": counts.where(outcome.fillna(False).astype(bool), 0.0),
        }
    ).groupby("event_id", sort=False)
    summed = per_event[["totals", "exact", "exact_total", "described"]].sum()
    largest = per_event["outcome"].max()
    one_exact = summed["exact"] == 1
    above = (summed["described"] > summed["exact_total"]) | (largest > summed["exact_total"])
    flagged = differ | (summed["totals"] > 1) | (one_exact & above)
    return flagged.index[flagged.to_numpy(dtype=bool)]


def _arrest_group_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    checked = frame[frame["event_id"].isin(_events_to_check(frame))]
    for event_id, rows in checked.groupby("event_id", sort=False):
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
            counts = rows["count"]
            above = (rows["row_type"] == "outcome") & (rows["qualifier"] == "exact")
            above &= counts.notna() & (counts > total).fillna(False)
            problems += [
                Problem(
                    name, line, "count", count, f"outcome count exceeds the event total {total}"
                )
                for line, count in counts[above.astype(bool)].items()
            ]
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
