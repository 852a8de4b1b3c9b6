"""
Reference values for lfr_analysis.predictions, computed in R independently of the package.

Written by tests/reference/R/predictions.R with R version 4.2.2 Patched (2022-11-10 r83330)
and MASS 7.3.58.2; do not edit by hand: regenerate with

    Rscript tests/reference/R/predictions.R > tests/reference/predictions.py

Each value follows the R call that produced it and R's printed result (17 digits). Holders of
an htest (poisson.test, binom.test, fisher.test) carry estimate, lower, upper and p_value.
"""

import math

from . import Holder

# --------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------
# NPL 2023 (as reported by The Register, 2023-04-06, and Computer Weekly, 2023-04-12): at
# threshold 0.60, 1 false positive in 6,000 people passing with a 10,000-image watchlist
NPL_FPIR_060 = 1 / 6000
# NPL 2023: false positives seen in its tests at thresholds 0.60, 0.62 and 0.64 (same sources)
NPL_EVENTS = {0.60: 7, 0.62: 1, 0.64: 0}
# Implied passes behind NPL's 7 events: 7 / (1 / 6,000) = 42,000 at a 10,000 watchlist (the
# package's assumption; the passes were not published)
NPL_IMPLIED_EXPOSURE = 42_000
# Fussey & Murray (2019), Essex review of the Met trials: 8 of 42 alerts verified correct
ESSEX_2019 = (8, 42)

# --------------------------------------------------------------------------------------
# 10 false alerts in 3,147,436 faces against 1 in 6,000 (fixed prediction)
# --------------------------------------------------------------------------------------
# Expected E = 3,147,436 / 6,000 = 524.57 at a 10,000 watchlist.
# > poisson.test(10, 3147436 / 6000)
# $estimate
#           event rate
# 0.019063135835009831
#
# $conf.int
# [1] 0.009141514609604327 0.035057785528317863
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 1.6265438434221754e-207
#
poisson_10_vs_3147436_over_6000 = Holder(
    estimate=0.019063135835009831,
    lower=0.009141514609604327,
    upper=0.035057785528317863,
    p_value=1.6265438434221754e-207,
)
# > central_p(10, 3147436 / 6000)
# [1] 1.344781279754777e-207
central_p_10_vs_3147436_over_6000 = 1.344781279754777e-207
# > ppois(10, 3147436 / 6000)
# [1] 6.723906398773885e-208
p_fewer_10_vs_3147436_over_6000 = 6.723906398773885e-208
# > ppois(10 - 1, 3147436 / 6000, lower.tail = FALSE)
# [1] 1
p_more_10_vs_3147436_over_6000 = 1.0

# --------------------------------------------------------------------------------------
# The same counting NPL's 7 events (exact conditional test, Silcocks 1994)
# --------------------------------------------------------------------------------------
# poisson.test with two counts: binom.test of 10 of 17 against 3,147,436 / (3,147,436 +
# 42,000); the interval is the Clopper-Pearson interval of 10 / 17 mapped to a rate ratio.
# > poisson.test(c(10, 7), c(3147436, 42000))
# $estimate
#           rate ratio
# 0.019063135835009831
#
# $conf.int
# [1] 0.0065501596886783147 0.0590067857353710340
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 1.1894148980822866e-09
#
poisson_two_sample_10_in_3147436_vs_7_in_42000 = Holder(
    estimate=0.019063135835009831,
    lower=0.0065501596886783147,
    upper=0.059006785735371034,
    p_value=1.1894148980822866e-09,
)
# > binom.test(10, 17, 3147436 / (3147436 + 42000))$p.value
# [1] 1.1894148980822866e-09
binomial_p_10_of_17 = 1.1894148980822866e-09

# --------------------------------------------------------------------------------------
# Zero-event reference (0.64): one-sided bound and tests
# --------------------------------------------------------------------------------------
# > binom.test(0, 42000, alternative = "less")$conf.int[2]
# [1] 7.1324415187088713e-05
upper95_0_in_42000 = 7.1324415187088713e-05
# > ppois(10 - 1, 3147436 * binom.test(0, 42000, alternative = "less")$conf.int[2],
# +   lower.tail = FALSE)
# [1] 1
p_more_than_upper_10_vs_3147436 = 1.0
# > poisson.test(c(10, 0), c(3147436, 42000), alternative = "greater")$p.value
# [1] 0.87585085861788647
p_cond_more_10_in_3147436_vs_0_in_42000 = 0.87585085861788647

# --------------------------------------------------------------------------------------
# Notebook 03: Met deployments (data/deployments.csv) against NPL 2023
# --------------------------------------------------------------------------------------
# Inputs, read from the data file as notebook 03 does: each deployment's faces seen
# scaled to a 10,000 watchlist (faces x watchlist / 10,000), summed; E = that / 6,000 at
# 0.60 and / 42,000 at 0.62 (NPL's 1 event in the implied 42,000 passes).
# > d <- read.csv("data/deployments.csv")
# + primary <- d[d$source_type == "primary" & !is.na(d$threshold), ]
# + at <- function(t) primary[abs(primary$threshold - t) < 1e-9, ]
# + scaled <- function(rows) sum(rows$faces_seen * rows$watchlist_size / 10000)
# + at_060 <- at(0.60); at_062 <- at(0.62); at_064 <- at(0.64)
# + year <- substr(at_060$date, 1, 4)
# > nrow(at_060)
# [1] 112
n_060 = 112
# > sum(at_060$false_alerts)
# [1] 25
observed_060 = 25
# > scaled(at_060)
# [1] 594401.45570000005
faces_scaled_060 = 594401.45570000005
# > scaled(at_060) / 6000
# [1] 99.066909283333345
expected_060 = 99.066909283333345
# > tapply(at_060$false_alerts, year, sum)
# 2023 2024
#    2   23
observed_060_by_year = Holder(
    y2023=2,
    y2024=23,
)
# > sapply(split(at_060, year), scaled)
#               2023               2024
# 376003.30690000003 218398.14880000000
faces_scaled_060_by_year = Holder(
    y2023=376003.30690000003,
    y2024=218398.1488,
)
# > tapply(at_060$faces_seen, year, sum)
#   2023   2024
# 326392 164854
faces_seen_060_by_year = Holder(
    y2023=326392,
    y2024=164854,
)
# > sum(at_060$alerts)
# [1] 691
alerts_060 = 691
# > sum(at_062$false_alerts)
# [1] 4
observed_062 = 4
# > scaled(at_062)
# [1] 26217.859
faces_scaled_062 = 26217.859
# > sum(at_064$false_alerts)
# [1] 5
observed_064 = 5
# > scaled(at_064)
# [1] 2925959.3615000001
faces_scaled_064 = 2925959.3615000001

# At 0.60, pooled: 25 false alerts against E = 99.07.
# > poisson.test(25, scaled(at_060) / 6000)
# $estimate
#          event rate
# 0.25235469826256007
#
# $conf.int
# [1] 0.16331065503979714 0.37252531611722661
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 1.3746433561728062e-18
#
poisson_060 = Holder(
    estimate=0.25235469826256007,
    lower=0.16331065503979714,
    upper=0.37252531611722661,
    p_value=1.3746433561728062e-18,
)
# > central_p(25, scaled(at_060) / 6000)
# [1] 1.2846487501368336e-18
central_p_060 = 1.2846487501368336e-18
# > ppois(25, scaled(at_060) / 6000)
# [1] 6.4232437506841682e-19
p_fewer_060 = 6.4232437506841682e-19
# > poisson.test(c(25, 7), c(scaled(at_060), 42000))
# $estimate
#          rate ratio
# 0.25235469826256013
#
# $conf.int
# [1] 0.10610905922519588 0.69098936887665485
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.0042299440367396801
#
poisson_two_sample_060 = Holder(
    estimate=0.25235469826256013,
    lower=0.10610905922519588,
    upper=0.69098936887665485,
    p_value=0.0042299440367396801,
)
# At 0.60 by year.
# > poisson.test(2, scaled(at_060[year == "2023", ]) / 6000)
# $estimate
#           event rate
# 0.031914612929698147
#
# $conf.int
# [1] 0.0038650076863560425 0.1152865552266868765
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 3.04757214840556e-24
#
poisson_060_2023 = Holder(
    estimate=0.031914612929698147,
    lower=0.0038650076863560425,
    upper=0.11528655522668688,
    p_value=3.04757214840556e-24,
)
# > central_p(2, scaled(at_060[year == "2023", ]) / 6000)
# [1] 2.4655395712721814e-24
central_p_060_2023 = 2.4655395712721814e-24
# > poisson.test(c(2, 7), c(scaled(at_060[year == "2023", ]), 42000))
# $estimate
#           rate ratio
# 0.031914612929698147
#
# $conf.int
# [1] 0.0032348711328619127 0.1676170599871603661
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 3.0968584920646084e-06
#
poisson_two_sample_060_2023 = Holder(
    estimate=0.031914612929698147,
    lower=0.0032348711328619127,
    upper=0.16761705998716037,
    p_value=3.0968584920646084e-06,
)
# > poisson.test(23, scaled(at_060[year == "2024", ]) / 6000)
# $estimate
#          event rate
# 0.63187348774817087
#
# $conf.int
# [1] 0.40055358849391526 0.94812047861551385
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.024760552355030045
#
poisson_060_2024 = Holder(
    estimate=0.63187348774817087,
    lower=0.40055358849391526,
    upper=0.94812047861551385,
    p_value=0.024760552355030045,
)
# > central_p(23, scaled(at_060[year == "2024", ]) / 6000)
# [1] 0.023940903065581103
central_p_060_2024 = 0.023940903065581103
# > poisson.test(c(23, 7), c(scaled(at_060[year == "2024", ]), 42000))
# $estimate
#          rate ratio
# 0.63187348774817087
#
# $conf.int
# [1] 0.26249841516562478 1.74360225012642145
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.3160347371209925
#
poisson_two_sample_060_2024 = Holder(
    estimate=0.63187348774817087,
    lower=0.26249841516562478,
    upper=1.7436022501264214,
    p_value=0.3160347371209925,
)

# At 0.62: 4 false alerts against E = 0.624. R's rule gives p = 0.0039 where the central
# rule (the package's p_two_sided) gives 0.0077.
# > poisson.test(4, scaled(at_062) / 42000)
# $estimate
#         event rate
# 6.4078458885601606
#
# $conf.int
# [1]  1.7459223383688829 16.4066304715024707
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.0038604445550251103
#
poisson_062 = Holder(
    estimate=6.4078458885601606,
    lower=1.7459223383688829,
    upper=16.406630471502471,
    p_value=0.0038604445550251103,
)
# > central_p(4, scaled(at_062) / 42000)
# [1] 0.0077208891100502205
central_p_062 = 0.0077208891100502205
# > ppois(4 - 1, scaled(at_062) / 42000, lower.tail = FALSE)
# [1] 0.0038604445550251103
p_more_062 = 0.0038604445550251103
# > poisson.test(c(4, 1), c(scaled(at_062), 42000))
# $estimate
#         rate ratio
# 6.4078458885601597
#
# $conf.int
# [1]   0.6341096692669832 315.5701869306524259
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.075545951854599391
#
poisson_two_sample_062 = Holder(
    estimate=6.4078458885601597,
    lower=0.6341096692669832,
    upper=315.57018693065243,
    p_value=0.075545951854599391,
)

# At 0.64: 5 false alerts; NPL saw none, so one-sided questions only.
# > scaled(at_064) * binom.test(0, 42000, alternative = "less")$conf.int[2]
# [1] 208.69234032017499
expected_upper_064 = 208.69234032017499
# > ppois(5 - 1, scaled(at_064) * binom.test(0, 42000, alternative = "less")$conf.int[2],
# +   lower.tail = FALSE)
# [1] 1
p_more_than_upper_064 = 1.0
# > poisson.test(c(5, 0), c(scaled(at_064), 42000), alternative = "greater")$p.value
# [1] 0.93121872267230577
p_cond_more_064 = 0.93121872267230577

# --------------------------------------------------------------------------------------
# Two rates compared (for a compare_rates function)
# --------------------------------------------------------------------------------------
# poisson.test(c(x1, x2), c(T1, T2)): the rate ratio (x1 / T1) / (x2 / T2), its exact
# conditional interval and p-value (binom.test of x1 of x1 + x2 against T1 / (T1 + T2)).
# Zero counts are accepted: with x1 = 0 the lower limit is 0, with x2 = 0 the upper is Inf,
# and with both 0 R gives estimate NaN, interval 0 to Inf and p = 1.
# > poisson.test(c(10, 25), c(3147436, 491246))
# $estimate
#           rate ratio
# 0.062431261509368258
#
# $conf.int
# [1] 0.02675909965270315 0.13459434290724440
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 8.3076856572893523e-15
#
compare_annual_2025_vs_060 = Holder(
    estimate=0.062431261509368258,
    lower=0.02675909965270315,
    upper=0.1345943429072444,
    p_value=8.3076856572893523e-15,
)
# > binom.test(10, 35, 3147436 / (3147436 + 491246))$p.value
# [1] 8.3076856572893523e-15
binomial_p_10_of_35 = 8.3076856572893523e-15
# > poisson.test(c(2, 23), tapply(at_060$faces_seen, year, sum))
# $estimate
#      rate ratio.2023
# 0.043919980988451339
#
# $conf.int
# [1] 0.0050191644963177079 0.1777426743416365418
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 1.7126645333191417e-09
#
compare_060_2023_vs_2024 = Holder(
    estimate=0.043919980988451339,
    lower=0.0050191644963177079,
    upper=0.17774267434163654,
    p_value=1.7126645333191417e-09,
)
# > poisson.test(c(0, 5), c(20000, 30000))
# $estimate
# rate ratio
#          0
#
# $conf.int
# [1] 0.0000000000000000 1.6369186577738188
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.1648
#
compare_0_vs_5 = Holder(
    estimate=0.0,
    lower=0.0,
    upper=1.6369186577738188,
    p_value=0.1648,
)
# > poisson.test(c(5, 0), c(20000, 30000))
# $estimate
# rate ratio
#        Inf
#
# $conf.int
# [1] 1.3745337859731901                Inf
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.01024000000000001
#
compare_5_vs_0 = Holder(
    estimate=math.inf,
    lower=1.3745337859731901,
    upper=math.inf,
    p_value=0.01024000000000001,
)
# > poisson.test(c(0, 0), c(20000, 30000))
# $estimate
# rate ratio
#        NaN
#
# $conf.int
# [1]   0 Inf
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 1
#
compare_0_vs_0 = Holder(
    estimate=math.nan,
    lower=0.0,
    upper=math.inf,
    p_value=1.0,
)
# > poisson.test(c(1, 0), c(20000, 30000), alternative = "greater")
# $estimate
# rate ratio
#        Inf
#
# $conf.int
# [1] 0.07894736842105271                 Inf
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.40000000000000002
#
compare_1_vs_0_one_sided = Holder(
    estimate=math.inf,
    lower=0.07894736842105271,
    upper=math.inf,
    p_value=0.40000000000000002,
)

# Per alert: fisher.test on 2 x 2 tables of (false alerts, other alerts); the estimate is
# the conditional maximum-likelihood odds ratio.
# > fisher.test(matrix(c(10, 2077 - 10, 25, 691 - 25), 2, byrow = TRUE))
# $estimate
#          odds ratio
# 0.12899183279290727
#
# $conf.int
# [1] 0.054968426120925229 0.279853363822063828
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 7.9276396470779647e-09
#
fisher_annual_2025_vs_060 = Holder(
    estimate=0.12899183279290727,
    lower=0.054968426120925229,
    upper=0.27985336382206383,
    p_value=7.9276396470779647e-09,
)
# > fisher.test(matrix(c(0, 20, 5, 30), 2, byrow = TRUE))
# $estimate
# odds ratio
#          0
#
# $conf.int
# [1] 0.0000000000000000 1.8414885731182067
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.14652084463405216
#
fisher_0_of_20_vs_5_of_35 = Holder(
    estimate=0.0,
    lower=0.0,
    upper=1.8414885731182067,
    p_value=0.14652084463405216,
)
# > fisher.test(matrix(c(5, 20, 0, 30), 2, byrow = TRUE))
# $estimate
# odds ratio
#        Inf
#
# $conf.int
# [1] 1.2070019529259459                Inf
# attr(,"conf.level")
# [1] 0.94999999999999996
#
# $p.value
# [1] 0.015272678979671217
#
fisher_5_of_25_vs_0_of_30 = Holder(
    estimate=math.inf,
    lower=1.2070019529259459,
    upper=math.inf,
    p_value=0.015272678979671217,
)

# --------------------------------------------------------------------------------------
# Per-alert precision against Essex 2019 (compare_precision)
# --------------------------------------------------------------------------------------
# > binom.test(8, 42)$conf.int
# [1] 0.086005594455932213 0.341184413604156633
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_8_in_42 = Holder(
    lower=0.086005594455932213,
    upper=0.34118441360415663,
)
# > binom.test(2067, 2077)$conf.int
# [1] 0.99116359193813108 0.99768885320102441
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_2067_in_2077 = Holder(
    lower=0.99116359193813108,
    upper=0.99768885320102441,
)
# > fisher.test(matrix(c(2067, 2077 - 2067, 8, 42 - 8), 2, byrow = TRUE))$p.value
# [1] 8.8657263699454012e-58
fisher_p_2067_of_2077_vs_8_of_42 = 8.8657263699454012e-58
# Newcombe (1998) hybrid score interval for p1 - p2, from its formula: newcombe() in
# R/predictions.R, with Wilson limits from prop.test(correct = FALSE).
# > newcombe(2067, 2077, 8, 42)
# [1] 0.66212078506387562 0.89539190568351401
newcombe_2067_of_2077_minus_8_of_42 = Holder(
    lower=0.66212078506387562,
    upper=0.89539190568351401,
)

# --------------------------------------------------------------------------------------
# 8 of 10 false alerts against a 13.5% benchmark share (share_vs_benchmark)
# --------------------------------------------------------------------------------------
# Met LFR annual report, Sep 2024 - Sep 2025: 8 of the 10 people falsely alerted were Black
MET_BLACK_FALSE_ALERTS_2025 = (8, 10)
# ONS Census 2021: 13.5% of London residents identified as Black
CENSUS_2021_LONDON_BLACK_SHARE = 0.135
# > binom.test(8, 10, 0.135, alternative = "greater")$p.value
# [1] 3.8454656900528842e-06
p_more_8_of_10_at_0_135 = 3.8454656900528842e-06
# > binom.test(8, 10, 0.135)$p.value
# [1] 3.8454656900528842e-06
p_two_sided_8_of_10_at_0_135 = 3.8454656900528842e-06
# > binom.test(8, 10, alternative = "greater")$conf.int[1]
# [1] 0.4930986989367977
lowest_consistent_share_8_of_10 = 0.4930986989367977
# > binom.test(8, 10)$conf.int
# [1] 0.44390453769235860 0.97478927367316659
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_8_in_10 = Holder(
    lower=0.4439045376923586,
    upper=0.97478927367316659,
)

# --------------------------------------------------------------------------------------
# Funnel limits and cumulative O/E
# --------------------------------------------------------------------------------------
# > uniroot(function(e) ppois(2, e) - 0.999, c(0.01, 5), tol = 1e-15)$root
# [1] 0.19053337756840266
poisson_cdf_2_crossing_0_999 = 0.19053337756840266
# > qpois(0.975, c(1, 3))
# [1] 3 7
poisson_quantiles_0_975_at_1_and_3 = (
    3.0,
    7.0,
)

# --------------------------------------------------------------------------------------
# Overdispersed O/E: the ten synthetic deployments of test_predictions.py
# --------------------------------------------------------------------------------------
# > y <- c(0, 0, 5, 1, 0, 7, 0, 2, 1, 0)
# + faces <- c(6000, 12000, 6000, 18000, 6000, 24000, 12000, 6000, 30000, 6000)
# + E <- faces * (10000 / 10000) / 6000
# > quasi <- glm(y ~ 1, offset = log(E), family = quasipoisson())
# > c(coef(quasi), sqrt(vcov(quasi)), summary(quasi)$dispersion,
# +   exp(coef(quasi) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(quasi)[1])))
#          (Intercept)
# -0.27193371548363893  0.51935206026355429  4.31562532441817748  0.27531343990602358
#
#  2.10850173682514219
quasi_poisson_toy = Holder(
    log_ratio=-0.27193371548363893,
    se=0.51935206026355429,
    phi=4.3156253244181775,
    lower=0.27531343990602358,
    upper=2.1085017368251422,
)
# > fit_toy <- glm.nb(y ~ 1 + offset(log(E)),
# +   control = glm.control(epsilon = 1e-14, maxit = 1000))
# > c(coef(fit_toy), fit_toy$theta, 1 / fit_toy$theta, sqrt(vcov(fit_toy)[1]))
#          (Intercept)
# -0.12976418470584880  0.48283001449444912  2.07112227902206492  0.52831004915262114
negative_binomial_toy = Holder(
    log_ratio=-0.1297641847058488,
    theta=0.48283001449444912,
    alpha=2.0711222790220649,
    se=0.52831004915262114,
)

# --------------------------------------------------------------------------------------
# Overdispersed O/E at 0.60 (notebook 03): MASS::glm.nb with offset log(E)
# --------------------------------------------------------------------------------------
# The package fits NB2 (statsmodels NegativeBinomial, exposure E, alpha = 1 / theta) to the
# 112 deployments at 0.60, E_i = faces x watchlist / 10,000 / 6,000. glm.nb's standard error
# (and so its Wald interval) holds theta fixed at its estimate; MASS's confint() profiles the
# coefficient with theta fixed too. profile_nb() in R/predictions.R also re-estimates theta
# at each value of the coefficient (the full profile likelihood).
# > E_060 <- at_060$faces_seen * at_060$watchlist_size / 10000 / 6000
# + y_060 <- at_060$false_alerts
# + fit <- glm.nb(y_060 ~ 1 + offset(log(E_060)),
# +   control = glm.control(epsilon = 1e-14, maxit = 1000))
# > c(coef(fit), sqrt(vcov(fit)[1]), fit$theta, 1 / fit$theta, fit$SE.theta, fit$twologlik / 2)
#            (Intercept)
#  -0.592422197870709377   0.293663615192832850   0.186643537207129145
#
#   5.357806731289292301   0.073617301936943658 -70.741507653513380660
nb_060_fit = Holder(
    log_ratio=-0.59242219787070938,
    se=0.29366361519283285,
    theta=0.18664353720712915,
    alpha=5.3578067312892923,
    se_theta=0.073617301936943658,
    loglik=-70.741507653513381,
)
# > exp(coef(fit))
#         (Intercept)
# 0.55298621918448088
nb_060_ratio = 0.55298621918448088
# > quasi_060 <- glm(y_060 ~ 1, offset = log(E_060), family = quasipoisson())
# > c(exp(coef(quasi_060)), summary(quasi_060)$dispersion,
# +   exp(coef(quasi_060) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(quasi_060)[1])))
#         (Intercept)
# 0.25235469826256529 3.45298946730720013 0.12180556160895786 0.52282418712239642
quasi_poisson_060 = Holder(
    ratio=0.25235469826256529,
    phi=3.4529894673072001,
    lower=0.12180556160895786,
    upper=0.52282418712239642,
)
# > exp(coef(fit) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(fit)[1]))
# [1] 0.31099068867014534 0.98328911362452154
nb_060_wald = Holder(
    lower=0.31099068867014534,
    upper=0.98328911362452154,
)
# > summary(fit)$coefficients[1, 4]
# [1] 0.043659035366872614
nb_060_wald_p = 0.043659035366872614
# > exp(suppressMessages(confint(fit)))
#               2.5 %              97.5 %
# 0.30178173124644841 1.02032677635774416
nb_060_profile_theta_fixed = Holder(
    lower=0.30178173124644841,
    upper=1.0203267763577442,
)
# profile_nb(b): log-likelihood maximised over log(theta) by optimize(tol = 1e-12) at
# log ratio b; limit() solves profile_nb(b) = max - qchisq(0.95, 1) / 2 by uniroot.
# > exp(c(limit(-1), limit(1)))
# [1] 0.30173090766587202 1.05998574703954418
nb_060_profile_full = Holder(
    lower=0.30173090766587202,
    upper=1.0599857470395442,
)
# Likelihood-ratio test of O/E = 1 (log ratio 0), theta re-estimated under the null.
# > pchisq(2 * (ll_hat - profile_nb(0)), 1, lower.tail = FALSE)
# [1] 0.071978675992463839
nb_060_lr_p = 0.071978675992463839
