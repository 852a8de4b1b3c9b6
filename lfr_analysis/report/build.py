"""``lfr-analysis report``: build the whole site into a fresh folder, then swap it in.

The build never touches the last build until the new one is complete:

1. a fresh folder beside the target (``.build.staging-<pid>/build``) receives everything:
   executed notebooks, figures, pages, data files;
2. the jobs run there, as many at once as there are cores: one per notebook (a fresh
   kernel each, forked from the warm process of :mod:`lfr_analysis.report.kernels` where
   the platform allows), and one computing the findings and the claims ledger, unless the
   cache (:mod:`lfr_analysis.report.cache`) holds them for exactly these inputs; the longest
   jobs of the last build start first (in a first build, the notebooks with the most code,
   see :func:`first_build_seconds`);
3. the site is written (:mod:`lfr_analysis.report.site`) and every internal link and image
   checked;
4. only then is the new folder swapped in, in one step (``renameat2`` with
   ``RENAME_EXCHANGE`` where available), and the old one removed.

A build in which something failed replaces the last build only when that one was not good
either; otherwise the last good build stays and the failed one is kept for inspection in
``<build>/.failed-build/``. ``SIGINT`` and ``SIGTERM`` stop every job and kernel at once
(no process outlives the command), remove the fresh folder and leave the last build as it
was; the command then exits with 130 or 143.
"""

from __future__ import annotations

import argparse
import ast
import ctypes
import datetime as dt
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lfr_analysis import __version__, files, paths
from lfr_analysis.report import cache, kernels, site
from lfr_analysis.report.results import DEFAULT_TIMEOUT, NotebookResult

__all__ = [
    "FAILED_BUILD",
    "BuildResults",
    "Interrupted",
    "ReportError",
    "build_report",
    "find_notebooks",
    "main",
    "preload_modules",
]

#: Where a failed build is kept when the last good build stays in place.
FAILED_BUILD = ".failed-build"

#: Modules every job of the warm process needs, whatever the notebooks import.
_ALWAYS = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.pyplot",
    "nbformat",
    "nbclient",
    "jupyter_client.manager",
    "mistune",
    "pygments.lexers.python",
    "lfr_analysis.tables",
    "lfr_analysis.report.execute",
    "lfr_analysis.report.sitedata",
)
#: Never imported ahead: it must see the kernel's own IPython shell when it first loads.
_NOT_AHEAD = ("matplotlib_inline", "ipywidgets")
_RENAME_EXCHANGE = 2


class BuildResults(list):
    """The notebooks' results (a list, in notebook order) and the build's outcome.

    Attributes
    ----------
    ok : bool
        True when every notebook ran, the site's data were computed and every link resolves.
    failures : list of str
        What failed.
    folder : pathlib.Path
        Where this build is: the build folder, or ``<build>/.failed-build`` when the last
        good build was kept.
    timeline : list of (str, float)
        What happened when, in seconds from the start (``lfr-analysis report --timings``).
    """

    def __init__(self, results, ok: bool, failures: list[str], folder: Path, timeline=()):
        super().__init__(results)
        self.ok, self.failures, self.folder = ok, failures, folder
        self.timeline = list(timeline)


class ReportError(RuntimeError):
    """The report cannot be built at all (e.g. the build folder cannot be written)."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived while the report was building."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def find_notebooks(folder: Path | None = None) -> list[Path]:
    """Return the notebooks in ``folder`` (default: the notebooks folder), sorted by name."""
    folder = Path(folder or paths.notebooks_dir())
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def preload_modules(notebooks: list[Path]) -> list[str]:
    """The modules the notebooks' code cells import (read, not run), for the warm process."""
    found = dict.fromkeys(_ALWAYS)
    for path in notebooks:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue  # e.g. IPython magics
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(dict.fromkeys(alias.name for alias in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found[node.module] = None
                    found.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names))
    return [m for m in found if not m.startswith(_NOT_AHEAD)]


#: What a first build expects of a job (see :func:`first_build_seconds`).
_SECONDS_PER_CODE_CHARACTER = 1 / 4000
_STUDENT_COPY_SECONDS = 2.0
_SITE_DATA_SECONDS = 1.5


def _first_build_guess(job: _Job) -> float:
    if job.target.endswith(":run"):
        return first_build_seconds(job.args[0])
    return _SITE_DATA_SECONDS


def first_build_seconds(source: str) -> float:
    """How long a job is expected to take when no build has timed it yet (the order only).

    A notebook: about a second of CPU per 4,000 characters of code, and two more with an
    ``Exercises`` section (its student copies are printed); the site's data: 1.5 s. Good
    enough to start the longest jobs first and leave the short ones for the end, when a
    core would otherwise wait; later builds use the times the last one measured.
    """
    try:
        cells = json.loads(Path(source).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return 0.0
    code = sum(len("".join(c.get("source", []))) for c in cells if c.get("cell_type") == "code")
    text = "\n".join(
        "".join(c.get("source", [])) for c in cells if c.get("cell_type") == "markdown"
    )
    exercises = re.search(r"^#+ .*Exercises", text, re.M) is not None
    return code * _SECONDS_PER_CODE_CHARACTER + exercises * _STUDENT_COPY_SECONDS


# --------------------------------------------------------------------------- folders


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd = -100
    done = function(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    return done == 0


def _swap_in(fresh: Path, build: Path) -> None:
    """Put ``fresh`` in place of ``build``; the old build ends up where ``fresh`` was."""
    if not build.exists():
        try:
            os.rename(fresh, build)
            return
        except OSError:
            if not build.exists():
                raise
    if not _exchange(fresh, build):
        aside = fresh.with_name(fresh.name + ".old")
        os.rename(build, aside)
        os.rename(fresh, build)
        os.rename(aside, fresh)


def _was_good(build: Path) -> bool:
    """True when ``build`` holds a complete report in which nothing failed."""
    if not (build / "index.html").is_file():
        return False
    try:
        return bool(json.loads((build / ".report.json").read_text(encoding="utf-8"))["ok"])
    except (OSError, ValueError, KeyError):
        return True  # a report from before the status file: treat as good


def _clean_stale(parent: Path, name: str) -> None:
    """Remove the fresh folders of reports that were killed (their process is gone)."""
    for stale in parent.glob(f".{name}.staging-*"):
        try:
            pid = int(stale.name.rsplit("-", 1)[1])
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            shutil.rmtree(stale, ignore_errors=True)
        except PermissionError:
            pass  # another user's report, still running


def _writable_folder(build: Path) -> Path:
    """Create the fresh folder beside ``build``; say what to do when that is impossible."""
    parent = build.parent
    root = parent / f".{build.name}.staging-{os.getpid()}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(parent, build.name)
        shutil.rmtree(root, ignore_errors=True)
        (root / build.name / "figures").mkdir(parents=True)
        (root / "work").mkdir()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise ReportError(
            f"cannot write the report into {build}: {reason} ({parent} must be writable); "
            "make it writable, or build elsewhere with --build or LFR_BUILD_DIR"
        ) from None
    return root


# --------------------------------------------------------------------------- jobs


class _Job:
    def __init__(self, name: str, target: str, args: list, result: Path | None):
        self.name, self.target, self.args, self.result = name, target, args, result
        self.process = None
        self.started = 0.0
        self.seconds = 0.0


def _start(job: _Job, warm: kernels.WarmProcess | None, env: dict, cwd: Path) -> None:
    job.started = time.perf_counter()
    if warm is not None:
        job.process = warm.task(job.target, job.args, env=env, cwd=cwd, label=job.name)
        return
    command = [sys.executable, "-m", "lfr_analysis.report.run", "job", job.target]
    job.process = subprocess.Popen(
        [*command, json.dumps(job.args)],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_any(running: list[_Job], timeout: float = 0.5) -> list[_Job]:
    fds = [j.process.pidfd for j in running if getattr(j.process, "pidfd", -1) >= 0]
    if fds:
        select.select(fds, [], [], timeout)
    else:
        time.sleep(0.05)
    return [j for j in running if j.process.poll() is not None]


def _stop_jobs(jobs: list[_Job]) -> None:
    for job in jobs:
        process = job.process
        if process is None or process.poll() is not None:
            continue
        try:
            if isinstance(process, subprocess.Popen):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except OSError:
            pass
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            pass


def _run_jobs(jobs: list[_Job], slots: int, warm, env: dict, cwd: Path, bar, mark) -> None:
    pending, running = list(jobs), []
    try:
        while pending or running:
            while pending and len(running) < slots:
                job = pending.pop(0)
                _start(job, warm, env, cwd)
                mark(f"start {job.name}")
                running.append(job)
            for job in _wait_any(running):
                job.seconds = time.perf_counter() - job.started
                mark(f"end {job.name}")
                running.remove(job)
                if bar is not None:
                    bar.set_postfix_str(job.name)
                    bar.update()
    finally:
        _stop_jobs(running)


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- the footer


def _commit() -> str:
    if not paths.in_checkout():
        return ""
    try:
        root = str(paths.project_root())
        head = subprocess.run(
            ["git", "-C", root, "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{head} (with changes not yet committed)" if dirty else head


def _build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch and epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return f"{moment.day} {moment:%B %Y}"


def _footer(sitedata: dict | None) -> dict:
    commit = _commit()
    source = f"commit {commit}" if commit else f"lfr-analysis {__version__}"
    return {
        "built": f"Built from {source} on {_build_date()}.",
        "as_of": (sitedata or {}).get("as_of_text") or "not known (the data could not be read)",
        "versions": (sitedata or {}).get("versions_text") or "not known",
    }


# --------------------------------------------------------------------------- the build


def build_report(
    notebooks: list[Path],
    build: Path,
    jobs: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    progress: bool = True,
    use_cache: bool = True,
) -> BuildResults:
    """Execute ``notebooks`` and build the site into ``build`` (see the module docstring).

    Parameters
    ----------
    notebooks : list of pathlib.Path
        Notebooks to execute, in reading order.
    build : pathlib.Path
        The report's folder; replaced only by a complete build.
    jobs : int, optional
        Jobs run at once (default: one more than the available cores).
    timeout : int
        Seconds allowed per cell.
    progress : bool
        Show a progress bar on stderr.
    use_cache : bool
        Take the findings and the ledger from the cache when its key matches.

    Returns
    -------
    BuildResults
        The notebooks' results in notebook order, with the build's outcome.

    Raises
    ------
    ReportError
        When the build folder cannot be written.
    Interrupted
        On SIGINT or SIGTERM (after every job has been stopped).
    """
    started, timeline = time.perf_counter(), []

    def mark(event: str) -> None:
        timeline.append((event, round(time.perf_counter() - started, 3)))

    build = Path(build).absolute()
    root = _writable_folder(build)
    fresh, work = root / build.name, root / "work"
    warm = None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def interrupt(signum, _frame):
        raise Interrupted(signum)

    for sig in previous:
        signal.signal(sig, interrupt)
    try:
        env = dict(os.environ, LFR_BUILD_DIR=str(fresh), PYDEVD_DISABLE_FILE_VALIDATION="1")
        env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        key = cache.cache_key() if use_cache else None
        sitedata = cache.cached(key) if key else None
        use_warm = kernels.available() and os.environ.get("LFR_REPORT_WARM", "1") != "0"
        planned = []
        if sitedata is None:
            target = work / "site.json"
            planned.append(
                _Job("site data", "lfr_analysis.report.sitedata:compute", [str(target)], target)
            )
        for source in notebooks:
            planned.append(
                _Job(
                    source.stem,
                    "lfr_analysis.report.execute:run",
                    [str(source), str(fresh), str(work), timeout, use_warm],
                    None,
                )
            )
        known = cache.timings()
        planned.sort(key=lambda job: -known.get(job.name, _first_build_guess(job)))
        # one job more than cores: a job waiting for its kernel leaves no core idle
        cores = len(os.sched_getaffinity(0))
        slots = max(1, min(jobs or cores + 1, len(planned) or 1))
        if use_warm:
            # a short private folder for the sockets (a Unix socket's path is limited)
            sockets = Path(tempfile.mkdtemp(prefix="lfr-report-"))
            env[kernels.SOCKET_ENV] = str(sockets / "warm.sock")
            warm = kernels.WarmProcess(sockets, env, preload_modules(notebooks)).start()
            warm.wait_ready()
            mark("warm process ready")
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(planned), unit="job", file=sys.stderr)
        try:
            _run_jobs(planned, slots, warm, env, build.parent, bar, mark)
        finally:
            if bar is not None:
                bar.close()
        if warm is not None:
            spent: dict[str, float] = {}
            kernels_started = sum(job.target.endswith(":run") for job in planned)
            for used in warm.cpu(expected=len(planned) + kernels_started):
                timeline.append((f"cpu {used['job']}", used["cpu"]))
                job_name = used["job"].split(" ", 1)[-1]
                spent[job_name] = spent.get(job_name, 0.0) + used["cpu"]
            for job in planned:  # order the next build by the CPU each job needs
                job.seconds = spent.get(job.name, job.seconds)
        return _finish(notebooks, build, fresh, work, planned, sitedata, key, mark, timeline)
    finally:
        if warm is not None:
            warm.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        shutil.rmtree(root, ignore_errors=True)


def _finish(notebooks, build, fresh, work, planned, sitedata, key, mark, timeline) -> BuildResults:
    failures = []
    if sitedata is None:
        sitedata = _read(work / "site.json")
        if sitedata is None:
            failures.append(
                "the findings and the ledger could not be computed (see the errors printed above)"
            )
        elif key:
            cache.store(key, sitedata)
    results, contents = [], {}
    for source in notebooks:
        found = _read(work / f"{source.stem}.result.json")
        if found is None:
            found = {
                "name": source.stem,
                "title": source.stem,
                "ok": False,
                "seconds": 0.0,
                "error": "the notebook's job ended without a result (see the errors printed above)",
                "page": False,
            }
        content = _read(work / f"{source.stem}.page.json") if found["page"] else None
        if content is None:
            found["page"] = False
        else:
            contents[source.stem] = content
        results.append(NotebookResult(**found))
        if not found["ok"]:
            failures.append(f"{source.name}: {found['error']}")
    cache.record_timings({job.name: job.seconds for job in planned})
    data_folder = paths.data_dir()
    manifest = site.read_manifest(data_folder)
    pages = site.write_site(
        fresh,
        [vars(r) for r in results],
        contents,
        sitedata,
        manifest,
        data_folder,
        _footer(sitedata),
        failures,
    )
    mark("site written")
    broken = site.check_links(fresh, pages)
    mark("links checked")
    if broken:
        failures.append(f"{len(broken)} broken internal links, e.g. {broken[0]}")
    ok = not failures
    status = {"ok": ok, "failures": failures}
    files.write_text(fresh / ".report.json", json.dumps(status, indent=1, sort_keys=True) + "\n")
    if ok or not _was_good(build):
        _swap_in(fresh, build)
        mark("swapped in")
        return BuildResults(results, ok, failures, build, timeline)
    kept = build / FAILED_BUILD
    shutil.rmtree(kept, ignore_errors=True)
    os.rename(fresh, kept)
    mark("kept aside")
    return BuildResults(results, ok, failures, kept, timeline)


def main(argv: list[str] | None = None) -> int:
    """Run ``lfr-analysis report``; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis report",
        description="Execute every notebook on a fresh kernel and build the report's site.",
    )
    parser.add_argument("--notebooks", type=Path, default=None, help="notebooks folder")
    parser.add_argument("--build", type=Path, default=None, help="output folder (build/)")
    parser.add_argument("--jobs", type=int, default=None, help="jobs run at once")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds per cell")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.add_argument("--no-cache", action="store_true", help="compute the ledger afresh")
    parser.add_argument("--timings", action="store_true", help="print when each step ended")
    args = parser.parse_args(argv)
    folder = args.notebooks or paths.notebooks_dir()
    notebooks = find_notebooks(folder)
    if not notebooks:
        print(f"lfr-analysis report: no notebooks (*.ipynb) found in {folder}", file=sys.stderr)
        return 1
    build = (args.build or paths.build_dir()).absolute()
    had_good = _was_good(build)
    try:
        results = build_report(
            notebooks, build, args.jobs, args.timeout, not args.no_progress, not args.no_cache
        )
    except ReportError as err:
        print(f"lfr-analysis report: {err}", file=sys.stderr)
        return 1
    except Interrupted as stop:
        kept = "the last build in it is unchanged" if had_good else "nothing was written"
        print(
            f"lfr-analysis report: interrupted ({stop}); every notebook and kernel was stopped "
            f"and {build}: {kept}",
            file=sys.stderr,
        )
        return 128 + stop.signum
    for result in results:
        mark = "ok    " if result.ok else "FAILED"
        print(f"{mark} {result.name}.ipynb  {result.seconds:5.1f} s  {result.error}")
    if args.timings:
        for event, seconds in results.timeline:
            print(f"timing {seconds:7.2f} s  {event}")
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"error: {result.name}.ipynb {result.error}", file=sys.stderr)
    if results.ok:
        print(f"report: {build / 'index.html'}")
        return 0
    for failure in results.failures:
        if not any(failure.startswith(f"{r.name}.ipynb") for r in failed):
            print(f"error: {failure}", file=sys.stderr)
    if results.folder != build:
        print(
            f"the last good report in {build} is unchanged; this failed build is in "
            f"{results.folder} for inspection",
            file=sys.stderr,
        )
    else:
        print(f"report (incomplete): {build / 'index.html'}")
    return 1
