"""The teaching explorer's charts: what an alert means under assumed rates.

:func:`plot_explorer` draws one setting (expected true and false alerts, and the share of
alerts that are true across prevalences); :func:`plot_explorer_overview` draws every
setting and watchlist size at once, for a page without a kernel. Same signature and
palette as :mod:`lfr_analysis.plotting.charts`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lfr_analysis.plotting.charts import axes_for
from lfr_analysis.plotting.style import COLOURS, PALETTE
from lfr_analysis.stats import baserates, checks

__all__ = ["PREVALENCE_GRID", "plot_explorer", "plot_explorer_overview"]

#: Prevalences on the explorer charts' horizontal axis (1 in a million to 1 in 100).
PREVALENCE_GRID = np.logspace(-6, -2, 161)

# --------------------------------------------------------------------- teaching
# The explorer's charts use no mathtext: matplotlib's mathtext parser is one shared,
# stateful object, and the explorer may draw from a kernel thread other than the one
# running cells. Log axes get plain labels ("1 in 1,000", "0.01"), and "$" in a label is
# escaped so that it is printed, not parsed.


def _precision_curve(false_match_rate, watchlist_size, tpir) -> np.ndarray:
    fpir = baserates.fpir_from_false_match_rate(false_match_rate, watchlist_size, scaling="exact")
    return baserates.precision(PREVALENCE_GRID, tpir, fpir)


def _plain(text) -> str:
    """``text`` with every ``$`` escaped, so matplotlib prints it rather than parsing it."""
    return str(text).replace("\\$", "$").replace("$", "\\$")


def _plain_log_ticks(ax, axis: str, decades, labels) -> None:
    """Label a log ``axis`` ("x" or "y") at ``decades`` with plain ``labels``, minors blank."""
    decades = np.asarray(decades, dtype=float)
    minor = np.concatenate([decade * np.arange(2, 10) for decade in decades[:-1]])
    setter = ax.set_xticks if axis == "x" else ax.set_yticks
    setter(decades, labels=list(labels))
    setter(minor, labels=[""] * len(minor), minor=True)


def _prevalence_ticks(ax) -> None:
    """Label the prevalence axis 1 in 1,000,000 ... 1 in 100 (plain text, no mathtext)."""
    decades = np.logspace(-6, -2, 5)
    _plain_log_ticks(ax, "x", decades, [f"1 in\n{1 / decade:,.0f}" for decade in decades])
    ax.set_xlim(PREVALENCE_GRID[0], PREVALENCE_GRID[-1])


def plot_explorer(
    *, faces_seen, prevalence, watchlist_size, false_match_rate, tpir, label="", ax=None
):
    """Draw what an alert means for one deployment under the given (assumed) rates.

    Left: expected true and false alerts in the deployment. Right: the share of alerts
    that are true across prevalences from 1 in a million to 1 in 100, with the chosen
    prevalence marked. Every label is plain text (no mathtext, ``$`` printed as is), so
    the chart can be drawn from any thread of a kernel.

    Parameters
    ----------
    faces_seen : int
        Faces seen in the deployment.
    prevalence : float
        Share of faces that belong to watchlisted people (an assumption).
    watchlist_size : int
        Entries on the watchlist.
    false_match_rate : float
        Per-comparison false-match rate at the chosen threshold.
    tpir : float
        True-positive identification rate (an assumption unless published).
    label : str, optional
        Name of the setting, shown in the title (e.g. ``"threshold 0.60"``).
    ax : sequence of two matplotlib.axes.Axes, optional
        Where to draw the two panels (default: a new figure).

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The alert-count panel and the share-true panel.
    """
    fpir = baserates.fpir_from_false_match_rate(false_match_rate, watchlist_size, scaling="exact")
    expected = baserates.expected_alerts(faces_seen, prevalence, tpir, fpir).iloc[0]
    share_true = baserates.precision(prevalence, tpir, fpir)
    left, right = axes = axes_for(ax, 2, figsize=(9, 3.6), horizontal=True)
    left.bar(
        ["true alerts", "false alerts"],
        [expected["true_alerts"], expected["false_alerts"]],
        color=[COLOURS["primary"], COLOURS["secondary"]],
    )
    left.set_ylabel("expected alerts in the deployment")
    left.set_title(f"{int(faces_seen):,} faces, watchlist {int(watchlist_size):,}")
    right.semilogx(
        PREVALENCE_GRID,
        _precision_curve(false_match_rate, watchlist_size, tpir),
        color=COLOURS["primary"],
    )
    right.plot([prevalence], [share_true], "o", color=COLOURS["secondary"])
    _prevalence_ticks(right)
    right.set_ylim(0, 1)
    right.set_xlabel("prevalence: share of faces on the watchlist (assumed)")
    right.set_ylabel("share of alerts that are true")
    right.set_title(f"false alert 1 in {1 / fpir:,.0f} faces; share true {share_true:.0%}")
    if label:
        left.figure.suptitle(_plain(label))
    return axes


def plot_explorer_overview(
    settings: Mapping[str, float], *, watchlist_sizes, faces_seen, tpir, prevalence=None, ax=None
):
    """Static summary of the explorer: every setting and watchlist size at once.

    Left: share of alerts that are true against prevalence, one curve per setting and
    watchlist size. Right: expected false alerts in a deployment of ``faces_seen`` faces
    against watchlist size, one line per setting. Labels are plain text, as in
    :func:`plot_explorer`.

    Parameters
    ----------
    settings : mapping of str to float
        Setting name (e.g. ``"threshold 0.60 (NPL 2023)"``) to per-comparison false-match rate.
    watchlist_sizes : sequence of int
        Watchlist sizes drawn as separate curves on the left.
    faces_seen : int
        Faces seen in the deployment.
    tpir : float
        True-positive identification rate used for every setting (an assumption).
    prevalence : float, optional
        A prevalence to mark with a vertical line on the left.
    ax : sequence of two matplotlib.axes.Axes, optional
        Where to draw the two panels (default: a new figure).

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The share-true panel and the false-alert panel.
    """
    if not settings:
        raise ValueError("settings is empty: give at least one name -> false_match_rate")
    sizes = np.atleast_1d(checks.count(watchlist_sizes, "watchlist_sizes", minimum=1))
    left, right = axes = axes_for(ax, 2, figsize=(10, 4), horizontal=True)
    styles = ["-", "--", ":", "-."]
    span = np.linspace(max(1, sizes.min() // 2), sizes.max() * 1.25, 100).round()
    lowest, highest = np.inf, 0.0
    for number, (name, fmr) in enumerate(settings.items()):
        colour = PALETTE[number % len(PALETTE)]
        for size, style in zip(sizes, styles * len(sizes), strict=False):
            curve = _precision_curve(fmr, size, tpir)
            left.semilogx(
                PREVALENCE_GRID, curve, style, color=colour, label=_plain(f"{name}, W={size:,}")
            )
        fpir = baserates.fpir_from_false_match_rate(fmr, span, scaling="exact")
        false_alerts = faces_seen * np.asarray(fpir)
        lowest, highest = min(lowest, false_alerts.min()), max(highest, false_alerts.max())
        right.plot(span, false_alerts, color=colour, label=_plain(name))
    if prevalence is not None:
        left.axvline(prevalence, color=COLOURS["muted"], linewidth=0.8)
    _prevalence_ticks(left)
    left.set_ylim(0, 1)
    left.set_xlabel("prevalence: share of faces on the watchlist (assumed)")
    left.set_ylabel("share of alerts that are true")
    left.legend(fontsize="small", loc="lower right")
    right.set_yscale("log")
    decades = 10.0 ** np.arange(np.floor(np.log10(lowest)), np.ceil(np.log10(highest)) + 1)
    _plain_log_ticks(right, "y", decades, [f"{decade:,g}" for decade in decades])
    right.set_ylim(decades[0], decades[-1])
    right.locator_params(axis="x", nbins=5)
    right.xaxis.set_major_formatter("{x:,.0f}")
    right.set_xlabel("watchlist size (entries)")
    right.set_ylabel(f"expected false alerts in {int(faces_seen):,} faces")
    right.legend(fontsize="small")
    return axes
