"""
Reference values for lfr_analysis.rates, computed in R independently of the package.

Written by tests/reference/R/rates.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/rates.R > tests/reference/rates.py

Each value follows the R call that produced it and R's printed result (17 digits). Where no
R function exists (mid-p, coverage), the function is written out in the R script and the
comment says so. Binomial limits are also checked in 256-bit arithmetic (Rmpfr).
"""

from . import Holder

# --------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------
# Met LFR annual report, Sep 2024 - Sep 2025: faces seen
FACES_2025 = 3_147_436
# Met LFR annual report, Sep 2024 - Sep 2025: false alerts
FALSE_ALERTS_2025 = 10
# Met LFR annual report, Sep 2024 - Sep 2025: alerts
ALERTS_2025 = 2_077

# --------------------------------------------------------------------------------------
# Clopper-Pearson (binom.test; its interval is the pair of Beta quantiles)
# --------------------------------------------------------------------------------------
# Rmpfr check: each limit is found again by Newton's method on binomial tail sums in
# 256-bit arithmetic (Rmpfr), started from R's value; the relative difference is shown.
# Headline: 10 false alerts in 3,147,436 faces seen.
# Rmpfr check, relative error: lower 1.7e-16, upper 5.6e-17
# > binom.test(10, 3147436)$conf.int
# [1] 1.5235867859360713e-06 5.8429564667070007e-06
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_10_in_3147436 = Holder(
    lower=1.5235867859360713e-06,
    upper=5.8429564667070007e-06,
)
# Rmpfr check, relative error: upper 5.4e-16
# > binom.test(0, 15000)$conf.int
# [1] 0.00000000000000000000 0.00024589505979383507
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_0_in_15000 = Holder(
    lower=0.0,
    upper=0.00024589505979383507,
)
# Rmpfr check, relative error: lower 2.6e-16, upper 4.9e-16
# > binom.test(1, 15000)$conf.int
# [1] 1.6878524411947917e-06 3.7138629419206776e-04
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_1_in_15000 = Holder(
    lower=1.6878524411947917e-06,
    upper=0.00037138629419206776,
)
# Rmpfr check, relative error: lower 6.5e-17, upper 1.3e-17
# > binom.test(3, 40, conf.level = 0.9)$conf.int
# [1] 0.020753601475701211 0.182586850015901248
# attr(,"conf.level")
# [1] 0.90000000000000002
clopper_pearson_3_in_40_conf90 = Holder(
    lower=0.020753601475701211,
    upper=0.18258685001590125,
)
# Rmpfr check, relative error: lower 1.9e-17, upper 1.9e-17
# > binom.test(39, 40, conf.level = 0.99)$conf.int
# [1] 0.82848467113190605 0.99987469430582576
# attr(,"conf.level")
# [1] 0.98999999999999999
clopper_pearson_39_in_40_conf99 = Holder(
    lower=0.82848467113190605,
    upper=0.99987469430582576,
)
# Rmpfr check, relative error: lower 1.9e-17
# > binom.test(40, 40)$conf.int
# [1] 0.91190269712119765 1.00000000000000000
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_40_in_40 = Holder(
    lower=0.91190269712119765,
    upper=1.0,
)
# Rmpfr check, relative error: upper 6.5e-16
# > binom.test(0, 20000)$conf.int
# [1] 0.00000000000000000000 0.00018442696396189909
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_0_in_20000 = Holder(
    lower=0.0,
    upper=0.00018442696396189909,
)
# Rmpfr check, relative error: lower 1.2e-15, upper 4.4e-16
# > binom.test(4, 150000)$conf.int
# [1] 7.2658154200081108e-06 6.8275837318737924e-05
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_4_in_150000 = Holder(
    lower=7.2658154200081108e-06,
    upper=6.8275837318737924e-05,
)
# Rmpfr check, relative error: lower 4.1e-16, upper 3.5e-16
# > binom.test(1, 3940)$conf.int
# [1] 6.4258189442582956e-06 1.4133025465424909e-03
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_1_in_3940 = Holder(
    lower=6.4258189442582956e-06,
    upper=0.0014133025465424909,
)
# Rmpfr check, relative error: lower 8.4e-18, upper 5.3e-16
# > binom.test(10, 2077)$conf.int
# [1] 0.0023111467989756457 0.0088364080618689167
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_10_in_2077 = Holder(
    lower=0.0023111467989756457,
    upper=0.0088364080618689167,
)
# Rmpfr check, relative error: lower 5.3e-16, upper 9.2e-17
# > binom.test(2, 100000)$conf.int
# [1] 2.422101962703157e-06 7.224498936504789e-05
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_2_in_100000 = Holder(
    lower=2.422101962703157e-06,
    upper=7.224498936504789e-05,
)
# Rmpfr check, relative error: lower 4.7e-16, upper 1.9e-16
# > binom.test(2, 42)$conf.int
# [1] 0.0058198248355099897 0.1616419596916539581
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_2_in_42 = Holder(
    lower=0.0058198248355099897,
    upper=0.16164195969165396,
)

# Large counts. scipy's betaincinv gives 1.9e-6 for the lower limit of 1,000 in 1e9; R's
# qbeta (behind binom.test) agrees with the multiple-precision check.
# Rmpfr check, relative error: lower 6.0e-18, upper 4.0e-17
# > binom.test(1000, 1e9)$conf.int
# [1] 9.3897304658956096e-07 1.0639521019952884e-06
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_1000_in_1e9 = Holder(
    lower=9.3897304658956096e-07,
    upper=1.0639521019952884e-06,
)
# Rmpfr check, relative error: lower 1.1e-16, upper 1.9e-16
# > binom.test(999, 1e9)$conf.int
# [1] 9.3800404670001102e-07 1.0629211172533085e-06
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_999_in_1e9 = Holder(
    lower=9.3800404670001102e-07,
    upper=1.0629211172533085e-06,
)
# Rmpfr check, relative error: lower 1.6e-17, upper 1.7e-16
# > binom.test(1000, 1e7)$conf.int
# [1] 9.3897583667030843e-05 1.0639487338387989e-04
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_1000_in_1e7 = Holder(
    lower=9.3897583667030843e-05,
    upper=0.00010639487338387989,
)
# At n = 1e12 binom.test(10, 1e12) would sum its p-value over 5e11 outcomes (3.7 TB); with
# p = x / n (so that n * p == x exactly) it returns p = 1 at once. The interval does not
# depend on p.
# Rmpfr check, relative error: lower 7.1e-17, upper 5.3e-17
# > binom.test(10, 1e12, p = 10 / 1e12)$conf.int
# [1] 4.7953886961425154e-12 1.8390356041940625e-11
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_10_in_1e12 = Holder(
    lower=4.7953886961425154e-12,
    upper=1.8390356041940625e-11,
)

# One-sided bounds at 95%.
# > binom.test(10, 3147436, alternative = "less")$conf.int[2]
# [1] 5.3892121953434789e-06
clopper_pearson_upper95_10_in_3147436 = 5.3892121953434789e-06
# > binom.test(10, 3147436, alternative = "greater")$conf.int[1]
# [1] 1.7237550749104533e-06
clopper_pearson_lower95_10_in_3147436 = 1.7237550749104533e-06
# > binom.test(0, 15000, alternative = "less")$conf.int[2]
# [1] 0.00019969554309372904
clopper_pearson_upper95_0_in_15000 = 0.00019969554309372904

# --------------------------------------------------------------------------------------
# Beta quantiles: posterior of 999 events in 1e9 trials with a Beta(1, 1) prior
# --------------------------------------------------------------------------------------
# Beta(1000, 1e9 - 998). Rmpfr check (Beta(a, b) below p = P(Binomial(a + b - 1, p) >= a),
# summed in 256 bits): relative error 2.7e-19, 1.1e-16, 3.2e-17
# > qbeta(c(0.025, 0.5, 0.975), 999 + 1, 1e9 - 999 + 1)
# [1] 9.3897304565058788e-07 9.9966668509406650e-07 1.0629211161903871e-06
posterior_uniform_999_in_1e9 = Holder(
    q025=9.3897304565058788e-07,
    q50=9.996666850940665e-07,
    q975=1.0629211161903871e-06,
)

# --------------------------------------------------------------------------------------
# Mid-p (uniroot on pbinom and dbinom; no R function exists)
# --------------------------------------------------------------------------------------
# midp_ci(x, n, conf) is defined in R/rates.R: each limit is the root in log(p) of
# P(X > x) + P(X = x) / 2 = tail (lower) or P(X < x) + P(X = x) / 2 = tail (upper),
# tail = (1 - conf) / 2, by uniroot(tol = 1e-15) on pbinom and dbinom.
# Rmpfr check, relative error: lower 1.0e-15, upper 7.4e-16
# > midp_ci(10, 3147436)
# [1] 1.6138613406554736e-06 5.6632860911816565e-06
midp_10_in_3147436 = Holder(
    lower=1.6138613406554736e-06,
    upper=5.6632860911816565e-06,
)
# Rmpfr check, relative error: lower 5.2e-16, upper 9.1e-16
# > midp_ci(1, 3147436)
# [1] 1.5892410462484700e-08 1.5669444309983734e-06
midp_1_in_3147436 = Holder(
    lower=1.58924104624847e-08,
    upper=1.5669444309983734e-06,
)
# Rmpfr check, relative error: lower 3.6e-16, upper 3.0e-16
# > midp_ci(1, 15000)
# [1] 3.3346893908316537e-06 3.2874576578073789e-04
midp_1_in_15000 = Holder(
    lower=3.3346893908316537e-06,
    upper=0.00032874576578073789,
)
# Rmpfr check, relative error: lower 1.6e-16, upper 3.9e-16
# > midp_ci(2, 20)
# [1] 0.017118425536632644 0.292862240983425948
midp_2_in_20 = Holder(
    lower=0.017118425536632644,
    upper=0.29286224098342595,
)
# Rmpfr check, relative error: lower 5.2e-16, upper 7.4e-16
# > midp_ci(7, 42000)
# [1] 7.2897793716601901e-05 3.2966458698649312e-04
midp_7_in_42000 = Holder(
    lower=7.2897793716601901e-05,
    upper=0.00032966458698649312,
)
# Rmpfr check, relative error: lower 1.5e-16, upper 9.5e-17
# > midp_ci(19, 20)
# [1] 0.77719394428237254 0.99749912716843980
midp_19_in_20 = Holder(
    lower=0.77719394428237254,
    upper=0.9974991271684398,
)
# Rmpfr check, relative error: lower 4.2e-16, upper 1.0e-17
# > midp_ci(50, 200)
# [1] 0.19368402344139163 0.31350702340041131
midp_50_in_200 = Holder(
    lower=0.19368402344139163,
    upper=0.31350702340041131,
)
# Rmpfr check, relative error: lower 5.5e-17, upper 1.3e-15
# > midp_ci(1000, 1e9)
# [1] 9.3944992720615978e-07 1.0634444734728851e-06
midp_1000_in_1e9 = Holder(
    lower=9.3944992720615978e-07,
    upper=1.0634444734728851e-06,
)
# Rmpfr check, relative error: lower 1.5e-16, upper 4.0e-17
# > midp_ci(10, 1e12)
# [1] 5.0795218472281553e-12 1.7824853696496738e-11
midp_10_in_1e12 = Holder(
    lower=5.0795218472281553e-12,
    upper=1.7824853696496738e-11,
)
# Rmpfr check, relative error: lower 1.5e-16, upper 5.2e-16
# > midp_ci(1000, 1e7)
# [1] 9.3945271905314788e-05 1.0634411081343189e-04
midp_1000_in_1e7 = Holder(
    lower=9.3945271905314788e-05,
    upper=0.00010634411081343189,
)
# Rmpfr check, relative error: lower 3.2e-16, upper 2.6e-16
# > midp_ci(3, 28)
# [1] 0.027986766247610061 0.264531268284317944
midp_3_in_28 = Holder(
    lower=0.027986766247610061,
    upper=0.26453126828431794,
)
# Rmpfr check, relative error: lower 1.3e-16, upper 4.3e-16
# > midp_ci(10, 2077)
# [1] 0.0024481164794305987 0.0085651154209017335
midp_10_in_2077 = Holder(
    lower=0.0024481164794305987,
    upper=0.0085651154209017335,
)
# Rmpfr check, relative error: upper 5.8e-20
# > midp_ci(0, 15000)
# [1] 0.00000000000000000000 0.00019969554309372904
midp_0_in_15000 = Holder(
    lower=0.0,
    upper=0.00019969554309372904,
)
# Rmpfr check, relative error: lower 4.1e-16, upper 1.9e-16
# > midp_ci(1, 1000000)
# [1] 5.0020344775740246e-08 4.9318504133160049e-06
midp_1_in_1e6 = Holder(
    lower=5.0020344775740246e-08,
    upper=4.9318504133160049e-06,
)
# Rmpfr check, relative error: lower 4.1e-16, upper 2.2e-16
# > midp_ci(2, 1000000)
# [1] 3.3532919102602917e-07 6.6079437552109810e-06
midp_2_in_1e6 = Holder(
    lower=3.3532919102602917e-07,
    upper=6.607943755210981e-06,
)
# Rmpfr check, relative error: lower 1.9e-15, upper 3.7e-16
# > midp_ci(5, 1000000)
# [1] 1.8319970400443583e-06 1.1082380238349523e-05
midp_5_in_1e6 = Holder(
    lower=1.8319970400443583e-06,
    upper=1.1082380238349523e-05,
)
# Rmpfr check, relative error: lower 6.8e-16, upper 9.4e-16
# > midp_ci(10, 1000000)
# [1] 5.0795326598544117e-06 1.7824780755130158e-05
midp_10_in_1e6 = Holder(
    lower=5.0795326598544117e-06,
    upper=1.7824780755130158e-05,
)
# Rmpfr check, relative error: lower 3.2e-16, upper 1.9e-16
# > midp_ci(40, 1000000)
# [1] 2.8964062856014816e-05 5.3932523225768401e-05
midp_40_in_1e6 = Holder(
    lower=2.8964062856014816e-05,
    upper=5.3932523225768401e-05,
)

# Poisson mid-p limits on the count scale (exposure 1): poisson_midp_ci(x) in R/rates.R,
# uniroot on ppois and dpois. At 1e6 trials the binomial mid-p limits times n are within
# 1e-3 of these.
# > poisson_midp_ci(1)
# [1] 0.050020344835335517 4.931860524706772608
poisson_midp_1 = Holder(
    lower=0.050020344835335517,
    upper=4.9318605247067726,
)
# > poisson_midp_ci(2)
# [1] 0.33532905550929898 6.60795974745360049
poisson_midp_2 = Holder(
    lower=0.33532905550929898,
    upper=6.6079597474536005,
)
# > poisson_midp_ci(5)
# [1]  1.831994808528417 11.082415664992018
poisson_midp_5 = Holder(
    lower=1.831994808528417,
    upper=11.082415664992018,
)
# > poisson_midp_ci(10)
# [1]  5.0795218472173413 17.8248536965696900
poisson_midp_10 = Holder(
    lower=5.0795218472173413,
    upper=17.82485369656969,
)
# > poisson_midp_ci(40)
# [1] 28.963911429492597 53.932910432032060
poisson_midp_40 = Holder(
    lower=28.963911429492597,
    upper=53.93291043203206,
)

# --------------------------------------------------------------------------------------
# Wilson score (prop.test without continuity correction)
# --------------------------------------------------------------------------------------
# > prop.test(2, 20, correct = FALSE)$conf.int
# [1] 0.02786648121376822 0.30103364522848719
# attr(,"conf.level")
# [1] 0.94999999999999996
wilson_2_in_20 = Holder(
    lower=0.02786648121376822,
    upper=0.30103364522848719,
)
# > prop.test(10, 3147436, correct = FALSE)$conf.int
# [1] 1.7258456980974198e-06 5.8490278567991024e-06
# attr(,"conf.level")
# [1] 0.94999999999999996
wilson_10_in_3147436 = Holder(
    lower=1.7258456980974198e-06,
    upper=5.8490278567991024e-06,
)
# > prop.test(5, 15000, correct = FALSE)$conf.int
# [1] 0.00014238821416838585 0.00078013945040892728
# attr(,"conf.level")
# [1] 0.94999999999999996
wilson_5_in_15000 = Holder(
    lower=0.00014238821416838585,
    upper=0.00078013945040892728,
)
# > prop.test(30, 31, correct = FALSE)$conf.int
# [1] 0.83805894835275097 0.99428277847458313
# attr(,"conf.level")
# [1] 0.94999999999999996
wilson_30_in_31 = Holder(
    lower=0.83805894835275097,
    upper=0.99428277847458313,
)

# --------------------------------------------------------------------------------------
# Jeffreys (equal-tailed Beta(x + 1/2, n - x + 1/2) quantiles)
# --------------------------------------------------------------------------------------
# > qbeta(c(0.025, 0.975), 2 + 0.5, 20 - 2 + 0.5)
# [1] 0.021372488022474802 0.283853257304252482
jeffreys_2_in_20 = Holder(
    lower=0.021372488022474802,
    upper=0.28385325730425248,
)
# > qbeta(c(0.025, 0.975), 10 + 0.5, 3147436 - 10 + 0.5)
# [1] 1.6335367744381347e-06 5.6361478783022158e-06
jeffreys_10_in_3147436 = Holder(
    lower=1.6335367744381347e-06,
    upper=5.6361478783022158e-06,
)
# > qbeta(c(0.025, 0.975), 1 + 0.5, 15000 - 1 + 0.5)
# [1] 7.1932701057750746e-06 3.1157009928660514e-04
jeffreys_1_in_15000 = Holder(
    lower=7.1932701057750746e-06,
    upper=0.00031157009928660514,
)
# > qbeta(c(0.025, 0.975), 7 + 0.5, 42000 - 7 + 0.5)
# [1] 7.4552249579988824e-05 3.2721455125634422e-04
jeffreys_7_in_42000 = Holder(
    lower=7.4552249579988824e-05,
    upper=0.00032721455125634422,
)
# > qbeta(0.975, 0 + 0.5, 15000 - 0 + 0.5)
# [1] 0.00016744606119006402
jeffreys_upper_0_in_15000 = 0.00016744606119006402

# --------------------------------------------------------------------------------------
# Posterior (Jeffreys prior Beta(1/2, 1/2)) and tail probability
# --------------------------------------------------------------------------------------
# > qbeta(c(0.025, 0.5, 0.975), 10 + 0.5, 3147436 - 10 + 0.5)
# [1] 1.6335367744381347e-06 3.2307607531045381e-06 5.6361478783022158e-06
posterior_jeffreys_10_in_3147436 = Holder(
    q025=1.6335367744381347e-06,
    q50=3.2307607531045381e-06,
    q975=5.6361478783022158e-06,
)
# > pbeta(1 / 6000, 10 + 0.5, 3147436 - 10 + 0.5, lower.tail = FALSE)
# [1] 9.0036394608873791e-209
prob_rate_exceeds_1_in_6000_10_in_3147436 = 9.0036394608873791e-209
# > pbeta(1 / 6000, 10 + 0.5, 3147436 - 10 + 0.5, lower.tail = FALSE, log.p = TRUE)
# [1] -479.04265555561767
log_prob_rate_exceeds_1_in_6000_10_in_3147436 = -479.04265555561767

# --------------------------------------------------------------------------------------
# Exact coverage (sum of dbinom over the x whose interval holds p)
# --------------------------------------------------------------------------------------
# coverage(method, n, p) in R/rates.R: intervals from binom.test (clopper-pearson),
# prop.test(correct = FALSE) (wilson), qbeta (jeffreys) and jeffreys with the Brown, Cai &
# DasGupta (2001) boundary changes (jeffreys-modified: Clopper-Pearson limits at x = 0 and
# x = n, lower limit 0 at x = 1 and upper 1 at x = n - 1), for x = 0 .. qbinom(1 - 1e-15) + 2.
# > coverage("clopper-pearson", 1e5, 1e-5)
# [1] 0.98101245625726996
coverage_clopper_pearson_n1e5_p1e_5 = 0.98101245625726996
# > coverage("wilson", 1e6, 0.176e-6)
# [1] 0.83861797034855723
coverage_wilson_n1e6_p0_176e_6 = 0.83861797034855723
# > coverage("jeffreys", 1e6, 0.1078e-6)
# [1] 0.89780713468683282
coverage_jeffreys_n1e6_p0_1078e_6 = 0.89780713468683282
# > coverage("jeffreys-modified", 1e6, 0.1078e-6)
# [1] 0.99459075423934762
coverage_jeffreys_modified_n1e6_p0_1078e_6 = 0.99459075423934762
