"""
Reference values for lfr_analysis.arrests, computed in R independently of the package.

Written by tests/reference/R/arrests.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/arrests.R > tests/reference/arrests.py

Each value follows the R call that produced it and R's printed result (17 digits). Goodman's
limits and the coverages are computed by functions written out in the R script.
"""

from . import Holder

# --------------------------------------------------------------------------------------
# Published counts
# --------------------------------------------------------------------------------------
# Met, 9 April 2024 (Clapham, Sutton, Woolwich deployments): the twelve people arrested,
# by offence group as harmonised in data/offence_taxonomy.csv (rows met-2024-04-09-*)
APRIL_9_OFFENCE_GROUPS = (3, 2, 2, 1, 1, 1, 1, 1)
# Met LFR results to December 2024: 540 arrests, 406 charged or cautioned, 95 released on
# bail, 39 with no published outcome (rows met-2024-ytd-results-to-dec-*)
YTD_2024_OUTCOMES = (406, 95, 39)

# --------------------------------------------------------------------------------------
# Exact Poisson (Garwood) limits: poisson.test(x)$conf.int (qgamma)
# --------------------------------------------------------------------------------------
# > poisson.test(0)$conf.int
# [1] 0.0000000000000000 3.6888794541139354
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_0 = Holder(
    lower=0.0,
    upper=3.6888794541139354,
)
# > poisson.test(1)$conf.int
# [1] 0.025317807984289897 5.571643390938898932
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_1 = Holder(
    lower=0.025317807984289897,
    upper=5.5716433909388989,
)
# > poisson.test(2)$conf.int
# [1] 0.24220927854396501 7.22468766772395821
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_2 = Holder(
    lower=0.24220927854396501,
    upper=7.2246876677239582,
)
# > poisson.test(3)$conf.int
# [1] 0.61867212289560158 8.76727306974232334
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_3 = Holder(
    lower=0.61867212289560158,
    upper=8.7672730697423233,
)
# > poisson.test(9)$conf.int
# [1]  4.1153730973783329 17.0848034514191696
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_9 = Holder(
    lower=4.1153730973783329,
    upper=17.08480345141917,
)
# > poisson.test(50)$conf.int
# [1] 37.110963737461866 65.918766664336829
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_50 = Holder(
    lower=37.110963737461866,
    upper=65.918766664336829,
)
# Rates: the same limits over exposure T (per deployment, per 100,000 faces, per alert).
# > poisson.test(2)$conf.int
# [1] 0.24220927854396501 7.22468766772395821
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_2_per_1 = Holder(
    lower=0.24220927854396501,
    upper=7.2246876677239582,
)
# > poisson.test(2, 0.1)$conf.int
# [1]  2.4220927854396499 72.2468766772395838
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_2_per_0_1 = Holder(
    lower=2.4220927854396499,
    upper=72.246876677239584,
)
# > poisson.test(9, 5)$conf.int
# [1] 0.82307461947566662 3.41696069028383409
# attr(,"conf.level")
# [1] 0.94999999999999996
garwood_9_per_5 = Holder(
    lower=0.82307461947566662,
    upper=3.4169606902838341,
)

# > binom.test(2, 5)$conf.int
# [1] 0.052744950526316912 0.853367200365326761
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_2_in_5 = Holder(
    lower=0.052744950526316912,
    upper=0.85336720036532676,
)

# --------------------------------------------------------------------------------------
# Goodman (1965) simultaneous limits for shares (goodman() in R/arrests.R)
# --------------------------------------------------------------------------------------
# goodman(counts, alpha) is written from the paper's closed form (see R/arrests.R);
# rows follow the counts' order.
# Flattened by column: the three lower limits, then the three upper limits.
# > goodman(c(406, 95, 39))
#                     lower               upper
# [1,] 0.704863799276089775 0.79355012732866947
# [2,] 0.140161860478478645 0.21849668984627979
# [3,] 0.049809907254486238 0.10361937917419484
goodman_ytd_2024_outcomes = (
    0.70486379927608978,
    0.14016186047847864,
    0.049809907254486238,
    0.79355012732866947,
    0.21849668984627979,
    0.10361937917419484,
)
# Flattened by column: the eight lower limits, then the eight upper limits.
# > goodman(c(3, 2, 2, 1, 1, 1, 1, 1))
#                      lower               upper
# [1,] 0.0610351298646616691 0.63090561902100439
# [2,] 0.0306370826619400266 0.55861724918561462
# [3,] 0.0306370826619400266 0.55861724918561462
# [4,] 0.0089583650752001441 0.47760954973424324
# [5,] 0.0089583650752001441 0.47760954973424324
# [6,] 0.0089583650752001441 0.47760954973424324
# [7,] 0.0089583650752001441 0.47760954973424324
# [8,] 0.0089583650752001441 0.47760954973424324
goodman_april_9 = (
    0.061035129864661669,
    0.030637082661940027,
    0.030637082661940027,
    0.0089583650752001441,
    0.0089583650752001441,
    0.0089583650752001441,
    0.0089583650752001441,
    0.0089583650752001441,
    0.63090561902100439,
    0.55861724918561462,
    0.55861724918561462,
    0.47760954973424324,
    0.47760954973424324,
    0.47760954973424324,
    0.47760954973424324,
    0.47760954973424324,
)

# --------------------------------------------------------------------------------------
# Exact simultaneous coverage at small n (to choose the share method)
# --------------------------------------------------------------------------------------
# coverage(method, n, p) in R/arrests.R enumerates every outcome of Multinomial(n, p) and
# sums dmultinom over those whose k intervals all hold their share (95% simultaneous
# level). "goodman": goodman(); "bonferroni-cp": binom.test(x, n, conf.level = 1 - 0.05 / k)
# for each share. p = the shares of the 12-arrest example (9 April 2024) and of the 540
# outcomes to December 2024. Fields: coverage, number of outcomes, total probability.
# > coverage("goodman", 12, c(3, 2, 2, 1, 1, 1, 1, 1) / 12)
#               coverage               outcomes      total_probability
# 9.1276406344926808e-01 5.0388000000000000e+04 9.9999999999999833e-01
coverage_goodman_n12_april_9 = Holder(
    coverage=0.91276406344926808,
    outcomes=50388.0,
    total_probability=0.99999999999999833,
)
# > coverage("bonferroni-cp", 12, c(3, 2, 2, 1, 1, 1, 1, 1) / 12)
#               coverage               outcomes      total_probability
# 9.8498674891956861e-01 5.0388000000000000e+04 9.9999999999999833e-01
coverage_bonferroni_cp_n12_april_9 = Holder(
    coverage=0.98498674891956861,
    outcomes=50388.0,
    total_probability=0.99999999999999833,
)
# > coverage("goodman", 12, rep(1 / 8, 8))
#               coverage               outcomes      total_probability
# 9.0998826781287978e-01 5.0388000000000000e+04 1.0000000000000020e+00
coverage_goodman_n12_uniform8 = Holder(
    coverage=0.90998826781287978,
    outcomes=50388.0,
    total_probability=1.000000000000002,
)
# > coverage("bonferroni-cp", 12, rep(1 / 8, 8))
#               coverage               outcomes      total_probability
# 9.8564798617735705e-01 5.0388000000000000e+04 1.0000000000000020e+00
coverage_bonferroni_cp_n12_uniform8 = Holder(
    coverage=0.98564798617735705,
    outcomes=50388.0,
    total_probability=1.000000000000002,
)
# > coverage("goodman", 540, c(406, 95, 39) / 540)
#               coverage               outcomes      total_probability
# 9.6205088331278354e-01 1.4661100000000000e+05 9.9999999999990974e-01
coverage_goodman_n540_ytd_2024 = Holder(
    coverage=0.96205088331278354,
    outcomes=146611.0,
    total_probability=0.99999999999990974,
)
# > coverage("bonferroni-cp", 540, c(406, 95, 39) / 540)
#               coverage               outcomes      total_probability
# 9.6692582351000378e-01 1.4661100000000000e+05 9.9999999999990974e-01
coverage_bonferroni_cp_n540_ytd_2024 = Holder(
    coverage=0.96692582351000378,
    outcomes=146611.0,
    total_probability=0.99999999999990974,
)
