"""What a newer version of a record changed: field by field, and in the ledger.

:func:`compare_tables` matches the deployments of the committed table and of the rebuilt
one and lists every field that changed, appeared or disappeared where the source changed
(the rows' ``source_sha256`` differ): the entries of ``data/revisions.csv``. A change made
by the code with the same sources is not a revision of the record and is not listed.
:func:`merge_log` adds them to the log; :func:`status_changes` says which published
figures of the claims ledger change status between the two tables.

Rows are matched by ``deployment_id``; a row whose id changed because the publisher edited
its location text (e.g. "Barking" to "Station Parade, Barking") is matched, when the id is
not found, with the unmatched row of the same record, date and faces seen, and its id
change is logged as a change of the field ``deployment_id``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pandas as pd

from lfr_analysis.datasets import revisions as revisions_file

__all__ = ["IGNORED", "compare_tables", "merge_log", "status_changes"]

#: Columns that say where a value came from rather than what it is: their change is
#: implied by the source change itself.
IGNORED = ("source_sha256", "source_table")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _pair(old: list[dict], new: list[dict]) -> tuple[list, list, list]:
    """Return (pairs, added, removed) of rows matched by id, then by record, date, faces."""
    old_by_id = {r["deployment_id"]: r for r in old}
    new_by_id = {r["deployment_id"]: r for r in new}
    pairs = [(old_by_id[i], new_by_id[i]) for i in new_by_id if i in old_by_id]
    left_old = [r for r in old if r["deployment_id"] not in new_by_id]
    left_new = [r for r in new if r["deployment_id"] not in old_by_id]

    def key(row):
        return (
            row.get("source_document"),
            row.get("date_as_printed", row["date"]),
            row.get("faces_seen"),
        )

    waiting: dict[tuple, list[dict]] = {}
    for row in left_old:
        waiting.setdefault(key(row), []).append(row)
    added = []
    for row in left_new:
        candidates = waiting.get(key(row))
        if candidates:
            pairs.append((candidates.pop(0), row))
        else:
            added.append(row)
    removed = [row for rows in waiting.values() for row in rows]
    return pairs, added, removed


def compare_tables(committed: str, rebuilt: str, data_file: str) -> list[dict]:
    """Return the revision-log entries between two versions of a deployments table.

    Parameters
    ----------
    committed, rebuilt : str
        CSV texts of the table before and after (both with ``source_sha256``).
    data_file : str
        The table's file name, e.g. ``"deployments.csv"``.

    Returns
    -------
    list of dict
        Entries with the columns of ``revisions.csv``, in table order. Empty when the
        committed table has no ``source_sha256`` column (nothing to attribute).
    """
    old, new = _rows(committed), _rows(rebuilt)
    if not old or "source_sha256" not in old[0] or not new:
        return []
    pairs, added, removed = _pair(old, new)
    entries = []
    columns = [c for c in new[0] if c not in IGNORED]
    for before, after in pairs:
        if before["source_sha256"] == after["source_sha256"]:
            continue
        for column in columns:
            if column in before and before[column] != after[column]:
                entries.append(_entry(data_file, after, column, "changed", before, after))
    for row in added:
        entries.extend(
            _entry(data_file, row, c, "added", None, row) for c in columns if row[c] != ""
        )
    for row in removed:
        entries.extend(
            _entry(data_file, row, c, "removed", row, None) for c in columns if row.get(c, "")
        )
    return entries


def _entry(data_file, row, column, change, before, after) -> dict:
    return {
        "data_file": data_file,
        "deployment_id": row["deployment_id"],
        "field": column,
        "change": change,
        "old": "" if before is None else before[column],
        "new": "" if after is None else after[column],
        "old_source_sha256": "" if before is None else before["source_sha256"],
        "new_source_sha256": "" if after is None else after["source_sha256"],
    }


def merge_log(existing: str, entries: list[dict]) -> str:
    """Return the revision log's text with ``entries`` added (an entry already there once)."""
    names = [c.name for c in revisions_file.COLUMNS]
    rows = _rows(existing) if existing.strip() else []
    key_names = revisions_file.DATASET.unique
    seen = {tuple(r[k] for k in key_names) for r in rows}
    for entry in entries:
        key = tuple(entry[k] for k in key_names)
        if key not in seen:
            rows.append(entry)
            seen.add(key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows({n: r.get(n, "") for n in names} for r in rows)
    return buffer.getvalue()


def status_changes(
    ledger: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
    figures: pd.DataFrame,
    old: pd.DataFrame,
    new: pd.DataFrame,
) -> list[str]:
    """Say which published figures change status from the old table to the new one.

    Parameters
    ----------
    ledger : callable
        ``ledger(figures, deployments)`` returning ``figure_id`` and ``status`` columns
        (:func:`lfr_analysis.claims.ledger`).
    figures : pandas.DataFrame
        The published figures.
    old, new : pandas.DataFrame
        The deployment tables before and after, as their loader gives them.

    Returns
    -------
    list of str
        One line per figure whose status differs, e.g.
        ``"garbett-2023-deployments: close -> reproduced"``.
    """
    before = ledger(figures, old).set_index("figure_id")["status"]
    after = ledger(figures, new).set_index("figure_id")["status"]
    lines = []
    for figure_id in after.index:
        was = before.get(figure_id, "absent")
        if was != after[figure_id]:
            lines.append(f"{figure_id}: {was} -> {after[figure_id]}")
    return lines
