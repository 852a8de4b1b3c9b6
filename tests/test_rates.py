"""Tests of lfr_analysis.rates against reference values computed independently of it.

Reference values come from R (tests/reference/rates.py and heterogeneity.py, written by the
scripts in tests/reference/R/): binom.test (Clopper-Pearson), prop.test (Wilson), qbeta
(Jeffreys, posteriors), pbeta, mid-p limits and exact coverages written out in R, and the
exact conditional test by enumeration; and from closed forms at zero events. The counts are
the Met annual report's (10 false alerts in 3,147,436 faces, 2,077 alerts).
"""

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from reference import heterogeneity as ref_heterogeneity
from reference import rates as ref
from scipy import stats

from lfr_analysis import plotting, rates
from lfr_analysis.stats.heterogeneity import conditional_mc_test

FACES_2025 = 3_147_436  # faces seen, Sep 2024 - Sep 2025 (Met annual report)
FALSE_2025 = 10
ALERTS_2025 = 2_077


# ------------------------------------------------------------------------------------
# exact coverage of the package's intervals (compared with coverages computed in R)
# ------------------------------------------------------------------------------------


def exact_coverage(method, n, p, conf=0.95):
    """Exact coverage: sum of Binomial(n, p) probabilities of x whose interval holds p."""
    x_max = int(stats.binom.isf(1e-15, n, p)) + 2
    x = np.arange(0, min(x_max, n) + 1)
    ci = rates.rate_ci(x, n, method=method, conf=conf)
    covers = (ci["lower"].to_numpy() <= p) & (p <= ci["upper"].to_numpy())
    return float(np.sum(stats.binom.pmf(x, n, p)[covers]))


# ------------------------------------------------------------------------------------
# rate_ci: reference values
# ------------------------------------------------------------------------------------


def test_clopper_pearson_headline_matches_r_binom_test():
    assert (FACES_2025, FALSE_2025, ALERTS_2025) == (
        ref.FACES_2025,
        ref.FALSE_ALERTS_2025,
        ref.ALERTS_2025,
    )
    ci = rates.rate_ci(FALSE_2025, FACES_2025).iloc[0]
    expected = ref.clopper_pearson_10_in_3147436  # binom.test(10, 3147436)$conf.int
    assert ci["lower"] == pytest.approx(expected.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(expected.upper, rel=1e-10)
    assert ci["estimate"] == FALSE_2025 / FACES_2025
    assert ci["method"] == "clopper-pearson" and ci["conf"] == 0.95


@pytest.mark.parametrize(
    ("x", "n", "conf", "expected"),
    [
        (0, 15_000, 0.95, ref.clopper_pearson_0_in_15000),
        (1, 15_000, 0.95, ref.clopper_pearson_1_in_15000),
        (3, 40, 0.9, ref.clopper_pearson_3_in_40_conf90),
        (39, 40, 0.99, ref.clopper_pearson_39_in_40_conf99),
        (40, 40, 0.95, ref.clopper_pearson_40_in_40),
    ],
)
def test_clopper_pearson_small_cases_match_r_binom_test(x, n, conf, expected):
    ci = rates.rate_ci(x, n, conf=conf).iloc[0]
    assert ci["lower"] == pytest.approx(expected.lower, rel=1e-10, abs=1e-300)
    assert ci["upper"] == pytest.approx(expected.upper, rel=1e-10)


def test_zero_events_two_sided_cp_upper_is_closed_form():
    n = 15_000
    ci = rates.rate_ci(0, n).iloc[0]
    assert ci["lower"] == 0.0
    assert ci["upper"] == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-9)
    assert ci["upper"] == pytest.approx(ref.clopper_pearson_0_in_15000.upper, rel=1e-10)
    assert ci["upper"] * n == pytest.approx(3.69, abs=0.01)


def test_one_sided_upper_bound_is_rule_of_three_at_zero_events():
    n = np.array([1_000, 15_000, 3_000_000])
    ci = rates.rate_ci(np.zeros(3, dtype=int), n, side="upper")
    np.testing.assert_allclose(ci["upper"], 1 - 0.05 ** (1 / n), rtol=1e-9)
    # n * bound -> -ln(0.05) = 2.996, "about 3"
    np.testing.assert_allclose(ci["upper"] * n, -np.log(0.05), rtol=3e-3)
    assert (ci["lower"] == 0).all() and (ci["side"] == "upper").all()


def test_one_sided_upper_bound_with_events_matches_r_binom_test():
    ci = rates.rate_ci(FALSE_2025, FACES_2025, side="upper").iloc[0]
    # binom.test(10, 3147436, alternative = "less")$conf.int[2]
    assert ci["upper"] == pytest.approx(ref.clopper_pearson_upper95_10_in_3147436, rel=1e-10)
    assert ci["lower"] == 0.0


def test_one_sided_lower_bound_matches_r_binom_test():
    ci = rates.rate_ci(FALSE_2025, FACES_2025, side="lower").iloc[0]
    # binom.test(10, 3147436, alternative = "greater")$conf.int[1]
    assert ci["lower"] == pytest.approx(ref.clopper_pearson_lower95_10_in_3147436, rel=1e-10)
    assert ci["upper"] == 1.0


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [
        (10, FACES_2025, ref.midp_10_in_3147436),
        (1, FACES_2025, ref.midp_1_in_3147436),
        (1, 15_000, ref.midp_1_in_15000),
        (2, 20, ref.midp_2_in_20),
        (7, 42_000, ref.midp_7_in_42000),
        (19, 20, ref.midp_19_in_20),
        (50, 200, ref.midp_50_in_200),
    ],
)
def test_midp_matches_r_reference(x, n, expected):
    # midp_ci() in tests/reference/R/rates.R: uniroot on pbinom and dbinom
    ci = rates.rate_ci(x, n, method="mid-p").iloc[0]
    assert ci["lower"] == pytest.approx(expected.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(expected.upper, rel=1e-10)


@pytest.mark.parametrize(
    ("x", "n", "cp", "midp", "cp_rel"),
    [
        (1_000, 10**9, ref.clopper_pearson_1000_in_1e9, ref.midp_1000_in_1e9, 1e-10),
        (10, 10**12, ref.clopper_pearson_10_in_1e12, ref.midp_10_in_1e12, 1e-10),
        # scipy's betaincinv is 1.7e-9 (relative) off the lower limit here, inside the
        # module's round-trip tolerance (1e-6 of the tail probability), so it is not re-solved
        (1_000, 10**7, ref.clopper_pearson_1000_in_1e7, ref.midp_1000_in_1e7, 5e-9),
    ],
)
def test_large_counts_clopper_pearson_and_midp(x, n, cp, midp, cp_rel):
    # scipy's betaincinv returns 1.9e-6 for the CP lower limit of 1,000 in 1e9 (true 9.39e-7);
    # the module checks every Beta quantile by a round trip and re-solves the bad ones.
    # Reference: R's binom.test and midp_ci, both checked in 256-bit arithmetic (Rmpfr).
    ci = rates.rate_ci(x, n).iloc[0]
    assert ci["lower"] == pytest.approx(cp.lower, rel=cp_rel)
    assert ci["upper"] == pytest.approx(cp.upper, rel=1e-10)
    mid = rates.rate_ci(x, n, method="mid-p").iloc[0]
    assert mid["lower"] == pytest.approx(midp.lower, rel=1e-10)
    assert mid["upper"] == pytest.approx(midp.upper, rel=1e-10)


def test_clopper_pearson_999_in_1e9_matches_r_binom_test():
    ci = rates.rate_ci(999, 10**9).iloc[0]
    expected = ref.clopper_pearson_999_in_1e9  # binom.test(999, 1e9)$conf.int
    assert ci["lower"] == pytest.approx(expected.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(expected.upper, rel=1e-10)


def test_midp_headline_published_values_and_landmarks():
    ci = rates.rate_ci(FALSE_2025, FACES_2025, method="mid-p").iloc[0]
    # mid-p 1.61-5.66 per million (midp_ci(10, 3147436) in R)
    assert ci["lower"] == pytest.approx(ref.midp_10_in_3147436.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(ref.midp_10_in_3147436.upper, rel=1e-10)
    assert ci["lower"] * 1e6 == pytest.approx(1.61, abs=0.005)
    assert ci["upper"] * 1e6 == pytest.approx(5.66, abs=0.005)
    # at x = 1 the lower limit times n is close to 0.05 (0.5 * lambda e^-lambda ... ~ alpha/2)
    one = rates.rate_ci(1, FACES_2025, method="mid-p").iloc[0]
    assert one["lower"] * FACES_2025 == pytest.approx(0.0500, abs=1e-4)
    # at x = 0 the two-sided mid-p upper limit equals the one-sided 95% CP bound
    n = 15_000
    zero = rates.rate_ci(0, n, method="mid-p").iloc[0]
    # binom.test(0, 15000, alternative = "less")$conf.int[2]
    assert zero["upper"] == pytest.approx(ref.clopper_pearson_upper95_0_in_15000, rel=1e-10)
    assert zero["upper"] == pytest.approx(ref.midp_0_in_15000.upper, rel=1e-10)
    assert zero["lower"] == 0.0


@pytest.mark.parametrize("x", [1, 2, 5, 10, 40])
def test_midp_at_a_small_rate_matches_r_binomial_and_poisson_midp(x):
    # binomial mid-p at 1e6 trials (midp_ci in R) and, within 1e-3, the Poisson mid-p limits
    # on the count scale (poisson_midp_ci in R: uniroot on ppois and dpois) divided by n
    n = 1_000_000
    binomial = getattr(ref, f"midp_{x}_in_1e6")
    poisson = getattr(ref, f"poisson_midp_{x}")
    ci = rates.rate_ci(x, n, method="mid-p").iloc[0]
    assert ci["lower"] == pytest.approx(binomial.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(binomial.upper, rel=1e-10)
    assert ci["lower"] == pytest.approx(poisson.lower / n, rel=1e-3)
    assert ci["upper"] == pytest.approx(poisson.upper / n, rel=1e-3)


def test_per_alert_published_values():
    ci = rates.rate_ci(FALSE_2025, ALERTS_2025).iloc[0]
    # per alert 0.48%, CP 0.23%-0.88% (binom.test(10, 2077)), mid-p 0.24%-0.86%
    assert ci["estimate"] == FALSE_2025 / ALERTS_2025
    assert ci["estimate"] * 100 == pytest.approx(0.48, abs=0.005)
    assert ci["lower"] == pytest.approx(ref.clopper_pearson_10_in_2077.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(ref.clopper_pearson_10_in_2077.upper, rel=1e-10)
    midp = rates.rate_ci(FALSE_2025, ALERTS_2025, method="mid-p").iloc[0]
    assert midp["lower"] == pytest.approx(ref.midp_10_in_2077.lower, rel=1e-10)
    assert midp["upper"] == pytest.approx(ref.midp_10_in_2077.upper, rel=1e-10)


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [
        (2, 20, ref.wilson_2_in_20),
        (10, FACES_2025, ref.wilson_10_in_3147436),
        (5, 15_000, ref.wilson_5_in_15000),
        (30, 31, ref.wilson_30_in_31),
    ],
)
def test_wilson_matches_r_prop_test(x, n, expected):
    # prop.test(x, n, correct = FALSE)$conf.int
    ci = rates.rate_ci(x, n, method="wilson").iloc[0]
    assert ci["lower"] == pytest.approx(expected.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(expected.upper, rel=1e-10)


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [
        (2, 20, ref.jeffreys_2_in_20),
        (10, FACES_2025, ref.jeffreys_10_in_3147436),
        (1, 15_000, ref.jeffreys_1_in_15000),
        (7, 42_000, ref.jeffreys_7_in_42000),
    ],
)
def test_jeffreys_matches_r_beta_quantiles(x, n, expected):
    # qbeta(c(0.025, 0.975), x + 0.5, n - x + 0.5)
    ci = rates.rate_ci(x, n, method="jeffreys").iloc[0]
    assert ci["lower"] == pytest.approx(expected.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(expected.upper, rel=1e-10)


def test_jeffreys_headline_matches_r():
    ci = rates.rate_ci(FALSE_2025, FACES_2025, method="jeffreys-modified").iloc[0]
    # modified Jeffreys 1.63-5.64 per million: at 10 events the same as plain Jeffreys
    assert ci["lower"] == pytest.approx(ref.jeffreys_10_in_3147436.lower, rel=1e-10)
    assert ci["upper"] == pytest.approx(ref.jeffreys_10_in_3147436.upper, rel=1e-10)
    assert ci["lower"] * 1e6 == pytest.approx(1.63, abs=0.005)
    assert ci["upper"] * 1e6 == pytest.approx(5.64, abs=0.005)


def test_boundary_fixes_at_zero_events():
    n = 15_000
    by_method = {m: rates.rate_ci(0, n, method=m).iloc[0] for m in rates.METHODS}
    # statsmodels gives 3.3e-8 (Jeffreys) and ~1e-20 (Wilson) here; the module gives 0
    assert all(row["lower"] == 0.0 for row in by_method.values())
    # qbeta(0.975, 0 + 0.5, 15000 - 0 + 0.5)
    assert by_method["jeffreys"]["upper"] == pytest.approx(ref.jeffreys_upper_0_in_15000, rel=1e-10)
    assert by_method["jeffreys-modified"]["upper"] == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-9)
    one = rates.rate_ci(1, n, method="jeffreys-modified").iloc[0]
    assert one["lower"] == 0.0


@pytest.mark.parametrize("method", rates.METHODS)
def test_all_events_give_upper_one(method):
    ci = rates.rate_ci([20, 1], [20, 1], method=method)
    assert (ci["upper"] == 1.0).all()
    assert (ci["lower"] > 0).all()


@pytest.mark.parametrize("method", rates.METHODS)
def test_intervals_ordered_and_nested_in_confidence(method):
    x = np.array([0, 1, 2, 5, 10, 99, 100])
    n = np.array([100, 100, 3_000, 40_000, FACES_2025, 100, 100])
    narrow = rates.rate_ci(x, n, method=method, conf=0.8)
    wide = rates.rate_ci(x, n, method=method, conf=0.99)
    for ci in (narrow, wide):
        assert (ci["lower"] <= ci["estimate"]).all() and (ci["estimate"] <= ci["upper"]).all()
        assert ((ci["lower"] >= 0) & (ci["upper"] <= 1)).all()
    assert (wide["lower"] <= narrow["lower"] + 1e-15).all()
    assert (wide["upper"] >= narrow["upper"] - 1e-15).all()


# ------------------------------------------------------------------------------------
# rate_ci: coverage (exact, by summing binomial probabilities)
# ------------------------------------------------------------------------------------

COVERAGE_GRID = list(
    itertools.product([1e-6, 3e-6, 1e-5, 1e-4], [1_000, 30_000, 300_000, 1_000_000])
)


@pytest.mark.parametrize(("p", "n"), COVERAGE_GRID)
def test_default_method_exact_coverage_at_least_nominal(p, n):
    # check a small neighbourhood of each grid point too: discrete coverage oscillates in p
    for factor in np.geomspace(0.5, 2, 9):
        coverage = exact_coverage("clopper-pearson", n, p * factor)
        assert coverage >= 0.95 - 1e-12, (n, p * factor, coverage)


def test_coverage_calculation_matches_r():
    # CP at n = 1e5, p = 1e-5 covers 0.981; Wilson has a hole of 0.838 at lambda = 0.176 and
    # plain Jeffreys one of 0.898 at lambda = 0.108 (n = 1e6). The holes end just above those
    # points (the x = 1 lower limit crosses p at lambda = 0.1079 for Jeffreys), so evaluate
    # just inside them. Reference: coverage() in tests/reference/R/rates.R, which builds the
    # intervals with binom.test, prop.test and qbeta and sums dbinom.
    cases = [
        ("clopper-pearson", 100_000, 1e-5, ref.coverage_clopper_pearson_n1e5_p1e_5),
        ("wilson", 1_000_000, 0.176e-6, ref.coverage_wilson_n1e6_p0_176e_6),
        ("jeffreys", 1_000_000, 0.1078e-6, ref.coverage_jeffreys_n1e6_p0_1078e_6),
        (
            "jeffreys-modified",
            1_000_000,
            0.1078e-6,
            ref.coverage_jeffreys_modified_n1e6_p0_1078e_6,
        ),
    ]
    for method, n, p, expected in cases:
        assert exact_coverage(method, n, p) == pytest.approx(expected, rel=1e-10), method
    assert exact_coverage("clopper-pearson", 100_000, 1e-5) == pytest.approx(0.981, abs=5e-4)
    assert exact_coverage("wilson", 1_000_000, 0.176e-6) == pytest.approx(0.838, abs=2e-3)
    assert exact_coverage("jeffreys", 1_000_000, 0.1078e-6) == pytest.approx(0.898, abs=2e-3)
    # the modification repairs the Jeffreys hole there
    assert exact_coverage("jeffreys-modified", 1_000_000, 0.1078e-6) > 0.95


# ------------------------------------------------------------------------------------
# rate_ci: shapes, index, errors
# ------------------------------------------------------------------------------------


def test_scalar_array_and_series_inputs():
    scalar = rates.rate_ci(3, 1_000)
    assert list(scalar.columns) == [
        "events",
        "trials",
        "estimate",
        "lower",
        "upper",
        "method",
        "conf",
        "side",
    ]
    assert len(scalar) == 1
    events = pd.Series([0, 3, 7], index=["d1", "d2", "d3"], dtype="Int64")
    trials = pd.Series([500, 1_000, 9_000], index=["d1", "d2", "d3"], dtype="Int64")
    ci = rates.rate_ci(events, trials, method="mid-p")
    assert list(ci.index) == ["d1", "d2", "d3"]
    assert ci.loc["d2", "estimate"] == pytest.approx(3 / 1_000)
    broadcast = rates.rate_ci(np.array([0, 1, 2]), 1_000)
    assert broadcast["trials"].tolist() == [1_000] * 3


@pytest.mark.parametrize(
    ("events", "trials", "message"),
    [
        ([1, -1], [10, 10], "events at position 1 is negative"),
        ([1, 2.5], [10, 10], "events at position 1 is not a whole number"),
        ([1, 2], [10, 9.5], "trials at position 1 is not a whole number"),
        ([1, 11], [10, 10], "events at position 1 (11) exceed trials (10)"),
        ([1, 0], [10, 0], "trials at position 1 is 0"),
        ([np.nan, 1], [10, 10], "events at position 0 is missing"),
        (["3", 1], [10, 10], "not a number"),
        ([1, 2e15], [10, 3e15], "events at position 1 is too large"),
        ([True, 1], [10, 10], "events at position 0 is True: not a number"),
        ([1, None], [10, 10], "events at position 1 is missing"),
        ([[1, 2]], [10], "one-dimensional"),
        ([1, 2, 3], [10, 10], "different lengths"),
    ],
)
def test_bad_counts_raise_naming_position(events, trials, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rates.rate_ci(events, trials)


def test_bad_series_value_names_its_label():
    events = pd.Series([1, pd.NA, 2], index=["a", "b", "c"], dtype="Int64")
    with pytest.raises(ValueError, match=r"events at position 1 \(index label 'b'\) is missing"):
        rates.rate_ci(events, 10)
    text = pd.Series(["1", "x"], index=["a", "b"])
    with pytest.raises(ValueError, match=r"events at position 0 \(index label 'a'\) is '1'"):
        rates.rate_ci(text, 10)
    with pytest.raises(ValueError, match="different indexes"):
        rates.rate_ci(pd.Series([1], index=["a"]), pd.Series([10], index=["b"]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "wald"}, "method='wald'"),
        ({"conf": 1.5}, "conf=1.5"),
        ({"conf": 0}, "conf=0"),
        ({"conf": 0.3}, "at least 0.5"),
        ({"conf": 0.6, "side": "upper", "method": "mid-p"}, "needs a level of at least 0.75"),
        ({"side": "both"}, "side='both'"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rates.rate_ci(1, 10, **kwargs)


# ------------------------------------------------------------------------------------
# rate_posterior, prob_rate_exceeds
# ------------------------------------------------------------------------------------


def test_posterior_uniform_prior_zero_events_closed_form():
    # Beta(1, n + 1): quantile q is 1 - (1 - q) ** (1 / (n + 1))
    n = 15_000
    post = rates.rate_posterior(0, n, prior=(1, 1), probs=(0.5, 0.95)).iloc[0]
    assert post["q0.5"] == pytest.approx(1 - 0.5 ** (1 / (n + 1)), rel=1e-9)
    assert post["q0.95"] == pytest.approx(1 - 0.05 ** (1 / (n + 1)), rel=1e-9)
    assert post["posterior_mean"] == pytest.approx(1 / (n + 2))


def test_posterior_jeffreys_prior_matches_r_beta_quantiles():
    post = rates.rate_posterior(FALSE_2025, FACES_2025).iloc[0]
    # qbeta(c(0.025, 0.5, 0.975), 10 + 0.5, 3147436 - 10 + 0.5)
    expected = ref.posterior_jeffreys_10_in_3147436
    assert post["q0.025"] == pytest.approx(expected.q025, rel=1e-10)
    assert post["q0.5"] == pytest.approx(expected.q50, rel=1e-10)
    assert post["q0.975"] == pytest.approx(expected.q975, rel=1e-10)
    assert post["q0.025"] == pytest.approx(ref.jeffreys_10_in_3147436.lower, rel=1e-10)


def test_posterior_uniform_prior_999_in_1e9_matches_r_beta_quantiles():
    # Beta(1000, 1e9 - 998): scipy's betaincinv gives 1.9e-6 for the 2.5% quantile, where R's
    # qbeta (checked in 256-bit arithmetic) gives 9.39e-7
    post = rates.rate_posterior(999, 10**9, prior=(1, 1), probs=(0.025, 0.5, 0.975)).iloc[0]
    expected = ref.posterior_uniform_999_in_1e9
    assert post["q0.025"] == pytest.approx(expected.q025, rel=1e-10)
    assert post["q0.5"] == pytest.approx(expected.q50, rel=1e-10)
    assert post["q0.975"] == pytest.approx(expected.q975, rel=1e-10)


def test_prob_rate_exceeds_npl_figure_and_uniform_closed_form():
    # P(rate > 1/6000 | 10 in 3.1M) is astronomically small (9.0e-209 by R's pbeta); under a
    # uniform prior and zero events, P(rate > v) = (1 - v) ** (n + 1)
    exceeds = rates.prob_rate_exceeds(FALSE_2025, FACES_2025, 1 / 6_000).iloc[0]
    assert exceeds == pytest.approx(ref.prob_rate_exceeds_1_in_6000_10_in_3147436, rel=1e-10)
    assert exceeds < 1e-100
    n, v = 2_000, 1e-3
    prob = rates.prob_rate_exceeds(0, n, v, prior=(1, 1)).iloc[0]
    assert prob == pytest.approx((1 - v) ** (n + 1), rel=1e-9)


def test_posterior_bad_arguments():
    with pytest.raises(ValueError, match="prior"):
        rates.rate_posterior(1, 10, prior=(0, 1))
    with pytest.raises(ValueError, match="probs"):
        rates.rate_posterior(1, 10, probs=(0.5, 1.0))
    with pytest.raises(ValueError, match="value"):
        rates.prob_rate_exceeds(1, 10, 1.5)


# ------------------------------------------------------------------------------------
# false_alert_rates
# ------------------------------------------------------------------------------------


def deployments_frame():
    """Small synthetic deployments with the column names and dtypes of data/deployments.csv."""
    return pd.DataFrame(
        {
            "deployment_id": ["a", "b", "c", "d", "e", "f"],
            "date": pd.to_datetime(
                ["2023-04-06", "2023-11-01", "2024-02-03", "2024-02-20", "2025-01-08", "2025-06-01"]
            ),
            "threshold": [0.6, 0.6, 0.64, 0.64, 0.64, np.nan],
            "faces_seen": pd.array([10_000, 20_000, 50_000, 30_000, 40_000, pd.NA], dtype="Int64"),
            "alerts": pd.array([5, 2, 10, pd.NA, 8, 3], dtype="Int64"),
            "false_alerts": pd.array([1, 0, 0, 1, 2, 0], dtype="Int64"),
            "source_type": ["primary"] * 5 + ["secondary"],
        }
    )


def test_pooled_overall_rate_sums_counts_then_estimates():
    table = rates.false_alert_rates(deployments_frame())
    assert len(table) == 1
    row = table.iloc[0]
    # row f has no faces_seen: excluded and counted
    assert row["n_deployments"] == 5 and row["n_excluded"] == 1
    assert row["faces_seen"] == 150_000 and row["false_alerts"] == 4
    assert pd.isna(row["alerts"])  # row d lacks alerts, so the alerts sum is unknown
    lower, upper = ref.clopper_pearson_4_in_150000.lower, ref.clopper_pearson_4_in_150000.upper
    assert row["rate"] == pytest.approx(4 / 150_000)
    assert row["lower"] == pytest.approx(lower, rel=1e-10)
    assert row["upper"] == pytest.approx(upper, rel=1e-10)
    assert row["one_in"] == pytest.approx(150_000 / 4)
    assert row["one_in_lower"] == pytest.approx(1 / upper)
    assert row["one_in_upper"] == pytest.approx(1 / lower)
    assert not row["zero_events"] and row["per"] == "face"


def test_rates_by_year_threshold_and_missing_group_kept():
    frame = deployments_frame()
    by_year = rates.false_alert_rates(frame, by="year")
    assert by_year["year"].tolist() == [2023, 2024, 2025]
    assert by_year["false_alerts"].tolist() == [1, 1, 2]
    assert by_year["n_excluded"].tolist() == [0, 0, 1]
    by_threshold = rates.false_alert_rates(frame, by="threshold")
    assert len(by_threshold) == 3  # 0.60, 0.64 and the unknown threshold
    unknown = by_threshold[by_threshold["threshold"].isna()].iloc[0]
    assert unknown["n_deployments"] == 0 and unknown["n_excluded"] == 1
    assert pd.isna(unknown["rate"]) and pd.isna(unknown["faces_seen"])
    zero = rates.false_alert_rates(frame, by="deployment_id").set_index("deployment_id")
    assert bool(zero.loc["b", "zero_events"])
    assert zero.loc["b", "lower"] == 0.0 and np.isinf(zero.loc["b", "one_in_upper"])
    assert zero.loc["b", "upper"] == pytest.approx(1 - 0.025 ** (1 / 20_000), rel=1e-9)
    assert zero.loc["b", "upper"] == pytest.approx(ref.clopper_pearson_0_in_20000.upper, rel=1e-10)
    months = rates.false_alert_rates(frame, by=["source_type", "month"])
    assert len(months) == 5  # c and d share February 2024
    assert months["n_deployments"].tolist() == [1, 1, 2, 1, 0]


def test_per_alert_rate_and_precision():
    table = rates.false_alert_rates(deployments_frame(), per="alert", method="mid-p")
    row = table.iloc[0]
    # rows a, b, c, e, f have alerts: 5 + 2 + 10 + 8 + 3 = 28 alerts, 3 false; d excluded
    assert row["alerts"] == 28 and row["false_alerts"] == 3 and row["n_excluded"] == 1
    assert pd.isna(row["faces_seen"])  # f has alerts but no faces_seen
    lower, upper = ref.midp_3_in_28.lower, ref.midp_3_in_28.upper  # midp_ci(3, 28) in R
    assert row["lower"] == pytest.approx(lower, rel=1e-10)
    assert row["upper"] == pytest.approx(upper, rel=1e-10)
    assert row["precision"] == pytest.approx(25 / 28)
    assert row["precision_lower"] == pytest.approx(1 - upper, rel=1e-10)


def test_missing_raise_and_row_errors_name_the_deployment():
    frame = deployments_frame()
    with pytest.raises(ValueError, match="1 row\\(s\\) lack faces_seen.*deployment_id 'f'"):
        rates.false_alert_rates(frame, missing="raise")
    bad = frame.copy()
    bad.loc[2, "false_alerts"] = 11
    with pytest.raises(ValueError, match="deployment_id 'c'.*exceed alerts"):
        rates.false_alert_rates(bad, per="alert")
    bad = frame.copy()
    bad["faces_seen"] = bad["faces_seen"].astype("float64")
    bad.loc[1, "faces_seen"] = -3
    with pytest.raises(ValueError, match="column 'faces_seen', row 1.*deployment_id 'b'.*-3"):
        rates.false_alert_rates(bad)
    with pytest.raises(ValueError, match="no column"):
        rates.false_alert_rates(frame.drop(columns="alerts"), per="alert")
    without_alerts = rates.false_alert_rates(frame.drop(columns="alerts")).iloc[0]
    assert pd.isna(without_alerts["alerts"]) and without_alerts["false_alerts"] == 4
    with pytest.raises(ValueError, match="by: deployments has no column 'borough'"):
        rates.false_alert_rates(frame, by="borough")
    with pytest.raises(ValueError, match="per='person'"):
        rates.false_alert_rates(frame, per="person")


# ------------------------------------------------------------------------------------
# heterogeneity
# ------------------------------------------------------------------------------------


def test_conditional_mc_test_matches_exact_enumeration():
    events = np.array([3, 0, 1, 0])
    exposure = np.array([10_000, 30_000, 20_000, 15_000])
    # exact_conditional_p() in tests/reference/R/heterogeneity.R: every allocation enumerated
    exact = ref_heterogeneity.exact_p_3_0_1_0
    n_sim = 100_000
    statistic, p_mc = conditional_mc_test(events, exposure, n_sim, np.random.default_rng(1))
    assert statistic == pytest.approx(ref_heterogeneity.x2_3_0_1_0, rel=1e-12)  # chisq.test
    se = np.sqrt(exact * (1 - exact) / n_sim)
    assert abs(p_mc - exact) < 4 * se + 1e-5, (p_mc, exact)


def test_conditional_mc_test_is_reproducible_with_a_seed():
    events, exposure = np.array([2, 0, 1]), np.array([1_000, 2_000, 3_000])
    first = conditional_mc_test(events, exposure, 2_000, np.random.default_rng(7))
    second = conditional_mc_test(events, exposure, 2_000, np.random.default_rng(7))
    assert first == second
    assert first[0] == pytest.approx(ref_heterogeneity.x2_2_0_1, rel=1e-12)  # chisq.test
    # exact p (enumeration in R) 0.111; 2,000 redraws land within 4 standard errors of it
    exact = ref_heterogeneity.exact_p_2_0_1
    assert abs(first[1] - exact) < 4 * np.sqrt(exact * (1 - exact) / 2_000) + 1 / 2_001


def synthetic_deployments(rng, k, rate, nb_alpha=0.0):
    faces = rng.integers(5_000, 80_000, size=k)
    mean = faces * rate
    if nb_alpha > 0:
        mean = mean * rng.gamma(1 / nb_alpha, nb_alpha, size=k)
    return pd.DataFrame(
        {
            "deployment_id": [f"d{i}" for i in range(k)],
            "faces_seen": pd.array(faces, dtype="Int64"),
            "false_alerts": pd.array(rng.poisson(mean), dtype="Int64"),
        }
    )


def test_heterogeneity_detects_strong_overdispersion():
    data_rng = np.random.default_rng(11)
    frame = synthetic_deployments(data_rng, 400, 2e-4, nb_alpha=2.0)
    result = rates.heterogeneity(frame, rng=np.random.default_rng(5), n_sim=2_000)
    assert result.false_alerts > rates.FEW_EVENTS
    assert result.p_value < 0.01 and result.dean_p < 0.01
    assert result.nb_converged and 1.0 < result.nb_alpha < 3.5
    assert result.nb_alpha_lower < 2.0 < result.nb_alpha_upper
    assert result.verdict.startswith("Evidence that the false-alert rate differs")


def test_heterogeneity_with_few_events_says_so():
    frame = synthetic_deployments(np.random.default_rng(3), 200, 3e-6)
    result = rates.heterogeneity(frame, rng=np.random.default_rng(9), n_sim=2_000)
    assert 0 < result.false_alerts < rates.FEW_EVENTS and result.few_events
    assert result.p_value > 0.05
    assert result.verdict.startswith("Too few events to tell")
    assert "not evidence that the rate is the same" in result.verdict
    table = result.to_frame()
    assert table.loc["n_deployments", "value"] == 200


def test_heterogeneity_homogeneous_many_events_and_exclusions():
    frame = synthetic_deployments(np.random.default_rng(4), 300, 1e-4)
    frame.loc[0, "faces_seen"] = pd.NA
    frame.loc[1, "false_alerts"] = pd.NA
    result = rates.heterogeneity(frame, rng=np.random.default_rng(2), n_sim=2_000)
    assert result.n_excluded == 2 and result.n_deployments == 298
    assert result.false_alerts >= rates.FEW_EVENTS
    assert result.p_value > 0.05
    assert result.verdict.startswith("No evidence")


def test_heterogeneity_zero_events_and_bad_arguments():
    frame = synthetic_deployments(np.random.default_rng(4), 10, 1e-12)
    result = rates.heterogeneity(frame, rng=0, n_sim=200)
    assert result.false_alerts == 0 and result.p_value == 1.0
    assert result.verdict.startswith("No false alerts")
    with pytest.raises(TypeError, match="rng"):
        rates.heterogeneity(frame, rng=None)
    with pytest.raises(ValueError, match="n_sim"):
        rates.heterogeneity(frame, rng=1, n_sim=10)


@pytest.mark.parametrize(
    ("events", "exposure", "error", "match"),
    [
        ([1, -1], [10, 10], ValueError, r"events at position 1 is negative"),
        ([1, 0.5], [10, 10], ValueError, r"events at position 1 is not a whole number"),
        ([1, 1], [10, 0], ValueError, r"exposure at position 1 must be a finite number above 0"),
        ([1, 1], [10, np.nan], ValueError, r"exposure at position 1 is missing"),
        ([1, 1], [10], ValueError, r"differ"),
    ],
)
def test_conditional_mc_test_refuses_what_is_not_counts_and_exposures(
    events, exposure, error, match
):
    with pytest.raises(error, match=match):
        conditional_mc_test(events, exposure, 100, np.random.default_rng(1))


# ------------------------------------------------------------------------------------
# forest_plot
# ------------------------------------------------------------------------------------


def test_forest_plot_draws_one_row_per_group():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = rates.false_alert_rates(deployments_frame(), by="threshold")
    ax = plotting.plot_forest(table, "threshold")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["0.6  (1 FA)", "0.64  (3 FA)", "unknown  (no usable rows)"]
    segments = ax.collections[0].get_segments()
    assert len(segments) == 2  # the group with no usable rows has no interval
    top = segments[0]
    assert top[0][0] == pytest.approx(table["lower"].iloc[0] * 1e6)
    assert top[1][0] == pytest.approx(table["upper"].iloc[0] * 1e6)
    assert "clopper-pearson" in ax.get_xlabel() and "per million faces seen" in ax.get_xlabel()
    plt.close(ax.figure)
    # log axis: a zero-event group is drawn from the left edge to its upper limit
    per_deployment = rates.false_alert_rates(deployments_frame(), by="deployment_id")
    ax = plotting.plot_forest(per_deployment, "deployment_id", log=True, scale=100)
    assert ax.get_xscale() == "log"
    zero_lines = ax.collections[-1].get_segments()
    zero_upper = per_deployment.loc[per_deployment["zero_events"].fillna(False), "upper"]
    assert sorted(seg[1][0] for seg in zero_lines) == pytest.approx(sorted(zero_upper * 100))
    plt.close(ax.figure)


# ------------------------------------------------------------------------------------
# compare_reported_rates
# ------------------------------------------------------------------------------------


def test_compare_reported_rates_classifies_printed_values():
    frame = pd.DataFrame(
        {
            "deployment_id": ["r", "t", "d", "z", "n", "m"],
            "faces_seen": pd.array([8_600, 2_040, 3_940, 5_000, 1_000, pd.NA], dtype="Int64"),
            "false_alerts": pd.array([7, 2, 1, 0, 0, 0], dtype="Int64"),
            "false_alert_rate_reported": ["0.08%", "0.09%", "0.01%", "0%", "N/A", "0%"],
        }
    )
    out = rates.compare_reported_rates(frame).set_index("deployment_id")
    # 7 / 8,600 = 0.0814% rounds to 0.08%; 2 / 2,040 = 0.098% only truncates to 0.09%;
    # 1 / 3,940 = 0.0254% is neither 0.01% rounded nor truncated
    assert out["agreement"].to_dict() == {
        "r": "rounded",
        "t": "truncated",
        "d": "differs",
        "z": "rounded",
        "n": "not printed",
        "m": "no counts",
    }
    assert out.loc["r", "recomputed_percent"] == pytest.approx(100 * 7 / 8_600)
    assert out.loc["t", "reported_percent"] == 0.09
    lower, upper = ref.clopper_pearson_1_in_3940.lower, ref.clopper_pearson_1_in_3940.upper
    assert out.loc["d", "lower_percent"] == pytest.approx(100 * lower, rel=1e-10)
    assert out.loc["d", "upper_percent"] == pytest.approx(100 * upper, rel=1e-10)
    assert bool(out.loc["d", "reported_in_interval"])
    assert pd.isna(out.loc["n", "reported_in_interval"])


def test_compare_reported_rates_rejects_unreadable_printed_value():
    frame = pd.DataFrame(
        {
            "deployment_id": ["a", "b"],
            "faces_seen": pd.array([100, 200], dtype="Int64"),
            "false_alerts": pd.array([0, 1], dtype="Int64"),
            "false_alert_rate_reported": ["0%", "about 1 in 200"],
        }
    )
    with pytest.raises(ValueError, match="row 1.*deployment_id 'b'.*'about 1 in 200'"):
        rates.compare_reported_rates(frame)


def test_heterogeneity_fit_is_stable_with_one_extreme_deployment_and_quiet():
    # like the Met record: hundreds of sparse deployments and one early outlier (7 in 8,600);
    # statsmodels' default start ran off to alpha ~ 1e265 on such data
    frame = synthetic_deployments(np.random.default_rng(8), 280, 1e-5)
    outlier = pd.DataFrame(
        {
            "deployment_id": ["outlier"],
            "faces_seen": pd.array([8_600], dtype="Int64"),
            "false_alerts": pd.array([7], dtype="Int64"),
        }
    )
    frame = pd.concat([frame, outlier], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = rates.heterogeneity(frame, rng=np.random.default_rng(1), n_sim=2_000)
        homogeneous = rates.heterogeneity(
            synthetic_deployments(np.random.default_rng(9), 150, 3e-6),
            rng=np.random.default_rng(1),
            n_sim=2_000,
        )
    assert result.nb_converged and 0 < result.nb_alpha < 1e3
    assert result.p_value == pytest.approx(1 / 2_001)
    assert "the smallest value 2,000 redraws can give" in result.verdict
    assert homogeneous.nb_alpha < 1.0 and np.isfinite(homogeneous.nb_lr_p)


def test_conditional_mc_test_holds_its_level_with_few_events():
    # 400 homogeneous datasets of 200 deployments with about 10 false alerts in all: the
    # conditional test rejects about 5% of them at the 5% level, while Pearson's X^2 read
    # against chi-square(k - 1) rejects far more (the methods guide reports 24%)
    rng = np.random.default_rng(2024)
    faces = rng.integers(5_000, 80_000, size=200)
    rate = 10 / faces.sum()
    mc_rejections = naive_rejections = 0
    datasets = 400
    for _ in range(datasets):
        events = rng.poisson(faces * rate)
        statistic, p_value = conditional_mc_test(events, faces, 199, rng)
        mc_rejections += p_value <= 0.05
        naive_rejections += events.sum() > 0 and stats.chi2.sf(statistic, len(faces) - 1) <= 0.05
    mc_rate, naive_rate = mc_rejections / datasets, naive_rejections / datasets
    assert 0.01 <= mc_rate <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / datasets), mc_rate
    assert naive_rate > 0.12, naive_rate


@pytest.mark.parametrize("prior", [(0.5, 0.5), (1, 1)])
def test_posterior_quantiles_are_ordered_for_every_case_the_interval_tests_use(prior):
    events = [0, 1, 2, 10, 44, 999, 1_000, 10, 999]
    trials = [1, 3, 15_000, 3_147_436, 1_200_000, 10**9, 10**7, 10**12, 10**15]
    post = rates.rate_posterior(events, trials, prior=prior, probs=(0.025, 0.5, 0.975))
    assert (post["q0.025"] < post["q0.5"]).all() and (post["q0.5"] < post["q0.975"]).all()
