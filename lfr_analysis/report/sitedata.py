"""What the site shows beyond the notebooks, computed once and cached by its inputs.

:func:`collect` computes, from the package and the data files: the findings
(:mod:`lfr_analysis.findings`), how current the data are, the claims ledger with one record
per published figure (:mod:`lfr_analysis.claims`), the library versions and the citation.
The report runs it in its own process beside the notebooks (:func:`compute`) and keeps the
result in its cache (:mod:`lfr_analysis.report.cache`), keyed by every input.

Every status, verdict, reading and citation is the claims package's own: the ledger's rows
are :func:`lfr_analysis.claims.ledger`'s and each figure's page shows
:func:`lfr_analysis.claims.figure_record`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import numpy as np
import pandas as pd

from lfr_analysis import __version__, cite, claims, data, files, findings, notebook, tables

__all__ = [
    "SHOWN_COLUMNS",
    "collect",
    "compute",
    "jsonable",
]

#: What the site adds to each row of :func:`lfr_analysis.claims.ledger` (whose columns,
#: :data:`lfr_analysis.claims.LEDGER_COLUMNS`, it keeps as they are): the figure's claim,
#: the recomputed value and its interval in the unit of the published figure, the
#: publication date and the period in words.
SHOWN_COLUMNS = ("claim", "recomputed_text", "interval_text", "published_text")


def jsonable(value):
    """``value`` as plain JSON data: NaN and NA as None, dates as ISO text, numbers as such."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(row) for row in value.to_dict("records")]
    if isinstance(value, pd.Series):
        return jsonable(value.to_dict())
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date | np.datetime64):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, pd.Period):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return jsonable({k: getattr(value, k) for k in value.__dataclass_fields__})
    return str(value)


def _in_unit(value, unit: str) -> str:
    """A recomputed value written in the unit it was published in."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if unit == "percent":
        return tables.format_value(float(value), "percent")
    if unit == "one_in":
        return tables.format_value(float(value), "one_in")
    if unit == "fraction":
        return tables.format_value(float(value), "proportion")
    number = float(value)
    if number == round(number):
        return tables.format_value(number, "count")
    return tables.format_value(number, "number")


def _readable_period(period) -> str:
    """``2024-09-01 to 2025-08-31`` as ``1 Sep 2024 to 31 Aug 2025`` (other text as it is)."""
    if not isinstance(period, str):
        return period
    return re.sub(
        r"\b(\d{4})-(\d{2})-(\d{2})\b",
        lambda m: tables.format_value(pd.Timestamp(m.group(0)), "date"),
        period,
    )


def _ledger(figures: pd.DataFrame, deployments: pd.DataFrame) -> tuple[list, dict]:
    """The ledger's rows (for the site's table) and each figure's record (for its page).

    Statuses, verdicts, readings and citations are the claims package's own
    (:func:`lfr_analysis.claims.ledger_and_records`: the ledger and each figure's record); the
    site only writes their numbers and dates for a reader.
    """
    table, records = claims.ledger_and_records(figures, deployments)
    claims_by_id = figures.set_index("figure_id")["claim"].to_dict()
    rows = []
    for row in table.to_dict("records"):
        shown = {name: jsonable(row.get(name)) for name in claims.LEDGER_COLUMNS}
        unit = str(row.get("unit") or "")
        shown["recomputed_text"] = _in_unit(shown["recomputed"], unit)
        low, high = shown["ci_lower"], shown["ci_upper"]
        shown["interval_text"] = (
            f"{_in_unit(low, unit)} to {_in_unit(high, unit)}"
            if low is not None and high is not None
            else ""
        )
        when = row.get("published")
        shown["published_text"] = (
            tables.format_value(when, "date") if when is not None and not pd.isna(when) else ""
        )
        shown["claim"] = claims_by_id.get(shown["figure_id"], "")
        shown["period"] = _readable_period(shown.get("period"))
        rows.append(shown)
    return rows, {figure_id: jsonable(record) for figure_id, record in records.items()}


def collect() -> dict:
    """Compute everything the site shows beyond the notebooks (see the module docstring)."""
    deployments = data.load_deployments()
    figures = data.load_published_figures()
    found = findings.findings(deployments)
    rows, records = _ledger(figures, deployments)
    version = cite.data_version()
    as_of = findings.data_as_of(deployments)
    versions = notebook.library_versions()
    return {
        "findings": jsonable(found),
        "data_as_of": jsonable(as_of),
        "as_of_text": _as_of_text(as_of),
        "versions_text": ", ".join(f"{name} {v}" for name, v in versions.items()),
        "ledger": rows,
        "records": records,
        "statuses": list(claims.STATUSES),
        "status_definitions": dict(claims.STATUS_DEFINITIONS),
        "versions": versions,
        "citation": {"text": cite.plain_text(version), "bibtex": cite.bibtex(version)},
        "suite_version": __version__,
    }


_TIER_WORDS = {
    "primary": "the Met's own PDFs",
    "secondary": "transcriptions of the Met's later records",
}


def _as_of_text(as_of: pd.DataFrame) -> str:
    """How current the data are: the last deployment of each tier, in one sentence."""
    said = []
    for row in as_of[as_of["source"] == "all sources"].to_dict("records"):
        when = tables.format_value(row["last_date"], "date")
        words = _TIER_WORDS.get(str(row["tier"]), f"{row['tier']} rows")
        said.append(f"{row['tier']} rows ({words}) to {when}")
    return "; ".join(said)


def compute(target: str) -> None:
    """Compute :func:`collect` and write it as JSON to ``target`` (the report's job)."""
    files.write_text(target, json.dumps(collect(), sort_keys=True, ensure_ascii=False))
