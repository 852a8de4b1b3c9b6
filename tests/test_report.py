"""The report command: parallel execution, HTML, index, and failure reporting."""

import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

GOOD = [
    new_markdown_cell("# 91 · A good notebook\nIt saves one figure."),
    new_code_cell(
        "import matplotlib.pyplot as plt\nfrom lfr_analysis import plotting\n"
        "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\n"
        "plotting.savefig(fig, '91_line', caption='A falling line & nothing else.')"
    ),
]
BAD = [
    new_markdown_cell("# 92 · A broken notebook"),
    new_code_cell("x = 1"),
    new_markdown_cell("Next, a mistake."),
    new_code_cell("x / 0"),
    new_code_cell("print('never runs')"),
]


def write_notebook(folder, name, cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / name)


def run_report(notebooks, build):
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress"]
    command += ["--notebooks", str(notebooks), "--build", str(build)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_failure_is_named_and_stops_nothing_else(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks, "91_good.ipynb", GOOD)
    write_notebook(notebooks, "92_bad.ipynb", BAD)
    build = tmp_path / "build"
    result = run_report(notebooks, build)
    assert result.returncode == 1, result.stderr
    assert "92_bad.ipynb cell 4: ZeroDivisionError" in result.stderr
    assert "91_good" not in result.stderr
    assert (build / "91_good.html").is_file()
    assert (build / "92_bad.html").is_file()
    executed = nbformat.read(build / "notebooks" / "91_good.ipynb", as_version=4)
    assert executed.cells[1].execution_count == 1
    images = [o for o in executed.cells[1].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1, "the saved figure is shown once"
    assert "<img" in (build / "91_good.html").read_text()
    index = (build / "index.html").read_text()
    assert 'href="91_good.html">91 · A good notebook</a>' in index
    assert 'href="92_bad.html"' in index and "failed: cell 4: ZeroDivisionError" in index
    assert 'src="figures/91_line.png"' in index
    assert "A falling line &amp; nothing else." in index
    assert (build / "figures" / "91_line.svg").is_file()


def test_no_notebooks_is_an_error(tmp_path):
    result = run_report(tmp_path, tmp_path / "build")
    assert result.returncode == 1
    assert "no notebooks" in result.stderr


def test_stale_figures_are_cleared(tmp_path):
    from lfr_analysis.report import build_report

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    write_notebook(notebooks, "93_empty.ipynb", [new_markdown_cell("# 93 · Nothing to run")])
    build = tmp_path / "build"
    (build / "figures").mkdir(parents=True)
    (build / "figures" / "00_old.json").write_text('{"caption": "old"}')
    results = build_report([notebooks / "93_empty.ipynb"], build, jobs=1, progress=False)
    assert [r.ok for r in results] == [True]
    assert not (build / "figures" / "00_old.json").exists()
    assert "No figures were saved." in (build / "index.html").read_text()
