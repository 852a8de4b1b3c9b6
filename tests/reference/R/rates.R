# Reference values for tests/test_rates.py (lfr_analysis.rates) and for the Clopper-Pearson
# intervals other tests take from rate_ci. Writes tests/reference/rates.py:
#   Rscript tests/reference/R/rates.R > tests/reference/rates.py
# Takes about three minutes: binom.test(x, 1e9) sums its two-sided p-value over 5e8 outcomes.

source(file.path("tests", "reference", "R", "common.R"))

FACES <- 3147436  # faces seen, Sep 2024 - Sep 2025 (Met annual report)

# Exact binomial mid-p limits, written here: R has no function for them. Each limit is the
# root in log(p) of the mid-p tail equation, P(X > x) + P(X = x) / 2 = tail (lower limit) or
# P(X < x) + P(X = x) / 2 = tail (upper limit), found by uniroot on pbinom and dbinom.
midp_limit <- function(x, n, tail, side) {
  f <- if (side == "lower") {
    function(lp) pbinom(x, n, exp(lp), lower.tail = FALSE) + 0.5 * dbinom(x, n, exp(lp)) - tail
  } else {
    function(lp) pbinom(x - 1, n, exp(lp)) + 0.5 * dbinom(x, n, exp(lp)) - tail
  }
  exp(uniroot(f, c(log(1e-300), log1p(-1e-16)), tol = 1e-15, maxiter = 10000)$root)
}
midp_ci <- function(x, n, conf = 0.95) {
  tail <- (1 - conf) / 2
  c(if (x == 0) 0 else midp_limit(x, n, tail, "lower"),
    if (x == n) 1 else midp_limit(x, n, tail, "upper"))
}

# The same for a Poisson count (exposure 1): uniroot on ppois and dpois.
poisson_midp_ci <- function(x, conf = 0.95) {
  tail <- (1 - conf) / 2
  lower <- function(lm) ppois(x, exp(lm), lower.tail = FALSE) + 0.5 * dpois(x, exp(lm)) - tail
  upper <- function(lm) ppois(x - 1, exp(lm)) + 0.5 * dpois(x, exp(lm)) - tail
  c(if (x == 0) 0 else exp(uniroot(lower, c(-700, 10), tol = 1e-15)$root),
    exp(uniroot(upper, c(-700, 10), tol = 1e-15)$root))
}

# Multiple-precision check of two-sided limits (x, n) at level conf: "cp" or "midp".
check_limits <- function(x, n, limits, conf = 0.95, kind = "cp") {
  tail <- (1 - conf) / 2
  w <- if (kind == "cp") c(0, 1) else c(0.5, 0.5)
  parts <- character()
  if (x > 0) {
    exact <- binom_limit_mpfr(x, n, w[1], 1 - tail, limits[1])
    parts <- c(parts, paste("lower", rel_diff(limits[1], exact)))
  }
  if (x < n) {
    exact <- binom_limit_mpfr(x, n, w[2], tail, limits[2])
    parts <- c(parts, paste("upper", rel_diff(limits[2], exact)))
  }
  paste("Rmpfr check, relative error:", paste(parts, collapse = ", "))
}

cp <- function(name, x, n, conf = 0.95, call = NULL) {
  if (is.null(call)) {
    call <- if (conf == 0.95) sprintf("binom.test(%s, %s)$conf.int", x, rnum(n))
            else sprintf("binom.test(%s, %s, conf.level = %s)$conf.int", x, rnum(n), conf)
  }
  value <- eval(parse(text = call))
  emit(name, call, fields = c("lower", "upper"), note = check_limits(x, n, value, conf, "cp"))
}

midp <- function(name, x, n, conf = 0.95) {
  call <- if (conf == 0.95) sprintf("midp_ci(%s, %s)", x, rnum(n))
          else sprintf("midp_ci(%s, %s, conf = %s)", x, rnum(n), conf)
  value <- eval(parse(text = call))
  emit(name, call, fields = c("lower", "upper"), note = check_limits(x, n, value, conf, "midp"))
}

wilson <- function(name, x, n) {
  emit(name, sprintf("prop.test(%s, %s, correct = FALSE)$conf.int", x, n),
       fields = c("lower", "upper"))
}

jeffreys <- function(name, x, n) {
  emit(name, sprintf("qbeta(c(0.025, 0.975), %s + 0.5, %s - %s + 0.5)", x, n, x),
       fields = c("lower", "upper"))
}

# ---------------------------------------------------------------------------------------
section("Published figures")
emit_published("FACES_2025", "3_147_436",
  "Met LFR annual report, Sep 2024 - Sep 2025: faces seen")
emit_published("FALSE_ALERTS_2025", "10",
  "Met LFR annual report, Sep 2024 - Sep 2025: false alerts")
emit_published("ALERTS_2025", "2_077",
  "Met LFR annual report, Sep 2024 - Sep 2025: alerts")

# ---------------------------------------------------------------------------------------
section("Clopper-Pearson (binom.test; its interval is the pair of Beta quantiles)")
comment(paste(
  "Rmpfr check: each limit is found again by Newton's method on binomial tail sums in",
  "256-bit arithmetic (Rmpfr), started from R's value; the relative difference is shown.",
  sep = "\n"))
comment("Headline: 10 false alerts in 3,147,436 faces seen.")
suppressWarnings(cp("clopper_pearson_10_in_3147436", 10, FACES))
cp("clopper_pearson_0_in_15000", 0, 15000)
cp("clopper_pearson_1_in_15000", 1, 15000)
cp("clopper_pearson_3_in_40_conf90", 3, 40, conf = 0.9)
cp("clopper_pearson_39_in_40_conf99", 39, 40, conf = 0.99)
cp("clopper_pearson_40_in_40", 40, 40)
cp("clopper_pearson_0_in_20000", 0, 20000)
cp("clopper_pearson_4_in_150000", 4, 150000)
cp("clopper_pearson_1_in_3940", 1, 3940)
cp("clopper_pearson_10_in_2077", 10, 2077)
cp("clopper_pearson_2_in_100000", 2, 100000)
cp("clopper_pearson_2_in_42", 2, 42)
blank()
comment(paste(
  "Large counts. scipy's betaincinv gives 1.9e-6 for the lower limit of 1,000 in 1e9; R's",
  "qbeta (behind binom.test) agrees with the multiple-precision check.", sep = "\n"))
cp("clopper_pearson_1000_in_1e9", 1000, 1e9)
cp("clopper_pearson_999_in_1e9", 999, 1e9)
cp("clopper_pearson_1000_in_1e7", 1000, 1e7)
comment(paste(
  "At n = 1e12 binom.test(10, 1e12) would sum its p-value over 5e11 outcomes (3.7 TB); with",
  "p = x / n (so that n * p == x exactly) it returns p = 1 at once. The interval does not",
  "depend on p.", sep = "\n"))
cp("clopper_pearson_10_in_1e12", 10, 1e12, call = "binom.test(10, 1e12, p = 10 / 1e12)$conf.int")

blank()
comment("One-sided bounds at 95%.")
emit("clopper_pearson_upper95_10_in_3147436",
     "binom.test(10, 3147436, alternative = \"less\")$conf.int[2]")
emit("clopper_pearson_lower95_10_in_3147436",
     "binom.test(10, 3147436, alternative = \"greater\")$conf.int[1]")
emit("clopper_pearson_upper95_0_in_15000",
     "binom.test(0, 15000, alternative = \"less\")$conf.int[2]")

# ---------------------------------------------------------------------------------------
section("Beta quantiles: posterior of 999 events in 1e9 trials with a Beta(1, 1) prior")
q <- qbeta(c(0.025, 0.5, 0.975), 999 + 1, 1e9 - 999 + 1)
checks <- sapply(seq_along(q), function(i) {
  rel_diff(q[i], binom_limit_mpfr(1000, 1e9 + 1, 0, 1 - c(0.025, 0.5, 0.975)[i], q[i]))
})
emit("posterior_uniform_999_in_1e9",
     "qbeta(c(0.025, 0.5, 0.975), 999 + 1, 1e9 - 999 + 1)",
     fields = c("q025", "q50", "q975"),
     note = paste0(
       "Beta(1000, 1e9 - 998). Rmpfr check (Beta(a, b) below p = P(Binomial(a + b - 1, p) >= a),\n",
       "summed in ", PREC, " bits): relative error ", paste(checks, collapse = ", ")))

# ---------------------------------------------------------------------------------------
section("Mid-p (uniroot on pbinom and dbinom; no R function exists)")
comment(paste(
  "midp_ci(x, n, conf) is defined in R/rates.R: each limit is the root in log(p) of",
  "P(X > x) + P(X = x) / 2 = tail (lower) or P(X < x) + P(X = x) / 2 = tail (upper),",
  "tail = (1 - conf) / 2, by uniroot(tol = 1e-15) on pbinom and dbinom.", sep = "\n"))
midp("midp_10_in_3147436", 10, FACES)
midp("midp_1_in_3147436", 1, FACES)
midp("midp_1_in_15000", 1, 15000)
midp("midp_2_in_20", 2, 20)
midp("midp_7_in_42000", 7, 42000)
midp("midp_19_in_20", 19, 20)
midp("midp_50_in_200", 50, 200)
midp("midp_1000_in_1e9", 1000, 1e9)
midp("midp_10_in_1e12", 10, 1e12)
midp("midp_1000_in_1e7", 1000, 1e7)
midp("midp_3_in_28", 3, 28)
midp("midp_10_in_2077", 10, 2077)
midp("midp_0_in_15000", 0, 15000)
for (x in c(1, 2, 5, 10, 40)) midp(sprintf("midp_%d_in_1e6", x), x, 1e6)
blank()
comment(paste(
  "Poisson mid-p limits on the count scale (exposure 1): poisson_midp_ci(x) in R/rates.R,",
  "uniroot on ppois and dpois. At 1e6 trials the binomial mid-p limits times n are within",
  "1e-3 of these.", sep = "\n"))
for (x in c(1, 2, 5, 10, 40)) {
  emit(sprintf("poisson_midp_%d", x), sprintf("poisson_midp_ci(%d)", x),
       fields = c("lower", "upper"))
}

# ---------------------------------------------------------------------------------------
section("Wilson score (prop.test without continuity correction)")
suppressWarnings({
  wilson("wilson_2_in_20", 2, 20)
  wilson("wilson_10_in_3147436", 10, FACES)
  wilson("wilson_5_in_15000", 5, 15000)
  wilson("wilson_30_in_31", 30, 31)
})

# ---------------------------------------------------------------------------------------
section("Jeffreys (equal-tailed Beta(x + 1/2, n - x + 1/2) quantiles)")
jeffreys("jeffreys_2_in_20", 2, 20)
jeffreys("jeffreys_10_in_3147436", 10, FACES)
jeffreys("jeffreys_1_in_15000", 1, 15000)
jeffreys("jeffreys_7_in_42000", 7, 42000)
emit("jeffreys_upper_0_in_15000", "qbeta(0.975, 0 + 0.5, 15000 - 0 + 0.5)")

# ---------------------------------------------------------------------------------------
section("Posterior (Jeffreys prior Beta(1/2, 1/2)) and tail probability")
emit("posterior_jeffreys_10_in_3147436",
     "qbeta(c(0.025, 0.5, 0.975), 10 + 0.5, 3147436 - 10 + 0.5)",
     fields = c("q025", "q50", "q975"))
emit("prob_rate_exceeds_1_in_6000_10_in_3147436",
     "pbeta(1 / 6000, 10 + 0.5, 3147436 - 10 + 0.5, lower.tail = FALSE)")
emit("log_prob_rate_exceeds_1_in_6000_10_in_3147436",
     "pbeta(1 / 6000, 10 + 0.5, 3147436 - 10 + 0.5, lower.tail = FALSE, log.p = TRUE)")

# ---------------------------------------------------------------------------------------
section("Exact coverage (sum of dbinom over the x whose interval holds p)")
comment(paste(
  "coverage(method, n, p) in R/rates.R: intervals from binom.test (clopper-pearson),",
  "prop.test(correct = FALSE) (wilson), qbeta (jeffreys) and jeffreys with the Brown, Cai &",
  "DasGupta (2001) boundary changes (jeffreys-modified: Clopper-Pearson limits at x = 0 and",
  "x = n, lower limit 0 at x = 1 and upper 1 at x = n - 1), for x = 0 .. qbinom(1 - 1e-15) + 2.",
  sep = "\n"))
interval <- function(method, x, n, conf = 0.95) {
  a <- (1 - conf) / 2
  if (method == "clopper-pearson") return(binom.test(x, n)$conf.int[1:2])
  if (method == "wilson") return(suppressWarnings(prop.test(x, n, correct = FALSE)$conf.int[1:2]))
  j <- c(if (x == 0) 0 else qbeta(a, x + 0.5, n - x + 0.5),
         if (x == n) 1 else qbeta(1 - a, x + 0.5, n - x + 0.5))
  if (method == "jeffreys-modified") {
    if (x == 0) j[2] <- 1 - a^(1 / n)
    if (x == n) j[1] <- a^(1 / n)
    if (x == 1) j[1] <- 0
    if (x == n - 1) j[2] <- 1
  }
  j
}
coverage <- function(method, n, p) {
  xs <- 0:min(n, qbinom(1e-15, n, p, lower.tail = FALSE) + 2)
  covers <- sapply(xs, function(x) {
    ci <- interval(method, x, n)
    ci[1] <= p && p <= ci[2]
  })
  sum(dbinom(xs, n, p)[covers])
}
emit("coverage_clopper_pearson_n1e5_p1e_5", "coverage(\"clopper-pearson\", 1e5, 1e-5)")
emit("coverage_wilson_n1e6_p0_176e_6", "coverage(\"wilson\", 1e6, 0.176e-6)")
emit("coverage_jeffreys_n1e6_p0_1078e_6", "coverage(\"jeffreys\", 1e6, 0.1078e-6)")
emit("coverage_jeffreys_modified_n1e6_p0_1078e_6",
     "coverage(\"jeffreys-modified\", 1e6, 0.1078e-6)")

write_module(paste0(
  "Reference values for lfr_analysis.rates, computed in R independently of the package.\n",
  "\n",
  "Written by tests/reference/R/rates.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/rates.R > tests/reference/rates.py\n",
  "\n",
  "Each value follows the R call that produced it and R's printed result (17 digits). Where no\n",
  "R function exists (mid-p, coverage), the function is written out in the R script and the\n",
  "comment says so. Binomial limits are also checked in ", PREC, "-bit arithmetic (Rmpfr)."))
