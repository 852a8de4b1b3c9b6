"""Assemble ``deployments.csv`` and ``btp_deployments.csv`` from every source of the record.

The build (``lfr-analysis data build``, :mod:`lfr_analysis.rebuild.cli`) parses each PDF it
holds (:mod:`lfr_analysis.rebuild.met_pdf`) and hands the parsed documents here with the
committed input files (:class:`Inputs`). :func:`build_deployments` takes, for each record,
the best source of each stretch of dates:

1. the rows of the PDF held (``primary``);
2. then the transcribed cells of a later version of that record not held here
   (``pdf_transcriptions.csv``), read with the same parser, for the dates after the PDF's
   last row (``secondary``, flagged ``transcribed_pdf_cells``);
3. then the third-party transcription of the record (``met_secondary_rows.csv``) for the
   dates after those (``secondary``).

So a PDF dropped into the sources folder replaces the transcribed rows it covers. Every
row then gets its borough (:mod:`lfr_analysis.rebuild.boroughs`), a stable id from its
printed date and location, the corrections of ``corrections.csv`` (the printed value kept
beside the corrected one), and, where its false alerts were derived from a printed rate,
the bound that rate allows. :func:`table_text` writes a table as deterministic CSV text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from lfr_analysis import paths
from lfr_analysis.datasets import (
    borough_gazetteer,
    btp_secondary_rows,
    corrections,
    deployments,
    met_secondary_rows,
    pdf_transcriptions,
)
from lfr_analysis.datasets.reader import Column
from lfr_analysis.datasets.sources import (
    BTP,
    FORCE,
    SourceDocument,
    document_by_key,
    document_for_url,
)
from lfr_analysis.rebuild import met_pdf
from lfr_analysis.rebuild.boroughs import (
    BOROUGH_ALIASES,
    LONDON_BOROUGHS,
    Gazetteer,
    boroughs_by_location,
    named_borough,
)
from lfr_analysis.rebuild.quirks import flag_quirks, rate_upper_bound

__all__ = [
    "BOROUGH_ALIASES",
    "LONDON_BOROUGHS",
    "Inputs",
    "apply_corrections",
    "assign_ids",
    "boroughs_by_location",
    "build_btp",
    "build_deployments",
    "format_cell",
    "named_borough",
    "primary_rows",
    "secondary_rows",
    "slug",
    "table_text",
    "transcribed_rows",
    "typed_frame",
]


@dataclass
class Inputs:
    """The committed input files of the build, loaded, with the checksums of two of them.

    Attributes
    ----------
    secondary, transcriptions, corrections, gazetteer, btp_secondary : pandas.DataFrame
        ``met_secondary_rows.csv``, ``pdf_transcriptions.csv``, ``corrections.csv``,
        ``borough_gazetteer.csv``, ``btp_secondary_rows.csv`` (any may be None).
    secondary_sha256, btp_secondary_sha256 : str
        SHA-256 of the two transcription files (the ``source_sha256`` of their rows).
    """

    secondary: pd.DataFrame | None = None
    transcriptions: pd.DataFrame | None = None
    corrections: pd.DataFrame | None = None
    gazetteer: pd.DataFrame | None = None
    btp_secondary: pd.DataFrame | None = None
    secondary_sha256: str = "0" * 64
    btp_secondary_sha256: str = "0" * 64

    @classmethod
    def load(cls, folder: Path | None = None, *, verify_checksum: bool = True) -> Inputs:
        """Load every input file from the data folder (or ``folder``)."""
        folder = Path(folder or paths.data_dir())

        def read(module):
            return module.load(folder / module.FILE, verify_checksum=verify_checksum)

        def digest(module) -> str:
            return hashlib.sha256((folder / module.FILE).read_bytes()).hexdigest()

        return cls(
            secondary=read(met_secondary_rows),
            transcriptions=read(pdf_transcriptions),
            corrections=read(corrections),
            gazetteer=read(borough_gazetteer),
            btp_secondary=read(btp_secondary_rows),
            secondary_sha256=digest(met_secondary_rows),
            btp_secondary_sha256=digest(btp_secondary_rows),
        )


# ------------------------------------------------------------------------ ids, text


def slug(text: str, max_length: int = 40) -> str:
    """Return a lower-case ASCII slug of ``text`` ("Rye Lane, Peckham" -> "rye-lane-peckham")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rsplit("-", 1)[0]
    return words or "unknown"


def assign_ids(rows: list[dict], prefix: str = "MET") -> None:
    """Give each row a ``deployment_id`` from its printed date and location, in place.

    The id is ``PREFIX-YYYY-MM-DD-location-slug`` (the date as printed, so a correction
    never changes it); rows sharing date and location get ``-2``, ``-3`` ... in the order
    given.
    """
    seen: dict[str, int] = {}
    for row in rows:
        day = row.get("date_as_printed") or row["date"]
        base = f"{prefix}-{day.isoformat()}-{slug(row['location'])}"
        seen[base] = seen.get(base, 0) + 1
        row["deployment_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def _blank_row() -> dict:
    return {c.name: None for c in deployments.COLUMNS}


def _flags(row: dict) -> list[str]:
    return [f for f in (row.get("quality_flags") or "").split(";") if f]


def _set_flags(row: dict, flags: list[str]) -> None:
    row["quality_flags"] = ";".join(dict.fromkeys(flags)) or None


# ------------------------------------------------------------------------- the rows


def primary_rows(document, source: SourceDocument) -> list[dict]:
    """Turn a parsed PDF into rows of ``deployments.csv`` (without ids or boroughs).

    Parameters
    ----------
    document : lfr_analysis.rebuild.met_pdf.ParsedDocument
    source : lfr_analysis.datasets.sources.SourceDocument
    """
    rows = []
    for parsed in document.rows:
        row = _blank_row()
        row.update({k: v for k, v in parsed.values.items() if k in row})
        row.update(
            force=source.force,
            date_as_printed=row["date"],
            source_type="primary",
            source_document=source.key,
            source_table=(
                f"{document.file_name}, page {parsed.page}, deployment row {parsed.number}"
            ),
            source_url=source.url,
            source_sha256=document.sha256,
            quality_flags=";".join(parsed.flags) or None,
        )
        rows.append(row)
    return rows


def transcribed_rows(frame: pd.DataFrame | None, document: str, after: date | None) -> list[dict]:
    """Rows of one record from ``pdf_transcriptions.csv``, dated after ``after``.

    The cells of each transcribed version are read with the PDF parser's own
    :func:`~lfr_analysis.rebuild.met_pdf.parse_cells` and flagged as the PDF's rows would
    be (:func:`~lfr_analysis.rebuild.quirks.flag_quirks`, over the whole version).
    """
    if frame is None:
        return []
    rows = []
    source = document_by_key(document)
    mine = frame[frame["document"] == document]
    for sha, version in mine.groupby("version_sha256", sort=False):
        parsed = []
        for record in version.itertuples(index=False):
            cells = ["" if pd.isna(v) else v for v in (getattr(record, c) for c in _CELLS)]
            where = f"{pdf_transcriptions.FILE}, {record.version}, deployment row {record.row}"
            layout = met_pdf.layout_by_name(record.layout)
            values, flags = met_pdf.parse_cells(cells, layout, where)
            parsed.append(
                (record, met_pdf.ParsedRow(values, record.page, record.row, layout.name, flags))
            )
        flag_quirks([p for _, p in parsed])
        for record, row_read in parsed:
            if after is not None and row_read.values["date"] <= after:
                continue
            row = _blank_row()
            row.update({k: v for k, v in row_read.values.items() if k in row})
            name = record.source_path.rsplit("/", 1)[-1]
            row.update(
                force=source.force,
                date_as_printed=row["date"],
                source_type="secondary",
                source_document=document,
                source_table=(
                    f"transcription of {name} ({record.version}; copy in "
                    f"{record.source_repo}@{record.source_commit[:7]}), page {record.page}, "
                    f"deployment row {record.row}"
                ),
                source_url=record.source_url,
                source_sha256=sha,
            )
            _set_flags(row, ["transcribed_pdf_cells", *row_read.flags])
            rows.append(row)
    return rows


_CELLS = pdf_transcriptions.CELL_COLUMNS


def secondary_rows(frame: pd.DataFrame, after=None, *, sha256: str = "0" * 64) -> list[dict]:
    """Turn ``met_secondary_rows.csv`` into rows of ``deployments.csv`` (without ids).

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`lfr_analysis.datasets.met_secondary_rows.load`.
    after : dict or datetime.date, optional
        Keep only rows dated after this day: one day for every record, or record key ->
        day (the last day a better source covers), so that a PDF supersedes the
        transcription.
    sha256 : str
        SHA-256 of the transcription file (``source_sha256`` of its rows).
    """
    rows = []
    for record in frame.itertuples(index=False):
        day = record.date.date()
        source = document_for_url(record.source_url)
        if source is None:
            raise ValueError(
                f"{met_secondary_rows.FILE}, record {record.record_id}: source_url "
                f"{record.source_url!r} is the address of no known record"
            )
        limit = after.get(source.key) if isinstance(after, dict) else after
        if limit is not None and day <= limit:
            continue
        row = _blank_row()
        for name in ("force", "location", "borough", "borough_basis", "purpose", "source_url"):
            row[name] = _text(getattr(record, name))
        for name in met_secondary_rows.COUNT_COLUMNS:
            value = getattr(record, name)
            row[name] = None if pd.isna(value) else int(value)
        flags = ["secondary_transcription"]
        if "false_alerts basis: derived" in (_text(record.notes) or ""):
            flags.append("false_alerts_derived_from_rate")
        row.update(
            date=day,
            date_as_printed=day,
            false_alert_rate_reported=_text(record.false_alert_rate_reported),
            source_type="secondary",
            source_document=source.key,
            source_table=(
                f"Met LFR deployment record {day.year} via third-party transcription "
                f"(compiled row {record.record_id}; {record.retrieved_via})"
            ),
            source_sha256=sha256,
        )
        _set_flags(row, flags)
        rows.append(row)
    return rows


def _btp_secondary_rows(frame: pd.DataFrame, sha256: str, after: date | None) -> list[dict]:
    source = document_by_key("btp_register")
    rows = []
    for record in frame.itertuples(index=False):
        day = record.date.date()
        if after is not None and day <= after:
            continue
        row = _blank_row()
        for name in ("watchlist_size", "faces_seen", "alerts"):
            value = getattr(record, name)
            row[name] = None if pd.isna(value) else int(value)
        parts = {}
        for name in ("true_alerts_unconfirmed", "false_alerts_confirmed"):
            value = getattr(record, name)
            parts[name] = 0 if pd.isna(value) else int(value)
            row[name] = None if pd.isna(value) else int(value)
        flags = ["secondary_transcription"]
        if row["alerts"] is not None and row["alerts"] == sum(parts.values()):
            # every alert is described: the totals follow from the parts given
            row["true_alerts"] = parts["true_alerts_unconfirmed"]
            row["false_alerts"] = parts["false_alerts_confirmed"]
            flags.append("derived_values")
        duration = _text(record.duration)
        row.update(
            force=BTP,
            date=day,
            date_as_printed=day,
            location=record.location,
            purpose=_text(record.purpose),
            duration_minutes=met_pdf.parse_duration(duration) if duration else None,
            threshold=None if pd.isna(record.threshold) else float(record.threshold),
            false_alert_rate_reported=_text(record.false_alert_rate_reported),
            borough=_text(record.borough),
            borough_basis="as given by the survey transcribed" if _text(record.borough) else None,
            source_type="secondary",
            source_document=source.key,
            source_table=(
                f"BTP LFR deployment register via {btp_secondary_rows.FILE} (register row "
                f"{record.register_row}; cammap@{record.source_commit[:7]} "
                f"{record.source_locator})"
            ),
            source_url=record.source_url,
            source_sha256=sha256,
        )
        _set_flags(row, flags)
        rows.append(row)
    return rows


# ------------------------------------------------------------------ finishing rows


def _finish(rows: list[dict], gazetteer: Gazetteer | None, fixes, prefix: str) -> pd.DataFrame:
    for row in rows:
        if gazetteer is not None:
            given = row["borough"] if row["source_type"] == "secondary" else None
            borough, basis, extra = gazetteer.assign(row["location"], given, row["borough_basis"])
            row.update(borough=borough, borough_basis=basis)
            _set_flags(row, [*_flags(row), *extra])
        if "false_alerts_derived_from_rate" in _flags(row):
            rate, faces = row["false_alert_rate_reported"], row["faces_seen"]
            row["false_alerts_upper_bound"] = rate_upper_bound(rate, faces) if rate else None
    assign_ids(rows, prefix)
    apply_corrections(rows, fixes)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["date"], i))
    return typed_frame([rows[i] for i in order], deployments.COLUMNS)


def apply_corrections(rows: list[dict], fixes: pd.DataFrame | None) -> None:
    """Apply ``corrections.csv`` to rows with ids, in place, keeping the printed value.

    Raises
    ------
    ValueError
        When a correction's row is absent or its printed value is not the one recorded
        (the source has changed: the correction must be looked at again).
    """
    if fixes is None:
        return
    by_id = {row["deployment_id"]: row for row in rows}
    for line, fix in enumerate(fixes.itertuples(index=False), start=2):
        row = by_id.get(fix.deployment_id)
        where = f"{corrections.FILE}, line {line}"
        if row is None:
            raise ValueError(
                f"{where}, column 'deployment_id': value {fix.deployment_id!r}: no such "
                "deployment in the sources; review the correction"
            )
        printed_column = corrections.CORRECTABLE[fix.field]
        printed = format_cell(row[printed_column])
        if printed != fix.value_as_printed:
            raise ValueError(
                f"{where}, column 'value_as_printed': value {fix.value_as_printed!r}: the "
                f"sources now print {printed!r} for {fix.deployment_id} {fix.field}; review "
                "the correction"
            )
        row[fix.field] = date.fromisoformat(fix.corrected_value)
        _set_flags(row, [*_flags(row), f"corrected_{fix.field}"])


def build_deployments(documents, inputs: Inputs | None = None) -> pd.DataFrame:
    """Assemble ``deployments.csv``: the Met's PDFs, then the transcriptions after them.

    Parameters
    ----------
    documents : list of (SourceDocument, ParsedDocument)
        The Met's PDFs held, parsed, in chronological order of their tables.
    inputs : Inputs, optional
        The committed input files (:meth:`Inputs.load`); without them only the PDFs'
        rows, as printed, with boroughs named in the text.

    Returns
    -------
    pandas.DataFrame
        Rows sorted by date, then source order; columns as :data:`deployments.COLUMNS`.
    """
    inputs = inputs or Inputs()
    rows: list[dict] = []
    last: dict[str, date] = {}
    for source, document in documents:
        if source.force != FORCE:
            continue
        found = primary_rows(document, source)
        rows.extend(found)
        last[source.key] = max(r["date"] for r in found)
    keys = [] if inputs.transcriptions is None else inputs.transcriptions["document"].unique()
    for key in keys:
        found = transcribed_rows(inputs.transcriptions, key, last.get(key))
        rows.extend(found)
        if found:
            last[key] = max(r["date"] for r in found)
    if inputs.secondary is not None:
        rows.extend(secondary_rows(inputs.secondary, last, sha256=inputs.secondary_sha256))
    gazetteer = Gazetteer(inputs.gazetteer, inputs.secondary)
    return _finish(rows, gazetteer, inputs.corrections, "MET")


def build_btp(documents, inputs: Inputs | None = None) -> pd.DataFrame:
    """Assemble ``btp_deployments.csv``: BTP's register PDF when held, else its transcription."""
    inputs = inputs or Inputs()
    rows: list[dict] = []
    last = None
    for source, document in documents:
        if source.force == BTP:
            rows.extend(primary_rows(document, source))
            last = max(r["date"] for r in rows)
    if inputs.btp_secondary is not None:
        rows.extend(_btp_secondary_rows(inputs.btp_secondary, inputs.btp_secondary_sha256, last))
    gazetteer = Gazetteer(inputs.gazetteer, None)
    return _finish(rows, gazetteer, None, "BTP")


# ------------------------------------------------------------------------- writing


def typed_frame(rows: list[dict], columns: list[Column]) -> pd.DataFrame:
    """Return ``rows`` as a frame with the types the loaders give (``Int64`` counts)."""
    frame = pd.DataFrame(rows, columns=[c.name for c in columns])
    for column in columns:
        if column.kind == "int":
            frame[column.name] = pd.array(
                [None if pd.isna(v) else int(v) for v in frame[column.name]], dtype="Int64"
            )
        elif column.kind == "date":
            frame[column.name] = pd.to_datetime(frame[column.name])
        elif column.kind == "float":
            frame[column.name] = frame[column.name].astype("float64")
    return frame


def format_cell(value) -> str:
    """Return the CSV text of one value: blank for missing, ISO for dates, no '.0' on ints."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def table_text(frame: pd.DataFrame) -> str:
    """Return ``frame`` as deterministic CSV text (UTF-8, ``\\n`` line ends, minimal quoting).

    Integer columns must be ``Int64`` (see :func:`typed_frame`) so counts print as ``12``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for record in frame.astype(object).itertuples(index=False):
        writer.writerow([format_cell(v) for v in record])
    return buffer.getvalue()
