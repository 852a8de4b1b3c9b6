"""Tests of lfr_analysis.baserates against hand calculations and reference values from R.

The R values (tests/reference/baserates.py, written by tests/reference/R/baserates.R) are
binom.test and poisson.test intervals, pbinom for the watchlist scaling, and Bayes' rule.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from reference import baserates as ref
from reference import rates as ref_rates

from lfr_analysis.stats import baserates


# -------------------------------------------------------------------- Bayes' rule
def test_precision_matches_hand_calculation():
    # prevalence 1e-4, TPIR 0.89, FPIR 1/6000 (NPL 2023 at threshold 0.60, 10,000 entries):
    # true part  = 1e-4 * 0.89            = 8.9e-5
    # false part = (1 - 1e-4) / 6000      = 0.9999 / 6000 = 1.6665e-4
    # precision  = 8.9e-5 / (8.9e-5 + 1.6665e-4) = 8.9 / 25.565 = 0.348132...
    assert baserates.precision(1e-4, 0.89, 1 / 6000) == pytest.approx(8.9 / 25.565, rel=1e-12)
    assert baserates.false_alert_share(1e-4, 0.89, 1 / 6000) == pytest.approx(
        16.665 / 25.565, rel=1e-12
    )


@pytest.mark.parametrize(
    ("prevalence", "fpir", "rounded", "position"),
    [
        # Natural-frequency examples with TPIR 0.89, computed in R (precision() in
        # tests/reference/R/baserates.R), and as rounded for the text.
        (1e-5, 1 / 6000, 0.05, 0),
        (1e-5, 3.2e-6, 0.74, 1),
        (1e-4, 1 / 6000, 0.35, 2),
        (1e-4, 3.2e-6, 0.97, 3),
        (1e-3, 1 / 6000, 0.84, 4),
        (1e-3, 3.2e-6, 0.996, 5),
    ],
)
def test_precision_reproduces_r_examples(prevalence, fpir, rounded, position):
    value = baserates.precision(prevalence, 0.89, fpir)
    assert value == pytest.approx(ref.precision_examples_tpir_0_89[position], rel=1e-12)
    digits = len(str(rounded).split(".")[1])
    assert round(value, digits) == rounded


def test_precision_is_vectorised_and_complements_false_share():
    prevalence = np.array([1e-6, 1e-4, 1e-2, 0.5])
    share_true = baserates.precision(prevalence, 0.89, 1 / 6000)
    share_false = baserates.false_alert_share(prevalence, 0.89, 1 / 6000)
    assert share_true.shape == (4,)
    np.testing.assert_allclose(share_true + share_false, 1.0, rtol=1e-14)
    assert np.all(np.diff(share_true) > 0)  # more watchlisted faces, more alerts are true


def test_false_alert_share_keeps_precision_when_tiny():
    # prevalence 0.5, TPIR 1, FPIR 1e-15: share false = 0.5e-15 / (0.5 + 0.5e-15) ~ 1e-15,
    # which 1 - precision would lose to rounding.
    assert baserates.false_alert_share(0.5, 1.0, 1e-15) == pytest.approx(1e-15, rel=1e-9)


def test_precision_undefined_when_no_alerts_possible():
    with pytest.raises(ValueError, match="undefined"):
        baserates.precision(0.0, 0.89, 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prevalence": -0.1, "tpir": 0.9, "fpir": 1e-4}, r"prevalence.*-0\.1"),
        ({"prevalence": 1e-4, "tpir": 1.2, "fpir": 1e-4}, r"tpir.*1\.2"),
        ({"prevalence": 1e-4, "tpir": 0.9, "fpir": float("nan")}, "fpir: missing value"),
        ({"prevalence": "often", "tpir": 0.9, "fpir": 1e-4}, "prevalence: values must be numbers"),
        ({"prevalence": [1e-4, 2.0], "tpir": 0.9, "fpir": 1e-4}, "at position 1"),
        ({"prevalence": [], "tpir": 0.9, "fpir": 1e-4}, "prevalence: no values"),
    ],
)
def test_precision_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        baserates.precision(**kwargs)


def test_probability_check_reads_pandas_missing_values():
    series = pd.Series([0.1, None], dtype="Float64")
    with pytest.raises(ValueError, match="prevalence: missing value.*position 1"):
        baserates.precision(series, 0.9, 1e-4)


# --------------------------------------------------------------- watchlist scaling
def test_linear_scaling_reproduces_npl_statement():
    # NPL 2023 as quoted by the Home Office: 1 in 6,000 with 10,000 entries is
    # 1 in 60,000 with 1,000 entries.
    assert baserates.scale_fpir(1 / 6000, 10_000, 1_000) == pytest.approx(1 / 60_000, rel=1e-12)
    assert baserates.scale_fpir(1 / 6000, 10_000, 16_000) == pytest.approx(1 / 3750, rel=1e-12)


def test_exact_fpir_is_probability_of_at_least_one_false_match():
    # Independent: P(at least one of W comparisons matches), R's
    # pbinom(0, 16000, 1.7e-8, lower.tail = FALSE) (1 - (1 - fmr)^W in 256 bits agrees)
    fmr, size = 1.7e-8, 16_000
    expected = ref.fpir_fmr_1_7e_8_w16000
    assert baserates.fpir_from_false_match_rate(fmr, size, scaling="exact") == pytest.approx(
        expected, rel=1e-10
    )
    linear = baserates.fpir_from_false_match_rate(fmr, size, scaling="linear")
    assert linear == pytest.approx(size * fmr, rel=1e-15)
    assert linear > expected  # the linear rule overstates slightly


def test_false_match_rate_round_trip_and_npl_value():
    # NPL-implied per-comparison rate: 1 / (6,000 * 10,000) = 1.667e-8 under linear scaling.
    linear = baserates.false_match_rate_from_fpir(1 / 6000, 10_000, scaling="linear")
    assert linear == pytest.approx(1 / 60_000_000, rel=1e-12)
    exact = baserates.false_match_rate_from_fpir(1 / 6000, 10_000, scaling="exact")
    assert exact == pytest.approx(ref.fmr_exact_1_in_6000_w10000, rel=1e-12)
    assert baserates.fpir_from_false_match_rate(exact, 10_000, scaling="exact") == pytest.approx(
        1 / 6000, rel=1e-12
    )
    # Exact and linear differ by under 0.02% at these sizes (R: by a factor 1.0000833).
    assert exact / linear == pytest.approx(ref.fmr_exact_over_linear_1_in_6000_w10000, rel=1e-12)
    assert abs(exact / linear - 1) < 2e-4


def test_scaling_errors():
    with pytest.raises(ValueError, match="scaling must be one of"):
        baserates.scale_fpir(1e-4, 1000, 2000, scaling="quadratic")
    with pytest.raises(ValueError, match="at most 1 under linear scaling"):
        baserates.fpir_from_false_match_rate(1e-3, 5000, scaling="linear")
    with pytest.raises(ValueError, match=r"watchlist_size must be a whole number; got 2\.5"):
        baserates.fpir_from_false_match_rate(1e-8, 2.5)
    with pytest.raises(ValueError, match="watchlist_size must be at least 1"):
        baserates.false_match_rate_from_fpir(1e-4, 0)


# ------------------------------------------------------------ expected alerts
def test_natural_frequencies_per_million():
    # 1,000,000 faces, prevalence 1e-4 -> 100 watchlisted: 89 alerted, 11 missed;
    # 999,900 others / 6,000 = 166.65 false alerts; 999,900 - 166.65 ignored.
    table = baserates.natural_frequencies(prevalence=1e-4, tpir=0.89, fpir=1 / 6000)
    counts = table.set_index("outcome")["expected_faces"]
    assert counts["true alert"] == pytest.approx(89.0)
    assert counts["missed"] == pytest.approx(11.0)
    assert counts["false alert"] == pytest.approx(166.65)
    assert counts["correctly ignored"] == pytest.approx(999_900 - 166.65)
    assert counts.sum() == pytest.approx(1_000_000)
    with pytest.raises(ValueError, match="single number"):
        baserates.natural_frequencies(prevalence=[1e-4, 1e-3], tpir=0.89, fpir=1e-4)


def test_expected_alerts_broadcasts_over_deployments():
    table = baserates.expected_alerts([10_000, 30_000], 1e-4, 0.89, 1 / 6000)
    assert list(table.columns) == [
        "faces_seen",
        "watchlisted_faces",
        "true_alerts",
        "false_alerts",
        "alerts",
    ]
    # 30,000 faces: 3 watchlisted, 2.67 true alerts, 29,997 / 6,000 = 4.9995 false alerts.
    last = table.iloc[1]
    assert last["watchlisted_faces"] == pytest.approx(3.0)
    assert last["true_alerts"] == pytest.approx(2.67)
    assert last["false_alerts"] == pytest.approx(4.9995)
    assert last["alerts"] == pytest.approx(7.6695)
    with pytest.raises(ValueError, match=r"faces_seen must be at least 0; got -5"):
        baserates.expected_alerts(-5, 1e-4, 0.89, 1e-4)


# --------------------------------------------------------- rates from a record
def test_per_face_vs_per_alert_matches_scipy_exact_interval():
    # Met annual report Sep 2024 - Sep 2025 totals: 10 false alerts, 3,147,436 faces,
    # 2,077 alerts; CP 1.52-5.84 per million (binom.test(10, 3147436)$conf.int in R).
    table = baserates.per_face_vs_per_alert(3_147_436, 2_077, 10)
    per_face = table.loc["per face seen"]
    reference = ref.clopper_pearson_10_in_3147436
    assert per_face["lower"] == pytest.approx(reference.lower, rel=1e-10)
    assert per_face["upper"] == pytest.approx(reference.upper, rel=1e-10)
    assert per_face["lower"] * 1e6 == pytest.approx(1.524, abs=5e-4)
    assert per_face["upper"] * 1e6 == pytest.approx(5.843, abs=5e-4)
    assert per_face["one_in"] == pytest.approx(314_743.6)
    per_alert = table.loc["per alert"]
    reference = ref.clopper_pearson_10_in_2077  # binom.test(10, 2077)$conf.int
    assert per_alert["estimate"] == pytest.approx(10 / 2077)
    assert (per_alert["lower"], per_alert["upper"]) == pytest.approx(
        (reference.lower, reference.upper), rel=1e-10
    )
    # The two rates differ by the factor faces / alerts.
    ratio = per_alert["estimate"] / per_face["estimate"]
    assert ratio == pytest.approx(3_147_436 / 2_077)
    assert set(table["method"]) == {"clopper-pearson"}  # the method name as rate_ci gives it


def test_per_face_vs_per_alert_rejects_impossible_totals():
    with pytest.raises(ValueError, match=r"false_alerts \(12\) is larger than alerts \(10\)"):
        baserates.per_face_vs_per_alert(1000, 10, 12)
    with pytest.raises(ValueError, match="alerts must be at least 1"):
        baserates.per_face_vs_per_alert(1000, 0, 0)
    with pytest.raises(ValueError, match="confidence level"):
        baserates.per_face_vs_per_alert(1000, 10, 1, conf=1.5)


def test_implied_prevalence_hand_calculation():
    # 2,067 true alerts in 3,147,436 faces with TPIR 0.89:
    # 2067 / 3147436 = 6.5673e-4 true alerts per face; / 0.89 = 7.3790e-4.
    result = baserates.implied_prevalence(2_067, 3_147_436, 0.89)
    assert result["estimate"] == pytest.approx(2067 / 3147436 / 0.89, rel=1e-12)
    reference = ref.clopper_pearson_2067_in_3147436  # binom.test(2067, 3147436)$conf.int
    assert result["lower"] == pytest.approx(reference.lower / 0.89, rel=1e-10)
    assert result["upper"] == pytest.approx(reference.upper / 0.89, rel=1e-10)
    with pytest.raises(ValueError, match="tpir must be above 0"):
        baserates.implied_prevalence(1, 10, 0.0)


def test_pooled_false_match_rate_is_garwood_interval():
    false_alerts = [0, 2, 1]
    faces = [10_000, 20_000, 5_000]
    sizes = [16_000, 16_000, 6_000]
    result = baserates.pooled_false_match_rate(false_alerts, faces, sizes)
    comparisons = 10_000 * 16_000 + 20_000 * 16_000 + 5_000 * 6_000  # 5.1e8
    assert result["comparisons"] == comparisons
    assert result["estimate"] == pytest.approx(3 / comparisons)
    # Garwood (1936): poisson.test(3, 5.1e8)$conf.int in R (qgamma(0.025, 3), qgamma(0.975, 4))
    assert result["lower"] == pytest.approx(ref.garwood_3_in_5_1e8.lower, rel=1e-10)
    assert result["upper"] == pytest.approx(ref.garwood_3_in_5_1e8.upper, rel=1e-10)


def test_pooled_false_match_rate_zero_events_and_errors():
    result = baserates.pooled_false_match_rate([0], [10_000], [1_000])
    assert result["lower"] == 0
    # x = 0: the two-sided exact upper limit is -ln(0.025) = 3.689 events.
    assert result["upper"] == pytest.approx(-math.log(0.025) / 1e7, rel=1e-6)
    assert result["upper"] == pytest.approx(ref.garwood_0_in_1e7.upper, rel=1e-10)
    with pytest.raises(ValueError, match="same length"):
        baserates.pooled_false_match_rate([0, 1], [10_000], [1_000])
    with pytest.raises(ValueError, match="false_alerts: missing value"):
        baserates.pooled_false_match_rate(pd.array([1, None], dtype="Int64"), [1, 1], [1, 1])


def test_prevalence_for_precision_inverts_bayes():
    # q = 0.5, TPIR 0.9, FPIR 1e-4: p = 0.5 * 1e-4 / (0.9 * 0.5 + 0.5 * 1e-4)
    #                                  = 5e-5 / 0.45005 = 1.110988e-4
    assert baserates.prevalence_for_precision(0.5, 0.9, 1e-4) == pytest.approx(5e-5 / 0.45005)
    shares = np.array([0.01, 0.19, 0.5, 0.99])
    prevalence = baserates.prevalence_for_precision(shares, 0.89, 1 / 1000)
    np.testing.assert_allclose(baserates.precision(prevalence, 0.89, 1 / 1000), shares, rtol=1e-12)
    assert baserates.prevalence_for_precision(0.0, 0.89, 1e-4) == 0.0
    with pytest.raises(ValueError, match="precision_value must be below 1"):
        baserates.prevalence_for_precision(1.0, 0.89, 1e-4)
    with pytest.raises(ValueError, match="above 0"):
        baserates.prevalence_for_precision(0.5, 0.0, 0.0)


def test_per_face_vs_per_alert_takes_its_limits_from_rate_ci():
    # 999 events in 10**9 trials: a copy of the interval code gave 1.05996e-6 as the upper
    # limit where the repaired Clopper-Pearson limit is 1.06292e-6 (R: binom.test(999, 1e9)).
    two = baserates.per_face_vs_per_alert(10**9, 10**6, 999)
    assert two.loc["per face seen", "upper"] == pytest.approx(
        ref_rates.clopper_pearson_999_in_1e9.upper, rel=1e-10
    )
    assert two.loc["per face seen", "lower"] == pytest.approx(
        ref_rates.clopper_pearson_999_in_1e9.lower, rel=1e-10
    )
