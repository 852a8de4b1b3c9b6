"""lfr-analysis: reproducible analysis of police Live Facial Recognition deployments.

The package holds the logic behind the notebooks in ``notebooks/``: loading the cited
deployment record (:mod:`lfr_analysis.data`), rates with intervals
(:mod:`lfr_analysis.rates`), comparisons with independent predictions
(:mod:`lfr_analysis.predictions`), arrests (:mod:`lfr_analysis.arrests`), published
claims (:mod:`lfr_analysis.claims`), plotting (:mod:`lfr_analysis.plotting`) and the
report builder (:mod:`lfr_analysis.report`). Importing the package changes no global
state: plotting style is applied only by :func:`lfr_analysis.plotting.use_style`.
"""

__version__ = "0.1.0"
