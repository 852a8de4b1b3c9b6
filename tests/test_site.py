"""The site's parts, without a full build: pages, links, the cache, the warm process."""

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from lfr_analysis.report import cache, kernels, pages, site

PNG = base64.b64decode(  # a 1 x 1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def notebook():
    figure = new_output(
        "display_data",
        data={"image/png": base64.b64encode(PNG).decode(), "text/plain": "<figure>"},
        metadata={"image/png": {"width": 1}, "lfr_figure": "90_dot"},
    )
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 90 · A page\n\n**Audience:** tests.\n\n**Purpose.** Show it. More."
            ),
            new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text="one\n")]),
            new_markdown_cell("## 1. First part\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
            new_code_cell(
                "plotting.savefig(fig, '90_dot')",
                outputs=[
                    figure,
                    new_output(
                        "stream",
                        name="stdout",
                        text="kept\nNo sliders (LFR_STATIC_EXPLORER set): see above\n",
                    ),
                ],
            ),
            new_markdown_cell("### 1.1 Detail"),
            new_code_cell("secret()", metadata={"tags": ["remove-cell"]}),
            new_code_cell(
                "table",
                outputs=[new_output("execute_result", data={"text/html": "<table></table>"})],
            ),
            new_code_cell(
                "1 / 0",
                outputs=[
                    new_output(
                        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=[]
                    )
                ],
            ),
        ]
    )


def test_a_notebook_as_a_page(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "90_dot.png").write_bytes(PNG)
    (figures / "90_dot.json").write_text(json.dumps({"caption": "A dot & a line."}))
    content = pages.render(notebook(), "90_page", figures)
    body = content["body"]
    assert content["title"] == "90 · A page"
    assert "<h1" not in body, "the title is shown above the table of contents, not twice"
    assert content["summary"] == "Show it."
    assert [(h["level"], h["text"]) for h in content["toc"]] == [
        (2, "1. First part"),
        (3, "1.1 Detail"),
    ]
    assert '<h2 id="1-first-part">' in body
    assert '<div class="table-wrap"><table>' in body, "markdown tables scroll in their box"
    assert '<section class="cell" id="cell-2">' in body
    assert '<details class="code">' in body and "secret()" not in body
    assert 'id="fig-90_dot"' in body and 'src="figures/90_dot.png"' in body
    assert "A dot &amp; a line." in body and "base64" not in body
    assert "kept" in body and "LFR_STATIC_EXPLORER" not in body
    assert "This cell failed" in body and "ZeroDivisionError" in body
    assert content["figures"] == [
        {
            "name": "90_dot",
            "caption": "A dot & a line.",
            "width": 1,
            "height": 1,
            "cell": 4,
            "section": "1-first-part",
            "section_title": "1. First part",
        }
    ]
    assert [c["n"] for c in content["cells"]] == [2, 4, 7, 8]
    assert site.locate(content, "plotting.savefig(fig, '90_dot')")["n"] == 4
    assert site.locate(content, "x=1")["n"] == 2
    assert site.locate(content, "nothing.like_this(x)") is None


def test_tags_fold_or_remove_outputs():
    nb = new_notebook(
        cells=[
            new_code_cell(
                "a",
                metadata={"tags": ["remove-output"]},
                outputs=[new_output("stream", name="stdout", text="hidden\n")],
            ),
            new_code_cell(
                "b",
                metadata={"tags": ["hide-output", "show-input"]},
                outputs=[new_output("stream", name="stdout", text="folded\n")],
            ),
            new_code_cell(
                "c",
                metadata={"tags": ["remove-input"]},
                outputs=[new_output("stream", name="stdout", text="alone\n")],
            ),
        ]
    )
    body = pages.render(nb, "x", Path("/nonexistent"))["body"]
    assert "hidden" not in body
    assert '<details class="outputs"><summary>Show output</summary>' in body and "folded" in body
    assert '<details class="code" open>' in body
    assert body.count('<details class="code"') == 2, "remove-input drops the code of cell 3"


def test_slugs_are_unique():
    seen = set()
    assert [pages.slug(t, seen) for t in ("A b", "A b", "<code>x</code>!", "")] == [
        "a-b",
        "a-b-2",
        "x",
        "section",
    ]


def test_check_links_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">ok</a><a href="b.html#gone">x</a><img src="c.png">'
        '<a href="https://example.org/">out</a><a href="#top">top</a><p id="top"></p>'
    )
    (tmp_path / "b.html").write_text('<h2 id="here">h</h2>')
    broken = site.check_links(tmp_path, ["a.html", "b.html"])
    assert broken == [
        "a.html: b.html#gone (no element with id 'gone')",
        "a.html: c.png (no such file)",
    ]


def test_check_links_follows_folders_and_pages_it_was_not_given(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text(
        '<a href="../b.html#here">up</a><a href="../d.html#x">other</a>'
        '<a href="../d.html#y">other, gone</a><a href="../missing.html">gone</a>'
        '<a href="./c.html#self">self</a><b id="self"></b>'
    )
    (tmp_path / "b.html").write_text('<h2 id="here">h</h2>')
    (tmp_path / "d.html").write_text('<h2 id="x">not a page of the list, but on disk</h2>')
    broken = site.check_links(tmp_path, ["sub/c.html", "b.html"])
    assert broken == [
        "sub/c.html: ../d.html#y (no element with id 'y')",
        "sub/c.html: ../missing.html (no such file)",
    ]


def test_the_cache_key_follows_every_input(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "one.csv").write_text("a\n1\n")
    (data / "datapackage.json").write_text(json.dumps({"resources": [{"path": "one.csv"}]}))
    monkeypatch.setenv("LFR_DATA_DIR", str(data))
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    first = cache.cache_key()
    assert first == cache.cache_key()
    (data / "one.csv").write_text("a\n2\n")
    second = cache.cache_key()
    assert second != first
    assert cache.cached(second) is None
    cache.store(second, {"x": 1})
    assert cache.cached(second) == {"x": 1}
    entry = next((tmp_path / "cache").glob("site-data-*.json"))
    entry.write_text("{ damaged")
    assert cache.cached(second) is None, "a damaged entry is computed again"
    (data / "one.csv").unlink()
    assert cache.cache_key() is None, "an unreadable input: nothing is cached"
    cache.record_timings({"02": 3.5})
    assert cache.timings() == {"02": 3.5}


@pytest.mark.skipif(not kernels.available(), reason="the warm process needs Linux")
def test_the_warm_process_forks_jobs_and_takes_them_down(tmp_path):
    warm = kernels.WarmProcess(tmp_path / "w", dict(os.environ), ["json"]).start()
    try:
        warm.wait_ready()
        made = tmp_path / "made"
        job = warm.task("os:mkdir", [str(made)], label="mkdir")
        job.wait(30)
        assert made.is_dir() and job.poll() == 0
        assert [c["job"] for c in warm.cpu(expected=1)] == ["task mkdir"]
        sleeper = warm.task("time:sleep", [600], label="sleep")
        assert sleeper.poll() is None
        pid = sleeper.pid
        assert os.getpgid(pid) == pid, "each job leads its own process group"
    finally:
        warm.stop()
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not (tmp_path / "w").exists()


@pytest.mark.skipif(not kernels.available(), reason="the warm process needs Linux")
def test_the_warm_process_dies_with_the_report(tmp_path):
    script = (
        "import os, sys, time\n"
        "from lfr_analysis.report import kernels\n"
        f"w = kernels.WarmProcess({str(tmp_path / 'w')!r}, dict(os.environ), []).start()\n"
        "w.wait_ready()\n"
        "job = w.task('time:sleep', [600])\n"
        "print(w.process.pid, job.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    warm_pid, job_pid = map(int, parent.stdout.readline().split())
    parent.send_signal(signal.SIGKILL)  # no clean-up code runs
    parent.wait()
    for pid in (warm_pid, job_pid):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"process {pid} outlived the report")


def test_a_refused_request_says_so(tmp_path):
    if not kernels.available():
        pytest.skip("the warm process needs Linux")
    warm = kernels.WarmProcess(tmp_path / "w", dict(os.environ), []).start()
    try:
        warm.wait_ready()
        with pytest.raises(kernels.WarmProcessError, match="unknown kind"):
            warm.fork({"kind": "other"})
    finally:
        warm.stop()
