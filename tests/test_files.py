"""Writes are atomic: a failure mid-write leaves the old file intact and no stray file."""

import os

import pytest

from lfr_analysis import files


def test_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "sub" / "a.csv"
    files.write_text(target, "old\n")
    files.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.csv"]


class Boom(Exception):
    pass


def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "deployments.csv"
    target.write_text("the last good version\n")
    real_fsync = os.fsync

    def failing_fsync(fd):
        real_fsync(fd)
        raise Boom("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(Boom):
        files.write_text(target, "half of a new ver")
    assert target.read_text() == "the last good version\n"
    assert [p.name for p in tmp_path.iterdir()] == ["deployments.csv"]


def test_a_failure_in_the_final_rename_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "datapackage.json"
    target.write_bytes(b"{}\n")
    monkeypatch.setattr(os, "replace", lambda *args: (_ for _ in ()).throw(Boom("killed")))
    with pytest.raises(Boom):
        files.write_bytes(target, b'{"resources": []}\n')
    assert target.read_bytes() == b"{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["datapackage.json"]


def test_the_mode_of_an_existing_file_is_kept(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("x")
    target.chmod(0o640)
    files.write_text(target, "y")
    assert target.stat().st_mode & 0o777 == 0o640


def test_text_and_bytes_are_checked():
    with pytest.raises(TypeError, match="data must be bytes"):
        files.write_bytes("x", "text")
    with pytest.raises(TypeError, match="text must be str"):
        files.write_text("x", b"bytes")


def test_write_through_a_writer_that_fails_leaves_the_old_file(tmp_path):
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"old")

    def failing(path):
        path.write_bytes(b"half")
        raise Boom("the writer failed")

    with pytest.raises(Boom):
        files.write_through(target, failing)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.xlsx"]
    files.write_through(target, lambda path: path.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
