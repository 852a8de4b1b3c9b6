"""Tests of the deployment dataset: loaders, their errors on corrupted copies, the CLI."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date

import pandas as pd
import pytest

from lfr_analysis import data, paths
from lfr_analysis.datasets import deployments as deployments_dataset
from lfr_analysis.datasets import met_secondary_rows, other_deployments
from lfr_analysis.datasets import sources as met_sources
from lfr_analysis.datasets.reader import ChecksumError, DataValidationError
from lfr_analysis.rebuild import assemble
from lfr_analysis.rebuild import cli as rebuild_cli

ISSUE_COLUMNS = [
    "deployment_id",
    "force",
    "date",
    "location",
    "borough",
    "borough_basis",
    "purpose",
    "duration_minutes",
    "watchlist_size",
    "threshold",
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
    "false_alert_rate_reported",
    "source_type",
    "source_table",
    "source_url",
    "quality_flags",
]


@pytest.fixture(scope="module")
def deployments():
    return data.load_deployments()


# ------------------------------------------------------------------- the real files


def test_deployments_hold_every_primary_row_and_the_secondary_rows(deployments):
    counts = deployments["source_type"].value_counts()
    assert counts["primary"] == 9 + 203 + 74
    assert counts["secondary"] == 252
    assert deployments["deployment_id"].is_unique
    primary = deployments[deployments["source_type"] == "primary"]
    assert primary["date"].min() == pd.Timestamp("2020-02-11")
    assert primary["date"].max() == pd.Timestamp("2025-05-10")
    secondary = deployments[deployments["source_type"] == "secondary"]
    assert secondary["date"].min() > primary["date"].max()


def test_deployments_columns_and_types(deployments):
    assert [c for c in deployments.columns if c in ISSUE_COLUMNS] == ISSUE_COLUMNS
    for name in ("faces_seen", "alerts", "false_alerts", "arrests", "watchlist_size"):
        assert str(deployments[name].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(deployments["date"])
    assert deployments["threshold"].dtype == "float64"
    assert set(deployments["threshold"].dropna()) == {0.6, 0.62, 0.64}


def test_unknown_counts_are_missing_never_zero(deployments):
    flags = deployments["quality_flags"].fillna("")
    transcribed = deployments[flags.str.contains("secondary_transcription")]
    assert transcribed["watchlist_size"].isna().all()
    assert transcribed["threshold"].isna().all()
    cells = deployments[flags.str.contains("transcribed_pdf_cells")]
    assert len(cells) == 38 and cells["watchlist_size"].notna().all()
    stopped = deployments[deployments["quality_flags"].str.contains("counts_printed_na", na=False)]
    assert len(stopped) == 1
    assert stopped["alerts"].isna().all() and stopped["faces_seen"].isna().all()


def test_include_secondary_false_keeps_only_primary_rows(deployments):
    primary = data.load_deployments(include_secondary=False)
    assert len(primary) == 286
    assert set(primary["source_type"]) == {"primary"}
    assert primary.index.equals(pd.RangeIndex(286))


def test_include_secondary_must_be_bool():
    with pytest.raises(TypeError, match="include_secondary must be True or False"):
        data.load_deployments(include_secondary="no")


def test_flags_on_the_known_quirk_rows(deployments):
    by_id = deployments.set_index("deployment_id")["quality_flags"].fillna("")
    assert "date_out_of_sequence" in by_id["MET-2023-07-11-dalston"]
    assert "alert_split_inconsistent" in by_id["MET-2024-01-10-westminster"]
    assert "watchlist_size_outlier" in by_id["MET-2025-05-02-bond-st-stn"]
    assert "location_split_across_pages" in by_id["MET-2024-10-24-belvedere-rd-waterloo"]
    grid = deployments["source_table"].str.startswith("lfr-deployment-grid-2023-to-2024.pdf")
    assert deployments.loc[grid, "quality_flags"].str.contains("disposal_columns_identical").all()
    secondary = deployments["source_type"] == "secondary"
    tiers = deployments.loc[secondary, "quality_flags"]
    assert tiers.str.contains("secondary_transcription|transcribed_pdf_cells").all()


def test_other_deployments(deployments):
    other = data.load_other_deployments()
    assert len(other) == 30
    assert set(other["force"]) == {"Metropolitan Police Service", "South Wales Police"}
    assert other["notes"].notna().all()
    partial = other[other["deployment_id"] == "SWP-2023BEY"].iloc[0]
    assert pd.isna(partial["date"]) and partial["date_as_reported"] == "2023-05"
    # The Champions League FOI figures do not add up (173 + 2,554 != 2,632): flagged.
    ucl = other[other["deployment_id"] == "SWP-2017UCL-b"].iloc[0]
    assert (ucl["alerts"], ucl["true_alerts"], ucl["false_alerts"]) == (2632, 173, 2554)
    assert "alert_split_inconsistent" in ucl["quality_flags"]
    # News reports that contradict the Met's own table are kept beside it, flagged.
    news = other[other["quality_flags"].str.contains("contradicts_met_table", na=False)]
    assert set(news["deployment_id"]) == {"MET-NEWS-20220707", "MET-NEWS-20231214"}
    met_row = deployments[deployments["deployment_id"] == "MET-2022-07-07-oxford-circus"]
    assert met_row["faces_seen"].item() == 34286
    assert news.set_index("deployment_id").loc["MET-NEWS-20220707", "faces_seen"] == 15600


def test_secondary_rows_file_feeds_every_row_after_the_transcribed_pdf(deployments):
    secondary = data.load_secondary_rows()
    assert len(secondary) == 252
    assert secondary["record_id"].is_unique
    used = secondary[secondary["date"] > pd.Timestamp("2025-07-11")]
    flags = deployments["quality_flags"].fillna("")
    rows = deployments[flags.str.contains("secondary_transcription")]
    assert len(rows) == len(used) == 252 - 38
    assert rows["alerts"].sum() == used["alerts"].sum()
    assert rows["arrests"].sum() == used["arrests"].sum()


# ------------------------------------------------------------ corrupted copies


@pytest.fixture
def copy_of_data(tmp_path):
    """A copy of the data folder's deployment files and manifest; returns its path."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in (deployments_dataset.FILE, other_deployments.FILE, "datapackage.json"):
        shutil.copy(paths.data_dir() / name, folder / name)
    return folder


def _edit(path, row_index: int, column: str, value: str) -> int:
    """Set one cell (data row ``row_index``, 0-based) and return its file line."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[row_index + 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return row_index + 2


def _problem_texts(error: DataValidationError) -> list[str]:
    return [str(p) for p in error.problems]


def test_negative_count_is_reported_with_file_line_column_value(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    line = _edit(path, 10, "faces_seen", "-5")
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.value) == (line, "faces_seen", -5)
    assert "deployments.csv" in str(caught.value) and f"line {line}" in str(caught.value)


def test_text_in_a_count_is_an_error_not_coerced(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    line = _edit(path, 3, "alerts", "eight")
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    assert f"line {line}, column 'alerts': value 'eight'" in str(caught.value)


def test_missing_column_is_named(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["arrests"])
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(DataValidationError, match="column 'arrests': column is missing"):
        data.load_deployments(path=path)


def test_duplicate_id_is_reported(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    first = pd.read_csv(path, dtype=str, keep_default_na=False)["deployment_id"][0]
    line = _edit(path, 5, "deployment_id", first)
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    assert any(p.column == "deployment_id" and p.line == line for p in caught.value.problems)


def test_truncated_file_is_reported_at_its_last_line(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    text = path.read_text(encoding="utf-8")
    # cut mid-row: just after the id (never quoted) of a row near the middle
    cut = text.index(",", text.index("\n", len(text) // 2) + 1) + 1
    path.write_text(text[:cut], encoding="utf-8", newline="")
    last_line = text[:cut].count("\n") + 1
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    assert any(p.line == last_line for p in caught.value.problems)


def test_edited_but_valid_file_fails_the_checksum_and_says_how_to_refresh(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    _edit(path, 0, "location", "Stratford Broadway")
    with pytest.raises(ChecksumError) as caught:
        data.load_deployments(path=path)
    assert "deployments.csv" in str(caught.value)
    assert "lfr-analysis data manifest" in str(caught.value)


def test_alert_split_that_fails_without_a_flag_is_a_problem(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = frame.index[frame["deployment_id"] == "MET-2024-01-10-westminster"][0]
    line = _edit(path, index, "quality_flags", "disposal_columns_identical")
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (line, "alerts")
    assert "not flagged alert_split_inconsistent" in problem.message


def test_every_problem_is_reported_at_once(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    lines = [
        _edit(path, 1, "threshold", "0.9"),
        _edit(path, 2, "date", "2015-06-01"),
        _edit(path, 3, "source_type", "rumour"),
        _edit(path, 4, "quality_flags", "looks_odd"),
    ]
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    texts = _problem_texts(caught.value)
    joined = "\n".join(texts)
    assert {p.line for p in caught.value.problems} == set(lines)
    assert "'threshold': value '0.9'" in joined and "'date'" in joined
    assert "'source_type': value 'rumour'" in joined
    assert "'quality_flags': value 'looks_odd'" in joined


def test_relation_checks_report_unknown_flag_and_false_alerts_above_faces(copy_of_data):
    path = copy_of_data / deployments_dataset.FILE
    flag_line = _edit(path, 4, "quality_flags", "looks_odd")
    faces_line = _edit(path, 20, "faces_seen", "0")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    false_alerts = int(frame["false_alerts"][20])
    with pytest.raises(DataValidationError) as caught:
        data.load_deployments(path=path)
    found = {(p.line, p.column) for p in caught.value.problems}
    assert (flag_line, "quality_flags") in found
    assert ((faces_line, "false_alerts") in found) == (false_alerts > 0)


def test_other_deployments_loader_validates_too(copy_of_data):
    path = copy_of_data / other_deployments.FILE
    line = _edit(path, 0, "arrests", "-1")
    with pytest.raises(DataValidationError, match=f"line {line}, column 'arrests'"):
        data.load_other_deployments(path=path)


# ----------------------------------------------------------------- building blocks


def test_slug_and_ids_are_stable_and_unique():
    assert assemble.slug("Rye Lane, Peckham") == "rye-lane-peckham"
    assert assemble.slug("Tooting B’Way") == "tooting-bway"
    rows = [
        {"date": date(2024, 2, 23), "location": "London Bridge"},
        {"date": date(2024, 2, 23), "location": "London Bridge"},
        {"date": date(2024, 2, 24), "location": "London Bridge"},
    ]
    assemble.assign_ids(rows)
    assert [r["deployment_id"] for r in rows] == [
        "MET-2024-02-23-london-bridge",
        "MET-2024-02-23-london-bridge-2",
        "MET-2024-02-24-london-bridge",
    ]


def test_named_borough_only_when_the_full_name_is_printed():
    assert assemble.named_borough("Croydon, Northend") == "Croydon"
    assert assemble.named_borough("Westminster, The Mall") == "Westminster"
    assert assemble.named_borough("Powis St, Woolwich") is None
    assert assemble.named_borough("Hammersmith Broadway") is None


def test_format_cell():
    assert assemble.format_cell(None) == ""
    assert assemble.format_cell(pd.NA) == ""
    assert assemble.format_cell(0.64) == "0.64"
    assert assemble.format_cell(12) == "12"
    assert assemble.format_cell(pd.Timestamp("2024-07-11")) == "2024-07-11"


def test_row_diff_names_rows_and_columns():
    committed = "deployment_id,alerts\nA,1\nB,2\n"
    rebuilt = "deployment_id,alerts\nA,1\nB,3\nC,0\n"
    assert rebuild_cli.row_diff(committed, rebuilt) == [
        "~ B: alerts committed '2', sources '3'",
        "+ C: in the sources, not in the committed file",
    ]
    assert rebuild_cli.row_diff(committed, committed) == []


# ------------------------------------------------------------------------------ CLI


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


def test_fetch_saves_each_pdf_and_reports_unknown_versions(tmp_path):
    requested = []

    def opener(request):
        requested.append(request.full_url)
        return FakeResponse(b"%PDF-1.4 not the Met's file\n%%EOF\n")

    registry = tmp_path / "registry.csv"
    report = rebuild_cli.fetch(tmp_path, opener=opener, registry=registry, today="2026-12-01")
    assert requested == [d.url for d in met_sources.SOURCE_DOCUMENTS]
    for document in met_sources.SOURCE_DOCUMENTS:
        assert (tmp_path / document.file_names[0]).is_file()
    assert all("NEW VERSION" in line for line in report[:-1])
    assert registry.is_file()


def test_fetch_failure_names_the_url(tmp_path):
    def opener(request):
        raise OSError("network unreachable")

    with pytest.raises(OSError, match="failed at every address .*https://www.met.police.uk/"):
        rebuild_cli.fetch(tmp_path, opener=opener, registry=tmp_path / "registry.csv")


def test_build_without_pdfs_fails_clearly(tmp_path, capsys):
    assert rebuild_cli.main(["build", "--check", "--sources", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "lfr-analysis data fetch" in error and "lfr-deployment-grid-2020-2022.pdf" in error


def test_import_reference_reproduces_the_committed_files():
    reference = rebuild_cli.reference_dir() / rebuild_cli.REFERENCE_FILE
    if not reference.is_file():
        pytest.skip(f"compiled reference file not found at {reference}")
    secondary, other = rebuild_cli.import_reference(reference)
    for frame, name in (
        (secondary, met_secondary_rows.FILE),
        (other, other_deployments.FILE),
    ):
        committed = (paths.data_dir() / name).read_text(encoding="utf-8")
        assert assemble.table_text(frame) == committed, name


# ------------------------------------------------------------------------ summaries


def _tiny():
    """Four rows written out by hand: two primary in Jan 2024, one in Feb, one secondary."""
    return pd.DataFrame(
        {
            "deployment_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01", "2024-02-03"]),
            "source_type": ["primary", "primary", "primary", "secondary"],
            "source_table": ["x.pdf, page 1", "x.pdf, page 1", "y.pdf, page 2", "compiled"],
            "faces_seen": pd.array([1000, None, 500, 200], dtype="Int64"),
            "alerts": pd.array([3, 2, 0, 1], dtype="Int64"),
            "false_alerts": pd.array([1, 0, 0, None], dtype="Int64"),
            "true_alerts": pd.array([2, 2, 0, None], dtype="Int64"),
            "arrests": pd.array([1, 1, 0, 0], dtype="Int64"),
            "watchlist_size": pd.array([10, 12, 14, None], dtype="Int64"),
            "threshold": [0.6, 0.6, 0.64, float("nan")],
            "quality_flags": ["", "date_out_of_sequence", None, "secondary_transcription"],
        }
    )


def test_monthly_activity_never_counts_unknown_as_zero():
    activity = data.monthly_activity(_tiny()).set_index(["month", "source_type"])
    january = activity.loc[(pd.Period("2024-01"), "primary")]
    # faces: 1000 + unknown -> sum 1000 over the known row, 1 unknown
    assert (january["deployments"], january["faces_seen"], january["faces_seen_unknown"]) == (
        2,
        1000,
        1,
    )
    assert (january["alerts"], january["false_alerts"]) == (5, 1)
    february = activity.loc[(pd.Period("2024-02"), "secondary")]
    assert pd.isna(february["false_alerts"]) and february["false_alerts_unknown"] == 1


def test_coverage_and_settings_and_flag_counts():
    tiny = _tiny()
    table = data.coverage(tiny)
    assert table.loc["x.pdf", "rows"] == 2 and table.loc["x.pdf", "with_faces_seen"] == 1
    assert table.loc["compiled", "with_watchlist_size"] == 0
    settings = data.settings_by_threshold(tiny)
    assert settings.loc[0.6, "deployments"] == 2
    assert (settings.loc[0.6, "watchlist_min"], settings.loc[0.6, "watchlist_max"]) == (10, 12)
    flags = data.flag_counts(tiny)
    assert flags.loc["date_out_of_sequence", "primary"] == 1
    assert flags.loc["secondary_transcription", "secondary"] == 1
    assert flags.loc["secondary_transcription", "primary"] == 0


def test_other_deployments_manifest_sources_are_the_urls_the_rows_cite():
    other = data.load_other_deployments()
    assert [url for _, url in other_deployments.SOURCES] == list(dict.fromkeys(other["source_url"]))


def test_fetch_refuses_a_page_that_is_not_a_pdf(tmp_path):
    def opener(request):
        return FakeResponse(b"<html>Page moved</html>")

    registry = tmp_path / "registry.csv"
    with pytest.raises(OSError, match="not a PDF"):
        rebuild_cli.fetch(tmp_path, opener=opener, registry=registry)
    assert [p.name for p in tmp_path.iterdir()] == ["registry.csv"]
