"""False-alert rates with honest uncertainty, per face seen and per alert.

A false alert is a rare event: a few per million faces scanned, a few per thousand alerts.
This module turns the deployment record's counts into pooled rates with confidence
intervals that hold at those rates, and says which denominator each rate uses:

* **per face** (``per="face"``): false alerts / faces seen, the Met's "1 in 33,000" framing.
  "Faces seen" counts face detections, not distinct people.
* **per alert** (``per="alert"``): false alerts / alerts, the critics' framing; its
  complement is the precision of an alert.

:func:`false_alert_rates`
    Pooled rates (sum the counts, then estimate) per group of deployments.
:func:`compare_rates`
    Two groups' rates (per face, per alert, or arrests per deployment) compared exactly:
    R's ``poisson.test(c(x1, x2), c(T1, T2))`` for rates, ``fisher.test`` for shares.
:func:`compare_reported_rates`
    Each deployment's printed rate beside the rate its counts give, at the printed precision.
:func:`tier_indicators`
    Which rows of each ``source_type`` (primary, secondary) a result used: every result
    table of the analyses reports ``n_primary`` and ``n_secondary``.

The intervals come from :mod:`lfr_analysis.stats.intervals` (:func:`rate_ci`, re-exported
here with its posterior companions), and the test of whether deployments share one rate
from :mod:`lfr_analysis.stats.heterogeneity` (:func:`heterogeneity`, re-exported too).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lfr_analysis.stats import checks
from lfr_analysis.stats.comparisons import ALTERNATIVES, compare_binomial, compare_poisson
from lfr_analysis.stats.heterogeneity import FEW_EVENTS, HeterogeneityResult, heterogeneity
from lfr_analysis.stats.intervals import (
    METHODS,
    prob_rate_exceeds,
    quasi_binomial_limits,
    rate_ci,
    rate_posterior,
)

__all__ = [
    "COMPARE_COUNTS",
    "FEW_EVENTS",
    "METHODS",
    "PER",
    "RATE_VIEW",
    "TIERS",
    "HeterogeneityResult",
    "compare_rates",
    "compare_reported_rates",
    "false_alert_rates",
    "heterogeneity",
    "prob_rate_exceeds",
    "rate_ci",
    "rate_posterior",
    "tier_indicators",
]

#: Denominators accepted by :func:`false_alert_rates`.
PER = {"face": "faces_seen", "alert": "alerts"}

#: The source types every result counts separately (``n_primary``, ``n_secondary``):
#: rows read from the Met's PDFs, and rows known only from transcriptions.
TIERS = ("primary", "secondary")

#: The columns :func:`false_alert_rates` returns by default (after the ``by`` columns);
#: ``per="alert"`` adds the precision columns. ``full=True`` adds ``conf``, ``dispersion``
#: and ``spread_method``.
RATE_VIEW = [
    "n_deployments",
    "n_excluded",
    "n_primary",
    "n_secondary",
    "faces_seen",
    "alerts",
    "false_alerts",
    "per",
    "rate",
    "lower",
    "upper",
    "one_in",
    "one_in_lower",
    "one_in_upper",
    "lower_spread",
    "upper_spread",
    "zero_events",
    "method",
]


def tier_indicators(deployments: pd.DataFrame, used) -> pd.DataFrame | None:
    """Per-row 0/1 columns ``n_primary``, ``n_secondary`` (and ``n_<other>``) of used rows.

    Summed within groups they say how many rows of each ``source_type`` a result used.
    A missing ``source_type`` counts as ``n_unknown_source``. Returns None when the table
    has no ``source_type`` column (the results then show ``<NA>`` counts).

    Parameters
    ----------
    deployments : pandas.DataFrame
    used : array-like of bool
        Which rows the result used.
    """
    if "source_type" not in deployments.columns:
        return None
    used = np.asarray(used, dtype=bool)
    kinds = (
        deployments["source_type"]
        .astype("object")
        .where(deployments["source_type"].notna(), "unknown_source")
    )
    names = list(TIERS) + sorted(set(kinds) - set(TIERS))
    return pd.DataFrame(
        {f"n_{name}": ((kinds == name).to_numpy() & used).astype(np.int64) for name in names},
        index=deployments.index,
    )


def _add_missing_tiers(table: pd.DataFrame) -> pd.DataFrame:
    """Give a result without a ``source_type`` column ``<NA>`` tier counts."""
    for name in TIERS:
        if f"n_{name}" not in table.columns:
            table[f"n_{name}"] = pd.array([pd.NA] * len(table), dtype="Int64")
    return table


def false_alert_rates(
    deployments: pd.DataFrame,
    by=None,
    per: str = "face",
    method: str = "clopper-pearson",
    conf: float = 0.95,
    *,
    missing: str = "exclude",
    full: bool = False,
) -> pd.DataFrame:
    """Pooled false-alert rates with intervals, overall or per group of deployments.

    Within each group the counts are summed first and the rate estimated from the sums
    (pooling, not averaging per-deployment rates). Beside the exact interval, which assumes
    every deployment in the group shares one rate, ``lower_spread``/``upper_spread`` allow
    for deployments differing more than that (quasi-binomial,
    :func:`lfr_analysis.stats.intervals.quasi_binomial_ci`).

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment, with count columns ``faces_seen``, ``alerts`` and
        ``false_alerts`` (pandas ``Int64`` with ``<NA>`` for unknown is expected). Only the
        denominator and ``false_alerts`` are required; a missing other count column gives
        ``<NA>`` sums. With a ``source_type`` column the result counts the rows of each tier.
    by : str, list of str or None
        Grouping: ``None`` gives one pooled row for all deployments; a column name (e.g.
        ``"threshold"``, ``"source_type"``, ``"deployment_id"`` for one row per deployment),
        ``"year"`` or ``"month"`` (derived from ``date`` unless such a column exists), or a
        list of these. Rows whose group value is missing form their own group (shown as
        ``NaN``/``<NA>``), never dropped.
    per : {"face", "alert"}
        Denominator: faces seen (false alerts per face detection) or alerts (share of alerts
        that were false; the precision ``1 - rate`` is added).
    method, conf : see :func:`rate_ci`.
    missing : {"exclude", "raise"}
        How to treat a row whose denominator or ``false_alerts`` is unknown. ``"exclude"``
        (default) leaves it out of the pooled sums and counts it in the ``n_excluded``
        column of its group, so nothing is lost silently; ``"raise"`` raises ValueError
        naming the rows.
    full : bool
        Return the full working (adds ``conf``, ``dispersion``, ``spread_method`` and any
        other source type's count) instead of the reader's view (:data:`RATE_VIEW`).

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, then ``n_deployments`` (rows used),
        ``n_excluded`` (rows left out for a missing count), ``n_primary`` and
        ``n_secondary`` (rows used of each ``source_type``; ``<NA>`` without that column),
        ``faces_seen``, ``alerts``, ``false_alerts`` (sums over the rows used; the
        non-denominator sum is ``<NA>`` if any used row lacks it), ``per``, ``rate``,
        ``lower``, ``upper``, ``one_in`` (1 / rate), ``one_in_lower`` (1 / upper),
        ``one_in_upper`` (1 / lower, ``inf`` when lower is 0), ``lower_spread``,
        ``upper_spread`` (the interval allowing for spread between deployments: NaN with
        fewer than two deployments with a positive denominator, or no events),
        ``zero_events``, ``method``; with ``per="alert"`` also ``precision``,
        ``precision_lower``, ``precision_upper``. A group with no usable row has ``<NA>``
        counts and ``NaN`` rates.

    Raises
    ------
    ValueError
        For a missing column, a count that is negative or not whole, a row with more false
        alerts than its denominator (naming the row and its ``deployment_id``), bad
        arguments, or any excluded row when ``missing="raise"``.
    """
    checks.choice(per, tuple(PER), "per")
    checks.missing_policy(missing)
    checks.choice(method, METHODS, "method")
    conf = checks.conf_level(conf)
    _check_flag(full, "full")
    denominator = PER[per]
    checks.frame(deployments, [denominator, "false_alerts"])
    counts = {
        column: (
            checks.count_column(deployments, column)
            if column in deployments.columns
            else np.full(len(deployments), np.nan)
        )
        for column in ("faces_seen", "alerts", "false_alerts")
    }
    usable = ~np.isnan(counts[denominator]) & ~np.isnan(counts["false_alerts"])
    too_many = usable & (counts["false_alerts"] > counts[denominator])
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        raise ValueError(
            f"{checks.row_label(deployments, i)}: false alerts ({counts['false_alerts'][i]:.0f}) "
            f"exceed {denominator} ({counts[denominator][i]:.0f}); "
            f"{int(too_many.sum())} such row(s) in all"
        )
    if missing == "raise" and not usable.all():
        rows = [checks.row_label(deployments, int(i)) for i in np.flatnonzero(~usable)[:5]]
        raise ValueError(
            f"{int((~usable).sum())} row(s) lack {denominator} or false_alerts, e.g. "
            + "; ".join(rows)
        )
    keys, names = checks.group_keys(deployments, by, "date")
    extra = pd.DataFrame(_spread_sums(counts, usable, denominator), index=deployments.index)
    tiers = tier_indicators(deployments, usable)
    extra = extra if tiers is None else pd.concat([extra, tiers], axis=1)
    table, sums = _pooled_sums(keys, names, counts, usable, extra)
    table = _add_rates(table, per, method, conf)
    table = _add_spread(table, sums, per, conf)
    view = RATE_VIEW + (
        ["precision", "precision_lower", "precision_upper"] if per == "alert" else []
    )
    if full:
        return table[names + view + [c for c in table.columns if c not in names + view]]
    return table[names + view]


def _check_flag(value, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _pooled_sums(
    keys: pd.DataFrame, names: list[str], counts: dict, usable, extra: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sum the counts of usable rows (and the ``extra`` columns) within each group."""
    work = keys.copy()
    work["_used"] = usable.astype(np.int64)
    work["_excluded"] = (~usable).astype(np.int64)
    for column, values in counts.items():
        work[column] = np.where(usable, values, 0.0)
        work[f"_unknown_{column}"] = (usable & np.isnan(values)).astype(np.int64)
    work = pd.concat([work, extra.set_axis(work.index)], axis=1)
    tier_names = [c for c in extra.columns if not c.startswith("_")]
    aggregate = {c: "sum" for c in work.columns if c not in names}
    if names:
        sums = work.groupby(names, dropna=False, sort=True, observed=True).agg(aggregate)
        sums = sums.reset_index()
    else:
        sums = work[list(aggregate)].sum().to_frame().T
    out = sums[names].copy() if names else pd.DataFrame(index=sums.index)
    out["n_deployments"] = sums["_used"].astype("Int64")
    out["n_excluded"] = sums["_excluded"].astype("Int64")
    for column in tier_names:
        out[column] = sums[column].astype("Int64")
    out = _add_missing_tiers(out)
    for column in counts:
        total = pd.array(sums[column].round().astype(np.int64), dtype="Int64")
        unknown = (sums[f"_unknown_{column}"] > 0) | (sums["_used"] == 0)
        out[column] = total
        out.loc[unknown.to_numpy(), column] = pd.NA
    return out, sums


def _add_rates(table: pd.DataFrame, per: str, method: str, conf: float) -> pd.DataFrame:
    """Add the rate, interval and 1-in-N columns to a table of pooled sums."""
    denominator = PER[per]
    trials = table[denominator]
    ok = (trials.notna() & (trials > 0)).to_numpy(dtype=bool)
    rate = np.full(len(table), np.nan)
    lower, upper = rate.copy(), rate.copy()
    if ok.any():
        ci = rate_ci(
            table.loc[ok, "false_alerts"].to_numpy(dtype=np.int64),
            trials[ok].to_numpy(dtype=np.int64),
            method=method,
            conf=conf,
        )
        rate[ok], lower[ok], upper[ok] = ci["estimate"], ci["lower"], ci["upper"]
    table["per"] = per
    table["rate"], table["lower"], table["upper"] = rate, lower, upper
    with np.errstate(divide="ignore"):
        table["one_in"] = 1.0 / rate
        table["one_in_lower"] = 1.0 / upper
        table["one_in_upper"] = 1.0 / lower
    table["zero_events"] = pd.array(table["false_alerts"] == 0, dtype="boolean")
    table["method"] = method
    table["conf"] = conf
    if per == "alert":
        table["precision"] = 1.0 - rate
        table["precision_lower"] = 1.0 - upper
        table["precision_upper"] = 1.0 - lower
    return table


def _spread_sums(counts: dict, usable, denominator: str) -> dict:
    """Per-row parts of the quasi-binomial spread: units with a positive denominator."""
    trials = np.nan_to_num(counts[denominator])
    events = np.nan_to_num(counts["false_alerts"])
    unit = usable & (trials > 0)
    return {
        "_units": unit.astype(np.int64),
        "_sum_sq": np.where(unit, events**2 / np.where(unit, trials, 1.0), 0.0),
    }


def _add_spread(table: pd.DataFrame, sums: pd.DataFrame, per: str, conf: float) -> pd.DataFrame:
    """Add the quasi-binomial interval of each group beside its exact one."""
    denominator = PER[per]
    events = table["false_alerts"].to_numpy(dtype=float, na_value=np.nan)
    trials = table[denominator].to_numpy(dtype=float, na_value=np.nan)
    limits = quasi_binomial_limits(
        np.nan_to_num(events), np.nan_to_num(trials), sums["_sum_sq"], sums["_units"], conf
    )
    known = ~np.isnan(events) & ~np.isnan(trials) & ~np.isnan(limits["lower"])
    # never narrower than the exact interval: spread can only add uncertainty
    table["lower_spread"] = np.where(known, np.fmin(limits["lower"], table["lower"]), np.nan)
    table["upper_spread"] = np.where(known, np.fmax(limits["upper"], table["upper"]), np.nan)
    table["dispersion"] = np.where(known, limits["dispersion"], np.nan)
    table["spread_method"] = (
        "quasi-binomial (Pearson dispersion floored at 1; Wald on the logit scale), "
        "widened where needed to contain the exact interval"
    )
    return table


# --------------------------------------------------------------------------------------
# two groups compared
# --------------------------------------------------------------------------------------

#: What :func:`compare_rates` can compare: the count and the denominators it accepts.
COMPARE_COUNTS = {
    "false_alerts": ("face", "alert"),
    "arrests": ("deployment", "alert", "face"),
}
_DENOMINATOR = {"face": "faces_seen", "alert": "alerts", "deployment": None}


def _pooled_count(deployments: pd.DataFrame, count: str, per: str, name: str) -> dict:
    """Sum ``count`` and its denominator over the rows of one group that have both."""
    denominator = _DENOMINATOR[per]
    checks.frame(deployments, [count] + ([denominator] if denominator else []), name)
    x = checks.count_column(deployments, count)
    n = checks.count_column(deployments, denominator) if denominator else np.ones(len(x))
    used = ~np.isnan(x) & ~np.isnan(n)
    if count == "false_alerts":
        over = used & (x > n)
        if over.any():
            i = int(np.flatnonzero(over)[0])
            raise ValueError(
                f"{name}, {checks.row_label(deployments, i)}: false_alerts ({x[i]:.0f}) exceed "
                f"{denominator} ({n[i]:.0f})"
            )
    tiers = tier_indicators(deployments, used)
    out = {
        "n_deployments": int(used.sum()),
        "n_excluded": int((~used).sum()),
        "events": int(x[used].sum()),
        "exposure": float(n[used].sum()),
    }
    for tier in TIERS:
        out[f"n_{tier}"] = pd.NA if tiers is None else int(tiers[f"n_{tier}"].sum())
    return out


def compare_rates(
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    per: str = "face",
    count: str = "false_alerts",
    labels: tuple[str, str] = ("first", "second"),
    conf: float = 0.95,
    alternative: str = "two-sided",
    missing: str = "exclude",
    full: bool = False,
) -> pd.Series:
    """Compare a rate between two groups of deployments, exactly.

    For example: did the per-face false-alert rate at 0.64 change between 2024 and 2025?
    ``compare_rates(at_064_2024, at_064_2025, labels=("2024", "2025"))``.

    * **Rates** (false alerts per face seen; arrests per deployment, per alert or per face
      seen): the counts are pooled in each group and compared as Poisson rates with the
      exact conditional test and ratio interval, the numbers of R's
      ``poisson.test(c(x1, x2), c(T1, T2))``
      (:func:`lfr_analysis.stats.comparisons.compare_poisson`). The measure is the rate
      ratio (first / second).
    * **Shares** (false alerts per alert): Fisher's exact test and the conditional odds
      ratio with its exact interval, the numbers of R's ``fisher.test``
      (:func:`lfr_analysis.stats.comparisons.compare_binomial`), with each share's
      Clopper-Pearson interval and the Newcombe interval of their difference.

    A group with no events gives a one-sided statement (the interval's lower limit is 0,
    or its upper limit infinite; ``bound`` says which), never a degenerate interval.

    Parameters
    ----------
    first, second : pandas.DataFrame
        The two groups' deployments (e.g. two years, thresholds, boroughs, forces).
    per : {"face", "alert", "deployment"}
        The denominator: ``faces_seen``, ``alerts``, or the number of deployments (arrests
        only).
    count : {"false_alerts", "arrests"}
        What is counted (:data:`COMPARE_COUNTS` lists the denominators of each).
    labels : tuple of two str
        Names of the groups, carried into the result.
    conf : float
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: the first group's rate is the larger.
    missing : {"exclude", "raise"}
        Rows lacking the count or its denominator: left out and counted in
        ``n_excluded_1``/``n_excluded_2``, or refused.
    full : bool
        Add the working: the exposures, both groups' tier counts, ``alternative``, ``conf``
        and, for shares, the difference and its interval.

    Returns
    -------
    pandas.Series
        ``label_1``, ``label_2``, ``n_deployments_1``, ``n_deployments_2``, ``n_primary_1``,
        ``n_secondary_1``, ``n_primary_2``, ``n_secondary_2``, ``events_1``, ``events_2``,
        ``rate_1``, ``rate_2`` (a share for ``per="alert"`` with false alerts), ``measure``
        ("rate ratio" or "odds ratio"), ``estimate``, ``lower``, ``upper``, ``p_value``,
        ``bound``, ``method``.

    Raises
    ------
    ValueError
        For an unknown ``count``/``per`` pair, bad counts (naming group, row and
        ``deployment_id``), a group with no usable row, rows lacking a value with
        ``missing="raise"``, or bad ``conf``/``alternative``.
    TypeError
        For a group that is not a DataFrame, or ``labels`` that are not two strings.
    """
    checks.choice(count, tuple(COMPARE_COUNTS), "count")
    checks.choice(per, COMPARE_COUNTS[count], "per")
    checks.missing_policy(missing)
    conf = checks.conf_level(conf)
    checks.choice(alternative, ALTERNATIVES, "alternative")
    _check_flag(full, "full")
    if not (isinstance(labels, tuple | list) and len(labels) == 2):
        raise TypeError(f"labels must be two names, got {labels!r}")
    if not all(isinstance(label, str) for label in labels):
        raise TypeError(f"labels must be two strings, got {labels!r}")
    groups = []
    for frame, name in ((first, "first"), (second, "second")):
        pooled = _pooled_count(frame, count, per, name)
        if missing == "raise" and pooled["n_excluded"]:
            raise ValueError(
                f"{name}: {pooled['n_excluded']} row(s) lack {count} or its denominator; use "
                "missing='exclude' to leave them out (they are counted in n_excluded)"
            )
        if pooled["n_deployments"] == 0 or pooled["exposure"] == 0:
            raise ValueError(f"{name}: no deployment with a known {count} and a positive exposure")
        groups.append(pooled)
    one, two = groups
    out = {"label_1": labels[0], "label_2": labels[1]}
    for key in ("n_deployments", "n_excluded", "n_primary", "n_secondary", "events", "exposure"):
        out[f"{key}_1"], out[f"{key}_2"] = one[key], two[key]
    if count == "false_alerts" and per == "alert":
        result = compare_binomial(
            one["events"], int(one["exposure"]), two["events"], int(two["exposure"]),
            conf=conf, alternative=alternative,
        )  # fmt: skip
        out |= {
            "rate_1": result["share_1"],
            "rate_2": result["share_2"],
            "measure": "odds ratio",
            "estimate": result["odds_ratio"],
        }
        extra = {k: result[k] for k in ("difference", "difference_lower", "difference_upper")}
    else:
        result = compare_poisson(
            one["events"], one["exposure"], two["events"], two["exposure"],
            conf=conf, alternative=alternative,
        ).iloc[0]  # fmt: skip
        out |= {
            "rate_1": result["rate_1"],
            "rate_2": result["rate_2"],
            "measure": "rate ratio",
            "estimate": result["ratio"],
        }
        extra = {}
    out |= {k: result[k] for k in ("lower", "upper", "p_value", "bound", "method")}
    out |= {"count": count, "per": per}
    view = [
        "label_1", "label_2", "n_deployments_1", "n_deployments_2", "n_primary_1",
        "n_secondary_1", "n_primary_2", "n_secondary_2", "events_1", "events_2", "rate_1",
        "rate_2", "measure", "estimate", "lower", "upper", "p_value", "bound", "method",
    ]  # fmt: skip
    series = pd.Series(out | extra | {"alternative": alternative, "conf": conf})
    return series if full else series[view]


# --------------------------------------------------------------------------------------
# rates as printed in the source beside the recomputed ones
# --------------------------------------------------------------------------------------

_PRINTED_PERCENT = re.compile(r"^\s*(\d+)(?:\.(\d+))?\s*%\s*$")
_NOT_PRINTED = ("", "n/a", "na")


def _parse_percent(text) -> tuple[float, float]:
    """Return (value, step) in percent for a printed rate such as ``"0.008%"``.

    ``step`` is one unit in the last printed place (0.001 for ``"0.008%"``, 1 for ``"0%"``).
    Blank or ``N/A`` gives ``(nan, nan)``. Anything else raises ValueError.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return np.nan, np.nan
    if str(text).strip().lower() in _NOT_PRINTED:
        return np.nan, np.nan
    match = _PRINTED_PERCENT.match(str(text))
    if match is None:
        raise ValueError(f"{text!r} is not a printed percentage such as '0.008%'")
    decimals = match.group(2) or ""
    value = float(f"{match.group(1)}.{decimals}" if decimals else match.group(1))
    return value, 10.0 ** -len(decimals)


def compare_reported_rates(
    deployments: pd.DataFrame,
    method: str = "clopper-pearson",
    conf: float = 0.95,
) -> pd.DataFrame:
    """Set each deployment's printed false-alert rate beside the rate its counts give.

    The Met's records print a per-face false-alert rate in percent (e.g. ``"0.008%"``).
    Each printed value is compared with ``100 * false_alerts / faces_seen`` at the printed
    precision: ``"rounded"`` when the recomputed value rounds to the printed one,
    ``"truncated"`` when it only agrees after cutting off the later digits, ``"differs"``
    otherwise; ``"not printed"`` when the source prints nothing or N/A, ``"no counts"`` when
    a count is unknown. A bare ``"0%"`` agrees with any rate below 0.5% under this rule.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with the printed rate and the two counts.
    method, conf : see :func:`rate_ci`.

    Returns
    -------
    pandas.DataFrame
        Index as ``deployments``; columns ``deployment_id`` (when present), ``faces_seen``,
        ``false_alerts``, ``reported`` (as printed), ``reported_percent``,
        ``recomputed_percent``, ``lower_percent``, ``upper_percent`` (interval of the rate
        from the counts, in percent), ``agreement`` and ``reported_in_interval``.

    Raises
    ------
    ValueError
        For a printed value that is not a percentage (naming the row), or bad counts.
    """
    checks.choice(method, METHODS, "method")
    conf = checks.conf_level(conf)
    reported = "false_alert_rate_reported"
    checks.frame(deployments, [reported, "faces_seen", "false_alerts"])
    n = checks.count_column(deployments, "faces_seen")
    x = checks.count_column(deployments, "false_alerts")
    printed = np.full(len(deployments), np.nan)
    step = printed.copy()
    for i, text in enumerate(deployments[reported].to_list()):
        try:
            printed[i], step[i] = _parse_percent(text)
        except ValueError as error:
            where = checks.row_label(deployments, i)
            raise ValueError(f"column {reported!r}, {where}: {error}") from None
    known = ~np.isnan(n) & ~np.isnan(x) & (np.nan_to_num(n) > 0)
    lower, upper, recomputed = (np.full(len(deployments), np.nan) for _ in range(3))
    if known.any():
        ci = rate_ci(x[known].astype(np.int64), n[known].astype(np.int64), method, conf)
        recomputed[known] = 100 * ci["estimate"].to_numpy()
        lower[known] = 100 * ci["lower"].to_numpy()
        upper[known] = 100 * ci["upper"].to_numpy()
    slack = 1e-9 * np.maximum(step, 1e-12)
    rounded = np.abs(recomputed - printed) <= step / 2 + slack
    truncated = (recomputed >= printed - slack) & (recomputed < printed + step - slack)
    agreement = np.select(
        [np.isnan(printed), ~known, rounded, truncated],
        ["not printed", "no counts", "rounded", "truncated"],
        default="differs",
    )
    out = pd.DataFrame(index=deployments.index)
    if "deployment_id" in deployments.columns:
        out["deployment_id"] = deployments["deployment_id"]
    out["faces_seen"] = deployments["faces_seen"]
    out["false_alerts"] = deployments["false_alerts"]
    out["reported"] = deployments[reported]
    out["reported_percent"] = printed
    out["recomputed_percent"] = recomputed
    out["lower_percent"] = lower
    out["upper_percent"] = upper
    out["agreement"] = agreement
    inside = (printed >= lower) & (printed <= upper)
    out["reported_in_interval"] = pd.array(
        np.where(np.isnan(printed) | ~known, None, inside), dtype="boolean"
    )
    return out
