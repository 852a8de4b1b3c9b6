"""Time ``load_deployments()`` against ``pandas.read_csv`` of the same file.

Synthetic copies of ``data/deployments.csv`` at 538, 53,800 and 538,000 rows are made by
repeating the real rows; every copy after the first gets its own force name and an id
prefix (``COPY7-MET-2024-07-11-hackney``, force ``Metropolitan Police Service (copy 7)``),
so ids stay unique and no copy repeats another's (force, date, location). Each file is
written to a temporary folder with its own ``datapackage.json``, so the loader runs every
check it runs on the real file, checksum included.

Printed, each figure against its target (issue 18), all measured in this one run:

* the loader's time over ``pandas.read_csv``'s (default options) at each size: <= 10;
* the loader's time at 538,000 rows: under 3 s;
* growth: time per row at 538,000 rows over time per row at 53,800: about 1 (<= 1.5);
* (for a busy machine) the same ratios in CPU time, and the load average;
* peak memory of a fresh process that imports the package and loads the 538,000-row file
  (``resource`` maximum resident set size, interpreter and imports included): under 1 GB.

Run: ``.venv/bin/python benchmarks/bench_load.py [--repeat N]``. Exits 1 if a target is
missed. Timings are the best of ``--repeat`` calls.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from lfr_analysis import data, files, paths
from lfr_analysis.datasets import deployments, manifest

SIZES = (538, 53_800, 538_000)
TARGET_RATIO = 10.0
TARGET_SECONDS = 3.0
TARGET_GROWTH = 1.5
TARGET_PEAK_BYTES = 1 << 30

#: Run in a fresh process: its peak resident set size after the imports and after loading.
#: Linux's VmHWM starts afresh at exec (ru_maxrss may carry the parent's peak over a fork).
PEAK_PROBE = (
    "import resource, sys\n"
    "from lfr_analysis.datasets import deployments\n"
    "def peak():\n"
    "    try:\n"
    "        for line in open('/proc/self/status'):\n"
    "            if line.startswith('VmHWM:'):\n"
    "                return int(line.split()[1]) * 1024\n"
    "    except OSError:\n"
    "        pass\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
    "before = peak()\n"
    "frame = deployments.load(path=sys.argv[1])\n"
    "print(len(frame), before, peak())\n"
)


def synthetic_file(folder: Path, rows: int) -> Path:
    """Write ``rows`` rows made from the real ones, with a manifest, into ``folder``."""
    text = (paths.data_dir() / deployments.FILE).read_text(encoding="utf-8")
    header, *body = list(csv.reader(io.StringIO(text, newline="")))
    ids, forces = header.index("deployment_id"), header.index("force")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for number in range(rows):
        copy, row = divmod(number, len(body))
        cells = list(body[row])
        if copy:
            cells[ids] = f"COPY{copy}-{cells[ids]}"
            cells[forces] = f"{cells[forces]} (copy {copy})"
        writer.writerow(cells)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / deployments.FILE
    files.write_text(target, out.getvalue())
    manifest.write_manifest([deployments.DATASET], folder)
    return target


def best_seconds(function, repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (this process) of ``repeat`` calls of ``function()``."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def peak_bytes(path: Path) -> tuple[int, int, int]:
    """Rows loaded, peak RSS before and after loading ``path`` in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_PROBE, str(path)], capture_output=True, text=True, check=True
    )
    rows, before, after = (int(part) for part in result.stdout.split())
    return rows, before, after


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def run(repeat: int) -> bool:
    """Print every figure against its target; return True when all are met."""
    print(
        "load average (1, 5, 15 min): "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} cores; a cpu ratio far below the wall ratio means a busy "
        "machine"
    )
    all_ok = True
    per_row = {}
    with tempfile.TemporaryDirectory(prefix="lfr-bench-load-") as tmp:
        made = {rows: synthetic_file(Path(tmp) / f"rows-{rows}", rows) for rows in SIZES}
        peak = peak_bytes(made[538_000])  # first, while this process is still small
        print(
            f"{'rows':>9}{'loader s':>10}{'read_csv s':>12}{'ratio':>8}  target <= 10"
            f"{'cpu ratio':>12}"
        )
        for rows, path in made.items():
            frame = data.load_deployments(path=path)
            assert len(frame) == rows, (len(frame), rows)
            count = repeat if rows < 538_000 else max(1, min(repeat, 2))
            loader, loader_cpu = best_seconds(lambda p=path: data.load_deployments(path=p), count)
            reader, reader_cpu = best_seconds(lambda p=path: pd.read_csv(p), count)
            ratio = loader / reader
            per_row[rows] = loader / rows
            all_ok &= ratio <= TARGET_RATIO
            print(
                f"{rows:>9,}{loader:>10.3f}{reader:>12.3f}{ratio:>8.2f}  {verdict(ratio <= 10):<13}"
                f"{loader_cpu / reader_cpu:>9.2f}"
            )
            if rows == 538_000:
                seconds, seconds_cpu = loader, loader_cpu
        ok = seconds <= TARGET_SECONDS
        all_ok &= ok
        print(
            f"\nloader at 538,000 rows: {seconds:.2f} s, {seconds / TARGET_SECONDS:.2f} x the "
            f"3 s target  {verdict(ok)} (CPU {seconds_cpu:.2f} s)"
        )
        growth = per_row[538_000] / per_row[53_800]
        ok = growth <= TARGET_GROWTH
        all_ok &= ok
        print(
            f"time per row at 538,000 / at 53,800 rows: {growth:.2f} (linear: about 1; "
            f"target <= {TARGET_GROWTH})  {verdict(ok)}"
        )
        rows, before, after = peak
        ok = after <= TARGET_PEAK_BYTES and rows == 538_000
        all_ok &= ok
        print(
            f"peak memory, fresh process loading 538,000 rows: {after / 2**20:,.0f} MB "
            f"({before / 2**20:,.0f} MB after imports), {after / TARGET_PEAK_BYTES:.2f} x the "
            f"1 GB target  {verdict(ok)}"
        )
    return all_ok


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="calls per timing (best kept)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("need --repeat >= 1")
    ok = run(args.repeat)
    print("\nevery target met" if ok else "\nsome target missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
