"""The report's cache: results kept by the checksums of every input, and past timings.

:func:`cache_key` is the SHA-256 of every source file of the package, every data file and
its manifest, and the versions of the libraries the numbers depend on: any change to any of
them gives another key, so a cached result is never served for other inputs. A damaged entry
reads as absent and is computed again. The folder is ``LFR_CACHE_DIR``, else
``$XDG_CACHE_HOME/lfr-analysis``, else ``~/.cache/lfr-analysis``; nothing breaks if it
cannot be written. The cache also keeps how long each notebook took last time
(:func:`timings`), so that the report starts the longest first.

This module imports nothing heavy: the report's own process uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from lfr_analysis import __version__, files, paths

__all__ = [
    "CACHE_ENV",
    "cache_dir",
    "cache_key",
    "cached",
    "record_timings",
    "store",
    "timings",
]

#: Moves the report's cache.
CACHE_ENV = "LFR_CACHE_DIR"

_KEY_LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "pandera")


def cache_dir() -> Path:
    """Return the report's cache folder (see :data:`CACHE_ENV`)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "lfr-analysis"


def cache_key() -> str | None:
    """SHA-256 of every input of the site's data (package sources, data, library versions).

    None when an input cannot be read (then nothing is cached, and the job reports the error).
    """
    try:
        return _key()
    except (OSError, ValueError, KeyError):
        return None


def _key() -> str:
    digest = hashlib.sha256(
        f"lfr-analysis {__version__} python {platform.python_version()}\n".encode()
    )
    package = Path(paths.__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    folder = paths.data_dir()
    manifest_file = folder / "datapackage.json"
    digest.update(manifest_file.read_bytes())
    for resource in json.loads(manifest_file.read_text(encoding="utf-8"))["resources"]:
        digest.update(resource["path"].encode() + b"\0")
        digest.update((folder / resource["path"]).read_bytes())
    for name in _KEY_LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent\n".encode())
    return digest.hexdigest()


def cached(key: str) -> dict | None:
    """Return the cached result for ``key``, or None (absent, unreadable or damaged)."""
    entry = cache_dir() / f"site-data-{key[:32]}.json"
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key or "data" not in stored:
        return None
    return stored["data"]


def store(key: str, result: dict, keep: int = 4) -> None:
    """Keep ``result`` in the cache under ``key`` (and at most ``keep`` entries in all)."""
    folder = cache_dir()
    try:
        files.write_text(
            folder / f"site-data-{key[:32]}.json",
            json.dumps({"key": key, "data": result}, sort_keys=True, ensure_ascii=False),
        )
        entries = sorted(folder.glob("site-data-*.json"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def timings() -> dict[str, float]:
    """Return the seconds each job took in the last report (empty when unknown)."""
    try:
        found = json.loads((cache_dir() / "timings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in found.items()} if isinstance(found, dict) else {}


def record_timings(seconds: dict[str, float]) -> None:
    """Remember how long each job took (merged into what is known)."""
    known = timings()
    known.update({k: round(float(v), 2) for k, v in seconds.items()})
    try:
        files.write_text(cache_dir() / "timings.json", json.dumps(known, sort_keys=True) + "\n")
    except OSError:
        pass
