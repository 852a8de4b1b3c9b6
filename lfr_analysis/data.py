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
"""

from __future__ import annotations

import pandas as pd

from lfr_analysis.datasets import (
    arrests_by_offence,
    deployments,
    met_secondary_rows,
    offence_taxonomy,
    other_deployments,
    published_figures,
    study_predictions,
)
from lfr_analysis.datasets.deployments import QUALITY_FLAGS

__all__ = [
    "QUALITY_FLAGS",
    "coverage",
    "flag_counts",
    "load_arrests",
    "load_deployments",
    "load_other_deployments",
    "load_published_figures",
    "load_secondary_rows",
    "load_study_predictions",
    "load_taxonomy",
    "monthly_activity",
    "settings_by_threshold",
    "split_flags",
]

load_deployments = deployments.load
load_other_deployments = other_deployments.load
load_secondary_rows = met_secondary_rows.load
load_study_predictions = study_predictions.load
load_arrests = arrests_by_offence.load
load_taxonomy = offence_taxonomy.load
load_published_figures = published_figures.load


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
        One row per source (the PDF file name, or 'secondary transcription') with
        ``source_type``, ``rows``, ``first``, ``last`` and the number of rows with a known
        ``watchlist_size``, ``threshold``, ``faces_seen``, ``false_alerts``,
        ``true_alerts``, ``arrests``.
    """
    document = deployments["source_table"].str.split(",").str[0]
    document = document.where(deployments["source_type"] == "primary", "secondary transcription")
    frame = deployments.assign(document=document)
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
