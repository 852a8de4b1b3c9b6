"""Tests of the strict CSV reader and the manifest checksum."""

import csv
import io
import json
import shutil

import pandas as pd
import pytest

from lfr_analysis import datasets, paths
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
from lfr_analysis.rebuild import cli as rebuild_cli

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


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("0.6_4", "plain decimal"),  # Python's float() reads 0.64
        ("\uff10.\uff16", "plain decimal"),  # full-width digits
        ("\u0660.\u0666", "plain decimal"),  # Arabic-Indic digits
        ("6e-1", "plain decimal"),
        ("+0.6", "plain decimal"),
        (".6", "plain decimal"),
        ("0.6.1", "not a number"),
        ("inf", "not a finite number"),
        ("1" + "0" * 400, "not a finite number"),
    ],
)
def test_a_float_must_be_a_plain_ascii_decimal(tmp_path, cell, message):
    text = GOOD.replace("100,0.6,met", f"100,{cell},met")
    (problem,) = problems_of(write(tmp_path, text))
    assert (problem.line, problem.column, problem.value) == (2, "threshold", cell)
    assert message in problem.message and problem.message.startswith("float ")


@pytest.mark.parametrize("cell", [str(10**20), str(-(10**20)), str(2**63)])
def test_a_whole_number_beyond_64_bits_is_a_bad_value_not_an_overflow(tmp_path, cell):
    text = GOOD.replace("a,2024-01-02,100", f"a,2024-01-02,{cell}")
    (problem,) = problems_of(write(tmp_path, text))
    assert (problem.line, problem.column, problem.value) == (2, "faces_seen", cell)
    assert "64-bit" in problem.message
    assert f"t.csv, line 2, column 'faces_seen': value '{cell}'" in str(problem)


def test_the_largest_64_bit_whole_number_is_read(tmp_path):
    text = GOOD.replace("a,2024-01-02,100", f"a,2024-01-02,{2**63 - 1}")
    assert read_table(write(tmp_path, text), COLUMNS).loc[0, "faces_seen"] == 2**63 - 1


def test_each_bad_cell_is_named_once_however_often_its_text_repeats(tmp_path):
    # Cells are converted once per distinct text; every row holding it is still named.
    text = GOOD + "".join(f"r{i},2024-01-02,12a,0.6,met\n" for i in range(5))
    found = problems_of(write(tmp_path, text))
    assert [p.line for p in found] == [4, 5, 6, 7, 8]
    assert {p.value for p in found} == {"12a"}


def test_a_refusal_can_say_what_was_refused():
    problem = Problem("t.csv", 2, "x", "1", "bad")
    error = DataValidationError([problem], context="nothing written")
    assert str(error).splitlines()[:2] == ["nothing written", "1 problem(s) in t.csv:"]


def test_data_manifest_refuses_a_file_its_loader_rejects(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder)
    before = (folder / "datapackage.json").read_bytes()
    target = folder / "deployments.csv"
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    faces = rows[0].index("faces_seen")
    line = next(
        n for n, row in enumerate(rows) if n and row[rows[0].index("alerts")] not in ("", "0")
    )
    rows[line][faces] = "0"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        datasets.write_manifest(folder)
    assert any(p.line == line + 1 and p.column == "alerts" for p in info.value.problems)
    assert str(info.value).startswith("datapackage.json not written")
    assert (folder / "datapackage.json").read_bytes() == before
    monkeypatch.setenv(paths.DATA_ENV, str(folder))
    assert rebuild_cli.main(["manifest"]) == 1
    error = capsys.readouterr().err
    assert "datapackage.json not written" in error and f"line {line + 1}, column 'alerts'" in error
    assert (folder / "datapackage.json").read_bytes() == before


def test_data_manifest_writes_the_same_manifest_for_valid_files(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder)
    datasets.write_manifest(folder)
    assert (folder / "datapackage.json").read_bytes() == (
        paths.data_dir() / "datapackage.json"
    ).read_bytes()


@pytest.mark.parametrize("rows", [3, 200_000])  # the checksum is verified beside a large read
def test_a_bad_value_is_reported_before_the_checksum(tmp_path, rows):
    body = "".join(f"r{i},2024-01-02,{i},0.6,met\n" for i in range(rows))
    path = write(tmp_path, GOOD + body)
    dataset = Dataset("t.csv", "t", "t", "test", (), COLUMNS, unique=("row_id",))
    manifest.write_manifest([dataset], tmp_path)
    assert len(dataset.read(path)) == rows + 2
    path.write_text(GOOD + body.replace(",0,", ",-1,", 1))
    with pytest.raises(DataValidationError, match="greater_than_or_equal_to"):
        dataset.read(path)
    path.write_text(GOOD + body.replace(",0,", ",7,", 1))
    with pytest.raises(ChecksumError, match="has changed"):
        dataset.read(path)
