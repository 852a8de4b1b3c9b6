"""The base-rate explorer of the teaching notebook: sliders where a person is present.

:func:`lfr_analysis.plotting.plot_explorer` draws what an alert means for one deployment
(expected true and false alerts, and the share of alerts that are true across
prevalences); :func:`lfr_analysis.plotting.plot_explorer_overview` is its static summary
over several settings, always drawn so that the executed report has a figure.
:func:`show_explorer` adds ipywidgets sliders when ipywidgets is installed, a person is at
the front end (not a batch run such as ``lfr-analysis report`` or the notebook tests) and
``LFR_STATIC_EXPLORER`` is not set. Student copies of the notebook are made by
:mod:`lfr_analysis.student_copy`.

Why the explorer is built as it is (each point is a failure seen in a classroom):

* **Starting values lie on the sliders' grid.** Every slider is a selection slider over
  explicit options (:func:`explorer_options`), and the starting value is one of the
  options, so the front end has nothing to snap and sends no correcting redraw while the
  notebook is still running ("Restart Kernel and Run All").
* **One draw at a time, and only when something changed.** A draw holds a lock, reads the
  controls' current values and returns at once when those were drawn already; sliders
  report a value when released, not on every pixel of a drag. Recent JupyterLab sends
  widget messages to a kernel *subshell*, a thread of its own that runs while cells run,
  so draws can otherwise overlap each other and the notebook's own figures.
* **The figure never goes through pyplot or an output area.** It is drawn on a
  stand-alone :class:`matplotlib.figure.Figure` and sent as PNG bytes to an image widget,
  so the inline backend never sees (or flushes) a half-drawn explorer figure and no
  output of another cell can land in the explorer.
* **No mathtext.** The charts label log axes in plain text ("1 in 10,000") and print any
  ``$`` as it is: matplotlib's mathtext parser is one shared object that two threads
  must not use at once (the errors were ``Expected end of text, found '$'`` and
  ``Unknown symbol: \\mathdefault``).
* **A failed draw says so in words** under the figure, instead of a traceback.

Exercise cells give scaffold code with blanks (``___``). :func:`enable_blanks`, called
once by the teaching notebook, makes a cell that still holds a blank print a reminder
instead of running, so "Run All" goes through a student copy without an error (in IPython
``___`` would otherwise quietly mean "the third-last output").

ipywidgets and IPython are imported only inside the functions that need them, so importing
this module changes nothing.
"""

from __future__ import annotations

import html
import io
import os
import re
import threading
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from lfr_analysis.plotting.explorer import plot_explorer

__all__ = [
    "BLANK",
    "BLANK_MESSAGE",
    "EXPLORER_CLASS",
    "STATIC_ENV",
    "WIDGET_FALLBACK_TEXT",
    "Explorer",
    "batch_execution",
    "describe_setting",
    "enable_blanks",
    "has_blank",
    "explorer_options",
    "explorer_png",
    "show_explorer",
    "widgets_available",
]

STATIC_ENV = "LFR_STATIC_EXPLORER"

#: CSS class of the explorer's box in the page (the browser test finds it by this name).
EXPLORER_CLASS = "lfr-explorer"

#: Prevalences offered by the slider: 1, 2 and 5 per decade, 1 in a million to 1 in 100.
_PREVALENCES = tuple(
    float(f"{mantissa}e{exponent}") for exponent in range(-6, -2) for mantissa in (1, 2, 5)
) + (1e-2,)

# One lock for every explorer of the process: a draw (figure, PNG) runs alone.
_DRAW_LOCK = threading.Lock()


# ------------------------------------------------------------------- exercise blanks

#: What a student replaces in an exercise's scaffold code.
BLANK = "___"
BLANK_MESSAGE = (
    "This cell still has blanks (___): replace each ___ with a number or a name, "
    "then run the cell again (Shift+Enter)."
)
_BLANK_NAME = re.compile(r"(?<![\w])___(?![\w])")


def has_blank(source: str) -> bool:
    """True when ``source`` holds a blank ``___`` (as a name of its own, not in ``a___b``)."""
    return bool(_BLANK_NAME.search(source))


def _remind_of_blanks(lines: list[str]) -> list[str]:
    if has_blank("".join(lines)):
        return [f"print({BLANK_MESSAGE!r})\n"]
    return lines


def enable_blanks() -> str:
    """Make cells that still hold a blank print :data:`BLANK_MESSAGE` instead of running.

    Registers an IPython input transformer (once, however often it is called; outside
    IPython nothing happens) and returns :data:`BLANK`, so that a notebook can write
    ``___ = teaching.enable_blanks()``: the name is then defined for linters, and a cell
    run some other way fails on the text ``"___"``, not on a stale IPython output.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return BLANK
    shell = get_ipython()
    if shell is None:
        return BLANK
    transformers = shell.input_transformers_post
    if not any(getattr(t, "__name__", "") == _remind_of_blanks.__name__ for t in transformers):
        transformers.append(_remind_of_blanks)
    return BLANK


# ------------------------------------------------------------------------ explorer


def batch_execution() -> bool:
    """True when the kernel is driven by a batch runner rather than a person at a front end.

    Batch runners (nbclient, used by ``lfr-analysis report`` and by nbmake in the tests)
    send every cell with ``allow_stdin`` off, because nobody can answer ``input()``; the
    front ends people use (JupyterLab, Notebook, VS Code) send it on. Widgets need such a
    front end too, so a batch run gets the static figure only. Outside a kernel, or when
    the kernel does not say, this returns False.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    allow_stdin = getattr(kernel, "_allow_stdin", None)
    return allow_stdin is False


def widgets_available() -> bool:
    """Return True when the explorer's sliders can be shown.

    That needs ipywidgets to import, a person at a front end (:func:`batch_execution` is
    False) and ``LFR_STATIC_EXPLORER`` unset (or ``0``).
    """
    if os.environ.get(STATIC_ENV, "").strip() not in {"", "0"}:
        return False
    if batch_execution():
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


WIDGET_FALLBACK_TEXT = (
    "Interactive explorer (ipywidgets sliders). If you can read this, the sliders are not "
    "showing: the static figure above shows the same settings. See docs/teaching.md, "
    "'When a widget does not show'."
)


def _one_in(prevalence: float) -> str:
    return f"1 in {1 / prevalence:,.0f}"


def _with_start(grid, start, label) -> list[tuple[str, float]]:
    """Options ``(label, value)`` over ``grid``, with ``start`` among them exactly.

    A grid value within one part in a million of ``start`` is replaced by ``start``; else
    ``start`` is added in order. Labels stay unique (a start whose label repeats a grid
    label replaces that grid value).
    """
    values = list(grid)
    close = [v for v in values if np.isclose(v, start, rtol=1e-6, atol=0)]
    if close:
        values[values.index(close[0])] = start
    else:
        values = sorted([*values, start])
    options: dict[str, float] = {}
    for value in values:
        text = label(value)
        if text in options and value != start:
            continue
        options[text] = value
    return list(options.items())


def explorer_options(*, faces_seen, prevalence, watchlist_size, tpir) -> dict:
    """The explorer's slider options, each list holding its starting value exactly.

    Parameters
    ----------
    faces_seen, prevalence, watchlist_size, tpir
        Starting values (the notebook's own numbers).

    Returns
    -------
    dict of str to list of (str, number)
        For ``"prevalence"``, ``"watchlist_size"``, ``"faces_seen"`` and ``"tpir"``: the
        options in increasing order as (label, value) pairs, e.g. ``("1 in 1,000",
        0.001)``. Prevalence runs over 1, 2 and 5 per decade from 1 in a million to 1 in
        100; watchlists from 500 to 20,000 in steps of 500; faces seen from 1,000 to
        100,000 (or twice the start) in steps of 1,000; TPIR from 50% to 100% in steps of
        1%. A starting value between two steps is added as an option of its own, so the
        explorer starts on the notebook's numbers and the front end never snaps them.

    Raises
    ------
    ValueError
        When a starting value is outside its slider's range (naming it and the range).
    """
    faces = int(faces_seen)
    ranges = {
        "prevalence": (float(prevalence), _PREVALENCES[0], _PREVALENCES[-1]),
        "watchlist_size": (int(watchlist_size), 500, 20_000),
        "faces_seen": (faces, 1_000, max(100_000, 2 * faces)),
        "tpir": (float(tpir), 0.5, 1.0),
    }
    for name, (value, low, high) in ranges.items():
        if not low <= value <= high:
            raise ValueError(
                f"{name}: the explorer's slider runs from {low:g} to {high:g}; got {value!r}"
            )
    top = ranges["faces_seen"][2]
    return {
        "prevalence": _with_start(_PREVALENCES, float(prevalence), _one_in),
        "watchlist_size": _with_start(
            range(500, 20_001, 500), int(watchlist_size), lambda v: f"{v:,.0f}"
        ),
        "faces_seen": _with_start(range(1_000, top + 1, 1_000), faces, lambda v: f"{v:,.0f}"),
        "tpir": _with_start([k / 100 for k in range(50, 101)], float(tpir), _tpir_label),
    }


def _tpir_label(value: float) -> str:
    return f"{value:.0%}" if np.isclose(value * 100, round(value * 100)) else f"{value:.1%}"


def describe_setting(setting, *, faces_seen, prevalence, watchlist_size, tpir) -> str:
    """One plain sentence naming what the explorer shows (its status line)."""
    return (
        f"Showing {setting}: {int(faces_seen):,} faces seen, watchlist {int(watchlist_size):,}, "
        f"prevalence {_one_in(prevalence)}, TPIR {_tpir_label(tpir)}."
    )


def explorer_png(
    false_match_rate, *, faces_seen, prevalence, watchlist_size, tpir, label="", dpi=100
) -> bytes:
    """The explorer chart (:func:`lfr_analysis.plotting.plot_explorer`) as PNG bytes.

    Drawn on a stand-alone Figure (not registered with pyplot, so no backend shows or
    closes it) while holding the module's draw lock; safe to call from any thread.
    """
    with _DRAW_LOCK:
        figure = Figure(figsize=(9, 3.6), layout="constrained")
        axes = figure.subplots(1, 2)
        plot_explorer(
            faces_seen=faces_seen,
            prevalence=prevalence,
            watchlist_size=watchlist_size,
            false_match_rate=false_match_rate,
            tpir=tpir,
            label=label,
            ax=axes,
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class Explorer:
    """The explorer's controls, image and status line, drawing one setting at a time.

    Build it where ipywidgets imports (:func:`show_explorer` does, after checking);
    ``widget`` is the box to display, ``draws`` counts the draws made.
    """

    def __init__(
        self, settings: Mapping[str, float], *, faces_seen, prevalence, watchlist_size, tpir
    ):
        import ipywidgets as widgets

        if not settings:
            raise ValueError("settings is empty: give at least one name -> false_match_rate")
        self.settings = dict(settings)
        options = explorer_options(
            faces_seen=faces_seen,
            prevalence=prevalence,
            watchlist_size=watchlist_size,
            tpir=tpir,
        )
        starts = {
            "prevalence": float(prevalence),
            "watchlist_size": int(watchlist_size),
            "faces_seen": int(faces_seen),
            "tpir": float(tpir),
        }
        descriptions = {
            "prevalence": "prevalence",
            "watchlist_size": "watchlist",
            "faces_seen": "faces seen",
            "tpir": "TPIR",
        }
        style = {"description_width": "initial"}
        self.controls = {
            "setting": widgets.Dropdown(
                options=list(self.settings), description="setting", style=style
            )
        }
        for name, choices in options.items():
            self.controls[name] = widgets.SelectionSlider(
                options=choices,
                value=starts[name],
                description=descriptions[name],
                continuous_update=False,
                style=style,
            )
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        self.draws = 0
        self._lock = threading.Lock()
        self._drawn = None
        self.redraw()
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        rows = list(self.controls.values())
        self.widget = widgets.VBox(
            [rows[0], widgets.HBox(rows[1:3]), widgets.HBox(rows[3:]), self.image, self.status]
        )
        self.widget.add_class(EXPLORER_CLASS)

    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, change) -> None:
        self.redraw()

    def redraw(self) -> bool:
        """Draw the controls' current values unless they are drawn already.

        Returns True when it drew. A failure is shown in the status line, in words.
        """
        with self._lock:
            values = self.values()
            if values == self._drawn:
                return False
            setting = values.pop("setting")
            try:
                png = explorer_png(self.settings[setting], label=setting, **values)
            except Exception as error:  # shown to the reader, not raised into the kernel log
                self.status.value = (
                    "<b>Could not draw this setting</b> "
                    f"({html.escape(type(error).__name__)}: {html.escape(str(error))}). "
                    "Move a slider to try another, or see docs/teaching.md."
                )
                return False
            self.image.value = png
            self._drawn = {"setting": setting, **values}
            self.draws += 1
            self.status.value = html.escape(describe_setting(setting, **values))
            return True


def show_explorer(
    settings: Mapping[str, float],
    *,
    faces_seen: int,
    prevalence: float,
    watchlist_size: int,
    tpir: float,
) -> bool:
    """Display slider controls for the explorer chart when widgets are available.

    Parameters
    ----------
    settings : mapping of str to float
        Setting name to per-comparison false-match rate (a drop-down).
    faces_seen, prevalence, watchlist_size, tpir
        Starting values of the sliders (each becomes one of its slider's options, see
        :func:`explorer_options`).

    Returns
    -------
    bool
        True if the sliders were displayed, False if only the static figure applies
        (ipywidgets missing, a batch run such as the report, or ``LFR_STATIC_EXPLORER`` set).
    """
    if not settings:
        raise ValueError("settings is empty: give at least one name -> false_match_rate")
    if not widgets_available():
        return False
    from IPython.display import display

    explorer = Explorer(
        settings,
        faces_seen=faces_seen,
        prevalence=prevalence,
        watchlist_size=watchlist_size,
        tpir=tpir,
    )
    bundle = explorer.widget._repr_mimebundle_()
    bundle["text/plain"] = WIDGET_FALLBACK_TEXT
    display(bundle, raw=True)
    return True
