# Shared helpers for the scripts that write the reference modules in tests/reference/.
#
# Each script evaluates R calls and writes a Python module to standard output: every value
# is preceded by the call that produced it and by R's printed result (print(x, digits = 17)),
# and written with sprintf("%.17g"), which reads back as the same double in Python.
# Run from the repository root, e.g.
#   Rscript tests/reference/R/rates.R > tests/reference/rates.py

options(width = 90, digits = 17, warn = 1)
suppressPackageStartupMessages(library(Rmpfr))

.out <- character()
.uses_math <- FALSE

line <- function(...) .out <<- c(.out, sub("[[:space:]]+$", "", paste0(...)))
comment <- function(text) for (t in unlist(strsplit(text, "\n"))) line(if (nzchar(t)) paste("#", t) else "#")
blank <- function() line("")
section <- function(title) {
  blank()
  line("# ", strrep("-", 86))
  line("# ", title)
  line("# ", strrep("-", 86))
}

num <- function(v) {
  if (is.na(v)) {
    .uses_math <<- TRUE
    return("math.nan")
  }
  if (is.infinite(v)) {
    .uses_math <<- TRUE
    return(if (v > 0) "math.inf" else "-math.inf")
  }
  if (v == 0) return("0.0")
  if (v == round(v) && abs(v) < 2^53 && abs(v) >= 1) {
    return(sprintf("%.1f", v))
  }
  sprintf("%.17g", v)
}

show_call <- function(code) {
  lines <- unlist(strsplit(code, "\n"))
  line("# > ", lines[1])
  for (l in lines[-1]) line("# + ", l)
}

show_value <- function(value) {
  for (l in capture.output(print(value, digits = 17))) line("# ", l)
}

# Evaluate `code`, show it and its printed value, and bind `name` to a float, or to a Holder
# whose fields are `fields` (one per element of the value), or to a tuple of floats.
emit <- function(name, code, fields = NULL, tuple = FALSE, note = NULL, show = TRUE) {
  value <- eval(parse(text = code), envir = globalenv())
  if (!is.null(note)) comment(note)
  show_call(code)
  if (show) show_value(value)
  integers <- is.integer(value) || (is.list(value) && all(sapply(value, is.integer)))
  value <- unname(unlist(value))
  fmt <- if (integers) function(v) sprintf("%d", v) else num
  if (!is.null(fields)) {
    stopifnot(length(fields) == length(value))
    line(name, " = Holder(")
    for (i in seq_along(fields)) line("    ", fields[i], "=", fmt(value[i]), ",")
    line(")")
  } else if (tuple || length(value) > 1) {
    line(name, " = (")
    for (v in value) line("    ", fmt(v), ",")
    line(")")
  } else {
    line(name, " = ", fmt(value))
  }
  invisible(value)
}

# An htest result: estimate, confidence limits and p-value.
emit_htest <- function(name, code, note = NULL) {
  result <- eval(parse(text = code), envir = globalenv())
  if (!is.null(note)) comment(note)
  show_call(code)
  show_value(result[c("estimate", "conf.int", "p.value")])
  estimate <- if (is.null(result$estimate)) NA else unname(result$estimate)[1]
  line(name, " = Holder(")
  line("    estimate=", num(estimate), ",")
  line("    lower=", num(result$conf.int[1]), ",")
  line("    upper=", num(result$conf.int[2]), ",")
  line("    p_value=", num(result$p.value), ",")
  line(")")
  invisible(result)
}

# A value written by hand (a published figure): its citation goes in the comment.
emit_published <- function(name, value, citation) {
  comment(citation)
  line(name, " = ", if (is.character(value)) value else num(value))
}

write_module <- function(docstring) {
  holder <- any(grepl("Holder\\(", .out))
  imports <- c(if (.uses_math) "import math", if (.uses_math && holder) "",
               if (holder) "from . import Holder")
  text <- c('"""', unlist(strsplit(docstring, "\n")), '"""', if (length(imports)) c("", imports),
            .out)
  # at most one blank line in a row, none at the end
  text <- text[!(text == "" & c(FALSE, head(text, -1) == ""))]
  while (length(text) && text[length(text)] == "") text <- head(text, -1)
  cat(text, sep = "\n")  # ends with a newline: the separator contains one
}

# ---------------------------------------------------------------------------------------
# Multiple-precision checks (Rmpfr): binomial probabilities summed term by term in
# PREC-bit arithmetic, and Newton's method for a limit, started from R's double value.
# ---------------------------------------------------------------------------------------

PREC <- 256

# P(X = j) for j = 0..k, X ~ Binomial(n, p), as an mpfr vector.
binom_terms <- function(k, n, p) {
  p <- mpfr(p, PREC)
  n <- mpfr(n, PREC)
  first <- exp(n * log1p(-p))
  if (k == 0) return(first)
  j <- mpfr(seq_len(k), PREC)
  c(first, first * cumprod((n - j + 1) / j * (p / (1 - p))))
}

# Root in p of P(X <= x - 1) + w * P(X = x) = target (w = 0: Clopper-Pearson lower limit,
# with target 1 - tail; w = 1: upper limit, target tail; w = 1/2: mid-p), by Newton's method.
binom_limit_mpfr <- function(x, n, w, target, start, steps = 12) {
  p <- mpfr(start, PREC)
  w <- mpfr(w, PREC)
  target <- mpfr(target, PREC)
  nn <- mpfr(n, PREC)
  for (i in seq_len(steps)) {
    terms <- binom_terms(x, n, p)
    below <- if (x >= 1) sum(terms[seq_len(x)]) else mpfr(0, PREC)
    at <- terms[x + 1]
    g <- below + w * at - target
    d_below <- if (x >= 1) -(nn - x + 1) / (1 - p) * terms[x] else mpfr(0, PREC)
    d_at <- at * (x / p - (nn - x) / (1 - p))
    p <- p - g / (d_below + w * d_at)
  }
  p
}

# A count as R code: 1e9 for powers of ten from 1e7 up, otherwise every digit.
rnum <- function(v) {
  if (v >= 1e7 && v == 10^round(log10(v))) return(sprintf("1e%d", round(log10(v))))
  format(v, scientific = FALSE)
}

# Relative difference of a double from the multiple-precision value, as text.
rel_diff <- function(double, exact) {
  d <- abs(as.numeric((mpfr(double, PREC) - exact) / exact))
  sprintf("%.1e", d)
}
