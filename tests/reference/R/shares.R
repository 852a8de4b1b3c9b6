# Reference values for tests/test_shares.py (lfr_analysis.stats.intervals.multinomial_ci):
# the exact simultaneous coverage of Goodman's and the Bonferroni-adjusted Clopper-Pearson
# intervals for shares, by enumerating every outcome of Multinomial(n, p), for n up to 30
# and 2 to 8 categories. Writes tests/reference/shares.py:
#   Rscript tests/reference/R/shares.R > tests/reference/shares.py

source(file.path("tests", "reference", "R", "common.R"))

# Every outcome of Multinomial(n, k categories): a matrix with one row per outcome, built
# category by category (the partial sums are kept; the last category takes the rest).
compositions <- function(n, k) {
  rows <- matrix(integer(0), nrow = 1, ncol = 0)
  used <- 0L
  for (j in seq_len(k - 1)) {
    room <- n - used
    reps <- room + 1L
    index <- rep(seq_along(used), reps)
    step <- unlist(lapply(reps, function(r) seq_len(r) - 1L))
    rows <- cbind(rows[index, , drop = FALSE], step)
    used <- used[index] + step
  }
  unname(cbind(rows, n - used))
}

# Limits of each method for every count 0..n of one category (they depend on the outcome
# only through that count and n): Goodman (1965) from the paper's closed form; Bonferroni:
# binom.test(x, n, conf.level = 1 - alpha / k).
limits <- function(method, n, k, alpha = 0.05) {
  x <- 0:n
  if (method == "goodman") {
    a <- qchisq(1 - alpha / k, 1)
    root <- sqrt(a * (a + 4 * x * (n - x) / n))
    return(cbind((a + 2 * x - root) / (2 * (n + a)), (a + 2 * x + root) / (2 * (n + a))))
  }
  t(sapply(x, function(v) binom.test(v, n, conf.level = 1 - alpha / k)$conf.int[1:2]))
}

# Exact simultaneous coverage at shares p: the total probability of the outcomes whose k
# intervals all hold their share (probabilities from lgamma, summed in double precision).
coverage <- function(method, n, p) {
  k <- length(p)
  outcomes <- compositions(n, k)
  lim <- limits(method, n, k)
  covered <- rep(TRUE, nrow(outcomes))
  for (j in seq_len(k)) {
    x <- outcomes[, j]
    covered <- covered & lim[x + 1, 1] <= p[j] & p[j] <= lim[x + 1, 2]
  }
  logp <- lfactorial(n) - rowSums(lfactorial(outcomes)) + drop(outcomes %*% log(p))
  sum(exp(logp[covered]))
}

# Share vectors: equal shares, and geometric shares (each category half the one before).
shares <- function(kind, k) {
  if (kind == "equal") return(rep(1 / k, k))
  w <- 0.5^(0:(k - 1))
  w / sum(w)
}

section("Exact simultaneous coverage (95% level) by enumeration")
comment(paste(
  "coverage(method, n, p) above; each row: method, n, k, kind of shares (equal, or",
  "geometric: each category half the one before), coverage.", sep = "\n"))
show_call("coverage(method, n, shares(kind, k))")
line("coverage = (")
for (k in c(2, 3, 5, 8)) {
  for (n in c(5, 10, 20, 30)) {
    if (k == 8 && n > 20) next
    for (kind in c("equal", "geometric")) {
      for (method in c("goodman", "bonferroni-cp")) {
        value <- coverage(method, n, shares(kind, k))
        line(sprintf("    (\"%s\", %d, %d, \"%s\", %s),", method, n, k, kind, num(value)))
      }
    }
  }
}
line(")")

write_module(paste0(
  "Reference values for the simultaneous share intervals, computed in R independently of the\n",
  "package.\n",
  "\n",
  "Written by tests/reference/R/shares.R with ", R.version.string, ";\n",
  "do not edit by hand: regenerate with\n",
  "\n",
  "    Rscript tests/reference/R/shares.R > tests/reference/shares.py\n",
  "\n",
  "Each coverage is an exact sum over every outcome of Multinomial(n, p)."))
