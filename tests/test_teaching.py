"""Tests of lfr_analysis.teaching and lfr_analysis.student_copy: student copies (function
and command), the handout and answer key, exercise blanks, and the explorer.

The explorer's browser test (JupyterLab in Chromium) is tests/browser/.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

from lfr_analysis import cli, paths, plotting, student_copy, teaching  # noqa: E402
from lfr_analysis.student_copy import handout  # noqa: E402

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


# ------------------------------------------------------------- explorer robustness
START = {"faces_seen": 11_080, "prevalence": 1 / 1178, "watchlist_size": 16_000, "tpir": 0.89}


def test_explorer_options_hold_the_starting_values_exactly():
    options = teaching.explorer_options(**START)
    for name, value in START.items():
        values = [v for _, v in options[name]]
        assert value in values, f"{name}: {value} is not an option, the front end would snap it"
        assert values == sorted(values), f"{name}: options out of order"
        labels = [label for label, _ in options[name]]
        assert len(set(labels)) == len(labels), f"{name}: two options share a label"
    assert ("1 in 1,178", 1 / 1178) in options["prevalence"]
    assert ("11,080", 11_080) in options["faces_seen"]
    # a value on the grid is not added twice
    on_grid = teaching.explorer_options(**{**START, "faces_seen": 11_000, "tpir": 0.9})
    assert [v for _, v in on_grid["faces_seen"]].count(11_000) == 1
    assert len(on_grid["tpir"]) == 51
    with pytest.raises(ValueError, match="tpir: the explorer's slider runs from 0.5 to 1"):
        teaching.explorer_options(**{**START, "tpir": 0.3})


def _mathtext_calls(monkeypatch):
    import matplotlib.mathtext as mathtext

    calls = []
    original = mathtext.MathTextParser.parse

    def spy(self, text, *args, **kwargs):
        calls.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(mathtext.MathTextParser, "parse", spy)
    return calls


def test_explorer_charts_use_no_mathtext_and_print_dollars(monkeypatch):
    calls = _mathtext_calls(monkeypatch)
    plotting.use_style()
    png = teaching.explorer_png(1.7e-8, label="cost $5 and $6", **START)
    axes = plotting.plot_explorer_overview(
        {"a $x$ setting": 1.7e-8, "b": 2e-10}, watchlist_sizes=[1_000, 16_000],
        faces_seen=11_080, tpir=0.89, prevalence=1e-4,
    )  # fmt: skip
    axes[0].figure.canvas.draw()
    assert png.startswith(b"\x89PNG")
    assert calls == [], f"mathtext parsed {calls[:3]}"
    labels = [t.get_text() for t in axes[0].get_xticklabels()]
    assert "1 in\n1,000,000" in labels and "1 in\n100" in labels
    assert axes[0].get_legend().get_texts()[0].get_text() == r"a \$x\$ setting, W=1,000"
    plt.close("all")


def test_explorer_png_never_touches_pyplot():
    plt.close("all")
    teaching.explorer_png(2e-10, **START)
    assert plt.get_fignums() == [], "the explorer left a pyplot figure for the backend to show"


def test_explorer_draws_once_then_only_on_change():
    pytest.importorskip("ipywidgets")
    explorer = teaching.Explorer(SETTINGS, **START)
    assert explorer.draws == 1 and bytes(explorer.image.value).startswith(b"\x89PNG")
    assert explorer.status.value == (
        "Showing threshold 0.60: 11,080 faces seen, watchlist 16,000, prevalence 1 in 1,178, "
        "TPIR 89%."
    )
    assert explorer.redraw() is False and explorer.draws == 1  # nothing changed
    first = bytes(explorer.image.value)
    explorer.controls["prevalence"].value = 1e-4
    assert explorer.draws == 2 and bytes(explorer.image.value) != first
    assert "prevalence 1 in 10,000" in explorer.status.value
    explorer.controls["setting"].value = "threshold 0.64"
    assert explorer.draws == 3 and "Showing threshold 0.64" in explorer.status.value
    assert teaching.EXPLORER_CLASS in explorer.widget._dom_classes


def test_concurrent_redraws_are_serialised_and_end_on_the_last_values():
    pytest.importorskip("ipywidgets")
    explorer = teaching.Explorer(SETTINGS, **START)
    errors, prevalences = [], [v for _, v in explorer.controls["prevalence"].options][:6]

    def move(value):
        try:
            explorer.controls["prevalence"].value = value
            explorer.redraw()
        except Exception as error:  # pragma: no cover - the failure being tested for
            errors.append(error)

    threads = [threading.Thread(target=move, args=(value,)) for value in prevalences]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert "Could not draw" not in explorer.status.value
    final = explorer.controls["prevalence"].value
    assert explorer.redraw() is False, "the last value set was not the last value drawn"
    assert f"prevalence 1 in {1 / final:,.0f}," in explorer.status.value


def test_a_failed_draw_is_shown_in_words(monkeypatch):
    pytest.importorskip("ipywidgets")
    explorer = teaching.Explorer(SETTINGS, **START)

    def broken(*args, **kwargs):
        raise ValueError("Expected end of text, found '$'")

    monkeypatch.setattr(teaching, "explorer_png", broken)
    explorer.controls["tpir"].value = 0.9
    assert explorer.status.value.startswith("<b>Could not draw this setting</b>")
    assert "Expected end of text, found &#x27;$&#x27;" in explorer.status.value


# ------------------------------------------------------------------ exercise blanks


def test_blanks_are_found_as_names_only():
    assert teaching.has_blank("x = totals[___]")
    assert teaching.has_blank('print(f"{n * ___:.2f}")')
    assert not teaching.has_blank("a___b = 1") and not teaching.has_blank("__init__")


def test_a_cell_with_blanks_reminds_instead_of_failing():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert teaching.enable_blanks() == teaching.BLANK
        teaching.enable_blanks()  # twice registers once
        names = [getattr(t, "__name__", "") for t in shell.input_transformers_post]
        assert names.count("_remind_of_blanks") == 1
        result = shell.run_cell("value = 1 / ___", store_history=False)
        assert result.success and "value" not in shell.user_ns
        result = shell.run_cell("value = 1 / 4", store_history=False)
        assert result.success and shell.user_ns["value"] == 0.25
    finally:
        InteractiveShell.clear_instance()


# ---------------------------------------------------------- notebook 06's exercises


def _teacher_06():
    return nbformat.read(TEACHING_NOTEBOOK, as_version=4)


def test_every_exercise_names_the_functions_its_solution_needs():
    # Exercises 3-5 once needed functions that appeared only in the hidden solutions.
    nb = _teacher_06()
    _, exercises = handout.exercises(nb)
    assert len(exercises) == 5
    shown = "\n".join(
        c.source
        for c in nb.cells
        if c.cell_type == "code" and "solution" not in c.metadata.get("tags", [])
    )
    for exercise in exercises:
        question = "\n".join(c.source for c in exercise.question)
        assert "You need" in question, exercise.title
        assert exercise.scaffold and all(teaching.has_blank(c.source) for c in exercise.scaffold)
        solution = "\n".join(c.source for c in exercise.solution)
        for call in set(re.findall(r"\b(?:baserates|rates|simulate|np)\.\w+(?=\()", solution)):
            assert call in question or call in shown, f"{exercise.title}: {call} is never shown"


def test_exercises_climb_a_ladder():
    _, exercises = handout.exercises(_teacher_06())
    rungs = [re.search(r"\((.*?)\)", e.title).group(1) for e in exercises]
    assert rungs == [
        "reading numbers",
        "using a function",
        "changing an assumption",
        "working backwards",
        "running a simulation",
    ]


def test_notebook_06_follows_the_notebook_rules():
    nb = _teacher_06()
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = "\n".join(c.source for c in code)
    assert (
        setup.count("notebook.setup(") == 1 and "rng = notebook.setup(seed=notebook.SEED)" in setup
    )
    lengths = sorted(len(c.source.splitlines()) for c in code)
    assert lengths[(len(lengths) - 1) // 2] <= 6, f"median code lines {lengths}"
    for cell in code:
        for found in re.finditer(r"\[\[?((?:\s*\"[^\"]+\",?){6,})\]\]?", cell.source):
            pytest.fail(f"a selection of more than five columns: {found.group(0)[:80]}")
        for line in cell.source.splitlines():
            if line.strip().startswith("assert "):
                assert re.search(r"\),? \(?$|, [\"f(]", line) or line.rstrip().endswith("("), line
    assert nb.cells[-1].source.startswith("notebook.sources_and_versions(")


# ----------------------------------------------------------- student-copy command


def _exercise_notebook():
    nb = _teacher_notebook()
    nb.cells[0].source = "# Lesson\n\nWords and numbers."
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("## Exercises\n\nWork in pairs."))
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("### Exercise 1: double\n\nYou need `x`."))
    scaffold = nbformat.v4.new_code_cell("answer = x * ___")
    scaffold.metadata["tags"] = ["scaffold"]
    nb.cells.insert(4, scaffold)
    return nb


def test_a_scaffold_becomes_the_answer_cell():
    student = student_copy.student_copy(_exercise_notebook())
    sources = [c.source for c in student.cells]
    assert "answer = x * ___" in sources and "answer = x * 21\nanswer" not in sources
    scaffold = next(c for c in student.cells if c.source == "answer = x * ___")
    assert scaffold.metadata["tags"] == ["scaffold", "answer"]
    answers = [c for c in student.cells if "answer" in c.metadata.get("tags", [])]
    assert len(answers) == student_copy.count_solution_cells(_exercise_notebook()) == 2


def test_near_solution_tags_are_warned_about(tmp_path, capsys):
    nb = _teacher_notebook()
    for tag, cell in zip(["Solution", "solutions", "SOLUTION-1"], nb.cells, strict=False):
        cell.metadata["tags"] = [*cell.metadata.get("tags", []), tag]
    assert student_copy.near_solution_tags(nb) == [
        (1, "Solution"),
        (2, "solutions"),
        (3, "SOLUTION-1"),
    ]
    source = tmp_path / "lesson.ipynb"
    nbformat.write(nb, source)
    assert student_copy.main([str(source), "-o", str(tmp_path / "s.ipynb")]) == 0
    err = capsys.readouterr().err
    assert "cell 1 is tagged 'Solution', not 'solution': it is KEPT" in err
    assert "cell 2 is tagged 'solutions'" in err and "cell 3 is tagged 'SOLUTION-1'" in err
    assert not student_copy.near_solution_tags(nbformat.v4.new_notebook())


def test_expect_refuses_a_wrong_count_and_writes_nothing(tmp_path, capsys):
    nb = _teacher_notebook()
    nb.cells[2].metadata["tags"] = ["Solution"]  # one of the two is misspelt
    source = tmp_path / "lesson.ipynb"
    nbformat.write(nb, source)
    output = tmp_path / "out" / "s.ipynb"
    assert student_copy.main([str(source), "-o", str(output), "--expect", "2"]) == 2
    err = capsys.readouterr().err
    assert "expected 2 cell(s) tagged 'solution', found 1" in err and "nothing written" in err
    assert not output.exists() and not output.parent.exists()
    assert student_copy.main([str(source), "-o", str(output), "--expect", "1"]) == 0


def test_a_hard_link_to_the_teacher_notebook_is_refused(tmp_path, capsys):
    teacher = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), teacher)
    before = teacher.read_bytes()
    link = tmp_path / "copy.ipynb"
    os.link(teacher, link)
    assert student_copy.main([str(teacher), "-o", str(link)]) == 2
    assert "refusing to overwrite the teacher's notebook" in capsys.readouterr().err
    symlink = tmp_path / "other.ipynb"
    symlink.symlink_to(teacher)
    assert student_copy.main([str(teacher), "-o", str(symlink)]) == 2
    assert teacher.read_bytes() == before and link.read_bytes() == before


def test_identity_not_name_decides(tmp_path, monkeypatch, capsys):
    # a case-insensitive file system: another spelling names the same file
    teacher = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), teacher)
    other = tmp_path / "LESSON.ipynb"
    monkeypatch.setattr(
        os.path,
        "samefile",
        lambda a, b: {Path(a).name.lower(), Path(b).name.lower()} == {"lesson.ipynb"},
    )
    other.write_text("not really another file", encoding="utf-8")
    assert student_copy.main([str(teacher), "-o", str(other)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err


def test_output_folder_and_unwritable_place_say_what_to_do(tmp_path, capsys):
    teacher = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), teacher)
    folder = tmp_path / "handouts"
    folder.mkdir()
    assert student_copy.main([str(teacher), "-o", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"{folder} is a folder: writing the copy inside it" in out
    assert (folder / "lesson.ipynb").is_file()
    assert student_copy.main([str(tmp_path), "-o", str(folder)]) == 2
    assert "is a folder; give the teacher's notebook file" in capsys.readouterr().err
    blocked = tmp_path / "file.txt"
    blocked.write_text("x", encoding="utf-8")
    assert student_copy.main([str(teacher), "-o", str(blocked / "s.ipynb")]) == 2
    err = capsys.readouterr().err
    assert (
        f"cannot write {blocked / 's.ipynb'}" in err and "choose a folder you can write to" in err
    )
    assert "Traceback" not in err


def test_the_copy_is_written_atomically(tmp_path, monkeypatch):
    teacher = tmp_path / "lesson.ipynb"
    nbformat.write(_teacher_notebook(), teacher)
    written = []
    original = student_copy.files.write_text
    monkeypatch.setattr(
        student_copy.files, "write_text", lambda p, t: written.append(p) or original(p, t)
    )
    assert student_copy.main([str(teacher), "-o", str(tmp_path / "s.ipynb"), "--no-handout"]) == 0
    assert written == [tmp_path / "s.ipynb"]


# -------------------------------------------------------------- handout and key


def test_handout_has_exercises_and_space_but_no_solutions(tmp_path):
    nb = _teacher_06()
    page = handout.handout_html(nb)
    key = handout.handout_html(nb, answers=True)
    assert page.count("class='answer-space'") == 5 and "Solution" not in page
    assert "Words used in this session" in page and "Name</span>" in page
    assert '<span class="blank">___</span>' in page or "<span class='blank'>___</span>" in page
    for exercise in handout.exercises(nb)[1]:
        given = "\n".join(c.source for c in exercise.question + exercise.scaffold)
        own = [line for line in exercise.solution[0].source.splitlines() if line not in given]
        assert own, exercise.title
        for line in own:
            assert html_escape(line) not in page, f"a solution leaks: {line}"
            assert html_escape(line) in key
    assert key.count("class='solution'") == 5 and "answer-space" not in key.split("</style>")[1]
    assert "was not executed" in key


def html_escape(text):
    import html

    return html.escape(text)


def test_handouts_are_written_beside_the_copy(tmp_path, monkeypatch):
    monkeypatch.setenv("LFR_CHROMIUM", str(tmp_path / "no-chromium"))
    written = handout.write_handouts(_teacher_06(), tmp_path, "06_x", pdf=True)
    assert sorted(written) == ["answers_html", "handout_html"]
    assert written["handout_html"] == tmp_path / "06_x_handout.html"
    assert written["answers_html"] == tmp_path / "06_x_answers.html"
    assert handout.handout_names("06_x")["handout_pdf"] == "06_x_handout.pdf"


def test_handout_pdf_through_chromium(tmp_path):
    if handout.find_chromium() is None:
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("CI must have Chromium for the handout's PDF", pytrace=False)
        pytest.skip("no Chromium here (Debian: apt-get install -y chromium)")
    written = handout.write_handouts(_teacher_06(), tmp_path, "06_x")
    for key in ("handout_pdf", "answers_pdf"):
        data = written[key].read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    pages = written["handout_pdf"].read_bytes().count(b"/Type /Page\n") or None
    assert pages is None or pages >= 5


@pytest.mark.slow
def test_command_on_notebook_06_writes_copy_handout_and_a_key_with_numbers(tmp_path, capsys):
    output = tmp_path / "student" / TEACHING_NOTEBOOK.name
    assert student_copy.main([str(TEACHING_NOTEBOOK), "-o", str(output), "--expect", "5"]) == 0
    out = capsys.readouterr().out
    assert "5 solution cell(s) removed" in out
    key = (output.parent / f"{output.stem}_answers.html").read_text(encoding="utf-8")
    page = (output.parent / f"{output.stem}_handout.html").read_text(encoding="utf-8")
    assert "class='output'" in key and "Traceback" not in key and "was not executed" not in key
    assert "simulated chance of at least one false alert" in key
    assert "Numbers from the notebook" in page and "Implied prevalence: 1 in" in page
    student = nbformat.read(output, as_version=4)
    assert student_copy.count_solution_cells(student) == 0
