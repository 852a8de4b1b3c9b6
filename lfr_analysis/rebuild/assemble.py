"""Assemble ``data/deployments.csv`` from the parsed PDFs and the transcribed rows.

The build (``lfr-analysis data build``, :mod:`lfr_analysis.rebuild.cli`) parses each of the
Met's PDFs (:mod:`lfr_analysis.rebuild.met_pdf`) and hands the parsed documents here:
:func:`build_deployments` turns them into rows of ``deployments.csv``, adds the secondary
rows after the last PDF date, assigns the London borough where the location names one,
gives every row a stable id from its content, and :func:`table_text` writes the table as
deterministic CSV text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pandas as pd

from lfr_analysis.datasets import deployments, met_secondary_rows
from lfr_analysis.datasets.reader import Column
from lfr_analysis.datasets.sources import FORCE

__all__ = [
    "BOROUGH_ALIASES",
    "LONDON_BOROUGHS",
    "assign_ids",
    "boroughs_by_location",
    "build_deployments",
    "format_cell",
    "named_borough",
    "primary_rows",
    "secondary_rows",
    "slug",
    "table_text",
    "typed_frame",
]

LONDON_BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden",
    "City of London", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)  # fmt: skip

#: Short or variant borough names in the compiled rows -> official name.
BOROUGH_ALIASES = {
    "H&F": "Hammersmith and Fulham",
    "K&C": "Kensington and Chelsea",
    "Kensington & Chelsea": "Kensington and Chelsea",
    "Barking & Dagenham": "Barking and Dagenham",
    "Richmond": "Richmond upon Thames",
    "Kingston": "Kingston upon Thames",
}

NAMED_BASIS = "named in Met location text"
SAME_TEXT_BASIS = (
    "inferred: same location text as a transcribed Met row (transcriber's or compiler's assignment)"
)


def _location_key(location: str) -> str:
    return re.sub(r"\s+", " ", location.replace("\u2019", "'")).strip().lower()


def boroughs_by_location(secondary: pd.DataFrame | None) -> dict[str, str]:
    """Return location text -> borough from the transcribed rows, where unambiguous.

    Parameters
    ----------
    secondary : pandas.DataFrame or None
        :func:`lfr_analysis.datasets.met_secondary_rows.load`.

    Returns
    -------
    dict
        Lower-cased location text (curly apostrophes straightened) -> official borough
        name, for location texts always given the same borough.
    """
    if secondary is None:
        return {}
    found: dict[str, set[str]] = {}
    for location, borough in zip(secondary["location"], secondary["borough"], strict=True):
        if isinstance(borough, str) and borough:
            found.setdefault(_location_key(location), set()).add(
                BOROUGH_ALIASES.get(borough, borough)
            )
    return {key: next(iter(names)) for key, names in found.items() if len(names) == 1}


def named_borough(location: str) -> str | None:
    """Return the London borough whose full name appears in ``location``, if exactly one."""
    found = [b for b in LONDON_BOROUGHS if re.search(rf"\b{re.escape(b)}\b", location)]
    return found[0] if len(found) == 1 else None


def slug(text: str, max_length: int = 40) -> str:
    """Return a lower-case ASCII slug of ``text`` ("Rye Lane, Peckham" -> "rye-lane-peckham")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rsplit("-", 1)[0]
    return words or "unknown"


def assign_ids(rows: list[dict], prefix: str = "MET") -> None:
    """Give each row a ``deployment_id`` from its date and location, in place.

    The id is ``PREFIX-YYYY-MM-DD-location-slug``; rows sharing date and location get
    ``-2``, ``-3`` ... in the order given.
    """
    seen: dict[str, int] = {}
    for row in rows:
        base = f"{prefix}-{row['date'].isoformat()}-{slug(row['location'])}"
        seen[base] = seen.get(base, 0) + 1
        row["deployment_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def primary_rows(document, source, known_boroughs: dict[str, str] | None = None) -> list[dict]:
    """Turn a parsed PDF into rows of ``deployments.csv`` (without ids).

    Parameters
    ----------
    document : lfr_analysis.rebuild.met_pdf.ParsedDocument
    source : lfr_analysis.datasets.sources.SourceDocument
    known_boroughs : dict, optional
        :func:`boroughs_by_location`, used when the location names no borough.
    """
    known_boroughs = known_boroughs or {}
    rows = []
    for parsed in document.rows:
        row = {c.name: None for c in deployments.COLUMNS}
        row.update({k: v for k, v in parsed.values.items() if k in row})
        borough, basis = named_borough(row["location"]), NAMED_BASIS
        if borough is None:
            borough = known_boroughs.get(_location_key(row["location"]))
            basis = SAME_TEXT_BASIS
        row.update(
            force=FORCE,
            borough=borough,
            borough_basis=basis if borough else None,
            source_type="primary",
            source_table=(
                f"{document.file_name}, page {parsed.page}, deployment row {parsed.number}"
            ),
            source_url=source.url,
            quality_flags=";".join(parsed.flags) or None,
        )
        rows.append(row)
    return rows


def secondary_rows(frame: pd.DataFrame, after=None) -> list[dict]:
    """Turn ``met_secondary_rows.csv`` into rows of ``deployments.csv`` (without ids).

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`lfr_analysis.datasets.met_secondary_rows.load`.
    after : datetime.date, optional
        Keep only rows dated after this day (the last day the PDFs cover), so that a
        newer PDF supersedes the transcription.
    """
    rows = []
    for record in frame.itertuples(index=False):
        day = record.date.date()
        if after is not None and day <= after:
            continue
        row = {c.name: None for c in deployments.COLUMNS}
        for name in ("force", "location", "borough_basis", "purpose", "source_url"):
            row[name] = _text(getattr(record, name))
        for name in met_secondary_rows.COUNT_COLUMNS:
            value = getattr(record, name)
            row[name] = None if pd.isna(value) else int(value)
        borough = _text(record.borough)
        flags = ["secondary_transcription"]
        if "false_alerts basis: derived" in (_text(record.notes) or ""):
            flags.append("false_alerts_derived_from_rate")
        row.update(
            date=day,
            borough=BOROUGH_ALIASES.get(borough, borough),
            false_alert_rate_reported=_text(record.false_alert_rate_reported),
            source_type="secondary",
            source_table=(
                f"Met LFR deployment record {day.year} via third-party transcription "
                f"(compiled row {record.record_id}; {record.retrieved_via})"
            ),
            quality_flags=";".join(flags),
        )
        rows.append(row)
    return rows


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def build_deployments(documents, secondary: pd.DataFrame | None) -> pd.DataFrame:
    """Assemble ``deployments.csv`` from parsed PDFs and the transcribed secondary rows.

    Parameters
    ----------
    documents : list of (SourceDocument, ParsedDocument)
        The Met's PDFs, parsed, in chronological order of their tables.
    secondary : pandas.DataFrame or None
        :func:`lfr_analysis.datasets.met_secondary_rows.load`; rows on or before the last
        PDF date are left out.

    Returns
    -------
    pandas.DataFrame
        Rows sorted by date, then source order; columns as :data:`deployments.COLUMNS`.
    """
    rows: list[dict] = []
    known_boroughs = boroughs_by_location(secondary)
    for source, document in documents:
        rows.extend(primary_rows(document, source, known_boroughs))
    last_primary = max((row["date"] for row in rows), default=None)
    if secondary is not None:
        rows.extend(secondary_rows(secondary, after=last_primary))
    assign_ids(rows)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["date"], i))
    return typed_frame([rows[i] for i in order], deployments.COLUMNS)


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
