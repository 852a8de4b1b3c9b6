"""The deployment record as an analysis sees it: load it, count it, summarise it.

The files themselves are declared in :mod:`lfr_analysis.datasets` (columns, checks,
citations); this module offers their loaders under short names and the summaries the
notebooks show:

:func:`load_deployments`, :func:`load_other_deployments`, :func:`load_secondary_rows`
    Read and validate ``deployments.csv``, ``other_deployments.csv`` and
    ``met_secondary_rows.csv`` (checksum verified, every problem reported at once).
:func:`load_study_predictions`, :func:`load_arrests`, :func:`load_taxonomy`,
:func:`load_published_figures`
    The same for the other data files, so that a notebook reads every file through here.
:func:`flag_counts`
    Rows carrying each quality flag, with the flag's meaning.
:func:`monthly_activity`
    Deployments, faces seen and alerts per month and source type.
:func:`coverage`
    Rows, dates and known key fields per source document.
:func:`settings_by_threshold`
    Dates, deployments and watchlist range per threshold setting.
:func:`load_btp_deployments`, :func:`load_corrections`, :func:`load_gazetteer`,
:func:`load_transcription_check`, :func:`load_source_registry`, :func:`load_revisions`
    The record's other files: British Transport Police deployments, the corrections with
    their evidence, the borough gazetteer, the transcription's overlap with the PDFs, what
    each address of a record served, and what newer versions changed.
:func:`source_type_counts`
    Rows of each tier (``source_type``) a table holds: every result table states them.
:func:`data_as_of`
    The last deployment date per source and per tier.
:func:`transcription_disagreement`
    Where the third-party transcription differs from the Met's PDF, computed row by row.
:func:`corrections_applied`
    Each correction with the row it corrects, printed and corrected side by side.
:func:`borough_coverage`
    Rows with a borough, by tier and by the basis of the assignment.
:func:`quirk_rows`
    The rows carrying given quality flags, in a reader's view.
"""

from __future__ import annotations

import pandas as pd

from lfr_analysis.datasets import (
    arrests_by_offence,
    borough_gazetteer,
    btp_deployments,
    corrections,
    deployments,
    met_secondary_rows,
    offence_taxonomy,
    other_deployments,
    published_figures,
    revisions,
    source_registry,
    study_predictions,
    transcription_check,
)
from lfr_analysis.datasets import deployments as deployments_dataset
from lfr_analysis.datasets.deployments import QUALITY_FLAGS

__all__ = [
    "QUALITY_FLAGS",
    "QUIRK_VIEW",
    "TIERS",
    "borough_coverage",
    "corrections_applied",
    "coverage",
    "data_as_of",
    "flag_counts",
    "load_arrests",
    "load_btp_deployments",
    "load_corrections",
    "load_deployments",
    "load_gazetteer",
    "load_other_deployments",
    "load_published_figures",
    "load_revisions",
    "load_secondary_rows",
    "load_source_registry",
    "load_study_predictions",
    "load_taxonomy",
    "load_transcription_check",
    "monthly_activity",
    "quirk_rows",
    "settings_by_threshold",
    "source_type_counts",
    "split_flags",
    "transcription_disagreement",
]

#: The tiers of the record, in the order results state them.
TIERS = ("primary", "secondary")

load_deployments = deployments.load
load_other_deployments = other_deployments.load
load_secondary_rows = met_secondary_rows.load
load_study_predictions = study_predictions.load
load_arrests = arrests_by_offence.load
load_taxonomy = offence_taxonomy.load
load_published_figures = published_figures.load
load_btp_deployments = btp_deployments.load
load_corrections = corrections.load
load_gazetteer = borough_gazetteer.load
load_transcription_check = transcription_check.load
load_source_registry = source_registry.load
load_revisions = revisions.load


def split_flags(flags: pd.Series) -> pd.DataFrame:
    """Return one (row index, flag) pair per flag set in a ``quality_flags`` column."""
    pairs = [
        (index, flag)
        for index, text in flags.items()
        if isinstance(text, str) and text
        for flag in text.split(";")
    ]
    return pd.DataFrame(pairs, columns=["row", "flag"])


def flag_counts(deployments: pd.DataFrame) -> pd.DataFrame:
    """Count the rows carrying each quality flag, by source type, with the flag's meaning.

    Parameters
    ----------
    deployments : pandas.DataFrame
        As returned by :func:`load_deployments` or :func:`load_other_deployments`.

    Returns
    -------
    pandas.DataFrame
        Indexed by flag: one column of row counts per source type, and ``meaning``.
    """
    pairs = split_flags(deployments["quality_flags"])
    pairs["source_type"] = deployments.loc[pairs["row"], "source_type"].to_numpy()
    table = pairs.pivot_table(
        index="flag", columns="source_type", values="row", aggfunc="count", fill_value=0
    )
    table.columns.name = None
    table["meaning"] = [QUALITY_FLAGS[flag] for flag in table.index]
    return table


def monthly_activity(deployments: pd.DataFrame) -> pd.DataFrame:
    """Deployments, faces seen and alerts per calendar month and source type.

    Parameters
    ----------
    deployments : pandas.DataFrame
        As returned by :func:`load_deployments`.

    Returns
    -------
    pandas.DataFrame
        One row per (month, source_type) with ``deployments``, and for each of
        ``faces_seen``, ``alerts``, ``false_alerts`` the sum over rows where it is known
        and the number of rows where it is unknown (``<name>_unknown``): unknown counts
        are never treated as 0.
    """
    frame = deployments.assign(month=deployments["date"].dt.to_period("M"))
    grouped = frame.groupby(["month", "source_type"])
    result = grouped.size().rename("deployments").to_frame()
    for name in ("faces_seen", "alerts", "false_alerts"):
        result[name] = grouped[name].sum(min_count=1).astype("Int64")
        result[f"{name}_unknown"] = grouped[name].agg(lambda s: int(s.isna().sum()))
    return result.reset_index()


def coverage(deployments: pd.DataFrame) -> pd.DataFrame:
    """Rows, dates and how many rows carry each key field, per source document.

    Returns
    -------
    pandas.DataFrame
        One row per source (the PDF file name, the transcription of a PDF, or the
        third-party transcription of a year's record; see
        :func:`lfr_analysis.datasets.deployments.source_names`) with ``source_type``,
        ``rows``, ``first``, ``last`` and the number of rows with a known
        ``watchlist_size``, ``threshold``, ``faces_seen``, ``false_alerts``,
        ``true_alerts``, ``arrests``.
    """
    frame = deployments.assign(document=deployments_dataset.source_names(deployments))
    known = ["watchlist_size", "threshold", "faces_seen", "false_alerts", "true_alerts", "arrests"]
    grouped = frame.groupby("document", sort=False)
    result = grouped.agg(
        source_type=("source_type", "first"),
        rows=("deployment_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
    )
    for name in known:
        result[f"with_{name}"] = grouped[name].agg(lambda s: int(s.notna().sum()))
    return result


def settings_by_threshold(deployments: pd.DataFrame) -> pd.DataFrame:
    """First and last date, deployments and watchlist range for each threshold setting.

    Only rows with a printed threshold (the Met's PDFs from 2023) are counted.
    """
    frame = deployments.dropna(subset=["threshold"])
    return frame.groupby("threshold").agg(
        deployments=("deployment_id", "size"),
        first=("date", "min"),
        last=("date", "max"),
        watchlist_min=("watchlist_size", "min"),
        watchlist_max=("watchlist_size", "max"),
    )


def source_type_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Return how many rows of each tier a table holds: ``{"primary": n, "secondary": m}``.

    Every tier of :data:`TIERS` is a key (0 when absent), so a result table can state
    its tiers in one line, e.g. ``table.attrs["source_types"] = source_type_counts(rows)``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with a ``source_type`` column (as loaded, or the rows a result used).

    Raises
    ------
    ValueError
        When ``source_type`` is missing or holds a value that is not a tier.
    """
    if "source_type" not in frame.columns:
        raise ValueError("the table has no 'source_type' column to count tiers by")
    counts = frame["source_type"].value_counts()
    unknown = sorted(set(counts.index) - set(TIERS))
    if unknown:
        raise ValueError(f"source_type holds values that are not tiers {TIERS}: {unknown}")
    return {tier: int(counts.get(tier, 0)) for tier in TIERS}


def data_as_of(deployments: pd.DataFrame) -> pd.DataFrame:
    """The last (and first) deployment date per source and per tier.

    Parameters
    ----------
    deployments : pandas.DataFrame
        :func:`load_deployments` (or :func:`load_btp_deployments`, or both concatenated).

    Returns
    -------
    pandas.DataFrame
        One row per source document and tier: ``source``, ``tier``, ``rows``,
        ``first_date``, ``last_date``, then one row per tier (``source`` "all sources"),
        in date order.
    """
    by_source = deployments_dataset.last_dates(deployments)
    by_tier = (
        deployments.groupby("source_type")["date"]
        .agg(rows="size", first_date="min", last_date="max")
        .reset_index()
        .rename(columns={"source_type": "tier"})
        .assign(source="all sources")
    )
    return pd.concat([by_source, by_tier[by_source.columns]], ignore_index=True)


def transcription_disagreement(
    deployments: pd.DataFrame | None = None, overlap: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Where the third-party transcription differs from the Met's PDF, field by field.

    Parameters
    ----------
    deployments : pandas.DataFrame, optional
        :func:`load_deployments` (default: loaded).
    overlap : pandas.DataFrame, optional
        :func:`load_transcription_check` (default: loaded).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(differences, summary)``: one row per differing field (record, deployment,
        date, location, field, transcribed and printed value, ``kind`` count or note), and
        a one-row summary: ``rows_compared``, ``rows_differing``, ``share_differing``,
        then the differing count of each compared field and ``rows_with_note_conflicts``.
    """
    deployments = load_deployments() if deployments is None else deployments
    overlap = load_transcription_check() if overlap is None else overlap
    differences = transcription_check.compare(deployments, overlap)
    per_field = differences.groupby("field").size()
    summary = {
        "rows_compared": len(overlap),
        "rows_differing": differences["record_id"].nunique(),
    }
    summary["share_differing"] = summary["rows_differing"] / len(overlap)
    for field in transcription_check.COMPARED:
        summary[field] = int(per_field.get(field, 0))
    notes = differences.loc[differences["kind"] == "note", "record_id"]
    summary["rows_with_note_conflicts"] = notes.nunique()
    return differences, pd.DataFrame([summary])


def corrections_applied(deployments: pd.DataFrame, fixes: pd.DataFrame | None = None):
    """Each correction beside the row it corrects: printed value, corrected value, evidence.

    Returns
    -------
    pandas.DataFrame
        ``deployment_id``, ``location``, ``field``, ``value_as_printed``,
        ``corrected_value``, ``value_used`` (what the table now holds), ``evidence``,
        ``sources``.
    """
    fixes = load_corrections() if fixes is None else fixes
    rows = deployments.set_index("deployment_id")
    used = [
        rows.loc[i, f].date().isoformat() if f == "date" else str(rows.loc[i, f])
        for i, f in zip(fixes["deployment_id"], fixes["field"], strict=True)
    ]
    table = fixes.assign(
        location=rows.loc[fixes["deployment_id"], "location"].to_numpy(), value_used=used
    )
    order = ["deployment_id", "location", "field", "value_as_printed", "corrected_value"]
    return table[[*order, "value_used", "evidence", "sources"]]


def borough_coverage(deployments: pd.DataFrame) -> pd.DataFrame:
    """Rows with and without a borough, by tier, and the basis of each assignment.

    Returns
    -------
    pandas.DataFrame
        Indexed by (tier, basis), where basis is the source of the assignment (the text
        names the borough, the gazetteer, a transcriber, the same text elsewhere),
        ``ambiguous`` or ``none``; columns ``rows`` and ``share`` of the tier's rows.
    """
    basis = deployments["borough_basis"].fillna("none")
    basis = basis.str.replace(r"^borough_gazetteer\.csv [^:]*: (.*)$", r"gazetteer: \1", regex=True)
    flags = deployments["quality_flags"].fillna("")
    basis = basis.where(~flags.str.contains("borough_ambiguous"), "ambiguous")
    table = (
        deployments.assign(basis=basis)
        .groupby(["source_type", "basis"])
        .size()
        .rename("rows")
        .to_frame()
    )
    table["share"] = table["rows"] / table.groupby(level=0)["rows"].transform("sum")
    table.index.names = ["tier", "basis"]
    return table


#: The columns :func:`quirk_rows` shows.
QUIRK_VIEW = (
    "deployment_id",
    "date",
    "date_as_printed",
    "location",
    "watchlist_size",
    "threshold",
    "alerts",
    "true_alerts",
    "false_alerts",
    "quality_flags",
)


def quirk_rows(deployments: pd.DataFrame, flags: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The rows carrying any of ``flags``, with the columns a reader checks them by.

    The columns are those of :data:`QUIRK_VIEW` the table has (``other_deployments.csv``
    has no ``date_as_printed``).

    Parameters
    ----------
    deployments : pandas.DataFrame
        :func:`load_deployments` or a part of it.
    flags : sequence of str
        Quality flags (keys of :data:`QUALITY_FLAGS`).

    Raises
    ------
    ValueError
        When a flag is not in the vocabulary.
    """
    unknown = [flag for flag in flags if flag not in QUALITY_FLAGS]
    if unknown:
        raise ValueError(f"not quality flags: {unknown}; see lfr_analysis.data.QUALITY_FLAGS")
    carried = deployments["quality_flags"].fillna("").str.split(";")
    chosen = carried.map(lambda row: any(flag in row for flag in flags))
    view = [column for column in QUIRK_VIEW if column in deployments.columns]
    return deployments.loc[chosen, view].reset_index(drop=True)
