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
:func:`compare_reported_rates`
    Each deployment's printed rate beside the rate its counts give, at the printed precision.

The intervals come from :mod:`lfr_analysis.stats.intervals` (:func:`rate_ci`, re-exported
here with its posterior companions), and the test of whether deployments share one rate
from :mod:`lfr_analysis.stats.heterogeneity` (:func:`heterogeneity`, re-exported too).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lfr_analysis.stats import checks
from lfr_analysis.stats.heterogeneity import FEW_EVENTS, HeterogeneityResult, heterogeneity
from lfr_analysis.stats.intervals import METHODS, prob_rate_exceeds, rate_ci, rate_posterior

__all__ = [
    "FEW_EVENTS",
    "METHODS",
    "PER",
    "HeterogeneityResult",
    "compare_reported_rates",
    "false_alert_rates",
    "heterogeneity",
    "prob_rate_exceeds",
    "rate_ci",
    "rate_posterior",
]

#: Denominators accepted by :func:`false_alert_rates`.
PER = {"face": "faces_seen", "alert": "alerts"}


def false_alert_rates(
    deployments: pd.DataFrame,
    by=None,
    per: str = "face",
    method: str = "clopper-pearson",
    conf: float = 0.95,
    *,
    missing: str = "exclude",
) -> pd.DataFrame:
    """Pooled false-alert rates with intervals, overall or per group of deployments.

    Within each group the counts are summed first and the rate estimated from the sums
    (pooling, not averaging per-deployment rates).

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment, with count columns ``faces``, ``alerts`` and
        ``false_alerts`` (pandas ``Int64`` with ``<NA>`` for unknown is expected). Only the
        denominator and ``false_alerts`` are required; a missing other count column gives
        ``<NA>`` sums.
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

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, then ``n_deployments`` (rows used),
        ``n_excluded`` (rows left out for a missing count), ``faces_seen``, ``alerts``,
        ``false_alerts`` (sums over the rows used; the non-denominator sum is ``<NA>`` if any
        used row lacks it), ``per``, ``rate``, ``lower``, ``upper``, ``one_in`` (1 / rate),
        ``one_in_lower`` (1 / upper), ``one_in_upper`` (1 / lower, ``inf`` when lower is 0),
        ``zero_events``, ``method``, ``conf``; with ``per="alert"`` also ``precision``,
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
    table = _pooled_sums(keys, names, counts, usable)
    return _add_rates(table, per, method, conf)


def _pooled_sums(keys: pd.DataFrame, names: list[str], counts: dict, usable) -> pd.DataFrame:
    """Sum the counts of usable rows within each group."""
    work = keys.copy()
    work["_used"] = usable.astype(np.int64)
    work["_excluded"] = (~usable).astype(np.int64)
    for column, values in counts.items():
        work[column] = np.where(usable, values, 0.0)
        work[f"_unknown_{column}"] = (usable & np.isnan(values)).astype(np.int64)
    aggregate = {c: "sum" for c in work.columns if c not in names}
    if names:
        sums = work.groupby(names, dropna=False, sort=True, observed=True).agg(aggregate)
        sums = sums.reset_index()
    else:
        sums = work[list(aggregate)].sum().to_frame().T
    out = sums[names].copy() if names else pd.DataFrame(index=sums.index)
    out["n_deployments"] = sums["_used"].astype("Int64")
    out["n_excluded"] = sums["_excluded"].astype("Int64")
    for column in counts:
        total = pd.array(sums[column].round().astype(np.int64), dtype="Int64")
        unknown = (sums[f"_unknown_{column}"] > 0) | (sums["_used"] == 0)
        out[column] = total
        out.loc[unknown.to_numpy(), column] = pd.NA
    return out


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
