"""Build the report: execute every notebook and write HTML pages and an index.

``lfr-analysis report`` (what ``make report`` runs) executes each notebook in
``notebooks/`` top to bottom on a fresh kernel, several at once, and writes into
``build/``:

* ``notebooks/<name>.ipynb``: the executed notebook;
* ``<name>.html``: its HTML page;
* ``figures/``: the figures the notebooks saved with :func:`lfr_analysis.plotting.savefig`;
* ``index.html``: links to every page and every figure with its caption.

A failing notebook stops nothing else; the command then exits non-zero naming the
notebook, the cell number and the error.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from lfr_analysis import paths

__all__ = ["NotebookResult", "build_report", "execute_notebook", "find_notebooks", "main"]

DEFAULT_TIMEOUT = 600


@dataclass
class NotebookResult:
    """What happened to one notebook.

    Attributes
    ----------
    name : str
        File stem, e.g. ``"02_false_alert_rates"``.
    title : str
        The first heading of the notebook.
    ok : bool
        True when every cell ran.
    seconds : float
        Execution time.
    error : str
        ``"cell N: ErrorName: message"`` when a cell failed, else empty.
    """

    name: str
    title: str
    ok: bool
    seconds: float
    error: str = ""


def find_notebooks(folder: Path | None = None) -> list[Path]:
    """Return the notebooks in ``folder`` (default: the notebooks folder), sorted by name."""
    folder = Path(folder or paths.notebooks_dir())
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def notebook_title(nb) -> str:
    """Return the text of the first Markdown heading of a notebook, or ''."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _first_error(nb) -> str:
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {number}: {output['ename']}: {output['evalue']}"
    return ""


def execute_notebook(source: Path, build: Path, timeout: int = DEFAULT_TIMEOUT) -> NotebookResult:
    """Execute one notebook on a fresh kernel; write the executed copy and its HTML page.

    Parameters
    ----------
    source : pathlib.Path
        The notebook to run. It runs with its own folder as working directory.
    build : pathlib.Path
        The build folder (``notebooks/`` and the HTML page go there).
    timeout : int
        Seconds allowed per cell.

    Returns
    -------
    NotebookResult
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from nbconvert import HTMLExporter

    os.environ["LFR_BUILD_DIR"] = str(build)
    # Kernels draw figures inline, so they appear in the executed notebook and its HTML
    # page, whatever backend the calling environment (e.g. a test run) has chosen.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(source, as_version=4)
    title = notebook_title(nb) or source.stem
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(source.parent)}},
        # The kernel talks to this process over loopback only; hide its transport warning.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        # Merge consecutive stream outputs, so how print() output happens to be chunked
        # does not make two builds differ.
        coalesce_streams=True,
    )
    started = time.perf_counter()
    error = ""
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        error = _first_error(nb) or f"{type(err).__name__}: {str(err).strip().splitlines()[-1]}"
    seconds = time.perf_counter() - started
    (build / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, build / "notebooks" / source.name)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    (build / f"{source.stem}.html").write_text(body, encoding="utf-8")
    return NotebookResult(source.stem, title, not error, seconds, error)


def _figure_entries(build: Path) -> list[dict]:
    entries = []
    for sidecar in sorted((build / "figures").glob("*.json")):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        entries.append({"name": sidecar.stem, "caption": meta.get("caption", "")})
    return entries


def write_index(results: list[NotebookResult], build: Path) -> Path:
    """Write ``build/index.html`` linking every notebook page and every figure."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>lfr-analysis report</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "figure{margin:2em 0}img{max-width:100%}.failed{color:#b00}</style>",
        "</head><body>",
        "<h1>lfr-analysis report</h1>",
        "<p>Live Facial Recognition in London, checked against the Met's own deployment "
        "records. Each page below is a notebook executed top to bottom on a fresh kernel; "
        "every figure is listed after them with its caption.</p>",
        "<h2>Notebooks</h2>",
        "<ol>",
    ]
    for result in results:
        status = "" if result.ok else f' <span class="failed">failed: {esc(result.error)}</span>'
        parts.append(
            f'<li><a href="{esc(result.name)}.html">{esc(result.title)}</a> '
            f"(<code>{esc(result.name)}.ipynb</code>){status}</li>"
        )
    parts += ["</ol>", "<h2>Figures</h2>"]
    figures = _figure_entries(build)
    if not figures:
        parts.append("<p>No figures were saved.</p>")
    for figure in figures:
        name = esc(figure["name"])
        parts.append(
            f'<figure id="{name}"><a href="figures/{name}.svg">'
            f'<img src="figures/{name}.png" alt="{esc(figure["caption"]) or name}"></a>'
            f"<figcaption><code>{name}</code>: {esc(figure['caption'])}</figcaption></figure>"
        )
    parts.append("</body></html>")
    target = build / "index.html"
    target.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return target


def build_report(
    notebooks: list[Path],
    build: Path,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool = True,
) -> list[NotebookResult]:
    """Execute ``notebooks`` in parallel and write the report into ``build``.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        Notebooks to execute.
    build : pathlib.Path
        Output folder; its ``figures/`` folder is emptied first so that the index lists
        only figures this run produced.
    jobs : int, optional
        Notebooks run at once (default: the number of available cores).
    timeout : int
        Seconds allowed per cell.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    list of NotebookResult
        In notebook order.
    """
    from multiprocessing import get_context

    from tqdm import tqdm

    build.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(build / "figures", ignore_errors=True)
    (build / "figures").mkdir()
    jobs = max(1, min(jobs or len(os.sched_getaffinity(0)), len(notebooks)))
    results: dict[Path, NotebookResult] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(execute_notebook, nb, build, timeout): nb for nb in notebooks}
        bar = tqdm(total=len(notebooks), unit="notebook", disable=not progress, file=sys.stderr)
        for future in as_completed(futures):
            source = futures[future]
            try:
                results[source] = future.result()
            except Exception as err:  # a crash outside the cells (e.g. unreadable file)
                message = f"{type(err).__name__}: {err}"
                results[source] = NotebookResult(source.stem, source.stem, False, 0.0, message)
            bar.set_postfix_str(source.stem)
            bar.update()
        bar.close()
    ordered = [results[nb] for nb in notebooks]
    write_index(ordered, build)
    return ordered


def main(argv: list[str] | None = None) -> int:
    """Run ``lfr-analysis report``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis report",
        description="Execute every notebook on a fresh kernel and build the HTML report.",
    )
    parser.add_argument("--notebooks", type=Path, default=None, help="notebooks folder")
    parser.add_argument("--build", type=Path, default=None, help="output folder (build/)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks run at once")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = parser.parse_args(argv)
    folder = args.notebooks or paths.notebooks_dir()
    notebooks = find_notebooks(folder)
    if not notebooks:
        print(f"lfr-analysis report: no notebooks (*.ipynb) found in {folder}", file=sys.stderr)
        return 1
    build = (args.build or paths.build_dir()).resolve()
    results = build_report(notebooks, build, args.jobs, args.timeout, not args.no_progress)
    for result in results:
        mark = "ok    " if result.ok else "FAILED"
        print(f"{mark} {result.name}.ipynb  {result.seconds:5.1f} s  {result.error}")
    print(f"report: {build / 'index.html'}")
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"error: {result.name}.ipynb {result.error}", file=sys.stderr)
    return 1 if failed else 0
