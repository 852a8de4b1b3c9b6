"""Tests of the strict CSV reader and the manifest checksum."""

import json

import pandas as pd
import pytest

from lfr_analysis.datasets import manifest
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import (
    ChecksumError,
    Column,
    DataValidationError,
    Problem,
    fields_schema,
    read_table,
)

COLUMNS = [
    Column("row_id", "str", required=True),
    Column("day", "date", min="2016-01-01", max="2030-12-31"),
    Column("faces_seen", "int", min=0),
    Column("threshold", "float", min=0.5, max=0.8),
    Column("force", "str", choices=("met", "swp")),
]
GOOD = "row_id,day,faces_seen,threshold,force\na,2024-01-02,100,0.6,met\nb,,,,\n"


def write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def problems_of(path, **kwargs):
    with pytest.raises(DataValidationError) as info:
        read_table(path, COLUMNS, **kwargs)
    return info.value.problems


def test_good_file_converts_and_keeps_blank_as_missing(tmp_path):
    frame = read_table(write(tmp_path, GOOD), COLUMNS)
    assert list(frame.columns) == [c.name for c in COLUMNS]
    assert str(frame["faces_seen"].dtype) == "Int64"
    assert frame.loc[0, "faces_seen"] == 100
    assert pd.isna(frame.loc[1, "faces_seen"])
    assert frame.loc[0, "day"] == pd.Timestamp("2024-01-02")
    assert frame.loc[1, "threshold"] != 0 and pd.isna(frame.loc[1, "threshold"])
    assert list(frame.index) == [0, 1]


@pytest.mark.parametrize(
    ("cell", "message"),
    [("12a", "not a whole number"), ("1.0", "not a whole number"), (" 5", "spaces")],
)
def test_text_in_a_count_names_file_line_column_value(tmp_path, cell, message):
    text = GOOD.replace("a,2024-01-02,100", f"a,2024-01-02,{cell}")
    (problem,) = problems_of(write(tmp_path, text))
    assert (problem.line, problem.column, problem.value) == (2, "faces_seen", cell)
    assert message in problem.message
    assert "t.csv, line 2, column 'faces_seen'" in str(problem)


def test_every_problem_reported_at_once(tmp_path):
    text = GOOD + "c,2024-13-01,-5,0.9,xyz\nc,2024-01-01,1,0.6,met\n"
    found = problems_of(write(tmp_path, text), unique=("row_id",))
    assert {(p.line, p.column) for p in found} == {(4, "day")}
    fixed = GOOD + "c,2024-12-01,-5,0.9,xyz\nc,2024-01-01,1,0.6,met\n"
    found = problems_of(write(tmp_path, fixed), unique=("row_id",))
    assert {(p.line, p.column) for p in found} == {
        (4, "faces_seen"),
        (4, "threshold"),
        (4, "force"),
        (4, "row_id"),
        (5, "row_id"),
    }


def test_required_blank_and_header_problems(tmp_path):
    (problem,) = problems_of(write(tmp_path, GOOD.replace("\nb,", "\n,")))
    assert (problem.line, problem.column) == (3, "row_id")
    renamed = GOOD.replace("faces_seen", "faces")
    assert {(p.column, p.line) for p in problems_of(write(tmp_path, renamed))} == {
        ("faces_seen", 1),
        ("faces", 1),
    }
    reordered = "day,row_id,faces_seen,threshold,force\n2024-01-02,a,100,0.6,met\n"
    (problem,) = problems_of(write(tmp_path, reordered))
    assert "out of order" in problem.message


def test_truncated_row_blank_line_bad_encoding_and_empty_file(tmp_path):
    truncated = GOOD[: GOOD.index("b,") + 3]
    (problem,) = problems_of(write(tmp_path, truncated))
    assert problem.line == 3 and "fields" in problem.message
    (problem,) = problems_of(write(tmp_path, GOOD.replace("\nb,", "\n\nb,")))
    assert problem.line == 3 and problem.message == "blank line"
    latin1 = GOOD.replace("a,", "\u00e9,").encode("latin-1")
    (problem,) = problems_of(write(tmp_path, latin1))
    assert problem.line == 2 and "UTF-8" in problem.message
    (problem,) = problems_of(write(tmp_path, ""))
    assert "empty" in problem.message


def test_extra_checks_receive_file_lines(tmp_path):
    def no_swp(frame, name):
        return [
            Problem(name, int(line), "force", v, "swp not allowed")
            for line, v in frame["force"].items()
            if v == "swp"
        ]

    text = GOOD + "c,2024-01-01,1,0.6,swp\n"
    (problem,) = problems_of(write(tmp_path, text), extra_checks=no_swp)
    assert (problem.line, problem.value) == (4, "swp")


def test_checksum_detects_an_edit_and_says_how_to_refresh(tmp_path, monkeypatch):
    path = write(tmp_path, GOOD)
    dataset = Dataset("t.csv", "t", "t", "test", ({"title": "hand-made", "path": "x"},), COLUMNS)
    manifest.write_manifest([dataset], tmp_path)
    written = json.loads((tmp_path / "datapackage.json").read_text())
    assert written["resources"][0]["schema"] == fields_schema(COLUMNS)
    assert len(dataset.read(path)) == 2
    path.write_text(GOOD.replace("100", "101"))
    with pytest.raises(ChecksumError, match="lfr-analysis data manifest"):
        dataset.read(path)


def test_manifest_refuses_undescribed_files(tmp_path, monkeypatch):
    write(tmp_path, GOOD, "stray.csv")
    with pytest.raises(ValueError, match="stray.csv"):
        manifest.build_manifest([], tmp_path)


def test_manifest_refuses_a_file_declared_twice(tmp_path, monkeypatch):
    write(tmp_path, GOOD, "t.csv")
    dataset = Dataset("t.csv", "t", "t", "test", (), COLUMNS)
    with pytest.raises(ValueError, match="more than one dataset.*t.csv"):
        manifest.build_manifest([dataset, dataset], tmp_path)


def test_a_file_converted_to_windows_line_endings_is_named_as_such(tmp_path):
    path = write(tmp_path, GOOD)
    dataset = Dataset("t.csv", "t", "t", "test", (), COLUMNS)
    manifest.write_manifest([dataset], tmp_path)
    path.write_bytes(GOOD.replace("\n", "\r\n").encode())
    with pytest.raises(ChecksumError, match="Windows line endings") as error:
        dataset.read(path)
    assert "Do not refresh the manifest" in str(error.value)
