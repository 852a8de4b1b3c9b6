"""Strict reading of the suite's CSV files.

Every loader in the package reads its file through :func:`read_table`, so every data file
gets the same guarantees:

* the file is decoded as UTF-8 and parsed as the standard :mod:`csv` module parses it
  (strict mode), and a row with too few or too many fields, a blank line or a broken quote
  is an error;
* the header must hold exactly the declared columns, in the declared order;
* each cell is converted by its column's kind; a blank cell is missing (``<NA>``), never 0,
  and text in a number is an error, never coerced. A whole number must fit in 64 bits and
  a float must be written as a plain ASCII decimal (``0.64``; not ``0.6_4``, ``6.4e-1``,
  full-width or Arabic-Indic digits, which Python's ``float`` would accept);
* value rules (minimum, maximum, allowed values, required, unique) are checked column by
  column; each failure carries the name pandera gives the same check
  (``not_nullable``, ``greater_than_or_equal_to(0)``, ``isin([...])``,
  ``field_uniqueness``), and :func:`pandera_schema` builds the equivalent
  `pandera <https://pandera.readthedocs.io>`_ schema;
* relations between columns are checked by the loader's own ``extra_checks``;
* the file's checksum is verified by the caller's ``verify`` function (the loaders pass
  :func:`lfr_analysis.datasets.manifest.verify_checksum`), so this module knows no manifest.

All problems found are reported together in one :class:`DataValidationError`, each naming
the file, the line (the header is line 1), the column and the value.

How it stays fast: :func:`lfr_analysis.datasets.csv_scan.fast_cells` lets Arrow's CSV
reader split a file once a numpy scan of its bytes has proven that it splits it exactly as
the strict :mod:`csv` reader would; any other file is split by the :mod:`csv` module itself,
which names the line of every structural problem. Each column arrives factorized, so cells
are converted once per distinct text of a column, and the value rules are vectorised, so
the cost grows linearly with the number of rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from lfr_analysis import paths
from lfr_analysis.datasets import csv_scan

__all__ = [
    "ChecksumError",
    "Column",
    "DataValidationError",
    "LfrDataError",
    "Problem",
    "display_name",
    "fields_schema",
    "pandera_schema",
    "read_table",
    "split_list",
]

KINDS = ("int", "float", "str", "date", "bool")
_INT_PATTERN = re.compile(r"-?[0-9]+")
_FLOAT_PATTERN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT64_RANGE = (-(2**63), 2**63 - 1)
_MAX_LISTED = 50


class LfrDataError(ValueError):
    """Base class of the suite's data errors."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file.

    Attributes
    ----------
    file : str
        The file's name (relative to the data folder when it is inside it).
    line : int or None
        Line in the file (header = 1); None when the problem is not tied to a line.
    column : str or None
        Column name; None when the problem concerns a whole row or the file.
    value : object
        The offending value as read (text), or None.
    message : str
        What is wrong, in plain words.
    """

    file: str
    line: int | None
    column: str | None
    value: object
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f": value {_show(self.value)}"
        return f"{text}: {self.message}"


class DataValidationError(LfrDataError):
    """A data file breaks its schema; :attr:`problems` lists every problem found.

    Parameters
    ----------
    problems : list of Problem
        Everything found wrong, in file order.
    context : str, optional
        What was refused because of them, put before the list (e.g. a command's refusal).
    """

    def __init__(self, problems: Iterable[Problem], context: str = ""):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} problem(s) in {', '.join(files)}:"
        if context:
            head = f"{context}\n{head}"
        shown = [f"  - {p}" for p in self.problems[:_MAX_LISTED]]
        if len(self.problems) > _MAX_LISTED:
            shown.append(f"  ... and {len(self.problems) - _MAX_LISTED} more")
        super().__init__("\n".join([head, *shown]))


class ChecksumError(LfrDataError):
    """A data file differs from the checksum recorded in ``data/datapackage.json``."""


@dataclass(frozen=True)
class Column:
    """Declaration of one column of a data file.

    Parameters
    ----------
    name : str
        Column name as it appears in the header.
    kind : {"int", "float", "str", "date", "bool"}
        How cells are converted: ``int`` to pandas ``Int64``, ``float`` to ``float64``,
        ``date`` (ISO ``YYYY-MM-DD``) to ``datetime64``, ``bool`` (``true``/``false``) to
        pandas ``boolean``, ``str`` kept as text. Blank cells become missing values.
    required : bool
        True when a blank cell is an error.
    min, max : float, optional
        Inclusive bounds for numeric and date columns (dates as ``YYYY-MM-DD`` text).
    choices : tuple, optional
        Allowed values (blank still allowed unless ``required``).
    description, unit : str
        Documentation carried into ``data/datapackage.json``.
    """

    name: str
    kind: str
    required: bool = False
    min: float | str | None = None
    max: float | str | None = None
    choices: tuple | None = None
    description: str = ""
    unit: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {KINDS}")


def _show(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def split_list(text) -> list[str]:
    """Return the items of a semicolon-separated cell (empty list when blank)."""
    if text is None or text is pd.NA or (isinstance(text, float) and math.isnan(text)):
        return []
    return [part.strip() for part in str(text).split(";") if part.strip()]


def display_name(path: Path) -> str:
    """Return ``path`` relative to the data folder when inside it, else its name."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(paths.data_dir().resolve().parent))
    except ValueError:
        return path.name


# ------------------------------------------------------------------ splitting, strictly


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        bad = raw[err.start : err.end]
        raise DataValidationError(
            [Problem(name, line, None, bad.hex(" "), "the file is not valid UTF-8 text")]
        ) from None
    return text.removeprefix("\ufeff")


def _records(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Split CSV text into the header and (start line, fields) records."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for fields in reader:
            records.append((last_line + 1, fields))
            last_line = reader.line_num
    except csv.Error as err:
        raise DataValidationError(
            [Problem(name, last_line + 1, None, None, f"the CSV cannot be parsed ({err})")]
        ) from None
    if not records:
        raise DataValidationError([Problem(name, None, None, None, "the file is empty")])
    (_, header), rows = records[0], records[1:]
    return header, rows


def _strict_cells(
    rows: list[tuple[int, list[str]]], width: int, name: str
) -> tuple[np.ndarray, list[csv_scan.Texts], list[Problem]]:
    """Keep the rows with ``width`` fields: their lines, each column's texts."""
    problems: list[Problem] = []
    lines: list[int] = []
    kept: list[list[str]] = []
    for line, fields in rows:
        if not fields:
            problems.append(Problem(name, line, None, None, "blank line"))
        elif len(fields) != width:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    f"row has {len(fields)} fields, expected {width} (truncated or shifted row)",
                )
            )
        else:
            lines.append(line)
            kept.append(fields)
    cells = [csv_scan.Texts.of(texts) for texts in zip(*kept, strict=True)]
    if not kept:
        cells = [csv_scan.Texts.of([]) for _ in range(width)]
    return np.array(lines, dtype=np.int64), cells, problems


def _check_header(header: list[str], columns: list[Column], name: str) -> list[Problem]:
    expected = [c.name for c in columns]
    if header == expected:
        return []
    problems = []
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, col, None, "column is missing from the header"))
    for col in header:
        if col not in expected:
            problems.append(Problem(name, 1, col, None, "column is not expected in this file"))
    duplicated = sorted({c for c in header if header.count(c) > 1})
    for col in duplicated:
        problems.append(Problem(name, 1, col, None, "column appears more than once"))
    if not problems:
        problems.append(
            Problem(
                name,
                1,
                None,
                ",".join(header),
                f"columns are out of order; expected {','.join(expected)}",
            )
        )
    return problems


# ------------------------------------------------------------------------- converting


def _convert_cell(text: str, column: Column):
    """Return the converted value of one non-blank cell, or raise ValueError with a reason."""
    kind = column.kind
    if kind == "str":
        return text
    if text != text.strip():
        raise ValueError("has leading or trailing spaces")
    if kind == "int":
        if not _INT_PATTERN.fullmatch(text):
            raise ValueError("is not a whole number")
        value = int(text)
        if not _INT64_RANGE[0] <= value <= _INT64_RANGE[1]:
            raise ValueError(
                "is outside the range of a 64-bit whole number "
                f"({_INT64_RANGE[0]} to {_INT64_RANGE[1]})"
            )
        return value
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError("is not a number") from None
        if not math.isfinite(value):
            raise ValueError("is not a finite number")
        if not _FLOAT_PATTERN.fullmatch(text):
            raise ValueError(
                "is not a plain decimal number (ASCII digits with at most one '.', e.g. "
                "0.64; Python would read it as "
                f"{value!r})"
            )
        return value
    if kind == "date":
        if not _DATE_PATTERN.fullmatch(text):
            raise ValueError("is not an ISO date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("is not a valid calendar date") from None
    if text not in ("true", "false"):
        raise ValueError("is not 'true' or 'false'")
    return text == "true"


def _typed(converted: list, codes: np.ndarray, kind: str):
    """The column's values: ``converted[code]`` for each row, in the column's dtype."""
    if kind == "int":
        missing = np.array([v is None for v in converted], dtype=bool)
        values = np.array([0 if v is None else v for v in converted], dtype=np.int64)
        return pd.arrays.IntegerArray(values[codes], missing[codes])
    if kind == "float":
        return np.array([np.nan if v is None else v for v in converted], dtype=np.float64)[codes]
    if kind == "bool":
        return pd.array(converted, dtype="boolean").take(codes)
    return pd.to_datetime(pd.Series(converted, dtype=object)).array.take(codes)


def _convert_column(cells: csv_scan.Texts, column: Column) -> tuple[object, np.ndarray, list]:
    """Convert one column's texts, each distinct text once.

    Returns
    -------
    (values, blank, failures)
        The values in the column's dtype, which rows are blank, and (row, text, reason)
        for each cell that cannot be converted (its value is missing).
    """
    codes, distinct = cells
    if column.kind == "str":
        blank_text = distinct == ""
        if blank_text.any():
            distinct = distinct.copy()
            distinct[blank_text] = np.nan
        return distinct[codes], blank_text[codes], []
    converted, reasons = [], {}
    for code, text in enumerate(distinct):
        value = None
        if text != "":
            try:
                value = _convert_cell(text, column)
            except ValueError as err:
                reasons[code] = f"{column.kind} {err}"
        converted.append(value)
    failures = []
    if reasons:
        rows = np.flatnonzero(np.isin(codes, list(reasons)))
        failures = [(row, distinct[codes[row]], reasons[codes[row]]) for row in rows]
    blank = np.array([v is None for v in converted], dtype=bool)[codes]
    return _typed(converted, codes, column.kind), blank, failures


def _build_frame(
    lines: np.ndarray, cells: list[csv_scan.Texts], columns: list[Column], name: str
) -> tuple[pd.DataFrame, dict[str, np.ndarray], list[Problem]]:
    """Convert each column.

    Returns
    -------
    (frame, missing, problems)
        The frame indexed by file line, each column's missing rows, and the cells that
        could not be converted.
    """
    index = pd.Index(lines, name="line")
    data, missing, problems = {}, {}, []
    for column, texts in zip(columns, cells, strict=True):
        values, missing[column.name], failures = _convert_column(texts, column)
        dtype = object if column.kind == "str" else None
        data[column.name] = pd.Series(values, index=index, dtype=dtype, copy=False)
        problems += [
            Problem(name, int(lines[row]), column.name, text, reason)
            for row, text, reason in failures
        ]
    problems.sort(key=lambda p: p.line)  # stable: in a line, in column order
    return pd.DataFrame(data, index=index, copy=False), missing, problems


# ---------------------------------------------------------------------- value rules


def _bounds(column: Column) -> tuple[object, object]:
    low, high = column.min, column.max
    if column.kind == "date":
        low = pd.Timestamp(low) if low is not None else None
        high = pd.Timestamp(high) if high is not None else None
    return low, high


def pandera_schema(columns: list[Column], unique: tuple[str, ...] = ()):
    """Build the pandera schema equivalent to the value rules of ``columns``.

    The loaders check the same rules themselves, vectorised (:func:`read_table`); this
    schema is for use with pandera elsewhere, and the tests compare the two.

    Parameters
    ----------
    columns : list of Column
        Column declarations.
    unique : tuple of str
        Columns (jointly) unique across rows; one name means that column is unique.

    Returns
    -------
    pandera.pandas.DataFrameSchema
    """
    import pandera.pandas as pa

    pa_columns = {}
    for column in columns:
        checks = []
        low, high = _bounds(column)
        if low is not None:
            checks.append(pa.Check.ge(low))
        if high is not None:
            checks.append(pa.Check.le(high))
        if column.choices is not None:
            checks.append(pa.Check.isin(list(column.choices)))
        dtype = "datetime64[ns]" if column.kind == "date" else _DTYPES[column.kind]
        pa_columns[column.name] = pa.Column(
            None if column.kind == "date" else dtype,
            checks=checks,
            nullable=not column.required,
            unique=(tuple(unique) == (column.name,)),
            coerce=False,
        )
    joint = list(unique) if len(unique) > 1 else None
    return pa.DataFrameSchema(pa_columns, unique=joint, strict=True, ordered=True)


_DTYPES = {"int": "Int64", "float": "float64", "str": "object", "bool": "boolean"}


def _where(series: pd.Series, mask: np.ndarray, name: str, column: str, check: str) -> list:
    """One problem per row where ``mask`` holds, naming the value and the failed check."""
    rows = np.flatnonzero(mask)
    if not rows.size:
        return []
    lines = series.index.to_numpy()[rows]
    values = series.iloc[rows].tolist()
    return [
        Problem(name, int(line), column, None if pd.isna(value) else value, f"fails check {check}")
        for line, value in zip(lines, values, strict=True)
    ]


def _comparable(series: pd.Series, kind: str) -> np.ndarray:
    """The column as a numpy array for comparisons (missing values are masked separately)."""
    if kind == "int":
        return series.array.to_numpy(dtype=np.int64, na_value=0)
    if kind == "float":
        return series.to_numpy(dtype=np.float64)
    return series.to_numpy()


def _rule_problems(
    frame: pd.DataFrame,
    columns: list[Column],
    unique: tuple[str, ...],
    name: str,
    missing: dict[str, np.ndarray] | None = None,
) -> list[Problem]:
    """Check required, unique, minimum, maximum and allowed values, column by column.

    ``missing`` gives each column's missing rows when already known.
    """
    problems: list[Problem] = []
    for column in columns:
        series = frame[column.name]
        if missing is not None:
            present = ~missing[column.name]
        else:
            present = series.notna().to_numpy()
        if column.required and not present.all():
            problems += _where(series, ~present, name, column.name, "not_nullable")
        if tuple(unique) == (column.name,):
            repeated = series.duplicated(keep=False).to_numpy() & present
            problems += _where(series, repeated, name, column.name, "field_uniqueness")
        low, high = _bounds(column)
        if low is not None or high is not None:
            values = _comparable(series, column.kind)
            for bound, check, beyond in (
                (low, "greater_than_or_equal_to", np.less),
                (high, "less_than_or_equal_to", np.greater),
            ):
                if bound is None:
                    continue
                limit = bound.to_datetime64() if isinstance(bound, pd.Timestamp) else bound
                with np.errstate(invalid="ignore"):
                    mask = present & beyond(values, limit)
                problems += _where(series, mask, name, column.name, f"{check}({bound})")
        if column.choices is not None:
            check = f"isin({list(column.choices)})"
            allowed = series.isin(list(column.choices)).to_numpy()
            problems += _where(series, present & ~allowed, name, column.name, check)
    if len(unique) > 1:
        repeated = frame.duplicated(subset=list(unique), keep=False).to_numpy()
        for column in unique:
            problems += _where(frame[column], repeated, name, column, "multiple_fields_uniqueness")
    return problems


def _relation_problems(frame, name, extra_checks, found: list[Problem]) -> list[Problem]:
    """Run the loader's row checks; if they trip over values already reported, skip them."""
    if extra_checks is None:
        return []
    try:
        return list(extra_checks(frame, name))
    except Exception:
        if found:  # e.g. a relation undefined for a value that broke a rule above
            return []
        raise


def _validated(raw: bytes, columns, unique, extra_checks, name: str) -> pd.DataFrame:
    """Split, convert and check ``raw``; raise DataValidationError listing every problem."""
    split = csv_scan.fast_cells(raw)
    if split is None:
        header, rows = _records(_decode(raw, name), name)
    else:
        header, cells = split
    problems = _check_header(header, columns, name)
    if problems:
        raise DataValidationError(problems)
    if split is None:
        lines, cells, problems = _strict_cells(rows, len(columns), name)
        del rows
    else:
        lines = np.arange(2, len(cells[0].codes) + 2, dtype=np.int64)
    frame, missing, failures = _build_frame(lines, cells, columns, name)
    del cells, split
    problems += failures
    if not problems:  # values converted: check value rules and row relations together
        problems = _rule_problems(frame, columns, unique, name, missing)
        problems += _relation_problems(frame, name, extra_checks, problems)
    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise DataValidationError(problems)
    return frame


class _Verification:
    """Run ``verify(path, raw)``; on a large file in a thread, beside the reading.

    Hashing releases the interpreter lock, so the checksum of a large file costs no time
    of its own. :meth:`outcome` waits for the verdict: the error ``verify`` raised, or None.
    The caller raises it only once the content is valid, so a file with problems is
    refused for those problems, never for its checksum.
    """

    _IN_THREAD = 1 << 22  # bytes

    def __init__(self, verify, path: Path, raw: bytes):
        self._error: BaseException | None = None
        self._thread = None
        if verify is None:
            return
        if len(raw) < self._IN_THREAD:
            self._run(verify, path, raw)
        else:
            self._thread = threading.Thread(
                target=self._run, args=(verify, path, raw), name="lfr-verify", daemon=True
            )
            self._thread.start()

    def _run(self, verify, path: Path, raw: bytes) -> None:
        try:
            verify(path, raw)
        except BaseException as err:  # noqa: BLE001 - handed to the reading thread
            self._error = err

    def outcome(self) -> BaseException | None:
        if self._thread is not None:
            self._thread.join()
        return self._error


# ---------------------------------------------------------------------------- public


def read_table(
    path: str | Path,
    columns: list[Column],
    *,
    unique: tuple[str, ...] = (),
    extra_checks: Callable[[pd.DataFrame, str], list[Problem]] | None = None,
    verify: Callable[[Path, bytes], None] | None = None,
) -> pd.DataFrame:
    """Read, convert and validate one of the suite's CSV files.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.
    columns : list of Column
        The declared columns, in file order.
    unique : tuple of str
        Columns that are (jointly) unique across rows.
    extra_checks : callable, optional
        ``extra_checks(frame, file_name) -> list[Problem]`` for rules between columns. It
        receives the converted frame indexed by file line number, so problems can name
        their line (``line=index``).
    verify : callable, optional
        ``verify(path, raw_bytes)``, e.g. to check the file's checksum; it raises to refuse
        the file. It is given the bytes that were read (for a large file it runs beside the
        reading), and what it raises is raised only when the content is valid.

    Returns
    -------
    pandas.DataFrame
        The table with a fresh ``RangeIndex`` and converted column types.

    Raises
    ------
    DataValidationError
        Listing every problem found (file, line, column, value, what is wrong).
    ChecksumError
        Raised by ``verify`` when the content is valid but differs from the manifest.
    """
    path = Path(path)
    name = display_name(path)
    if not path.is_file():
        message = paths.missing_file_message(path)
        raise DataValidationError([Problem(name, None, None, None, message)])
    raw = path.read_bytes()
    check = _Verification(verify, path, raw)  # alongside the reading; its verdict waits
    try:
        frame = _validated(raw, columns, unique, extra_checks, name)
    finally:
        refusal = check.outcome()
    if refusal is not None:
        raise refusal
    return frame.reset_index(drop=True)


def fields_schema(columns: list[Column]) -> dict:
    """Return the Frictionless Table Schema (``fields``) describing ``columns``.

    Parameters
    ----------
    columns : list of Column

    Returns
    -------
    dict
        ``{"fields": [...]}`` with name, type, description, unit and constraints.
    """
    types = {
        "int": "integer",
        "float": "number",
        "str": "string",
        "date": "date",
        "bool": "boolean",
    }
    fields = []
    for column in columns:
        field = {"name": column.name, "type": types[column.kind]}
        if column.description:
            field["description"] = column.description
        if column.unit:
            field["unit"] = column.unit
        constraints = {}
        if column.required:
            constraints["required"] = True
        if column.min is not None:
            constraints["minimum"] = column.min
        if column.max is not None:
            constraints["maximum"] = column.max
        if column.choices is not None:
            constraints["enum"] = list(column.choices)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}
