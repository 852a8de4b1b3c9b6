"""Refresh the transcribed input files from the compiled reference (maintainers only).

``met_secondary_rows.csv`` and ``other_deployments.csv`` are copies of rows of a compiled
reference file (``deployments_secondary_and_other.csv``), kept beside the checkout in a
folder named by ``LFR_REFERENCE_DIR`` (default ``../shared/reference``).
:func:`import_reference` turns the reference into the two tables;
``lfr-analysis data import-reference --check`` compares them with the committed files and
writes nothing, so an edit to either file by hand is caught.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

from lfr_analysis import paths
from lfr_analysis.datasets import met_secondary_rows, other_deployments
from lfr_analysis.datasets.borough_gazetteer import BOROUGH_ALIASES
from lfr_analysis.rebuild.assemble import typed_frame

__all__ = ["FIRST_HAND_SOURCES", "REFERENCE_FILE", "import_reference", "reference_dir"]

REFERENCE_FILE = "deployments_secondary_and_other.csv"


def reference_dir() -> Path:
    """Return the folder of the compiled reference files (env ``LFR_REFERENCE_DIR``)."""
    value = os.environ.get("LFR_REFERENCE_DIR")
    if value:
        return Path(value).expanduser().resolve()
    return paths.project_root().parent / "shared" / "reference"


def import_reference(reference: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (secondary Met rows, other deployments) from the compiled reference CSV.

    Parameters
    ----------
    reference : pathlib.Path
        ``deployments_secondary_and_other.csv``: every row cites its own source.

    Returns
    -------
    tuple of pandas.DataFrame
        Rows for ``met_secondary_rows.csv`` (the Met rows marked secondary) and for
        ``other_deployments.csv`` (all other rows), in the reference's order.

    Raises
    ------
    ValueError
        When a count is not a whole number, naming the file, line and column.
    """
    reference = Path(reference)
    with reference.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    secondary, other = [], []
    for line, record in enumerate(records, start=2):
        if "(secondary)" in record["source_type"]:
            secondary.append(_secondary_record(record, reference.name, line))
        else:
            other.append(_other_record(record, reference.name, line))
    secondary_frame = typed_frame(secondary, met_secondary_rows.COLUMNS)
    other_frame = typed_frame(other, other_deployments.COLUMNS)
    return secondary_frame, other_frame


def _whole(text: str, name: str, column: str, line: int) -> int | None:
    if text == "":
        return None
    value = float(text)
    if not value.is_integer() or value < 0:
        raise ValueError(f"{name}, line {line}, column '{column}': value {text!r} is not a count")
    return int(value)


_SECONDARY_COUNTS = met_secondary_rows.COUNT_COLUMNS


def _secondary_record(record: dict, name: str, line: int) -> dict:
    row = {c.name: (record.get(c.name) or None) for c in met_secondary_rows.COLUMNS}
    for column in _SECONDARY_COUNTS:
        row[column] = _whole(record[column], name, column, line)
    return row


#: Reference source types that are first-hand documents rather than reports of them.
FIRST_HAND_SOURCES = (
    "Met press release",
    "court judgment",
    "parliamentary evidence",
    "parliamentary correspondence",
)

_OTHER_COUNTS = {
    "watchlist_size": "watchlist_size",
    "faces_seen": "faces_seen",
    "alerts": "alerts",
    "true_alerts": "true_alerts",
    "false_alerts": "false_alerts",
    "true_alerts_confirmed": "true_alerts_confirmed",
    "true_alerts_unconfirmed": "true_alerts_unconfirmed",
    "false_alerts_confirmed": "false_alerts_confirmed",
    "false_alerts_unconfirmed": "false_alerts_unconfirmed",
    "arrests": "arrests",
    "other_disposals": "other_disposal",
    "no_action": "no_action",
    "true_alert_engagements": "true_alert_engagements",
    "false_alert_engagements": "false_alert_engagements",
}


def _other_record(record: dict, name: str, line: int) -> dict:
    row = {c.name: None for c in other_deployments.COLUMNS}
    for target, column in _OTHER_COUNTS.items():
        row[target] = _whole(record[column], name, column, line)
    for column in ("force", "location", "borough", "borough_basis", "purpose", "source_url"):
        row[column] = record[column] or None
    row["borough"] = BOROUGH_ALIASES.get(row["borough"], row["borough"])
    reported = record["date"]
    full_day = len(reported) == 10
    kind = record["source_type"]
    row.update(
        deployment_id=record["record_id"],
        date=reported if full_day else None,
        date_as_reported=reported or None,
        threshold=float(record["threshold"]) if record["threshold"] else None,
        false_alert_rate_reported=record["false_alert_rate_reported"] or None,
        source_type="primary" if kind in FIRST_HAND_SOURCES else "secondary",
        source_table=f"{kind} (compiled row {record['record_id']})",
        source_date=record["source_date"] or None,
        notes=record["notes"] or None,
        quality_flags=";".join(_other_flags(row, record)) or None,
    )
    return row


def _other_flags(row: dict, record: dict) -> list[str]:
    notes = record["notes"]
    flags = []
    parts = row["alerts"], row["true_alerts"], row["false_alerts"]
    if None not in parts and parts[1] + parts[2] != parts[0]:
        flags.append("alert_split_inconsistent")
    if "CONFLICT" in notes:
        flags.append("conflicting_reports")
    if record["record_id"].startswith("MET-NEWS"):
        flags.append("contradicts_met_table")
    if "derived" in notes.lower():
        flags.append("derived_values")
    if "approximate" in notes.lower():
        flags.append("approximate_values")
    return flags
