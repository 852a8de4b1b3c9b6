"""The site's pages from the real site data, without running the notebooks: findings, the
ledger from the claims package, the data page from the datasets registry, the student copies."""

import html
import re

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lfr_analysis import claims, data, paths
from lfr_analysis.datasets import REGISTRY
from lfr_analysis.report import handouts, ledger_pages, site, sitedata

STEM = "06_teaching_base_rates"
FOOTER = {
    "built": "Built from commit abc on 1 Dec 2026.",
    "as_of": "to 1 May 2025",
    "versions": "x",
}


def with_code(text):
    """``text`` as the site writes it: escaped, each `name` in backticks set as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


@pytest.fixture(scope="module")
def collected():
    return sitedata.collect()


def results(with_handouts=True):
    made = {
        "handout_html": f"student/{STEM}_handout.html",
        "answers_html": f"student/{STEM}_answers.html",
        "handout_pdf": f"student/{STEM}_handout.pdf",
    }
    return [
        {"name": "02_rates", "title": "02 · Rates", "ok": True, "error": "", "page": True},
        {
            "name": STEM,
            "title": "06 · Teaching",
            "ok": True,
            "error": "",
            "page": True,
            "handouts": made if with_handouts else {},
        },
    ]


def content(title):
    return {"title": title, "body": "<p>body</p>", "toc": [], "figures": [], "cells": []}


@pytest.fixture(scope="module")
def built(collected, tmp_path_factory):
    build = tmp_path_factory.mktemp("site") / "build"
    (build / "student").mkdir(parents=True)
    (build / "notebooks").mkdir()
    (build / "claims.csv").write_text("figure_id\n")
    for name in ("02_rates", STEM):
        (build / "notebooks" / f"{name}.ipynb").write_text("{}")
    for name in ("handout.html", "answers.html", "handout.pdf"):
        (build / "student" / f"{STEM}_{name}").write_text("x")
    contents = {"02_rates": content("02 · Rates"), STEM: content("06 · Teaching")}
    folder = paths.data_dir()
    written = site.write_site(
        build,
        results(),
        contents,
        collected,
        site.read_manifest(folder),
        folder,
        FOOTER,
        [],
    )
    return build, written


def text(build, page):
    return (build / page).read_text(encoding="utf-8")


def test_every_link_of_the_site_resolves(built):
    build, written = built
    assert site.check_links(build, written) == []


def test_the_index_states_each_finding_with_its_tipping_point_and_the_data_as_of(built, collected):
    build, _ = built
    index = text(build, "index.html")
    assert len(collected["findings"]) == 7
    for item in collected["findings"]:
        assert html.escape(item["sentence"]) in index
        if item["key"].startswith("npl_"):
            assert item["tipping_point"] and html.escape(item["tipping_point"]) in index
    assert "Data as of:</strong> to 1 May 2025" in index and "commit abc" in index


def test_the_ledger_is_the_claims_packages_own(built, collected):
    build, _ = built
    deployments, figures = data.load_deployments(), data.load_published_figures()
    table = claims.ledger(figures, deployments)
    ledger = text(build, "ledger.html")
    assert '<a href="claims.csv" download>claims.csv</a>' in ledger
    assert ledger.count("<tr data-publisher=") == len(table)
    for status, definition in claims.STATUS_DEFINITIONS.items():
        assert with_code(definition) in ledger, status
    counts = table["status"].value_counts()
    for status, n in counts.items():
        noun = "figure" if n == 1 else "figures"
        assert f"{status.replace('_', ' ')}</span> <span class='muted small'>{n} {noun}<" in ledger
    for figure_id in table["figure_id"].sample(12, random_state=1):
        record = claims.figure_record(figure_id, figures, deployments)
        page = text(build, ledger_pages.figure_page(figure_id))
        assert html.escape(record["verdict"]) in page
        assert html.escape(record["citation"]) in page
        assert with_code(record["status_definition"]) in page
        assert html.escape(record["working"]) in page
        for document in record["documents"]:
            assert html.escape(document["url"]) in page


def test_documents_cited_row_by_row_are_listed_once():
    row = "transcription of grid.pdf (version of 15 Jul 2025), page {}, deployment row {}"
    documents = [
        {
            "document": "grid-2023.pdf",
            "url": "https://a/grid-2023.pdf",
            "pages": [5, 6],
            "rows": 62,
        },
        *(
            {"document": row.format(page, n), "url": "https://a/grid.pdf", "pages": [], "rows": 1}
            for page, n in ((4, 75), (4, 76), (5, 111))
        ),
    ]
    grouped = ledger_pages._grouped(documents)
    assert [(d["document"], d["pages"], d["rows"]) for d in grouped] == [
        ("grid-2023.pdf", [5, 6], 62),
        ("transcription of grid.pdf (version of 15 Jul 2025)", [4, 5], 3),
    ]
    listed = ledger_pages._documents(documents)
    assert listed.count("<li>") == 2 and ", pages 4, 5 (3 rows)" in listed


def test_the_data_page_has_every_registered_file_and_its_codebook(built):
    build, _ = built
    page = text(build, "data.html")
    assert len(REGISTRY) >= 18
    for dataset in REGISTRY.values():
        assert f'href="data/{dataset.file}" download' in page, dataset.file
        assert (build / "data" / dataset.file).is_file()
        start = page.index(f'id="codebook-{dataset.name}"')
        end = page.find('<h3 id="codebook-', start + 1)
        section = page[start : end if end > 0 else len(page)]
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in section, (dataset.file, column.name)
    for name in ("corrections.csv", "revisions.csv"):
        assert f"<h3>{name}</h3>" in page
    revisions = pd.read_csv(paths.data_dir() / "revisions.csv")
    assert (
        f"{len(revisions):,} field values of {revisions['deployment_id'].nunique()} deployments"
        in page
    )
    most = revisions["field"].value_counts()
    assert f'<td>{most.index[0]}</td><td class="num">{most.iloc[0]:,}</td>' in page
    corrections = pd.read_csv(paths.data_dir() / "corrections.csv")
    for value in corrections["evidence"]:
        assert html.escape(value) in page
    as_of = data.data_as_of(data.load_deployments())
    for row in as_of[as_of["source"] != "all sources"].itertuples():
        day = f"{row.last_date.day} {row.last_date:%b %Y}"
        assert f"<td>{html.escape(row.source)}</td><td>{row.tier}</td>" in page
        assert f'<td class="num">{row.rows:,}</td><td>{day}</td>' in page
    assert re.search(r'href="data/datapackage\.json" download', page)


def test_the_teaching_notebook_links_its_student_copies(built, collected, tmp_path):
    build, _ = built
    for page in ("index.html", f"{STEM}.html"):
        found = set(re.findall(r'href="(student/[^"]+)"', text(build, page)))
        assert found == {
            f"student/{STEM}_handout.html",
            f"student/{STEM}_answers.html",
            f"student/{STEM}_handout.pdf",
        }, page
    assert 'href="student/' not in text(build, "02_rates.html")
    assert site.handout_links(results(with_handouts=False)[1]) == ""


def test_student_copies_of_an_executed_teaching_notebook(tmp_path):
    nb = nbformat.read(paths.notebooks_dir() / f"{STEM}.ipynb", as_version=4)
    written = handouts.write_student_copies(nb, tmp_path, STEM, pdf=False)
    assert written == {
        "handout_html": f"student/{STEM}_handout.html",
        "answers_html": f"student/{STEM}_answers.html",
    }
    handout = (tmp_path / written["handout_html"]).read_text(encoding="utf-8")
    answers = (tmp_path / written["answers_html"]).read_text(encoding="utf-8")
    assert "Exercise 1" in handout and "Exercise 1" in answers and handout != answers
    plain = new_notebook(cells=[new_markdown_cell("# 90 · No exercises"), new_code_cell("1")])
    assert handouts.write_student_copies(plain, tmp_path / "other", "90_plain") == {}
    assert not (tmp_path / "other").exists()


def test_a_pdf_keeps_its_length_without_its_dates():
    printed = (
        b"%PDF-1.4\n1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20261201134554+00'00')"
        b"\n/ModDate (D:20261201134554+00'00')>>\nendobj\n"
    )
    clean = handouts.pdf_without_dates(printed)
    assert len(clean) == len(printed)
    assert b"D:2026" not in clean and b"/Producer (Skia/PDF m156)" in clean
    assert clean.startswith(b"%PDF-1.4\n1 0 obj\n<<") and clean.endswith(b">>\nendobj\n")
    again = printed.replace(b"134554", b"134601")
    assert handouts.pdf_without_dates(again) == clean
