"""One place that says where things live.

Every module resolves folders through these functions, never by hand. Each folder can
be moved with an environment variable:

``LFR_DATA_DIR``
    Committed, cited data files (default: ``<project>/data``).
``LFR_BUILD_DIR``
    Generated output: executed notebooks, HTML, figures (default: ``<project>/build``).
``LFR_SOURCES_DIR``
    The Met's deployment-record PDFs. Default: ``<project>/data/raw`` when it holds PDFs
    (``lfr-analysis data fetch`` puts them there), else ``../shared/sources/met`` beside
    the checkout when it exists, else ``<project>/data/raw``.
``LFR_NOTEBOOKS_DIR``
    The notebooks the report executes (default: ``<project>/notebooks``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "build_dir",
    "data_dir",
    "figures_dir",
    "notebooks_dir",
    "project_root",
    "raw_dir",
    "shared_sources_dir",
    "sources_dir",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def project_root() -> Path:
    """Return the checkout's top folder (the one holding ``pyproject.toml``)."""
    return PROJECT_ROOT


def data_dir() -> Path:
    """Return the folder of committed, cited data files."""
    return _from_env("LFR_DATA_DIR", PROJECT_ROOT / "data")


def raw_dir() -> Path:
    """Return the git-ignored folder that ``lfr-analysis data fetch`` downloads into."""
    return data_dir() / "raw"


def build_dir() -> Path:
    """Return the folder for generated output (executed notebooks, HTML, figures)."""
    return _from_env("LFR_BUILD_DIR", PROJECT_ROOT / "build")


def figures_dir() -> Path:
    """Return the folder that :func:`lfr_analysis.plotting.savefig` writes into."""
    return build_dir() / "figures"


def notebooks_dir() -> Path:
    """Return the folder of notebooks the report executes."""
    return _from_env("LFR_NOTEBOOKS_DIR", PROJECT_ROOT / "notebooks")


def shared_sources_dir() -> Path:
    """Return ``../shared/sources/met`` beside the checkout (it may not exist)."""
    return PROJECT_ROOT.parent / "shared" / "sources" / "met"


def sources_dir() -> Path:
    """Return the folder holding the Met's PDFs (see the module docstring for the order)."""
    value = os.environ.get("LFR_SOURCES_DIR")
    if value:
        return Path(value).expanduser().resolve()
    raw = raw_dir()
    if raw.is_dir() and any(raw.glob("*.pdf")):
        return raw
    shared = shared_sources_dir()
    if shared.is_dir():
        return shared
    return raw
