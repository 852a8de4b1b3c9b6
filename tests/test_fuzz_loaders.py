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
