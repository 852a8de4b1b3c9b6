"""``lfr-analysis data``: fetch the records, rebuild or check the deployment tables.

Subcommands::

    lfr-analysis data fetch [--dest DIR]          download every record (trying each
                                                  known address), record what each served
                                                  in data/source_registry.csv
    lfr-analysis data build [--sources DIR] [--check]
                                                  rebuild data/deployments.csv and
                                                  data/btp_deployments.csv (or compare)
    lfr-analysis data import-reference [--reference FILE] [--check] [--skip-missing]
                                                  refresh (or compare) met_secondary_rows.csv
                                                  and other_deployments.csv
    lfr-analysis data manifest                    rewrite data/datapackage.json

``build`` prints the rows read on every page of every PDF, warns when a PDF yields fewer
rows than the committed table holds from it, and, when the table changes, logs every field
a newer version of a record changed in ``data/revisions.csv`` and prints the published
figures whose ledger status changes. ``--check`` writes nothing and exits 1 with a
row-level diff when a committed file differs from what the sources give. Committed files
are read by the loaders' own decoding rules (UTF-8, a byte-order mark dropped), and a
file that cannot be decoded is named; ``build`` rewrites it.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from lfr_analysis import datasets, files, paths
from lfr_analysis.datasets import (
    btp_deployments,
    deployments,
    met_secondary_rows,
    other_deployments,
    published_figures,
)
from lfr_analysis.datasets import revisions as revisions_file
from lfr_analysis.datasets.reader import LfrDataError
from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS, SourceDocument, find_document_file
from lfr_analysis.rebuild import assemble, met_pdf
from lfr_analysis.rebuild import revisions as revision_log
from lfr_analysis.rebuild.fetch import fetch
from lfr_analysis.rebuild.reference import REFERENCE_FILE, import_reference, reference_dir

__all__ = [
    "REFERENCE_FILE",
    "build_tables",
    "build_text",
    "fetch",
    "import_reference",
    "main",
    "parse_sources",
    "reference_dir",
    "row_diff",
]

#: The tables ``data build`` writes, with their datasets.
OUTPUTS = {deployments.FILE: deployments.DATASET, btp_deployments.FILE: btp_deployments.DATASET}


# ------------------------------------------------------------------------------- build


def parse_sources(folder: Path, log=print, documents=SOURCE_DOCUMENTS) -> list:
    """Parse every record PDF found in ``folder``; report rows per page and document.

    Raises
    ------
    FileNotFoundError
        When a required PDF is missing, naming the file names looked for.
    """
    folder = Path(folder)
    parsed = []
    for document in documents:
        path = find_document_file(document, folder)
        if path is None:
            if document.required:
                raise FileNotFoundError(
                    f"{folder}: none of {list(document.file_names)} found; run "
                    "'lfr-analysis data fetch' or pass --sources DIR"
                )
            log(f"{document.file_names[0]}: not held; its rows come from transcriptions")
            continue
        result = met_pdf.parse_pdf(path)
        known = document.known_versions.get(result.sha256)
        version = f"known version ({known[0]})" if known else f"NEW VERSION {result.sha256}"
        log(f"{result.file_name}: {len(result.rows)} rows, {version}")
        log(f"    rows per page: {result.page_summary()}")
        parsed.append((document, result))
    return parsed


def build_tables(sources: Path, log=print, documents=SOURCE_DOCUMENTS) -> tuple[dict, list]:
    """Return (file name -> CSV text of every table ``data build`` writes, parsed PDFs).

    Parameters
    ----------
    sources : pathlib.Path
        Folder holding the PDFs.
    log : callable
        Receives the report lines (rows per page and document, versions).
    documents : sequence of SourceDocument
        The records to look for (default: every known record).
    """
    inputs = assemble.Inputs.load()
    parsed = parse_sources(sources, log, documents)
    tables = {
        deployments.FILE: assemble.table_text(assemble.build_deployments(parsed, inputs)),
        btp_deployments.FILE: assemble.table_text(assemble.build_btp(parsed, inputs)),
    }
    return tables, parsed


def build_text(sources: Path, log=print) -> str:
    """Return the CSV text of ``deployments.csv`` as the sources give it."""
    return build_tables(sources, log)[0][deployments.FILE]


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


def _committed(name: str) -> tuple[bytes | None, str | None, str | None]:
    """Return (raw bytes, text decoded as the loader decodes, problem) of a committed table."""
    dataset = OUTPUTS[name]
    target = dataset.path()
    if not target.is_file():
        return None, None, f"{name}: not found"
    raw = target.read_bytes()
    try:
        return raw, dataset.read_text(target), None
    except LfrDataError as err:
        return raw, None, str(err).replace("\n", " ")


def _short_rows(parsed, log) -> None:
    """Warn when a PDF yields fewer rows than the committed table holds from it."""
    _, text, _ = _committed(deployments.FILE)
    committed = list(csv.DictReader(io.StringIO(text or "")))
    _, btp_text, _ = _committed(btp_deployments.FILE)
    committed += list(csv.DictReader(io.StringIO(btp_text or "")))
    for document, result in parsed:
        held = sum(
            1
            for row in committed
            if row.get("source_document") == document.key and row.get("source_type") == "primary"
        )
        if len(result.rows) < held:
            log(
                f"WARNING: {result.file_name} yields {len(result.rows)} rows, but the committed "
                f"table holds {held} rows read from {document.key}: rows may have been lost or "
                "removed by the publisher; compare with 'lfr-analysis data build --check'"
            )


def _build(sources: Path, check: bool, ledger: Callable | None, documents) -> int:
    tables, parsed = build_tables(sources, print, documents)
    _short_rows(parsed, print)
    if check:
        return _check(tables, sources)
    log_entries = []
    changed = []
    for name, rebuilt in tables.items():
        raw, committed, problem = _committed(name)
        if problem and raw is not None:
            print(f"{name}: the committed file could not be read ({problem}); rewriting it")
        if raw == rebuilt.encode("utf-8"):
            continue
        changed.append(name)
        if committed is not None:
            log_entries += revision_log.compare_tables(committed, rebuilt, name)
        _report_status_changes(name, committed, rebuilt, ledger)
    for name in changed:
        files.write_text(OUTPUTS[name].path(), tables[name])
        print(f"wrote {name} ({tables[name].count(chr(10)) - 1} rows)")
    if log_entries:
        target = revisions_file.DATASET.path()
        existing = revisions_file.DATASET.read_text(target) if target.is_file() else ""
        files.write_text(target, revision_log.merge_log(existing, log_entries))
        print(f"logged {len(log_entries)} revised fields in {revisions_file.FILE}")
    if changed or log_entries:
        print("now run 'lfr-analysis data manifest'")
    else:
        print("nothing changed")
    return 0


def _check(tables: dict[str, str], sources: Path) -> int:
    status = 0
    for name, rebuilt in tables.items():
        raw, committed, problem = _committed(name)
        if raw == rebuilt.encode("utf-8"):
            print(f"{name} matches the sources in {sources}")
            continue
        status = 1
        if committed is None:
            print(f"{name} cannot be compared: {problem}; 'lfr-analysis data build' rewrites it")
            continue
        if committed == rebuilt:
            print(
                f"{name}: the rows match the sources, but the file's bytes differ (it starts "
                "with a byte-order mark); 'lfr-analysis data build' rewrites it"
            )
            continue
        print(f"{name} differs from the sources in {sources}:")
        for line in row_diff(committed, rebuilt):
            print(f"  {line}")
    return status


def _report_status_changes(name: str, committed, rebuilt: str, ledger) -> None:
    if ledger is None or name != deployments.FILE or committed is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        old_path = files.write_text(Path(folder) / "old.csv", committed)
        new_path = files.write_text(Path(folder) / "new.csv", rebuilt)
        try:
            old = deployments.DATASET.read(old_path, verify_checksum=False)
        except LfrDataError as err:
            print(f"ledger not compared: the committed table does not load ({err})")
            return
        new = deployments.DATASET.read(new_path, verify_checksum=False)
    figures = published_figures.load()
    lines = revision_log.status_changes(ledger, figures, old, new)
    if lines:
        print(f"published figures whose ledger status changes ({len(lines)}):")
        for line in lines:
            print(f"  {line}")
    else:
        print("no published figure changes ledger status")


# ---------------------------------------------------------------------------- reference


def _import_reference(reference: Path, check: bool, skip_missing: bool) -> int:
    if not reference.is_file():
        message = (
            f"compiled reference not found at {reference} (set LFR_REFERENCE_DIR to the "
            "folder holding it)"
        )
        if skip_missing:
            print(f"import-reference --check skipped: {message}")
            return 0
        raise FileNotFoundError(message)
    secondary, other = import_reference(reference)
    folder = paths.data_dir()
    status = 0
    for frame, dataset in ((secondary, met_secondary_rows), (other, other_deployments)):
        text = assemble.table_text(frame)
        target = folder / dataset.FILE
        if check:
            committed = dataset.DATASET.read_text(target)
            if committed == text and target.read_bytes() == text.encode("utf-8"):
                print(f"{dataset.FILE} matches {reference.name} ({len(frame)} rows)")
                continue
            status = 1
            print(f"{dataset.FILE} differs from {reference.name}:")
            for line in row_diff(committed, text, key=frame.columns[0])[:50]:
                print(f"  {line}")
            continue
        files.write_text(target, text)
        print(f"wrote {dataset.FILE} ({len(frame)} rows)")
    if not check:
        print("now run 'lfr-analysis data build' and 'lfr-analysis data manifest'")
    return status


# --------------------------------------------------------------------------------- CLI


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lfr-analysis data", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = commands.add_parser("fetch", help="download the records into data/raw")
    fetch_cmd.add_argument("--dest", type=Path, default=None, help="folder (default data/raw)")
    build_cmd = commands.add_parser("build", help="rebuild the deployment tables from the PDFs")
    build_cmd.add_argument("--sources", type=Path, default=None, help="folder of the PDFs")
    build_cmd.add_argument(
        "--check", action="store_true", help="compare with the committed files; write nothing"
    )
    ref_cmd = commands.add_parser(
        "import-reference", help="refresh met_secondary_rows.csv and other_deployments.csv"
    )
    ref_cmd.add_argument("--reference", type=Path, default=None, help=REFERENCE_FILE)
    ref_cmd.add_argument(
        "--check", action="store_true", help="compare with the committed files; write nothing"
    )
    ref_cmd.add_argument(
        "--skip-missing",
        action="store_true",
        help="with --check: report and exit 0 when the reference is not there",
    )
    commands.add_parser("manifest", help="rewrite data/datapackage.json")
    return parser


def main(
    argv: list[str],
    *,
    ledger: Callable | None = None,
    documents: tuple[SourceDocument, ...] = SOURCE_DOCUMENTS,
) -> int:
    """Run ``lfr-analysis data ...``; return the exit code.

    Parameters
    ----------
    argv : list of str
        The arguments after ``data``.
    ledger : callable, optional
        ``ledger(figures, deployments)``, e.g. :func:`lfr_analysis.claims.ledger`, given
        by the command dispatcher: ``build`` then prints the figures whose status changes.
    documents : sequence of SourceDocument
        The records ``fetch`` and ``build`` handle (tests pass their own).
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "fetch":
            for line in fetch(args.dest or paths.raw_dir(), documents=documents):
                print(line)
            return 0
        if args.command == "build":
            return _build(args.sources or paths.sources_dir(), args.check, ledger, documents)
        if args.command == "import-reference":
            reference = args.reference or reference_dir() / REFERENCE_FILE
            return _import_reference(reference, args.check, args.skip_missing)
        print(f"wrote {datasets.write_manifest().name}")
        return 0
    except (OSError, ValueError) as err:
        print(f"lfr-analysis data {args.command}: {err}", file=sys.stderr)
        return 1
