"""The base-rate explorer of the teaching notebook: sliders where a person is present.

:func:`lfr_analysis.plotting.plot_explorer` draws what an alert means for one deployment
(expected true and false alerts, and the share of alerts that are true across
prevalences); :func:`lfr_analysis.plotting.plot_explorer_overview` is its static summary
over several settings, always drawn so that the executed report has a figure.
:func:`show_explorer` adds ipywidgets sliders when ipywidgets is installed, a person is at
the front end (not a batch run such as ``lfr-analysis report`` or the notebook tests) and
``LFR_STATIC_EXPLORER`` is not set. Student copies of the notebook are made by
:mod:`lfr_analysis.student_copy`.

ipywidgets and IPython are imported only inside the functions that need them, so importing
this module changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import matplotlib.pyplot as plt

from lfr_analysis.plotting.charts import plot_explorer

__all__ = [
    "STATIC_ENV",
    "WIDGET_FALLBACK_TEXT",
    "batch_execution",
    "show_explorer",
    "widgets_available",
]

STATIC_ENV = "LFR_STATIC_EXPLORER"


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
        Starting values of the sliders.

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
    import ipywidgets as widgets
    from IPython.display import display

    controls = {
        "setting": widgets.Dropdown(options=list(settings), description="setting"),
        "prevalence": widgets.FloatLogSlider(
            value=prevalence, base=10, min=-6, max=-2, step=0.1, description="prevalence"
        ),
        "watchlist_size": widgets.IntSlider(
            value=watchlist_size, min=500, max=20_000, step=500, description="watchlist"
        ),
        "faces_seen": widgets.IntSlider(
            value=faces_seen,
            min=1_000,
            max=max(100_000, 2 * int(faces_seen)),
            step=1_000,
            description="faces seen",
        ),
        "tpir": widgets.FloatSlider(value=tpir, min=0.5, max=1.0, step=0.01, description="TPIR"),
    }

    def draw(setting, prevalence, watchlist_size, faces_seen, tpir):
        axes = plot_explorer(
            faces_seen=faces_seen,
            prevalence=prevalence,
            watchlist_size=watchlist_size,
            false_match_rate=settings[setting],
            tpir=tpir,
            label=setting,
        )
        display(axes[0].figure)
        plt.close(axes[0].figure)

    output = widgets.interactive_output(draw, controls)
    box = widgets.VBox(
        [
            widgets.HBox(list(controls.values())[:3]),
            widgets.HBox(list(controls.values())[3:]),
            output,
        ]
    )
    bundle = box._repr_mimebundle_()
    bundle["text/plain"] = WIDGET_FALLBACK_TEXT
    display(bundle, raw=True)
    return True
