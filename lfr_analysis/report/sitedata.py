"""What the site shows beyond the notebooks, computed once and cached by its inputs.

:func:`collect` computes, from the package and the data files: the findings
(:mod:`lfr_analysis.findings`), how current the data are, the claims ledger with one record
per published figure (:mod:`lfr_analysis.claims`), the library versions and the citation.
The report runs it in its own process beside the notebooks (:func:`compute`) and keeps the
result in its cache (:mod:`lfr_analysis.report.cache`), keyed by every input.

The claims engineer's ``claims.figure_record`` is used when the package has it; otherwise
each record is assembled from ``claims.ledger`` and ``claims.working``.
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
    "LEDGER_COLUMNS",
    "RECORD_FIELDS",
    "STATUS_DEFINITIONS",
    "collect",
    "compute",
    "jsonable",
]

#: Ledger columns the site shows (those ``claims.ledger`` lacks are left empty).
LEDGER_COLUMNS = (
    "figure_id",
    "metric",
    "period",
    "value_as_published",
    "unit",
    "qualifier",
    "recomputed",
    "ci_lower",
    "ci_upper",
    "rows_used",
    "secondary_rows",
    "status",
    "reason",
    "nearest_match",
    "publisher",
    "published",
    "source_url",
    "verdict",
    "reading",
    "citation",
    "status_definition",
)

#: Fields of one published figure's record (``claims.figure_record``).
RECORD_FIELDS = (
    "claim",
    "publisher",
    "published",
    "source_url",
    "copy_url",
    "accessed",
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

#: What each status means, used only while ``claims.ledger`` gives no
#: ``status_definition`` column (the wording follows notebook 05's rule).
STATUS_DEFINITIONS = {
    "reproduced": "the deployment record gives the published value at the precision it was "
    "printed (or, for a bound such as 'more than 1,300', a value inside the bound)",
    "close": "the record misses the published value by at most 5%",
    "contradicted": "the record misses the published value by more than 5%",
    "not_reproducible": "the record lacks what the figure needs (another force, an outcome "
    "such as charges, a period outside the record)",
    "not_checkable": "a claim about process, which no count can check",
}


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


def _record(figure_id: str, row: dict, figures: pd.DataFrame, deployments: pd.DataFrame):
    provided = getattr(claims, "figure_record", None)
    if provided is not None:
        record = dict(provided(figure_id, figures, deployments))
    else:
        figure = figures.set_index("figure_id").loc[figure_id]
        record = {
            "claim": figure.get("claim"),
            "publisher": figure.get("publisher"),
            "published": figure.get("published"),
            "source_url": figure.get("source_url"),
            "notes": figure.get("notes"),
            "working": claims.working(figure_id, figures, deployments),
        }
    for name in RECORD_FIELDS:
        record.setdefault(name, row.get(name))
    return jsonable(record)


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


def _fallback_verdict(row: dict) -> str:
    """One sentence from the ledger's own columns (used while it has no ``verdict``)."""
    status, published = row["status"], row.get("value_as_published")
    got, nearest = row.get("recomputed_text"), row.get("nearest_match")
    also = f" The nearest match: {nearest}." if nearest else ""
    if status == "reproduced":
        return f"The record gives {got} for {row.get('period')}, which reproduces {published}."
    if status in ("close", "contradicted"):
        within = "within 5% of it" if status == "close" else "more than 5% away"
        return (
            f"The record gives {got} for {row.get('period')} against the published "
            f"{published}: {within}.{also}"
        )
    reason = row.get("reason") or "it needs what the record does not hold"
    if status == "not_checkable":
        return f"No count can check this claim: {reason}."
    return f"The record cannot check this figure: {reason}."


def _ledger(figures: pd.DataFrame, deployments: pd.DataFrame) -> tuple[list, dict]:
    table = claims.ledger(figures, deployments)
    if "status_definition" not in table.columns:
        table = table.assign(status_definition=table["status"].map(STATUS_DEFINITIONS))
    claims_by_id = figures.set_index("figure_id")["claim"].to_dict()
    rows = []
    for row in table.to_dict("records"):
        shown = {name: jsonable(row.get(name)) for name in LEDGER_COLUMNS}
        unit = str(row.get("unit") or "")
        shown["recomputed_text"] = _in_unit(shown["recomputed"], unit)
        low, high = shown["ci_lower"], shown["ci_upper"]
        shown["interval_text"] = (
            f"{_in_unit(low, unit)} to {_in_unit(high, unit)}"
            if low is not None and high is not None
            else ""
        )
        when = row.get("published")
        shown["published_text"] = tables.format_value(when, "date") if when is not None else ""
        shown["claim"] = claims_by_id.get(shown["figure_id"], "")
        shown["period"] = _readable_period(shown.get("period"))
        shown["fallback_verdict"] = _fallback_verdict(shown)
        shown["fallback_citation"] = (
            f"{shown['publisher']}, “{shown['claim']}” "
            f"({shown['published_text']}), {shown['source_url']}; checked against the Met's "
            f"deployment record with lfr-analysis {__version__}: "
            f"{shown['status'].replace('_', ' ')}."
        )
        rows.append(shown)
    records = {
        row["figure_id"]: _record(row["figure_id"], row, figures, deployments) for row in rows
    }
    return rows, records


def collect() -> dict:
    """Compute everything the site shows beyond the notebooks (see the module docstring)."""
    deployments = data.load_deployments()
    figures = data.load_published_figures()
    found = findings.findings(deployments)
    rows, records = _ledger(figures, deployments)
    version = cite.data_version()
    statuses = list(claims.STATUSES)
    definitions = {}
    for row in rows:
        definitions.setdefault(row["status"], row.get("status_definition") or "")
    as_of = findings.data_as_of(deployments)
    versions = notebook.library_versions()
    return {
        "findings": jsonable(found),
        "data_as_of": jsonable(as_of),
        "as_of_text": _as_of_text(as_of),
        "versions_text": ", ".join(f"{name} {v}" for name, v in versions.items()),
        "ledger": rows,
        "records": records,
        "statuses": statuses,
        "status_definitions": {
            s: definitions.get(s) or STATUS_DEFINITIONS.get(s, "") for s in statuses
        },
        "versions": versions,
        "citation": {"text": cite.plain_text(version), "bibtex": cite.bibtex(version)},
        "suite_version": __version__,
    }


_SOURCE_WORDS = {
    "primary": "the Met's own PDFs",
    "secondary": "the third-party transcription of the Met's later records",
}


def _as_of_text(as_of: pd.DataFrame) -> str:
    said = []
    for row in as_of.to_dict("records"):
        kind = str(row.get("source_type"))
        tier = (
            f", tier {row['tier']}" if row.get("tier") not in (None, "") and "tier" in row else ""
        )
        words = _SOURCE_WORDS.get(kind, f"{kind} rows")
        when = tables.format_value(row.get("last_deployment"), "date")
        said.append(f"{kind} rows ({words}{tier}) to {when}")
    return "; ".join(said)


def compute(target: str) -> None:
    """Compute :func:`collect` and write it as JSON to ``target`` (the report's job)."""
    files.write_text(target, json.dumps(collect(), sort_keys=True, ensure_ascii=False))
