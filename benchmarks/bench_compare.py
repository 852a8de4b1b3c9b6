"""Benchmark the grouped comparisons against the per-group loop they replace.

``predictions.observed_vs_expected(by=...)`` and ``funnels.funnel_data`` compute every
group's exact Poisson and conditional p-values at once. Before, each group cost one
``statsmodels.stats.rates.test_poisson`` (two of them, central and mid-p) and three
``test_poisson_2indep`` calls, and the funnel adjusted two one-sided families with
``multipletests``. This script times both on synthetic deployments (one group per
deployment, as a funnel of deployments has), checks that the loop and the package give the
same numbers, and prints the speed-up against its target (issue 18: at least 50 at 10,000
groups).

The loop (:func:`loop_observed_vs_expected`) is the former per-group code, kept here as the
baseline; it is run on a sample of groups and its time scaled to all of them. The funnel
was already computed with one ``groupby`` before (only its two Holm families called
statsmodels, whose Holm step runs a full garbage collection); it is timed against a per-unit
loop of the same statistics, against which the target is set, and, for the record, against
that previous grouped version (:func:`previous_funnel_data`), which no target applies to.

Run: ``python benchmarks/bench_compare.py [--groups N] [--sample N] [--seed N]``. Exits 1
if a speed-up misses the target or the numbers differ.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.rates import test_poisson, test_poisson_2indep

from lfr_analysis import funnels, predictions, references
from lfr_analysis.stats.intervals import poisson_ci, ratio_ci

TARGET_SPEEDUP = 50.0


def make_deployments(rng: np.random.Generator, groups: int, threshold: float) -> pd.DataFrame:
    """Synthetic deployments like the Met's: faces 500-50,000, watchlists 5,000-16,000."""
    faces = rng.integers(500, 50_000, groups)
    return pd.DataFrame(
        {
            "deployment_id": [f"d{i:06d}" for i in range(groups)],
            "date": pd.Timestamp("2024-01-01"),
            "watchlist_size": pd.array(rng.integers(5_000, 16_000, groups), dtype="Int64"),
            "threshold": threshold,
            "faces_seen": pd.array(faces, dtype="Int64"),
            "false_alerts": pd.array(rng.poisson(faces / 30_000), dtype="Int64"),
            "source_type": "primary",
        }
    )


def loop_observed_vs_expected(frame: pd.DataFrame, reference, conf: float = 0.95) -> pd.DataFrame:
    """The former per-group computation: statsmodels tests one group at a time."""
    rate = reference.fpir
    rows = []
    for key, group in frame.groupby("deployment_id", sort=True):
        observed = int(group["_observed"].sum())
        expected = float(group["_expected"].sum())
        limits = poisson_ci(observed, expected, conf=conf).iloc[0]
        row = {
            "deployment_id": key,
            "ratio_upper": float(limits["upper"]),
            "p_two_sided": min(1.0, float(test_poisson(observed, expected, 1, "exact-c").pvalue)),
            "p_midp_two_sided": min(
                1.0, float(test_poisson(observed, expected, 1, "midp-c").pvalue)
            ),
            "p_more": float(stats.poisson.sf(observed - 1, expected)),
        }
        scaled = expected / rate
        for alternative, name in (("two-sided", "p_cond_two_sided"), ("larger", "p_cond_more"),
                                  ("smaller", "p_cond_fewer")):  # fmt: skip
            result = test_poisson_2indep(observed, scaled, reference.events, reference.exposure,
                                         method="exact-cond", alternative=alternative)  # fmt: skip
            row[name] = min(1.0, float(result.pvalue))
        low, high = ratio_ci(observed, scaled, reference.events, reference.exposure, conf=conf)
        row["ratio_lower_cond"], row["ratio_upper_cond"] = low, high
        rows.append(row)
    return pd.DataFrame(rows)


def loop_funnel(frame: pd.DataFrame) -> pd.DataFrame:
    """The funnel's statistics unit by unit: one-sided tails, limits, two Holm families."""
    rows = []
    for key, group in frame.groupby("deployment_id", sort=True):
        observed, expected = int(group["_observed"].sum()), float(group["_expected"].sum())
        rows.append(
            {
                "deployment_id": key,
                "p_more": float(stats.poisson.sf(observed - 1, expected)),
                "p_fewer": float(stats.poisson.cdf(observed, expected)),
                "upper_95": float(stats.poisson.ppf(0.975, expected)),
            }
        )
    table = pd.DataFrame(rows)
    table["p_more_adj"] = multipletests(table["p_more"], method="holm")[1]
    table["p_fewer_adj"] = multipletests(table["p_fewer"], method="holm")[1]
    return table


def previous_funnel_data(deployments: pd.DataFrame, reference) -> pd.DataFrame:
    """The previous grouped funnel_data: one groupby, scipy per column, two Holm families."""
    frame = predictions.prepare(deployments, reference)
    units = frame.groupby("deployment_id", sort=True).agg(
        observed=("_observed", "sum"), expected=("_expected", "sum")
    )
    units = units.loc[units["expected"] > 0].reset_index()
    observed, expected = units["observed"].to_numpy(), units["expected"].to_numpy()
    units["p_more"] = stats.poisson.sf(observed - 1, expected)
    units["p_fewer"] = stats.poisson.cdf(observed, expected)
    units["p_more_adj"] = multipletests(units["p_more"], method="holm")[1]
    units["p_fewer_adj"] = multipletests(units["p_fewer"], method="holm")[1]
    for prob in (0.999, 0.975, 0.025, 0.001):
        units[f"q{prob}"] = stats.poisson.ppf(prob, expected)
    return units


def best_of(function, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def compare(name: str, vectorised, loop, sample: pd.Series, groups: int, columns) -> bool:
    """Time both, check the numbers on the sample, print one line; True when on target."""
    fast_seconds, fast = best_of(vectorised)
    start = time.perf_counter()
    slow = loop()
    loop_seconds = (time.perf_counter() - start) * groups / len(sample)
    mine = fast.set_index("deployment_id").loc[sample, columns]
    theirs = slow.set_index("deployment_id").loc[sample, columns]
    same = np.allclose(mine.to_numpy(float), theirs.to_numpy(float), rtol=1e-9, atol=1e-300)
    ratio = loop_seconds / fast_seconds
    ok = ratio >= TARGET_SPEEDUP and same
    print(
        f"{name:<34} {groups:>7,} groups  vectorised {fast_seconds:7.3f} s  "
        f"loop {loop_seconds:8.1f} s"
        f"  speed-up {ratio:7.0f} (target >= {TARGET_SPEEDUP:.0f})  same numbers: {same}"
        f"  {'ok' if ok else 'MISSED'}"
    )
    return ok


def run(groups: int, sample_size: int, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    refs = references.load_references()
    ref = refs["npl2023_t060"]
    frame = make_deployments(rng, groups, 0.60)
    sample = pd.Series(rng.choice(frame["deployment_id"], sample_size, replace=False)).sort_values()
    prepared = predictions.prepare(frame, ref)
    sampled = prepared[prepared["deployment_id"].isin(sample)]
    ok = compare(
        "observed_vs_expected(by=...)",
        lambda: predictions.observed_vs_expected(frame, ref, by="deployment_id", full=True),
        lambda: loop_observed_vs_expected(sampled, ref),
        sample,
        groups,
        ["ratio_upper", "p_two_sided", "p_midp_two_sided", "p_more", "p_cond_two_sided",
         "p_cond_more", "p_cond_fewer", "ratio_lower_cond", "ratio_upper_cond"],
    )  # fmt: skip
    # the funnel's loop must adjust over every unit, so it runs on all of them
    ok &= compare(
        "funnel_data",
        lambda: funnels.funnel_data(frame, ref, full=True)[0],
        lambda: loop_funnel(prepared),
        frame["deployment_id"],
        groups,
        ["p_more", "p_fewer"],
    )
    now, _ = best_of(lambda: funnels.funnel_data(frame, ref))
    before, _ = best_of(lambda: previous_funnel_data(frame, ref))
    print(
        f"{'funnel_data, previous grouped code':<34} {groups:>7,} groups  now {now:7.3f} s  "
        f"before {before:7.3f} s  speed-up {before / now:5.1f} (no target: it was grouped)"
    )
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=500, help="groups the loop is timed on")
    parser.add_argument("--seed", type=int, default=20240409)
    args = parser.parse_args(argv)
    return 0 if run(args.groups, min(args.sample, args.groups), args.seed) else 1


if __name__ == "__main__":
    sys.exit(main())
