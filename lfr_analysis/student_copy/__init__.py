"""Student copies of a teaching notebook: solutions out, answer cells in, and a handout.

Exercise solutions live in the same notebook as the exercises, in cells tagged
``solution`` (one source of truth). :func:`student_copy` returns a copy of a notebook with
each solution cell replaced by a place to answer and every output cleared: the exercise's
scaffold cell (a code cell tagged ``scaffold`` just before the solution, with blanks
``___``) when there is one, else an empty answer cell.

``lfr-analysis student-copy NOTEBOOK [-o OUT] [--expect N]`` (:func:`main`) writes the copy
and, beside it, a printable handout and a separate answer key
(:mod:`lfr_analysis.student_copy.handout`): ``<name>_handout.html`` and
``<name>_answers.html``, and each as PDF where Chromium is installed. It warns about tags
that are almost ``solution`` (``Solution``, ``solutions``: such cells are *kept*), refuses
to write when ``--expect N`` does not match the count it would remove, never writes over
the teacher's notebook (compared by file identity, so a hard link, a symbolic link or a
case-insensitive file system cannot fool it), and writes every file atomically.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import nbformat

from lfr_analysis import files, paths
from lfr_analysis.student_copy import handout

__all__ = [
    "ANSWER_SOURCE",
    "ANSWER_TAG",
    "SCAFFOLD_TAG",
    "SOLUTION_TAG",
    "count_solution_cells",
    "default_student_path",
    "execute",
    "main",
    "near_solution_tags",
    "student_copy",
]

SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
SCAFFOLD_TAG = handout.SCAFFOLD_TAG
ANSWER_SOURCE = {"code": "# Your answer here\n", "markdown": "*Your answer here.*\n"}

# ------------------------------------------------------------------ student copies


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _answer_cell(cell):
    """An empty cell of the same type that takes the place of a solution cell."""
    source = ANSWER_SOURCE.get(cell["cell_type"], "")
    if cell["cell_type"] == "markdown":
        answer = nbformat.v4.new_markdown_cell(source)
    else:
        answer = nbformat.v4.new_code_cell(source)
    answer.metadata["tags"] = [ANSWER_TAG]
    if "id" in cell:
        answer["id"] = cell["id"]
    return answer


def _clean_cell(cell):
    cell = copy.deepcopy(cell)
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    for key in ("execution", "collapsed", "scrolled"):
        cell.get("metadata", {}).pop(key, None)
    return cell


def _is_scaffold(cell) -> bool:
    return cell["cell_type"] == "code" and SCAFFOLD_TAG in _tags(cell)


def student_copy(nb):
    """Return a copy of ``nb`` without solutions or outputs (``nb`` is left unchanged).

    Every cell tagged ``solution`` gives way to a place to answer, tagged ``answer``: a
    code solution right after a scaffold cell (tagged ``scaffold``) is removed and the
    scaffold, blanks and all, becomes the answer cell; any other solution cell becomes an
    empty cell of the same type. Every code cell loses its outputs and execution count;
    per-cell execution timings and the saved widget state are dropped.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A version-4 notebook, e.g. from ``nbformat.read(path, as_version=4)``.

    Returns
    -------
    nbformat.NotebookNode
        The student copy, valid against the notebook schema.

    Raises
    ------
    ValueError
        If ``nb`` is not a version-4 notebook.
    """
    if not isinstance(nb, Mapping) or nb.get("nbformat") != 4 or "cells" not in nb:
        raise ValueError("student_copy needs a version-4 notebook (nbformat.read(..., 4))")
    result = copy.deepcopy(nb)
    cells = []
    for cell in nb["cells"]:
        if SOLUTION_TAG not in _tags(cell):
            cells.append(_clean_cell(cell))
            continue
        previous = cells[-1] if cells else None
        if (
            cell["cell_type"] == "code"
            and previous is not None
            and _is_scaffold(previous)
            and ANSWER_TAG not in _tags(previous)
        ):
            previous.metadata["tags"] = [*_tags(previous), ANSWER_TAG]
        else:
            cells.append(_answer_cell(cell))
    result["cells"] = cells
    result.get("metadata", {}).pop("widgets", None)
    try:
        nbformat.validate(result)
    except nbformat.ValidationError as error:
        raise ValueError(f"the notebook is not valid: {error.message}") from None
    return result


def count_solution_cells(nb) -> int:
    """Return how many cells of ``nb`` carry the ``solution`` tag."""
    return sum(SOLUTION_TAG in _tags(cell) for cell in nb["cells"])


def _folded(tag: str) -> str:
    """A tag case-folded, letters only, a plural ``s`` taken off: ``Solutions`` -> ``solution``."""
    letters = re.sub(r"[\W\d_]+", "", str(tag).casefold())
    return letters[:-1] if letters.endswith("s") else letters


def near_solution_tags(nb) -> list[tuple[int, str]]:
    """Tags that are almost, but not exactly, ``solution``: (cell number from 1, tag).

    A tag counts when, case-folded, stripped to its letters and without a plural ``s``, it
    reads ``solution`` (``Solution``, ``solutions``, ``SOLUTION``, ``solution-1``). Those
    cells are not removed from a student copy, which is why :func:`main` warns about them.
    """
    found = []
    for number, cell in enumerate(nb["cells"], start=1):
        for tag in _tags(cell):
            if tag != SOLUTION_TAG and _folded(tag) == SOLUTION_TAG:
                found.append((number, tag))
    return found


def _read_notebook(path: Path):
    if path.is_dir():
        raise ValueError(f"{path}: is a folder; give the teacher's notebook file (.ipynb)")
    if not path.is_file():
        raise ValueError(f"{path}: no such notebook")
    try:
        nb = nbformat.read(path, as_version=4)
    except nbformat.ValidationError as error:
        raise ValueError(f"{path}: not a valid notebook ({error.message})") from None
    except (ValueError, UnicodeDecodeError, KeyError, AttributeError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f"{path}: not a readable notebook ({first_line})") from None
    return nb


def default_student_path(notebook: Path) -> Path:
    """Where ``lfr-analysis student-copy`` writes without ``-o``: ``build/student/<name>``."""
    return paths.build_dir() / "student" / Path(notebook).name


def execute(nb, folder: Path, *, timeout: int = 600):
    """Run a copy of ``nb`` on a fresh kernel (for the answer key's numbers); return it.

    The kernel starts in ``folder`` with ``LFR_STATIC_EXPLORER=1`` and its own temporary
    build folder, so running the notebook writes nothing into the user's build.
    """
    from nbclient import NotebookClient

    executed = copy.deepcopy(nb)
    with tempfile.TemporaryDirectory(prefix="lfr-answers-") as build:
        env = {**os.environ, "LFR_BUILD_DIR": build, "LFR_STATIC_EXPLORER": "1"}
        env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        client = NotebookClient(
            executed,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
            # the kernel talks to this process over loopback only: no transport warning
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            coalesce_streams=True,
        )
        client.execute(env=env)
    return executed


def _same_file(first: Path, second: Path) -> bool:
    """True when both name one file (by identity: inode and device, not by name)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _output_path(given: str | None, notebook: Path) -> tuple[Path, str | None]:
    """The file to write, and a note when ``-o`` named a folder (existing, or ending in /)."""
    if given is None:
        return default_student_path(notebook), None
    output = Path(given)
    if output.is_dir() or given.endswith(("/", os.sep)):
        target = output / notebook.name
        return target, f"{output} is a folder: writing the copy inside it, as {target}"
    return output, None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lfr-analysis student-copy",
        description=(
            "Write a copy of NOTEBOOK with every cell tagged 'solution' replaced by a place "
            "to answer and all outputs removed, and beside it a printable handout and a "
            "separate answer key (HTML, and PDF where Chromium is installed)."
        ),
    )
    parser.add_argument("notebook", type=Path, help="the teacher's notebook (.ipynb)")
    parser.add_argument(
        "-o",
        "--output",
        type=str,
        default=None,
        help="the copy's file, or a folder to write it in (default: build/student/<name>)",
    )
    parser.add_argument(
        "--expect",
        type=int,
        default=None,
        metavar="N",
        help="write nothing unless exactly N cells are tagged 'solution'",
    )
    parser.add_argument("--no-handout", action="store_true", help="write the student notebook only")
    parser.add_argument(
        "--no-run",
        action="store_true",
        help="do not run the notebook for the answer key's numbers (quicker; key without them)",
    )
    return parser


def _fail(message: str) -> int:
    print(f"lfr-analysis student-copy: {message}", file=sys.stderr)
    return 2


def main(argv: list[str]) -> int:
    """Command line: ``lfr-analysis student-copy NOTEBOOK [-o OUT] [--expect N]``."""
    args = _parser().parse_args(argv)
    notebook = args.notebook
    output, note = _output_path(args.output, notebook)
    try:
        nb = _read_notebook(notebook)
        copy_nb = student_copy(nb)
    except ValueError as error:
        return _fail(str(error))
    removed = count_solution_cells(nb)
    near = near_solution_tags(nb)
    for number, tag in near:
        print(
            f"warning: {notebook} cell {number} is tagged {tag!r}, not {SOLUTION_TAG!r}: it "
            f"is KEPT in the student copy. Rename the tag to {SOLUTION_TAG!r} if the cell "
            "holds an answer.",
            file=sys.stderr,
        )
    if args.expect is not None and removed != args.expect:
        hint = f" (and {len(near)} cell(s) with a tag like it, see the warnings)" if near else ""
        return _fail(
            f"{notebook}: expected {args.expect} cell(s) tagged {SOLUTION_TAG!r}, found "
            f"{removed}{hint}; nothing written. Fix the tags, or give --expect {removed} "
            "if that count is right."
        )
    stem = output.stem
    targets = [output]
    if not args.no_handout:
        targets += [output.parent / name for name in handout.handout_names(stem).values()]
    for target in targets:
        if _same_file(target, notebook):
            return _fail(f"{target}: refusing to overwrite the teacher's notebook {notebook}")
        if target.is_dir():
            return _fail(f"{target} is a folder; give a file name or another folder with -o")
    if note:
        print(note)
    text = nbformat.writes(copy_nb)
    try:
        files.write_text(output, text if text.endswith("\n") else text + "\n")
    except OSError as error:
        return _fail(
            f"cannot write {output} ({error.strerror or error}); choose a folder you can "
            "write to with -o"
        )
    print(f"wrote {output} ({removed} solution cell(s) removed, outputs cleared)")
    if removed == 0:
        print(f"note: {notebook} has no cells tagged '{SOLUTION_TAG}'", file=sys.stderr)
    if not args.no_handout:
        return _write_handouts(nb, notebook, output, run=not args.no_run)
    return 0


def _write_handouts(nb, notebook: Path, output: Path, *, run: bool) -> int:
    try:
        handout.exercises(nb)
    except ValueError as error:
        print(f"note: no handout written: {error}", file=sys.stderr)
        return 0
    source = nb
    if run and not handout._executed(nb):
        print(f"running {notebook.name} on a fresh kernel for the answer key's numbers ...")
        try:
            source = execute(nb, notebook.resolve().parent)
        except Exception as error:  # the key is still useful without numbers
            first = (str(error).strip().splitlines() or [type(error).__name__])[-1]
            print(
                f"warning: {notebook} did not run ({first}); the answer key shows the "
                "solutions without their numbers",
                file=sys.stderr,
            )
    try:
        written = handout.write_handouts(source, output.parent, output.stem)
    except (OSError, RuntimeError, ValueError) as error:
        return _fail(f"the handout was not written: {error}")
    for path in written.values():
        print(f"wrote {path}")
    if "handout_pdf" not in written:
        print("note: no Chromium found, so no PDF (print the HTML pages from a browser)")
    return 0
