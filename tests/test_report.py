"""The report command: failures named, the last good build kept, signals, timeouts, folders.

Each test builds a small report from notebooks it writes itself (the site's findings and
ledger come from one cache shared by the tests of this module, so they are computed once).
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lfr_analysis.report import build as build_module

GOOD = [
    new_markdown_cell("# 91 · A good notebook\n\n**Purpose.** It saves one figure."),
    new_code_cell(
        "import matplotlib.pyplot as plt\nfrom lfr_analysis import plotting\n"
        "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\n"
        "plotting.savefig(fig, '91_line', caption='A falling line & nothing else.')"
    ),
    new_markdown_cell("## A table"),
    new_code_cell(
        "import pandas as pd\npd.DataFrame({'faces_seen': [2529031.0], 'p_more': [1e-9]})"
    ),
]
BAD = [
    new_markdown_cell("# 92 · A broken notebook"),
    new_code_cell("x = 1"),
    new_markdown_cell("Next, a mistake."),
    new_code_cell("x / 0"),
    new_code_cell("print('never runs')"),
]
SLOW = [new_markdown_cell("# 94 · A slow notebook"), new_code_cell("import time\ntime.sleep(120)")]


def write_notebook(folder, name, cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / name)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("report-cache")


@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    return folder


def command(notebooks, build, *extra):
    return [
        sys.executable,
        "-m",
        "lfr_analysis.cli",
        "report",
        "--no-progress",
        "--notebooks",
        str(notebooks),
        "--build",
        str(build),
        *extra,
    ]


def run_report(notebooks, build, cache, *extra, timeout=300):
    env = dict(os.environ, LFR_CACHE_DIR=str(cache))
    return subprocess.run(
        command(notebooks, build, *extra), capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.mark.slow
def test_failure_is_named_and_stops_nothing_else(notebooks, tmp_path, cache):
    write_notebook(notebooks, "91_good.ipynb", GOOD)
    write_notebook(notebooks, "92_bad.ipynb", BAD)
    build = tmp_path / "build"
    result = run_report(notebooks, build, cache)
    assert result.returncode == 1, result.stderr
    assert "92_bad.ipynb cell 4: ZeroDivisionError" in result.stderr
    assert "91_good" not in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    # no earlier build to keep: this one is put in place, and says it is incomplete
    assert "report (incomplete)" in result.stdout
    assert (build / "91_good.html").is_file() and (build / "92_bad.html").is_file()
    executed = nbformat.read(build / "notebooks" / "91_good.ipynb", as_version=4)
    assert executed.cells[1].execution_count == 1
    assert all("execution" not in cell.metadata for cell in executed.cells)
    images = [o for o in executed.cells[1].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, "the saved figure is shown once"
    assert images[0]["metadata"]["lfr_figure"] == "91_line"
    page = (build / "91_good.html").read_text()
    assert 'id="fig-91_line"' in page and 'src="figures/91_line.png"' in page
    assert "A falling line &amp; nothing else." in page
    assert "2,529,031" in page and "&lt; 0.001" in page, "tables are the reader's tables"
    assert '<details class="code">' in page, "code is hidden behind a click"
    index = (build / "index.html").read_text()
    assert 'href="91_good.html"' in index and 'href="92_bad.html"' in index
    assert "failed: cell 4: ZeroDivisionError" in index
    gallery = (build / "figures.html").read_text()
    assert 'href="91_good.html#fig-91_line"' in gallery
    assert (build / "figures" / "91_line.svg").is_file()
    status = json.loads((build / ".report.json").read_text())
    assert status["ok"] is False


@pytest.mark.slow
def test_the_last_good_build_is_kept_when_a_build_fails(notebooks, tmp_path, cache):
    write_notebook(notebooks, "91_good.ipynb", GOOD)
    build = tmp_path / "build"
    first = run_report(notebooks, build, cache)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr, first.stderr
    before = {p: p.read_bytes() for p in build.rglob("*") if p.is_file()}
    write_notebook(notebooks, "92_bad.ipynb", BAD)
    second = run_report(notebooks, build, cache)
    assert second.returncode == 1
    assert "the last good report in" in second.stderr and ".failed-build" in second.stderr
    after = {
        p: p.read_bytes()
        for p in build.rglob("*")
        if p.is_file() and ".failed-build" not in p.parts
    }
    assert after == before, "the last good build is untouched"
    assert (build / ".failed-build" / "92_bad.html").is_file()
    assert not list(tmp_path.glob(".build.staging-*")), "no fresh folder is left behind"


@pytest.mark.slow
def test_a_new_build_holds_only_what_it_made(notebooks, tmp_path, cache):
    write_notebook(notebooks, "93_empty.ipynb", [new_markdown_cell("# 93 · Nothing to run")])
    build = tmp_path / "build"
    (build / "figures").mkdir(parents=True)
    (build / "figures" / "00_old.json").write_text('{"caption": "old"}')
    (build / "index.html").write_text("old")
    result = run_report(notebooks, build, cache)
    assert result.returncode == 0, result.stderr
    assert not (build / "figures" / "00_old.json").exists()
    assert "93 · Nothing to run" in (build / "index.html").read_text()


@pytest.mark.slow
def test_a_cell_timeout_is_reported_as_a_timeout(notebooks, tmp_path, cache):
    write_notebook(notebooks, "94_slow.ipynb", SLOW)
    result = run_report(notebooks, tmp_path / "build", cache, "--timeout", "2")
    assert result.returncode == 1
    assert "94_slow.ipynb cell 2: timed out after 2 s" in result.stderr
    assert "KeyboardInterrupt" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr, result.stderr


def test_a_read_only_build_folder_is_named_as_such(notebooks, cache, tmp_path):
    write_notebook(notebooks, "93_empty.ipynb", [new_markdown_cell("# 93 · Nothing")])
    read_only = Path("/sys/lfr-report-test/build")  # refused even to root
    if os.access("/sys", os.W_OK) and not Path("/sys/kernel").is_dir():
        pytest.skip("no read-only folder to build into on this machine")
    result = run_report(notebooks, read_only, cache)
    assert result.returncode == 1
    assert "cannot write the report into /sys/lfr-report-test/build" in result.stderr
    assert "--build or LFR_BUILD_DIR" in result.stderr
    assert "FileExistsError" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a folder without write permission")
def test_a_folder_without_write_permission(notebooks, tmp_path, cache):
    write_notebook(notebooks, "93_empty.ipynb", [new_markdown_cell("# 93 · Nothing")])
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = run_report(notebooks, parent / "build", cache)
    finally:
        parent.chmod(0o755)
    assert result.returncode == 1 and "cannot write the report into" in result.stderr
    assert "Permission denied" in result.stderr


@pytest.mark.slow
def test_an_unreadable_notebook_gets_no_page_and_no_link(notebooks, tmp_path, cache):
    write_notebook(notebooks, "91_good.ipynb", GOOD)
    (notebooks / "95_broken.ipynb").write_text("{ not json")
    build = tmp_path / "build"
    result = run_report(notebooks, build, cache)
    assert result.returncode == 1
    assert "95_broken.ipynb could not read the notebook" in result.stderr
    assert not (build / "95_broken.html").exists()
    index = (build / "index.html").read_text()
    assert "95_broken.html" not in index and "failed: could not read the notebook" in index
    for page in build.rglob("*.html"):
        assert "95_broken.html" not in page.read_text(), page


def test_no_notebooks_is_an_error(tmp_path, cache):
    result = run_report(tmp_path, tmp_path / "build", cache)
    assert result.returncode == 1
    assert "no notebooks" in result.stderr


def descendants(pid):
    """Processes below ``pid``, as (pid, start time) so that a reused id is not mistaken."""
    children, found = {}, set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(entry.name), fields[19]))
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child[0])
    return found


def alive(process):
    pid, started = process
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == started and fields[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_every_process_and_keeps_the_last_build(notebooks, tmp_path, cache, signum):
    write_notebook(notebooks, "91_good.ipynb", GOOD)
    build = tmp_path / "build"
    assert run_report(notebooks, build, cache).returncode == 0
    before = (build / "index.html").read_bytes()
    write_notebook(notebooks, "94_slow.ipynb", SLOW)
    env = dict(os.environ, LFR_CACHE_DIR=str(cache))
    report = subprocess.Popen(
        command(notebooks, build),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen, deadline = set(), time.monotonic() + 120
    try:
        # the warm process, then for each notebook a job and its kernel: wait for them all
        while time.monotonic() < deadline and len([p for p in seen if alive(p)]) < 5:
            seen |= descendants(report.pid)
            time.sleep(0.2)
        time.sleep(1.0)
        seen |= descendants(report.pid)
        assert len(seen) >= 3, "the report should have started its warm process and jobs"
        report.send_signal(signum)
        _, stderr = report.communicate(timeout=60)
    finally:
        if report.poll() is None:
            report.kill()
    assert report.returncode == 128 + signum, stderr
    assert "interrupted" in stderr and "the last build in it is unchanged" in stderr
    assert "Traceback" not in stderr, stderr
    time.sleep(0.5)
    left = [p for p in seen if alive(p)]
    assert not left, f"processes outlived the report: {left}"
    assert (build / "index.html").read_bytes() == before
    assert not list(tmp_path.glob(".build.staging-*"))


def test_a_first_build_starts_the_notebooks_with_most_work_first(tmp_path):
    def notebook(name, code, exercises=False):
        cells = [{"cell_type": "code", "source": [code], "metadata": {}, "outputs": []}]
        heading = "## 6. Exercises\n" if exercises else "## 6. Summary\n"
        cells.append({"cell_type": "markdown", "source": ["Text.\n", heading], "metadata": {}})
        path = tmp_path / f"{name}.ipynb"
        path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
        return str(path)

    short = build_module.first_build_seconds(notebook("short", "x = 1\n" * 100))
    long = build_module.first_build_seconds(notebook("long", "x = 1\n" * 1000))
    taught = build_module.first_build_seconds(notebook("taught", "x = 1\n" * 100, True))
    assert 0 < short < long
    assert taught > short + 1, "a notebook with exercises also prints its student copies"
    assert build_module.first_build_seconds(str(tmp_path / "absent.ipynb")) == 0.0
