"""The data manifest: ``data/datapackage.json`` (a Frictionless Data Package).

Each data file is declared once, by a :class:`~lfr_analysis.datasets.dataset.Dataset` in
its own module of :mod:`lfr_analysis.datasets`; :func:`build_manifest` turns the declared
datasets (the registry, :data:`lfr_analysis.datasets.REGISTRY`) into the manifest, adding
each file's size and SHA-256. Loaders verify a file against it with
:func:`verify_checksum`, so a file edited by hand, or a regenerated file whose manifest
was not refreshed, is caught. Refresh with::

    lfr-analysis data manifest
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from lfr_analysis import files, paths
from lfr_analysis.datasets.reader import ChecksumError, fields_schema

__all__ = [
    "DATA_VERSION",
    "MANIFEST_NAME",
    "build_manifest",
    "citation",
    "manifest_path",
    "read_manifest",
    "sha256_of",
    "verify_checksum",
    "write_manifest",
]

MANIFEST_NAME = "datapackage.json"

LICENCE_NOTE = (
    "The data files are facts transcribed from the cited public sources and remain under "
    "those sources' own terms (for the Metropolitan Police Service's deployment records: "
    "reuse within the exceptions of copyright law, accurately and with the source "
    "referenced). Each row cites its source. The code of lfr-analysis is BSD-3-Clause."
)

#: The data package's version: raise the minor part when a data file changes, the major
#: part when a file's columns change (the revision log says what changed).
DATA_VERSION = "2.0.0"

PACKAGE_META = {
    "profile": "tabular-data-package",
    "name": "lfr-analysis-data",
    "version": DATA_VERSION,
    "title": "Live Facial Recognition in London: deployments, predictions, arrests, claims",
    "description": (
        "Cited facts about police Live Facial Recognition deployments in London and the "
        "figures published about them, as used by the lfr-analysis notebooks."
    ),
    "licenses": [{"name": "source-terms", "title": LICENCE_NOTE}],
}


def sha256_of(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def manifest_path(data_folder: Path | None = None) -> Path:
    """Return the manifest's path in ``data_folder`` (default: the data folder)."""
    return Path(data_folder or paths.data_dir()) / MANIFEST_NAME


def _resource_entry(dataset, folder: Path) -> dict:
    file = folder / dataset.file
    data = file.read_bytes()
    description, extra = dataset.description, {}
    if dataset.summary is not None:
        sentence, extra = dataset.summary(dataset.read(file, verify_checksum=False), folder)
        description = f"{description} {sentence}".strip()
        extra = {**extra, "_summary": f"{dataset.file}: {sentence}"}
    entry = {
        "name": dataset.name,
        "path": dataset.file,
        "title": dataset.title,
        "description": description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{sha256_of(data)}",
        "sources": list(dataset.sources),
        "licenses": PACKAGE_META["licenses"],
        "schema": fields_schema(dataset.columns),
    }
    if dataset.version is not None:
        entry["version"] = dataset.version
    return {**entry, **extra}


def build_manifest(datasets: Iterable, data_folder: Path | None = None) -> dict:
    """Return the manifest of ``datasets`` for the files in ``data_folder`` as a dict.

    Parameters
    ----------
    datasets : iterable of Dataset
        The declared data files, in manifest order (normally the registry's values).
    data_folder : pathlib.Path, optional
        Where the files are (default: the data folder).

    Raises
    ------
    ValueError
        When a CSV file in the folder is declared by no dataset, a file is declared twice,
        or a declared file is missing: every data file must carry its description and
        citation.
    """
    folder = Path(data_folder or paths.data_dir())
    datasets = list(datasets)
    files = [d.file for d in datasets]
    twice = sorted({f for f in files if files.count(f) > 1})
    if twice:
        raise ValueError(f"data files declared by more than one dataset: {twice}")
    undeclared = sorted(p.name for p in folder.glob("*.csv") if p.name not in files)
    if undeclared:
        raise ValueError(
            "data files declared by no dataset (add a module to lfr_analysis.datasets): "
            f"{undeclared}"
        )
    missing = sorted(f for f in files if not (folder / f).is_file())
    if missing:
        raise ValueError(f"declared data files not found in {folder.name}/: {missing}")
    resources = [_resource_entry(d, folder) for d in datasets]
    notes = [r.pop("_summary") for r in resources if "_summary" in r]
    description = " ".join([PACKAGE_META["description"], *notes])
    return {**PACKAGE_META, "description": description, "resources": resources}


def write_manifest(datasets: Iterable, data_folder: Path | None = None) -> Path:
    """Write ``datapackage.json`` for ``datasets`` in the data folder; return its path."""
    manifest = build_manifest(datasets, data_folder)
    target = manifest_path(data_folder)
    files.write_text(target, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return target


def read_manifest(data_folder: Path | None = None) -> dict:
    """Return the parsed manifest, or raise :class:`ChecksumError` when it is absent."""
    target = manifest_path(data_folder)
    if not target.is_file():
        raise ChecksumError(
            f"{paths.missing_file_message(target)}; in a checkout, 'lfr-analysis data "
            "manifest' writes it"
        )
    return json.loads(target.read_text(encoding="utf-8"))


def _resource_for(path: Path) -> dict:
    """Return the manifest entry of the data file at ``path``."""
    path = Path(path)
    manifest = read_manifest(path.parent)
    for resource in manifest["resources"]:
        if resource["path"] == path.name:
            return resource
    raise ChecksumError(
        f"{path.parent.name}/{path.name} is not listed in {MANIFEST_NAME}; declare it in a "
        "module of lfr_analysis.datasets and run 'lfr-analysis data manifest'"
    )


def verify_checksum(path: Path, data: bytes | None = None) -> None:
    """Check a data file against the SHA-256 recorded in the manifest beside it.

    Parameters
    ----------
    path : pathlib.Path
        The data file.
    data : bytes, optional
        The file's content when already read.

    Raises
    ------
    ChecksumError
        When the file differs from the manifest, naming the file and how to refresh.
    """
    path = Path(path)
    data = path.read_bytes() if data is None else data
    expected = _resource_for(path)["hash"].removeprefix("sha256:")
    actual = sha256_of(data)
    if actual != expected and sha256_of(data.replace(b"\r\n", b"\n")) == expected:
        raise ChecksumError(
            f"{path.parent.name}/{path.name} (whole file) has Windows line endings (CR LF) "
            f"where the committed file has LF, so its sha256 differs from {MANIFEST_NAME}: "
            "the file was converted on checkout. Do not refresh the manifest; check the data "
            "out again byte for byte (the repository's .gitattributes marks data/ as binary: "
            "git rm --cached -r data && git reset --hard, or clone afresh)."
        )
    if actual != expected:
        raise ChecksumError(
            f"{path.parent.name}/{path.name} (whole file) has changed since "
            f"{MANIFEST_NAME} was written: sha256 {actual[:12]}..., manifest "
            f"{expected[:12]}.... If the change is intended (a rebuilt or corrected file), "
            "run 'lfr-analysis data manifest' to refresh the manifest and commit both; "
            "otherwise restore the file (git checkout -- "
            f"{path.parent.name}/{path.name})."
        )


def citation(file_name: str, data_folder: Path | None = None) -> list[dict]:
    """Return the ``sources`` (title and URL) recorded for a data file."""
    return _resource_for(Path(data_folder or paths.data_dir()) / file_name)["sources"]
