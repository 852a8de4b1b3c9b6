"""Benchmark :func:`lfr_analysis.rates.rate_ci` against a per-row scipy loop.

For each interval method, time ``rate_ci`` on 100,000 synthetic deployments and compare it
with a loop of ``scipy.stats.binomtest(k, n).proportion_ci()`` (exact) over a 1,000-row
sample, extrapolated to 100,000 rows. The target is a speed-up of at least 100 for every
method. Two workloads:

* ``sparse``: faces seen uniform in [1,000, 100,000), false alerts Poisson(faces x 3e-6), as
  at real deployments (most counts are 0), the setting of the methods guide's timing table;
* ``dense``: false alerts Poisson(faces x 1e-3), so nearly every row needs a root search
  (the worst case for the mid-p method).

Run: ``python benchmarks/bench_rates.py [--rows N] [--sample N] [--seed N]``. Exits 1 if
any method misses the target.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from scipy import stats

from lfr_analysis.rates import METHODS, rate_ci

TARGET_SPEEDUP = 100.0


def make_rows(rng: np.random.Generator, rows: int, rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic faces seen and false alerts for ``rows`` deployments."""
    faces = rng.integers(1_000, 100_000, size=rows)
    return rng.poisson(faces * rate), faces


def time_call(function, *args, repeat: int = 3, **kwargs) -> float:
    """Best wall time of ``repeat`` calls of ``function(*args, **kwargs)``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def scipy_loop_seconds(events, trials, method: str = "exact") -> float:
    """Seconds for a per-row binomtest(...).proportion_ci loop over the given rows."""
    start = time.perf_counter()
    for k, n in zip(events, trials, strict=True):
        stats.binomtest(int(k), int(n)).proportion_ci(0.95, method=method)
    return time.perf_counter() - start


def run(rows: int, sample: int, seed: int) -> bool:
    """Print the benchmark table; return True when every method meets the target."""
    rng = np.random.default_rng(seed)
    all_ok = True
    for workload, rate in (("sparse", 3e-6), ("dense", 1e-3)):
        events, trials = make_rows(rng, rows, rate)
        loop = scipy_loop_seconds(events[:sample], trials[:sample]) * rows / sample
        print(
            f"\n{workload}: {rows:,} rows, {np.mean(events > 0):.1%} with events; "
            f"binomtest(...).proportion_ci('exact') loop on {sample:,} rows, "
            f"extrapolated: {loop:.1f} s"
        )
        print(f"{'method':<20}{'seconds':>10}{'us/row':>10}{'speed-up':>12}  target")
        for method in METHODS:
            seconds = time_call(rate_ci, events, trials, method=method)
            speedup = loop / seconds
            ok = speedup >= TARGET_SPEEDUP
            all_ok &= ok
            print(
                f"{method:<20}{seconds:>10.3f}{seconds / rows * 1e6:>10.2f}"
                f"{speedup:>11.0f}x  {'ok' if ok else 'MISSED'}"
            )
        wilson_loop = scipy_loop_seconds(events[:sample], trials[:sample], "wilson") * rows / sample
        wilson = time_call(rate_ci, events, trials, method="wilson")
        print(
            f"(like for like: wilson vs a binomtest(...).proportion_ci('wilson') loop, "
            f"{wilson_loop:.1f} s extrapolated: {wilson_loop / wilson:.0f}x)"
        )
    return all_ok


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows for rate_ci")
    parser.add_argument("--sample", type=int, default=1_000, help="rows for the scipy loop")
    parser.add_argument("--seed", type=int, default=20240409, help="random seed")
    args = parser.parse_args(argv)
    if args.rows < 1 or not 1 <= args.sample <= args.rows:
        parser.error("need rows >= 1 and 1 <= sample <= rows")
    ok = run(args.rows, args.sample, args.seed)
    print("\nall methods meet the target" if ok else "\nsome method missed the target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
