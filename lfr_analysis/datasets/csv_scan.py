"""Splitting a CSV file fast when it is certain to split as the :mod:`csv` module splits it.

:func:`fast_cells` is the fast path of :func:`lfr_analysis.datasets.reader.read_table`:
the bytes are first scanned with numpy (:func:`scan`: quote positions, separators, line
ends). When every quote opens or closes a field, no value holds a line break, no line ends
in a lone carriage return, no byte is NUL and no line is longer than the :mod:`csv`
module's field limit, pandas' C parser splits the file exactly as the strict :mod:`csv`
reader would, so it does the splitting; the field count of every row is then proven from
the number of separators outside quotes. For any other file :func:`fast_cells` returns
None and the reader splits it with the :mod:`csv` module, which names every problem.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

__all__ = ["fast_cells", "scan"]

_BOM = b"\xef\xbb\xbf"
_SCAN_CHUNK = 1 << 22
_QUOTE, _COMMA, _LF, _CR = (ord(c) for c in '",\n\r')


def scan(raw: bytes, start: int) -> tuple[int, int, int, int, int] | None:
    """Check that every quote opens or closes a field; count separators and line ends.

    Quotes are taken in file order as opening, closing, opening, ... (a doubled quote
    inside a quoted field closes and reopens it). The file is split the same way by every
    CSV parser when each opening quote starts a field (it follows the file's start, a
    comma, a line end or a closing quote) and each closing quote ends one (a comma, a line
    end, the file's end or an opening quote follows).

    Returns
    -------
    (commas, line_feeds, quoted_commas, quoted_line_feeds, longest_line) or None
        Counts in the whole file and between quotes, and the longest line in bytes; None
        when a quote is anywhere else, or a quoted field never closes.
    """
    data = np.frombuffer(raw, dtype=np.uint8)
    size = data.size
    quotes, commas_before, feeds_before = [], [], []
    commas = line_feeds = longest = 0
    last_end = start - 1
    for offset in range(0, size, _SCAN_CHUNK):
        part = data[offset : offset + _SCAN_CHUNK]
        found = np.flatnonzero(part == _QUOTE)
        separators = np.flatnonzero(part == _COMMA)
        ends = np.flatnonzero(part == _LF)
        if found.size:
            quotes.append(found + offset)
            commas_before.append(np.searchsorted(separators, found) + commas)
            feeds_before.append(np.searchsorted(ends, found) + line_feeds)
        if ends.size:
            longest = max(longest, int(ends[0] + offset - last_end))
            longest = max(longest, int(np.diff(ends).max(initial=0)))
            last_end = int(ends[-1] + offset)
        commas += separators.size
        line_feeds += ends.size
    longest = max(longest, size - 1 - last_end)
    if not quotes:
        return commas, line_feeds, 0, 0, longest
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
    commas_before, feeds_before = np.concatenate(commas_before), np.concatenate(feeds_before)
    quoted_commas = int((commas_before[1::2] - commas_before[0::2]).sum())
    quoted_feeds = int((feeds_before[1::2] - feeds_before[0::2]).sum())
    return commas, line_feeds, quoted_commas, quoted_feeds, longest


def fast_cells(raw: bytes) -> tuple[list[str], list[np.ndarray]] | None:
    """Split ``raw`` with pandas' C parser when it splits it exactly as the :mod:`csv` module.

    Returns
    -------
    (header, cells) or None
        The header's names and, per column, an object array of the rows' cell texts; None
        when the bytes hold anything the two parsers could read differently (a stray or
        unclosed quote, a lone carriage return, a NUL byte, a line break inside a value,
        a line over the :mod:`csv` field limit, invalid UTF-8, a blank line, a row with
        too few or too many fields), so that the strict reader reads the file and names
        every problem.
    """
    start = len(_BOM) if raw.startswith(_BOM) else 0
    if raw.startswith(_BOM, start) or b"\x00" in raw:
        return None
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    scanned = scan(raw, start)
    if scanned is None:
        return None
    commas, line_feeds, quoted_commas, quoted_feeds, longest = scanned
    if quoted_feeds or longest > csv.field_size_limit():
        return None
    stream = io.BytesIO(raw)
    stream.seek(start)
    try:
        table = pd.read_csv(
            stream,
            header=None,
            index_col=False,
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
            encoding_errors="strict",
        )
    except Exception:  # noqa: BLE001 - any parser complaint: the strict reader names it
        return None
    records, width = table.shape
    if records == 0 or width < 2:
        return None
    cells = [table[column].to_numpy(dtype=object) for column in table.columns]
    del table
    # pandas pads a short row with blanks and reads a blank line as a row of blanks, but
    # raises on a long one: the separators outside quotes prove each row has ``width``.
    if commas - quoted_commas != records * (width - 1):
        return None
    if line_feeds != records - (not raw.endswith(b"\n")):
        return None
    header = [str(texts[0]) for texts in cells]
    return header, [texts[1:] for texts in cells]
