# Reference values for tests/test_predictions.py (lfr_analysis.predictions): exact Poisson
# comparisons with NPL 2023, the conditional (two-sample) test, per-alert comparisons, and the
# overdispersed O/E fits. Writes tests/reference/predictions.py:
#   Rscript tests/reference/R/predictions.R > tests/reference/predictions.py

source(file.path("tests", "reference", "R", "common.R"))
suppressPackageStartupMessages(library(MASS))

# R's poisson.test(x, T, r) two-sided p-value sums the probabilities no larger than that of
# x (with a relative tolerance of 1e-7); the "central" rule doubles the smaller tail.
central_p <- function(x, mu) min(1, 2 * min(ppois(x, mu), ppois(x - 1, mu, lower.tail = FALSE)))

# ---------------------------------------------------------------------------------------
section("Published figures")
emit_published("NPL_FPIR_060", "1 / 6000", paste(
  "NPL 2023 (as reported by The Register, 2023-04-06, and Computer Weekly, 2023-04-12): at",
  "threshold 0.60, 1 false positive in 6,000 people passing with a 10,000-image watchlist",
  sep = "\n"))
emit_published("NPL_EVENTS", "{0.60: 7, 0.62: 1, 0.64: 0}",
  "NPL 2023: false positives seen in its tests at thresholds 0.60, 0.62 and 0.64 (same sources)")
emit_published("NPL_IMPLIED_EXPOSURE", "42_000", paste(
  "Implied passes behind NPL's 7 events: 7 / (1 / 6,000) = 42,000 at a 10,000 watchlist (the",
  "package's assumption; the passes were not published)", sep = "\n"))
emit_published("ESSEX_2019", "(8, 42)",
  "Fussey & Murray (2019), Essex review of the Met trials: 8 of 42 alerts verified correct")

# ---------------------------------------------------------------------------------------
section("10 false alerts in 3,147,436 faces against 1 in 6,000 (fixed prediction)")
comment("Expected E = 3,147,436 / 6,000 = 524.57 at a 10,000 watchlist.")
emit_htest("poisson_10_vs_3147436_over_6000", "poisson.test(10, 3147436 / 6000)")
emit("central_p_10_vs_3147436_over_6000", "central_p(10, 3147436 / 6000)")
emit("p_fewer_10_vs_3147436_over_6000", "ppois(10, 3147436 / 6000)")
emit("p_more_10_vs_3147436_over_6000", "ppois(10 - 1, 3147436 / 6000, lower.tail = FALSE)")

section("The same counting NPL's 7 events (exact conditional test, Silcocks 1994)")
comment(paste(
  "poisson.test with two counts: binom.test of 10 of 17 against 3,147,436 / (3,147,436 +",
  "42,000); the interval is the Clopper-Pearson interval of 10 / 17 mapped to a rate ratio.",
  sep = "\n"))
emit_htest("poisson_two_sample_10_in_3147436_vs_7_in_42000",
           "poisson.test(c(10, 7), c(3147436, 42000))")
emit("binomial_p_10_of_17", "binom.test(10, 17, 3147436 / (3147436 + 42000))$p.value")

section("Zero-event reference (0.64): one-sided bound and tests")
emit("upper95_0_in_42000", "binom.test(0, 42000, alternative = \"less\")$conf.int[2]")
emit("p_more_than_upper_10_vs_3147436",
     "ppois(10 - 1, 3147436 * binom.test(0, 42000, alternative = \"less\")$conf.int[2],\n  lower.tail = FALSE)")
emit("p_cond_more_10_in_3147436_vs_0_in_42000",
     "poisson.test(c(10, 0), c(3147436, 42000), alternative = \"greater\")$p.value")

# ---------------------------------------------------------------------------------------
section("Notebook 03: Met deployments (data/deployments.csv) against NPL 2023")
prep <- paste(
  "d <- read.csv(\"data/deployments.csv\")",
  "primary <- d[d$source_type == \"primary\" & !is.na(d$threshold), ]",
  "at <- function(t) primary[abs(primary$threshold - t) < 1e-9, ]",
  "scaled <- function(rows) sum(rows$faces_seen * rows$watchlist_size / 10000)",
  "at_060 <- at(0.60); at_062 <- at(0.62); at_064 <- at(0.64)",
  "year <- substr(at_060$date, 1, 4)",
  sep = "\n")
eval(parse(text = prep))
comment(paste(
  "Inputs, read from the data file as notebook 03 does: each deployment's faces seen",
  "scaled to a 10,000 watchlist (faces x watchlist / 10,000), summed; E = that / 6,000 at",
  "0.60 and / 42,000 at 0.62 (NPL's 1 event in the implied 42,000 passes).", sep = "\n"))
show_call(prep)
emit("n_060", "nrow(at_060)")
emit("observed_060", "sum(at_060$false_alerts)")
emit("faces_scaled_060", "scaled(at_060)")
emit("expected_060", "scaled(at_060) / 6000")
emit("observed_060_by_year", "tapply(at_060$false_alerts, year, sum)", fields = c("y2023", "y2024"))
emit("faces_scaled_060_by_year", "sapply(split(at_060, year), scaled)", fields = c("y2023", "y2024"))
emit("faces_seen_060_by_year", "tapply(at_060$faces_seen, year, sum)", fields = c("y2023", "y2024"))
emit("alerts_060", "sum(at_060$alerts)")
emit("observed_062", "sum(at_062$false_alerts)")
emit("faces_scaled_062", "scaled(at_062)")
emit("observed_064", "sum(at_064$false_alerts)")
emit("faces_scaled_064", "scaled(at_064)")

blank()
comment("At 0.60, pooled: 25 false alerts against E = 99.07.")
emit_htest("poisson_060", "poisson.test(25, scaled(at_060) / 6000)")
emit("central_p_060", "central_p(25, scaled(at_060) / 6000)")
emit("p_fewer_060", "ppois(25, scaled(at_060) / 6000)")
emit_htest("poisson_two_sample_060", "poisson.test(c(25, 7), c(scaled(at_060), 42000))")
comment("At 0.60 by year.")
s23 <- "scaled(at_060[year == \"2023\", ])"
s24 <- "scaled(at_060[year == \"2024\", ])"
emit_htest("poisson_060_2023", sprintf("poisson.test(2, %s / 6000)", s23))
emit("central_p_060_2023", sprintf("central_p(2, %s / 6000)", s23))
emit_htest("poisson_two_sample_060_2023", sprintf("poisson.test(c(2, 7), c(%s, 42000))", s23))
emit_htest("poisson_060_2024", sprintf("poisson.test(23, %s / 6000)", s24))
emit("central_p_060_2024", sprintf("central_p(23, %s / 6000)", s24))
emit_htest("poisson_two_sample_060_2024", sprintf("poisson.test(c(23, 7), c(%s, 42000))", s24))
blank()
comment(paste(
  "At 0.62: 4 false alerts against E = 0.624. R's rule gives p = 0.0039 where the central",
  "rule (the package's p_two_sided) gives 0.0077.", sep = "\n"))
emit_htest("poisson_062", "poisson.test(4, scaled(at_062) / 42000)")
emit("central_p_062", "central_p(4, scaled(at_062) / 42000)")
emit("p_more_062", "ppois(4 - 1, scaled(at_062) / 42000, lower.tail = FALSE)")
emit_htest("poisson_two_sample_062", "poisson.test(c(4, 1), c(scaled(at_062), 42000))")
blank()
comment("At 0.64: 5 false alerts; NPL saw none, so one-sided questions only.")
emit("expected_upper_064",
     "scaled(at_064) * binom.test(0, 42000, alternative = \"less\")$conf.int[2]")
emit("p_more_than_upper_064",
     "ppois(5 - 1, scaled(at_064) * binom.test(0, 42000, alternative = \"less\")$conf.int[2],\n  lower.tail = FALSE)")
emit("p_cond_more_064",
     "poisson.test(c(5, 0), c(scaled(at_064), 42000), alternative = \"greater\")$p.value")

# ---------------------------------------------------------------------------------------
section("Two rates compared (for a compare_rates function)")
comment(paste(
  "poisson.test(c(x1, x2), c(T1, T2)): the rate ratio (x1 / T1) / (x2 / T2), its exact",
  "conditional interval and p-value (binom.test of x1 of x1 + x2 against T1 / (T1 + T2)).",
  "Zero counts are accepted: with x1 = 0 the lower limit is 0, with x2 = 0 the upper is Inf,",
  "and with both 0 R gives estimate NaN, interval 0 to Inf and p = 1.", sep = "\n"))
emit_htest("compare_annual_2025_vs_060", "poisson.test(c(10, 25), c(3147436, 491246))")
emit("binomial_p_10_of_35", "binom.test(10, 35, 3147436 / (3147436 + 491246))$p.value")
emit_htest("compare_060_2023_vs_2024",
           "poisson.test(c(2, 23), tapply(at_060$faces_seen, year, sum))")
emit_htest("compare_0_vs_5", "poisson.test(c(0, 5), c(20000, 30000))")
emit_htest("compare_5_vs_0", "poisson.test(c(5, 0), c(20000, 30000))")
emit_htest("compare_0_vs_0", "poisson.test(c(0, 0), c(20000, 30000))")
emit_htest("compare_1_vs_0_one_sided",
           "poisson.test(c(1, 0), c(20000, 30000), alternative = \"greater\")")
blank()
comment(paste(
  "Per alert: fisher.test on 2 x 2 tables of (false alerts, other alerts); the estimate is",
  "the conditional maximum-likelihood odds ratio.", sep = "\n"))
emit_htest("fisher_annual_2025_vs_060",
           "fisher.test(matrix(c(10, 2077 - 10, 25, 691 - 25), 2, byrow = TRUE))")
emit_htest("fisher_0_of_20_vs_5_of_35",
           "fisher.test(matrix(c(0, 20, 5, 30), 2, byrow = TRUE))")
emit_htest("fisher_5_of_25_vs_0_of_30",
           "fisher.test(matrix(c(5, 20, 0, 30), 2, byrow = TRUE))")

# ---------------------------------------------------------------------------------------
section("Per-alert precision against Essex 2019 (compare_precision)")
emit("clopper_pearson_8_in_42", "binom.test(8, 42)$conf.int", fields = c("lower", "upper"))
emit("clopper_pearson_2067_in_2077", "binom.test(2067, 2077)$conf.int",
     fields = c("lower", "upper"))
emit("fisher_p_2067_of_2077_vs_8_of_42",
     "fisher.test(matrix(c(2067, 2077 - 2067, 8, 42 - 8), 2, byrow = TRUE))$p.value")
newcombe <- function(x1, n1, x2, n2) {
  w1 <- suppressWarnings(prop.test(x1, n1, correct = FALSE)$conf.int)
  w2 <- suppressWarnings(prop.test(x2, n2, correct = FALSE)$conf.int)
  p1 <- x1 / n1
  p2 <- x2 / n2
  c(p1 - p2 - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
    p1 - p2 + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
emit("newcombe_2067_of_2077_minus_8_of_42", "newcombe(2067, 2077, 8, 42)",
     fields = c("lower", "upper"), note = paste(
  "Newcombe (1998) hybrid score interval for p1 - p2, from its formula: newcombe() in",
  "R/predictions.R, with Wilson limits from prop.test(correct = FALSE).", sep = "\n"))

section("8 of 10 false alerts against a 13.5% benchmark share (share_vs_benchmark)")
emit_published("MET_BLACK_FALSE_ALERTS_2025", "(8, 10)",
  "Met LFR annual report, Sep 2024 - Sep 2025: 8 of the 10 people falsely alerted were Black")
emit_published("CENSUS_2021_LONDON_BLACK_SHARE", "0.135",
  "ONS Census 2021: 13.5% of London residents identified as Black")
emit("p_more_8_of_10_at_0_135", "binom.test(8, 10, 0.135, alternative = \"greater\")$p.value")
emit("p_two_sided_8_of_10_at_0_135", "binom.test(8, 10, 0.135)$p.value")
emit("lowest_consistent_share_8_of_10",
     "binom.test(8, 10, alternative = \"greater\")$conf.int[1]")
emit("clopper_pearson_8_in_10", "binom.test(8, 10)$conf.int", fields = c("lower", "upper"))

# ---------------------------------------------------------------------------------------
section("Funnel limits and cumulative O/E")
emit("poisson_cdf_2_crossing_0_999",
     "uniroot(function(e) ppois(2, e) - 0.999, c(0.01, 5), tol = 1e-15)$root")
emit("poisson_quantiles_0_975_at_1_and_3", "qpois(0.975, c(1, 3))", tuple = TRUE)

# ---------------------------------------------------------------------------------------
section("Overdispersed O/E: the ten synthetic deployments of test_predictions.py")
toy <- paste(
  "y <- c(0, 0, 5, 1, 0, 7, 0, 2, 1, 0)",
  "faces <- c(6000, 12000, 6000, 18000, 6000, 24000, 12000, 6000, 30000, 6000)",
  "E <- faces * (10000 / 10000) / 6000",
  sep = "\n")
eval(parse(text = toy))
show_call(toy)
quasi <- glm(y ~ 1, offset = log(E), family = quasipoisson())
show_call("quasi <- glm(y ~ 1, offset = log(E), family = quasipoisson())")
emit("quasi_poisson_toy",
     "c(coef(quasi), sqrt(vcov(quasi)), summary(quasi)$dispersion,\n  exp(coef(quasi) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(quasi)[1])))",
     fields = c("log_ratio", "se", "phi", "lower", "upper"))
fit_toy <- glm.nb(y ~ 1 + offset(log(E)), control = glm.control(epsilon = 1e-14, maxit = 1000))
show_call("fit_toy <- glm.nb(y ~ 1 + offset(log(E)),\n  control = glm.control(epsilon = 1e-14, maxit = 1000))")
emit("negative_binomial_toy",
     "c(coef(fit_toy), fit_toy$theta, 1 / fit_toy$theta, sqrt(vcov(fit_toy)[1]))",
     fields = c("log_ratio", "theta", "alpha", "se"))

# ---------------------------------------------------------------------------------------
section("Overdispersed O/E at 0.60 (notebook 03): MASS::glm.nb with offset log(E)")
comment(paste(
  "The package fits NB2 (statsmodels NegativeBinomial, exposure E, alpha = 1 / theta) to the",
  "112 deployments at 0.60, E_i = faces x watchlist / 10,000 / 6,000. glm.nb's standard error",
  "(and so its Wald interval) holds theta fixed at its estimate; MASS's confint() profiles the",
  "coefficient with theta fixed too. profile_nb() in R/predictions.R also re-estimates theta",
  "at each value of the coefficient (the full profile likelihood).", sep = "\n"))
nb_prep <- paste(
  "E_060 <- at_060$faces_seen * at_060$watchlist_size / 10000 / 6000",
  "y_060 <- at_060$false_alerts",
  "fit <- glm.nb(y_060 ~ 1 + offset(log(E_060)),",
  "  control = glm.control(epsilon = 1e-14, maxit = 1000))",
  sep = "\n")
eval(parse(text = nb_prep))
show_call(nb_prep)
emit("nb_060_fit",
     "c(coef(fit), sqrt(vcov(fit)[1]), fit$theta, 1 / fit$theta, fit$SE.theta, fit$twologlik / 2)",
     fields = c("log_ratio", "se", "theta", "alpha", "se_theta", "loglik"))
emit("nb_060_ratio", "exp(coef(fit))")
show_call("quasi_060 <- glm(y_060 ~ 1, offset = log(E_060), family = quasipoisson())")
quasi_060 <- glm(y_060 ~ 1, offset = log(E_060), family = quasipoisson())
emit("quasi_poisson_060",
     "c(exp(coef(quasi_060)), summary(quasi_060)$dispersion,\n  exp(coef(quasi_060) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(quasi_060)[1])))",
     fields = c("ratio", "phi", "lower", "upper"))
emit("nb_060_wald", "exp(coef(fit) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(fit)[1]))",
     fields = c("lower", "upper"))
emit("nb_060_wald_p", "summary(fit)$coefficients[1, 4]")
emit("nb_060_profile_theta_fixed", "exp(suppressMessages(confint(fit)))",
     fields = c("lower", "upper"))
profile_nb <- function(b) {
  ll <- function(lt) sum(dnbinom(y_060, size = exp(lt), mu = exp(b) * E_060, log = TRUE))
  optimize(ll, c(-10, 10), maximum = TRUE, tol = 1e-12)$objective
}
b_hat <- coef(fit)[[1]]
ll_hat <- profile_nb(b_hat)
limit <- function(side) {
  target <- ll_hat - qchisq(0.95, 1) / 2
  range <- if (side < 0) c(b_hat - 5, b_hat) else c(b_hat, b_hat + 5)
  uniroot(function(b) profile_nb(b) - target, range, tol = 1e-13)$root
}
emit("nb_060_profile_full", "exp(c(limit(-1), limit(1)))", fields = c("lower", "upper"),
     note = paste(
  "profile_nb(b): log-likelihood maximised over log(theta) by optimize(tol = 1e-12) at",
  "log ratio b; limit() solves profile_nb(b) = max - qchisq(0.95, 1) / 2 by uniroot.",
  sep = "\n"))
emit("nb_060_lr_p", "pchisq(2 * (ll_hat - profile_nb(0)), 1, lower.tail = FALSE)",
     note = "Likelihood-ratio test of O/E = 1 (log ratio 0), theta re-estimated under the null.")

write_module(paste0(
  "Reference values for lfr_analysis.predictions, computed in R independently of the package.\n",
  "\n",
  "Written by tests/reference/R/predictions.R with ", R.version.string, "\n",
  "and MASS ", as.character(packageVersion("MASS")), "; do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/predictions.R > tests/reference/predictions.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits). Holders of\n",
  "an htest (poisson.test, binom.test, fisher.test) carry estimate, lower, upper and p_value."))
