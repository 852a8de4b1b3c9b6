"""``data/revisions.csv``: every deployment field a newer version of a record changed.

Written by ``lfr-analysis data build`` when it reads a version of a record other than the
one the committed table was built from (the idea of Our World in Data's chart diff): one
row per changed, added or removed field of a deployment, with the old and new value and the
SHA-256 of the old and the new source. A deployment added by the new version has its fields
listed with a blank old value and old source; a removed one the reverse. Changes made by the
code with the same sources are not revisions of the record and are not logged here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column

__all__ = ["CHANGES", "COLUMNS", "DATASET", "FILE", "load"]

FILE = "revisions.csv"

CHANGES = ("changed", "added", "removed")

COLUMNS: list[Column] = [
    Column("data_file", "str", required=True, description="The table revised."),
    Column("deployment_id", "str", required=True, description="The deployment."),
    Column("field", "str", required=True, description="The column."),
    Column(
        "change", "str", required=True, choices=CHANGES, description="changed, added or removed."
    ),
    Column("old", "str", description="Value before (blank when added)."),
    Column("new", "str", description="Value after (blank when removed)."),
    Column("old_source_sha256", "str", description="SHA-256 of the source of the old value."),
    Column("new_source_sha256", "str", description="SHA-256 of the source of the new value."),
]

DATASET = Dataset(
    file=FILE,
    name="revisions",
    title="Revisions of the deployment records: every field a newer version changed",
    description=(
        "Written by 'lfr-analysis data build' whenever it reads a newer version of a record: "
        "each changed, added or removed deployment field, with old and new value and the "
        "SHA-256 of the old and new source."
    ),
    sources=(),
    columns=COLUMNS,
    unique=("data_file", "deployment_id", "field", "old_source_sha256", "new_source_sha256"),
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/revisions.csv``."""
    return DATASET.read(path, verify_checksum=verify_checksum)
