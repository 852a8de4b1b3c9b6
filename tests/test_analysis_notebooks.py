"""Notebooks 02-04 keep the short-cell frame of issue 12 and the verdict rules of issue 13.

Read from the committed source (no execution here; ``make test`` runs every notebook):
one setup call, a median of at most six code lines per cell, no selection list of more than
five column names, charts through the plotting functions (no hand-drawn ``set_title`` or
``subplots``), every assertion with a message, and in notebook 03 a tipping point named in
each verdict.
"""

from __future__ import annotations

import ast
import statistics

import nbformat
import pytest

from lfr_analysis import data, paths

NOTEBOOKS = ["02_false_alert_rates", "03_outcomes_vs_predictions", "04_arrests_by_offence"]


def code_cells(name: str) -> list[str]:
    notebook = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def markdown(name: str) -> str:
    notebook = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_one_setup_call_and_short_cells(name):
    cells = code_cells(name)
    assert "notebook.setup(" in cells[0] and "use_style" not in cells[0]
    assert sum("notebook.setup(" in cell for cell in cells) == 1
    lines = [len([line for line in cell.splitlines() if line.strip()]) for cell in cells]
    assert statistics.median(lines) <= 6, lines


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_long_selection_lists_and_no_hand_drawn_charts(name):
    for cell in code_cells(name):
        tree = ast.parse(cell)
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.List):
                names = [e for e in node.slice.elts if isinstance(e, ast.Constant)]
                assert len(names) <= 5, f"selection of {len(names)} columns in:\n{cell}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"set_title", "set_xlabel", "set_ylabel", "subplots",
                                         "hist", "errorbar", "axvline"}, cell  # fmt: skip
        assert "matplotlib" not in cell


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_assertion_says_what_it_checks(name):
    for cell in code_cells(name):
        for node in ast.walk(ast.parse(cell)):
            if isinstance(node, ast.Assert):
                assert node.msg is not None, ast.unparse(node)


def test_each_verdict_of_notebook_03_names_its_tipping_point():
    text = markdown("03_outcomes_vs_predictions")
    verdict = text[text.index("## 9. Verdict") :]
    bullets = [b for b in verdict.split("\n* ") if b.startswith("**At 0.6")]
    assert len(bullets) == 3
    for bullet in bullets:
        assert "**Tipping point:**" in bullet, bullet
    assert "1.45" in bullets[0] and "2.68" in bullets[0] and "1.05" in bullets[0]
    assert "66,000" in bullets[1] and "7.8e-8" in bullets[1] and "derived" in bullets[1]
    assert "2.4 million" in bullets[2]
    assert '"at worst"' in verdict


def test_notebook_03_takes_its_evidence_from_the_window_of_the_figure():
    text = markdown("03_outcomes_vs_predictions")
    section = text[text.index("## 7. The demographic question") : text.index("## 8. Sensitivity")]
    record = data.load_deployments()
    window = record[record["date"].between("2024-09-01", "2025-09-30")]
    share = (window["borough"] == "Croydon").mean()
    assert f"{share:.1%}" in section, f"the narrative should quote Croydon's {share:.1%}"
    assert "Croydon alone hosts a fifth of the 0.60" not in section
    code = "\n".join(code_cells("03_outcomes_vs_predictions"))
    assert 'between("2024-09-01", "2025-09-30")' in code
