"""Splitting a CSV file fast when it is certain to split as the :mod:`csv` module splits it.

:func:`fast_cells` is the fast path of :func:`lfr_analysis.datasets.reader.read_table`:
the bytes are first scanned with numpy (:func:`scan`: quote positions and line ends).
When every quote opens or closes a field, no value holds a line break, no line ends in a
lone carriage return, no byte is NUL and no line is longer than the :mod:`csv` module's
field limit, Arrow's CSV reader splits the file exactly as the strict :mod:`csv` reader
would, so it does the splitting (in C++, on every core); it refuses a row with too few or
too many fields, a blank line and invalid UTF-8. Each column comes back factorized
(:class:`Texts`: the distinct texts and a code per row), so a text is made into a Python
string once, however many rows hold it. For any other file :func:`fast_cells` returns
None and the reader splits it with the :mod:`csv` module, which names every problem.
"""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

__all__ = ["Texts", "fast_cells", "scan"]

_BOM = b"\xef\xbb\xbf"
_SCAN_CHUNK = 1 << 22
_BLOCK = 1 << 22  # Arrow's block: far above the csv field limit, so no line straddles
_PIECE = 1 << 25  # bytes of rows read and factorized at a time
_POOL = pa.default_memory_pool()
_QUOTE, _LF = (ord(c) for c in '"\n')
_COMMA, _CR = (ord(c) for c in ",\r")


class Texts(NamedTuple):
    """One column's cell texts, factorized: row ``i`` holds ``distinct[codes[i]]``.

    Attributes
    ----------
    codes : numpy.ndarray
        An integer code per row, in file order.
    distinct : numpy.ndarray
        Object array of the column's distinct texts (``str``), each once.
    """

    codes: np.ndarray
    distinct: np.ndarray

    @classmethod
    def of(cls, texts) -> Texts:
        """Factorize a sequence of texts."""
        codes, distinct = pd.factorize(np.asarray(texts, dtype=object))
        return cls(codes, np.asarray(distinct, dtype=object))

    def texts(self) -> np.ndarray:
        """The texts in row order, as an object array."""
        return self.distinct[self.codes]


def scan(raw: bytes, start: int) -> tuple[int, int, int, int] | None:
    """Check that every quote opens or closes a field; count line ends and blank lines.

    Quotes are taken in file order as opening, closing, opening, ... (a doubled quote
    inside a quoted field closes and reopens it). The file is split the same way by every
    CSV parser when each opening quote starts a field (it follows the file's start, a
    comma, a line end or a closing quote) and each closing quote ends one (a comma, a line
    end, the file's end or an opening quote follows).

    Returns
    -------
    (line_feeds, quoted_line_feeds, longest_line, blank_lines) or None
        Line feeds in the whole file and between quotes, the longest line in bytes, and
        the lines that end where they start (``\\n`` or ``\\r\\n`` alone, a quoted line
        feed aside); None when a quote is anywhere else, or a quoted field never closes.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    size = data.size
    quotes, feeds_before = [], []
    line_feeds = longest = blank = 0
    last_end = start - 1
    for offset in range(0, size, _SCAN_CHUNK):
        part = data[offset : offset + _SCAN_CHUNK]
        found = np.flatnonzero(part == _QUOTE)
        ends = np.flatnonzero(part == _LF)
        if found.size:
            quotes.append(found + offset)
            feeds_before.append(np.searchsorted(ends, found) + line_feeds)
        if ends.size:
            lengths = np.diff(ends + offset, prepend=last_end)
            longest = max(longest, int(lengths.max()))
            short = np.flatnonzero(lengths <= 2)
            carriage = data[np.maximum(ends[short] + offset - 1, 0)] == _CR
            blank += int(((lengths[short] == 1) | carriage).sum())
            last_end = int(ends[-1] + offset)
        line_feeds += ends.size
    longest = max(longest, size - 1 - last_end)
    if not quotes:
        return line_feeds, 0, longest, blank
    found = np.concatenate(quotes)
    if found.size % 2:
        return None
    opening, closing = found[0::2], found[1::2]
    before = data[np.maximum(opening - 1, 0)]
    after = data[np.minimum(closing + 1, size - 1)]
    opens_field = (opening == start) | (before == _COMMA) | (before == _LF) | (before == _QUOTE)
    closes_field = (
        (closing == size - 1)
        | (after == _COMMA)
        | (after == _LF)
        | (after == _CR)
        | (after == _QUOTE)
    )
    if not (opens_field.all() and closes_field.all()):
        return None
    feeds_before = np.concatenate(feeds_before)
    quoted_feeds = int((feeds_before[1::2] - feeds_before[0::2]).sum())
    return line_feeds, quoted_feeds, longest, blank


def _header(raw: bytes, start: int) -> tuple[list[str], int] | None:
    """The header's names and the offset of the first data row (no quoted line feed)."""
    end = raw.find(b"\n", start)
    end = len(raw) if end < 0 else end + 1
    try:
        text = raw[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    names = next(csv.reader(io.StringIO(text, newline=""), strict=True), [])
    return names, end


def _arrow_piece(piece: pa.Buffer, names: list[str]) -> pa.Table | None:
    """One piece of the rows as an Arrow table of strings, or None if Arrow refuses it."""
    try:
        return pa_csv.read_csv(
            pa.BufferReader(piece),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=_BLOCK),
            parse_options=pa_csv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError):  # any parser complaint: the strict reader names it
        return None


def _pieces(raw: bytes, start: int) -> list[pa.Buffer]:
    """``raw[start:]`` cut into pieces of about :data:`_PIECE` bytes, each ending a line.

    No line feed is inside quotes (:func:`scan`), so each piece holds whole rows; the
    pieces share ``raw``'s memory.
    """
    buffer, bounds = pa.py_buffer(raw), [start]
    while len(raw) - bounds[-1] > _PIECE:
        end = raw.find(b"\n", bounds[-1] + _PIECE)
        if end < 0:
            break
        bounds.append(end + 1)
    bounds.append(len(raw))
    return [buffer[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _merged(parts: list[tuple[np.ndarray, pa.Array]]) -> Texts:
    """One column's texts from each piece's (codes, distinct): one code per distinct text."""
    if len(parts) == 1:
        codes, distinct = parts[0]
    else:
        every = pc.dictionary_encode(pa.concat_arrays([part[1] for part in parts]))
        recode, starts = every.indices.to_numpy(), 0
        pieces = []
        for local, distinct in parts:
            pieces.append(recode[local + starts])
            starts += len(distinct)
        codes, distinct = np.concatenate(pieces), every.dictionary
    return Texts(codes, np.asarray(distinct.to_numpy(zero_copy_only=False), dtype=object))


def _arrow_cells(raw: bytes, start: int, width: int) -> list[Texts] | None:
    """Each column of the rows after the header, factorized; None if Arrow refuses a row.

    The rows are read a piece at a time (:func:`_pieces`), and each piece's columns are
    factorized before the next piece is read, so only one piece's strings are held.
    """
    names = [f"c{i}" for i in range(width)]
    parts: list[list] = [[] for _ in names]
    for piece in _pieces(raw, start):
        table = _arrow_piece(piece, names)
        if table is None or table.num_columns != width:
            return None
        for column in parts:
            encoded = pc.dictionary_encode(table.column(0).combine_chunks())
            column.append((encoded.indices.to_numpy(), encoded.dictionary))
            table = table.remove_column(0)  # release each column once it is factorized
        del table
        _POOL.release_unused()  # give the piece's memory back before reading the next
    cells = []
    for column in parts:
        cells.append(_merged(column))
        column.clear()
        _POOL.release_unused()
    return cells


def fast_cells(raw: bytes) -> tuple[list[str], list[Texts]] | None:
    """Split ``raw`` with Arrow's CSV reader when it splits it exactly as the :mod:`csv` module.

    Returns
    -------
    (header, cells) or None
        The header's names and, per column, the rows' cell texts (:class:`Texts`); None
        when the bytes hold anything the two parsers could read differently (a stray or
        unclosed quote, a lone carriage return, a NUL byte, a line break inside a value,
        a line over the :mod:`csv` field limit, invalid UTF-8, a blank line, a row with
        too few or too many fields), so that the strict reader
        reads the file and names every problem.
    """
    start = len(_BOM) if raw.startswith(_BOM) else 0
    if raw.startswith(_BOM, start) or b"\x00" in raw:
        return None
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    scanned = scan(raw, start)
    if scanned is None:
        return None
    line_feeds, quoted_feeds, longest, blank = scanned
    if quoted_feeds or blank or longest > csv.field_size_limit():
        return None
    found = _header(raw, start)
    if found is None or len(found[0]) < 2:
        return None
    header, body = found
    if body == len(raw):  # the header alone
        return header, [Texts.of([]) for _ in header]
    try:
        cells = _arrow_cells(raw, body, len(header))
    except pa.ArrowException:  # e.g. a column over Arrow's 2 GB of text in one array
        return None
    if cells is None:
        return None
    # every line is one row: none dropped (a blank line is refused, not skipped)
    if line_feeds != len(cells[0].codes) + 1 - (not raw.endswith(b"\n")):
        return None
    return header, cells
