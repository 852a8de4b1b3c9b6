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
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.stats.rates import test_poisson, test_poisson_2indep

from lfr_analysis.references import Reference
from lfr_analysis.stats import checks
from lfr_analysis.stats.baserates import DEFAULT_SCALING, SCALINGS, scale_fpir
from lfr_analysis.stats.intervals import poisson_ci, ratio_ci

__all__ = [
    "NEEDED",
    "OVE_COLUMNS",
    "OVE_SUMMARY",
    "OVE_SUMMARY_ZERO",
    "Reference",
    "expected_false_alerts",
    "fill_missing",
    "observed_vs_expected",
    "overdispersed_ratio",
    "prepare",
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


def _poisson_tests(observed: int, expected: float, conf: float) -> dict:
    """Fixed-prediction comparison: Garwood ratio interval and exact Poisson tests."""
    if not expected > 0:
        return {}
    limits = poisson_ci(observed, expected, conf=conf).iloc[0]
    return {
        "ratio": observed / expected,
        "ratio_lower": float(limits["lower"]),
        "ratio_upper": float(limits["upper"]),
        "p_two_sided": min(1.0, float(test_poisson(observed, expected, 1, "exact-c").pvalue)),
        "p_more": float(stats.poisson.sf(observed - 1, expected)),
        "p_fewer": float(stats.poisson.cdf(observed, expected)),
        "p_midp_two_sided": min(
            1.0, float(test_poisson(observed, expected, 1, method="midp-c").pvalue)
        ),
    }


def _conditional_tests(observed, faces_scaled, reference, conf) -> dict:
    """Exact conditional comparison that counts the study's own Poisson uncertainty."""
    c_ref, m_ref = reference.events, reference.exposure

    def p_value(alternative):
        with np.errstate(divide="ignore", invalid="ignore"):
            result = test_poisson_2indep(
                observed, faces_scaled, c_ref, m_ref, method="exact-cond", alternative=alternative
            )
        return min(1.0, float(result.pvalue))

    out = {"p_cond_more": p_value("larger")}
    if reference.zero_events:
        return out
    out["p_cond_two_sided"] = p_value("two-sided")
    out["p_cond_fewer"] = p_value("smaller")
    out["ratio_lower_cond"], out["ratio_upper_cond"] = ratio_ci(
        observed, faces_scaled, c_ref, m_ref, conf=conf
    )
    return out


def _zero_reference_tests(observed, expected_upper) -> dict:
    """One-sided exact test against the upper bound of a zero-event reference."""
    return {
        "expected_upper": expected_upper,
        "p_more_than_upper": float(stats.poisson.sf(observed - 1, expected_upper)),
    }


OVE_COLUMNS = [
    "n_deployments",
    "n_excluded",
    "faces_seen",
    "faces_scaled",
    "observed",
    "expected",
    "ratio",
    "ratio_lower",
    "ratio_upper",
    "p_two_sided",
    "p_more",
    "p_fewer",
    "p_midp_two_sided",
    "ref_events",
    "ref_exposure",
    "p_cond_two_sided",
    "p_cond_more",
    "p_cond_fewer",
    "ratio_lower_cond",
    "ratio_upper_cond",
    "ref_upper_rate",
    "expected_upper",
    "p_more_than_upper",
    "reference",
    "reference_threshold",
    "reference_watchlist_size",
    "scaling",
    "conf",
    "note",
]

#: The columns :func:`observed_vs_expected` returns by default (``full=False``): against a
#: reference with events, and against a zero-event reference (an upper bound only).
OVE_SUMMARY = [
    "n_deployments",
    "n_excluded",
    "faces_seen",
    "observed",
    "expected",
    "ratio",
    "ratio_lower",
    "ratio_upper",
    "ratio_lower_cond",
    "ratio_upper_cond",
    "p_cond_two_sided",
    "reference",
]
OVE_SUMMARY_ZERO = [
    "n_deployments",
    "n_excluded",
    "faces_seen",
    "faces_scaled",
    "observed",
    "ref_upper_rate",
    "expected_upper",
    "p_more_than_upper",
    "p_cond_more",
    "reference",
]


def _group_keys(by) -> list[str]:
    if by is None:
        return []
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
    (:func:`expected_false_alerts`); groups are pooled, never averaged.

    * Fixed prediction: O/E with the exact Garwood interval, exact Poisson p-values
      ``p_two_sided`` (central: twice the smaller tail), ``p_more`` = P(X >= O),
      ``p_fewer`` = P(X <= O), and a mid-p two-sided p-value.
    * The study's own uncertainty (reference with events > 0): the exact conditional test
      of equal rates with the deployments' faces scaled to the reference watchlist
      (``faces_scaled`` = E / rate) against the study's events and exposure, and the ratio
      interval from the Clopper-Pearson interval of O / (O + c_ref) (Silcocks 1994).
    * Zero-event reference: no ratio and no two-sided test. ``ref_upper_rate`` is the
      one-sided upper bound, ``expected_upper`` the expected count at it,
      ``p_more_than_upper`` = P(X >= O | expected_upper), and ``p_cond_more`` the exact
      conditional one-sided test.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with ``faces_seen``, ``false_alerts``, ``watchlist_size``
        and ``threshold``.
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
    groups = frame.groupby(keys, sort=True, dropna=False) if keys else [((), frame)]
    records = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        used = group[group["_used"]]
        observed = int(used["_observed"].sum())
        expected = float(used["_expected"].sum())
        record = dict(zip(keys, key, strict=True))
        record.update(
            n_deployments=len(used),
            n_excluded=len(group) - len(used),
            faces_seen=float(used["_faces"].sum()),
            faces_scaled=expected / rate,
            observed=observed,
            ref_events=reference.events,
            ref_exposure=reference.exposure,
        )
        if reference.zero_events:
            record.update(ref_upper_rate=rate, **_zero_reference_tests(observed, expected))
        else:
            record.update(expected=expected, **_poisson_tests(observed, expected, conf))
        if reference.events is not None and expected > 0:
            record.update(_conditional_tests(observed, expected / rate, reference, conf))
        record.update(
            reference=reference.name,
            reference_threshold=reference.threshold,
            reference_watchlist_size=reference.watchlist_size,
            scaling=scaling,
            conf=conf,
            note=_note(reference, allow_threshold_mismatch),
        )
        records.append(record)
    table = pd.DataFrame.from_records(records, columns=keys + OVE_COLUMNS)
    if full:
        return table
    view = OVE_SUMMARY_ZERO if reference.zero_events else OVE_SUMMARY
    return table[keys + view]


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
      estimate O/E, standard error inflated by the Pearson dispersion ``phi``;
    * negative binomial NB2 (``NegativeBinomial(..., exposure=E)``): a gamma-Poisson mixture
      with its own estimate and ``nb_alpha``, started from the Poisson solution.

    Both intervals are Wald intervals on the log scale (approximate, unlike the exact ones).
    The fixed prediction is treated as exact here; the study's own uncertainty is not added.

    Parameters
    ----------
    deployments, reference, scaling, conf, allow_threshold_mismatch, missing
        As :func:`observed_vs_expected`.

    Returns
    -------
    pandas.Series
        ``ratio``, ``quasi_lower``, ``quasi_upper``, ``phi``, ``nb_ratio``, ``nb_lower``,
        ``nb_upper``, ``nb_alpha``, ``nb_converged``, ``n_deployments``, ``n_excluded``,
        ``observed``, ``expected``, ``conf``.

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
    ones = np.ones((len(frame), 1))
    z = stats.norm.ppf(0.5 + conf / 2)
    quasi = sm.GLM(observed, ones, family=sm.families.Poisson(), offset=np.log(expected))
    quasi = quasi.fit(scale="X2")
    log_ratio, se = float(quasi.params[0]), float(quasi.bse[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = NegativeBinomial(observed, ones, exposure=expected).fit(
            start_params=[log_ratio, 1.0], disp=0, maxiter=200
        )
    nb_log, nb_se = float(nb.params[0]), float(nb.bse[0])
    return pd.Series(
        {
            "n_deployments": len(frame),
            "n_excluded": excluded,
            "observed": int(observed.sum()),
            "expected": float(expected.sum()),
            "ratio": math.exp(log_ratio),
            "quasi_lower": math.exp(log_ratio - z * se),
            "quasi_upper": math.exp(log_ratio + z * se),
            "phi": float(quasi.scale),
            "nb_ratio": math.exp(nb_log),
            "nb_lower": math.exp(nb_log - z * nb_se),
            "nb_upper": math.exp(nb_log + z * nb_se),
            "nb_alpha": float(nb.params[1]),
            "nb_converged": bool(nb.mle_retvals.get("converged", False)),
            "conf": conf,
        }
    )


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
