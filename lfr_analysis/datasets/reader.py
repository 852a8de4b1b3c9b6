"""Strict reading of the suite's CSV files.

Every loader in the package reads its file through :func:`read_table`, so every data file
gets the same guarantees:

* the file is decoded as UTF-8 and parsed with the standard :mod:`csv` module, and a row
  with too few or too many fields, a blank line or a broken quote is an error;
* the header must hold exactly the declared columns, in the declared order;
* each cell is converted by its column's kind; a blank cell is missing (``<NA>``), never 0,
  and text in a number is an error, never coerced;
* value rules (minimum, maximum, allowed values, required, unique) are checked with a
  `pandera <https://pandera.readthedocs.io>`_ schema built from the same declarations;
* relations between columns are checked by the loader's own ``extra_checks``;
* the file's checksum is verified by the caller's ``verify`` function (the loaders pass
  :func:`lfr_analysis.datasets.manifest.verify_checksum`), so this module knows no manifest.

All problems found are reported together in one :class:`DataValidationError`, each naming
the file, the line (the header is line 1), the column and the value.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from lfr_analysis import paths

__all__ = [
    "ChecksumError",
    "Column",
    "DataValidationError",
    "LfrDataError",
    "Problem",
    "display_name",
    "fields_schema",
    "read_table",
    "split_list",
]

KINDS = ("int", "float", "str", "date", "bool")
_INT_PATTERN = re.compile(r"-?[0-9]+")
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
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
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} problem(s) in {', '.join(files)}:"
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


# ---------------------------------------------------------------------------- reading


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
        return int(text)
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError("is not a number") from None
        if not math.isfinite(value):
            raise ValueError("is not a finite number")
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


_DTYPES = {"int": "Int64", "float": "float64", "str": "object", "bool": "boolean"}


def _build_frame(
    rows: list[tuple[int, list[str]]], columns: list[Column], name: str
) -> tuple[pd.DataFrame, list[Problem]]:
    problems: list[Problem] = []
    width = len(columns)
    lines = []
    values: dict[str, list] = {c.name: [] for c in columns}
    for line, fields in rows:
        if not fields:
            problems.append(Problem(name, line, None, None, "blank line"))
            continue
        if len(fields) != width:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    None,
                    f"row has {len(fields)} fields, expected {width} (truncated or shifted row)",
                )
            )
            continue
        lines.append(line)
        for column, text in zip(columns, fields, strict=True):
            value = None
            if text != "":
                try:
                    value = _convert_cell(text, column)
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
            frame[column.name] = pd.array(data, dtype=_DTYPES[column.kind])
    return frame, problems


# ------------------------------------------------------------------------- pandera


def pandera_schema(columns: list[Column], unique: tuple[str, ...] = ()):
    """Build the pandera schema that checks the value rules of ``columns``.

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
        low, high = column.min, column.max
        if column.kind == "date":
            low = pd.Timestamp(low) if low is not None else None
            high = pd.Timestamp(high) if high is not None else None
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


def _pandera_problems(frame: pd.DataFrame, schema, name: str) -> list[Problem]:
    import pandera.pandas as pa

    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems = []
        for case in err.failure_cases.itertuples(index=False):
            line = None if pd.isna(case.index) else int(case.index)
            value = None if pd.isna(case.failure_case) else case.failure_case
            column = None if pd.isna(case.column) else str(case.column)
            problems.append(Problem(name, line, column, value, f"fails check {case.check}"))
        return problems
    return []


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
        ``verify(path, raw_bytes)``, called once the content is valid, e.g. to check the
        file's checksum; it raises to refuse the file.

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
    header, rows = _records(_decode(raw, name), name)
    problems = _check_header(header, columns, name)
    if problems:
        raise DataValidationError(problems)
    frame, problems = _build_frame(rows, columns, name)
    if not problems:  # values converted: check value rules and row relations together
        problems = _pandera_problems(frame, pandera_schema(columns, unique), name)
        problems += _relation_problems(frame, name, extra_checks, problems)
    if problems:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise DataValidationError(problems)
    if verify is not None:
        verify(path, raw)
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
