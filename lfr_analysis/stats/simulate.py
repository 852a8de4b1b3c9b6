"""Simulated LFR deployments: binomial draws, vectorised over deployments.

A deployment is modelled as ``faces_seen`` independent faces. Each face belongs to a
watchlisted person with probability ``prevalence``. A watchlisted face raises a true alert
with probability ``tpir`` (TPIR); any other face raises a false alert with
probability ``fpir = 1 - (1 - false_match_rate) ** watchlist_size`` (see
:mod:`lfr_analysis.stats.baserates`). So, per deployment::

    watchlisted_faces ~ Binomial(faces_seen, prevalence)
    true_alerts       ~ Binomial(watchlisted_faces, tpir)
    false_alerts      ~ Binomial(faces_seen - watchlisted_faces, fpir)

Three binomial draws per deployment, never a loop over faces, so a million deployments take
well under a second (``benchmarks/bench_simulate.py``). Simplifications, stated for
teaching: faces are treated as distinct people (the Met's "faces seen" counts detections);
a watchlisted face that is missed does not raise a false alert against another entry; the
rates are the same for every face in the crowd.

Randomness comes only from the :class:`numpy.random.Generator` passed in, so a seeded
generator gives the same deployments on every run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lfr_analysis.stats import checks
from lfr_analysis.stats.baserates import (
    DEFAULT_SCALING,
    expected_alerts,
    fpir_from_false_match_rate,
    precision,
)

__all__ = [
    "SIMULATED_COLUMNS",
    "compare_settings",
    "replicate_totals",
    "simulate_deployments",
    "simulate_record",
]

SIMULATED_COLUMNS = (
    "faces_seen",
    "watchlist_size",
    "prevalence",
    "false_match_rate",
    "tpir",
    "fpir",
    "watchlisted_faces",
    "true_alerts",
    "false_alerts",
    "alerts",
)


def _check_rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator (e.g. np.random.default_rng(SEED)); "
            f"got {type(rng).__name__}"
        )
    return rng


def _broadcast(parameters: dict[str, np.ndarray], n_deployments: int | None) -> dict:
    """Broadcast the parameters to one shape (``(n_deployments,)`` when given)."""
    shapes = {name: np.shape(value) for name, value in parameters.items()}
    target = None
    if n_deployments is not None:
        if isinstance(n_deployments, bool) or not isinstance(n_deployments, int | np.integer):
            raise ValueError(f"n_deployments must be a whole number; got {n_deployments!r}")
        if n_deployments < 1:
            raise ValueError(f"n_deployments must be at least 1; got {n_deployments!r}")
        target = (int(n_deployments),)
    try:
        shape = np.broadcast_shapes(*shapes.values(), *([target] if target else []))
    except ValueError:
        given = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        extra = f" and n_deployments {n_deployments}" if target else ""
        raise ValueError(f"parameter shapes do not match: {given}{extra}") from None
    if len(shape) > 1:
        raise ValueError(f"parameters must be scalars or 1-D arrays; broadcast shape is {shape}")
    shape = shape or (1,)
    return {name: np.broadcast_to(value, shape) for name, value in parameters.items()}


def simulate_deployments(
    rng: np.random.Generator,
    *,
    faces_seen,
    prevalence,
    watchlist_size,
    false_match_rate,
    tpir,
    n_deployments: int | None = None,
    scaling: str = DEFAULT_SCALING,
) -> pd.DataFrame:
    """Draw true and false alerts for simulated deployments.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness (seed it for reproducible results).
    faces_seen : int or array-like
        Faces seen per deployment.
    prevalence : float or array-like
        Share of faces that belong to watchlisted people (an assumption: not published).
    watchlist_size : int or array-like
        Entries on the watchlist.
    false_match_rate : float or array-like
        Per-comparison false-match rate (one face against one entry).
    tpir : float or array-like
        TPIR: probability that a watchlisted face raises a correct alert.
    n_deployments : int, optional
        Number of deployments. Parameters are broadcast to this length; without it the
        length is that of the longest parameter (1 when all are scalars).
    scaling : {"linear", "exact"}
        How FPIR grows with the watchlist (see
        :func:`lfr_analysis.baserates.fpir_from_false_match_rate`).

    Returns
    -------
    pandas.DataFrame
        One row per simulated deployment with the parameters and the draws
        (columns :data:`SIMULATED_COLUMNS`; counts are ``int64``).

    Raises
    ------
    ValueError
        If ``rng`` is not a Generator, a parameter is out of range, or shapes do not match.
    """
    _check_rng(rng)
    parameters = _broadcast(
        {
            "faces_seen": checks.count(faces_seen, "faces_seen"),
            "prevalence": checks.probability(prevalence, "prevalence"),
            "watchlist_size": checks.count(watchlist_size, "watchlist_size"),
            "false_match_rate": checks.probability(false_match_rate, "false_match_rate"),
            "tpir": checks.probability(tpir, "tpir"),
        },
        n_deployments,
    )
    fpir = np.broadcast_to(
        fpir_from_false_match_rate(
            parameters["false_match_rate"], parameters["watchlist_size"], scaling=scaling
        ),
        parameters["faces_seen"].shape,
    )
    faces = parameters["faces_seen"]
    watchlisted = rng.binomial(faces, parameters["prevalence"])
    true_alerts = rng.binomial(watchlisted, parameters["tpir"])
    false_alerts = rng.binomial(faces - watchlisted, fpir)
    columns = {name: np.array(value) for name, value in parameters.items()}
    columns.update(
        fpir=np.array(fpir, dtype=float),
        watchlisted_faces=watchlisted.astype(np.int64),
        true_alerts=true_alerts.astype(np.int64),
        false_alerts=false_alerts.astype(np.int64),
        alerts=(true_alerts + false_alerts).astype(np.int64),
    )
    return pd.DataFrame({name: columns[name] for name in SIMULATED_COLUMNS})


def simulate_record(
    rng: np.random.Generator,
    deployments: pd.DataFrame,
    *,
    prevalence,
    false_match_rate,
    tpir,
    n_replicates: int = 1000,
    watchlist_size=None,
    scaling: str = DEFAULT_SCALING,
) -> pd.DataFrame:
    """Replay a table of real deployments ``n_replicates`` times under assumed rates.

    Each replicate keeps every deployment's own ``faces_seen`` (and ``watchlist_size``,
    unless one is given for all) and draws new alerts.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness.
    deployments : pandas.DataFrame
        Needs ``faces_seen`` and, unless ``watchlist_size`` is given, ``watchlist_size``,
        both known on every row (filter missing rows first, and say how many).
    prevalence, false_match_rate, tpir : float
        As for :func:`simulate_deployments` (scalars: the same for every deployment).
    n_replicates : int, optional
        How many times to replay the table (default 1,000).
    watchlist_size : int, optional
        Use this watchlist size for every deployment instead of the table's.
    scaling : {"linear", "exact"}
        As for :func:`simulate_deployments`.

    Returns
    -------
    pandas.DataFrame
        ``replicate`` (0..n_replicates-1), ``deployment`` (the table's index label) and the
        columns of :func:`simulate_deployments`.
    """
    if not isinstance(deployments, pd.DataFrame):
        raise ValueError(f"deployments must be a pandas DataFrame; got {type(deployments)!r}")
    needed = ["faces_seen"] + ([] if watchlist_size is not None else ["watchlist_size"])
    missing = [name for name in needed if name not in deployments.columns]
    if missing:
        raise ValueError(f"deployments lacks column(s) {missing}")
    if len(deployments) == 0:
        raise ValueError("deployments is empty")
    if isinstance(n_replicates, bool) or not isinstance(n_replicates, int | np.integer):
        raise ValueError(f"n_replicates must be a whole number; got {n_replicates!r}")
    if n_replicates < 1:
        raise ValueError(f"n_replicates must be at least 1; got {n_replicates!r}")
    faces = checks.count(deployments["faces_seen"], "faces_seen")
    sizes = (
        checks.count(deployments["watchlist_size"], "watchlist_size")
        if watchlist_size is None
        else np.full(len(deployments), checks.count(watchlist_size, "watchlist_size"))
    )
    for name, value in {
        "prevalence": prevalence,
        "false_match_rate": false_match_rate,
        "tpir": tpir,
    }.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{name} must be a single number here; got {value!r}")
    simulated = simulate_deployments(
        rng,
        faces_seen=np.tile(faces, n_replicates),
        prevalence=prevalence,
        watchlist_size=np.tile(sizes, n_replicates),
        false_match_rate=false_match_rate,
        tpir=tpir,
        scaling=scaling,
    )
    simulated.insert(0, "deployment", np.tile(deployments.index.to_numpy(), n_replicates))
    simulated.insert(0, "replicate", np.repeat(np.arange(n_replicates), len(deployments)))
    return simulated


def replicate_totals(simulated: pd.DataFrame) -> pd.DataFrame:
    """Sum faces and alerts within each replicate of :func:`simulate_record`.

    Parameters
    ----------
    simulated : pandas.DataFrame
        Output of :func:`simulate_record`.

    Returns
    -------
    pandas.DataFrame
        One row per replicate: ``faces_seen``, ``watchlisted_faces``, ``true_alerts``,
        ``false_alerts``, ``alerts`` and ``false_alert_share`` (NaN when a replicate has
        no alerts at all).
    """
    needed = ["replicate", "faces_seen", "watchlisted_faces", "true_alerts", "false_alerts"]
    missing = [name for name in needed if name not in simulated.columns]
    if missing:
        raise ValueError(f"simulated lacks column(s) {missing}; pass simulate_record() output")
    totals = simulated.groupby("replicate")[needed[1:] + ["alerts"]].sum()
    alerts = totals["alerts"].astype(float)
    totals["false_alert_share"] = totals["false_alerts"] / alerts.where(alerts > 0)
    return totals


def compare_settings(
    rng: np.random.Generator,
    settings: dict[str, float],
    *,
    watchlist_sizes,
    faces_seen: int,
    prevalence: float,
    tpir: float,
    n_deployments: int = 10_000,
    scaling: str = DEFAULT_SCALING,
) -> pd.DataFrame:
    """The same deployment under several settings and watchlist sizes: expected and simulated.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness.
    settings : dict of str to float
        Setting name (e.g. ``"threshold 0.60"``) to per-comparison false-match rate.
    watchlist_sizes : sequence of int
        Watchlist sizes to try with every setting.
    faces_seen : int
        Faces seen in the deployment.
    prevalence, tpir : float
        As for :func:`simulate_deployments` (assumptions unless published).
    n_deployments : int, optional
        Simulated deployments per combination (default 10,000).
    scaling : {"linear", "exact"}
        As for :func:`simulate_deployments`.

    Returns
    -------
    pandas.DataFrame
        One row per setting and watchlist size: ``setting``, ``watchlist_size``, ``fpir``,
        ``fpir_one_in``, ``expected_true_alerts``, ``expected_false_alerts``, ``precision``
        (expected share of alerts that are true), ``p_any_false_alert`` (exact probability of
        at least one false alert), and from the simulation ``simulated_p_any_false_alert``,
        ``simulated_false_alerts_5pc`` and ``simulated_false_alerts_95pc`` (5th and 95th
        percentiles of false alerts per deployment).
    """
    _check_rng(rng)
    if not settings:
        raise ValueError("settings is empty: give at least one name -> false_match_rate")
    sizes = np.atleast_1d(checks.count(watchlist_sizes, "watchlist_sizes"))
    rows = []
    for name, false_match_rate in settings.items():
        for size in sizes:
            fpir = fpir_from_false_match_rate(false_match_rate, size, scaling=scaling)
            expected = expected_alerts(faces_seen, prevalence, tpir, fpir).iloc[0]
            simulated = simulate_deployments(
                rng,
                faces_seen=faces_seen,
                prevalence=prevalence,
                watchlist_size=size,
                false_match_rate=false_match_rate,
                tpir=tpir,
                n_deployments=n_deployments,
                scaling=scaling,
            )["false_alerts"]
            per_face = (1 - prevalence) * fpir
            rows.append(
                {
                    "setting": name,
                    "watchlist_size": int(size),
                    "fpir": fpir,
                    "fpir_one_in": 1 / fpir if fpir > 0 else np.inf,
                    "expected_true_alerts": expected["true_alerts"],
                    "expected_false_alerts": expected["false_alerts"],
                    "precision": precision(prevalence, tpir, fpir),
                    "p_any_false_alert": -np.expm1(int(faces_seen) * np.log1p(-per_face)),
                    "simulated_p_any_false_alert": float((simulated > 0).mean()),
                    "simulated_false_alerts_5pc": float(simulated.quantile(0.05)),
                    "simulated_false_alerts_95pc": float(simulated.quantile(0.95)),
                }
            )
    return pd.DataFrame(rows)
