"""The committed copy of a file: what ``git commit`` would record, not what is on disk.

Saving a notebook from JupyterLab writes its outputs into the working file; the tests that
say "no outputs are stored" read the copy in Git's index instead (``git show :PATH``), so
running a notebook interactively never breaks ``make test``. Only staging (``git add``) a
notebook with outputs does, and the message says how to strip it.
"""

import subprocess
from pathlib import Path

from lfr_analysis import paths


def committed_text(path: Path) -> str:
    """Return ``path``'s text as staged in the index (the working file when untracked).

    Outside a Git checkout, or for a file Git does not track yet, the working file is what
    would be committed, so that is returned.
    """
    path = Path(path)
    root = paths.project_root()
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.read_text(encoding="utf-8")
    try:
        result = subprocess.run(["git", "show", f":{relative}"], cwd=root, capture_output=True)
    except OSError:  # git is not installed
        return path.read_text(encoding="utf-8")
    if result.returncode != 0:
        return path.read_text(encoding="utf-8")
    return result.stdout.decode("utf-8")
