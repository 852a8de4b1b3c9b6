"""The forces' published LFR deployment records: which documents exist and where.

The primary sources of ``data/deployments.csv`` are the Metropolitan Police Service's
deployment-record PDFs, and of ``data/btp_deployments.csv`` the British Transport
Police's deployment register. This module names each one (:data:`SOURCE_DOCUMENTS`): its
title, publisher, address and the other addresses it has been served from, the file
names it is known by, and the checksums of the versions read and checked. The Met
replaces its current-year file in place through the year, so one document has several
versions. The parser lives in :mod:`lfr_analysis.rebuild.met_pdf`; this module only says
what the documents are, so that the data files can cite them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "BTP",
    "FORCE",
    "SOURCE_DOCUMENTS",
    "SourceDocument",
    "document_by_key",
    "document_for_url",
    "find_document_file",
    "sha256_file",
]

FORCE = "Metropolitan Police Service"
BTP = "British Transport Police"

_MET = "https://www.met.police.uk/SysSiteAssets/media/downloads/"
_RECORDS = _MET + "force-content/met/advice/lfr/deployment-records/"


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
        sha256 -> (description, number of deployment rows) for versions read and checked.
        A different checksum means the publisher has released a new version.
    alternate_urls : tuple of str
        Other addresses the document has been served from or cited at, tried in order by
        ``data fetch`` when :attr:`url` fails.
    publisher : str
        Who publishes it.
    force : str
        The force whose deployments it records.
    required : bool
        True when ``data build`` needs the PDF; otherwise its rows come from a cited
        transcription while the PDF is absent.
    id_prefix : str
        Prefix of the deployment ids of its rows.
    """

    key: str
    title: str
    url: str
    file_names: tuple[str, ...]
    known_versions: dict[str, tuple[str, int]] = field(default_factory=dict)
    alternate_urls: tuple[str, ...] = ()
    publisher: str = FORCE
    force: str = FORCE
    required: bool = True
    id_prefix: str = "MET"

    @property
    def urls(self) -> tuple[str, ...]:
        """The main address, then the alternates."""
        return (self.url, *self.alternate_urls)


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
        url=_RECORDS + "live-facial-recognition-deployment-record-2025.pdf",
        alternate_urls=(
            _MET
            + "met/advice/facial-recognition/live-facial-recognition-deployment-record-2025.pdf",
            _RECORDS + "live-facial-recognition---deployment-record-2025-to-date.pdf",
            _RECORDS + "lfr-deployment-grid.pdf",
        ),
        file_names=(
            "live-facial-recognition-deployment-record-2025.pdf",
            "lfr-deployment-grid.pdf",
            "live-facial-recognition-deployment-record-2025-snapshot-2025-05-12.pdf",
        ),
        known_versions={
            "6b8dbe6b854460a7b6065941db68a5c9e1caf48d90619d32571a0d0cf3085eef": (
                "version of 15 Jul 2025 (PDF created 2025-07-15, served at the legacy "
                "address .../deployment-records/lfr-deployment-grid.pdf): 8 Jan to 11 Jul 2025",
                112,
            ),
            "bdc353fce09b95ff86937d8e140bbfc4749d76c0c9eba0a96e5c09a2cb98bcb5": (
                "snapshot of 12 May 2025 (PDF created 2025-05-12): 8 Jan to 10 May 2025",
                74,
            ),
        },
    ),
    SourceDocument(
        key="record_2026",
        title="MPS LFR Deployments 2026 (Live Facial Recognition deployment record 2026)",
        url=_RECORDS + "live-facial-recognition-deployment-record-2026",
        alternate_urls=(
            _MET
            + "met/advice/facial-recognition/live-facial-recognition-deployment-record-2026.pdf",
            _RECORDS + "live-facial-recognition-deployment-record-2026.pdf",
        ),
        file_names=("live-facial-recognition-deployment-record-2026.pdf",),
        required=False,
    ),
    SourceDocument(
        key="btp_register",
        title="British Transport Police LFR deployment register",
        url=(
            "https://www.btp.police.uk/SysSiteAssets/media/images/british-transport-police/"
            "live-facial-recognition/lfr-deployment-register.pdf"
        ),
        file_names=("lfr-deployment-register.pdf",),
        publisher=BTP,
        force=BTP,
        required=False,
        id_prefix="BTP",
    ),
)


def document_by_key(key: str) -> SourceDocument:
    """Return the :class:`SourceDocument` called ``key``."""
    for document in SOURCE_DOCUMENTS:
        if document.key == key:
            return document
    known = [d.key for d in SOURCE_DOCUMENTS]
    raise ValueError(f"unknown source document {key!r}; known: {known}")


def document_for_url(url: str) -> SourceDocument | None:
    """Return the document served (or cited) at ``url``, if any."""
    for document in SOURCE_DOCUMENTS:
        if url in document.urls:
            return document
    return None


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
