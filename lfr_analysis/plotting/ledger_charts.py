"""The claims ledger's charts: published figures against the record.

:func:`plot_recomputed_ratios` draws every checked figure as the ratio of the recomputed
value to the published one; :func:`plot_running_total` draws a running total from the
record with the published totals beside it. Same signature and palette as
:mod:`lfr_analysis.plotting.charts`: each takes the table an analysis returned, draws on
``ax`` (a new figure when omitted) and returns the Axes.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd

from lfr_analysis.claims.chance import CHECKED_STATUSES
from lfr_analysis.claims.rules import CLOSE_TOLERANCE
from lfr_analysis.plotting.charts import axes_for
from lfr_analysis.plotting.style import COLOURS, PALETTE

__all__ = ["BOUND_QUALIFIERS", "RATIO_STATUSES", "plot_recomputed_ratios", "plot_running_total"]

#: Statuses a ratio chart draws, in legend order; each has its own colour of the palette.
RATIO_STATUSES = CHECKED_STATUSES + ("disagrees_with_record",)

#: Qualifiers that state a bound rather than a value (drawn with a triangle).
BOUND_QUALIFIERS = ("more_than", "at_least", "less_than", "at_most")


def _require(table, name: str, columns, kind=pd.DataFrame) -> None:
    if not isinstance(table, kind):
        raise TypeError(f"{name} must be a pandas {kind.__name__}, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} has no column(s) {missing}")


def plot_recomputed_ratios(compared: pd.DataFrame, *, ax=None):
    """Draw each checked figure as recomputed / published on a log axis, one row per figure.

    The shaded band is :data:`lfr_analysis.claims.CLOSE_TOLERANCE` either side of 1 (the
    ``close`` band); a figure stated as a bound (``qualifier`` in :data:`BOUND_QUALIFIERS`)
    is drawn with a triangle. Rows are drawn bottom to top in the order given.

    Parameters
    ----------
    compared : pandas.DataFrame
        Rows of :func:`lfr_analysis.claims.ledger` with a ``ratio`` column added
        (recomputed value over published value); columns ``figure_id``, ``status``
        (one of :data:`RATIO_STATUSES`), ``qualifier`` and ``ratio`` (finite and above 0:
        a log axis has no place for 0).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure, sized to the number of rows, when omitted.

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require(compared, "compared", ["figure_id", "status", "qualifier", "ratio"])
    if compared.empty:
        raise ValueError("compared is empty: give at least one checked figure")
    ratio = pd.to_numeric(compared["ratio"], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(ratio) & (ratio > 0))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"compared: ratio at row {row} ({compared['figure_id'].iloc[row]}) is "
            f"{compared['ratio'].iloc[row]!r}; a log axis needs a finite ratio above 0"
        )
    unknown = sorted(set(compared["status"]) - set(RATIO_STATUSES))
    if unknown:
        raise ValueError(f"compared: status {unknown} is not one of {list(RATIO_STATUSES)}")
    ax = axes_for(ax, figsize=(8, 0.2 * len(compared) + 1.2))
    palette = dict(zip(RATIO_STATUSES, PALETTE, strict=False))
    ax.axvspan(1 - CLOSE_TOLERANCE, 1 + CLOSE_TOLERANCE, color="0.9", zorder=0)
    ax.axvline(1, color="0.4", linewidth=0.8)
    position = np.arange(len(compared))
    is_bound = compared["qualifier"].isin(BOUND_QUALIFIERS).to_numpy()
    status = compared["status"].to_numpy()
    for name in RATIO_STATUSES:
        for bound in (False, True):
            rows = (status == name) & (is_bound == bound)
            if rows.any():
                marker, label = (">", f"{name} (bound)") if bound else ("o", name)
                ax.scatter(
                    ratio[rows], position[rows], color=palette[name], marker=marker, s=26,
                    label=label,
                )  # fmt: skip
    ax.set_yticks(position, compared["figure_id"].tolist(), fontsize=6)
    ax.set_ylim(-0.8, len(compared) - 0.2)
    ax.set_xscale("log")
    plain = mticker.FuncFormatter(lambda value, _: f"{value:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.xaxis.set_minor_formatter(plain)
    ax.set_xlabel("recomputed / published (log scale)")
    ax.legend(loc="lower right", fontsize=7)
    return ax


def plot_running_total(
    running: pd.Series, milestones: pd.DataFrame, *, cutoff, ax=None, label: str | None = None
):
    """Draw a running total from the record as a step line, with published totals beside it.

    Each published figure is a point at the end of the period it refers to (its publication
    date when it states no period), labelled as printed. A dotted line marks ``cutoff``,
    the last day of the record's primary rows.

    Parameters
    ----------
    running : pandas.Series
        :func:`lfr_analysis.claims.running_total`: the total by date (a DatetimeIndex).
    milestones : pandas.DataFrame
        Rows of ``published_figures.csv``; columns ``value``, ``value_as_published``,
        ``period_end`` and ``published``.
    cutoff : date-like
        Last day of the primary rows; later rows are transcribed (secondary).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    label : str, optional
        Legend label of the step line (default: "record: " and the series' name).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(running, pd.Series):
        raise TypeError(f"running must be a pandas Series, got {type(running).__name__}")
    if not isinstance(running.index, pd.DatetimeIndex) or running.empty:
        raise ValueError("running: give a non-empty total indexed by date (claims.running_total)")
    _require(milestones, "milestones", ["value", "value_as_published", "period_end", "published"])
    try:
        cutoff = pd.Timestamp(cutoff)
    except (TypeError, ValueError) as error:
        raise ValueError(f"cutoff must be a date, got {cutoff!r}") from error
    if pd.isna(cutoff):
        raise ValueError(f"cutoff must be a date, got {cutoff!r}")
    when = milestones["period_end"].fillna(milestones["published"])
    if when.isna().any():
        row = int(np.flatnonzero(when.isna().to_numpy())[0])
        raise ValueError(f"milestones: row {row} has neither period_end nor published")
    ax = axes_for(ax, figsize=(8, 4))
    name = label if label is not None else f"record: {running.name or 'running total'}"
    ax.step(running.index, running.to_numpy(), where="post", color=COLOURS["primary"], label=name)
    ax.scatter(
        when, milestones["value"], color=COLOURS["secondary"], zorder=3, label="published figures"
    )
    for x, y, text in zip(when, milestones["value"], milestones["value_as_published"], strict=True):
        ax.annotate(str(text), (x, y), fontsize=7, xytext=(5, -10), textcoords="offset points")
    ax.axvline(cutoff, color=COLOURS["muted"], linestyle=":", linewidth=1)
    on_axis = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    ax.text(
        mdates.date2num(cutoff + pd.Timedelta(days=4)),
        0.04,
        f"after {cutoff.day} {cutoff:%B %Y}:\ntranscribed rows",
        fontsize=7,
        transform=on_axis,
    )
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_ylabel(str(running.name).split(" since ")[0] if running.name else "total")
    ax.legend(loc="upper left", fontsize=8)
    return ax
