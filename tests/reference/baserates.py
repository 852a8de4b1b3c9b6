"""
Reference values for lfr_analysis.baserates and lfr_analysis.simulate, computed in R.

Written by tests/reference/R/baserates.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/baserates.R > tests/reference/baserates.py

Each value follows the R call that produced it and R's printed result (17 digits).
"""

from . import Holder

# --------------------------------------------------------------------------------------
# Bayes' rule: share of alerts that are true (precision)
# --------------------------------------------------------------------------------------
# precision(prevalence, tpir, fpir) in R/baserates.R:
# prevalence * tpir / (prevalence * tpir + (1 - prevalence) * fpir).
# Prevalence 1e-5, 1e-4, 1e-3, each with FPIR 1/6000 and then 3.2e-6.
# > precision(c(1e-5, 1e-5, 1e-4, 1e-4, 1e-3, 1e-3), 0.89, c(1 / 6000, 3.2e-6))
# [1] 0.050693475351009605 0.735539135310109948 0.348132212008605557 0.965296191917368929
# [5] 0.842404164694746771 0.996420945529585489
precision_examples_tpir_0_89 = (
    0.050693475351009605,
    0.73553913531010995,
    0.34813221200860556,
    0.96529619191736893,
    0.84240416469474677,
    0.99642094552958549,
)

# --------------------------------------------------------------------------------------
# Watchlist scaling: FPIR = P(at least one of W comparisons matches)
# --------------------------------------------------------------------------------------
# pbinom(0, W, fmr, lower.tail = FALSE) is R's binomial upper tail; each value is also
# computed as 1 - (1 - fmr)^W in 256-bit arithmetic (Rmpfr), shown as the check.
# Rmpfr 1 - (1 - fmr)^W: 0.00027196301366508454
# > pbinom(0, 16000, 1.7e-8, lower.tail = FALSE)
# [1] 0.00027196301366508454
fpir_fmr_1_7e_8_w16000 = 0.00027196301366508454
# Rmpfr 1 - (1 - fmr)^W: 0.00015998720148251139
# > pbinom(0, 16000, 1e-8, lower.tail = FALSE)
# [1] 0.00015998720148251112
fpir_fmr_1e_8_w16000 = 0.00015998720148251112
# Exact per-comparison rate behind 1 in 6,000 at 10,000 entries: 1 - (1 - 1/6000)^(1/W).
# Rmpfr: 1.6668055570983796e-08
# > -expm1(log1p(-1 / 6000) / 10000)
# [1] 1.6668055570983796e-08
fmr_exact_1_in_6000_w10000 = 1.6668055570983796e-08
# > -expm1(log1p(-1 / 6000) / 10000) / (1 / 6000 / 10000)
# [1] 1.0000833342590278
fmr_exact_over_linear_1_in_6000_w10000 = 1.0000833342590278

# compare_settings in test_simulate.py: faces 20,000, prevalence 5e-4, FMR 1.7e-8,
# 16,000 entries; P(no false alert) = dbinom(0, 20000, (1 - 5e-4) * FPIR).
# > dbinom(0, 20000, (1 - 5e-4) * pbinom(0, 16000, 1.7e-8, lower.tail = FALSE))
# [1] 0.0043513041402875336
p_no_false_alert_20000_faces = 0.0043513041402875336
# > pbinom(0, 20000, (1 - 5e-4) * pbinom(0, 16000, 1.7e-8, lower.tail = FALSE),
# +   lower.tail = FALSE)
# [1] 0.99564869585971238
p_any_false_alert_20000_faces = 0.99564869585971238

# --------------------------------------------------------------------------------------
# Rates from a record (per_face_vs_per_alert, implied_prevalence, pooled FMR)
# --------------------------------------------------------------------------------------
# > binom.test(10, 3147436)$conf.int
# [1] 1.5235867859360713e-06 5.8429564667070007e-06
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_10_in_3147436 = Holder(
    lower=1.5235867859360713e-06,
    upper=5.8429564667070007e-06,
)
# > binom.test(10, 2077)$conf.int
# [1] 0.0023111467989756457 0.0088364080618689167
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_10_in_2077 = Holder(
    lower=0.0023111467989756457,
    upper=0.0088364080618689167,
)
# > binom.test(2067, 3147436)$conf.int
# [1] 0.00062872445072575164 0.00068565079606134358
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_2067_in_3147436 = Holder(
    lower=0.00062872445072575164,
    upper=0.00068565079606134358,
)
# Pooled false-match rate: 3 false alerts in 10,000 x 16,000 + 20,000 x 16,000 +
# 5,000 x 6,000 = 5.1e8 comparisons; Garwood limits from poisson.test (qgamma).
# > poisson.test(3, 10000 * 16000 + 20000 * 16000 + 5000 * 6000)$conf.int
# [1] 1.2130825939129443e-09 1.7190731509298672e-08
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_3_in_5_1e8 = Holder(
    lower=1.2130825939129443e-09,
    upper=1.7190731509298672e-08,
)
# > poisson.test(0, 10000 * 1000)$conf.int
# [1] 0.0000000000000000e+00 3.6888794541139355e-07
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_0_in_1e7 = Holder(
    lower=0.0,
    upper=3.6888794541139355e-07,
)
