# Reference values for tests/test_arrests.py (lfr_analysis.arrests): exact Poisson limits of
# arrest counts, Goodman's simultaneous multinomial limits for shares, the per-alert and
# per-face yield intervals, and the exact simultaneous coverage of two multinomial methods at
# small n. Writes tests/reference/arrests.py:
#   Rscript tests/reference/R/arrests.R > tests/reference/arrests.py

source(file.path("tests", "reference", "R", "common.R"))

# Goodman (1965) simultaneous limits for multinomial shares, from the paper's formula:
# A = qchisq(1 - alpha / k, 1); limits (A + 2 n_i -/+ sqrt(A (A + 4 n_i (N - n_i) / N))) /
# (2 (N + A)). No function in base R or the Debian-packaged R libraries computes them.
goodman <- function(counts, alpha = 0.05) {
  n <- sum(counts)
  k <- length(counts)
  a <- qchisq(1 - alpha / k, 1)
  root <- sqrt(a * (a + 4 * counts * (n - counts) / n))
  cbind(lower = (a + 2 * counts - root) / (2 * (n + a)),
        upper = (a + 2 * counts + root) / (2 * (n + a)))
}

# Bonferroni-adjusted Clopper-Pearson limits: each share at level 1 - alpha / k.
bonferroni_cp <- function(counts, alpha = 0.05) {
  n <- sum(counts)
  k <- length(counts)
  t(sapply(counts, function(x) binom.test(x, n, conf.level = 1 - alpha / k)$conf.int[1:2]))
}

# Every outcome of Multinomial(n, k categories): a matrix with one row per outcome.
compositions <- function(n, k) {
  if (k == 1) return(matrix(n, 1, 1))
  do.call(rbind, lapply(0:n, function(first) cbind(first, compositions(n - first, k - 1))))
}

# Exact simultaneous coverage at shares p: the sum of dmultinom over the outcomes whose k
# intervals all hold their share. Limits depend on the outcome only through each count and n,
# so they are computed once per count value (0..n).
coverage <- function(method, n, p, alpha = 0.05) {
  k <- length(p)
  outcomes <- compositions(n, k)
  if (method == "goodman") {
    a <- qchisq(1 - alpha / k, 1)
    x <- 0:n
    root <- sqrt(a * (a + 4 * x * (n - x) / n))
    low <- (a + 2 * x - root) / (2 * (n + a))
    high <- (a + 2 * x + root) / (2 * (n + a))
  } else {
    limits <- sapply(0:n, function(x) binom.test(x, n, conf.level = 1 - alpha / k)$conf.int[1:2])
    low <- limits[1, ]
    high <- limits[2, ]
  }
  covered <- rep(TRUE, nrow(outcomes))
  for (j in seq_len(k)) {
    x <- outcomes[, j]
    covered <- covered & low[x + 1] <= p[j] & p[j] <= high[x + 1]
  }
  probs <- apply(outcomes, 1, dmultinom, prob = p)
  c(coverage = sum(probs[covered]), outcomes = nrow(outcomes), total_probability = sum(probs))
}

garwood <- function(name, x, t = 1) {
  call <- if (t == 1) sprintf("poisson.test(%s)$conf.int", x)
          else sprintf("poisson.test(%s, %s)$conf.int", x, t)
  emit(name, call, fields = c("lower", "upper"))
}

# ---------------------------------------------------------------------------------------
section("Published counts")
emit_published("APRIL_9_OFFENCE_GROUPS", "(3, 2, 2, 1, 1, 1, 1, 1)", paste(
  "Met, 9 April 2024 (Clapham, Sutton, Woolwich deployments): the twelve people arrested,",
  "by offence group as harmonised in data/offence_taxonomy.csv (rows met-2024-04-09-*)",
  sep = "\n"))
emit_published("YTD_2024_OUTCOMES", "(406, 95, 39)", paste(
  "Met LFR results to December 2024: 540 arrests, 406 charged or cautioned, 95 released on",
  "bail, 39 with no published outcome (rows met-2024-ytd-results-to-dec-*)", sep = "\n"))

# ---------------------------------------------------------------------------------------
section("Exact Poisson (Garwood) limits: poisson.test(x)$conf.int (qgamma)")
for (x in c(0, 1, 2, 3, 9, 50)) garwood(sprintf("garwood_%d", x), x)
comment("Rates: the same limits over exposure T (per deployment, per 100,000 faces, per alert).")
garwood("garwood_2_per_1", 2, 1)
garwood("garwood_2_per_0_1", 2, 0.1)
garwood("garwood_9_per_5", 9, 5)
blank()
emit("clopper_pearson_2_in_5", "binom.test(2, 5)$conf.int", fields = c("lower", "upper"))

# ---------------------------------------------------------------------------------------
section("Goodman (1965) simultaneous limits for shares (goodman() in R/arrests.R)")
comment(paste(
  "goodman(counts, alpha) is written from the paper's closed form (see R/arrests.R);",
  "rows follow the counts' order.", sep = "\n"))
emit("goodman_ytd_2024_outcomes", "goodman(c(406, 95, 39))", tuple = TRUE,
     note = "Flattened by column: the three lower limits, then the three upper limits.")
emit("goodman_april_9", "goodman(c(3, 2, 2, 1, 1, 1, 1, 1))", tuple = TRUE,
     note = "Flattened by column: the eight lower limits, then the eight upper limits.")

# ---------------------------------------------------------------------------------------
section("Exact simultaneous coverage at small n (to choose the share method)")
comment(paste(
  "coverage(method, n, p) in R/arrests.R enumerates every outcome of Multinomial(n, p) and",
  "sums dmultinom over those whose k intervals all hold their share (95% simultaneous",
  "level). \"goodman\": goodman(); \"bonferroni-cp\": binom.test(x, n, conf.level = 1 - 0.05 / k)",
  "for each share. p = the shares of the 12-arrest example (9 April 2024) and of the 540",
  "outcomes to December 2024. Fields: coverage, number of outcomes, total probability.",
  sep = "\n"))
emit("coverage_goodman_n12_april_9",
     "coverage(\"goodman\", 12, c(3, 2, 2, 1, 1, 1, 1, 1) / 12)",
     fields = c("coverage", "outcomes", "total_probability"))
emit("coverage_bonferroni_cp_n12_april_9",
     "coverage(\"bonferroni-cp\", 12, c(3, 2, 2, 1, 1, 1, 1, 1) / 12)",
     fields = c("coverage", "outcomes", "total_probability"))
emit("coverage_goodman_n12_uniform8",
     "coverage(\"goodman\", 12, rep(1 / 8, 8))",
     fields = c("coverage", "outcomes", "total_probability"))
emit("coverage_bonferroni_cp_n12_uniform8",
     "coverage(\"bonferroni-cp\", 12, rep(1 / 8, 8))",
     fields = c("coverage", "outcomes", "total_probability"))
emit("coverage_goodman_n540_ytd_2024",
     "coverage(\"goodman\", 540, c(406, 95, 39) / 540)",
     fields = c("coverage", "outcomes", "total_probability"))
emit("coverage_bonferroni_cp_n540_ytd_2024",
     "coverage(\"bonferroni-cp\", 540, c(406, 95, 39) / 540)",
     fields = c("coverage", "outcomes", "total_probability"))

write_module(paste0(
  "Reference values for lfr_analysis.arrests, computed in R independently of the package.\n",
  "\n",
  "Written by tests/reference/R/arrests.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/arrests.R > tests/reference/arrests.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits). Goodman's\n",
  "limits and the coverages are computed by functions written out in the R script."))
