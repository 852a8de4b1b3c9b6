"""
Reference values for lfr_analysis.stats.comparisons, rates.compare_rates, the spread-aware
intervals and predictions.tipping_point, computed in R independently of the package.

Written by tests/reference/R/comparisons.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/comparisons.R > tests/reference/comparisons.py

Each value follows the R call that produced it and R's printed result (17 digits). Holders of
an htest (poisson.test, fisher.test) carry estimate, lower, upper and p_value.
"""

import math

from . import Holder

# --------------------------------------------------------------------------------------
# One-sample Poisson test, two-sided: R's rule (poisson.test) and the central rule
# --------------------------------------------------------------------------------------
# poisson.test(x, T = mu)$p.value sums the probabilities of the outcomes no more likely than
# x; central_p doubles the smaller tail. Each row: x, mu, R's p-value, central p-value.
poisson_two_sided = (
    # > poisson.test(0.0, 0.5)$p.value; central_p(0.0, 0.5)
    (0.0, 0.5, 1.0, 1.0),
    # > poisson.test(0.0, 3.2000000000000002)$p.value; central_p(0.0, 3.2000000000000002)
    (0.0, 3.2000000000000002, 0.085381304933667246, 0.081524407956732423),
    # > poisson.test(1.0, 0.62423474000000001)$p.value; central_p(1.0, 0.62423474000000001)
    (1.0, 0.62423474000000001, 0.46432880054956743, 0.92865760109913487),
    # > poisson.test(4.0, 0.62423474000000001)$p.value; central_p(4.0, 0.62423474000000001)
    (4.0, 0.62423474000000001, 0.0038604445963899693, 0.0077208891927799386),
    # > poisson.test(2.0, 7.5)$p.value; central_p(2.0, 7.5)
    (2.0, 7.5, 0.041821366094681088, 0.040513430113328815),
    # > poisson.test(7.0, 7.0)$p.value; central_p(7.0, 7.0)
    (7.0, 7.0, 1.0, 1.0),
    # > poisson.test(12.0, 7.0)$p.value; central_p(12.0, 7.0)
    (12.0, 7.0, 0.082985787032080413, 0.10669924630311726),
    # > poisson.test(3.0, 20.25)$p.value; central_p(3.0, 20.25)
    (3.0, 20.25, 5.8772811435438446e-06, 5.1696118700369007e-06),
    # > poisson.test(40.0, 20.25)$p.value; central_p(40.0, 20.25)
    (40.0, 20.25, 8.2692524458514175e-05, 0.00013772201118991215),
    # > poisson.test(25.0, 99.066909283333345)$p.value; central_p(25.0, 99.066909283333345)
    (25.0, 99.066909283333345, 1.3746433561728062e-18, 1.2846487501368336e-18),
    # > poisson.test(10.0, 524.57266666666669)$p.value; central_p(10.0, 524.57266666666669)
    (10.0, 524.57266666666669, 1.6265438434221754e-207, 1.344781279754777e-207),
    # > poisson.test(160.0, 120.5)$p.value; central_p(160.0, 120.5)
    (160.0, 120.5, 0.00061889118604179947, 0.00067972779803091834),
    # > poisson.test(0.0, 0.01)$p.value; central_p(0.0, 0.01)
    (0.0, 0.01, 0.99999999999999989, 1.0),
    # > poisson.test(1.0, 0.0001)$p.value; central_p(1.0, 0.0001)
    (1.0, 0.0001, 9.9995000166662495e-05, 0.00019999000033332499),
    # > poisson.test(50.0, 49.5)$p.value; central_p(50.0, 49.5)
    (50.0, 49.5, 0.94324906444394707, 0.98105560240325151),
    # > poisson.test(49.0, 50.0)$p.value; central_p(49.0, 50.0)
    (49.0, 50.0, 1.0, 0.96238336905591337),
)

# --------------------------------------------------------------------------------------
# Binomial test, two-sided: binom.test (the rule of R's two-sample poisson.test)
# --------------------------------------------------------------------------------------
# Each row: k, n, p, binom.test(k, n, p)$p.value.
binomial_two_sided = (
    # > binom.test(0.0, 10.0, 0.29999999999999999)$p.value
    (0.0, 10.0, 0.29999999999999999, 0.038839603299999984),
    # > binom.test(10.0, 17.0, 0.98695999999999995)$p.value
    (10.0, 17.0, 0.98695999999999995, 1.1117874254725136e-09),
    # > binom.test(4.0, 5.0, 0.38430999999999998)$p.value
    (4.0, 5.0, 0.38430999999999998, 0.075535156454592661),
    # > binom.test(4.0, 5.0, 0.011206000000000001)$p.value
    (4.0, 5.0, 0.011206000000000001, 7.8137867962897937e-08),
    # > binom.test(5.0, 5.0, 0.98519999999999996)$p.value
    (5.0, 5.0, 0.98519999999999996, 1.0),
    # > binom.test(2.0, 25.0, 0.40000000000000002)$p.value
    (2.0, 25.0, 0.40000000000000002, 0.0007100125968529541),
    # > binom.test(23.0, 30.0, 0.40000000000000002)$p.value
    (23.0, 30.0, 0.40000000000000002, 5.3967577903916406e-05),
    # > binom.test(1.0, 1.0, 0.5)$p.value
    (1.0, 1.0, 0.5, 1.0),
    # > binom.test(0.0, 1.0, 0.5)$p.value
    (0.0, 1.0, 0.5, 1.0),
    # > binom.test(15.0, 40.0, 0.375)$p.value
    (15.0, 40.0, 0.375, 1.0),
    # > binom.test(3.0, 200.0, 0.001)$p.value
    (3.0, 200.0, 0.001, 0.00113376809746265),
    # > binom.test(190.0, 200.0, 0.999)$p.value
    (190.0, 200.0, 0.999, 1.8890409943413645e-14),
    # > binom.test(0.0, 35.0, 0.86499999999999999)$p.value
    (0.0, 35.0, 0.86499999999999999, 3.6448687762568769e-31),
)

# --------------------------------------------------------------------------------------
# Two Poisson rates: poisson.test(c(x1, x2), c(T1, T2))
# --------------------------------------------------------------------------------------
# One-sided alternatives, another level, and large counts.
# > poisson.test(c(10, 25), c(3147436, 491246), alternative = "less")
# $estimate
#           rate ratio
# 0.062431261509368258
#
# $conf.int
# [1] 0.00000000000000000 0.12078369441505624
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 8.3076856572893523e-15
#
compare_10_vs_25_less = Holder(
    estimate=0.062431261509368258,
    lower=0.0,
    upper=0.12078369441505624,
    p_value=8.3076856572893523e-15,
)
# > poisson.test(c(2, 23), c(326392, 164854), conf.level = 0.90)
# $estimate
#           rate ratio
# 0.043919980988451339
#
# $conf.int
# [1] 0.0073810751733300204 0.1517550838905561972
# attr(,"conf.level")
# [1] 0.90000000000000002
#
# $p.value
# [1] 1.7126645333191417e-09
#
compare_2_vs_23_conf90 = Holder(
    estimate=0.043919980988451339,
    lower=0.0073810751733300204,
    upper=0.1517550838905562,
    p_value=1.7126645333191417e-09,
)
# > poisson.test(c(272, 342), c(81, 74))
# $estimate
#          rate ratio
# 0.72659013789618065
#
# $conf.int
# [1] 0.61733937784436799 0.85451453322616511
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 8.6499512822269092e-05
#
compare_272_vs_342 = Holder(
    estimate=0.72659013789618065,
    lower=0.61733937784436799,
    upper=0.85451453322616511,
    p_value=8.6499512822269092e-05,
)
# > poisson.test(c(0, 5), c(20000, 30000), alternative = "less")
# $estimate
# rate ratio
#          0
#
# $conf.int
# [1] 0.00000000000000 1.23084630453912
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.077759999999999996
#
compare_0_vs_5_less = Holder(
    estimate=0.0,
    lower=0.0,
    upper=1.23084630453912,
    p_value=0.077759999999999996,
)

# --------------------------------------------------------------------------------------
# Two shares: fisher.test, and its estimator to tight tolerances
# --------------------------------------------------------------------------------------
# fisher.test solves for the conditional maximum-likelihood odds ratio and its limits with
# uniroot at its default tolerance (about 1e-4 relative). fisher_tight() below is the same
# computation (R's own dnhyper, mnhyper and pnhyper) solved on the log scale to 1e-13.
# > fisher_tight(matrix(c(10, 2077 - 10, 25, 691 - 25), 2, byrow = TRUE))
#             estimate                lower                upper
# 0.129001198827651264 0.054994255332409835 0.279849840146117468
fisher_tight_annual_2025_vs_060 = Holder(
    estimate=0.12900119882765126,
    lower=0.054994255332409835,
    upper=0.27984984014611747,
)
# > fisher_tight(matrix(c(0, 20, 5, 30), 2, byrow = TRUE))
#           estimate              lower              upper
# 0.0000000000000000 0.0000000000000000 1.8415564665044497
fisher_tight_0_of_20_vs_5_of_35 = Holder(
    estimate=0.0,
    lower=0.0,
    upper=1.8415564665044497,
)
# > fisher_tight(matrix(c(5, 20, 0, 30), 2, byrow = TRUE))
#           estimate              lower              upper
#                Inf 1.2070462451079682                Inf
fisher_tight_5_of_25_vs_0_of_30 = Holder(
    estimate=math.inf,
    lower=1.2070462451079682,
    upper=math.inf,
)
# > fisher_tight(matrix(c(0, 599, 5, 809), 2, byrow = TRUE))
#           estimate              lower              upper
# 0.0000000000000000 0.0000000000000000 1.4801627863899196
fisher_tight_0_of_599_vs_5_of_814 = Holder(
    estimate=0.0,
    lower=0.0,
    upper=1.4801627863899196,
)
# > fisher.test(matrix(c(0, 599, 5, 809), 2, byrow = TRUE))
# $estimate
# odds ratio
#          0
#
# $conf.int
# [1] 0.0000000000000000 1.4801626844997826
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.076675617690558473
#
fisher_0_of_599_vs_5_of_814 = Holder(
    estimate=0.0,
    lower=0.0,
    upper=1.4801626844997826,
    p_value=0.076675617690558473,
)

# --------------------------------------------------------------------------------------
# The record (data/deployments.csv): headline rate with and without spread
# --------------------------------------------------------------------------------------
# > d <- read.csv("data/deployments.csv")
# + primary <- d[d$source_type == "primary", ]
# + used <- primary[!is.na(primary$faces_seen) & !is.na(primary$false_alerts) &
# +   primary$faces_seen > 0, ]
# + y <- used$false_alerts; n <- used$faces_seen
# > c(nrow(used), sum(y), sum(n))
# [1]     285      44 2529031
headline_counts = Holder(
    n_deployments=285,
    false_alerts=44,
    faces_seen=2529031,
)
# > binom.test(sum(y), sum(n))$conf.int
# [1] 1.2641417631050038e-05 2.3355890187487697e-05
# attr(,"conf.level")
# [1] 0.94999999999999996
headline_exact = Holder(
    lower=1.2641417631050038e-05,
    upper=2.3355890187487697e-05,
)
# Quasi-binomial: the pooled rate with its standard error inflated by the Pearson
# dispersion; Wald limits on the logit scale.
# > qb <- glm(cbind(y, n - y) ~ 1, family = quasibinomial())
# The dispersion is Pearson's X^2 / df from the Pearson residuals (summary()$dispersion
# uses the working weights of the last iteration and differs in the fourth digit).
# > c(plogis(coef(qb) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(qb)[1])),
# +   sum(residuals(qb, "pearson")^2) / df.residual(qb))
# [1] 8.0339834322259322e-06 3.7675706264181938e-05 6.8383435109426625e+00
headline_quasi_binomial = Holder(
    lower=8.0339834322259322e-06,
    upper=3.7675706264181938e-05,
    dispersion=6.8383435109426625,
)
# > qp <- glm(y ~ 1 + offset(log(n)), family = quasipoisson())
# > c(exp(coef(qp) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(qp)[1])),
# +   sum(residuals(qp, "pearson")^2) / df.residual(qp))
# [1] 8.0340157650327319e-06 3.7675963522473207e-05 6.8382247479038885e+00
headline_quasi_poisson = Holder(
    lower=8.0340157650327319e-06,
    upper=3.7675963522473207e-05,
    dispersion=6.8382247479038885,
)
# Arrests per deployment in 2024 (primary rows with arrests known), quasi-Poisson.
# > a24 <- primary[substr(primary$date, 1, 4) == "2024" & !is.na(primary$arrests), ]
# + qa <- glm(a24$arrests ~ 1, family = quasipoisson())
# > c(nrow(a24), sum(a24$arrests), exp(coef(qa) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(qa)[1])),
# +   sum(residuals(qa, "pearson")^2) / df.residual(qa))
# [1] 180.0000000000000000 575.0000000000000000   2.8727646211229017   3.5521445904793088
# [5]   1.6862278358027625
arrests_2024_quasi_poisson = Holder(
    n_deployments=180.0,
    arrests=575.0,
    lower=2.8727646211229017,
    upper=3.5521445904793088,
    dispersion=1.6862278358027625,
)

# --------------------------------------------------------------------------------------
# Tipping points of notebook 03's verdicts
# --------------------------------------------------------------------------------------
# > s <- read.csv("data/study_predictions.csv")
# + value <- function(id) s$value[s$reference_id == id]
# + crowd <- value("npl2023_crowd_size"); filler <- value("npl2023_filler_set_size")
# + pt <- primary[!is.na(primary$threshold), ]
# + at <- function(t) pt[abs(pt$threshold - t) < 1e-9, ]
# + scaled <- function(rows) sum(rows$faces_seen * rows$watchlist_size / 10000)
# + at_060 <- at(0.60); at_062 <- at(0.62); at_064 <- at(0.64)
# + s060 <- scaled(at_060); s062 <- scaled(at_062); s064 <- scaled(at_064)
# + s2024 <- scaled(at_060[substr(at_060$date, 1, 4) == "2024", ])
# > c(crowd, filler)
# [1] 130000 178000
npl_crowd_and_filler = Holder(
    crowd=130000.0,
    filler=178000.0,
)
# (a) Detections per person d: people passing = faces / d, so E and the study comparison
# scale by 1 / d and every O/E limit by d; the upper limit reaches 1 at d = 1 / upper.
# > 1 / poisson.test(c(25, 7), c(s060, 42000))$conf.int[2]
# [1] 1.4472002682555094
detections_060_study = 1.4472002682555094
# > 1 / poisson.test(25, s060 / 6000)$conf.int[2]
# [1] 2.6843813205041855
detections_060_fixed = 2.6843813205041855
# > 1 / poisson.test(23, s2024 / 6000)$conf.int[2]
# [1] 1.0547182795378947
detections_060_2024_fixed = 1.0547182795378947
# > 1 / poisson.test(c(4, 1), c(s062, 42000))$conf.int[1]
# [1] 1.5770142744487368
detections_062_study = 1.5770142744487368
# > uniroot(function(d) poisson.test(c(5, 0), c(s064 / d, 42000),
# +   alternative = "greater")$p.value - 0.05, c(1, 1000), tol = 1e-12)$root
# [1] 57.165178846570136
detections_064_study = 57.165178846570136
# (b) The study's exposure m (passes at a 10,000 watchlist) behind its count: at 0.62 the
# rate is 1 / m, at 0.64 the upper bound falls with m.
# > uniroot(function(m) poisson.test(c(4, 1), c(s062, m))$conf.int[1] - 1,
# +   c(42000, 1e6), tol = 1e-10)$root
# [1] 66234.599526846941
exposure_062_study = 66234.599526846941
# > uniroot(function(m) poisson.test(c(5, 0), c(s064, m), alternative = "greater")$p.value -
# +   0.05, c(42000, 1e8), tol = 1e-10)$root
# [1] 2400937.5115559464
exposure_064_study = 2400937.5115559464
# > uniroot(function(m) ppois(5 - 1, s064 * (1 - 0.05^(1 / m)), lower.tail = FALSE) - 0.05,
# +   c(42000, 1e8), tol = 1e-10)$root
# [1] 4449097.7136488799
exposure_064_fixed = 4449097.7136488799
# > poisson.test(c(4, 1), c(s062, crowd * filler / 10000))
# $estimate
#         rate ratio
# 353.04179490781451
#
# $conf.int
# [1]    34.936423206757127 17386.414584703088622
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 7.80591492145007e-08
#
alternative_exposure_062 = Holder(
    estimate=353.04179490781451,
    lower=34.936423206757127,
    upper=17386.414584703089,
    p_value=7.80591492145007e-08,
)

# --------------------------------------------------------------------------------------
# Notebook 03 section 7: where the deployments of the 8-of-10 window were
# --------------------------------------------------------------------------------------
# The annual report's window, September 2024 to September 2025 (every row of the record,
# primary and secondary), against the 0.60 deployments the notebook used before.
# > w <- d[d$date >= "2024-09-01" & d$date <= "2025-09-30", ]
# + croydon <- function(rows) sum(rows$borough == "Croydon", na.rm = TRUE)
# > c(nrow(w), croydon(w), croydon(w) / nrow(w), sum(is.na(w$borough) |
# +   w$borough == ""))
# [1] 225.000000000000000000  15.000000000000000000   0.066666666666666666
# [4]   3.000000000000000000
window_croydon = Holder(
    deployments=225.0,
    croydon=15.0,
    share=0.066666666666666666,
    no_borough=3.0,
)
# > c(nrow(at_060), croydon(at_060), croydon(at_060) / nrow(at_060))
# [1] 112.00000000000000000  26.00000000000000000   0.23214285714285715
at_060_croydon = Holder(
    deployments=112.0,
    croydon=26.0,
    share=0.23214285714285715,
)
