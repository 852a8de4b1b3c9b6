# Reference values for tests/test_baserates.py and tests/test_simulate.py
# (lfr_analysis.baserates, lfr_analysis.simulate): Bayes' rule examples, watchlist scaling,
# rates from a record. Writes tests/reference/baserates.py:
#   Rscript tests/reference/R/baserates.R > tests/reference/baserates.py

source(file.path("tests", "reference", "R", "common.R"))

precision <- function(prevalence, tpir, fpir) {
  prevalence * tpir / (prevalence * tpir + (1 - prevalence) * fpir)
}

# 1 - (1 - p)^n in 256-bit arithmetic, rounded to a double.
at_least_one_mpfr <- function(p, n) as.numeric(1 - (1 - mpfr(p, PREC))^n)

# ---------------------------------------------------------------------------------------
section("Bayes' rule: share of alerts that are true (precision)")
comment(paste(
  "precision(prevalence, tpir, fpir) in R/baserates.R:",
  "prevalence * tpir / (prevalence * tpir + (1 - prevalence) * fpir).", sep = "\n"))
emit("precision_examples_tpir_0_89",
     "precision(c(1e-5, 1e-5, 1e-4, 1e-4, 1e-3, 1e-3), 0.89, c(1 / 6000, 3.2e-6))",
     tuple = TRUE,
     note = "Prevalence 1e-5, 1e-4, 1e-3, each with FPIR 1/6000 and then 3.2e-6.")

# ---------------------------------------------------------------------------------------
section("Watchlist scaling: FPIR = P(at least one of W comparisons matches)")
comment(paste(
  "pbinom(0, W, fmr, lower.tail = FALSE) is R's binomial upper tail; each value is also",
  "computed as 1 - (1 - fmr)^W in 256-bit arithmetic (Rmpfr), shown as the check.", sep = "\n"))
fpir_check <- function(p, n) sprintf("Rmpfr 1 - (1 - fmr)^W: %.17g",
                                     at_least_one_mpfr(p, n))
emit("fpir_fmr_1_7e_8_w16000", "pbinom(0, 16000, 1.7e-8, lower.tail = FALSE)",
     note = fpir_check(1.7e-8, 16000))
emit("fpir_fmr_1e_8_w16000", "pbinom(0, 16000, 1e-8, lower.tail = FALSE)",
     note = fpir_check(1e-8, 16000))
comment("Exact per-comparison rate behind 1 in 6,000 at 10,000 entries: 1 - (1 - 1/6000)^(1/W).")
emit("fmr_exact_1_in_6000_w10000", "-expm1(log1p(-1 / 6000) / 10000)",
     note = sprintf("Rmpfr: %.17g",
                    as.numeric(1 - (1 - 1 / mpfr(6000, PREC))^(1 / mpfr(10000, PREC)))))
emit("fmr_exact_over_linear_1_in_6000_w10000",
     "-expm1(log1p(-1 / 6000) / 10000) / (1 / 6000 / 10000)")
blank()
comment(paste(
  "compare_settings in test_simulate.py: faces 20,000, prevalence 5e-4, FMR 1.7e-8,",
  "16,000 entries; P(no false alert) = dbinom(0, 20000, (1 - 5e-4) * FPIR).", sep = "\n"))
emit("p_no_false_alert_20000_faces",
     "dbinom(0, 20000, (1 - 5e-4) * pbinom(0, 16000, 1.7e-8, lower.tail = FALSE))")
emit("p_any_false_alert_20000_faces",
     "pbinom(0, 20000, (1 - 5e-4) * pbinom(0, 16000, 1.7e-8, lower.tail = FALSE),\n  lower.tail = FALSE)")

# ---------------------------------------------------------------------------------------
section("Rates from a record (per_face_vs_per_alert, implied_prevalence, pooled FMR)")
emit("clopper_pearson_10_in_3147436", "binom.test(10, 3147436)$conf.int",
     fields = c("lower", "upper"))
emit("clopper_pearson_10_in_2077", "binom.test(10, 2077)$conf.int", fields = c("lower", "upper"))
emit("clopper_pearson_2067_in_3147436", "binom.test(2067, 3147436)$conf.int",
     fields = c("lower", "upper"))
comment(paste(
  "Pooled false-match rate: 3 false alerts in 10,000 x 16,000 + 20,000 x 16,000 +",
  "5,000 x 6,000 = 5.1e8 comparisons; Garwood limits from poisson.test (qgamma).", sep = "\n"))
emit("garwood_3_in_5_1e8", "poisson.test(3, 10000 * 16000 + 20000 * 16000 + 5000 * 6000)$conf.int",
     fields = c("lower", "upper"))
emit("garwood_0_in_1e7", "poisson.test(0, 10000 * 1000)$conf.int", fields = c("lower", "upper"))

write_module(paste0(
  "Reference values for lfr_analysis.baserates and lfr_analysis.simulate, computed in R.\n",
  "\n",
  "Written by tests/reference/R/baserates.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/baserates.R > tests/reference/baserates.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits)."))
