"""``data/transcription_check.csv``: the transcription's rows where the Met's PDF exists too.

The secondary rows of ``deployments.csv`` come from a third-party transcription (ALHFRS,
made with a language model) of the Met's later records. The same transcription also
covers 8 January to 10 May 2025, which the Met's own PDF snapshot of 12 May 2025 covers
as well. This file holds the transcription's 74 rows of that overlap, as transcribed, each
matched to its primary row, so that :func:`compare` can measure how often the
transcription disagrees with the PDF: the measured error rate of the secondary tier.
It is read by :func:`lfr_analysis.data.transcription_disagreement`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets import deployments
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.deployments import (
    FIRST_PLAUSIBLE_DATE,
    LAST_PLAUSIBLE_DATE,
    TRANSCRIPTION_TITLE,
    TRANSCRIPTION_URL,
)
from lfr_analysis.datasets.reader import Column

__all__ = ["COLUMNS", "COMPARED", "DATASET", "FILE", "compare", "load", "summary_text"]

FILE = "transcription_check.csv"

#: Columns compared with the primary row: the counts the transcription gives, and the
#: confirmed/unconfirmed split its notes state.
COMPARED = (
    "faces_seen",
    "alerts",
    "arrests",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
)
_NOTE_COLUMNS = ("true_alerts_unconfirmed", "false_alerts_confirmed")

COLUMNS: list[Column] = [
    Column("record_id", "str", required=True, description="The transcription's record id."),
    Column(
        "primary_deployment_id",
        "str",
        required=True,
        description="The row of deployments.csv read from the Met's PDF for the same deployment.",
    ),
    Column(
        "date",
        "date",
        required=True,
        min=FIRST_PLAUSIBLE_DATE,
        max=LAST_PLAUSIBLE_DATE,
        description="Date as transcribed.",
    ),
    Column("location", "str", required=True, description="Location as transcribed."),
    Column("borough", "str", description="Borough as the transcriber gives it."),
    Column("purpose", "str", description="Use case as transcribed."),
    Column("faces_seen", "int", min=0, description="Faces seen as transcribed.", unit="faces"),
    Column("alerts", "int", min=0, description="Total alerts as transcribed.", unit="count"),
    Column("arrests", "int", min=0, description="Arrests as transcribed.", unit="count"),
    Column(
        "true_alerts_unconfirmed",
        "int",
        min=0,
        description="Unconfirmed true alerts as the transcriber's notes state them (0 when "
        "the notes state none).",
        unit="count",
    ),
    Column(
        "false_alerts_confirmed",
        "int",
        min=0,
        description="Confirmed false alerts as the transcriber's notes state them (0 when "
        "the notes state none).",
        unit="count",
    ),
    Column("false_alert_rate_reported", "str", description="Printed rate as transcribed."),
    Column("notes", "str", description="The transcriber's notes, verbatim."),
    Column(
        "retrieved_via",
        "str",
        required=True,
        description="Repository, commit, file and line the row was read from.",
    ),
]


def compare(primary: pd.DataFrame, overlap: pd.DataFrame) -> pd.DataFrame:
    """Return each field where the transcription differs from the Met's PDF.

    Parameters
    ----------
    primary : pandas.DataFrame
        Rows of ``deployments.csv`` (at least those the overlap names).
    overlap : pandas.DataFrame
        :func:`load`.

    Returns
    -------
    pandas.DataFrame
        One row per differing field: ``record_id``, ``deployment_id``, ``date``,
        ``location``, ``field``, ``transcribed``, ``printed`` and ``kind`` (``count`` for
        a count the transcription gives, ``note`` for a confirmed/unconfirmed split its
        notes state).
    """
    by_id = primary.set_index("deployment_id")
    missing = sorted(set(overlap["primary_deployment_id"]) - set(by_id.index))
    if missing:
        raise ValueError(f"{FILE}: primary rows not in the deployment table: {missing[:5]}")
    matched = by_id.loc[overlap["primary_deployment_id"]].reset_index()
    rows = []
    for field in COMPARED:
        transcribed = overlap[field].to_numpy()
        printed = matched[field].to_numpy()
        differs = pd.Series(transcribed != printed).fillna(False).astype(bool).to_numpy()
        for index in differs.nonzero()[0]:
            rows.append(
                {
                    "record_id": overlap["record_id"].iloc[index],
                    "deployment_id": matched["deployment_id"].iloc[index],
                    "date": matched["date"].iloc[index],
                    "location": matched["location"].iloc[index],
                    "field": field,
                    "transcribed": int(transcribed[index]),
                    "printed": int(printed[index]),
                    "kind": "note" if field in _NOTE_COLUMNS else "count",
                }
            )
    columns = ["record_id", "deployment_id", "date", "location", "field", "transcribed"]
    table = pd.DataFrame(rows, columns=[*columns, "printed", "kind"])
    return table.sort_values(["date", "record_id", "field"], kind="stable").reset_index(drop=True)


def summary_text(differences: pd.DataFrame, rows: int) -> str:
    """One sentence on the measured disagreement (for notebooks and the manifest)."""
    per_field = differences.groupby("field").size()
    noted = differences.loc[differences["kind"] == "note", "record_id"].nunique()
    return (
        f"In the {rows} rows where the third-party transcription and the Met's PDF overlap "
        f"(8 January to 10 May 2025), the transcription differs from the PDF on "
        f"{differences['record_id'].nunique()} rows: {int(per_field.get('alerts', 0))} "
        f"total-alert counts, {int(per_field.get('arrests', 0))} arrest count(s), "
        f"{int(per_field.get('faces_seen', 0))} faces-seen counts and {noted} rows whose "
        "notes state a confirmed/unconfirmed split the PDF does not print."
    )


def _summary(frame: pd.DataFrame, folder: Path) -> tuple[str, dict]:
    table = deployments.DATASET.read(Path(folder) / deployments.FILE, verify_checksum=False)
    differences = compare(table, frame)
    return summary_text(differences, len(frame)), {
        "transcriptionDisagreement": {
            "rows_compared": len(frame),
            "rows_differing": int(differences["record_id"].nunique()),
            "fields_differing": {k: int(v) for k, v in differences.groupby("field").size().items()},
        }
    }


DATASET = Dataset(
    file=FILE,
    name="transcription_check",
    title="The transcription's rows that the Met's PDF also holds (8 Jan - 10 May 2025)",
    description=(
        "The 74 rows of the ALHFRS transcription of the Met's 2025 record dated before 13 "
        "May 2025, as transcribed, each matched to the row read from the Met's own PDF "
        "snapshot of 12 May 2025: the measure of the secondary tier's reliability. Not "
        "used by the build."
    ),
    sources=({"title": TRANSCRIPTION_TITLE, "path": TRANSCRIPTION_URL},),
    columns=COLUMNS,
    unique=("record_id",),
    summary=_summary,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/transcription_check.csv``."""
    return DATASET.read(path, verify_checksum=verify_checksum)
