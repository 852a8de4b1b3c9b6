"""The notebooks' frame: one setup call at the top, sources and versions at the end.

Every notebook of the suite starts with :func:`setup` (the house style, one set of display
options, the reader's tables of :mod:`lfr_analysis.tables` for every DataFrame and Series it
displays and, where the notebook draws random numbers, a seeded generator) and ends with
:func:`sources_and_versions` (the data files it read, with their checksums and citations,
then the library versions), the frame of pymc-examples' notebooks.
"""

from __future__ import annotations

import platform
from importlib import metadata

import numpy as np
import pandas as pd

from lfr_analysis import tables
from lfr_analysis.datasets import manifest
from lfr_analysis.plotting.style import use_style

__all__ = [
    "DISPLAY_OPTIONS",
    "SEED",
    "VERSIONED",
    "library_versions",
    "setup",
    "sources_and_versions",
]

#: The seed the suite's notebooks use where they draw random numbers.
SEED = 20240409

#: pandas display options set by :func:`setup`, the same in every notebook.
DISPLAY_OPTIONS = {
    "display.width": 120,
    "display.max_columns": 30,
    "display.max_colwidth": 90,
}

#: Distributions whose versions close every notebook.
VERSIONED = (
    "lfr-analysis",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "pandera",
)


def setup(
    seed: int | None = None, *, style: bool = True, readable_tables: bool = True
) -> np.random.Generator | None:
    """Prepare a notebook: house style, display options, tables and (optionally) a generator.

    Parameters
    ----------
    seed : int, optional
        Give a seed (normally :data:`SEED`) when the notebook draws random numbers; the
        generator it returns is then the notebook's only source of randomness.
    style : bool
        Apply the suite's matplotlib style (:func:`lfr_analysis.plotting.use_style`).
    readable_tables : bool
        In an IPython kernel, show every DataFrame and Series as a reader's table
        (:func:`lfr_analysis.tables.register`: thousands separators, p-values as
        "< 0.001", human labels, never scientific notation).

    Returns
    -------
    numpy.random.Generator or None
        ``numpy.random.default_rng(seed)``, or None when no seed is given.
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise TypeError(f"seed must be a whole number, got {seed!r}")
    if style:
        use_style()
    for option, value in DISPLAY_OPTIONS.items():
        pd.set_option(option, value)
    if readable_tables:
        tables.register()
    return None if seed is None else np.random.default_rng(int(seed))


def library_versions() -> dict[str, str]:
    """Return the versions of Python and of the libraries the suite's results depend on."""
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def sources_and_versions(data_files: list[str]) -> None:
    """Print the data files a notebook used, with their citations, then library versions.

    Parameters
    ----------
    data_files : list of str
        File names in the data folder, e.g. ``["deployments.csv"]``.
    """
    resources = {r["path"]: r for r in manifest.read_manifest()["resources"]}
    print("Data sources")
    for name in data_files:
        resource = resources.get(name)
        if resource is None:
            raise ValueError(f"{name} is not listed in data/datapackage.json")
        print(f"- data/{name} ({resource['hash'][:19]}...): {resource['title']}")
        for source in resource["sources"]:
            print(f"    {source['title']}: {source['path']}")
    print("\nLibrary versions")
    for name, version in library_versions().items():
        print(f"- {name} {version}")
