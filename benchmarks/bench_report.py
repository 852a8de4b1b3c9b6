"""Time ``lfr-analysis report`` against the floor of starting one kernel per notebook.

The floor: for each notebook in ``notebooks/``, one after another, start a fresh
``python3`` kernel, import pandas, matplotlib, scipy.stats and statsmodels.api in it, and
shut it down. The report does strictly more work (it runs the notebooks and writes HTML),
but in parallel across the cores, so on 2 cores it should finish within 1.0 x the floor.

Run: ``.venv/bin/python benchmarks/bench_report.py`` (both figures come from one run).
"""

from __future__ import annotations

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


def report_seconds(build: Path) -> float:
    """Run ``lfr-analysis report`` into ``build`` and return its wall time."""
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress"]
    started = time.perf_counter()
    result = subprocess.run([*command, "--build", str(build)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"report failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def main() -> None:
    notebooks = find_notebooks(paths.notebooks_dir())
    if not notebooks:
        sys.exit("no notebooks to benchmark")
    with tempfile.TemporaryDirectory() as folder:
        report = report_seconds(Path(folder) / "build")
    floor = floor_seconds(len(notebooks))
    print(f"notebooks: {len(notebooks)}")
    print(f"floor (sequential fresh kernels + imports): {floor:6.1f} s")
    print(f"lfr-analysis report:                        {report:6.1f} s")
    print(f"ratio report / floor: {report / floor:.2f} (target <= 1.00)")


if __name__ == "__main__":
    main()
