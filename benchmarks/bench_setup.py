"""Time a fresh clone's first ``make report`` with empty package caches (target: 60 s).

The script clones the checkout's committed ``HEAD`` into a temporary folder, points every
package cache at a new empty folder (``UV_CACHE_DIR``, ``PIP_CACHE_DIR``, ``XDG_CACHE_HOME``,
``MPLCONFIGDIR``), and times the two halves of the first ``make report`` there: setting up
``.venv`` (``make venv-report``: create it, download and install the locked packages) and
building the report (``make report``, which then finds the environment ready). It prints
both, their sum, the ratio of the sum to the 60 s target, the size of the environment and
of what was downloaded, and the machine's load average (other work on the machine slows
every figure), then removes the clone. It exits with status 1 when over the target.

Run: ``python3 benchmarks/bench_setup.py`` (needs git, make and the package registry;
``--pip`` measures the pip-only route, ``--keep`` keeps the clone).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
ROOT = Path(__file__).resolve().parent.parent
CACHES = ("UV_CACHE_DIR", "PIP_CACHE_DIR", "XDG_CACHE_HOME", "MPLCONFIGDIR")


def megabytes(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total / 1e6


def timed(command: list[str], cwd: Path, env: dict, log: Path) -> float:
    """Run ``command``, echoing its output and appending it to ``log``; return seconds."""
    started = time.perf_counter()
    with log.open("a", encoding="utf-8") as handle:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in process.stdout:
            handle.write(line)
            print(f"  | {line.rstrip()[:150]}", flush=True)
        status = process.wait()
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"{' '.join(command)} failed with status {status}; log: {log}")
    return elapsed


def clean_environment(caches: Path, pip_only: bool) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LFR_") and key not in {"VIRTUAL_ENV", "PYTHONPATH", "CONDA_PREFIX"}
    }
    for name in CACHES:
        folder = caches / name.lower()
        folder.mkdir(parents=True)
        env[name] = str(folder)
    if pip_only:
        env["LFR_INSTALLER"] = "pip"
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pip", action="store_true", help="force the pip-only route")
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="lfr-bench-setup-"))
    clone, caches, log = scratch / "lfr-analysis", scratch / "caches", scratch / "make.log"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        env = clean_environment(caches, args.pip)
        load_before = os.getloadavg()
        print(
            f"fresh clone of {commit or 'HEAD'}, empty caches, route: {'pip' if args.pip else 'uv'}"
        )
        setup = timed(["make", "venv-report"], clone, env, log)
        report = timed(["make", "report"], clone, env, log)
        load_after = os.getloadavg()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        total = setup + report
        print(f"setup (make venv-report, empty caches): {setup:6.1f} s")
        print(f"report (make report, environment ready): {report:6.1f} s")
        print(f"first make report, total:                {total:6.1f} s")
        print(f"ratio total / target: {total / TARGET_SECONDS:.2f} (target {TARGET_SECONDS:.0f} s)")
        print(f"CPU time of both, all processes: {cpu:6.1f} s (the wall time on a quiet machine")
        print("  is at least half of it on 2 cores; far above that, other work was running)")
        print(f".venv size: {megabytes(clone / '.venv'):.0f} MB")
        print(f"package caches after the run: {megabytes(caches):.0f} MB (unpacked downloads)")
        print(
            "load average (1 min) before / after: "
            f"{load_before[0]:.1f} / {load_after[0]:.1f} on {os.cpu_count()} cores"
        )
        return 0 if total <= TARGET_SECONDS else 1
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
