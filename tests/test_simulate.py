"""Tests of lfr_analysis.simulate: invariants, exact marginal distributions, speed."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from reference import baserates as ref_baserates
from scipy import stats

from lfr_analysis.stats import baserates
from lfr_analysis.stats.simulate import (
    SIMULATED_COLUMNS,
    compare_settings,
    replicate_totals,
    simulate_deployments,
    simulate_record,
)

SEED = 20240409
PARAMETERS = {
    "faces_seen": 20_000,
    "prevalence": 2e-4,
    "watchlist_size": 16_000,
    "false_match_rate": 1e-8,
    "tpir": 0.89,
}


def test_same_seed_same_deployments_other_seed_differs():
    first = simulate_deployments(np.random.default_rng(SEED), n_deployments=500, **PARAMETERS)
    again = simulate_deployments(np.random.default_rng(SEED), n_deployments=500, **PARAMETERS)
    other = simulate_deployments(np.random.default_rng(SEED + 1), n_deployments=500, **PARAMETERS)
    pd.testing.assert_frame_equal(first, again)
    assert not first["false_alerts"].equals(other["false_alerts"])


@pytest.mark.parametrize("rng", [None, 42, np.random.RandomState(1)])
def test_rng_must_be_a_generator(rng):
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        simulate_deployments(rng, **PARAMETERS)


def test_columns_invariants_and_dtypes():
    simulated = simulate_deployments(
        np.random.default_rng(SEED), n_deployments=10_000, **{**PARAMETERS, "prevalence": 0.01}
    )
    assert tuple(simulated.columns) == SIMULATED_COLUMNS
    assert len(simulated) == 10_000
    for name in ("faces_seen", "watchlisted_faces", "true_alerts", "false_alerts", "alerts"):
        assert simulated[name].dtype == np.int64
    assert (simulated["true_alerts"] <= simulated["watchlisted_faces"]).all()
    others = simulated["faces_seen"] - simulated["watchlisted_faces"]
    assert (simulated["false_alerts"] <= others).all()
    assert (simulated["alerts"] == simulated["true_alerts"] + simulated["false_alerts"]).all()
    fpir = baserates.fpir_from_false_match_rate(1e-8, 16_000)
    assert np.allclose(simulated["fpir"], fpir)


def test_degenerate_rates_give_certain_outcomes():
    rng = np.random.default_rng(SEED)
    nobody = simulate_deployments(rng, n_deployments=100, **{**PARAMETERS, "prevalence": 0.0})
    assert (nobody["true_alerts"] == 0).all()
    perfect = simulate_deployments(
        rng, n_deployments=100, **{**PARAMETERS, "false_match_rate": 0.0}
    )
    assert (perfect["false_alerts"] == 0).all()
    everyone = simulate_deployments(
        rng,
        n_deployments=100,
        **{**PARAMETERS, "prevalence": 1.0, "tpir": 1.0},
    )
    assert (everyone["true_alerts"] == everyone["faces_seen"]).all()


def _chi_square_p(observed: np.ndarray, n: int, p: float) -> float:
    """Goodness of fit of counts to Binomial(n, p), tail cells pooled so each expects >= 5."""
    size = observed.size
    support = np.arange(observed.max() + 1)
    expected = size * stats.binom.pmf(support, n, p)
    counts = np.bincount(observed, minlength=support.size).astype(float)
    keep = np.flatnonzero(expected >= 5)
    last = keep.max()
    cells_observed = np.append(counts[:last], counts[last:].sum())
    cells_expected = np.append(expected[:last], size * stats.binom.sf(last - 1, n, p))
    statistic = ((cells_observed - cells_expected) ** 2 / cells_expected).sum()
    return float(stats.chi2.sf(statistic, cells_observed.size - 1))


def test_marginal_distributions_are_the_exact_binomials():
    # Thinning a binomial gives a binomial: false alerts ~ Binomial(faces, (1 - prevalence) * fpir)
    # and true alerts ~ Binomial(faces, prevalence * tpir). Checked against scipy's pmf.
    simulated = simulate_deployments(
        np.random.default_rng(SEED), n_deployments=50_000, **PARAMETERS
    )
    fpir = baserates.fpir_from_false_match_rate(1e-8, 16_000)
    p_false = (1 - 2e-4) * fpir
    p_true = 2e-4 * 0.89
    assert _chi_square_p(simulated["false_alerts"].to_numpy(), 20_000, p_false) > 1e-3
    assert _chi_square_p(simulated["true_alerts"].to_numpy(), 20_000, p_true) > 1e-3
    expected = baserates.expected_alerts(20_000, 2e-4, 0.89, fpir).iloc[0]
    standard_error = np.sqrt(20_000 * p_false * (1 - p_false) / 50_000)
    assert abs(simulated["false_alerts"].mean() - expected["false_alerts"]) < 4 * standard_error


def test_wrong_model_is_detected_by_the_fit_check():
    # The check above can fail: data drawn with FPIR twice as large do not fit.
    rng = np.random.default_rng(SEED)
    fpir = baserates.fpir_from_false_match_rate(1e-8, 16_000)
    wrong = rng.binomial(20_000, 2 * fpir, size=50_000)
    assert _chi_square_p(wrong, 20_000, (1 - 2e-4) * fpir) < 1e-6


def test_parameters_broadcast_per_deployment():
    simulated = simulate_deployments(
        np.random.default_rng(SEED),
        faces_seen=[1_000, 2_000, 3_000],
        prevalence=0.0,
        watchlist_size=[0, 1_000, 16_000],
        false_match_rate=1e-6,
        tpir=0.9,
    )
    assert simulated["faces_seen"].tolist() == [1_000, 2_000, 3_000]
    assert simulated["watchlist_size"].tolist() == [0, 1_000, 16_000]
    assert simulated.loc[0, "false_alerts"] == 0  # an empty watchlist cannot alert


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"faces_seen": [1, 2, 3], "watchlist_size": [1, 2]}, "parameter shapes do not match"),
        ({"n_deployments": 0}, "n_deployments must be at least 1"),
        ({"n_deployments": 2.5}, "n_deployments must be a whole number"),
        ({"faces_seen": [1, 2, 3], "n_deployments": 2}, "parameter shapes do not match"),
        ({"faces_seen": np.ones((2, 2), dtype=int)}, "scalars or 1-D arrays"),
        ({"prevalence": 1.5}, r"prevalence must be a probability between 0 and 1; got 1\.5"),
        ({"faces_seen": -1}, "faces_seen must be at least 0; got -1"),
        ({"scaling": "cubic"}, "scaling must be one of"),
    ],
)
def test_bad_arguments_raise_value_error(changes, message):
    arguments = {**PARAMETERS, **changes}
    with pytest.raises(ValueError, match=message):
        simulate_deployments(np.random.default_rng(SEED), **arguments)


def test_million_deployments_are_vectorised():
    # Guard against a per-face or per-deployment Python loop: the benchmark budget is 1 s;
    # this test allows 5 s so that a busy test machine does not fail it.
    rng = np.random.default_rng(SEED)
    start = time.perf_counter()
    simulated = simulate_deployments(rng, n_deployments=1_000_000, **PARAMETERS)
    assert time.perf_counter() - start < 5.0
    assert len(simulated) == 1_000_000


# ------------------------------------------------------------------ whole records
RECORD = pd.DataFrame(
    {"faces_seen": [12_000, 30_000, 8_000], "watchlist_size": [6_700, 16_000, 16_000]},
    index=pd.Index(["a", "b", "c"], name="deployment_id"),
)


def test_simulate_record_replays_each_deployment():
    simulated = simulate_record(
        np.random.default_rng(SEED),
        RECORD,
        prevalence=1e-4,
        false_match_rate=1e-8,
        tpir=0.89,
        n_replicates=4,
    )
    assert len(simulated) == 12
    assert simulated["replicate"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert simulated["deployment"].tolist() == ["a", "b", "c"] * 4
    assert simulated["faces_seen"].tolist() == [12_000, 30_000, 8_000] * 4
    assert simulated["watchlist_size"].tolist() == [6_700, 16_000, 16_000] * 4
    fixed = simulate_record(
        np.random.default_rng(SEED),
        RECORD[["faces_seen"]],
        prevalence=1e-4,
        false_match_rate=1e-8,
        tpir=0.89,
        n_replicates=2,
        watchlist_size=1_000,
    )
    assert set(fixed["watchlist_size"]) == {1_000}


def test_replicate_totals_sum_within_replicates():
    simulated = simulate_record(
        np.random.default_rng(SEED),
        RECORD,
        prevalence=1e-3,
        false_match_rate=1e-7,
        tpir=0.89,
        n_replicates=50,
    )
    totals = replicate_totals(simulated)
    assert len(totals) == 50
    assert (totals["faces_seen"] == 50_000).all()
    by_hand = simulated[simulated["replicate"] == 7][["true_alerts", "false_alerts"]].sum()
    assert totals.loc[7, "true_alerts"] == by_hand["true_alerts"]
    assert totals.loc[7, "false_alerts"] == by_hand["false_alerts"]
    with_alerts = totals[totals["alerts"] > 0]
    share = with_alerts["false_alerts"] / with_alerts["alerts"]
    np.testing.assert_allclose(with_alerts["false_alert_share"], share)
    with pytest.raises(ValueError, match="simulate_record"):
        replicate_totals(simulated.drop(columns="replicate"))


def test_simulate_record_rejects_missing_values_and_columns():
    gappy = RECORD.astype({"faces_seen": "Int64"}).copy()
    gappy.loc["b", "faces_seen"] = pd.NA
    arguments = {"prevalence": 1e-4, "false_match_rate": 1e-8, "tpir": 0.89}
    rng = np.random.default_rng(SEED)
    with pytest.raises(ValueError, match="faces_seen: missing value .* position 1"):
        simulate_record(rng, gappy, **arguments)
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['watchlist_size'\]"):
        simulate_record(rng, RECORD[["faces_seen"]], **arguments)
    with pytest.raises(ValueError, match="n_replicates must be at least 1"):
        simulate_record(rng, RECORD, n_replicates=0, **arguments)
    with pytest.raises(ValueError, match="prevalence must be a single number"):
        simulate_record(rng, RECORD, **{**arguments, "prevalence": [1e-4, 1e-3]})
    with pytest.raises(ValueError, match="deployments is empty"):
        simulate_record(rng, RECORD.iloc[:0], **arguments)


def test_compare_settings_matches_exact_values():
    settings = {"higher rate": 1.7e-8, "lower rate": 2e-10}
    table = compare_settings(
        np.random.default_rng(SEED),
        settings,
        watchlist_sizes=[1_000, 16_000],
        faces_seen=20_000,
        prevalence=5e-4,
        tpir=0.89,
        n_deployments=20_000,
        scaling="exact",
    )
    assert table[["setting", "watchlist_size"]].values.tolist() == [
        ["higher rate", 1_000],
        ["higher rate", 16_000],
        ["lower rate", 1_000],
        ["lower rate", 16_000],
    ]
    row = table.iloc[1]
    # P(at least one of 16,000 comparisons matches): pbinom(0, 16000, 1.7e-8, lower.tail =
    # FALSE) in R (tests/reference/baserates.py)
    fpir = ref_baserates.fpir_fmr_1_7e_8_w16000
    assert row["fpir"] == pytest.approx(fpir, rel=1e-10)
    assert row["expected_true_alerts"] == pytest.approx(20_000 * 5e-4 * 0.89)
    assert row["expected_false_alerts"] == pytest.approx(20_000 * (1 - 5e-4) * fpir)
    # P(no false alert) = (1 - (1 - prevalence) * fpir) ** faces: R's dbinom(0, 20000, ...)
    p_none = ref_baserates.p_no_false_alert_20000_faces
    assert row["p_any_false_alert"] == pytest.approx(1 - p_none, rel=1e-10)
    assert row["p_any_false_alert"] == pytest.approx(
        ref_baserates.p_any_false_alert_20000_faces, rel=1e-10
    )
    # The simulated share agrees within 4 standard errors for every combination.
    error = np.sqrt(table["p_any_false_alert"] * (1 - table["p_any_false_alert"]) / 20_000)
    gap = (table["simulated_p_any_false_alert"] - table["p_any_false_alert"]).abs()
    assert (gap < 4 * error + 1e-12).all()
    assert (table["simulated_false_alerts_5pc"] <= table["simulated_false_alerts_95pc"]).all()
    with pytest.raises(ValueError, match="settings is empty"):
        compare_settings(
            np.random.default_rng(SEED),
            {},
            watchlist_sizes=[1_000],
            faces_seen=1,
            prevalence=0.0,
            tpir=0.9,
        )
