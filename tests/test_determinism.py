"""Building the report twice gives a byte-identical site: every page, figure, notebook, file.

The two builds run in different folders, the first computing the findings and the ledger
(an empty cache), the second taking them from the cache the first filled: so this also shows
that a cached result is the result, and that no page shows the folder it was built in. Both
run with the network guard on (inherited from ``tests/conftest.py``), so this also shows that
the report reaches nothing outside the machine.
"""

import os
import subprocess
import sys

import pytest

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

pytestmark = pytest.mark.slow


def build(target, cache):
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress"]
    env = dict(os.environ, LFR_BUILD_DIR=str(target), LFR_CACHE_DIR=str(cache))
    env["SOURCE_DATE_EPOCH"] = "1767225600"  # the footer's build date, fixed for the test
    result = subprocess.run(
        [*command, "--build", str(target)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return target


def test_report_twice_is_byte_identical(tmp_path):
    if not find_notebooks(paths.notebooks_dir()):
        pytest.skip("no notebooks in notebooks/")
    cache = tmp_path / "cache"
    first = build(tmp_path / "a" / "build", cache)
    assert list(cache.glob("site-data-*.json")), "the first build fills the cache"
    second = build(tmp_path / "b" / "build", cache)
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()
    )
    assert any(n.startswith("figures/") and n.endswith(".svg") for n in names)
    assert any(n.startswith("notebooks/") for n in names) and "index.html" in names
    different = [n for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert not different, f"files differ between builds: {different}"
    for name in names:
        if name.endswith((".html", ".ipynb", ".json", ".svg")):
            text = (first / name).read_text(encoding="utf-8")
            assert str(tmp_path) not in text, f"{name} shows a machine path"
            assert "/root/" not in text and "/home/" not in text, f"{name} shows a home folder"
    assert "1 January 2026" in (first / "index.html").read_text(encoding="utf-8")
