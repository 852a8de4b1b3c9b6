"""Plot style, one palette, labels, and reproducible figure files.

Nothing here runs at import. Call :func:`use_style` once (a notebook's setup call,
:func:`lfr_analysis.notebook.setup`, does it) to apply the house style; label a chart with
:func:`decorate`; save every figure with :func:`savefig`, which lays the figure out once
and writes PNG and SVG files that are byte-identical from run to run (no dates, no software
version, a fixed SVG hash salt) plus a small JSON sidecar holding the caption, which the
report shows beside the figure.
"""

from __future__ import annotations

import base64
import io
import json
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from lfr_analysis import files, paths

__all__ = ["COLOURS", "PALETTE", "decorate", "figure_of", "savefig", "style_path", "use_style"]

STYLE_NAME = "lfr.mplstyle"

#: The suite's palette (Okabe and Ito, safe for colour-blind readers), in the order of the
#: style's colour cycle.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)

#: Colours by role, the same meaning in every chart: the Met's own record (or the first
#: series), transcribed rows (or a second series), a prediction, context.
COLOURS = {
    "primary": PALETTE[0],
    "secondary": PALETTE[1],
    "reference": PALETTE[2],
    "muted": "#999999",
}

#: Axes properties :func:`decorate` passes to ``Axes.set``.
_DECORATE_KEYS = (
    "title",
    "xlabel",
    "ylabel",
    "xlim",
    "ylim",
    "xscale",
    "yscale",
    "xticks",
    "yticks",
)

_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_SVG_HASHSALT = "lfr-analysis"
_NO_LAYOUT = {"figure.autolayout": False, "figure.constrained_layout.use": False}


def style_path() -> Path:
    """Return the path of the style sheet shipped inside the package."""
    return Path(str(resources.files("lfr_analysis.plotting").joinpath(STYLE_NAME)))


def use_style() -> None:
    """Apply the suite's matplotlib style (an explicit call; nothing happens at import)."""
    plt.style.use(str(style_path()))


def decorate(ax, *, legend: bool | str | None = None, suptitle: str | None = None, **props):
    """Label a chart in one call (ThinkStats' ``decorate``): title, axis labels, limits.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes a chart function returned.
    legend : bool or str, optional
        True for a legend in the best place, a location such as ``"upper left"``, or
        False to remove one; None leaves it as the chart drew it.
    suptitle : str, optional
        A title for the whole figure (for charts of several panels).
    **props
        Any of ``title``, ``xlabel``, ``ylabel``, ``xlim``, ``ylim``, ``xscale``,
        ``yscale``, ``xticks``, ``yticks``.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, so that calls can be chained.

    Raises
    ------
    TypeError
        For a property not in the list above (naming it).
    """
    unknown = sorted(set(props) - set(_DECORATE_KEYS))
    if unknown:
        raise TypeError(f"decorate() got unknown properties {unknown}; use {_DECORATE_KEYS}")
    ax.set(**props)
    if legend is True:
        ax.legend()
    elif isinstance(legend, str):
        ax.legend(loc=legend)
    elif legend is False and ax.get_legend() is not None:
        ax.get_legend().remove()
    if suptitle:
        ax.figure.suptitle(suptitle)
    return ax


def figure_of(drawn):
    """Return the Figure that ``drawn`` (a Figure, an Axes or an array of Axes) is on."""
    if isinstance(drawn, mpl.figure.Figure):
        return drawn
    first = np.asarray(drawn, dtype=object).flat[0] if not hasattr(drawn, "figure") else drawn
    figure = getattr(first, "figure", None)
    if not isinstance(figure, mpl.figure.Figure):
        raise TypeError(f"expected a Figure or Axes, got {type(drawn).__name__}")
    return figure


def savefig(
    fig, name: str, caption: str = "", folder: Path | None = None, show: bool = True
) -> None:
    """Save a figure as byte-stable PNG and SVG files, with its caption beside them.

    The figure is laid out once (its layout engine run and its tight bounding box found a
    single time), then drawn once per format; both files are written atomically
    (:mod:`lfr_analysis.files`). In a Jupyter kernel the saved PNG is also shown below the
    cell, tagged with the figure's name (output metadata ``lfr_figure``, which the report
    uses to show the file itself with its caption), and the figure is closed, so each figure
    appears exactly once (end the cell with ``savefig(...)``, not with ``fig``).

    Parameters
    ----------
    fig : matplotlib.figure.Figure, matplotlib.axes.Axes or array of Axes
        The figure to save, or what a chart function returned (its figure is saved).
    name : str
        File stem, e.g. ``"02_rates_by_year"``. Start it with the notebook's number so
        the report can group figures by notebook. Letters, digits, ``-`` and ``_`` only.
    caption : str, optional
        One or two sentences saying what the figure shows and where its data come from.
    folder : pathlib.Path, optional
        Where to write; default :func:`lfr_analysis.paths.figures_dir`.
    show : bool
        In a Jupyter kernel, display the saved PNG and close the figure. Outside a
        kernel this does nothing.

    Notes
    -----
    Returns None on purpose: a notebook cell ending in ``savefig(...)`` then shows no
    file paths, which would differ between machines and between builds.
    """
    if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
        raise ValueError(f"figure name {name!r}: use letters, digits, '-' and '_' only")
    fig = figure_of(fig)
    folder = Path(folder) if folder is not None else paths.figures_dir()
    png, svg = _render(fig)
    files.write_bytes(folder / f"{name}.png", png)
    files.write_bytes(folder / f"{name}.svg", svg)
    sidecar = {"name": name, "caption": caption}
    files.write_text(folder / f"{name}.json", json.dumps(sidecar, indent=1, sort_keys=True) + "\n")
    if show and _in_kernel():
        _show_saved_png(fig, png, name)


def _render(fig) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of ``fig``, laid out once at the PNG's resolution."""
    dpi = mpl.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else float(dpi)
    tight = mpl.rcParams["savefig.bbox"] == "tight"
    engine = fig.get_layout_engine()
    original_dpi = fig.dpi
    with mpl.rc_context({"svg.hashsalt": _SVG_HASHSALT}):
        try:
            bbox = None
            if tight:
                fig.set_dpi(dpi)
                renderer = fig._get_renderer()
                if engine is not None and fig.axes:
                    engine.execute(fig)  # the layout, once (what a draw would run first)
                bbox = fig.get_tightbbox(renderer)
                bbox = bbox.padded(mpl.rcParams["savefig.pad_inches"])
                fig.set_dpi(original_dpi)
            if engine is not None:
                # keep the positions found above: with no engine, each format is one draw
                with mpl.rc_context(_NO_LAYOUT):
                    fig.set_layout_engine(None)
            png, svg = io.BytesIO(), io.BytesIO()
            fig.savefig(png, format="png", dpi=dpi, bbox_inches=bbox, metadata=_PNG_METADATA)
            fig.savefig(svg, format="svg", bbox_inches=bbox, metadata=_SVG_METADATA)
        finally:
            fig.set_dpi(original_dpi)
            if engine is not None:
                try:
                    fig.set_layout_engine(engine)
                except RuntimeError:
                    pass  # matplotlib refuses some changes back; the files are written
    return png.getvalue(), svg.getvalue()


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _show_saved_png(fig, data: bytes, name: str) -> None:
    """Display the saved PNG at the figure's nominal size, then close the figure."""
    from IPython.display import display

    pixels_wide = int.from_bytes(data[16:20], "big")  # PNG IHDR width
    dpi = mpl.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else float(dpi)
    width = round(pixels_wide * 100 / dpi)
    display(
        {"image/png": base64.b64encode(data).decode("ascii"), "text/plain": f"<figure {name}>"},
        raw=True,
        metadata={"image/png": {"width": width}, "lfr_figure": name},
    )
    plt.close(fig)
