"""``lfr-analysis cite`` and CITATION.cff: the suite's and the data's version, read not typed."""

import hashlib
import json
import shutil

import yaml

from lfr_analysis import __version__, cite, cli, datasets, paths
from lfr_analysis.datasets import manifest


def test_committed_citation_file_matches_the_package_and_the_data():
    expected = cite.cff_text(cite.data_version())
    committed = (paths.project_root() / "CITATION.cff").read_text(encoding="utf-8")
    assert committed == expected, "CITATION.cff is out of date: run 'make citation'"


def test_citation_file_has_a_preferred_citation_and_a_dataset_reference():
    cff = yaml.safe_load(cite.cff_text(cite.data_version()))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == __version__
    assert cff["preferred-citation"]["type"] == "software"
    assert cff["preferred-citation"]["version"] == __version__
    (data,) = [r for r in cff["references"] if r["type"] == "data"]
    assert data["title"] == manifest.read_manifest()["title"]
    assert "primary rows to 2025-05-10" in data["notes"]


def test_data_as_of_is_the_last_deployment_date_per_source_type():
    frame = datasets.load("deployments")
    version = cite.data_version()
    for kind, day in version.as_of.items():
        assert frame.loc[frame["source_type"] == kind, "date"].max().strftime("%Y-%m-%d") == day
    assert set(version.as_of) == set(frame["source_type"])
    raw = (paths.data_dir() / "datapackage.json").read_bytes()
    assert version.manifest_sha256 == hashlib.sha256(raw).hexdigest()


def test_declared_data_version_is_used_and_absence_falls_back(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy, ignore=shutil.ignore_patterns("raw"))
    manifest = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    manifest.pop("version", None)
    (copy / "datapackage.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("LFR_DATA_DIR", str(copy))
    fallback = cite.data_version()
    assert fallback.version == __version__ and not fallback.declared
    assert "declares no version" in cite.plain_text(fallback)
    manifest["version"] = "2026.05.18"
    (copy / "datapackage.json").write_text(json.dumps(manifest), encoding="utf-8")
    declared = cite.data_version()
    assert declared.version == "2026.05.18" and declared.declared
    assert "data version 2026.05.18;" in cite.plain_text(declared)
    assert "@dataset{lfr_analysis_data_2026_05_18," in cite.bibtex(declared)


def test_command_prints_plain_text_and_bibtex(capsys):
    assert cli.main(["cite"]) == 0
    out = capsys.readouterr().out
    assert f"(version {__version__}) [software]" in out
    assert "[data set]" in out and "data as of: primary rows to" in out
    assert out.count("@software{") == 1 and out.count("@dataset{") == 1
    assert out.count("{") == out.count("}"), "unbalanced braces in the BibTeX"
    assert cli.main(["cite", "--bibtex"]) == 0
    assert "[software]" not in capsys.readouterr().out
    assert cli.main(["cite", "--cff"]) == 0
    assert capsys.readouterr().out.startswith("# Written by 'lfr-analysis cite --cff'")


def test_missing_data_is_reported(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("LFR_DATA_DIR", str(tmp_path / "nowhere"))
    assert cli.main(["cite"]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "nowhere" / "datapackage.json") in err and "LFR_DATA_DIR" in err
