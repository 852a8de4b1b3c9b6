"""How often a declared reading would "explain" a number by chance.

A reading that reproduces a figure is evidence only if a made-up figure would rarely be
reproduced by one. :func:`explained_by_chance` measures that on the record: for every exact
count the ledger checks, it draws whole numbers near the published value and counts how
many a declared alternative reading gives while the figure's own reading does not. Because
the readings are fixed by metric and period (never by the value,
:func:`~lfr_analysis.claims.readings.declared_readings`), they are recomputed once per figure
and each draw only asks whether it equals one of their values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lfr_analysis.claims.ledger import DEPLOYMENT_COLUMNS, FIGURE_KEYS, assess
from lfr_analysis.datasets.published_figures import COUNT_UNITS, MAX_METRICS, RECORD_METRICS
from lfr_analysis.stats import checks

__all__ = ["CHECKED_STATUSES", "explained_by_chance"]

#: Statuses of the figures whose readings are measured (the record speaks to them).
CHECKED_STATUSES = ("reproduced", "understated", "matched_other_reading", "close", "contradicted")


def _is_exact_count(figure: dict) -> bool:
    metric = figure["metric"]
    return (
        metric in RECORD_METRICS
        and RECORD_METRICS[metric][1] is None
        and metric not in MAX_METRICS
        and figure["qualifier"] == "exact"
        and figure["unit"] in COUNT_UNITS
        and pd.isna(figure.get("derived_from"))
    )


def explained_by_chance(
    figures: pd.DataFrame,
    deployments: pd.DataFrame,
    rng: np.random.Generator,
    *,
    draws: int = 20,
    spread: float = 0.2,
) -> pd.DataFrame:
    """Draw random figures near the published exact counts and count those a reading explains.

    Parameters
    ----------
    figures : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_published_figures`.
    deployments : pandas.DataFrame
        As from :func:`lfr_analysis.data.load_deployments`.
    rng : numpy.random.Generator
        The only source of randomness.
    draws : int
        Random whole numbers drawn per figure.
    spread : float
        Draws are uniform on the whole numbers within ``value * (1 - spread)`` and
        ``value * (1 + spread)``.

    Returns
    -------
    pandas.DataFrame
        One row per exact count the ledger checks (status in :data:`CHECKED_STATUSES`,
        within the record's dates): ``figure_id``, ``published``, ``as_stated`` (the
        record's value), ``readings`` (how many declared readings were offered),
        ``alternatives`` (the distinct values the other readings give), ``draws`` and
        ``explained`` (draws an alternative reading gives and the stated reading does not).
        ``attrs["rate"]`` is explained / draws over all rows.
    """
    checks.frame(figures, FIGURE_KEYS, "figures")
    checks.frame(deployments, DEPLOYMENT_COLUMNS, "deployments")
    checks.generator(rng, "rng")
    draws = checks.whole(draws, "draws", minimum=1)
    if isinstance(spread, bool) or not isinstance(spread, int | float) or not 0 < spread < 1:
        raise ValueError(f"spread must be between 0 and 1, got {spread!r}")
    rows = []
    for figure in figures.to_dict("records"):
        if not _is_exact_count(figure):
            continue
        row = assess(figure, deployments, figures)
        work = row["working"]
        if row["status"] not in CHECKED_STATUSES or work.get("record_end") is not None:
            continue
        stated, *others = work["readings"]
        alternatives = sorted({r.value for r in others if np.isfinite(r.value)})
        low = int(np.floor(figure["value"] * (1 - spread)))
        high = int(np.ceil(figure["value"] * (1 + spread)))
        values = rng.integers(low, high + 1, size=int(draws))
        explained = int(sum(v != stated.value and v in alternatives for v in values))
        rows.append(
            {
                "figure_id": figure["figure_id"],
                "published": figure["value"],
                "as_stated": stated.value,
                "readings": len(work["readings"]),
                "alternatives": tuple(alternatives),
                "draws": int(draws),
                "explained": explained,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "figure_id",
            "published",
            "as_stated",
            "readings",
            "alternatives",
            "draws",
            "explained",
        ],
    )
    total = int(out["draws"].sum())
    out.attrs["rate"] = float(out["explained"].sum() / total) if total else float("nan")
    return out
