"""Tests of the Met deployment-record parser (lfr_analysis.rebuild.met_pdf).

Two kinds of test:

* synthetic PDFs drawn with matplotlib in a temporary folder (no Met PDF needed): layout
  recognition by header, wrapped cells, unknown layouts, truncated and malformed files;
* spot checks against the Met's own PDFs, found through ``paths.sources_dir()``; each
  expected value below was read by eye from the printed PDF. These skip with a reason
  when the PDFs are absent.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from pdf_factory import HEADER_2025

from lfr_analysis import data, paths
from lfr_analysis.datasets import deployments as deployments_dataset
from lfr_analysis.datasets import sources as met_sources
from lfr_analysis.rebuild import assemble, met_pdf, quirks
from lfr_analysis.rebuild import cli as rebuild_cli

SPLIT_HEADER_2025 = HEADER_2025  # the 2025 record's header, as the PDF factory draws it


def draw_table_pdf(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """Write a one-page PDF holding a ruled table (header + rows), like the Met's grids."""
    fig = Figure(figsize=(16, 1 + 0.5 * len(rows)))
    ax = fig.add_subplot()
    ax.axis("off")
    table = ax.table(cellText=rows, colLabels=header, loc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(6)
    table.scale(1, 3)
    fig.savefig(path)
    return path


# ------------------------------------------------------------------ layout detection


def test_detect_layout_recognises_each_known_header():
    for layout in met_pdf.LAYOUTS:
        columns = [f"xx {title} yy" for title in layout.header_titles]
        assert met_pdf.detect_layout(columns, "a.pdf") is layout


def test_detect_layout_does_not_confuse_2023_grid_with_2025_record():
    grid = met_pdf.LAYOUTS[1]
    record = met_pdf.LAYOUTS[2]
    assert not all(t in " | ".join(grid.header_titles) for t in record.header_titles)
    assert not all(t in " | ".join(record.header_titles) for t in grid.header_titles)


def test_unknown_header_names_file_and_expected_headers():
    with pytest.raises(met_pdf.SourceLayoutError) as caught:
        met_pdf.detect_layout(["deployment", "date", "watchlist size", "colour"], "new-grid.pdf")
    message = str(caught.value)
    assert "new-grid.pdf" in message
    assert "Expected headers" in message
    for layout in met_pdf.LAYOUTS:
        assert layout.name in message
    assert "min threshold setting" in message


def test_header_columns_join_rows_column_by_column():
    rows = [["Watchlist", "Min", None], ["Size", "Threshold", "Faces"], ["", "Setting", "seen"]]
    assert met_pdf.header_columns(rows) == ["watchlist size", "min threshold setting", "faces seen"]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("5h03m", 303), ("6h 07m", 367), ("4hr 47m", 287), ("5h40", 340), ("8h0m", 480), ("", None)],
)
def test_parse_duration(text, minutes):
    assert met_pdf.parse_duration(text) == minutes


def test_parse_duration_rejects_text():
    with pytest.raises(ValueError, match="'about five hours'"):
        met_pdf.parse_duration("about five hours")


# ---------------------------------------------------------------- synthetic PDFs


def test_synthetic_2025_layout_is_read_with_wrapped_cells(tmp_path):
    rows = [
        ["High St North,\nEast Ham", "08/01/25", "4hr 47m", "Crime Hotspot", "15095", "0.64"]
        + ["10", "10", "0", "0", "0", "0%", "4", "3", "3", "9780"],
        ["Hammersmith\nBroadway", "19/02/25", "5h 52m", "Crime Hotspot", "16364", "0.64"]
        + ["13", "12", "0", "1", "0", "0.005%", "4", "0", "9", "21,940"],
    ]
    pdf = draw_table_pdf(tmp_path / "record.pdf", SPLIT_HEADER_2025, rows)
    document = met_pdf.parse_pdf(pdf)
    assert document.layouts == ["record_2025"]
    assert len(document.rows) == 2
    first, second = (row.values for row in document.rows)
    assert first["location"] == "High St North, East Ham"
    assert first["date"] == date(2025, 1, 8)
    assert first["duration_minutes"] == 4 * 60 + 47
    assert first["threshold"] == 0.64
    assert first["purpose"] == "LFR use case: Crime Hotspot"
    assert second["faces_seen"] == 21940
    assert second["true_alerts"] == 12 and second["false_alerts"] == 1
    assert second["false_alert_rate_reported"] == "0.005%"
    assert document.rows[1].flags == []


def test_synthetic_row_with_text_in_a_count_names_file_page_and_value(tmp_path):
    row = ["Camden", "06/04/23", "5h03m", "Crime Hotspot", "9764", "0.6"]
    row += ["1", "one", "0", "0", "0", "0%", "1", "0", "0", "5460"]
    pdf = draw_table_pdf(tmp_path / "bad-count.pdf", SPLIT_HEADER_2025, [row])
    with pytest.raises(met_pdf.SourceLayoutError) as caught:
        met_pdf.parse_pdf(pdf)
    message = str(caught.value)
    assert "bad-count.pdf" in message and "page 1" in message and "'one'" in message


def test_synthetic_unknown_layout_is_refused(tmp_path):
    pdf = draw_table_pdf(
        tmp_path / "unrelated-grid.pdf",
        ["Deployment", "Date", "Watchlist Size", "Colour"],
        [["Camden", "06/04/23", "9764", "red"]],
    )
    with pytest.raises(met_pdf.SourceLayoutError) as caught:
        met_pdf.parse_pdf(pdf)
    assert "unrelated-grid.pdf" in str(caught.value)
    assert "Expected headers" in str(caught.value)


def test_pdf_without_any_deployment_table_is_refused(tmp_path):
    fig = Figure()
    fig.text(0.1, 0.5, "Minutes of a meeting")
    fig.savefig(tmp_path / "minutes.pdf")
    expected = "minutes.pdf, page 1: the page has text but no ruled table"
    with pytest.raises(met_pdf.SourceLayoutError, match=expected):
        met_pdf.parse_pdf(tmp_path / "minutes.pdf")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not a PDF"),
        (b"Deployment,Date\nCamden,06/04/23\n", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "truncated"),
        (b"%PDF-1.4\nthis is no PDF body\n%%EOF\n", "cannot be read as a PDF"),
    ],
)
def test_unreadable_files_raise_source_read_error(tmp_path, content, reason):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    started = time.monotonic()
    with pytest.raises(met_pdf.SourceReadError, match=reason) as caught:
        met_pdf.parse_pdf(path)
    assert "broken.pdf" in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert time.monotonic() - started < 10


def test_missing_file_raises_source_read_error(tmp_path):
    with pytest.raises(met_pdf.SourceReadError, match="file not found"):
        met_pdf.parse_pdf(tmp_path / "absent.pdf")


def test_truncated_copy_of_a_synthetic_pdf_is_refused(tmp_path):
    row = ["Camden", "06/04/23", "5h03m", "Crime Hotspot", "9764", "0.6"]
    row += ["1", "1", "0", "0", "0", "0%", "1", "0", "0", "5460"]
    whole = draw_table_pdf(tmp_path / "whole.pdf", SPLIT_HEADER_2025, [row]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(met_pdf.SourceReadError, match="cut.pdf: the PDF is truncated"):
        met_pdf.parse_pdf(cut)


# --------------------------------------------------------------- quirk flagging


def _row(day, watchlist=15000, other=1, no_action=2, alerts=1, true=1, false=0):
    values = {
        "date": day,
        "watchlist_size": watchlist,
        "other_disposals": other,
        "no_action": no_action,
        "alerts": alerts,
        "true_alerts": true,
        "false_alerts": false,
    }
    return met_pdf.ParsedRow(values=values, page=1, number=1, layout="grid_2023_24")


def test_flag_quirks_sets_each_flag_on_the_right_row():
    rows = [
        _row(date(2024, 7, 1)),
        _row(date(2024, 7, 3), watchlist=19000),
        _row(date(2023, 7, 4)),
        _row(date(2024, 7, 5), alerts=1, true=2, false=0),
        _row(date(2024, 7, 5)),
    ]
    met_pdf.flag_quirks(rows)
    assert rows[0].flags == []
    assert rows[1].flags == ["watchlist_size_outlier"]
    assert rows[2].flags == ["date_out_of_sequence"]
    assert rows[3].flags == ["alert_split_inconsistent"]
    assert rows[4].flags == []


def test_identical_disposal_columns_flag_needs_every_row_equal():
    equal = [_row(date(2024, 1, d), other=d % 3, no_action=d % 3) for d in range(1, 6)]
    met_pdf.flag_quirks(equal)
    assert all("disposal_columns_identical" in r.flags for r in equal)
    mixed = [_row(date(2024, 1, d), other=d % 3, no_action=d % 2) for d in range(1, 6)]
    met_pdf.flag_quirks(mixed)
    assert not any("disposal_columns_identical" in r.flags for r in mixed)


def test_every_flag_the_parser_can_set_is_documented():
    parser_flags = {
        "arrests_include_disposals",
        "counts_printed_na",
        "location_split_across_pages",
        "location_incomplete",
        "alert_split_inconsistent",
        "disposal_columns_identical",
        "date_out_of_sequence",
        "watchlist_size_outlier",
    }
    assert parser_flags <= set(data.QUALITY_FLAGS)
    source = "".join(
        Path(module.__file__).read_text(encoding="utf-8") for module in (met_pdf, quirks)
    )
    for flag in parser_flags:
        assert f'"{flag}"' in source


# ------------------------------------------------------------- the Met's own PDFs


def _met_pdf(key: str) -> Path:
    document = met_sources.document_by_key(key)
    path = met_sources.find_document_file(document, paths.sources_dir())
    if path is None:
        pytest.skip(
            f"Met PDF {document.file_names[0]} not found in {paths.sources_dir()}; set "
            "LFR_SOURCES_DIR or run 'lfr-analysis data fetch'"
        )
    return path


@pytest.fixture(scope="session")
def parsed():
    """Parse each Met PDF once for the whole session: key -> ParsedDocument."""
    cache: dict[str, met_pdf.ParsedDocument] = {}

    def get(key: str) -> met_pdf.ParsedDocument:
        if key not in cache:
            cache[key] = met_pdf.parse_pdf(_met_pdf(key))
        return cache[key]

    return get


def _find(document: met_pdf.ParsedDocument, day: date, location: str) -> met_pdf.ParsedRow:
    found = [
        r for r in document.rows if r.values["date"] == day and r.values["location"] == location
    ]
    assert len(found) == 1, f"{len(found)} rows for {day} {location}"
    return found[0]


@pytest.mark.needs_sources
@pytest.mark.parametrize(
    ("key", "rows", "layout"),
    [("grid_2020_22", 9, "grid_2020_22"), ("grid_2023_24", 203, "grid_2023_24")]
    + [("record_2025", 74, "record_2025")],
)
def test_every_row_of_every_table_is_read(parsed, key, rows, layout):
    document = parsed(key)
    assert len(document.rows) == rows
    assert document.layouts == [layout]
    assert [r.number for r in document.rows] == list(range(1, rows + 1))


@pytest.mark.needs_sources
def test_spot_check_2020_22_rows(parsed):
    document = parsed("grid_2020_22")
    # Printed: Oxford Circus | 27/02/20 | 1, 2 | 7292 | 8 | 7 | 5 | 1 | 1 | 1 | 8600 | 0.08%
    row = _find(document, date(2020, 2, 27), "Oxford Circus").values
    assert row["purpose"] == "Purpose references: 1, 2"
    assert (row["watchlist_size"], row["alerts"], row["false_alerts"]) == (7292, 8, 7)
    assert (row["false_alert_engagements"], row["true_alerts"]) == (5, 1)
    assert (row["true_alert_engagements"], row["arrests"], row["faces_seen"]) == (1, 1, 8600)
    assert row["false_alert_rate_reported"] == "0.08%"
    # Printed: "Oxford Circus (technical fault stopped deployment)" | 21/02/20 | ... N/A
    stopped = document.rows[1]
    assert stopped.values["location"] == "Oxford Circus (technical fault stopped deployment)"
    assert stopped.values["alerts"] is None and stopped.values["faces_seen"] is None
    assert "counts_printed_na" in stopped.flags
    # Printed: Piccadilly Circus | 28/07/22 | 1, 2, 3 | 6858 | 1 | 0 | 0 | 1 | 0 | 0 | 16440
    last = document.rows[-1].values
    assert last["location"] == "Piccadilly Circus" and last["date"] == date(2022, 7, 28)
    assert (last["alerts"], last["true_alerts"], last["faces_seen"]) == (1, 1, 16440)


@pytest.mark.needs_sources
def test_spot_check_2023_24_rows(parsed):
    document = parsed("grid_2023_24")
    # Printed: Haringey, Love Lane | 06/11/23 | 5h57m | 1,2,3,4 | 12187 | 0.6 | 2 | 1 | 0 |
    #          1 | 0 | 0.01% | 0 | 1 | 1 | 8285
    row = _find(document, date(2023, 11, 6), "Haringey, Love Lane").values
    assert row["duration_minutes"] == 5 * 60 + 57
    assert (row["watchlist_size"], row["threshold"], row["alerts"]) == (12187, 0.6, 2)
    assert (row["true_alerts_confirmed"], row["true_alerts_unconfirmed"]) == (1, 0)
    assert (row["false_alerts_confirmed"], row["false_alerts_unconfirmed"]) == (1, 0)
    assert (row["true_alerts"], row["false_alerts"]) == (1, 1)
    assert row["false_alert_rate_reported"] == "0.01%"
    assert (row["arrests"], row["other_disposals"], row["no_action"]) == (0, 1, 1)
    assert row["faces_seen"] == 8285
    # Printed at the foot of page 6, "Belvedere" with "Rd, Waterloo" atop page 7:
    # 24/10/24 | 4h 10m | Crime Hotspot | 14858 | 0.64 | 0 ... | 10520
    split = _find(document, date(2024, 10, 24), "Belvedere Rd, Waterloo")
    assert split.page == 6
    assert "location_split_across_pages" in split.flags
    assert split.values["purpose"] == "LFR use case: Crime Hotspot"
    assert (split.values["duration_minutes"], split.values["faces_seen"]) == (250, 10520)
    # Printed: Rushey Green, Catford | 20/12/24 | 5h 23m | ... | 15229 | 0.64 | 3 ... | 5180
    last = document.rows[-1]
    assert last.values["location"] == "Rushey Green, Catford"
    assert (last.values["watchlist_size"], last.values["faces_seen"]) == (15229, 5180)


@pytest.mark.needs_sources
def test_2023_24_known_quirks_are_flagged(parsed):
    document = parsed("grid_2023_24")
    # 10/01/24 Westminster prints 1 alert but 1 confirmed + 1 unconfirmed true alert.
    odd = _find(document, date(2024, 1, 10), "Westminster")
    assert (odd.values["alerts"], odd.values["true_alerts"]) == (1, 2)
    assert "alert_split_inconsistent" in odd.flags
    # 11/07/23 Dalston sits among July 2024 rows with the 11/07/24 Hackney settings.
    dated = _find(document, date(2023, 7, 11), "Dalston")
    hackney = _find(document, date(2024, 7, 11), "Hackney")
    assert "date_out_of_sequence" in dated.flags
    assert dated.values["watchlist_size"] == hackney.values["watchlist_size"] == 15695
    assert dated.values["threshold"] == hackney.values["threshold"] == 0.62
    assert all("disposal_columns_identical" in r.flags for r in document.rows)
    assert sum("alert_split_inconsistent" in r.flags for r in document.rows) == 1
    assert sum("date_out_of_sequence" in r.flags for r in document.rows) == 1
    # Printed at the foot of page 7 as "Powis St," with nothing after the comma.
    cut = _find(document, date(2024, 12, 12), "Powis St,")
    assert "location_incomplete" in cut.flags
    assert {r.values["threshold"] for r in document.rows} == {0.6, 0.62, 0.64}


@pytest.mark.needs_sources
def test_spot_check_2025_rows(parsed):
    document = parsed("record_2025")
    # Printed: Town Sq, Walthamstow | 22/01/25 | 4hr 22m | Crime Hotspot | 14919 | 0.64 |
    #          13 | 12 | 0 | 1 | 0 | 0.008% | 6 | 1 | 5 | 12120
    row = _find(document, date(2025, 1, 22), "Town Sq, Walthamstow").values
    assert row["duration_minutes"] == 262
    assert (row["alerts"], row["true_alerts"], row["false_alerts"]) == (13, 12, 1)
    assert (row["arrests"], row["other_disposals"], row["no_action"]) == (6, 1, 5)
    assert row["faces_seen"] == 12120 and row["false_alert_rate_reported"] == "0.008%"
    # Printed with a thousands separator: Hammersmith Broadway | 19/02/25 | ... | 21,940
    assert _find(document, date(2025, 2, 19), "Hammersmith Broadway").values["faces_seen"] == 21940
    # 02/05/25: Bond St Stn prints 19199; London Rd, Croydon the same day 16199.
    bond = _find(document, date(2025, 5, 2), "Bond St Stn")
    croydon = _find(document, date(2025, 5, 2), "London Rd, Croydon")
    assert bond.values["watchlist_size"] == 19199 and croydon.values["watchlist_size"] == 16199
    assert bond.flags == ["watchlist_size_outlier"]
    assert croydon.flags == []
    assert {r.values["threshold"] for r in document.rows} == {0.64}


@pytest.mark.needs_sources
def test_committed_deployments_match_the_pdfs(parsed):
    documents = [(d, parsed(d.key)) for d in met_sources.SOURCE_DOCUMENTS if d.required]
    built = assemble.build_deployments(documents, assemble.Inputs.load())
    rebuilt = assemble.table_text(built)
    committed = (paths.data_dir() / deployments_dataset.FILE).read_text(encoding="utf-8")
    differences = rebuild_cli.row_diff(committed, rebuilt)
    assert differences == [], "\n".join(differences[:20])
    assert committed == rebuilt


@pytest.mark.needs_sources
def test_known_checksums_match_the_pdfs_found():
    for document in met_sources.SOURCE_DOCUMENTS:
        path = met_sources.find_document_file(document, paths.sources_dir())
        if path is None:
            if document.required:
                pytest.skip(f"{document.file_names[0]} not found in {paths.sources_dir()}")
            continue
        assert met_sources.sha256_file(path) in document.known_versions


@pytest.mark.needs_sources
def test_data_build_check_passes_then_reports_a_row_level_diff(
    parsed, tmp_path, monkeypatch, capsys
):
    sources = _met_pdf("grid_2020_22").parent
    cached = [(d, parsed(d.key)) for d in met_sources.SOURCE_DOCUMENTS if d.required]
    monkeypatch.setattr(rebuild_cli, "parse_sources", lambda *args: cached)
    assert rebuild_cli.main(["build", "--check", "--sources", str(sources)]) == 0
    assert "matches the sources" in capsys.readouterr().out

    copy = tmp_path / "data"
    copy.mkdir()
    for path in paths.data_dir().glob("*.*"):
        (copy / path.name).write_bytes(path.read_bytes())
    committed = copy / deployments_dataset.FILE
    text = committed.read_text(encoding="utf-8")
    committed.write_text(text.replace(",2020-02-11,Stratford,", ",2020-02-11,Stratford East,"))
    monkeypatch.setenv("LFR_DATA_DIR", str(copy))
    assert rebuild_cli.main(["build", "--check", "--sources", str(sources)]) == 1
    out = capsys.readouterr().out
    assert (
        "~ MET-2020-02-11-stratford: location committed 'Stratford East', sources 'Stratford'"
        in out
    )
    assert committed.read_text(encoding="utf-8") != text  # --check writes nothing


def _text_line_values(line: str, key: str) -> list:
    """Read the numbers of one printed row from its plain-text line, right to left."""
    tail = line.split()
    if key == "grid_2020_22":
        nums = tail[-9:]
        return [int(x) for x in nums[:8]] + [nums[8]]
    nums = tail[-12:]
    counts = [int(x) for x in nums[2:7]]
    return [int(nums[0]), float(nums[1]), *counts, nums[7]] + [
        int(x.replace(",", "")) for x in nums[8:]
    ]


def _table_values(values: dict, key: str) -> list:
    if key == "grid_2020_22":
        names = ["watchlist_size", "alerts", "false_alerts", "false_alert_engagements"]
        names += ["true_alerts", "true_alert_engagements", "arrests", "faces_seen"]
        names += ["false_alert_rate_reported"]
    else:
        names = ["watchlist_size", "threshold", "alerts", "true_alerts_confirmed"]
        names += ["true_alerts_unconfirmed", "false_alerts_confirmed", "false_alerts_unconfirmed"]
        names += ["false_alert_rate_reported", "arrests", "other_disposals", "no_action"]
        names += ["faces_seen"]
    return [values[name] for name in names]


@pytest.mark.needs_sources
@pytest.mark.parametrize("key", ["grid_2020_22", "record_2025"])
def test_table_reading_agrees_with_the_plain_text_of_each_row(parsed, key):
    """A second, independent route: pdfplumber's text lines, read right to left."""
    import pdfplumber

    document = parsed(key)
    with pdfplumber.open(_met_pdf(key)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    lines = [line for line in text.splitlines() if re.search(r"\b\d\d/\d\d/\d\d\b", line)]
    assert len(lines) == len(document.rows)
    compared = 0
    for line, row in zip(lines, document.rows, strict=True):
        assert row.values["date"].strftime("%d/%m/%y") in line
        if "N/A" in line:
            continue
        assert _text_line_values(line, key) == _table_values(row.values, key), line
        compared += 1
    assert compared == len(document.rows) - (1 if key == "grid_2020_22" else 0)


@pytest.mark.parametrize(
    ("printed", "false_alerts", "faces_seen", "agrees"),
    [
        ("0.03%", 1, 3200, True),  # 0.03125% rounds to 0.03%
        ("0.08%", 1, 1123, True),  # 0.0890% truncated, as the Met sometimes prints
        ("0.09%", 1, 1123, True),  # ... or rounded
        ("0.01%", 1, 3940, False),  # 0.0254%: neither reading gives 0.01%
        ("0%", 0, 5000, True),
        ("0%", 1, 5000, True),  # 0.02% truncated to whole percent
        ("1%", 1, 5000, False),
        ("N/A", 1, 5000, True),  # not a number: nothing to compare
    ],
)
def test_printed_rate_matches_by_rounding_or_truncation(printed, false_alerts, faces_seen, agrees):
    assert met_pdf.printed_rate_matches(printed, false_alerts, faces_seen) is agrees


def test_printed_rate_inconsistent_flags_only_croydon_george_st():
    frame = data.load_deployments(include_secondary=False)
    flagged = frame[frame["quality_flags"].fillna("").str.contains("printed_rate_inconsistent")]
    assert list(flagged["deployment_id"]) == ["MET-2023-12-07-croydon-george-st"]
