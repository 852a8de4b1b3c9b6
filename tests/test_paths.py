"""Where the package looks for its folders, in a checkout and installed from a wheel."""

from pathlib import Path

import pytest

from lfr_analysis import paths

VARIABLES = ("LFR_DATA_DIR", "LFR_BUILD_DIR", "LFR_SOURCES_DIR", "LFR_NOTEBOOKS_DIR")


@pytest.fixture
def clean_env(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def installed(clean_env, tmp_path):
    """Pretend the package was installed: no pyproject.toml beside it, cwd elsewhere."""
    clean_env.setattr(paths, "PROJECT_ROOT", tmp_path / "site-packages")
    clean_env.chdir(tmp_path)
    return tmp_path


def test_checkout_defaults(clean_env):
    root = paths.project_root()
    assert paths.in_checkout()
    assert paths.data_dir() == root / "data"
    assert paths.build_dir() == root / "build"
    assert paths.notebooks_dir() == root / "notebooks"
    assert paths.raw_dir() == root / "data" / "raw"
    assert paths.sources_dir() == root / "data" / "raw"


def test_variables_win(clean_env, tmp_path):
    for name in VARIABLES:
        clean_env.setenv(name, str(tmp_path / name))
    assert paths.data_dir() == tmp_path / "LFR_DATA_DIR"
    assert paths.build_dir() == tmp_path / "LFR_BUILD_DIR"
    assert paths.sources_dir() == tmp_path / "LFR_SOURCES_DIR"
    assert paths.notebooks_dir() == tmp_path / "LFR_NOTEBOOKS_DIR"
    assert paths.raw_dir() == tmp_path / "LFR_DATA_DIR" / "raw"


def test_sources_are_never_looked_for_beside_the_checkout(clean_env, tmp_path):
    """A ``shared/`` folder beside the checkout is not consulted (the Makefile may set the
    variable to it instead)."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text("")
    shared = tmp_path / "shared" / "sources" / "met"
    shared.mkdir(parents=True)
    (shared / "lfr-deployment-grid-2020-2022.pdf").write_bytes(b"%PDF-")
    clean_env.setattr(paths, "PROJECT_ROOT", checkout)
    assert paths.sources_dir() == checkout / "data" / "raw"


def test_installed_reads_the_package_copy_and_writes_to_the_current_folder(installed):
    assert not paths.in_checkout()
    assert paths.data_dir() == paths.installed_data_dir()
    assert paths.installed_data_dir().parent == Path(paths.__file__).resolve().parent
    assert paths.build_dir() == installed / "build"
    assert paths.figures_dir() == installed / "build" / "figures"
    assert paths.notebooks_dir() == installed / "notebooks"
    assert paths.raw_dir() == installed / "data" / "raw"


def test_installed_copy_is_never_written(installed):
    with pytest.raises(PermissionError, match="LFR_DATA_DIR"):
        paths.data_dir_for_writing()


def test_data_dir_for_writing_in_a_checkout_or_elsewhere(clean_env, tmp_path):
    assert paths.data_dir_for_writing() == paths.data_dir()
    clean_env.setenv("LFR_DATA_DIR", str(tmp_path))
    assert paths.data_dir_for_writing() == tmp_path


def test_missing_file_message_names_the_full_path_and_the_variable(clean_env, tmp_path):
    clean_env.setenv("LFR_DATA_DIR", str(tmp_path / "exist"))
    message = paths.missing_file_message(paths.data_dir() / "deployments.csv")
    assert str(tmp_path / "exist" / "deployments.csv") in message
    assert f"LFR_DATA_DIR={tmp_path / 'exist'}" in message
    assert message.endswith(
        "set LFR_DATA_DIR to the folder that holds the data files and datapackage.json"
    )


def test_missing_file_message_in_a_checkout_and_installed(clean_env, installed):
    message = paths.missing_file_message(paths.data_dir() / "deployments.csv")
    assert str(paths.installed_data_dir() / "deployments.csv") in message
    assert "installed with the package" in message and "LFR_DATA_DIR" in message
    elsewhere = paths.missing_file_message("somewhere/deployments.csv")
    assert str(installed / "somewhere" / "deployments.csv") in elsewhere
    assert "outside the data folder" in elsewhere
