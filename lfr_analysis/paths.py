"""One place that says where things live.

Every module resolves folders through these functions, never by hand. The package runs
in two settings: from a **checkout** (the folder holding ``pyproject.toml``, as with
``make`` or an editable install) and **installed** from a wheel, whose copy of the data
files lives inside the package (``lfr_analysis/_data``, read through
:mod:`importlib.resources`). Each folder can be moved with an environment variable:

``LFR_DATA_DIR``
    Committed, cited data files. Otherwise the checkout's ``data/``, else the copy
    installed with the package (read-only: see :func:`data_dir_for_writing`).
``LFR_BUILD_DIR``
    Generated output: executed notebooks, HTML, figures, ledgers, exports. Otherwise the
    checkout's ``build/``, else ``build/`` in the current folder, so that an installed
    package never writes into its own installation.
``LFR_SOURCES_DIR``
    The Met's deployment-record PDFs. Otherwise :func:`raw_dir` (``lfr-analysis data
    fetch`` puts them there). The ``Makefile`` sets it to ``../shared/sources/met`` when
    that folder exists beside the checkout and ``data/raw`` holds no PDF.
``LFR_NOTEBOOKS_DIR``
    The notebooks the report executes. Otherwise the checkout's ``notebooks/``, else
    ``notebooks/`` in the current folder.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "BUILD_ENV",
    "DATA_ENV",
    "NOTEBOOKS_ENV",
    "PROJECT_ROOT",
    "SOURCES_ENV",
    "build_dir",
    "data_dir",
    "data_dir_for_writing",
    "data_origin",
    "figures_dir",
    "in_checkout",
    "installed_data_dir",
    "is_installed_data",
    "missing_file_message",
    "notebooks_dir",
    "project_root",
    "raw_dir",
    "sources_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent

#: Where the wheel puts the data files, relative to the package (``pyproject.toml`` maps
#: the checkout's ``data/`` there).
INSTALLED_DATA = "_data"

DATA_ENV = "LFR_DATA_DIR"
BUILD_ENV = "LFR_BUILD_DIR"
SOURCES_ENV = "LFR_SOURCES_DIR"
NOTEBOOKS_ENV = "LFR_NOTEBOOKS_DIR"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else None


def project_root() -> Path:
    """Return the checkout's top folder (the one holding ``pyproject.toml``).

    When the package is installed from a wheel this is the folder that holds the package
    (``site-packages``), which is no project: see :func:`in_checkout`.
    """
    return PROJECT_ROOT


def in_checkout() -> bool:
    """Return True when the package runs from a checkout rather than an installed wheel."""
    return (PROJECT_ROOT / "pyproject.toml").is_file()


def installed_data_dir() -> Path:
    """Return the copy of the data files installed with the package (it may not exist).

    Read through :mod:`importlib.resources`; the package is installed unzipped (as pip and
    uv do), so the copy is a real folder.
    """
    return Path(str(resources.files("lfr_analysis").joinpath(INSTALLED_DATA)))


def data_dir() -> Path:
    """Return the folder of committed, cited data files (see the module docstring)."""
    return data_origin()[0]


def data_origin() -> tuple[Path, str]:
    """Return the data folder and, in words, why it was chosen."""
    chosen = _env_path(DATA_ENV)
    if chosen is not None:
        return chosen, f"{DATA_ENV}={os.environ[DATA_ENV]}"
    if in_checkout():
        return PROJECT_ROOT / "data", "the checkout's data/ folder"
    return installed_data_dir(), "the copy installed with the package"


def is_installed_data(folder: Path) -> bool:
    """Return True when ``folder`` is the copy of the data installed with the package."""
    try:
        return Path(folder).resolve() == installed_data_dir().resolve()
    except OSError:
        return False


def data_dir_for_writing() -> Path:
    """Return the data folder for commands that rewrite data files.

    Raises
    ------
    PermissionError
        When the data folder is the copy installed with the package: an installation is
        never written to. The message says how to work on a copy instead.
    """
    folder = data_dir()
    if is_installed_data(folder):
        raise PermissionError(
            f"the data folder is the copy installed with the package ({folder}), which is "
            f"never rewritten; copy it elsewhere and set {DATA_ENV} to the copy, or work in a "
            "checkout of the project"
        )
    return folder


def missing_file_message(path: str | Path) -> str:
    """Return the sentence that reports a data file not found at ``path``.

    It names the full path looked at, where the data folder came from and the variable
    that moves it, e.g. ``data file not found: /home/x/exist/deployments.csv (data folder:
    LFR_DATA_DIR=/home/x/exist); set LFR_DATA_DIR to the folder that holds the data
    files and datapackage.json``.
    """
    path = Path(path).expanduser().absolute()
    folder, origin = data_origin()
    if path.parent == folder.absolute():
        where = f"data folder: {origin}"
    else:
        where = f"outside the data folder, which is {folder}: {origin}"
    return (
        f"data file not found: {path} ({where}); set {DATA_ENV} to the folder that holds "
        "the data files and datapackage.json"
    )


def raw_dir() -> Path:
    """Return the git-ignored folder that ``lfr-analysis data fetch`` downloads into.

    ``raw/`` inside the data folder; when that folder is the installed copy, ``data/raw``
    in the current folder instead.
    """
    folder = data_dir()
    if is_installed_data(folder):
        return Path.cwd() / "data" / "raw"
    return folder / "raw"


def build_dir() -> Path:
    """Return the folder for generated output (executed notebooks, HTML, figures)."""
    chosen = _env_path(BUILD_ENV)
    if chosen is not None:
        return chosen
    return (PROJECT_ROOT if in_checkout() else Path.cwd()) / "build"


def figures_dir() -> Path:
    """Return the folder that :func:`lfr_analysis.plotting.savefig` writes into."""
    return build_dir() / "figures"


def notebooks_dir() -> Path:
    """Return the folder of notebooks the report executes."""
    chosen = _env_path(NOTEBOOKS_ENV)
    if chosen is not None:
        return chosen
    return (PROJECT_ROOT if in_checkout() else Path.cwd()) / "notebooks"


def sources_dir() -> Path:
    """Return the folder holding the Met's PDFs: ``LFR_SOURCES_DIR``, else :func:`raw_dir`."""
    chosen = _env_path(SOURCES_ENV)
    return chosen if chosen is not None else raw_dir()
