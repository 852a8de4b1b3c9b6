"""One figure's page (claims.figure_record) and ``lfr-analysis claims`` in a terminal.

The record's contract with the report: the keys of :data:`claims.RECORD_KEYS`, the
deployments and Met documents (file, address, pages) behind a recomputation, a verdict
sentence and a citation line. The command's: lines that fit the terminal, a closed pipe
that ends quietly, ``--id`` by prefix or word, and four output formats.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from claims_fixtures import synthetic_deployments

from lfr_analysis import claims, data
from lfr_analysis.datasets import deployments as deployments_dataset
from lfr_analysis.datasets import published_figures
from lfr_analysis.datasets.manifest import DATA_VERSION


@pytest.fixture
def deployments():
    return synthetic_deployments()


@pytest.fixture(scope="module")
def published():
    return published_figures.load(verify_checksum=False)


# ------------------------------------------------------------------ figure_record


def test_figure_record_keeps_the_contract(published):
    # on the real record: the Met's 11 arrests at Sutton and Woolwich on 9 April 2024
    record = claims.figure_record(
        "met-2024-04-09-arrests-sutton-woolwich-11", published, data.load_deployments()
    )
    assert tuple(record) == claims.RECORD_KEYS
    assert record["status"] == "reproduced"
    assert record["status_definition"] == claims.STATUS_DEFINITIONS["reproduced"]
    assert record["recomputed"] == 11.0
    assert record["deployments"] == ["MET-2024-04-09-high-st-sutton", "MET-2024-04-09-woolwich"]
    assert record["documents"] == [
        {
            "document": "lfr-deployment-grid-2023-to-2024.pdf",
            "url": "https://www.met.police.uk/SysSiteAssets/media/downloads/force-content/met/"
            "advice/lfr/deployment-records/lfr-deployment-grid-2023-to-2024.pdf",
            "pages": [3],
            "rows": 2,
        }
    ]
    assert record["reading"].startswith("as stated (arrests, 2024-04-09 to 2024-04-09")
    assert record["verdict"] == (
        "Reproduced: the record gives 11 arrests on 9 Apr 2024 at Sutton or Woolwich (2 "
        'deployments), as published ("11").'
    )
    assert record["citation"].startswith('"11", Metropolitan Police Service news release')
    assert "lfr-deployment-grid-2023-to-2024.pdf p. 3 (2 rows)" in record["citation"]
    json.dumps(record)  # plain data throughout


def test_ledger_and_records_give_what_ledger_and_figure_record_give(published):
    record = data.load_deployments()
    table, records = claims.ledger_and_records(published, record)
    pd.testing.assert_frame_equal(table, claims.ledger(published, record))
    assert list(records) == list(published["figure_id"])
    for figure_id, found in records.items():
        assert found == claims.figure_record(figure_id, published, record), figure_id


def test_figure_record_names_deployments_documents_and_pages(deployments):
    figures = pd.DataFrame(
        [
            {
                "figure_id": "jan-mar-arrests",
                "force": published_figures.RECORD_FORCE,
                "publisher": "A newspaper",
                "published": pd.Timestamp("2024-04-01"),
                "source_url": "https://example.org/story",
                "copy_url": "https://mirror.example.org/story",
                "accessed": pd.Timestamp("2026-12-01"),
                "claim": "There were 18 arrests in the first quarter.",
                "value_as_published": "18",
                "value": 18.0,
                "unit": "arrests",
                "qualifier": "exact",
                "period_start": pd.Timestamp("2024-01-01"),
                "period_end": pd.Timestamp("2024-03-31"),
                "metric": "arrests",
                "record_filter": float("nan"),
                "compared_with": float("nan"),
                "derived_from": float("nan"),
                "notes": float("nan"),
            }
        ]
    )
    record = claims.figure_record("jan-mar-arrests", figures, deployments)
    assert record["status"] == "reproduced"
    assert record["recomputed"] == 18.0
    # d4's arrests are blank: it gave nothing to the sum, so it is not listed
    assert record["deployments"] == ["d1", "d2", "d3", "d5"]
    assert record["documents"] == [
        {"document": "grid.pdf", "url": "https://example.org/grid.pdf", "pages": [1, 3], "rows": 3},
        {
            "document": "Met record 2024 via third-party transcription "
            "(github.com/someone/repo notes.md)",
            "url": "https://example.org/record.pdf",
            "pages": [],
            "rows": 1,
        },
    ]
    assert record["published"] == "2024-04-01" and record["accessed"] == "2026-12-01"
    assert record["citation"] == (
        '"18", A newspaper, 1 April 2024, https://example.org/story (read in a copy at '
        "https://mirror.example.org/story; accessed 1 December 2026). Checked by lfr-analysis "
        f"(data {DATA_VERSION}, figure jan-mar-arrests) against the Met's LFR deployment records "
        "(grid.pdf pp. 1, 3 (3 rows); Met record 2024 via third-party transcription "
        "(github.com/someone/repo notes.md) (1 row)): reproduced."
    )
    working = record["working"]
    assert "deployments used (4)\n  d1, d2, d3, d5" in working
    assert "grid.pdf pp. 1, 3 (3 rows)" in working
    assert all(len(line) <= 100 for line in working.splitlines())


def test_ledger_keeps_its_columns_and_adds_the_quotable_ones(published, deployments):
    table = claims.ledger(published, deployments)
    assert list(table.columns) == list(claims.LEDGER_COLUMNS)
    for column in (
        "figure_id",
        "recomputed",
        "ci_lower",
        "nearest_match",
        "nearest_value",
        "verdict",
        "reading",
        "citation",
        "status_definition",
    ):
        assert column in table.columns
    assert table["verdict"].str.len().gt(0).all()
    assert table["citation"].str.contains(r"Checked by lfr-analysis").all()
    assert (table["status_definition"] == table["status"].map(claims.STATUS_DEFINITIONS)).all()


def test_find_figure_by_id_prefix_or_word(published):
    assert claims.find_figure("met-2024-12-arrests-540", published) == "met-2024-12-arrests-540"
    assert claims.find_figure("540", published) == "met-2024-12-arrests-540"
    # a whole part of an id wins over ids that merely contain it (1035)
    assert claims.find_figure("103", published) == "croydon-pilot-arrests-103"
    assert claims.find_figure("ho-2025-rso", published) == "ho-2025-rso-arrests-100"
    with pytest.raises(ValueError, match=r"figures match 'garbett-202'.*give more of the id"):
        claims.find_figure("garbett-202", published)
    with pytest.raises(ValueError, match="no figure with figure_id 'no-such-figure'"):
        claims.find_figure("no-such-figure", published)
    with pytest.raises(ValueError, match="non-empty"):
        claims.find_figure("  ", published)
    with pytest.raises(TypeError, match="query must be text"):
        claims.find_figure(540, published)


def test_the_public_functions_check_their_arguments(published, deployments):
    with pytest.raises(TypeError, match="figures must be a pandas DataFrame"):
        claims.ledger([], deployments)
    with pytest.raises(ValueError, match=r"deployments has no column\(s\) \['date'\]"):
        claims.ledger(published, deployments.drop(columns="date"))
    with pytest.raises(TypeError, match="figure must be a mapping"):
        claims.assess("met-2024-12-arrests-540", deployments)
    with pytest.raises(ValueError, match="has no \\['metric'\\]"):
        row = published.iloc[0].to_dict()
        del row["metric"]
        claims.assess(row, deployments)
    with pytest.raises(TypeError, match="figure_id must be text"):
        claims.figure_record(540, published, deployments)


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def fake_data_module(monkeypatch, deployments):
    record = deployments
    monkeypatch.setattr(deployments_dataset, "load", lambda: record)
    # the manifest is written by the data command; the file's content is what is tested here
    unchecked = published_figures.load
    monkeypatch.setattr(published_figures, "load", lambda: unchecked(verify_checksum=False))


def test_cli_prints_the_ledger_and_writes_the_csv(fake_data_module, tmp_path, capsys):
    output = tmp_path / "claims.csv"
    assert claims.main(["--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "met-2024-12-arrests-540" in printed
    assert "not_reproducible" in printed
    assert f"ledger written to {output}" in printed
    assert all(len(line) <= 100 for line in printed.splitlines() if "written to" not in line)
    written = pd.read_csv(output)
    assert set(written["status"]) <= set(claims.STATUSES)
    assert list(written.columns) == list(claims.LEDGER_COLUMNS)


def test_cli_table_fits_a_narrow_terminal(fake_data_module, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert claims.main(["--output", str(tmp_path / "c.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines if "written to" not in line) <= 80


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_cli_formats(fake_data_module, tmp_path, capsys, fmt):
    assert claims.main(["--format", fmt, "--output", str(tmp_path / "c.csv")]) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        table = pd.read_csv(io.StringIO(out))
        assert list(table.columns) == list(claims.LEDGER_COLUMNS)
    elif fmt == "json":
        rows = json.loads(out)
        assert rows[0]["figure_id"] == "met-2019-trial-deployments"
        assert set(rows[0]) == set(claims.LEDGER_COLUMNS)
    else:
        lines = out.splitlines()
        assert lines[0] == "| figure_id | as_published | recomputed | status | reading |"
        assert lines[1] == "|---|---|---|---|---|"


def test_cli_id_shows_the_full_working(fake_data_module, capsys):
    assert claims.main(["--id", "met-2024-12-charged-406"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("met-2024-12-charged-406: not_reproducible")
    assert "charges and cautions are not in it" in printed
    assert "https://www.lbc.co.uk/" in printed
    assert "cite as" in printed
    assert all(len(line) <= 100 for line in printed.splitlines())


def test_cli_id_fits_a_narrow_terminal(fake_data_module, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    assert claims.main(["--id", "540"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "met-2024-12-arrests-540: not_reproducible"
    assert max(len(line) for line in lines) <= 72


def test_cli_id_accepts_a_word_and_json(fake_data_module, capsys):
    assert claims.main(["--id", "540", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["figure_id"] == "met-2024-12-arrests-540"
    assert tuple(record) == claims.RECORD_KEYS


def test_cli_unknown_or_ambiguous_id_is_a_clear_error(fake_data_module, capsys):
    assert claims.main(["--id", "no-such-figure"]) == 1
    assert "no figure with figure_id 'no-such-figure'" in capsys.readouterr().err
    assert claims.main(["--id", "garbett"]) == 1
    assert "figures match 'garbett'" in capsys.readouterr().err


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    # `lfr-analysis claims | head -3`: the reader stops after three lines
    env = {**os.environ, "LFR_BUILD_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "lfr_analysis.cli", "claims"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    ) as process:
        head = [process.stdout.readline() for _ in range(3)]
        process.stdout.close()
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert all(head), head
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert code == 0, stderr
    assert (tmp_path / "claims.csv").is_file()
