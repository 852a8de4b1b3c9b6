"""``data/met_secondary_rows.csv``: Met deployment rows known only from a transcription.

Input of the build: the Met deployment rows that exist only in a third-party transcription
of the Met's 2025 and 2026 records (no watchlist size, threshold, duration or outcome
split). Kept exactly as compiled, one row per deployment, each citing the transcription
line it comes from; refreshed by ``lfr-analysis data import-reference``, never edited by
hand.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.deployments import (
    FIRST_PLAUSIBLE_DATE,
    LAST_PLAUSIBLE_DATE,
    TRANSCRIPTION_TITLE,
    TRANSCRIPTION_URL,
)
from lfr_analysis.datasets.reader import Column

__all__ = ["COLUMNS", "COUNT_COLUMNS", "DATASET", "FILE", "load"]

FILE = "met_secondary_rows.csv"

_COUNT = "count"

COLUMNS: list[Column] = [
    Column("record_id", "str", required=True, description="Row id in the compilation."),
    Column("force", "str", required=True, description="Police force."),
    Column(
        "date",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description="Deployment date as transcribed.",
    ),
    Column("location", "str", required=True, description="Location as transcribed."),
    Column("borough", "str", description="Borough as assigned by the compiler/transcriber."),
    Column("borough_basis", "str", description="How the borough was assigned."),
    Column("purpose", "str", description="LFR use case as transcribed."),
    Column("faces_seen", "int", min=0, description="Faces seen (estimate).", unit="faces"),
    Column("alerts", "int", min=0, description="Total alerts.", unit=_COUNT),
    Column(
        "false_alerts",
        "int",
        min=0,
        description="False alerts (see notes for whether printed or derived from a 0% rate).",
        unit=_COUNT,
    ),
    Column("true_alerts_unconfirmed", "int", min=0, description="As transcribed.", unit=_COUNT),
    Column("false_alerts_confirmed", "int", min=0, description="As transcribed.", unit=_COUNT),
    Column("arrests", "int", min=0, description="Arrests.", unit=_COUNT),
    Column("false_alert_rate_reported", "str", description="Printed false alert rate (text)."),
    Column("source_url", "str", required=True, description="The Met record transcribed."),
    Column("source_date", "str", description="When the Met record was published, as known."),
    Column("retrieved_via", "str", required=True, description="The transcription and line."),
    Column("notes", "str", description="Compiler's notes."),
]

#: Count columns the transcription gives (it has no watchlist size or threshold).
COUNT_COLUMNS = (
    "faces_seen",
    "alerts",
    "false_alerts",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "arrests",
)

DATASET = Dataset(
    file=FILE,
    name="met_secondary_rows",
    title="Met LFR deployments after 10 May 2025 and in 2026, as transcribed",
    description=(
        "Input of the build: the Met deployment rows that exist only in a third-party "
        "transcription of the Met's 2025 and 2026 records (no watchlist size, threshold, "
        "duration or outcome split). Kept exactly as compiled, one row per deployment, "
        "each citing the transcription line it comes from. Never edited by hand."
    ),
    sources=({"title": TRANSCRIPTION_TITLE, "path": TRANSCRIPTION_URL},),
    columns=COLUMNS,
    unique=("record_id",),
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/met_secondary_rows.csv``, the transcribed Met rows used by the build.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file; default ``data/met_secondary_rows.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
