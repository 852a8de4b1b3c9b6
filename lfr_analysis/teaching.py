"""Teaching helpers: student copies of notebooks, and the base-rate explorer.

Student copies
    Exercise solutions live in the same notebook as the exercises, in cells tagged
    ``solution`` (one source of truth). :func:`student_copy` returns a copy of a notebook
    with each solution cell replaced by an empty answer cell and every output cleared;
    ``lfr-analysis student-copy NOTEBOOK [-o OUT]`` writes it to disk.

Explorer
    :func:`explorer_figure` draws what an alert means for one deployment (expected true and
    false alerts, and the share of alerts that are true across prevalences);
    :func:`explorer_overview_figure` is its static summary over several settings, always
    drawn so that the executed report has a figure; :func:`show_explorer` adds ipywidgets
    sliders when ipywidgets is installed, a person is at the front end (not a batch run such
    as ``lfr-analysis report`` or the notebook tests) and ``LFR_STATIC_EXPLORER`` is not set.

matplotlib, ipywidgets and IPython are imported only inside the functions that need them,
so the command line stays quick and importing this module changes nothing.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from lfr_analysis import baserates, paths

SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
STATIC_ENV = "LFR_STATIC_EXPLORER"
ANSWER_SOURCE = {"code": "# Your answer here\n", "markdown": "*Your answer here.*\n"}

# ------------------------------------------------------------------ student copies


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _answer_cell(cell, nbformat):
    """An empty cell of the same type that takes the place of a solution cell."""
    source = ANSWER_SOURCE.get(cell["cell_type"], "")
    if cell["cell_type"] == "markdown":
        answer = nbformat.v4.new_markdown_cell(source)
    else:
        answer = nbformat.v4.new_code_cell(source)
    answer.metadata["tags"] = [ANSWER_TAG]
    if "id" in cell:
        answer["id"] = cell["id"]
    return answer


def _clean_cell(cell):
    cell = copy.deepcopy(cell)
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    for key in ("execution", "collapsed", "scrolled"):
        cell.get("metadata", {}).pop(key, None)
    return cell


def student_copy(nb):
    """Return a copy of ``nb`` without solutions or outputs (``nb`` is left unchanged).

    Every cell tagged ``solution`` becomes an empty cell of the same type tagged ``answer``
    (so students have a place to write); every code cell loses its outputs and execution
    count; per-cell execution timings and the saved widget state are dropped.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version-4 notebook, e.g. from ``nbformat.read(path, as_version=4)``.

    Returns
    -------
    nbformat.NotebookNode
        The student copy, valid against the notebook schema.

    Raises
    ------
    ValueError
        If ``nb`` is not a version-4 notebook.
    """
    import nbformat

    if not isinstance(nb, Mapping) or nb.get("nbformat") != 4 or "cells" not in nb:
        raise ValueError("student_copy needs a version-4 notebook (nbformat.read(..., 4))")
    result = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        if SOLUTION_TAG in _tags(cell):
            cells.append(_answer_cell(cell, nbformat))
        else:
            cells.append(_clean_cell(cell))
    result["cells"] = cells
    result.get("metadata", {}).pop("widgets", None)
    try:
        nbformat.validate(result)
    except nbformat.ValidationError as error:
        raise ValueError(f"the notebook is not valid: {error.message}") from None
    return result


def count_solution_cells(nb) -> int:
    """Return how many cells of ``nb`` carry the ``solution`` tag."""
    return sum(SOLUTION_TAG in _tags(cell) for cell in nb["cells"])


def _read_notebook(path: Path):
    import nbformat

    if not path.is_file():
        raise ValueError(f"{path}: no such notebook")
    try:
        nb = nbformat.read(path, as_version=4)
    except nbformat.ValidationError as error:
        raise ValueError(f"{path}: not a valid notebook ({error.message})") from None
    except (ValueError, UnicodeDecodeError, KeyError, AttributeError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f"{path}: not a readable notebook ({first_line})") from None
    return nb


def default_student_path(notebook: Path) -> Path:
    """Where ``lfr-analysis student-copy`` writes without ``-o``: ``build/student/<name>``."""
    return paths.build_dir() / "student" / Path(notebook).name


def student_copy_main(argv: list[str]) -> int:
    """Command line: ``lfr-analysis student-copy NOTEBOOK [-o OUT]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis student-copy",
        description=(
            "Write a copy of NOTEBOOK with every cell tagged 'solution' replaced by an empty "
            "answer cell and all outputs removed."
        ),
    )
    parser.add_argument("notebook", type=Path, help="the teacher's notebook (.ipynb)")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="where to write the copy (default: build/student/<notebook name>)",
    )
    args = parser.parse_args(argv)
    output = args.output if args.output is not None else default_student_path(args.notebook)
    try:
        if output.resolve() == args.notebook.resolve():
            raise ValueError(f"{output}: refusing to overwrite the teacher's notebook")
        nb = _read_notebook(args.notebook)
        copy_nb = student_copy(nb)
    except ValueError as error:
        print(f"lfr-analysis student-copy: {error}", file=sys.stderr)
        return 2
    import nbformat

    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(copy_nb, output)
    removed = count_solution_cells(nb)
    print(f"wrote {output} ({removed} solution cell(s) removed, outputs cleared)")
    if removed == 0:
        print(f"note: {args.notebook} has no cells tagged '{SOLUTION_TAG}'", file=sys.stderr)
    return 0


# ------------------------------------------------------------------------ explorer

PREVALENCE_GRID = np.logspace(-6, -2, 161)


def _precision_curve(false_match_rate, watchlist_size, tpir) -> np.ndarray:
    fpir = baserates.fpir_from_false_match_rate(false_match_rate, watchlist_size)
    return baserates.precision(PREVALENCE_GRID, tpir, fpir)


def explorer_figure(*, faces_seen, prevalence, watchlist_size, false_match_rate, tpir, label=""):
    """Draw what an alert means for one deployment under the given (assumed) rates.

    Left: expected true and false alerts in the deployment. Right: the share of alerts
    that are true across prevalences from 1 in a million to 1 in 100, with the chosen
    prevalence marked.

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

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from lfr_analysis.plotting import COLOURS

    fpir = baserates.fpir_from_false_match_rate(false_match_rate, watchlist_size)
    expected = baserates.expected_alerts(faces_seen, prevalence, tpir, fpir).iloc[0]
    share_true = baserates.precision(prevalence, tpir, fpir)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
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
    right.set_ylim(0, 1)
    right.set_xlabel("prevalence: share of faces on the watchlist (assumed)")
    right.set_ylabel("share of alerts that are true")
    right.set_title(f"FPIR 1 in {1 / fpir:,.0f}; share true {share_true:.0%}")
    if label:
        fig.suptitle(label)
    fig.tight_layout()
    return fig


def explorer_overview_figure(
    settings: Mapping[str, float], *, watchlist_sizes, faces_seen, tpir, prevalence=None
):
    """Static summary of the explorer: every setting and watchlist size at once.

    Left: share of alerts that are true against prevalence, one curve per setting and
    watchlist size. Right: expected false alerts in a deployment of ``faces_seen`` faces
    against watchlist size, one line per setting.

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

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if not settings:
        raise ValueError("settings is empty: give at least one name -> false_match_rate")
    sizes = np.atleast_1d(baserates.check_count("watchlist_sizes", watchlist_sizes, minimum=1))
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    styles = ["-", "--", ":", "-."]
    span = np.linspace(max(1, sizes.min() // 2), sizes.max() * 1.25, 100).round()
    for number, (name, fmr) in enumerate(settings.items()):
        colour = f"C{number}"
        for size, style in zip(sizes, styles * len(sizes), strict=False):
            curve = _precision_curve(fmr, size, tpir)
            left.semilogx(PREVALENCE_GRID, curve, style, color=colour, label=f"{name}, W={size:,}")
        fpir = baserates.fpir_from_false_match_rate(fmr, span)
        right.plot(span, faces_seen * np.asarray(fpir), color=colour, label=name)
    if prevalence is not None:
        left.axvline(prevalence, color="0.5", linewidth=0.8)
    left.set_ylim(0, 1)
    left.set_xlabel("prevalence: share of faces on the watchlist (assumed)")
    left.set_ylabel("share of alerts that are true")
    left.legend(fontsize="small", loc="lower right")
    right.set_yscale("log")
    right.set_xlabel("watchlist size (entries)")
    right.set_ylabel(f"expected false alerts in {int(faces_seen):,} faces")
    right.legend(fontsize="small")
    fig.tight_layout()
    return fig


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
    """Display slider controls for :func:`explorer_figure` when widgets are available.

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
    import matplotlib.pyplot as plt
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
        fig = explorer_figure(
            faces_seen=faces_seen,
            prevalence=prevalence,
            watchlist_size=watchlist_size,
            false_match_rate=settings[setting],
            tpir=tpir,
            label=setting,
        )
        display(fig)
        plt.close(fig)

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
