"""The one list of loaders names exactly the manifest's resources, and each one works."""

import pytest

from lfr_analysis import loaders


def test_every_resource_has_a_loader_and_every_loader_a_resource():
    names = [r["name"] for r in loaders.resources()]
    assert sorted(names) == sorted(loaders.LOADERS), (
        "add the loader of each new data file to lfr_analysis/loaders.py LOADERS"
    )


@pytest.mark.parametrize("resource", loaders.resources(), ids=lambda r: r["name"])
def test_each_loader_gives_its_files_columns(resource):
    frame = loaders.load(resource["name"])
    assert len(frame) > 0
    assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]


def test_unknown_resource_names_the_known_ones():
    with pytest.raises(KeyError, match="deployments"):
        loaders.loader("no-such-file")


def test_missing_manifest_names_the_path_and_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("LFR_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError) as error:
        loaders.manifest()
    assert str(tmp_path / "datapackage.json") in str(error.value)
    assert "LFR_DATA_DIR" in str(error.value)
