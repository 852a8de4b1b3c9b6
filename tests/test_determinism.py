"""Building the report twice gives byte-identical figures and identical notebook outputs.

Both builds run with the network guard on (inherited from ``tests/conftest.py``), so this
also shows that the report reaches nothing outside the machine.
"""

import os
import subprocess
import sys

import nbformat
import pytest

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

pytestmark = pytest.mark.slow


def build(target):
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress"]
    env = dict(os.environ, LFR_BUILD_DIR=str(target))
    result = subprocess.run(
        [*command, "--build", str(target)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def outputs(notebook_path):
    """Cell sources and outputs, without timing metadata."""
    nb = nbformat.read(notebook_path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cleaned = []
        for output in cell.outputs:
            output = dict(output)
            output.pop("metadata", None)
            cleaned.append(output)
        cells.append((cell.source, cell.execution_count, cleaned))
    return cells


def test_report_twice_is_identical(tmp_path):
    if not find_notebooks(paths.notebooks_dir()):
        pytest.skip("no notebooks in notebooks/")
    first, second = build(tmp_path / "a" / "build"), build(tmp_path / "b" / "build")
    figures = sorted(p.name for p in (first / "figures").iterdir())
    assert figures, "the notebooks saved no figure"
    assert figures == sorted(p.name for p in (second / "figures").iterdir())
    different = [
        name
        for name in figures
        if (first / "figures" / name).read_bytes() != (second / "figures" / name).read_bytes()
    ]
    assert not different, f"figures differ between builds: {different}"
    for executed in sorted((first / "notebooks").glob("*.ipynb")):
        assert outputs(executed) == outputs(second / "notebooks" / executed.name), executed.name
    for page in first.glob("*.html"):
        assert str(tmp_path) not in page.read_text(encoding="utf-8"), f"{page.name} shows a path"
