"""Make PDFs in the forces' deployment-record layouts, and edited copies of real ones.

:func:`grid_pdf` draws tables with reportlab the way the Met's grids are laid out: a title,
a ruled table per page with its header (three title lines per column), wrapped cells,
optional loose text, rotation, encryption. The ``*_HEADER`` lists are the headers as
printed. :func:`with_pages_of`, :func:`replace_text`, :func:`add_column_rule` and
:func:`without_pages` edit a copy of a real PDF with PDFium (more pages, a new use-case
string, an extra column, fewer pages).
"""

from __future__ import annotations

import ctypes
import zlib
from pathlib import Path

HEADER_2025 = [
    "Deployment\nLocation",
    "Date",
    "Duration",
    "LFR Use Case",
    "Watchlist\nSize",
    "Min\nThreshold\nSetting",
    "Total\nAlerts",
    "True Alerts\nConfirmed",
    "True Alerts\nUnconfirmed",
    "False Alerts\nConfirmed",
    "False Alerts\nUnconfirmed",
    "False Alert\nRate",
    "Outcome -\nArrest",
    "Outcome -\nOther",
    "No\naction",
    "Faces seen\n(estimate)",
]

#: The 2023-24 grid prints its header as one row of titles and a row of sub-titles.
HEADER_2023 = [
    "Deployment\nLocation",
    "Date",
    "Duration of\nDeployment",
    "LFR Purpose\nReference",
    "Watchlist\nSize",
    "Min\nThreshold\nSetting",
    "Total\nAlerts",
    "True Alerts\nConfirmed",
    "True Alerts\nUnconfirmed",
    "False Alerts\nConfirmed",
    "False Alerts\nUnconfirmed",
    "False Alert\nRate",
    "Engagement\nOutcomes\nArrest",
    "Other\nDisposal",
    "No Action",
    "Faces seen\n(Estimate)",
]

REFERENCE_HEADER_2025 = ["Reference", "Use Case", "LFR Policy Document Reference"]
REFERENCE_ROWS_2025 = [
    ["1.", "Use of LFR to support the policing of Crime Hotspots", "§2.3(a)"],
    ["2.", "Use of LFR to support the policing of Missing Person Hotspots", "§2.3(b)"],
    ["3.", "Use of LFR to support the protection of CNI PSOs", "9960§2.7(a)"],
]


def row_2025(location, day, duration="5h 18m", use="Crime Hotspot", watchlist="15974"):
    """One deployment row of the 2025 record, counts filled with a consistent pattern."""
    return [location, day, duration, use, watchlist, "0.64", "8", "8", "0", "0", "0", "0%"] + [
        "2",
        "1",
        "5",
        "36,140",
    ]


def grid_pdf(
    path: Path,
    pages: list[dict],
    *,
    title: str = "MPS LFR DEPLOYMENTS 2025",
    rotate: int = 0,
    encrypt: str | None = None,
) -> Path:
    """Write a PDF with one ruled table per page.

    Each page is a dict: ``header`` (list of str or None, drawn as the table's first row),
    ``rows`` (list of list of str), optionally ``ruled`` (False draws no lines),
    ``loose`` (a line of text above the table), ``reference`` (a second table, e.g. the
    use-case list, as ``(header, rows)``).
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    story = []
    for number, page in enumerate(pages):
        if number:
            story.append(PageBreak())
        if number == 0 and title:
            story.append(Paragraph(title, styles["Title"]))
        if page.get("loose"):
            story.append(Paragraph(page["loose"], styles["Normal"]))
        story.append(Spacer(1, 6))
        cells = ([page["header"]] if page.get("header") else []) + page["rows"]
        if cells:
            story.append(_table(cells, page.get("ruled", True), Table, TableStyle, colors))
        if page.get("reference"):
            header, rows = page["reference"]
            story.append(Spacer(1, 12))
            story.append(_table([header, *rows], True, Table, TableStyle, colors))

    encryption = StandardEncryption(encrypt, ownerPassword="owner") if encrypt else None
    document = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=12,
        rightMargin=12,
        topMargin=12,
        bottomMargin=12,
        encrypt=encryption,
        invariant=1,
    )
    document.build(story)
    if rotate:
        _rotate(Path(path), rotate)
    return Path(path)


def _rotate(path: Path, degrees: int) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    for page in document:
        page.set_rotation(degrees)
    document.save(str(path))


def _table(cells, ruled, Table, TableStyle, colors):
    table = Table(cells, repeatRows=0)
    style = [("FONTSIZE", (0, 0), (-1, -1), 6), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(style))
    return table


def bomb_pdf(path: Path, inflated: int) -> Path:
    """Write a one-page PDF whose content stream inflates to ``inflated`` bytes."""
    stream = zlib.compress(b" " * inflated, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    Path(path).write_bytes(bytes(out))
    return Path(path)


# ------------------------------------------------------------- edits of real PDFs


def with_pages_of(base: Path, extra: Path, out: Path) -> Path:
    """Write ``base`` followed by every page of ``extra``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(base))
    added = pdfium.PdfDocument(str(extra))
    document.import_pages(added)
    document.save(str(out))
    return Path(out)


def without_pages(base: Path, pages: list[int], out: Path) -> Path:
    """Write ``base`` without the given 1-based pages."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(base))
    for number in sorted(pages, reverse=True):
        document.del_page(number - 1)
    document.save(str(out))
    return Path(out)


def replace_text(base: Path, page_number: int, old: str, new: str, out: Path, count=1) -> Path:
    """Write ``base`` with the first ``count`` text runs reading ``old`` on a page replaced.

    The new text is set in Helvetica at the old run's position, its size scaled so that it
    is no wider than the old run (a cell never overflows into the next).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(base))
    page = document[page_number - 1]
    textpage = page.get_textpage()
    found = []
    for obj in page.get_objects(max_depth=1):
        if obj.type == raw.FPDF_PAGEOBJ_TEXT and _run_text(obj.raw, textpage.raw, raw) == old:
            found.append(obj)
        if len(found) == count:
            break
    assert found, f"no text run {old!r} on page {page_number}"
    for obj in found:
        left, bottom, _, _ = obj.get_bounds()
        size = ctypes.c_float()
        raw.FPDFTextObj_GetFontSize(obj.raw, size)
        shrink = min(1.0, 0.9 * len(old) / max(len(new), 1))
        text = raw.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", size.value * shrink)
        encoded = (new + "\x00").encode("utf-16-le")
        buffer = ctypes.create_string_buffer(encoded, len(encoded))
        raw.FPDFText_SetText(text, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, left, bottom)
        page.remove_obj(obj)
        raw.FPDFPage_InsertObject(page.raw, text)
    textpage.close()
    page.gen_content()
    document.save(str(out))
    return Path(out)


def _run_text(handle, textpage, raw) -> str:
    size = raw.FPDFTextObj_GetText(handle, textpage, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pointer = ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR))
    raw.FPDFTextObj_GetText(handle, textpage, pointer, size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def add_column_rule(base: Path, page_number: int, x: float, out: Path) -> Path:
    """Write ``base`` with a vertical rule from top to bottom of a page at ``x`` (points).

    Drawn as a thin filled rectangle, as the Met draws its ruling lines, it splits every
    cell it crosses: the table gains a column.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(base))
    page = document[page_number - 1]
    width, height = page.get_size()
    rule = raw.FPDFPageObj_CreateNewRect(x, 0, 0.5, height)
    raw.FPDFPageObj_SetFillColor(rule, 0, 0, 0, 255)
    raw.FPDFPath_SetDrawMode(rule, raw.FPDF_FILLMODE_ALTERNATE, 0)
    raw.FPDFPage_InsertObject(page.raw, rule)
    page.gen_content()
    document.save(str(out))
    return Path(out)
