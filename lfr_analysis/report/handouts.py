"""Student copies in the report: the printable handout and the answer key of a teaching notebook.

:func:`write_student_copies` is called by each notebook's job once the notebook has run. For
a notebook with an ``Exercises`` section (:func:`lfr_analysis.student_copy.handout.exercises`)
it calls :func:`lfr_analysis.student_copy.handout.write_handouts` on the *executed* notebook
(so the numbers a student needs on paper are printed), writing into ``<build>/student/``:

* ``<stem>_handout.html`` and ``<stem>_answers.html``;
* where Chromium is installed, ``<stem>_handout.pdf`` and ``<stem>_answers.pdf``, printed by
  :func:`~lfr_analysis.student_copy.handout.print_to_pdf`.

Two things keep the build byte-identical and quick: each PDF is stored without the moment it
was printed (Chromium writes ``/CreationDate`` and ``/ModDate``; they are blanked, at the
same length, so every offset of the file stays right), and a PDF is kept in the report's
cache by the SHA-256 of the page it prints and of the Chromium that printed it, so a rebuild
with the same page takes it from there instead of starting Chromium again.
"""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lfr_analysis import files
from lfr_analysis.report import cache
from lfr_analysis.student_copy import handout

__all__ = ["STUDENT_FOLDER", "pdf_without_dates", "write_student_copies"]

#: The folder of the build that holds the student copies.
STUDENT_FOLDER = "student"

_PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate) ?\(D:[^)]*\)")


def pdf_without_dates(data: bytes) -> bytes:
    """``data`` (a PDF) with its creation and modification dates blanked, at the same length."""
    return _PDF_DATE.sub(lambda match: b" " * len(match.group(0)), data)


def _chromium_identity(chromium: Path) -> bytes:
    resolved = Path(chromium).resolve()
    status = resolved.stat()
    return f"{resolved}\0{status.st_size}\0{status.st_mtime_ns}".encode()


def _print(page: Path, target: Path, chromium: Path) -> Path:
    """Print ``page`` to ``target`` through the PDF cache (see the module docstring)."""
    key = hashlib.sha256(page.read_bytes() + b"\0" + _chromium_identity(chromium)).hexdigest()
    stored = cache.cache_dir() / "pdf" / f"{key}.pdf"
    try:
        data = stored.read_bytes()
    except OSError:
        data = b""
    if not data.startswith(b"%PDF"):
        handout.print_to_pdf(page, target, chromium=chromium)
        data = pdf_without_dates(target.read_bytes())
        try:
            files.write_bytes(stored, data)
        except OSError:
            pass  # a cache that cannot be written costs time, nothing else
    files.write_bytes(target, data)
    return target


def write_student_copies(nb, build: Path, stem: str, *, pdf: bool = True) -> dict[str, str]:
    """Write the student copies of an executed teaching notebook; return what was written.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    build : pathlib.Path
        The build folder being made; the copies go into ``<build>/student/``.
    stem : str
        The notebook's file stem, e.g. ``"06_teaching_base_rates"``.
    pdf : bool
        Also print each page to PDF where Chromium is installed.

    Returns
    -------
    dict
        The keys of :func:`lfr_analysis.student_copy.handout.handout_names` for the files
        written, each with its path relative to ``build`` (``"student/<file>"``); empty for
        a notebook without exercises.
    """
    try:
        _, found = handout.exercises(nb)
    except ValueError:
        return {}
    if not found:
        return {}
    folder = Path(build) / STUDENT_FOLDER
    written = handout.write_handouts(nb, folder, stem, pdf=False)
    chromium = handout.find_chromium() if pdf else None
    if chromium is not None:
        names = handout.handout_names(stem)
        pages = ("handout", "answers")
        # the two pages print at once: each Chromium mostly waits on its own start-up
        with ThreadPoolExecutor(max_workers=len(pages)) as pool:
            printing = {
                page: pool.submit(
                    _print, written[f"{page}_html"], folder / names[f"{page}_pdf"], chromium
                )
                for page in pages
            }
            for page, done in printing.items():
                written[f"{page}_pdf"] = done.result()
    return {key: f"{STUDENT_FOLDER}/{Path(path).name}" for key, path in written.items()}
