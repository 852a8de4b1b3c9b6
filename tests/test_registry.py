"""The registry of data files names exactly the manifest's resources, and each one loads."""

import pytest

from lfr_analysis import datasets
from lfr_analysis.datasets import manifest
from lfr_analysis.datasets.reader import ChecksumError, DataValidationError


def test_every_resource_is_registered_and_every_registered_file_is_a_resource():
    names = [r["name"] for r in manifest.read_manifest()["resources"]]
    assert names == list(datasets.REGISTRY), "register each data file in lfr_analysis.datasets"


@pytest.mark.parametrize("resource", manifest.read_manifest()["resources"], ids=lambda r: r["name"])
def test_each_file_loads_with_its_declared_columns(resource):
    frame = datasets.load(resource["name"])
    assert len(frame) > 0
    assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]


def test_the_committed_manifest_is_what_the_registry_builds():
    committed = manifest.read_manifest()
    assert datasets.build_manifest() == committed, "run 'lfr-analysis data manifest'"


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="deployments"):
        datasets.load("no-such-file")


def test_a_missing_manifest_names_the_path_and_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("LFR_DATA_DIR", str(tmp_path))
    with pytest.raises(ChecksumError) as error:
        manifest.read_manifest()
    assert str(tmp_path / "datapackage.json") in str(error.value)
    assert "LFR_DATA_DIR" in str(error.value)


def test_a_missing_data_file_names_the_full_path_and_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("LFR_DATA_DIR", str(tmp_path))
    with pytest.raises(DataValidationError) as error:
        datasets.load("deployments.csv", verify_checksum=False)
    assert str(tmp_path / "deployments.csv") in str(error.value)
    assert "LFR_DATA_DIR" in str(error.value)
