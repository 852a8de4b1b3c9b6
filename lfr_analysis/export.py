"""``lfr-analysis data export``: the data files as CSV, Parquet, Excel and Stata, with codebooks.

For colleagues working in R, Stata, SPSS or a spreadsheet. Each data file is read through
its own loader (so it is checksum-verified and validated first, see
:mod:`lfr_analysis.datasets`) and written, typed, in every format asked for:

``csv``
    UTF-8, ``\\n`` line ends, ISO dates, ``true``/``false``, missing values as empty cells
    (the data files' own conventions: an exported file equals its data file but for the
    textual form of some numbers).
``parquet``
    Column types kept (nullable integers, dates, booleans); each field carries its
    description in the Parquet schema's metadata. Needs ``pyarrow``.
``xlsx``
    A ``data`` sheet (dates formatted ``YYYY-MM-DD``, text never read as a formula) and a
    ``codebook`` sheet. Needs ``openpyxl``.
``dta``
    Stata 14+ format (``version=118``, UTF-8, so non-ASCII text is kept), variable labels
    from the field descriptions (cut to Stata's 80 characters), dates as Stata dates, and
    value labels where they fit: text columns with a declared list of allowed values become
    labelled integers, booleans 0/1 labelled ``false``/``true``. Missing text is an empty
    string, as Stata has no missing text value.

Beside the exports, ``<file>.codebook.md`` describes each file from ``datapackage.json``:
its title, description, sources, checksum, and per column the type, unit, allowed values,
constraints, Stata name and value labels. Parquet needs only what the package needs
(``pyarrow``, which also splits the data files); ``pip install 'lfr-analysis[export]'``
installs what Excel needs.

Usage::

    lfr-analysis data export [--format csv,parquet,xlsx,dta] [--resource NAME ...]
                             [--output DIR]

Output goes to ``build/export/`` (see :func:`lfr_analysis.paths.build_dir`) by default.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lfr_analysis import datasets, files, paths
from lfr_analysis.datasets import manifest as data_manifest

__all__ = [
    "FORMATS",
    "STATA_VERSION",
    "ExportError",
    "codebook_frame",
    "codebook_text",
    "export",
    "main",
    "missing_packages",
    "stata_frame",
]

FORMATS = ("csv", "parquet", "xlsx", "dta")
ALIASES = {"excel": "xlsx", "stata": "dta", "pq": "parquet"}
NEEDS = {"parquet": "pyarrow", "xlsx": "openpyxl"}
STATA_VERSION = 118
STATA_LABEL_CHARS = 80
STATA_NAME_CHARS = 32
BOOLEAN_LABELS = {0: "false", 1: "true"}


class ExportError(RuntimeError):
    """An export cannot be made (unknown format or resource, missing optional package)."""


# ------------------------------------------------------------------------------ helpers


def file_stem(resource: dict) -> str:
    """Return the export's file name stem: the data file's own (``deployments``)."""
    return Path(resource["path"]).stem


def fields(resource: dict) -> list[dict]:
    return list(resource["schema"]["fields"])


def stata_names(columns: list[str]) -> dict[str, str]:
    """Map column names to valid, unique Stata names (letters, digits, _; at most 32)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = re.sub(r"[^A-Za-z0-9_]", "_", column)
        if not re.match(r"[A-Za-z_]", name):
            name = f"_{name}"
        name = name[:STATA_NAME_CHARS]
        base, counter = name, 1
        while name in taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[: STATA_NAME_CHARS - len(suffix)] + suffix
        taken.add(name)
        names[column] = name
    return names


def stata_label(text: str, limit: int = STATA_LABEL_CHARS) -> str:
    """Return ``text`` fit for a Stata label: its first sentence, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    first = re.split(r"(?<!e\.g)(?<!i\.e)[.;]\s+(?=[A-Z(])", text, maxsplit=1)[0].rstrip(".;")
    chosen = first if first else text
    return chosen if len(chosen) <= limit else chosen[: limit - 1].rstrip() + "…"


def value_labels(field: dict) -> dict[int, str] | None:
    """Return the Stata value labels of a field, or None when it keeps its own values."""
    if field["type"] == "boolean":
        return dict(BOOLEAN_LABELS)
    allowed = field.get("constraints", {}).get("enum")
    if field["type"] == "string" and allowed:
        return {code: str(value) for code, value in enumerate(allowed)}
    return None


def _cell(value, kind: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if kind == "boolean":
        return "true" if bool(value) else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        text = repr(float(value))
        return text.removesuffix(".0") if text.endswith(".0") else text
    return str(value)


# ------------------------------------------------------------------------------ writers


def write_csv(frame: pd.DataFrame, resource: dict, target: Path) -> None:
    kinds = {f["name"]: f["type"] for f in fields(resource)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for record in frame.astype(object).itertuples(index=False):
        writer.writerow([_cell(v, kinds[c]) for c, v in zip(frame.columns, record, strict=True)])
    text = buffer.getvalue()
    files.write_through(target, lambda path: path.write_text(text, encoding="utf-8", newline=""))


def write_parquet(frame: pd.DataFrame, resource: dict, target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    described = []
    for field in table.schema:
        info = next(f for f in fields(resource) if f["name"] == field.name)
        meta = {"description": info.get("description", ""), "unit": info.get("unit", "")}
        described.append(field.with_metadata({k: v for k, v in meta.items() if v}))
    metadata = dict(table.schema.metadata or {})
    summary = {k: resource[k] for k in ("name", "title", "path", "hash") if k in resource}
    metadata[b"datapackage_resource"] = json.dumps(summary, ensure_ascii=False).encode()
    table = table.cast(pa.schema(described, metadata=metadata))
    files.write_through(target, lambda path: pq.write_table(table, path))


def write_xlsx(frame: pd.DataFrame, resource: dict, target: Path) -> None:
    from openpyxl.utils import get_column_letter

    codebook = codebook_frame(resource)

    def write(path: Path) -> None:
        with pd.ExcelWriter(
            path, engine="openpyxl", date_format="YYYY-MM-DD", datetime_format="YYYY-MM-DD"
        ) as writer:
            frame.to_excel(writer, sheet_name="data", index=False)
            codebook.to_excel(writer, sheet_name="codebook", index=False)
            for sheet in writer.book.worksheets:
                for row in sheet.iter_rows(min_row=2):
                    for cell in row:
                        if cell.data_type == "f":  # text that starts with "=" stays text
                            cell.data_type = "s"
                sheet.freeze_panes = "A2"
                for index, column in enumerate(sheet.columns, start=1):
                    width = max(len(str(c.value or "")) for c in list(column)[:200])
                    sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)

    files.write_through(target, write)


def stata_frame(frame: pd.DataFrame, resource: dict) -> tuple[pd.DataFrame, dict, dict]:
    """Return the frame as Stata takes it, its value labels and its date conversions."""
    out = pd.DataFrame(index=frame.index)
    labels: dict[str, dict[int, str]] = {}
    dates: dict[str, str] = {}
    names = stata_names(list(frame.columns))
    for field in fields(resource):
        column, name = field["name"], names[field["name"]]
        values = frame[column]
        mapping = value_labels(field)
        if field["type"] == "boolean":
            out[name] = values.astype("boolean").astype("Int8")
            labels[name] = mapping
        elif mapping is not None:
            codes = {text: code for code, text in mapping.items()}
            unknown = sorted(set(values.dropna()) - set(codes))
            if unknown:  # a value outside the declared list: keep the text
                out[name] = values.astype(object).where(values.notna(), "")
            else:
                out[name] = values.map(codes).astype("Int32")
                labels[name] = mapping
        elif field["type"] == "date":
            out[name] = pd.to_datetime(values)
            dates[name] = "td"
        elif field["type"] == "string":
            out[name] = values.astype(object).where(values.notna(), "")
        else:
            out[name] = values
    return out, labels, dates


def write_dta(frame: pd.DataFrame, resource: dict, target: Path) -> None:
    data, labels, dates = stata_frame(frame, resource)
    names = stata_names(list(frame.columns))
    variable_labels = {
        names[f["name"]]: stata_label(f.get("description") or f["name"]) for f in fields(resource)
    }
    too_long = [
        c
        for c in data.columns
        if data[c].dtype == object and data[c].map(lambda v: len(str(v).encode())).max() > 2045
    ]

    def write(path: Path) -> None:
        data.to_stata(
            path,
            write_index=False,
            version=STATA_VERSION,
            convert_dates=dates,
            data_label=stata_label(resource.get("title", resource["name"])),
            variable_labels=variable_labels,
            value_labels=labels,
            convert_strl=too_long,
        )

    files.write_through(target, write)


WRITERS = {"csv": write_csv, "parquet": write_parquet, "xlsx": write_xlsx, "dta": write_dta}


# ----------------------------------------------------------------------------- codebook


def codebook_frame(resource: dict) -> pd.DataFrame:
    """Return one row per column: name, Stata name, type, description, unit, rules, labels."""
    names = stata_names([f["name"] for f in fields(resource)])
    rows = []
    for field in fields(resource):
        constraints = field.get("constraints", {})
        labels = value_labels(field)
        rows.append(
            {
                "variable": field["name"],
                "stata_name": names[field["name"]],
                "type": field["type"],
                "description": field.get("description", ""),
                "unit": field.get("unit", ""),
                "required": "yes" if constraints.get("required") else "no",
                "minimum": "" if "minimum" not in constraints else str(constraints["minimum"]),
                "maximum": "" if "maximum" not in constraints else str(constraints["maximum"]),
                "allowed_values": " | ".join(map(str, constraints.get("enum", []))),
                "stata_value_labels": (
                    "; ".join(f"{k} = {v}" for k, v in labels.items()) if labels else ""
                ),
            }
        )
    return pd.DataFrame(rows)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook_text(resource: dict, frame: pd.DataFrame, formats: list[str]) -> str:
    """Return the Markdown codebook of one exported data file."""
    stem = file_stem(resource)
    lines = [
        f"# Codebook: {stem}",
        "",
        f"**{resource.get('title', resource['name'])}**",
        "",
        resource.get("description", ""),
        "",
        f"- Data file: `{resource['path']}` ({len(frame)} rows, {frame.shape[1]} columns), "
        f"{resource.get('hash', '')}",
        f"- Exported as: {', '.join(f'`{stem}.{ext}`' for ext in formats)}",
        "- Missing values: an empty cell (CSV, Excel), null (Parquet), `.` for numbers and an "
        "empty string for text (Stata)",
        "- Described in full in `datapackage.json` (a Frictionless Data Package).",
        "",
        "## Sources",
        "",
    ]
    lines += [f"- {s['title']}: {s['path']}" for s in resource.get("sources", [])]
    lines += [
        "",
        "## Variables",
        "",
        "| variable | Stata name | type | unit | required | range | allowed values "
        "(Stata value labels) | description |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in codebook_frame(resource).itertuples(index=False):
        if row.minimum and row.maximum:
            span = f"{row.minimum} to {row.maximum}"
        elif row.minimum or row.maximum:
            span = f"at least {row.minimum}" if row.minimum else f"at most {row.maximum}"
        else:
            span = ""
        allowed = row.stata_value_labels if row.stata_value_labels else row.allowed_values
        cells = [
            f"`{row.variable}`",
            f"`{row.stata_name}`",
            row.type,
            row.unit,
            row.required,
            span,
            allowed,
            row.description,
        ]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------- main


def parse_formats(text: str | None) -> list[str]:
    """Return the formats named in a comma-separated list (all of them when empty)."""
    if not text:
        return list(FORMATS)
    chosen = []
    for part in text.split(","):
        name = ALIASES.get(part.strip().lower(), part.strip().lower())
        if name not in FORMATS:
            raise ExportError(f"unknown format {part.strip()!r}; choose from {', '.join(FORMATS)}")
        if name not in chosen:
            chosen.append(name)
    return chosen


def missing_packages(formats: list[str]) -> list[str]:
    """Return the optional packages the formats need that are not installed."""
    needed = sorted({NEEDS[f] for f in formats if f in NEEDS})
    return [name for name in needed if importlib.util.find_spec(name) is None]


def export(
    formats: list[str] | None = None,
    output: Path | None = None,
    names: list[str] | None = None,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """Export data files; return the paths written.

    Parameters
    ----------
    formats : list of str, optional
        Any of ``csv``, ``parquet``, ``xlsx``, ``dta``; default all.
    output : pathlib.Path, optional
        Folder to write into; default ``build/export``.
    names : list of str, optional
        Resource names from ``datapackage.json`` (e.g. ``deployments``); default all.
    log : callable
        Receives one line per file written.

    Raises
    ------
    ExportError
        For an unknown format or resource, or when a format's package is not installed
        (nothing is written then).
    """
    formats = list(formats or FORMATS)
    absent = missing_packages(formats)
    if absent:
        raise ExportError(
            f"{' and '.join(absent)} {'is' if len(absent) == 1 else 'are'} needed for "
            f"{', '.join(f for f in formats if NEEDS.get(f) in absent)}: install the export "
            "extra (pip install 'lfr-analysis[export]', or make test in a checkout), or "
            "choose other formats with --format"
        )
    resources = data_manifest.read_manifest()["resources"]
    known = [r["name"] for r in resources]
    unknown = sorted(set(names or []) - set(known))
    if unknown:
        raise ExportError(f"unknown data resource(s) {unknown}; choose from {known}")
    chosen = [r for r in resources if not names or r["name"] in names]
    output = Path(output) if output else paths.build_dir() / "export"
    written = []
    for resource in chosen:
        frame = datasets.load(resource["name"])
        stem = file_stem(resource)
        for name in formats:
            target = output / f"{stem}.{name}"
            WRITERS[name](frame, resource, target)
            written.append(target)
            log(f"wrote {target} ({len(frame)} rows, {frame.shape[1]} columns)")
        codebook = output / f"{stem}.codebook.md"
        text = codebook_text(resource, frame, formats)
        files.write_through(codebook, lambda path, t=text: path.write_text(t, encoding="utf-8"))
        written.append(codebook)
        log(f"wrote {codebook}")
    return written


def main(argv: list[str] | None = None) -> int:
    """Run ``lfr-analysis data export``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis data export",
        description="Write the data files as CSV, Parquet, Excel and Stata, with codebooks.",
    )
    parser.add_argument(
        "--format",
        default=None,
        help=f"comma-separated formats: {', '.join(FORMATS)} (also excel, stata); default all",
    )
    parser.add_argument(
        "--resource",
        action="append",
        default=None,
        help="a data resource name from datapackage.json (repeatable); default all",
    )
    parser.add_argument("--output", type=Path, default=None, help="folder (build/export)")
    args = parser.parse_args(argv)
    try:
        export(parse_formats(args.format), args.output, args.resource)
    except (ExportError, ValueError, OSError) as err:  # the data errors are ValueErrors
        print(f"lfr-analysis data export: {err}", file=sys.stderr)
        return 1
    return 0
