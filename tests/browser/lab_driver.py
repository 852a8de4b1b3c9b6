"""Drive JupyterLab in headless Chromium as a teacher would: open a notebook, choose
Kernel > Restart Kernel and Run All Cells, and read what the page shows.

Used by ``test_jupyterlab_explorer.py`` and runnable by hand to count failures::

    .venv/bin/python tests/browser/lab_driver.py build/student/06_teaching_base_rates.ipynb --runs 6

The server listens on 127.0.0.1 only, with a random token, and every Jupyter folder
(configuration, data, settings, workspaces, runtime) is a fresh temporary one, so a run
neither reads nor changes the user's Jupyter set-up. Chromium is Debian's
(``/usr/bin/chromium``) with background networking switched off.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from lfr_analysis.student_copy import handout

CHROMIUM = Path(os.environ.get("LFR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = list(handout.CHROMIUM_ARGS)

#: JupyterLab's settings for the run: no news or update checks (no network), no
#: autosave (the notebook on disk stays as given), no toasts over the menus, no
#: windowing (every cell stays in the page).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # every cell stays in the page, so that every output can be read
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# Widget areas: the explorer's box (lfr_analysis.teaching.EXPLORER_CLASS) and the output
# areas of ipywidgets' Output widget; error outputs as JupyterLab renders them.
EXPLORER = ".lfr-explorer"
WIDGET_AREA = f"{EXPLORER}, .jupyter-widgets-output-area, .widget-output"
ERROR_OUTPUT = '[data-mime-type="application/vnd.jupyter.stderr"]'


def chromium_missing_reason() -> str | None:
    """Why a browser test cannot run here (None when it can)."""
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab server."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen
    log: Path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"


@contextlib.contextmanager
def jupyterlab(root: Path, *, env: dict | None = None, startup_timeout: float = 60.0):
    """Start JupyterLab serving ``root`` on a free loopback port; stop it on exit.

    ``env`` adds variables to the server's (and so the kernels') environment.
    """
    scratch = Path(tempfile.mkdtemp(prefix="lfr-lab-"))
    settings = scratch / "settings"
    for name, values in LAB_SETTINGS.items():
        plugin, file_name = name.rsplit("/", 1)
        (settings / plugin).mkdir(parents=True, exist_ok=True)
        (settings / plugin / file_name).write_text(json.dumps(values), encoding="utf-8")
    server_env = {**os.environ, **(env or {})}
    server_env.update(
        {
            "JUPYTER_CONFIG_DIR": str(scratch / "config"),
            "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "IPYTHONDIR": str(scratch / "ipython"),
        }
    )
    server_env.pop("MPLBACKEND", None)  # the kernel chooses its inline backend, as in class
    port, token = _free_port(), secrets.token_hex(16)
    log = scratch / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    with open(log, "wb") as stream:
        process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, env=server_env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not answer in {startup_timeout:.0f} s:\n"
                        f"{log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.25)
        yield Lab(url=url, token=token, root=root, process=process, log=log)
    except BaseException:
        print(f"JupyterLab's log ends:\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def chromium():
    """A headless Chromium page (Debian's browser, fresh profile); closed on exit."""
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="lfr-chromium-"))
    try:
        with sync_playwright() as driver:
            context = driver.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000},
            )
            try:
                yield context.pages[0] if context.pages else context.new_page()
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@dataclass
class RunResult:
    """What one Restart-and-Run-All left on the page."""

    seconds: float
    widget_areas: int
    widget_images: int
    widget_errors: list[str] = field(default_factory=list)
    cell_errors: list[str] = field(default_factory=list)
    explorer_status: str = ""
    redrawn_while_settling: bool = False

    @property
    def ok(self) -> bool:
        return not self.widget_errors and not self.cell_errors and self.widget_images > 0


def open_notebook(page, lab: Lab, name: str, *, timeout: float = 90.0) -> None:
    """Open notebook ``name`` and wait until its kernel is idle.

    On a busy machine JupyterLab may ask which kernel to start (the kernel list was not
    loaded in time); the notebook's own kernel is preselected and accepted, as a person
    would.
    """
    page.goto(lab.notebook_url(name))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while not _kernel_idle(page):
        chooser = page.locator(".jp-Dialog", has_text="Select Kernel")
        if chooser.count():
            chooser.locator(".jp-mod-accept").click()
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel of {name} was not idle after {timeout:.0f} s")
        page.wait_for_timeout(250)


_KERNEL_IDLE = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const indicator = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
        .map(e => e.textContent).find(t => t.includes('|'));
    return Boolean(indicator && indicator.getAttribute('data-status') === 'idle'
        && status && /\\| Idle$/.test(status.trim()));
}"""


def _kernel_idle(page) -> bool:
    return bool(page.evaluate(_KERNEL_IDLE))


def _wait_idle(page, timeout: float) -> None:
    page.wait_for_function(_KERNEL_IDLE, timeout=timeout * 1000)


def restart_and_run_all(page, *, timeout: float = 180.0, settle: float = 3.0) -> RunResult:
    """Kernel > Restart Kernel and Run All Cells, confirm, wait, and read the outputs.

    Waits until a cell is queued, then until none is queued or running (a cell that
    fails stops the run, as in class) and the kernel is idle, then
    ``settle`` seconds more (late widget redraws arrive then), and collects the text of
    every error output: inside a widget's output area, and in any cell.
    """
    start = time.monotonic()
    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Restart Kernel?").wait_for()
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached")
    busy = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
        .some(p => p.textContent.includes('*'))"""
    page.wait_for_function(busy, timeout=60_000)
    page.wait_for_function(f"() => !({busy})()", timeout=timeout * 1000)
    _wait_idle(page, timeout)
    sources_before = _explorer_images(page)
    page.wait_for_timeout(settle * 1000)
    _wait_idle(page, timeout)
    seconds = time.monotonic() - start
    widget_errors = [
        text.strip()
        for text in page.locator(f":is({WIDGET_AREA}) {ERROR_OUTPUT}").all_inner_texts()
    ]
    status = page.locator(f"{EXPLORER} .widget-html").all_inner_texts()
    widget_errors += [text.strip() for text in status if "Could not draw" in text]
    cell_errors = [
        text.strip()
        for text in page.locator(f".jp-Cell-outputArea {ERROR_OUTPUT}").all_inner_texts()
        if text.strip() not in widget_errors
    ]
    return RunResult(
        seconds=seconds,
        widget_areas=page.locator(WIDGET_AREA).count(),
        widget_images=page.locator(f":is({WIDGET_AREA}) img").count(),
        widget_errors=widget_errors,
        cell_errors=cell_errors,
        explorer_status=" ".join(text.strip() for text in status),
        redrawn_while_settling=_explorer_images(page) != sources_before,
    )


def _explorer_images(page) -> list[str]:
    return page.locator(f"{EXPLORER} img").evaluate_all("images => images.map(i => i.src)")


def move_slider(page, description: str, presses: int = 1, *, timeout: float = 30.0) -> str:
    """Move the explorer slider labelled ``description`` right by ``presses`` steps.

    Focuses the slider's handle and presses the right arrow, as a keyboard user would,
    then waits for the explorer's status line to change; returns the new status line.
    """
    explorer = page.locator(EXPLORER)
    before = explorer.locator(".widget-html").inner_text()
    slider = explorer.locator(".widget-slider", has_text=description)
    handle = slider.locator(".noUi-handle, .ui-slider-handle, [role=slider]").first
    handle.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + timeout
    while explorer.locator(".widget-html").inner_text() == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the explorer did not redraw after moving {description!r}")
        page.wait_for_timeout(100)
    _wait_idle(page, timeout)
    return explorer.locator(".widget-html").inner_text()


def main(argv: list[str] | None = None) -> int:
    """Count Restart-and-Run-All runs of a notebook that end without an error output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args(argv)
    reason = chromium_missing_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    root = Path(tempfile.mkdtemp(prefix="lfr-notebook-"))
    shutil.copy(args.notebook, root / args.notebook.name)
    passed = 0
    build = {"LFR_BUILD_DIR": str(root / "build")}
    with jupyterlab(root, env=build) as lab, chromium() as page:
        open_notebook(page, lab, args.notebook.name)
        for run in range(1, args.runs + 1):
            try:
                result = restart_and_run_all(page)
            except Exception:
                if args.screenshot:
                    page.screenshot(path=str(args.screenshot.with_suffix(f".{run}.error.png")))
                raise
            passed += result.ok
            first = (result.widget_errors or result.cell_errors or [""])[0].splitlines()
            print(
                f"run {run}: {'ok' if result.ok else 'FAILED'} in {result.seconds:.1f} s; "
                f"status {result.explorer_status!r}, redrawn while settling "
                f"{result.redrawn_while_settling}; "
                f"widget areas {result.widget_areas}, images {result.widget_images}, "
                f"errors in widgets {len(result.widget_errors)}, in cells "
                f"{len(result.cell_errors)} {first[-1][:160] if first else ''}",
                flush=True,
            )
            if args.screenshot:
                areas = page.locator(WIDGET_AREA)
                if areas.count():
                    areas.first.scroll_into_view_if_needed()
                page.screenshot(path=str(args.screenshot.with_suffix(f".{run}.png")))
    print(f"{passed} of {args.runs} runs without an error output")
    shutil.rmtree(root, ignore_errors=True)
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
