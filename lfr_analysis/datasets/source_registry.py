"""``data/source_registry.csv``: what was seen at each address of each record, and when.

Written by ``lfr-analysis data fetch`` (one row per address tried), in the way
OpenPoliceData tracks its sources: the address, the document's title and publisher, when it
was retrieved, the SHA-256 of what came back, and a status: ``ok`` (a PDF was served at
that address), ``moved`` (the address redirected, or a PDF was found only at an alternate
address), ``unavailable`` (an error, or something other than a PDF). The committed file
also records what others reported of each address (``seen_by``), so that the history of
the Met's moving links is kept.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column

__all__ = ["COLUMNS", "DATASET", "FILE", "STATUSES", "load"]

FILE = "source_registry.csv"

STATUSES = ("ok", "moved", "unavailable")

COLUMNS: list[Column] = [
    Column("document", "str", required=True, description="Key of the record (sources.py)."),
    Column("url", "str", required=True, description="The address tried."),
    Column("title", "str", required=True, description="The document's title."),
    Column("publisher", "str", required=True, description="Who publishes it."),
    Column("retrieved", "date", required=True, description="When it was tried (UTC day)."),
    Column("sha256", "str", description="SHA-256 of the PDF served, when one was."),
    Column(
        "status", "str", required=True, choices=STATUSES, description="ok, moved or unavailable."
    ),
    Column(
        "seen_by",
        "str",
        required=True,
        description="Who tried it: this project's fetch, or a cited report.",
    ),
    Column("note", "str", description="What happened (HTTP status, redirect target, version)."),
]

DATASET = Dataset(
    file=FILE,
    name="source_registry",
    title="Addresses of the deployment records, and what each served when",
    description=(
        "One row per address of a deployment record tried by 'lfr-analysis data fetch' or "
        "reported by a cited source: status ok, moved or unavailable, the SHA-256 of the PDF "
        "served, and a note. The Met moves its links and replaces its current-year file in "
        "place; this file keeps the history."
    ),
    sources=(
        {
            "title": "Forrest404/cammap survey (2026-09-06) of where the records are published",
            "path": "https://github.com/Forrest404/cammap/tree/"
            "7a957a5d61c7df92c26ac5d791c035c20b803d7f/london-lfr-cameras/results",
        },
    ),
    columns=COLUMNS,
    unique=("document", "url", "retrieved", "seen_by"),
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/source_registry.csv``."""
    return DATASET.read(path, verify_checksum=verify_checksum)
