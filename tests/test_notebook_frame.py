"""Every notebook keeps the suite's fixed frame.

Title and purpose first; one setup call at the top (``notebook.setup()``, with a seed exactly
where the notebook draws random numbers); short cells (a median of at most six code lines per
code cell); no selection list of more than five column names (the package's reader views give
the columns a reader needs); every assertion with a message; figures through
``plotting.savefig`` with a caption; data sources and library versions last; no outputs stored
(checked on the committed copy, so a notebook run and saved in JupyterLab passes until it is
staged with its outputs).

Read from the source (no execution here; ``make test`` runs every notebook).
"""

import ast
import re
import statistics

import nbformat
import pytest
from committed import committed_text

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

NOTEBOOKS = find_notebooks(paths.notebooks_dir())
MAX_MEDIAN_LINES = 6
MAX_SELECTED_COLUMNS = 5


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def code_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def code_lines(source: str) -> int:
    return len([line for line in source.splitlines() if line.strip()])


class _Selections(ast.NodeVisitor):
    """Column selections a notebook spells out, in the order its cells run.

    A selection is the key of a subscript (``table[[...]]``; for ``.loc[rows, columns]``
    the parts after the rows), given as a list of strings, a name bound to one (also
    through ``+=``), or a sum of these. Each found selection is recorded with its names.
    """

    def __init__(self):
        self.lists: dict[str, list[str]] = {}
        self.found: list[list[str]] = []

    def names_in(self, node) -> list[str] | None:
        if isinstance(node, ast.List):
            return [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if isinstance(node, ast.Name):
            return self.lists.get(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.names_in(node.left), self.names_in(node.right)
            if left is not None and right is not None:
                return left + right
        return None

    def visit_Assign(self, node):
        self.generic_visit(node)
        names = self.names_in(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if names is None:
                    self.lists.pop(target.id, None)
                else:
                    self.lists[target.id] = names

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.target, ast.Name) and isinstance(node.op, ast.Add):
            before, added = self.lists.get(node.target.id), self.names_in(node.value)
            if before is not None and added is not None:
                self.lists[node.target.id] = before + added
            else:
                self.lists.pop(node.target.id, None)

    def visit_Subscript(self, node):
        self.generic_visit(node)
        key = node.slice
        parts = key.elts[1:] if isinstance(key, ast.Tuple) else [key]
        for part in parts:
            names = self.names_in(part)
            if names is not None:
                self.found.append(names)


def selections(sources: list[str]) -> list[list[str]]:
    visitor = _Selections()
    for source in sources:
        visitor.visit(ast.parse(source))
    return visitor.found


def test_title_and_purpose_first(notebook):
    path, nb = notebook
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    number = path.name[:2]
    assert re.match(rf"# {number} · \S", first.source), first.source[:80]
    assert len(first.source.split()) > 30, "the title cell should state audience and purpose"


def test_one_setup_call_at_the_top(notebook):
    path, nb = notebook
    code = code_sources(nb)
    setup = code[0]
    assert "notebook.setup(" in setup, f"{path.name}: the first code cell calls notebook.setup()"
    assert re.search(r"from lfr_analysis import [^\n]*\bnotebook\b", setup), path.name
    calls = sum(len(re.findall(r"\bnotebook\.setup\(", source)) for source in code)
    assert calls == 1, f"{path.name}: {calls} setup calls; make one, at the top"
    assert "use_style(" not in setup and "set_option" not in setup, "setup() does it"


def test_setup_seeds_a_generator_exactly_where_one_is_used(notebook):
    path, nb = notebook
    code = code_sources(nb)
    uses_rng = re.search(r"\brng\b", "\n".join(code[1:])) is not None
    seeded = re.search(r"rng\s*=\s*notebook\.setup\(\s*seed\s*=\s*notebook\.SEED\b", code[0])
    assert (seeded is not None) == uses_rng, (
        f"{path.name}: rng = notebook.setup(seed=notebook.SEED) exactly when it draws numbers"
    )


def test_short_cells(notebook):
    path, nb = notebook
    lines = [code_lines(source) for source in code_sources(nb)]
    assert statistics.median(lines) <= MAX_MEDIAN_LINES, (
        f"{path.name}: median {statistics.median(lines)} code lines per cell: {lines}"
    )


def test_no_selection_list_of_more_than_five_columns(notebook):
    path, nb = notebook
    for names in selections(code_sources(nb)):
        assert len(names) <= MAX_SELECTED_COLUMNS, (
            f"{path.name} selects {len(names)} columns {names}: use the package's reader view"
        )


def test_every_assertion_says_what_it_checks(notebook):
    path, nb = notebook
    for source in code_sources(nb):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assert):
                assert node.msg is not None, f"{path.name}: {ast.unparse(node)}"


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


def test_figures_go_through_savefig_with_a_caption(notebook):
    path, nb = notebook
    code = code_sources(nb)
    source = "\n".join(code)
    assert ".savefig(" not in source.replace("plotting.savefig(", "")
    assert "assert " in source, "assert the numbers that matter"
    for cell in code:
        for node in ast.walk(ast.parse(cell)):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "plotting.savefig":
                caption = next((k.value for k in node.keywords if k.arg == "caption"), None)
                assert caption is not None, f"{path.name}: savefig without a caption:\n{cell}"
                if isinstance(caption, ast.Constant):
                    assert caption.value.strip(), f"{path.name}: an empty caption"
        if "plotting.savefig(" in cell:
            last = cell.strip().splitlines()[-1].strip()
            assert last != "fig", "savefig shows the figure; ending with `fig` shows it twice"


# The checks above, on code that breaks them: each must be able to fail.


def test_selection_check_finds_lists_names_and_sums():
    six = '["a", "b", "c", "d", "e", "f"]'
    assert [len(s) for s in selections([f"table[{six}]"])] == [6]
    assert [len(s) for s in selections([f"COLS = {six}", "table[COLS]"])] == [6]
    spread = ['cols = ["a", "b", "c"]', 'cols += ["d", "e", "f"]', "table.loc[:, cols]"]
    assert [len(s) for s in selections(spread)] == [6]
    assert [len(s) for s in selections([f'table[{six} + ["g"]]'])] == [7]


def test_selection_check_leaves_row_labels_and_rebound_names_alone():
    six = '["a", "b", "c", "d", "e", "f"]'
    assert [len(s) for s in selections([f"ids = {six}", 'table.loc[ids, ["x", "y"]]'])] == [2]
    assert selections([f"names = {six}", "names = other()", "table[names]"]) == []
    assert selections(["table[column]", "table.loc[0]"]) == []
