"""The printable handout and the answer key of a teaching notebook's exercises.

The exercises are the part of the notebook under its ``Exercises`` heading, up to the next
heading of the same level. Each exercise starts at a heading that names an exercise
(``### Exercise 1: ...``) and holds its question (markdown), its scaffold code (code cells
tagged ``scaffold``, blanks written ``___``) and its solution (cells tagged ``solution``).
Markdown cells tagged ``handout`` elsewhere in the notebook (a glossary) open the handout;
code cells tagged ``handout`` give the printed numbers a student needs on paper, when the
notebook given has been executed.

:func:`handout_html` builds either page; :func:`write_handouts` writes both as HTML and,
where Chromium is installed, prints each to PDF (Chromium's own print-to-PDF).
"""

from __future__ import annotations

import base64
import html
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lfr_analysis import files

__all__ = [
    "ANSWERS_SUFFIX",
    "CHROMIUM_ARGS",
    "HANDOUT_SUFFIX",
    "HANDOUT_TAG",
    "SCAFFOLD_TAG",
    "Exercise",
    "exercises",
    "find_chromium",
    "handout_html",
    "handout_names",
    "print_to_pdf",
    "write_handouts",
]

#: How Chromium is started wherever the suite drives it (printing here, the browser tests):
#: headless, no sandbox (CI runs as root), nothing that would reach the network.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

HANDOUT_SUFFIX = "_handout"
ANSWERS_SUFFIX = "_answers"
HANDOUT_TAG = "handout"
SCAFFOLD_TAG = "scaffold"
SOLUTION_TAG = "solution"

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$", flags=re.MULTILINE)
_BLANK = re.compile(r"(?<![\w])___(?![\w])")

#: Where Chromium is looked for: ``LFR_CHROMIUM``, Debian's path, then the PATH.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


@dataclass
class Exercise:
    """One exercise: its title, question cells, scaffold code and solution cells."""

    title: str
    question: list = field(default_factory=list)
    scaffold: list = field(default_factory=list)
    solution: list = field(default_factory=list)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _heading(cell) -> tuple[int, str] | None:
    """Level and text of the first heading of a markdown cell (None for other cells)."""
    if cell.get("cell_type") != "markdown":
        return None
    found = _HEADING.search(cell.get("source", ""))
    return (len(found.group(1)), found.group(2).strip()) if found else None


def exercises(nb) -> tuple[list, list[Exercise]]:
    """The exercises section of ``nb``: its introduction cells and its exercises.

    Raises
    ------
    ValueError
        When the notebook has no heading containing "Exercises".
    """
    cells = list(nb["cells"])
    start = next(
        (i for i, c in enumerate(cells) if (h := _heading(c)) and "exercises" in h[1].lower()),
        None,
    )
    if start is None:
        raise ValueError("the notebook has no 'Exercises' heading, so there is no handout")
    level = _heading(cells[start])[0]
    intro, found = [], []
    for number, cell in enumerate(cells[start:]):
        heading = _heading(cell)
        if number and heading and heading[0] <= level:
            break
        starts_exercise = heading and heading[0] > level and "exercise" in heading[1].lower()
        if starts_exercise:
            found.append(Exercise(title=heading[1]))
        if not found:
            intro.append(cell)
        elif SOLUTION_TAG in _tags(cell):
            found[-1].solution.append(cell)
        elif SCAFFOLD_TAG in _tags(cell):
            found[-1].scaffold.append(cell)
        else:
            found[-1].question.append(cell)
    return intro, found


# ------------------------------------------------------------------------ rendering


def _markdown(text: str) -> str:
    import mistune

    return mistune.html(text)


def _code(source: str) -> str:
    shown = html.escape(source.rstrip())
    shown = _BLANK.sub('<span class="blank">___</span>', shown)
    return f"<pre class='code'>{shown}</pre>"


def _text_of(output) -> str | None:
    kind = output.get("output_type")
    if kind == "stream":
        return "".join(output.get("text", ""))
    if kind in {"execute_result", "display_data"}:
        text = output.get("data", {}).get("text/plain")
        return "".join(text) if text is not None else None
    if kind == "error":
        return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return None


def _outputs(cell, *, images: bool) -> str:
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if images and "image/png" in data:
            png = "".join(data["image/png"]).replace("\n", "")
            base64.b64decode(png, validate=True)  # refuse anything but base64 PNG data
            parts.append(f"<img alt='figure from the notebook' src='data:image/png;base64,{png}'>")
            continue
        text = _text_of(output)
        if text and text.strip():
            parts.append(f"<pre class='output'>{html.escape(text.rstrip())}</pre>")
    return "\n".join(parts)


def _cell(cell, *, outputs: bool) -> str:
    if cell["cell_type"] == "markdown":
        return _markdown(cell["source"])
    shown = _code(cell["source"])
    if outputs:
        shown += _outputs(cell, images=True)
    return shown


def _executed(nb) -> bool:
    return any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


_STYLE = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.45; color: #111; max-width: 180mm; margin: 0 auto; padding: 0 4mm; }
h1 { font-size: 17pt; margin: 0 0 4mm; }
h2 { font-size: 13.5pt; border-bottom: 1px solid #888; padding-bottom: 1mm; margin-top: 7mm; }
h3 { font-size: 12pt; margin: 0 0 2mm; color: #0b4f7c; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8pt; }
code { background: #f2f2f2; padding: 0 2px; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; word-break: break-word; margin: 2mm 0; padding: 2mm 3mm; }
pre.code { background: #f4f6f8; border-left: 3px solid #0072B2; }
pre.output { background: #fff; border: 1px dashed #bbb; }
.blank { background: #ffe98a; border-bottom: 1.5px solid #111; padding: 0 1.5em; }
.who { display: flex; gap: 10mm; margin: 0 0 5mm; }
.who span { flex: 1; border-bottom: 1px solid #111; padding-top: 6mm; font-size: 9pt; }
.exercise { break-before: page; }
.answer-label { font-weight: bold; margin: 3mm 0 1mm; }
.answer-space { border: 1px solid #666; height: 80mm; break-inside: avoid;
  background: repeating-linear-gradient(to bottom, #fff 0, #fff 9mm, #c8c8c8 9mm,
                                        #c8c8c8 9.3mm); }
.solution { border-left: 3px solid #009E73; padding-left: 3mm; margin-top: 3mm; }
.solution-label { font-weight: bold; color: #00694c; margin: 3mm 0 1mm; }
.note { font-size: 9pt; color: #444; }
img { max-width: 100%; }
table { border-collapse: collapse; } td, th { border: 1px solid #bbb; padding: 1px 4px; }
"""


def handout_html(nb, *, answers: bool = False, title: str | None = None) -> str:
    """The handout (``answers=False``) or the answer key (``answers=True``) as one HTML page.

    The handout gives, before the exercises, the notebook's cells tagged ``handout`` (the
    glossary, and the numbers a student needs when the notebook was executed); then each
    exercise with its question, scaffold code and a ruled box to answer in, each on a new
    page. The answer key gives each exercise with its solution cells and, when the
    notebook was executed, their outputs. The page is self-contained (no links to fetch).
    """
    intro, found = exercises(nb)
    if not found:
        raise ValueError("the 'Exercises' section holds no exercise heading ('### Exercise 1')")
    if title is None:
        first = next((h for c in nb["cells"] if (h := _heading(c))), None)
        title = first[1] if first else "Exercises"
    kind = "Answer key" if answers else "Handout"
    parts = [
        "<!doctype html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}: {kind.lower()}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p class='note'><b>{kind}.</b> "
        + (
            "For the teacher: every exercise with its solution."
            if answers
            else "Fill in each box. In the notebook, the same code cells are there to "
            "complete: replace every <span class='blank'>___</span> and run the cell."
        )
        + "</p>",
    ]
    if not answers:
        parts.append("<div class='who'><span>Name</span><span>Date</span></div>")
        parts += [_markdown(c["source"]) for c in nb["cells"] if _is_handout_markdown(c)]
        numbers = [_outputs(c, images=False) for c in nb["cells"] if _is_handout_code(c)]
        if any(numbers):
            parts.append("<h2>Numbers from the notebook</h2>")
            parts.append("<p class='note'>As printed by the notebook on this run.</p>")
            parts += [n for n in numbers if n]
    parts += [_cell(c, outputs=False) for c in intro]
    executed = _executed(nb)
    for exercise in found:
        parts.append("<section class='exercise'>")
        parts += [_cell(c, outputs=False) for c in exercise.question]
        parts += [_cell(c, outputs=False) for c in exercise.scaffold]
        if answers:
            parts.append("<div class='solution'><div class='solution-label'>Solution</div>")
            parts += [_cell(c, outputs=executed) for c in exercise.solution]
            if not exercise.solution:
                parts.append("<p class='note'>No solution cell is tagged 'solution'.</p>")
            parts.append("</div>")
        else:
            parts.append("<div class='answer-label'>Your answer</div>")
            parts.append("<div class='answer-space'></div>")
        parts.append("</section>")
    if answers and not executed:
        parts.append(
            "<p class='note'>The notebook was not executed, so the solutions' numbers are not "
            "shown: run it, or build this page with <code>lfr-analysis student-copy</code> "
            "without <code>--no-run</code>.</p>"
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _is_handout_markdown(cell) -> bool:
    return cell["cell_type"] == "markdown" and HANDOUT_TAG in _tags(cell)


def _is_handout_code(cell) -> bool:
    return cell["cell_type"] == "code" and HANDOUT_TAG in _tags(cell)


# ------------------------------------------------------------------------ files


def handout_names(stem: str) -> dict[str, str]:
    """File names :func:`write_handouts` uses for a notebook stem (without folder)."""
    return {
        "handout_html": f"{stem}{HANDOUT_SUFFIX}.html",
        "handout_pdf": f"{stem}{HANDOUT_SUFFIX}.pdf",
        "answers_html": f"{stem}{ANSWERS_SUFFIX}.html",
        "answers_pdf": f"{stem}{ANSWERS_SUFFIX}.pdf",
    }


def find_chromium() -> Path | None:
    """Chromium's executable: ``LFR_CHROMIUM``, ``/usr/bin/chromium``, or on the PATH."""
    chosen = os.environ.get("LFR_CHROMIUM")
    if chosen:
        return Path(chosen) if Path(chosen).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return Path("/usr/bin/chromium")
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def print_to_pdf(page: Path, pdf: Path, *, chromium: Path | None = None, timeout: float = 120):
    """Print the HTML file ``page`` to ``pdf`` with headless Chromium; return the path.

    Chromium prints to a temporary folder with a fresh profile and no network; the PDF is
    then put in place atomically. Returns None when no Chromium is found.

    Raises
    ------
    RuntimeError
        When Chromium runs but writes no PDF (its last message is named).
    """
    chromium = chromium or find_chromium()
    if chromium is None:
        return None
    with tempfile.TemporaryDirectory(prefix="lfr-print-") as scratch:
        target = Path(scratch) / "page.pdf"
        command = [
            str(chromium),
            *CHROMIUM_ARGS,
            f"--user-data-dir={Path(scratch) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            Path(page).resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if not target.is_file() or target.stat().st_size == 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise RuntimeError(
                f"Chromium ({chromium}) wrote no PDF for {page} (exit {done.returncode}"
                + (f": {said[-1]}" if said else "")
                + ")"
            )
        files.write_bytes(pdf, target.read_bytes())
    return Path(pdf)


def write_handouts(nb, folder: Path, stem: str, *, pdf: bool = True) -> dict[str, Path]:
    """Write the handout and the answer key beside each other; return what was written.

    Writes ``<stem>_handout.html`` and ``<stem>_answers.html`` in ``folder`` (atomically)
    and, when ``pdf`` is true and Chromium is found, the same as PDF. The keys of the
    result are those of :func:`handout_names`, for the files written.
    """
    folder = Path(folder)
    names = handout_names(stem)
    written = {
        "handout_html": files.write_text(folder / names["handout_html"], handout_html(nb)),
        "answers_html": files.write_text(
            folder / names["answers_html"], handout_html(nb, answers=True)
        ),
    }
    chromium = find_chromium() if pdf else None
    if chromium is not None:
        for page in ("handout", "answers"):
            target = folder / names[f"{page}_pdf"]
            written[f"{page}_pdf"] = print_to_pdf(
                written[f"{page}_html"], target, chromium=chromium
            )
    return written
