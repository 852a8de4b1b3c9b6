"""Rewrite ``environment.yml`` so that it pins each package to its ``requirements.lock`` version.

Run by ``make lock`` after the lock is refreshed. The file lists the packages that
``pyproject.toml`` names (runtime dependencies, then each extra), each pinned with ``==`` to
the version in the lock; conda chooses the packages they depend on. The comparison itself
lives in ``tests/test_environment_sync.py``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """\
# conda route: conda env create -f environment.yml && conda activate lfr-analysis
# Generated from pyproject.toml and requirements.lock by 'make lock' (tools/pin_environment.py):
# every package pyproject.toml names, at the version requirements.lock pins; conda chooses
# their own dependencies. tests/test_environment_sync.py checks that the three agree.
name: lfr-analysis
channels:
  - conda-forge
  - nodefaults
dependencies:
"""
NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", re.MULTILINE)


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_versions(text: str) -> dict[str, str]:
    """Return {normalised name: version} from the text of ``requirements.lock``."""
    return {normalise(name): version for name, version in PIN.findall(text)}


def python_minor(requires_python: str) -> str:
    match = re.search(r">=\s*([0-9]+\.[0-9]+)", requires_python)
    if not match:
        raise ValueError(f"requires-python {requires_python!r} has no lower bound")
    return match.group(1)


def environment_text(pyproject: dict, lock: dict[str, str]) -> str:
    project = pyproject["project"]
    groups = [("runtime", project["dependencies"])]
    groups += [(f"extra: {n}", r) for n, r in project["optional-dependencies"].items()]
    lines = [
        HEADER.rstrip("\n"),
        f"  - python={python_minor(project['requires-python'])}",
        "  - pip",
    ]
    for title, requirements in groups:
        lines.append(f"  # {title}")
        for requirement in requirements:
            name = normalise(NAME.match(requirement).group(1))
            if name not in lock:
                raise ValueError(f"{name} is in pyproject.toml but not in requirements.lock")
            lines.append(f"  - {name}=={lock[name]}")
    lines += ["  - pip:", "      - -e .", ""]
    return "\n".join(lines)


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = locked_versions((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    target = ROOT / "environment.yml"
    target.write_text(environment_text(pyproject, lock), encoding="utf-8")
    print(f"wrote {target.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
