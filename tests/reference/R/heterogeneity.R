# Reference values for the heterogeneity tests in tests/test_rates.py
# (lfr_analysis.rates.conditional_mc_test): Pearson's X^2 against one common rate and its exact
# conditional p-value, by enumerating every allocation of the total. Writes
# tests/reference/heterogeneity.py:
#   Rscript tests/reference/R/heterogeneity.R > tests/reference/heterogeneity.py

source(file.path("tests", "reference", "R", "common.R"))

compositions <- function(n, k) {
  if (k == 1) return(matrix(n, 1, 1))
  do.call(rbind, lapply(0:n, function(first) cbind(first, compositions(n - first, k - 1))))
}

# Exact conditional p-value: given the total, the counts are Multinomial(total, exposure
# share) under one common rate; the p-value is the probability of an X^2 at least the
# observed one (ties, within 1e-9, counted), summed over every allocation with dmultinom.
exact_conditional_p <- function(events, exposure) {
  share <- exposure / sum(exposure)
  expected <- sum(events) * share
  x2 <- function(counts) sum((counts - expected)^2 / expected)
  observed <- x2(events)
  outcomes <- compositions(sum(events), length(events))
  statistic <- apply(outcomes, 1, x2)
  probs <- apply(outcomes, 1, dmultinom, prob = share)
  sum(probs[statistic >= observed - 1e-9])
}

section("Pearson X^2 (chisq.test with given probabilities) and exact conditional p-values")
comment(paste(
  "exact_conditional_p(events, exposure) in R/heterogeneity.R enumerates every allocation",
  "of the total (no R function gives the exact conditional test; chisq.test's",
  "simulate.p.value is Monte-Carlo).", sep = "\n"))
emit("x2_3_0_1_0",
     "suppressWarnings(chisq.test(c(3, 0, 1, 0), p = c(10000, 30000, 20000, 15000),\n  rescale.p = TRUE)$statistic)")
emit("exact_p_3_0_1_0", "exact_conditional_p(c(3, 0, 1, 0), c(10000, 30000, 20000, 15000))")
emit("x2_2_0_1",
     "suppressWarnings(chisq.test(c(2, 0, 1), p = c(1000, 2000, 3000),\n  rescale.p = TRUE)$statistic)")
emit("exact_p_2_0_1", "exact_conditional_p(c(2, 0, 1), c(1000, 2000, 3000))")

write_module(paste0(
  "Reference values for lfr_analysis.rates' heterogeneity tests, computed in R.\n",
  "\n",
  "Written by tests/reference/R/heterogeneity.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/heterogeneity.R > tests/reference/heterogeneity.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits)."))
