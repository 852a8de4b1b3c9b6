"""lfr-analysis: reproducible analysis of police Live Facial Recognition deployments.

The package behind the notebooks in ``notebooks/``, in four layers (``docs/architecture.md``):

* **data files** (:mod:`lfr_analysis.datasets`): what each file in ``data/`` is, where it
  comes from, and its strict loader;
* **statistics** (:mod:`lfr_analysis.stats`): intervals, tests, base rates, simulation;
* **analyses**: :mod:`~lfr_analysis.data` (the record summarised), :mod:`~lfr_analysis.rates`
  (false-alert rates), :mod:`~lfr_analysis.references` (published predictions),
  :mod:`~lfr_analysis.predictions`, :mod:`~lfr_analysis.funnels` and
  :mod:`~lfr_analysis.precision` (deployments against independent studies),
  :mod:`~lfr_analysis.arrests` (what arrests were for, and yield), :mod:`~lfr_analysis.claims`
  (published figures recomputed);
* **presentation**: :mod:`~lfr_analysis.plotting` (every chart, one palette),
  :mod:`~lfr_analysis.notebook` (the notebooks' frame), :mod:`~lfr_analysis.teaching`,
  :mod:`~lfr_analysis.student_copy`, :mod:`~lfr_analysis.report`; and
  :mod:`~lfr_analysis.rebuild`, which turns the Met's PDFs into the data files;
  :mod:`~lfr_analysis.paths` says where every folder is, and :mod:`~lfr_analysis.files`
  writes every file atomically.

The names below are the public API, available as ``lfr_analysis.<name>``:

==========================  ==============================================================
name                        what it is
==========================  ==============================================================
``load_deployments``        the Met's deployment record, one row per deployment
``load_other_deployments``  trials, other forces, and news that contradicts the record
``load_study_predictions``  NPL 2023 and other studies' published figures
``load_arrests``            published arrest counts by offence, category and outcome
``load_taxonomy``           published arrest categories on harmonised axes
``load_published_figures``  figures published about LFR, for the ledger
``rate_ci``                 a rate ``events / trials`` with an exact interval, row by row
``rate_posterior``          Beta posterior quantiles of a rate
``prob_rate_exceeds``       posterior probability that a rate exceeds a value
``heterogeneity``           whether deployments share one false-alert rate
``false_alert_rates``       pooled false-alert rates per face or per alert, by group
``compare_rates``           two groups' rates (per face, per alert, arrests per deployment)
                            compared exactly, as R's ``poisson.test``/``fisher.test``
``compare_reported_rates``  printed rates beside the rates the counts give
``Reference``               a published false-alert prediction to compare with
``load_references``         the NPL 2023 references at thresholds 0.60, 0.62 and 0.64
``expected_false_alerts``   false alerts each deployment would have under a reference
``observed_vs_expected``    observed against expected false alerts, exact tests
``overdispersed_ratio``     O/E with intervals that allow for variation between deployments
``tipping_point``           how far an assumption behind a verdict can move before it tips
``funnel_data``             deployments against exact Poisson funnel limits
``cumulative_oe``           cumulative observed and expected false alerts over time
``compare_precision``       share of true alerts against a published per-alert result
``precision_by``            the same for every group of deployments and reference
``share_vs_benchmark``      a share (e.g. of false alerts) against a population benchmark
``harmonise``               published arrest categories on the harmonised axes
``reconcile``               each event's published total against what its rows describe
``arrest_counts``           arrests by category with exact intervals (and shares)
``arrest_yield``            arrests per deployment, per 1,000 alerts, per 100,000 faces
``assess``                  one published figure recomputed and given a status
``ledger``                  every published figure recomputed
``setup``                   a notebook's setup call (style, display, seeded generator)
``sources_and_versions``    a notebook's closing cell (data sources, library versions)
``use_style``               apply the house plot style
``decorate``                label a chart in one call
``savefig``                 save a figure as byte-stable PNG and SVG with its caption
==========================  ==============================================================

and the modules named above. Importing the package is quick and changes no global state:
each name is imported from its module the first time it is used (plotting style is
applied only by :func:`use_style`).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_API = {
    "load_deployments": "lfr_analysis.data",
    "load_other_deployments": "lfr_analysis.data",
    "load_study_predictions": "lfr_analysis.data",
    "load_arrests": "lfr_analysis.data",
    "load_taxonomy": "lfr_analysis.data",
    "load_published_figures": "lfr_analysis.data",
    "rate_ci": "lfr_analysis.stats.intervals",
    "rate_posterior": "lfr_analysis.stats.intervals",
    "prob_rate_exceeds": "lfr_analysis.stats.intervals",
    "heterogeneity": "lfr_analysis.stats.heterogeneity",
    "false_alert_rates": "lfr_analysis.rates",
    "compare_rates": "lfr_analysis.rates",
    "compare_reported_rates": "lfr_analysis.rates",
    "Reference": "lfr_analysis.references",
    "load_references": "lfr_analysis.references",
    "expected_false_alerts": "lfr_analysis.predictions",
    "observed_vs_expected": "lfr_analysis.predictions",
    "overdispersed_ratio": "lfr_analysis.predictions",
    "tipping_point": "lfr_analysis.predictions",
    "funnel_data": "lfr_analysis.funnels",
    "cumulative_oe": "lfr_analysis.funnels",
    "compare_precision": "lfr_analysis.precision",
    "precision_by": "lfr_analysis.precision",
    "share_vs_benchmark": "lfr_analysis.precision",
    "harmonise": "lfr_analysis.arrests",
    "reconcile": "lfr_analysis.arrests",
    "arrest_counts": "lfr_analysis.arrests",
    "arrest_yield": "lfr_analysis.arrests",
    "assess": "lfr_analysis.claims",
    "ledger": "lfr_analysis.claims",
    "setup": "lfr_analysis.notebook",
    "sources_and_versions": "lfr_analysis.notebook",
    "use_style": "lfr_analysis.plotting",
    "decorate": "lfr_analysis.plotting",
    "savefig": "lfr_analysis.plotting",
}

#: The package's public modules, also available as attributes.
_MODULES = (
    "arrests",
    "claims",
    "data",
    "datasets",
    "files",
    "funnels",
    "notebook",
    "paths",
    "plotting",
    "precision",
    "predictions",
    "rates",
    "rebuild",
    "references",
    "report",
    "stats",
    "student_copy",
    "teaching",
)

__all__ = ["__version__", *_API, *_MODULES]


def __getattr__(name: str):
    """Import a public name (or module) from where it is defined, on first use."""
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
    elif name in _MODULES:
        value = importlib.import_module(f"lfr_analysis.{name}")
    else:
        raise AttributeError(f"module 'lfr_analysis' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
