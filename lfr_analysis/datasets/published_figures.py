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
    "COLUMNS",
    "COUNT_UNITS",
    "DATASET",
    "FILE",
    "METRICS",
    "NOT_IN_RECORD",
    "PROCESS_METRICS",
    "QUALIFIERS",
    "RATE_METRICS",
    "RATE_UNITS",
    "RECORD_FORCE",
    "RECORD_METRICS",
    "UNITS",
    "PublishedNumber",
    "load",
    "parse_filter",
    "published_numbers",
    "rounding_step",
]

FILE = "published_figures.csv"

RECORD_FORCE = "Metropolitan Police Service"

QUALIFIERS = ("exact", "about", "at_least", "more_than", "at_most", "less_than")
COUNT_UNITS = ("deployments", "faces", "alerts", "arrests", "people")
RATE_UNITS = ("percent", "fraction", "one_in")
OTHER_UNITS = ("GBP", "deployments_per_week", "none")
UNITS = COUNT_UNITS + RATE_UNITS + OTHER_UNITS

#: Metrics the deployment record holds: metric -> (numerator column, denominator column).
#: ``None`` as numerator counts rows (deployments); ``None`` as denominator means a sum.
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
}

#: Metrics the record does not hold: metric -> what is missing from it.
NOT_IN_RECORD: dict[str, str] = {
    "charged_or_cautioned": "the record stops at arrests; charges and cautions are not in it",
    "bailed": "the record stops at arrests; bail decisions are not in it",
    "arrests_in_category": (
        "the record gives arrests per deployment, not the offence or reason for each arrest"
    ),
    "people_stopped": "the record counts alerts and arrests, not people stopped and checked",
    "share_of_stops_with_breach": "the record does not say why a person was stopped",
    "false_alerts_engaged": "the record does not say what happened after a false alert",
    "no_further_action": (
        "not recomputed: the 2023-24 grid prints identical 'other disposal' and 'no action' "
        "counts on every row (a known quirk), and transcribed rows lack them"
    ),
    "tested_false_alert_rate": (
        "a laboratory test result (NPL), not an operational figure; the record cannot "
        "reproduce a test, only be compared with it (see the predictions notebook)"
    ),
    "change_in_use": "the basis of the percentage (which months compared) is not stated",
    "public_support": "a survey result; the record holds no survey data",
    "cost": "the record holds no costs",
    "planned_deployments": "a plan for the future, not a count in the record",
}

#: Claims about process: nothing in a table of counts can check them.
PROCESS_METRICS = ("process",)

METRICS = tuple(RECORD_METRICS) + tuple(NOT_IN_RECORD) + PROCESS_METRICS

RATE_METRICS = ("false_alert_rate_per_face", "false_alert_rate_per_alert")
_FILTER_KEYS = ("place", "threshold", "source_type")

COLUMNS = [
    Column("figure_id", "str", required=True, description="Stable identifier of the figure."),
    Column(
        "force",
        "str",
        required=True,
        choices=(RECORD_FORCE, "South Wales Police"),
        description="Police force the figure is about.",
    ),
    Column("publisher", "str", required=True, description="Who published the figure."),
    Column(
        "published",
        "date",
        description="Date the figure was published; blank when no dated copy was found.",
    ),
    Column("source_url", "str", required=True, description="Where the figure was published."),
    Column("claim", "str", required=True, description="The claim, paraphrased."),
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
            "borough contains A or B), 'threshold=0.6', 'source_type=primary'."
        ),
    ),
    Column(
        "compared_with",
        "str",
        description="figure_id whose value is the bound of a comparative claim.",
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
        Numbers written as words (``"seven"``, exact) first, then figures in order of
        appearance; ``"4 million"`` is 4000000 with step 1000000.
    """
    found = [
        PublishedNumber(Decimal(_NUMBER_WORDS[word.lower()]), Decimal(1))
        for word in re.findall(r"[A-Za-z]+", text)
        if word.lower() in _NUMBER_WORDS
    ]
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
        Naming the part that is not ``place~...``, ``threshold=...`` or ``source_type=...``.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text == "":
        return ()
    parts = []
    for part in str(text).split(";"):
        match = re.fullmatch(r"\s*(\w+)\s*([~=])\s*(.+?)\s*", part)
        if not match or match.group(1) not in _FILTER_KEYS:
            raise ValueError(
                f"filter {part!r} is not one of 'place~A|B', 'threshold=0.6', 'source_type=primary'"
            )
        key, op, value = match.groups()
        if (key == "place") != (op == "~"):
            raise ValueError(f"filter {part!r}: use '~' with place and '=' otherwise")
        if key == "threshold":
            float(value)
        parts.append((key, op, value))
    return tuple(parts)


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
    return problems


DATASET = Dataset(
    file=FILE,
    name="published-figures",
    title="Figures published about Met and South Wales Police LFR, each cited",
    description=(
        "One row per published figure (Met releases and reports, Home Office answers, "
        "court hearings, campaigners, press), with its source URL and date, the value as "
        "printed and as a number, the period and the metric it measures. Conflicting "
        "versions of a figure are separate rows. Claims are paraphrased. Each row cites "
        "its own source in source_url; corrections to earlier compilations are in notes."
    ),
    sources=(
        {
            "title": "Metropolitan Police Service news releases (news.met.police.uk)",
            "path": "https://news.met.police.uk/",
        },
        {
            "title": "Met LFR annual report 2025 as reported by The Register",
            "path": "https://www.cyberswissguards.com/?p=17233",
        },
        {
            "title": "LBC, 6 Dec 2024: 540 arrests, 406 charged or cautioned, 95 bailed",
            "path": "https://www.lbc.co.uk/news/more-than-50-sex-offenders-arrested-as-police-use-facial-recognition-technology/",
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
