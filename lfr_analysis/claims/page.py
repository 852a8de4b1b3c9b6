"""One figure, in full: the data behind a page of the report and ``claims --id``.

:func:`figure_record` returns everything known about one figure as plain data (a dict a
report page or a JSON file can take as it is); :func:`working` is the same as text, lines
at most :data:`WIDTH` characters; :func:`find_figure` turns what a reader types (an id, a
unique prefix, a word such as ``540``) into one figure_id.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from lfr_analysis.claims.ledger import FIGURE_KEYS, assess, assess_all, ledger_table
from lfr_analysis.claims.quote import documents_words, show
from lfr_analysis.claims.readings import READINGS
from lfr_analysis.stats import checks

__all__ = [
    "RECORD_KEYS",
    "WIDTH",
    "figure_record",
    "find_figure",
    "ledger_and_records",
    "working",
]

#: Width of the text :func:`working` prints.
WIDTH = 100

#: The keys of :func:`figure_record`, in order.
RECORD_KEYS = (
    "figure_id",
    "claim",
    "publisher",
    "published",
    "source_url",
    "copy_url",
    "accessed",
    "metric",
    "value_as_published",
    "status",
    "status_definition",
    "verdict",
    "reading",
    "recomputed",
    "ci_lower",
    "ci_upper",
    "deployments",
    "documents",
    "citation",
    "working",
)


def find_figure(query: str, figures: pd.DataFrame) -> str:
    """Return the one figure_id that ``query`` names.

    Tried in turn: the exact id; a unique id prefix; a unique id with the query as one of its
    '-'-separated parts (``"103"`` finds ``croydon-pilot-arrests-103``, not ``...-1035``); a
    unique id containing the query (``"540"`` finds ``met-2024-12-arrests-540``); a unique
    figure whose printed value or claim contains it.

    Raises
    ------
    ValueError
        When nothing matches, or several figures do (naming up to ten of them).
    """
    if not isinstance(query, str):
        raise TypeError(f"query must be text, got {type(query).__name__}")
    if not query.strip():
        raise ValueError(f"query must be a non-empty figure id or word, got {query!r}")
    checks.frame(figures, ("figure_id", "value_as_published", "claim"), "figures")
    query = query.strip()
    ids = figures["figure_id"]
    needle = query.casefold()
    tests = (
        ids == query,
        ids.str.casefold().str.startswith(needle),
        ids.str.casefold().str.split("-").map(lambda parts: needle in parts),
        ids.str.casefold().str.contains(needle, regex=False),
        figures["value_as_published"].str.casefold().str.contains(needle, regex=False)
        | figures["claim"].str.casefold().str.contains(needle, regex=False),
    )
    for found in tests:
        matches = ids[found.fillna(False).to_numpy()].tolist()
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            shown = ", ".join(matches[:10]) + (" ..." if len(matches) > 10 else "")
            raise ValueError(
                f"{len(matches)} figures match {query!r}: {shown}; give more of the id"
            )
    raise ValueError(
        f"no figure with figure_id {query!r}, and no figure id, value or claim contains it"
    )


def _iso(value):
    return None if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _number(value):
    return None if value is None or pd.isna(value) else float(value)


def _text(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def figure_record(figure_id: str, figures: pd.DataFrame, deployments: pd.DataFrame) -> dict:
    """Everything about one figure: source, status, verdict, working and citation.

    Parameters
    ----------
    figure_id : str
        An id of ``figures`` (exactly; :func:`find_figure` resolves a prefix or a word).
    figures : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_published_figures`.
    deployments : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_deployments`.

    Returns
    -------
    dict
        Keys :data:`RECORD_KEYS`. Dates are ISO text, numbers floats (None when not
        computed). ``deployments`` lists the deployment ids behind the recomputation as
        stated; ``documents`` the Met documents as dicts ``{"document", "url", "pages",
        "rows"}``; ``working`` is the text of :func:`working`.
    """
    return _record(*_assessed(figure_id, figures, deployments))


def ledger_and_records(
    figures: pd.DataFrame, deployments: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, dict]]:
    """The ledger and every figure's record, each figure assessed once.

    The same as :func:`lfr_analysis.claims.ledger` and :func:`figure_record` for each
    ``figure_id``, in half the time (a report needs both).

    Returns
    -------
    (pandas.DataFrame, dict)
        The ledger, and ``{figure_id: record}`` in the ledger's order.
    """
    assessed = assess_all(figures, deployments)
    records = {figure["figure_id"]: _record(figure, row) for figure, row in assessed}
    return ledger_table(assessed), records


def _record(figure: dict, row: dict) -> dict:
    """The record (keys :data:`RECORD_KEYS`) of a figure and its assessment."""
    return {
        "figure_id": figure["figure_id"],
        "claim": figure["claim"],
        "publisher": figure["publisher"],
        "published": _iso(figure["published"]),
        "source_url": figure["source_url"],
        "copy_url": _text(figure.get("copy_url")),
        "accessed": _iso(figure.get("accessed")),
        "metric": figure["metric"],
        "value_as_published": figure["value_as_published"],
        "status": row["status"],
        "status_definition": row["status_definition"],
        "verdict": row["verdict"],
        "reading": row["reading"],
        "recomputed": _number(row["recomputed"]),
        "ci_lower": _number(row["ci_lower"]),
        "ci_upper": _number(row["ci_upper"]),
        "deployments": [i for i in row["deployment_ids"].split(";") if i],
        "documents": row["document_list"],
        "citation": row["citation"],
        "working": _working_text(figure, row),
    }


def _assessed(figure_id, figures, deployments):
    if not isinstance(figure_id, str):
        raise TypeError(f"figure_id must be text, got {type(figure_id).__name__}")
    checks.frame(figures, FIGURE_KEYS, "figures")
    match = figures[figures["figure_id"] == figure_id]
    if match.empty:
        raise ValueError(f"no figure with figure_id {figure_id!r}")
    figure = match.iloc[0].to_dict()
    return figure, assess(figure, deployments, figures)


def working(
    figure_id: str, figures: pd.DataFrame, deployments: pd.DataFrame, *, width: int = WIDTH
) -> str:
    """Return the full working for one figure as text (what ``claims --id`` prints).

    Lines are at most ``width`` characters (at least 60).
    """
    figure, row = _assessed(figure_id, figures, deployments)
    return _working_text(figure, row, max(int(width), 60))


def _wrap(text: str, indent: str = "  ", width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        str(text),
        width=width,
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=True,
        break_on_hyphens=False,
    ) or [indent]


def _working_text(figure: dict, row: dict, width: int = WIDTH) -> str:
    def wrap(text, indent="  "):
        return _wrap(text, indent, width)

    def field(name, value):
        if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            return []
        return wrap(f"{name}: {value.date() if hasattr(value, 'date') else value}")

    lines = [f"{figure['figure_id']}: {row['status']}"]
    lines += wrap(row["status_definition"], indent="  = ")
    lines.append("the figure")
    for key in ("claim", "value_as_published", "publisher", "published", "source_url"):
        lines += field(key, figure.get(key))
    for key in ("copy_url", "accessed", "unit", "qualifier", "metric", "record_filter"):
        lines += field(key, figure.get(key))
    for key in ("compared_with", "derived_from", "notes"):
        lines += field(key, figure.get(key))
    lines += field("period", row["period"] or "(not stated)")
    lines.append("verdict")
    lines += wrap(row["verdict"])
    lines += wrap(f"reason: {row['reason']}")
    work = row.get("working")
    if work and work.get("stated") is not None:
        lines += _recomputation(figure, row, work, wrap)
    lines.append("cite as")
    lines += wrap(row["citation"])
    return "\n".join(lines)


def _recomputation(figure: dict, row: dict, work: dict, wrap) -> list[str]:
    """The recomputation, the declared readings, deployments and documents, wrapped by ``wrap``."""
    result = work["stated"].result
    unit = figure["unit"]
    lines = ["recomputation (as stated)"]
    lines += wrap(result.recipe.describe())
    lines += wrap(
        f"{result.rows} deployments in the window ({result.primary_rows} from the Met's PDFs, "
        f"{result.secondary_rows} transcribed (secondary)); the count is blank in "
        f"{result.rows_missing}"
    )
    if result.denominator is not None:
        lines += wrap(f"{result.numerator:,.0f} / {result.denominator:,.0f} = {result.value:.6g}")
        if result.ci_lower is not None:
            lines += wrap(
                f"95% Clopper-Pearson interval: {show(row['ci_lower'], unit)} to "
                f"{show(row['ci_upper'], unit)}"
            )
    lines += wrap(f"recomputed in {unit}: {show(row['recomputed'], unit)}")
    lines.append("declared readings (fixed by metric and period, never by the value)")
    width = max(len(READINGS[r.reading.name][0]) for r in work["readings"])
    for reading in work["readings"]:
        recipe = reading.reading.recipe
        mark = "gives it" if reading.accepted else ("understates" if reading.holds else "no")
        value = show(reading.value, unit) if np.isfinite(reading.value) else "-"
        text = (
            f"{reading.reading.label:<{width}}  {recipe.start.date()} to {recipe.end.date()}"
            f"  {value:>12}  {mark}"
        )
        lines += wrap(text)
    ids = result.deployment_ids
    if ids:
        lines.append(f"deployments used ({len(ids)})")
        lines += wrap(", ".join(ids))
    docs = row["document_list"]
    if docs:
        lines.append("documents")
        for doc in docs:
            lines += wrap(documents_words([doc]))
            lines += wrap(doc["url"], indent="    ")
    return lines
