"""environment.yml must ask for exactly what pyproject.toml asks for."""

import re
import tomllib

import yaml

from lfr_analysis import paths

ROOT = paths.project_root()
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(requirement: str) -> tuple[str, str]:
    match = REQUIREMENT.match(requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name, spec = match.groups()
    return normalise(name), spec.replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    parsed = [parse(r) for r in requirements]
    assert len({n for n, _ in parsed}) == len(parsed), "a package is listed twice in pyproject"
    return dict(parsed) | {"python": project["requires-python"].replace(" ", "")}


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_requirements() -> dict[str, str]:
    parsed = [parse(d) for d in environment()["dependencies"] if isinstance(d, str)]
    parsed = [(n, s) for n, s in parsed if n != "pip"]
    assert len({n for n, _ in parsed}) == len(parsed), "a package is listed twice in the yml"
    return dict(parsed)


def test_same_packages_and_specifiers():
    assert environment_requirements() == pyproject_requirements()


def test_conda_forge_no_build_strings_and_editable_install_last():
    env = environment()
    assert env["channels"][0] == "conda-forge"
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            assert dep.count("=") <= 1 or ">=" in dep, f"{dep}: no pins with build strings"
            assert len(dep.split()) == 1, f"{dep}: no build strings"
    assert env["dependencies"][-1] == {"pip": ["-e ."]}


def test_detects_a_drift(tmp_path, monkeypatch):
    """The comparison itself must notice a changed specifier."""
    changed = (ROOT / "environment.yml").read_text().replace("scipy>=1.11", "scipy>=1.10")
    monkeypatch.setattr(
        __import__(__name__), "environment", lambda: yaml.safe_load(changed), raising=True
    )
    assert environment_requirements() != pyproject_requirements()
