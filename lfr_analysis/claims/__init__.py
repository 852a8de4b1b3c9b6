"""A ledger of published figures, each recomputed from the deployment record.

``data/published_figures.csv`` holds one row per figure that the Met, the Home Office, courts,
campaigners or the press have published about LFR, each citing its original publisher. Every
row names a ``metric`` from a fixed vocabulary
(:data:`lfr_analysis.datasets.published_figures.METRICS`), a period and, where the published
figure is about part of the record, a ``record_filter``. Those three things *are* the
recomputation: :func:`recompute` turns them into a number from
:func:`lfr_analysis.data.load_deployments`, and :func:`assess` compares that number with the
published one under one rounding rule (``"0.0003%"`` is reproduced by any value in
[0.00025%, 0.00035%), ``"540"`` arrests only by 540, ``">1,300"`` by any count above 1,300).

Where the figure as stated is not reproduced, the ledger tries the same short list of
**declared readings** for every figure of a metric (:mod:`.readings`: the last day left
out, to publication, the calendar year, the month after a stated end, the Met's own rows
only, values as printed before a cited correction, the other denominator of a rate), fixed
by the metric and period and never chosen by the value, and says which reading reproduces
it, or that none does.

Each figure gets one status (:data:`STATUS_DEFINITIONS`, also in the data package's
description of ``published_figures.csv``): ``reproduced``, ``understated`` (a lower bound
that holds but is more than :data:`UNDERSTATED_MARGIN` below the record),
``matched_other_reading``, ``disagrees_with_record`` (its source's own arithmetic on counts
the record does not give), ``close`` (within :data:`CLOSE_TOLERANCE`), ``contradicted``,
``not_reproducible`` (the record cannot speak to it) and ``not_checkable`` (a claim about
process). With it come a one-sentence ``verdict``, a ``citation`` line to paste, and the
deployments and Met documents (file, pages) behind the recomputation.

The parts: :mod:`.rules` (the rounding rule), :mod:`.recompute` (a figure's recipe turned
into a number), :mod:`.readings` (the declared readings), :mod:`.quote` (verdicts,
citations, documents), :mod:`.ledger` (:func:`assess` and :func:`ledger`), :mod:`.page`
(:func:`figure_record` and :func:`working`, one figure in full; :func:`ledger_and_records`,
the ledger and every figure's record at once), :mod:`.chance`
(:func:`explained_by_chance`: how often a reading would explain a random number) and :mod:`.cli`
(``lfr-analysis claims``). Nothing here runs at import.
"""

from lfr_analysis.claims.chance import explained_by_chance
from lfr_analysis.claims.cli import format_ledger, main, reader_view, status_counts, write_ledger
from lfr_analysis.claims.ledger import LEDGER_COLUMNS, assess, ledger
from lfr_analysis.claims.page import (
    RECORD_KEYS,
    figure_record,
    find_figure,
    ledger_and_records,
    working,
)
from lfr_analysis.claims.readings import READINGS, Reading, declared_readings, evaluate
from lfr_analysis.claims.recompute import (
    Recipe,
    Recomputation,
    compare_definitions,
    recompute,
    running_total,
)
from lfr_analysis.claims.rules import (
    CLOSE_TOLERANCE,
    STATUS_DEFINITIONS,
    STATUSES,
    UNDERSTATED_MARGIN,
    accepts,
    to_unit,
    understates,
)
from lfr_analysis.datasets.published_figures import METRICS, rounding_step

__all__ = [
    "CLOSE_TOLERANCE",
    "LEDGER_COLUMNS",
    "METRICS",
    "READINGS",
    "RECORD_KEYS",
    "STATUSES",
    "STATUS_DEFINITIONS",
    "UNDERSTATED_MARGIN",
    "Reading",
    "Recipe",
    "Recomputation",
    "accepts",
    "assess",
    "compare_definitions",
    "declared_readings",
    "evaluate",
    "explained_by_chance",
    "figure_record",
    "ledger_and_records",
    "find_figure",
    "format_ledger",
    "ledger",
    "main",
    "reader_view",
    "recompute",
    "rounding_step",
    "running_total",
    "status_counts",
    "to_unit",
    "understates",
    "working",
    "write_ledger",
]
