"""Functions of counts: intervals, tests, base rates, simulation. No files, no plots.

:mod:`.checks`
    The one set of argument checks behind every public function.
:mod:`.intervals`
    The suite's only interval code: binomial rates (:func:`rate_ci`), Poisson rates and
    ratios, simultaneous shares, spread-aware (quasi-likelihood) intervals, Beta posteriors.
:mod:`.comparisons`
    Exact tests of counts against predictions and of two rates against each other, with
    each two-sided rule named (R's ``poisson.test``, ``binom.test``, ``fisher.test``).
:mod:`.heterogeneity`
    Whether deployments share one rate (conditional Monte-Carlo test, negative binomial),
    and O/E allowing for their spread (quasi-Poisson, negative binomial profile likelihood).
:mod:`.baserates`
    What an alert means, from prevalence, FPIR and TPIR.
:mod:`.simulate`
    Simulated deployments (binomial draws) for teaching and checks.
"""

from lfr_analysis.stats import baserates, checks, comparisons, heterogeneity, intervals, simulate

__all__ = ["baserates", "checks", "comparisons", "heterogeneity", "intervals", "simulate"]
