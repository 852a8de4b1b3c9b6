"""Notebooks that draw only through the package's charts; notebook 03's verdict rules (issue 13).

Read from the committed source (no execution here; ``make test`` runs every notebook). The
frame every notebook keeps (one setup call, short cells, no long selection lists, assertions
with messages) is checked in ``test_notebook_frame.py``. Here: the notebooks listed draw their
charts only through ``lfr_analysis.plotting`` (no hand-drawn ``set_title``, ``subplots``,
``hist`` ...; titles and labels through ``plotting.decorate``), and each verdict of notebook 03
names its tipping point and takes its evidence from the window of the figure it qualifies.
Every analysis notebook that draws a chart is listed, 05 and 06 included (their ledger,
replay and settings charts are in the package).
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from lfr_analysis import data, paths

CHARTS_THROUGH_THE_PACKAGE = [
    "01_deployments",
    "02_false_alert_rates",
    "03_outcomes_vs_predictions",
    "04_arrests_by_offence",
    "05_reproducing_published_figures",
    "06_teaching_base_rates",
    "07_where_lfr_goes",
]
HAND_DRAWN = {"set_title", "set_xlabel", "set_ylabel", "subplots", "hist", "errorbar", "axvline"}


def code_cells(name: str) -> list[str]:
    notebook = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def markdown(name: str) -> str:
    notebook = nbformat.read(paths.notebooks_dir() / f"{name}.ipynb", as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


@pytest.mark.parametrize("name", CHARTS_THROUGH_THE_PACKAGE)
def test_no_hand_drawn_charts(name):
    for cell in code_cells(name):
        for node in ast.walk(ast.parse(cell)):
            if isinstance(node, ast.Attribute):
                assert node.attr not in HAND_DRAWN, f"{name}: .{node.attr} in\n{cell}"
        assert "matplotlib" not in cell, f"{name}: matplotlib imported in\n{cell}"


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
