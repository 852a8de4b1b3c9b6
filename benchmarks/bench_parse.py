"""Benchmark the deployment-record parser against its targets.

Three figures, each printed against its target as a ratio (below 1 meets the target):

* **time**: parsing the Met's three PDFs (the sources folder, see ``LFR_SOURCES_DIR``),
  best of three runs in one fresh process, target 3 s; CPU time is printed beside it, to
  tell a slow machine from a busy one;
* **memory flat in pages**: peak resident memory of a fresh process parsing a synthetic
  record of 100 pages against one of 10 pages (same layout, reportlab from the ``test``
  extra), target a ratio of at most 1.25;
* **identical output**: ``data build``'s tables from the PDFs compared byte for byte with
  the committed ``deployments.csv`` and ``btp_deployments.csv`` (``data build --check``).

Run: ``python benchmarks/bench_parse.py``. Exits 1 if a target is missed. Nothing here is
a test: timings vary with the machine and its load.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

TIME_TARGET = 3.0
MEMORY_RATIO_TARGET = 1.25

MEASURE = r"""
import json, resource, sys, time
from pathlib import Path
from lfr_analysis.rebuild import met_pdf
import pypdfium2, pdfplumber.table, pdfplumber.utils  # imports are not parsing time
paths = [Path(p) for p in sys.argv[2:]]
best, cpu, rows = float("inf"), 0.0, 0
for _ in range(int(sys.argv[1])):
    wall, started = time.perf_counter(), time.process_time()
    rows = sum(len(met_pdf.parse_pdf(p).rows) for p in paths)
    best = min(best, time.perf_counter() - wall)
    cpu = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": best, "cpu": cpu, "rows": rows, "peak": peak}))
"""


def measure(paths: list[Path], repeat: int) -> dict:
    """Parse ``paths`` ``repeat`` times in a fresh process; return its figures."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(repeat), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def synthetic_record(folder: Path, pages: int) -> Path:
    """A record of ``pages`` pages of 20 rows each, in the Met's 2025 layout."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from pdf_factory import HEADER_2025, grid_pdf, row_2025

    rows = [
        [row_2025(f"Site {p}-{r}", f"{r % 28 + 1:02d}/{p % 12 + 1:02d}/25") for r in range(20)]
        for p in range(pages)
    ]
    spec = [{"header": HEADER_2025, "rows": page} for page in rows]
    return grid_pdf(folder / f"record-{pages}.pdf", spec)


def main() -> int:
    from lfr_analysis import paths
    from lfr_analysis.datasets import btp_deployments, deployments
    from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS, find_document_file
    from lfr_analysis.rebuild import cli

    folder = paths.sources_dir()
    pdfs = [find_document_file(d, folder) for d in SOURCE_DOCUMENTS if d.required]
    if None in pdfs:
        print(f"the Met's PDFs are not all in {folder}: set LFR_SOURCES_DIR")
        return 1
    failed = False
    timing = measure(pdfs, repeat=3)
    ratio = timing["seconds"] / TIME_TARGET
    failed |= ratio > 1
    print(
        f"parse the three PDFs ({timing['rows']} rows): {timing['seconds']:.2f} s "
        f"(CPU {timing['cpu']:.2f} s), target {TIME_TARGET:.0f} s: ratio {ratio:.2f}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        small = measure([synthetic_record(Path(scratch), 10)], repeat=1)
        large = measure([synthetic_record(Path(scratch), 100)], repeat=1)
    memory = large["peak"] / small["peak"]
    failed |= memory > MEMORY_RATIO_TARGET
    print(
        f"peak memory, 100 pages ({large['rows']} rows) {large['peak'] / 2**20:.0f} MB against "
        f"10 pages {small['peak'] / 2**20:.0f} MB: ratio {memory:.2f}, target at most "
        f"{MEMORY_RATIO_TARGET}: ratio to target {memory / MEMORY_RATIO_TARGET:.2f}"
    )
    print(f"time per page at 100 pages: {large['seconds'] / 100 * 1000:.0f} ms")
    tables, _ = cli.build_tables(folder, log=lambda line: None)
    for name, dataset in ((deployments.FILE, deployments), (btp_deployments.FILE, btp_deployments)):
        same = dataset.DATASET.path().read_bytes() == tables[name].encode("utf-8")
        failed |= not same
        print(f"{name} rebuilt byte for byte: {'identical' if same else 'DIFFERENT'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
