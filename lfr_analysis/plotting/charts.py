"""Every chart of the suite, with one signature and one palette.

Each chart takes the table an analysis function returned, draws on ``ax`` (an Axes, or a
sequence of Axes for a chart of several panels; a new figure when omitted) and returns what
it drew on, so a notebook cell reads::

    ax = plotting.plot_forest(rates.false_alert_rates(deployments, by="year"), "year")
    plotting.decorate(ax, title="False alerts per million faces, by year")
    plotting.savefig(ax, "02_rates_by_year", caption="...")

Colours come from :data:`lfr_analysis.plotting.style.COLOURS` (the Okabe-Ito palette,
safe for colour-blind readers), the same roles in every chart: ``primary`` for the Met's own
record, ``secondary`` for transcribed rows or a second series, ``reference`` for a
prediction, ``muted`` for context. No chart touches the style: apply it once with
:func:`lfr_analysis.plotting.use_style`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lfr_analysis.plotting.style import COLOURS, PALETTE

__all__ = [
    "axes_for",
    "plot_count_panels",
    "plot_counts",
    "plot_cumulative_oe",
    "plot_forest",
    "plot_funnel",
    "plot_monthly_activity",
    "plot_rates_pair",
    "plot_settings",
    "plot_yield",
    "plot_zero_event_bounds",
]


def axes_for(ax, panels: int = 1, *, figsize=None, sharex=False, horizontal=False):
    """Return ``ax``, or new Axes (one, or an array of ``panels``) on a new figure.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or sequence of Axes or None
        Where the chart draws; None makes a new figure.
    panels : int
        Number of panels the chart draws (``ax`` must hold that many).
    figsize, sharex, horizontal
        Size, shared x axis and side-by-side layout of a new figure.

    Returns
    -------
    matplotlib.axes.Axes or numpy.ndarray of Axes
    """
    if ax is not None:
        if panels > 1 and len(np.atleast_1d(ax)) != panels:
            raise ValueError(f"ax: this chart draws {panels} panels; give {panels} Axes")
        return np.atleast_1d(ax) if panels > 1 else ax
    shape = (1, panels) if horizontal else (panels, 1)
    _, axes = plt.subplots(*shape, figsize=figsize, sharex=sharex, layout="constrained")
    return axes


def _require_columns(table: pd.DataFrame, columns) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column(s) {missing}")


# ------------------------------------------------------------------------ the record


def plot_monthly_activity(activity: pd.DataFrame, *, ax=None):
    """Plot deployments, faces seen and alerts per month, primary and secondary stacked.

    Parameters
    ----------
    activity : pandas.DataFrame
        :func:`monthly_activity`.
    ax : sequence of three matplotlib.axes.Axes, optional
        Where to draw the three panels (default: a new figure).

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The three panels, top to bottom.
    """
    months = pd.period_range(activity["month"].min(), activity["month"].max(), freq="M")
    x = months.to_timestamp()
    panels = [
        ("deployments", "Deployments per month"),
        ("faces_seen", "Faces seen per month (Met estimate)"),
        ("alerts", "Alerts per month"),
    ]
    axes = axes_for(ax, len(panels), figsize=(9, 7.5), sharex=True)
    for ax, (column, title) in zip(axes, panels, strict=True):
        bottom = pd.Series(0.0, index=months)
        for source in ("primary", "secondary"):
            part = activity[activity["source_type"] == source].set_index("month")[column]
            values = part.reindex(months).astype("Float64").fillna(0).astype(float)
            ax.bar(x, values, width=25, bottom=bottom, color=COLOURS[source], label=source)
            bottom = bottom + values
        ax.set_title(title, loc="left")
    axes[0].legend(title="source_type", loc="upper left")
    return axes


def plot_settings(deployments: pd.DataFrame, *, ax=None):
    """Plot watchlist size and threshold setting of each primary deployment over time.

    Rows flagged ``watchlist_size_outlier`` or ``date_out_of_sequence`` are circled; the
    threshold's step line skips rows whose date is out of sequence.

    Parameters
    ----------
    deployments : pandas.DataFrame
        :func:`lfr_analysis.data.load_deployments` (only primary rows are drawn).
    ax : sequence of two matplotlib.axes.Axes, optional
        Where to draw the two panels (default: a new figure).

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The watchlist panel and the threshold panel.
    """
    frame = deployments[deployments["source_type"] == "primary"]
    flags = frame["quality_flags"].fillna("")
    odd = flags.str.contains("watchlist_size_outlier|date_out_of_sequence")
    top, bottom = axes = axes_for(ax, 2, figsize=(9, 6), sharex=True)
    top.plot(frame["date"], frame["watchlist_size"], ".", color=COLOURS["primary"])
    top.plot(
        frame.loc[odd, "date"],
        frame.loc[odd, "watchlist_size"],
        "o",
        mfc="none",
        color=COLOURS["secondary"],
        label="flagged (outlier or out-of-sequence date)",
    )
    top.set_ylabel("watchlist size (people)")
    top.set_title("Watchlist size per deployment", loc="left")
    top.legend(loc="upper left")
    dated = frame[~flags.str.contains("date_out_of_sequence")]
    bottom.step(dated["date"], dated["threshold"], where="post", color=COLOURS["primary"])
    bottom.plot(frame["date"], frame["threshold"], ".", color=COLOURS["primary"])
    bottom.plot(
        frame.loc[odd, "date"],
        frame.loc[odd, "threshold"],
        "o",
        mfc="none",
        color=COLOURS["secondary"],
    )
    bottom.set_yticks([0.60, 0.62, 0.64])
    bottom.set_ylabel("minimum threshold setting")
    bottom.set_title("Threshold setting per deployment (printed from 2023)", loc="left")
    return axes


# ------------------------------------------------------------------------ rates


def plot_forest(
    table: pd.DataFrame,
    label: str,
    *,
    ax=None,
    scale: float = 1e6,
    log: bool = False,
    color=None,
):
    """Draw pooled rates and their intervals as a forest plot, one row per group.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`false_alert_rates` (columns ``rate``, ``lower``, ``upper``,
        ``false_alerts``, ``per``, ``method``, ``conf`` and the ``label`` column).
    label : str
        Column whose values label the rows (e.g. ``"year"``, ``"threshold"``); missing
        values are labelled "unknown".
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    scale : float
        Multiplier for the rates on the x axis: 1e6 gives "per million faces", 100 gives
        percent (per alert).
    log : bool
        Logarithmic x axis, for rates that span orders of magnitude. A row with zero events
        then has no point; its interval is drawn from the left edge of the axes to its upper
        limit, ending in an open marker.
    color : str, optional
        Marker and line colour (default: the palette's ``"primary"``).

    Returns
    -------
    matplotlib.axes.Axes
        Rows with zero events are drawn with an open marker (at 0 on a linear axis, at the
        upper limit on a log axis); rows with no usable data are labelled "no usable rows"
        and drawn without a marker. The x label names the denominator, the confidence
        level and the interval method.
    """
    _require_columns(table, [label, "rate", "lower", "upper", "false_alerts", "per", "method"])
    ax = axes_for(ax, figsize=(7.0, 0.45 * len(table) + 1.2))
    color = color or COLOURS["primary"]
    y = np.arange(len(table))[::-1]
    rate = table["rate"].to_numpy(dtype=float) * scale
    lower = table["lower"].to_numpy(dtype=float) * scale
    upper = table["upper"].to_numpy(dtype=float) * scale
    known = ~np.isnan(rate)
    events = table["false_alerts"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    zero = known & (events == 0)
    some = known & ~zero
    shown = some if log else known
    ax.errorbar(
        rate[shown],
        y[shown],
        xerr=[rate[shown] - lower[shown], upper[shown] - rate[shown]],
        fmt="none",
        ecolor=color,
        elinewidth=1.6,
    )
    ax.plot(rate[some], y[some], "o", color=color)
    if log:
        ax.set_xscale("log")
        if some.any():
            ax.set_xlim(left=np.nanmin(lower[some]) / 2)
        left = ax.get_xlim()[0]
        ax.hlines(y[zero], left, upper[zero], color=color, linewidth=1.6)
        ax.plot(upper[zero], y[zero], "o", mfc="white", color=color)
    else:
        ax.plot(rate[zero], y[zero], "o", mfc="white", color=color)
        ax.set_xlim(left=0)
    labels = []
    for value, count, ok in zip(table[label], events, known, strict=True):
        text = "unknown" if pd.isna(value) else str(value)
        labels.append(f"{text}  ({count:.0f} FA)" if ok else f"{text}  (no usable rows)")
    ax.set_yticks(y, labels)
    per = table["per"].iloc[0] if len(table) else "face"
    unit = {1e6: "per million", 100.0: "per 100"}.get(scale, f"x {scale:g}")
    denominator = "faces seen" if per == "face" else "alerts"
    method = table["method"].iloc[0] if len(table) else ""
    conf = table["conf"].iloc[0] if "conf" in table and len(table) else 0.95
    ax.set_xlabel(
        f"false alerts {unit} {denominator}\n{conf:.0%} {method} intervals"
        + (", log scale" if log else "")
    )
    ax.grid(axis="y", visible=False)
    return ax


def plot_rates_pair(per_face: pd.DataFrame, per_alert: pd.DataFrame, label: str, *, ax=None):
    """Draw per-face and per-alert rates side by side, as two forest plots on log scales.

    Parameters
    ----------
    per_face, per_alert : pandas.DataFrame
        :func:`false_alert_rates` with ``per="face"`` and ``per="alert"``, grouped alike.
    label : str
        The grouping column labelling the rows (e.g. ``"year"``); a float column such as
        ``threshold`` is shown with two decimals, missing values as "unknown".
    ax : sequence of two matplotlib.axes.Axes, optional

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The per-face panel (per million faces seen, the palette's ``primary``) and the
        per-alert panel (per 100 alerts, ``secondary``), titled accordingly.
    """
    for table in (per_face, per_alert):
        _require_columns(table, [label, "per"])
    if set(per_face["per"]) != {"face"} or set(per_alert["per"]) != {"alert"}:
        raise ValueError("per_face must be a per='face' table and per_alert a per='alert' one")
    rows = max(len(per_face), len(per_alert))
    axes = axes_for(ax, 2, figsize=(10, 0.45 * rows + 1.8), horizontal=True)
    for axis, table, scale, colour, title in (
        (axes[0], per_face, 1e6, COLOURS["primary"], "Per face seen"),
        (axes[1], per_alert, 100.0, COLOURS["secondary"], "Per alert"),
    ):
        shown = table.assign(**{label: table[label].map(_group_label)})
        plot_forest(shown, label, ax=axis, scale=scale, log=True, color=colour)
        axis.set_title(title)
    return axes


def _group_label(value) -> str:
    if pd.isna(value):
        return "unknown"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return str(value)


def plot_zero_event_bounds(bounds, pooled: pd.Series, *, ax=None, bins: int = 30):
    """Histogram of what deployments with no false alert can rule out, beside the pooled rate.

    Parameters
    ----------
    bounds : array-like or pandas.Series
        For each zero-event deployment, the N of its one-sided bound "the rate is below
        1 in N faces" (``1 / upper`` of ``rate_ci(0, faces, side="upper")``).
    pooled : pandas.Series
        One row of :func:`false_alert_rates` (``one_in``, ``one_in_lower``,
        ``one_in_upper``, ``conf``, ``method``): drawn as a line and a band.
    ax : matplotlib.axes.Axes, optional
    bins : int
        Logarithmic bins between 50 and 50,000 (widened to hold every bound).

    Returns
    -------
    matplotlib.axes.Axes
    """
    values = np.asarray(bounds, dtype=float)
    if values.ndim != 1 or values.size == 0 or not np.all(values > 0):
        raise ValueError("bounds: give one positive 'one in N' value per deployment")
    for name in ("one_in", "one_in_lower", "one_in_upper"):
        if name not in pooled.index:
            raise ValueError(f"pooled has no field {name!r}: give a row of false_alert_rates")
    ax = axes_for(ax, figsize=(7, 3.6))
    low, high = min(50.0, values.min() / 1.1), max(50_000.0, values.max() * 1.1)
    ax.hist(values, bins=np.geomspace(low, high, bins + 1), color=COLOURS["muted"])
    ax.set_xscale("log")
    conf = pooled.get("conf", 0.95)
    ax.axvspan(
        pooled["one_in_lower"],
        pooled["one_in_upper"],
        color=COLOURS["primary"],
        alpha=0.25,
        label=f"pooled rate ({conf:.0%} {pooled.get('method', 'exact')} interval)",
    )
    ax.axvline(pooled["one_in"], color=COLOURS["primary"])
    ax.set_xlabel("one-sided bound: the rate is below 1 in N faces (N, log scale)")
    ax.set_ylabel("deployments with no false alert")
    ax.legend(loc="upper left")
    return ax


# ------------------------------------------------------------------ predictions


def plot_funnel(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    ax=None,
    log_x: bool = True,
    unit_label: str = "deployment",
):
    """Draw a funnel plot of O/E against E with exact limits.

    Parameters
    ----------
    points, limits : pandas.DataFrame
        From :func:`funnel_data`.
    ax : matplotlib.axes.Axes, optional
    log_x : bool
        Logarithmic E axis (expected counts per deployment span orders of magnitude).
    unit_label : str
        Legend label of the points (what one point is).

    The O/E axis is symmetric-logarithmic (linear below 1) so that units with no false
    alerts (O/E = 0) stay on the chart.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_for(ax)
    styles = {0.025: ("95%", "-"), 0.975: (None, "-"), 0.001: ("99.8%", "--"), 0.999: (None, "--")}
    for prob, curve in limits.groupby("prob"):
        label, line = styles.get(prob, (f"q={prob:g}", ":"))
        ax.plot(
            curve["expected"],
            curve["ratio_interpolated"],
            line,
            color=COLOURS["reference"],
            lw=1,
            label=label and f"{label} limits (interpolated)",
        )
    flagged = points["flag_adjusted"] != "not flagged"
    ax.scatter(
        points.loc[~flagged, "expected"],
        points.loc[~flagged, "ratio"],
        s=14,
        color=COLOURS["primary"],
        alpha=0.7,
        label=unit_label,
    )
    if flagged.any():
        ax.scatter(
            points.loc[flagged, "expected"],
            points.loc[flagged, "ratio"],
            s=30,
            color=COLOURS["secondary"],
            label="flagged after adjustment",
        )
    ax.axhline(1, color=COLOURS["muted"], lw=1)
    if log_x:
        ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=-0.08)
    ax.set_xlabel("expected false alerts E")
    ax.set_ylabel("observed / expected (O/E)")
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_cumulative_oe(cumulative: pd.DataFrame, *, x: str = "date", ax=None):
    """Plot cumulative observed false alerts against the reference's exact range.

    Parameters
    ----------
    cumulative : pandas.DataFrame
        From :func:`cumulative_oe`.
    x : str
        Column for the horizontal axis (the ``order_by`` column).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = axes_for(ax)
    ax.fill_between(
        cumulative[x],
        cumulative["expected_lower"],
        cumulative["expected_upper"],
        step="post",
        color=COLOURS["reference"],
        alpha=0.2,
        label="range if the reference held (exact, pointwise)",
    )
    ax.step(
        cumulative[x],
        cumulative["cum_expected"],
        where="post",
        color=COLOURS["reference"],
        label="cumulative expected",
    )
    ax.step(
        cumulative[x],
        cumulative["cum_observed"],
        where="post",
        color=COLOURS["primary"],
        label="cumulative observed",
    )
    ax.set_ylabel("false alerts (cumulative)")
    ax.legend(loc="upper left", fontsize="small")
    return ax


# ---------------------------------------------------------------------- arrests


def _interval_label(table: pd.DataFrame, value: str) -> str:
    """Name the interval method of a counts or shares table, for the chart."""
    if value == "share" and "share_method" in table.columns and len(table):
        return f"Bars: {table['share_method'].iloc[0]} intervals."
    if "method" in table.columns and len(table):
        conf = table["conf"].iloc[0] if "conf" in table.columns else 0.95
        return f"Bars: {conf:.0%} {table['method'].iloc[0]} intervals."
    return ""


def plot_counts(
    table: pd.DataFrame,
    label: str,
    *,
    value: str = "arrests",
    lower: str = "lower",
    upper: str = "upper",
    ax=None,
    color: str | None = None,
    note: str = "",
    mark: tuple[float, str] | None = None,
):
    """Draw a sorted horizontal dot-and-whisker chart of counts or shares.

    Lower-bound rows (``qualifier == "at_least"``) are drawn as open markers with an arrow
    to the right: the count could be larger and the upper limit is unbounded. The chart
    names its interval method under the axes, from the table's ``share_method`` (shares)
    or ``method`` and ``conf`` (counts) column.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`arrest_counts` (or any frame with the named columns).
    label : str
        Column with the category labels.
    value, lower, upper : str
        Columns with the estimate and its limits.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    color : str, optional
        Marker color (default: the palette's ``"primary"``).
    note : str
        Source note printed under the chart, before the interval method.
    mark : tuple of (float, str), optional
        A value to mark with a dashed vertical line and its label (e.g. a published total
        the categories should add up to).

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require_columns(table, [label, value, lower, upper])
    if mark is not None and not (
        isinstance(mark, tuple) and len(mark) == 2 and isinstance(mark[1], str)
    ):
        raise TypeError(f"mark must be a (value, label) pair, got {mark!r}")
    data = table.sort_values(value).reset_index(drop=True)
    ax = axes_for(ax, figsize=(7, 0.35 * len(data) + 1.6))
    color = color or COLOURS["primary"]
    ys = np.arange(len(data))
    est = data[value].to_numpy(dtype=float)
    lo = data[lower].to_numpy(dtype=float)
    hi = data[upper].to_numpy(dtype=float)
    bounded = np.isfinite(hi)
    right = np.nanmax(np.where(bounded, hi, est)) if len(data) else 1.0
    hi_drawn = np.where(bounded, hi, est)
    ax.errorbar(est, ys, xerr=[est - lo, hi_drawn - est], fmt="none", ecolor=color, lw=1.2)
    lower_bound = (
        (data["qualifier"] == "at_least").to_numpy()
        if "qualifier" in data.columns
        else np.zeros(len(data), bool)
    )
    ax.plot(est[~lower_bound], ys[~lower_bound], "o", color=color)
    if lower_bound.any():
        ax.plot(
            est[lower_bound],
            ys[lower_bound],
            "o",
            mfc="white",
            color=color,
            label="lower bound ('more than N' or named without a count)",
        )
        for x, y in zip(est[lower_bound], ys[lower_bound], strict=True):
            ax.annotate(
                "",
                xy=(x + 0.12 * right + 0.5, y),
                xytext=(x, y),
                arrowprops={"arrowstyle": "->", "color": color},
            )
        ax.legend(loc="lower right", fontsize="small")
    ax.set_yticks(ys, data[label].astype(str))
    ax.set_xlim(left=0)
    if mark is not None:
        ax.axvline(mark[0], color=COLOURS["muted"], ls="--", lw=1)
        ax.text(mark[0], len(data) - 1, f" {mark[1]}", color=COLOURS["muted"], va="center")
    text = " ".join(part for part in (note, _interval_label(table, value)) if part)
    if text:
        ax.annotate(
            text,
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -40),
            textcoords="offset points",
            fontsize="x-small",
            ha="left",
            va="top",
            wrap=True,
        )
    return ax


def plot_count_panels(panels, *, note: str = "", ax=None):
    """Draw several :func:`plot_counts` charts one above the other, sized by their rows.

    Parameters
    ----------
    panels : sequence of (table, label) or (table, label, title)
        Each panel's table (from :func:`arrest_counts`), its label column and an optional
        title; colours follow the palette's order.
    note : str
        Source note printed under the last panel (before its interval method).
    ax : sequence of matplotlib.axes.Axes, optional
        One Axes per panel.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
    """
    panels = list(panels)
    if not panels or not all(isinstance(p, tuple) and len(p) in (2, 3) for p in panels):
        raise ValueError("panels: give (table, label) or (table, label, title) tuples")
    if ax is None:
        rows = [max(len(p[0]), 1) + 2 for p in panels]  # room for the title and the notes
        _, axes = plt.subplots(
            len(panels), 1, figsize=(7.5, 0.32 * sum(rows) + 1.5 * len(panels)),
            height_ratios=rows, layout="constrained",
        )  # fmt: skip
        axes = np.atleast_1d(axes)
    else:
        axes = axes_for(ax, len(panels))
    for number, (axis, panel) in enumerate(zip(axes, panels, strict=True)):
        table, label = panel[0], panel[1]
        last = number == len(panels) - 1
        plot_counts(table, label, ax=axis, color=PALETTE[number % len(PALETTE)],
                    note=note if last else "")  # fmt: skip
        if len(panel) == 3:
            axis.set_title(panel[2], loc="left")
    return axes


def plot_yield(table: pd.DataFrame, x: str = "year", *, ax=None, note: str = ""):
    """Draw arrests per deployment and per 1,000 alerts by group, with their intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`arrest_yield` with ``full=True`` (the per-alert limits are in the full
        working).
    x : str
        The grouping column on the horizontal axis.
    ax : sequence of two matplotlib.axes.Axes, optional
    note : str
        Source note printed under the panels.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The per-deployment panel (exact Poisson interval, and the wider interval allowing
        for spread between deployments where the table has it) and the per-alert panel.
    """
    needed = [x, "per_deployment", "per_deployment_lower", "per_deployment_upper",
              "per_1000_alerts", "per_1000_alerts_lower", "per_1000_alerts_upper"]  # fmt: skip
    _require_columns(table, needed)
    axes = axes_for(ax, 2, figsize=(10, 4), horizontal=True)
    positions = np.arange(len(table))
    conf = table["conf"].iloc[0] if "conf" in table.columns and len(table) else 0.95
    for axis, column, label in (
        (axes[0], "per_deployment", "arrests per deployment"),
        (axes[1], "per_1000_alerts", "arrests per 1,000 alerts"),
    ):
        est = table[column].to_numpy(dtype=float)
        low = table[f"{column}_lower"].to_numpy(dtype=float)
        high = table[f"{column}_upper"].to_numpy(dtype=float)
        spread = [f"{column}_lower_spread", f"{column}_upper_spread"]
        if all(c in table.columns for c in spread):
            wide_low, wide_high = (table[c].to_numpy(dtype=float) for c in spread)
            axis.errorbar(positions, est, yerr=[est - wide_low, wide_high - est], fmt="none",
                          ecolor=COLOURS["muted"], lw=3, alpha=0.6,
                          label="allowing for spread between deployments")  # fmt: skip
        axis.errorbar(positions, est, yerr=[est - low, high - est], fmt="o",
                      color=COLOURS["primary"], capsize=3, label=f"exact {conf:.0%}")  # fmt: skip
        axis.set_xticks(positions, [_group_label(v) for v in table[x]])
        axis.set_ylabel(label)
        axis.set_ylim(bottom=0)
    axes[0].legend(loc="upper left", fontsize="small")
    if note:  # under both panels, inside the figure's layout
        axes[0].figure.supxlabel(note, x=0.01, ha="left", fontsize="x-small")
    return axes
