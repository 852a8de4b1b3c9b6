"""``data/published_figures.csv``: figures published about LFR, one row per figure.

Figures the Met, the Home Office, courts, campaigners and the press have published, each
with its source, the value as printed and as a number, the period, and the ``metric`` it
measures from a fixed vocabulary (:data:`METRICS`). Where the figure is about part of the
record, ``record_filter`` says which part (:func:`parse_filter`). How a printed value is
read (its rounding step, :func:`rounding_step`) is part of what a row means, so it is
defined here; comparing a recomputed value with it is :mod:`lfr_analysis.claims`'s work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem

__all__ = [
    "CLOSE_TOLERANCE",
    "COLUMNS",
    "COUNT_UNITS",
    "DATASET",
    "FILE",
    "FORCES",
    "LOWER_BOUNDS",
    "MAX_METRICS",
    "METRICS",
    "NOT_IN_RECORD",
    "PROCESS_METRICS",
    "QUALIFIERS",
    "RATE_METRICS",
    "RATE_UNITS",
    "RATIO_METRICS",
    "RECORD_FORCE",
    "RECORD_METRICS",
    "STATUSES",
    "STATUS_DEFINITIONS",
    "UNDERSTATED_MARGIN",
    "UNITS",
    "PublishedNumber",
    "load",
    "parse_derived",
    "parse_filter",
    "published_numbers",
    "rounding_step",
]

FILE = "published_figures.csv"

RECORD_FORCE = "Metropolitan Police Service"

#: Who a figure is about. "other forces" is a figure about several forces together, or a
#: force with no name of its own here (the claim and notes say which).
FORCES = (
    RECORD_FORCE,
    "South Wales Police",
    "British Transport Police",
    "Home Office (Immigration Enforcement)",
    "other forces",
)

QUALIFIERS = ("exact", "about", "at_least", "more_than", "at_most", "less_than")
#: Qualifiers that make a figure a lower bound ("more than N", "at least N", "over N").
LOWER_BOUNDS = ("at_least", "more_than")
COUNT_UNITS = ("deployments", "faces", "alerts", "arrests", "people", "cameras")
RATE_UNITS = ("percent", "fraction", "one_in")
OTHER_UNITS = ("GBP", "deployments_per_week", "minutes", "years", "none")
UNITS = COUNT_UNITS + RATE_UNITS + OTHER_UNITS

#: Metrics the deployment record holds: metric -> (numerator column, denominator column).
#: ``None`` as numerator counts rows (deployments); ``None`` as denominator means a sum,
#: except for :data:`MAX_METRICS` (the largest value in the period).
RECORD_METRICS: dict[str, tuple[str | None, str | None]] = {
    "deployments": (None, None),
    "faces_seen": ("faces_seen", None),
    "alerts": ("alerts", None),
    "true_alerts": ("true_alerts", None),
    "false_alerts": ("false_alerts", None),
    "arrests": ("arrests", None),
    "false_alert_rate_per_face": ("false_alerts", "faces_seen"),
    "false_alert_rate_per_alert": ("false_alerts", "alerts"),
    "watchlist_size": ("watchlist_size", None),
    "threshold": ("threshold", None),
    "minutes_per_arrest": ("duration_minutes", "arrests"),
}

#: Record metrics that are the largest value in the period, not a sum.
MAX_METRICS = ("watchlist_size", "threshold")

#: Record metrics that are a ratio of two sums without a binomial interval.
RATIO_METRICS = ("minutes_per_arrest",)

#: Metrics the record does not hold: metric -> what is missing from it.
NOT_IN_RECORD: dict[str, str] = {
    "charged_or_cautioned": "the record stops at arrests; charges and cautions are not in it",
    "bailed": "the record stops at arrests; bail decisions are not in it",
    "arrests_in_category": (
        "the record gives arrests per deployment, not the offence or reason for each arrest"
    ),
    "people_stopped": "the record counts alerts and arrests, not people stopped and checked",
    "share_of_stops_with_breach": "the record does not say why a person was stopped",
    "share_of_arrests_in_category": (
        "the record gives arrests per deployment, not the offence or reason for each arrest"
    ),
    "share_of_alerts_not_wanted": (
        "the record does not say why each person on a watchlist was on it"
    ),
    "false_alerts_engaged": "the record does not say what happened after a false alert",
    "false_alerts_by_ethnicity": "the record holds no ethnicity of the people alerted on",
    "no_further_action": (
        "not recomputed: the 2023-24 grid prints identical 'other disposal' and 'no action' "
        "counts on every row (a known quirk), and transcribed rows lack them"
    ),
    "tested_false_alert_rate": (
        "a laboratory test result (NPL), not an operational figure; the record cannot "
        "reproduce a test, only be compared with it (see the predictions notebook)"
    ),
    "relative_true_positive_rate": (
        "a study's result by demographic group; the record holds no demographic data"
    ),
    "target_false_alert_rate": "a configured target, not an outcome the record counts",
    "change_in_use": "the basis of the percentage (which months compared) is not stated",
    "change_in_faces_seen": (
        "a change between two periods; the ledger recomputes figures over one period (each "
        "period's faces are in the record, see the figure's notes)"
    ),
    "crime_change": "the record holds no crime statistics",
    "change_in_time_to_locate": "the record holds no times to locate wanted people",
    "demographics_of_area": (
        "census figures for an area; the record holds no census data (the geography "
        "analysis compares deployments with the census)"
    ),
    "deployments_by_area_demography": (
        "needs each deployment's ward and the ward's census shares; the record names places "
        "and boroughs, not wards (notebook 07 gives the coarser borough-level reading)"
    ),
    "watchlist_composition": (
        "the record gives each watchlist's size, not who is on it (ages, categories)"
    ),
    "cameras": "the record counts deployments, not cameras",
    "example_figure": (
        "an illustration ('might make'), not a count for a stated period or deployment"
    ),
    "public_support": "a survey result; the record holds no survey data",
    "cost": "the record holds no costs",
    "planned_deployments": "a plan for the future, not a count in the record",
}

#: Claims about process: nothing in a table of counts can check them.
PROCESS_METRICS = ("process",)

METRICS = tuple(RECORD_METRICS) + tuple(NOT_IN_RECORD) + PROCESS_METRICS

RATE_METRICS = ("false_alert_rate_per_face", "false_alert_rate_per_alert")
_FILTER_KEYS = ("place", "borough", "threshold", "source_type")

#: Relative distance from the published value within which a figure counts as ``close``.
CLOSE_TOLERANCE = 0.05

#: A lower bound ("more than N") that holds is ``understated`` when the record's value is
#: more than this much above N (relative to N).
UNDERSTATED_MARGIN = 0.20

#: What each status of the ledger (``lfr-analysis claims``) means, in one sentence each.
STATUS_DEFINITIONS: dict[str, str] = {
    "reproduced": (
        "The record gives the published value at its printed precision over the figure's "
        "own period and part of the record; for a lower bound ('more than N'), the bound "
        f"holds and the record is at most {UNDERSTATED_MARGIN:.0%} above N."
    ),
    "understated": (
        "A lower bound ('more than N', 'at least N', 'over N') that holds, but the record is "
        f"more than {UNDERSTATED_MARGIN:.0%} above N: true as worded, yet it understates the "
        "record."
    ),
    "matched_other_reading": (
        "Not reproduced as stated, but reproduced by one of the fixed alternative readings "
        "declared for every figure of its metric (named in `reading`): a likely explanation, "
        "not a confirmation."
    ),
    "disagrees_with_record": (
        "Exactly its own source's arithmetic on other figures the source published "
        "(`derived_from`), but the record's counts differ from the source's, so the record "
        "does not give it; the verdict names the gap."
    ),
    "close": (
        "Not reproduced under any declared reading, but within "
        f"{CLOSE_TOLERANCE:.0%} of the published value as stated."
    ),
    "contradicted": (
        "Not reproduced under any declared reading, and further than "
        f"{CLOSE_TOLERANCE:.0%} from the published value as stated (or a bound the record "
        "breaks)."
    ),
    "not_reproducible": (
        "The record cannot speak to the figure (another force, a period outside the record "
        "or not stated, an outcome the record does not hold); the reason says what is missing."
    ),
    "not_checkable": (
        "A claim about process (what happens to images, how watchlists are built, what a "
        "court found), not a number a table of deployments can check."
    ),
}

#: Every status a figure can get, in the order the ledger counts them.
STATUSES = tuple(STATUS_DEFINITIONS)

COLUMNS = [
    Column("figure_id", "str", required=True, description="Stable identifier of the figure."),
    Column(
        "force",
        "str",
        required=True,
        choices=FORCES,
        description="Police force (or agency) the figure is about.",
    ),
    Column("publisher", "str", required=True, description="Who published the figure."),
    Column(
        "published",
        "date",
        description=(
            "Date the figure was published; blank when no dated copy was found (notes then "
            "give the month where it is known)."
        ),
    ),
    Column(
        "source_url",
        "str",
        required=True,
        description=(
            "The original publisher's page. Where the original address is not known, the "
            "copy that was read (then equal to copy_url, and notes say 'copy; original not "
            "found')."
        ),
    ),
    Column(
        "copy_url",
        "str",
        description=(
            "The copy (mirror, repost, transcription) in which the figure was read, when it "
            "was not read at source_url itself; blank when it was."
        ),
    ),
    Column(
        "accessed",
        "date",
        description=(
            "Date the figure was last read in its source (or copy) to check it; blank when it "
            "has not been re-read since an earlier compilation (notes say 'Not re-checked')."
        ),
    ),
    Column(
        "claim",
        "str",
        required=True,
        description="The claim, paraphrased, adding nothing its source does not say.",
    ),
    Column(
        "value_as_published",
        "str",
        required=True,
        description="The figure exactly as printed (text), including '~', '>' and units.",
    ),
    Column(
        "value",
        "float",
        description="The number in value_as_published, in `unit`; blank for non-numeric claims.",
    ),
    Column("unit", "str", required=True, choices=UNITS, description="Unit of `value`."),
    Column(
        "qualifier",
        "str",
        required=True,
        choices=QUALIFIERS,
        description="How `value` bounds the quantity: exact (rounded), about, at_least, ...",
    ),
    Column("period_start", "date", description="First day the figure covers."),
    Column("period_end", "date", description="Last day the figure covers."),
    Column(
        "metric",
        "str",
        required=True,
        choices=METRICS,
        description="What is measured, from the vocabulary in lfr_analysis.claims.METRICS.",
    ),
    Column(
        "record_filter",
        "str",
        description=(
            "Part of the record the figure is about: ';'-separated 'place~A|B' (location or "
            "borough contains A or B), 'borough=Westminster', 'threshold=0.6', "
            "'source_type=primary'."
        ),
    ),
    Column(
        "compared_with",
        "str",
        description="figure_id whose value is the bound of a comparative claim.",
    ),
    Column(
        "derived_from",
        "str",
        description=(
            "'A/B': the figure is the source's own ratio of two other figures it published "
            "(figure_ids A and B), e.g. a rate from its counts."
        ),
    ),
    Column("notes", "str", description="Context, conflicts and corrections, with reasons."),
]


# ------------------------------------------------------------------- published values


@dataclass(frozen=True)
class PublishedNumber:
    """A number found in published text with the step of its last printed digit."""

    value: Decimal
    step: Decimal


_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*(?:million|thousand))?", re.I)


_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_NUMBER_WORDS.update(no=0, none=0, single=1)

_SCALES = {"million": 1_000_000, "thousand": 1_000}


def published_numbers(text: str, *, trailing_zeros_round: bool) -> list[PublishedNumber]:
    """Return the numbers printed in ``text`` with their rounding step.

    Parameters
    ----------
    text : str
        Published text, e.g. ``"0.0003%"``, ``"1 in 33,000"``, ``"~4 million"``.
    trailing_zeros_round : bool
        True when trailing zeros of a whole number are rounding (``"33,000"`` printed to
        the thousand); False when a whole number is exact (a count of 540 arrests).

    Returns
    -------
    list of PublishedNumber
        Numbers written as words (``"seven"``, ``"no"`` for 0, exact; ``"three million"``
        rounded to the million) first, then figures in order of appearance; ``"4 million"``
        is 4000000 with step 1000000.
    """
    words = re.findall(r"[A-Za-z]+", text)
    found = []
    for word, following in zip(words, [*words[1:], ""][: len(words)], strict=True):
        if word.lower() not in _NUMBER_WORDS:
            continue
        scale = Decimal(_SCALES.get(following.lower(), 1))
        found.append(PublishedNumber(Decimal(_NUMBER_WORDS[word.lower()]) * scale, scale))
    for match in _NUMBER.finditer(text):
        whole, decimals, scale = match.group(1), match.group(2) or "", match.group(3) or ""
        digits = whole.replace(",", "")
        multiplier = Decimal(1)
        if scale.strip().lower() == "million":
            multiplier = Decimal(1_000_000)
        elif scale.strip().lower() == "thousand":
            multiplier = Decimal(1_000)
        number = Decimal(digits + decimals)
        if decimals:
            step = Decimal(1).scaleb(-(len(decimals) - 1))
        elif trailing_zeros_round or multiplier != 1:
            zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
            step = Decimal(1).scaleb(zeros)
        else:
            step = Decimal(1)
        found.append(PublishedNumber(number * multiplier, step * multiplier))
    return found


def rounding_step(value: float, text: str, unit: str, qualifier: str) -> Decimal:
    """Return the step of the printed digit of ``value`` in its published ``text``.

    Whole numbers are exact for count units unless the qualifier is ``about``; for rates
    printed as ``1 in N`` the trailing zeros of N are rounding.

    Raises
    ------
    ValueError
        When ``value`` is not printed in ``text``.
    """
    rounds = qualifier == "about" or unit not in COUNT_UNITS
    for number in published_numbers(text, trailing_zeros_round=rounds):
        if number.value == Decimal(repr(float(value))).normalize() or float(number.value) == value:
            return number.step
    raise ValueError(f"value {value!r} is not printed in {text!r}")


# ---------------------------------------------------------------------------- checks


def parse_filter(text: str | None) -> tuple[tuple[str, str, str], ...]:
    """Parse a ``record_filter`` cell into ``(key, operator, value)`` triples.

    Raises
    ------
    ValueError
        Naming the part that is not ``place~...``, ``borough=...``, ``threshold=...`` or
        ``source_type=...``.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return ()
    parts = []
    for part in str(text).split(";"):
        match = re.fullmatch(r"\s*(\w+)\s*([~=])\s*(.+?)\s*", part)
        if not match or match.group(1) not in _FILTER_KEYS:
            raise ValueError(
                f"filter {part!r} is not one of 'place~A|B', 'borough=Croydon', "
                "'threshold=0.6', 'source_type=primary'"
            )
        key, op, value = match.groups()
        if (key == "place") != (op == "~"):
            raise ValueError(f"filter {part!r}: use '~' with place and '=' otherwise")
        if key == "threshold":
            float(value)
        parts.append((key, op, value))
    return tuple(parts)


def parse_derived(text) -> tuple[str, str] | None:
    """Parse a ``derived_from`` cell ``"A/B"`` into the two figure_ids, or None when blank.

    Raises
    ------
    ValueError
        When the cell is not two figure_ids separated by '/'.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return None
    parts = [p.strip() for p in str(text).split("/")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"derived_from {text!r} is not 'A/B' (two figure_ids)")
    return parts[0], parts[1]


def _check_figures(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    references = frame.drop_duplicates("figure_id").set_index("figure_id")[["value", "unit"]]
    # one row as a plain dict (the rules parse each printed value, so they go row by row)
    for line, row in zip(frame.index, frame.to_dict("records"), strict=True):
        problems.extend(_check_figure_row(line, row, references, name))
    return problems


def _check_figure_row(line, row, references, name) -> list[Problem]:
    problems = []

    def problem(column, message):
        problems.append(Problem(name, int(line), column, row[column], message))

    if not str(row["source_url"]).startswith(("http://", "https://")):
        problem("source_url", "must be a web address (http:// or https://)")
    if pd.notna(row["copy_url"]) and not str(row["copy_url"]).startswith(("http://", "https://")):
        problem("copy_url", "must be a web address (http:// or https://)")
    if row["copy_url"] == row["source_url"] and "original not found" not in str(row["notes"]):
        problem("copy_url", "equals source_url: say 'copy; original not found' in notes")
    if pd.notna(row["accessed"]) and pd.notna(row["published"]):
        if row["accessed"] < row["published"]:
            problem("accessed", f"is before the publication date {row['published'].date()}")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9.]+)*", str(row["figure_id"])):
        problem("figure_id", "use lower-case letters, digits, '.' and '-'")
    start, end = row["period_start"], row["period_end"]
    if pd.notna(start) and pd.notna(end) and start > end:
        problem("period_end", f"is before period_start {start.date()}")
    if pd.notna(end) and pd.notna(row["published"]) and end > row["published"]:
        problem("period_end", f"is after the publication date {row['published'].date()}")
    if pd.notna(row["value"]):
        try:
            rounding_step(row["value"], row["value_as_published"], row["unit"], row["qualifier"])
        except ValueError as err:
            problem("value", str(err))
    elif row["metric"] in RECORD_METRICS and pd.isna(row["compared_with"]):
        problem("value", f"metric {row['metric']!r} needs a number or compared_with")
    if pd.notna(row["compared_with"]):
        if row["compared_with"] not in references.index:
            problem("compared_with", "names no figure_id in this file")
        else:
            ref = references.loc[row["compared_with"]]
            if pd.isna(ref["value"]) or ref["unit"] not in RATE_UNITS:
                problem("compared_with", "names a figure without a rate to compare with")
    if row["metric"] in RATE_METRICS and row["unit"] not in RATE_UNITS:
        problem("unit", f"a rate needs one of {RATE_UNITS}")
    try:
        parse_filter(row["record_filter"])
    except ValueError as err:
        problem("record_filter", str(err))
    try:
        derived = parse_derived(row["derived_from"])
    except ValueError as err:
        problem("derived_from", str(err))
        derived = None
    for part in derived or ():
        if part not in references.index:
            problem("derived_from", f"{part!r} names no figure_id in this file")
        elif pd.isna(references.loc[part, "value"]):
            problem("derived_from", f"{part!r} has no number to derive from")
    return problems


def _description() -> str:
    statuses = " ".join(f"{status}: {text}" for status, text in STATUS_DEFINITIONS.items())
    return (
        "One row per published figure (Met releases and reports, Home Office answers, "
        "court hearings, campaigners, press), with its original publisher's URL, the copy "
        "read where only a copy was found, the access date, the value as printed and as a "
        "number, the period and the metric it measures. Conflicting versions of a figure are "
        "separate rows, each with its own source. Claims are paraphrased and add nothing "
        "their source does not say; corrections to earlier compilations are in notes. "
        "The ledger (lfr-analysis claims) recomputes each figure from deployments.csv and "
        "gives it one status: " + statuses
    )


DATASET = Dataset(
    file=FILE,
    name="published-figures",
    title="Figures published about police LFR in London and elsewhere, each cited",
    description=_description(),
    sources=(
        {
            "title": "Metropolitan Police Service news releases (news.met.police.uk)",
            "path": "https://news.met.police.uk/",
        },
        {
            "title": "BBC News, 31 Oct 2025: the Met's LFR annual report 2025",
            "path": "https://www.bbc.com/news/articles/c4gp7j55zxvo",
        },
        {
            "title": "Police Professional, Dec 2024: 540 arrests, 406 charged or cautioned",
            "path": "https://policeprofessional.com/news/mps-makes-more-than-500-arrests-this-year-using-lfr-technology",
        },
        {
            "title": "Computer Weekly, 20 Jan 2026: the Croydon fixed-camera pilot",
            "path": "https://www.computerweekly.com/news/366637351/Met-claims-success-for-permanent-facial-recognition-in-Croydon",
        },
    ),
    columns=COLUMNS,
    unique=("figure_id",),
    checks=_check_figures,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Read and validate the published figures.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Default ``data/published_figures.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per figure, columns as in :data:`COLUMNS`.

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        Naming file, line, column and value of every problem.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
