"""``data/deployments.csv``: one row per Met LFR deployment, with provenance on every row.

Every Met deployment in the Met's own published records (three PDFs, ``source_type``
``primary``) and the Met deployments after 10 May 2025 and in 2026 that exist only as a
third-party transcription of the Met's later records (``secondary``). Rebuilt from the PDFs
and ``met_secondary_rows.csv`` by ``lfr-analysis data build``
(:mod:`lfr_analysis.rebuild`).

Load it with :func:`load`; the file's checksum is verified and every value validated, and
every problem is reported at once in one
:class:`~lfr_analysis.datasets.reader.DataValidationError`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets import deployment_checks
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column
from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS

__all__ = [
    "COLUMNS",
    "COUNT_COLUMNS",
    "DATASET",
    "FILE",
    "QUALITY_FLAGS",
    "deployment_problems",
    "load",
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
        "the date breaks the table's chronological order (11/07/23 among July 2024 rows, "
        "with the threshold and watchlist of the 11/07/24 rows): possibly a typo in the year"
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
    "secondary_transcription": (
        "taken from a third-party transcription of the Met's record, not read from the PDF"
    ),
    "false_alerts_derived_from_rate": (
        "the transcription derived the false-alert count from a printed false-alert rate "
        "of 0%, not from a printed count"
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
        f"none. Values are never corrected, only flagged. Vocabulary: {items}."
    )


_COUNT = "count"

COLUMNS: list[Column] = [
    Column(
        "deployment_id",
        "str",
        required=True,
        description=(
            "Stable unique id: force prefix, ISO date and a slug of the printed location "
            "(e.g. MET-2024-07-11-hackney); a second deployment with the same date and "
            "location gets -2, -3 in printed order. Built from the content, not from the "
            "row's position, so it survives the Met republishing a table with rows added."
        ),
    ),
    Column("force", "str", required=True, description="Police force that deployed LFR."),
    Column(
        "date",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description="Deployment date as printed (DD/MM/YY in the PDFs), written as ISO date.",
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

#: Count columns (every whole-number column but the duration).
COUNT_COLUMNS = tuple(c.name for c in COLUMNS if c.kind == "int" and c.name != "duration_minutes")


#: Check the relations between columns of a deployments table:
#: ``deployment_problems(frame, file_name) -> list[Problem]``, vectorised in
#: :mod:`.deployment_checks`. Unknown flags; ids that are not plain ASCII; dates after
#: today; deployments repeated (same force, date and location) without numbered ids or
#: citing one source row; true + false != alerts on a row not flagged
#: ``alert_split_inconsistent``; any count of alerts or outcomes above faces seen (false
#: alerts included); confirmed + unconfirmed parts that do not add up to their total; alert
#: counts above alerts unless flagged ``alert_split_inconsistent``; outcomes above alerts
#: unless flagged ``outcomes_exceed_alerts``.
deployment_problems = deployment_checks.checks(QUALITY_FLAGS)
split_flag_text = deployment_checks.split_flag_text


DATASET = Dataset(
    file=FILE,
    name="deployments",
    title="Metropolitan Police LFR deployments, one row per deployment",
    description=(
        "Every deployment in the Met's published LFR deployment records 2020-22 (9 rows), "
        "2023-24 (203) and 2025 (74, snapshot of 12 May 2025), read from the PDFs with "
        "pdfplumber (source_type primary), plus the Met deployments after 10 May 2025 "
        "and in 2026 from a third-party transcription (secondary). Values as printed; "
        "suspected source errors are flagged in quality_flags, never corrected. Rebuild "
        "with 'lfr-analysis data build'; compare with 'lfr-analysis data build --check'."
    ),
    sources=(
        *({"title": d.title, "path": d.url} for d in SOURCE_DOCUMENTS),
        {"title": TRANSCRIPTION_TITLE, "path": TRANSCRIPTION_URL},
    ),
    columns=COLUMNS,
    unique=("deployment_id",),
    checks=deployment_problems,
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
