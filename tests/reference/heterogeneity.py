"""
Reference values for lfr_analysis.rates' heterogeneity tests, computed in R.

Written by tests/reference/R/heterogeneity.R with R version 4.2.2 Patched (2022-11-10 r83330);
do not edit by hand: regenerate with

    Rscript tests/reference/R/heterogeneity.R > tests/reference/heterogeneity.py

Each value follows the R call that produced it and R's printed result (17 digits).
"""

# --------------------------------------------------------------------------------------
# Pearson X^2 (chisq.test with given probabilities) and exact conditional p-values
# --------------------------------------------------------------------------------------
# exact_conditional_p(events, exposure) in R/heterogeneity.R enumerates every allocation
# of the total (no R function gives the exact conditional test; chisq.test's
# simulate.p.value is Monte-Carlo).
# > suppressWarnings(chisq.test(c(3, 0, 1, 0), p = c(10000, 30000, 20000, 15000),
# +   rescale.p = TRUE)$statistic)
#          X-squared
# 13.812500000000002
x2_3_0_1_0 = 13.812500000000002
# > exact_conditional_p(c(3, 0, 1, 0), c(10000, 30000, 20000, 15000))
# [1] 0.0063407407407407449
exact_p_3_0_1_0 = 0.0063407407407407449
# > suppressWarnings(chisq.test(c(2, 0, 1), p = c(1000, 2000, 3000),
# +   rescale.p = TRUE)$statistic)
#         X-squared
# 5.666666666666667
x2_2_0_1 = 5.666666666666667
# > exact_conditional_p(c(2, 0, 1), c(1000, 2000, 3000))
# [1] 0.1111111111111111
exact_p_2_0_1 = 0.1111111111111111
