"""Which function loads each data file, by the file's resource name in ``datapackage.json``.

The one list of the suite's loaders: :func:`load` reads any data file by name, the export
(:mod:`lfr_analysis.export`) and the installed-wheel test go through it, and a test checks
that it names exactly the resources of the manifest. When a loader moves, change its entry
here (``"module:function"``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable

import pandas as pd

from lfr_analysis import paths

MANIFEST = "datapackage.json"

#: resource name in datapackage.json -> "module:function" of its loader
LOADERS: dict[str, str] = {
    "deployments": "lfr_analysis.data:load_deployments",
    "met_secondary_rows": "lfr_analysis.data:load_secondary_rows",
    "other_deployments": "lfr_analysis.data:load_other_deployments",
    "study-predictions": "lfr_analysis.predictions:load_study_predictions",
    "arrests-by-offence": "lfr_analysis.arrests:load_arrests",
    "offence-taxonomy": "lfr_analysis.arrests:load_taxonomy",
    "published-figures": "lfr_analysis.claims:load_published_figures",
}


def manifest() -> dict:
    """Return the parsed ``datapackage.json`` of the data folder in use."""
    path = paths.data_dir() / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(paths.missing_file_message(path))
    return json.loads(path.read_text(encoding="utf-8"))


def resources() -> list[dict]:
    """Return the manifest's resource entries, in manifest order."""
    return list(manifest()["resources"])


def loader(name: str) -> Callable[[], pd.DataFrame]:
    """Return the loader of the resource called ``name``.

    Raises
    ------
    KeyError
        When no loader is registered for ``name``, listing the names there are.
    """
    try:
        target = LOADERS[name]
    except KeyError:
        raise KeyError(f"no loader for data resource {name!r}; known: {sorted(LOADERS)}") from None
    module_name, _, function_name = target.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def load(name: str) -> pd.DataFrame:
    """Load the data file of resource ``name`` (checked and validated by its loader)."""
    return loader(name)()
