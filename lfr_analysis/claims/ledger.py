"""Assess each published figure against the record and build the ledger.

:func:`assess` gives one figure its status (see :mod:`lfr_analysis.claims`) with the
reason in words; :func:`ledger` does it for every figure.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from lfr_analysis.claims.recompute import RECORD_COVERAGE_START, Recipe, Recomputation, recompute
from lfr_analysis.claims.rules import CLOSE_TOLERANCE, as_fraction, in_unit, relative_gap, to_unit
from lfr_analysis.claims.search import _acceptance_bounds, alternatives
from lfr_analysis.datasets.published_figures import (
    NOT_IN_RECORD,
    PROCESS_METRICS,
    RATE_UNITS,
    RECORD_FORCE,
    RECORD_METRICS,
    parse_filter,
    rounding_step,
)

__all__ = ["assess", "ledger"]


def _outcome(figure, status, reason, **extra) -> dict:
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
    }
    row.update(extra)
    return row


def _period_text(figure) -> str:
    start, end = figure.get("period_start"), figure.get("period_end")
    if pd.isna(start) or pd.isna(end):
        return ""
    return f"{start.date()} to {end.date()}"


def _why_not(figure, deployments, bound) -> str | None:
    """Return why the record cannot speak to ``figure``, or None when it can."""
    metric = figure["metric"]
    if metric in NOT_IN_RECORD:
        return NOT_IN_RECORD[metric]
    if figure["force"] != RECORD_FORCE:
        return f"the deployment record is the Met's; it holds no {figure['force']} deployments"
    if pd.isna(figure["period_start"]):
        return "the figure does not say which period or deployment it covers"
    if pd.isna(figure["period_end"]):
        return "the figure does not say when its period ends"
    if figure["period_start"] < RECORD_COVERAGE_START:
        return (
            "the period starts before the Met's deployment record (2020 onwards); the "
            "2016-19 trials are not in it"
        )
    if figure["period_start"] > deployments["date"].max():
        return f"the period starts after the last deployment in the record ({_last(deployments)})"
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
        All figures; needed to resolve ``compared_with``.

    Returns
    -------
    dict
        One ledger row (see :func:`ledger`), plus a ``"working"`` entry with the
        :class:`Recomputation` and the alternatives tried (None when not computed).
    """
    figure = dict(figure)
    metric = figure["metric"]
    if metric in PROCESS_METRICS:
        reason = "a claim about process; a table of deployment counts cannot check it"
        return _outcome(figure, "not_checkable", reason, working=None)
    bound, note = _bound(figure, figures)
    why = _why_not(figure, deployments, bound)
    if why and _open_ended(figure, deployments, bound):
        return _assess_open_ended(figure, deployments, figures, bound, why)
    if why:
        return _outcome(figure, "not_reproducible", why, working=None)
    figure["value"] = bound
    figure["step"] = _step(figure, figures)
    recipe = Recipe(
        metric, figure["period_start"], figure["period_end"], parse_filter(figure["record_filter"])
    )
    result = recompute(deployments, recipe)
    if not np.isfinite(result.value):
        column = RECORD_METRICS[metric][0] or "date"
        why = f"no row in the window has '{column}' ({result.rows_missing} of {result.rows} blank)"
        return _outcome(figure, "not_reproducible", why, working={"result": result})
    value = in_unit(result.value, metric, figure["unit"])
    low = high = np.nan
    if result.ci_lower is not None:
        low, high = sorted(
            (
                in_unit(result.ci_lower, metric, figure["unit"]),
                in_unit(result.ci_upper, metric, figure["unit"]),
            )
        )
    gap = relative_gap(bound, figure["step"], figure["qualifier"], value)
    status = "reproduced" if gap == 0 else "close" if gap <= CLOSE_TOLERANCE else "contradicted"
    reasons = _reasons(result, status, gap, figure, note)
    if figure["period_end"] > deployments["date"].max():
        status, reason = _partial_period(figure, status, value, deployments)
        reasons.insert(0, reason)
    extra = dict(
        recomputed=value,
        ci_lower=low,
        ci_upper=high,
        rows_used=result.rows,
        secondary_rows=result.secondary_rows,
    )
    tried = []
    if status in ("close", "contradicted"):
        tried = alternatives(deployments, recipe, figure)
        if tried:
            best = tried[0]
            verb = "reproduces" if best.accepted else "comes nearest"
            extra["nearest_match"] = f"{best.recipe.describe()} ({verb})"
            extra["nearest_value"] = best.value
    return _outcome(
        figure,
        status,
        "; ".join(reasons),
        working={"result": result, "alternatives": tried},
        **extra,
    )


_USED_COLUMNS = (
    "date",
    "location",
    "borough",
    "threshold",
    "source_type",
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
    return deployments[[c for c in _USED_COLUMNS if c in deployments.columns]]


def _last(deployments) -> str:
    return str(deployments["date"].max().date())


def _partial_period(figure, status, value, deployments) -> tuple[str, str]:
    """Status of a figure whose period runs past the record's last deployment.

    A count over the part of the period the record covers is a lower bound of the count
    over the whole period: enough to confirm "more than N", or to contradict "N" when it
    already exceeds N. Anything else cannot be decided.
    """
    ends = f"the period ends after the last deployment in the record ({_last(deployments)})"
    is_count = RECORD_METRICS[figure["metric"]][1] is None and figure["metric"] != "watchlist_size"
    if is_count and status == "reproduced" and figure["qualifier"] in ("at_least", "more_than"):
        return status, ends + "; the count to then already satisfies the figure"
    low, high = _acceptance_bounds(figure)
    if is_count and status == "contradicted" and value >= high:
        return status, ends + "; the count to then already exceeds the figure"
    return "not_reproducible", ends + "; the rest of the period is not in the record"


def _open_ended(figure, deployments, bound) -> bool:
    """True for a record metric with a known start but no stated end."""
    return (
        figure["metric"] in RECORD_METRICS
        and figure["force"] == RECORD_FORCE
        and pd.notna(figure["period_start"])
        and pd.isna(figure["period_end"])
        and figure["period_start"] >= RECORD_COVERAGE_START
        and bound is not None
        and np.isfinite(bound)
    )


def _assess_open_ended(figure, deployments, figures, bound, why) -> dict:
    """A figure 'since <start>' with no end date: say which end dates would match."""
    figure["value"] = bound
    figure["step"] = _step(figure, figures)
    last = deployments["date"].max()
    recipe = Recipe(
        figure["metric"], figure["period_start"], last, parse_filter(figure["record_filter"])
    )
    tried = alternatives(deployments, recipe, figure, end_known=False)
    extra = {}
    if tried:
        best = tried[0]
        verb = "reproduces" if best.accepted else "comes nearest"
        extra = dict(nearest_match=f"{best.recipe.describe()} ({verb})", nearest_value=best.value)
    return _outcome(figure, "not_reproducible", why, working={"alternatives": tried}, **extra)


def _bound(figure, figures):
    if pd.notna(figure.get("compared_with")):
        if figures is None:
            raise ValueError(f"figure {figure['figure_id']!r} needs `figures` for compared_with")
        ref = figures.set_index("figure_id").loc[figure["compared_with"]]
        fraction = as_fraction(ref["value"], ref["unit"])
        note = f"bound from {figure['compared_with']} ({ref['value_as_published']})"
        return to_unit(fraction, figure["unit"]), note
    return figure["value"], None


def _step(figure, figures):
    if pd.notna(figure.get("compared_with")):
        return Decimal("1e-12")  # a comparison with a bound: inequalities only
    return rounding_step(
        figure["value"], figure["value_as_published"], figure["unit"], figure["qualifier"]
    )


def _reasons(result: Recomputation, status, gap, figure, note) -> list[str]:
    reasons = [f"{result.rows} deployments in the window"]
    if note:
        reasons.append(note)
    if status == "reproduced":
        agrees = (
            "agrees at the published precision"
            if figure["qualifier"] in ("exact", "about")
            else "satisfies the published bound"
        )
        reasons[0] = f"{agrees}; " + reasons[0]
    else:
        reasons[0] = f"{gap:.1%} from the published value; " + reasons[0]
    if result.secondary_rows:
        reasons.append(f"{result.secondary_rows} of them transcribed by a third party")
    if result.rows_missing:
        reasons.append(f"{result.rows_missing} rows leave the figure blank (unknown, not 0)")
    if result.ci_lower is not None and figure["qualifier"] in ("less_than", "more_than"):
        low, high = result.ci_lower, result.ci_upper
        bound = (
            as_fraction(figure["value"], figure["unit"])
            if figure["unit"] in RATE_UNITS
            else figure["value"]
        )
        if low <= bound <= high:
            reasons.append("the 95% interval includes the bound")
    if status != "reproduced" and pd.notna(figure.get("notes")):
        reasons.append("see notes on the figure")
    return reasons


def ledger(figures: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """Assess every published figure; return the ledger, one row per figure.

    Returns
    -------
    pandas.DataFrame
        Columns: figure_id, metric, period, value_as_published, qualifier, unit,
        recomputed (in the published unit), ci_lower and ci_upper (95% Clopper-Pearson,
        rates only), rows_used, secondary_rows, status, reason, nearest_match,
        nearest_value, publisher, published, source_url.
    """
    deployments = _slim(deployments)
    rows = []
    for figure in figures.to_dict("records"):
        row = assess(figure, deployments, figures)
        row.pop("working", None)
        row.update(
            publisher=figure["publisher"],
            published=figure["published"],
            source_url=figure["source_url"],
        )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["rows_used"] = out["rows_used"].astype("Int64")
    out["secondary_rows"] = out["secondary_rows"].astype("Int64")
    return out
