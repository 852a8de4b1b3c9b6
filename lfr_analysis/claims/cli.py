"""``lfr-analysis claims``: the ledger in a terminal, and one figure's full working."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from lfr_analysis import paths
from lfr_analysis.claims.ledger import assess, ledger
from lfr_analysis.claims.rules import STATUSES
from lfr_analysis.datasets import deployments, published_figures
from lfr_analysis.datasets.reader import LfrDataError

__all__ = ["LEDGER_FILE", "format_ledger", "main", "working", "write_ledger"]

LEDGER_FILE = "claims.csv"


def write_ledger(table: pd.DataFrame, path: Path | None = None) -> Path:
    """Write the ledger as CSV (byte-stable) to ``build/claims.csv`` or ``path``."""
    path = Path(path) if path else paths.build_dir() / LEDGER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    out["published"] = out["published"].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    return path


def format_ledger(table: pd.DataFrame) -> str:
    """Return the ledger as a plain-text table for the terminal."""
    shown = table[["figure_id", "value_as_published", "recomputed", "status"]].copy()
    shown["recomputed"] = [_short(v) for v in shown["recomputed"]]
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.max_colwidth", 48
    ):
        return shown.to_string(index=False)


def _short(value) -> str:
    if pd.isna(value):
        return "-"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"


def working(figure_id: str, figures: pd.DataFrame, deployments: pd.DataFrame) -> str:
    """Return the full working for one figure as text (what ``--id`` prints)."""
    match = figures[figures["figure_id"] == figure_id]
    if match.empty:
        raise ValueError(f"no figure with figure_id {figure_id!r}")
    figure = match.iloc[0].to_dict()
    row = assess(figure, deployments, figures)
    lines = [f"figure {figure_id}"]
    for key in (
        "publisher",
        "published",
        "source_url",
        "claim",
        "value_as_published",
        "value",
        "unit",
        "qualifier",
        "metric",
        "record_filter",
        "compared_with",
        "notes",
    ):
        value = figure[key]
        if pd.notna(value):
            lines.append(f"  {key}: {value.date() if hasattr(value, 'date') else value}")
    lines.append(f"  period: {row['period'] or '(not stated)'}")
    lines.append(f"status: {row['status']}")
    lines.append(f"  reason: {row['reason']}")
    work = row.get("working")
    result = (work or {}).get("result")
    if result is not None:
        lines.append(f"recomputation: {result.recipe.describe()}")
        lines.append(
            f"  rows: {result.rows} ({result.primary_rows} primary, "
            f"{result.secondary_rows} secondary); blank: {result.rows_missing}"
        )
        if result.first_date is not None:
            lines.append(
                f"  deployments from {result.first_date.date()} to {result.last_date.date()}"
            )
        if result.denominator is not None:
            lines.append(f"  {result.numerator:g} / {result.denominator:g} = {result.value:.6g}")
            if result.ci_lower is not None:
                lines.append(
                    f"  95% Clopper-Pearson interval: {result.ci_lower:.3g} to "
                    f"{result.ci_upper:.3g} (fraction)"
                )
        lines.append(f"  recomputed in {figure['unit']}: {_short(row['recomputed'])}")
    tried = (work or {}).get("alternatives") or []
    if tried:
        lines.append("nearest windows and definitions (best first):")
        for alt in tried[:5]:
            mark = "reproduces" if alt.accepted else "no"
            lines.append(f"  {alt.recipe.describe()}: {_short(alt.value)} [{mark}]")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``lfr-analysis claims [--id FIGURE_ID] [--output PATH]``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis claims",
        description="Recompute every published figure from the deployment record.",
    )
    parser.add_argument("--id", dest="figure_id", help="show one figure with its full working")
    parser.add_argument("--output", type=Path, help="where to write the ledger CSV")
    args = parser.parse_args(argv)
    try:
        figures = published_figures.load()
        record = deployments.load()
        if args.figure_id:
            print(working(args.figure_id, figures, record))
            return 0
        table = ledger(figures, record)
    except (LfrDataError, ValueError) as err:
        print(f"lfr-analysis claims: {err}", file=sys.stderr)
        return 1
    print(format_ledger(table))
    counts = table["status"].value_counts().reindex(STATUSES, fill_value=0)
    print("\n" + ", ".join(f"{n} {s}" for s, n in counts.items()))
    print(f"ledger written to {write_ledger(table, args.output)}")
    return 0
