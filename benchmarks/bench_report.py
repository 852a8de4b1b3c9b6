"""Time ``lfr-analysis report`` against the floor of starting one kernel per notebook.

The floor: for each notebook in ``notebooks/``, one after another, start a fresh
``python3`` kernel, import pandas, matplotlib, scipy.stats and statsmodels.api in it, and
shut it down. The report does strictly more work (it runs the notebooks, computes the
findings and the claims ledger, and writes the whole site), on all the cores at once; the
target (issue 18) is a report within 1.0 x the floor, site included, and the goal beyond it
0.75 x.

The report is timed twice, each into a fresh build folder: **cold**, with an empty cache (a
first build: the findings and the ledger are computed), and **warm**, with the cache the
cold build filled (a rebuild: the findings and the ledger come from the cache, since none of
their inputs changed). The floor is measured before and after the two reports and its mean
used, so that a change in the machine's load during the run shows (both floors are
printed). CPU seconds are printed beside wall-clock seconds: on a busy machine the wall
clock of a parallel run suffers more than the floor's, and the CPU figures tell the two
apart. The report's own timings (``--timings``) give the CPU each notebook's kernel used and
when the site was written.

Run: ``.venv/bin/python benchmarks/bench_report.py`` (every figure comes from this one run).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from lfr_analysis import paths
from lfr_analysis.report import find_notebooks

IMPORTS = "import pandas, matplotlib, scipy.stats, statsmodels.api"
TARGET, GOAL = 1.00, 0.75


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def floor_seconds(count: int) -> tuple[float, float]:
    """Start ``count`` kernels one after another, each importing the scientific stack."""
    started, cpu = time.perf_counter(), _children_cpu()
    for _ in range(count):
        manager, client = start_new_kernel(
            kernel_name="python3", extra_arguments=["--IPKernelApp.log_level=ERROR"]
        )
        try:
            reply = client.execute_interactive(IMPORTS, timeout=300)
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def report_seconds(build: Path, cache: Path) -> tuple[float, float, str]:
    """Run ``lfr-analysis report`` into ``build``; return wall and CPU seconds, and output."""
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress", "--timings"]
    env = dict(os.environ, LFR_CACHE_DIR=str(cache))
    started, cpu = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        [*command, "--build", str(build)], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"report failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, _children_cpu() - cpu, result.stdout


def timings(output: str) -> dict[str, float]:
    return {m[1]: float(m[0]) for m in re.findall(r"^timing\s+([0-9.]+) s  (.+)$", output, re.M)}


def verdict(ratio: float) -> str:
    if ratio <= GOAL:
        return "meets the target and the goal"
    return "meets the target" if ratio <= TARGET else "MISSES the target"


def main() -> None:
    notebooks = find_notebooks(paths.notebooks_dir())
    if not notebooks:
        sys.exit("no notebooks to benchmark")
    before, before_cpu = floor_seconds(len(notebooks))
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "cache"
        cold, cold_cpu, cold_out = report_seconds(Path(folder) / "cold" / "build", cache)
        warm, warm_cpu, warm_out = report_seconds(Path(folder) / "warm" / "build", cache)
    after, after_cpu = floor_seconds(len(notebooks))
    floor, floor_cpu = (before + after) / 2, (before_cpu + after_cpu) / 2
    steps = timings(warm_out)
    kernels = {
        k.removeprefix("cpu kernel "): v for k, v in steps.items() if k.startswith("cpu kernel")
    }
    print(f"notebooks: {len(notebooks)}; cores: {len(os.sched_getaffinity(0))}")
    print(
        f"floor (sequential fresh kernels + imports): {floor:6.1f} s  "
        f"(before {before:.1f} s, after {after:.1f} s; CPU {floor_cpu:.1f} s)"
    )
    print(f"report, cold cache (first build):           {cold:6.1f} s  (CPU {cold_cpu:.1f} s)")
    print(f"report, warm cache (rebuild):               {warm:6.1f} s  (CPU {warm_cpu:.1f} s)")
    for label, seconds in (("cold", cold), ("warm", warm)):
        ratio = seconds / floor
        print(
            f"ratio report ({label}) / floor: {ratio:.2f} (target <= {TARGET:.2f}, goal "
            f"<= {GOAL:.2f}): {verdict(ratio)}"
        )
    cold_steps = timings(cold_out)
    ready = steps.get("warm process ready", float("nan"))
    jobs_end = max((v for k, v in steps.items() if k.startswith("end ")), default=float("nan"))
    written = steps.get("site written", float("nan"))
    print(
        f"warm process ready after {ready:.2f} s; last notebook done at {jobs_end:.2f} s; "
        f"site written at {written:.2f} s, swapped in at {steps.get('swapped in', 0):.2f} s"
    )
    if "cpu task site data" in cold_steps:
        print(
            f"findings and ledger (cold build only): {cold_steps['cpu task site data']:.2f} s CPU"
        )
    for name, seconds in sorted(kernels.items()):
        print(f"  kernel CPU {name}: {seconds:5.2f} s")
    print(f"  all kernels: {sum(kernels.values()):.2f} s CPU")


if __name__ == "__main__":
    main()
