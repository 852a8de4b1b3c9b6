"""The ledger's pages: every published figure in one filterable table, and one page each.

The rows and records come from :mod:`lfr_analysis.report.sitedata`, which takes them from
:func:`lfr_analysis.claims.ledger` and :func:`lfr_analysis.claims.figure_record`: the status,
its definition (:data:`lfr_analysis.claims.STATUS_DEFINITIONS`), the verdict, the reading
that reproduces a figure, the deployments and Met documents behind the recomputation and
the citation line are the claims package's own. This module only lays them out.
"""

from __future__ import annotations

import html
import re

__all__ = ["figure_body", "figure_page", "ledger_body", "metric_words"]

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _with_code(text) -> str:
    """``text`` escaped, with each `name` in backticks set as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _status(status: str) -> str:
    return f'<span class="status {_e(status)}">{_e(status.replace("_", " "))}</span>'


def figure_page(figure_id: str) -> str:
    """The ledger page of one published figure, relative to the site's root."""
    return f"ledger/{_SAFE_ID.sub('-', figure_id)}.html"


def metric_words(name) -> str:
    """A ledger metric in words: ``false_alert_rate_per_face`` -> "false-alert rate per face"."""
    text = str(name or "").replace("_", " ")
    return text.replace("false alert", "false-alert").replace("true alert", "true-alert")


def ledger_body(sitedata: dict, table_file: str = "") -> str:
    """The ledger page: what each status means, the filters and every figure's row.

    ``table_file`` names the whole ledger as a CSV file of the build (``claims.csv``, which
    notebook 05 writes), linked for download when given.
    """
    rows = sitedata["ledger"]
    options = {}
    for key in ("publisher", "status", "metric"):
        options[key] = sorted({str(row.get(key) or "") for row in rows} - {""})
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    parts = [
        "<h1>Published figures, checked against the record</h1>",
        "<p>Each figure as it was published, the value recomputed from the Met's deployment "
        "record for the same period and definition, and whether the record reproduces it at "
        "the precision it was printed. Choose a publisher, status or metric to narrow the "
        "list; each figure has its own page with the verdict, the deployments and documents "
        "behind it, the full working and a citation line.</p>",
        (
            f'<p>The whole ledger as a table: <a href="{_e(table_file)}" download>'
            f"{_e(table_file)}</a> (one row per figure, every column of "
            "<code>lfr_analysis.claims.ledger</code>).</p>"
            if table_file
            else ""
        ),
        '<h2 id="statuses">What each status means</h2><dl class="facts statuses">',
    ]
    for status in sitedata["statuses"]:
        count = counts.get(status, 0)
        definition = _with_code(sitedata["status_definitions"].get(status, ""))
        parts.append(
            f"<dt>{_status(status)} <span class='muted small'>{count} "
            f"{'figure' if count == 1 else 'figures'}</span></dt><dd>{definition}</dd>"
        )
    parts.append('</dl><h2 id="figures">The figures</h2>')
    parts.append('<form class="filters" aria-label="Filter the ledger">')
    for key, label in (("publisher", "Publisher"), ("status", "Status"), ("metric", "Metric")):
        shown = metric_words if key == "metric" else (lambda v: v.replace("_", " "))
        choices = "".join(f'<option value="{_e(v)}">{_e(shown(v))}</option>' for v in options[key])
        parts.append(
            f'<label>{label}<select name="{key}" disabled><option value="">all</option>'
            f"{choices}</select></label>"
        )
    parts.append(f'<p class="count" id="ledger-count">{len(rows)} figures</p></form>')
    parts.append('<div class="table-wrap"><table id="ledger-table"><thead><tr>')
    for head in ("Published figure", "By, on", "As published", "Recomputed", "Status"):
        css = ' class="num"' if head == "Recomputed" else ""
        parts.append(f'<th scope="col"{css}>{head}</th>')
    parts.append("</tr></thead><tbody>")
    for row in rows:
        attributes = " ".join(
            f'data-{key}="{_e(row.get(key) or "")}"' for key in ("publisher", "status", "metric")
        )
        claim = row.get("claim") or row["figure_id"]
        parts.append(
            f"<tr {attributes}><td>{_link(figure_page(row['figure_id']), claim)}"
            f'<br><span class="muted small">{_e(metric_words(row.get("metric")))}</span></td>'
            f"<td>{_e(row.get('publisher'))}<br>"
            f'<span class="muted small">{_e(row.get("published_text"))}</span></td>'
            f'<td data-label="As published">{_e(row.get("value_as_published"))}</td>'
            f'<td class="num" data-label="Recomputed">{_e(row.get("recomputed_text") or "–")}</td>'
            f'<td data-label="Status">{_status(row["status"])}</td></tr>'
        )
    parts.append("</tbody></table></div>")
    return "\n".join(parts)


_ROW_OF = re.compile(r"^(?P<document>.*?), page (?P<page>\d+), deployment row \d+$")


def _grouped(documents: list) -> list[dict]:
    """Documents in order of first mention, one entry per document (rows of a transcription
    cited one by one, ``<document>, page P, deployment row R``, are counted together)."""
    grouped: dict[tuple, dict] = {}
    for document in documents:
        if not isinstance(document, dict):
            document = {"document": str(document)}
        name = str(document.get("document") or document.get("url") or "")
        pages = list(document.get("pages") or [])
        row_of = _ROW_OF.match(name)
        if row_of:
            name, pages = row_of.group("document"), [int(row_of.group("page"))]
        entry = grouped.setdefault(
            (name, document.get("url")),
            {"document": name, "url": document.get("url"), "pages": [], "rows": 0},
        )
        entry["pages"] += [p for p in pages if p not in entry["pages"]]
        rows = document.get("rows")
        entry["rows"] += rows if isinstance(rows, int) else 0
    return list(grouped.values())


def _documents(documents: list) -> str:
    items = []
    for document in _grouped(documents):
        pages = sorted(document["pages"])
        where = (
            f", page{'s' if len(pages) > 1 else ''} {', '.join(str(p) for p in pages)}"
            if pages
            else ""
        )
        rows = document["rows"]
        counted = f" ({rows:,} row{'s' if rows != 1 else ''})" if rows else ""
        name = document["document"]
        shown = _link(document["url"], name) if document["url"] else _e(name)
        items.append(f"<li>{shown}{_e(where)}{_e(counted)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def _date(iso) -> str:
    """``2026-12-01`` as ``1 Dec 2026`` (anything else as it is)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(iso or ""))
    if not found:
        return str(iso or "")
    year, month, day = (int(x) for x in found.groups())
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{day} {months[month - 1]} {year}"


def _deployments(ids: list) -> str:
    listed = "".join(f"<li><code>{_e(i)}</code></li>" for i in ids)
    return (
        f'<details class="deployments"><summary>{len(ids):,} deployment'
        f"{'s' if len(ids) != 1 else ''} of <code>data/deployments.csv</code></summary>"
        f'<ul class="ids">{listed}</ul></details>'
    )


def figure_body(row: dict, record: dict, sitedata: dict) -> str:
    """One published figure's page: claim, source, verdict, recomputation, working, citation."""
    status = row["status"]
    claim = record.get("claim") or f"{row.get('value_as_published')} ({row.get('metric')})"
    facts = [
        ("Published by", _e(record.get("publisher") or row.get("publisher"))),
        ("On", _e(row.get("published_text"))),
        ("As published", _e(row.get("value_as_published"))),
        ("Source", _link(record.get("source_url") or row.get("source_url") or "", "the original")),
    ]
    if record.get("copy_url"):
        facts.append(("Copy read", _link(record["copy_url"], "a stored copy")))
    if record.get("accessed"):
        facts.append(("Read on", _e(_date(record["accessed"]))))
    definition = record.get("status_definition") or sitedata["status_definitions"].get(status, "")
    recomputation = [
        ("Metric", _e(metric_words(row.get("metric")))),
        ("Period", _e(row.get("period"))),
        ("Recomputed", _e(row.get("recomputed_text") or "not computed")),
    ]
    if row.get("interval_text"):
        recomputation.append(("95% interval", _e(row["interval_text"])))
    if row.get("rows_used") is not None:
        secondary = row.get("secondary_rows") or 0
        used = f"{row['rows_used']:,}" + (
            f", {secondary:,} of them transcribed (secondary)" if secondary else ""
        )
        recomputation.append(("Deployments used", _e(used)))
    if record.get("reading"):
        recomputation.append(("Reading", _e(record["reading"])))
    if row.get("nearest_match"):
        recomputation.append(("Nearest match", _e(row["nearest_match"])))
    if row.get("reason"):
        recomputation.append(("Reason", _e(row["reason"])))
    listed = []
    if record.get("documents"):
        listed.append("<h3>Met documents used</h3>" + _documents(record["documents"]))
    if record.get("deployments"):
        listed.append("<h3>Deployments used</h3>" + _deployments(record["deployments"]))
    working = record.get("working") or ""
    parts = [
        f"<h1>{_e(claim)}</h1>",
        '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>",
        f'<h2 id="verdict">Verdict</h2><div class="verdict {_e(status)}"><p>{_status(status)} '
        f'{_e(record.get("verdict") or row.get("verdict"))}</p><p class="muted">'
        f"What “{_e(status.replace('_', ' '))}” means: {_with_code(definition)}</p></div>",
        '<h2 id="recomputation">The recomputation</h2>',
        '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in recomputation),
        "</dl>",
        *listed,
    ]
    if working:
        parts.append(
            '<details class="working-box"><summary id="working">The full working (as '
            "<code>lfr-analysis claims --id</code> prints it)</summary>"
            f'<pre class="working">{_e(working)}</pre></details>'
        )
    citation = record.get("citation") or row.get("citation") or ""
    parts.append(f'<h2 id="cite">Cite this check</h2><p class="citation">{_e(citation)}</p>')
    return "\n".join(parts)
