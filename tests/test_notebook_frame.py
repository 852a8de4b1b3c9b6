"""Every notebook keeps the suite's fixed frame.

Title and purpose first; one setup call (``notebook.setup()``, with a seed where the
notebook draws random numbers); figures through ``plotting.savefig``; data sources and
library versions last; no outputs stored (checked on the committed copy, so a notebook run
and saved in JupyterLab passes until it is staged with its outputs).
"""

import re

import nbformat
import pytest
from committed import committed_text

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

NOTEBOOKS = find_notebooks(paths.notebooks_dir())


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_title_and_purpose_first(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    number = path.name[:2]
    assert re.match(rf"# {number} · \S", first.source), first.source[:80]
    assert len(first.source.split()) > 30, "the title cell should state audience and purpose"


def test_setup_cell_applies_style_and_seeds_a_generator_where_one_is_used(notebook):
    _, nb = notebook
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    setup = code[0]
    if "notebook.setup(" in setup:
        uses_rng = re.search(r"\brng\b", "\n".join(code[1:])) is not None
        seeded = re.search(r"rng\s*=\s*notebook\.setup\(\s*seed\s*=", setup) is not None
        assert seeded == uses_rng, "seed the generator exactly when the notebook draws numbers"
        assert "use_style()" not in setup and "set_option" not in setup, "setup() does it"
    else:  # the first version's frame, until every notebook makes the one call
        assert "use_style()" in setup
        assert re.search(r"default_rng\(\s*SEED\s*\)|default_rng\(\s*\d+\s*\)", setup)


def test_sources_and_versions_last(notebook):
    _, nb = notebook
    last, heading = nb.cells[-1], nb.cells[-2]
    assert last.cell_type == "code" and "sources_and_versions(" in last.source
    assert heading.cell_type == "markdown"
    assert re.search(r"^## Data sources", heading.source, flags=re.MULTILINE)


def test_no_outputs_are_stored(notebook):
    path, _ = notebook
    committed = nbformat.reads(committed_text(path), as_version=4)
    code = [c for c in committed.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), (
        f"{path.name} is staged with outputs: run 'make format' and 'git add' it again"
    )


def test_figures_go_through_savefig(notebook):
    _, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    source = "\n".join(c.source for c in code)
    assert ".savefig(" not in source.replace("plotting.savefig(", "")
    assert "assert " in source, "assert the numbers that matter"
    for cell in code:
        if "plotting.savefig(" in cell.source:
            last = cell.source.strip().splitlines()[-1].strip()
            assert last != "fig", "savefig shows the figure; ending with `fig` shows it twice"
