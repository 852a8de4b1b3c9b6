"""``data/pdf_transcriptions.csv``: the printed cells of record versions not held here.

Input of the build. The Met replaces its current-year record in place; some versions
survive only as copies in other people's repositories. This file holds, for such a
version, every deployment row's cells exactly as printed (whitespace collapsed), with the
version's SHA-256, the page and row, and the repository, path and commit of the copy the
cells were read from. The build reads the cells with the same parser as a PDF
(:func:`lfr_analysis.rebuild.met_pdf.parse_cells`) and adds the rows dated after the last
row of the PDF it holds for that record, as ``secondary`` rows flagged
``transcribed_pdf_cells``; when the PDF of that version (or a newer one) is present, its
own rows replace them.

Today: the Met's 2025 record as it stood on 15 July 2025 (112 rows, 8 January to 11 July
2025; PDF created 2025-07-15), from the copy in ``davidbuilgil/facial-recognition-doc``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem

__all__ = ["CELL_COLUMNS", "COLUMNS", "DATASET", "FILE", "LAYOUTS", "load"]

FILE = "pdf_transcriptions.csv"

#: Layouts whose cells this file can hold (those with the 16 split-alert fields).
LAYOUTS = ("grid_2023_24", "record_2025")

#: The printed cells, left to right, named by the field each holds.
CELL_COLUMNS = (
    "location",
    "date",
    "duration",
    "purpose",
    "watchlist_size",
    "threshold",
    "alerts",
    "true_alerts_confirmed",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "false_alerts_unconfirmed",
    "false_alert_rate_reported",
    "arrests",
    "other_disposals",
    "no_action",
    "faces_seen",
)

COPY_URL = (
    "https://github.com/davidbuilgil/facial-recognition-doc/blob/"
    "d5ec9a82856b9e56af30ad3f2532604cfc18f169/data/lfr-deployment-grid.pdf"
)

COLUMNS: list[Column] = [
    Column("document", "str", required=True, description="Key of the record (sources.py)."),
    Column(
        "version_sha256",
        "str",
        required=True,
        description="SHA-256 of the PDF whose cells are transcribed.",
    ),
    Column("version", "str", required=True, description="Which version, in words."),
    Column("layout", "str", required=True, choices=LAYOUTS, description="Its table layout."),
    Column("page", "int", required=True, min=1, description="Page the row is printed on."),
    Column(
        "row",
        "int",
        required=True,
        min=1,
        description="Position of the row among the version's deployment rows.",
    ),
    *(
        Column(name, "str", required=name in ("location", "date"), description="As printed.")
        for name in CELL_COLUMNS
    ),
    Column("source_repo", "str", required=True, description="Repository holding the copy."),
    Column("source_path", "str", required=True, description="Path of the copy in it."),
    Column("source_commit", "str", required=True, description="Commit the copy was read at."),
    Column("source_url", "str", required=True, description="Where the publisher served it."),
]


def _problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for (document, sha), group in frame.groupby(["document", "version_sha256"], sort=False):
        expected = list(range(1, len(group) + 1))
        if list(group["row"]) != expected:
            line = group.index[0]
            problems.append(
                Problem(
                    name,
                    line,
                    "row",
                    None,
                    f"rows of {document} {sha[:12]}... are not numbered 1, 2, 3 ... in file order",
                )
            )
    return problems


DATASET = Dataset(
    file=FILE,
    name="pdf_transcriptions",
    title="Printed cells of Met record versions not held here, from stored copies",
    description=(
        "Input of the build: every deployment row's cells, as printed, of record versions "
        "whose PDF is not held here, each with the version's SHA-256, page and row and the "
        "repository commit of the copy read. Today the Met's 2025 record of 15 July 2025 "
        "(112 rows to 11 July 2025). Read with the same parser as the PDFs; replaced by "
        "the PDF's own rows when the PDF is present."
    ),
    sources=(
        {
            "title": "MPS LFR DEPLOYMENTS 2025, PDF created 2025-07-15 (sha256 6b8dbe6b...), "
            "copy in davidbuilgil/facial-recognition-doc data/lfr-deployment-grid.pdf",
            "path": COPY_URL,
        },
    ),
    columns=COLUMNS,
    unique=("version_sha256", "row"),
    checks=_problems,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/pdf_transcriptions.csv`` (one row per transcribed deployment row)."""
    return DATASET.read(path, verify_checksum=verify_checksum)
