"""Words a journalist can quote: a verdict sentence, a citation line, the documents used.

:func:`verdict` says in one sentence what the record gives and what that means for the
published figure; :func:`documents` names the Met documents (file, address, pages) behind
a recomputation; :func:`citation` is a line to paste under a quotation. :func:`show` prints
a value the way its unit is read (counts as whole numbers, ``1 in N``, percentages without
exponents).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lfr_analysis.claims.rules import in_unit
from lfr_analysis.datasets.manifest import DATA_VERSION
from lfr_analysis.datasets.published_figures import COUNT_UNITS, RATE_METRICS, RECORD_METRICS

__all__ = [
    "METRIC_NOUNS",
    "citation",
    "documents",
    "documents_words",
    "period_words",
    "show",
    "verdict",
]

#: How each record metric is named in a sentence.
METRIC_NOUNS = {
    "deployments": "deployments",
    "faces_seen": "faces seen",
    "alerts": "alerts",
    "true_alerts": "true alerts",
    "false_alerts": "false alerts",
    "arrests": "arrests",
    "false_alert_rate_per_face": "false alerts per face seen",
    "false_alert_rate_per_alert": "false alerts per alert",
    "watchlist_size": "as the largest watchlist",
    "threshold": "as the highest threshold",
    "minutes_per_arrest": "minutes of deployment per arrest",
}

_SINGULAR = {
    "deployments": "deployment",
    "faces_seen": "face seen",
    "alerts": "alert",
    "true_alerts": "true alert",
    "false_alerts": "false alert",
    "arrests": "arrest",
}

_COLUMN_NOUNS = {
    "false_alerts": "false alerts",
    "faces_seen": "faces seen",
    "alerts": "alerts",
    "duration_minutes": "minutes",
    "arrests": "arrests",
}


def show(value, unit: str | None = None) -> str:
    """Return ``value`` as a reader reads it in ``unit``.

    Counts print as whole numbers with thousands separators, ``one_in`` as ``1 in N``,
    percentages and fractions to three significant figures without an exponent.
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)) or pd.isna(value):
        return "-"
    value = float(value)
    if unit == "one_in":
        return f"1 in {value:,.0f}"
    if unit in ("percent", "fraction"):
        text = np.format_float_positional(value, precision=3, unique=False, fractional=False)
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return text + ("%" if unit == "percent" else "")
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if unit in COUNT_UNITS or abs(value) >= 1:
        return f"{value:,.1f}"
    return np.format_float_positional(value, precision=3, unique=False, fractional=False)


def _day(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%b %Y}"


def period_words(start, end) -> str:
    """``"on 9 Apr 2024"`` or ``"from 1 Jan 2024 to 6 Dec 2024"``."""
    if pd.isna(start) or pd.isna(end):
        return "over a period not stated"
    if start == end:
        return f"on {_day(start)}"
    return f"from {_day(start)} to {_day(end)}"


def _filter_words(filters) -> str:
    words = []
    for key, _, value in filters:
        if key == "place":
            words.append("at " + " or ".join(p.strip() for p in value.split("|")))
        elif key == "borough":
            words.append(f"in {value}")
        elif key == "threshold":
            words.append(f"at threshold {value}")
        elif key == "source_type":
            words.append(f"on {value} rows")
    return (" " + " ".join(words)) if words else ""


def _what(result, unit: str) -> str:
    """``"544 arrests from 1 Jan 2024 to 6 Dec 2024 (180 deployments)"``."""
    recipe = result.recipe
    metric = recipe.metric
    noun = METRIC_NOUNS.get(metric, metric)
    if result.value == 1 and metric in _SINGULAR:
        noun = _SINGULAR[metric]
    rows = f"{result.rows:,} deployment{'s' if result.rows != 1 else ''}"
    if result.secondary_rows:
        rows += f", {result.secondary_rows:,} of them transcribed by a third party"
    if metric == "deployments":
        rows = (
            f"{result.secondary_rows:,} transcribed by a third party"
            if result.secondary_rows
            else ""
        )
    where = _filter_words(recipe.filters)
    if metric in RATE_METRICS and result.denominator:
        with np.errstate(divide="ignore"):
            number = show(in_unit(result.value, metric, unit), unit)
        count = f"{result.numerator:,.0f} in {result.denominator:,.0f}"
        return f"{number} {noun} ({count}) {period_words(recipe.start, recipe.end)}{where} ({rows})"
    rows = f" ({rows})" if rows else ""
    return (
        f"{show(result.value, unit)} {noun} {period_words(recipe.start, recipe.end)}{where}{rows}"
    )


def verdict(figure: dict, status: str, reason: str, work: dict | None) -> str:
    """One sentence saying what the record gives and what that means for the figure.

    Parameters
    ----------
    figure : dict
        The published figure (with ``value`` and ``unit``).
    status : str
        Its status in the ledger.
    reason : str
        The ledger's reason (used when the record cannot speak to the figure).
    work : dict or None
        The ``"working"`` entry of :func:`lfr_analysis.claims.assess`.
    """
    printed = f'"{figure["value_as_published"]}"'
    unit = figure["unit"]
    if status == "not_checkable":
        return f"Not checkable: {printed} is a claim about process, which no count can check."
    if status == "not_reproducible" or not work or work.get("stated") is None:
        return f"Not reproducible from the record: {reason}."
    stated = work["stated"]
    what = _what(stated.result, unit)
    if work.get("record_end") is not None:
        what += f", the record ending on {_day(work['record_end'])}"
    matched = work.get("matched")
    if status == "reproduced":
        how = "as published" if figure["qualifier"] in ("exact", "about") else "so it holds"
        return f"Reproduced: the record gives {what}, {how} ({printed})."
    if status == "understated":
        above = stated.value / figure["value"] - 1
        return (
            f"Understated: {printed} holds, but the record gives {what}, "
            f"{above:.0%} more than the bound."
        )
    if status == "disagrees_with_record":
        return _disagrees(figure, work, what)
    if status == "matched_other_reading" and matched is not None:
        other = _what(matched.result, unit)
        return (
            f"Not as stated: the record gives {what}; read {matched.reading.label}, it gives "
            f"{other}, as published ({printed})."
        )
    gap = stated.gap
    label = "Close" if status == "close" else "Contradicted"
    distance = (
        f"{gap:.1%} from the published {printed}"
        if figure["qualifier"] in ("exact", "about")
        else f"so {printed} does not hold"
    )
    return f"{label}: the record gives {what}, {distance}; no declared reading gives it."


def _disagrees(figure: dict, work: dict, what: str) -> str:
    derived = work["derived"]
    result = work["stated"].result
    numerator_col, denominator_col = RECORD_METRICS[result.recipe.metric]
    parts = [
        f"{_COLUMN_NOUNS.get(numerator_col, numerator_col)} {show(derived['numerator'])} v "
        f"{show(result.numerator)}",
        f"{_COLUMN_NOUNS.get(denominator_col, denominator_col)} {show(derived['denominator'])} "
        f"v {show(result.denominator)}",
    ]
    return (
        f'"{figure["value_as_published"]}" is the source\'s own {show(derived["numerator"])} / '
        f"{show(derived['denominator'])} ({derived['ids'][0]} / {derived['ids'][1]}), but the "
        f"record gives {what}: the gap is in the counts ({', '.join(parts)}, source v record), "
        "not in the arithmetic."
    )


_PDF = re.compile(r"^\s*(?P<doc>[^,]+?\.pdf),\s*page\s+(?P<page>\d+)", re.I)
_TRANSCRIPTION = re.compile(r"^(?P<doc>.*?) \(compiled row [^;]*;\s*(?P<where>\S+ \S+)")


def documents(result) -> list[dict]:
    """The documents behind a recomputation: file, address, pages and rows used.

    Parameters
    ----------
    result : Recomputation
        With ``sources`` (the ``source_table`` and ``source_url`` of each row used).

    Returns
    -------
    list of dict
        ``{"document", "url", "pages", "rows"}`` in order of first use; ``pages`` lists
        the PDF pages (empty for a transcription, which has none).
    """
    found: dict[tuple[str, str], dict] = {}
    for table, url in result.sources:
        match = _PDF.match(table or "")
        if match:
            name, page = match.group("doc").strip(), int(match.group("page"))
        else:
            transcription = _TRANSCRIPTION.match(table or "")
            name = (
                f"{transcription.group('doc')} ({transcription.group('where')})"
                if transcription
                else (table or "source not named")
            )
            page = None
        entry = found.setdefault(
            (name, url), {"document": name, "url": url, "pages": [], "rows": 0}
        )
        entry["rows"] += 1
        if page is not None and page not in entry["pages"]:
            entry["pages"].append(page)
    for entry in found.values():
        entry["pages"].sort()
    return list(found.values())


def _pages(pages: list[int]) -> str:
    if not pages:
        return ""
    runs, first, last = [], pages[0], pages[0]
    for page in pages[1:]:
        if page == last + 1:
            last = page
            continue
        runs.append(f"{first}-{last}" if last > first else f"{first}")
        first = last = page
    runs.append(f"{first}-{last}" if last > first else f"{first}")
    return ("p. " if len(pages) == 1 else "pp. ") + ", ".join(runs)


def documents_words(docs: list[dict]) -> str:
    """``"lfr-deployment-grid-2023-to-2024.pdf pp. 1-6 (180 rows)"``, documents joined by ';'."""
    parts = []
    for doc in docs:
        pages = _pages(doc["pages"])
        rows = f"{doc['rows']:,} row{'' if doc['rows'] == 1 else 's'}"
        parts.append(f"{doc['document']}{' ' + pages if pages else ''} ({rows})")
    return "; ".join(parts)


def citation(figure: dict, status: str, docs: list[dict]) -> str:
    """A line to paste under a quotation of the figure and of the ledger's verdict."""
    published = figure.get("published")
    when = _long_day(published) if pd.notna(published) else "undated"
    line = (
        f'"{figure["value_as_published"]}", {figure["publisher"]}, {when}, {figure["source_url"]}'
    )
    extra = []
    copy = figure.get("copy_url")
    if isinstance(copy, str) and copy and copy != figure["source_url"]:
        extra.append(f"read in a copy at {copy}")
    accessed = figure.get("accessed")
    if pd.notna(accessed):
        extra.append(f"accessed {_long_day(accessed)}")
    if extra:
        line += f" ({'; '.join(extra)})"
    checked = f"Checked by lfr-analysis (data {DATA_VERSION}, figure {figure['figure_id']})"
    if docs:
        checked += f" against the Met's LFR deployment records ({documents_words(docs)})"
    return f"{line}. {checked}: {status}."


def _long_day(day: pd.Timestamp) -> str:
    return f"{day.day} {day:%B %Y}"
