"""A ledger of published figures, each recomputed from the deployment record.

``data/published_figures.csv`` holds one row per figure that the Met, the Home Office, courts,
campaigners or the press have published about LFR, each with its source. Every row names a
``metric`` from a fixed vocabulary (:data:`METRICS`), a period and, where the published
figure is about part of the record, a ``record_filter``. Those three things *are* the
recomputation: :func:`recompute` turns them into a number from
:func:`lfr_analysis.data.load_deployments`, and :func:`assess` compares that number with the
published one under the rounding rule below and gives the figure a status:

``reproduced``
    The recomputed value rounds to the published value at the published precision
    (``"0.0003%"`` is reproduced by any value in [0.00025%, 0.00035%)), or satisfies the
    published inequality (``">1,300"``).
``close``
    Not reproduced, but within :data:`CLOSE_TOLERANCE` (relative) of the published value.
    The ledger gives the likely reason and the nearest window or definition that matches.
``contradicted``
    Further away than the tolerance. The nearest window or definition is given too.
``not_reproducible``
    The record cannot speak to the figure (another force, a period outside the record, an
    outcome the record does not hold); the ledger says what is missing.
``not_checkable``
    A claim about process (what happens to data, how a watchlist is built), not a number.

Nothing here runs at import; the command line is :func:`main` (``lfr-analysis claims``).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from lfr_analysis import paths
from lfr_analysis.validation import Column, Problem, read_table

FIGURES_FILE = "published_figures.csv"
LEDGER_FILE = "claims.csv"

#: Relative distance from the published value within which a figure counts as ``close``.
CLOSE_TOLERANCE = 0.05

#: The most (days) the nearest-window search moves the start or the end of a period.
WINDOW_SEARCH_DAYS = 62

#: The Met's operational deployment record begins with the 2020-22 grid; the 2016-19
#: trials are not in it (they are in ``other_deployments.csv``, from other sources).
RECORD_COVERAGE_START = pd.Timestamp("2020-01-01")

#: In the nearest-match search, changing one definition (primary rows only, per alert
#: instead of per face) costs as much as moving the window by this many days.
DEFINITION_COST_DAYS = 30

#: In the same search, moving both the start and the end costs this many days more than
#: moving one of them (a published period usually has one uncertain end).
BOTH_ENDS_COST_DAYS = 15

#: Quality flags (``quality_flags`` of the deployment table) of rows whose date or counts
#: are suspect; the search tries leaving them out.
SUSPECT_FLAGS = ("date_out_of_sequence",)

RECORD_FORCE = "Metropolitan Police Service"

STATUSES = ("reproduced", "close", "contradicted", "not_reproducible", "not_checkable")
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

_RATE_METRICS = ("false_alert_rate_per_face", "false_alert_rate_per_alert")
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

DATA_RESOURCES = [
    {
        "path": FIGURES_FILE,
        "name": "published-figures",
        "title": "Figures published about Met and South Wales Police LFR, each cited",
        "description": (
            "One row per published figure (Met releases and reports, Home Office answers, "
            "court hearings, campaigners, press), with its source URL and date, the value as "
            "printed and as a number, the period and the metric it measures. Conflicting "
            "versions of a figure are separate rows. Claims are paraphrased. Each row cites "
            "its own source in source_url; corrections to earlier compilations are in notes."
        ),
        "sources": [
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
        ],
        "columns": COLUMNS,
    }
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


def accepts(published: float, step: Decimal | float, qualifier: str, recomputed: float) -> bool:
    """Whether ``recomputed`` agrees with a published value at its printed precision.

    ``exact`` and ``about`` values accept any number that rounds to them (half up):
    ``published - step/2 <= recomputed < published + step/2``. Inequalities are taken
    literally (``more_than`` 1300 accepts 1300.5 and not 1300).

    Parameters
    ----------
    published : float
        The published number, in its unit.
    step : Decimal or float
        Step of its last printed digit (see :func:`rounding_step`).
    qualifier : str
        One of :data:`QUALIFIERS`.
    recomputed : float
        The recomputed number, in the same unit.

    Returns
    -------
    bool
    """
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier {qualifier!r} is not one of {QUALIFIERS}")
    if not np.isfinite(recomputed):
        return False
    if qualifier in ("exact", "about"):
        low, high = acceptance_interval(published, step)
        return low <= Decimal(repr(float(recomputed))) < high
    if qualifier == "at_least":
        return recomputed >= published
    if qualifier == "more_than":
        return recomputed > published
    if qualifier == "at_most":
        return recomputed <= published
    return recomputed < published


def acceptance_interval(published: float, step: Decimal | float) -> tuple[Decimal, Decimal]:
    """Return ``[low, high)``: the values that round to ``published`` at ``step``."""
    step = Decimal(str(step))
    if step <= 0:
        raise ValueError(f"rounding step must be positive, got {step}")
    centre = Decimal(repr(float(published)))
    return centre - step / 2, centre + step / 2


def relative_gap(published: float, step, qualifier: str, recomputed: float) -> float:
    """Distance from ``recomputed`` to the accepted values, relative to ``published``."""
    if accepts(published, step, qualifier, recomputed):
        return 0.0
    if qualifier in ("exact", "about"):
        low, high = (float(b) for b in acceptance_interval(published, step))
        distance = low - recomputed if recomputed < low else recomputed - high
    else:
        distance = abs(recomputed - published)
    return distance / abs(published) if published else float("inf")


def to_unit(fraction: float, unit: str) -> float:
    """Express a rate given as a fraction in ``unit`` (percent, fraction or 1-in-N)."""
    if unit == "percent":
        return fraction * 100.0
    if unit == "fraction":
        return fraction
    if unit == "one_in":
        return 1.0 / fraction if fraction > 0 else float("inf")
    raise ValueError(f"unit {unit!r} is not a rate unit {RATE_UNITS}")


# ---------------------------------------------------------------------------- loading


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
    for line, row in frame.iterrows():
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
    if row["metric"] in _RATE_METRICS and row["unit"] not in RATE_UNITS:
        problem("unit", f"a rate needs one of {RATE_UNITS}")
    try:
        parse_filter(row["record_filter"])
    except ValueError as err:
        problem("record_filter", str(err))
    return problems


def figures_path() -> Path:
    """Return the path of ``data/published_figures.csv``."""
    return paths.data_dir() / FIGURES_FILE


def load_published_figures(path: str | Path | None = None, *, verify_checksum: bool = True):
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
    lfr_analysis.validation.DataValidationError
        Naming file, line, column and value of every problem.
    """
    return read_table(
        path or figures_path(),
        COLUMNS,
        unique=("figure_id",),
        verify_checksum=verify_checksum,
        extra_checks=_check_figures,
    )


# ------------------------------------------------------------------------ recompute


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


def recompute(deployments: pd.DataFrame, recipe: Recipe, *, alpha: float = 0.05):
    """Compute ``recipe`` from the deployment table.

    Sums skip rows where the column is unknown (and count them in ``rows_missing``); a
    rate uses only rows where both numerator and denominator are known, and carries a
    Clopper-Pearson interval from :func:`lfr_analysis.rates.rate_ci`.

    Parameters
    ----------
    deployments : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_deployments`.
    recipe : Recipe
    alpha : float
        1 - confidence level of the interval on a rate.

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
        from lfr_analysis.rates import rate_ci

        ci = rate_ci(
            int(out.numerator), int(out.denominator), method="clopper-pearson", conf=1 - alpha
        )
        out.ci_lower = float(np.asarray(ci["lower"])[0])
        out.ci_upper = float(np.asarray(ci["upper"])[0])
    return out


# --------------------------------------------------------------- nearest definitions


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


def _in_unit(value: float, metric: str, unit: str) -> float:
    return to_unit(value, unit) if metric in _RATE_METRICS else value


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
    if recipe.metric in _RATE_METRICS:
        metrics += [m for m in _RATE_METRICS if m != recipe.metric]
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
    if metric not in _RATE_METRICS:
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
    if metric not in RECORD_METRICS or metric in _RATE_METRICS or metric == "watchlist_size":
        counts = [m for m in RECORD_METRICS if m not in _RATE_METRICS and m != "watchlist_size"]
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


# --------------------------------------------------------------------------- assess


def _outcome(figure, status, reason, **extra) -> dict:
    row = {
        "figure_id": figure["figure_id"],
        "metric": figure["metric"],
        "period": _period_text(figure),
        "value_as_published": figure["value_as_published"],
        "qualifier": figure["qualifier"],
        "unit": figure["unit"],
        "recomputed": np.nan,
        "ci_lower": np.nan,
        "ci_upper": np.nan,
        "rows_used": np.nan,
        "secondary_rows": np.nan,
        "status": status,
        "reason": reason,
        "nearest_match": "",
        "nearest_value": np.nan,
    }
    row.update(extra)
    return row


def _period_text(figure) -> str:
    start, end = figure.get("period_start"), figure.get("period_end")
    if pd.isna(start) or pd.isna(end):
        return ""
    return f"{start.date()} to {end.date()}"


def _why_not(figure, deployments, bound) -> str | None:
    """Return why the record cannot speak to ``figure``, or None when it can."""
    metric = figure["metric"]
    if metric in NOT_IN_RECORD:
        return NOT_IN_RECORD[metric]
    if figure["force"] != RECORD_FORCE:
        return f"the deployment record is the Met's; it holds no {figure['force']} deployments"
    if pd.isna(figure["period_start"]):
        return "the figure does not say which period or deployment it covers"
    if pd.isna(figure["period_end"]):
        return "the figure does not say when its period ends"
    if figure["period_start"] < RECORD_COVERAGE_START:
        return (
            "the period starts before the Met's deployment record (2020 onwards); the "
            "2016-19 trials are not in it"
        )
    if figure["period_start"] > deployments["date"].max():
        return f"the period starts after the last deployment in the record ({_last(deployments)})"
    if bound is None or not np.isfinite(bound):
        return "the figure has no number to compare"
    return None


def assess(figure: dict, deployments: pd.DataFrame, figures: pd.DataFrame | None = None):
    """Give one published figure its status against the record.

    Parameters
    ----------
    figure : dict
        A row of :func:`load_published_figures`.
    deployments : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_deployments`.
    figures : pandas.DataFrame, optional
        All figures; needed to resolve ``compared_with``.

    Returns
    -------
    dict
        One ledger row (see :func:`ledger`), plus a ``"working"`` entry with the
        :class:`Recomputation` and the alternatives tried (None when not computed).
    """
    figure = dict(figure)
    metric = figure["metric"]
    if metric in PROCESS_METRICS:
        reason = "a claim about process; a table of deployment counts cannot check it"
        return _outcome(figure, "not_checkable", reason, working=None)
    bound, note = _bound(figure, figures)
    why = _why_not(figure, deployments, bound)
    if why and _open_ended(figure, deployments, bound):
        return _assess_open_ended(figure, deployments, figures, bound, why)
    if why:
        return _outcome(figure, "not_reproducible", why, working=None)
    figure["value"] = bound
    figure["step"] = _step(figure, figures)
    recipe = Recipe(
        metric, figure["period_start"], figure["period_end"], parse_filter(figure["record_filter"])
    )
    result = recompute(deployments, recipe)
    if not np.isfinite(result.value):
        column = RECORD_METRICS[metric][0] or "date"
        why = f"no row in the window has '{column}' ({result.rows_missing} of {result.rows} blank)"
        return _outcome(figure, "not_reproducible", why, working={"result": result})
    value = _in_unit(result.value, metric, figure["unit"])
    low = high = np.nan
    if result.ci_lower is not None:
        low, high = sorted(
            (
                _in_unit(result.ci_lower, metric, figure["unit"]),
                _in_unit(result.ci_upper, metric, figure["unit"]),
            )
        )
    gap = relative_gap(bound, figure["step"], figure["qualifier"], value)
    status = "reproduced" if gap == 0 else "close" if gap <= CLOSE_TOLERANCE else "contradicted"
    reasons = _reasons(result, status, gap, figure, note)
    if figure["period_end"] > deployments["date"].max():
        status, reason = _partial_period(figure, status, value, deployments)
        reasons.insert(0, reason)
    extra = dict(
        recomputed=value,
        ci_lower=low,
        ci_upper=high,
        rows_used=result.rows,
        secondary_rows=result.secondary_rows,
    )
    tried = []
    if status in ("close", "contradicted"):
        tried = alternatives(deployments, recipe, figure)
        if tried:
            best = tried[0]
            verb = "reproduces" if best.accepted else "comes nearest"
            extra["nearest_match"] = f"{best.recipe.describe()} ({verb})"
            extra["nearest_value"] = best.value
    return _outcome(
        figure,
        status,
        "; ".join(reasons),
        working={"result": result, "alternatives": tried},
        **extra,
    )


_USED_COLUMNS = (
    "date",
    "location",
    "borough",
    "threshold",
    "source_type",
    "quality_flags",
    "faces_seen",
    "alerts",
    "true_alerts",
    "false_alerts",
    "arrests",
    "watchlist_size",
)


def _slim(deployments: pd.DataFrame) -> pd.DataFrame:
    """Keep only the columns the ledger reads (row selection is then much cheaper)."""
    return deployments[[c for c in _USED_COLUMNS if c in deployments.columns]]


def _last(deployments) -> str:
    return str(deployments["date"].max().date())


def _partial_period(figure, status, value, deployments) -> tuple[str, str]:
    """Status of a figure whose period runs past the record's last deployment.

    A count over the part of the period the record covers is a lower bound of the count
    over the whole period: enough to confirm "more than N", or to contradict "N" when it
    already exceeds N. Anything else cannot be decided.
    """
    ends = f"the period ends after the last deployment in the record ({_last(deployments)})"
    is_count = RECORD_METRICS[figure["metric"]][1] is None and figure["metric"] != "watchlist_size"
    if is_count and status == "reproduced" and figure["qualifier"] in ("at_least", "more_than"):
        return status, ends + "; the count to then already satisfies the figure"
    low, high = _acceptance_bounds(figure)
    if is_count and status == "contradicted" and value >= high:
        return status, ends + "; the count to then already exceeds the figure"
    return "not_reproducible", ends + "; the rest of the period is not in the record"


def _open_ended(figure, deployments, bound) -> bool:
    """True for a record metric with a known start but no stated end."""
    return (
        figure["metric"] in RECORD_METRICS
        and figure["force"] == RECORD_FORCE
        and pd.notna(figure["period_start"])
        and pd.isna(figure["period_end"])
        and figure["period_start"] >= RECORD_COVERAGE_START
        and bound is not None
        and np.isfinite(bound)
    )


def _assess_open_ended(figure, deployments, figures, bound, why) -> dict:
    """A figure 'since <start>' with no end date: say which end dates would match."""
    figure["value"] = bound
    figure["step"] = _step(figure, figures)
    last = deployments["date"].max()
    recipe = Recipe(
        figure["metric"], figure["period_start"], last, parse_filter(figure["record_filter"])
    )
    tried = alternatives(deployments, recipe, figure, end_known=False)
    extra = {}
    if tried:
        best = tried[0]
        verb = "reproduces" if best.accepted else "comes nearest"
        extra = dict(nearest_match=f"{best.recipe.describe()} ({verb})", nearest_value=best.value)
    return _outcome(figure, "not_reproducible", why, working={"alternatives": tried}, **extra)


def _bound(figure, figures):
    if pd.notna(figure.get("compared_with")):
        if figures is None:
            raise ValueError(f"figure {figure['figure_id']!r} needs `figures` for compared_with")
        ref = figures.set_index("figure_id").loc[figure["compared_with"]]
        fraction = _as_fraction(ref["value"], ref["unit"])
        note = f"bound from {figure['compared_with']} ({ref['value_as_published']})"
        return to_unit(fraction, figure["unit"]), note
    return figure["value"], None


def _as_fraction(value: float, unit: str) -> float:
    return {"percent": value / 100.0, "fraction": value, "one_in": 1.0 / value}[unit]


def _step(figure, figures):
    if pd.notna(figure.get("compared_with")):
        return Decimal("1e-12")  # a comparison with a bound: inequalities only
    return rounding_step(
        figure["value"], figure["value_as_published"], figure["unit"], figure["qualifier"]
    )


def _reasons(result: Recomputation, status, gap, figure, note) -> list[str]:
    reasons = [f"{result.rows} deployments in the window"]
    if note:
        reasons.append(note)
    if status == "reproduced":
        agrees = (
            "agrees at the published precision"
            if figure["qualifier"] in ("exact", "about")
            else "satisfies the published bound"
        )
        reasons[0] = f"{agrees}; " + reasons[0]
    else:
        reasons[0] = f"{gap:.1%} from the published value; " + reasons[0]
    if result.secondary_rows:
        reasons.append(f"{result.secondary_rows} of them transcribed by a third party")
    if result.rows_missing:
        reasons.append(f"{result.rows_missing} rows leave the figure blank (unknown, not 0)")
    if result.ci_lower is not None and figure["qualifier"] in ("less_than", "more_than"):
        low, high = result.ci_lower, result.ci_upper
        bound = (
            _as_fraction(figure["value"], figure["unit"])
            if figure["unit"] in RATE_UNITS
            else figure["value"]
        )
        if low <= bound <= high:
            reasons.append("the 95% interval includes the bound")
    if status != "reproduced" and pd.notna(figure.get("notes")):
        reasons.append("see notes on the figure")
    return reasons


def ledger(figures: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """Assess every published figure; return the ledger, one row per figure.

    Returns
    -------
    pandas.DataFrame
        Columns: figure_id, metric, period, value_as_published, qualifier, unit,
        recomputed (in the published unit), ci_lower and ci_upper (95% Clopper-Pearson,
        rates only), rows_used, secondary_rows, status, reason, nearest_match,
        nearest_value, publisher, published, source_url.
    """
    deployments = _slim(deployments)
    rows = []
    for figure in figures.to_dict("records"):
        row = assess(figure, deployments, figures)
        row.pop("working", None)
        row.update(
            publisher=figure["publisher"],
            published=figure["published"],
            source_url=figure["source_url"],
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["rows_used"] = out["rows_used"].astype("Int64")
    out["secondary_rows"] = out["secondary_rows"].astype("Int64")
    return out


# ------------------------------------------------------------------------------ CLI


def write_ledger(table: pd.DataFrame, path: Path | None = None) -> Path:
    """Write the ledger as CSV (byte-stable) to ``build/claims.csv`` or ``path``."""
    path = Path(path) if path else paths.build_dir() / LEDGER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    out["published"] = out["published"].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    return path


def format_ledger(table: pd.DataFrame) -> str:
    """Return the ledger as a plain-text table for the terminal."""
    shown = table[["figure_id", "value_as_published", "recomputed", "status"]].copy()
    shown["recomputed"] = [_short(v) for v in shown["recomputed"]]
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.max_colwidth", 48
    ):
        return shown.to_string(index=False)


def _short(value) -> str:
    if pd.isna(value):
        return "-"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"


def working(figure_id: str, figures: pd.DataFrame, deployments: pd.DataFrame) -> str:
    """Return the full working for one figure as text (what ``--id`` prints)."""
    match = figures[figures["figure_id"] == figure_id]
    if match.empty:
        raise ValueError(f"no figure with figure_id {figure_id!r}")
    figure = match.iloc[0].to_dict()
    row = assess(figure, deployments, figures)
    lines = [f"figure {figure_id}"]
    for key in (
        "publisher",
        "published",
        "source_url",
        "claim",
        "value_as_published",
        "value",
        "unit",
        "qualifier",
        "metric",
        "record_filter",
        "compared_with",
        "notes",
    ):
        value = figure[key]
        if pd.notna(value):
            lines.append(f"  {key}: {value.date() if hasattr(value, 'date') else value}")
    lines.append(f"  period: {row['period'] or '(not stated)'}")
    lines.append(f"status: {row['status']}")
    lines.append(f"  reason: {row['reason']}")
    work = row.get("working")
    result = (work or {}).get("result")
    if result is not None:
        lines.append(f"recomputation: {result.recipe.describe()}")
        lines.append(
            f"  rows: {result.rows} ({result.primary_rows} primary, "
            f"{result.secondary_rows} secondary); blank: {result.rows_missing}"
        )
        if result.first_date is not None:
            lines.append(
                f"  deployments from {result.first_date.date()} to {result.last_date.date()}"
            )
        if result.denominator is not None:
            lines.append(f"  {result.numerator:g} / {result.denominator:g} = {result.value:.6g}")
            if result.ci_lower is not None:
                lines.append(
                    f"  95% Clopper-Pearson interval: {result.ci_lower:.3g} to "
                    f"{result.ci_upper:.3g} (fraction)"
                )
        lines.append(f"  recomputed in {figure['unit']}: {_short(row['recomputed'])}")
    tried = (work or {}).get("alternatives") or []
    if tried:
        lines.append("nearest windows and definitions (best first):")
        for alt in tried[:5]:
            mark = "reproduces" if alt.accepted else "no"
            lines.append(f"  {alt.recipe.describe()}: {_short(alt.value)} [{mark}]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``lfr-analysis claims [--id FIGURE_ID] [--output PATH]``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis claims",
        description="Recompute every published figure from the deployment record.",
    )
    parser.add_argument("--id", dest="figure_id", help="show one figure with its full working")
    parser.add_argument("--output", type=Path, help="where to write the ledger CSV")
    args = parser.parse_args(argv)
    from lfr_analysis.data import load_deployments
    from lfr_analysis.validation import LfrDataError

    try:
        figures = load_published_figures()
        deployments = load_deployments()
        if args.figure_id:
            print(working(args.figure_id, figures, deployments))
            return 0
        table = ledger(figures, deployments)
    except (LfrDataError, ValueError) as err:
        print(f"lfr-analysis claims: {err}", file=sys.stderr)
        return 1
    print(format_ledger(table))
    counts = table["status"].value_counts().reindex(STATUSES, fill_value=0)
    print("\n" + ", ".join(f"{n} {s}" for s, n in counts.items()))
    print(f"ledger written to {write_ledger(table, args.output)}")
    return 0
