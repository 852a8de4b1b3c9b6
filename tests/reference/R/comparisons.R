# Reference values for tests/test_comparisons.py (lfr_analysis.stats.comparisons, rates.
# compare_rates, predictions.tipping_point, the spread-aware intervals and the notebook 03
# evidence window). Writes tests/reference/comparisons.py:
#   Rscript tests/reference/R/comparisons.R > tests/reference/comparisons.py

source(file.path("tests", "reference", "R", "common.R"))

# ---------------------------------------------------------------------------------------
section("One-sample Poisson test, two-sided: R's rule (poisson.test) and the central rule")
comment(paste(
  "poisson.test(x, T = mu)$p.value sums the probabilities of the outcomes no more likely than",
  "x; central_p doubles the smaller tail. Each row: x, mu, R's p-value, central p-value.",
  sep = "\n"))
central_p <- function(x, mu) min(1, 2 * min(ppois(x, mu), ppois(x - 1, mu, lower.tail = FALSE)))
poisson_cases <- rbind(
  c(0, 0.5), c(0, 3.2), c(1, 0.62423474), c(4, 0.62423474), c(2, 7.5), c(7, 7),
  c(12, 7), c(3, 20.25), c(40, 20.25), c(25, 99.066909283333345), c(10, 524.57266666666669),
  c(160, 120.5), c(0, 0.01), c(1, 1e-4), c(50, 49.5), c(49, 50)
)
line("poisson_two_sided = (")
for (i in seq_len(nrow(poisson_cases))) {
  x <- poisson_cases[i, 1]
  mu <- poisson_cases[i, 2]
  r <- poisson.test(x, mu)$p.value
  line(sprintf("    # > poisson.test(%s, %s)$p.value; central_p(%s, %s)", num(x), num(mu),
               num(x), num(mu)))
  line(sprintf("    (%s, %s, %s, %s),", num(x), num(mu), num(r), num(central_p(x, mu))))
}
line(")")

# ---------------------------------------------------------------------------------------
section("Binomial test, two-sided: binom.test (the rule of R's two-sample poisson.test)")
comment("Each row: k, n, p, binom.test(k, n, p)$p.value.")
binom_cases <- rbind(
  c(0, 10, 0.3), c(10, 17, 0.98696), c(4, 5, 0.38431), c(4, 5, 0.011206), c(5, 5, 0.9852),
  c(2, 25, 0.4), c(23, 30, 0.4), c(1, 1, 0.5), c(0, 1, 0.5), c(15, 40, 0.375),
  c(3, 200, 0.001), c(190, 200, 0.999), c(0, 35, 0.865)
)
line("binomial_two_sided = (")
for (i in seq_len(nrow(binom_cases))) {
  k <- binom_cases[i, 1]
  n <- binom_cases[i, 2]
  p <- binom_cases[i, 3]
  line(sprintf("    # > binom.test(%s, %s, %s)$p.value", num(k), num(n), num(p)))
  line(sprintf("    (%s, %s, %s, %s),", num(k), num(n), num(p), num(binom.test(k, n, p)$p.value)))
}
line(")")

# ---------------------------------------------------------------------------------------
section("Two Poisson rates: poisson.test(c(x1, x2), c(T1, T2))")
comment("One-sided alternatives, another level, and large counts.")
emit_htest("compare_10_vs_25_less", "poisson.test(c(10, 25), c(3147436, 491246), alternative = \"less\")")
emit_htest("compare_2_vs_23_conf90",
           "poisson.test(c(2, 23), c(326392, 164854), conf.level = 0.90)")
emit_htest("compare_272_vs_342", "poisson.test(c(272, 342), c(81, 74))")
emit_htest("compare_0_vs_5_less", "poisson.test(c(0, 5), c(20000, 30000), alternative = \"less\")")

# ---------------------------------------------------------------------------------------
section("Two shares: fisher.test, and its estimator to tight tolerances")
comment(paste(
  "fisher.test solves for the conditional maximum-likelihood odds ratio and its limits with",
  "uniroot at its default tolerance (about 1e-4 relative). fisher_tight() below is the same",
  "computation (R's own dnhyper, mnhyper and pnhyper) solved on the log scale to 1e-13.",
  sep = "\n"))
fisher_tight <- function(tab, conf.level = 0.95) {
  m <- sum(tab[, 1]); n <- sum(tab[, 2]); k <- sum(tab[1, ]); x <- tab[1, 1]
  lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dn <- function(lt) { d <- logdc + lt * support; d <- exp(d - max(d)); d / sum(d) }
  mn <- function(lt) sum(support * dn(lt))
  pn <- function(lt, upper) sum(dn(lt)[if (upper) support >= x else support <= x])
  solve <- function(f) exp(uniroot(f, c(-50, 50), tol = 1e-13)$root)
  alpha <- (1 - conf.level) / 2
  c(estimate = if (x == lo) 0 else if (x == hi) Inf else solve(function(lt) mn(lt) - x),
    lower = if (x == lo) 0 else solve(function(lt) pn(lt, TRUE) - alpha),
    upper = if (x == hi) Inf else solve(function(lt) pn(lt, FALSE) - alpha))
}
emit("fisher_tight_annual_2025_vs_060",
     "fisher_tight(matrix(c(10, 2077 - 10, 25, 691 - 25), 2, byrow = TRUE))",
     fields = c("estimate", "lower", "upper"))
emit("fisher_tight_0_of_20_vs_5_of_35", "fisher_tight(matrix(c(0, 20, 5, 30), 2, byrow = TRUE))",
     fields = c("estimate", "lower", "upper"))
emit("fisher_tight_5_of_25_vs_0_of_30", "fisher_tight(matrix(c(5, 20, 0, 30), 2, byrow = TRUE))",
     fields = c("estimate", "lower", "upper"))
emit("fisher_tight_0_of_599_vs_5_of_814",
     "fisher_tight(matrix(c(0, 599, 5, 809), 2, byrow = TRUE))",
     fields = c("estimate", "lower", "upper"))
emit_htest("fisher_0_of_599_vs_5_of_814", "fisher.test(matrix(c(0, 599, 5, 809), 2, byrow = TRUE))")

# ---------------------------------------------------------------------------------------
section("The record (data/deployments.csv): headline rate with and without spread")
prep <- paste(
  "d <- read.csv(\"data/deployments.csv\")",
  "primary <- d[d$source_type == \"primary\", ]",
  "used <- primary[!is.na(primary$faces_seen) & !is.na(primary$false_alerts) &",
  "  primary$faces_seen > 0, ]",
  "y <- used$false_alerts; n <- used$faces_seen",
  sep = "\n")
eval(parse(text = prep))
show_call(prep)
emit("headline_counts", "c(nrow(used), sum(y), sum(n))",
     fields = c("n_deployments", "false_alerts", "faces_seen"))
emit("headline_exact", "binom.test(sum(y), sum(n))$conf.int", fields = c("lower", "upper"))
comment(paste(
  "Quasi-binomial: the pooled rate with its standard error inflated by the Pearson",
  "dispersion; Wald limits on the logit scale.", sep = "\n"))
show_call("qb <- glm(cbind(y, n - y) ~ 1, family = quasibinomial())")
qb <- glm(cbind(y, n - y) ~ 1, family = quasibinomial())
emit("headline_quasi_binomial",
     "c(plogis(coef(qb) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(qb)[1])),\n  sum(residuals(qb, \"pearson\")^2) / df.residual(qb))",
     fields = c("lower", "upper", "dispersion"),
     note = paste(
  "The dispersion is Pearson's X^2 / df from the Pearson residuals (summary()$dispersion",
  "uses the working weights of the last iteration and differs in the fourth digit).",
  sep = "\n"))
show_call("qp <- glm(y ~ 1 + offset(log(n)), family = quasipoisson())")
qp <- glm(y ~ 1 + offset(log(n)), family = quasipoisson())
emit("headline_quasi_poisson",
     "c(exp(coef(qp) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(qp)[1])),\n  sum(residuals(qp, \"pearson\")^2) / df.residual(qp))",
     fields = c("lower", "upper", "dispersion"))
comment("Arrests per deployment in 2024 (primary rows with arrests known), quasi-Poisson.")
prep_a <- paste(
  "a24 <- primary[substr(primary$date, 1, 4) == \"2024\" & !is.na(primary$arrests), ]",
  "qa <- glm(a24$arrests ~ 1, family = quasipoisson())",
  sep = "\n")
eval(parse(text = prep_a))
show_call(prep_a)
emit("arrests_2024_quasi_poisson",
     "c(nrow(a24), sum(a24$arrests), exp(coef(qa) + c(-1, 1) * qnorm(0.975) * sqrt(vcov(qa)[1])),\n  sum(residuals(qa, \"pearson\")^2) / df.residual(qa))",
     fields = c("n_deployments", "arrests", "lower", "upper", "dispersion"))

# ---------------------------------------------------------------------------------------
section("Tipping points of notebook 03's verdicts")
prep_t <- paste(
  "s <- read.csv(\"data/study_predictions.csv\")",
  "value <- function(id) s$value[s$reference_id == id]",
  "crowd <- value(\"npl2023_crowd_size\"); filler <- value(\"npl2023_filler_set_size\")",
  "pt <- primary[!is.na(primary$threshold), ]",
  "at <- function(t) pt[abs(pt$threshold - t) < 1e-9, ]",
  "scaled <- function(rows) sum(rows$faces_seen * rows$watchlist_size / 10000)",
  "at_060 <- at(0.60); at_062 <- at(0.62); at_064 <- at(0.64)",
  "s060 <- scaled(at_060); s062 <- scaled(at_062); s064 <- scaled(at_064)",
  "s2024 <- scaled(at_060[substr(at_060$date, 1, 4) == \"2024\", ])",
  sep = "\n")
eval(parse(text = prep_t))
show_call(prep_t)
emit("npl_crowd_and_filler", "c(crowd, filler)", fields = c("crowd", "filler"))
comment(paste(
  "(a) Detections per person d: people passing = faces / d, so E and the study comparison",
  "scale by 1 / d and every O/E limit by d; the upper limit reaches 1 at d = 1 / upper.",
  sep = "\n"))
emit("detections_060_study", "1 / poisson.test(c(25, 7), c(s060, 42000))$conf.int[2]")
emit("detections_060_fixed", "1 / poisson.test(25, s060 / 6000)$conf.int[2]")
emit("detections_060_2024_fixed", "1 / poisson.test(23, s2024 / 6000)$conf.int[2]")
emit("detections_062_study", "1 / poisson.test(c(4, 1), c(s062, 42000))$conf.int[1]")
emit("detections_064_study",
     "uniroot(function(d) poisson.test(c(5, 0), c(s064 / d, 42000),\n  alternative = \"greater\")$p.value - 0.05, c(1, 1000), tol = 1e-12)$root")
comment(paste(
  "(b) The study's exposure m (passes at a 10,000 watchlist) behind its count: at 0.62 the",
  "rate is 1 / m, at 0.64 the upper bound falls with m.", sep = "\n"))
emit("exposure_062_study",
     "uniroot(function(m) poisson.test(c(4, 1), c(s062, m))$conf.int[1] - 1,\n  c(42000, 1e6), tol = 1e-10)$root")
emit("exposure_064_study",
     "uniroot(function(m) poisson.test(c(5, 0), c(s064, m), alternative = \"greater\")$p.value -\n  0.05, c(42000, 1e8), tol = 1e-10)$root")
emit("exposure_064_fixed",
     "uniroot(function(m) ppois(5 - 1, s064 * (1 - 0.05^(1 / m)), lower.tail = FALSE) - 0.05,\n  c(42000, 1e8), tol = 1e-10)$root")
emit_htest("alternative_exposure_062",
           "poisson.test(c(4, 1), c(s062, crowd * filler / 10000))")

# ---------------------------------------------------------------------------------------
section("Notebook 03 section 7: where the deployments of the 8-of-10 window were")
comment(paste(
  "The annual report's window, September 2024 to September 2025 (every row of the record,",
  "primary and secondary), against the 0.60 deployments the notebook used before.", sep = "\n"))
prep_w <- paste(
  "w <- d[d$date >= \"2024-09-01\" & d$date <= \"2025-09-30\", ]",
  "croydon <- function(rows) sum(rows$borough == \"Croydon\", na.rm = TRUE)",
  sep = "\n")
eval(parse(text = prep_w))
show_call(prep_w)
emit("window_croydon", "c(nrow(w), croydon(w), croydon(w) / nrow(w), sum(is.na(w$borough) |\n  w$borough == \"\"))",
     fields = c("deployments", "croydon", "share", "no_borough"))
emit("at_060_croydon", "c(nrow(at_060), croydon(at_060), croydon(at_060) / nrow(at_060))",
     fields = c("deployments", "croydon", "share"))

write_module(paste0(
  "Reference values for lfr_analysis.stats.comparisons, rates.compare_rates, the spread-aware\n",
  "intervals and predictions.tipping_point, computed in R independently of the package.\n",
  "\n",
  "Written by tests/reference/R/comparisons.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/comparisons.R > tests/reference/comparisons.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits). Holders of\n",
  "an htest (poisson.test, fisher.test) carry estimate, lower, upper and p_value."))
