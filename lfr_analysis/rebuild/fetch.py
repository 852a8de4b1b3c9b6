"""``lfr-analysis data fetch``: download each record, trying its known addresses in turn.

The Met moves its links (three addresses are cited for the 2025 record; the 2026 record
is linked without a file extension) and replaces its current-year file in place. For each
document of :data:`lfr_analysis.datasets.sources.SOURCE_DOCUMENTS`, :func:`fetch` tries
the main address, then the alternates, until one serves a PDF, saves it under the
document's first file name and records every address tried in
``data/source_registry.csv`` (status ``ok``, ``moved`` or ``unavailable``, the SHA-256 of
what was served, and a note). A required document that no address serves is an error once
the registry is written; an optional one (the 2026 record, the BTP register) is reported.
Tests pass a fake ``opener``, so nothing here needs the network.
"""

from __future__ import annotations

import csv
import hashlib
import io
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from lfr_analysis import files, paths
from lfr_analysis.datasets import source_registry
from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS, SourceDocument

__all__ = ["SEEN_BY", "USER_AGENT", "Attempt", "fetch", "fetch_document", "registry_text"]

USER_AGENT = "lfr-analysis/0.1 (research use; Python urllib)"
SEEN_BY = "lfr-analysis data fetch"


class Attempt(dict):
    """One address tried: a row of ``source_registry.csv``."""


def _get(opener: Callable, url: str) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with opener(request) as response:
        content = response.read()
        final = response.geturl() if hasattr(response, "geturl") else url
    return content, final or url


def fetch_document(
    document: SourceDocument, dest: Path, opener: Callable, retrieved: str
) -> tuple[list[Attempt], str | None]:
    """Try each address of one document; return the attempts and the line to report.

    The report line is None when no address served a PDF.
    """
    attempts: list[Attempt] = []
    for url in document.urls:
        row = Attempt(
            document=document.key,
            url=url,
            title=document.title,
            publisher=document.publisher,
            retrieved=retrieved,
            sha256="",
            status="unavailable",
            seen_by=SEEN_BY,
            note="",
        )
        attempts.append(row)
        try:
            content, final = _get(opener, url)
        except OSError as err:
            row["note"] = f"request failed: {err}"
            continue
        if not content.startswith(b"%PDF-"):
            row["note"] = f"served {len(content):,} bytes that are not a PDF"
            continue
        digest = hashlib.sha256(content).hexdigest()
        row["sha256"] = digest
        if final != url:
            row.update(status="moved", note=f"redirected to {final}")
        else:
            row["status"] = "ok"
        for earlier in attempts[:-1]:
            earlier.update(status="moved", note=f"{earlier['note']}; served at {url}".lstrip("; "))
        known = document.known_versions.get(digest)
        target = Path(dest) / document.file_names[0]
        files.write_bytes(target, content)
        if known:
            row["note"] = f"{row['note']}; known version: {known[0]}".lstrip("; ")
            return attempts, f"{target.name}: checksum matches the known version ({known[0]})"
        row["note"] = f"{row['note']}; a version not seen before".lstrip("; ")
        return attempts, (
            f"{target.name}: NEW VERSION (sha256 {digest}): the publisher has released a "
            "different file; run 'lfr-analysis data build --check' to see what changed"
        )
    return attempts, None


def registry_text(existing: str, attempts: list[Attempt]) -> str:
    """Return the registry's text with ``attempts`` added (replacing the same day's)."""
    names = [c.name for c in source_registry.COLUMNS]
    key_names = source_registry.DATASET.unique
    rows = {tuple(r[k] for k in key_names): r for r in csv.DictReader(io.StringIO(existing))}
    for attempt in attempts:
        rows[tuple(attempt[k] for k in key_names)] = dict(attempt)
    ordered = sorted(rows.values(), key=lambda r: (r["document"], r["retrieved"], r["url"]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows({n: r.get(n, "") for n in names} for r in ordered)
    return buffer.getvalue()


def fetch(
    dest: Path,
    opener: Callable | None = None,
    *,
    registry: Path | None = None,
    today: str | None = None,
    documents=SOURCE_DOCUMENTS,
) -> list[str]:
    """Download each record into ``dest`` and record what every address served.

    Parameters
    ----------
    dest : pathlib.Path
        Folder to write into (created if needed); the CLI's default is ``data/raw``.
    opener : callable, optional
        ``opener(request) -> response`` (a context manager with ``read()`` and, when
        redirects are followed, ``geturl()``); default :func:`urllib.request.urlopen`.
    registry : pathlib.Path, optional
        The registry to update; default ``data/source_registry.csv``.
    today : str, optional
        ISO day written as ``retrieved`` (default: today, UTC).
    documents : sequence of SourceDocument
        The documents to fetch.

    Returns
    -------
    list of str
        One line per document saying what happened.

    Raises
    ------
    OSError
        When no address serves a required document (the registry is written first,
        naming every address tried).
    """
    opener = opener or urllib.request.urlopen
    retrieved = today or datetime.now(UTC).date().isoformat()
    registry = Path(registry or paths.data_dir() / source_registry.FILE)
    report, attempts, failed = [], [], []
    for document in documents:
        tried, line = fetch_document(document, dest, opener, retrieved)
        attempts.extend(tried)
        if line is None:
            notes = "; ".join(f"{a['url']}: {a['note']}" for a in tried)
            if document.required:
                failed.append(f"download of {document.title} failed at every address ({notes})")
            line = f"{document.file_names[0]}: not available ({notes})"
        report.append(line)
    existing = registry.read_text(encoding="utf-8") if registry.is_file() else ""
    files.write_text(registry, registry_text(existing, attempts))
    report.append(f"recorded {len(attempts)} addresses in {registry.name}")
    if failed:
        raise OSError("; ".join(failed))
    return report
