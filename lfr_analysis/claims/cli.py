"""``lfr-analysis claims``: the ledger in a terminal, and one figure's full working.

``lfr-analysis claims`` prints the ledger (``--format table``, the default, fits the
terminal, 100 columns when the output is not a terminal; ``csv``, ``json`` or ``markdown``
for other programs) and writes ``build/claims.csv``; ``--id WORD`` prints one figure's
working (an id, a unique prefix, or a word such as ``540``). A closed pipe (``claims |
head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd

from lfr_analysis import files, paths
from lfr_analysis.claims.ledger import ledger
from lfr_analysis.claims.page import figure_record, find_figure, working
from lfr_analysis.claims.quote import show
from lfr_analysis.claims.rules import STATUSES
from lfr_analysis.datasets import deployments, published_figures
from lfr_analysis.datasets.reader import LfrDataError

__all__ = [
    "FORMATS",
    "LEDGER_FILE",
    "format_ledger",
    "main",
    "reader_view",
    "status_counts",
    "write_ledger",
]

LEDGER_FILE = "claims.csv"

#: Output formats of ``lfr-analysis claims``.
FORMATS = ("table", "csv", "json", "markdown")

#: Width used when the output is not a terminal.
DEFAULT_WIDTH = 100


def _csv_text(table: pd.DataFrame) -> str:
    out = table.copy()
    for column in ("published", "accessed"):
        if column in out:
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    return buffer.getvalue()


def write_ledger(table: pd.DataFrame, path: Path | None = None) -> Path:
    """Write the ledger as CSV (byte-stable) to ``build/claims.csv`` or ``path``."""
    path = Path(path) if path else paths.build_dir() / LEDGER_FILE
    files.write_text(path, _csv_text(table))
    return path


def reader_view(table: pd.DataFrame) -> pd.DataFrame:
    """The ledger for a reader: id, as published, recomputed (as text), status, reading.

    ``recomputed`` is printed in the figure's unit (``544``, ``0.000297%``, ``1 in 33,650``),
    never as a float such as ``5.440000e+02``.
    """
    return pd.DataFrame(
        {
            "figure_id": table["figure_id"],
            "as_published": table["value_as_published"],
            "recomputed": [
                show(v, u) for v, u in zip(table["recomputed"], table["unit"], strict=True)
            ],
            "status": table["status"],
            "reading": table["reading"].fillna(""),
        }
    )


def status_counts(table: pd.DataFrame) -> pd.Series:
    """Figures per status, in the order of :data:`STATUSES` (zero where none)."""
    return table["status"].value_counts().reindex(list(STATUSES), fill_value=0).astype(int)


def _cut(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def format_ledger(table: pd.DataFrame, width: int | None = None) -> str:
    """Return the ledger as a plain-text table whose lines fit ``width`` (default 100)."""
    width = int(width or DEFAULT_WIDTH)
    view = reader_view(table)[["figure_id", "as_published", "recomputed", "status"]]
    status_w = max(len("status"), view["status"].str.len().max())
    number_w = min(max(len("recomputed"), view["recomputed"].str.len().max()), 14)
    rest = max(width - status_w - number_w - 6, 20)
    id_w = min(view["figure_id"].str.len().max(), max(rest - 12, 12))
    value_w = max(rest - id_w, 8)
    lines = [
        f"{'figure_id':<{id_w}}  {'as published':<{value_w}}  {'recomputed':>{number_w}}  status"
    ]
    for row in view.itertuples(index=False):
        lines.append(
            f"{_cut(row.figure_id, id_w):<{id_w}}  {_cut(row.as_published, value_w):<{value_w}}  "
            f"{_cut(row.recomputed, number_w):>{number_w}}  {row.status}"
        )
    return "\n".join(line.rstrip() for line in lines)


def _markdown(table: pd.DataFrame) -> str:
    view = reader_view(table)
    header = "| " + " | ".join(view.columns) + " |"
    rule = "|" + "|".join("---" for _ in view.columns) + "|"
    body = [
        "| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |"
        for row in view.itertuples(index=False)
    ]
    return "\n".join([header, rule, *body])


def _json_ready(table: pd.DataFrame) -> list[dict]:
    out = table.copy()
    for column in ("published", "accessed"):
        out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    out = out.astype(object).where(out.notna(), None)
    return out.to_dict("records")


def _width() -> int:
    if sys.stdout.isatty() or "COLUMNS" in os.environ:
        return max(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, 60)
    return DEFAULT_WIDTH


def _one(figure_id: str, fmt: str, figures, record) -> str:
    found = find_figure(figure_id, figures)
    if fmt == "json":
        return json.dumps(figure_record(found, figures, record), indent=2, ensure_ascii=False)
    if fmt in ("csv", "markdown"):
        table = ledger(figures, record)
        table = table[table["figure_id"] == found]
        return _csv_text(table).rstrip("\n") if fmt == "csv" else _markdown(table)
    return working(found, figures, record, width=_width())


def _quietly(write) -> int:
    """Run ``write``; a reader closing the pipe (``| head``) ends it quietly with 0."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


def main(argv: list[str] | None = None) -> int:
    """``lfr-analysis claims [--id WORD] [--format FORMAT] [--output PATH]``; the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis claims",
        description="Recompute every published figure from the deployment record.",
    )
    parser.add_argument(
        "--id",
        dest="figure_id",
        metavar="WORD",
        help="show one figure with its full working: its id, a unique prefix, or a word "
        "such as 540",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument("--output", type=Path, help="where to write the ledger CSV")
    args = parser.parse_args(argv)
    try:
        figures = published_figures.load()
        record = deployments.load()
        if args.figure_id:
            text = _one(args.figure_id, args.format, figures, record)
            return _quietly(lambda: print(text))
        table = ledger(figures, record)
        path = write_ledger(table, args.output)
    except (LfrDataError, ValueError, OSError) as err:
        print(f"lfr-analysis claims: {err}", file=sys.stderr)
        return 1
    if args.format == "csv":
        return _quietly(lambda: sys.stdout.write(_csv_text(table)))
    if args.format == "json":
        return _quietly(lambda: print(json.dumps(_json_ready(table), indent=2, ensure_ascii=False)))
    counts = status_counts(table)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())

    def write():
        if args.format == "markdown":
            print(_markdown(table))
        else:
            print(format_ledger(table, _width()))
        print()
        for line in _summary_lines(summary, _width()):
            print(line)
        print(f"ledger written to {path}")

    return _quietly(write)


def _summary_lines(summary: str, width: int) -> list[str]:
    lines, line = [], ""
    for part in summary.split(", "):
        candidate = f"{line}, {part}" if line else part
        if len(candidate) > width and line:
            lines.append(line + ",")
            line = part
        else:
            line = candidate
    return [*lines, line]
