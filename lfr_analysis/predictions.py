"""Deployments compared with what independent studies predicted.

The central reference is the National Physical Laboratory's 2023 equitability study of NEC
NeoFace V4 (NPL 2023). At face-match threshold 0.60 it gives a false positive
identification rate (FPIR) of 1 in 6,000 people passing the camera with a 10,000-image
watchlist (1 in 60,000 with 1,000 images: the rate scales with watchlist size); in its
tests it saw 7 false positives at 0.60, one at 0.62 and none at 0.64. The figures, each
with its source, are in ``data/study_predictions.csv``
(:mod:`lfr_analysis.datasets.study_predictions`).

:mod:`lfr_analysis.references` turns those figures into named :class:`Reference` objects
(:func:`lfr_analysis.references.load_references`); this module compares deployments with
them:

* :func:`expected_false_alerts` scales the reference rate to each deployment's watchlist
  size (``"linear"``: FPIR x W / W_ref, or ``"exact"``: 1 - (1 - FMR)^W) and multiplies
  by the faces seen;
* :func:`observed_vs_expected` gives observed O, expected E, O/E with the exact Garwood
  interval and exact Poisson p-values; when the study's own event count is known, the
  exact conditional test and ratio interval that count the study's uncertainty too
  (Silcocks 1994); when the study saw no events, only an upper bound and one-sided tests;
* :func:`overdispersed_ratio` widens the pooled O/E interval for variation between
  deployments (quasi-Poisson and negative binomial sensitivity fits);
* :mod:`lfr_analysis.funnels` shows deployments against exact Poisson limits (funnel
  plots and the cumulative O/E over time).

Each comparison checks its inputs once, through :func:`prepare`, and names the counts as
``deployments.csv`` does (``faces_seen``, ``false_alerts``, ``watchlist_size``,
``threshold``). Comparing deployments run at a threshold other than the reference's raises
:class:`ValueError` unless ``allow_threshold_mismatch=True``: a prediction at 0.60 says
nothing direct about deployments at 0.64.

Per-alert precision (Essex 2019, South Wales 2017-18) and shares of false alerts by group
are compared in :mod:`lfr_analysis.precision`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from lfr_analysis.rates import TIERS, tier_indicators
from lfr_analysis.references import Reference
from lfr_analysis.stats import checks
from lfr_analysis.stats.baserates import DEFAULT_SCALING, SCALINGS, scale_fpir
from lfr_analysis.stats.comparisons import fixed_prediction_tests, poisson_test, study_tests
from lfr_analysis.stats.heterogeneity import overdispersion_fits

__all__ = [
    "NEEDED",
    "OVE_COLUMNS",
    "OVE_SUMMARY",
    "OVE_SUMMARY_ZERO",
    "P_VALUE_RULES",
    "Reference",
    "TIPPING_VARIES",
    "expected_false_alerts",
    "fill_missing",
    "observed_vs_expected",
    "overdispersed_ratio",
    "prepare",
    "tipping_point",
]


# ------------------------------------------------------------------------ expected counts

#: The columns every comparison reads, named as in ``deployments.csv``.
NEEDED = ("faces_seen", "false_alerts", "watchlist_size")


def _reference_rate(reference: Reference, conf: float) -> tuple[float, str]:
    """Return the rate used for expected counts and what it is."""
    if reference.fpir is not None:
        return reference.fpir, "point estimate"
    return reference.upper_bound(conf), f"one-sided {conf:.0%} upper bound"


def _check_reference(reference) -> Reference:
    if not isinstance(reference, Reference):
        raise TypeError(f"reference must be a Reference, got {type(reference).__name__}")
    return reference


def expected_false_alerts(
    deployments: pd.DataFrame,
    reference: Reference,
    scaling: str = DEFAULT_SCALING,
    *,
    conf: float = 0.95,
) -> pd.Series:
    """Return the false alerts each deployment would have under ``reference``.

    E_i = faces_seen_i x FPIR(watchlist_size_i), with FPIR scaled from the reference
    watchlist size to the deployment's by :func:`lfr_analysis.stats.baserates.scale_fpir`
    (``"linear"``: FPIR x W / W_ref; ``"exact"``: 1 - (1 - FMR)^W). For a zero-event
    reference the rate is its one-sided upper bound, so E_i is an upper bound too.

    Parameters
    ----------
    deployments : pandas.DataFrame
        Needs ``faces_seen`` and ``watchlist_size``.
    reference : Reference
    scaling : {"linear", "exact"}
    conf : float
        Level of the upper bound of a zero-event reference.

    Returns
    -------
    pandas.Series
        Expected false alerts, same index as ``deployments``; missing where faces or
        watchlist size are missing.
    """
    checks.frame(deployments, ["faces_seen", "watchlist_size"])
    _check_reference(reference)
    checks.choice(scaling, SCALINGS, "scaling")
    conf = checks.conf_level(conf)
    n = checks.count_column(deployments, "faces_seen")
    w = checks.count_column(deployments, "watchlist_size")
    _refuse_empty_watchlists(deployments, w)
    rate, _ = _reference_rate(reference, conf)
    per_face = np.full(len(w), np.nan)
    known = ~np.isnan(w)
    if known.any():
        per_face[known] = scale_fpir(rate, reference.watchlist_size, w[known], scaling=scaling)
    return pd.Series(n * per_face, index=deployments.index, name="expected_false_alerts")


def _refuse_empty_watchlists(deployments: pd.DataFrame, sizes: np.ndarray) -> None:
    empty = sizes == 0
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        raise ValueError(
            f"column 'watchlist_size', {checks.row_label(deployments, i)}: value 0; a "
            "deployment with an empty watchlist cannot alert, so it has no expected count"
        )


# ------------------------------------------------------------------ observed vs expected


def _check_threshold(deployments, reference, allow):
    if allow:
        return
    checks.frame(deployments, ["threshold"])
    thresholds = pd.to_numeric(deployments["threshold"]).astype("float64")
    unknown = thresholds.isna()
    other = ~unknown & ~np.isclose(thresholds.fillna(-1), reference.threshold, atol=1e-9)
    if not (unknown.any() or other.any()):
        return
    parts = []
    if other.any():
        counts = thresholds[other].value_counts().sort_index()
        found = ", ".join(f"{t:g} ({n} rows)" for t, n in counts.items())
        parts.append(f"threshold(s) {found}")
    if unknown.any():
        parts.append(f"unknown threshold ({int(unknown.sum())} rows)")
    raise ValueError(
        f"reference {reference.name!r} is at threshold {reference.threshold:.2f}, but the "
        f"deployments include {' and '.join(parts)}, e.g. {_ids(deployments, other | unknown)}. "
        f"Select deployments run at {reference.threshold:.2f}, or pass "
        "allow_threshold_mismatch=True for an explicitly counterfactual comparison."
    )


def _ids(deployments: pd.DataFrame, mask) -> list:
    rows = deployments.loc[np.asarray(mask, dtype=bool)]
    if "deployment_id" in rows.columns:
        return list(rows["deployment_id"].astype(str)[:5])
    return list(rows.index[:5])


def prepare(
    deployments,
    reference,
    *,
    scaling: str = DEFAULT_SCALING,
    conf: float = 0.95,
    allow_threshold_mismatch: bool = False,
    missing: str = "exclude",
) -> pd.DataFrame:
    """Check a comparison's inputs once and give each deployment its O and E.

    The one entry check behind :func:`observed_vs_expected`, :func:`overdispersed_ratio`
    and :mod:`lfr_analysis.funnels`.

    Returns
    -------
    pandas.DataFrame
        ``deployments`` with ``_used`` (all of :data:`NEEDED` known), ``_observed``,
        ``_expected`` and ``_faces`` (0 where not used).

    Raises
    ------
    ValueError
        On a threshold mismatch (unless allowed), rows lacking a needed value when
        ``missing="raise"``, no usable row, bad counts (naming row and ``deployment_id``),
        more false alerts than faces seen, an empty watchlist.
    TypeError
        For a ``reference`` that is not a :class:`Reference`.
    """
    checks.frame(deployments, NEEDED)
    _check_reference(reference)
    checks.choice(scaling, SCALINGS, "scaling")
    conf = checks.conf_level(conf)
    missing = checks.missing_policy(missing)
    if not isinstance(allow_threshold_mismatch, bool):
        raise TypeError(
            f"allow_threshold_mismatch must be True or False, not {allow_threshold_mismatch!r}"
        )
    _check_threshold(deployments, reference, allow_threshold_mismatch)
    counts = {column: checks.count_column(deployments, column) for column in NEEDED}
    used = ~np.any([np.isnan(values) for values in counts.values()], axis=0)
    if missing == "raise" and not used.all():
        gaps = {c: int(np.isnan(v).sum()) for c, v in counts.items() if np.isnan(v).any()}
        raise ValueError(
            f"{int((~used).sum())} deployment(s) lack a value needed for the comparison "
            f"(missing per column: {gaps}), e.g. {_ids(deployments, ~used)}. Use "
            "missing='exclude' to leave them out (the result counts them in n_excluded), or "
            "fill them explicitly with fill_missing()."
        )
    if not used.any():
        raise ValueError("no deployments left to compare: every row lacks a needed value")
    _refuse_empty_watchlists(deployments, counts["watchlist_size"])
    observed, faces = counts["false_alerts"], counts["faces_seen"]
    too_many = used & (observed > faces)
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        raise ValueError(
            f"{checks.row_label(deployments, i)}: false_alerts ({observed[i]:.0f}) exceed "
            f"faces_seen ({faces[i]:.0f})"
        )
    expected = expected_false_alerts(deployments, reference, scaling, conf=conf)
    return deployments.assign(
        _used=used,
        _observed=np.where(used, observed, 0).astype("int64"),
        _expected=np.where(used, expected.to_numpy(dtype=float, na_value=np.nan), 0.0),
        _faces=np.where(used, faces, 0.0),
    )


#: The rule behind each p-value column of :func:`observed_vs_expected`
#: (:data:`lfr_analysis.stats.comparisons.RULES` explains the two-sided rules).
P_VALUE_RULES = {
    "p_two_sided": "exact Poisson, central rule: twice the smaller tail (statsmodels' "
    "test_poisson exact-c); below 1 - conf exactly when the Garwood interval excludes 1",
    "p_two_sided_minlike": "exact Poisson, R's poisson.test rule: outcomes no more likely "
    "than the observed one",
    "p_more": "exact Poisson, one-sided: P(X >= observed)",
    "p_fewer": "exact Poisson, one-sided: P(X <= observed)",
    "p_midp_two_sided": "exact Poisson mid-p, central rule (statsmodels' midp-c)",
    "p_cond_two_sided": "exact conditional (binomial) test counting the study's events, R's "
    "rule (poisson.test(c(O, c), c(faces_scaled, exposure)), binom.test)",
    "p_cond_more": "exact conditional test, one-sided: more false alerts than the study's rate",
    "p_cond_fewer": "exact conditional test, one-sided: fewer false alerts than the study's rate",
    "p_more_than_upper": "exact Poisson, one-sided, against the expected count at the study's "
    "upper bound",
}


OVE_COLUMNS = [
    "n_deployments", "n_excluded", "n_primary", "n_secondary", "faces_seen", "faces_scaled",
    "observed", "expected", "ratio", "ratio_lower", "ratio_upper", "p_two_sided",
    "p_two_sided_minlike", "p_more", "p_fewer", "p_midp_two_sided", "ref_events", "ref_exposure",
    "p_cond_two_sided", "p_cond_more", "p_cond_fewer", "ratio_lower_cond", "ratio_upper_cond",
    "ref_upper_rate", "expected_upper", "p_more_than_upper", "reference", "reference_threshold",
    "reference_watchlist_size", "scaling", "conf", "note",
]  # fmt: skip

#: The columns :func:`observed_vs_expected` returns by default (``full=False``): against a
#: reference with events, and against a zero-event reference (an upper bound only).
OVE_SUMMARY = [
    "n_deployments", "n_excluded", "n_primary", "n_secondary", "faces_seen", "observed",
    "expected", "ratio", "ratio_lower", "ratio_upper", "p_more", "p_fewer", "ratio_lower_cond",
    "ratio_upper_cond", "p_cond_two_sided", "reference",
]  # fmt: skip
OVE_SUMMARY_ZERO = [
    "n_deployments", "n_excluded", "n_primary", "n_secondary", "faces_seen", "faces_scaled",
    "observed", "ref_upper_rate", "expected_upper", "p_more_than_upper", "p_cond_more",
    "reference",
]  # fmt: skip


def _group_keys(by) -> list[str]:
    if by is None:
        return []
    if not isinstance(by, str | list | tuple):
        raise TypeError(f"by must be a column name or a list of column names, not {by!r}")
    keys = [by] if isinstance(by, str) else list(by)
    if not keys or not all(isinstance(k, str) for k in keys):
        raise TypeError(f"by must be a column name or a list of column names, not {by!r}")
    return keys


def observed_vs_expected(
    deployments: pd.DataFrame,
    reference: Reference,
    by: str | list[str] | None = None,
    *,
    scaling: str = DEFAULT_SCALING,
    conf: float = 0.95,
    allow_threshold_mismatch: bool = False,
    missing: str = "exclude",
    full: bool = False,
) -> pd.DataFrame:
    """Compare observed false alerts with a reference's prediction, pooled within groups.

    Within each group O = sum of false alerts and E = sum of E_i
    (:func:`expected_false_alerts`); groups are pooled, never averaged. Every group is
    computed at once (vectorised), so ten thousand groups take a fraction of a second.

    * Fixed prediction: O/E with the exact Garwood interval, exact Poisson p-values
      ``p_two_sided`` (central rule: twice the smaller tail), ``p_two_sided_minlike`` (R's
      ``poisson.test`` rule), ``p_more`` = P(X >= O), ``p_fewer`` = P(X <= O), and a mid-p
      two-sided p-value. :data:`P_VALUE_RULES` says which rule each column follows.
    * The study's own uncertainty (reference with events > 0): the exact conditional test
      of equal rates with the deployments' faces scaled to the reference watchlist
      (``faces_scaled`` = E / rate) against the study's events and exposure, and the ratio
      interval from the Clopper-Pearson interval of O / (O + c_ref) (Silcocks 1994): the
      numbers of R's ``poisson.test(c(O, c_ref), c(faces_scaled, exposure))``.
    * Zero-event reference: no ratio and no two-sided test. ``ref_upper_rate`` is the
      one-sided upper bound, ``expected_upper`` the expected count at it,
      ``p_more_than_upper`` = P(X >= O | expected_upper), and ``p_cond_more`` the exact
      conditional one-sided test.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with ``faces_seen``, ``false_alerts``, ``watchlist_size``
        and ``threshold`` (and ``source_type``, counted in ``n_primary``/``n_secondary``).
    reference : Reference
    by : str or list of str, optional
        Grouping columns (e.g. ``"year"``, ``"deployment_id"``); None pools everything.
    scaling : {"linear", "exact"}
    conf : float
        Confidence level; also the one-sided level of a zero-event bound.
    allow_threshold_mismatch : bool
        Compare deployments whose threshold differs from (or is unknown vs) the reference's.
    missing : {"exclude", "raise"}
        Deployments lacking faces, false alerts or watchlist size: left out and counted in
        ``n_excluded`` of their group (default), or refused.
    full : bool
        Return every column of :data:`OVE_COLUMNS` (the full working) instead of the
        reader's view (:data:`OVE_SUMMARY`, or :data:`OVE_SUMMARY_ZERO` for a zero-event
        reference).

    Returns
    -------
    pandas.DataFrame
        One row per group (the group columns first). A group whose rows all lack a value
        has ``n_deployments`` 0 and no statistics.

    Raises
    ------
    ValueError
        On a threshold mismatch (unless allowed), missing values (with ``missing="raise"``),
        bad arguments or missing columns.
    """
    keys = _group_keys(by)
    checks.frame(deployments, keys)
    if not isinstance(full, bool):
        raise TypeError(f"full must be True or False, not {full!r}")
    frame = prepare(
        deployments,
        reference,
        scaling=scaling,
        conf=conf,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
    )
    conf = checks.conf_level(conf)
    rate, _ = _reference_rate(reference, conf)
    table = _group_sums(frame, keys)
    observed = table["observed"].to_numpy(dtype=np.int64)
    expected = table["_expected"].to_numpy(dtype=float)
    table["faces_scaled"] = expected / rate
    table["ref_events"], table["ref_exposure"] = reference.events, reference.exposure
    stats_ = (
        _zero_reference_tests(observed, expected)
        if reference.zero_events
        else {"expected": expected, **fixed_prediction_tests(observed, expected, conf)}
    )
    if reference.events is not None:
        faces_scaled = expected / rate
        stats_.update(
            study_tests(observed, faces_scaled, reference.events, reference.exposure, conf)
        )
    if reference.zero_events:
        stats_["ref_upper_rate"] = np.full(len(table), rate)
    for column, values in stats_.items():
        table[column] = values
    table["reference"] = reference.name
    table["reference_threshold"] = reference.threshold
    table["reference_watchlist_size"] = reference.watchlist_size
    table["scaling"], table["conf"] = scaling, conf
    table["note"] = _note(reference, allow_threshold_mismatch)
    table = table.reindex(columns=keys + OVE_COLUMNS)
    if full:
        return table
    view = OVE_SUMMARY_ZERO if reference.zero_events else OVE_SUMMARY
    return table[keys + view]


def _group_sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group: deployments used and excluded, tier counts, O, E and faces seen."""
    used = frame["_used"].to_numpy(dtype=bool)
    work = frame[keys].copy() if keys else pd.DataFrame(index=frame.index)
    work["n_deployments"] = used.astype(np.int64)
    work["n_excluded"] = (~used).astype(np.int64)
    tiers = tier_indicators(frame, used)
    if tiers is not None:
        work = pd.concat([work, tiers], axis=1)
    work["observed"] = frame["_observed"].to_numpy(dtype=np.int64)
    work["_expected"] = frame["_expected"].to_numpy(dtype=float)
    work["faces_seen"] = frame["_faces"].to_numpy(dtype=float)
    if keys:
        table = work.groupby(keys, sort=True, dropna=False, observed=True).sum().reset_index()
    else:
        table = work.sum().to_frame().T
        for column in ("n_deployments", "n_excluded", "observed"):
            table[column] = table[column].astype(np.int64)
    for tier in TIERS:
        column = f"n_{tier}"
        table[column] = (
            pd.array([pd.NA] * len(table), dtype="Int64")
            if tiers is None
            else table[column].astype("Int64")
        )
    return table


def _zero_reference_tests(observed, expected_upper) -> dict:
    """One-sided exact test against the upper bound of a zero-event reference."""
    p = np.full(len(observed), np.nan)
    some = expected_upper > 0
    if some.any():
        p[some] = poisson_test(observed[some], expected_upper[some], alternative="greater")
    return {"expected_upper": expected_upper, "p_more_than_upper": p}


def _note(reference: Reference, mismatch_allowed: bool) -> str:
    parts = []
    if reference.zero_events:
        parts.append("zero-event reference: upper bound and one-sided tests only")
    if reference.events is not None:
        parts.append(f"study exposure {reference.exposure_basis}")
    if mismatch_allowed:
        parts.append("threshold mismatch allowed: counterfactual comparison")
    return "; ".join(parts)


def overdispersed_ratio(
    deployments: pd.DataFrame,
    reference: Reference,
    *,
    scaling: str = DEFAULT_SCALING,
    conf: float = 0.95,
    allow_threshold_mismatch: bool = False,
    missing: str = "exclude",
) -> pd.Series:
    """Pooled O/E with intervals that allow for extra-Poisson variation between deployments.

    The exact intervals of :func:`observed_vs_expected` assume every deployment shares one
    O/E. When deployments differ (see :func:`lfr_analysis.rates.heterogeneity`), two
    sensitivity fits widen them, both with log(E_i) as offset and no other covariate:

    * quasi-Poisson (``GLM(..., family=Poisson(), offset=log E).fit(scale="X2")``): the same
      estimate O/E, standard error inflated by the Pearson dispersion ``phi``; a Wald
      interval on the log scale (``quasi_lower``, ``quasi_upper``);
    * negative binomial NB2, a gamma-Poisson mixture with its own estimate ``nb_ratio`` and
      dispersion ``nb_alpha``: the **profile-likelihood** interval ``nb_lower``,
      ``nb_upper`` (theta re-estimated at every ratio,
      :func:`lfr_analysis.stats.heterogeneity.negative_binomial_ratio`) and the
      likelihood-ratio p-value of O/E = 1, ``nb_lr_p``. The Wald interval of the same fit
      (statsmodels' ``NegativeBinomial``, standard error from the joint Hessian) is kept
      for comparison as ``nb_wald_lower``, ``nb_wald_upper``: with few events the
      log-likelihood is far from quadratic and the two differ (at threshold 0.60 the Wald
      interval stops below 1 where the profile interval reaches 1.06).

    The fixed prediction is treated as exact here; the study's own uncertainty is not added.

    Parameters
    ----------
    deployments, reference, scaling, conf, allow_threshold_mismatch, missing
        As :func:`observed_vs_expected`.

    Returns
    -------
    pandas.Series
        ``n_deployments``, ``n_excluded``, ``n_primary``, ``n_secondary``, ``observed``,
        ``expected``, ``ratio``, ``quasi_lower``, ``quasi_upper``, ``phi``, ``nb_ratio``,
        ``nb_lower``, ``nb_upper``, ``nb_lr_p``, ``nb_alpha``, ``nb_wald_lower``,
        ``nb_wald_upper``, ``nb_converged`` (the Wald fit's), ``conf``, ``method``.

    Raises
    ------
    ValueError
        As :func:`observed_vs_expected`; also when there are no false alerts, fewer than two
        deployments with a positive expected count, or a zero-event reference.
    """
    if isinstance(reference, Reference) and reference.zero_events:
        raise ValueError(f"{reference.name!r} has no events, so there is no O/E to model")
    frame = prepare(
        deployments,
        reference,
        scaling=scaling,
        conf=conf,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
    )
    conf = checks.conf_level(conf)
    excluded = int((~frame["_used"]).sum())
    frame = frame.loc[frame["_used"] & (frame["_expected"] > 0)]
    observed = frame["_observed"].to_numpy(dtype=float)
    expected = frame["_expected"].to_numpy(dtype=float)
    if len(frame) < 2:
        raise ValueError("need at least two deployments with a positive expected count")
    if observed.sum() == 0:
        raise ValueError("no false alerts: the dispersion cannot be estimated")
    fits = overdispersion_fits(observed.astype(np.int64), expected, conf)
    tiers = tier_indicators(frame, np.ones(len(frame), dtype=bool))
    counts = {
        f"n_{tier}": pd.NA if tiers is None else int(tiers[f"n_{tier}"].sum()) for tier in TIERS
    }
    head = {"n_deployments": len(frame), "n_excluded": excluded, **counts}
    head |= {"observed": int(observed.sum()), "expected": float(expected.sum())}
    return pd.Series(head | fits | {"conf": conf})


# ------------------------------------------------------------------------ tipping points

#: What :func:`tipping_point` can vary, in words.
TIPPING_VARIES = {
    "detections_per_person": "face detections per person passing (the Met's faces seen count "
    "detections; NPL's rates are per person passing)",
    "study_exposure": "passes behind the study's count, at the reference watchlist size",
}
_UNCERTAINTIES = ("study", "fixed")


def tipping_point(
    deployments: pd.DataFrame,
    reference: Reference,
    *,
    vary: str = "detections_per_person",
    uncertainty: str = "study",
    scaling: str = DEFAULT_SCALING,
    conf: float = 0.95,
    allow_threshold_mismatch: bool = False,
    missing: str = "exclude",
) -> pd.Series:
    """How far an assumption behind a verdict can move before the verdict changes.

    The pooled comparison of :func:`observed_vs_expected` rests on assumptions the record
    cannot check. This finds the value of one of them at which the verdict tips:

    ``vary="detections_per_person"``
        The Met's faces seen count face detections, NPL counts people passing: if each
        person is detected ``d`` times on average, the people passing are ``faces / d``, the
        expected false alerts ``E / d`` and every O/E limit ``d`` times larger. The tipping
        point is the ``d`` at which the interval's limit reaches 1.
    ``vary="study_exposure"``
        The passes behind the study's events were not published. For a zero-event
        reference (0.64) the upper bound, and for a derived rate (0.62,
        ``reference.rate_derived``) the rate itself, move with them; the tipping point is
        the exposure at which the verdict changes. A published rate (0.60) does not move
        with its exposure, so it is refused here (vary its events with
        :func:`lfr_analysis.references.with_study_size`).

    With events in the reference the verdict is "fewer" (upper limit below 1), "more"
    (lower limit above 1) or "neither"; every O/E limit is proportional to either quantity,
    so the limits reach 1 at ``current / upper`` and ``current / lower``
    (``upper_reaches_1_at``, ``lower_reaches_1_at``). The tipping point is the first of
    these that changes the verdict: ``current / upper`` for "fewer", ``current / lower``
    for "more" and, for "neither", ``current / lower`` (where it becomes "more" as the
    quantity grows). For a zero-event reference the verdict is one-sided ("more than the
    bound allows" or not) and the tipping point is where the one-sided p-value reaches
    ``1 - conf``, in closed form (with ``pi = S / (S + m)`` for faces scaled ``S`` and
    exposure ``m``: ``pi ** O = 1 - conf`` for the conditional test; the Gamma quantile
    of the expected count at the bound for the fixed one).

    Parameters
    ----------
    deployments, reference, scaling, conf, allow_threshold_mismatch, missing
        As :func:`observed_vs_expected` (pooled, no grouping: select the rows first).
    vary : {"detections_per_person", "study_exposure"}
        The assumption to move (:data:`TIPPING_VARIES`).
    uncertainty : {"study", "fixed"}
        ``"study"`` (default) counts the study's own events (conditional interval and
        test); ``"fixed"`` treats the prediction as exact (Garwood interval; the bound of a
        zero-event reference as a fixed expected count).

    Returns
    -------
    pandas.Series
        ``reference``, ``vary``, ``uncertainty``, ``verdict``, ``current`` (1 detection
        per person, or the reference's exposure), ``tipping_point``,
        ``upper_reaches_1_at``, ``lower_reaches_1_at`` (NaN for a zero-event reference),
        ``observed``, ``expected`` (at the bound for a zero-event reference), ``ratio``,
        ``lower``, ``upper``, ``p_value`` (two-sided; one-sided "more" for a zero-event
        reference), ``conf``, ``n_deployments``, ``n_primary``, ``n_secondary`` and
        ``statement``, a sentence naming the tipping point.

    Raises
    ------
    ValueError
        For an unknown ``vary`` or ``uncertainty``, ``vary="study_exposure"`` with a
        published rate, a reference without an event count, and everything
        :func:`observed_vs_expected` refuses.

    Examples
    --------
    >>> tp = tipping_point(at_060, refs["npl2023_t060"])  # doctest: +SKIP
    >>> round(tp["tipping_point"], 2)  # doctest: +SKIP
    1.45
    """
    checks.choice(vary, tuple(TIPPING_VARIES), "vary")
    checks.choice(uncertainty, _UNCERTAINTIES, "uncertainty")
    _check_reference(reference)
    if reference.events is None:
        raise ValueError(f"reference {reference.name!r} has no event count to rest a verdict on")
    if vary == "study_exposure" and not (reference.zero_events or reference.rate_derived):
        raise ValueError(
            f"vary='study_exposure': {reference.name!r} rests on a published rate, which does "
            "not move with its exposure; vary its events with references.with_study_size()"
        )
    row = observed_vs_expected(
        deployments,
        reference,
        scaling=scaling,
        conf=conf,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
        full=True,
    ).iloc[0]
    conf = checks.conf_level(conf)
    current = 1.0 if vary == "detections_per_person" else float(reference.exposure)
    out = {
        "reference": reference.name,
        "vary": vary,
        "uncertainty": uncertainty,
        "current": current,
        "observed": int(row["observed"]),
        "conf": conf,
        **{k: row[k] for k in ("n_deployments", "n_primary", "n_secondary")},
    }
    if reference.zero_events:
        out |= _zero_event_tipping(row, reference, vary, uncertainty, conf)
    else:
        study = uncertainty == "study"
        lower = float(row["ratio_lower_cond" if study else "ratio_lower"])
        upper = float(row["ratio_upper_cond" if study else "ratio_upper"])
        with np.errstate(divide="ignore"):
            to_upper, to_lower = current / upper, (current / lower if lower > 0 else np.inf)
        verdict = "fewer" if upper < 1 else "more" if lower > 1 else "neither"
        out |= {
            "verdict": f"{verdict} false alerts than predicted"
            if verdict != "neither"
            else "neither more nor fewer than predicted (the interval includes 1)",
            "tipping_point": to_upper if verdict == "fewer" else to_lower,
            "upper_reaches_1_at": to_upper,
            "lower_reaches_1_at": to_lower,
            "expected": float(row["expected"]),
            "ratio": float(row["ratio"]),
            "lower": lower,
            "upper": upper,
            "p_value": float(row["p_cond_two_sided" if study else "p_two_sided"]),
        }
        out["statement"] = _tipping_statement(out, reference, verdict)
    order = [
        "reference", "vary", "uncertainty", "verdict", "current", "tipping_point",
        "upper_reaches_1_at", "lower_reaches_1_at", "observed", "expected", "ratio", "lower",
        "upper", "p_value", "conf", "n_deployments", "n_primary", "n_secondary", "statement",
    ]  # fmt: skip
    return pd.Series(out).reindex(order)


def _zero_event_tipping(row, reference: Reference, vary: str, uncertainty: str, conf: float):
    """Verdict and tipping point against a zero-event reference (one-sided, closed form)."""
    observed, faces = int(row["observed"]), float(row["faces_scaled"])
    exposure, alpha = float(reference.exposure), 1 - conf
    if uncertainty == "study":
        p_value = float(row["p_cond_more"])
        if observed == 0:
            point = np.inf
        else:
            pi = alpha ** (1 / observed)  # P(all O of the O events in the deployments) = alpha
            odds = pi / (1 - pi)  # faces / exposure at the tipping point
            point = faces / (exposure * odds) if vary == "detections_per_person" else faces / odds
    else:
        p_value = float(row["p_more_than_upper"])
        bound = -np.expm1(np.log(alpha) / exposure)
        if observed == 0:
            point = np.inf
        else:
            mu = float(stats.gamma.ppf(alpha, observed))  # P(X >= O | mu) = alpha
            if vary == "detections_per_person":
                point = faces * bound / mu
            else:
                point = np.log(alpha) / np.log1p(-mu / faces)
    more = p_value < alpha
    out = {
        "verdict": ("more" if more else "not more")
        + " false alerts than the study's upper bound allows",
        "tipping_point": point,
        "upper_reaches_1_at": np.nan,
        "lower_reaches_1_at": np.nan,
        "expected": float(row["expected_upper"]),
        "ratio": np.nan,
        "lower": np.nan,
        "upper": np.nan,
        "p_value": p_value,
    }
    if vary == "detections_per_person":
        what = f"{point:,.1f} face detections per person passing, on average"
    else:
        what = (
            f"{point:,.0f} passes at a {reference.watchlist_size:,} watchlist without a false "
            f"positive (the assumed exposure is {exposure:,.0f})"
        )
    test = "exact conditional" if uncertainty == "study" else "exact Poisson, bound as fixed"
    head = f"{reference.name}'s upper bound allows (one-sided {test} p = {p_value:.2g})"
    if observed == 0:
        out["statement"] = f"No false alerts: nothing can exceed {reference.name}'s upper bound."
    elif more:
        out["statement"] = (
            f"More false alerts than {head}; this holds as long as there were at least {what}."  # noqa: E501
        )
    else:
        out["statement"] = (
            f"Not more false alerts than {head}; they would exceed it if there were more than {what}."  # noqa: E501
        )
    return out


def _tipping_statement(out: dict, reference: Reference, verdict: str) -> str:
    """The verdict in one sentence that names its tipping point."""
    basis = (
        "counting the study's own uncertainty"
        if out["uncertainty"] == "study"
        else ("as a fixed prediction")
    )
    head = (
        f"O/E {out['ratio']:.2f}, {out['conf']:.0%} interval {out['lower']:.2f} to "
        f"{out['upper']:.2f} {basis}"
    )
    point = out["tipping_point"]
    if out["vary"] == "detections_per_person":
        unit = f"{point:.2f} face detections per person passing, on average"
    else:
        unit = (
            f"{point:,.0f} passes at a {reference.watchlist_size:,} watchlist behind the "
            f"study's {reference.events} false positive(s) (the rate is derived from an "
            f"assumed {reference.exposure:,.0f})"
        )
    name = reference.name
    if verdict == "fewer":
        return f"Fewer false alerts than {name} predicts ({head}); this holds unless there were more than {unit}."  # noqa: E501
    if verdict == "more":
        return f"More false alerts than {name} predicts ({head}); this holds as long as there were at least {unit}."  # noqa: E501
    return f"Neither more nor fewer false alerts than {name} ({head}); significantly more if there were more than {unit}."  # noqa: E501


def fill_missing(deployments: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """Return a copy with blanks in ``column`` set to ``value`` and a ``<column>_filled`` flag.

    Use it to make an assumption explicit (e.g. a watchlist size for secondary rows that
    lack one) in a sensitivity analysis; the flag keeps filled rows identifiable.

    Parameters
    ----------
    deployments : pandas.DataFrame
    column : str
        Column to fill.
    value : scalar
        The assumed value (not missing).

    Returns
    -------
    pandas.DataFrame
        A copy; the input is not changed.
    """
    checks.frame(deployments, [column])
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("value must be given (not missing)")
    out = deployments.copy()
    blank = out[column].isna()
    out[f"{column}_filled"] = blank
    out.loc[blank, column] = value
    return out
