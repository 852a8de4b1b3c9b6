"""Plot style and reproducible figure files.

Nothing here runs at import. Call :func:`use_style` once in a notebook's setup cell to
apply the house style, and save every figure with :func:`savefig`, which writes PNG and
SVG files that are byte-identical from run to run (no dates, no software version, a
fixed SVG hash salt) plus a small JSON sidecar holding the caption, which the report's
index page shows beside the figure.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

from lfr_analysis import paths

STYLE_NAME = "lfr.mplstyle"

#: Colours used across the suite for the same meaning in every chart.
COLOURS = {
    "primary": "#0072B2",
    "secondary": "#D55E00",
    "reference": "#009E73",
    "muted": "#999999",
}

_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_SVG_HASHSALT = "lfr-analysis"


def style_path() -> Path:
    """Return the path of the style sheet shipped inside the package."""
    return Path(str(resources.files("lfr_analysis").joinpath(STYLE_NAME)))


def use_style() -> None:
    """Apply the suite's matplotlib style (an explicit call; nothing happens at import)."""
    plt.style.use(str(style_path()))


def savefig(
    fig, name: str, caption: str = "", folder: Path | None = None, show: bool = True
) -> None:
    """Save ``fig`` as byte-stable PNG and SVG files, with its caption beside them.

    In a Jupyter kernel the saved PNG is also shown below the cell and the figure is
    closed, so each figure appears exactly once, as the very file the report links to
    (end the cell with ``savefig(...)``, not with ``fig``).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
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
    folder = Path(folder) if folder is not None else paths.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = {
        "png": folder / f"{name}.png",
        "svg": folder / f"{name}.svg",
        "json": folder / f"{name}.json",
    }
    with mpl.rc_context({"svg.hashsalt": _SVG_HASHSALT}):
        fig.savefig(written["png"], format="png", metadata=_PNG_METADATA)
        fig.savefig(written["svg"], format="svg", metadata=_SVG_METADATA)
    sidecar = {"name": name, "caption": caption}
    text = json.dumps(sidecar, indent=1, sort_keys=True) + "\n"
    written["json"].write_text(text, encoding="utf-8")
    if show and _in_kernel():
        _show_saved_png(fig, written["png"])


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _show_saved_png(fig, png: Path) -> None:
    """Display the saved PNG at the figure's nominal size, then close the figure."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    data = png.read_bytes()
    pixels_wide = int.from_bytes(data[16:20], "big")  # PNG IHDR width
    dpi = mpl.rcParams["savefig.dpi"]
    dpi = fig.dpi if dpi == "figure" else float(dpi)
    display(Image(data=data, format="png", width=round(pixels_wide * 100 / dpi)))
    plt.close(fig)
