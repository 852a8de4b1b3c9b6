"""Read the ruled tables of a PDF one page at a time, within stated bounds.

The Met's deployment records are PDF tables drawn with ruling lines (thin filled
rectangles) around every cell. :func:`open_pdf` checks the file (size, that it is a whole
PDF, how much its streams decompress to, whether it is encrypted, how many pages it has)
and :meth:`PdfSource.pages` then yields one :class:`PageTables` per page: the tables
found on it, each a list of rows of cell texts, and the text that lies outside every
table. Each page is read and released before the next one is opened, so memory stays
flat in the number of pages.

The characters and ruling lines come from PDFium (``pypdfium2``, a compiled library,
about four times quicker than a pure-Python PDF interpreter); the tables are found in
them by pdfplumber's table finder with its default settings (cells from the ruling
lines, text joined with its tolerances), so the cell texts are those pdfplumber gives
for the same file.

Every bound is a field of :class:`Limits` and gives a :class:`SourceLimitError` that
names the file, the bound and its value; an encrypted PDF gives
:class:`SourceEncryptedError`. Both are :class:`SourceReadError`.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
import time
import zlib
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "PageTables",
    "PdfSource",
    "SourceEncryptedError",
    "SourceError",
    "SourceLayoutError",
    "SourceLimitError",
    "SourceReadError",
    "Table",
    "decompressed_size",
    "intersections_to_cells",
    "open_pdf",
]


class SourceError(ValueError):
    """Base class of the errors raised while reading a source document."""


class SourceReadError(SourceError):
    """The file cannot be read as a complete PDF (missing, empty, truncated, malformed)."""


class SourceLayoutError(SourceError):
    """The PDF is readable but its table is not laid out as any known layout."""


class SourceLimitError(SourceReadError):
    """The PDF exceeds one of the reading bounds (:class:`Limits`)."""


class SourceEncryptedError(SourceReadError):
    """The PDF is encrypted with a password and cannot be read."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one PDF may cost to read.

    The Met's largest record today has 10 pages, 1 MB and about 3 MB of decompressed
    streams and reads in about a second, so the defaults leave a wide margin while still
    stopping a hostile or broken file early.

    Attributes
    ----------
    max_file_bytes : int
        Largest file accepted.
    max_pages : int
        Most pages accepted.
    max_decompressed_bytes : int
        Most bytes the file's compressed streams may inflate to (a decompression bomb
        is refused before any page is read).
    max_objects_per_page : int
        Most drawing objects, and most characters, on one page.
    max_seconds : float
        Wall-clock time for the whole file, checked as each page is read.
    """

    max_file_bytes: int = 50_000_000
    max_pages: int = 500
    max_decompressed_bytes: int = 200_000_000
    max_objects_per_page: int = 200_000
    max_seconds: float = 120.0


DEFAULT_LIMITS = Limits()


@dataclass
class Table:
    """One ruled table on a page.

    Attributes
    ----------
    bbox : tuple of float
        ``(x0, top, x1, bottom)`` in points from the page's top left corner.
    rows : list of list of (str or None)
        Cell texts row by row; None marks a cell merged into its neighbour.
    """

    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]


@dataclass
class PageTables:
    """What one page holds: its tables and the text outside them."""

    number: int
    rotation: int
    tables: list[Table] = field(default_factory=list)
    text: str = ""
    outside_text: str = ""
    rotated_text: bool = False


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_CHUNK = 1 << 20


def decompressed_size(data: bytes, limit: int) -> int:
    """Return the bytes the file's Flate streams inflate to, stopping once over ``limit``.

    Streams are found by their ``stream`` keyword and their filter read from the
    dictionary just before it; other filters are counted at their stored size.
    """
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        head = data[max(0, match.start() - 1024) : match.start()]
        head = head[head.rfind(b"obj") + 3 :] if b"obj" in head else head
        raw = data[start:end]
        if not _FLATE.search(head):
            total += len(raw)
        else:
            total += _inflated(raw, limit - total + 1)
        if total > limit:
            return total
    return total


def _inflated(raw: bytes, budget: int) -> int:
    inflater = zlib.decompressobj()
    produced = 0
    pending = raw
    try:
        while pending and produced <= budget and not inflater.eof:
            out = inflater.decompress(pending, _CHUNK)
            produced += len(out)
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: PDFium decides what it can read of it
    return produced


class PdfSource:
    """An opened PDF: its checksum and page count, and its pages one at a time."""

    def __init__(self, path: Path, data: bytes, limits: Limits):
        import pypdfium2

        self.path = path
        self.name = path.name
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.limits = limits
        self._started = time.monotonic()
        try:
            self._document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as err:
            if "password" in str(err).lower():
                raise SourceEncryptedError(
                    f"{self.name}: the PDF is encrypted (password-protected); the parser "
                    "reads only unencrypted PDFs. Download an unprotected copy."
                ) from None
            raise SourceReadError(f"{self.name}: cannot be read as a PDF ({err})") from None
        self.page_count = len(self._document)
        if self.page_count > limits.max_pages:
            self.close()
            raise SourceLimitError(
                f"{self.name}: {self.page_count} pages, more than the limit of "
                f"{limits.max_pages} (Limits.max_pages); a deployment record has about ten"
            )

    def close(self) -> None:
        """Release the document."""
        document = getattr(self, "_document", None)
        if document is not None:
            document.close()
            self._document = None

    def _check_time(self, number: int) -> None:
        elapsed = time.monotonic() - self._started
        if elapsed > self.limits.max_seconds:
            raise SourceLimitError(
                f"{self.name}: reading stopped after {elapsed:.0f} s at page {number} of "
                f"{self.page_count}, over the limit of {self.limits.max_seconds:g} s "
                "(Limits.max_seconds)"
            )

    def pages(self) -> Iterator[PageTables]:
        """Yield each page's tables in order, releasing each page before the next."""
        try:
            for index in range(self.page_count):
                self._check_time(index + 1)
                yield self._read_page(index)
            self._check_time(self.page_count)
        finally:
            self.close()

    def _read_page(self, index: int) -> PageTables:
        page = self._document[index]
        try:
            objects, top_edge = _page_objects(page, self.name, index + 1, self.limits)
            rotation = page.get_rotation()
        finally:
            page.close()
        tables = _find_tables(objects)
        chars = objects["char"]
        inside = _inside_any(chars, [t.bbox for t in tables])
        text = "".join(c["text"] for c in chars)
        outside = "".join(c["text"] for c, is_in in zip(chars, inside, strict=True) if not is_in)
        rotated = any(not c["upright"] for c in chars if c["text"].strip())
        return PageTables(index + 1, rotation, tables, text, outside, rotated)


def open_pdf(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> PdfSource:
    """Check a PDF file and open it for reading page by page.

    Raises
    ------
    SourceReadError
        Missing, empty, not a PDF, truncated or malformed; naming the file.
    SourceEncryptedError
        Password-protected.
    SourceLimitError
        Larger, longer or more compressed than :class:`Limits` allows.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise SourceReadError(f"{path}: file not found")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise SourceLimitError(
            f"{name}: {size:,} bytes, more than the limit of {limits.max_file_bytes:,} "
            "(Limits.max_file_bytes)"
        )
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise SourceReadError(f"{name}: not a PDF (the file does not start with '%PDF-')")
    if data.rfind(b"%%EOF") < 0:
        raise SourceReadError(
            f"{name}: the PDF is truncated (no '%%EOF' end-of-file marker); download it again"
        )
    inflated = decompressed_size(data, limits.max_decompressed_bytes)
    if inflated > limits.max_decompressed_bytes:
        raise SourceLimitError(
            f"{name}: its compressed streams inflate to more than "
            f"{limits.max_decompressed_bytes:,} bytes (Limits.max_decompressed_bytes); "
            "refused before reading any page (a decompression bomb, or not a deployment record)"
        )
    return PdfSource(path, data, limits)


# ------------------------------------------------------------------ page objects


def _round(value: float) -> float:
    # PDFium works in single precision; the PDFs' own numbers have at most 4 decimals
    return round(value, 4)


def _page_objects(page, name: str, number: int, limits: Limits):
    """Return pdfplumber-style object dicts (chars, rects, lines, curves) of one page."""
    import pypdfium2.raw as raw

    left, bottom, right, top = page.get_mediabox()
    count = raw.FPDFPage_CountObjects(page.raw)
    if count > limits.max_objects_per_page:
        raise SourceLimitError(
            f"{name}, page {number}: {count:,} drawing objects, more than the limit of "
            f"{limits.max_objects_per_page:,} (Limits.max_objects_per_page)"
        )
    objects: dict[str, list[dict]] = {"char": [], "rect": [], "line": [], "curve": []}
    path_type = raw.FPDF_PAGEOBJ_PATH
    for index in range(count):
        handle = raw.FPDFPage_GetObject(page.raw, index)
        if raw.FPDFPageObj_GetType(handle) == path_type:
            for kind, points in _path_shapes(handle, raw):
                objects[kind].append(_shape(kind, points, top))
    textpage = page.get_textpage()
    try:
        total = textpage.count_chars()
        if total > limits.max_objects_per_page:
            raise SourceLimitError(
                f"{name}, page {number}: {total:,} characters, more than the limit of "
                f"{limits.max_objects_per_page:,} (Limits.max_objects_per_page)"
            )
        objects["char"] = _chars(textpage, total, top, raw)
    finally:
        textpage.close()
    return objects, top


def _chars(textpage, total: int, top: float, raw) -> list[dict]:
    box = raw.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    chars: list[dict] = []
    lines: list[tuple] = []
    for index in range(total):
        if raw.FPDFText_IsGenerated(textpage.raw, index):
            # PDFium reports the file's own word spaces as generated, at zero width: keep
            # them as spaces on the line of the character before (line breaks are dropped)
            if chars and raw.FPDFText_GetUnicode(textpage.raw, index) == 32:
                previous = chars[-1]
                chars.append(dict(previous, text=" ", x0=previous["x1"], width=0.0))
                lines.append(lines[-1])
            continue
        code = raw.FPDFText_GetUnicode(textpage.raw, index)
        raw.FPDFText_GetLooseCharBox(textpage.raw, index, box)
        raw.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
        x0, x1 = _round(box.left), _round(box.right)
        upper, lower = _round(top - box.top), _round(top - box.bottom)
        angle = raw.FPDFText_GetCharAngle(textpage.raw, index)
        chars.append(
            {
                "object_type": "char",
                "text": chr(code) if 0 < code < 0x110000 else "\ufffd",
                "x0": x0,
                "x1": x1,
                "top": upper,
                "bottom": lower,
                "doctop": upper,
                "width": x1 - x0,
                "height": lower - upper,
                "upright": angle <= 1e-3 or abs(angle - 6.283185) < 1e-3,
            }
        )
        lines.append((round(y.value, 2), round(raw.FPDFText_GetFontSize(textpage.raw, index), 2)))
    _same_line_same_box(chars, lines)
    return chars


def _same_line_same_box(chars: list[dict], lines: list[tuple]) -> None:
    """Give characters on one baseline, at one size, the line's usual top and bottom.

    PDFium sizes a ligature (e.g. "fi" in a Type 3 font) by its own glyph; a pure-Python
    reader sizes every character of a font alike. Without this, the ligature's letters
    would sit on a line of their own.
    """
    usual: dict[tuple, dict] = {}
    for char, line in zip(chars, lines, strict=True):
        usual.setdefault(line, {}).setdefault((char["top"], char["bottom"]), 0)
        usual[line][(char["top"], char["bottom"])] += 1
    for char, line in zip(chars, lines, strict=True):
        upper, lower = max(usual[line].items(), key=lambda item: item[1])[0]
        if (char["top"], char["bottom"]) != (upper, lower):
            char.update(top=upper, bottom=lower, doctop=upper, height=lower - upper)


def _path_shapes(handle, raw) -> list[tuple[str, list[tuple[float, float]]]]:
    """Split one path object into lines, rectangles and curves, as pdfminer does."""
    matrix = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(handle, matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    x, y = ctypes.c_float(), ctypes.c_float()
    get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
    get_type, get_close = raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose
    segments = []
    for index in range(raw.FPDFPath_CountSegments(handle)):
        segment = get_segment(handle, index)
        get_point(segment, x, y)
        px, py = x.value, y.value
        point = (round(a * px + c * py + e, 4), round(b * px + d * py + f, 4))
        segments.append((get_type(segment), point, get_close(segment)))
    subpaths: list[list] = []
    index = 0
    while index < len(segments):
        kind, point, close = segments[index]
        step = 1
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append(["m", [point]])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            subpaths[-1][0] += "l"
            subpaths[-1][1].append(point)
        else:  # a Bezier curve: two control points, then its end point
            step = 3
            kind, point, close = segments[min(index + 2, len(segments) - 1)]
            subpaths[-1][0] += "c"
            subpaths[-1][1].append(point)
        if close:
            subpaths[-1][0] += "h"
            subpaths[-1][1].append(subpaths[-1][1][0])
        index += step
    return [_classify(shape, points) for shape, points in subpaths]


def _classify(shape: str, points: list) -> tuple[str, list]:
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape, points = shape[:-2] + "h", points[:-2] + points[-1:]
    if shape in ("mlh", "ml"):
        return "line", points[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = points
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
        )
        if points[0] == points[4] and square:
            return "rect", [points[0], points[2]]
    return "curve", points


def _shape(kind: str, points: list, top: float) -> dict:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    shape = {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "top": top - y1,
        "bottom": top - y0,
        "doctop": top - y1,
    }
    if kind != "rect":
        shape["pts"] = [(px, top - py) for px, py in points]
    return shape


# ------------------------------------------------------------------------ tables


def _find_tables(objects: dict) -> list[Table]:
    from pdfplumber import table as plumber
    from pdfplumber.container import Container
    from pdfplumber.table import TableFinder, TableSettings

    class _Finder(TableFinder):
        """pdfplumber's table finder, finding the cells of its intersections in linear time."""

        def __init__(self, page, settings):
            self.page, self.settings = page, settings
            self.edges = self.get_edges()
            self.intersections = plumber.edges_to_intersections(
                self.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
            )
            self.cells = intersections_to_cells(self.intersections)
            self.tables = [plumber.Table(page, c) for c in plumber.cells_to_tables(self.cells)]

    class _Page(Container):
        """The part of a pdfplumber page its table finder uses."""

        def __init__(self, found):
            self._found = found
            self.bbox = (0, 0, 0, 0)

        @property
        def objects(self):
            return self._found

    settings = TableSettings.resolve(None)
    finder = _Finder(_Page(objects), settings)
    text_settings = settings.text_settings or {}
    chars = objects["char"]
    middles = sorted(((c["top"] + c["bottom"]) / 2, i) for i, c in enumerate(chars))
    tables = [
        Table(tuple(found.bbox), _extract(found, chars, middles, text_settings))
        for found in finder.tables
    ]
    return sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0]))


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """The cells pdfplumber's ``intersections_to_cells`` finds, without its quadratic scans.

    For each intersection (in sorted order) the smallest cell whose corners are all
    intersections joined by edges: pdfplumber looks at the later points on the same
    column and row by scanning all later points; here they are read from per-column and
    per-row lists, and each point's edges are turned into sets once.
    """
    points = sorted(intersections)
    column: dict[float, list] = {}
    row: dict[float, list] = {}
    for point in points:
        column.setdefault(point[0], []).append(point)
        row.setdefault(point[1], []).append(point)
    sets: dict[tuple, set] = {}

    def edges(point, orientation):
        key = (point, orientation)
        if key not in sets:
            sets[key] = {
                (e["x0"], e["top"], e["x1"], e["bottom"]) for e in intersections[point][orientation]
            }
        return sets[key]

    def connects(p1, p2) -> bool:
        if p1[0] == p2[0] and edges(p1, "v") & edges(p2, "v"):
            return True
        return p1[1] == p2[1] and bool(edges(p1, "h") & edges(p2, "h"))

    cells = []
    for point in points[:-1]:
        same_x, same_y = column[point[0]], row[point[1]]
        below = same_x[same_x.index(point) + 1 :]
        right = same_y[same_y.index(point) + 1 :]
        cell = None
        for below_pt in below:
            if not connects(point, below_pt):
                continue
            for right_pt in right:
                if not connects(point, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if (
                    corner in intersections
                    and connects(corner, right_pt)
                    and connects(corner, below_pt)
                ):
                    cell = (point[0], point[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


def _extract(found, chars: list[dict], middles: list, text_settings: dict) -> list[list]:
    """pdfplumber's ``Table.extract``, with each row's characters found by bisection.

    A character belongs to a row (then a cell) when its middle lies in it, left and top
    edges included, as in pdfplumber; characters keep their order on the page.
    """
    from pdfplumber.utils import extract_text

    keys = [middle for middle, _ in middles]
    rows = []
    for row in found.rows:
        x0, top, x1, bottom = row.bbox
        band = sorted(i for _, i in middles[bisect_left(keys, top) : bisect_left(keys, bottom)])
        row_chars = [chars[i] for i in band if x0 <= (chars[i]["x0"] + chars[i]["x1"]) / 2 < x1]
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            inside = [c for c in row_chars if _char_in(c, cell)]
            cells.append(extract_text(inside, **text_settings) if inside else "")
        rows.append(cells)
    return rows


def _char_in(char: dict, box) -> bool:
    h_mid = (char["x0"] + char["x1"]) / 2
    v_mid = (char["top"] + char["bottom"]) / 2
    return box[0] <= h_mid < box[2] and box[1] <= v_mid < box[3]


def _inside_any(chars: list[dict], boxes: list[tuple]) -> list[bool]:
    flags = []
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        flags.append(any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes))
    return flags
