"""Tests of lfr_analysis.teaching: student copies (function and command) and the explorer."""

from __future__ import annotations

import ast
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

from lfr_analysis import cli, paths, plotting, student_copy, teaching  # noqa: E402

TEACHING_NOTEBOOK = paths.project_root() / "notebooks" / "06_teaching_base_rates.ipynb"


def _teacher_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    intro = nbformat.v4.new_markdown_cell("# Exercise 1\nCompute the answer.")
    question = nbformat.v4.new_code_cell("x = 2")
    question.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    question.execution_count = 3
    question.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    solution = nbformat.v4.new_code_cell("answer = x * 21\nanswer")
    solution.metadata["tags"] = ["solution"]
    solution.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=4)
    ]
    solution.execution_count = 4
    explained = nbformat.v4.new_markdown_cell("The answer is 42 because 2 * 21 = 42.")
    explained.metadata["tags"] = ["solution", "other-tag"]
    nb.cells = [intro, question, solution, explained]
    return nb


def test_student_copy_removes_solutions_and_outputs():
    teacher = _teacher_notebook()
    student = student_copy.student_copy(teacher)
    nbformat.validate(student)
    sources = [cell.source for cell in student.cells]
    assert sources == [
        "# Exercise 1\nCompute the answer.",
        "x = 2",
        student_copy.ANSWER_SOURCE["code"],
        student_copy.ANSWER_SOURCE["markdown"],
    ]
    assert [cell.cell_type for cell in student.cells] == ["markdown", "code", "code", "markdown"]
    assert not any("42" in source for source in sources)
    assert all(
        student_copy.SOLUTION_TAG not in cell.metadata.get("tags", []) for cell in student.cells
    )
    assert [cell.metadata.get("tags") for cell in student.cells[2:]] == [["answer"], ["answer"]]
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
        assert "execution" not in cell.metadata
    assert "widgets" not in student.metadata
    assert student.metadata["kernelspec"]["name"] == "python3"


def test_student_copy_leaves_the_teacher_notebook_alone():
    teacher = _teacher_notebook()
    before = nbformat.writes(teacher)
    student_copy.student_copy(teacher)
    assert nbformat.writes(teacher) == before
    assert student_copy.count_solution_cells(teacher) == 2


def test_student_copy_rejects_non_notebooks():
    with pytest.raises(ValueError, match="version-4 notebook"):
        student_copy.student_copy({"cells": []})
    with pytest.raises(ValueError, match="version-4 notebook"):
        student_copy.student_copy("notebook.ipynb")


def test_command_writes_student_copy(tmp_path, capsys):
    source = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), source)
    output = tmp_path / "out" / "lesson_student.ipynb"
    assert cli.main(["student-copy", str(source), "-o", str(output)]) == 0
    written = nbformat.read(output, as_version=4)
    assert student_copy.count_solution_cells(written) == 0
    shown = [c.source for c in written.cells] + [c.get("outputs", []) for c in written.cells]
    assert "42" not in repr(shown), "the solution's value survives"  # cell ids are random
    assert "2 solution cell(s) removed" in capsys.readouterr().out
    # the teacher's file is unchanged
    assert student_copy.count_solution_cells(nbformat.read(source, as_version=4)) == 2


def test_command_default_output_under_build(tmp_path, monkeypatch):
    monkeypatch.setenv("LFR_BUILD_DIR", str(tmp_path / "build"))
    source = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), source)
    assert student_copy.main([str(source)]) == 0
    assert (tmp_path / "build" / "student" / "lesson.ipynb").is_file()


def test_command_errors_name_the_file(tmp_path, capsys):
    missing = tmp_path / "nowhere.ipynb"
    assert student_copy.main([str(missing)]) == 2
    assert f"{missing}: no such notebook" in capsys.readouterr().err
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ this is not json", encoding="utf-8")
    assert student_copy.main([str(broken), "-o", str(tmp_path / "x.ipynb")]) == 2
    assert f"{broken}: not a readable notebook" in capsys.readouterr().err
    teacher = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), teacher)
    assert student_copy.main([str(teacher), "-o", str(teacher)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert student_copy.count_solution_cells(nbformat.read(teacher, as_version=4)) == 2


def test_command_notes_a_notebook_without_solutions(tmp_path, capsys):
    source = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), source)
    assert student_copy.main([str(source), "-o", str(tmp_path / "s.ipynb")]) == 0
    assert "has no cells tagged 'solution'" in capsys.readouterr().err


def test_teaching_notebook_has_four_to_six_solution_cells_and_copies_cleanly():
    teacher = nbformat.read(TEACHING_NOTEBOOK, as_version=4)
    solutions = student_copy.count_solution_cells(teacher)
    assert 4 <= solutions <= 6
    student = student_copy.student_copy(teacher)
    assert student_copy.count_solution_cells(student) == 0
    answers = [cell for cell in student.cells if "answer" in cell.metadata.get("tags", [])]
    assert len(answers) == solutions


# ------------------------------------------------------------------------ explorer
SETTINGS = {"threshold 0.60": 1.7e-8, "threshold 0.64": 2e-10}


def test_explorer_figure_draws_two_panels():
    fig = plotting.plot_explorer(
        faces_seen=20_000,
        prevalence=1e-4,
        watchlist_size=16_000,
        false_match_rate=1.7e-8,
        tpir=0.89,
        label="threshold 0.60",
    )
    left, right = fig
    heights = [patch.get_height() for patch in left.patches]
    # expected true alerts 20,000 * 1e-4 * 0.89 = 1.78; false about 19,998 * 16,000 * 1.7e-8
    assert heights[0] == pytest.approx(1.78)
    assert heights[1] == pytest.approx(19_998 * (1 - (1 - 1.7e-8) ** 16_000), rel=1e-6)
    assert "share true" in right.get_title()
    plt.close(left.figure)


def test_overview_figure_has_a_curve_per_setting_and_size():
    fig = plotting.plot_explorer_overview(
        SETTINGS, watchlist_sizes=[1_000, 16_000], faces_seen=20_000, tpir=0.89, prevalence=1e-4
    )
    left, right = fig
    assert len(left.get_legend().get_texts()) == 4
    assert len(right.get_lines()) == 2
    plt.close(left.figure)
    with pytest.raises(ValueError, match="settings is empty"):
        plotting.plot_explorer_overview({}, watchlist_sizes=[1], faces_seen=1, tpir=0.9)


def test_static_only_when_asked_or_without_ipywidgets(monkeypatch):
    arguments = {"faces_seen": 20_000, "prevalence": 1e-4, "watchlist_size": 16_000, "tpir": 0.89}
    monkeypatch.setenv(teaching.STATIC_ENV, "1")
    assert teaching.widgets_available() is False
    assert teaching.show_explorer(SETTINGS, **arguments) is False
    monkeypatch.delenv(teaching.STATIC_ENV)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import now fails
    assert teaching.widgets_available() is False
    assert teaching.show_explorer(SETTINGS, **arguments) is False


def test_widgets_display_with_a_readable_fallback(monkeypatch):
    pytest.importorskip("ipywidgets")
    shown = []
    monkeypatch.delenv(teaching.STATIC_ENV, raising=False)
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: shown.append(args))
    arguments = {"faces_seen": 20_000, "prevalence": 1e-4, "watchlist_size": 16_000, "tpir": 0.89}
    assert teaching.show_explorer(SETTINGS, **arguments) is True
    bundles = [args[0] for args in shown if isinstance(args[0], dict)]
    assert bundles and bundles[-1]["text/plain"] == teaching.WIDGET_FALLBACK_TEXT
    assert "application/vnd.jupyter.widget-view+json" in bundles[-1]
    plt.close("all")


def _names(source: str) -> tuple[set[str], set[str]]:
    """Names a cell assigns and names it reads (notebook magics are not used here)."""
    stored, loaded = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
    return stored, loaded


def test_teaching_notebook_runs_without_its_solutions():
    # The student copy must still run top to bottom: no cell outside the solutions may read
    # a name that only a solution cell defines.
    teacher = nbformat.read(TEACHING_NOTEBOOK, as_version=4)
    defined_elsewhere, defined_in_solutions, used_outside = set(), set(), set()
    for cell in teacher.cells:
        if cell.cell_type != "code":
            continue
        stored, loaded = _names(cell.source)
        if student_copy.SOLUTION_TAG in cell.metadata.get("tags", []):
            defined_in_solutions |= stored
        else:
            defined_elsewhere |= stored
            used_outside |= loaded
    only_in_solutions = defined_in_solutions - defined_elsewhere
    assert not (only_in_solutions & used_outside)


class _Kernel:
    def __init__(self, allow_stdin):
        self._allow_stdin = allow_stdin


class _Shell:
    def __init__(self, allow_stdin):
        self.kernel = _Kernel(allow_stdin)


def test_batch_runs_get_the_static_figure_only(monkeypatch):
    import IPython

    monkeypatch.delenv(teaching.STATIC_ENV, raising=False)
    arguments = {"faces_seen": 20_000, "prevalence": 1e-4, "watchlist_size": 16_000, "tpir": 0.89}
    monkeypatch.setattr(IPython, "get_ipython", lambda: _Shell(allow_stdin=False))
    assert teaching.batch_execution() is True
    assert teaching.widgets_available() is False
    assert teaching.show_explorer(SETTINGS, **arguments) is False
    monkeypatch.setattr(IPython, "get_ipython", lambda: _Shell(allow_stdin=True))
    assert teaching.batch_execution() is False
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)  # plain Python, no kernel
    assert teaching.batch_execution() is False
