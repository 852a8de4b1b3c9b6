"""``data/btp_secondary_rows.csv``: the British Transport Police register, as transcribed.

Input of the build. BTP publish a register of their LFR deployments in the Met's grid
format; no copy of the PDF is held here. Its 22 rows (11 February to 27 August 2026) are
known from a survey that quotes them station by station (``Forrest404/cammap``, file
``london-lfr-cameras/results/British_Transport_Police_facial_recognition.json`` at a pinned
commit): duration, watchlist size, faces seen and alerts, with the few alerts described.
Kept as given, one row per deployment, each citing the part of the file it comes from. The
build turns them into ``btp_deployments.csv`` (``source_type`` secondary) while the
register PDF is absent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column

__all__ = ["COLUMNS", "DATASET", "FILE", "SOURCE", "load"]

FILE = "btp_secondary_rows.csv"

SOURCE = {
    "title": "Forrest404/cammap, london-lfr-cameras/results/"
    "British_Transport_Police_facial_recognition.json (survey of 2026-09-06, quoting BTP's "
    "LFR deployment register row by row)",
    "path": "https://github.com/Forrest404/cammap/blob/7a957a5d61c7df92c26ac5d791c035c20b803d7f/"
    "london-lfr-cameras/results/British_Transport_Police_facial_recognition.json",
}

COLUMNS: list[Column] = [
    Column("register_row", "int", required=True, min=1, description="Row, in date order."),
    Column("date", "date", required=True, description="Deployment date."),
    Column("location", "str", required=True, description="Station as the survey names it."),
    Column(
        "location_label",
        "str",
        description="A Location label the survey quotes from the register, where tied to it.",
    ),
    Column("borough", "str", description="Borough as the survey gives it."),
    Column("duration", "str", description="Duration as quoted (e.g. 4h35m)."),
    Column("watchlist_size", "int", min=0, description="Watchlist size.", unit="people"),
    Column("threshold", "float", description="Minimum threshold setting.", unit="score"),
    Column("faces_seen", "int", min=0, description="Estimated faces seen.", unit="faces"),
    Column("alerts", "int", min=0, description="Total alerts.", unit="count"),
    Column("true_alerts_unconfirmed", "int", min=0, description="As described.", unit="count"),
    Column("false_alerts_confirmed", "int", min=0, description="As described.", unit="count"),
    Column("false_alert_rate_reported", "str", description="Printed rate, as quoted."),
    Column("purpose", "str", description="LFR use case."),
    Column("notes", "str", description="What the survey says, and what is derived."),
    Column("source_locator", "str", required=True, description="Part of the file quoted."),
    Column("source_commit", "str", required=True, description="Commit of the file read."),
    Column("source_url", "str", required=True, description="Where BTP publish the register."),
]

DATASET = Dataset(
    file=FILE,
    name="btp_secondary_rows",
    title="British Transport Police LFR deployments 2026, as quoted by a survey",
    description=(
        "Input of the build: the 22 rows of BTP's LFR deployment register (11 February to 27 "
        "August 2026) as a published survey quotes them; no copy of the register PDF is held "
        "here. No per-deployment outcomes are given."
    ),
    sources=(SOURCE,),
    columns=COLUMNS,
    unique=("register_row",),
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/btp_secondary_rows.csv``."""
    return DATASET.read(path, verify_checksum=verify_checksum)
