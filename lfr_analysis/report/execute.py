"""Execute one notebook on a fresh kernel; write the executed copy and its page's content.

:func:`run` is what the report runs for each notebook, in its own process (forked from the
warm process of :mod:`lfr_analysis.report.kernels`, or not, see ``warm``). It writes:

* ``<build>/notebooks/<name>.ipynb``: the executed notebook, with no timing metadata, so
  two builds of the same notebook write the same file;
* ``<work>/<name>.page.json``: the page's content (:func:`lfr_analysis.report.pages.render`);
* for a teaching notebook that ran, its student copies in ``<build>/student/``
  (:func:`lfr_analysis.report.handouts.write_student_copies`);
* ``<work>/<name>.result.json``: what happened (:class:`NotebookResult` as a dict), written
  last, so its presence means the job ended by itself.

Every kernel shows its DataFrames and Series as reader's tables
(:func:`lfr_analysis.tables.register`, run as the kernel starts) and draws figures inline.
A failing cell is reported as ``"cell N: ErrorName: message"``; a cell that runs too long as
``"cell N: timed out after T s"``; a kernel that dies as such.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import os
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from lfr_analysis import files
from lfr_analysis.report import handouts, pages, provisioner
from lfr_analysis.report.results import DEFAULT_TIMEOUT, NotebookResult

__all__ = [
    "KERNEL_ARGUMENTS",
    "execute",
    "first_error",
    "notebook_title",
    "run",
    "run_job",
]

#: Arguments of every kernel the report starts: quiet, and reader's tables from the start.
KERNEL_ARGUMENTS = (
    "--IPKernelApp.log_level=ERROR",
    "--IPKernelApp.exec_lines=import lfr_analysis.tables as _lfr_tables; "
    "_lfr_tables.register(); del _lfr_tables",
)

_quiet = logging.getLogger("lfr_analysis.report.execute")
_quiet.setLevel(logging.CRITICAL)


def notebook_title(nb) -> str:
    """Return the text of the first Markdown heading of a notebook, or ''."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def first_error(nb) -> str:
    """Return ``"cell N: ErrorName: message"`` for the first cell with an error output."""
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {number}: {output['ename']}: {output['evalue']}"
    return ""


async def execute(source: Path, build: Path, timeout: int, *, warm: bool) -> tuple:
    """Execute ``source``; return ``(nb, title, error, seconds)`` (nb None if unreadable)."""
    started = time.perf_counter()
    try:
        nb = nbformat.read(source, as_version=4)
    except Exception as err:  # noqa: BLE001 - any unreadable file is reported the same way
        return None, source.stem, f"could not read the notebook: {type(err).__name__}: {err}", 0.0
    title = notebook_title(nb) or source.stem
    running = {"cell": 0}

    def on_cell_start(cell, cell_index, **_):
        running["cell"] = cell_index + 1

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(source.parent)}},
        extra_arguments=list(KERNEL_ARGUMENTS),
        # merge consecutive stream outputs, so how print() output happens to be chunked
        # does not make two builds differ; no timestamps in the executed notebook
        coalesce_streams=True,
        record_timing=False,
        shutdown_kernel="immediate",
        kernel_manager_class=provisioner.WarmKernelManager if warm else AsyncKernelManager,
        on_cell_start=on_cell_start,
        log=_quiet,
    )
    error = ""
    try:
        await client.async_execute()
    except CellTimeoutError:
        error = (
            f"cell {running['cell']}: timed out after {timeout} s "
            "(a cell may run at most --timeout seconds)"
        )
    except DeadKernelError:
        error = f"cell {running['cell']}: the kernel died (it may have run out of memory)"
    except CellExecutionError as err:
        error = first_error(nb) or f"cell {running['cell']}: {str(err).strip().splitlines()[-1]}"
    except Exception as err:  # noqa: BLE001 - e.g. a kernel that would not start
        error = f"{type(err).__name__}: {err}"
    return nb, title, error, time.perf_counter() - started


def run(source: str, build: str, work: str, timeout: int = DEFAULT_TIMEOUT, warm=True) -> None:
    """Execute one notebook and write its results (see the module docstring).

    Parameters
    ----------
    source : str
        The notebook.
    build : str
        The build folder being made (``notebooks/`` and ``figures/`` go there).
    work : str
        A private folder for the page's content and the result.
    timeout : int
        Seconds allowed per cell.
    warm : bool
        Fork the kernel from the warm process (``LFR_REPORT_WARM_SOCKET``) rather than start
        an ordinary one.
    """
    source, build, work = Path(source), Path(build), Path(work)
    os.environ[provisioner.JOB_ENV] = source.stem
    os.environ["LFR_BUILD_DIR"] = str(build)
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb, title, error, seconds = asyncio.run(execute(source, build, timeout, warm=warm))
    result = NotebookResult(source.stem, title, not error, round(seconds, 3), error)
    if nb is not None:
        text = nbformat.writes(nb)
        files.write_text(
            build / "notebooks" / source.name, text + ("" if text.endswith("\n") else "\n")
        )
        content = pages.render(nb, source.stem, build / "figures")
        files.write_text(work / f"{source.stem}.page.json", json.dumps(content, sort_keys=True))
        result.page = True
        if result.ok:
            try:
                result.handouts = handouts.write_student_copies(nb, build, source.stem)
            except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as err:
                result.ok = False
                result.error = f"its student copies could not be written: {err}"
    files.write_text(work / f"{source.stem}.result.json", json.dumps(asdict(result)))


def run_job(target: str, arguments: str) -> int:
    """Call ``target`` (``"module:function"``) with the JSON list ``arguments``; return 0."""
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    function(*json.loads(arguments))
    return 0
