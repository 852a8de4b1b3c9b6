"""The data manifest: ``data/datapackage.json`` (a Frictionless Data Package).

Each topic module that owns a data file declares it in a module-level ``DATA_RESOURCES``
list; :func:`write_datapackage` gathers them from :data:`RESOURCE_MODULES`, adds each
file's size and SHA-256, and writes the manifest. Loaders call :func:`verify_checksum`
(through :func:`lfr_analysis.validation.read_table`) so a file edited by hand, or a
regenerated file whose manifest was not refreshed, is caught. Refresh with::

    lfr-analysis data manifest
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
from pathlib import Path

from lfr_analysis import paths
from lfr_analysis.validation import ChecksumError, fields_schema

MANIFEST_NAME = "datapackage.json"

#: Modules whose ``DATA_RESOURCES`` describe files in ``data/``.
RESOURCE_MODULES = (
    "lfr_analysis.data",
    "lfr_analysis.predictions",
    "lfr_analysis.arrests",
    "lfr_analysis.claims",
)

LICENCE_NOTE = (
    "The data files are facts transcribed from the cited public sources and remain under "
    "those sources' own terms (for the Metropolitan Police Service's deployment records: "
    "reuse within the exceptions of copyright law, accurately and with the source "
    "referenced). Each row cites its source. The code of lfr-analysis is BSD-3-Clause."
)

PACKAGE_META = {
    "profile": "tabular-data-package",
    "name": "lfr-analysis-data",
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


def declared_resources() -> list[dict]:
    """Return every ``DATA_RESOURCES`` entry of the modules that exist, in module order."""
    resources = []
    for module_name in RESOURCE_MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        resources.extend(getattr(module, "DATA_RESOURCES", []))
    return resources


def _resource_entry(resource: dict, folder: Path) -> dict:
    file = folder / resource["path"]
    data = file.read_bytes()
    return {
        "name": resource["name"],
        "path": resource["path"],
        "title": resource["title"],
        "description": resource["description"],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{sha256_of(data)}",
        "sources": resource["sources"],
        "licenses": PACKAGE_META["licenses"],
        "schema": fields_schema(resource["columns"]),
    }


def build_manifest(data_folder: Path | None = None) -> dict:
    """Return the manifest for the files in ``data_folder`` as a dict.

    Raises
    ------
    ValueError
        When a CSV file in the folder is described by no module, or a described file is
        missing: every data file must carry its description and citation.
    """
    folder = Path(data_folder or paths.data_dir())
    resources = declared_resources()
    declared = {r["path"] for r in resources}
    if len(declared) != len(resources):
        twice = sorted(
            {r["path"] for r in resources if [x["path"] for x in resources].count(r["path"]) > 1}
        )
        raise ValueError(f"data files declared more than once in DATA_RESOURCES: {twice}")
    undeclared = sorted(p.name for p in folder.glob("*.csv") if p.name not in declared)
    if undeclared:
        raise ValueError(
            f"data files with no DATA_RESOURCES entry (add one in their module): {undeclared}"
        )
    missing = sorted(p for p in declared if not (folder / p).is_file())
    if missing:
        raise ValueError(f"declared data files not found in {folder.name}/: {missing}")
    return {**PACKAGE_META, "resources": [_resource_entry(r, folder) for r in resources]}


def write_datapackage(data_folder: Path | None = None) -> Path:
    """Write ``datapackage.json`` for the data folder; return its path."""
    manifest = build_manifest(data_folder)
    target = manifest_path(data_folder)
    target.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def read_manifest(data_folder: Path | None = None) -> dict:
    """Return the parsed manifest, or raise :class:`ChecksumError` when it is absent."""
    target = manifest_path(data_folder)
    if not target.is_file():
        raise ChecksumError(
            f"{target.parent.name}/{MANIFEST_NAME} not found; run 'lfr-analysis data manifest'"
        )
    return json.loads(target.read_text(encoding="utf-8"))


def resource_for(path: Path) -> dict:
    """Return the manifest entry of the data file at ``path``."""
    path = Path(path)
    manifest = read_manifest(path.parent)
    for resource in manifest["resources"]:
        if resource["path"] == path.name:
            return resource
    raise ChecksumError(
        f"{path.parent.name}/{path.name} is not listed in {MANIFEST_NAME}; declare it in its "
        "module's DATA_RESOURCES and run 'lfr-analysis data manifest'"
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
    expected = resource_for(path)["hash"].removeprefix("sha256:")
    actual = sha256_of(data)
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
    return resource_for(Path(data_folder or paths.data_dir()) / file_name)["sources"]
