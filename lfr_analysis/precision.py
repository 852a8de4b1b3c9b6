"""Per-alert questions: how many alerts were true, and who the false ones were.

:func:`load_precision_references` gives the published per-alert results (Essex 2019 for the
Met's trials, South Wales Police 2017-18); :func:`compare_precision` compares an observed
share of true alerts with one of them, :func:`precision_by` does so for every group of
deployments (e.g. each threshold) and reference at once, and :func:`share_vs_benchmark`
compares a share (for example of false alerts that involved Black people) with a population
benchmark, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from lfr_analysis.datasets import study_predictions
from lfr_analysis.rates import TIERS, tier_indicators
from lfr_analysis.references import citation
from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import difference_ci, rate_ci

__all__ = [
    "PRECISION_VIEW",
    "PrecisionReference",
    "compare_precision",
    "load_precision_references",
    "precision_by",
    "share_vs_benchmark",
]

#: The fields :func:`compare_precision` returns by default; ``full=True`` adds
#: ``ref_true_alerts``, ``ref_alerts``, ``conf`` and ``method``.
PRECISION_VIEW = [
    "reference", "true_alerts", "alerts", "precision", "precision_lower", "precision_upper",
    "ref_precision", "ref_precision_lower", "ref_precision_upper", "difference",
    "difference_lower", "difference_upper", "p_fisher_two_sided",
]  # fmt: skip


@dataclass(frozen=True)
class PrecisionReference:
    """A published per-alert result: how many alerts were true.

    Attributes
    ----------
    name : str
    true_alerts : int
    alerts : int
    source : str
    notes : str
    """

    name: str
    true_alerts: int
    alerts: int
    source: str
    notes: str = ""


def load_precision_references(path: str | Path | None = None, *, verify_checksum: bool = True):
    """Return the per-alert references: Essex 2019 (Met trials) and South Wales 2017-18.

    Returns
    -------
    dict of str to PrecisionReference
        ``"essex2019"``: 8 verified correct of 42 alerts (a lower bound: 4 people were not
        stopped). ``"swp2017_18"``: 234 true of 234 + 2,451 alerts over 15 events.
    """
    table = study_predictions.load(path, verify_checksum=verify_checksum)
    essex = study_predictions.row(table, "essex2019_verified_correct")
    swp_true = int(study_predictions.row(table, "swp2017_18_true_alerts")["events"])
    swp_false = int(study_predictions.row(table, "swp2017_18_false_alerts")["events"])
    return {
        "essex2019": PrecisionReference(
            name="Essex 2019 (Met trials, 6 observed deployments)",
            true_alerts=int(essex["events"]),
            alerts=int(essex["denominator"]),
            source=citation(table, ["essex2019_verified_correct"]),
            notes="verified correct only: a lower bound on precision",
        ),
        "swp2017_18": PrecisionReference(
            name="South Wales Police, Jun 2017 - Mar 2018 (15 events)",
            true_alerts=swp_true,
            alerts=swp_true + swp_false,
            source=citation(table, ["swp2017_18_true_alerts", "swp2017_18_false_alerts"]),
            notes="police data released under FOI (2018)",
        ),
    }


def _check_count_pair(events, trials, label):
    events = checks.whole(events, f"{label} events")
    trials = checks.whole(trials, f"{label} trials", minimum=1)
    if events > trials:
        raise ValueError(f"{label} events ({events}) exceed trials ({trials})")


def compare_precision(
    true_alerts: int,
    alerts: int,
    reference: PrecisionReference,
    *,
    conf: float = 0.95,
    full: bool = False,
) -> pd.Series:
    """Compare the share of alerts that were true with a published per-alert result.

    Clopper-Pearson intervals for each share, the Newcombe interval for the difference
    (:func:`lfr_analysis.stats.intervals.difference_ci`) and Fisher's exact test.

    Parameters
    ----------
    true_alerts, alerts : int
        Observed alerts recorded as true, and all alerts.
    reference : PrecisionReference
        E.g. from :func:`load_precision_references`.
    conf : float
        Confidence level.
    full : bool
        Add the reference's counts, ``conf`` and ``method`` to the reader's view
        (:data:`PRECISION_VIEW`).

    Returns
    -------
    pandas.Series
    """
    conf = checks.conf_level(conf)
    if not isinstance(full, bool):
        raise TypeError(f"full must be True or False, got {full!r}")
    if not isinstance(reference, PrecisionReference):
        raise TypeError(f"reference must be a PrecisionReference, got {type(reference)!r}")
    _check_count_pair(true_alerts, alerts, "observed")
    _check_count_pair(reference.true_alerts, reference.alerts, "reference")
    observed_ci = rate_ci(true_alerts, alerts, conf=conf).iloc[0]
    reference_ci = rate_ci(reference.true_alerts, reference.alerts, conf=conf).iloc[0]
    low, high = observed_ci["lower"], observed_ci["upper"]
    ref_low, ref_high = reference_ci["lower"], reference_ci["upper"]
    diff_low, diff_high = difference_ci(
        true_alerts, alerts, reference.true_alerts, reference.alerts, conf=conf
    )
    table = [
        [true_alerts, alerts - true_alerts],
        [reference.true_alerts, reference.alerts - reference.true_alerts],
    ]
    result = pd.Series(
        {
            "true_alerts": true_alerts,
            "alerts": alerts,
            "precision": true_alerts / alerts,
            "precision_lower": float(low),
            "precision_upper": float(high),
            "reference": reference.name,
            "ref_true_alerts": reference.true_alerts,
            "ref_alerts": reference.alerts,
            "ref_precision": reference.true_alerts / reference.alerts,
            "ref_precision_lower": float(ref_low),
            "ref_precision_upper": float(ref_high),
            "difference": true_alerts / alerts - reference.true_alerts / reference.alerts,
            "difference_lower": float(diff_low),
            "difference_upper": float(diff_high),
            "p_fisher_two_sided": float(stats.fisher_exact(table).pvalue),
            "conf": conf,
            "method": "Clopper-Pearson; Newcombe difference; Fisher exact",
        }
    )
    return result if full else result[PRECISION_VIEW]


def precision_by(
    deployments: pd.DataFrame,
    references: dict[str, PrecisionReference],
    by: str = "threshold",
    *,
    conf: float = 0.95,
    full: bool = False,
) -> pd.DataFrame:
    """:func:`compare_precision` for every group of deployments against every reference.

    Within each group the true and false alerts of the deployments that record both are
    summed; the alerts compared are their sum (alerts recorded as neither are left out).

    Parameters
    ----------
    deployments : pandas.DataFrame
        With ``true_alerts``, ``false_alerts`` and the ``by`` column (and ``source_type``).
    references : dict of str to PrecisionReference
        E.g. :func:`load_precision_references`.
    by : str
        Grouping column; rows whose value is missing form their own group.
    conf : float
    full : bool
        As :func:`compare_precision`.

    Returns
    -------
    pandas.DataFrame
        One row per group and reference: the ``by`` value, ``reference_key``,
        ``n_deployments``, ``n_excluded``, ``n_primary``, ``n_secondary``, then the fields
        of :func:`compare_precision`.
    """
    checks.frame(deployments, ["true_alerts", "false_alerts", by])
    if not isinstance(references, dict) or not references:
        raise TypeError("references must be a non-empty dict of name -> PrecisionReference")
    true = checks.count_column(deployments, "true_alerts")
    false = checks.count_column(deployments, "false_alerts")
    used = ~np.isnan(true) & ~np.isnan(false)
    tiers = tier_indicators(deployments, used)
    rows = []
    for value, index in deployments.groupby(by, dropna=False, sort=True).indices.items():
        mask = used[index]
        counts = {"n_deployments": int(mask.sum()), "n_excluded": int((~mask).sum())}
        for tier in TIERS:
            counts[f"n_{tier}"] = (
                pd.NA if tiers is None else int(tiers[f"n_{tier}"].iloc[index].sum())
            )
        hits, misses = int(true[index][mask].sum()), int(false[index][mask].sum())
        for key, reference in references.items():
            if hits + misses == 0:
                continue
            result = compare_precision(hits, hits + misses, reference, conf=conf, full=full)
            rows.append({by: value, "reference_key": key, **counts, **result.to_dict()})
    return pd.DataFrame.from_records(rows)


def share_vs_benchmark(
    events: int, trials: int, benchmark_share: float, *, conf: float = 0.95
) -> pd.Series:
    """Exact binomial comparison of a share (e.g. 8 of 10 false alerts) with a benchmark.

    The test asks whether ``events`` of ``trials`` is consistent with each trial
    independently having probability ``benchmark_share``. ``lowest_consistent_share`` is the
    one-sided Clopper-Pearson lower bound: the smallest share of the exposed group (e.g. of
    the people passing the cameras) for which the observed count would not be significant
    at level ``1 - conf``, one-sided.

    Parameters
    ----------
    events, trials : int
        E.g. 8 Black people among 10 falsely alerted.
    benchmark_share : float
        The share to compare with, in (0, 1); say in the text what population it describes.
    conf : float
        Confidence level.

    Returns
    -------
    pandas.Series
    """
    conf = checks.conf_level(conf)
    _check_count_pair(events, trials, "share")
    if not 0 < benchmark_share < 1:
        raise ValueError(f"benchmark_share must be in (0, 1), got {benchmark_share!r}")
    two_sided = rate_ci(events, trials, conf=conf).iloc[0]
    low, high = two_sided["lower"], two_sided["upper"]
    lowest = rate_ci(events, trials, conf=conf, side="lower")["lower"].iloc[0]
    test = stats.binomtest(events, trials, benchmark_share, alternative="greater")
    return pd.Series(
        {
            "events": events,
            "trials": trials,
            "share": events / trials,
            "share_lower": float(low),
            "share_upper": float(high),
            "benchmark_share": benchmark_share,
            "p_more": float(test.pvalue),
            "p_two_sided": float(stats.binomtest(events, trials, benchmark_share).pvalue),
            "lowest_consistent_share": float(lowest),
            "conf": conf,
            "method": "exact binomial; Clopper-Pearson",
        }
    )
