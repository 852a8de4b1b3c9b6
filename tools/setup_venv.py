"""Create, check and update the project's virtual environment (``.venv``) for ``make``.

Run by every ``make`` target that needs the environment::

    python3 tools/setup_venv.py --extras notebooks            # make report
    python3 tools/setup_venv.py --extras notebooks,test,dev,export   # make test

What it does, printing each step:

1. **Checks** an existing ``.venv`` and rebuilds it when it was not made by this script
   (no ``.venv/lfr-setup.json``, or the record names another folder: a copied or moved
   environment), when its ``python`` is missing or fails to start (an interpreter that was
   removed or upgraded away), or when its Python is older than 3.11.
2. **Creates** it with ``uv venv`` when ``uv`` is on the PATH, else with the standard
   library's ``venv``.
3. **Installs** the package editable with the requested extras, every package at the
   version pinned in ``requirements.lock`` (used as constraints). With ``uv`` (the one on
   the PATH, else the locked ``uv`` installed into ``.venv`` with pip first) this takes
   seconds; without it, plain ``pip`` does the same, more slowly. ``LFR_INSTALLER=pip``
   forces pip.
4. Does nothing when ``pyproject.toml``, ``requirements.lock`` and the extras are unchanged
   since the last install (a fingerprint is kept in ``.venv/lfr-setup.json``).

Standard library only, and written so that an older Python can still say what it needs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

MINIMUM = (3, 11)
ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
RECORD = "lfr-setup.json"
PROBE = "import json, sys; print(json.dumps([list(sys.version_info[:3]), sys.prefix]))"

#: Imported once after an install with the notebooks extra, with bytecode writing on: it
#: compiles what the report's kernels import and builds matplotlib's font cache, once,
#: rather than in every kernel of the first report. Two groups, imported side by side.
WARM_UP = (
    [
        "lfr_analysis.*",
        "scipy.stats",
        "statsmodels.api",
        "matplotlib.pyplot",
        "matplotlib.font_manager",
    ],
    [
        "ipykernel.kernelapp",
        "ipykernel.ipkernel",
        "jupyter_client.manager",
        "nbclient",
        "nbconvert",
        "ipywidgets",
        "matplotlib_inline.backend_inline",
    ],
)
IMPORTER = """
import importlib, pkgutil, sys
names = []
for name in sys.argv[1:]:
    if name.endswith(".*"):
        package = importlib.import_module(name[:-2])
        found = pkgutil.walk_packages(package.__path__, name[:-1])
        names += [m.name for m in found]
    else:
        names.append(name)
for name in names:
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""


STARTED = time.perf_counter()


def say(text: str) -> None:
    print(f"setup [{time.perf_counter() - STARTED:5.1f} s]: {text}", flush=True)


def fail(text: str, code: int = 2) -> None:
    print(f"setup: error: {text}", file=sys.stderr, flush=True)
    sys.exit(code)


def venv_python(venv: Path) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def venv_bin(venv: Path, name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    return venv / folder / (name + (".exe" if os.name == "nt" else ""))


def read_record(venv: Path) -> dict | None:
    try:
        return json.loads((venv / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_record(venv: Path, record: dict) -> None:
    (venv / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def problem_with(venv: Path) -> str | None:
    """Return why ``venv`` must be rebuilt, or None when it is sound."""
    record = read_record(venv)
    if record is None:
        return f"it was not made by this setup (no {venv.name}/{RECORD})"
    if record.get("venv") != str(venv.resolve()):
        return f"it was made for {record.get('venv')!r} (copied or moved)"
    python = venv_python(venv)
    if not python.exists():
        return f"{python} is missing or points at an interpreter that no longer exists"
    try:
        result = subprocess.run(
            [str(python), "-c", PROBE], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"{python} does not start ({err})"
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return f"{python} does not start ({last})"
    version, prefix = json.loads(result.stdout)
    if tuple(version) < MINIMUM:
        shown = ".".join(map(str, version))
        return f"its Python is {shown}; lfr-analysis needs {MINIMUM[0]}.{MINIMUM[1]} or newer"
    if Path(prefix).resolve() != venv.resolve():
        return f"its python belongs to another environment ({prefix})"
    return None


def locked_version(name: str) -> str | None:
    """Return the version ``requirements.lock`` pins for ``name`` (None when absent)."""
    try:
        text = LOCK.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(rf"^{re.escape(name)}==([^\s;]+)", text, flags=re.MULTILINE)
    return match.group(1) if match else None


def run(command: list[str], **kwargs) -> int:
    return subprocess.run([str(part) for part in command], **kwargs).returncode


def system_uv() -> str | None:
    if os.environ.get("LFR_INSTALLER") == "pip":
        return None
    found = shutil.which("uv")
    if found and run([found, "--version"], capture_output=True) == 0:
        return found
    return None


def create(venv: Path, uv: str | None) -> None:
    if venv.exists():
        shutil.rmtree(venv)
    if uv:
        say(f"creating {venv.name} with uv for Python {sys.executable}")
        if run([uv, "venv", "--quiet", "--python", sys.executable, venv]) == 0:
            return
        say("uv venv failed; trying the standard library's venv")
        shutil.rmtree(venv, ignore_errors=True)
    say(f"creating {venv.name} with {sys.executable} -m venv")
    if run([sys.executable, "-m", "venv", "--without-pip", venv]) != 0:
        fail(
            f"could not create {venv} with {sys.executable} -m venv (on Debian and Ubuntu, "
            "install python3-venv)"
        )


def ensure_pip(venv: Path) -> None:
    python = venv_python(venv)
    if run([python, "-m", "pip", "--version"], capture_output=True) == 0:
        return
    say("adding pip to the environment (ensurepip)")
    if run([python, "-m", "ensurepip", "--upgrade", "--default-pip"]) != 0:
        fail(f"could not add pip to {venv}")


def pip_into(venv: Path, arguments: list[str]) -> int:
    """Run pip for ``venv``: the host's pip with --python when it has one, else the venv's."""
    python = venv_python(venv)
    host = [sys.executable, "-m", "pip", "--python", python]
    if run([*host, "--version"], capture_output=True) == 0:
        return run([*host, *arguments])
    ensure_pip(venv)
    return run([python, "-m", "pip", *arguments])


def find_uv(venv: Path) -> str | None:
    """Return a working uv: the one on the PATH, else the locked one installed into venv."""
    if os.environ.get("LFR_INSTALLER") == "pip":
        return None
    found = system_uv()
    if found:
        return found
    inside = venv_bin(venv, "uv")
    if not inside.exists():
        version = locked_version("uv")
        spec = f"uv=={version}" if version else "uv"
        say(f"installing {spec} into {venv.name} with pip (a fast installer for the rest)")
        if pip_into(venv, ["install", "--quiet", "--progress-bar", "on", spec]) != 0:
            say("could not install uv; installing with pip instead")
            return None
    if run([inside, "--version"], capture_output=True) == 0:
        return str(inside)
    return None


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (PYPROJECT, LOCK):
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def folder_megabytes(folder: Path) -> float:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            pass
    return total / 1e6


def install(venv: Path, extras: list[str], uv: str | None) -> str:
    target = f".[{','.join(extras)}]" if extras else "."
    constraints = ["-c", LOCK] if LOCK.is_file() else []
    if not constraints:
        say(f"{LOCK.name} not found: installing the newest versions pyproject.toml allows")
    if uv:
        version = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout
        say(f"installing lfr-analysis{target[1:]} with {version.strip()} (locked versions)")
        build = ["--build-constraints", LOCK] if constraints else []
        # Byte-compile everything, as pip does, for the test environment (its many processes
        # would otherwise each compile what they import when bytecode writing is off); the
        # report's environment compiles only what the report imports (warm_up), in less time.
        compile_all = ["--compile-bytecode"] if "test" in extras else []
        command = [uv, "pip", "install", *compile_all, "--python", venv_python(venv)]
        command += [*constraints, *build]
        if run([*command, "-e", target], cwd=ROOT) == 0:
            return "uv"
        say("uv failed; trying pip")
    say(f"installing lfr-analysis{target[1:]} with pip (locked versions; a few minutes)")
    arguments = ["install", "--progress-bar", "on", *constraints, "-e", target]
    if pip_into(venv, arguments) != 0:
        fail("installation failed (see the messages above)", code=1)
    return "pip"


def warm_up(venv: Path) -> None:
    """Compile what the report imports and build matplotlib's font cache (see WARM_UP)."""
    say("compiling the modules the report imports and building the font cache")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("MPLBACKEND", "agg")
    python = str(venv_python(venv))
    processes = [
        subprocess.Popen([python, "-c", IMPORTER, *group], cwd=ROOT, env=env) for group in WARM_UP
    ]
    if any(process.wait() != 0 for process in processes):
        say("the warm-up failed; the first report will be slower (nothing else changes)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default=".venv", help="environment folder (default .venv)")
    parser.add_argument("--extras", default="", help="comma-separated extras to install")
    args = parser.parse_args(argv)
    if sys.version_info[:2] < MINIMUM:
        fail(
            f"{sys.executable} is Python {sys.version.split()[0]}; lfr-analysis needs "
            f"{MINIMUM[0]}.{MINIMUM[1]} or newer: run make with PYTHON=python3.11 (or newer)"
        )
    venv = (ROOT / args.venv).absolute() if not Path(args.venv).is_absolute() else Path(args.venv)
    extras = sorted({e.strip() for e in args.extras.split(",") if e.strip()})
    started = time.perf_counter()
    record = None
    if venv.exists():
        reason = problem_with(venv)
        if reason:
            say(f"rebuilding {venv.name}: {reason}")
        else:
            record = read_record(venv)
    stamp = fingerprint()
    if record and record.get("fingerprint") == stamp and set(extras) <= set(record["extras"]):
        return 0
    if record is None:
        uv = system_uv()
        create(venv, uv)
        record = {"venv": str(venv.resolve()), "python": sys.executable, "extras": []}
        write_record(venv, record)
        say("first install: about 15 s with uv (800 MB, 960 MB with test tools); minutes with pip")
    elif record.get("fingerprint") != stamp:
        say("pyproject.toml or requirements.lock changed: updating the environment")
    wanted = sorted(set(extras) | set(record["extras"]))
    installer = install(venv, wanted, find_uv(venv))
    if "notebooks" in wanted:
        warm_up(venv)
    record.update(fingerprint=stamp, extras=wanted, installer=installer)
    write_record(venv, record)
    elapsed = time.perf_counter() - started
    size = folder_megabytes(venv)
    say(f"{venv.name} ready in {elapsed:.0f} s ({size:.0f} MB, installed with {installer})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
