"""``lfr-analysis data``: fetch the Met's PDFs, rebuild or check the deployment dataset.

Subcommands::

    lfr-analysis data fetch [--dest DIR]          download the PDFs, verify checksums
    lfr-analysis data build [--sources DIR] [--check]
                                                  rebuild data/deployments.csv (or compare)
    lfr-analysis data import-reference [--reference FILE]
                                                  refresh met_secondary_rows.csv and
                                                  other_deployments.csv from the compilation
    lfr-analysis data manifest                    rewrite data/datapackage.json

``build`` needs only the PDFs and the committed ``data/met_secondary_rows.csv``.
``--check`` writes nothing and exits 1 with a row-level diff when the committed file
differs from what the sources give.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import sys
import urllib.request
from pathlib import Path

import pandas as pd

from lfr_analysis import datasets, paths
from lfr_analysis.datasets import deployments, met_secondary_rows, other_deployments
from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS, SourceDocument, find_document_file
from lfr_analysis.rebuild import assemble, met_pdf

__all__ = [
    "build_text",
    "fetch",
    "import_reference",
    "main",
    "parse_sources",
    "reference_dir",
    "row_diff",
]

USER_AGENT = "lfr-analysis/0.1 (research use; Python urllib)"
REFERENCE_FILE = "deployments_secondary_and_other.csv"


# ------------------------------------------------------------------------------- fetch


def fetch(dest: Path, opener=None) -> list[str]:
    """Download each of the Met's PDFs into ``dest`` and check it against known checksums.

    Parameters
    ----------
    dest : pathlib.Path
        Folder to write into (created if needed); default in the CLI is ``data/raw``.
    opener : callable, optional
        ``opener(request) -> file-like``; default :func:`urllib.request.urlopen`.
        Tests pass a fake so that nothing touches the network.

    Returns
    -------
    list of str
        One line per document saying what happened.

    Raises
    ------
    OSError
        When a download fails or returns something other than a PDF (the message names
        the URL).
    """
    opener = opener or urllib.request.urlopen
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    report = []
    for document in SOURCE_DOCUMENTS:
        target = dest / document.file_names[0]
        request = urllib.request.Request(document.url, headers={"User-Agent": USER_AGENT})
        try:
            with opener(request) as response:
                content = response.read()
        except OSError as err:
            raise OSError(f"download of {document.url} failed: {err}") from err
        if not content.startswith(b"%PDF-"):
            raise OSError(f"{document.url} did not return a PDF (nothing saved)")
        digest = hashlib.sha256(content).hexdigest()
        target.write_bytes(content)
        known = document.known_versions.get(digest)
        if known:
            report.append(f"{target.name}: checksum matches the known version ({known[0]})")
        else:
            report.append(
                f"{target.name}: NEW VERSION (sha256 {digest}): the Met has published a "
                "different file; run 'lfr-analysis data build --check' to see what changed"
            )
    return report


# ------------------------------------------------------------------------------- build


def parse_sources(folder: Path) -> list[tuple[SourceDocument, met_pdf.ParsedDocument]]:
    """Parse every known Met PDF found in ``folder``.

    Raises
    ------
    FileNotFoundError
        When one of the PDFs is missing, naming the file names looked for.
    """
    folder = Path(folder)
    parsed = []
    for document in SOURCE_DOCUMENTS:
        path = find_document_file(document, folder)
        if path is None:
            raise FileNotFoundError(
                f"{folder}: none of {list(document.file_names)} found; run "
                "'lfr-analysis data fetch' or pass --sources DIR"
            )
        parsed.append((document, met_pdf.parse_pdf(path)))
    return parsed


def build_text(sources: Path, log=print) -> str:
    """Return the CSV text of ``deployments.csv`` as the sources give it.

    Parameters
    ----------
    sources : pathlib.Path
        Folder holding the Met's PDFs.
    log : callable
        Receives one line per PDF: rows read and whether it is a known version.
    """
    secondary = met_secondary_rows.load()
    documents = parse_sources(sources)
    for source, document in documents:
        known = source.known_versions.get(document.sha256)
        version = f"known version ({known[0]})" if known else f"NEW VERSION {document.sha256}"
        log(f"{document.file_name}: {len(document.rows)} rows, {version}")
    frame = assemble.build_deployments(documents, secondary)
    return assemble.table_text(frame)


def row_diff(committed: str, rebuilt: str, key: str = "deployment_id") -> list[str]:
    """Return a row-level description of the differences between two CSV texts.

    Rows are matched by ``key``; the result lists rows only in one text and, for rows in
    both, each differing column with the two values.
    """
    old, new = _rows_by_key(committed, key), _rows_by_key(rebuilt, key)
    lines = []
    for ident in old.keys() - new.keys():
        lines.append(f"- {ident}: in the committed file, not in the sources")
    for ident in new.keys() - old.keys():
        lines.append(f"+ {ident}: in the sources, not in the committed file")
    for ident in old.keys() & new.keys():
        for column in new[ident]:
            before, after = old[ident].get(column, ""), new[ident][column]
            if before != after:
                lines.append(f"~ {ident}: {column} committed {before!r}, sources {after!r}")
    if not lines and committed != rebuilt:
        lines.append("rows are equal but the files differ (order, header or line endings)")
    return sorted(lines, key=lambda text: (text[2:], text[0]))


def _rows_by_key(text: str, key: str) -> dict[str, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    return {row.get(key, ""): row for row in reader}


# ---------------------------------------------------------------------------- reference


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
    secondary_frame = assemble.typed_frame(secondary, met_secondary_rows.COLUMNS)
    other_frame = assemble.typed_frame(other, other_deployments.COLUMNS)
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
    row["borough"] = assemble.BOROUGH_ALIASES.get(row["borough"], row["borough"])
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


# --------------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lfr-analysis data", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = commands.add_parser("fetch", help="download the Met's PDFs into data/raw")
    fetch_cmd.add_argument("--dest", type=Path, default=None, help="folder (default data/raw)")
    build_cmd = commands.add_parser("build", help="rebuild data/deployments.csv from the PDFs")
    build_cmd.add_argument("--sources", type=Path, default=None, help="folder of the PDFs")
    build_cmd.add_argument(
        "--check", action="store_true", help="compare with the committed file; write nothing"
    )
    ref_cmd = commands.add_parser(
        "import-reference", help="refresh met_secondary_rows.csv and other_deployments.csv"
    )
    ref_cmd.add_argument("--reference", type=Path, default=None, help=REFERENCE_FILE)
    commands.add_parser("manifest", help="rewrite data/datapackage.json")
    return parser


def main(argv: list[str]) -> int:
    """Run ``lfr-analysis data ...``; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "fetch":
            for line in fetch(args.dest or paths.raw_dir()):
                print(line)
            return 0
        if args.command == "build":
            return _build(args.sources or paths.sources_dir(), check=args.check)
        if args.command == "import-reference":
            return _import_reference(args.reference or reference_dir() / REFERENCE_FILE)
        print(f"wrote {datasets.write_manifest().name}")
        return 0
    except (OSError, ValueError) as err:
        print(f"lfr-analysis data {args.command}: {err}", file=sys.stderr)
        return 1


def _build(sources: Path, check: bool) -> int:
    rebuilt = build_text(sources)
    target = deployments.DATASET.path()
    committed = target.read_text(encoding="utf-8") if target.is_file() else ""
    if check:
        if committed == rebuilt:
            print(f"{deployments.FILE} matches the sources in {sources}")
            return 0
        differences = row_diff(committed, rebuilt)
        print(f"{deployments.FILE} differs from the sources in {sources}:")
        for line in differences:
            print(f"  {line}")
        return 1
    target.write_text(rebuilt, encoding="utf-8", newline="")
    rows = rebuilt.count("\n") - 1
    print(f"wrote {target.name} ({rows} rows); now run 'lfr-analysis data manifest'")
    return 0


def _import_reference(reference: Path) -> int:
    secondary, other = import_reference(reference)
    folder = paths.data_dir()
    for frame, name in (
        (secondary, met_secondary_rows.FILE),
        (other, other_deployments.FILE),
    ):
        (folder / name).write_text(assemble.table_text(frame), encoding="utf-8", newline="")
        print(f"wrote {name} ({len(frame)} rows)")
    print("now run 'lfr-analysis data build' and 'lfr-analysis data manifest'")
    return 0
