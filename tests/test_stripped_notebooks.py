"""Notebooks are committed without outputs: nbstripout leaves their committed copies as they are.

The check reads each notebook's copy in Git's index (see ``tests/committed.py``), not the
working file, so a notebook run and saved in JupyterLab passes until it is staged with its
outputs.
"""

import subprocess
import sys

import pytest
from committed import committed_text

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

NOTEBOOKS = find_notebooks(paths.notebooks_dir())


def strip(text: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "nbstripout"], input=text, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_copy_is_stripped(notebook):
    text = committed_text(notebook)
    assert strip(text) == text, (
        f"{notebook.name} is staged with outputs or metadata; run 'make format' (or "
        f".venv/bin/nbstripout notebooks/{notebook.name}) and 'git add' it again"
    )


def test_an_unsaved_run_in_the_working_copy_is_not_what_is_checked(tmp_path):
    """A notebook with outputs fails the check; the committed copy is what is compared."""
    notebook = NOTEBOOKS[0]
    with_outputs = committed_text(notebook).replace(
        '"outputs": []', '"outputs": [{"name": "stdout", "output_type": "stream", "text": "1"}]', 1
    )
    assert strip(with_outputs) != with_outputs
    copy = tmp_path / notebook.name
    copy.write_text(with_outputs, encoding="utf-8")
    assert committed_text(copy) == with_outputs, "an untracked file is read as it is on disk"
