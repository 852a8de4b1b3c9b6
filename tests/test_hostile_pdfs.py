"""The PDF parser never hangs and never fails obscurely on hostile input.

Each case runs ``parse_pdf`` in a fresh process under a time limit, so a parser that
looped forever would fail the test instead of stalling the suite. Inputs: copies of a
real Met PDF cut at several points (when the PDFs are available), an empty file, bytes
that are not a PDF, a PDF whose body is garbage, an unrelated but valid PDF, an encrypted
record and a small decompression bomb (``test_pdf_layouts`` tests each bound in turn).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from matplotlib.figure import Figure
from pdf_factory import HEADER_2025, bomb_pdf, grid_pdf, row_2025

from lfr_analysis import paths

TIME_LIMIT = 60  # seconds per case; the largest Met PDF parses in about a second
SCRIPT = """
import sys
from lfr_analysis.rebuild import met_pdf
try:
    met_pdf.parse_pdf(sys.argv[1])
except met_pdf.SourceError as err:
    print(type(err).__name__)
    print(err)
else:
    print("PARSED")
"""
SMALL_MET_PDF = "lfr-deployment-grid-2020-2022.pdf"


def parse_in_subprocess(path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
    )
    assert result.returncode == 0, f"unexplained failure:\n{result.stderr[-2000:]}"
    kind, _, message = result.stdout.partition("\n")
    return kind, message


def hostile_files(folder):
    row = row_2025("Camden", "06/03/25")
    cases = {
        "empty.pdf": b"",
        "text.pdf": b"Deployment,Date\nCamden,06/04/23\n",
        "garbage.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n",
        "header-only.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog",
    }
    for name, content in cases.items():
        (folder / name).write_bytes(content)
    grid_pdf(folder / "locked.pdf", [{"header": HEADER_2025, "rows": [row]}], encrypt="pw")
    bomb_pdf(folder / "bomb.pdf", 20_000_000)
    unrelated = Figure()
    unrelated.text(0.1, 0.5, "Annual report: facial recognition, a summary without tables")
    unrelated.savefig(folder / "unrelated.pdf")
    source = paths.sources_dir() / SMALL_MET_PDF
    if source.is_file():
        whole = source.read_bytes()
        for share in (0.02, 0.25, 0.5, 0.9, 0.99):
            cut = folder / f"met-cut-{int(share * 100):02d}.pdf"
            cut.write_bytes(whole[: int(len(whole) * share)])
    return sorted(folder.iterdir())


def test_hostile_pdfs_give_a_clear_error_in_bounded_time(tmp_path):
    files = hostile_files(tmp_path)
    outcomes = {}
    for path in files:
        kind, message = parse_in_subprocess(path)
        outcomes[path.name] = kind
        known = {"SourceReadError", "SourceLayoutError", "SourceEncryptedError", "SourceLimitError"}
        assert kind in known, f"{path.name}: {kind}"
        assert path.name in message, f"{path.name}: error does not name the file: {message}"
    assert outcomes["unrelated.pdf"] == "SourceLayoutError"
    assert outcomes["empty.pdf"] == "SourceReadError"
    assert outcomes["locked.pdf"] == "SourceEncryptedError"


def test_the_intact_small_pdf_parses(tmp_path):
    source = paths.sources_dir() / SMALL_MET_PDF
    if not source.is_file():
        pytest.skip(
            f"{SMALL_MET_PDF} not found: set LFR_SOURCES_DIR or run lfr-analysis data fetch"
        )
    assert parse_in_subprocess(source)[0] == "PARSED"
