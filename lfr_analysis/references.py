"""Published false-alert predictions as objects to compare deployments with.

The central reference is the National Physical Laboratory's 2023 equitability study of NEC
NeoFace V4 (NPL 2023). At face-match threshold 0.60 it gives a false positive
identification rate (FPIR) of 1 in 6,000 people passing the camera with a 10,000-image
watchlist; in its tests it saw 7 false positives at 0.60, one at 0.62 and none at 0.64.
:func:`load_references` turns those figures (``data/study_predictions.csv``) into named
:class:`Reference` objects, each carrying its threshold, watchlist size, the study's own
event count and the exposure behind it, and its citation; :func:`with_study_size` varies
the study size for a sensitivity analysis. :mod:`lfr_analysis.predictions` compares
deployments with them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from lfr_analysis.datasets import study_predictions
from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import rate_ci

__all__ = [
    "NPL_COUNT_ROWS",
    "NPL_RATE_ROW",
    "REFERENCE_VIEW",
    "Reference",
    "citation",
    "load_references",
    "references_table",
    "with_study_size",
]


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
    rate_derived : bool
        True when ``fpir`` was not published but derived as ``events / exposure`` under an
        assumed exposure (NPL's 0.62 figure: 1 event in the implied 42,000 passes), so that
        the rate moves with the exposure (:func:`with_study_size` with ``exposure=``).
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
    rate_derived: bool = False

    def __post_init__(self):
        where = f"Reference {self.name!r}"
        number = (int, float, np.integer, np.floating)
        if not isinstance(self.threshold, number) or not 0 <= self.threshold <= 1:
            raise ValueError(f"{where}: threshold={self.threshold!r} is not in [0, 1]")
        checks.whole(self.watchlist_size, f"{where}: watchlist_size", minimum=1)
        if self.events is not None:
            checks.whole(self.events, f"{where}: events")
        if self.fpir is None and self.events != 0:
            raise ValueError(f"{where}: fpir is needed unless events == 0")
        if self.fpir is not None and not (isinstance(self.fpir, number) and 0 < self.fpir < 1):
            raise ValueError(f"{where}: fpir={self.fpir!r} is not in (0, 1)")
        if self.events is not None:
            if self.exposure is None:
                raise ValueError(f"{where}: events need a positive exposure")
            checks.positive(self.exposure, f"{where}: exposure")
        if not isinstance(self.rate_derived, bool):
            raise TypeError(f"{where}: rate_derived must be True or False")
        if self.rate_derived and not (self.events and self.exposure):
            raise ValueError(f"{where}: a derived rate needs events (at least 1) and exposure")

    @property
    def rate_basis(self) -> str:
        """How the rate was obtained, in words: published, derived, or an upper bound only."""
        if self.zero_events:
            return "no events: an upper bound only, which depends on the assumed exposure"
        if self.rate_derived:
            return (
                f"derived: {self.events} event(s) / {self.exposure:,.0f} passes (an assumed "
                "exposure), not a published rate"
            )
        return "published rate"

    @property
    def zero_events(self) -> bool:
        """True when the study saw no events (only an upper bound exists)."""
        return self.events == 0

    def upper_bound(self, conf: float = 0.95) -> float:
        """Return the one-sided exact upper bound on the reference rate at level ``conf``.

        For zero events this is ``1 - (1 - conf)**(1/exposure)`` (about 3/exposure at 95%:
        the "rule of three"); otherwise the one-sided Clopper-Pearson bound.
        """
        if self.events is None:
            raise ValueError(f"Reference {self.name!r}: no event count, so no upper bound")
        trials = int(round(self.exposure))
        return float(rate_ci(self.events, trials, conf=conf, side="upper")["upper"].iloc[0])


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


def citation(table: pd.DataFrame, reference_ids: list[str]) -> str:
    """Cite rows of ``study_predictions.csv``: source title, address and date, with the ids."""
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
    each reference's ``exposure_basis``; change it with :func:`with_study_size`. The 0.62
    rate (1 event in those passes) is therefore itself derived from the assumed exposure,
    not published (``rate_derived``).

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
        # the published rate at 0.60; elsewhere the rate is the events over the passes the
        # 0.60 rate implies (derived, not published), or only a bound when there are none
        published = threshold == 0.60
        fpir = fpir_060 if published else (events / exposure if events else None)
        derived = not published and fpir is not None
        source = citation(table, [row_id, NPL_RATE_ROW])
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
            rate_derived=derived,
        )
    return references


def with_study_size(
    reference: Reference, *, basis: str, events: int | None = None, exposure: float | None = None
) -> Reference:
    """Return a copy of ``reference`` resting on a different study size (a sensitivity analysis).

    A published rate stays the same; only the study's own uncertainty changes. A rate that
    was derived from an assumed exposure (``rate_derived``, e.g. NPL's 0.62 figure) moves
    with the exposure: the events stay, the rate becomes ``events / exposure``.

    Parameters
    ----------
    reference : Reference
    basis : str
        Why this size (carried into outputs).
    events : int, optional
        For a reference with a published rate: the number of study events the rate is taken
        to rest on; the exposure becomes ``events / fpir``.
    exposure : float, optional
        For a zero-event reference: the passes (at the reference watchlist size) in which no
        event was seen (the upper bound changes with it); for a derived rate, the passes
        behind its events (the rate changes with it).

    Raises
    ------
    ValueError
        When the argument does not fit the reference (events for a zero-event reference, or
        exposure for a published rate) or is not positive.
    """
    if not isinstance(reference, Reference):
        raise TypeError(f"reference must be a Reference, got {type(reference).__name__}")
    if not isinstance(basis, str) or not basis.strip():
        raise ValueError(f"basis must say why this study size, got {basis!r}")
    if reference.zero_events or reference.rate_derived:
        if events is not None or exposure is None:
            why = "saw no events" if reference.zero_events else "rests on an assumed exposure"
            raise ValueError(f"{reference.name!r} {why}: give exposure, not events")
        exposure = float(checks.positive(exposure, "exposure")[0][0])
        if reference.zero_events:
            return replace(reference, exposure=exposure, exposure_basis=basis)
        return replace(
            reference, exposure=exposure, fpir=reference.events / exposure, exposure_basis=basis
        )
    if exposure is not None or events is None:
        raise ValueError(f"{reference.name!r} rests on a rate: give events, not exposure")
    events = checks.whole(events, "events", minimum=1)
    return replace(
        reference, events=int(events), exposure=events / reference.fpir, exposure_basis=basis
    )


#: The columns :func:`references_table` returns by default; ``full=True`` adds
#: ``exposure_basis`` and ``source``.
REFERENCE_VIEW = [
    "name",
    "threshold",
    "watchlist_size",
    "fpir",
    "one_in",
    "rate_basis",
    "events",
    "exposure",
    "upper_one_sided",
    "one_in_at_upper",
]


def references_table(
    references: dict[str, Reference], conf: float = 0.95, *, full: bool = False
) -> pd.DataFrame:
    """Return the references as a table: rate, '1 in N', event count, exposure and bound.

    Parameters
    ----------
    references : dict of str to Reference
        E.g. :func:`load_references`.
    conf : float
        Level of the one-sided upper bounds (``upper_one_sided``).
    full : bool
        Add ``exposure_basis`` and ``source`` (long text) to the reader's view
        (:data:`REFERENCE_VIEW`).
    """
    conf = checks.conf_level(conf)
    if not isinstance(full, bool):
        raise TypeError(f"full must be True or False, not {full!r}")
    if not isinstance(references, dict) or not references:
        raise TypeError("references must be a non-empty dict of name -> Reference")
    records = []
    for key, ref in references.items():
        if not isinstance(ref, Reference):
            raise TypeError(f"references[{key!r}] must be a Reference, got {type(ref).__name__}")
        upper = ref.upper_bound(conf) if ref.events is not None else np.nan
        records.append(
            {
                "key": key,
                "name": ref.name,
                "threshold": ref.threshold,
                "watchlist_size": ref.watchlist_size,
                "fpir": np.nan if ref.fpir is None else ref.fpir,
                "one_in": np.nan if ref.fpir is None else 1 / ref.fpir,
                "rate_basis": ref.rate_basis,
                "events": ref.events,
                "exposure": ref.exposure,
                "upper_one_sided": upper,
                "one_in_at_upper": 1 / upper if upper > 0 else np.nan,
                "conf": conf,
                "exposure_basis": ref.exposure_basis,
                "source": ref.source,
            }
        )
    table = pd.DataFrame.from_records(records).set_index("key")
    return table if full else table[REFERENCE_VIEW]
