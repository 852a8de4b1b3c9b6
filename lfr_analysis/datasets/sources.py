"""The Met's published LFR deployment records: which documents exist and where.

The primary sources of ``data/deployments.csv`` are the Metropolitan Police Service's
deployment-record PDFs. This module names each one (:data:`SOURCE_DOCUMENTS`): its title,
its address, the file names it is known by and the checksums of the versions read and
checked by hand. The parser that reads them lives in :mod:`lfr_analysis.rebuild.met_pdf`;
this module only says what they are, so that the data files can cite them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "FORCE",
    "SOURCE_DOCUMENTS",
    "SourceDocument",
    "document_by_key",
    "find_document_file",
    "sha256_file",
]

FORCE = "Metropolitan Police Service"


@dataclass(frozen=True)
class SourceDocument:
    """One of the Met's published deployment-record PDFs.

    Attributes
    ----------
    key : str
        Short name, e.g. ``"grid_2023_24"``.
    title : str
        The table's title as printed, with its period.
    url : str
        Where the Met publishes it.
    file_names : tuple of str
        Names the file is known by (the first is the name ``data fetch`` saves it as).
    known_versions : dict
        sha256 -> (description, number of deployment rows) for versions read and checked
        by hand. A different checksum means the Met has published a new version.
    """

    key: str
    title: str
    url: str
    file_names: tuple[str, ...]
    known_versions: dict[str, tuple[str, int]] = field(default_factory=dict)


SOURCE_DOCUMENTS: tuple[SourceDocument, ...] = (
    SourceDocument(
        key="grid_2020_22",
        title="MPS LFR Deployments 2020 - 2022 (LFR Deployment Grid)",
        url=(
            "https://www.met.police.uk/SysSiteAssets/media/downloads/force-content/met/"
            "advice/lfr/new/lfr-deployment-grid-2020-2022.pdf"
        ),
        file_names=("lfr-deployment-grid-2020-2022.pdf",),
        known_versions={
            "4bcef28f53b7a06065a4d4377db7748058a95c1055d8321b271a354552ebeab0": (
                "PDF created 2023-11-20: 11 Feb 2020 to 28 Jul 2022",
                9,
            ),
        },
    ),
    SourceDocument(
        key="grid_2023_24",
        title="MPS LFR Deployments 2023 - Date (LFR Deployment Grid 2023 to 2024)",
        url=(
            "https://www.met.police.uk/SysSiteAssets/media/downloads/force-content/met/"
            "advice/lfr/deployment-records/lfr-deployment-grid-2023-to-2024.pdf"
        ),
        file_names=("lfr-deployment-grid-2023-to-2024.pdf",),
        known_versions={
            "06dd59146e701edea8571654f0f4d3ce6ccbba98d381c7d653ddabcd19697baf": (
                "PDF created 2025-01-11: 6 Apr 2023 to 20 Dec 2024",
                203,
            ),
        },
    ),
    SourceDocument(
        key="record_2025",
        title="MPS LFR Deployments 2025 (Live Facial Recognition deployment record 2025)",
        url=(
            "https://www.met.police.uk/SysSiteAssets/media/downloads/force-content/met/"
            "advice/lfr/deployment-records/live-facial-recognition-deployment-record-2025.pdf"
        ),
        file_names=(
            "live-facial-recognition-deployment-record-2025.pdf",
            "live-facial-recognition-deployment-record-2025-snapshot-2025-05-12.pdf",
        ),
        known_versions={
            "bdc353fce09b95ff86937d8e140bbfc4749d76c0c9eba0a96e5c09a2cb98bcb5": (
                "snapshot of 12 May 2025 (PDF created 2025-05-12): 8 Jan to 10 May 2025",
                74,
            ),
        },
    ),
)


def document_by_key(key: str) -> SourceDocument:
    """Return the :class:`SourceDocument` called ``key``."""
    for document in SOURCE_DOCUMENTS:
        if document.key == key:
            return document
    known = [d.key for d in SOURCE_DOCUMENTS]
    raise ValueError(f"unknown source document {key!r}; known: {known}")


def find_document_file(document: SourceDocument, folder: Path) -> Path | None:
    """Return the first of the document's known file names present in ``folder``."""
    for name in document.file_names:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    return None


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
