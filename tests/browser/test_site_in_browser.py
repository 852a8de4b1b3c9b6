"""The report's site in a real browser (Debian's Chromium, driven by playwright).

The full report is built once into a temporary folder and served on the loopback address.
Every page is opened at 1280 and at 390 pixels wide (a laptop and a phone); a page fails on
a console error, a request to anywhere but the local server, a broken internal link, anchor
or image, a page wider than the window, or a table cell in scientific notation. The main
pages are saved as screenshots in ``build/screenshots/``. The ledger's filters, the
"Show all code" button and a finding's link to its cell are exercised too.

Without Chromium (``apt-get install -y chromium``) or the ``playwright`` package (the
``test`` extra, ``make venv-test``) the tests are skipped with a message saying so; under
``CI=true`` they fail instead, since CI installs both.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from lfr_analysis import paths
from lfr_analysis.student_copy import handout

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = list(handout.CHROMIUM_ARGS)
WIDTHS = (1280, 390)
#: A number written in scientific notation, as a token of its own (cells that hold code or an
#: identifier, such as a checksum, are not numbers and are left out).
SCIENTIFIC = r"(^|[^0-9A-Za-z.])[+-]?\d+(\.\d+)?[eE][+-]?\d+($|[^0-9A-Za-z])"
#: Pages saved as screenshots (the rest are checked, not photographed).
SHOTS = ("index.html", "ledger.html", "data.html", "figures.html")


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "the playwright package is not installed: 'make venv-test' installs it with the "
            "test extra"
        )
    if not CHROMIUM.is_file():
        return (
            "Chromium is not installed: install Debian's package with "
            "'apt-get install -y chromium' (as root) to run the browser tests"
        )
    return ""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests, but {reason}")
        pytest.skip(reason)
    build = tmp_path_factory.mktemp("site") / "build"
    command = [sys.executable, "-m", "lfr_analysis.cli", "report", "--no-progress"]
    result = subprocess.run(
        [*command, "--build", str(build)], capture_output=True, text=True, timeout=1500
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return build


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        outside = []

        def only_local(route):
            if route.request.url.startswith(server) or route.request.url.startswith("data:"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        yield context, outside
        context.close()


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def ids_of(site: Path) -> dict[str, set[str]]:
    pattern = re.compile(r'\bid="([^"]+)"')
    return {name: set(pattern.findall((site / name).read_text())) for name in pages_of(site)}


def screenshots() -> Path:
    folder = paths.build_dir() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_in_a_browser(site, server, browser, width):
    context, outside = browser
    anchors = ids_of(site)
    shots = screenshots()
    notebooks = [p.name for p in site.glob("[0-9][0-9]_*.html")]
    figure_pages = [p for p in pages_of(site) if p.startswith("ledger/")][:2]
    photographed = {*SHOTS, *notebooks, *figure_pages}
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems, errors = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    checked_files = {}
    for name in pages_of(site):
        errors.clear()
        response = page.goto(server + name, wait_until="load")
        assert response is not None and response.ok, name
        if errors:
            problems.append(f"{name} at {width}px: console errors {errors}")
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            problems.append(f"{name} at {width}px: {wide}px wider than the window")
        scientific = page.evaluate(
            "(pattern) => Array.from(document.querySelectorAll('td, th'))"
            ".filter(c => !c.querySelector('code') && !c.classList.contains('id'))"
            ".map(c => c.textContent.trim()).filter(t => new RegExp(pattern).test(t))",
            SCIENTIFIC,
        )
        if scientific:
            problems.append(f"{name}: table cells in scientific notation: {scientific[:5]}")
        if "LFR_STATIC_EXPLORER" in page.inner_text("body"):
            problems.append(f"{name}: shows an internal message (LFR_STATIC_EXPLORER)")
        if width == WIDTHS[0]:
            problems += _links_and_images(page, name, server, anchors, checked_files)
        if name in photographed:
            target = shots / f"{name.replace('/', '_').removesuffix('.html')}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
    page.close()
    assert not outside, f"pages asked for something outside the local server: {outside[:5]}"
    assert not problems, "\n".join(problems)


def _links_and_images(page, name, server, anchors, checked) -> list[str]:
    found = page.evaluate(
        "() => ({links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),"
        " images: Array.from(document.images).map(i => i.src)})"
    )
    problems = []
    for kind, urls in found.items():
        for url in urls:
            if not url.startswith(server):
                continue
            address, fragment = urldefrag(url)
            if address not in checked:
                checked[address] = page.request.get(address).ok
            if not checked[address]:
                problems.append(f"{name}: broken {kind[:-1]} {url}")
                continue
            target = urlparse(address).path.lstrip("/") or "index.html"
            if fragment and target.endswith(".html") and fragment not in anchors.get(target, ()):
                problems.append(f"{name}: link to a missing anchor {url}")
    return problems


def test_the_ledger_filters(site, server, browser):
    context, _ = browser
    page = context.new_page()
    page.goto(server + "ledger.html")
    rows = page.locator("#ledger-table tbody tr")
    total = rows.count()
    assert total > 50
    reproduced = page.locator('#ledger-table tbody tr[data-status="reproduced"]').count()
    page.select_option("select[name=status]", "reproduced")
    assert page.locator("#ledger-table tbody tr:not([hidden])").count() == reproduced
    assert page.inner_text("#ledger-count") == f"Showing {reproduced} of {total} figures"
    publisher = page.locator('#ledger-table tbody tr[data-status="reproduced"]').first
    who = publisher.get_attribute("data-publisher")
    page.select_option("select[name=publisher]", who)
    expected = page.locator(
        f'#ledger-table tbody tr[data-status="reproduced"][data-publisher="{who}"]'
    ).count()
    assert page.locator("#ledger-table tbody tr:not([hidden])").count() == expected >= 1
    page.select_option("select[name=status]", "")
    page.select_option("select[name=publisher]", "")
    assert page.locator("#ledger-table tbody tr:not([hidden])").count() == total
    page.close()


def test_code_is_hidden_until_asked_for(site, server, browser):
    context, _ = browser
    page = context.new_page()
    page.goto(server + "02_false_alert_rates.html")
    blocks = page.locator("details.code")
    assert blocks.count() > 5
    assert page.locator("details.code[open]").count() == 0
    assert not page.locator("pre.code").first.is_visible()
    page.click("button.toggle-code")
    assert page.locator("details.code[open]").count() == blocks.count()
    page.click("button.toggle-code")
    assert page.locator("details.code[open]").count() == 0
    page.close()


def test_a_finding_opens_the_cell_that_computes_it(site, server, browser):
    context, _ = browser
    page = context.new_page()
    page.goto(server + "index.html")
    link = page.locator("#finding-false_alerts_per_face .source a").first
    href = link.get_attribute("href")
    assert re.fullmatch(r"02_false_alert_rates\.html#cell-\d+", href), href
    link.click()
    page.wait_for_load_state("load")
    cell = page.locator(f"#{href.split('#')[1]}")
    assert cell.locator("details.code").get_attribute("open") is not None
    assert "false_alert_rates(" in cell.inner_text()
    page.close()


def test_the_teaching_page_shows_its_static_explorer(site, server, browser):
    context, _ = browser
    page = context.new_page()
    page.goto(server + "06_teaching_base_rates.html")
    figure = page.locator("#fig-06_explorer_static")
    assert figure.count() == 1
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    assert image.evaluate("i => i.decode().then(() => i.naturalWidth > 0)")
    assert "LFR_STATIC_EXPLORER" not in page.inner_text("body")
    page.close()


def test_the_student_copies_are_linked_and_open(site, server, browser):
    context, _ = browser
    stem = "06_teaching_base_rates"
    written = sorted(p.name for p in (site / "student").iterdir())
    assert f"{stem}_handout.html" in written and f"{stem}_answers.html" in written
    page = context.new_page()
    for where in ("index.html", f"{stem}.html"):
        page.goto(server + where)
        links = page.locator(f'a[href$="student/{stem}_handout.html"]')
        assert links.count() == 1, f"{where} links the handout once"
        hrefs = page.eval_on_selector_all(
            "a[href*='student/']", "links => links.map(a => a.getAttribute('href'))"
        )
        expected = {f"student/{name}" for name in written}
        assert set(hrefs) == expected, f"{where} links every student copy: {hrefs}"
        for href in hrefs:
            response = page.request.get(server + href)
            assert response.ok, href
            kind = response.headers["content-type"]
            assert kind.startswith("application/pdf" if href.endswith(".pdf") else "text/html")
    page.goto(server + f"{stem}.html")
    page.click(f'a[href="student/{stem}_answers.html"]')
    page.wait_for_load_state("load")
    assert page.url.endswith(f"student/{stem}_answers.html")
    assert "Exercise 1" in page.inner_text("body") and page.title().endswith("answer key")
    page.goto(server + f"{stem}.html")
    page.click(f'a[href="student/{stem}_handout.html"]')
    page.wait_for_load_state("load")
    assert "Exercise 1" in page.inner_text("body") and page.title().endswith("handout")
    page.close()
