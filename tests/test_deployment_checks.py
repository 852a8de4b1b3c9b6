"""The deployment tables' row checks (lfr_analysis.datasets.deployment_checks), rule by rule."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lfr_analysis import paths
from lfr_analysis.datasets import deployment_checks, deployments, other_deployments
from lfr_analysis.datasets.reader import Column, DataValidationError, read_table

FILE = deployments.FILE
GRID = "disposal_columns_identical"  # the flag of every 2023-24 row


@pytest.fixture
def table():
    """The real deployments.csv as a list of rows (header first)."""
    text = (paths.data_dir() / FILE).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def write(tmp_path, rows, name=FILE):
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def cell(rows, index, column, value=None):
    """Read (or, with ``value``, set) a cell of data row ``index`` (0-based)."""
    at = rows[0].index(column)
    if value is not None:
        rows[index + 1][at] = value
    return rows[index + 1][at]


def row_where(rows, **wanted):
    header = rows[0]
    for index, row in enumerate(rows[1:]):
        record = dict(zip(header, row, strict=True))
        if all(test(record[column]) for column, test in wanted.items()):
            return index
    raise AssertionError(f"no row with {wanted}")


def problems(path, checks=None, columns=None):
    with pytest.raises(DataValidationError) as info:
        read_table(
            path,
            columns or deployments.COLUMNS,
            unique=("deployment_id",),
            extra_checks=checks or deployments.deployment_problems,
        )
    return info.value.problems


def at(found, line, column):
    return [p for p in found if (p.line, p.column) == (line, column)]


def known(text):
    return text != ""


# ------------------------------------------------------------------ the real data


def test_the_real_tables_pass_every_check():
    assert len(deployments.load()) == 538
    assert len(other_deployments.load()) == 30


def test_genuine_repeats_carry_numbered_ids_and_their_own_source_rows():
    frame = deployments.load()
    repeated = frame[frame.duplicated(["force", "date", "location"], keep=False)]
    groups = repeated.groupby(["force", "date", "location"])
    assert groups.ngroups == 9 and len(repeated) == 20
    for _, group in groups:
        first, *others = group["deployment_id"]
        assert others == [f"{first}-{n}" for n in range(2, len(group) + 1)]
        assert group["source_table"].is_unique


def test_the_westminster_row_with_more_true_alerts_than_alerts_is_flagged():
    frame = deployments.load().set_index("deployment_id")
    row = frame.loc["MET-2024-01-10-westminster"]
    assert (row["alerts"], row["true_alerts"]) == (1, 2)
    assert "alert_split_inconsistent" in row["quality_flags"]


def test_no_row_prints_more_outcomes_than_alerts_today():
    # Each outcome column on its own stays within alerts (the Hounslow row's outcomes
    # exceed its alerts only in sum, and carry outcomes_exceed_alerts).
    frame = deployments.load()
    for column in deployment_checks.OUTCOMES:
        assert not (frame[column] > frame["alerts"]).fillna(False).any(), column


# ------------------------------------------------------------------ rule by rule


def test_counts_above_faces_seen_are_refused_each(tmp_path, table):
    index = row_where(table, alerts=lambda v: known(v) and int(v) >= 3, arrests=known)
    cell(table, index, "faces_seen", "0")
    found = problems(write(tmp_path, table))
    line = index + 2
    for column in ("alerts", "true_alerts", "false_alerts", "arrests"):
        if int(cell(table, index, column) or 0) > 0:
            (problem,) = at(found, line, column)
            assert "than faces seen (0)" in problem.message
    assert "more false alerts than faces seen (0)" in " ".join(p.message for p in found)


def test_arrests_above_alerts_are_refused_unless_flagged(tmp_path, table):
    index = row_where(table, alerts=lambda v: v == "1", quality_flags=lambda v: v == GRID)
    cell(table, index, "arrests", "2")
    path = write(tmp_path, table)
    (problem,) = problems(path)
    assert (problem.line, problem.column, problem.value) == (index + 2, "arrests", 2)
    assert "not flagged outcomes_exceed_alerts" in problem.message
    # Flagged (the record's vocabulary has the flag, for the Hounslow row of 07/03/25
    # whose outcomes add up to more than its alerts), the row is kept as printed.
    assert deployment_checks.OUTCOMES_EXCEED_ALERTS in deployments.QUALITY_FLAGS
    cell(table, index, "quality_flags", f"{GRID};{deployment_checks.OUTCOMES_EXCEED_ALERTS}")
    path = write(tmp_path, table)
    frame = read_table(
        path,
        deployments.COLUMNS,
        unique=("deployment_id",),
        extra_checks=deployment_checks.checks(deployments.QUALITY_FLAGS),
    )
    assert frame.loc[index, "arrests"] == 2
    # With a vocabulary that lacks it, the flag itself is unknown.
    vocabulary = dict(deployments.QUALITY_FLAGS)
    del vocabulary[deployment_checks.OUTCOMES_EXCEED_ALERTS]
    with pytest.raises(DataValidationError) as info:
        read_table(
            path,
            deployments.COLUMNS,
            unique=("deployment_id",),
            extra_checks=deployment_checks.checks(vocabulary),
        )
    flagged = [p for p in info.value.problems if p.line == index + 2]
    assert [(p.column, p.message) for p in flagged] == [("quality_flags", "unknown quality flag")]


def test_true_alerts_above_alerts_where_the_split_cannot_be_checked(tmp_path, table):
    index = row_where(table, alerts=lambda v: v == "1", quality_flags=lambda v: v == GRID)
    cell(table, index, "true_alerts", "3")
    cell(table, index, "false_alerts", "")
    for part in ("true_alerts_confirmed", "true_alerts_unconfirmed"):
        cell(table, index, part, "")
    cell(table, index, "false_alerts_confirmed", "")
    cell(table, index, "false_alerts_unconfirmed", "")
    (problem,) = problems(write(tmp_path, table))
    assert (problem.line, problem.column) == (index + 2, "true_alerts")
    assert "is above alerts 1" in problem.message


def test_a_repeated_deployment_under_another_id_is_refused(tmp_path, table):
    for new_id in ("{}x", "{}-9", "{}-b", "OTHER-{}"):
        rows = [list(r) for r in table]
        copy = list(rows[12])
        copy[0] = new_id.format(copy[0])
        rows.append(copy)
        found = problems(write(tmp_path, rows))
        lines = {p.line for p in found if "repeats the deployment" in p.message}
        assert lines == {13, len(rows)}, (new_id, found)


def test_a_numbered_repeat_citing_its_own_source_row_is_kept(tmp_path, table):
    copy = list(table[12])
    copy[0] = f"{copy[0]}-2"
    copy[table[0].index("source_table")] += " (second deployment)"
    frame = read_table(
        write(tmp_path, [*table, copy]),
        deployments.COLUMNS,
        unique=("deployment_id",),
        extra_checks=deployments.deployment_problems,
    )
    assert len(frame) == 539


@pytest.mark.parametrize(
    "make_id",
    [
        lambda i: i + " ",
        lambda i: " " + i,
        lambda i: i[:-1] + "\u0430",  # Cyrillic a
        lambda i: "\uff2d" + i[1:],  # full-width M
        lambda i: i.replace("-", "_", 1),
        lambda i: i.replace("-", "--", 1),
        lambda i: i + "-",
        lambda i: i.lower(),
        lambda i: i.replace("-", "\u2011", 1),  # non-breaking hyphen
    ],
)
def test_ids_outside_the_ascii_pattern_are_refused(tmp_path, table, make_id):
    original = cell(table, 3, "deployment_id")
    cell(table, 3, "deployment_id", make_id(original))
    found = at(problems(write(tmp_path, table)), 5, "deployment_id")
    assert found and "plain ASCII id" in found[0].message


def test_a_date_after_today_is_refused_and_today_is_not(tmp_path, table):
    for column in ("date", "date_as_printed"):
        cell(table, 0, column, (date.today() + timedelta(days=1)).isoformat())
    (problem,) = at(problems(write(tmp_path, table)), 2, "date")
    assert problem.message.startswith(f"is after today ({date.today().isoformat()})")
    for column in ("date", "date_as_printed"):
        cell(table, 0, column, date.today().isoformat())
    read_table(
        write(tmp_path, table),
        deployments.COLUMNS,
        extra_checks=deployment_checks.checks({**deployments.QUALITY_FLAGS}),
    )


def test_extra_columns_are_accepted_and_the_rules_still_apply(tmp_path, table):
    columns = [*deployments.COLUMNS, Column("reviewer_note", "str")]
    rows = [[*row, "as printed" if n else "reviewer_note"] for n, row in enumerate(table)]
    checks = deployment_checks.checks(deployments.QUALITY_FLAGS)
    frame = read_table(
        write(tmp_path, rows), columns, unique=("deployment_id",), extra_checks=checks
    )
    assert (frame["reviewer_note"] == "as printed").all()
    cell(rows, 20, "faces_seen", "0")
    assert at(problems(write(tmp_path, rows), checks, columns), 22, "alerts")


def test_the_vocabulary_is_read_at_each_call(tmp_path, table):
    vocabulary = dict(deployments.QUALITY_FLAGS)
    checks = deployment_checks.checks(vocabulary)
    cell(table, 0, "quality_flags", "reviewed_twice")
    path = write(tmp_path, table)
    (problem,) = problems(path, checks)
    assert problem.value == "reviewed_twice"
    vocabulary["reviewed_twice"] = "the row was read by two people (see notes)"
    read_table(path, deployments.COLUMNS, extra_checks=checks)


# ------------------------------------------------------------------ building blocks

ID_TEXT = st.text(alphabet="AMZamz09-_ \u0435\uff2d", max_size=8)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(ID_TEXT, min_size=1, max_size=5))
def test_the_vectorised_id_check_agrees_with_the_pattern(ids):
    expected = all(deployment_checks.ID_PATTERN.fullmatch(i) for i in ids)
    assert deployment_checks._all_plain(ids) == expected
    assert all(re.fullmatch(r"[A-Za-z0-9-]*", i) for i in ids) or not expected


def test_numbered_ids():
    numbered = deployment_checks._numbered
    assert numbered(["MET-2024-02-23-london-bridge", "MET-2024-02-23-london-bridge-2"])
    assert numbered(["MET-TRIAL-2017NHC-a", "MET-TRIAL-2017NHC-b"])
    assert numbered(["X-terminal-2", "X-terminal-2-2"])  # a slug that ends in a number
    assert not numbered(["MET-a", "MET-a"])
    assert not numbered(["MET-x-a", "MET-y-b"])
    assert not numbered(["MET-a", "MET-ax"])


def test_sums_are_exact_when_int64_overflows():
    big = np.array([2**62, 2**62, 1], dtype=np.int64)
    total = np.array([-(2**63), 2**63 - 1, 2], dtype=np.int64)
    differs = deployment_checks._sum_differs(big, big, total)
    assert differs.tolist() == [True, True, False]


def test_row_keys_tell_combinations_apart_even_past_int64():
    codes = [np.array([0, 0, 1, 1, -1]), np.array([0, 1, 0, 0, 0])]
    key = deployment_checks._row_keys(codes)
    assert key[2] == key[3] and len({key[0], key[1], key[2]}) == 3 and key[4] == -1
    assert deployment_checks._repeated(key).tolist() == [False, False, True, True, False]
    wide = [np.array([2**40, 2**40, 5]), np.array([2**40, 3, 2**40]), np.array([7, 7, 7])]
    key = deployment_checks._row_keys(wide)
    assert len(set(key.tolist())) == 3 and (key >= 0).all()


# ------------------------------------------------------------------ the record's own columns

DERIVED = "false_alerts_derived_from_rate"


def _plain_row(table):
    return row_where(
        table,
        quality_flags=lambda v: v == GRID,
        false_alerts=lambda v: known(v) and int(v) > 0,
    )


def test_a_corrected_date_flag_needs_a_corrected_date(tmp_path, table):
    index = _plain_row(table)
    cell(table, index, "quality_flags", f"{GRID};corrected_date")
    (problem,) = at(problems(write(tmp_path, table)), index + 2, "quality_flags")
    assert problem.message == "flagged corrected_date, but date equals date_as_printed"


def test_a_date_that_differs_from_the_printed_one_needs_the_flag(tmp_path, table):
    index = _plain_row(table)
    cell(table, index, "date_as_printed", "2020-01-01")
    (problem,) = at(problems(write(tmp_path, table)), index + 2, "date")
    assert "not flagged corrected_date" in problem.message


def test_a_false_alert_bound_belongs_to_a_derived_row_and_is_not_below_the_count(tmp_path, table):
    index = _plain_row(table)
    cell(table, index, "false_alerts_upper_bound", "1000")
    (problem,) = at(problems(write(tmp_path, table)), index + 2, "false_alerts_upper_bound")
    assert problem.message == f"given on a row not flagged {DERIVED}"
    derived = row_where(table, quality_flags=lambda v: DERIVED in v.split(";"))
    count = int(cell(table, derived, "false_alerts") or 0)
    cell(table, index, "false_alerts_upper_bound", "")
    cell(table, derived, "false_alerts", str(count + 1))
    cell(table, derived, "false_alerts_upper_bound", str(count))
    found = at(problems(write(tmp_path, table)), derived + 2, "false_alerts_upper_bound")
    assert [p.message for p in found] == ["below false_alerts"]


def test_a_source_checksum_must_be_a_sha256(tmp_path, table):
    index = _plain_row(table)
    cell(table, index, "source_sha256", cell(table, index, "source_sha256").upper())
    (problem,) = at(problems(write(tmp_path, table)), index + 2, "source_sha256")
    assert problem.message == "is not a SHA-256 (64 lower-case hex)"
    assert [p.line for p in problems(write(tmp_path, table)) if p.column == "source_sha256"] == [
        index + 2
    ]
