"""The report as a static site: findings first, the notebooks, the ledger, the data, figures.

:func:`write_site` writes every page of ``build/`` from the notebooks' rendered content
(:mod:`lfr_analysis.report.pages`) and the site's data (:mod:`lfr_analysis.report.sitedata`):

* ``index.html``: the findings, each sentence linked to the section and cell of the notebook
  that computes it, then the notebooks, the ledger's summary and the data;
* ``<notebook>.html``: each notebook, code hidden, with its table of contents and a link to
  the executed notebook (``notebooks/<notebook>.ipynb``) and, for a teaching notebook, to
  its student copies in ``student/`` (:func:`handout_links`);
* ``ledger.html``: every published figure, filterable by publisher, status and metric, and
  ``ledger/<figure_id>.html``, one page per figure;
* ``data.html``: every data file to download (``data/``), its codebook from
  ``datapackage.json``, corrections and revisions, and how to cite
  (:mod:`lfr_analysis.report.data_page`);
* ``figures.html``: every saved figure, linked to the section that drew it;
* ``assets/``: the one stylesheet and script (nothing is fetched from the network).

Every page has the same top bar, the list of all pages, previous/next links and a footer
with the commit, build date, library versions and how current the data are. Nothing here
imports the scientific stack: the numbers arrive already computed and written out.
:func:`check_links` confirms that every internal link and image of the site resolves.
"""

from __future__ import annotations

import html
import json
import os
import re
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from lfr_analysis import files
from lfr_analysis.report.data_page import data_body
from lfr_analysis.report.ledger_pages import figure_body, figure_page, ledger_body

__all__ = [
    "SITE_TITLE",
    "check_links",
    "figure_page",
    "handout_links",
    "locate",
    "read_manifest",
    "write_site",
]

SITE_TITLE = "Live facial recognition in London: the record checked"

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")
_LINK = re.compile(r"""\b(?:href|src)="([^"]*)\"""")
_ID = re.compile(r"""\bid="([^"]+)\"""")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:")


def _environment() -> jinja2.Environment:
    folder = resources.files("lfr_analysis.report").joinpath("templates")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def locate(content: dict, computed_by: str) -> dict | None:
    """The first code cell of a page's content whose source makes the call ``computed_by``.

    Spaces are ignored; when no cell has the whole call, the first that calls the same
    function on the same first argument is taken, else the first that calls the function.
    Returns the cell's ``n``, ``section`` and ``section_title``, or None.
    """
    squeeze = re.compile(r"\s+")
    wanted = squeeze.sub("", computed_by)
    function = wanted.split("(")[0].split(".")[-1] + "("
    first = function + wanted.partition("(")[2].split(",")[0].rstrip(")")
    for probe in (wanted, first, function):
        for cell in content.get("cells", []):
            if probe in squeeze.sub("", cell["source"]):
                return cell
    return None


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


# --------------------------------------------------------------------------- page bodies


def _index_body(notebooks, contents, sitedata, failures, footer) -> str:
    parts = [
        f"<h1>{_e(SITE_TITLE)}</h1>",
        '<p class="lead">What the Metropolitan Police\'s own deployment records say about live '
        "facial recognition (LFR) in London: how often it raises a false alert, how it compares "
        "with the independent study the Met cites, what the arrests were for, and which "
        "published figures the record reproduces. Every number below is computed from the "
        "cited data files by the notebooks and the <code>lfr_analysis</code> package, with "
        "its interval; each links to the cell that computes it.</p>",
    ]
    parts.append(
        f'<p class="build-facts"><strong>Data as of:</strong> {_e(footer["as_of"])}. '
        f"{_e(footer['built'])}</p>"
    )
    if failures:
        items = "".join(f"<li>{_e(f)}</li>" for f in failures)
        parts.append(
            '<div class="banner" role="alert"><p><strong>This build is incomplete.</strong> '
            f"What failed:</p><ul>{items}</ul></div>"
        )
    parts.append('<h2 id="findings">Findings</h2>')
    if sitedata is None:
        parts.append("<p>The findings could not be computed in this build (see above).</p>")
    else:
        parts.append('<ol class="findings">')
        for item in sitedata["findings"]:
            parts.append(_finding(item, contents))
        parts.append("</ol>")
    parts.append('<h2 id="notebooks">The notebooks</h2>')
    parts.append(
        "<p>Each is a Jupyter notebook run top to bottom on a fresh kernel for this build. "
        "Its page shows the narrative, tables and figures, with the code one click away; "
        "the executed notebook can be downloaded from its page.</p>"
    )
    parts.append('<ol class="cards">')
    for result in notebooks:
        name, title = result["name"], result["title"]
        if result["page"]:
            heading = _link(f"{name}.html", title)
        else:
            heading = _e(title)
        summary = _e(contents.get(name, {}).get("summary", ""))
        failed = f'<p class="failed">failed: {_e(result["error"])}</p>' if not result["ok"] else ""
        made = result.get("handouts") or {}
        students = ""
        if made.get("handout_html"):
            key = _link(made["answers_html"], "answer key") if made.get("answers_html") else ""
            students = (
                f'<p class="students">For the classroom: '
                f"{_link(made['handout_html'], 'printable handout')}"
                + (f" ({_link(made['handout_pdf'], 'PDF')})" if made.get("handout_pdf") else "")
                + (f" and {key}" if key else "")
                + (f" ({_link(made['answers_pdf'], 'PDF')})" if made.get("answers_pdf") else "")
                + ".</p>"
            )
        parts.append(f"<li><h3>{heading}</h3><p>{summary}</p>{students}{failed}</li>")
    parts.append("</ol>")
    if sitedata is not None:
        counts = {}
        for row in sitedata["ledger"]:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        listed = ", ".join(
            f"{counts.get(s, 0)} {s.replace('_', ' ')}" for s in sitedata["statuses"]
        )
        parts.append('<h2 id="published-figures">Published figures, checked</h2>')
        parts.append(
            f"<p>{len(sitedata['ledger'])} figures published about LFR by the Met, the Home "
            f"Office, courts, campaigners and the press, each recomputed from the record: "
            f"{_e(listed)}. {_link('ledger.html', 'The ledger')} lists them all, with one page "
            "per figure.</p>"
        )
    parts.append('<h2 id="the-data">The data</h2>')
    parts.append(
        f"<p>Every data file, its codebook, corrections and how to cite them: "
        f"{_link('data.html', 'the data page')}. Every figure of the report: "
        f"{_link('figures.html', 'the figure gallery')}.</p>"
    )
    return "\n".join(parts)


def _finding(item: dict, contents: dict) -> str:
    content = contents.get(item["notebook"])
    where = ""
    if content is not None:
        cell = locate(content, item["computed_by"])
        href = f"{item['notebook']}.html"
        if cell is not None:
            section = cell["section_title"] or content["title"]
            where = (
                f"Computed in {_link(href + '#cell-' + str(cell['n']), content['title'])}, "
                f"section “{_e(section)}”, cell {cell['n']} "
                f"(<code>{_e(item['computed_by'])}</code>)."
            )
        else:
            where = f"Computed in {_link(href, content['title'])}."
    tipping = ""
    if item.get("tipping_point"):
        cell = locate(content, item.get("tipping_computed_by") or "") if content else None
        shown = ""
        if cell is not None and item.get("tipping_computed_by"):
            href = f"{item['notebook']}.html#cell-{cell['n']}"
            shown = f" ({_link(href, 'cell ' + str(cell['n']))})"
        tipping = (
            f'<p class="tipping"><strong>Tipping point:</strong> {_e(item["tipping_point"])}'
            f"{shown}</p>"
        )
    return (
        f'<li class="finding" id="finding-{_e(item["key"])}"><h3>{_e(item["topic"])}</h3>'
        f'<p class="sentence">{_e(item["sentence"])}</p>{tipping}'
        f'<p class="rests"><strong>Rests on:</strong> {_e(item["rests_on"])}</p>'
        f'<p class="source">{where}</p></li>'
    )


def _notebook_head(content: dict, result: dict) -> str:
    """The title and what to know before reading, above the table of contents."""
    return (
        f"<h1>{_e(content['title'])}</h1>"
        f'<p class="muted">The code is hidden: “Show code” opens a cell\'s code, “Show all '
        "code” every cell's. The executed notebook: "
        f'<a href="notebooks/{_e(result["name"])}.ipynb" download>{_e(result["name"])}.ipynb</a>'
        ".</p>"
    )


_HANDOUT_LINKS = (
    ("handout_html", "The handout", "the exercises with room to write, for students"),
    ("handout_pdf", "PDF", ""),
    ("answers_html", "The answer key", "every exercise with its worked solution, for teachers"),
    ("answers_pdf", "PDF", ""),
)


def handout_links(result: dict, root: str = "") -> str:
    """Links to a teaching notebook's student copies (empty when it has none)."""
    made = result.get("handouts") or {}
    if not made.get("handout_html"):
        return ""
    items = []
    for key, label, what in _HANDOUT_LINKS:
        if not made.get(key):
            continue
        link = _link(root + made[key], label)
        if key.endswith("_pdf"):
            items[-1] = items[-1].removesuffix("</li>") + f" ({link})</li>"
        else:
            items.append(f"<li>{link}: {_e(what)}</li>")
    return (
        '<aside class="classroom" aria-label="For the classroom"><h2 id="for-the-classroom">'
        "For the classroom</h2><p>Printable student copies of this notebook's exercises, "
        "made from this build:</p><ul>" + "".join(items) + '</ul><p class="muted small">'
        "<code>lfr-analysis student-copy</code> makes the same from a checkout, and the "
        "notebook without its solutions for students who run it.</p></aside>"
    )


def _notebook_body(content: dict, result: dict) -> str:
    download = _notebook_head(content, result)
    failed = ""
    if not result["ok"]:
        failed = (
            '<div class="banner" role="alert"><p><strong>This notebook failed in this build'
            f"</strong>: {_e(result['error'])}. The cells after the failure did not run.</p></div>"
        )
    return failed + download + handout_links(result) + content["body"]


def _gallery_body(contents: dict, order: list[str], figures_folder: Path) -> str:
    parts = [
        "<h1>Figure gallery</h1>",
        "<p>Every figure of the report, with its caption. Each opens the section of the "
        "notebook that draws it; the SVG and PNG files can be downloaded.</p>",
    ]
    shown = set()
    for name in order:
        content = contents.get(name)
        if not content or not content["figures"]:
            continue
        parts.append(f'<h2 id="{_e(name)}">{_e(content["title"])}</h2><div class="gallery">')
        for figure in content["figures"]:
            shown.add(figure["name"])
            target = f"{name}.html#fig-{figure['name']}"
            size = (
                f' width="{figure["width"]}" height="{figure["height"]}"'
                if figure.get("width")
                else ""
            )
            section = figure["section_title"] or content["title"]
            parts.append(
                f'<figure><a href="{_e(target)}"><img src="figures/{_e(figure["name"])}.png"'
                f'{size} alt="{_e(figure["caption"] or figure["name"])}" loading="lazy"></a>'
                f"<figcaption>{_e(figure['caption'])} <br>In {_link(target, section)} · "
                f'<a class="download" href="figures/{_e(figure["name"])}.svg">SVG</a> '
                f'<a class="download" href="figures/{_e(figure["name"])}.png">PNG</a>'
                "</figcaption></figure>"
            )
        parts.append("</div>")
    rest = (
        sorted(p.stem for p in figures_folder.glob("*.json") if p.stem not in shown)
        if figures_folder.is_dir()
        else []
    )
    if rest:
        parts.append('<h2 id="not-shown">Saved but not shown on a page</h2><ul>')
        for stem in rest:
            owner = next((n for n in order if n[:2] == stem[:2] and n in contents), None)
            where = f" (from {_link(owner + '.html', contents[owner]['title'])})" if owner else ""
            parts.append(f'<li><a href="figures/{_e(stem)}.png">{_e(stem)}</a>{where}</li>')
        parts.append("</ul>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- the site


def write_site(
    build: Path,
    notebooks: list[dict],
    contents: dict,
    sitedata: dict | None,
    manifest: dict,
    data_folder: Path,
    footer: dict,
    failures: list[str],
) -> list[str]:
    """Write every page of the site into ``build``; return the pages written (relative).

    Parameters
    ----------
    build : pathlib.Path
        The build folder being made (executed notebooks and figures are already there).
    notebooks : list of dict
        Each notebook's result (:class:`lfr_analysis.report.execute.NotebookResult` fields),
        in reading order.
    contents : dict
        Notebook name -> its page's content, for notebooks whose page was rendered.
    sitedata : dict or None
        :func:`lfr_analysis.report.sitedata.collect`'s result (None when it failed).
    manifest : dict
        ``datapackage.json``.
    data_folder : pathlib.Path
        Where the data files are (they are copied into ``build/data/``).
    footer : dict
        ``built``, ``as_of`` and ``versions``, as sentences.
    failures : list of str
        What failed in this build (shown on the index).
    """
    env = _environment()
    base = env.get_template("base.html")
    pages = [{"href": "index.html", "nav": "Findings", "title": "Findings"}]
    for result in notebooks:
        if result["page"]:
            note = "" if result["ok"] else "failed"
            pages.append(
                {
                    "href": f"{result['name']}.html",
                    "nav": result["title"],
                    "title": result["title"],
                    "note": note,
                }
            )
    if sitedata is not None:
        pages.append(
            {
                "href": "ledger.html",
                "nav": "Published figures, checked",
                "title": "Published figures, checked",
            }
        )
    pages.append({"href": "data.html", "nav": "The data", "title": "The data"})
    pages.append({"href": "figures.html", "nav": "Figure gallery", "title": "Figure gallery"})
    sections = [
        ("index.html", "Findings"),
        ("index.html#notebooks", "Notebooks"),
        *([("ledger.html", "Published figures")] if sitedata is not None else []),
        ("data.html", "Data"),
        ("figures.html", "Figures"),
    ]
    written = []

    def emit(
        path: str,
        body: str,
        *,
        title: str,
        current: str,
        toc=(),
        tools="",
        kind="page",
        previous=None,
        following=None,
        breadcrumb=None,
        description="",
    ):
        root = "../" * path.count("/")
        listed = [dict(p, current=p["href"] == current) for p in pages]
        head = ""
        if toc and body.startswith("<h1>"):  # the title goes above the table of contents
            end = body.index("</h1>") + len("</h1>")
            head, body = body[:end], body[end:]
        text = base.render(
            title=title,
            site_title=SITE_TITLE,
            description=description,
            root=root,
            kind=kind,
            sections=[{"href": h, "label": t, "current": h == current} for h, t in sections],
            pages=listed,
            head=Markup(head),
            toc=list(toc),
            tools=Markup(tools),
            body=Markup(body),
            previous=previous,
            next=following,
            breadcrumb=breadcrumb,
            footer=footer,
        )
        files.write_text(build / path, text)
        written.append(path)

    for position, page in enumerate(pages):
        previous = pages[position - 1] if position else None
        following = pages[position + 1] if position + 1 < len(pages) else None
        href = page["href"]
        common = {
            "title": page["title"],
            "current": href,
            "previous": previous,
            "following": following,
        }
        if href == "index.html":
            emit(
                href,
                _index_body(notebooks, contents, sitedata, failures, footer),
                kind="index",
                description="Findings of lfr-analysis: the Met's LFR record checked.",
                **common,
            )
        elif href == "ledger.html":
            emit(
                href,
                ledger_body(sitedata, "claims.csv" if (build / "claims.csv").is_file() else ""),
                kind="ledger",
                toc=[
                    {"level": 2, "id": "statuses", "text": "What each status means"},
                    {"level": 2, "id": "figures", "text": "The figures"},
                ],
                **common,
            )
        elif href == "data.html":
            emit(
                href,
                data_body(manifest, data_folder, sitedata),
                kind="data",
                toc=[
                    {"level": 2, "id": i, "text": t}
                    for i, t in (
                        ("download", "Download"),
                        ("as-of", "How current the data are"),
                        ("corrections", "Corrections and revisions"),
                        ("codebook", "Codebook"),
                        ("cite", "How to cite"),
                    )
                ],
                **common,
            )
        elif href == "figures.html":
            order = [r["name"] for r in notebooks]
            emit(href, _gallery_body(contents, order, build / "figures"), kind="gallery", **common)
        else:
            name = href.removesuffix(".html")
            result = next(r for r in notebooks if r["name"] == name)
            tools = (
                '<button type="button" class="toggle-code" aria-pressed="false" hidden>'
                "Show all code</button>"
            )
            emit(
                href,
                _notebook_body(contents[name], result),
                kind="notebook",
                toc=(
                    [{"level": 2, "id": "for-the-classroom", "text": "For the classroom"}]
                    if handout_links(result)
                    else []
                )
                + contents[name]["toc"],
                tools=tools,
                description=contents[name].get("summary", "")[:300],
                **common,
            )
    if sitedata is not None:
        rows = sitedata["ledger"]
        up = {"href": "ledger.html", "label": "← All published figures"}
        for position, row in enumerate(rows):
            neighbours = []
            for other in (position - 1, position + 1):
                if 0 <= other < len(rows):
                    neighbours.append(
                        {
                            "href": figure_page(rows[other]["figure_id"]),
                            "nav": rows[other]["figure_id"],
                        }
                    )
                else:
                    neighbours.append(None)
            record = sitedata["records"].get(row["figure_id"], {})
            emit(
                figure_page(row["figure_id"]),
                figure_body(row, record, sitedata),
                title=f"Published figure {row['figure_id']}",
                current="ledger.html",
                kind="figure",
                previous=neighbours[0],
                following=neighbours[1],
                breadcrumb=up,
            )
    for name in ("site.css", "site.js"):
        asset = resources.files("lfr_analysis.report").joinpath("assets", name)
        files.write_bytes(build / "assets" / name, asset.read_bytes())
    for resource in manifest.get("resources", []):
        source = data_folder / resource["path"]
        if source.is_file():
            files.write_bytes(build / "data" / resource["path"], source.read_bytes())
    files.write_bytes(
        build / "data" / "datapackage.json", (data_folder / "datapackage.json").read_bytes()
    )
    return written


def check_links(build: Path, pages: list[str]) -> list[str]:
    """Return every internal link or image of ``pages`` that does not resolve (empty: all do).

    A link resolves when its file exists in ``build`` and, with a ``#fragment``, the page
    it names has an element with that ``id``. Each page is read once, and each target
    file looked up once however many pages link to it.
    """
    root = os.path.abspath(build)
    texts = {}
    for page in pages:
        path = os.path.normpath(os.path.join(root, page))
        with open(path, encoding="utf-8") as handle:
            texts[path] = (page, handle.read())
    ids = {path: None for path in texts}  # a page's ids, found when a fragment asks
    exists: dict[str, bool] = {}
    broken = []
    for path, (page, text) in texts.items():
        folder = os.path.dirname(path)
        for target in _LINK.findall(text):
            if _EXTERNAL.match(target) or target.startswith("//"):
                continue  # another site, or data: / mailto:
            file_part, _, fragment = target.partition("#")
            resolved = os.path.normpath(os.path.join(folder, file_part)) if file_part else path
            if resolved not in exists:
                exists[resolved] = os.path.isfile(resolved)
            if not exists[resolved]:
                broken.append(f"{page}: {target} (no such file)")
                continue
            if fragment and resolved.endswith(".html"):
                if ids.get(resolved) is None:
                    text_of = texts[resolved][1] if resolved in texts else _read_text(resolved)
                    ids[resolved] = set(_ID.findall(text_of))
                if fragment not in ids[resolved]:
                    broken.append(f"{page}: {target} (no element with id {fragment!r})")
    return broken


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def read_manifest(data_folder: Path) -> dict:
    """``datapackage.json`` of ``data_folder`` as a dict."""
    return json.loads((data_folder / "datapackage.json").read_text(encoding="utf-8"))
