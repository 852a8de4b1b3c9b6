"""Read the Metropolitan Police Service's Live Facial Recognition deployment records.

The Met publishes one PDF table per period, one row per deployment. Three layouts are
known (see :data:`LAYOUTS`):

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
    The 2025 record: the same fields as the 2023-24 grid under different headings
    ("Outcome - Arrest", "Outcome - Other", "No action").

A table is recognised by its header, never by the file name: :func:`detect_layout`
matches the header's column titles against each layout's expected titles, and an
unknown header raises :class:`SourceLayoutError` naming the file and the titles each
layout expects. A file that is not a readable, complete PDF raises
:class:`SourceReadError`. Cells that wrap onto several lines are joined with spaces; a
location cell that continues at the top of the next page is joined to its row.

Values are kept as printed. The only computed fields are ``duration_minutes`` (from the
printed ``5h 03m``), and, for the 2023 and later layouts, ``true_alerts`` and
``false_alerts`` as the sums of their confirmed and unconfirmed parts (the source prints
only the parts). Suspected errors in the source are flagged (:func:`flag_quirks`), never
corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from statistics import median

from lfr_analysis.datasets.sources import SOURCE_DOCUMENTS, sha256_file

__all__ = [
    "COUNT_FIELDS",
    "LAYOUTS",
    "WATCHLIST_OUTLIER_FRACTION",
    "WATCHLIST_WINDOW_DAYS",
    "Layout",
    "ParsedDocument",
    "ParsedRow",
    "SourceError",
    "SourceLayoutError",
    "SourceReadError",
    "detect_layout",
    "flag_quirks",
    "header_columns",
    "looks_like_header",
    "parse_duration",
    "parse_pdf",
    "printed_rate_matches",
]

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{2})")
_INT = re.compile(r"\d+|\d{1,3}(?:,\d{3})+")
_THRESHOLD = re.compile(r"0\.\d+")
_DURATION = re.compile(r"(\d+)\s*h(?:rs?)?\s*(?:(\d+)\s*m?)?")
_NOT_AVAILABLE = {"N/A", "n/a"}

#: A watchlist size further than this fraction from the median of the other deployments
#: within :data:`WATCHLIST_WINDOW_DAYS` days (same document) is flagged as an outlier.
WATCHLIST_OUTLIER_FRACTION = 0.10
WATCHLIST_WINDOW_DAYS = 7


class SourceError(ValueError):
    """Base class of the errors raised while reading a source document."""


class SourceReadError(SourceError):
    """The file cannot be read as a complete PDF (missing, empty, truncated, malformed)."""


class SourceLayoutError(SourceError):
    """The PDF is readable but its table is not laid out as any known layout."""


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


_SPLIT_FIELDS = (
    "location",
    "date",
    "duration",
    "purpose",
    "watchlist_size",
    "threshold",
    "alerts",
    "true_alerts_confirmed",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "false_alerts_unconfirmed",
    "false_alert_rate_reported",
    "arrests",
    "other_disposals",
    "no_action",
    "faces_seen",
)

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


# ----------------------------------------------------------------------------- parsing


@dataclass
class ParsedRow:
    """One deployment row read from a PDF.

    Attributes
    ----------
    values : dict
        Field name -> value (str, int, float, ``datetime.date`` or None when blank/N/A).
    page : int
        1-based page the row starts on.
    number : int
        1-based position of the row among the document's deployment rows.
    layout : str
        Name of the layout it was read with.
    flags : list of str
        Quality flags (see :func:`flag_quirks`).
    """

    values: dict
    page: int
    number: int
    layout: str
    flags: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """Everything read from one PDF."""

    file_name: str
    sha256: str
    rows: list[ParsedRow]

    @property
    def layouts(self) -> list[str]:
        """Names of the layouts met, in order of first appearance."""
        return list(dict.fromkeys(row.layout for row in self.rows))


def _cell_text(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\n", " ")).strip()


def _where(source: str, page: int, cells: list[str]) -> str:
    return f"{source}, page {page}, row {cells!r}"


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


def _parse_cells(cells: list[str], layout: Layout, where: str) -> tuple[dict, list[str]]:
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


def _read_tables(path: Path) -> list[tuple[int, list[list[list[str | None]]]]]:
    """Return (page number, tables) for every page, raising SourceReadError on failure."""
    import pdfplumber

    name = path.name
    if not path.is_file():
        raise SourceReadError(f"{path}: file not found")
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise SourceReadError(f"{name}: not a PDF (the file does not start with '%PDF-')")
    if b"%%EOF" not in data[-2048:]:
        raise SourceReadError(
            f"{name}: the PDF is truncated (no '%%EOF' marker at its end); download it again"
        )
    try:
        with pdfplumber.open(path) as pdf:
            return [(number, page.extract_tables()) for number, page in enumerate(pdf.pages, 1)]
    except Exception as err:  # pdfminer raises many unrelated types on malformed input
        raise SourceReadError(
            f"{name}: cannot be read as a PDF ({type(err).__name__}: {err})"
        ) from err


def _first_data_index(table: list[list[str | None]]) -> int | None:
    for index, row in enumerate(table):
        cells = [c for c in row if c is not None]
        if len(cells) > 1 and _DATE.fullmatch(_cell_text(cells[1])):
            return index
    return None


def parse_pdf(path: str | Path) -> ParsedDocument:
    """Read every deployment row of one of the Met's deployment-record PDFs.

    Parameters
    ----------
    path : str or pathlib.Path
        The PDF.

    Returns
    -------
    ParsedDocument
        The rows in printed order, with their page, layout and quality flags.

    Raises
    ------
    SourceReadError
        When the file is missing, not a PDF, truncated or malformed.
    SourceLayoutError
        When a table header matches no known layout, a row has the wrong number of
        cells or a cell cannot be read; the message names the file, page and row.
    """
    path = Path(path)
    name = path.name
    pages = _read_tables(path)
    rows: list[ParsedRow] = []
    layout: Layout | None = None
    for page, tables in pages:
        for table in tables:
            first = _first_data_index(table)
            lead = table if first is None else table[:first]
            columns = header_columns(lead)
            if lead and looks_like_header(columns):
                layout = detect_layout(columns, name)
                lead = []
            if first is None:
                # No deployment row: a header, a title, the purpose list, or the tail of a
                # location cell that wrapped onto a new page (a full-width row).
                if layout is not None and rows:
                    for row in lead:
                        if _is_wrapped_tail(row, layout):
                            _read_row(row, layout, rows, name, page)
                continue
            for row in lead + table[first:]:
                _read_row(row, layout, rows, name, page)
    if not rows:
        raise SourceLayoutError(
            f"{name}: no deployment table found. Expected headers: {_expected_headers_text()}"
        )
    document = ParsedDocument(file_name=name, sha256=sha256_file(path), rows=rows)
    flag_quirks(document.rows)
    _check_known_version(document)
    return document


def _is_wrapped_tail(row: list[str | None], layout: Layout) -> bool:
    cells = [_cell_text(c) for c in row if c is not None]
    return len(cells) == len(layout.fields) and bool(cells[0]) and not any(cells[1:])


def _read_row(
    row: list[str | None], layout: Layout | None, rows: list[ParsedRow], name: str, page: int
) -> None:
    cells = [_cell_text(c) for c in row if c is not None]
    if not any(cells):
        return
    where = _where(name, page, cells)
    if len(cells) > 1 and _DATE.fullmatch(cells[1]):
        if layout is None:
            raise SourceLayoutError(
                f"{where}: deployment row before any recognised header. "
                f"Expected headers: {_expected_headers_text()}"
            )
        values, flags = _parse_cells(cells, layout, where)
        rows.append(ParsedRow(values, page, len(rows) + 1, layout.name, flags))
        return
    if cells[0] and not any(cells[1:]) and rows:
        previous = rows[-1]
        previous.values["location"] = f"{previous.values['location']} {cells[0]}"
        if previous.page != page and "location_split_across_pages" not in previous.flags:
            previous.flags.append("location_split_across_pages")
        return
    raise SourceLayoutError(f"{where}: neither a deployment row nor a wrapped location cell")


def _check_known_version(document: ParsedDocument) -> None:
    for source in SOURCE_DOCUMENTS:
        known = source.known_versions.get(document.sha256)
        if known is not None and known[1] != len(document.rows):
            raise SourceLayoutError(
                f"{document.file_name}: read {len(document.rows)} deployment rows, but this "
                f"version ({known[0]}) holds {known[1]}"
            )


# ------------------------------------------------------------------------------ quirks


def flag_quirks(rows: list[ParsedRow]) -> None:
    """Add quality flags for the known kinds of suspected source errors, in place.

    Parameters
    ----------
    rows : list of ParsedRow
        The rows of one document, in printed order.

    Notes
    -----
    Flags describe; they never change a value. Their meanings are listed in
    :data:`lfr_analysis.data.QUALITY_FLAGS`.
    """
    _flag_alert_split(rows)
    _flag_incomplete_locations(rows)
    _flag_identical_disposals(rows)
    _flag_date_sequence(rows)
    _flag_watchlist_outliers(rows)
    _flag_printed_rates(rows)


def _add(row: ParsedRow, flag: str) -> None:
    if flag not in row.flags:
        row.flags.append(flag)


def _flag_alert_split(rows: list[ParsedRow]) -> None:
    for row in rows:
        v = row.values
        parts = (v.get("alerts"), v.get("true_alerts"), v.get("false_alerts"))
        if None not in parts and parts[1] + parts[2] != parts[0]:
            _add(row, "alert_split_inconsistent")


def _flag_incomplete_locations(rows: list[ParsedRow]) -> None:
    for row in rows:
        if (row.values.get("location") or "").endswith(","):
            _add(row, "location_incomplete")


def _flag_identical_disposals(rows: list[ParsedRow]) -> None:
    pairs = [(row, row.values.get("other_disposals"), row.values.get("no_action")) for row in rows]
    known = [(row, a, b) for row, a, b in pairs if a is not None and b is not None]
    if known and all(a == b for _, a, b in known) and any(a for _, a, _ in known):
        for row, _, _ in known:
            _add(row, "disposal_columns_identical")


def _flag_date_sequence(rows: list[ParsedRow]) -> None:
    dates = [row.values["date"] for row in rows]
    for index, row in enumerate(rows):
        before = dates[index - 1] if index > 0 else None
        after = dates[index + 1] if index + 1 < len(dates) else None
        day = dates[index]
        if before and after and before <= after and not before <= day <= after:
            _add(row, "date_out_of_sequence")
        elif before and after is None and day < before:
            _add(row, "date_out_of_sequence")
        elif after and before is None and day > after:
            _add(row, "date_out_of_sequence")


def _flag_watchlist_outliers(rows: list[ParsedRow]) -> None:
    sized = [row for row in rows if row.values.get("watchlist_size") is not None]
    for row in sized:
        day = row.values["date"]
        others = [
            r.values["watchlist_size"]
            for r in sized
            if r is not row and abs((r.values["date"] - day).days) <= WATCHLIST_WINDOW_DAYS
        ]
        if len(others) < 2:
            continue
        middle = median(others)
        if abs(row.values["watchlist_size"] - middle) > WATCHLIST_OUTLIER_FRACTION * middle:
            _add(row, "watchlist_size_outlier")


def printed_rate_matches(printed: str, false_alerts: int, faces_seen: int) -> bool:
    """Say whether a printed per-face rate ("0.05%") agrees with its own counts.

    The Met's tables sometimes round and sometimes truncate to the printed number of
    decimals (e.g. 1 in 1,123 = 0.089% printed as 0.08%), so either reading agrees.

    Parameters
    ----------
    printed : str
        The rate as printed, a percentage such as ``"0.05%"``.
    false_alerts, faces_seen : int
        The row's own counts.

    Returns
    -------
    bool
    """
    text = printed.strip().removesuffix("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return True  # not a number: nothing to compare (kept as printed)
    step = Decimal(1).scaleb(value.as_tuple().exponent)
    exact = Decimal(false_alerts) * 100 / Decimal(faces_seen)
    readings = {exact.quantize(step, ROUND_HALF_UP), exact.quantize(step, ROUND_DOWN)}
    return value in readings


def _flag_printed_rates(rows: list[ParsedRow]) -> None:
    for row in rows:
        v = row.values
        printed, false, faces = (
            v.get("false_alert_rate_reported"),
            v.get("false_alerts"),
            v.get("faces_seen"),
        )
        if printed and false is not None and faces:
            if not printed_rate_matches(printed, false, faces):
                _add(row, "printed_rate_inconsistent")
