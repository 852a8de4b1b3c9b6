"""Arrests after Live Facial Recognition alerts: what they were for, and each deployment's yield.

Two cited data files back this module:

``data/arrests_by_offence.csv``
    Published arrest counts, one row per figure: event or period totals (``row_type``
    ``total``), totals with a given outcome (``outcome``), aggregate categories such as
    "VAWG" or "sex offenders in breach" (``category``), offences named in an "including ..."
    list without a count (``named``, count 1 and qualifier ``at_least``), and arrested people
    listed one by one (``person``: one person, or n people with the same description). Each
    count carries a ``qualifier``: ``exact`` (as published), ``at_least`` ("more than N",
    or named without a count), ``approx`` ("about N") or ``share`` (only a proportion was
    published; the count is blank and never derived).
``data/offence_taxonomy.csv``
    Every published category mapped onto three harmonised axes: why the person was wanted
    (:data:`WHY_WANTED`), the Home Office offence group (:data:`OFFENCE_GROUPS`) and
    cross-cutting flags (VAWG, domestic abuse, managed offender, weapon), with a ``verify``
    mark where the mapping is uncertain.

Rows of one event are *not* additive in general: "including" lists overlap, VAWG overlaps
every offence group, and basis categories may overlap each other. :func:`arrest_counts`
therefore gives per-category counts with exact Poisson intervals, and simultaneous
multinomial intervals for shares only when the categories are exclusive and complete,
refusing otherwise with :class:`OverlappingCategoriesError`, which names the overlap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import multinomial_proportions_confint, proportion_confint
from statsmodels.stats.rates import confint_poisson

from lfr_analysis import paths
from lfr_analysis.validation import Column, Problem, read_table

ARRESTS_FILE = "arrests_by_offence.csv"
TAXONOMY_FILE = "offence_taxonomy.csv"

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

#: Axis A: why the person was wanted or arrested.
WHY_WANTED = {
    "A1": "Wanted by the courts (failure to appear, warrant)",
    "A2": "Wanted by police or suspected of an offence",
    "A3": "Offender management breach (RSO/SHPO, licence, recall, tag)",
    "A4": "Breach of bail or of a protective order",
    "A5": "New offence found at the stop",
    "A9": "Not stated",
}

#: Axis B: Home Office Counting Rules offence groups, plus groups for what they omit.
OFFENCE_GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Robbery",
    "Burglary",
    "Vehicle offences",
    "Theft",
    "Arson and criminal damage",
    "Drug offences",
    "Possession of weapons",
    "Public order offences",
    "Miscellaneous crimes against society",
    "Fraud",
    "Administration of justice (non-notifiable)",
    "Motoring",
    "Immigration",
    "Other non-notifiable",
    "Unspecified",
)
CATEGORY_AXES = ("total", "why_wanted", "offence", "flag")
FLAG_COLUMNS = ("vawg", "domestic_abuse", "managed_offender", "weapon")
NOT_DESCRIBED = "(not described)"
NOT_CODED = "(not coded on this axis)"

_PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")

ARREST_COLUMNS = [
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
        description="Known quirks, semicolon-separated (see lfr_analysis.arrests.QUALITY_FLAGS).",
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

TAXONOMY_COLUMNS = [
    Column("published_category", "str", required=True, description="Category as published."),
    Column(
        "category_axis",
        "str",
        required=True,
        choices=CATEGORY_AXES,
        description="What the category is defined on: total, why_wanted, offence or flag.",
    ),
    Column(
        "why_wanted",
        "str",
        choices=tuple(WHY_WANTED),
        description="Axis A code (A1 courts, A2 police, A3 offender management, A4 bail or "
        "protective order, A5 found at stop, A9 not stated).",
    ),
    Column(
        "offence_group",
        "str",
        choices=OFFENCE_GROUPS,
        description="Axis B: Home Office offence group of the principal (most serious) offence; "
        "for failure to appear or recall, the underlying offence where stated.",
    ),
    Column("offence_subgroup", "str", description="Sub-group where the description allows."),
    Column(
        "other_offence_groups",
        "str",
        description="Groups of the person's other offences, semicolon-separated.",
    ),
    Column("vawg", "bool", required=True, description="Violence against women and girls flag."),
    Column("domestic_abuse", "bool", required=True, description="Domestic abuse flag."),
    Column(
        "managed_offender",
        "bool",
        required=True,
        description="Registered sex offender, MAPPA, licence, tag or order condition.",
    ),
    Column("weapon", "bool", required=True, description="Knife- or weapon-related."),
    Column("verify", "bool", required=True, description="True where the mapping is uncertain."),
    Column("mapping_note", "str", description="Reason for the mapping or the uncertainty."),
]

DATA_RESOURCES = [
    {
        "path": ARRESTS_FILE,
        "name": "arrests-by-offence",
        "title": "Published LFR arrest counts by offence, category, outcome and event",
        "description": (
            "One row per published figure: event and period totals, outcome totals, aggregate "
            "categories, offences named in 'including' lists, and arrested people listed one by "
            "one, for the Met and ten other forces, 2016-2026. Each row cites the page it was "
            "read from; qualifier says whether the count is exact, a lower bound, approximate "
            "or only a share. Conflicting versions are kept, one marked preferred."
        ),
        "sources": [
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
        ],
        "columns": ARREST_COLUMNS,
    },
    {
        "path": TAXONOMY_FILE,
        "name": "offence-taxonomy",
        "title": "Harmonised taxonomy of published LFR arrest categories",
        "description": (
            "Each published category mapped to why the person was wanted (axis A), the Home "
            "Office Counting Rules offence group of the principal offence (axis B) and "
            "cross-cutting flags; verify marks uncertain mappings."
        ),
        "sources": [
            {
                "title": "Home Office Counting Rules for Recorded Crime",
                "path": "https://www.gov.uk/government/publications/counting-rules-for-recorded-crime",
            },
            {
                "title": "Sentencing Council, Breach Offences definitive guideline (2018)",
                "path": "https://www.sentencingcouncil.org.uk/overarching-guides/magistrates-court/"
                "item/breach-offences/",
            },
        ],
        "columns": TAXONOMY_COLUMNS,
    },
]


# ----------------------------------------------------------------------------- loading


def _split(text) -> list[str]:
    if text is None or (isinstance(text, float) and np.isnan(text)) or pd.isna(text):
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


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
        for flag in _split(row["quality_flags"]):
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


def _taxonomy_checks(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for line, row in frame.iterrows():
        axis = row["category_axis"]
        if axis == "offence" and (pd.isna(row["why_wanted"]) or pd.isna(row["offence_group"])):
            problems.append(
                Problem(
                    name,
                    line,
                    "offence_group",
                    None,
                    "offence categories need why_wanted and offence_group",
                )
            )
        if axis == "why_wanted" and pd.isna(row["why_wanted"]):
            problems.append(
                Problem(
                    name, line, "why_wanted", None, "why_wanted categories need a why_wanted code"
                )
            )
        if axis in ("total", "why_wanted", "flag") and pd.notna(row["offence_group"]):
            problems.append(
                Problem(
                    name,
                    line,
                    "offence_group",
                    row["offence_group"],
                    f"{axis} categories carry no offence group",
                )
            )
        if axis == "flag" and not any(bool(row[f]) for f in FLAG_COLUMNS) and not row["verify"]:
            problems.append(
                Problem(
                    name,
                    line,
                    "category_axis",
                    axis,
                    "flag categories need a flag set, or verify and a note",
                )
            )
        for group in _split(row["other_offence_groups"]):
            if group not in OFFENCE_GROUPS:
                problems.append(
                    Problem(
                        name, line, "other_offence_groups", group, "is not one of OFFENCE_GROUPS"
                    )
                )
        if row["verify"] and pd.isna(row["mapping_note"]):
            problems.append(
                Problem(
                    name,
                    line,
                    "mapping_note",
                    None,
                    "a mapping marked verify needs a note saying why",
                )
            )
    return problems


def load_arrests(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
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
    lfr_analysis.validation.DataValidationError
        Naming file, line, column and value of every problem.
    """
    path = Path(path) if path is not None else paths.data_dir() / ARRESTS_FILE
    return read_table(
        path,
        ARREST_COLUMNS,
        unique=("record_id",),
        verify_checksum=verify_checksum,
        extra_checks=_arrest_checks,
    )


def load_taxonomy(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load and validate ``data/offence_taxonomy.csv`` (published category -> axes).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file (default: the data folder's).
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per published category.
    """
    path = Path(path) if path is not None else paths.data_dir() / TAXONOMY_FILE
    return read_table(
        path,
        TAXONOMY_COLUMNS,
        unique=("published_category",),
        verify_checksum=verify_checksum,
        extra_checks=_taxonomy_checks,
    )


# --------------------------------------------------------------------------- harmonise


def harmonise(
    arrests: pd.DataFrame | None = None, taxonomy: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Attach the harmonised axes to each published figure.

    Parameters
    ----------
    arrests : pandas.DataFrame, optional
        Output of :func:`load_arrests` (default: load it).
    taxonomy : pandas.DataFrame, optional
        Output of :func:`load_taxonomy` (default: load it).

    Returns
    -------
    pandas.DataFrame
        The arrests with the taxonomy's columns and ``why_wanted_label`` added.

    Raises
    ------
    ValueError
        When a published category has no taxonomy row (naming the records and categories).
    """
    arrests = load_arrests() if arrests is None else arrests
    taxonomy = load_taxonomy() if taxonomy is None else taxonomy
    for frame, label, needed in (
        (arrests, "arrests", ("record_id", "published_category")),
        (taxonomy, "taxonomy", ("published_category", "category_axis")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"{label} table lacks column(s) {missing}")
    known = set(taxonomy["published_category"])
    unmapped = arrests[~arrests["published_category"].isin(known)]
    if len(unmapped):
        listed = "; ".join(
            f"{r.record_id}: {r.published_category!r}" for r in unmapped.itertuples()
        )
        raise ValueError(
            f"{len(unmapped)} record(s) have a published_category missing from "
            f"{TAXONOMY_FILE} (add a row for each): {listed}"
        )
    merged = arrests.merge(taxonomy, on="published_category", how="left", validate="many_to_one")
    merged["why_wanted_label"] = merged["why_wanted"].map(WHY_WANTED)
    return merged


# --------------------------------------------------------------------------- reconcile


def reconcile(arrests: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare each event's published total with what its rows describe.

    Parameters
    ----------
    arrests : pandas.DataFrame, optional
        Output of :func:`load_arrests` (default: load it). Only preferred rows are used.

    Returns
    -------
    pandas.DataFrame
        One row per event with a preferred total that has a count: ``total``,
        ``total_qualifier``,
        ``people_described`` (sum of ``person`` rows), ``not_described`` (total minus
        people described, computed here; NA unless the total is exact and people are
        listed), ``outcomes_published``
        (sum of exact ``outcome`` rows), ``no_published_outcome`` and ``status``
        (``"reconciled"``, ``"partly described"``, ``"no list"``, ``"exceeds total"`` or
        ``"total not exact"``).
    """
    arrests = load_arrests() if arrests is None else arrests
    rows = arrests[arrests["preferred"] & arrests["count"].notna()]
    records = []
    for event_id, group in rows.groupby("event_id", sort=False):
        totals = group[group["row_type"] == "total"]
        if totals.empty:
            continue
        total_row = totals.iloc[0]
        persons = group[group["row_type"] == "person"]
        outcomes = group[(group["row_type"] == "outcome") & (group["qualifier"] == "exact")]
        described = int(persons["count"].sum())
        published = int(outcomes["count"].sum())
        exact = total_row["qualifier"] == "exact"
        total = int(total_row["count"])
        if not exact:
            status = "total not exact"
        elif persons.empty:
            status = "no list"
        elif described == total:
            status = "reconciled"
        elif described < total:
            status = "partly described"
        else:
            status = "exceeds total"
        records.append(
            {
                "event_id": event_id,
                "force": total_row["force"],
                "event": total_row["event"],
                "total": total,
                "total_qualifier": total_row["qualifier"],
                "people_described": described,
                "not_described": total - described if exact and len(persons) else pd.NA,
                "outcomes_published": published,
                "no_published_outcome": total - published if exact and published else pd.NA,
                "status": status,
            }
        )
    result = pd.DataFrame.from_records(records)
    for column in ("not_described", "no_published_outcome"):
        result[column] = result[column].astype("Int64")
    return result


# ------------------------------------------------------------------------ count tables


class OverlappingCategoriesError(ValueError):
    """Shares were asked for categories that are not exclusive and complete."""


def _qualifier_of(qualifiers: pd.Series) -> str:
    kinds = set(qualifiers)
    if kinds == {"exact"}:
        return "exact"
    if "approx" in kinds:
        return "approx"
    return "at_least"


_READING = {
    "exact": "count as published",
    "at_least": "lower bound: published as 'more than N' or named without a count; "
    "the upper limit is unbounded",
    "approx": "approximate count: the interval ignores the rounding",
}


def _as_list(by) -> list[str]:
    if isinstance(by, str):
        return [by]
    if isinstance(by, Sequence) and by and all(isinstance(b, str) for b in by):
        return list(by)
    raise ValueError(f"by must be a column name or a list of column names, not {by!r}")


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (exclusive), not {alpha!r}")


def _select(frame: pd.DataFrame, row_types, events, axes) -> pd.DataFrame:
    unknown = sorted(set(row_types) - set(ROW_TYPES))
    if unknown or not row_types:
        raise ValueError(f"row_types must be a non-empty subset of {ROW_TYPES}; got {row_types!r}")
    chosen = frame[frame["preferred"].astype(bool) & frame["row_type"].isin(row_types)]
    if axes is not None:
        axes = [axes] if isinstance(axes, str) else list(axes)
        wrong = sorted(set(axes) - set(CATEGORY_AXES))
        if wrong or not axes:
            raise ValueError(f"axes must be a non-empty subset of {CATEGORY_AXES}; got {axes!r}")
        chosen = chosen[chosen["category_axis"].isin(axes)]
    if events is not None:
        events = [events] if isinstance(events, str) else list(events)
        missing = sorted(set(events) - set(frame["event_id"]))
        if missing:
            raise ValueError(f"unknown event_id(s): {missing}")
        chosen = chosen[chosen["event_id"].isin(events)]
    if chosen.empty:
        raise ValueError(f"no preferred rows of type {tuple(row_types)} in the selected events")
    no_count = chosen[chosen["count"].isna()]
    if len(no_count):
        raise ValueError(
            "rows with no count (only a share was published) cannot be counted: "
            + ", ".join(no_count["record_id"])
            + "; leave them out with row_types or events"
        )
    return chosen


def _poisson_limits(counts: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    counts = np.asarray(counts, dtype=float)
    lower, upper = confint_poisson(counts, np.ones_like(counts), method="exact-c", alpha=alpha)
    return np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)


def overlap_reasons(
    chosen: pd.DataFrame, by: list[str], full: pd.DataFrame, *, residual: bool = True
) -> list[str]:
    """Say why the chosen rows cannot be read as exclusive, complete categories.

    Parameters
    ----------
    chosen : pandas.DataFrame
        Harmonised rows to be turned into shares.
    by : list of str
        Columns defining the categories.
    full : pandas.DataFrame
        All harmonised rows (to find each event's published total).
    residual : bool
        Whether arrests not described may be completed by a computed
        ``"(not described)"`` category.

    Returns
    -------
    list of str
        One reason per problem, naming the categories involved; empty when shares are valid.
    """
    reasons = []
    inexact = chosen[chosen["qualifier"] != "exact"]
    if len(inexact):
        names = sorted(set(inexact["published_category"]))
        reasons.append(
            f"{names} are lower bounds or approximate ({sorted(set(inexact['qualifier']))}); "
            "shares need exact counts"
        )
    named = chosen[chosen["row_type"] == "named"]
    if len(named):
        reasons.append(
            f"{sorted(set(named['published_category']))} are named in 'including' lists, "
            "where one person may be counted under several offences"
        )
    flags = chosen[chosen["category_axis"] == "flag"]
    if len(flags):
        reasons.append(
            f"{sorted(set(flags['published_category']))} are cross-cutting flags, which "
            "overlap each other and any offence group"
        )
    aggregate = chosen[chosen["row_type"] != "person"]
    if len(aggregate) and (chosen["row_type"] == "person").any():
        reasons.append(
            f"aggregate categories {sorted(set(aggregate['published_category']))} may include "
            "the people listed one by one"
        )
    axes = sorted(set(aggregate["category_axis"]))
    if len(axes) > 1:
        reasons.append(f"categories {sorted(set(aggregate['published_category']))} mix axes {axes}")
    for event_id, rows in chosen.groupby("event_id", sort=False):
        totals = full[
            (full["event_id"] == event_id)
            & (full["row_type"] == "total")
            & full["preferred"].astype(bool)
        ]
        if totals.empty or totals["qualifier"].iloc[0] != "exact":
            reasons.append(
                f"event {event_id!r} has no exact published total, so completeness "
                "cannot be checked"
            )
            continue
        total = int(totals["count"].iloc[0])
        parts = [int(c) for c in rows["count"]]
        summed = sum(parts)
        if summed > total:
            cats = sorted(set(rows["published_category"]))
            reasons.append(
                f"in event {event_id!r}, {' + '.join(map(str, parts))} = {summed} exceeds the "
                f"published total {total} by {summed - total}: categories {cats} overlap, or "
                "a published figure is wrong"
            )
        elif summed < total and not residual:
            reasons.append(
                f"in event {event_id!r} the categories cover {summed} of {total} arrests "
                "(not complete)"
            )
    return reasons


def _residual_rows(chosen: pd.DataFrame, full: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    extra = []
    for event_id, rows in chosen.groupby("event_id", sort=False):
        totals = full[
            (full["event_id"] == event_id)
            & (full["row_type"] == "total")
            & full["preferred"].astype(bool)
        ]
        missing = int(totals["count"].iloc[0]) - int(rows["count"].sum())
        if missing > 0:
            extra.append(
                {
                    **{col: NOT_DESCRIBED for col in by},
                    "event_id": event_id,
                    "count": missing,
                    "qualifier": "exact",
                }
            )
    return pd.DataFrame.from_records(extra)


def arrest_counts(
    arrests: pd.DataFrame | None = None,
    by: str | list[str] = "offence_group",
    *,
    row_types: Sequence[str] = ("person",),
    events: str | Sequence[str] | None = None,
    axes: str | Sequence[str] | None = None,
    exposure: float | None = None,
    alpha: float = 0.05,
    shares: bool = False,
    residual: bool = True,
) -> pd.DataFrame:
    """Count published arrests by category, with exact Poisson intervals (and shares).

    Only preferred rows are used (of competing versions, the one the data file marks
    preferred). Counts of different rows are summed within each category, so choose rows
    that do not overlap: the default, people listed one by one, never double-counts.

    Parameters
    ----------
    arrests : pandas.DataFrame, optional
        Harmonised table (:func:`harmonise`); a raw :func:`load_arrests` table is
        harmonised first. Default: load and harmonise the data files.
    by : str or list of str
        Column(s) defining the categories, e.g. ``"offence_group"``, ``"why_wanted"``,
        ``"vawg"``, ``"published_category"`` or ``"outcome"``.
    row_types : sequence of str
        Which row types to count (see :data:`ROW_TYPES`).
    events : str or sequence of str, optional
        Restrict to these ``event_id`` values.
    axes : str or sequence of str, optional
        Restrict to categories defined on these axes (see :data:`CATEGORY_AXES`), e.g.
        ``"why_wanted"`` for the Met's arrest-basis categories.
    exposure : float, optional
        Divide counts and limits by this (e.g. number of deployments) to give ``rate``.
    alpha : float
        1 - confidence level.
    shares : bool
        Add shares with Goodman simultaneous multinomial intervals. Only valid when the
        categories are exclusive and complete; otherwise raises
        :class:`OverlappingCategoriesError`.
    residual : bool
        With ``shares``, complete each event with a computed ``"(not described)"``
        category (published total minus the counts described).

    Returns
    -------
    pandas.DataFrame
        Per category: ``arrests``, ``qualifier``, ``reading``, ``lower``, ``upper`` (exact
        Poisson, ``upper`` infinite for lower-bound counts), ``n_rows``, ``n_events``,
        ``method``, ``conf_level``; ``rate``/``rate_lower``/``rate_upper`` with
        ``exposure``; ``share``/``share_lower``/``share_upper`` with ``shares``. Sorted by
        ``arrests``, largest first.

    Raises
    ------
    ValueError
        For bad arguments, unknown columns or rows with no count.
    OverlappingCategoriesError
        When shares are asked for overlapping or incomplete categories; the message names
        them.
    """
    _check_alpha(alpha)
    by = _as_list(by)
    if exposure is not None and not (np.isfinite(exposure) and exposure > 0):
        raise ValueError(f"exposure must be a positive number, not {exposure!r}")
    full = load_arrests() if arrests is None else arrests
    if "category_axis" not in full.columns:
        full = harmonise(full)
    missing = [col for col in by if col not in full.columns]
    if missing:
        raise ValueError(f"unknown column(s) in by: {missing}")
    chosen = _select(full, tuple(row_types), events, axes).copy()
    for col in by:
        chosen[col] = chosen[col].astype(object).where(chosen[col].notna(), NOT_CODED)
    if shares:
        reasons = overlap_reasons(chosen, by, full, residual=residual)
        if reasons:
            raise OverlappingCategoriesError(
                "shares need exclusive and complete categories; refused because: "
                + "; ".join(reasons)
                + ". Report the categories as separate counts instead."
            )
        chosen = pd.concat([chosen, _residual_rows(chosen, full, by)], ignore_index=True)
    chosen["count"] = chosen["count"].astype(int)
    table = (
        chosen.groupby(by, sort=False, dropna=False)
        .agg(
            arrests=("count", "sum"),
            qualifier=("qualifier", _qualifier_of),
            n_rows=("count", "size"),
            n_events=("event_id", "nunique"),
        )
        .reset_index()
    )
    lower, upper = _poisson_limits(table["arrests"].to_numpy(), alpha)
    upper = np.where(table["qualifier"] == "at_least", np.inf, upper)
    table["lower"], table["upper"] = lower, upper
    table["reading"] = table["qualifier"].map(_READING)
    table["method"] = "exact Poisson (Garwood)"
    table["conf_level"] = 1 - alpha
    if exposure is not None:
        table["rate"] = table["arrests"] / exposure
        table["rate_lower"] = table["lower"] / exposure
        table["rate_upper"] = table["upper"] / exposure
    if shares:
        counts = table["arrests"].to_numpy()
        table["share"] = counts / counts.sum()
        if len(counts) >= 2:
            limits = multinomial_proportions_confint(counts, alpha=alpha, method="goodman")
            # Goodman's closed form can overshoot [0, 1] by rounding (e.g. 1 + 2e-16 when a
            # category holds every arrest); shares cannot.
            limits = np.clip(limits, 0.0, 1.0)
        else:
            limits = np.array([[1.0, 1.0]])
        table["share_lower"], table["share_upper"] = limits[:, 0], limits[:, 1]
        table["share_method"] = "simultaneous multinomial (Goodman 1965)"
    return table.sort_values(["arrests", *by], ascending=[False] + [True] * len(by)).reset_index(
        drop=True
    )


# ---------------------------------------------------------------------- arrest yield

YIELD_BY = ("year", "month", "threshold", "purpose", "borough")
_YIELD_NEEDS = ("date", "faces_seen", "alerts", "arrests")


def _yield_frame(deployments: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if not isinstance(deployments, pd.DataFrame):
        raise ValueError("deployments must be a pandas DataFrame")
    needed = list(_YIELD_NEEDS) + [c for c in by if c not in ("year", "month")]
    missing = [c for c in dict.fromkeys(needed) if c not in deployments.columns]
    if missing:
        raise ValueError(f"deployments lacks column(s) {missing}")
    frame = deployments.copy()
    dates = pd.to_datetime(frame["date"], errors="coerce")
    bad = frame.index[dates.isna()]
    if len(bad):
        raise ValueError(f"deployments has missing or unreadable dates at rows {list(bad)[:10]}")
    frame["year"] = dates.dt.year
    frame["month"] = dates.dt.strftime("%Y-%m")
    for column in ("faces_seen", "alerts", "arrests"):
        values = pd.to_numeric(frame[column], errors="coerce")
        text = frame.index[values.isna() & frame[column].notna()]
        if len(text):
            raise ValueError(f"column {column!r} holds non-numbers at rows {list(text)[:10]}")
        negative = frame.index[values < 0]
        if len(negative):
            raise ValueError(f"column {column!r} is negative at rows {list(negative)[:10]}")
        frame[column] = values
    return frame


def _per_alert(arrests: float, alerts: float, alpha: float) -> tuple[float, float, str]:
    if alerts <= 0:
        return np.nan, np.nan, "no alerts recorded"
    if arrests <= alerts:
        lower, upper = proportion_confint(arrests, alerts, alpha=alpha, method="beta")
        return float(lower), float(upper), "Clopper-Pearson (arrests as a share of alerts)"
    lower, upper = confint_poisson(arrests, alerts, method="exact-c", alpha=alpha)
    return float(lower), float(upper), "exact Poisson (arrests exceed alerts)"


def _dispersion(values: np.ndarray) -> float:
    if len(values) < 2 or values.mean() == 0:
        return np.nan
    mean = values.mean()
    return float(((values - mean) ** 2 / mean).sum() / (len(values) - 1))


def _yield_row(group: pd.DataFrame, alpha: float) -> dict:
    known = group[group["arrests"].notna()]
    arrests = float(known["arrests"].sum())
    row = {
        "deployments": len(group),
        "deployments_arrests_known": len(known),
        "arrests": int(arrests),
    }
    n = len(known)
    if n:
        lower, upper = confint_poisson(arrests, float(n), method="exact-c", alpha=alpha)
        row |= {
            "per_deployment": arrests / n,
            "per_deployment_lower": float(lower),
            "per_deployment_upper": float(upper),
        }
    else:
        row |= {
            "per_deployment": np.nan,
            "per_deployment_lower": np.nan,
            "per_deployment_upper": np.nan,
        }
    with_alerts = known[known["alerts"].notna()]
    alerts = float(with_alerts["alerts"].sum())
    hits = float(with_alerts["arrests"].sum())
    lower, upper, method = _per_alert(hits, alerts, alpha)
    row |= {
        "alerts_used": int(alerts),
        "per_1000_alerts": 1000 * hits / alerts if alerts else np.nan,
        "per_1000_alerts_lower": 1000 * lower,
        "per_1000_alerts_upper": 1000 * upper,
        "per_alert_method": method,
    }
    with_faces = known[known["faces_seen"].notna()]
    faces = float(with_faces["faces_seen"].sum())
    hits = float(with_faces["arrests"].sum())
    if faces > 0:
        lower, upper = confint_poisson(hits, faces / 1e5, method="exact-c", alpha=alpha)
        row |= {
            "per_100k_faces": 1e5 * hits / faces,
            "per_100k_faces_lower": float(lower),
            "per_100k_faces_upper": float(upper),
        }
    else:
        row |= {
            "per_100k_faces": np.nan,
            "per_100k_faces_lower": np.nan,
            "per_100k_faces_upper": np.nan,
        }
    row["faces_used"] = int(faces)
    row["dispersion"] = _dispersion(known["arrests"].to_numpy(dtype=float))
    return row


def arrest_yield(
    deployments: pd.DataFrame, by: str | list[str] | None = "year", *, alpha: float = 0.05
) -> pd.DataFrame:
    """Arrests per deployment, per 1,000 alerts and per 100,000 faces seen, with intervals.

    Deployments whose arrests are unknown (NA) are counted in ``deployments`` but left out
    of every rate; each rate uses only the deployments that also have its denominator, and
    the denominators used are reported (``alerts_used``, ``faces_used``).

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with ``date``, ``faces_seen``, ``alerts``, ``arrests`` and
        the grouping columns (e.g. :func:`lfr_analysis.data.load_deployments`).
    by : str, list of str or None
        ``"year"`` or ``"month"`` (from ``date``), ``"threshold"``, ``"purpose"``,
        ``"borough"``, any other column, or None for one overall row. Missing group values
        (e.g. threshold not recorded) form their own group.
    alpha : float
        1 - confidence level.

    Returns
    -------
    pandas.DataFrame
        Per group: ``deployments``, ``deployments_arrests_known``, ``arrests``;
        ``per_deployment`` (exact Poisson interval); ``per_1000_alerts`` (Clopper-Pearson
        on arrests out of alerts, or exact Poisson where arrests exceed alerts; method in
        ``per_alert_method``); ``per_100k_faces`` (exact Poisson); ``dispersion`` (Pearson
        variance-to-mean ratio of arrests per deployment: well above 1 means deployments
        differ more than Poisson, so the per-deployment interval is too narrow);
        ``conf_level``.

    Raises
    ------
    ValueError
        Naming missing columns, unreadable dates, non-numeric or negative counts.
    """
    _check_alpha(alpha)
    by_list = [] if by is None else _as_list(by)
    frame = _yield_frame(deployments, by_list)
    if not by_list:
        result = pd.DataFrame([_yield_row(frame, alpha)])
    else:
        records = []
        for key, group in frame.groupby(by_list, sort=True, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            records.append(dict(zip(by_list, key, strict=True)) | _yield_row(group, alpha))
        result = pd.DataFrame.from_records(records)
    result["conf_level"] = 1 - alpha
    return result


# -------------------------------------------------------------------------- plotting


def plot_counts(
    table: pd.DataFrame,
    label: str,
    *,
    value: str = "arrests",
    lower: str = "lower",
    upper: str = "upper",
    ax=None,
    colour: str | None = None,
    note: str = "",
):
    """Draw a sorted horizontal dot-and-whisker chart of counts or shares.

    Lower-bound rows (``qualifier == "at_least"``) are drawn as open markers with an arrow
    to the right: the count could be larger and the upper limit is unbounded.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`arrest_counts` (or any frame with the named columns).
    label : str
        Column with the category labels.
    value, lower, upper : str
        Columns with the estimate and its limits.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    colour : str, optional
        Marker colour (default: the suite's primary colour).
    note : str
        Source note printed under the chart.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from lfr_analysis.plotting import COLOURS

    missing = [c for c in (label, value, lower, upper) if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks column(s) {missing}")
    data = table.sort_values(value).reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.35 * len(data) + 1.6))
    colour = colour or COLOURS["primary"]
    ys = np.arange(len(data))
    est = data[value].to_numpy(dtype=float)
    lo = data[lower].to_numpy(dtype=float)
    hi = data[upper].to_numpy(dtype=float)
    bounded = np.isfinite(hi)
    right = np.nanmax(np.where(bounded, hi, est)) if len(data) else 1.0
    hi_drawn = np.where(bounded, hi, est)
    ax.errorbar(est, ys, xerr=[est - lo, hi_drawn - est], fmt="none", ecolor=colour, lw=1.2)
    lower_bound = (
        (data["qualifier"] == "at_least").to_numpy()
        if "qualifier" in data.columns
        else np.zeros(len(data), bool)
    )
    ax.plot(est[~lower_bound], ys[~lower_bound], "o", color=colour)
    if lower_bound.any():
        ax.plot(
            est[lower_bound],
            ys[lower_bound],
            "o",
            mfc="white",
            color=colour,
            label="lower bound ('more than N' or named without a count)",
        )
        for x, y in zip(est[lower_bound], ys[lower_bound], strict=True):
            ax.annotate(
                "",
                xy=(x + 0.12 * right + 0.5, y),
                xytext=(x, y),
                arrowprops={"arrowstyle": "->", "color": colour},
            )
        ax.legend(loc="lower right", fontsize="small")
    ax.set_yticks(ys, data[label].astype(str))
    ax.set_xlim(left=0)
    if note:
        ax.annotate(
            note,
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -40),
            textcoords="offset points",
            fontsize="x-small",
            ha="left",
            va="top",
            wrap=True,
        )
    return ax
