"""``data/deployments.csv``: one row per Met LFR deployment, with provenance on every row.

Every Met deployment in the Met's own published records (three PDFs, ``source_type``
``primary``) and the Met deployments known here only from transcriptions (``secondary``):
the cells of a later Met PDF as transcribed from a stored copy (13 May to 11 July 2025),
then a third-party transcription of the Met's later records. Rebuilt from the PDFs,
``pdf_transcriptions.csv``, ``met_secondary_rows.csv``, ``corrections.csv`` and
``borough_gazetteer.csv`` by ``lfr-analysis data build`` (:mod:`lfr_analysis.rebuild`).

Every printed value is kept: where ``corrections.csv`` corrects a value (the date of
Dalston, printed 11/07/23 for 11 July 2024), ``date`` holds the corrected value that
analyses use, ``date_as_printed`` the printed one, and the row carries the flag
``corrected_date``. ``btp_deployments.csv`` has the same columns for the British Transport
Police.

Load it with :func:`load`; the file's checksum is verified and every value validated, and
every problem is reported at once in one
:class:`~lfr_analysis.datasets.reader.DataValidationError`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from lfr_analysis.datasets import deployment_checks
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem
from lfr_analysis.datasets.sources import FORCE, SOURCE_DOCUMENTS

__all__ = [
    "BASE_COLUMNS",
    "COLUMNS",
    "COUNT_COLUMNS",
    "DATASET",
    "FILE",
    "QUALITY_FLAGS",
    "RECORD_COLUMNS",
    "deployment_problems",
    "last_dates",
    "load",
    "source_names",
    "split_flag_text",
]

FILE = "deployments.csv"

FIRST_PLAUSIBLE_DATE = "2016-01-01"
LAST_PLAUSIBLE_DATE = "2030-12-31"
THRESHOLD_RANGE = (0.5, 0.8)

#: The transcription the secondary rows come from (cited by this file and its input).
TRANSCRIPTION_URL = "https://github.com/jared-krauss/ALHFRS"
TRANSCRIPTION_TITLE = (
    "ALHFRS: third-party transcription of the Met's LFR deployment records 2025 and 2026 "
    "(data/extraction-2026-05-18.md), as compiled with row-level citations"
)

#: Quality flags used in the ``quality_flags`` columns, with their meaning.
QUALITY_FLAGS: dict[str, str] = {
    "arrests_include_disposals": (
        "2020-22 grid: the printed column is 'Arrests / Disposals', so the count may include "
        "disposals other than arrest"
    ),
    "counts_printed_na": "the source prints N/A for this deployment's counts (left blank)",
    "location_split_across_pages": (
        "the location cell continues at the top of the next page; the parts were joined"
    ),
    "location_incomplete": (
        "the printed location ends in a comma: the rest of the cell is missing from the PDF "
        "(e.g. 'Powis St,' at the foot of a page, 12/12/24)"
    ),
    "alert_split_inconsistent": (
        "true + false alerts differ from the printed total alerts (kept as printed)"
    ),
    "disposal_columns_identical": (
        "2023-24 grid: 'other disposal' and 'no action' are equal on every row of the table, "
        "so one column is probably a copy of the other; use neither without care"
    ),
    "date_out_of_sequence": (
        "the printed date breaks the table's chronological order (11/07/23 among July 2024 "
        "rows, with the threshold and watchlist of the 11/07/24 rows)"
    ),
    "corrected_date": (
        "the date was corrected from the printed date (kept in date_as_printed) by a cited "
        "entry of corrections.csv; analyses use the corrected date"
    ),
    "watchlist_size_outlier": (
        "watchlist size more than 10% from the median of the other deployments within 7 "
        "days in the same table (19,199 at Bond St on 02/05/25, others 16,199): possibly a "
        "typo in the source"
    ),
    "printed_rate_inconsistent": (
        "the printed false-alert rate agrees with the row's own counts neither rounded nor "
        "truncated to the printed decimals (George St, Croydon, 07/12/23: 0.01% printed for "
        "1 in 3,940 = 0.025%); analyses use the counts"
    ),
    "outcomes_exceed_alerts": (
        "the engagement outcomes (arrest + other + no action) add up to more than the total "
        "alerts (High St, Hounslow, 07/03/25: 1 + 2 + 5 = 8 outcomes for 7 alerts); kept as "
        "printed"
    ),
    "borough_ambiguous": (
        "the location text names a place that lies in more than one borough (e.g. Clapham "
        "Common, King's Cross): the borough is left blank (see borough_gazetteer.csv)"
    ),
    "transcribed_pdf_cells": (
        "the printed cells of a Met PDF not held here, as transcribed from a stored copy "
        "(pdf_transcriptions.csv, with the PDF's SHA-256) and read by the same parser; "
        "replaced by the PDF's own rows when the PDF is present"
    ),
    "secondary_transcription": (
        "taken from a third-party transcription of the Met's record, not read from the PDF"
    ),
    "false_alerts_derived_from_rate": (
        "the transcription derived the false-alert count from a printed false-alert rate "
        "of 0%, not from a printed count; false_alerts_upper_bound gives the most false "
        "alerts the printed rate allows at the row's faces seen"
    ),
    "conflicting_reports": "sources disagree about this deployment; see notes",
    "contradicts_met_table": "a news report whose figures contradict the Met's own table",
    "derived_values": "some values were derived by the compiler (sums, differences); see notes",
    "approximate_values": "some values are approximate in the source ('around'); see notes",
}


def _flags_description() -> str:
    items = "; ".join(f"{flag}: {meaning}" for flag, meaning in QUALITY_FLAGS.items())
    return (
        "Known quirks of this row, semicolon-separated short snake_case flags, empty when "
        "none. Values are corrected only by a cited entry of corrections.csv (flag "
        f"corrected_<field>, printed value kept). Vocabulary: {items}."
    )


_COUNT = "count"

BASE_COLUMNS: list[Column] = [
    Column(
        "deployment_id",
        "str",
        required=True,
        description=(
            "Stable unique id: force prefix, the ISO date as printed and a slug of the "
            "printed location (e.g. MET-2024-07-11-hackney); a second deployment with the "
            "same date and location gets -2, -3 in printed order. Built from the printed "
            "content, not from the row's position, so it survives the Met republishing a "
            "table with rows added, and a correction never changes it."
        ),
    ),
    Column("force", "str", required=True, description="Police force that deployed LFR."),
    Column(
        "date",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description=(
            "Deployment date that analyses use: as printed (DD/MM/YY in the PDFs), written "
            "as ISO date, or as corrected by a cited entry of corrections.csv (flag "
            "corrected_date; the printed date is in date_as_printed)."
        ),
    ),
    Column(
        "location",
        "str",
        required=True,
        description="Deployment location as printed; wrapped lines joined with spaces.",
    ),
    Column(
        "borough",
        "str",
        description="London borough of the location, when named or inferred (see basis).",
    ),
    Column(
        "borough_basis",
        "str",
        description=(
            "How the borough was assigned: 'named in Met location text', or the compiler's "
            "or transcriber's inference as stated; empty when no borough is given."
        ),
    ),
    Column(
        "purpose",
        "str",
        description=(
            "Printed purpose: 'Purpose references: 1,2,3,4' (numbers refer to the purpose "
            "list printed in the same PDF) or 'LFR use case: Crime Hotspot'."
        ),
    ),
    Column(
        "duration_minutes",
        "int",
        min=0,
        description="Deployment duration, converted from the printed '5h 03m' (not in 2020-22).",
        unit="minutes",
    ),
    Column(
        "watchlist_size",
        "int",
        min=0,
        description="Number of people on the watchlist, as printed.",
        unit="people",
    ),
    Column(
        "threshold",
        "float",
        min=THRESHOLD_RANGE[0],
        max=THRESHOLD_RANGE[1],
        description="Printed minimum similarity threshold setting (0.6, 0.62, 0.64); from 2023.",
        unit="similarity score",
    ),
    Column(
        "faces_seen",
        "int",
        min=0,
        description="Faces seen: the Met's own estimate, as printed.",
        unit="faces",
    ),
    Column("alerts", "int", min=0, description="Total alerts, as printed.", unit=_COUNT),
    Column(
        "true_alerts",
        "int",
        min=0,
        description=(
            "True alerts: printed in the 2020-22 grid; from 2023 the sum of the printed "
            "confirmed and unconfirmed true alerts (computed)."
        ),
        unit=_COUNT,
    ),
    Column(
        "false_alerts",
        "int",
        min=0,
        description=(
            "False alerts: printed in the 2020-22 grid ('False Alert / Confirmed False "
            "Alerts'); from 2023 the sum of the printed confirmed and unconfirmed false "
            "alerts (computed); secondary rows as transcribed."
        ),
        unit=_COUNT,
    ),
    Column(
        "true_alerts_confirmed",
        "int",
        min=0,
        description="True alerts confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "true_alerts_unconfirmed",
        "int",
        min=0,
        description="True alerts not confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "false_alerts_confirmed",
        "int",
        min=0,
        description="False alerts confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "false_alerts_unconfirmed",
        "int",
        min=0,
        description="False alerts not confirmed, as printed (from 2023).",
        unit=_COUNT,
    ),
    Column(
        "arrests",
        "int",
        min=0,
        description=(
            "Arrests, as printed ('Arrests / Disposals' in 2020-22: flagged "
            "arrests_include_disposals; 'Arrest' engagement outcome from 2023)."
        ),
        unit=_COUNT,
    ),
    Column(
        "other_disposals",
        "int",
        min=0,
        description="Engagement outcome 'Other disposal' / 'Outcome - Other', as printed.",
        unit=_COUNT,
    ),
    Column(
        "no_action",
        "int",
        min=0,
        description="Engagement outcome 'No action', as printed.",
        unit=_COUNT,
    ),
    Column(
        "true_alert_engagements",
        "int",
        min=0,
        description="True alerts followed by an engagement, as printed (2020-22 grid only).",
        unit=_COUNT,
    ),
    Column(
        "false_alert_engagements",
        "int",
        min=0,
        description="False alerts followed by an engagement, as printed (2020-22 grid only).",
        unit=_COUNT,
    ),
    Column(
        "false_alert_rate_reported",
        "str",
        description=(
            "False alert rate as printed (text, e.g. '0.008%'). The Met's rate is per face "
            "seen; recompute rates from the counts rather than using this text."
        ),
    ),
    Column(
        "source_type",
        "str",
        required=True,
        choices=("primary", "secondary"),
        description=(
            "primary: read from the Met's own PDF (or another first-hand document); "
            "secondary: a transcription or news report of it."
        ),
    ),
    Column(
        "source_table",
        "str",
        required=True,
        description="The document and position the row comes from (file, page, row).",
    ),
    Column("source_url", "str", required=True, description="Where the source is published."),
    Column("quality_flags", "str", description=_flags_description()),
]

_SHA256 = re.compile(r"[0-9a-f]{64}")

#: Columns of the deployment record beyond :data:`BASE_COLUMNS`, with the column each
#: follows in the file.
RECORD_COLUMNS: dict[str, Column] = {
    "date": Column(
        "date_as_printed",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description=(
            "The date exactly as printed (or transcribed), as ISO date; differs from date "
            "only on rows flagged corrected_date."
        ),
    ),
    "false_alerts": Column(
        "false_alerts_upper_bound",
        "int",
        min=0,
        description=(
            "On rows whose false_alerts were derived from a printed rate "
            "(false_alerts_derived_from_rate): the most false alerts that rate allows at the "
            "row's faces seen (a printed '0%' allows any count below 1% of the faces, under "
            "either rounding or truncation). Computed by the build; blank elsewhere."
        ),
        unit="count",
    ),
    "source_type": Column(
        "source_document",
        "str",
        required=True,
        description=(
            "The record the row belongs to, by key (grid_2020_22, grid_2023_24, "
            "record_2025, record_2026, btp_register; see lfr_analysis.datasets.sources), "
            "whichever version or transcription of it the row was read from."
        ),
    ),
    "source_url": Column(
        "source_sha256",
        "str",
        required=True,
        description=(
            "SHA-256 of the file the row's values come from: the PDF read, the PDF whose "
            "cells were transcribed, or the transcription file."
        ),
    ),
}


def _with_record_columns(base: list[Column]) -> list[Column]:
    columns = []
    for column in base:
        columns.append(column)
        if column.name in RECORD_COLUMNS:
            columns.append(RECORD_COLUMNS[column.name])
    return columns


COLUMNS: list[Column] = _with_record_columns(BASE_COLUMNS)

#: Count columns (every whole-number column but the duration and the derived bound).
COUNT_COLUMNS = tuple(
    c.name
    for c in COLUMNS
    if c.kind == "int" and c.name not in ("duration_minutes", "false_alerts_upper_bound")
)


_relation_problems = deployment_checks.checks(QUALITY_FLAGS)
split_flag_text = deployment_checks.split_flag_text


def deployment_problems(frame: pd.DataFrame, file_name: str) -> list[Problem]:
    """Check the relations between columns of a deployments table.

    The relations are vectorised in :mod:`.deployment_checks`: unknown flags; ids that are
    not plain ASCII; dates after today; deployments repeated (same force, date and
    location) without numbered ids or citing one source row; true + false != alerts on a
    row not flagged ``alert_split_inconsistent``; any count of alerts or outcomes above
    faces seen (false alerts included); confirmed + unconfirmed parts that do not add up to
    their total; alert counts above alerts unless flagged ``alert_split_inconsistent``;
    outcomes above alerts unless flagged ``outcomes_exceed_alerts``. On the record's own
    columns: a date that differs from ``date_as_printed`` only when flagged
    ``corrected_date``; ``false_alerts_upper_bound`` only on derived rows and never below
    ``false_alerts``; ``source_sha256`` a SHA-256.

    Parameters
    ----------
    frame : pandas.DataFrame
        The converted table, indexed by file line.
    file_name : str
        Name used in the problems.

    Returns
    -------
    list of Problem
    """
    problems = _relation_problems(frame, file_name)
    if "date_as_printed" in frame.columns:
        problems.extend(_record_column_problems(frame, file_name))
    return problems


def _record_column_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Checks of the record's own columns: corrections flagged, bounds above counts.

    Each check runs once per distinct cell text (a table holds few distinct flag lists and
    checksums), then is spread over the rows.
    """
    corrected = _has_flag(frame["quality_flags"], "corrected_date")
    derived = _has_flag(frame["quality_flags"], "false_alerts_derived_from_rate")
    differs = (frame["date"] != frame["date_as_printed"]).to_numpy(dtype=bool)
    problems = [
        Problem(
            name,
            line,
            "date",
            row["date"].date(),
            "differs from date_as_printed, and the row is not flagged corrected_date",
        )
        for line, row in frame[differs & ~corrected].iterrows()
    ]
    problems += [
        Problem(
            name,
            line,
            "quality_flags",
            "corrected_date",
            "flagged corrected_date, but date equals date_as_printed",
        )
        for line in frame.index[corrected & ~differs]
    ]
    bound = frame["false_alerts_upper_bound"]
    problems += [
        Problem(
            name,
            line,
            "false_alerts_upper_bound",
            bound[line],
            "given on a row not flagged false_alerts_derived_from_rate",
        )
        for line in frame.index[bound.notna().to_numpy() & ~derived]
    ]
    below = bound.notna() & frame["false_alerts"].notna() & (bound < frame["false_alerts"])
    problems += [
        Problem(name, line, "false_alerts_upper_bound", bound[line], "below false_alerts")
        for line in frame.index[below.fillna(False).astype(bool)]
    ]
    codes, texts = pd.factorize(frame["source_sha256"])
    bad_text = np.array([isinstance(t, str) and not _SHA256.fullmatch(t) for t in texts], bool)
    bad = _spread(codes, bad_text)
    problems += [
        Problem(name, line, "source_sha256", value, "is not a SHA-256 (64 lower-case hex)")
        for line, value in frame["source_sha256"][bad].items()
    ]
    return problems


def _has_flag(cells: pd.Series, flag: str) -> np.ndarray:
    """Whether each ``quality_flags`` cell lists ``flag``, as a boolean array."""
    codes, texts = pd.factorize(cells)
    listed = np.array([flag in split_flag_text(text) for text in texts], dtype=bool)
    return _spread(codes, listed)


def _spread(codes: np.ndarray, per_text: np.ndarray) -> np.ndarray:
    """Each row's value of ``per_text`` by its factorize code (False for a missing cell)."""
    if not len(per_text):
        return np.zeros(len(codes), dtype=bool)
    return (codes >= 0) & per_text[np.maximum(codes, 0)]


_POSITION = r"(, page \d+.*| \(compiled row .*| \(register row .*)$"


def source_names(frame: pd.DataFrame) -> pd.Series:
    """Name the document each row was read from (a PDF, a PDF's transcription, a transcription).

    Returns
    -------
    pandas.Series of str
        ``source_table`` up to its page or compiled-row reference, e.g.
        ``"lfr-deployment-grid-2023-to-2024.pdf"`` or ``"Met LFR deployment record 2026 via
        third-party transcription"``.
    """
    table = frame["source_table"].astype(str)
    return table.str.replace(_POSITION, "", regex=True)


def last_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """The first and last deployment date of each source and tier (``source_type``).

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``tier``, ``rows``, ``first_date``, ``last_date``, in date order.
    """
    grouped = frame.assign(source=source_names(frame), tier=frame["source_type"]).groupby(
        ["source", "tier"], sort=False
    )
    table = grouped["date"].agg(rows="size", first_date="min", last_date="max").reset_index()
    return table.sort_values(["last_date", "source"], kind="stable").reset_index(drop=True)


def _summary(frame: pd.DataFrame, folder: Path) -> tuple[str, dict]:
    table = last_dates(frame)
    parts = [
        f"{row.source} ({row.tier}, {row.rows} rows) to {row.last_date.date()}"
        for row in table.itertuples(index=False)
    ]
    tiers = frame.groupby("source_type")["date"].max()
    by_tier = ", ".join(f"{tier} rows to {day.date()}" for tier, day in tiers.items())
    sentence = f"Data as of: {by_tier}; by source: " + "; ".join(parts) + "."
    as_of = [
        {
            "source": row.source,
            "tier": row.tier,
            "rows": int(row.rows),
            "last_date": row.last_date.date().isoformat(),
        }
        for row in table.itertuples(index=False)
    ]
    return sentence, {"dataAsOf": as_of}


DATASET = Dataset(
    file=FILE,
    name="deployments",
    title="Metropolitan Police LFR deployments, one row per deployment",
    description=(
        "Every deployment in the Met's published LFR deployment records 2020-22 (9 rows), "
        "2023-24 (203) and 2025 (74, snapshot of 12 May 2025), read from the PDFs "
        "(source_type primary); then, as secondary rows, the Met's 2025 record of 15 July "
        "2025 from transcribed cells of a stored copy (13 May to 11 July 2025) and the Met "
        "deployments after that and in 2026 from a third-party transcription. Values as "
        "printed; suspected source errors are flagged in quality_flags; a value is corrected "
        "only by a cited entry of corrections.csv, the printed value kept beside it. Rebuild "
        "with 'lfr-analysis data build'; compare with 'lfr-analysis data build --check'."
    ),
    sources=(
        *({"title": d.title, "path": d.url} for d in SOURCE_DOCUMENTS if d.force == FORCE),
        {"title": TRANSCRIPTION_TITLE, "path": TRANSCRIPTION_URL},
    ),
    columns=COLUMNS,
    unique=("deployment_id",),
    checks=deployment_problems,
    summary=_summary,
)


def load(
    *,
    include_secondary: bool = True,
    path: str | Path | None = None,
    verify_checksum: bool = True,
) -> pd.DataFrame:
    """Load ``data/deployments.csv``: one row per Met LFR deployment.

    Parameters
    ----------
    include_secondary : bool
        Keep the rows from the third-party transcription (``source_type == "secondary"``,
        after 10 May 2025). False gives only rows read from the Met's own PDFs.
    path : str or pathlib.Path, optional
        Another copy of the file (for tests); default ``data/deployments.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        Columns as in the file: counts as ``Int64`` (missing = ``<NA>``, never 0),
        ``date`` as ``datetime64``, ``threshold`` as float.

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        Listing every problem (file, line, column, value).
    lfr_analysis.datasets.reader.ChecksumError
        When the file differs from ``data/datapackage.json``.
    """
    if not isinstance(include_secondary, bool):
        raise TypeError(f"include_secondary must be True or False, not {include_secondary!r}")
    frame = DATASET.read(path, verify_checksum=verify_checksum)
    if not include_secondary:
        frame = frame[frame["source_type"] == "primary"].reset_index(drop=True)
    return frame
