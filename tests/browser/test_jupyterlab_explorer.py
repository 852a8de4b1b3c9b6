"""The student copy of notebook 06 in a real browser: JupyterLab in headless Chromium.

A teacher's check before class (docs/teaching.md), done five times over: open the student
copy, choose Kernel > Restart Kernel and Run All Cells, and look at the page. Every run
must end with no error output in any cell or widget area, the explorer's figure shown
once, and the explorer starting on the notebook's own numbers (no redraw arriving after
the run, which is how off-grid starting values failed). Then one slider is moved, as a
student would, and the figure must follow.

Skipped, with the reason, where Chromium or playwright is missing; under ``CI=true`` a
missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import re

import pytest
from lab_driver import (
    chromium,
    chromium_missing_reason,
    jupyterlab,
    move_slider,
    open_notebook,
    restart_and_run_all,
)

from lfr_analysis import paths, student_copy

RUNS = 5
TEACHER = paths.project_root() / "notebooks" / "06_teaching_base_rates.ipynb"

pytestmark = pytest.mark.slow


def _require_browser() -> None:
    reason = chromium_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI must run the browser test, but {reason}", pytrace=False)
    pytest.skip(reason)


def _printed(page, pattern: str) -> str:
    """The first match of ``pattern`` (one group) in the notebook's printed outputs."""
    text = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    found = re.search(pattern, text)
    assert found, f"no output of the notebook matches {pattern!r}"
    return found.group(1)


def test_student_copy_restart_and_run_all_five_times(tmp_path, capsys):
    _require_browser()
    name = TEACHER.name
    assert student_copy.main([str(TEACHER), "-o", str(tmp_path / name)]) == 0
    capsys.readouterr()
    env = {"LFR_BUILD_DIR": str(tmp_path / "build")}
    with jupyterlab(tmp_path, env=env) as lab, chromium() as page:
        open_notebook(page, lab, name)
        statuses = []
        for run in range(1, RUNS + 1):
            result = restart_and_run_all(page)
            assert not result.widget_errors, f"run {run}: error in a widget: {result.widget_errors}"
            assert not result.cell_errors, f"run {run}: error in a cell: {result.cell_errors}"
            assert result.widget_images == 1, f"run {run}: {result.widget_images} explorer images"
            assert not result.redrawn_while_settling, f"run {run}: a late redraw arrived"
            statuses.append(result.explorer_status)
        faces = _printed(page, r"Median faces seen per deployment at 0\.64: ([\d,]+)")
        prevalence = _printed(page, r"Implied prevalence: (1 in [\d,]+) faces")
        assert f"{faces} faces seen" in statuses[0], statuses[0]
        assert f"prevalence {prevalence}," in statuses[0], statuses[0]
        assert len(set(statuses)) == 1, f"the explorer started differently: {statuses}"

        moved = move_slider(page, "prevalence")
        assert moved.startswith("Showing ") and f"prevalence {prevalence}," not in moved, moved
        errors = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, errors.all_inner_texts()
