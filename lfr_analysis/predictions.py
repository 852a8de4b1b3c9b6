"""Deployments compared with what independent studies predicted.

The central reference is the National Physical Laboratory's 2023 equitability study of NEC
NeoFace V4 (NPL 2023). At face-match threshold 0.60 it gives a false positive
identification rate (FPIR) of 1 in 6,000 people passing the camera with a 10,000-image
watchlist (1 in 60,000 with 1,000 images: the rate scales with watchlist size); in its
tests it saw 7 false positives at 0.60, one at 0.62 and none at 0.64. The figures, each
with its source, are in ``data/study_predictions.csv`` (:func:`load_study_predictions`).

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
* :func:`funnel_data`, :func:`plot_funnel`, :func:`cumulative_oe` and
  :func:`plot_cumulative_oe` show deployments against exact Poisson limits.

Comparing deployments run at a threshold other than the reference's raises
:class:`ValueError` unless ``allow_threshold_mismatch=True``: a prediction at 0.60 says
nothing direct about deployments at 0.64.

Per-alert precision (Essex 2019, South Wales 2017-18) and shares of false alerts by group
are compared with :func:`compare_precision` and :func:`share_vs_benchmark`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from lfr_analysis import paths
from lfr_analysis.baserates import scale_fpir
from lfr_analysis.validation import Column, Problem, read_table

DATA_FILE = "study_predictions.csv"

KINDS = ("study_result", "design", "observed", "claim", "policy_limit", "benchmark")
UNITS = ("proportion", "percent", "count", "one_in", "factor", "hours", "text")
PER = ("face", "pass", "alert", "comparison", "search", "person")
SCALINGS = ("linear", "exact")  # see lfr_analysis.baserates.scale_fpir

COLUMNS = [
    Column("reference_id", "str", required=True, description="Stable identifier of the row."),
    Column("study", "str", required=True, description="Study, report or statement."),
    Column("study_year", "int", required=True, min=2015, max=2030, description="Year of it."),
    Column(
        "kind",
        "str",
        required=True,
        choices=KINDS,
        description=(
            "study_result (a figure from an evaluation), design (size of a study), observed "
            "(an operational figure, for comparison), claim (a statement to test), "
            "policy_limit, benchmark (a population share used only as a rough yardstick)."
        ),
    ),
    Column("metric", "str", required=True, description="What the figure measures."),
    Column(
        "value",
        "float",
        min=0,
        description="The figure as a number in `unit`; blank when the figure is qualitative.",
    ),
    Column(
        "value_as_printed", "str", required=True, description="The figure as the source words it."
    ),
    Column(
        "unit",
        "str",
        required=True,
        choices=UNITS,
        description="Unit of `value`; one_in means '1 in value'.",
    ),
    Column(
        "per",
        "str",
        choices=PER,
        description=(
            "Denominator of a rate: face (face detected), pass (a person passing the camera), "
            "alert, comparison (one probe against one image), search, person."
        ),
    ),
    Column("threshold", "float", min=0, max=1, description="Face-match threshold, when stated."),
    Column("threshold_as_printed", "str", description="Threshold as the source words it."),
    Column("watchlist_size", "int", min=1, description="Watchlist size the figure applies to."),
    Column("watchlist_as_printed", "str", description="Watchlist size as the source words it."),
    Column(
        "events",
        "int",
        min=0,
        description="The study's own event count behind the figure, where known.",
        unit="events",
    ),
    Column("denominator", "int", min=1, description="The count the events are out of, if known."),
    Column("denominator_unit", "str", description="What the denominator counts."),
    Column("population_or_condition", "str", description="Who or what was measured."),
    Column("source_title", "str", required=True, description="Title of the page read."),
    Column("source_url", "str", required=True, description="Address of the page read."),
    Column("source_date", "date", min="2015-01-01", max="2030-12-31", description="Its date."),
    Column("locator", "str", description="Where in the source the figure is."),
    Column(
        "verification",
        "str",
        required=True,
        description="What was checked against the source, or 'not re-verified'.",
    ),
    Column("notes", "str", description="Caveats, conflicts and how the figure is used."),
]

DATA_RESOURCES = [
    {
        "path": DATA_FILE,
        "name": "study-predictions",
        "title": "Independent-study predictions and results for police live facial recognition",
        "description": (
            "One row per published figure: NPL 2023 (thresholds 0.56-0.64, watchlist scaling, "
            "test sizes), Essex 2019, Cardiff/UPSI 2018 and South Wales Police figures, NIST, "
            "NPL 2025 (PND retrospective search), Met statements to be tested, and a census "
            "benchmark. Each row gives threshold, watchlist size, what the figure is per, the "
            "study's own event count and denominator where known, its source and what was "
            "verified against that source."
        ),
        "sources": [
            {
                "title": "The Register, 6 Apr 2023 (NPL 2023 findings)",
                "path": "https://www.theregister.com/2023/04/06/uk_police_facial_recognition/",
            },
            {
                "title": "Computer Weekly, 12 Apr 2023 (NPL 2023 findings)",
                "path": "https://www.computerweekly.com/news/365535008/"
                "UK-police-double-down-on-improved-facial-recognition",
            },
            {
                "title": "Each row's source_url (see the file)",
                "path": "study_predictions.csv",
            },
        ],
        "columns": COLUMNS,
    }
]


# ----------------------------------------------------------------------------- loading


def _row_checks(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Relations between columns that the per-column rules cannot express."""
    problems = []
    for line, row in frame.iterrows():
        if pd.notna(row["value"]) and row["unit"] == "text":
            problems.append(
                Problem(name, line, "value", row["value"], "unit 'text' must have a blank value")
            )
        if pd.isna(row["value"]) and row["unit"] != "text":
            problems.append(
                Problem(name, line, "value", None, f"unit '{row['unit']}' needs a numeric value")
            )
        if row["unit"] == "count" and pd.notna(row["value"]) and row["value"] != int(row["value"]):
            problems.append(Problem(name, line, "value", row["value"], "a count must be whole"))
        if row["unit"] == "one_in" and pd.notna(row["value"]) and row["value"] < 1:
            problems.append(Problem(name, line, "value", row["value"], "'1 in N' needs N >= 1"))
        events, denominator = row["events"], row["denominator"]
        if pd.notna(events) and pd.notna(denominator) and events > denominator:
            problems.append(
                Problem(name, line, "events", events, f"exceeds the denominator {denominator}")
            )
        if pd.notna(denominator) and pd.isna(row["denominator_unit"]):
            problems.append(
                Problem(name, line, "denominator_unit", None, "say what the denominator counts")
            )
    return problems


def data_path() -> Path:
    """Return the path of ``study_predictions.csv`` in the data folder (see ``paths``)."""
    return paths.data_dir() / DATA_FILE


def load_study_predictions(path: str | Path | None = None, *, verify_checksum: bool = True):
    """Read and validate ``data/study_predictions.csv``.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The file (default: :func:`data_path`).
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per published figure; ``value`` is float, ``events``, ``denominator`` and
        ``watchlist_size`` are nullable integers (blank = unknown, never 0).

    Raises
    ------
    lfr_analysis.validation.DataValidationError
        Naming file, line, column and value of every problem.
    """
    return read_table(
        Path(path) if path is not None else data_path(),
        COLUMNS,
        unique=("reference_id",),
        verify_checksum=verify_checksum,
        extra_checks=_row_checks,
    )


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
        from lfr_analysis.rates import rate_ci

        trials = int(round(self.exposure))
        return float(rate_ci(self.events, trials, conf=1 - alpha, side="upper")["upper"].iloc[0])


def _one_in(table: pd.DataFrame, reference_id: str) -> float:
    row = _row(table, reference_id)
    if row["unit"] == "one_in":
        return 1.0 / float(row["value"])
    if row["unit"] == "percent":
        return float(row["value"]) / 100.0
    if row["unit"] == "proportion":
        return float(row["value"])
    raise ValueError(f"{DATA_FILE}: row {reference_id!r} is not a rate (unit {row['unit']!r})")


def _row(table: pd.DataFrame, reference_id: str) -> pd.Series:
    match = table.loc[table["reference_id"] == reference_id]
    if match.empty:
        raise ValueError(f"{DATA_FILE}: no row with reference_id {reference_id!r}")
    return match.iloc[0]


def _citation(table: pd.DataFrame, reference_ids: list[str]) -> str:
    """Cite rows of the data file: source title, address and date of each, with the row id."""
    cited: dict[str, list[str]] = {}
    for reference_id in reference_ids:
        row = _row(table, reference_id)
        date = "" if pd.isna(row["source_date"]) else f", {row['source_date']:%Y-%m-%d}"
        cited.setdefault(f"{row['source_title']}{date}, {row['source_url']}", []).append(
            reference_id
        )
    parts = [f"{source} (rows {', '.join(ids)})" for source, ids in cited.items()]
    return f"{DATA_FILE}: " + "; ".join(parts)


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
    table = load_study_predictions(path, verify_checksum=verify_checksum)
    rate_row = _row(table, NPL_RATE_ROW)
    fpir_060 = _one_in(table, NPL_RATE_ROW)
    watchlist = int(rate_row["watchlist_size"])
    events_060 = int(_row(table, NPL_COUNT_ROWS[0.60])["events"])
    exposure = events_060 / fpir_060
    basis = (
        f"implied: {events_060} events / (1/{1 / fpir_060:,.0f}) = {exposure:,.0f} passes at a "
        f"{watchlist:,} watchlist (the passes behind NPL's count were not published); the same "
        "passes scored at every threshold"
    )
    references = {}
    for threshold, row_id in NPL_COUNT_ROWS.items():
        events = int(_row(table, row_id)["events"])
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
    from statsmodels.stats.rates import confint_poisson, test_poisson

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
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import test_poisson_2indep

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
    import statsmodels.api as sm
    from statsmodels.discrete.discrete_model import NegativeBinomial

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


# ---------------------------------------------------------------------------------- funnel


def funnel_limits(expected, probs=(0.001, 0.025, 0.975, 0.999)) -> pd.DataFrame:
    """Exact Poisson control limits for O/E at each expected count (Spiegelhalter 2005).

    Parameters
    ----------
    expected : array_like
        Expected counts E > 0 at which to compute the limits.
    probs : sequence of float
        Quantiles; the defaults give 99.8% and 95% two-sided limits.

    Returns
    -------
    pandas.DataFrame
        Long format: ``expected``, ``prob``, ``count_step`` (the exact quantile
        ``poisson.ppf(prob, E)``), ``count_interpolated`` (the quantile minus the fraction
        that makes the limit continuous in E, clipped at 0), and the same two divided by E
        (``ratio_step``, ``ratio_interpolated``).
    """
    grid = np.asarray(expected, dtype=float)
    if grid.ndim != 1 or grid.size == 0 or np.any(~(grid > 0)):
        raise ValueError("expected must be a non-empty 1-D array of positive numbers")
    frames = []
    for prob in probs:
        if not 0 < prob < 1:
            raise ValueError(f"probs must be in (0, 1), got {prob!r}")
        step = stats.poisson.ppf(prob, grid)
        below = stats.poisson.cdf(step - 1, grid)
        at = stats.poisson.cdf(step, grid)
        fraction = (at - prob) / (at - below)
        interpolated = np.clip(step - fraction, 0, None)
        frames.append(
            pd.DataFrame(
                {
                    "expected": grid,
                    "prob": prob,
                    "count_step": step,
                    "count_interpolated": interpolated,
                    "ratio_step": step / grid,
                    "ratio_interpolated": interpolated / grid,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _flag(observed, expected):
    upper_998 = stats.poisson.ppf(0.999, expected)
    upper_95 = stats.poisson.ppf(0.975, expected)
    lower_95 = stats.poisson.ppf(0.025, expected)
    lower_998 = stats.poisson.ppf(0.001, expected)
    return np.select(
        [
            observed > upper_998,
            observed > upper_95,
            observed < lower_998,
            observed < lower_95,
        ],
        ["above 99.8%", "above 95%", "below 99.8%", "below 95%"],
        default="within",
    )


def funnel_data(
    deployments: pd.DataFrame,
    reference: Reference,
    *,
    by: str = "deployment_id",
    scaling: str = "linear",
    adjust: str = "holm",
    alpha: float = 0.05,
    allow_threshold_mismatch: bool = False,
    missing: str = "error",
    probs=(0.001, 0.025, 0.975, 0.999),
    n_grid: int = 200,
    faces: str = "faces_seen",
    false_alerts: str = "false_alerts",
    watchlist: str = "watchlist_size",
    threshold: str = "threshold",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points and exact limits for a funnel plot of O/E against E.

    Each unit (deployment by default, or a group such as a month) gets O, E, O/E, its exact
    one-sided p-values ``p_more`` = P(X >= O) and ``p_fewer`` = P(X <= O), the same adjusted
    for multiple testing across units (``statsmodels.stats.multitest.multipletests``), a
    ``flag`` from the exact (step) limits and ``flag_adjusted`` from the adjusted p-values.
    For a zero-event reference E is at its upper bound (``expected_basis`` says so).

    Parameters
    ----------
    deployments : pandas.DataFrame
    reference : Reference
    by : str
        Unit of the funnel (pooled within units).
    scaling, alpha, allow_threshold_mismatch, missing : see :func:`observed_vs_expected`
    adjust : str
        ``multipletests`` method, e.g. ``"holm"`` or ``"fdr_bh"``.
    probs : sequence of float
        Quantiles of the limits.
    n_grid : int
        Points of the limit curves.
    faces, false_alerts, watchlist, threshold : str
        Column names.

    Returns
    -------
    points, limits : pandas.DataFrame
        ``limits`` as from :func:`funnel_limits` over the range of E.
    """
    from statsmodels.stats.multitest import multipletests

    cols = (faces, false_alerts, watchlist, threshold, by)
    frame, excluded = _prepare(
        deployments,
        reference,
        scaling=scaling,
        alpha=alpha,
        allow_threshold_mismatch=allow_threshold_mismatch,
        missing=missing,
        cols=cols,
    )
    _check_columns(frame, [by])
    if not isinstance(n_grid, int) or n_grid < 2:
        raise ValueError(f"n_grid must be an integer >= 2, got {n_grid!r}")
    units = frame.groupby(by, sort=True).agg(
        observed=("_observed", "sum"), expected=("_expected", "sum"), faces_seen=("_faces", "sum")
    )
    units = units.loc[units["expected"] > 0].reset_index()
    if units.empty:
        raise ValueError("no unit has a positive expected count")
    observed, expected = units["observed"].to_numpy(), units["expected"].to_numpy()
    units["ratio"] = observed / expected
    units["p_more"] = stats.poisson.sf(observed - 1, expected)
    units["p_fewer"] = stats.poisson.cdf(observed, expected)
    units["p_more_adj"] = multipletests(units["p_more"], alpha=alpha, method=adjust)[1]
    units["p_fewer_adj"] = multipletests(units["p_fewer"], alpha=alpha, method=adjust)[1]
    units["flag"] = _flag(observed, expected)
    units["flag_adjusted"] = np.select(
        [units["p_more_adj"] < alpha, units["p_fewer_adj"] < alpha],
        [f"more than predicted ({adjust})", f"fewer than predicted ({adjust})"],
        default="not flagged",
    )
    _, basis = _reference_rate(reference, alpha)
    units["expected_basis"] = basis
    units["n_excluded"] = excluded
    low, high = expected.min(), expected.max()
    grid = np.geomspace(low / 2, high * 2, n_grid) if high > low else np.array([low / 2, low * 2])
    return units, funnel_limits(grid, probs)


def plot_funnel(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    *,
    ax=None,
    log_x: bool = True,
    unit_label: str = "deployment",
):
    """Draw a funnel plot of O/E against E with exact limits.

    Parameters
    ----------
    points, limits : pandas.DataFrame
        From :func:`funnel_data`.
    ax : matplotlib.axes.Axes, optional
    log_x : bool
        Logarithmic E axis (expected counts per deployment span orders of magnitude).
    unit_label : str
        Legend label of the points (what one point is).

    The O/E axis is symmetric-logarithmic (linear below 1) so that units with no false
    alerts (O/E = 0) stay on the chart.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from lfr_analysis.plotting import COLOURS

    if ax is None:
        _, ax = plt.subplots()
    styles = {0.025: ("95%", "-"), 0.975: (None, "-"), 0.001: ("99.8%", "--"), 0.999: (None, "--")}
    for prob, curve in limits.groupby("prob"):
        label, line = styles.get(prob, (f"q={prob:g}", ":"))
        ax.plot(
            curve["expected"],
            curve["ratio_interpolated"],
            line,
            color=COLOURS["reference"],
            lw=1,
            label=label and f"{label} limits (interpolated)",
        )
    flagged = points["flag_adjusted"] != "not flagged"
    ax.scatter(
        points.loc[~flagged, "expected"],
        points.loc[~flagged, "ratio"],
        s=14,
        color=COLOURS["primary"],
        alpha=0.7,
        label=unit_label,
    )
    if flagged.any():
        ax.scatter(
            points.loc[flagged, "expected"],
            points.loc[flagged, "ratio"],
            s=30,
            color=COLOURS["secondary"],
            label="flagged after adjustment",
        )
    ax.axhline(1, color=COLOURS["muted"], lw=1)
    if log_x:
        ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=-0.08)
    ax.set_xlabel("expected false alerts E")
    ax.set_ylabel("observed / expected (O/E)")
    ax.legend(loc="upper right", fontsize="small")
    return ax


def cumulative_oe(
    deployments: pd.DataFrame,
    reference: Reference,
    *,
    order_by: str = "date",
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
    """Cumulative observed and expected false alerts over time, with exact limits.

    Returns one row per deployment in ``order_by`` order (ties by ``id_column``):
    ``cum_observed``, ``cum_expected``, ``cum_ratio`` with its Garwood interval, and the
    exact Poisson range of the cumulative count if the reference held
    (``expected_lower``/``expected_upper`` = quantiles alpha/2 and 1 - alpha/2 of
    Poisson(cum_expected)). The limits are pointwise, not simultaneous.

    Parameters
    ----------
    deployments : pandas.DataFrame
    reference : Reference
    order_by : str
        Time column.
    scaling, alpha, allow_threshold_mismatch, missing : see :func:`observed_vs_expected`
    faces, false_alerts, watchlist, threshold, id_column : str
        Column names.

    Returns
    -------
    pandas.DataFrame
    """
    from statsmodels.stats.rates import confint_poisson

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
    sort_keys = [order_by] + ([id_column] if id_column in frame.columns else [])
    _check_columns(frame, sort_keys)
    frame = frame.sort_values(sort_keys, kind="stable")
    out = pd.DataFrame(
        {
            order_by: frame[order_by].to_numpy(),
            "observed": frame["_observed"].to_numpy(),
            "expected": frame["_expected"].to_numpy(),
        }
    )
    if id_column in frame.columns:
        out.insert(0, id_column, frame[id_column].to_numpy())
    out["cum_observed"] = out["observed"].cumsum()
    out["cum_expected"] = out["expected"].cumsum()
    positive = out["cum_expected"] > 0
    out["cum_ratio"] = np.where(positive, out["cum_observed"] / out["cum_expected"], np.nan)
    lower, upper = np.full(len(out), np.nan), np.full(len(out), np.nan)
    if positive.any():
        low, high = confint_poisson(
            out.loc[positive, "cum_observed"].to_numpy(),
            out.loc[positive, "cum_expected"].to_numpy(),
            method="exact-c",
            alpha=alpha,
        )
        lower[positive.to_numpy()], upper[positive.to_numpy()] = low, high
    out["cum_ratio_lower"], out["cum_ratio_upper"] = lower, upper
    out["expected_lower"] = stats.poisson.ppf(alpha / 2, out["cum_expected"])
    out["expected_upper"] = stats.poisson.ppf(1 - alpha / 2, out["cum_expected"])
    return out


def plot_cumulative_oe(cumulative: pd.DataFrame, *, x: str = "date", ax=None):
    """Plot cumulative observed false alerts against the reference's exact range.

    Parameters
    ----------
    cumulative : pandas.DataFrame
        From :func:`cumulative_oe`.
    x : str
        Column for the horizontal axis (the ``order_by`` column).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from lfr_analysis.plotting import COLOURS

    if ax is None:
        _, ax = plt.subplots()
    ax.fill_between(
        cumulative[x],
        cumulative["expected_lower"],
        cumulative["expected_upper"],
        step="post",
        color=COLOURS["reference"],
        alpha=0.2,
        label="range if the reference held (exact, pointwise)",
    )
    ax.step(
        cumulative[x],
        cumulative["cum_expected"],
        where="post",
        color=COLOURS["reference"],
        label="cumulative expected",
    )
    ax.step(
        cumulative[x],
        cumulative["cum_observed"],
        where="post",
        color=COLOURS["primary"],
        label="cumulative observed",
    )
    ax.set_ylabel("false alerts (cumulative)")
    ax.legend(loc="upper left", fontsize="small")
    return ax


# ----------------------------------------------------------- per-alert and share questions


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
    table = load_study_predictions(path, verify_checksum=verify_checksum)
    essex = _row(table, "essex2019_verified_correct")
    swp_true = int(_row(table, "swp2017_18_true_alerts")["events"])
    swp_false = int(_row(table, "swp2017_18_false_alerts")["events"])
    return {
        "essex2019": PrecisionReference(
            name="Essex 2019 (Met trials, 6 observed deployments)",
            true_alerts=int(essex["events"]),
            alerts=int(essex["denominator"]),
            source=_citation(table, ["essex2019_verified_correct"]),
            notes="verified correct only: a lower bound on precision",
        ),
        "swp2017_18": PrecisionReference(
            name="South Wales Police, Jun 2017 - Mar 2018 (15 events)",
            true_alerts=swp_true,
            alerts=swp_true + swp_false,
            source=_citation(table, ["swp2017_18_true_alerts", "swp2017_18_false_alerts"]),
            notes="police data released under FOI (2018)",
        ),
    }


def _check_count_pair(events, trials, label):
    for name, value in ((f"{label} events", events), (f"{label} trials", trials)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    if trials == 0:
        raise ValueError(f"{label} trials must be positive")
    if events > trials:
        raise ValueError(f"{label} events ({events}) exceed trials ({trials})")


def compare_precision(
    true_alerts: int, alerts: int, reference: PrecisionReference, *, alpha: float = 0.05
) -> pd.Series:
    """Compare the share of alerts that were true with a published per-alert result.

    Clopper-Pearson intervals for each share, the Newcombe interval for the difference
    (``confint_proportions_2indep(method="newcomb")``) and Fisher's exact test.

    Parameters
    ----------
    true_alerts, alerts : int
        Observed alerts recorded as true, and all alerts.
    reference : PrecisionReference
        E.g. from :func:`load_precision_references`.
    alpha : float
        1 - confidence level.

    Returns
    -------
    pandas.Series
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    from lfr_analysis.rates import rate_ci

    _check_alpha(alpha)
    if not isinstance(reference, PrecisionReference):
        raise ValueError(f"reference must be a PrecisionReference, got {type(reference)!r}")
    _check_count_pair(true_alerts, alerts, "observed")
    _check_count_pair(reference.true_alerts, reference.alerts, "reference")
    observed_ci = rate_ci(true_alerts, alerts, conf=1 - alpha).iloc[0]
    reference_ci = rate_ci(reference.true_alerts, reference.alerts, conf=1 - alpha).iloc[0]
    low, high = observed_ci["lower"], observed_ci["upper"]
    ref_low, ref_high = reference_ci["lower"], reference_ci["upper"]
    diff_low, diff_high = confint_proportions_2indep(
        true_alerts,
        alerts,
        reference.true_alerts,
        reference.alerts,
        method="newcomb",
        compare="diff",
        alpha=alpha,
    )
    table = [
        [true_alerts, alerts - true_alerts],
        [reference.true_alerts, reference.alerts - reference.true_alerts],
    ]
    return pd.Series(
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
            "conf_level": 1 - alpha,
            "method": "Clopper-Pearson; Newcombe difference; Fisher exact",
        }
    )


def share_vs_benchmark(
    events: int, trials: int, benchmark_share: float, *, alpha: float = 0.05
) -> pd.Series:
    """Exact binomial comparison of a share (e.g. 8 of 10 false alerts) with a benchmark.

    The test asks whether ``events`` of ``trials`` is consistent with each trial
    independently having probability ``benchmark_share``. ``lowest_consistent_share`` is the
    one-sided Clopper-Pearson lower bound: the smallest share of the exposed group (e.g. of
    the people passing the cameras) for which the observed count would not be significant
    at level ``alpha``, one-sided.

    Parameters
    ----------
    events, trials : int
        E.g. 8 Black people among 10 falsely alerted.
    benchmark_share : float
        The share to compare with, in (0, 1); say in the text what population it describes.
    alpha : float
        1 - confidence level.

    Returns
    -------
    pandas.Series
    """
    from lfr_analysis.rates import rate_ci

    _check_alpha(alpha)
    _check_count_pair(events, trials, "share")
    if not 0 < benchmark_share < 1:
        raise ValueError(f"benchmark_share must be in (0, 1), got {benchmark_share!r}")
    two_sided = rate_ci(events, trials, conf=1 - alpha).iloc[0]
    low, high = two_sided["lower"], two_sided["upper"]
    lowest = rate_ci(events, trials, conf=1 - alpha, side="lower")["lower"].iloc[0]
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
            "conf_level": 1 - alpha,
            "method": "exact binomial; Clopper-Pearson",
        }
    )
