"""Deployments compared with what independent studies predicted.

The central reference is the National Physical Laboratory's 2023 equitability study of NEC
NeoFace V4 (NPL 2023). At face-match threshold 0.60 it gives a false positive
identification rate (FPIR) of 1 in 6,000 people passing the camera with a 10,000-image
watchlist (1 in 60,000 with 1,000 images: the rate scales with watchlist size); in its
tests it saw 7 false positives at 0.60, one at 0.62 and none at 0.64. The figures, each
with its source, are in ``data/study_predictions.csv``
(:mod:`lfr_analysis.datasets.study_predictions`).

The module turns those figures into named :class:`Reference` objects
(:func:`load_references`) and compares deployments with them:

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

Comparing deployments run at a threshold other than the reference's raises
:class:`ValueError` unless ``allow_threshold_mismatch=True``: a prediction at 0.60 says
nothing direct about deployments at 0.64.

Per-alert precision (Essex 2019, South Wales 2017-18) and shares of false alerts by group
are compared in :mod:`lfr_analysis.precision`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson, test_poisson, test_poisson_2indep

from lfr_analysis.datasets import study_predictions
from lfr_analysis.stats.baserates import scale_fpir
from lfr_analysis.stats.intervals import rate_ci

__all__ = [
    "NPL_COUNT_ROWS",
    "NPL_RATE_ROW",
    "OVE_COLUMNS",
    "SCALINGS",
    "Reference",
    "expected_false_alerts",
    "fill_missing",
    "load_references",
    "observed_vs_expected",
    "overdispersed_ratio",
    "references_table",
    "with_study_size",
]

SCALINGS = ("linear", "exact")  # see lfr_analysis.stats.baserates.scale_fpir


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """A published false-alert prediction, ready to compare deployments with.

    Attributes
    ----------
    name : str
        Short label, e.g. ``"NPL 2023 at 0.60"``.
    threshold : float
        Face-match threshold the figure applies to.
    watchlist_size : int
        Watchlist size the rate is stated for.
    fpir : float or None
        False alerts per person passing (per face seen) at ``watchlist_size``; None when the
        study saw no events, so that only an upper bound exists.
    events : int or None
        The study's own false-positive count behind the figure, if known.
    exposure : float or None
        The passes behind ``events``, expressed at ``watchlist_size`` (so that
        ``events / exposure`` is a rate at that watchlist size).
    exposure_basis : str
        How ``exposure`` was obtained (reported, or derived and on what assumption).
    source : str
        Citation: title, date and address of each source, with the ids of the rows of
        ``study_predictions.csv`` the reference is built from.
    notes : str
        Caveats.
    """

    name: str
    threshold: float
    watchlist_size: int
    fpir: float | None
    events: int | None = None
    exposure: float | None = None
    exposure_basis: str = ""
    source: str = ""
    notes: str = ""

    def __post_init__(self):
        if not 0 <= self.threshold <= 1:
            raise ValueError(f"Reference {self.name!r}: threshold {self.threshold} not in [0, 1]")
        if self.watchlist_size < 1:
            raise ValueError(f"Reference {self.name!r}: watchlist_size must be at least 1")
        if self.fpir is None and self.events != 0:
            raise ValueError(f"Reference {self.name!r}: fpir is needed unless events == 0")
        if self.fpir is not None and not 0 < self.fpir < 1:
            raise ValueError(f"Reference {self.name!r}: fpir {self.fpir} not in (0, 1)")
        if self.events is not None and self.events < 0:
            raise ValueError(f"Reference {self.name!r}: events must be >= 0")
        if self.events is not None and (self.exposure is None or self.exposure <= 0):
            raise ValueError(f"Reference {self.name!r}: events need a positive exposure")

    @property
    def zero_events(self) -> bool:
        """True when the study saw no events (only an upper bound exists)."""
        return self.events == 0

    def upper_bound(self, alpha: float = 0.05) -> float:
        """Return the one-sided exact upper bound on the reference rate.

        For zero events this is ``1 - alpha**(1/exposure)`` (about 3/exposure at 95%: the
        "rule of three"); otherwise the one-sided Clopper-Pearson bound.
        """
        _check_alpha(alpha)
        if self.events is None:
            raise ValueError(f"Reference {self.name!r}: no event count, so no upper bound")
        trials = int(round(self.exposure))
        return float(rate_ci(self.events, trials, conf=1 - alpha, side="upper")["upper"].iloc[0])


def _one_in(table: pd.DataFrame, reference_id: str) -> float:
    row = study_predictions.row(table, reference_id)
    if row["unit"] == "one_in":
        return 1.0 / float(row["value"])
    if row["unit"] == "percent":
        return float(row["value"]) / 100.0
    if row["unit"] == "proportion":
        return float(row["value"])
    raise ValueError(
        f"{study_predictions.FILE}: row {reference_id!r} is not a rate (unit {row['unit']!r})"
    )


def _citation(table: pd.DataFrame, reference_ids: list[str]) -> str:
    """Cite rows of the data file: source title, address and date of each, with the row id."""
    cited: dict[str, list[str]] = {}
    for reference_id in reference_ids:
        row = study_predictions.row(table, reference_id)
        date = "" if pd.isna(row["source_date"]) else f", {row['source_date']:%Y-%m-%d}"
        cited.setdefault(f"{row['source_title']}{date}, {row['source_url']}", []).append(
            reference_id
        )
    parts = [f"{source} (rows {', '.join(ids)})" for source, ids in cited.items()]
    return f"{study_predictions.FILE}: " + "; ".join(parts)


NPL_RATE_ROW = "npl2023_lfr_fpir_t060_w10000"
NPL_COUNT_ROWS = {
    0.60: "npl2023_lfr_fp_count_t060",
    0.62: "npl2023_lfr_fp_count_t062",
    0.64: "npl2023_lfr_fp_count_t064",
}


def load_references(path: str | Path | None = None, *, verify_checksum: bool = True):
    """Return the named NPL 2023 references built from ``study_predictions.csv``.

    The published rate (1 in 6,000 at a 10,000 watchlist, threshold 0.60) rests on the
    study's 7 false positives, but the number of non-mated passes behind them was not
    published in the sources read. The references therefore use the *implied* exposure
    ``7 / (1/6,000) = 42,000`` passes at a 10,000 watchlist: the exposure under which the
    7 events give the published rate. The same test passes were scored at 0.62 and 0.64, so
    the same exposure serves there (1 event and 0 events). This assumption is carried in
    each reference's ``exposure_basis``; change it with :func:`with_study_size`.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The data file (default: ``data/study_predictions.csv``).
    verify_checksum : bool
        Check the file against the manifest.

    Returns
    -------
    dict of str to Reference
        Keys ``"npl2023_t060"``, ``"npl2023_t062"`` and ``"npl2023_t064"``.
    """
    table = study_predictions.load(path, verify_checksum=verify_checksum)
    rate_row = study_predictions.row(table, NPL_RATE_ROW)
    fpir_060 = _one_in(table, NPL_RATE_ROW)
    watchlist = int(rate_row["watchlist_size"])
    events_060 = int(study_predictions.row(table, NPL_COUNT_ROWS[0.60])["events"])
    exposure = events_060 / fpir_060
    basis = (
        f"implied: {events_060} events / (1/{1 / fpir_060:,.0f}) = {exposure:,.0f} passes at a "
        f"{watchlist:,} watchlist (the passes behind NPL's count were not published); the same "
        "passes scored at every threshold"
    )
    references = {}
    for threshold, row_id in NPL_COUNT_ROWS.items():
        events = int(study_predictions.row(table, row_id)["events"])
        if threshold == 0.60:
            fpir = fpir_060
        else:
            fpir = events / exposure if events else None
        source = _citation(table, [row_id, NPL_RATE_ROW])
        key = f"npl2023_t{round(threshold * 100):03d}"
        references[key] = Reference(
            name=f"NPL 2023 at {threshold:.2f}",
            threshold=threshold,
            watchlist_size=watchlist,
            fpir=fpir,
            events=events,
            exposure=exposure,
            exposure_basis=basis,
            source=source,
            notes=(
                "Rate per person passing the camera; scaled to watchlist size in proportion."
                if events
                else "No false positives in the test: only an upper bound on the rate exists."
            ),
        )
    return references


def with_study_size(
    reference: Reference, *, basis: str, events: int | None = None, exposure: float | None = None
) -> Reference:
    """Return a copy of ``reference`` resting on a different study size (a sensitivity analysis).

    The published rate stays the same; only the study's own uncertainty changes.

    Parameters
    ----------
    reference : Reference
    basis : str
        Why this size (carried into outputs).
    events : int, optional
        For a reference with events: the number of study events the published rate is taken
        to rest on; the exposure becomes ``events / fpir``.
    exposure : float, optional
        For a zero-event reference: the passes (at the reference watchlist size) in which no
        event was seen; the upper bound changes with it.

    Raises
    ------
    ValueError
        When the argument does not fit the reference (events for a zero-event reference, or
        exposure for one with events) or is not positive.
    """
    if reference.zero_events:
        if events is not None or exposure is None:
            raise ValueError(f"{reference.name!r} saw no events: give exposure, not events")
        if not exposure > 0:
            raise ValueError(f"exposure must be positive, got {exposure!r}")
        return replace(reference, exposure=float(exposure), exposure_basis=basis)
    if exposure is not None or events is None:
        raise ValueError(f"{reference.name!r} rests on a rate: give events, not exposure")
    if isinstance(events, bool) or not isinstance(events, int | np.integer) or events < 1:
        raise ValueError(f"events must be a positive integer, got {events!r}")
    return replace(
        reference, events=int(events), exposure=events / reference.fpir, exposure_basis=basis
    )


def references_table(references: dict[str, Reference], alpha: float = 0.05) -> pd.DataFrame:
    """Return the references as a table: rate, '1 in N', event count, exposure and bound."""
    records = []
    for key, ref in references.items():
        upper = ref.upper_bound(alpha) if ref.events is not None else np.nan
        records.append(
            {
                "key": key,
                "name": ref.name,
                "threshold": ref.threshold,
                "watchlist_size": ref.watchlist_size,
                "fpir": np.nan if ref.fpir is None else ref.fpir,
                "one_in": np.nan if ref.fpir is None else 1 / ref.fpir,
                "events": ref.events,
                "exposure": ref.exposure,
                f"upper_{1 - alpha:.0%}_one_sided": upper,
                "one_in_at_upper": 1 / upper if upper > 0 else np.nan,
                "exposure_basis": ref.exposure_basis,
                "source": ref.source,
            }
        )
    return pd.DataFrame.from_records(records).set_index("key")


# ------------------------------------------------------------------------ expected counts


def _check_alpha(alpha: float) -> None:
    if not (isinstance(alpha, int | float) and 0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")


def _check_columns(deployments: pd.DataFrame, columns: list[str]) -> None:
    if not isinstance(deployments, pd.DataFrame):
        raise ValueError(f"deployments must be a pandas DataFrame, got {type(deployments)!r}")
    missing = [c for c in columns if c not in deployments.columns]
    if missing:
        raise ValueError(f"deployments lack column(s) {missing}; have {list(deployments.columns)}")


def _reference_rate(reference: Reference, alpha: float) -> tuple[float, str]:
    """Return the rate used for expected counts and what it is."""
    if reference.fpir is not None:
        return reference.fpir, "point estimate"
    return reference.upper_bound(alpha), f"one-sided {1 - alpha:.0%} upper bound"


def expected_false_alerts(
    deployments: pd.DataFrame,
    reference: Reference,
    scaling: str = "linear",
    *,
    faces: str = "faces_seen",
    watchlist: str = "watchlist_size",
    alpha: float = 0.05,
) -> pd.Series:
    """Return the false alerts each deployment would have under ``reference``.

    E_i = faces_i x FPIR(W_i), with FPIR scaled from the reference watchlist size to the
    deployment's by :func:`lfr_analysis.baserates.scale_fpir` (``"linear"``: FPIR x W / W_ref;
    ``"exact"``: 1 - (1 - FMR)^W). For a zero-event reference the rate is its one-sided
    upper bound, so E_i is an upper bound too.

    Parameters
    ----------
    deployments : pandas.DataFrame
        Needs ``faces`` and ``watchlist`` columns.
    reference : Reference
    scaling : {"linear", "exact"}
    faces, watchlist : str
        Column names.
    alpha : float
        For the upper bound of a zero-event reference.

    Returns
    -------
    pandas.Series
        Expected false alerts, same index as ``deployments``; missing where faces or
        watchlist size are missing.
    """
    _check_columns(deployments, [faces, watchlist])
    rate, _ = _reference_rate(reference, alpha)
    n = pd.to_numeric(deployments[faces]).astype("float64").to_numpy(na_value=np.nan)
    w = pd.to_numeric(deployments[watchlist]).astype("float64").to_numpy(na_value=np.nan)
    if np.any(n[~np.isnan(n)] < 0):
        raise ValueError(f"column {faces!r} has negative values")
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {SCALINGS}, got {scaling!r}")
    per_face = np.full(len(w), np.nan)
    known = ~np.isnan(w)
    if known.any():
        per_face[known] = scale_fpir(rate, reference.watchlist_size, w[known], scaling=scaling)
    return pd.Series(n * per_face, index=deployments.index, name="expected_false_alerts")


# ------------------------------------------------------------------ observed vs expected


def _check_threshold(deployments, reference, threshold_col, id_col, allow):
    if allow:
        return
    _check_columns(deployments, [threshold_col])
    thresholds = pd.to_numeric(deployments[threshold_col]).astype("float64")
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
    bad = deployments.loc[other | unknown]
    ids = list(bad[id_col].astype(str)[:5]) if id_col in deployments else list(bad.index[:5])
    raise ValueError(
        f"reference {reference.name!r} is at threshold {reference.threshold:.2f}, but the "
        f"deployments include {' and '.join(parts)}, e.g. {ids}. Select deployments run at "
        f"{reference.threshold:.2f}, or pass allow_threshold_mismatch=True for an explicitly "
        "counterfactual comparison."
    )


def _drop_or_refuse_missing(deployments, columns, id_col, missing):
    if missing not in ("error", "exclude"):
        raise ValueError(f"missing must be 'error' or 'exclude', got {missing!r}")
    incomplete = deployments[columns].isna().any(axis=1)
    if not incomplete.any():
        return deployments, 0
    if missing == "exclude":
        return deployments.loc[~incomplete], int(incomplete.sum())
    bad = deployments.loc[incomplete]
    ids = list(bad[id_col].astype(str)[:5]) if id_col in deployments else list(bad.index[:5])
    gaps = {c: int(deployments[c].isna().sum()) for c in columns if deployments[c].isna().any()}
    raise ValueError(
        f"{int(incomplete.sum())} deployment(s) lack a value needed for the comparison "
        f"(missing per column: {gaps}), e.g. {ids}. Pass missing='exclude' to leave them out "
        "(and say so), or fill them explicitly with fill_missing()."
    )


def _count_column(frame: pd.DataFrame, column: str, id_col: str, minimum: int = 0) -> np.ndarray:
    """Return a column of whole numbers >= ``minimum`` as floats, or raise naming the row."""
    values = pd.to_numeric(frame[column], errors="coerce").astype("float64").to_numpy()
    raw = frame[column].to_numpy(dtype=object)
    bad = ~np.isfinite(values) | (values != np.floor(values)) | (values < minimum)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        label = frame[id_col].iloc[i] if id_col in frame.columns else frame.index[i]
        raise ValueError(
            f"column {column!r}, deployment {label!r}: value {raw[i]!r} is not a whole number "
            f">= {minimum}"
        )
    return values


def _prepare(deployments, reference, *, scaling, alpha, allow_threshold_mismatch, missing, cols):
    faces, false_alerts, watchlist, threshold_col, id_col = cols
    _check_alpha(alpha)
    if not isinstance(reference, Reference):
        raise ValueError(f"reference must be a Reference, got {type(reference)!r}")
    _check_columns(deployments, [faces, false_alerts, watchlist])
    _check_threshold(deployments, reference, threshold_col, id_col, allow_threshold_mismatch)
    used, excluded = _drop_or_refuse_missing(
        deployments, [faces, false_alerts, watchlist], id_col, missing
    )
    if used.empty:
        raise ValueError("no deployments left to compare")
    observed = _count_column(used, false_alerts, id_col)
    faces_seen = _count_column(used, faces, id_col)
    _count_column(used, watchlist, id_col)
    too_many = observed > faces_seen
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        label = used[id_col].iloc[i] if id_col in used.columns else used.index[i]
        raise ValueError(
            f"deployment {label!r}: {false_alerts} ({observed[i]:.0f}) exceed {faces} "
            f"({faces_seen[i]:.0f})"
        )
    expected = expected_false_alerts(
        used, reference, scaling, faces=faces, watchlist=watchlist, alpha=alpha
    )
    frame = used.assign(_observed=observed.astype("int64"), _expected=expected, _faces=faces_seen)
    return frame, excluded


def _poisson_tests(observed: int, expected: float, alpha: float) -> dict:
    """Fixed-prediction comparison: Garwood ratio interval and exact Poisson tests."""
    if not expected > 0:
        return {}
    lower, upper = confint_poisson(observed, expected, method="exact-c", alpha=alpha)
    return {
        "ratio": observed / expected,
        "ratio_lower": float(lower),
        "ratio_upper": float(upper),
        "p_two_sided": min(1.0, float(test_poisson(observed, expected, 1, "exact-c").pvalue)),
        "p_more": float(stats.poisson.sf(observed - 1, expected)),
        "p_fewer": float(stats.poisson.cdf(observed, expected)),
        "p_midp_two_sided": min(
            1.0, float(test_poisson(observed, expected, 1, method="midp-c").pvalue)
        ),
    }


def _conditional_tests(observed, faces_scaled, reference, alpha) -> dict:
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
    total = observed + c_ref
    pi_low, pi_high = proportion_confint(observed, total, alpha=alpha, method="beta")
    scale = m_ref / faces_scaled
    out["ratio_lower_cond"] = float(pi_low / (1 - pi_low) * scale)
    out["ratio_upper_cond"] = float(pi_high / (1 - pi_high) * scale) if pi_high < 1 else math.inf
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
    "threshold",
    "reference_watchlist_size",
    "scaling",
    "conf_level",
    "note",
]


def observed_vs_expected(
    deployments: pd.DataFrame,
    reference: Reference,
    by: str | list[str] | None = None,
    *,
    scaling: str = "linear",
    alpha: float = 0.05,
    allow_threshold_mismatch: bool = False,
    missing: str = "error",
    faces: str = "faces_seen",
    false_alerts: str = "false_alerts",
    watchlist: str = "watchlist_size",
    threshold: str = "threshold",
    id_column: str = "deployment_id",
) -> pd.DataFrame:
    """Compare observed false alerts with a reference's prediction, pooled within groups.

    Within each group O = sum of false alerts and E = sum of E_i
    (:func:`expected_false_alerts`); groups are pooled, never averaged.

    * Fixed prediction: O/E with the exact Garwood interval (``confint_poisson(O, E,
      "exact-c")``), exact Poisson p-values ``p_two_sided`` (central), ``p_more`` =
      P(X >= O), ``p_fewer`` = P(X <= O), and a mid-p two-sided p-value.
    * The study's own uncertainty (reference with events > 0): the exact conditional test
      of equal rates (``test_poisson_2indep(..., "exact-cond")``) with the deployments'
      faces scaled to the reference watchlist (``faces_scaled`` = E / rate) against the
      study's events and exposure, and the ratio interval from the Clopper-Pearson interval
      of O / (O + c_ref) (Silcocks 1994).
    * Zero-event reference: no ratio and no two-sided test. ``ref_upper_rate`` is the
      one-sided upper bound, ``expected_upper`` the expected count at it, ``p_more_than_upper``
      = P(X >= O | expected_upper), and ``p_cond_more`` the exact conditional one-sided test.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment.
    reference : Reference
    by : str or list of str, optional
        Grouping columns (e.g. ``"year"``, ``"deployment_id"``); None pools everything.
    scaling : {"linear", "exact"}
    alpha : float
        1 - confidence level; also the one-sided level of a zero-event bound.
    allow_threshold_mismatch : bool
        Compare deployments whose threshold differs from (or is unknown vs) the reference's.
    missing : {"error", "exclude"}
        What to do with deployments lacking faces, false alerts or watchlist size.
    faces, false_alerts, watchlist, threshold, id_column : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per group, columns :data:`OVE_COLUMNS` (plus the group columns).

    Raises
    ------
    ValueError
        On a threshold mismatch (unless allowed), missing values (unless excluded), bad
        arguments or missing columns.
    """
    cols = (faces, false_alerts, watchlist, threshold, id_column)
    frame, excluded = _prepare(
        deployments,
        reference,
        scaling=scaling,
        alpha=alpha,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
        cols=cols,
    )
    keys = [by] if isinstance(by, str) else list(by or [])
    _check_columns(frame, keys)
    rate, _ = _reference_rate(reference, alpha)
    groups = frame.groupby(keys, sort=True, dropna=False) if keys else [((), frame)]
    records = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        observed = int(group["_observed"].sum())
        expected = float(group["_expected"].sum())
        record = dict(zip(keys, key, strict=True))
        record.update(
            n_deployments=len(group),
            n_excluded=excluded,
            faces_seen=float(group["_faces"].sum()),
            faces_scaled=expected / rate,
            observed=observed,
            ref_events=reference.events,
            ref_exposure=reference.exposure,
        )
        if reference.zero_events:
            record.update(ref_upper_rate=rate, **_zero_reference_tests(observed, expected))
        else:
            record.update(expected=expected, **_poisson_tests(observed, expected, alpha))
        if reference.events is not None and expected > 0:
            record.update(_conditional_tests(observed, expected / rate, reference, alpha))
        record.update(
            reference=reference.name,
            threshold=reference.threshold,
            reference_watchlist_size=reference.watchlist_size,
            scaling=scaling,
            conf_level=1 - alpha,
            note=_note(reference, allow_threshold_mismatch),
        )
        records.append(record)
    return pd.DataFrame.from_records(records, columns=keys + OVE_COLUMNS)


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
    scaling: str = "linear",
    alpha: float = 0.05,
    allow_threshold_mismatch: bool = False,
    missing: str = "error",
    faces: str = "faces_seen",
    false_alerts: str = "false_alerts",
    watchlist: str = "watchlist_size",
    threshold: str = "threshold",
    id_column: str = "deployment_id",
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

    Returns
    -------
    pandas.Series
        ``ratio``, ``quasi_lower``, ``quasi_upper``, ``phi``, ``nb_ratio``, ``nb_lower``,
        ``nb_upper``, ``nb_alpha``, ``nb_converged``, ``n_deployments``, ``observed``,
        ``expected``, ``conf_level``.

    Raises
    ------
    ValueError
        As :func:`observed_vs_expected`; also when there are no false alerts, fewer than two
        deployments with a positive expected count, or a zero-event reference.
    """
    if isinstance(reference, Reference) and reference.zero_events:
        raise ValueError(f"{reference.name!r} has no events, so there is no O/E to model")
    cols = (faces, false_alerts, watchlist, threshold, id_column)
    frame, _ = _prepare(
        deployments,
        reference,
        scaling=scaling,
        alpha=alpha,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
        cols=cols,
    )
    frame = frame.loc[frame["_expected"] > 0]
    observed = frame["_observed"].to_numpy(dtype=float)
    expected = frame["_expected"].to_numpy(dtype=float)
    if len(frame) < 2:
        raise ValueError("need at least two deployments with a positive expected count")
    if observed.sum() == 0:
        raise ValueError("no false alerts: the dispersion cannot be estimated")
    ones = np.ones((len(frame), 1))
    z = stats.norm.ppf(1 - alpha / 2)
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
            "conf_level": 1 - alpha,
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
    _check_columns(deployments, [column])
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("value must be given (not missing)")
    out = deployments.copy()
    blank = out[column].isna()
    out[f"{column}_filled"] = blank
    out.loc[blank, column] = value
    return out
