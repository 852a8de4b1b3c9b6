"""The wheel works outside the checkout: data inside the package, output in the current folder.

Builds the wheel from the checkout (hatchling, no build isolation: nothing is downloaded for
it), installs it into a fresh virtual environment with its dependencies at the locked
versions, and, from a folder outside the checkout, loads every data file named in the
installed ``datapackage.json``, computes a rate and runs ``lfr-analysis claims``. It then
checks that the ledger went to ``./build`` and that nothing was written into the
installation.

The dependencies come from the package cache when they are there (``uv --offline``; the
cache ``make`` filled), else from the package registry. When neither can be reached the
test is skipped with a message, except under CI (``CI=true``), where it fails.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from lfr_analysis import datasets, paths

pytestmark = pytest.mark.slow

ROOT = paths.project_root()
OFFLINE_GUARD = ROOT / "tests" / "offline"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

SMOKE = """
import json, sys, sysconfig
from pathlib import Path

import lfr_analysis
from lfr_analysis import datasets, paths, rates
from lfr_analysis.datasets import manifest as data_manifest

site = Path(sysconfig.get_paths()["purelib"]).resolve()
assert Path(lfr_analysis.__file__).resolve().is_relative_to(site), lfr_analysis.__file__
assert not paths.in_checkout(), "the installed package believes it runs from a checkout"
assert paths.data_dir() == paths.installed_data_dir(), paths.data_dir()
assert paths.build_dir() == Path.cwd() / "build", paths.build_dir()
names = [r["name"] for r in data_manifest.read_manifest()["resources"]]
assert set(names) == set(datasets.REGISTRY), (names, sorted(datasets.REGISTRY))
rows = {name: len(datasets.load(name)) for name in names}
assert all(rows.values()), rows
deployments = datasets.load("deployments")
known = deployments.dropna(subset=["faces_seen", "false_alerts"])
rate = rates.rate_ci(int(known["false_alerts"].sum()), int(known["faces_seen"].sum()))
assert 0 <= rate["lower"].iloc[0] <= rate["estimate"].iloc[0] <= rate["upper"].iloc[0] < 1
print(json.dumps({"rows": rows, "rate": float(rate["estimate"].iloc[0])}))
"""


def find_uv() -> str | None:
    beside = Path(sys.executable).with_name("uv")
    if beside.exists():
        return str(beside)
    return shutil.which("uv")


def unguarded_env() -> dict:
    """The environment for the installer: no network guard, no checkout on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LFR_")}
    env.pop("PYTHONPATH", None)
    return env


def guarded_env() -> dict:
    """The environment for the installed package: network guard on, nothing else of ours."""
    env = unguarded_env()
    env.update(
        LFR_BLOCK_NETWORK="1",
        PYTHONPATH=str(OFFLINE_GUARD),
        PYTHONDONTWRITEBYTECODE="1",
        MPLBACKEND="agg",
    )
    return env


def build_wheel(out: Path) -> Path:
    """Build the wheel with the hatchling in this environment (PEP 517 hook, in a subprocess)."""
    code = "import sys, hatchling.build; print(hatchling.build.build_wheel(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=unguarded_env(),
    )
    assert result.returncode == 0, result.stderr
    return out / result.stdout.strip().splitlines()[-1]


def give_up(message: str):
    if IN_CI:
        pytest.fail(f"{message} (CI=true: never skipped)")
    pytest.skip(message)


def install(wheel: Path, venv: Path) -> None:
    """Install ``wheel`` with its locked dependencies: from the cache, else the registry."""
    constraints = ["-c", str(ROOT / "requirements.lock")]
    uv = find_uv()
    attempts = []
    if uv:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        base = [uv, "pip", "install", "--python", str(venv / "bin" / "python"), *constraints]
        attempts = [[*base, "--offline", str(wheel)], [*base, str(wheel)]]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *constraints]
        attempts = [[*pip, "--no-index", str(wheel)], [*pip, str(wheel)]]
    errors = []
    for command in attempts:
        result = subprocess.run(command, capture_output=True, text=True, env=unguarded_env())
        if result.returncode == 0:
            return
        errors.append(result.stderr.strip().splitlines()[-1:] or [""])
    give_up(
        "could not install the wheel's dependencies: neither the package cache nor the "
        f"registry gave them ({'; '.join(e[0] for e in errors)})"
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_wheel_carries_exactly_the_data_files(tmp_path):
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    data = sorted(n.removeprefix("lfr_analysis/_data/") for n in names if "/_data/" in n)
    manifest = json.loads((paths.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    assert data == sorted(["datapackage.json", *(r["path"] for r in manifest["resources"])])
    assert not [n for n in names if n.startswith(("data/", "build/", "tests/", "notebooks/"))]


def test_installed_wheel_works_outside_the_checkout(tmp_path):
    wheel = build_wheel(tmp_path / "dist")
    venv = tmp_path / "venv"
    install(wheel, venv)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    site = Path(purelib)
    before = snapshot(site)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert ROOT not in outside.parents

    smoke = subprocess.run(
        [str(python), "-c", SMOKE], cwd=outside, capture_output=True, text=True, env=guarded_env()
    )
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    result = json.loads(smoke.stdout.strip().splitlines()[-1])
    assert set(result["rows"]) == set(datasets.REGISTRY)

    claims = subprocess.run(
        [str(venv / "bin" / "lfr-analysis"), "claims"],
        cwd=outside,
        capture_output=True,
        text=True,
        env=guarded_env(),
    )
    assert claims.returncode == 0, claims.stdout + claims.stderr
    assert (outside / "build" / "claims.csv").is_file(), claims.stdout
    assert str(outside / "build") in claims.stdout

    after = snapshot(site)
    written = sorted(set(after.items()) - set(before.items()))
    assert not written, f"written into the installation: {written[:10]}"
