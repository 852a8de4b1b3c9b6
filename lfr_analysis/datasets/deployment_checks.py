"""Row checks of the deployment tables, vectorised: ``deployments.csv``, ``other_deployments.csv``.

:func:`checks` builds the ``checks`` function of a deployment dataset
(:class:`~lfr_analysis.datasets.dataset.Dataset`) from its quality-flag vocabulary. The
checks read the columns they relate by name and ignore any other column, so a table may
carry more columns than these rules know. Each problem names the file line, the column and
the value, as the reader's own problems do; every problem is reported at once.

The rules, in the order a line's problems are listed:

1. every flag in ``quality_flags`` is in the vocabulary;
2. ``deployment_id`` is plain ASCII: a capital-letter force prefix, then hyphen-separated
   parts of ASCII letters and digits (``MET-2024-07-11-hackney``); a space, a Cyrillic or
   full-width letter or any other character is refused;
3. ``date`` is not after today (the day the table is loaded);
4. rows with the same ``force``, ``date`` and ``location`` are separate deployments only when
   their ids number them (the same id with ``-2``, ``-3``, ... or ``-a``, ``-b``, ...
   added, as the build numbers the Met's repeated rows in printed order) and each cites its
   own source row (``source_table``); any other repeat is a duplicate deployment;
5. ``true_alerts + false_alerts == alerts`` unless flagged ``alert_split_inconsistent``;
6. no count of alerts or outcomes is above ``faces_seen``;
7. ``*_confirmed + *_unconfirmed`` equals its total (true alerts, false alerts);
8. no true or false alert count (totals or parts) is above ``alerts`` unless flagged
   ``alert_split_inconsistent`` (not repeated on a row refused by rule 5);
9. no outcome (``arrests``, ``other_disposals``, ``no_action``, engagements) is above
   ``alerts`` unless the row is flagged :data:`OUTCOMES_EXCEED_ALERTS` (a flag of the
   record's vocabulary, for rows whose printed outcomes exceed their alerts).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from lfr_analysis.datasets.reader import Problem

__all__ = [
    "ALERT_PARTS",
    "COUNTS",
    "ID_PATTERN",
    "OUTCOMES",
    "OUTCOMES_EXCEED_ALERTS",
    "checks",
    "split_flag_text",
]

#: Deployment ids: a capital-letter force prefix, then hyphen-separated ASCII parts.
ID_PATTERN = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Za-z0-9]+)+", re.ASCII)
_ID_TEXT = (
    "is not a plain ASCII id: capital letters (the force), then hyphen-separated parts of "
    "ASCII letters and digits, e.g. MET-2024-07-11-hackney (no spaces or other characters)"
)
#: A numbering suffix the build adds to the id of a repeated deployment.
_NUMBERING = re.compile(r"-(?:[0-9]+|[a-z])\Z", re.ASCII)

#: True and false alert counts: at most ``alerts`` unless flagged alert_split_inconsistent.
ALERT_PARTS = (
    "true_alerts",
    "false_alerts",
    "true_alerts_confirmed",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "false_alerts_unconfirmed",
)
#: What follows an alert: at most ``alerts`` unless flagged OUTCOMES_EXCEED_ALERTS.
OUTCOMES = (
    "arrests",
    "other_disposals",
    "no_action",
    "true_alert_engagements",
    "false_alert_engagements",
)
#: Every count of alerts and outcomes: none is above ``faces_seen``.
COUNTS = ("alerts", *ALERT_PARTS, *OUTCOMES)

#: The flag that lets a row print more outcomes than alerts (in the record's QUALITY_FLAGS).
OUTCOMES_EXCEED_ALERTS = "outcomes_exceed_alerts"

_SPLIT_FLAG = "alert_split_inconsistent"
_WORDS = {
    "true_alerts": "true alerts",
    "false_alerts": "false alerts",
    "true_alerts_confirmed": "confirmed true alerts",
    "true_alerts_unconfirmed": "unconfirmed true alerts",
    "false_alerts_confirmed": "confirmed false alerts",
    "false_alerts_unconfirmed": "unconfirmed false alerts",
    "other_disposals": "other disposals",
    "no_action": "'no action' outcomes",
    "true_alert_engagements": "engagements after true alerts",
    "false_alert_engagements": "engagements after false alerts",
}


def checks(flags: Mapping[str, str]) -> Callable[[pd.DataFrame, str], list[Problem]]:
    """Return the row checks of a deployment table whose flag vocabulary is ``flags``.

    Parameters
    ----------
    flags : mapping
        The quality flags a row may carry (name -> meaning), e.g.
        :data:`lfr_analysis.datasets.deployments.QUALITY_FLAGS`; read at each call, so a
        flag added to the mapping is accepted.

    Returns
    -------
    callable
        ``problems(frame, file_name) -> list[Problem]`` for a converted table indexed by
        file line (rules in the module docstring).
    """

    def problems(frame: pd.DataFrame, file_name: str) -> list[Problem]:
        """Check the relations between columns of a deployments table.

        Parameters
        ----------
        frame : pandas.DataFrame
            The converted table, indexed by file line.
        file_name : str
            Name used in the problems.

        Returns
        -------
        list of Problem
            Unknown flags; ids that are not plain ASCII; dates after today; deployments
            repeated (same force, date and location) without numbered ids or with one
            source row; true + false != alerts on a row not flagged
            ``alert_split_inconsistent``; any count of alerts or outcomes above faces
            seen (false alerts included); confirmed + unconfirmed parts that do not add up
            to their total; alert counts above alerts unless flagged
            ``alert_split_inconsistent``; outcomes above alerts unless flagged
            ``outcomes_exceed_alerts``. In line order, then in that order.
        """
        table = _Table(frame, file_name)
        found = [
            *table.unknown_flags(flags),
            *table.bad_ids(),
            *table.future_dates(),
            *table.repeated_deployments(),
        ]
        split_refused = np.zeros(len(frame), dtype=bool)
        if table.has("alerts", "true_alerts", "false_alerts"):
            split_refused = table.split_mismatch()
            names = ("true_alerts", "false_alerts")
            found += table.at(split_refused, "alerts", _split_message, names)
        found += table.counts_above_faces()
        found += table.parts_that_do_not_add_up()
        found += table.above_alerts(ALERT_PARTS, _SPLIT_FLAG, split_refused)
        found += table.above_alerts(OUTCOMES, OUTCOMES_EXCEED_ALERTS)
        found.sort(key=lambda problem: problem.line)  # stable: rule order within a line
        return found

    return problems


def split_flag_text(text) -> list[str]:
    """Return the flags in one ``quality_flags`` cell (empty list when blank)."""
    if not isinstance(text, str) or text == "":
        return []
    return text.split(";")


def _split_message(row: dict) -> str:
    return (
        f"true_alerts {row['true_alerts']} + false_alerts {row['false_alerts']} != alerts "
        f"{row['alerts']}, and the row is not flagged {_SPLIT_FLAG}"
    )


class _Table:
    """A converted deployment table with the column views the rules need."""

    def __init__(self, frame: pd.DataFrame, file_name: str):
        self.frame = frame
        self.name = file_name
        self.lines = frame.index.to_numpy()
        self._counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        # each row's flags, found once per distinct quality_flags cell
        self._flag_codes = np.full(len(frame), -1, dtype=np.intp)
        self._flag_sets: list[list[str]] = []
        if "quality_flags" in frame.columns:
            codes, distinct = pd.factorize(frame["quality_flags"])
            self._flag_codes = codes
            self._flag_sets = [split_flag_text(text) for text in distinct]

    def has(self, *columns: str) -> bool:
        return all(column in self.frame.columns for column in columns)

    def count(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The column as int64 values (0 where missing) and whether each is known."""
        if column not in self._counts:
            array = self.frame[column].array
            known = ~np.asarray(array.isna(), dtype=bool)
            values = array.to_numpy(dtype=np.int64, na_value=0)
            self._counts[column] = values, known
        return self._counts[column]

    def value(self, column: str, row: int):
        item = self.frame[column].iat[row]
        return item.item() if isinstance(item, np.generic) else item

    def at(self, mask: np.ndarray, column: str, message: Callable[[dict], str], names=()):
        """One problem per row where ``mask`` holds, on ``column``, with ``message(row)``."""
        found = []
        for row in np.flatnonzero(mask):
            values = {c: self.value(c, row) for c in (column, *names)}
            found.append(
                Problem(self.name, int(self.lines[row]), column, values[column], message(values))
            )
        return found

    # ------------------------------------------------------------------ flags, ids, dates

    def flagged(self, flag: str) -> np.ndarray:
        """Which rows carry ``flag``."""
        carries = np.array([flag in flags for flags in self._flag_sets] + [False], dtype=bool)
        return carries[self._flag_codes]  # code -1 (blank cell) picks the final False

    def unknown_flags(self, vocabulary: Mapping[str, str]) -> list[Problem]:
        bad = [[f for f in flags if f not in vocabulary] for flags in self._flag_sets]
        codes = [code for code, unknown in enumerate(bad) if unknown]
        if not codes:
            return []
        rows = np.flatnonzero(np.isin(self._flag_codes, codes))
        return [
            Problem(self.name, int(self.lines[row]), "quality_flags", flag, "unknown quality flag")
            for row in rows
            for flag in bad[self._flag_codes[row]]
        ]

    def bad_ids(self) -> list[Problem]:
        if not self.has("deployment_id"):
            return []
        ids = self.frame["deployment_id"]
        present = ids.notna().to_numpy()
        ids = ids.to_numpy(dtype=object)
        if _all_plain(ids[present].tolist()):  # cells of a text column: str or missing
            return []
        bad = [
            bool(known and not ID_PATTERN.fullmatch(str(t)))
            for t, known in zip(ids, present, strict=True)
        ]
        return [
            Problem(self.name, int(self.lines[row]), "deployment_id", ids[row], _ID_TEXT)
            for row in np.flatnonzero(bad)
        ]

    def future_dates(self) -> list[Problem]:
        if not self.has("date"):
            return []
        today = date.today()
        dates = self.frame["date"]
        late = dates.to_numpy() > np.datetime64(today.isoformat())  # NaT is never late
        return [
            Problem(
                self.name,
                int(self.lines[row]),
                "date",
                dates.iat[row].date().isoformat(),
                f"is after today ({today.isoformat()}): a deployment cannot be dated in the future",
            )
            for row in np.flatnonzero(late)
        ]

    def repeated_deployments(self) -> list[Problem]:
        keys = ["force", "date", "location"]
        if not self.has(*keys, "deployment_id"):
            return []
        frame = self.frame
        key = _row_keys([pd.factorize(frame[name])[0] for name in keys])
        repeated = _repeated(key) & (key >= 0)  # a blank force, date or location: -1
        if not repeated.any():
            return []
        rows = np.flatnonzero(repeated)
        ids = frame["deployment_id"].to_numpy(dtype=object)[rows]
        cited = "source_table" in frame.columns
        sources = frame["source_table"].to_numpy(dtype=object)[rows] if cited else ids
        groups: dict[int, list[int]] = {}
        for at, group in enumerate(key[rows].tolist()):
            groups.setdefault(group, []).append(at)
        found = []
        for members in groups.values():
            distinct_sources = len({sources[at] for at in members}) == len(members)
            if _numbered([ids[at] for at in members]) and distinct_sources:
                continue
            for at in members:
                others = ", ".join(str(self.lines[rows[o]]) for o in members if o != at)
                found.append(
                    Problem(
                        self.name,
                        int(self.lines[rows[at]]),
                        "deployment_id",
                        ids[at],
                        f"repeats the deployment on line(s) {others} (same force, date and "
                        "location): two deployments on one day at one place are kept only "
                        "with numbered ids (X, X-2, ... or X-a, X-b, ...) each citing its "
                        "own source row (source_table)",
                    )
                )
        return found

    def split_mismatch(self) -> np.ndarray:
        alerts, known_a = self.count("alerts")
        true, known_t = self.count("true_alerts")
        false, known_f = self.count("false_alerts")
        known = known_a & known_t & known_f
        return known & _sum_differs(true, false, alerts) & ~self.flagged(_SPLIT_FLAG)

    def counts_above_faces(self) -> list[Problem]:
        if not self.has("faces_seen"):
            return []
        faces, known_faces = self.count("faces_seen")
        found = []
        for column in COUNTS:
            if not self.has(column):
                continue
            values, known = self.count(column)
            words = _WORDS.get(column, column.replace("_", " "))
            found += self.at(
                known & known_faces & (values > faces),
                column,
                lambda row, words=words: f"more {words} than faces seen ({row['faces_seen']})",
                ("faces_seen",),
            )
        return found

    def parts_that_do_not_add_up(self) -> list[Problem]:
        found = []
        for stem in ("true_alerts", "false_alerts"):
            parts = (f"{stem}_confirmed", f"{stem}_unconfirmed")
            if not self.has(stem, *parts):
                continue
            total, known = self.count(stem)
            first, known_first = self.count(parts[0])
            second, known_second = self.count(parts[1])
            mask = known & known_first & known_second & _sum_differs(first, second, total)
            found += self.at(
                mask,
                stem,
                lambda row, stem=stem, parts=parts: (
                    f"{parts[0]} {row[parts[0]]} + {parts[1]} {row[parts[1]]} != {stem}"
                ),
                parts,
            )
        return found

    def above_alerts(self, columns, flag: str, skip=None) -> list[Problem]:
        if not self.has("alerts"):
            return []
        alerts, known_alerts = self.count("alerts")
        allowed = self.flagged(flag)
        if skip is not None:
            allowed = allowed | skip
        found = []
        for column in columns:
            if not self.has(column):
                continue
            values, known = self.count(column)
            found += self.at(
                known & known_alerts & (values > alerts) & ~allowed,
                column,
                lambda row, column=column: (
                    f"{column} {row[column]} is above alerts {row['alerts']}, and the row is "
                    f"not flagged {flag}"
                ),
                ("alerts",),
            )
        return found


_ID_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_UPPER = (ord("A"), ord("Z"))
_LOWER = (ord("a"), ord("z"))
_DASH, _NEWLINE = ord("-"), ord("\n")


def _all_plain(ids: list[str]) -> bool:
    """Whether every id matches :data:`ID_PATTERN`, checked on all ids at once.

    The pattern holds when an id uses only ASCII letters, digits and hyphens, starts with
    a capital letter, has a hyphen, no two hyphens in a row and none at its end, and no
    small letter before its first hyphen.
    """
    if not ids:
        return True
    try:
        joined = "\n".join(ids)
    except TypeError:  # not all text
        return False
    if not joined.isascii():
        return False
    data = joined.encode("ascii")
    if data.translate(None, bytes(_ID_BYTES | {_NEWLINE})) or data.count(b"\n") != len(ids) - 1:
        return False
    if b"--" in data or b"-\n" in data or data.endswith(b"-"):
        return False
    codes = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(codes == _NEWLINE)
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [codes.size]))
    if (starts >= ends).any():  # an empty id
        return False
    first = codes[starts]
    if ((first < _UPPER[0]) | (first > _UPPER[1])).any():
        return False
    dashes = np.flatnonzero(codes == _DASH)
    at = np.searchsorted(dashes, starts)
    if (at >= dashes.size).any():
        return False
    first_dash = dashes[at]
    if (first_dash >= ends).any():  # an id without a hyphen
        return False
    # no small letter from each id's start to its first hyphen (the force prefix)
    small = codes >= _LOWER[0]  # the only bytes above 'Z' left are small letters
    bounds = np.empty(2 * starts.size, dtype=np.intp)
    bounds[0::2], bounds[1::2] = starts, first_dash
    return not np.logical_or.reduceat(small, bounds)[0::2].any()


def _row_keys(codes: list[np.ndarray]) -> np.ndarray:
    """One int64 key per row for the combination of the factorized ``codes`` (-1: a blank)."""
    key = np.zeros(codes[0].size, dtype=np.int64)
    blank = np.zeros(codes[0].size, dtype=bool)
    for part in codes:
        blank |= part < 0
        size = max(int(part.max(initial=-1)) + 1, 1)
        if int(key.max(initial=0)) >= (2**62) // size:  # the product would overflow: renumber
            key = pd.factorize(pd.MultiIndex.from_arrays([key, part]))[0].astype(np.int64)
        else:
            key = key * size + np.maximum(part, 0)
    key[blank] = -1
    return key


def _repeated(key: np.ndarray) -> np.ndarray:
    """Which rows share their key with another row."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    same = ordered[1:] == ordered[:-1]
    marked = np.zeros(key.size, dtype=bool)
    marked[1:] |= same
    marked[:-1] |= same
    repeated = np.empty(key.size, dtype=bool)
    repeated[order] = marked
    return repeated


def _numbered(ids: list[str]) -> bool:
    """Whether ``ids`` are one id and its numbered repeats (X, X-2, ... or X-a, X-b, ...)."""
    if len(set(ids)) != len(ids):
        return False
    stems = None
    for text in ids:
        forms = {text, _NUMBERING.sub("", text)} if isinstance(text, str) else set()
        stems = forms if stems is None else stems & forms
    return bool(stems)


def _sum_differs(first: np.ndarray, second: np.ndarray, total: np.ndarray) -> np.ndarray:
    """``first + second != total``, exactly (int64 sums that overflow are redone in Python)."""
    with np.errstate(over="ignore"):
        summed = first + second
    differs = summed != total
    overflow = np.flatnonzero(((first ^ summed) & (second ^ summed)) < 0)
    for row in overflow:
        differs[row] = int(first[row]) + int(second[row]) != int(total[row])
    return differs
