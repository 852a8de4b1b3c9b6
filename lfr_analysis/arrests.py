"""Arrests after Live Facial Recognition alerts: what they were for, and each deployment's yield.

Two cited data files back this module:

``data/arrests_by_offence.csv``
    Published arrest counts, one row per figure: event or period totals (``row_type``
    ``total``), totals with a given outcome (``outcome``), aggregate categories such as
    "VAWG" or "sex offenders in breach" (``category``), offences named in an "including ..."
    list without a count (``named``, count 1 and qualifier ``at_least``), and arrested people
    listed one by one (``person``: one person, or n people with the same description). Each
    count carries a ``qualifier``: ``exact`` (as published), ``at_least`` ("more than N",
    or named without a count), ``approx`` ("about N") or ``share`` (only a proportion was
    published; the count is blank and never derived).
``data/offence_taxonomy.csv``
    Every published category mapped onto three harmonised axes: why the person was wanted
    (:data:`WHY_WANTED`), the Home Office offence group (:data:`OFFENCE_GROUPS`) and
    cross-cutting flags (VAWG, domestic abuse, managed offender, weapon), with a ``verify``
    mark where the mapping is uncertain.

Rows of one event are *not* additive in general: "including" lists overlap, VAWG overlaps
every offence group, and basis categories may overlap each other. :func:`arrest_counts`
therefore gives per-category counts with exact Poisson intervals, and simultaneous
intervals for shares (Bonferroni-adjusted Clopper-Pearson by default, whose exact
simultaneous coverage never falls below the level at the small counts of these tables)
only when the categories are exclusive and complete, refusing otherwise with
:class:`OverlappingCategoriesError`, which names the overlap. :func:`arrest_yield` gives
each group's arrests per deployment, per 1,000 alerts and per 100,000 faces seen.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lfr_analysis.datasets import arrests_by_offence, offence_taxonomy
from lfr_analysis.datasets.arrests_by_offence import ROW_TYPES
from lfr_analysis.datasets.offence_taxonomy import CATEGORY_AXES, WHY_WANTED
from lfr_analysis.rates import TIERS, tier_indicators
from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import (
    DEFAULT_SHARE_METHOD,
    SHARE_METHODS,
    multinomial_ci,
    poisson_ci,
    quasi_poisson_ci,
    rate_ci,
)

__all__ = [
    "COUNTS_VIEW",
    "NOT_CODED",
    "NOT_DESCRIBED",
    "YIELD_BY",
    "YIELD_VIEW",
    "OverlappingCategoriesError",
    "arrest_counts",
    "arrest_yield",
    "harmonise",
    "overlap_reasons",
    "reconcile",
]

NOT_DESCRIBED = "(not described)"
NOT_CODED = "(not coded on this axis)"


# --------------------------------------------------------------------------- harmonise


def harmonise(
    arrests: pd.DataFrame | None = None, taxonomy: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Attach the harmonised axes to each published figure.

    Parameters
    ----------
    arrests : pandas.DataFrame, optional
        Output of :func:`load_arrests` (default: load it).
    taxonomy : pandas.DataFrame, optional
        Output of :func:`load_taxonomy` (default: load it).

    Returns
    -------
    pandas.DataFrame
        The arrests with the taxonomy's columns and ``why_wanted_label`` added.

    Raises
    ------
    ValueError
        When a published category has no taxonomy row (naming the records and categories).
    """
    arrests = arrests_by_offence.load() if arrests is None else arrests
    taxonomy = offence_taxonomy.load() if taxonomy is None else taxonomy
    for frame, label, needed in (
        (arrests, "arrests", ("record_id", "published_category")),
        (taxonomy, "taxonomy", ("published_category", "category_axis")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"{label} table lacks column(s) {missing}")
    known = set(taxonomy["published_category"])
    unmapped = arrests[~arrests["published_category"].isin(known)]
    if len(unmapped):
        listed = "; ".join(
            f"{r.record_id}: {r.published_category!r}" for r in unmapped.itertuples()
        )
        raise ValueError(
            f"{len(unmapped)} record(s) have a published_category missing from "
            f"{offence_taxonomy.FILE} (add a row for each): {listed}"
        )
    merged = arrests.merge(taxonomy, on="published_category", how="left", validate="many_to_one")
    merged["why_wanted_label"] = merged["why_wanted"].map(WHY_WANTED)
    return merged


# --------------------------------------------------------------------------- reconcile


def reconcile(arrests: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare each event's published total with what its rows describe.

    Parameters
    ----------
    arrests : pandas.DataFrame, optional
        Output of :func:`load_arrests` (default: load it). Only preferred rows are used.

    Returns
    -------
    pandas.DataFrame
        One row per event with a preferred total that has a count: ``total``,
        ``total_qualifier``,
        ``people_described`` (sum of ``person`` rows), ``not_described`` (total minus
        people described, computed here; NA unless the total is exact and people are
        listed), ``outcomes_published``
        (sum of exact ``outcome`` rows), ``no_published_outcome`` and ``status``
        (``"reconciled"``, ``"partly described"``, ``"no list"``, ``"exceeds total"`` or
        ``"total not exact"``).
    """
    arrests = arrests_by_offence.load() if arrests is None else arrests
    rows = arrests[arrests["preferred"] & arrests["count"].notna()]
    records = []
    for event_id, group in rows.groupby("event_id", sort=False):
        totals = group[group["row_type"] == "total"]
        if totals.empty:
            continue
        total_row = totals.iloc[0]
        persons = group[group["row_type"] == "person"]
        outcomes = group[(group["row_type"] == "outcome") & (group["qualifier"] == "exact")]
        described = int(persons["count"].sum())
        published = int(outcomes["count"].sum())
        exact = total_row["qualifier"] == "exact"
        total = int(total_row["count"])
        if not exact:
            status = "total not exact"
        elif persons.empty:
            status = "no list"
        elif described == total:
            status = "reconciled"
        elif described < total:
            status = "partly described"
        else:
            status = "exceeds total"
        records.append(
            {
                "event_id": event_id,
                "force": total_row["force"],
                "event": total_row["event"],
                "total": total,
                "total_qualifier": total_row["qualifier"],
                "people_described": described,
                "not_described": total - described if exact and len(persons) else pd.NA,
                "outcomes_published": published,
                "no_published_outcome": total - published if exact and published else pd.NA,
                "status": status,
            }
        )
    result = pd.DataFrame.from_records(records)
    for column in ("not_described", "no_published_outcome"):
        result[column] = result[column].astype("Int64")
    return result


# ------------------------------------------------------------------------ count tables


class OverlappingCategoriesError(ValueError):
    """Shares were asked for categories that are not exclusive and complete."""


def _qualifier_of(qualifiers: pd.Series) -> str:
    kinds = set(qualifiers)
    if kinds == {"exact"}:
        return "exact"
    if "approx" in kinds:
        return "approx"
    return "at_least"


_READING = {
    "exact": "count as published",
    "at_least": "lower bound: published as 'more than N' or named without a count; "
    "the upper limit is unbounded",
    "approx": "approximate count: the interval ignores the rounding",
}


def _as_list(by) -> list[str]:
    if isinstance(by, str):
        return [by]
    if isinstance(by, Sequence) and by and all(isinstance(b, str) for b in by):
        return list(by)
    raise TypeError(f"by must be a column name or a list of column names, not {by!r}")


def _select(frame: pd.DataFrame, row_types, events, axes) -> pd.DataFrame:
    unknown = sorted(set(row_types) - set(ROW_TYPES))
    if unknown or not row_types:
        raise ValueError(f"row_types must be a non-empty subset of {ROW_TYPES}; got {row_types!r}")
    chosen = frame[frame["preferred"].astype(bool) & frame["row_type"].isin(row_types)]
    if axes is not None:
        axes = [axes] if isinstance(axes, str) else list(axes)
        wrong = sorted(set(axes) - set(CATEGORY_AXES))
        if wrong or not axes:
            raise ValueError(f"axes must be a non-empty subset of {CATEGORY_AXES}; got {axes!r}")
        chosen = chosen[chosen["category_axis"].isin(axes)]
    if events is not None:
        events = [events] if isinstance(events, str) else list(events)
        missing = sorted(set(events) - set(frame["event_id"]))
        if missing:
            raise ValueError(f"unknown event_id(s): {missing}")
        chosen = chosen[chosen["event_id"].isin(events)]
    if chosen.empty:
        raise ValueError(f"no preferred rows of type {tuple(row_types)} in the selected events")
    no_count = chosen[chosen["count"].isna()]
    if len(no_count):
        raise ValueError(
            "rows with no count (only a share was published) cannot be counted: "
            + ", ".join(no_count["record_id"])
            + "; leave them out with row_types or events"
        )
    return chosen


#: The columns :func:`arrest_counts` returns by default (after the ``by`` columns; rates and
#: shares follow when asked for).
COUNTS_VIEW = ["arrests", "qualifier", "lower", "upper", "n_events", "reading", "method"]


def _poisson_limits(counts: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    limits = poisson_ci(np.asarray(counts, dtype=np.int64), 1.0, conf=conf)
    return limits["lower"].to_numpy(), limits["upper"].to_numpy()


def overlap_reasons(
    chosen: pd.DataFrame, by: list[str], full: pd.DataFrame, *, residual: bool = True
) -> list[str]:
    """Say why the chosen rows cannot be read as exclusive, complete categories.

    Parameters
    ----------
    chosen : pandas.DataFrame
        Harmonised rows to be turned into shares.
    by : list of str
        Columns defining the categories.
    full : pandas.DataFrame
        All harmonised rows (to find each event's published total).
    residual : bool
        Whether arrests not described may be completed by a computed
        ``"(not described)"`` category.

    Returns
    -------
    list of str
        One reason per problem, naming the categories involved; empty when shares are valid.
    """
    reasons = []
    inexact = chosen[chosen["qualifier"] != "exact"]
    if len(inexact):
        names = sorted(set(inexact["published_category"]))
        reasons.append(
            f"{names} are lower bounds or approximate ({sorted(set(inexact['qualifier']))}); "
            "shares need exact counts"
        )
    named = chosen[chosen["row_type"] == "named"]
    if len(named):
        reasons.append(
            f"{sorted(set(named['published_category']))} are named in 'including' lists, "
            "where one person may be counted under several offences"
        )
    flags = chosen[chosen["category_axis"] == "flag"]
    if len(flags):
        reasons.append(
            f"{sorted(set(flags['published_category']))} are cross-cutting flags, which "
            "overlap each other and any offence group"
        )
    aggregate = chosen[chosen["row_type"] != "person"]
    if len(aggregate) and (chosen["row_type"] == "person").any():
        reasons.append(
            f"aggregate categories {sorted(set(aggregate['published_category']))} may include "
            "the people listed one by one"
        )
    axes = sorted(set(aggregate["category_axis"]))
    if len(axes) > 1:
        reasons.append(f"categories {sorted(set(aggregate['published_category']))} mix axes {axes}")
    for event_id, rows in chosen.groupby("event_id", sort=False):
        totals = full[
            (full["event_id"] == event_id)
            & (full["row_type"] == "total")
            & full["preferred"].astype(bool)
        ]
        if totals.empty or totals["qualifier"].iloc[0] != "exact":
            reasons.append(
                f"event {event_id!r} has no exact published total, so completeness "
                "cannot be checked"
            )
            continue
        total = int(totals["count"].iloc[0])
        parts = [int(c) for c in rows["count"]]
        summed = sum(parts)
        if summed > total:
            cats = sorted(set(rows["published_category"]))
            reasons.append(
                f"in event {event_id!r}, {' + '.join(map(str, parts))} = {summed} exceeds the "
                f"published total {total} by {summed - total}: categories {cats} overlap, or "
                "a published figure is wrong"
            )
        elif summed < total and not residual:
            reasons.append(
                f"in event {event_id!r} the categories cover {summed} of {total} arrests "
                "(not complete)"
            )
    return reasons


def _residual_rows(chosen: pd.DataFrame, full: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    extra = []
    for event_id, rows in chosen.groupby("event_id", sort=False):
        totals = full[
            (full["event_id"] == event_id)
            & (full["row_type"] == "total")
            & full["preferred"].astype(bool)
        ]
        missing = int(totals["count"].iloc[0]) - int(rows["count"].sum())
        if missing > 0:
            extra.append(
                {
                    **{col: NOT_DESCRIBED for col in by},
                    "event_id": event_id,
                    "count": missing,
                    "qualifier": "exact",
                }
            )
    return pd.DataFrame.from_records(extra)


def arrest_counts(
    arrests: pd.DataFrame | None = None,
    by: str | list[str] = "offence_group",
    *,
    row_types: Sequence[str] = ("person",),
    events: str | Sequence[str] | None = None,
    axes: str | Sequence[str] | None = None,
    exposure: float | None = None,
    conf: float = 0.95,
    shares: bool = False,
    residual: bool = True,
    share_method: str = DEFAULT_SHARE_METHOD,
    full: bool = False,
) -> pd.DataFrame:
    """Count published arrests by category, with exact Poisson intervals (and shares).

    Only preferred rows are used (of competing versions, the one the data file marks
    preferred). Counts of different rows are summed within each category, so choose rows
    that do not overlap: the default, people listed one by one, never double-counts.

    Parameters
    ----------
    arrests : pandas.DataFrame, optional
        Harmonised table (:func:`harmonise`); a raw :func:`load_arrests` table is
        harmonised first. Default: load and harmonise the data files.
    by : str or list of str
        Column(s) defining the categories, e.g. ``"offence_group"``, ``"why_wanted"``,
        ``"vawg"``, ``"published_category"`` or ``"outcome"``.
    row_types : sequence of str
        Which row types to count (see :data:`ROW_TYPES`).
    events : str or sequence of str, optional
        Restrict to these ``event_id`` values.
    axes : str or sequence of str, optional
        Restrict to categories defined on these axes (see :data:`CATEGORY_AXES`), e.g.
        ``"why_wanted"`` for the Met's arrest-basis categories.
    exposure : float, optional
        Divide counts and limits by this (e.g. number of deployments) to give ``rate``.
    conf : float
        Confidence level.
    shares : bool
        Add shares with simultaneous intervals (all categories' intervals hold together with
        probability at least ``conf``). Only valid when the categories are exclusive and
        complete; otherwise raises :class:`OverlappingCategoriesError`.
    residual : bool
        With ``shares``, complete each event with a computed ``"(not described)"``
        category (published total minus the counts described).
    share_method : {"bonferroni-cp", "goodman"}
        The simultaneous method (:func:`lfr_analysis.stats.intervals.multinomial_ci`):
        Bonferroni-adjusted Clopper-Pearson (default; exact coverage at least ``conf`` at
        any count) or Goodman (1965), which falls to 91.3% at 12 arrests in 8 categories.
    full : bool
        Add ``n_rows`` and ``conf`` to the reader's view (:data:`COUNTS_VIEW`).

    Returns
    -------
    pandas.DataFrame
        Per category: ``arrests``, ``qualifier``, ``lower``, ``upper`` (exact Poisson,
        ``upper`` infinite for lower-bound counts), ``n_events``, ``reading``, ``method``;
        ``rate``/``rate_lower``/``rate_upper`` with ``exposure``;
        ``share``/``share_lower``/``share_upper``/``share_method`` (the method in words,
        for a chart's label) with ``shares``. Sorted by ``arrests``, largest first.

    Raises
    ------
    ValueError
        For bad arguments, unknown columns or rows with no count.
    OverlappingCategoriesError
        When shares are asked for overlapping or incomplete categories; the message names
        them.
    """
    conf = checks.conf_level(conf)
    checks.choice(share_method, tuple(SHARE_METHODS), "share_method")
    for flag, name in ((shares, "shares"), (residual, "residual"), (full, "full")):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    by = _as_list(by)
    if exposure is not None:
        exposure = float(checks.positive(exposure, "exposure")[0][0])
    published = arrests_by_offence.load() if arrests is None else arrests
    if "category_axis" not in published.columns:
        published = harmonise(published)
    missing = [col for col in by if col not in published.columns]
    if missing:
        raise ValueError(f"unknown column(s) in by: {missing}")
    chosen = _select(published, tuple(row_types), events, axes).copy()
    for col in by:
        chosen[col] = chosen[col].astype(object).where(chosen[col].notna(), NOT_CODED)
    if shares:
        reasons = overlap_reasons(chosen, by, published, residual=residual)
        if reasons:
            raise OverlappingCategoriesError(
                "shares need exclusive and complete categories; refused because: "
                + "; ".join(reasons)
                + ". Report the categories as separate counts instead."
            )
        chosen = pd.concat([chosen, _residual_rows(chosen, published, by)], ignore_index=True)
    chosen["count"] = chosen["count"].astype(int)
    table = (
        chosen.groupby(by, sort=False, dropna=False)
        .agg(
            arrests=("count", "sum"),
            qualifier=("qualifier", _qualifier_of),
            n_rows=("count", "size"),
            n_events=("event_id", "nunique"),
        )
        .reset_index()
    )
    lower, upper = _poisson_limits(table["arrests"].to_numpy(), conf)
    upper = np.where(table["qualifier"] == "at_least", np.inf, upper)
    table["lower"], table["upper"] = lower, upper
    table["reading"] = table["qualifier"].map(_READING)
    table["method"] = "exact Poisson (Garwood)"
    table["conf"] = conf
    if exposure is not None:
        table["rate"] = table["arrests"] / exposure
        table["rate_lower"] = table["lower"] / exposure
        table["rate_upper"] = table["upper"] / exposure
    if shares:
        counts = table["arrests"].to_numpy()
        table["share"] = counts / counts.sum()
        if len(counts) >= 2:
            limits = multinomial_ci(counts, conf=conf, method=share_method)
        else:  # one category holds every arrest: its share's exact interval
            one = rate_ci(counts, counts, conf=conf).iloc[0]
            limits = np.array([[one["lower"], one["upper"]]])
        table["share_lower"], table["share_upper"] = limits[:, 0], limits[:, 1]
        table["share_method"] = f"{conf:.0%} {SHARE_METHODS[share_method]}"
    order = ["arrests", *by]
    table = table.sort_values(order, ascending=[False] + [True] * len(by)).reset_index(drop=True)
    view = by + COUNTS_VIEW + (["rate", "rate_lower", "rate_upper"] if exposure is not None else [])
    view += ["share", "share_lower", "share_upper", "share_method"] if shares else []
    return table[view + ["n_rows", "conf"]] if full else table[view]


# ---------------------------------------------------------------------- arrest yield

YIELD_BY = ("year", "month", "threshold", "purpose", "borough")
_YIELD_NEEDS = ("date", "faces_seen", "alerts", "arrests")

#: The columns :func:`arrest_yield` returns by default (after the ``by`` columns);
#: ``full=True`` adds the limits of the per-alert and per-face rates, ``per_alert_method``
#: and ``conf``.
YIELD_VIEW = [
    "n_deployments", "n_excluded", "n_primary", "n_secondary", "arrests", "per_deployment",
    "per_deployment_lower", "per_deployment_upper", "per_deployment_lower_spread",
    "per_deployment_upper_spread", "alerts_used", "per_1000_alerts", "faces_used",
    "per_100k_faces", "dispersion",
]  # fmt: skip


def _yield_frame(deployments: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    needed = list(_YIELD_NEEDS) + [c for c in by if c not in ("year", "month")]
    checks.frame(deployments, list(dict.fromkeys(needed)))
    frame = deployments.copy()
    dates = pd.to_datetime(frame["date"], errors="coerce")
    bad = np.flatnonzero(dates.isna().to_numpy())
    if len(bad):
        rows = "; ".join(checks.row_label(deployments, int(i)) for i in bad[:5])
        raise ValueError(
            f"column 'date': {len(bad)} missing or unreadable dates, e.g. {rows} (values "
            f"{[deployments['date'].iloc[int(i)] for i in bad[:5]]})"
        )
    if "year" not in deployments.columns:
        frame["year"] = dates.dt.year
    if "month" not in deployments.columns:
        frame["month"] = dates.dt.to_period("M")
    for column in ("faces_seen", "alerts", "arrests"):
        frame[column] = checks.count_column(deployments, column)
    tiers = tier_indicators(deployments, frame["arrests"].notna().to_numpy())
    if tiers is not None:
        frame = pd.concat([frame.drop(columns=list(tiers.columns), errors="ignore"), tiers], axis=1)
    return frame


def _per_alert(arrests: int, alerts: int, conf: float) -> tuple[float, float, str]:
    if alerts <= 0:
        return np.nan, np.nan, "no alerts recorded"
    if arrests <= alerts:
        limits = rate_ci(arrests, alerts, conf=conf).iloc[0]
        method = "Clopper-Pearson (arrests as a share of alerts)"
    else:
        limits = poisson_ci(arrests, alerts, conf=conf).iloc[0]
        method = "exact Poisson (arrests exceed alerts)"
    return float(limits["lower"]), float(limits["upper"]), method


def _poisson_rate(count: int, exposure: float, conf: float) -> tuple[float, float, float]:
    """Estimate and exact limits of ``count / exposure``; NaN without exposure."""
    if not exposure > 0:
        return np.nan, np.nan, np.nan
    limits = poisson_ci(count, exposure, conf=conf).iloc[0]
    return count / exposure, float(limits["lower"]), float(limits["upper"])


def _yield_row(group: pd.DataFrame, conf: float) -> dict:
    known = group[group["arrests"].notna()]
    arrests = int(known["arrests"].sum())
    row = {"n_deployments": len(known), "n_excluded": len(group) - len(known)}
    for tier in TIERS:
        column = f"n_{tier}"
        row[column] = int(group[column].sum()) if column in group.columns else pd.NA
    row["arrests"] = arrests
    rate = _poisson_rate(arrests, float(len(known)), conf)
    row |= dict(
        zip(("per_deployment", "per_deployment_lower", "per_deployment_upper"), rate, strict=True)
    )
    # beside the exact interval, one that allows for deployments differing (never narrower)
    low = high = np.nan
    if len(known) >= 2 and arrests > 0:
        spread = quasi_poisson_ci(known["arrests"].to_numpy(dtype=np.int64), 1.0, conf)
        low, high = min(spread["lower"], rate[1]), max(spread["upper"], rate[2])
    row |= {"per_deployment_lower_spread": low, "per_deployment_upper_spread": high}
    with_alerts = known[known["alerts"].notna()]
    alerts, hits = int(with_alerts["alerts"].sum()), int(with_alerts["arrests"].sum())
    lower, upper, method = _per_alert(hits, alerts, conf)
    row |= {
        "alerts_used": alerts,
        "per_1000_alerts": 1000 * hits / alerts if alerts else np.nan,
        "per_1000_alerts_lower": 1000 * lower,
        "per_1000_alerts_upper": 1000 * upper,
        "per_alert_method": method,
    }
    with_faces = known[known["faces_seen"].notna()]
    faces, hits = int(with_faces["faces_seen"].sum()), int(with_faces["arrests"].sum())
    rate = _poisson_rate(hits, faces / 1e5, conf)
    row |= dict(
        zip(("per_100k_faces", "per_100k_faces_lower", "per_100k_faces_upper"), rate, strict=True)
    )
    row["faces_used"] = faces
    row["dispersion"] = _dispersion(known["arrests"].to_numpy(dtype=float))
    return row


def _dispersion(values: np.ndarray) -> float:
    if len(values) < 2 or values.mean() == 0:
        return np.nan
    mean = values.mean()
    return float(((values - mean) ** 2 / mean).sum() / (len(values) - 1))


def arrest_yield(
    deployments: pd.DataFrame,
    by: str | list[str] | None = "year",
    *,
    conf: float = 0.95,
    full: bool = False,
) -> pd.DataFrame:
    """Arrests per deployment, per 1,000 alerts and per 100,000 faces seen, with intervals.

    Deployments whose arrests are unknown (NA) are left out of every rate and counted in
    ``n_excluded``; each rate uses only the deployments that also have its denominator, and
    the denominators used are reported (``alerts_used``, ``faces_used``).

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with ``date``, ``faces_seen``, ``alerts``, ``arrests`` and
        the grouping columns (e.g. :func:`lfr_analysis.data.load_deployments`); with a
        ``source_type`` column the rows used of each tier are counted.
    by : str, list of str or None
        ``"year"`` or ``"month"`` (from ``date``; a month is a pandas ``Period``, as in
        :func:`lfr_analysis.rates.false_alert_rates`), ``"threshold"``, ``"purpose"``,
        ``"borough"``, any other column, or None for one overall row. Missing group values
        (e.g. threshold not recorded) form their own group.
    conf : float
        Confidence level.
    full : bool
        Return the full working instead of the reader's view (:data:`YIELD_VIEW`).

    Returns
    -------
    pandas.DataFrame
        Per group: ``n_deployments`` (arrests known), ``n_excluded`` (arrests unknown),
        ``n_primary``, ``n_secondary`` (deployments used of each ``source_type``),
        ``arrests``; ``per_deployment`` (exact Poisson interval, and
        ``per_deployment_lower_spread``/``_upper_spread``, a quasi-Poisson interval that
        allows for deployments differing, never narrower than the exact one);
        ``per_1000_alerts`` (Clopper-Pearson on arrests out of alerts, or exact Poisson
        where arrests exceed alerts; method in ``per_alert_method``); ``per_100k_faces``
        (exact Poisson); ``dispersion`` (Pearson variance-to-mean ratio of arrests per
        deployment: well above 1 means deployments differ more than Poisson, so the exact
        per-deployment interval is too narrow); ``conf``.

    Raises
    ------
    ValueError
        Naming missing columns, unreadable dates (with row and ``deployment_id``), counts
        that are not whole numbers >= 0 (naming the row and its ``deployment_id``).
    """
    conf = checks.conf_level(conf)
    if not isinstance(full, bool):
        raise TypeError(f"full must be True or False, got {full!r}")
    by_list = [] if by is None else _as_list(by)
    frame = _yield_frame(deployments, by_list)
    if not by_list:
        result = pd.DataFrame([_yield_row(frame, conf)])
    else:
        records = []
        for key, group in frame.groupby(by_list, sort=True, dropna=False):
            key = key if isinstance(key, tuple) else (key,)
            records.append(dict(zip(by_list, key, strict=True)) | _yield_row(group, conf))
        result = pd.DataFrame.from_records(records)
    result["conf"] = conf
    for tier in TIERS:
        result[f"n_{tier}"] = result[f"n_{tier}"].astype("Int64")
    if full:
        return result
    return result[by_list + YIELD_VIEW]
