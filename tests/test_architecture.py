"""The package keeps its architecture (docs/architecture.md): layers, no cycle, one face.

Read from the source, not by importing it: every module's top-level imports of the
package's own modules form a graph that must have no cycle and must respect the layers;
no function imports a module of the package; every public module names its API.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import lfr_analysis

PACKAGE = Path(lfr_analysis.__file__).parent
MAX_LINES = 800

#: Layer of each module (by dotted-name prefix, longest match wins) and what it may import.
LAYERS = {
    "lfr_analysis.paths": "base",
    "lfr_analysis.files": "base",
    "lfr_analysis.datasets": "data files",
    "lfr_analysis.datasets.deployment_checks": "data files",
    "lfr_analysis.datasets.csv_scan": "data files",
    "lfr_analysis.stats": "statistics",
    "lfr_analysis.data": "analysis",
    "lfr_analysis.rates": "analysis",
    "lfr_analysis.predictions": "analysis",
    "lfr_analysis.references": "analysis",
    "lfr_analysis.funnels": "analysis",
    "lfr_analysis.precision": "analysis",
    "lfr_analysis.arrests": "analysis",
    "lfr_analysis.claims": "analysis",
    "lfr_analysis.findings": "analysis",
    "lfr_analysis.geography": "analysis",
    "lfr_analysis.plotting": "presentation",
    "lfr_analysis.notebook": "presentation",
    "lfr_analysis.tables": "presentation",
    "lfr_analysis.teaching": "presentation",
    "lfr_analysis.student_copy": "presentation",
    "lfr_analysis.report": "presentation",
    "lfr_analysis.export": "presentation",
    "lfr_analysis.cite": "presentation",
    "lfr_analysis.rebuild": "rebuild",
    "lfr_analysis.cli": "entry",
}
MAY_IMPORT = {
    "base": {"base"},
    "data files": {"base", "data files"},
    "statistics": {"statistics"},
    "analysis": {"base", "data files", "statistics", "analysis"},
    "presentation": {"base", "data files", "statistics", "analysis", "presentation"},
    "rebuild": {"base", "data files", "rebuild"},
    "entry": {"base"},
}
#: The only modules that import modules of the package at run time, by name: the lazy
#: public face and the command dispatcher (so that ``import lfr_analysis`` and
#: ``lfr-analysis --help`` stay quick), and the report's job runners, which import what the
#: notebooks import ahead of their kernels and call each job's function by its name.
LAZY_LOADERS = {
    "lfr_analysis",
    "lfr_analysis.cli",
    "lfr_analysis.report.kernels",
    "lfr_analysis.report.execute",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def imported_modules(node: ast.AST, importer: str) -> set[str]:
    """Modules of the package that an import statement names."""
    found = set()
    if isinstance(node, ast.Import):
        found = {alias.name for alias in node.names}
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        # ``from package import submodule`` imports the submodule; any other name comes
        # from the module itself
        for alias in node.names:
            candidate = f"{node.module}.{alias.name}"
            found.add(candidate if candidate in MODULES else node.module)
    return {m for m in found if m.split(".")[0] == "lfr_analysis" and m in MODULES}


def top_level_edges() -> dict[str, set[str]]:
    edges = {}
    for name, tree in TREES.items():
        targets = set()
        for node in tree.body:
            targets |= imported_modules(node, name)
        edges[name] = targets - {name}
    return edges


def layer(name: str) -> str:
    matches = [prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")]
    if name == "lfr_analysis":
        return "base"  # the face imports no module of the package at the top (only lazily)
    assert matches, f"{name} has no layer: add it to LAYERS (and docs/architecture.md)"
    return LAYERS[max(matches, key=len)]


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_has_no_cycle():
    assert find_cycle(top_level_edges()) is None


def test_the_cycle_check_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_only_its_own_layer_and_those_below(name):
    allowed = MAY_IMPORT[layer(name)]
    wrong = {t: layer(t) for t in top_level_edges()[name] if layer(t) not in allowed}
    assert not wrong, f"{name} ({layer(name)}) imports {wrong}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_function_imports_a_module_of_the_package(name):
    late = []
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if imported_modules(inner, name):
                    late.append(f"line {inner.lineno} in {node.name}()")
                is_call = isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                if is_call and inner.func.attr == "import_module" and name not in LAZY_LOADERS:
                    late.append(f"line {inner.lineno}: import_module in {node.name}()")
    assert not late, f"{name} imports package modules inside functions: {late}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_exceeds_the_size_the_layout_aims_for(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES})"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_names_its_api_and_every_name_exists(name):
    module = importlib.import_module(name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{name} has no __all__"
    missing = [n for n in names if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it lacks: {missing}"
    assert len(names) == len(set(names)), f"{name}.__all__ repeats a name"


def test_the_public_face_is_small_and_documented():
    names = [n for n in lfr_analysis.__all__ if n != "__version__"]
    assert len(names) < 100
    for name in names:
        documented = f"``{name}``" in lfr_analysis.__doc__ or f"lfr_analysis.{name}`" in (
            lfr_analysis.__doc__
        )
        assert documented, f"{name} is not documented in the package docstring"
        value = getattr(lfr_analysis, name)
        assert value.__doc__, f"lfr_analysis.{name} has no docstring"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        lfr_analysis.nope  # noqa: B018
