"""Read the police forces' Live Facial Recognition deployment records (PDF tables).

The Met publishes one PDF table per period, one row per deployment; the British Transport
Police publish a register in the same grid. Three layouts are known (see :data:`LAYOUTS`):

``grid_2020_22``
    The 2020-2022 grid: purpose reference numbers, total alerts, (confirmed) false alerts
    and their engagements, true alerts and their engagements, "arrests / disposals",
    faces seen and a printed false-alert rate.
``grid_2023_24``
    The 2023-2024 grid: duration, purpose reference (later "LFR use case"), watchlist
    size, minimum threshold setting, total alerts, true and false alerts each split into
    confirmed and unconfirmed, a printed false-alert rate, engagement outcomes (arrest,
    other disposal, no action) and faces seen.
``record_2025``
    The 2025 record (the 12 May and 15 July 2025 versions and, per the copies described
    by others, the full-year one): the same fields as the 2023-24 grid under different
    headings ("Outcome - Arrest", "Outcome - Other", "No action"). The BTP register is
    described as having the same columns; its headings as printed have not been seen
    here, so a register whose headings differ is refused by name, not misread.

A table is recognised by its header, never by the file name: :func:`detect_layout`
matches the header's column titles against each layout's expected titles, and an
unknown header raises :class:`SourceLayoutError` naming the file and the titles each
layout expects. The pages come from :mod:`lfr_analysis.rebuild.pdf_pages`, one at a time
and within its bounds.

**No row is lost.** Every non-empty row of every table is one of: a deployment row, the
wrapped continuation of the location cell of the row before (joined with a space; across
a page break it is flagged), a header row (at the top of a table, repeated on a later page,
or a fragment of a header drawn as its own little table), or a row of the purpose / use-case
reference list. Anything else is an error naming the file, page and row. So are a page
with text but no table, a rotated page, text outside any table that holds a date (a row
drawn without ruling lines), a page whose tables repeat an earlier page, and a deployment
row repeated cell for cell. :attr:`ParsedDocument.pages` counts the rows of each kind on
every page.

Values are kept as printed. The only computed fields are ``duration_minutes`` (from the
printed ``5h 03m``), and, for the 2023 and later layouts, ``true_alerts`` and
``false_alerts`` as the sums of their confirmed and unconfirmed parts (the source prints
only the parts). Suspected errors in the source are flagged
(:func:`lfr_analysis.rebuild.quirks.flag_quirks`), never corrected here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lfr_analysis.datasets import pdf_transcriptions
from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS
from lfr_analysis.rebuild.pdf_pages import (
    DEFAULT_LIMITS,
    Limits,
    PageTables,
    SourceEncryptedError,
    SourceError,
    SourceLayoutError,
    SourceLimitError,
    SourceReadError,
    open_pdf,
)
from lfr_analysis.rebuild.quirks import (
    WATCHLIST_OUTLIER_FRACTION,
    WATCHLIST_WINDOW_DAYS,
    ParsedRow,
    flag_quirks,
    printed_rate_matches,
)

__all__ = [
    "COUNT_FIELDS",
    "LAYOUTS",
    "ROW_KINDS",
    "WATCHLIST_OUTLIER_FRACTION",
    "WATCHLIST_WINDOW_DAYS",
    "Layout",
    "Limits",
    "PageCount",
    "ParsedDocument",
    "ParsedRow",
    "SourceEncryptedError",
    "SourceError",
    "SourceLayoutError",
    "SourceLimitError",
    "SourceReadError",
    "detect_layout",
    "flag_quirks",
    "header_columns",
    "layout_by_name",
    "looks_like_header",
    "parse_cells",
    "parse_duration",
    "parse_pdf",
    "printed_rate_matches",
]

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{2})")
_ANY_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
_INT = re.compile(r"\d+|\d{1,3}(?:,\d{3})+")
_THRESHOLD = re.compile(r"0\.\d+")
_DURATION = re.compile(r"(\d+)\s*h(?:rs?)?\s*(?:(\d+)\s*m?)?")
_DATA_LIKE = re.compile(r"[\d\s.,;:%/()-]*\d[\d\s.,;:%/()-]*|\d+\s*h.*|n/a", re.IGNORECASE)
_REFERENCE_NUMBER = re.compile(r"\d{1,2}\.?")
_NOT_AVAILABLE = {"N/A", "n/a"}

#: The kinds a non-empty table row can be, as counted in :attr:`ParsedDocument.pages`.
ROW_KINDS = ("deployment", "continuation", "header", "reference")


# ----------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class Layout:
    """A known table layout.

    Attributes
    ----------
    name : str
        Layout name.
    header_titles : tuple of str
        Column titles (lower case, spaces collapsed) that must all appear in the header.
    fields : tuple of str
        The field each printed cell of a deployment row holds, left to right.
    flags : tuple of str
        Quality flags that apply to every row in this layout.
    """

    name: str
    header_titles: tuple[str, ...]
    fields: tuple[str, ...]
    flags: tuple[str, ...] = ()


#: The cells of the layouts that split alerts into confirmed and unconfirmed parts, left to
#: right: the same list the transcribed cells of such a PDF are stored under.
_SPLIT_FIELDS = pdf_transcriptions.CELL_COLUMNS

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="grid_2020_22",
        header_titles=(
            "purpose reference",
            "watchlist size",
            "total alerts",
            "false alert / confirmed false alerts",
            "true alert engagements",
            "arrests / disposals",
            "faces seen (estimate)",
            "false alert rate",
        ),
        fields=(
            "location",
            "date",
            "purpose",
            "watchlist_size",
            "alerts",
            "false_alerts",
            "false_alert_engagements",
            "true_alerts",
            "true_alert_engagements",
            "arrests",
            "faces_seen",
            "false_alert_rate_reported",
        ),
        flags=("arrests_include_disposals",),
    ),
    Layout(
        name="grid_2023_24",
        header_titles=(
            "duration",
            "watchlist size",
            "min threshold setting",
            "total alerts",
            "false alert rate",
            "engagement outcomes",
            "other disposal",
            "no action",
            "faces seen",
        ),
        fields=_SPLIT_FIELDS,
    ),
    Layout(
        name="record_2025",
        header_titles=(
            "duration",
            "lfr use case",
            "watchlist size",
            "min threshold setting",
            "total alerts",
            "true alerts confirmed",
            "true alerts unconfirmed",
            "false alerts confirmed",
            "false alerts unconfirmed",
            "false alert rate",
            "outcome - arrest",
            "outcome - other",
            "no action",
            "faces seen (estimate)",
        ),
        fields=_SPLIT_FIELDS,
    ),
)

COUNT_FIELDS = (
    "watchlist_size",
    "faces_seen",
    "alerts",
    "true_alerts",
    "false_alerts",
    "true_alerts_confirmed",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "false_alerts_unconfirmed",
    "arrests",
    "other_disposals",
    "no_action",
    "true_alert_engagements",
    "false_alert_engagements",
)


def _expected_headers_text() -> str:
    parts = [f"{layout.name}: {', '.join(layout.header_titles)}" for layout in LAYOUTS]
    return "; ".join(parts)


def _normalise(text: str | None) -> str:
    text = re.sub(r"\s+", " ", (text or "").replace("\n", " ")).strip().lower()
    return text.replace(" )", ")").replace("( ", "(")


def header_columns(header_rows: list[list[str | None]]) -> list[str]:
    """Join header rows column by column into one normalised title per column.

    Parameters
    ----------
    header_rows : list of list of str or None
        The table rows above the first deployment row, as pdfplumber gives them.

    Returns
    -------
    list of str
        Lower-case titles with spaces collapsed, e.g. ``"watchlist size"``.
    """
    width = max((len(row) for row in header_rows), default=0)
    columns = []
    for index in range(width):
        pieces = [row[index] for row in header_rows if index < len(row) and row[index]]
        columns.append(_normalise(" ".join(pieces)))
    return columns


def looks_like_header(columns: list[str]) -> bool:
    """Return True when the column titles look like a deployment table's header."""
    text = " | ".join(columns)
    return "date" in text and "watchlist" in text


def detect_layout(columns: list[str], source: str = "the document") -> Layout:
    """Return the layout whose expected titles all appear in ``columns``.

    Parameters
    ----------
    columns : list of str
        Normalised column titles (see :func:`header_columns`).
    source : str
        File name used in the error message.

    Raises
    ------
    SourceLayoutError
        When no layout, or more than one, matches; the message names the file, the
        header found and the titles each known layout expects.
    """
    text = " | ".join(columns)
    matches = [layout for layout in LAYOUTS if all(t in text for t in layout.header_titles)]
    if len(matches) == 1:
        return matches[0]
    problem = "matches no known layout" if not matches else "matches more than one layout"
    raise SourceLayoutError(
        f"{source}: the table header {problem}. Header found: {text!r}. "
        f"Expected headers: {_expected_headers_text()}"
    )


def layout_by_name(name: str) -> Layout:
    """Return the layout called ``name``."""
    for layout in LAYOUTS:
        if layout.name == name:
            return layout
    raise ValueError(f"unknown layout {name!r}; known: {[layout.name for layout in LAYOUTS]}")


def _is_reference_header(columns: list[str]) -> bool:
    text = " | ".join(columns)
    return "reference" in text and ("purpose" in text or "use case" in text) and "date" not in text


# ----------------------------------------------------------------------------- parsing


@dataclass
class PageCount:
    """How many non-empty table rows of each kind one page holds (see :data:`ROW_KINDS`)."""

    page: int
    deployment: int = 0
    continuation: int = 0
    header: int = 0
    reference: int = 0

    @property
    def rows(self) -> int:
        """All non-empty table rows of the page."""
        return self.deployment + self.continuation + self.header + self.reference


@dataclass
class ParsedDocument:
    """Everything read from one PDF: its rows, and what each page held."""

    file_name: str
    sha256: str
    rows: list[ParsedRow]
    pages: list[PageCount] = field(default_factory=list)

    @property
    def layouts(self) -> list[str]:
        """Names of the layouts met, in order of first appearance."""
        return list(dict.fromkeys(row.layout for row in self.rows))

    def page_summary(self) -> str:
        """Deployment rows per page, e.g. ``"page 1: 19, page 2: 39, page 10: 0"``."""
        return ", ".join(f"page {p.page}: {p.deployment}" for p in self.pages)


def _cell_text(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\n", " ")).strip()


def _where(source: str, page: int, row: int, cells: list[str]) -> str:
    return f"{source}, page {page}, table row {row} {cells!r}"


def _parse_int(text: str, name: str, where: str) -> int | None:
    if text == "" or text in _NOT_AVAILABLE:
        return None
    if not _INT.fullmatch(text):
        raise SourceLayoutError(f"{where}: {name} {text!r} is not a whole number")
    return int(text.replace(",", ""))


def _parse_date(text: str, where: str) -> date:
    match = _DATE.fullmatch(text)
    if not match:
        raise SourceLayoutError(f"{where}: date {text!r} is not DD/MM/YY")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(2000 + year, month, day)
    except ValueError:
        raise SourceLayoutError(f"{where}: date {text!r} is not a calendar date") from None


def parse_duration(text: str) -> int | None:
    """Return the minutes in a printed duration such as ``"5h 03m"``, ``"4hr 47m"``, ``"5h40"``.

    Parameters
    ----------
    text : str
        The cell as printed; blank or N/A gives None.

    Raises
    ------
    ValueError
        When the text is not a duration.
    """
    text = text.strip()
    if text == "" or text in _NOT_AVAILABLE:
        return None
    match = _DURATION.fullmatch(text)
    if not match:
        raise ValueError(f"duration {text!r} is not of the form '5h 03m'")
    hours, minutes = match.groups()
    return int(hours) * 60 + int(minutes or 0)


def _parse_purpose(text: str) -> str | None:
    if text == "":
        return None
    if re.fullmatch(r"[\d,\s]+", text):
        return f"Purpose references: {text}"
    return f"LFR use case: {text}"


def parse_cells(cells: list[str], layout: Layout, where: str) -> tuple[dict, list[str]]:
    """Read one deployment row's printed cells (whitespace collapsed) in ``layout``.

    Parameters
    ----------
    cells : list of str
        The row's cells left to right, as printed.
    layout : Layout
        The table's layout.
    where : str
        File, page and row, used in errors.

    Returns
    -------
    tuple of (dict, list of str)
        Field values and the layout's own flags (plus ``counts_printed_na``).

    Raises
    ------
    SourceLayoutError
        The wrong number of cells, or a cell that cannot be read, naming ``where``.
    """
    if len(cells) != len(layout.fields):
        raise SourceLayoutError(
            f"{where}: {len(cells)} cells, but layout {layout.name} has {len(layout.fields)} "
            f"({', '.join(layout.fields)})"
        )
    raw = dict(zip(layout.fields, cells, strict=True))
    values: dict = {}
    flags: list[str] = list(layout.flags)
    values["location"] = raw["location"]
    values["date"] = _parse_date(raw["date"], where)
    values["purpose"] = _parse_purpose(raw["purpose"])
    if "duration" in raw:
        try:
            values["duration_minutes"] = parse_duration(raw["duration"])
        except ValueError as err:
            raise SourceLayoutError(f"{where}: {err}") from None
    if "threshold" in raw:
        text = raw["threshold"]
        if text and not _THRESHOLD.fullmatch(text):
            raise SourceLayoutError(f"{where}: threshold {text!r} is not a number like 0.64")
        values["threshold"] = float(text) if text else None
    values["false_alert_rate_reported"] = raw["false_alert_rate_reported"] or None
    for name in COUNT_FIELDS:
        if name in raw:
            values[name] = _parse_int(raw[name], name, where)
    if any(raw[name] in _NOT_AVAILABLE for name in raw):
        flags.append("counts_printed_na")
    if "true_alerts" not in raw:
        values["true_alerts"] = _sum_known(values, "true_alerts")
        values["false_alerts"] = _sum_known(values, "false_alerts")
    return values, flags


def _sum_known(values: dict, stem: str) -> int | None:
    parts = values.get(f"{stem}_confirmed"), values.get(f"{stem}_unconfirmed")
    return None if None in parts else parts[0] + parts[1]


def parse_pdf(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> ParsedDocument:
    """Read every deployment row of a deployment-record PDF, accounting for every row.

    Parameters
    ----------
    path : str or pathlib.Path
        The PDF.
    limits : Limits
        Bounds on pages, size, decompressed size, objects per page and time.

    Returns
    -------
    ParsedDocument
        The rows in printed order, with their page, layout and quality flags, and the
        count of rows of each kind on every page.

    Raises
    ------
    SourceReadError
        When the file is missing, not a PDF, truncated, malformed or encrypted, or
        exceeds a bound (:class:`SourceLimitError`).
    SourceLayoutError
        When a table header matches no known layout, a row is none of the known kinds or
        a cell cannot be read (naming file, page and row), or a page is rotated, holds
        text but no table, or repeats an earlier page.
    """
    source = open_pdf(path, limits)
    reader = _Reader(source.name)
    for page in source.pages():
        reader.read_page(page)
    if not reader.rows:
        raise SourceLayoutError(
            f"{source.name}: no deployment table found. Expected headers: "
            f"{_expected_headers_text()}"
        )
    document = ParsedDocument(source.name, source.sha256, reader.rows, reader.counts)
    flag_quirks(document.rows)
    _check_known_version(document)
    return document


class _Reader:
    """The state of reading one document: the current layout and the rows so far."""

    def __init__(self, name: str):
        self.name = name
        self.layout: Layout | None = None
        self.rows: list[ParsedRow] = []
        self.counts: list[PageCount] = []
        self._pages_seen: dict[tuple, int] = {}
        self._rows_seen: dict[tuple, str] = {}

    def read_page(self, page: PageTables) -> None:
        number = page.number
        count = PageCount(number)
        self.counts.append(count)
        if page.rotation or page.rotated_text:
            turned = (
                f"is rotated by {page.rotation} degrees" if page.rotation else "has rotated text"
            )
            raise SourceLayoutError(
                f"{self.name}, page {number}: the page {turned}; the parser reads only "
                "upright tables (rotate the page back, or extend the parser)"
            )
        if not page.tables:
            if page.text.strip():
                raise SourceLayoutError(
                    f"{self.name}, page {number}: the page has text but no ruled table "
                    f"({_cell_text(page.text)[:80]!r}); a table drawn without ruling lines "
                    "cannot be read"
                )
            return
        stray = _ANY_DATE.search(page.outside_text)
        if stray:
            raise SourceLayoutError(
                f"{self.name}, page {number}: text outside every ruled table holds a date "
                f"({stray.group()!r} in {_cell_text(page.outside_text)[:80]!r}): a row drawn "
                "without ruling lines would be lost"
            )
        self._check_repeated_page(page)
        position = 0
        nested = _nested(page.tables)
        for index, table in enumerate(page.tables):
            if index in nested:
                container = page.tables[nested[index]]
                position = self._read_fragment(table, container, count, position)
                continue
            position = self._read_table(table, count, position)

    def _check_repeated_page(self, page: PageTables) -> None:
        fingerprint = tuple(
            tuple(_cell_text(c) for c in row) for table in page.tables for row in table.rows
        )
        has_dates = any(_DATE.search(c) for row in fingerprint for c in row)
        if has_dates and fingerprint in self._pages_seen:
            raise SourceLayoutError(
                f"{self.name}, page {page.number}: the page repeats page "
                f"{self._pages_seen[fingerprint]} cell for cell (a duplicated page); its rows "
                "would be counted twice"
            )
        self._pages_seen.setdefault(fingerprint, page.number)

    def _read_fragment(self, table, container, count: PageCount, position: int) -> int:
        """A small table drawn inside another's header: its text must be header text."""
        header = " ".join(_cell_text(c) for row in container.rows for c in row if c)
        for row in table.rows:
            position += 1
            cells = [_cell_text(c) for c in row if c is not None]
            if not any(cells):
                continue
            if not all(cell in header for cell in cells):
                raise SourceLayoutError(
                    f"{_where(self.name, count.page, position, cells)}: a table inside "
                    "another table that is not part of its header"
                )
            count.header += 1
        return position

    def _read_table(self, table, count: PageCount, position: int) -> int:
        rows = [[_cell_text(c) for c in row if c is not None] for row in table.rows]
        lead = 0
        while lead < len(rows) and _is_header_like(table.rows[lead]):
            lead += 1
        header = header_columns(table.rows[:lead]) if lead else []
        kind = None
        if lead and looks_like_header(header):
            self.layout = detect_layout(header, self.name)
            kind = "deployments"
        elif lead and _is_reference_header(header):
            kind = "reference"
        if kind is not None:
            count.header += sum(1 for cells in rows[:lead] if any(cells))
            position += lead
            rows = rows[lead:]
        for cells in rows:
            position += 1
            if not any(cells):
                continue
            where = _where(self.name, count.page, position, cells)
            if kind == "reference":
                self._read_reference(cells, count, where)
            else:
                self._read_row(cells, count, where)
        return position

    def _read_reference(self, cells: list[str], count: PageCount, where: str) -> None:
        filled = [c for c in cells if c]
        if not _REFERENCE_NUMBER.fullmatch(filled[0]):
            raise SourceLayoutError(
                f"{where}: a row of the reference list that does not start with its number"
            )
        count.reference += 1

    def _read_row(self, cells: list[str], count: PageCount, where: str) -> None:
        layout = self.layout
        if cells[0] and not any(cells[1:]):
            if not self.rows:
                raise SourceLayoutError(
                    f"{where}: text in the location column with no deployment row before it"
                )
            previous = self.rows[-1]
            previous.values["location"] = f"{previous.values['location']} {cells[0]}"
            previous.cells[0] = previous.values["location"]
            if previous.page != count.page and "location_split_across_pages" not in previous.flags:
                previous.flags.append("location_split_across_pages")
            count.continuation += 1
            return
        if layout is None:
            raise SourceLayoutError(
                f"{where}: a table row before any recognised header. "
                f"Expected headers: {_expected_headers_text()}"
            )
        if len(cells) < 2 or not cells[1]:
            raise SourceLayoutError(
                f"{where}: neither a deployment row (its date cell is blank), a wrapped "
                "location cell nor a repeated header"
            )
        values, flags = parse_cells(cells, layout, where)
        key = tuple(cells)
        if key in self._rows_seen:
            raise SourceLayoutError(
                f"{where}: repeats the deployment row at {self._rows_seen[key]} cell for cell"
            )
        self._rows_seen[key] = f"page {count.page}"
        number = len(self.rows) + 1
        self.rows.append(ParsedRow(values, count.page, number, layout.name, flags, list(cells)))
        count.deployment += 1


def _is_header_like(row: list[str | None]) -> bool:
    """True for a row of titles: no cell reads as a number, date or duration."""
    cells = [_cell_text(c) for c in row]
    if cells and cells[0] and not any(cells[1:]):
        return False  # a wrapped location cell, not a title row
    return all(not _DATA_LIKE.fullmatch(c) for c in cells if c)


def _nested(tables: list) -> dict[int, int]:
    """Map the index of each table drawn inside another table to that table's index."""
    inside = {}
    for index, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        for other, outer in enumerate(tables):
            ox0, otop, ox1, obottom = outer.bbox
            if other != index and (ox1 - ox0) * (obottom - otop) > (x1 - x0) * (bottom - top):
                if ox0 - 1 <= x0 and x1 <= ox1 + 1 and otop - 1 <= top and bottom <= obottom + 1:
                    inside[index] = other
                    break
    return inside


def _check_known_version(document: ParsedDocument) -> None:
    for source in SOURCE_DOCUMENTS:
        known = source.known_versions.get(document.sha256)
        if known is not None and known[1] != len(document.rows):
            raise SourceLayoutError(
                f"{document.file_name}: read {len(document.rows)} deployment rows, but this "
                f"version ({known[0]}) holds {known[1]}"
            )
