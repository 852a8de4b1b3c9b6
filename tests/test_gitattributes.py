"""A clone with ``core.autocrlf=true`` (Git for Windows' default) keeps the data byte-exact.

The test commits the work tree's ``.gitattributes`` and data files into a scratch repository,
clones it with ``core.autocrlf=true`` and checks every file against the SHA-256 recorded in
the clone's ``datapackage.json``. The same clone without ``.gitattributes`` must break the
checksums, which shows that the setting is what protects the files.
"""

import hashlib
import json
import shutil
import subprocess

import pytest

from lfr_analysis import paths

MANIFEST = "datapackage.json"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args, cwd):
    command = ["git", "-c", "init.defaultBranch=main", *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stderr}"
    return result.stdout


def scratch_repository(folder, with_attributes: bool):
    """A repository holding the data files (and .gitattributes), committed without conversion."""
    source = paths.data_dir()
    (folder / "data").mkdir(parents=True)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    names = [MANIFEST, *(r["path"] for r in manifest["resources"])]
    for name in names:
        shutil.copyfile(source / name, folder / "data" / name)
    if with_attributes:
        shutil.copyfile(paths.project_root() / ".gitattributes", folder / ".gitattributes")
    git("init", "--quiet", cwd=folder)
    git("add", "--all", cwd=folder)
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    git(*identity, "-c", "core.autocrlf=false", "commit", "--quiet", "-m", "data", cwd=folder)
    return folder


def mismatches(clone):
    """Names of the clone's data files whose SHA-256 differs from its manifest."""
    data = clone / "data"
    manifest = json.loads((data / MANIFEST).read_bytes().decode("utf-8"))
    wrong = []
    for resource in manifest["resources"]:
        digest = hashlib.sha256((data / resource["path"]).read_bytes()).hexdigest()
        if f"sha256:{digest}" != resource["hash"]:
            wrong.append(resource["path"])
    return wrong


def autocrlf_clone(repository, target):
    git("-c", "core.autocrlf=true", "clone", "--quiet", str(repository), str(target), cwd=None)
    git("config", "core.autocrlf", "true", cwd=target)
    return target


def test_project_has_gitattributes_for_data():
    assert (paths.project_root() / ".gitattributes").is_file(), ".gitattributes is missing"


def test_autocrlf_clone_keeps_every_checksum(tmp_path):
    repository = scratch_repository(tmp_path / "repo", with_attributes=True)
    clone = autocrlf_clone(repository, tmp_path / "clone")
    assert mismatches(clone) == []
    assert (clone / "data" / MANIFEST).read_bytes() == (repository / "data" / MANIFEST).read_bytes()
    attributes = git("check-attr", "text", "--", "data/deployments.csv", cwd=clone)
    assert attributes.strip().endswith("text: unset"), attributes


def test_without_gitattributes_the_same_clone_breaks_the_checksums(tmp_path):
    repository = scratch_repository(tmp_path / "repo", with_attributes=False)
    clone = autocrlf_clone(repository, tmp_path / "clone")
    assert mismatches(clone), "autocrlf changed nothing: the test above proves nothing"
