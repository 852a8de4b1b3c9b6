"""The record's contract: printed and corrected values, tiers, boroughs, sources, revisions.

What other code relies on (``date_as_printed`` beside ``date``, ``corrected_<field>``
flags, the tiers and their measured disagreement, the borough gazetteer, the BTP file),
and the data command's handling of new versions: the registry ``fetch`` keeps, the
revision log ``build`` writes for two synthetic versions of one record, the committed
files read by the loaders' own decoding rules, and ``import-reference --check``.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from pdf_factory import HEADER_2025, grid_pdf, row_2025

from lfr_analysis import data, datasets, paths
from lfr_analysis.datasets import (
    borough_gazetteer,
    corrections,
    deployments,
    pdf_transcriptions,
    source_registry,
)
from lfr_analysis.datasets import sources as met_sources
from lfr_analysis.datasets.reader import DataValidationError
from lfr_analysis.rebuild import assemble, fetch, met_pdf, quirks, revisions
from lfr_analysis.rebuild import cli as rebuild_cli


@pytest.fixture(scope="module")
def record():
    return data.load_deployments()


# ------------------------------------------------------------- printed and corrected


def test_date_as_printed_sits_beside_date(record):
    columns = list(record.columns)
    assert columns.index("date_as_printed") == columns.index("date") + 1
    differs = record["date"] != record["date_as_printed"]
    flagged = record["quality_flags"].fillna("").str.contains("corrected_date")
    assert (differs == flagged).all()
    assert list(record.loc[differs, "deployment_id"]) == ["MET-2023-07-11-dalston"]


def test_dalston_is_corrected_to_july_2024_and_keeps_its_id(record):
    row = record.set_index("deployment_id").loc["MET-2023-07-11-dalston"]
    assert row["date"] == pd.Timestamp("2024-07-11")
    assert row["date_as_printed"] == pd.Timestamp("2023-07-11")
    assert {"corrected_date", "date_out_of_sequence"} <= set(row["quality_flags"].split(";"))
    primary = record[record["source_type"] == "primary"]
    per_year = primary.groupby(primary["date"].dt.year).size()
    assert (per_year[2023], per_year[2024]) == (23, 180), "Garbett AM's Table 1"
    printed = primary.groupby(primary["date_as_printed"].dt.year).size()
    assert (printed[2023], printed[2024]) == (24, 179)


def test_corrections_list_their_evidence_and_sources(record):
    table = data.corrections_applied(record)
    (fix,) = table.itertuples(index=False)
    assert (fix.value_as_printed, fix.corrected_value, fix.value_used) == (
        "2023-07-11",
        "2024-07-11",
        "2024-07-11",
    )
    for needle in ("0.62", "15,695", "23", "180"):
        assert needle in fix.evidence
    assert "garbett-2023-deployments" in fix.sources and "garbett-2024-deployments" in fix.sources
    figures = data.load_published_figures().set_index("figure_id")
    assert figures.loc["garbett-2023-deployments", "value"] == 23


def test_a_correction_whose_printed_value_changed_stops_the_build():
    rows = [{"deployment_id": "A", "date": date(2023, 7, 11), "date_as_printed": date(2023, 7, 12)}]
    fixes = pd.DataFrame(
        [
            {
                "deployment_id": "A",
                "field": "date",
                "value_as_printed": "2023-07-11",
                "corrected_value": "2024-07-11",
            }
        ]
    )
    with pytest.raises(ValueError, match="line 2, column 'value_as_printed': value '2023-07-11'"):
        assemble.apply_corrections(rows, fixes)
    with pytest.raises(ValueError, match="no such deployment"):
        assemble.apply_corrections([], fixes)


def test_corrections_file_refuses_unknown_fields_and_no_op_corrections(tmp_path):
    path = tmp_path / corrections.FILE
    shutil.copy(paths.data_dir() / corrections.FILE, path)
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "corrected_value"] = frame.loc[0, "value_as_printed"]
    frame.loc[1] = frame.loc[0]
    frame.loc[1, ["deployment_id", "field"]] = ["MET-2024-07-11-hackney", "location"]
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(DataValidationError) as caught:
        corrections.load(path, verify_checksum=False)
    text = str(caught.value)
    assert "line 2, column 'corrected_value'" in text and "equals the printed value" in text
    assert "line 3, column 'field': value 'location'" in text


def test_a_date_differing_from_print_without_the_flag_is_refused(tmp_path):
    path = tmp_path / deployments.FILE
    text = (paths.data_dir() / deployments.FILE).read_text(encoding="utf-8")
    path.write_text(text.replace("corrected_date", "disposal_columns_identical"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="not flagged corrected_date"):
        deployments.load(path=path, verify_checksum=False)


def test_hounslow_outcomes_above_alerts_are_flagged(record):
    flagged = record[record["quality_flags"].fillna("").str.contains("outcomes_exceed_alerts")]
    assert list(flagged["deployment_id"]) == ["MET-2025-03-07-high-st-hounslow"]
    row = flagged.iloc[0]
    assert (row["alerts"], row["arrests"] + row["other_disposals"] + row["no_action"]) == (7, 8)


# ----------------------------------------------------------------------- tiers


def test_tier_counts_and_data_as_of(record):
    assert data.source_type_counts(record) == {"primary": 286, "secondary": 252}
    assert data.source_type_counts(record.iloc[:0]) == {"primary": 0, "secondary": 0}
    with pytest.raises(ValueError, match="not tiers"):
        data.source_type_counts(record.assign(source_type="rumour"))
    as_of = data.data_as_of(record).set_index(["source", "tier"])["last_date"]
    assert as_of[("all sources", "primary")] == pd.Timestamp("2025-05-10")
    assert as_of[("all sources", "secondary")] == pd.Timestamp("2026-04-17")
    assert as_of[("lfr-deployment-grid-2023-to-2024.pdf", "primary")] == pd.Timestamp("2024-12-20")


def test_the_transcriptions_disagreement_with_the_pdfs_is_measured(record):
    differences, summary = data.transcription_disagreement(record)
    row = summary.iloc[0]
    assert (row["rows_compared"], row["rows_differing"]) == (74, 10)
    assert (row["alerts"], row["arrests"], row["faces_seen"]) == (7, 1, 0)
    assert row["rows_with_note_conflicts"] == 3
    ilford = differences[differences["deployment_id"] == "MET-2025-02-21-high-st-ilford"]
    assert ilford[["field", "transcribed", "printed"]].values.tolist() == [["arrests", 8, 7]]
    manifest = datasets.build_manifest()
    assert (
        "differs from the PDF on 10 rows: 7 total-alert counts, 1 arrest"
        in (manifest["description"])
    )
    assert "primary rows to 2025-05-10" in manifest["description"]


def test_false_alerts_from_a_printed_zero_carry_their_bound(record):
    derived = record["quality_flags"].fillna("").str.contains("false_alerts_derived_from_rate")
    bound = record["false_alerts_upper_bound"]
    assert bound[derived].notna().all()
    assert bound[~derived].isna().all()
    expected = (record.loc[derived, "faces_seen"] + 99) // 100 - 1
    assert (bound[derived].dropna() == expected[bound[derived].notna()]).all()
    assert (bound[derived].dropna() >= record.loc[derived, "false_alerts"][bound.notna()]).all()


@pytest.mark.parametrize(
    ("printed", "faces", "bound"),
    [("0%", 36140, 361), ("0%", 36100, 360), ("0%", 99, 0), ("0.01%", 10000, 1), ("n/a", 10, None)],
)
def test_rate_upper_bound(printed, faces, bound):
    assert quirks.rate_upper_bound(printed, faces) == bound


# --------------------------------------------------------------------- boroughs


def test_at_least_95_percent_of_primary_rows_carry_a_borough_with_its_basis(record):
    primary = record[record["source_type"] == "primary"]
    with_borough = primary["borough"].notna()
    assert with_borough.mean() >= 0.95
    assert (primary["borough_basis"].notna() == with_borough).all()
    ambiguous = primary[primary["quality_flags"].fillna("").str.contains("borough_ambiguous")]
    assert sorted(ambiguous["location"]) == ["Clapham Common", "Kings Cross", "Kings Cross"]
    assert ambiguous["borough"].isna().all()
    assert set(record["borough"].dropna()) <= set(borough_gazetteer.LONDON_BOROUGHS)


def test_gazetteer_rows_are_cited_and_used(record):
    gazetteer = data.load_gazetteer()
    assert gazetteer["status"].value_counts().to_dict() == {"resolved": 56, "ambiguous": 2}
    assert set(gazetteer["location"]) <= set(record["location"])
    assert gazetteer["source"].notna().all() and gazetteer["basis"].notna().all()
    basis = record.loc[record["location"] == "Acton", "borough_basis"].iloc[0]
    assert basis.startswith(f"borough_gazetteer.csv {borough_gazetteer.VERSION}: Zoë Garbett")


def test_gazetteer_refuses_a_borough_that_is_not_one(tmp_path):
    path = tmp_path / borough_gazetteer.FILE
    text = (paths.data_dir() / borough_gazetteer.FILE).read_text(encoding="utf-8")
    path.write_text(text.replace(",Ealing,resolved,", ",Ealling,resolved,", 1), encoding="utf-8")
    with pytest.raises(DataValidationError, match="'Ealling': is not a London borough"):
        borough_gazetteer.load(path, verify_checksum=False)


# ------------------------------------------------------------- other publishers


def test_btp_rows_are_in_their_own_file_and_the_met_file_holds_only_the_met(record):
    btp = data.load_btp_deployments()
    assert len(btp) == 22 and set(btp["force"]) == {"British Transport Police"}
    assert btp["deployment_id"].str.startswith("BTP-").all()
    assert (btp["date"].min(), btp["date"].max()) == (
        pd.Timestamp("2026-02-11"),
        pd.Timestamp("2026-08-27"),
    )
    assert set(record["force"]) == {"Metropolitan Police Service"}
    kings_cross = btp[btp["date"] == "2026-02-24"].iloc[0]
    assert (kings_cross["alerts"], kings_cross["false_alerts"]) == (1, 1)
    assert kings_cross["false_alert_rate_reported"] == "0.00517%"


def test_a_pdf_present_replaces_the_transcribed_rows_it_covers(tmp_path):
    inputs = replace(assemble.Inputs.load(), corrections=None)  # no 2023-24 grid here
    rows = [row_2025("Wood Green", "06/01/26"), row_2025("Dagenham Heathway", "29/01/26")]
    pdf = grid_pdf(tmp_path / "2026.pdf", [{"header": HEADER_2025, "rows": rows}])
    record_2026 = met_sources.document_by_key("record_2026")
    without = assemble.build_deployments([], inputs)
    with_pdf = assemble.build_deployments([(record_2026, met_pdf.parse_pdf(pdf))], inputs)
    in_2026 = with_pdf[with_pdf["source_document"] == "record_2026"]
    primary = in_2026[in_2026["source_type"] == "primary"]
    assert list(primary["location"]) == ["Wood Green", "Dagenham Heathway"]
    later = in_2026[in_2026["source_type"] == "secondary"]
    assert later["date"].min() > pd.Timestamp("2026-01-29")
    before = without[without["source_document"] == "record_2026"]
    replaced = before[before["date"] <= pd.Timestamp("2026-01-29")]
    assert len(in_2026) == len(before) - len(replaced) + 2


def test_transcribed_cells_equal_the_pdf_when_it_is_present():
    document = met_sources.document_by_key("record_2025")
    path = paths.sources_dir() / "lfr-deployment-grid.pdf"
    if not path.is_file():
        pytest.skip(f"the 15 July 2025 PDF ({document.file_names[1]}) is not in the sources")
    parsed = met_pdf.parse_pdf(path)
    cells = pdf_transcriptions.load()
    assert parsed.sha256 == cells["version_sha256"].iloc[0]
    for row, record in zip(parsed.rows, cells.itertuples(index=False), strict=True):
        printed = ["" if pd.isna(v) else v for v in record[6:22]]
        assert row.cells == printed


# ------------------------------------------------------------------ the registry


class Response(io.BytesIO):
    def __init__(self, content: bytes, url: str):
        super().__init__(content)
        self._url = url

    def geturl(self):
        return self._url

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


def _document(key, urls, required=True):
    return met_sources.SourceDocument(
        key=key,
        title=f"record {key}",
        url=urls[0],
        alternate_urls=tuple(urls[1:]),
        file_names=(f"{key}.pdf",),
        required=required,
    )


def test_fetch_tries_alternates_and_records_ok_moved_unavailable(tmp_path):
    pdf = b"%PDF-1.7 a record\n%%EOF\n"
    served = {
        "https://a/main.pdf": OSError("HTTP Error 404: Not Found"),
        "https://a/alt.pdf": Response(pdf, "https://a/alt.pdf"),
        "https://b/old.pdf": Response(pdf + b"v2", "https://b/new.pdf"),
        "https://c/gone": Response(b"<html>Access denied</html>", "https://c/gone"),
    }

    def opener(request):
        answer = served[request.full_url]
        if isinstance(answer, Exception):
            raise answer
        return answer

    documents = (
        _document("a", ["https://a/main.pdf", "https://a/alt.pdf"]),
        _document("b", ["https://b/old.pdf"]),
        _document("c", ["https://c/gone"], required=False),
    )
    registry = tmp_path / "registry.csv"
    report = fetch.fetch(
        tmp_path, opener, registry=registry, today="2026-12-01", documents=documents
    )
    assert report[2].startswith("c.pdf: not available")
    rows = {r["url"]: r for r in csv.DictReader(registry.open(encoding="utf-8"))}
    assert rows["https://a/main.pdf"]["status"] == "moved"
    assert "served at https://a/alt.pdf" in rows["https://a/main.pdf"]["note"]
    assert rows["https://a/alt.pdf"]["status"] == "ok"
    assert rows["https://b/old.pdf"]["status"] == "moved"
    assert "redirected to https://b/new.pdf" in rows["https://b/old.pdf"]["note"]
    assert rows["https://c/gone"]["status"] == "unavailable"
    assert all(r["retrieved"] == "2026-12-01" for r in rows.values())
    assert (tmp_path / "a.pdf").read_bytes() == pdf
    source_registry.load(registry, verify_checksum=False)


def test_fetch_knows_the_current_addresses_and_their_alternates():
    record_2025 = met_sources.document_by_key("record_2025")
    assert len(record_2025.urls) == 4
    assert record_2025.urls[-1].endswith("/deployment-records/lfr-deployment-grid.pdf")
    assert met_sources.document_by_key("record_2026").url.endswith("record-2026")
    btp = met_sources.document_by_key("btp_register")
    assert btp.publisher == "British Transport Police" and not btp.required
    registry = data.load_source_registry()
    assert set(registry["status"]) == {"ok", "moved", "unavailable"}


# -------------------------------------------------------------------- revisions


def _version(tmp_path, name, rows):
    pdf = grid_pdf(tmp_path / name, [{"header": HEADER_2025, "rows": rows}])
    return met_pdf.parse_pdf(pdf)


V1 = [
    row_2025("Barking", "10/05/25"),
    row_2025("Oxford Circus", "13/05/25"),
    row_2025("Camden", "14/05/25"),
]
V2 = [
    row_2025("Station Parade,\nBarking", "10/05/25"),  # the location text edited
    [*row_2025("Oxford Circus", "13/05/25")[:6], "9", "9", *row_2025("x", "x")[8:]],  # 9 alerts
    row_2025("Wood Green", "20/05/25"),  # Camden removed, Wood Green added
]


def test_two_versions_of_one_record_give_a_field_by_field_log(tmp_path):
    source = met_sources.document_by_key("record_2025")
    old = assemble.table_text(
        assemble.build_deployments([(source, _version(tmp_path, "v1.pdf", V1))])
    )
    new = assemble.table_text(
        assemble.build_deployments([(source, _version(tmp_path, "v2.pdf", V2))])
    )
    entries = revisions.compare_tables(old, new, "deployments.csv")
    by = {(e["deployment_id"], e["field"]): e for e in entries}
    renamed = by[("MET-2025-05-10-station-parade-barking", "deployment_id")]
    assert (renamed["change"], renamed["old"]) == ("changed", "MET-2025-05-10-barking")
    assert by[("MET-2025-05-10-station-parade-barking", "location")]["new"] == (
        "Station Parade, Barking"
    )
    alerts = by[("MET-2025-05-13-oxford-circus", "alerts")]
    assert (alerts["old"], alerts["new"]) == ("8", "9")
    assert alerts["old_source_sha256"] != alerts["new_source_sha256"]
    assert by[("MET-2025-05-14-camden", "location")]["change"] == "removed"
    assert by[("MET-2025-05-20-wood-green", "faces_seen")]["change"] == "added"
    assert by[("MET-2025-05-20-wood-green", "faces_seen")]["old_source_sha256"] == ""
    assert not any(e["field"] in revisions.IGNORED for e in entries)
    assert revisions.compare_tables(old, old, "deployments.csv") == []
    log = revisions.merge_log(revisions.merge_log("", entries), entries)
    assert log.count("\n") == len(entries) + 1


def test_data_build_writes_the_log_and_prints_ledger_status_changes(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder, ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("LFR_DATA_DIR", str(folder))
    monkeypatch.setattr(assemble.Inputs, "load", classmethod(lambda cls, *a, **k: cls()))
    record = replace(
        met_sources.document_by_key("record_2025"), file_names=("record.pdf",), required=True
    )
    sources = tmp_path / "sources"
    sources.mkdir()

    def ledger(figures, table):
        status = "reproduced" if len(table) == 3 and table["alerts"].sum() > 24 else "close"
        return pd.DataFrame({"figure_id": ["fig-a", "fig-b"], "status": [status, "close"]})

    grid_pdf(sources / "record.pdf", [{"header": HEADER_2025, "rows": V1}])
    assert rebuild_cli.main(["build", "--sources", str(sources)], documents=(record,)) == 0
    grid_pdf(sources / "record.pdf", [{"header": HEADER_2025, "rows": V2}])
    assert (
        rebuild_cli.main(["build", "--sources", str(sources)], documents=(record,), ledger=ledger)
        == 0
    )
    out = capsys.readouterr().out
    assert "record.pdf: 3 rows, NEW VERSION" in out
    assert "rows per page: page 1: 3" in out
    assert "published figures whose ledger status changes (1):\n  fig-a: close -> reproduced" in out
    log = data.load_revisions(folder / "revisions.csv", verify_checksum=False)
    assert ("MET-2025-05-13-oxford-circus", "alerts", "8", "9") in set(
        log[["deployment_id", "field", "old", "new"]].itertuples(index=False, name=None)
    )
    assert rebuild_cli.main(["build", "--sources", str(sources)], documents=(record,)) == 0
    assert "nothing changed" in capsys.readouterr().out


# ------------------------------------------------------- decoding committed files


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder, ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("LFR_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def parsed_pdfs():
    folder = paths.sources_dir()
    found = []
    for document in met_sources.SOURCE_DOCUMENTS:
        path = met_sources.find_document_file(document, folder)
        if path is None and document.required:
            pytest.skip(f"Met PDFs not found in {folder}; set LFR_SOURCES_DIR")
        if path is not None:
            found.append((document, met_pdf.parse_pdf(path)))
    return found


@pytest.mark.needs_sources
def test_check_reads_a_bom_file_by_the_loaders_rules_and_build_repairs_it(
    data_copy, parsed_pdfs, monkeypatch, capsys
):
    monkeypatch.setattr(rebuild_cli, "parse_sources", lambda *args: parsed_pdfs)
    target = data_copy / deployments.FILE
    original = target.read_bytes()
    target.write_bytes(b"\xef\xbb\xbf" + original)
    assert rebuild_cli.main(["build", "--check"]) == 1
    out = capsys.readouterr().out
    assert "deployments.csv: the rows match the sources, but the file's bytes differ" in out
    assert "in the sources, not in the committed file" not in out
    assert rebuild_cli.main(["build"]) == 0
    assert target.read_bytes() == original


@pytest.mark.needs_sources
def test_check_names_a_file_that_is_not_utf8_and_build_repairs_it(
    data_copy, parsed_pdfs, monkeypatch, capsys
):
    monkeypatch.setattr(rebuild_cli, "parse_sources", lambda *args: parsed_pdfs)
    target = data_copy / deployments.FILE
    original = target.read_bytes()
    target.write_bytes(original.replace("Zoë".encode(), "Zoë".encode("latin-1")))
    assert rebuild_cli.main(["build", "--check"]) == 1
    out = capsys.readouterr().out
    assert "deployments.csv cannot be compared: 1 problem(s) in data/deployments.csv" in out
    assert "is not valid UTF-8" in out and "line " in out
    assert rebuild_cli.main(["build"]) == 0
    out = capsys.readouterr().out
    assert "the committed file could not be read" in out and "rewriting it" in out
    assert target.read_bytes() == original


# ------------------------------------------------------------ import-reference


def test_import_reference_check_compares_and_writes_nothing(data_copy, capsys, tmp_path):
    reference = rebuild_cli.reference_dir() / rebuild_cli.REFERENCE_FILE
    if not reference.is_file():
        pytest.skip(f"compiled reference not found at {reference}")
    assert rebuild_cli.main(["import-reference", "--check", "--reference", str(reference)]) == 0
    assert "met_secondary_rows.csv matches" in capsys.readouterr().out
    target = data_copy / "met_secondary_rows.csv"
    edited = target.read_text(encoding="utf-8").replace(",36140,8,", ",36140,9,", 1)
    target.write_text(edited, encoding="utf-8")
    assert rebuild_cli.main(["import-reference", "--check", "--reference", str(reference)]) == 1
    out = capsys.readouterr().out
    assert "~ MET-T25-096: alerts committed '9', sources '8'" in out
    assert target.read_text(encoding="utf-8") == edited


def test_import_reference_check_without_the_reference(tmp_path, capsys):
    absent = tmp_path / "absent.csv"
    assert rebuild_cli.main(["import-reference", "--check", "--reference", str(absent)]) == 1
    assert "compiled reference not found" in capsys.readouterr().err
    argv = ["import-reference", "--check", "--skip-missing", "--reference", str(absent)]
    assert rebuild_cli.main(argv) == 0
    assert "skipped" in capsys.readouterr().out
