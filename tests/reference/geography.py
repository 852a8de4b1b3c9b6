"""
Reference values for lfr_analysis.geography, computed in R independently of the package.

Written by tests/reference/R/geography.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/geography.R > tests/reference/geography.py

Each value follows the R call that produced it and R's printed result (17 digits); the
sums are read from the data files with read.csv.
"""

import math

from . import Holder

# --------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------
# ONS Census 2021 TS001, London region (E12000007), Total: all usual residents (the region
# row of input/data/TS001_residence_type_2021.csv.gz, github ONSvisual/dot-density-data
# @ 12ecaf83f869b8e1d4f5462c88c1736384c0f4f1)
LONDON_USUAL_RESIDENTS = 8799728.0
# ONS, 'Ethnic group, England and Wales: Census 2021' (29 Nov 2022): London 13.5% Black
# (data/study_predictions.csv, census2021_london_black_share)
LONDON_BLACK_PERCENT = 13.5

# --------------------------------------------------------------------------------------
# Exact Poisson (Garwood) limits per person-year: poisson.test(x, T)$conf.int
# --------------------------------------------------------------------------------------
# T = usual residents (Census 2021) x years: a borough's person-years of residents. The
# tests multiply by 100,000 for a rate per 100,000 residents.
# > poisson.test(28, 390719)$conf.int
# [1] 4.7619380311317153e-05 1.0357263389614581e-04
# attr(,"conf.level")
# [1] 0.94999999999999996
croydon_28_in_390719 = Holder(
    lower=4.7619380311317153e-05,
    upper=0.00010357263389614581,
)
# > poisson.test(21, 204236)$conf.int
# [1] 6.3648578037545737e-05 1.5717469366293598e-04
# attr(,"conf.level")
# [1] 0.94999999999999996
westminster_21_in_204236 = Holder(
    lower=6.3648578037545737e-05,
    upper=0.00015717469366293598,
)
# > poisson.test(0, 8583)$conf.int
# [1] 0.00000000000000000000 0.00042978905442315454
# attr(,"conf.level")
# [1] 0.94999999999999996
city_0_in_8583 = Holder(
    lower=0.0,
    upper=0.00042978905442315454,
)
# > poisson.test(1, 389344)$conf.int
# [1] 6.5026834840885947e-08 1.4310335823690359e-05
# attr(,"conf.level")
# [1] 0.94999999999999996
barnet_1_in_389344 = Holder(
    lower=6.5026834840885947e-08,
    upper=1.4310335823690359e-05,
)
# > poisson.test(179, 8799728)$conf.int
# [1] 1.7470662662546422e-05 2.3549551428107614e-05
# attr(,"conf.level")
# [1] 0.94999999999999996
london_179_in_8799728 = Holder(
    lower=1.7470662662546422e-05,
    upper=2.3549551428107614e-05,
)
# > poisson.test(5, 209639, conf.level = 0.9)$conf.int
# [1] 9.3978199097473754e-06 5.0148278272370744e-05
# attr(,"conf.level")
# [1] 0.90000000000000002
sutton_5_in_209639_conf90 = Holder(
    lower=9.3978199097473754e-06,
    upper=5.0148278272370744e-05,
)
# Half a year: T = 218869 x 0.5.
# > poisson.test(3, 218869 * 0.5)$conf.int
# [1] 5.6533554125582112e-06 8.0114343006477143e-05
# attr(,"conf.level")
# [1] 0.94999999999999996
barking_3_in_half_year = Holder(
    lower=5.6533554125582112e-06,
    upper=8.0114343006477143e-05,
)
# Offences per resident (the tests multiply by 1,000).
# > poisson.test(85011, 204236)$conf.int
# [1] 0.41344566081998485 0.41904664056353685
# attr(,"conf.level")
# [1] 0.94999999999999996
westminster_crimes_85011_in_204236 = Holder(
    lower=0.41344566081998485,
    upper=0.41904664056353685,
)

# --------------------------------------------------------------------------------------
# Rate ratio and share
# --------------------------------------------------------------------------------------
# > poisson.test(c(64, 55), c(3647146, 5152582))$conf.int
# [1] 1.1285302616857757 2.4016906524762534
# attr(,"conf.level")
# [1] 0.94999999999999996
ratio_64_in_3647146_vs_55_in_5152582 = Holder(
    lower=1.1285302616857757,
    upper=2.4016906524762534,
)
# > poisson.test(c(5, 0), c(3647146, 5152582))$conf.int
# [1] 1.294600955376672               Inf
# attr(,"conf.level")
# [1] 0.94999999999999996
ratio_5_in_3647146_vs_0_in_5152582 = Holder(
    lower=1.294600955376672,
    upper=math.inf,
)
# > binom.test(64, 119)$conf.int
# [1] 0.44407575405043442 0.62962768768459254
# attr(,"conf.level")
# [1] 0.94999999999999996
clopper_pearson_64_in_119 = Holder(
    lower=0.44407575405043442,
    upper=0.62962768768459254,
)

# --------------------------------------------------------------------------------------
# Sums of the data files
# --------------------------------------------------------------------------------------
# > sum(read.csv("data/census2021_boroughs.csv")$usual_residents)
# [1] 8799728
census_usual_residents_total = 8799728
# > with(read.csv("data/census2021_boroughs.csv"),
# +      sum(usual_residents * black_percent) / sum(usual_residents))
# [1] 13.506545463677968
census_black_percent_weighted = 13.506545463677968
# Offences recorded in 2025 per BOCU: the twelve monthly columns 202501-202512 summed over
# every Group/SubGroup row of data/mps_borough_crime.csv:
# > crime <- read.csv("data/mps_borough_crime.csv", check.names = FALSE)
# + tapply(rowSums(crime[, sprintf("2025%02d", 1:12)]), crime$BOCU, sum)
CRIMES_2025 = {
    "Barking and Dagenham": 20272,
    "Barnet": 28698,
    "Bexley": 16187,
    "Brent": 33179,
    "Bromley": 24255,
    "Camden": 41400,
    "Croydon": 34109,
    "Ealing": 32596,
    "Enfield": 29070,
    "Greenwich": 28092,
    "Hackney": 33053,
    "Hammersmith and Fulham": 21515,
    "Haringey": 29437,
    "Harrow": 16630,
    "Havering": 19502,
    "Hillingdon": 31386,
    "Hounslow": 27007,
    "Islington": 31299,
    "Kensington and Chelsea": 22833,
    "Kingston upon Thames": 12029,
    "Lambeth": 37964,
    "Lewisham": 29419,
    "Merton": 13674,
    "Newham": 41062,
    "Redbridge": 24619,
    "Richmond upon Thames": 11745,
    "Southwark": 40249,
    "Sutton": 13238,
    "Tower Hamlets": 37157,
    "Unknown": 11,
    "Waltham Forest": 23781,
    "Wandsworth": 27166,
    "Westminster": 85011,
}
