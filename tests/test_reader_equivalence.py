"""The fast reader gives what the strict, cell-by-cell reader gives: same frame, same errors.

``read_table`` splits a well-formed file with Arrow's CSV reader, converts each column once per
distinct text and checks the value rules vectorised. The reference below is the reader as
it was before (the :mod:`csv` module in strict mode, one cell at a time, value rules by a
pandera schema); both must agree on every real data file and on every corrupted copy:
the same frame, or the same problems (file, line, column, value, message).
"""

from __future__ import annotations

import csv
import io
import string
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_loaders import CORRUPTIONS, write_rows

from lfr_analysis import datasets, paths
from lfr_analysis.datasets import csv_scan, reader
from lfr_analysis.datasets.reader import Column, DataValidationError, Problem

SEED = 20240409
CASES = 5  # per corruption and file


# ------------------------------------------------------------------ the reference


def reference_read(path, columns, *, unique=(), extra_checks=None) -> pd.DataFrame:
    """Read ``path`` as the reader did before: csv module, cell by cell, pandera."""
    raw = path.read_bytes()
    name = reader.display_name(path)
    header, rows = reader._records(reader._decode(raw, name), name)
    problems = reader._check_header(header, columns, name)
    if problems:
        raise DataValidationError(problems)
    frame, problems = _cell_by_cell(rows, columns, name)
    if not problems:
        problems = _pandera_problems(frame, reader.pandera_schema(columns, unique), name)
        problems += reader._relation_problems(frame, name, extra_checks, problems)
    if problems:
        raise DataValidationError(problems)
    return frame.reset_index(drop=True)


def _cell_by_cell(rows, columns, name):
    problems, lines = [], []
    values = {c.name: [] for c in columns}
    for line, fields in rows:
        if not fields:
            problems.append(Problem(name, line, None, None, "blank line"))
            continue
        if len(fields) != len(columns):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    f"row has {len(fields)} fields, expected {len(columns)} "
                    "(truncated or shifted row)",
                )
            )
            continue
        lines.append(line)
        for column, text in zip(columns, fields, strict=True):
            value = None
            if text != "":
                try:
                    value = reader._convert_cell(text, column)
                except ValueError as err:
                    problems.append(Problem(name, line, column.name, text, f"{column.kind} {err}"))
            values[column.name].append(value)
    frame = pd.DataFrame(index=pd.Index(lines, name="line"))
    for column in columns:
        data = values[column.name]
        if column.kind == "date":
            frame[column.name] = pd.to_datetime(pd.Series(data, index=frame.index, dtype=object))
        elif column.kind == "str":
            frame[column.name] = pd.Series(
                [np.nan if v is None else v for v in data], index=frame.index, dtype=object
            )
        else:
            dtype = {"int": "Int64", "float": "float64", "bool": "boolean"}[column.kind]
            frame[column.name] = pd.array(data, dtype=dtype)
    return frame, problems


def _pandera_problems(frame, schema, name):
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        found = []
        for case in err.failure_cases.itertuples(index=False):
            line = None if pd.isna(case.index) else int(case.index)
            value = None if pd.isna(case.failure_case) else case.failure_case
            column = None if pd.isna(case.column) else str(case.column)
            found.append(Problem(name, line, column, value, f"fails check {case.check}"))
        return found
    return []


# ------------------------------------------------------------------ comparing


def outcome(read, path, dataset):
    """The frame read, or the sorted problems (file, line, column, problem text) and lines."""
    kinds = {c.name: c.kind for c in dataset.columns}
    try:
        return read(path, dataset.columns, unique=dataset.unique, extra_checks=dataset.checks)
    except DataValidationError as err:
        found = [_as_read(p, kinds) for p in err.problems]
        return sorted((p.line or 0, p.column or "", str(p)) for p in found), [
            p.line or 0 for p in found
        ]


def _as_read(problem, kinds):
    """pandera shows a whole number of a column with blanks as a float (-1.0): as read, -1."""
    value = problem.value
    if kinds.get(problem.column) == "int" and isinstance(value, float) and value.is_integer():
        return Problem(problem.file, problem.line, problem.column, int(value), problem.message)
    return problem


def assert_same(path, dataset):
    fast = outcome(reader.read_table, path, dataset)
    slow = outcome(reference_read, path, dataset)
    if isinstance(slow, pd.DataFrame):
        assert isinstance(fast, pd.DataFrame), fast
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    else:
        assert not isinstance(fast, pd.DataFrame), f"loaded, but the reference refuses: {slow}"
        assert fast[0] == slow[0]
        assert fast[1] == sorted(fast[1]), "problems not in line order"


def _insert_line(text, at, line):
    lines = text.split("\n")
    lines.insert(at, line)
    return "\n".join(lines)


def _lone_carriage_return(text):
    lines = text.split("\n")
    return "\n".join(lines[:4]) + "\r" + "\n".join(lines[4:])


STRUCTURAL = {
    "blank line": lambda t: _insert_line(t, 3, ""),
    "blank line at the end": lambda t: t + "\n",
    "blank line after the header": lambda t: _insert_line(t, 1, ""),
    "blank line, windows line ends": lambda t: _insert_line(t, 3, "").replace("\n", "\r\n"),
    "two blank lines at the end": lambda t: t + "\n\n",
    "a row of blank cells": lambda t: _insert_line(t, 3, "," * t.split("\n")[0].count(",")),
    "a row of spaces": lambda t: _insert_line(t, 3, " "),
    "short row": lambda t: _insert_line(t, 3, "a,b,c"),
    "long row": lambda t: _insert_line(t, 3, t.split("\n")[3] + ",extra"),
    "no final line end": lambda t: t.rstrip("\n"),
    "windows line ends": lambda t: t.replace("\n", "\r\n"),
    "a lone carriage return": _lone_carriage_return,
    "byte order mark": lambda t: "\ufeff" + t,
    "two byte order marks": lambda t: "\ufeff\ufeff" + t,
    "quote inside a bare cell": lambda t: t.replace(",", ',x"y', 1),
    "text after a closing quote": lambda t: t.replace(',"', ',"a"b', 1),
    "quote never closed": lambda t: t + '"unclosed,',
    "NUL byte": lambda t: t.replace(",", ",\x00", 5),
    "line break inside a quoted cell": lambda t: t.replace(',"', ',"two\nlines ', 1),
    "doubled quote inside a quoted cell": lambda t: t.replace(',"', ',"say ""hi"" ', 1),
    "cell over the csv field limit": lambda t: t.replace(",", "," + "x" * 140_000, 1),
    "header only": lambda t: t.split("\n", 1)[0] + "\n",
    "empty": lambda t: "",
}


@pytest.mark.parametrize("dataset", list(datasets.REGISTRY.values()), ids=lambda d: d.file)
def test_every_real_file_reads_the_same_and_by_the_fast_path(dataset):
    path = paths.data_dir() / dataset.file
    assert csv_scan.fast_cells(path.read_bytes()) is not None, "the fast path is not taken"
    assert_same(path, dataset)


@pytest.mark.parametrize("how", sorted(STRUCTURAL))
@pytest.mark.parametrize("file_name", ["deployments.csv", "study_predictions.csv"])
def test_structural_corruptions_give_the_same_result(how, file_name, tmp_path):
    dataset = datasets._dataset(file_name)
    text = (paths.data_dir() / file_name).read_text(encoding="utf-8")
    path = tmp_path / file_name
    path.write_bytes(STRUCTURAL[how](text).encode("utf-8"))
    assert_same(path, dataset)


def test_invalid_utf8_gives_the_same_problem(tmp_path):
    dataset = datasets.REGISTRY["deployments"]
    raw = (paths.data_dir() / dataset.file).read_bytes()
    path = tmp_path / dataset.file
    path.write_bytes(raw.replace(b"Stratford", b"Strat\xe9ford", 1))
    assert_same(path, dataset)


@pytest.mark.parametrize("dataset", list(datasets.REGISTRY.values()), ids=lambda d: d.file)
def test_fuzzed_copies_give_the_same_result(dataset, tmp_path, record_property):
    text = (paths.data_dir() / dataset.file).read_text(encoding="utf-8")
    rng = np.random.default_rng([SEED, sorted(datasets.REGISTRY).index(dataset.name)])
    path = tmp_path / dataset.file
    tried = 0
    for corruption in CORRUPTIONS:
        for _ in range(CASES):
            path.write_bytes(corruption(text, rng))
            assert_same(path, dataset)
            tried += 1
    record_property("fuzz_cases", f"{tried} corrupted copies read alike by both readers")


@pytest.mark.parametrize("piece", [1, 700, 20_000])
@pytest.mark.parametrize("file_name", ["deployments.csv", "published_figures.csv"])
def test_a_file_read_in_many_pieces_reads_as_in_one(piece, file_name, monkeypatch):
    path = paths.data_dir() / file_name
    raw = path.read_bytes()
    whole = csv_scan.fast_cells(raw)
    monkeypatch.setattr(csv_scan, "_PIECE", piece)
    start = raw.index(b"\n") + 1
    pieces = csv_scan._pieces(raw, start)
    assert len(pieces) > 1, "the file was not cut"
    assert b"".join(p.to_pybytes() for p in pieces) == raw[start:]
    assert all(p.to_pybytes().endswith(b"\n") for p in pieces[:-1]), "a piece ends mid-line"
    cut = csv_scan.fast_cells(raw)
    assert cut[0] == whole[0]
    for texts, expected in zip(cut[1], whole[1], strict=True):
        assert list(texts.texts()) == list(expected.texts())
        assert len(texts.distinct) == len(set(texts.distinct)), "a text coded twice"
    assert_same(path, datasets._dataset(file_name))


# ---------------------------------------------------------- the fast path's proof

CSV_ALPHABET = st.sampled_from(list('ab1,"\n\r -é\x00') + ["\r\n", '""', ',"', '",'])


@settings(
    max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(CSV_ALPHABET, min_size=1, max_size=40).map("".join))
def test_the_fast_path_splits_only_as_the_csv_module_does(text):
    raw = ("h1,h2,h3\n" + text).encode("utf-8")
    split = csv_scan.fast_cells(raw)
    if split is None:
        return
    header, cells = split
    strict_header, rows = reader._records(reader._decode(raw, "t.csv"), "t.csv")
    assert header == strict_header
    assert all(len(fields) == len(header) for _, fields in rows), rows
    assert [line for line, _ in rows] == list(range(2, len(rows) + 2))
    for column, texts in enumerate(cells):
        assert list(texts.texts()) == [fields[column] for _, fields in rows]
    with mock.patch.object(csv_scan, "_PIECE", 3):  # every row a piece of its own
        cut = csv_scan.fast_cells(raw)
    assert cut is not None, "refused when read in pieces"
    assert [list(t.texts()) for t in cut[1]] == [list(t.texts()) for t in cells]


CELLS = st.text(alphabet=string.ascii_letters + string.digits + ' ,"-.;é£', max_size=12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(2, 6).flatmap(lambda n: st.lists(st.lists(CELLS, min_size=n, max_size=n))))
def test_files_the_csv_writer_writes_take_the_fast_path(rows):
    width = len(rows[0]) if rows else 2
    header = [f"c{i}" for i in range(width)]
    raw = write_rows([header, *rows]).encode("utf-8")
    split = csv_scan.fast_cells(raw)
    if any(all(cell == "" for cell in row) for row in rows) and width == 1:
        return
    assert split is not None
    assert split[0] == header
    for column, texts in enumerate(split[1]):
        assert list(texts.texts()) == [row[column] for row in rows]


# ------------------------------------------------------- value rules against pandera

RULED = [
    Column("key", "str", required=True),
    Column("day", "date", min="2016-01-01", max="2030-12-31"),
    Column("count", "int", min=0),
    Column("share", "float", min=0.5, max=0.8),
    Column("kind", "str", choices=("met", "swp")),
    Column("flag", "bool", required=True),
]
VALUES = {
    "key": st.sampled_from(["a", "b", "c", ""]),
    "day": st.sampled_from(["", "2015-12-31", "2016-01-01", "2024-02-29", "2031-01-01"]),
    "count": st.sampled_from(["", "-1", "0", "7", "9223372036854775807"]),
    "share": st.sampled_from(["", "0.49", "0.5", "0.64", "0.81"]),
    "kind": st.sampled_from(["", "met", "swp", "other"]),
    "flag": st.sampled_from(["", "true", "false"]),
}


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.lists(st.fixed_dictionaries(VALUES), min_size=1, max_size=8),
    st.sampled_from([(), ("key",), ("count",), ("day",)]),
)
def test_value_rules_fail_as_pandera_does(tmp_path_factory, rows, unique):
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(VALUES), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("rules") / "t.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    dataset = datasets.Dataset("t.csv", "t", "t", "t", (), RULED, unique=unique)
    assert_same(path, dataset)
