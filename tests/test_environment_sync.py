"""pyproject.toml, requirements.lock and environment.yml must agree.

* ``requirements.lock`` pins every package (direct and indirect) of the runtime and every
  extra, and each pin satisfies the lower bound pyproject.toml gives;
* ``environment.yml`` names exactly the packages pyproject.toml names, each pinned with
  ``==`` to the lock's version, Python at the minor version pyproject.toml requires.
"""

import re
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

from lfr_analysis import paths

ROOT = paths.project_root()
sys.path.insert(0, str(ROOT / "tools"))
import pin_environment  # noqa: E402

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")
normalise = pin_environment.normalise


def parse(requirement: str) -> tuple[str, str]:
    match = REQUIREMENT.match(requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name, spec = match.groups()
    return normalise(name), spec.replace(" ", "")


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pyproject_requirements() -> dict[str, str]:
    project = pyproject()["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    parsed = [parse(r) for r in requirements]
    assert len({n for n, _ in parsed}) == len(parsed), "a package is listed twice in pyproject"
    return dict(parsed)


def lock_text() -> str:
    return (ROOT / "requirements.lock").read_text(encoding="utf-8")


def lock() -> dict[str, str]:
    return pin_environment.locked_versions(lock_text())


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pins() -> dict[str, str]:
    pins = {}
    for dep in environment()["dependencies"]:
        if not isinstance(dep, str) or dep == "pip" or dep.startswith("python="):
            continue
        name, _, version = dep.partition("==")
        assert version, f"environment.yml: {dep} is not pinned with =="
        assert normalise(name) not in pins, f"environment.yml: {name} is listed twice"
        pins[normalise(name)] = version
    return pins


def test_lock_pins_every_package_exactly():
    """One ``==`` pin per package, or one per Python or platform where the versions fork."""
    lines = [line for line in lock_text().splitlines() if line and not line.startswith(" ")]
    lines = [line for line in lines if not line.startswith("#")]
    assert all("==" in line for line in lines), [line for line in lines if "==" not in line]
    names = [normalise(line.split("==")[0]) for line in lines]
    for line, name in zip(lines, names, strict=True):
        if names.count(name) > 1:
            assert ";" in line, f"{name} is pinned twice in requirements.lock without markers"
    assert "make lock" in lock_text().splitlines()[1], "the lock must say how it is produced"


def test_lock_covers_pyproject_and_meets_its_lower_bounds():
    pins = lock()
    project = pyproject()["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    for text in requirements:
        requirement = Requirement(text)
        name = normalise(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject.toml's {text}"
        )


def test_pyproject_gives_lower_bounds_only():
    for name, spec in pyproject_requirements().items():
        assert spec.startswith(">=") and "," not in spec, f"{name}{spec}: lower bound only"


def test_environment_pins_the_locked_versions_of_pyprojects_packages():
    pins, locked = environment_pins(), lock()
    assert set(pins) == set(pyproject_requirements())
    wrong = {n: (v, locked.get(n)) for n, v in pins.items() if locked.get(n) != v}
    assert not wrong, f"environment.yml differs from requirements.lock (yml, lock): {wrong}"


def test_environment_file_is_what_the_generator_writes():
    expected = pin_environment.environment_text(pyproject(), lock())
    assert (ROOT / "environment.yml").read_text() == expected, "run 'make lock'"


def test_conda_forge_python_and_editable_install_last():
    env = environment()
    assert env["channels"][0] == "conda-forge"
    minor = pin_environment.python_minor(pyproject()["project"]["requires-python"])
    assert f"python={minor}" in env["dependencies"]
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            assert len(dep.split()) == 1, f"{dep}: no build strings"
    assert env["dependencies"][-1] == {"pip": ["-e ."]}


def test_detects_a_drift(monkeypatch):
    """The comparison itself must notice a changed pin."""
    changed = (ROOT / "environment.yml").read_text().replace("scipy==", "scipy==0.")
    monkeypatch.setattr(
        sys.modules[__name__], "environment", lambda: yaml.safe_load(changed), raising=True
    )
    pins, locked = environment_pins(), lock()
    assert pins["scipy"] != locked["scipy"]


def test_the_tools_folder_is_importable_from_tests():
    assert Path(pin_environment.__file__).parent == ROOT / "tools"
