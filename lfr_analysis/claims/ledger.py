"""Assess each published figure against the record and build the ledger.

:func:`assess` gives one figure its status (:data:`STATUS_DEFINITIONS`) with the reason,
the declared reading that reproduces it (:mod:`.readings`), a one-sentence verdict and a
citation line; :func:`ledger` does it for every figure.

The order of the tests, for a figure the record can speak to:

1. **as stated**: the figure's own period and part of the record. If the published value
   (or bound) holds: ``reproduced``, or ``understated`` for a lower bound more than
   :data:`UNDERSTATED_MARGIN` below the record.
2. **its source's own arithmetic**: a figure with ``derived_from`` ``A/B`` whose value is
   the ratio of the source's figures A and B is ``disagrees_with_record``: the gap is in
   the source's counts, and the verdict names it.
3. **declared readings**: the first other reading that reproduces it makes it
   ``matched_other_reading``.
4. otherwise ``close`` (within :data:`CLOSE_TOLERANCE` as stated) or ``contradicted``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pandas as pd

from lfr_analysis.claims import quote
from lfr_analysis.claims.quote import show
from lfr_analysis.claims.readings import declared_readings, evaluate
from lfr_analysis.claims.recompute import RECORD_COVERAGE_START, read_as_printed, row_mask
from lfr_analysis.claims.rules import (
    CLOSE_TOLERANCE,
    STATUS_DEFINITIONS,
    acceptance_interval,
    accepts,
    as_fraction,
    to_unit,
)
from lfr_analysis.datasets.published_figures import (
    LOWER_BOUNDS,
    MAX_METRICS,
    NOT_IN_RECORD,
    PROCESS_METRICS,
    RATE_UNITS,
    RECORD_FORCE,
    RECORD_METRICS,
    parse_derived,
    rounding_step,
)
from lfr_analysis.stats import checks

__all__ = [
    "DEPLOYMENT_COLUMNS",
    "FIGURE_KEYS",
    "LEDGER_COLUMNS",
    "assess",
    "assess_all",
    "ledger",
    "ledger_table",
]

#: The ledger's columns, in order (see :func:`ledger`).
LEDGER_COLUMNS = (
    "figure_id",
    "metric",
    "period",
    "value_as_published",
    "qualifier",
    "unit",
    "recomputed",
    "ci_lower",
    "ci_upper",
    "rows_used",
    "secondary_rows",
    "status",
    "reason",
    "nearest_match",
    "nearest_value",
    "publisher",
    "published",
    "source_url",
    "copy_url",
    "accessed",
    "status_definition",
    "reading",
    "verdict",
    "citation",
    "deployment_ids",
    "documents",
)


#: What every published figure must say for the ledger to judge it.
FIGURE_KEYS = (
    "figure_id",
    "force",
    "publisher",
    "published",
    "source_url",
    "value_as_published",
    "value",
    "unit",
    "qualifier",
    "period_start",
    "period_end",
    "metric",
)

#: The deployment columns the ledger cannot do without.
DEPLOYMENT_COLUMNS = ("date", "source_type")


def _check_figure(figure) -> None:
    if not isinstance(figure, Mapping):
        raise TypeError(
            f"figure must be a mapping (a row of the figures), got {type(figure).__name__}"
        )
    missing = [key for key in FIGURE_KEYS if key not in figure]
    if missing:
        raise ValueError(f"figure {figure.get('figure_id')!r} has no {missing}")


def _outcome(figure, status, reason, work=None, **extra) -> dict:
    row = {
        "figure_id": figure["figure_id"],
        "metric": figure["metric"],
        "period": _period_text(figure),
        "value_as_published": figure["value_as_published"],
        "qualifier": figure["qualifier"],
        "unit": figure["unit"],
        "recomputed": np.nan,
        "ci_lower": np.nan,
        "ci_upper": np.nan,
        "rows_used": np.nan,
        "secondary_rows": np.nan,
        "status": status,
        "reason": reason,
        "nearest_match": "",
        "nearest_value": np.nan,
        "reading": "",
    }
    row.update(extra)
    docs = quote.documents(work["stated"].result) if work and work.get("stated") else []
    ids = work["stated"].result.deployment_ids if work and work.get("stated") else ()
    row.update(
        status_definition=STATUS_DEFINITIONS[status],
        verdict=quote.verdict(figure, status, reason, work),
        citation=quote.citation(figure, status, docs),
        deployment_ids=";".join(ids),
        documents=quote.documents_words(docs),
        working=work,
        document_list=docs,
    )
    return row


def _period_text(figure) -> str:
    start, end = figure.get("period_start"), figure.get("period_end")
    if pd.isna(start) or pd.isna(end):
        return ""
    return f"{start.date()} to {end.date()}"


def _record_rows(deployments, force):
    """The rows of ``force`` (all rows when the table has no ``force`` column)."""
    if "force" in deployments.columns:
        return deployments[deployments["force"].to_numpy() == force]
    return deployments


def _why_not(figure, deployments, bound) -> str | None:
    """Return why the record cannot speak to ``figure``, or None when it can."""
    metric = figure["metric"]
    if metric in NOT_IN_RECORD:
        return NOT_IN_RECORD[metric]
    rows = _record_rows(deployments, figure["force"])
    if figure["force"] == "other forces":
        return "the figure is about other forces; the deployment record holds none of theirs"
    in_record = (
        not rows.empty if "force" in deployments.columns else figure["force"] == RECORD_FORCE
    )
    if not in_record:
        return f"the deployment record holds no {figure['force']} deployments"
    if pd.isna(figure["period_start"]):
        return "the figure does not say which period or deployment it covers"
    if pd.isna(figure["period_end"]):
        return "the figure does not say when its period ends"
    if figure["period_start"] < RECORD_COVERAGE_START:
        return (
            "the period starts before the Met's deployment record (2020 onwards); the "
            "2016-19 trials are not in it"
        )
    last = rows["date"].max()
    if figure["period_start"] > last:
        return f"the period starts after the last deployment in the record ({last.date()})"
    if bound is None or not np.isfinite(bound):
        return "the figure has no number to compare"
    return None


def assess(figure: dict, deployments: pd.DataFrame, figures: pd.DataFrame | None = None):
    """Give one published figure its status against the record.

    Parameters
    ----------
    figure : dict
        A row of :func:`load_published_figures`.
    deployments : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_deployments`.
    figures : pandas.DataFrame, optional
        All figures; needed to resolve ``compared_with`` and ``derived_from``.

    Returns
    -------
    dict
        One ledger row (see :func:`ledger`), plus ``"working"`` (None when nothing was
        recomputed, else a dict with ``stated`` and ``readings``, each reading a
        :class:`~lfr_analysis.claims.readings.ReadingResult`, ``matched`` and ``derived``)
        and ``"document_list"`` (the documents as dicts).
    """
    _check_figure(figure)
    checks.frame(deployments, DEPLOYMENT_COLUMNS, "deployments")
    if figures is not None:
        checks.frame(figures, FIGURE_KEYS, "figures")
    figure = {key: _blank(value) for key, value in dict(figure).items()}
    deployments = _slim(deployments)
    for key in ("copy_url", "accessed", "derived_from"):
        figure.setdefault(key, None)
    if figure["metric"] in PROCESS_METRICS:
        reason = "a claim about process; a table of deployment counts cannot check it"
        return _outcome(figure, "not_checkable", reason)
    bound, note = _bound(figure, figures)
    why = _why_not(figure, deployments, bound)
    if why:
        return _outcome(figure, "not_reproducible", why)
    figure["value"] = bound
    figure["step"] = _step(figure)
    results = evaluate(figure, deployments, declared_readings(figure, deployments))
    stated = results[0]
    work = {"stated": stated, "readings": results, "matched": None, "derived": None}
    result = stated.result
    if not np.isfinite(stated.value):
        column = RECORD_METRICS[figure["metric"]][0] or "date"
        why = f"no row in the window has '{column}' ({result.rows_missing} of {result.rows} blank)"
        return _outcome(figure, "not_reproducible", why, work=work)
    status, reasons = _status(figure, deployments, figures, work)
    if note:
        reasons.append(note)
    nearest = _nearest(results[1:])
    extra = dict(
        recomputed=stated.value,
        rows_used=result.rows,
        secondary_rows=result.secondary_rows,
        reading=work["matched"].reading.describe() if work["matched"] else "",
        nearest_match=_nearest_text(nearest),
        nearest_value=nearest.value if nearest else np.nan,
    )
    if result.ci_lower is not None:
        low, high = sorted(
            (
                to_unit(result.ci_lower, figure["unit"]),
                to_unit(result.ci_upper, figure["unit"]),
            )
        )
        extra.update(ci_lower=low, ci_upper=high)
    return _outcome(figure, status, "; ".join(reasons), work=work, **extra)


def _blank(value):
    return None if value is pd.NA else value


def _status(figure, deployments, figures, work) -> tuple[str, list[str]]:
    stated = work["stated"]
    result = stated.result
    reasons = [_plural(result.rows, "deployment") + " in the window"]
    if result.secondary_rows:
        reasons.append(f"{result.secondary_rows} of them transcribed (secondary)")
    if result.rows_missing:
        reasons.append(
            _plural(result.rows_missing, "row")
            + (" leaves" if result.rows_missing == 1 else " leave")
            + " the figure blank (unknown, not 0)"
        )
    _interval_note(figure, result, reasons)
    last = _record_rows(deployments, figure["force"])["date"].max()
    partial = figure["period_end"] > last
    if partial:
        work["record_end"] = last
    if stated.holds:
        status = "understated" if not stated.accepted else "reproduced"
        if status == "understated":
            above = stated.value / figure["value"] - 1
            reasons.insert(0, f"holds, but the record is {above:.0%} above the bound")
        else:
            reasons.insert(0, _agrees(figure))
        if partial:
            if figure["qualifier"] not in LOWER_BOUNDS or not _is_count(figure["metric"]):
                return "not_reproducible", [_ends_after(last) + "; the rest is not in the record"]
            reasons.insert(0, _ends_after(last) + "; the count to then already satisfies it")
        work["matched"] = stated if status == "reproduced" else None
        return status, reasons
    if partial:
        low, high = _acceptance_bounds(figure)
        if _is_count(figure["metric"]) and stated.value >= high:
            reasons.insert(0, _ends_after(last) + "; the count to then already exceeds the figure")
            return "contradicted", reasons
        return "not_reproducible", [_ends_after(last) + "; the rest is not in the record"]
    unplaced = _unplaced(result.recipe, deployments)
    if unplaced and stated.value < _acceptance_bounds(figure)[0]:
        work["unplaced"] = unplaced
        return "not_reproducible", [
            f"{_plural(unplaced, 'deployment')} in the period {'has' if unplaced == 1 else 'have'} "
            "no borough in the record, so "
            f"the record's {show(stated.value)} is only a lower bound for the borough"
        ]
    reasons.insert(0, f"{stated.gap:.1%} from the published value as stated")
    matched = next((r for r in work["readings"][1:] if r.accepted), None)
    work["matched"] = matched
    derived = _derived(figure, figures)
    if derived is not None:
        work["derived"] = derived
        reasons.insert(
            0, "the source's own arithmetic on its counts, which the record does not give"
        )
        return "disagrees_with_record", reasons
    if matched is not None:
        reasons.insert(0, f"reproduced read {matched.reading.label}")
        return "matched_other_reading", reasons
    reasons.append("no declared reading gives it")
    if pd.notna(figure.get("notes")):
        reasons.append("see notes on the figure")
    return ("close" if stated.gap <= CLOSE_TOLERANCE else "contradicted"), reasons


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _unplaced(recipe, deployments) -> int:
    """Deployments in the recipe's window with no borough, when it filters by borough."""
    if not any(key == "borough" for key, _, _ in recipe.filters) or "borough" not in deployments:
        return 0
    wider = replace(recipe, filters=tuple(f for f in recipe.filters if f[0] != "borough"))
    frame = read_as_printed(deployments, wider.as_printed)
    return int(frame["borough"].isna().to_numpy()[row_mask(frame, wider)].sum())


def _agrees(figure) -> str:
    if figure["qualifier"] in ("exact", "about"):
        return "agrees at the published precision"
    return "satisfies the published bound"


def _ends_after(last) -> str:
    return f"the period ends after the last deployment in the record ({last.date()})"


def _is_count(metric) -> bool:
    return RECORD_METRICS[metric][1] is None and metric not in MAX_METRICS


def _interval_note(figure, result, reasons) -> None:
    if result.ci_lower is None or figure["qualifier"] not in ("less_than", "more_than"):
        return
    bound = (
        as_fraction(figure["value"], figure["unit"])
        if figure["unit"] in RATE_UNITS
        else figure["value"]
    )
    if result.ci_lower <= bound <= result.ci_upper:
        reasons.append("the 95% interval includes the bound")


def _derived(figure, figures) -> dict | None:
    """The source's own ratio behind the figure, when it gives the published value."""
    ids = parse_derived(figure.get("derived_from"))
    if ids is None:
        return None
    if figures is None:
        raise ValueError(f"figure {figure['figure_id']!r} needs `figures` for derived_from")
    values = figures.set_index("figure_id")["value"]
    numerator, denominator = float(values[ids[0]]), float(values[ids[1]])
    if not denominator:
        return None
    ratio = to_unit(numerator / denominator, figure["unit"])
    if not accepts(figure["value"], figure["step"], figure["qualifier"], ratio):
        return None
    return {"ids": ids, "numerator": numerator, "denominator": denominator, "value": ratio}


def _nearest(results):
    """The alternative reading that reproduces the figure, else the one nearest to it."""
    finite = [r for r in results if np.isfinite(r.value)]
    if not finite:
        return None
    accepted = [r for r in finite if r.accepted]
    return accepted[0] if accepted else min(finite, key=lambda r: r.gap)


def _nearest_text(reading) -> str:
    if reading is None:
        return ""
    verb = "reproduces" if reading.accepted else "comes nearest"
    return f"{reading.reading.describe()} ({verb})"


def _acceptance_bounds(figure) -> tuple[float, float]:
    """Return the accepted values of a figure as a half-open float interval."""
    value, qualifier = figure["value"], figure["qualifier"]
    if qualifier in ("exact", "about"):
        low, high = acceptance_interval(value, figure["step"])
        return float(low), float(high)
    if qualifier == "at_least":
        return value, np.inf
    if qualifier == "more_than":
        return np.nextafter(value, np.inf), np.inf
    if qualifier == "at_most":
        return -np.inf, np.nextafter(value, np.inf)
    return -np.inf, value


def _bound(figure, figures):
    if pd.notna(figure.get("compared_with")):
        if figures is None:
            raise ValueError(f"figure {figure['figure_id']!r} needs `figures` for compared_with")
        ref = figures.set_index("figure_id").loc[figure["compared_with"]]
        fraction = as_fraction(ref["value"], ref["unit"])
        note = f"bound from {figure['compared_with']} ({ref['value_as_published']})"
        return to_unit(fraction, figure["unit"]), note
    return figure["value"], None


def _step(figure):
    if pd.notna(figure.get("compared_with")):
        return Decimal("1e-12")  # a comparison with a bound: inequalities only
    return rounding_step(
        figure["value"], figure["value_as_published"], figure["unit"], figure["qualifier"]
    )


_USED_COLUMNS = (
    "deployment_id",
    "force",
    "date",
    "location",
    "borough",
    "threshold",
    "duration_minutes",
    "source_type",
    "source_table",
    "source_url",
    "quality_flags",
    "faces_seen",
    "alerts",
    "true_alerts",
    "false_alerts",
    "arrests",
    "watchlist_size",
)


def _slim(deployments: pd.DataFrame) -> pd.DataFrame:
    """Keep only the columns the ledger reads (row selection is then much cheaper)."""
    keep = [c for c in deployments.columns if c in _USED_COLUMNS or c.endswith("_as_printed")]
    return deployments if len(keep) == len(deployments.columns) else deployments[keep]


def ledger(figures: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """Assess every published figure; return the ledger, one row per figure.

    Returns
    -------
    pandas.DataFrame
        Columns (:data:`LEDGER_COLUMNS`): figure_id, metric, period, value_as_published,
        qualifier, unit, recomputed (as stated, in the published unit), ci_lower and
        ci_upper (95% Clopper-Pearson, rates only), rows_used, secondary_rows, status,
        reason, nearest_match and nearest_value (the declared alternative reading that
        reproduces the figure, else the one nearest to it), publisher, published,
        source_url, copy_url, accessed, status_definition (one sentence), reading (the
        declared reading that reproduces the figure, or empty), verdict (one sentence),
        citation (a line to paste), deployment_ids (';'-separated, the deployments behind
        the recomputation as stated) and documents (the Met documents and pages behind it).
    """
    return ledger_table(assess_all(figures, deployments))


def assess_all(figures: pd.DataFrame, deployments: pd.DataFrame) -> list[tuple[dict, dict]]:
    """Assess every published figure once: ``(figure, assessment)`` pairs, in file order.

    Each pair is a row of ``figures`` as a dict and what :func:`assess` returns for it;
    :func:`ledger_table` makes the ledger of them, and
    :func:`lfr_analysis.claims.page.ledger_and_records` also each figure's record, without
    assessing a figure twice.
    """
    checks.frame(figures, FIGURE_KEYS, "figures")
    checks.frame(deployments, DEPLOYMENT_COLUMNS, "deployments")
    deployments = _slim(deployments)
    return [(figure, assess(figure, deployments, figures)) for figure in figures.to_dict("records")]


def ledger_table(assessed: list[tuple[dict, dict]]) -> pd.DataFrame:
    """The ledger (see :func:`ledger`) of the pairs :func:`assess_all` returns."""
    rows = []
    for figure, assessment in assessed:
        row = {k: v for k, v in assessment.items() if k not in ("working", "document_list")}
        row.update(
            publisher=figure["publisher"],
            published=figure["published"],
            source_url=figure["source_url"],
            copy_url=figure.get("copy_url"),
            accessed=figure.get("accessed"),
        )
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))
    out["rows_used"] = out["rows_used"].astype("Int64")
    out["secondary_rows"] = out["secondary_rows"].astype("Int64")
    return out
