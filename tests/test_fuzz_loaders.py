"""Fuzz every data loader with corrupted copies of its file.

Each case copies the data folder (manifest included), corrupts one file in one way, and
loads it. The loader must raise one of the suite's own errors
(:class:`~lfr_analysis.validation.LfrDataError`) whose message names the file and, for a
validation error, the line; it must never load silently and never fail with an
unexplained error from deep inside pandas. A corruption that keeps the file valid (for
example a blanked optional cell) is caught by the checksum, whose error names the file and
says it concerns the whole file. The number of cases tried is shown in the test summary.
"""

from __future__ import annotations

import csv
import importlib
import io
import shutil
from datetime import date, timedelta

import numpy as np
import pytest

from lfr_analysis import datasets, paths
from lfr_analysis.datasets.reader import ChecksumError, DataValidationError, LfrDataError

#: data file -> "module:loader" (each loader takes the file's path as ``path``).
LOADERS = {
    "deployments.csv": "lfr_analysis.datasets.deployments:load",
    "other_deployments.csv": "lfr_analysis.datasets.other_deployments:load",
    "met_secondary_rows.csv": "lfr_analysis.datasets.met_secondary_rows:load",
    "study_predictions.csv": "lfr_analysis.datasets.study_predictions:load",
    "arrests_by_offence.csv": "lfr_analysis.datasets.arrests_by_offence:load",
    "offence_taxonomy.csv": "lfr_analysis.datasets.offence_taxonomy:load",
    "published_figures.csv": "lfr_analysis.datasets.published_figures:load",
    "pdf_transcriptions.csv": "lfr_analysis.datasets.pdf_transcriptions:load",
    "corrections.csv": "lfr_analysis.datasets.corrections:load",
    "borough_gazetteer.csv": "lfr_analysis.datasets.borough_gazetteer:load",
    "transcription_check.csv": "lfr_analysis.datasets.transcription_check:load",
    "btp_secondary_rows.csv": "lfr_analysis.datasets.btp_secondary_rows:load",
    "btp_deployments.csv": "lfr_analysis.datasets.btp_deployments:load",
    "source_registry.csv": "lfr_analysis.datasets.source_registry:load",
    "revisions.csv": "lfr_analysis.datasets.revisions:load",
    "census2021_boroughs.csv": "lfr_analysis.datasets.census2021_boroughs:load",
    "london_tile_grid.csv": "lfr_analysis.datasets.london_tile_grid:load",
    "mps_borough_crime.csv": "lfr_analysis.datasets.mps_borough_crime:load",
}
CASES_PER_KIND = 6
SEED = 20240409


def loader(file_name):
    module, function = LOADERS[file_name].split(":")
    return getattr(importlib.import_module(module), function)


def read_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def write_rows(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


# Each corruption takes (text, rng) and returns the corrupted bytes.


def blank_cell(text, rng):
    rows = read_rows(text)
    row, col = rng.integers(1, len(rows)), rng.integers(0, len(rows[0]))
    rows[row][col] = ""
    return write_rows(rows).encode()


def numeric_columns(rows):
    """Columns whose non-blank cells are all numbers."""
    found = []
    for col in range(len(rows[0])):
        cells = [r[col] for r in rows[1:] if r[col] != ""]
        try:
            [float(c) for c in cells]
        except ValueError:
            continue
        if cells:
            found.append(col)
    return found


def text_in_number(text, rng):
    rows = read_rows(text)
    columns = numeric_columns(rows)
    if not columns:
        return text.encode()  # nothing numeric to corrupt: the case is skipped
    col = rng.choice(columns)
    row = rng.integers(1, len(rows))
    rows[row][col] = rng.choice(["n/a", "12a", "1,000", "one", "?"])
    return write_rows(rows).encode()


def negative_count(text, rng):
    rows = read_rows(text)
    ints = [c for c in numeric_columns(rows) if all("." not in r[c] for r in rows[1:])]
    if not ints:
        return text.encode()  # no count column: the case is skipped
    col = rng.choice(ints)
    filled = [i for i in range(1, len(rows)) if rows[i][col] != ""]
    row = rng.choice(filled)
    rows[row][col] = "-" + rows[row][col].lstrip("-") if rows[row][col] != "0" else "-1"
    return write_rows(rows).encode()


def duplicate_row(text, rng):
    rows = read_rows(text)
    row = rng.integers(1, len(rows))
    rows.insert(row + 1, list(rows[row]))
    return write_rows(rows).encode()


def drop_row(text, rng):
    rows = read_rows(text)
    del rows[rng.integers(1, len(rows))]
    return write_rows(rows).encode()


def truncate(text, rng):
    data = text.encode()
    return data[: rng.integers(0, len(data) - 1)]


def wrong_encoding(text, rng):
    encoding = rng.choice(["utf-16", "latin-1", "cp1252"])
    if encoding != "utf-16":
        rows = read_rows(text)
        row, col = rng.integers(1, len(rows)), rng.integers(0, len(rows[0]))
        rows[row][col] = rows[row][col] + " caf\u00e9 \u00a3"
        text = write_rows(rows)
    return text.encode(encoding, errors="replace")


def reorder_columns(text, rng):
    rows = read_rows(text)
    a, b = rng.choice(len(rows[0]), size=2, replace=False)
    for r in rows:
        r[a], r[b] = r[b], r[a]
    return write_rows(rows).encode()


def rename_column(text, rng):
    rows = read_rows(text)
    col = rng.integers(0, len(rows[0]))
    rows[0][col] = rows[0][col] + rng.choice(["_x", "s", " "])
    return write_rows(rows).encode()


CORRUPTIONS = [
    blank_cell,
    text_in_number,
    negative_count,
    duplicate_row,
    drop_row,
    truncate,
    wrong_encoding,
    reorder_columns,
    rename_column,
]


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    for path in paths.data_dir().iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    return folder


def test_every_declared_data_file_is_fuzzed():
    declared = {d.file for d in datasets.REGISTRY.values()}
    assert declared == set(LOADERS), "add new data files to LOADERS"


def check_refused(error: Exception, file_name: str) -> None:
    assert isinstance(error, LfrDataError), f"{type(error).__name__}: {error}"
    message = str(error)
    assert file_name in message, message
    if isinstance(error, DataValidationError):
        assert error.problems
        for problem in error.problems:
            assert problem.file.endswith(file_name)
            assert problem.line is not None or "empty" in problem.message, str(problem)
    else:
        assert isinstance(error, ChecksumError)
        assert "whole file" in message and "lfr-analysis data manifest" in message


@pytest.mark.parametrize("file_name", sorted(LOADERS))
def test_corrupted_copies_are_refused(file_name, data_copy, record_property):
    load = loader(file_name)
    target = data_copy / file_name
    original = (paths.data_dir() / file_name).read_bytes()
    text = original.decode("utf-8")
    load(path=target)  # the intact copy loads
    rng = np.random.default_rng([SEED, sorted(LOADERS).index(file_name)])
    tried, by_error = 0, {}
    try:
        for corruption in CORRUPTIONS:
            for _ in range(CASES_PER_KIND):
                corrupted = corruption(text, rng)
                if corrupted == original:
                    continue
                target.write_bytes(corrupted)
                with pytest.raises(Exception) as info:
                    load(path=target)
                check_refused(info.value, file_name)
                tried += 1
                kind = type(info.value).__name__
                by_error[kind] = by_error.get(kind, 0) + 1
    finally:
        target.write_bytes(original)
    record_property("fuzz_cases", f"{tried} corrupted copies refused {by_error}")
    assert tried >= len(CORRUPTIONS) * CASES_PER_KIND // 2


# ------------------------------------------------------------------ semantic cases
#
# Each case edits one or two cells of a real file so that it stays well formed but says
# something impossible; the loader must refuse it with a problem naming the edited line
# and column (never only a checksum error, never a bare Python error).

TODAY = date.today()
FLOATS = {
    "0.6_4": "plain decimal",  # Python's float() reads 0.64
    "\uff10.\uff16\uff14": "plain decimal",  # full-width digits
    "\u0660.\u0666\u0664": "plain decimal",  # Arabic-Indic digits
    "6.4e-1": "plain decimal",
    "+0.64": "plain decimal",
    "1e999": "finite",
}
HUGE = str(10**20)


def _cells(text):
    rows = read_rows(text)
    return rows, rows[0]


def _first_row(rows, header, predicate):
    for index in range(1, len(rows)):
        if predicate(dict(zip(header, rows[index], strict=True))):
            return index
    return None


def _number(cell):
    return int(cell) if cell.lstrip("-").isdigit() else None


def semantic_cases(file_name, text):
    """Yield (label, corrupted text, line, column, words in the message) for one file."""
    rows, header = _cells(text)
    columns = {c.name: c for c in datasets._dataset(file_name).columns}

    def edited(changes, extra_row=None):
        copy = [list(r) for r in rows]
        for index, column, value in changes:
            copy[index][header.index(column)] = value
        if extra_row is not None:
            copy.append(extra_row)
        return write_rows(copy)

    for name, column in columns.items():
        if column.kind == "int":
            yield f"{name} = 10**20", edited([(1, name, HUGE)]), 2, name, "64-bit"
        if column.kind == "float":
            for value, words in FLOATS.items():
                yield f"{name} = {value!r}", edited([(1, name, value)]), 2, name, words
    if not {"faces_seen", "alerts", "arrests", "deployment_id"} <= set(columns):
        return

    def row_with(**least):
        return _first_row(
            rows,
            header,
            lambda r: (
                all((_number(r[c]) if r[c] else -1) >= v for c, v in least.items())
                and "outcomes_exceed_alerts" not in r["quality_flags"]
            ),
        )

    index = row_with(alerts=1, faces_seen=1)
    alerts = _number(rows[index][header.index("alerts")])
    faces = str(alerts - 1)
    yield (
        "alerts above faces seen",
        edited([(index, "faces_seen", faces)]),
        index + 1,
        "alerts",
        ("more alerts than faces seen"),
    )
    index = row_with(true_alerts=1, faces_seen=1)
    if index is not None:
        true = _number(rows[index][header.index("true_alerts")])
        changes = [(index, "faces_seen", str(true - 1))]
        yield "true alerts above faces", edited(changes), index + 1, "true_alerts", "faces seen"
    # A small file (the BTP register) may hold no row to build a case from; the
    # deployment record holds every one, so each case is tried on some file.
    index = row_with(arrests=1, faces_seen=1)
    if index is not None:
        arrests = _number(rows[index][header.index("arrests")])
        changes = [(index, "faces_seen", str(arrests - 1))]
        yield "arrests above faces seen", edited(changes), index + 1, "arrests", "faces seen"
    index = row_with(alerts=0, faces_seen=1)
    if index is not None:
        alerts = _number(rows[index][header.index("alerts")])
        changes = [(index, "arrests", str(alerts + 1))]
        yield "arrests above alerts", edited(changes), index + 1, "arrests", "above alerts"
    index = _first_row(rows, header, lambda r: r["date"] != "")
    later = (TODAY + timedelta(days=30)).isoformat()
    yield "date after today", edited([(index, "date", later)]), index + 1, "date", "after today"
    original = rows[index][0]
    for label, new_id, words in (
        ("id with a trailing space", original + " ", "plain ASCII"),
        ("id with a Cyrillic letter", original.replace("e", "\u0435", 1), "plain ASCII"),
        ("id with a full-width letter", "\uff2d" + original[1:], "plain ASCII"),
    ):
        if new_id != original:
            yield (
                label,
                edited([(index, "deployment_id", new_id)]),
                index + 1,
                "deployment_id",
                words,
            )
    for label, new_id in (
        ("duplicate deployment under another id", original + "x"),
        ("duplicate deployment under a numbered id", original + "-9"),
    ):
        copy = list(rows[index])
        copy[0] = new_id
        yield label, edited([], copy), len(rows) + 1, "deployment_id", "repeats the deployment"


@pytest.mark.parametrize("file_name", sorted(LOADERS))
def test_semantically_impossible_copies_are_refused_at_their_cell(
    file_name, data_copy, record_property
):
    load = loader(file_name)
    target = data_copy / file_name
    original = (paths.data_dir() / file_name).read_bytes()
    tried = []
    try:
        for label, text, line, column, words in semantic_cases(file_name, original.decode()):
            target.write_bytes(text.encode("utf-8"))
            with pytest.raises(DataValidationError) as info:
                load(path=target)
            check_refused(info.value, file_name)
            hits = [p for p in info.value.problems if (p.line, p.column) == (line, column)]
            assert hits, f"{label}: no problem at line {line}, column {column}: {info.value}"
            assert any(words in p.message for p in hits), f"{label}: {hits}"
            tried.append(label)
    finally:
        target.write_bytes(original)
    record_property("fuzz_cases", f"{len(tried)} semantic corruptions refused at their cell")
    if file_name == "deployments.csv":
        every_relation = {"true alerts above faces", "arrests above faces seen"}
        assert every_relation | {"arrests above alerts", "date after today"} <= set(tried)
    declared = datasets._dataset(file_name).columns
    assert tried or not any(c.kind in ("int", "float") for c in declared)
