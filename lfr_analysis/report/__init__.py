"""The report: every notebook executed, and a static site to read them, in ``build/``.

``lfr-analysis report`` (what ``make report`` runs) builds, into ``build/``:

* ``index.html``: the findings first, each in one sentence with its number and interval and
  a link to the notebook cell that computes it, then the notebooks, the ledger and the data;
* one page per notebook (code hidden, a table of contents, previous/next links) and the
  executed notebooks in ``notebooks/``;
* ``ledger.html`` and one page per published figure in ``ledger/``;
* ``data.html`` (every data file in ``data/``, how current it is, the codebook, corrections
  and revisions, how to cite) and ``figures.html`` (every figure in ``figures/``, linked to
  its section);
* ``student/``: a teaching notebook's printable handout and answer key (HTML, and PDF where
  Chromium is installed), linked from the index and the notebook's page.

The modules: :mod:`~lfr_analysis.report.build` (the command: a fresh folder swapped in when
complete, jobs in parallel, signals), :mod:`~lfr_analysis.report.kernels` and
:mod:`~lfr_analysis.report.provisioner` (fresh kernels forked from one warm process),
:mod:`~lfr_analysis.report.execute` (one notebook),
:mod:`~lfr_analysis.report.handouts` (its student copies),
:mod:`~lfr_analysis.report.pages` (a notebook as a page), :mod:`~lfr_analysis.report.site`
(the site), :mod:`~lfr_analysis.report.ledger_pages` and :mod:`~lfr_analysis.report.data_page`
(the ledger's and the data's pages), :mod:`~lfr_analysis.report.sitedata` (findings and
ledger for the site) and :mod:`~lfr_analysis.report.cache`.
"""

from __future__ import annotations

from lfr_analysis.report.build import BuildResults, build_report, find_notebooks, main
from lfr_analysis.report.results import DEFAULT_TIMEOUT, NotebookResult

__all__ = [
    "DEFAULT_TIMEOUT",
    "BuildResults",
    "NotebookResult",
    "build_report",
    "find_notebooks",
    "main",
]
