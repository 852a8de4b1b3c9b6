"""The suite's data files: what each one is, where it comes from, and how to read it.

One module per file in ``data/``, each holding the file's columns, checks, citation and
loader (the statsmodels ``datasets`` pattern):

============================  ========================================================
module                        file
============================  ========================================================
:mod:`.deployments`           ``deployments.csv``, the Met's deployment record
:mod:`.met_secondary_rows`    ``met_secondary_rows.csv``, the transcribed later rows
:mod:`.other_deployments`     ``other_deployments.csv``, trials, other forces, news
:mod:`.pdf_transcriptions`    ``pdf_transcriptions.csv``, cells of PDFs not held here
:mod:`.corrections`           ``corrections.csv``, printed values corrected, with evidence
:mod:`.borough_gazetteer`     ``borough_gazetteer.csv``, location text to borough
:mod:`.transcription_check`   ``transcription_check.csv``, transcription against the PDF
:mod:`.btp_secondary_rows`    ``btp_secondary_rows.csv``, the BTP register as quoted
:mod:`.btp_deployments`       ``btp_deployments.csv``, BTP deployments
:mod:`.source_registry`       ``source_registry.csv``, what each address served, when
:mod:`.revisions`             ``revisions.csv``, fields changed by newer versions
:mod:`.study_predictions`     ``study_predictions.csv``, NPL 2023 and other studies
:mod:`.arrests_by_offence`    ``arrests_by_offence.csv``, published arrest counts
:mod:`.offence_taxonomy`      ``offence_taxonomy.csv``, categories on harmonised axes
:mod:`.published_figures`     ``published_figures.csv``, figures published about LFR
============================  ========================================================

:data:`REGISTRY` lists them in manifest order; :func:`load` reads one by name and
:func:`cite` gives its sources. :mod:`.reader` is the one strict CSV reader behind every
loader, :mod:`.manifest` writes and checks ``data/datapackage.json``, and :mod:`.sources`
names the Met's published PDFs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis import paths
from lfr_analysis.datasets import (
    arrests_by_offence,
    borough_gazetteer,
    btp_deployments,
    btp_secondary_rows,
    census2021_boroughs,
    corrections,
    deployments,
    london_tile_grid,
    manifest,
    met_secondary_rows,
    mps_borough_crime,
    offence_taxonomy,
    other_deployments,
    pdf_transcriptions,
    published_figures,
    revisions,
    source_registry,
    study_predictions,
    transcription_check,
)
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import DataValidationError

__all__ = ["REGISTRY", "Dataset", "build_manifest", "cite", "load", "write_manifest"]

#: Every data file, by resource name, in the order of ``datapackage.json``.
REGISTRY: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        deployments.DATASET,
        met_secondary_rows.DATASET,
        other_deployments.DATASET,
        pdf_transcriptions.DATASET,
        corrections.DATASET,
        borough_gazetteer.DATASET,
        transcription_check.DATASET,
        btp_secondary_rows.DATASET,
        btp_deployments.DATASET,
        source_registry.DATASET,
        revisions.DATASET,
        study_predictions.DATASET,
        arrests_by_offence.DATASET,
        offence_taxonomy.DATASET,
        published_figures.DATASET,
        census2021_boroughs.DATASET,
        london_tile_grid.DATASET,
        mps_borough_crime.DATASET,
    )
}


def _dataset(name: str) -> Dataset:
    for dataset in REGISTRY.values():
        if name in (dataset.name, dataset.file):
            return dataset
    known = ", ".join(f"{d.name} ({d.file})" for d in REGISTRY.values())
    raise ValueError(f"no data file called {name!r}; known: {known}")


def load(name: str, path: str | Path | None = None, *, verify_checksum: bool = True):
    """Read one data file by resource name or file name, e.g. ``load("deployments.csv")``.

    Parameters
    ----------
    name : str
        Resource name (``"deployments"``) or file name (``"deployments.csv"``).
    path : str or pathlib.Path, optional
        Another copy of the file.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        The validated table (all rows; :func:`lfr_analysis.datasets.deployments.load`
        offers the primary rows alone).
    """
    table: pd.DataFrame = _dataset(name).read(path, verify_checksum=verify_checksum)
    return table


def cite(name: str) -> list[dict]:
    """Return the sources (``title`` and ``path``, a URL) declared for a data file."""
    return list(_dataset(name).sources)


def build_manifest(data_folder: Path | None = None) -> dict:
    """Return ``datapackage.json`` for every registered file, as a dict."""
    return manifest.build_manifest(REGISTRY.values(), data_folder)


def write_manifest(data_folder: Path | None = None) -> Path:
    """Write ``datapackage.json`` for every registered file; return its path.

    The manifest blesses the files as they are, so each is first read by its own loader
    (every value and relation check, the checksum aside): if any loader refuses its file,
    nothing is written.

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        Listing every problem of every refused file (file, line, column, value).
    ValueError
        When a data file is declared by no dataset, or twice.
    """
    folder = Path(data_folder) if data_folder is not None else paths.data_dir()
    problems = []
    for dataset in REGISTRY.values():
        try:
            dataset.read(folder / dataset.file, verify_checksum=False)
        except DataValidationError as err:
            problems += err.problems
    if problems:
        raise DataValidationError(
            problems,
            context=(
                f"{manifest.MANIFEST_NAME} not written: the loaders refuse these files, and "
                "the manifest would bless them. Correct the files (or restore them with "
                "git checkout -- data/), then run 'lfr-analysis data manifest' again."
            ),
        )
    return manifest.write_manifest(REGISTRY.values(), folder)
