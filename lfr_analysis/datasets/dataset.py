"""What a data file is: its columns, checks, citation and how to read it.

Each module of :mod:`lfr_analysis.datasets` declares one data file as a :class:`Dataset`
(the pattern of statsmodels' ``datasets/<name>/data.py``: the file's meaning, citation and
loader in one small module). The registry (:data:`lfr_analysis.datasets.REGISTRY`)
gathers them; the manifest (:mod:`lfr_analysis.datasets.manifest`) is built from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lfr_analysis import paths
from lfr_analysis.datasets import manifest, reader
from lfr_analysis.datasets.reader import Column, DataValidationError, Problem, read_table

__all__ = ["Dataset"]


@dataclass(frozen=True)
class Dataset:
    """Declaration of one data file in ``data/``.

    Attributes
    ----------
    file : str
        File name in the data folder, e.g. ``"deployments.csv"``.
    name : str
        Resource name in ``datapackage.json``.
    title, description : str
        What the file holds, in the manifest's words.
    sources : tuple of dict
        The file's sources (``{"title": ..., "path": url}``); rows cite their own too.
    columns : list of Column
        The declared columns, in file order.
    unique : tuple of str
        Columns that are (jointly) unique across rows.
    checks : callable, optional
        ``checks(frame, file_name) -> list[Problem]``: relations between columns.
    version : str, optional
        Version of a hand-kept file (written into the manifest).
    summary : callable, optional
        ``summary(frame, folder) -> (sentence, fields)``: facts computed from the loaded
        file (and the other files in its folder) for the manifest: a sentence added to its
        description and extra resource fields.
    """

    file: str
    name: str
    title: str
    description: str
    sources: tuple[dict, ...]
    columns: list[Column]
    unique: tuple[str, ...] = ()
    checks: Callable[[pd.DataFrame, str], list[Problem]] | None = None
    version: str | None = None
    summary: Callable[[pd.DataFrame, Path], tuple[str, dict]] | None = None

    def path(self) -> Path:
        """Return the file's path in the data folder (see :mod:`lfr_analysis.paths`)."""
        return paths.data_dir() / self.file

    def read(self, path: str | Path | None = None, *, verify_checksum: bool = True):
        """Read, convert and validate the file (or another copy of it at ``path``).

        Parameters
        ----------
        path : str or pathlib.Path, optional
            Another copy of the file (for tests); default :meth:`path`.
        verify_checksum : bool
            Check the file against the ``datapackage.json`` beside it.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        lfr_analysis.datasets.reader.DataValidationError
            Listing every problem (file, line, column, value).
        lfr_analysis.datasets.reader.ChecksumError
            When the file differs from the manifest.
        """
        return read_table(
            Path(path) if path is not None else self.path(),
            self.columns,
            unique=self.unique,
            extra_checks=self.checks,
            verify=manifest.verify_checksum if verify_checksum else None,
        )

    def read_text(self, path: str | Path | None = None) -> str:
        """Return the file's text decoded by the loader's own rules (UTF-8, a BOM dropped).

        Raises
        ------
        lfr_analysis.datasets.reader.DataValidationError
            When the file is absent or not UTF-8, naming the file and line.
        """
        target = Path(path) if path is not None else self.path()
        name = reader.display_name(target)
        if not target.is_file():
            raise DataValidationError([Problem(name, None, None, None, "file not found")])
        return reader._decode(target.read_bytes(), name)
