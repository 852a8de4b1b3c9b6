"""Base rates: what an alert means, from prevalence, FPIR and TPIR.

A face-recognition system that rarely errs *per face* can still be wrong on a large share
of its *alerts*: the two rates have different denominators, and which one is larger depends
on how many of the faces seen belong to people on the watchlist (the prevalence). This
module holds the small, exact formulas behind that point, used by the teaching notebook
(``06_teaching_base_rates``) and by :mod:`lfr_analysis.stats.simulate`.

Vocabulary (ISO/IEC 19795-1, NIST FRVT 1:N):

``prevalence``
    Share of the faces seen that belong to people on the watchlist. Nobody publishes it for
    a real deployment, so every value used in a comparison is an assumption.
``tpir``
    True-positive identification rate: probability that a watchlisted face raises a correct
    alert.
``fpir``
    False-positive identification rate: probability that a face *not* on the watchlist
    raises an alert against some watchlist entry. It grows with the watchlist size.
``false_match_rate``
    Per-comparison false-match rate (one face against one watchlist entry), so that
    ``fpir = 1 - (1 - false_match_rate) ** watchlist_size`` (about
    ``watchlist_size * false_match_rate`` when small: NPL's linear scaling).

Every function is vectorised (scalars, arrays or pandas objects) and raises
:class:`ValueError` naming the argument and the first offending value for bad input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import poisson_ci, rate_ci

__all__ = [
    "DEFAULT_SCALING",
    "SCALINGS",
    "expected_alerts",
    "false_alert_share",
    "false_match_rate_from_fpir",
    "fpir_from_false_match_rate",
    "implied_prevalence",
    "natural_frequencies",
    "per_face_vs_per_alert",
    "pooled_false_match_rate",
    "precision",
    "prevalence_for_precision",
    "scale_fpir",
]

#: How an FPIR scales with watchlist size: ``"linear"`` (NPL's statement, ``W * fmr``) or
#: ``"exact"`` (``1 - (1 - fmr) ** W``); the two differ by under 0.02% for watchlists up to
#: 30,000 at the rates seen here.
SCALINGS = ("linear", "exact")

#: The one default of every ``scaling`` argument in the package.
DEFAULT_SCALING = "linear"


def _check_scaling(scaling: str) -> None:
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}; got {scaling!r}")


def _scalar_or_array(array: np.ndarray):
    return float(array) if np.ndim(array) == 0 else array


# ---------------------------------------------------------------- watchlist scaling


def fpir_from_false_match_rate(false_match_rate, watchlist_size, *, scaling: str = DEFAULT_SCALING):
    """FPIR of a watchlist of ``watchlist_size`` entries from the per-comparison false-match rate.

    Parameters
    ----------
    false_match_rate : float or array-like
        Probability that one face falsely matches one watchlist entry.
    watchlist_size : int or array-like
        Number of entries on the watchlist.
    scaling : {"linear", "exact"}
        ``"exact"``: ``1 - (1 - fmr) ** W`` (independent comparisons);
        ``"linear"``: ``W * fmr``, NPL's proportional scaling (valid while small).

    Returns
    -------
    float or numpy.ndarray
        FPIR per face not on the watchlist.

    Raises
    ------
    ValueError
        On invalid input, or when linear scaling would give a probability above 1.
    """
    _check_scaling(scaling)
    fmr = checks.probability(false_match_rate, "false_match_rate")
    size = checks.count(watchlist_size, "watchlist_size")
    if scaling == "linear":
        fpir = size * fmr
        checks.refuse_where("fpir", fpir, fpir > 1, "at most 1 under linear scaling (use 'exact')")
    else:
        with np.errstate(divide="ignore"):
            fpir = -np.expm1(size * np.log1p(-fmr))
    return _scalar_or_array(fpir)


def false_match_rate_from_fpir(fpir, watchlist_size, *, scaling: str = DEFAULT_SCALING):
    """Per-comparison false-match rate implied by an FPIR at a given watchlist size.

    Parameters
    ----------
    fpir : float or array-like
        FPIR per face not on the watchlist.
    watchlist_size : int or array-like
        Watchlist size at which ``fpir`` holds (at least 1).
    scaling : {"linear", "exact"}
        Inverse of :func:`fpir_from_false_match_rate` under the same scaling.

    Returns
    -------
    float or numpy.ndarray
    """
    _check_scaling(scaling)
    rate = checks.probability(fpir, "fpir")
    size = checks.count(watchlist_size, "watchlist_size", minimum=1)
    if scaling == "linear":
        fmr = rate / size
    else:
        with np.errstate(divide="ignore"):
            fmr = -np.expm1(np.log1p(-rate) / size)
    return _scalar_or_array(fmr)


def scale_fpir(fpir, from_watchlist_size, to_watchlist_size, *, scaling: str = DEFAULT_SCALING):
    """Carry an FPIR measured at one watchlist size over to another.

    Parameters
    ----------
    fpir : float or array-like
        FPIR at ``from_watchlist_size``.
    from_watchlist_size, to_watchlist_size : int or array-like
        Watchlist sizes (the first at least 1).
    scaling : {"linear", "exact"}
        ``"linear"`` (default) is NPL's proportional scaling: ``fpir * to / from``.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    NPL 2023 at threshold 0.60: 1 in 6,000 with 10,000 entries is 1 in 60,000 with 1,000.

    >>> round(1 / scale_fpir(1 / 6000, 10_000, 1_000))
    60000
    """
    fmr = false_match_rate_from_fpir(fpir, from_watchlist_size, scaling=scaling)
    return fpir_from_false_match_rate(fmr, to_watchlist_size, scaling=scaling)


# ---------------------------------------------------------------------- Bayes' rule


def _alert_parts(prevalence, tpir, fpir) -> tuple[np.ndarray, np.ndarray]:
    pi = checks.probability(prevalence, "prevalence")
    true_part = pi * checks.probability(tpir, "tpir")
    false_part = (1 - pi) * checks.probability(fpir, "fpir")
    true_part, false_part = np.broadcast_arrays(true_part, false_part)
    checks.refuse_where(
        "prevalence * tpir + (1 - prevalence) * fpir",
        true_part + false_part,
        (true_part + false_part) == 0,
        "above 0 (with no alerts expected, the share of alerts that are true is undefined)",
    )
    return true_part, false_part


def precision(prevalence, tpir, fpir):
    """Share of alerts that are true (positive predictive value), by Bayes' rule.

    ``precision = p * tpir / (p * tpir + (1 - p) * fpir)`` with ``p`` the prevalence.

    Parameters
    ----------
    prevalence : float or array-like
        Share of faces seen that belong to watchlisted people.
    tpir : float or array-like
        True-positive identification rate.
    fpir : float or array-like
        False-positive identification rate per face not on the watchlist.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        On a value outside [0, 1], or when no alert at all is expected (undefined).

    Examples
    --------
    >>> round(precision(1e-4, 0.89, 1 / 6000), 3)
    0.348
    """
    true_part, false_part = _alert_parts(prevalence, tpir, fpir)
    return _scalar_or_array(true_part / (true_part + false_part))


def false_alert_share(prevalence, tpir, fpir):
    """Share of alerts that are false (``1 - precision``), computed without cancellation.

    Parameters are as for :func:`precision`.

    Returns
    -------
    float or numpy.ndarray
    """
    true_part, false_part = _alert_parts(prevalence, tpir, fpir)
    return _scalar_or_array(false_part / (true_part + false_part))


def prevalence_for_precision(precision_value, tpir, fpir):
    """The prevalence at which alerts would have the given precision (Bayes' rule inverted).

    Solving ``q = p t / (p t + (1 - p) f)`` for ``p`` gives
    ``p = q f / (t (1 - q) + q f)``: the base rate that reconciles a per-alert figure with a
    per-face error rate.

    Parameters
    ----------
    precision_value : float or array-like
        Share of alerts that are true, in [0, 1).
    tpir, fpir : float or array-like
        As for :func:`precision`; not both 0.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> p = prevalence_for_precision(0.5, 0.9, 1e-4)
    >>> round(precision(p, 0.9, 1e-4), 12)
    0.5
    """
    share = checks.probability(precision_value, "precision_value")
    checks.refuse_where("precision_value", share, share == 1, "below 1 (precision 1 needs fpir 0)")
    hit = checks.probability(tpir, "tpir")
    false_rate = checks.probability(fpir, "fpir")
    denominator = hit * (1 - share) + share * false_rate
    checks.refuse_where(
        "tpir * (1 - precision) + precision * fpir", denominator, denominator == 0, "above 0"
    )
    return _scalar_or_array(share * false_rate / denominator)


def expected_alerts(faces_seen, prevalence, tpir, fpir) -> pd.DataFrame:
    """Expected watchlisted faces, true, false and all alerts for deployments.

    Parameters
    ----------
    faces_seen : int or array-like
        Faces seen in each deployment.
    prevalence, tpir, fpir : float or array-like
        As for :func:`precision`; broadcast against ``faces_seen``.

    Returns
    -------
    pandas.DataFrame
        One row per deployment: ``faces_seen``, ``watchlisted_faces``, ``true_alerts``,
        ``false_alerts``, ``alerts`` (expected values, not rounded).
    """
    faces = checks.count(faces_seen, "faces_seen")
    pi = checks.probability(prevalence, "prevalence")
    hit = checks.probability(tpir, "tpir")
    false_rate = checks.probability(fpir, "fpir")
    faces, pi, hit, false_rate = np.broadcast_arrays(faces, pi, hit, false_rate)
    watchlisted = faces * pi
    true_alerts = watchlisted * hit
    false_alerts = (faces - watchlisted) * false_rate
    return pd.DataFrame(
        {
            "faces_seen": np.atleast_1d(faces),
            "watchlisted_faces": np.atleast_1d(watchlisted),
            "true_alerts": np.atleast_1d(true_alerts),
            "false_alerts": np.atleast_1d(false_alerts),
            "alerts": np.atleast_1d(true_alerts + false_alerts),
        }
    )


def natural_frequencies(faces_seen: int = 1_000_000, *, prevalence, tpir, fpir) -> pd.DataFrame:
    """Expected counts in the four cells of the alert tree, per ``faces_seen`` faces.

    Natural frequencies (Gigerenzer & Hoffrage 1995) are the clearest way to show Bayes'
    rule to a class: out of a million faces, how many are on the watchlist, how many of
    those raise an alert, and how many of the rest raise one anyway.

    Parameters
    ----------
    faces_seen : int, optional
        Size of the imagined crowd (default 1,000,000).
    prevalence, tpir, fpir : float
        Scalars, as for :func:`precision`.

    Returns
    -------
    pandas.DataFrame
        Four rows (``on_watchlist``, ``alert``, ``outcome``, ``expected_faces``).
    """
    values = {"prevalence": prevalence, "tpir": tpir, "fpir": fpir}
    for name, value in values.items():
        if np.ndim(checks.probability(value, name)) != 0:
            raise ValueError(f"{name} must be a single number here; got {value!r}")
    faces = float(checks.count(faces_seen, "faces_seen"))
    watchlisted = faces * float(prevalence)
    others = faces - watchlisted
    return pd.DataFrame(
        {
            "on_watchlist": [True, True, False, False],
            "alert": [True, False, True, False],
            "outcome": ["true alert", "missed", "false alert", "correctly ignored"],
            "expected_faces": [
                watchlisted * tpir,
                watchlisted * (1 - tpir),
                others * fpir,
                others * (1 - fpir),
            ],
        }
    )


# ------------------------------------------------------------ rates from a record


def per_face_vs_per_alert(faces_seen, alerts, false_alerts, *, conf: float = 0.95):
    """The two false-alert rates of the same record, each with a Clopper-Pearson interval.

    Parameters
    ----------
    faces_seen, alerts, false_alerts : int
        Totals over the deployments studied (``false_alerts <= alerts <= faces_seen``).
    conf : float, optional
        Confidence level of the two-sided intervals (default 0.95).

    Returns
    -------
    pandas.DataFrame
        Two rows, ``per face seen`` and ``per alert``, with ``false_alerts``,
        ``denominator``, ``estimate``, ``lower``, ``upper``, ``one_in`` (``1 / estimate``),
        ``method`` and ``conf``.
    """
    faces = int(checks.count(faces_seen, "faces_seen", minimum=1))
    n_alerts = int(checks.count(alerts, "alerts", minimum=1))
    n_false = int(checks.count(false_alerts, "false_alerts"))
    conf = checks.conf_level(conf)
    if n_false > n_alerts:
        raise ValueError(f"false_alerts ({n_false}) is larger than alerts ({n_alerts})")
    if n_alerts > faces:
        raise ValueError(f"alerts ({n_alerts}) is larger than faces_seen ({faces})")
    denominators = np.array([faces, n_alerts])
    limits = rate_ci(n_false, denominators, conf=conf)
    lower, upper = limits["lower"].to_numpy(), limits["upper"].to_numpy()
    estimate = n_false / denominators
    with np.errstate(divide="ignore"):
        one_in = 1 / estimate
    return pd.DataFrame(
        {
            "false_alerts": n_false,
            "denominator": denominators,
            "estimate": estimate,
            "lower": lower,
            "upper": upper,
            "one_in": one_in,
            "method": limits["method"].to_numpy(),
            "conf": conf,
        },
        index=pd.Index(["per face seen", "per alert"], name="rate"),
    )


def implied_prevalence(true_alerts, faces_seen, tpir, *, conf: float = 0.95) -> pd.Series:
    """Prevalence of watchlisted faces implied by the true alerts, if TPIR were ``tpir``.

    ``true_alerts / faces_seen`` estimates ``prevalence * tpir``; dividing by an assumed TPIR
    gives the prevalence. The interval is the Clopper-Pearson interval of the per-face
    true-alert rate divided by ``tpir`` (``tpir`` itself is taken as exact).

    Parameters
    ----------
    true_alerts, faces_seen : int
        Totals over the deployments studied.
    tpir : float
        Assumed true-positive identification rate (above 0).
    conf : float, optional
        Confidence level (default 0.95).

    Returns
    -------
    pandas.Series
        ``estimate``, ``lower``, ``upper``, ``tpir``, ``method``, ``conf``.
    """
    hits = int(checks.count(true_alerts, "true_alerts"))
    faces = int(checks.count(faces_seen, "faces_seen", minimum=1))
    rate = float(checks.probability(tpir, "tpir"))
    if rate == 0:
        raise ValueError("tpir must be above 0 to imply a prevalence")
    if hits > faces:
        raise ValueError(f"true_alerts ({hits}) is larger than faces_seen ({faces})")
    conf = checks.conf_level(conf)
    limits = rate_ci(hits, faces, conf=conf).iloc[0]
    lower, upper = float(limits["lower"]), float(limits["upper"])
    return pd.Series(
        {
            "estimate": min(hits / faces / rate, 1.0),
            "lower": min(lower / rate, 1.0),
            "upper": min(upper / rate, 1.0),
            "tpir": rate,
            "method": "Clopper-Pearson / tpir",
            "conf": conf,
        }
    )


def pooled_false_match_rate(
    false_alerts, faces_seen, watchlist_size, *, conf: float = 0.95
) -> pd.Series:
    """Per-comparison false-match rate pooled over deployments, with an exact interval.

    Each deployment contributes ``faces_seen * watchlist_size`` face-to-entry comparisons;
    under linear scaling the false alerts are Poisson with mean
    ``false_match_rate * sum(faces_seen * watchlist_size)``. The interval is the exact
    (Garwood) Poisson interval (:func:`lfr_analysis.stats.intervals.poisson_ci`). Faces of
    watchlisted people are counted as comparisons too, which is negligible while true alerts
    are a tiny share of the faces seen.

    Parameters
    ----------
    false_alerts, faces_seen, watchlist_size : array-like
        One value per deployment, all known (filter missing rows first, and say so).
    conf : float, optional
        Confidence level (default 0.95).

    Returns
    -------
    pandas.Series
        ``false_alerts``, ``comparisons``, ``estimate``, ``lower``, ``upper``, ``method``,
        ``conf``.
    """
    false_counts = checks.count(false_alerts, "false_alerts")
    faces = checks.count(faces_seen, "faces_seen")
    sizes = checks.count(watchlist_size, "watchlist_size")
    if not (false_counts.shape == faces.shape == sizes.shape):
        raise ValueError(
            "false_alerts, faces_seen and watchlist_size must have the same length; got "
            f"{false_counts.size}, {faces.size} and {sizes.size}"
        )
    conf = checks.conf_level(conf)
    count = int(false_counts.sum())
    comparisons = float(np.sum(faces.astype(float) * sizes))
    if comparisons <= 0:
        raise ValueError("faces_seen * watchlist_size sums to 0: no comparisons to pool")
    limits = poisson_ci(count, comparisons, conf=conf).iloc[0]
    lower, upper = limits["lower"], limits["upper"]
    return pd.Series(
        {
            "false_alerts": count,
            "comparisons": comparisons,
            "estimate": count / comparisons,
            "lower": float(lower),
            "upper": float(upper),
            "method": "exact Poisson (Garwood)",
            "conf": conf,
        }
    )
