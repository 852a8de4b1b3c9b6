"""A notebook as a reader's page: narrative and results first, code one click away.

:func:`render` turns an executed notebook into the content of its page (the site adds
navigation, table of contents and footer, :mod:`lfr_analysis.report.site`):

* Markdown cells as HTML, every heading with an anchor (``id``) and the ``##``/``###``
  headings in the page's table of contents; Markdown tables in a box that scrolls sideways;
* each code cell as ``<section id="cell-N">`` (N counts every cell from 1, as the report's
  error messages do), its code **hidden** in a ``<details>`` the reader can open, then its
  outputs: reader's tables, printed text (wrapped at spaces, never inside a word), figures
  and errors;
* a figure saved with :func:`lfr_analysis.plotting.savefig` as ``<figure id="fig-NAME">``
  showing ``figures/NAME.png`` (not a copy inside the page), linked to its SVG, with the
  caption the notebook gave it;
* lines of printed output that name one of the suite's internal switches (an ``LFR_...``
  environment variable) are left out of the reader's page (the executed notebook keeps
  them);
* cell tags, as Jupyter Book reads them: ``remove-cell``, ``remove-input``,
  ``remove-output``, ``hide-output`` (outputs folded) and ``show-input`` (code shown).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import mistune
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

__all__ = ["INTERNAL_SWITCH", "png_size", "render", "slug"]

#: Printed lines that name an internal switch of the suite (left out of reader's pages).
INTERNAL_SWITCH = re.compile(r"\bLFR_[A-Z][A-Z0-9_]*\b")

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TAGS = re.compile(r"<[^>]+>")
_LEXER = PythonLexer()
_FORMATTER = HtmlFormatter(nowrap=True)
_MIME_ORDER = (
    "text/html",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/plain",
)
_WIDGET = "application/vnd.jupyter.widget-view+json"


def slug(text: str, seen: set[str]) -> str:
    """An anchor for a heading's text, unique among ``seen`` (which it joins)."""
    plain = html.unescape(_TAGS.sub("", text)).lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "section"
    candidate, number = base, 2
    while candidate in seen:
        candidate, number = f"{base}-{number}", number + 1
    seen.add(candidate)
    return candidate


class _Renderer(mistune.HTMLRenderer):
    """Mistune's HTML with heading anchors collected for the table of contents."""

    def __init__(self):
        super().__init__(escape=False)
        self.seen: set[str] = set()
        self.headings: list[dict] = []

    def heading(self, text: str, level: int, **attrs) -> str:
        anchor = slug(text, self.seen)
        plain = html.unescape(_TAGS.sub("", text)).strip()
        self.headings.append({"level": level, "id": anchor, "text": plain})
        link = f'<a class="anchor" href="#{anchor}" aria-label="Link to this section">#</a>'
        return f'<h{level} id="{anchor}">{text} {link}</h{level}>\n'


def _markdown_to_html(renderer: _Renderer, source: str) -> str:
    markdown = mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough", "url"])
    body = markdown(source)
    return body.replace("<table>", '<div class="table-wrap"><table>').replace(
        "</table>", "</table></div>"
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header (0, 0 if it is not a PNG)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return 0, 0
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _stream(text: str) -> str:
    kept = [line for line in text.splitlines() if not INTERNAL_SWITCH.search(line)]
    text = _ANSI.sub("", "\n".join(kept)).strip("\n")
    return f'<pre class="output">{html.escape(text)}</pre>' if text.strip() else ""


def _figure(name: str, output: dict, figures: Path, captions: dict) -> tuple[str, dict]:
    caption = captions.get(name, "")
    png = figures / f"{name}.png"
    width, height = png_size(png.read_bytes()[:32]) if png.is_file() else (0, 0)
    shown = output.get("metadata", {}).get("image/png", {}).get("width")
    if shown and width:
        width, height = int(shown), round(height * int(shown) / width)
    size = f' width="{width}" height="{height}"' if width and height else ""
    alt = html.escape(caption or name, quote=True)
    figure = (
        f'<figure class="figure" id="fig-{name}"><a href="figures/{name}.svg" '
        f'title="Open the figure as SVG"><img src="figures/{name}.png"{size} alt="{alt}" '
        f'loading="lazy"></a><figcaption>{html.escape(caption)}'
        f' <a class="download" href="figures/{name}.svg">SVG</a> '
        f'<a class="download" href="figures/{name}.png">PNG</a></figcaption></figure>'
    )
    return figure, {"name": name, "caption": caption, "width": width, "height": height}


def _rich(output: dict, figures: Path, captions: dict) -> tuple[str, dict | None]:
    bundle = output.get("data", {})
    if _WIDGET in bundle:
        return "", None
    name = output.get("metadata", {}).get("lfr_figure")
    if name and "image/png" in bundle:
        return _figure(str(name), output, figures, captions)
    for mime in _MIME_ORDER:
        if mime not in bundle:
            continue
        value = _text(bundle[mime])
        if mime == "text/html":
            if "<table" in value and "lfr-table" not in value:
                value = f'<div class="table-wrap">{value}</div>'
            return f'<div class="output html">{value}</div>', None
        if mime == "image/svg+xml":
            return f'<div class="output image">{value}</div>', None
        if mime in ("image/png", "image/jpeg"):
            data = value.replace("\n", "")
            return (
                f'<div class="output image"><img src="data:{mime};base64,{data}" '
                'alt="a figure drawn by the cell above"></div>',
                None,
            )
        if mime == "text/markdown":
            return (
                f'<div class="output markdown">{_markdown_to_html(_Renderer(), value)}</div>',
                None,
            )
        return f'<pre class="output">{html.escape(_ANSI.sub("", value))}</pre>', None
    return "", None


def _error(output: dict) -> str:
    lines = [_ANSI.sub("", line) for line in output.get("traceback", [])]
    summary = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    detail = html.escape("\n".join(lines))
    return (
        f'<div class="output error"><p><strong>This cell failed</strong>: '
        f"{html.escape(summary)}</p><pre>{detail}</pre></div>"
    )


def _captions(figures: Path) -> dict:
    found = {}
    for sidecar in sorted(figures.glob("*.json")) if figures.is_dir() else []:
        try:
            found[sidecar.stem] = json.loads(sidecar.read_text(encoding="utf-8")).get("caption", "")
        except (OSError, ValueError):
            found[sidecar.stem] = ""
    return found


def _summary(body: str, limit: int = 240) -> str:
    """The notebook's purpose in a sentence: its 'Purpose.' paragraph, else the first other."""
    paragraphs = [
        html.unescape(_TAGS.sub("", p)).strip()
        for p in re.findall(r"<p>(.*?)</p>", body, flags=re.DOTALL)
    ]
    chosen = next((p for p in paragraphs if p.startswith("Purpose.")), None)
    if chosen is None:
        chosen = next((p for p in paragraphs if not p.startswith("Audience")), "")
    text = " ".join(chosen.removeprefix("Purpose.").split())
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)[0]
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return sentence


def render(nb, name: str, figures: Path) -> dict:
    """Render an executed notebook into its page's content.

    Parameters
    ----------
    nb : nbformat.NotebookNode or dict
        The executed notebook.
    name : str
        Its file stem (the page is ``<name>.html``).
    figures : pathlib.Path
        The build's figures folder (captions and image sizes are read there).

    Returns
    -------
    dict
        ``title``, ``summary`` (the first paragraph after the title, as text), ``toc``
        (``level``, ``id``, ``text`` of each heading), ``body`` (HTML), ``figures`` (each
        saved figure: ``name``, ``caption``, ``cell``, ``section``, ``section_title``,
        ``width``, ``height``) and ``cells`` (each code cell: ``n``, ``section``,
        ``section_title``, ``source``).
    """
    renderer, captions = _Renderer(), _captions(Path(figures))
    parts, saved, cells = [], [], []
    section, section_title, summary = "", "", ""
    for number, cell in enumerate(nb["cells"], start=1):
        tags = set(cell.get("metadata", {}).get("tags", []))
        source = _text(cell.get("source", ""))
        if "remove-cell" in tags or cell["cell_type"] == "raw":
            continue
        if cell["cell_type"] == "markdown":
            before = len(renderer.headings)
            body = _markdown_to_html(renderer, source)
            if not any(h["level"] == 1 for h in renderer.headings[:before]):
                # the page shows the title above its table of contents
                body = re.sub(r"<h1 [^>]*>.*?</h1>\n?", "", body, count=1, flags=re.DOTALL)
            for heading in renderer.headings[before:]:
                if heading["level"] in (2, 3):
                    section, section_title = heading["id"], heading["text"]
            if not summary and number <= 2:
                summary = _summary(body)
            parts.append(f'<div class="markdown">{body}</div>')
            continue
        cells.append(
            {"n": number, "section": section, "section_title": section_title, "source": source}
        )
        shown = []
        if "remove-input" not in tags and source.strip():
            code = highlight(source, _LEXER, _FORMATTER)
            opened = " open" if "show-input" in tags else ""
            shown.append(
                f'<details class="code"{opened}><summary><span class="closed">Show code</span>'
                f'<span class="opened">Hide code</span> <span class="cellno">cell {number}'
                f'</span></summary><pre class="code"><code>{code}</code></pre></details>'
            )
        outputs = []
        for output in [] if "remove-output" in tags else cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                outputs.append(_stream(_text(output.get("text", ""))))
            elif kind in ("display_data", "execute_result"):
                text, figure = _rich(output, Path(figures), captions)
                outputs.append(text)
                if figure:
                    figure.update(cell=number, section=section, section_title=section_title)
                    saved.append(figure)
            elif kind == "error":
                outputs.append(_error(output))
        outputs = [o for o in outputs if o]
        if outputs and "hide-output" in tags:
            folded = "".join(outputs)
            outputs = [f'<details class="outputs"><summary>Show output</summary>{folded}</details>']
        shown += outputs
        if shown:
            parts.append(f'<section class="cell" id="cell-{number}">{"".join(shown)}</section>')
    title = next((h["text"] for h in renderer.headings if h["level"] == 1), name)
    toc = [h for h in renderer.headings if h["level"] in (2, 3)]
    return {
        "name": name,
        "title": title,
        "summary": summary,
        "toc": toc,
        "body": "\n".join(parts),
        "figures": saved,
        "cells": cells,
    }
