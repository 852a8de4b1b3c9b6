"""Simultaneous intervals for shares: the method is chosen by its exact coverage.

The exact simultaneous coverage of a method at shares p is the total probability of the
outcomes of Multinomial(n, p) whose k intervals all hold their shares. It is computed here
by enumerating every outcome, with the limits taken from the package's own
``multinomial_ci`` (which depend on an outcome only through each count and n), and checked
against the same enumeration written out in R (tests/reference/shares.py, written by
tests/reference/R/shares.R) and the 9 April 2024 figures of tests/reference/arrests.py.
"""

from __future__ import annotations

import math
from functools import cache

import matplotlib
import numpy as np
import pytest
from reference import arrests as ref_arrests
from reference import shares as ref
from scipy import special

from lfr_analysis import arrests, plotting
from lfr_analysis.stats import intervals

matplotlib.use("Agg")

LEVEL = 0.95


@cache
def compositions(n: int, k: int) -> np.ndarray:
    """Every outcome of Multinomial(n, k categories), one row each."""
    if k == 1:
        return np.array([[n]], dtype=np.int64)
    parts = [
        np.column_stack([np.full(len(rest), first), rest])
        for first in range(n + 1)
        for rest in [compositions(n - first, k - 1)]
    ]
    return np.vstack(parts)


@cache
def limits_by_count(method: str, n: int, k: int) -> np.ndarray:
    """The package's limits for each count 0..n of one category among k, n in all."""
    rows = []
    for x in range(n + 1):
        counts = np.zeros(k, dtype=np.int64)
        counts[0], counts[1] = x, n - x
        rows.append(intervals.multinomial_ci(counts, conf=LEVEL, method=method)[0])
    return np.array(rows)


def coverage(method: str, n: int, shares) -> float:
    """Exact simultaneous coverage of ``method`` at ``shares`` (every outcome enumerated)."""
    p = np.asarray(shares, dtype=float)
    outcomes = compositions(n, len(p))
    limits = limits_by_count(method, n, len(p))
    low, high = limits[outcomes, 0], limits[outcomes, 1]
    covered = np.all((low <= p) & (p <= high), axis=1)
    log_prob = (
        special.gammaln(n + 1)
        - special.gammaln(outcomes + 1).sum(axis=1)
        + (outcomes * np.log(p)).sum(axis=1)
    )
    return float(np.exp(log_prob[covered]).sum())


def shares_of(kind: str, k: int) -> np.ndarray:
    if kind == "equal":
        return np.full(k, 1 / k)
    weights = 0.5 ** np.arange(k)
    return weights / weights.sum()


def test_enumeration_matches_r_at_every_reference_point():
    assert len(ref.coverage) >= 50
    for method, n, k, kind, expected in ref.coverage:
        assert coverage(method, int(n), shares_of(kind, int(k))) == pytest.approx(
            expected, rel=1e-9
        ), (method, n, k, kind)


def test_enumeration_matches_r_for_the_april_9_example():
    shares = np.array(ref_arrests.APRIL_9_OFFENCE_GROUPS) / 12
    assert coverage("goodman", 12, shares) == pytest.approx(
        ref_arrests.coverage_goodman_n12_april_9.coverage, rel=1e-9
    )
    assert coverage("bonferroni-cp", 12, shares) == pytest.approx(
        ref_arrests.coverage_bonferroni_cp_n12_april_9.coverage, rel=1e-9
    )
    # 12 arrests in 8 categories: Goodman "95%" covers 91.3%, Bonferroni-CP 98.5%
    assert round(coverage("goodman", 12, shares), 3) == 0.913
    assert round(coverage("bonferroni-cp", 12, shares), 3) == 0.985


def share_grid(k: int, rng: np.random.Generator, random_points: int = 6) -> list[np.ndarray]:
    """Equal, geometric, one-dominant and random (Dirichlet) shares of k categories."""
    dominant = np.full(k, 0.05 / (k - 1))
    dominant[0] = 0.95
    points = [shares_of("equal", k), shares_of("geometric", k), dominant]
    points += list(rng.dirichlet(np.ones(k), size=random_points))
    return points


@pytest.mark.parametrize("k", [2, 3, 5])
def test_default_method_holds_its_level_at_every_small_n(k):
    # the test that chose the default: Bonferroni-adjusted Clopper-Pearson never covers
    # less than 95% for n = 2 to 30, at shares equal, geometric, lopsided and random
    rng = np.random.default_rng(20240409 + k)
    assert intervals.DEFAULT_SHARE_METHOD == "bonferroni-cp"
    worst = min(coverage("bonferroni-cp", n, p) for n in range(2, 31) for p in share_grid(k, rng))
    assert worst >= LEVEL - 1e-12, worst


def test_default_method_holds_its_level_with_eight_categories():
    rng = np.random.default_rng(8)
    worst = min(
        coverage("bonferroni-cp", n, p) for n in (5, 8, 12, 16, 20) for p in share_grid(8, rng, 3)
    )
    assert worst >= LEVEL - 1e-12, worst


def test_goodman_falls_below_its_level_at_small_n_and_so_is_not_the_default():
    rng = np.random.default_rng(1)
    below = [
        (n, k)
        for k in (3, 5, 8)
        for n in (5, 10, 12, 20)
        if min(coverage("goodman", n, p) for p in share_grid(k, rng, 2)) < LEVEL
    ]
    assert len(below) >= 6, below
    assert coverage("goodman", 12, shares_of("equal", 8)) < 0.92


def test_bonferroni_limits_are_clopper_pearson_at_the_adjusted_level():
    counts = np.array(ref_arrests.APRIL_9_OFFENCE_GROUPS)
    limits = intervals.multinomial_ci(counts)
    # each share's exact binomial interval at 1 - 0.05 / 8, from Beta quantiles by hand
    tail = 0.05 / 8 / 2
    for (low, high), x in zip(limits, counts, strict=True):
        assert low == pytest.approx(special.betaincinv(x, 12 - x + 1, tail), rel=1e-9)
        assert high == pytest.approx(special.betaincinv(x + 1, 12 - x, 1 - tail), rel=1e-9)


def test_multinomial_ci_refuses_bad_input_naming_it():
    with pytest.raises(ValueError, match="method='wald' is not one of"):
        intervals.multinomial_ci([3, 2], method="wald")
    with pytest.raises(ValueError, match="at least two"):
        intervals.multinomial_ci([3])
    with pytest.raises(ValueError, match="counts must be a whole number"):
        intervals.multinomial_ci([3, 2.5])
    with pytest.raises(ValueError, match="all counts are 0"):
        intervals.multinomial_ci([0, 0])


@pytest.fixture(scope="module")
def harmonised():
    return arrests.harmonise()


def test_arrest_shares_use_and_name_the_default_method(harmonised):
    april = "met-2024-04-09-clapham-sutton-woolwich-deployments"
    table = arrests.arrest_counts(harmonised, "offence_group", events=april, shares=True)
    assert table["share_method"].eq("95% Bonferroni-adjusted Clopper-Pearson (simultaneous)").all()
    goodman = arrests.arrest_counts(
        harmonised, "offence_group", events=april, shares=True, share_method="goodman"
    )
    assert goodman["share_method"].iloc[0] == "95% Goodman (1965) simultaneous"
    # the exact method is wider than Goodman's at 12 arrests: it has to be, to cover
    assert (table["share_upper"] >= goodman["share_upper"]).all()
    ax = plotting.plot_counts(table, "offence_group", value="share", lower="share_lower",
                              upper="share_upper", note="Source: test.")  # fmt: skip
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Bonferroni-adjusted Clopper-Pearson" in texts and "Source: test." in texts
    counts = arrests.arrest_counts(harmonised, "offence_group", events=april)
    ax = plotting.plot_counts(counts, "offence_group")
    assert "95% exact Poisson (Garwood) intervals" in " ".join(t.get_text() for t in ax.texts)
    matplotlib.pyplot.close("all")


def test_a_single_category_gets_an_exact_interval_not_a_point(harmonised):
    frame = harmonised[
        harmonised["event_id"] == "met-2024-04-09-clapham-sutton-woolwich-deployments"
    ]
    frame = frame.assign(offence_group="one group")
    table = arrests.arrest_counts(frame, "offence_group", shares=True)
    assert table["share"].iloc[0] == 1.0 and table["share_upper"].iloc[0] == 1.0
    assert table["share_lower"].iloc[0] == pytest.approx(0.025 ** (1 / 12))
    assert math.isclose(table["arrests"].iloc[0], 12)
