"""Student copies of a teaching notebook: solutions out, answer cells in.

Exercise solutions live in the same notebook as the exercises, in cells tagged
``solution`` (one source of truth). :func:`student_copy` returns a copy of a notebook with
each solution cell replaced by an empty answer cell and every output cleared;
``lfr-analysis student-copy NOTEBOOK [-o OUT]`` (:func:`main`) writes it to disk.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Mapping
from pathlib import Path

import nbformat

from lfr_analysis import paths

__all__ = [
    "ANSWER_SOURCE",
    "ANSWER_TAG",
    "SOLUTION_TAG",
    "count_solution_cells",
    "default_student_path",
    "main",
    "student_copy",
]

SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
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


def student_copy(nb):
    """Return a copy of ``nb`` without solutions or outputs (``nb`` is left unchanged).

    Every cell tagged ``solution`` becomes an empty cell of the same type tagged ``answer``
    (so students have a place to write); every code cell loses its outputs and execution
    count; per-cell execution timings and the saved widget state are dropped.

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
        if SOLUTION_TAG in _tags(cell):
            cells.append(_answer_cell(cell))
        else:
            cells.append(_clean_cell(cell))
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


def _read_notebook(path: Path):
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


def main(argv: list[str]) -> int:
    """Command line: ``lfr-analysis student-copy NOTEBOOK [-o OUT]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="lfr-analysis student-copy",
        description=(
            "Write a copy of NOTEBOOK with every cell tagged 'solution' replaced by an empty "
            "answer cell and all outputs removed."
        ),
    )
    parser.add_argument("notebook", type=Path, help="the teacher's notebook (.ipynb)")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="where to write the copy (default: build/student/<notebook name>)",
    )
    args = parser.parse_args(argv)
    output = args.output if args.output is not None else default_student_path(args.notebook)
    try:
        if output.resolve() == args.notebook.resolve():
            raise ValueError(f"{output}: refusing to overwrite the teacher's notebook")
        nb = _read_notebook(args.notebook)
        copy_nb = student_copy(nb)
    except ValueError as error:
        print(f"lfr-analysis student-copy: {error}", file=sys.stderr)
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(copy_nb, output)
    removed = count_solution_cells(nb)
    print(f"wrote {output} ({removed} solution cell(s) removed, outputs cleared)")
    if removed == 0:
        print(f"note: {args.notebook} has no cells tagged '{SOLUTION_TAG}'", file=sys.stderr)
    return 0
