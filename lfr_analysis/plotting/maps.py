"""Charts of London's boroughs: a tile map, and per-resident rates borough by borough.

:func:`plot_tile_map` draws the 33 boroughs as the squares of After the Flood's "London
Squared" grid (``data/london_tile_grid.csv``, no map data needed), coloured on a
sequential scale that readers with colour-vision deficiency can read (``cividis``, made for
them), with a colour bar as its legend. :func:`plot_borough_rates` draws each borough's
rate per 100,000 residents with its interval, sorted. Both take the tables of
:mod:`lfr_analysis.geography`, draw on ``ax=None`` (a new figure when omitted) and return
the Axes, like every chart of :mod:`lfr_analysis.plotting.charts`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from lfr_analysis.plotting.style import COLOURS

__all__ = ["SEQUENTIAL", "plot_borough_rates", "plot_tile_map"]

#: The sequential colour map of the tile map: perceptually uniform and readable with the
#: common colour-vision deficiencies (Nuñez, Anderton and Renslow 2018).
SEQUENTIAL = "cividis"

_GAP = 0.08
_NO_DATA = "#FFFFFF"


def _new_axes(ax, figsize):
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _require(table, columns, name: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} has no column(s) {missing}")


def _values_by_code(table: pd.DataFrame, grid: pd.DataFrame, column: str):
    """The values of ``column`` by ONS code, for the grid's boroughs (NaN where absent)."""
    placed = table[table["ons_code"].notna()]
    if placed["ons_code"].duplicated().any():
        twice = sorted(placed.loc[placed["ons_code"].duplicated(), "ons_code"])
        raise ValueError(f"table: ons_code {twice[0]!r} appears more than once (one group only)")
    unknown = sorted(set(placed["ons_code"]) - set(grid["ons_code"]))
    if unknown:
        raise ValueError(f"table: ons_code {unknown[0]!r} is not on the grid")
    values = placed.set_index("ons_code")[column].astype("Float64")
    return values.to_numpy(dtype=float, na_value=np.nan), values.index


def _note(ax, text: str, points: float) -> None:
    """Write ``text`` in small type ``points`` below the bottom left corner of ``ax``.

    The text is wrapped to the width of the Axes (about 16 characters an inch), so that a
    long note does not squeeze the chart in a constrained layout.
    """
    width = max(40, int(ax.get_position().width * ax.figure.get_figwidth() * 16))
    ax.annotate(textwrap.fill(text, width), xy=(0, 0), xycoords="axes fraction",
                xytext=(0, -points), textcoords="offset points", fontsize="x-small",
                va="top")  # fmt: skip


def _ink(rgba) -> str:
    """Black or white text, whichever reads better on ``rgba`` (relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3])
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18 else "white"


def plot_tile_map(
    table: pd.DataFrame,
    grid: pd.DataFrame,
    column: str = "deployments_per_100k",
    *,
    ax=None,
    label: str | None = None,
    vmax: float | None = None,
    bins: Iterable[float] | None = None,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "highlighted",
    note: str | None = None,
    fmt: str = "{:.1f}",
):
    """Draw London's boroughs as a tile map coloured by ``column``.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per borough with ``ons_code`` and ``column`` (e.g.
        :func:`lfr_analysis.geography.per_resident` for one year); rows without an
        ``ons_code`` (the no-borough row) are not drawn: say so in ``note``.
    grid : pandas.DataFrame
        :func:`lfr_analysis.geography.load_tile_grid` (``ons_code``, ``abbreviation``,
        ``col``, ``row``).
    column : str
        The values that colour the squares; a borough with no value is drawn white and
        hatched, labelled "n/a".
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    label : str, optional
        The colour bar's label (default: ``column``).
    vmax : float, optional
        Top of the colour scale (default: the largest value), so that several maps can
        share one scale. The scale starts at 0.
    bins : iterable of float, optional
        Class edges, increasing from 0 (e.g. ``(0, 0.5, 1, 2, 4, 8, 16, 32)``): the squares
        take one colour per class, easier to read than a continuous scale when a few
        boroughs dwarf the rest; values above the last edge take the top colour.
    highlight : iterable of str, optional
        ONS codes whose squares get a heavy outline, explained in a legend entry.
    highlight_label : str
        The legend's words for the outlined squares.
    note : str, optional
        A line of small text under the map.
    fmt : str
        Format of the value printed in each square.

    Returns
    -------
    matplotlib.axes.Axes
    """
    _require(table, ["ons_code", column], "table")
    _require(grid, ["ons_code", "abbreviation", "col", "row"], "grid")
    values, codes = _values_by_code(table, grid, column)
    by_code = dict(zip(codes, values, strict=True))
    shown = np.array([by_code.get(code, np.nan) for code in grid["ons_code"]], dtype=float)
    cmap = mpl.colormaps[SEQUENTIAL]
    if bins is not None:
        edges = np.asarray(list(bins), dtype=float)
        if edges.size < 2 or np.any(np.diff(edges) <= 0) or edges[0] != 0:
            raise ValueError(f"bins: give increasing class edges from 0, got {edges.tolist()}")
        norm = mpl.colors.BoundaryNorm(edges, cmap.N, extend="max")
    else:
        top = float(np.nanmax(shown)) if vmax is None and np.isfinite(shown).any() else vmax
        norm = mpl.colors.Normalize(vmin=0.0, vmax=top if top and top > 0 else 1.0)
    outlined = set(highlight) if highlight is not None else set()
    ax = _new_axes(ax, (7.0, 6.4))
    for (_, square), value in zip(grid.iterrows(), shown, strict=True):
        x, y = float(square["col"]), -float(square["row"]) - 1.0
        known = np.isfinite(value)
        face = cmap(norm(value)) if known else _NO_DATA
        heavy = square["ons_code"] in outlined
        ax.add_patch(
            Rectangle(
                (x + _GAP / 2, y + _GAP / 2),
                1 - _GAP,
                1 - _GAP,
                facecolor=face,
                edgecolor="black" if heavy else COLOURS["muted"],
                linewidth=2.6 if heavy else 0.6,
                hatch=None if known else "///",
            )
        )
        ink = _ink(face) if known else "black"
        ax.text(x + 0.5, y + 0.64, str(square["abbreviation"]).upper(), ha="center",
                va="center", fontsize=8.5, fontweight="bold", color=ink)  # fmt: skip
        text = fmt.format(value) if known else "n/a"
        ax.text(x + 0.5, y + 0.32, text, ha="center", va="center", fontsize=7.5, color=ink)
    ax.set_xlim(-0.1, grid["col"].max() + 1.1)
    ax.set_ylim(-grid["row"].max() - 1.1, 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    ax.figure.colorbar(mappable, ax=ax, shrink=0.7, label=label or column)
    handles = []
    if outlined:
        handles.append(Patch(facecolor="none", edgecolor="black", lw=2.6, label=highlight_label))
    if not np.isfinite(shown).all():
        handles.append(Patch(facecolor=_NO_DATA, edgecolor="black", hatch="///", label="n/a"))
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize="small", frameon=False)
    if note:
        _note(ax, note, points=4)
    return ax


def plot_borough_rates(
    table: pd.DataFrame,
    column: str = "deployments",
    *,
    ax=None,
    highlight: Iterable[str] | None = None,
    highlight_label: str = "highlighted",
    note: str | None = None,
    xmax: float | None = None,
):
    """Draw each borough's rate per 100,000 residents with its interval, highest first.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`lfr_analysis.geography.per_resident` for one group: ``borough``,
        ``ons_code``, ``column`` and ``<column>_per_100k``, ``_lower``, ``_upper``, ``conf``.
        Rows without a rate (the no-borough row) are not drawn: say so in ``note``.
    column : str
        The count whose rate is drawn; each label gives the count in brackets.
    ax : matplotlib.axes.Axes, optional
    highlight : iterable of str, optional
        ONS codes drawn in the second colour, explained in a legend entry.
    highlight_label : str
        The legend's words for them.
    note : str, optional
        A line of small text under the chart.
    xmax : float, optional
        Right end of the axis (default: a little beyond the highest upper limit of a
        borough with a count above 0). An interval reaching beyond it ends in an arrow.

    Returns
    -------
    matplotlib.axes.Axes
        A borough with a count of 0 has an open marker at 0 and its upper limit drawn.
    """
    rate, low, high = (f"{column}_per_100k", f"{column}_lower", f"{column}_upper")
    _require(table, ["borough", "ons_code", column, rate, low, high], "table")
    drawn = table[table[rate].notna()].sort_values([rate, "borough"], ascending=[True, False])
    ax = _new_axes(ax, (7.0, 0.24 * len(drawn) + 1.6))
    y = np.arange(len(drawn))
    outlined = drawn["ons_code"].isin(set(highlight) if highlight is not None else set()).to_numpy()
    colours = np.where(outlined, COLOURS["secondary"], COLOURS["primary"])
    estimate = drawn[rate].to_numpy(float)
    lower, upper = drawn[low].to_numpy(float), drawn[high].to_numpy(float)
    zero = drawn[column].to_numpy(float) == 0
    if xmax is None:
        xmax = 1.15 * float(np.nanmax(upper[~zero])) if (~zero).any() else 1.0
    beyond = upper > xmax
    ax.hlines(y, lower, np.minimum(upper, xmax), colors=colours, linewidth=1.6)
    ax.scatter(np.full(beyond.sum(), xmax), y[beyond], marker=">", s=22, color=colours[beyond])
    for hollow in (False, True):
        part = zero == hollow
        ax.scatter(estimate[part], y[part], s=22, zorder=3, color=colours[part],
                   facecolors="white" if hollow else colours[part])  # fmt: skip
    counts = drawn[column].astype("Int64").astype(str)
    ax.set_yticks(y, [f"{b}  ({c})" for b, c in zip(drawn["borough"], counts, strict=True)])
    ax.tick_params(axis="y", labelsize="small")
    ax.set_xlim(0, xmax * 1.02)
    ax.grid(axis="y", visible=False)
    conf = float(drawn["conf"].iloc[0]) if "conf" in drawn and len(drawn) else 0.95
    ax.set_xlabel(f"{column.replace('_', ' ')} per 100,000 residents\n{conf:.0%} exact Poisson")
    handles = [Line2D([], [], color=COLOURS["primary"], marker="o", label="other boroughs")]
    if outlined.any():
        handles.insert(
            0, Line2D([], [], color=COLOURS["secondary"], marker="o", label=highlight_label)
        )
        ax.legend(handles=handles, loc="lower right", fontsize="small")
    if note:
        _note(ax, note, points=56)
    return ax
