"""The parser never loses a row: PDFs made in the forces' layouts, and edited real ones.

Synthetic PDFs (reportlab, :mod:`pdf_factory`) in the Met's 2023-24 and 2025 layouts and
in the BTP register's: every row is read, wrapped or accounted for, or the parser stops
naming the file, page and row. Then the bounds (pages, size, decompressed size, objects,
time) and encryption. Last, edited copies of the Met's own PDFs (more pages, a new
use-case string, an extra column, a page removed), which skip when the PDFs are absent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pdf_factory import (
    HEADER_2023,
    HEADER_2025,
    REFERENCE_HEADER_2025,
    REFERENCE_ROWS_2025,
    add_column_rule,
    bomb_pdf,
    grid_pdf,
    replace_text,
    row_2025,
    with_pages_of,
    without_pages,
)

from lfr_analysis import paths
from lfr_analysis.datasets import sources as met_sources
from lfr_analysis.rebuild import assemble, met_pdf
from lfr_analysis.rebuild import cli as rebuild_cli

FULL_YEAR_ROWS = [
    row_2025("High St North,\nEast Ham", "08/01/25", "4hr 47m"),
    row_2025("Hammersmith\nBroadway", "19/02/25", "5h 52m")[:-1] + ["21,940"],
    row_2025("Station\nParade,\nBarking", "15/05/25", "6h 18m"),
    row_2025("North End,\nCroydon", "18/12/25", "1h 43m", watchlist="16775"),
]


def parse(path: Path, **kwargs) -> met_pdf.ParsedDocument:
    return met_pdf.parse_pdf(path, **kwargs)


def refused(path: Path, match: str, kind=met_pdf.SourceError, **kwargs) -> str:
    with pytest.raises(kind) as caught:
        met_pdf.parse_pdf(path, **kwargs)
    message = str(caught.value)
    assert path.name in message, message
    assert match in message, message
    return message


# --------------------------------------------------------------- layouts read


def test_full_year_2025_layout_and_its_quirks(tmp_path):
    pdf = grid_pdf(
        tmp_path / "live-facial-recognition-deployment-record-2025.pdf",
        [
            {"header": HEADER_2025, "rows": FULL_YEAR_ROWS[:2]},
            {
                "header": HEADER_2025,
                "rows": FULL_YEAR_ROWS[2:],
                "reference": (REFERENCE_HEADER_2025, REFERENCE_ROWS_2025),
            },
        ],
    )
    document = parse(pdf)
    values = [row.values for row in document.rows]
    assert document.layouts == ["record_2025"]
    assert [v["location"] for v in values] == [
        "High St North, East Ham",
        "Hammersmith Broadway",
        "Station Parade, Barking",
        "North End, Croydon",
    ]
    assert [v["duration_minutes"] for v in values] == [287, 352, 378, 103]
    assert values[1]["faces_seen"] == 21940
    assert values[3]["date"] == date(2025, 12, 18) and values[3]["watchlist_size"] == 16775
    # page 2 repeats the header and ends with the use-case list ("9960§2.7(a)" included)
    assert [(p.deployment, p.header, p.reference) for p in document.pages] == [
        (2, 1, 0),
        (2, 2, 3),
    ]


def test_2023_24_grid_layout(tmp_path):
    row = ["Camden", "06/04/23", "5h03m", "1,2,3,4", "9764", "0.6", "1", "1", "0", "0", "0"]
    row += ["0%", "1", "0", "0", "5460"]
    document = parse(grid_pdf(tmp_path / "grid.pdf", [{"header": HEADER_2023, "rows": [row]}]))
    assert document.layouts == ["grid_2023_24"]
    (only,) = document.rows
    assert only.values["purpose"] == "Purpose references: 1,2,3,4"
    assert only.values["duration_minutes"] == 303


def test_btp_register_in_the_grid_layout_becomes_btp_rows(tmp_path):
    header = ["Location", *HEADER_2025[1:]]
    rows = [
        row_2025("London Bridge", "11/02/26", "4h35m", "Crime hotspot", "381"),
        row_2025("Waterloo rail", "13/02/26", "4h45m", "Crime hotspot", "409"),
    ]
    pdf = grid_pdf(tmp_path / "lfr-deployment-register.pdf", [{"header": header, "rows": rows}])
    document = parse(pdf)
    register = met_sources.document_by_key("btp_register")
    table = assemble.build_btp([(register, document)], assemble.Inputs())
    assert list(table["deployment_id"]) == [
        "BTP-2026-02-11-london-bridge",
        "BTP-2026-02-13-waterloo-rail",
    ]
    assert set(table["force"]) == {"British Transport Police"}
    assert set(table["source_type"]) == {"primary"}
    assert list(table["watchlist_size"]) == [381, 409]


def test_new_use_case_strings_are_read(tmp_path):
    rows = [row_2025("Emirates Stadium", "23/11/25", use="Event PSO - Football")]
    rows.append(row_2025("Finsbury Park", "24/11/25", use="Missing Person\nHotspot"))
    document = parse(grid_pdf(tmp_path / "uses.pdf", [{"header": HEADER_2025, "rows": rows}]))
    assert [r.values["purpose"] for r in document.rows] == [
        "LFR use case: Event PSO - Football",
        "LFR use case: Missing Person Hotspot",
    ]


def test_location_continued_on_the_next_page_is_joined_and_flagged(tmp_path):
    tail = ["Rd, Waterloo"] + [""] * 15
    pdf = grid_pdf(
        tmp_path / "split.pdf",
        [
            {"header": HEADER_2025, "rows": [row_2025("Belvedere", "24/10/24")]},
            {"rows": [tail, row_2025("Ealing Broadway", "30/10/24")]},
        ],
    )
    document = parse(pdf)
    first = document.rows[0]
    assert first.values["location"] == "Belvedere Rd, Waterloo"
    assert "location_split_across_pages" in first.flags
    assert [(p.deployment, p.continuation) for p in document.pages] == [(1, 0), (1, 1)]


def test_many_pages_are_all_read(tmp_path):
    pages = [
        {
            "header": HEADER_2025,
            "rows": [row_2025(f"Site {p}-{r}", f"{r + 1:02d}/03/25") for r in range(8)],
        }
        for p in range(30)
    ]
    document = parse(grid_pdf(tmp_path / "long.pdf", pages))
    assert len(document.rows) == 240
    assert [p.deployment for p in document.pages] == [8] * 30
    assert [r.number for r in document.rows] == list(range(1, 241))


# ------------------------------------------------------- rows that are not lost


def test_a_bad_date_in_the_first_row_after_the_header_is_an_error(tmp_path):
    rows = [row_2025("Camden", "6/4/23"), row_2025("Islington", "20/04/23")]
    pdf = grid_pdf(tmp_path / "first-row.pdf", [{"header": HEADER_2025, "rows": rows}])
    message = refused(pdf, "date '6/4/23' is not DD/MM/YY")
    assert "page 1, table row 2" in message


def test_a_page_of_unreadable_dates_is_an_error(tmp_path):
    rows = [row_2025(f"Site {n}", f"2025-03-{n + 10}") for n in range(5)]
    pdf = grid_pdf(
        tmp_path / "iso-dates.pdf",
        [{"header": HEADER_2025, "rows": [row_2025("Camden", "06/03/25")]}, {"rows": rows}],
    )
    refused(pdf, "page 2, table row 1")


def test_a_row_without_a_date_is_an_error(tmp_path):
    blank = row_2025("Camden", "")
    pdf = grid_pdf(tmp_path / "no-date.pdf", [{"header": HEADER_2025, "rows": [blank]}])
    refused(pdf, "its date cell is blank")


def test_an_extra_column_is_an_error(tmp_path):
    header = [*HEADER_2025, "Notes"]
    rows = [[*row_2025("Camden", "06/03/25"), "pilot"]]
    pdf = grid_pdf(tmp_path / "wider.pdf", [{"header": header, "rows": rows}])
    refused(pdf, "17 cells, but layout record_2025 has 16")


def test_a_rotated_page_is_an_error(tmp_path):
    pdf = grid_pdf(
        tmp_path / "turned.pdf",
        [{"header": HEADER_2025, "rows": FULL_YEAR_ROWS[:1]}],
        rotate=90,
    )
    refused(pdf, "page 1: the page is rotated by 90 degrees")


def test_a_page_with_text_but_no_table_is_an_error(tmp_path):
    pdf = grid_pdf(
        tmp_path / "unruled.pdf",
        [
            {"header": HEADER_2025, "rows": FULL_YEAR_ROWS[:1]},
            {"header": HEADER_2025, "rows": FULL_YEAR_ROWS[1:], "ruled": False},
        ],
    )
    refused(pdf, "page 2: the page has text but no ruled table")


def test_a_date_outside_every_table_is_an_error(tmp_path):
    pdf = grid_pdf(
        tmp_path / "stray.pdf",
        [
            {
                "header": HEADER_2025,
                "rows": FULL_YEAR_ROWS[:1],
                "loose": "Kilburn High Rd 03/04/25 5h 02m Crime Hotspot 15896 0.64 7",
            }
        ],
    )
    refused(pdf, "text outside every ruled table holds a date ('03/04/25'")


def test_a_duplicated_page_is_an_error(tmp_path):
    page = {"header": HEADER_2025, "rows": FULL_YEAR_ROWS[:2]}
    refused(grid_pdf(tmp_path / "twice.pdf", [page, page]), "page 2: the page repeats page 1")


def test_a_repeated_row_is_an_error(tmp_path):
    rows = [FULL_YEAR_ROWS[0], FULL_YEAR_ROWS[1], FULL_YEAR_ROWS[0]]
    pdf = grid_pdf(tmp_path / "row-twice.pdf", [{"header": HEADER_2025, "rows": rows}])
    refused(pdf, "repeats the deployment row at page 1")


def test_a_stray_row_in_the_reference_list_is_an_error(tmp_path):
    reference = (REFERENCE_HEADER_2025, [*REFERENCE_ROWS_2025, ["", "continued text", ""]])
    pdf = grid_pdf(
        tmp_path / "reference.pdf",
        [{"header": HEADER_2025, "rows": FULL_YEAR_ROWS[:1], "reference": reference}],
    )
    refused(pdf, "a row of the reference list that does not start with its number")


# ---------------------------------------------------------------------- bounds


def test_page_count_bound(tmp_path):
    pages = [{"header": HEADER_2025, "rows": [row_2025(f"Site {n}", "06/03/25")]} for n in range(4)]
    pdf = grid_pdf(tmp_path / "pages.pdf", pages)
    refused(
        pdf,
        "4 pages, more than the limit of 3",
        met_pdf.SourceLimitError,
        limits=met_pdf.Limits(max_pages=3),
    )


def test_decompression_bomb_is_refused_before_any_page(tmp_path):
    pdf = bomb_pdf(tmp_path / "bomb.pdf", 5_000_000)
    assert pdf.stat().st_size < 50_000
    refused(
        pdf,
        "inflate to more than 1,000,000 bytes",
        met_pdf.SourceLimitError,
        limits=met_pdf.Limits(max_decompressed_bytes=1_000_000),
    )


def test_file_size_objects_and_time_bounds(tmp_path):
    pdf = grid_pdf(tmp_path / "small.pdf", [{"header": HEADER_2025, "rows": FULL_YEAR_ROWS}])
    size = pdf.stat().st_size
    refused(
        pdf, f"{size:,} bytes", met_pdf.SourceLimitError, limits=met_pdf.Limits(max_file_bytes=100)
    )
    refused(
        pdf, "page 1:", met_pdf.SourceLimitError, limits=met_pdf.Limits(max_objects_per_page=20)
    )
    refused(
        pdf, "Limits.max_seconds", met_pdf.SourceLimitError, limits=met_pdf.Limits(max_seconds=-1)
    )


def test_an_encrypted_pdf_says_so(tmp_path):
    pdf = grid_pdf(
        tmp_path / "locked.pdf", [{"header": HEADER_2025, "rows": FULL_YEAR_ROWS}], encrypt="secret"
    )
    refused(pdf, "encrypted (password-protected)", met_pdf.SourceEncryptedError)


def test_trailing_bytes_after_the_end_marker_are_not_truncation(tmp_path):
    pdf = grid_pdf(tmp_path / "tail.pdf", [{"header": HEADER_2025, "rows": FULL_YEAR_ROWS}])
    pdf.write_bytes(pdf.read_bytes() + b"\n" + b"x" * 5000)
    assert len(parse(pdf).rows) == 4


# --------------------------------------------------------- edited real PDFs


def _real(key: str) -> Path:
    document = met_sources.document_by_key(key)
    path = met_sources.find_document_file(document, paths.sources_dir())
    if path is None:
        pytest.skip(f"{document.file_names[0]} not in {paths.sources_dir()}; set LFR_SOURCES_DIR")
    return path


@pytest.mark.needs_sources
def test_real_pdf_with_more_pages(tmp_path):
    longer = with_pages_of(_real("grid_2023_24"), _real("record_2025"), tmp_path / "longer.pdf")
    document = parse(longer)
    assert len(document.rows) == 203 + 74
    assert document.layouts == ["grid_2023_24", "record_2025"]
    assert len(document.pages) == 14


@pytest.mark.needs_sources
def test_real_pdf_with_a_new_use_case_string(tmp_path):
    edited = replace_text(
        _real("record_2025"), 2, "Crime Hotspot ", "Missing Person Hotspot", tmp_path / "uses.pdf"
    )
    document = parse(edited)
    purposes = [r.values["purpose"] for r in document.rows]
    assert purposes.count("LFR use case: Missing Person Hotspot") == 1
    assert len(document.rows) == 74


@pytest.mark.needs_sources
def test_real_pdf_with_an_extra_column_is_refused(tmp_path):
    edited = add_column_rule(_real("record_2025"), 2, 60, tmp_path / "wider.pdf")
    refused(edited, "wider.pdf, page 2, table row 1")


@pytest.mark.needs_sources
def test_build_warns_when_a_pdf_yields_fewer_rows_than_committed(tmp_path, capsys):
    folder = tmp_path / "sources"
    folder.mkdir()
    for key in ("grid_2020_22", "record_2025"):
        (folder / _real(key).name).write_bytes(_real(key).read_bytes())
    grid = _real("grid_2023_24")
    without_pages(grid, [8], folder / grid.name)
    assert rebuild_cli.main(["build", "--check", "--sources", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "lfr-deployment-grid-2023-to-2024.pdf: 199 rows, NEW VERSION" in out
    assert "rows per page: page 1: 19, page 2: 39" in out
    assert (
        "WARNING: lfr-deployment-grid-2023-to-2024.pdf yields 199 rows, but the committed "
        "table holds 203 rows read from grid_2023_24"
    ) in out
    assert "- MET-2024-12-18-kingsland-high-st: in the committed file, not in the sources" in out


@pytest.mark.needs_sources
def test_cells_are_those_pdfplumber_finds():
    """The linear-time cell finder gives pdfplumber's cells on every page of the real PDFs."""
    import pypdfium2
    from pdfplumber import table as plumber
    from pdfplumber.container import Container

    from lfr_analysis.rebuild import pdf_pages

    class _Page(Container):
        bbox = (0, 0, 0, 0)

        def __init__(self, found):
            self.found = found

        @property
        def objects(self):
            return self.found

    compared = 0
    for key in ("grid_2020_22", "grid_2023_24", "record_2025"):
        document = pypdfium2.PdfDocument(str(_real(key)))
        for index in range(len(document)):
            found, _ = pdf_pages._page_objects(
                document[index], key, index + 1, pdf_pages.DEFAULT_LIMITS
            )

            finder = plumber.TableFinder(_Page(found), plumber.TableSettings.resolve(None))
            assert pdf_pages.intersections_to_cells(finder.intersections) == finder.cells
            compared += 1
    assert compared == 16


def test_decompressed_size_counts_each_stream_once_and_stops(tmp_path):
    from lfr_analysis.rebuild import pdf_pages

    data = bomb_pdf(tmp_path / "b.pdf", 3_000_000).read_bytes()
    assert pdf_pages.decompressed_size(data, 10**9) == 3_000_000
    assert pdf_pages.decompressed_size(data, 1_000) > 1_000
