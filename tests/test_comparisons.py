"""Exact comparisons: p-value rules, two rates, spread-aware intervals, tipping points.

Reference values come from R (tests/reference/comparisons.py, written by
tests/reference/R/comparisons.R: poisson.test one- and two-sample, binom.test, fisher.test
and its estimator solved to tight tolerances, glm with quasibinomial and quasipoisson, and
uniroot on poisson.test for the tipping points) and tests/reference/predictions.py. The
vectorised p-values are also checked against the per-group statsmodels and scipy calls
they replace.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from reference import comparisons as ref
from reference import predictions as ref_pred
from scipy import special, stats
from statsmodels.stats import rates as sm_rates

from lfr_analysis import arrests, predictions, rates, references
from lfr_analysis.data import load_deployments
from lfr_analysis.stats import comparisons, heterogeneity, intervals

# ------------------------------------------------------------------ one-sample p-values


def test_poisson_two_sided_rules_match_r():
    # R's poisson.test sums the outcomes no more likely than x; the central rule doubles
    # the smaller tail. Defect 5 of issue 13: each output says which, and R's is offered.
    for x, mu, r_rule, central in ref.poisson_two_sided:
        assert comparisons.poisson_test(x, mu, rule="minlike")[0] == pytest.approx(
            r_rule, rel=1e-10
        ), (x, mu)
        assert comparisons.poisson_test(x, mu, rule="central")[0] == pytest.approx(
            central, rel=1e-10
        ), (x, mu)
    # notebook 03 at 0.62: 4 false alerts against 0.624 expected
    assert ref_pred.central_p_062 == pytest.approx(0.0077209, abs=1e-7)
    assert ref_pred.poisson_062.p_value == pytest.approx(0.0038604, abs=1e-7)


def test_vectorised_poisson_p_values_equal_the_statsmodels_calls_they_replace():
    rng = np.random.default_rng(7)
    x = rng.integers(0, 60, 400)
    mu = np.exp(rng.uniform(np.log(1e-3), np.log(80), 400))
    for rule, method in (("central", "exact-c"), ("mid-p", "midp-c")):
        mine = comparisons.poisson_test(x, mu, rule=rule)
        theirs = [
            sm_rates.test_poisson(int(a), float(b), 1, method).pvalue
            for a, b in zip(x, mu, strict=True)
        ]
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=0)
    np.testing.assert_allclose(
        comparisons.poisson_test(x, mu, alternative="greater"), stats.poisson.sf(x - 1, mu)
    )
    np.testing.assert_allclose(
        comparisons.poisson_test(x, mu, alternative="less"), stats.poisson.cdf(x, mu)
    )


def test_binomial_two_sided_matches_r_and_scipy():
    for k, n, p, expected in ref.binomial_two_sided:
        assert comparisons.binomial_test(k, n, p)[0] == pytest.approx(expected, rel=1e-10)
    rng = np.random.default_rng(3)
    n = rng.integers(1, 300, 500)
    k = rng.integers(0, n + 1)
    p = rng.uniform(0, 1, 500)
    theirs = [
        stats.binomtest(int(a), int(b), float(c)).pvalue for a, b, c in zip(k, n, p, strict=True)
    ]
    np.testing.assert_allclose(comparisons.binomial_test(k, n, p), theirs, rtol=1e-12)
    assert comparisons.binomial_test(0, 0, 0.3)[0] == 1.0  # nothing to test


def test_vectorised_conditional_tests_equal_statsmodels_exact_cond():
    rng = np.random.default_rng(11)
    observed = rng.integers(0, 40, 200)
    faces = rng.uniform(1e3, 5e6, 200)
    for events, exposure in ((7, 42_000), (1, 42_000), (0, 42_000)):
        out = comparisons.study_tests(observed, faces, events, exposure)
        for alternative, column in (("larger", "p_cond_more"), ("two-sided", "p_cond_two_sided"),
                                    ("smaller", "p_cond_fewer")):  # fmt: skip
            if column not in out:
                assert events == 0 and column != "p_cond_more"
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                theirs = [
                    sm_rates.test_poisson_2indep(int(o), float(f), events, exposure,
                                        method="exact-cond", alternative=alternative).pvalue
                    for o, f in zip(observed, faces, strict=True)
                ]  # fmt: skip
            np.testing.assert_allclose(out[column], np.minimum(theirs, 1), rtol=1e-11)


def test_p_value_functions_refuse_bad_input_naming_it():
    with pytest.raises(ValueError, match="rule='exact' is not one of"):
        comparisons.poisson_test(3, 1.0, rule="exact")
    with pytest.raises(ValueError, match="alternative='larger' is not one of"):
        comparisons.poisson_test(3, 1.0, alternative="larger")
    with pytest.raises(ValueError, match="expected at position 1 is missing"):
        comparisons.poisson_test([3, 1], [1.0, np.nan])
    with pytest.raises(ValueError, match="observed at position 0 is not a whole number"):
        comparisons.poisson_test(2.5, 1.0)
    with pytest.raises(ValueError, match="prob must be a probability"):
        comparisons.binomial_test(3, 5, 1.2)
    with pytest.raises(ValueError, match="events must be at most trials"):
        comparisons.binomial_test(6, 5, 0.5)


# ------------------------------------------------------------------------- two rates


@pytest.mark.parametrize(
    ("args", "alternative", "conf", "expected"),
    [
        ((10, 3147436, 25, 491246), "two-sided", 0.95, ref_pred.compare_annual_2025_vs_060),
        ((2, 326392, 23, 164854), "two-sided", 0.95, ref_pred.compare_060_2023_vs_2024),
        ((2, 326392, 23, 164854), "two-sided", 0.90, ref.compare_2_vs_23_conf90),
        ((10, 3147436, 25, 491246), "less", 0.95, ref.compare_10_vs_25_less),
        ((272, 81, 342, 74), "two-sided", 0.95, ref.compare_272_vs_342),
        ((0, 20000, 5, 30000), "two-sided", 0.95, ref_pred.compare_0_vs_5),
        ((5, 20000, 0, 30000), "two-sided", 0.95, ref_pred.compare_5_vs_0),
        ((0, 20000, 0, 30000), "two-sided", 0.95, ref_pred.compare_0_vs_0),
        ((1, 20000, 0, 30000), "greater", 0.95, ref_pred.compare_1_vs_0_one_sided),
        ((0, 20000, 5, 30000), "less", 0.95, ref.compare_0_vs_5_less),
    ],
)
def test_compare_poisson_is_r_poisson_test_two_sample(args, alternative, conf, expected):
    out = comparisons.compare_poisson(*args, conf=conf, alternative=alternative).iloc[0]
    pairs = [(out["ratio"], expected.estimate), (out["lower"], expected.lower),
             (out["upper"], expected.upper), (out["p_value"], expected.p_value)]  # fmt: skip
    for mine, theirs in pairs:
        if math.isnan(theirs):
            assert math.isnan(mine)
        elif math.isinf(theirs) or theirs == 0:
            assert mine == theirs
        else:
            assert mine == pytest.approx(theirs, rel=1e-10)
    # zero counts: a one-sided statement, never a degenerate interval (statsmodels gives
    # (1.2167, 1.2167) in one such case)
    assert out["lower"] < out["upper"]


def test_zero_counts_say_which_bound_they_give():
    bounds = comparisons.compare_poisson([0, 5, 0, 3], 1e4, [5, 0, 0, 4], 2e4)["bound"]
    assert bounds.tolist() == [
        "upper bound only (no events in group 1)",
        "lower bound only (no events in group 2)",
        "no events in either group: no comparison",
        "two-sided interval",
    ]


@pytest.mark.parametrize(
    ("table", "tight", "default"),
    [
        ((10, 2077, 25, 691), ref.fisher_tight_annual_2025_vs_060,
         ref_pred.fisher_annual_2025_vs_060),
        ((0, 20, 5, 35), ref.fisher_tight_0_of_20_vs_5_of_35, ref_pred.fisher_0_of_20_vs_5_of_35),
        ((5, 25, 0, 30), ref.fisher_tight_5_of_25_vs_0_of_30, ref_pred.fisher_5_of_25_vs_0_of_30),
        ((0, 599, 5, 814), ref.fisher_tight_0_of_599_vs_5_of_814, ref.fisher_0_of_599_vs_5_of_814),
    ],
)  # fmt: skip
def test_compare_binomial_is_r_fisher_test(table, tight, default):
    out = comparisons.compare_binomial(*table)
    assert out["p_value"] == pytest.approx(default.p_value, rel=1e-10)
    for field, column in (("estimate", "odds_ratio"), ("lower", "lower"), ("upper", "upper")):
        theirs, mine = getattr(tight, field), out[column]
        if math.isinf(theirs) or theirs == 0:
            assert mine == theirs
            continue
        # fisher.test's own estimator solved to 1e-13 (R's fisher_tight), and fisher.test
        # itself, whose uniroot stops at an absolute 1.2e-4 on the odds-ratio scale
        assert mine == pytest.approx(theirs, rel=1e-7)
        assert mine == pytest.approx(getattr(default, field), rel=3e-3)
    assert out["share_1"] == table[0] / table[1]


def test_compare_binomial_refuses_impossible_tables():
    with pytest.raises(ValueError, match=r"events_1 \(6\) exceed the trials of their group \(5\)"):
        comparisons.compare_binomial(6, 5, 1, 5)
    with pytest.raises(ValueError, match="trials_2 must be at least 1"):
        comparisons.compare_binomial(1, 5, 0, 0)
    with pytest.raises(TypeError, match="events_1 must be a whole number"):
        comparisons.compare_binomial("1", 5, 0, 5)


@pytest.fixture(scope="module")
def record():
    return load_deployments()


@pytest.fixture(scope="module")
def primary(record):
    return record[record["source_type"] == "primary"]


def test_compare_rates_between_two_years_matches_r(primary):
    at_060 = primary[primary["threshold"] == 0.60]
    by_year = {year: rows for year, rows in at_060.groupby(at_060["date"].dt.year)}
    out = rates.compare_rates(by_year[2023], by_year[2024], labels=("2023", "2024"))
    expected = ref_pred.compare_060_2023_vs_2024  # poisson.test(c(2, 23), faces by year)
    assert (out["events_1"], out["events_2"]) == (2, 23)
    assert out["estimate"] == pytest.approx(expected.estimate, rel=1e-12)
    assert (out["lower"], out["upper"]) == pytest.approx(
        (expected.lower, expected.upper), rel=1e-10
    )
    assert out["p_value"] == pytest.approx(expected.p_value, rel=1e-10)
    assert out["measure"] == "rate ratio" and out["label_1"] == "2023"
    assert (out["n_deployments_1"], out["n_deployments_2"]) == (
        len(by_year[2023]),
        len(by_year[2024]),
    )
    assert (out["n_primary_1"], out["n_secondary_1"]) == (len(by_year[2023]), 0)


def frame(rows):
    table = pd.DataFrame(rows, columns=["deployment_id", "faces_seen", "alerts", "false_alerts",
                                        "arrests", "source_type"])  # fmt: skip
    for column in ("faces_seen", "alerts", "false_alerts", "arrests"):
        table[column] = table[column].astype("Int64")
    return table


FIRST = frame([("a", 10_000, 200, 0, 50, "primary"), ("b", 10_000, 399, 0, 100, "primary")])
SECOND = frame([("c", 20_000, 600, 5, 120, "primary"), ("d", None, 214, 0, 222, "secondary")])


def test_compare_rates_per_alert_is_fisher_and_zero_gives_a_bound():
    out = rates.compare_rates(FIRST, SECOND, per="alert", full=True)
    expected = ref.fisher_0_of_599_vs_5_of_814  # fisher.test on (0, 599; 5, 809)
    assert (out["events_1"], out["exposure_1"], out["events_2"], out["exposure_2"]) == (
        0, 599, 5, 814,
    )  # fmt: skip
    assert out["measure"] == "odds ratio" and out["estimate"] == 0
    assert out["lower"] == 0 and out["upper"] == pytest.approx(expected.upper, rel=3e-4)
    assert out["p_value"] == pytest.approx(expected.p_value, rel=1e-10)
    assert out["bound"] == "upper bound only"
    assert out["difference_lower"] < 0 < out["difference_upper"]


def test_compare_rates_per_face_excludes_and_counts_rows_without_faces():
    out = rates.compare_rates(FIRST, SECOND, full=True)
    assert (out["n_deployments_2"], out["n_excluded_2"], out["n_secondary_2"]) == (1, 1, 0)
    expected = comparisons.compare_poisson(0, 20_000, 5, 20_000).iloc[0]
    assert out["upper"] == expected["upper"] and out["lower"] == 0
    assert out["bound"] == "upper bound only (no events in group 1)"
    with pytest.raises(ValueError, match="second: 1 row"):
        rates.compare_rates(FIRST, SECOND, missing="raise")


def test_compare_rates_of_arrest_yields_matches_r():
    # arrests per deployment: 272 in 81 against 342 in 74, poisson.test(c(272, 342), c(81, 74))
    first = frame([(f"x{i}", 1, 1, 0, 272 if i == 0 else 0, "primary") for i in range(81)])
    second = frame([(f"y{i}", 1, 1, 0, 342 if i == 0 else 0, "primary") for i in range(74)])
    out = rates.compare_rates(first, second, count="arrests", per="deployment")
    expected = ref.compare_272_vs_342
    assert out["estimate"] == pytest.approx(expected.estimate, rel=1e-12)
    assert (out["lower"], out["upper"]) == pytest.approx(
        (expected.lower, expected.upper), rel=1e-10
    )
    assert out["p_value"] == pytest.approx(expected.p_value, rel=1e-10)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"per": "deployment"}, ValueError, "per='deployment' is not one of 'face', 'alert'"),
        ({"count": "alerts"}, ValueError, "count='alerts' is not one of"),
        ({"labels": ("a",)}, TypeError, "labels must be two names"),
        ({"labels": (1, 2)}, TypeError, "labels must be two strings"),
        ({"conf": 95}, ValueError, "the confidence level must be at least 0.5"),
        ({"alternative": "bigger"}, ValueError, "alternative='bigger' is not one of"),
        ({"full": "yes"}, TypeError, "full must be True or False"),
    ],
)
def test_compare_rates_refuses_bad_arguments_naming_them(kwargs, error, match):
    with pytest.raises(error, match=match):
        rates.compare_rates(FIRST, SECOND, **kwargs)


def test_compare_rates_refuses_bad_groups_naming_group_row_and_value():
    with pytest.raises(TypeError, match="first must be a pandas DataFrame"):
        rates.compare_rates([1, 2], SECOND)
    bad = SECOND.astype({"false_alerts": object})
    bad.loc[0, "false_alerts"] = 2.5
    with pytest.raises(ValueError, match=r"'false_alerts', row 0 .*'c': value 2.5 is not a count"):
        rates.compare_rates(FIRST, bad)
    over = SECOND.copy()
    over.loc[0, "false_alerts"] = 700
    with pytest.raises(ValueError, match=r"second, row 0 .*'c'.*exceed alerts"):
        rates.compare_rates(FIRST, over, per="alert")
    with pytest.raises(ValueError, match="second: no deployment with a known"):
        rates.compare_rates(FIRST, SECOND.assign(faces_seen=pd.NA))


# --------------------------------------------------------------- spread-aware intervals


def test_headline_rate_allowing_for_spread_matches_r_quasibinomial(primary):
    row = rates.false_alert_rates(primary, full=True).iloc[0]
    counts = ref.headline_counts
    assert (row["n_deployments"], row["false_alerts"], row["faces_seen"]) == (
        counts.n_deployments, counts.false_alerts, counts.faces_seen,
    )  # fmt: skip
    assert (row["lower"], row["upper"]) == pytest.approx(
        (ref.headline_exact.lower, ref.headline_exact.upper), rel=1e-10
    )
    # glm(cbind(y, n - y) ~ 1, family = quasibinomial()) in R, Wald on the logit scale
    spread = ref.headline_quasi_binomial
    assert row["lower_spread"] == pytest.approx(spread.lower, rel=1e-6)
    assert row["upper_spread"] == pytest.approx(spread.upper, rel=1e-6)
    assert row["dispersion"] == pytest.approx(spread.dispersion, rel=1e-6)  # R's IRLS stops at 1e-8
    # primary record: 12.6-23.4 per million exact, 8.0-37.7 allowing for spread
    assert (round(row["lower"] * 1e6, 1), round(row["upper"] * 1e6, 1)) == (12.6, 23.4)
    assert (round(row["lower_spread"] * 1e6, 1), round(row["upper_spread"] * 1e6, 1)) == (8.0, 37.7)
    # the quasi-Poisson interval (R's glm with an offset) agrees to four digits at this rate
    assert row["lower_spread"] == pytest.approx(ref.headline_quasi_poisson.lower, rel=1e-4)
    assert (row["n_primary"], row["n_secondary"]) == (285, 0)


def test_spread_interval_by_group_equals_the_one_group_function(record):
    table = rates.false_alert_rates(record, by="year", full=True)
    for year, rows in record.groupby(record["date"].dt.year):
        used = rows.dropna(subset=["faces_seen", "false_alerts"])
        used = used[used["faces_seen"] > 0]
        out = table.set_index("year").loc[year]
        if len(used) < 2 or used["false_alerts"].sum() == 0:
            assert pd.isna(out["lower_spread"])
            continue
        one = intervals.quasi_binomial_ci(used["false_alerts"], used["faces_seen"])
        assert out["dispersion"] == pytest.approx(one["dispersion"], rel=1e-9)  # same formula
        # never narrower than the exact interval
        assert out["lower_spread"] == pytest.approx(min(one["lower"], out["lower"]), rel=1e-9)
        assert out["upper_spread"] == pytest.approx(max(one["upper"], out["upper"]), rel=1e-9)
        assert out["n_primary"] + out["n_secondary"] == out["n_deployments"]


def test_arrests_per_deployment_allowing_for_spread_matches_r_quasipoisson(primary):
    row = arrests.arrest_yield(primary[primary["date"].dt.year == 2024], by=None).iloc[0]
    expected = ref.arrests_2024_quasi_poisson
    assert (row["n_deployments"], row["arrests"]) == (expected.n_deployments, expected.arrests)
    one = intervals.quasi_poisson_ci(
        primary.loc[primary["date"].dt.year == 2024, "arrests"].dropna().astype(int), 1.0
    )
    assert one["lower"] == pytest.approx(expected.lower, rel=1e-7)
    assert one["upper"] == pytest.approx(expected.upper, rel=1e-7)
    assert one["dispersion"] == pytest.approx(expected.dispersion, rel=1e-9)
    assert row["per_deployment_lower_spread"] == pytest.approx(
        min(expected.lower, row["per_deployment_lower"]), rel=1e-7
    )
    assert row["per_deployment_upper_spread"] == pytest.approx(
        max(expected.upper, row["per_deployment_upper"]), rel=1e-7
    )


def test_spread_intervals_refuse_what_cannot_measure_spread():
    with pytest.raises(ValueError, match="need at least two units"):
        intervals.quasi_binomial_ci([1], [100])
    with pytest.raises(ValueError, match="trials at position 1 is 0"):
        intervals.quasi_binomial_ci([1, 0], [100, 0])
    with pytest.raises(ValueError, match="exposure at position 0 is missing"):
        intervals.quasi_poisson_ci([1, 2], [np.nan, 1.0])
    nothing = intervals.quasi_binomial_ci([0, 0], [100, 200])
    assert math.isnan(nothing["lower"]) and nothing["estimate"] == 0


def test_negative_binomial_profile_refuses_what_it_cannot_fit():
    with pytest.raises(ValueError, match="no events"):
        heterogeneity.negative_binomial_ratio([0, 0], [1.0, 2.0])
    with pytest.raises(ValueError, match="at least two units"):
        heterogeneity.negative_binomial_ratio([3], [1.0])
    with pytest.raises(ValueError, match=r"observed \(length 2\) and expected \(length 3\)"):
        heterogeneity.negative_binomial_ratio([3, 1], [1.0, 2.0, 3.0])


# --------------------------------------------------------------------- tipping points


@pytest.fixture(scope="module")
def refs():
    return references.load_references()


@pytest.fixture(scope="module")
def settings(primary):
    at = {t: primary[primary["threshold"] == t] for t in (0.60, 0.62, 0.64)}
    at["2024"] = at[0.60][at[0.60]["date"].dt.year == 2024]
    return at


@pytest.mark.parametrize(
    ("setting", "key", "kwargs", "expected", "verdict"),
    [
        (0.60, "npl2023_t060", {}, ref.detections_060_study, "fewer"),
        (0.60, "npl2023_t060", {"uncertainty": "fixed"}, ref.detections_060_fixed, "fewer"),
        ("2024", "npl2023_t060", {"uncertainty": "fixed"}, ref.detections_060_2024_fixed, "fewer"),
        (0.62, "npl2023_t062", {}, ref.detections_062_study, "neither"),
        (0.62, "npl2023_t062", {"vary": "study_exposure"}, ref.exposure_062_study, "neither"),
        (0.64, "npl2023_t064", {}, ref.detections_064_study, "not more"),
        (0.64, "npl2023_t064", {"vary": "study_exposure"}, ref.exposure_064_study, "not more"),
        (0.64, "npl2023_t064", {"vary": "study_exposure", "uncertainty": "fixed"},
         ref.exposure_064_fixed, "not more"),
    ],
)  # fmt: skip
def test_tipping_points_match_r(settings, refs, setting, key, kwargs, expected, verdict):
    out = predictions.tipping_point(settings[setting], refs[key], **kwargs)
    assert out["tipping_point"] == pytest.approx(expected, rel=1e-8)
    assert out["verdict"].startswith(verdict)
    # a verdict sentence names its tipping point
    shown = f"{expected:,.0f}" if expected > 1000 else f"{expected:.2f}"
    if out["vary"] == "detections_per_person" and expected > 10:
        shown = f"{expected:,.1f}"
    assert shown in out["statement"], out["statement"]
    assert out["n_primary"] == out["n_deployments"] and out["n_secondary"] == 0


def test_issue_13_tipping_points_in_the_words_of_the_issue(settings, refs):
    # detections per person that make the 0.60 upper limit reach 1: 1.45 counting NPL's
    # uncertainty, 2.68 for the fixed prediction, 1.05 for 2024 alone
    at_060, ref_060 = settings[0.60], refs["npl2023_t060"]
    assert round(predictions.tipping_point(at_060, ref_060)["tipping_point"], 2) == 1.45
    fixed = predictions.tipping_point(at_060, ref_060, uncertainty="fixed")
    assert round(fixed["tipping_point"], 2) == 2.68
    alone = predictions.tipping_point(settings["2024"], ref_060, uncertainty="fixed")
    assert round(alone["tipping_point"], 2) == 1.05


def test_a_tipping_point_is_where_the_comparison_itself_tips(settings, refs):
    # at the tipping exposure, the 0.62 comparison's lower limit is exactly 1
    ref_062 = refs["npl2023_t062"]
    assert ref_062.rate_derived and not refs["npl2023_t060"].rate_derived
    point = predictions.tipping_point(settings[0.62], ref_062, vary="study_exposure")
    moved = references.with_study_size(ref_062, exposure=point["tipping_point"], basis="test")
    assert moved.fpir == pytest.approx(1 / point["tipping_point"])
    row = predictions.observed_vs_expected(settings[0.62], moved).iloc[0]
    assert row["ratio_lower_cond"] == pytest.approx(1.0, rel=1e-9)
    # under the alternative exposure (crowd x filler set / 10,000) the Met is clearly worse
    crowd, filler = ref.npl_crowd_and_filler.crowd, ref.npl_crowd_and_filler.filler
    alternative = references.with_study_size(ref_062, exposure=crowd * filler / 10_000, basis="x")
    worse = predictions.observed_vs_expected(settings[0.62], alternative).iloc[0]
    assert worse["p_cond_two_sided"] == pytest.approx(
        ref.alternative_exposure_062.p_value, rel=1e-9
    )
    assert round(worse["p_cond_two_sided"], 9) == 7.8e-8
    assert worse["ratio_lower_cond"] == pytest.approx(ref.alternative_exposure_062.lower, rel=1e-9)
    # at the 0.64 tipping exposure the one-sided conditional p-value is exactly 5%
    ref_064 = refs["npl2023_t064"]
    point = predictions.tipping_point(settings[0.64], ref_064, vary="study_exposure")
    moved = references.with_study_size(ref_064, exposure=point["tipping_point"], basis="test")
    at = predictions.observed_vs_expected(settings[0.64], moved).iloc[0]
    assert at["p_cond_more"] == pytest.approx(0.05, rel=1e-9)


def test_tipping_point_refuses_what_has_no_tipping_point(settings, refs):
    with pytest.raises(ValueError, match="vary='study_exposure': 'NPL 2023 at 0.60' rests on a"):
        predictions.tipping_point(settings[0.60], refs["npl2023_t060"], vary="study_exposure")
    with pytest.raises(ValueError, match="vary='people' is not one of"):
        predictions.tipping_point(settings[0.60], refs["npl2023_t060"], vary="people")
    with pytest.raises(ValueError, match="uncertainty='none' is not one of"):
        predictions.tipping_point(settings[0.60], refs["npl2023_t060"], uncertainty="none")
    with pytest.raises(TypeError, match="reference must be a Reference"):
        predictions.tipping_point(settings[0.60], "NPL")
    with pytest.raises(ValueError, match="threshold 0.60"):
        predictions.tipping_point(settings[0.64], refs["npl2023_t060"])


def test_with_study_size_moves_a_derived_rate_but_not_a_published_one(refs):
    moved = references.with_study_size(refs["npl2023_t062"], exposure=84_000, basis="twice")
    assert moved.fpir == pytest.approx(1 / 84_000) and moved.events == 1
    with pytest.raises(ValueError, match="rests on an assumed exposure: give exposure"):
        references.with_study_size(refs["npl2023_t062"], events=3, basis="x")
    with pytest.raises(ValueError, match="give events, not exposure"):
        references.with_study_size(refs["npl2023_t060"], exposure=1e5, basis="x")
    with pytest.raises(ValueError, match="basis must say why"):
        references.with_study_size(refs["npl2023_t062"], exposure=1e5, basis="")
    assert "derived" in refs["npl2023_t062"].rate_basis
    assert refs["npl2023_t060"].rate_basis == "published rate"


# ------------------------------------------------------- one path for Beta quantiles


@pytest.mark.parametrize(("x", "n"), [(999, 10**9), (1000, 10**7), (1, 10**9), (44, 2_529_031)])
def test_every_beta_quantile_of_the_intervals_survives_a_round_trip(x, n):
    # defect 4 of issue 13: Clopper-Pearson, Jeffreys and posterior quantiles all come from
    # stats.intervals.beta_quantile, which checks each by putting it back through betainc
    for method, shift in (("clopper-pearson", 0.0), ("jeffreys", 0.5)):
        limits = rates.rate_ci(x, n, method=method).iloc[0]
        low = special.betainc(x + shift, n - x + 1 - shift, limits["lower"])
        high = special.betainc(x + 1 - shift, n - x + shift, limits["upper"])
        assert low == pytest.approx(0.025, rel=1e-6) and high == pytest.approx(0.975, rel=1e-6)
    posterior = rates.rate_posterior(x, n, prior=(1, 1)).iloc[0]
    assert posterior["q0.025"] < posterior["q0.5"] < posterior["q0.975"]
    for q in (0.025, 0.5, 0.975):
        assert special.betainc(1 + x, 1 + n - x, posterior[f"q{q:g}"]) == pytest.approx(q, rel=1e-6)
