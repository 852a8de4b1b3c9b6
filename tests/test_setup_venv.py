"""tools/setup_venv.py: when ``make`` keeps, rebuilds or updates ``.venv``.

Fake environments stand in for real ones, and the installer is replaced, so nothing here
downloads anything; the real installation is exercised by ``make`` itself and by
``tests/test_install.py``.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from lfr_analysis import paths

sys.path.insert(0, str(paths.project_root() / "tools"))
import setup_venv  # noqa: E402


def fake_venv(folder, version=(3, 11, 7), exit_code=0, record=True, prefix=None):
    """A folder whose bin/python answers the probe like a Python of ``version`` would."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True)
    answer = json.dumps([list(version), str(prefix or folder.resolve())])
    script = f"#!/bin/sh\necho '{answer}'\nexit {exit_code}\n"
    (bin_dir / "python").write_text(script)
    (bin_dir / "python").chmod(0o755)
    if record:
        setup_venv.write_record(folder, {"venv": str(folder.resolve()), "extras": []})
    return folder


pytestmark = pytest.mark.skipif(os.name == "nt", reason="fake interpreters are shell scripts")


def test_a_sound_environment_is_kept(tmp_path):
    venv = tmp_path / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    setup_venv.write_record(venv, {"venv": str(venv.resolve()), "extras": []})
    assert setup_venv.problem_with(venv) is None


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"record": False}, "not made by this setup"),
        ({"version": (3, 10, 12)}, "its Python is 3.10.12; lfr-analysis needs 3.11"),
        ({"exit_code": 1}, "does not start"),
        ({"prefix": "/elsewhere/.venv"}, "belongs to another environment"),
    ],
)
def test_a_broken_or_foreign_environment_is_rebuilt(tmp_path, kwargs, reason):
    venv = fake_venv(tmp_path / ".venv", **kwargs)
    assert reason in setup_venv.problem_with(venv)


def test_an_interpreter_that_no_longer_exists(tmp_path):
    venv = fake_venv(tmp_path / ".venv")
    (venv / "bin" / "python").unlink()
    (venv / "bin" / "python").symlink_to(tmp_path / "removed" / "python3.11")
    assert "no longer exists" in setup_venv.problem_with(venv)


def test_a_copied_environment(tmp_path):
    venv = fake_venv(tmp_path / ".venv")
    setup_venv.write_record(venv, {"venv": "/another/checkout/.venv", "extras": []})
    assert "copied or moved" in setup_venv.problem_with(venv)


@pytest.fixture
def recorder(monkeypatch):
    calls = []
    monkeypatch.setattr(setup_venv, "system_uv", lambda: None)
    monkeypatch.setattr(setup_venv, "find_uv", lambda venv: None)

    def create(venv, uv):
        calls.append(("create", venv.name))
        shutil.rmtree(venv, ignore_errors=True)
        fake_venv(venv, record=False)

    def install(venv, extras, uv):
        calls.append(("install", tuple(extras)))
        return "pip"

    monkeypatch.setattr(setup_venv, "create", create)
    monkeypatch.setattr(setup_venv, "install", install)
    monkeypatch.setattr(setup_venv, "folder_megabytes", lambda folder: 1.0)
    monkeypatch.setattr(setup_venv, "warm_up", lambda venv: None)
    return calls


def test_rebuilds_a_broken_environment_then_keeps_it(tmp_path, recorder, capsys):
    venv = fake_venv(tmp_path / ".venv", version=(3, 10, 0))
    assert setup_venv.main(["--venv", str(venv), "--extras", "notebooks"]) == 0
    assert "rebuilding .venv: its Python is 3.10.0" in capsys.readouterr().out
    assert recorder == [("create", ".venv"), ("install", ("notebooks",))]
    recorder.clear()
    assert setup_venv.main(["--venv", str(venv), "--extras", "notebooks"]) == 0
    assert recorder == [], "nothing changed, yet the environment was touched"


def test_more_extras_or_a_new_lock_reinstall_keeping_earlier_extras(
    tmp_path, recorder, monkeypatch
):
    venv = tmp_path / ".venv"
    setup_venv.main(["--venv", str(venv), "--extras", "notebooks,test"])
    setup_venv.main(["--venv", str(venv), "--extras", "notebooks"])
    setup_venv.main(["--venv", str(venv), "--extras", "export"])
    monkeypatch.setattr(setup_venv, "fingerprint", lambda: "a new lock")
    setup_venv.main(["--venv", str(venv), "--extras", "notebooks"])
    assert recorder == [
        ("create", ".venv"),
        ("install", ("notebooks", "test")),
        ("install", ("export", "notebooks", "test")),
        ("install", ("export", "notebooks", "test")),
    ]


def test_locked_uv_version_is_read_from_the_lock():
    version = setup_venv.locked_version("uv")
    assert version and version[0].isdigit()
    assert setup_venv.locked_version("no-such-package") is None


def test_main_refuses_an_old_interpreter(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(setup_venv.sys, "version_info", (3, 10, 0, "final", 0))
    with pytest.raises(SystemExit) as stop:
        setup_venv.main(["--venv", str(tmp_path / ".venv")])
    assert stop.value.code == 2
    assert "PYTHON=python3.11" in capsys.readouterr().err
    assert not (tmp_path / ".venv").exists()
