"""A ledger of published figures, each recomputed from the deployment record.

``data/published_figures.csv`` holds one row per figure that the Met, the Home Office, courts,
campaigners or the press have published about LFR, each with its source. Every row names a
``metric`` from a fixed vocabulary
(:data:`lfr_analysis.datasets.published_figures.METRICS`), a period and, where the published
figure is about part of the record, a ``record_filter``. Those three things *are* the
recomputation: :func:`recompute` turns them into a number from
:func:`lfr_analysis.data.load_deployments`, and :func:`assess` compares that number with the
published one under the rounding rule below and gives the figure a status:

``reproduced``
    The recomputed value rounds to the published value at the published precision
    (``"0.0003%"`` is reproduced by any value in [0.00025%, 0.00035%)), or satisfies the
    published inequality (``">1,300"``).
``close``
    Not reproduced, but within :data:`CLOSE_TOLERANCE` (relative) of the published value.
    The ledger gives the likely reason and the nearest window or definition that matches.
``contradicted``
    Further away than the tolerance. The nearest window or definition is given too.
``not_reproducible``
    The record cannot speak to the figure (another force, a period outside the record, an
    outcome the record does not hold); the ledger says what is missing.
``not_checkable``
    A claim about process (what happens to data, how a watchlist is built), not a number.

The parts: :mod:`.rules` (the rounding rule and the statuses), :mod:`.recompute` (a
figure's recipe turned into a number), :mod:`.search` (the nearest window or definition),
:mod:`.ledger` (:func:`assess` and :func:`ledger`) and :mod:`.cli` (``lfr-analysis
claims``). Nothing here runs at import.
"""

from lfr_analysis.claims.cli import format_ledger, main, working, write_ledger
from lfr_analysis.claims.ledger import assess, ledger
from lfr_analysis.claims.recompute import Recipe, Recomputation, recompute, running_total
from lfr_analysis.claims.rules import CLOSE_TOLERANCE, STATUSES, accepts, to_unit
from lfr_analysis.claims.search import alternatives, compare_definitions
from lfr_analysis.datasets.published_figures import rounding_step

__all__ = [
    "CLOSE_TOLERANCE",
    "STATUSES",
    "Recipe",
    "Recomputation",
    "accepts",
    "alternatives",
    "assess",
    "compare_definitions",
    "format_ledger",
    "ledger",
    "main",
    "recompute",
    "rounding_step",
    "running_total",
    "to_unit",
    "working",
    "write_ledger",
]
