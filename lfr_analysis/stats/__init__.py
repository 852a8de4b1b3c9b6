"""Functions of counts: intervals, tests, base rates, simulation. No files, no plots.

:mod:`.checks`
    The one set of argument checks behind every public function.
:mod:`.intervals`
    The suite's only interval code: binomial rates (:func:`rate_ci`) and Beta posteriors.
:mod:`.heterogeneity`
    Whether deployments share one rate (conditional Monte-Carlo test, negative binomial).
:mod:`.baserates`
    What an alert means, from prevalence, FPIR and TPIR.
:mod:`.simulate`
    Simulated deployments (binomial draws) for teaching and checks.
"""

from lfr_analysis.stats import baserates, checks, heterogeneity, intervals, simulate

__all__ = ["baserates", "checks", "heterogeneity", "intervals", "simulate"]
