"""Time ``lfr-analysis report`` against the floor of starting one kernel per notebook.

The floor: for each notebook in ``notebooks/``, one after another, start a fresh
``python3`` kernel, import pandas, matplotlib, scipy.stats and statsmodels.api in it, and
shut it down. The report does strictly more work (it runs the notebooks and writes HTML),
but in parallel across the cores, so on 2 cores it should finish within 1.0 x the floor.
The script also prints the notebooks' own execution times summed, and the speed-up the
parallel run achieves over them, to separate the notebooks' work from the orchestration.

Run: ``.venv/bin/python benchmarks/bench_report.py`` (both figures come from one run).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

IMPORTS = "import pandas, matplotlib, scipy.stats, statsmodels.api"


def floor_seconds(count: int) -> float:
    """Start ``count`` kernels one after another, each importing the scientific stack."""
    started = time.perf_counter()
    for _ in range(count):
        manager, client = start_new_kernel(kernel_name="python3")
        try:
            reply = client.execute_interactive(IMPORTS, timeout=300)
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return time.perf_counter() - started


def report_seconds(build: Path) -> tuple[float, list[float]]:
    """Run ``lfr-analysis report`` into ``build``; return its wall time and per-notebook times."""
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress"]
    started = time.perf_counter()
    result = subprocess.run([*command, "--build", str(build)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"report failed:\n{result.stdout}\n{result.stderr}")
    per_notebook = [float(m) for m in re.findall(r"ipynb\s+([0-9.]+) s", result.stdout)]
    return elapsed, per_notebook


def main() -> None:
    notebooks = find_notebooks(paths.notebooks_dir())
    if not notebooks:
        sys.exit("no notebooks to benchmark")
    with tempfile.TemporaryDirectory() as folder:
        report, per_notebook = report_seconds(Path(folder) / "build")
    floor = floor_seconds(len(notebooks))
    executing = sum(per_notebook)
    print(f"notebooks: {len(notebooks)}")
    print(f"floor (sequential fresh kernels + imports): {floor:6.1f} s")
    print(f"lfr-analysis report:                        {report:6.1f} s")
    print(f"ratio report / floor: {report / floor:.2f} (target <= 1.00)")
    print(f"notebook execution, summed over notebooks:  {executing:6.1f} s")
    print(f"parallel speed-up (summed execution / report): {executing / report:.2f}")


if __name__ == "__main__":
    main()
