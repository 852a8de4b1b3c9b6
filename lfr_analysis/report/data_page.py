"""The site's data page: every data file to download, how current it is, its codebook, the
corrections and revisions of the record, and how to cite.

Everything here is read from ``datapackage.json`` (generated from the datasets registry,
:data:`lfr_analysis.datasets.REGISTRY`, by ``lfr-analysis data manifest``) and from the
data files themselves; nothing imports the scientific stack.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

__all__ = ["corrections_list", "data_body", "lead_of", "revisions_summary"]

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _date(iso) -> str:
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(iso or ""))
    if not found:
        return str(iso or "")
    year, month, day = (int(x) for x in found.groups())
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{day} {months[month - 1]} {year}"


def lead_of(manifest: dict) -> str:
    """The package's description up to where it starts listing files (``name.csv: ...``)."""
    text = str(manifest.get("description") or manifest.get("title") or "")
    cut = re.search(r"\s[\w.-]+\.csv:\s", text)
    return text[: cut.start()].strip() if cut else text


def _constraints(field: dict) -> str:
    rules = field.get("constraints", {})
    said = []
    if rules.get("required"):
        said.append("required")
    if rules.get("unique"):
        said.append("unique")
    for key, word in (("minimum", "at least"), ("maximum", "at most")):
        if key in rules:
            said.append(f"{word} {rules[key]}")
    if "enum" in rules:
        said.append("one of " + ", ".join(str(v) for v in rules["enum"]))
    if "pattern" in rules:
        said.append(f"matches {rules['pattern']}")
    for key in ("caveats", "caveat", "notes"):
        if field.get(key):
            value = field[key]
            said.append("; ".join(value) if isinstance(value, list) else str(value))
    return "; ".join(said)


def _table(head: list[str], body: list[list[str]], numeric=()) -> str:
    def css(name: str) -> str:
        return ' class="num"' if name in numeric else ""

    parts = ['<div class="table-wrap"><table><thead><tr>']
    parts += [f'<th scope="col"{css(h)}>{_e(h)}</th>' for h in head]
    parts.append("</tr></thead><tbody>")
    for row in body:
        cells = "".join(f"<td{css(h)}>{_e(c)}</td>" for h, c in zip(head, row, strict=False))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return (rows[0], rows[1:]) if rows else ([], [])


def corrections_list(path: Path) -> str:
    """``corrections.csv`` for a reader: each corrected value with its evidence and sources."""
    head, body = _rows(path)
    column = {name: i for i, name in enumerate(head)}
    items = []
    for row in body:

        def cell(name, row=row):
            return row[column[name]] if name in column else ""

        sources = [s.strip() for s in cell("sources").split(";") if s.strip()]
        linked = "; ".join(
            _link(s.split(" ")[0], s) if s.startswith("http") else _e(s) for s in sources
        )
        items.append(
            f"<dt><code>{_e(cell('deployment_id'))}</code>, {_e(cell('field'))}: printed "
            f"<strong>{_e(cell('value_as_printed'))}</strong>, corrected to "
            f"<strong>{_e(cell('corrected_value'))}</strong></dt>"
            f"<dd><p>{_e(cell('evidence'))}</p>"
            + (f'<p class="muted small">Sources: {linked}</p>' if linked else "")
            + "</dd>"
        )
    count = f"{len(body)} printed value{'s' if len(body) != 1 else ''} corrected"
    return (
        f"<p>{count}, each with its evidence; the value as printed stays beside the "
        'correction in the record.</p><dl class="corrections">' + "".join(items) + "</dl>"
    )


def revisions_summary(path: Path) -> str:
    """``revisions.csv`` for a reader: what changed between which versions, field by field.

    The file holds one row per changed field; the page says how many fields of how many
    deployments changed between each pair of source versions, and how often each field did.
    """
    head, body = _rows(path)
    if not body:
        return "<p>No field of the record has changed between versions of its sources.</p>"
    column = {name: i for i, name in enumerate(head)}
    pairs: dict[tuple, dict] = {}
    fields: dict[str, int] = {}
    for row in body:
        key = tuple(row[column[c]] for c in ("data_file", "old_source_sha256", "new_source_sha256"))
        entry = pairs.setdefault(key, {"changes": 0, "deployments": set()})
        entry["changes"] += 1
        entry["deployments"].add(row[column["deployment_id"]])
        fields[row[column["field"]]] = fields.get(row[column["field"]], 0) + 1
    said = []
    for (data_file, old, new), entry in pairs.items():
        said.append(
            f"<p>{entry['changes']:,} field values of {len(entry['deployments']):,} "
            f"deployments in <code>{_e(data_file)}</code> changed when their source went from "
            f"<code>{_e(old[:12])}…</code> to <code>{_e(new[:12])}…</code> (SHA-256 of the "
            "source files, as in <code>source_registry.csv</code>).</p>"
        )
    ordered = sorted(fields.items(), key=lambda item: (-item[1], item[0]))
    said.append(
        _table(
            ["Field", "Values changed"],
            [[name, f"{n:,}"] for name, n in ordered],
            numeric=("Values changed",),
        )
    )
    said.append(
        f"<p>Every change, old and new value side by side: "
        f'<a href="data/{_e(path.name)}" download>{_e(path.name)}</a>.</p>'
    )
    return "".join(said)


def _source(source: dict, resources_: list[dict]) -> str:
    """A source of a data file: a link to its address, or to another data file of the site."""
    where, title = str(source.get("path", "")), source.get("title") or source.get("path", "")
    if re.match(r"^https?://", where):
        return _link(where, title)
    if where in {r["path"] for r in resources_}:
        return _link(f"data/{where}", title)
    return _e(title)


def _as_of(resources_: list[dict]) -> str:
    body = []
    for resource in resources_:
        for entry in resource.get("dataAsOf") or []:
            body.append(
                [
                    resource["path"],
                    entry.get("source", ""),
                    entry.get("tier", ""),
                    f"{entry.get('rows', 0):,}",
                    _date(entry.get("last_date")),
                ]
            )
    if not body:
        return ""
    return (
        '<h2 id="as-of">How current the data are</h2><p>The last deployment each source '
        "document gives, and its tier: <em>primary</em> rows were read from the Met's own "
        "PDFs, <em>secondary</em> rows from a transcription of a record.</p>"
        + _table(["File", "Source", "Tier", "Rows", "Last deployment"], body, numeric=("Rows",))
    )


def data_body(manifest: dict, data_folder: Path, sitedata: dict | None) -> str:
    """The data page (see the module docstring)."""
    resources_ = manifest.get("resources", [])
    parts = [
        "<h1>The data</h1>",
        f'<p class="lead">{_e(lead_of(manifest))}</p>',
        "<p>Every file below is cited row by row to its original publisher, checked on load "
        'against its SHA-256 in <a href="data/datapackage.json" download>datapackage.json</a>'
        " and validated value by value. The codebook of each is generated from that "
        "manifest.</p>",
        '<h2 id="download">Download</h2><div class="table-wrap"><table><thead><tr>'
        '<th scope="col">File</th><th scope="col">What it holds</th>'
        '<th scope="col" class="num">Size</th><th scope="col">SHA-256</th></tr></thead><tbody>',
    ]
    for resource in resources_:
        name = resource["path"]
        anchor = "codebook-" + _SAFE_ID.sub("-", resource.get("name", name))
        parts.append(
            f'<tr><td><a href="data/{_e(name)}" download>{_e(name)}</a></td>'
            f'<td>{_e(resource.get("title", ""))} (<a href="#{_e(anchor)}">codebook</a>)</td>'
            f'<td class="num">{resource.get("bytes", 0) / 1000:,.1f} kB</td>'
            f"<td><code>{_e(str(resource.get('hash', '')).removeprefix('sha256:')[:16])}…"
            "</code></td></tr>"
        )
    parts.append("</tbody></table></div>")
    parts.append(_as_of(resources_))
    parts.append('<h2 id="corrections">Corrections and revisions</h2>')
    corrections, revisions = data_folder / "corrections.csv", data_folder / "revisions.csv"
    if corrections.is_file():
        parts.append("<h3>corrections.csv</h3>" + corrections_list(corrections))
    if revisions.is_file():
        parts.append("<h3>revisions.csv</h3>" + revisions_summary(revisions))
    if not corrections.is_file() and not revisions.is_file():
        parts.append(
            "<p>No corrections or revisions file is part of this data version; suspected "
            "errors in the sources are flagged on their rows (<code>quality_flags</code>), "
            "never corrected silently.</p>"
        )
    parts.append('<h2 id="codebook">Codebook</h2>')
    for resource in resources_:
        anchor = "codebook-" + _SAFE_ID.sub("-", resource.get("name", resource["path"]))
        parts.append(f'<h3 id="{_e(anchor)}">{_e(resource["path"])}</h3>')
        parts.append(f"<p>{_e(resource.get('description', ''))}</p>")
        sources = [_source(s, resources_) for s in resource.get("sources", [])]
        if sources:
            parts.append("<p>Sources: " + "; ".join(sources) + ".</p>")
        parts.append('<dl class="codebook">')
        for field in resource.get("schema", {}).get("fields", []):
            kind = " · ".join(str(x) for x in (field.get("type"), field.get("unit")) if x)
            rules = _constraints(field)
            parts.append(
                f'<dt><code>{_e(field.get("name"))}</code> <span class="muted">{_e(kind)}</span>'
                f"</dt><dd>{_e(field.get('description', ''))}"
                + (f' <span class="rules">Rules and caveats: {_e(rules)}.</span>' if rules else "")
                + "</dd>"
            )
        parts.append("</dl>")
    parts.append('<h2 id="cite">How to cite</h2>')
    parts.append(
        "<p>Cite the suite and the data version you used. <code>lfr-analysis cite</code> "
        "prints the same text for the data in use (<code>--bibtex</code> for BibTeX); from "
        "Python, <code>lfr_analysis.cite.plain_text(lfr_analysis.cite.data_version())</code>."
        "</p>"
    )
    if sitedata is not None:
        parts.append(f'<pre class="cite">{_e(sitedata["citation"]["text"])}</pre>')
        parts.append(f'<pre class="cite">{_e(sitedata["citation"]["bibtex"])}</pre>')
    return "\n".join(parts)
