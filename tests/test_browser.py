"""The HTML digest in a real browser: Debian's Chromium driven by Playwright, checked with axe-core.

Nothing here reaches the network: pages are served from a loopback server, every request a
page makes is recorded (only the page itself is allowed; anything else is aborted and fails
the test), and axe-core is injected from tests/browser/node_modules. Screenshots at phone and
desktop width go to $SUMMARISE_SCREENSHOTS (default artifacts/screenshots/) for a person to see.

Chromium and axe-core are required, not optional: without them these tests fail, saying how
to install them (CI does, in .ci/run).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, summarise_command

CHROMIUM = Path(os.environ.get("SUMMARISE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(os.environ.get("SUMMARISE_SCREENSHOTS") or ROOT / "artifacts" / "screenshots")
PHONE, DESKTOP = 375, 1280
DIGEST = "digest-2024-01-16.html"


# --- the browser, axe-core, the seeds' digest and a loopback server -----------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}: install Debian's package with "
            "`apt-get update && apt-get install -y chromium` (as .ci/run does), "
            "or point SUMMARISE_CHROMIUM at a Chromium binary",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is not installed: run `.venv/bin/pip install -e '.[test]'`", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe() -> Path:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is not installed ({AXE} is missing): run `npm ci --prefix tests/browser` (as .ci/run does)",
            pytrace=False,
        )
    return AXE


@pytest.fixture(scope="module")
def validate():
    """The Nu Html Checker (the W3C's HTML5 validator, inline CSS included): its messages for some files."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is not installed: `apt-get install -y default-jre-headless` (for vnu.jar)", pytrace=False)
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `npm ci --prefix tests/browser` (as .ci/run does)", pytrace=False)

    def messages(*files: Path) -> list[dict]:
        done = subprocess.run(
            [java, "-jar", str(VNU), "--format", "json", *map(str, files)], capture_output=True, text=True, timeout=300
        )
        report = json.loads(done.stderr or done.stdout)
        return [{k: m.get(k) for k in ("type", "url", "lastLine", "message", "extract")} for m in report["messages"]]

    return messages


def summarise(*args: str, cwd: Path) -> None:
    """The installed console script, in the same bare environment as conftest's run_cli."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "LANG": "C.UTF-8"}
    env["NLTK_DATA"] = str(cwd / "no-nltk-data")
    done = subprocess.run([*summarise_command(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    """The seeds' digest, in HTML and JSON, rendered once for the module."""
    work = tmp_path_factory.mktemp("seeds-digest")
    shutil.copytree(SEEDS, work / "seeds")
    summarise("seeds", "--out", "out", "--format", "html,json", cwd=work)
    return work / "out"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A loopback HTTP server for `folder`; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class Visit:
    """A page of the digest, with every request, console error, page error and dialog it caused."""

    def __init__(self, browser, url: str, width: int, color_scheme: str = "light"):
        self.url = url
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(
            viewport={"width": width, "height": 800}, color_scheme=color_scheme, java_script_enabled=True
        )
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        # Belt and braces: nothing but the page itself may load, whatever the page asks for.
        self.page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
        self.page.goto(url, wait_until="load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, seeds_out):
    """Open the seeds' digest at a width (and colour scheme); closes every page afterwards."""
    opened: list[Visit] = []
    with serve(seeds_out) as base:

        def open_page(width: int, color_scheme: str = "light", name: str = DIGEST) -> Visit:
            opened.append(Visit(browser, base + name, width, color_scheme))
            return opened[-1]

        yield open_page
        for v in opened:
            v.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def articles(out: Path) -> dict[str, dict]:
    data = json.loads((out / DIGEST.replace(".html", ".json")).read_text(encoding="utf-8"))
    return {a["id"]: a for a in data["articles"]}


# --- the tests ----------------------------------------------------------------------------------


def test_the_digest_loads_offline_with_no_errors(visit):
    v = visit(DESKTOP)
    assert v.requests == [v.url]  # the page alone: no stylesheet, font, image or script fetched
    assert v.errors == [] and v.dialogs == []
    page = v.page
    assert page.title() == "News digest, Tuesday 16 January 2024"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.querySelectorAll('script, link, img, iframe, object, embed').length") == 0
    # Landmarks: one banner, one navigation, one main, one content-info.
    for selector in ("body header", "nav", "main", "body footer"):
        assert page.locator(selector).count() == 1, selector
    assert page.locator("h1").text_content() == "News digest Tuesday 16 January 2024"
    assert page.locator(".overview").inner_text() == "5 articles from 4 sources, in 2 topics."
    headings = page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, h4')].map(h => h.tagName + ' ' + h.textContent)"
    )
    assert headings == [
        "H1 News digest Tuesday 16 January 2024",
        "H2 Topics",
        "H2 Putin hosts North Korean FM in Kremlin visit",
        "H2 Russia's foreign minister thanks North Korea for supporting its war in Ukraine",
        "H2 Sources",
    ]
    assert page.locator("section.topic .meta").all_inner_texts() == [
        "Reported by 2 outlets: AFP and Associated Press · 3 articles",
        "Reported by 2 outlets: Press Association and Reuters · 2 articles",
    ]
    # Each story's articles are folded away until asked for, then listed newest first.
    first_list = page.locator("section.topic details.articles").first
    assert first_list.locator("li").first.is_visible() is False
    first_list.locator("summary").click()
    assert first_list.locator("li").count() == 3 and first_list.locator("li").first.is_visible()
    assert page.locator(".archive-link a").get_attribute("href") == "index.html"
    # The first source is the article the first sentence cites.
    first_cited = page.locator("section.topic p.statement sup.cite a").first.get_attribute("href")
    assert first_cited == "#source-1"
    assert page.locator(".sources li").first.get_attribute("id") == "source-1"


def test_the_digest_and_the_archive_page_are_valid_html5(seeds_out, validate):
    messages = validate(seeds_out / DIGEST, seeds_out / "index.html")
    print(json.dumps(messages, indent=2))
    assert messages == []  # no error, no warning, not even an info


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_no_horizontal_scrolling_and_every_citation_lands_on_its_source(visit, seeds_out, width):
    v = visit(width)
    page = v.page
    fits = "document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    assert page.evaluate(fits), page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    by_id = articles(seeds_out)
    links = page.locator("sup.cite a")
    digest = json.loads((seeds_out / DIGEST.replace(".html", ".json")).read_text(encoding="utf-8"))
    cited = [c for t in digest["topics"] for s in t["sentences"] for c in s["citations"]]
    assert len(cited) >= 7
    assert links.count() == len(cited)  # one link for each article each sentence cites
    # The page numbers the cited articles in order of first citation.
    numbers = {article_id: str(n) for n, article_id in enumerate(dict.fromkeys(cited), start=1)}
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"#source-{numbers[c]}" for c in cited]
    assert page.locator("section.sources li").count() == len(numbers)
    for i in range(links.count()):
        link = links.nth(i)
        href = link.get_attribute("href")
        article = by_id[cited[i]]
        number = numbers[cited[i]]
        # The visible mark is the number; the link's name says what it is.
        assert link.evaluate("a => a.lastChild.textContent") == number
        assert link.evaluate("a => a.textContent") == f"source {number}"
        assert link.get_attribute("title") == f"{article['source']}: {article['title']}"
        link.click()
        assert page.evaluate("location.hash") == href
        landed = page.evaluate(
            """() => {
                const t = document.querySelector(':target');
                if (!t) return null;
                const r = t.getBoundingClientRect();
                return {id: t.id, list: t.closest('section.sources') !== null,
                        title: t.querySelector('.source-title').innerText,
                        visible: r.top >= 0 && r.bottom <= innerHeight && r.height > 0};
            }"""
        )
        assert landed == {"id": f"source-{number}", "list": True, "title": article["title"], "visible": True}
    # The table of contents lands on each topic the same way.
    contents = page.locator("nav.contents a")
    assert contents.count() == 2
    for i in range(contents.count()):
        contents.nth(i).click()
        target = page.evaluate(
            "(() => { const t = document.querySelector(':target'); return t && [t.id, t.querySelector('h2').innerText, t.getBoundingClientRect().top]; })()"
        )
        assert target[0] == f"topic-{i + 1}" and target[1] == contents.nth(i).inner_text()
        assert 0 <= target[2] < 800
    assert page.evaluate(fits)
    assert v.requests == [v.url] and v.errors == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_axe_finds_no_accessibility_violations(visit, axe, width, color_scheme):
    v = visit(width, color_scheme)
    page = v.page
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(251, 250, 247)" if color_scheme == "light" else "rgb(20, 21, 23)")
    page.add_script_tag(path=str(axe))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations', 'passes']})")
    violations = [
        {"id": r["id"], "impact": r["impact"], "help": r["help"], "nodes": [n["html"] for n in r["nodes"]][:5]}
        for r in results["violations"]
    ]
    print(json.dumps(violations, indent=2))
    assert violations == []
    passed = {r["id"] for r in results["passes"]}
    # The checks that matter most here did run and pass, not merely find nothing to look at.
    assert {"color-contrast", "html-has-lang", "landmark-one-main", "heading-order", "link-name", "region"} <= passed
    assert v.requests == [v.url] and v.errors == []


def test_screenshots_at_phone_and_desktop_width(visit):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, scheme in [(PHONE, "light"), (DESKTOP, "light"), (PHONE, "dark"), (DESKTOP, "dark")]:
        v = visit(width, scheme)
        path = SCREENSHOTS / f"digest-{width}-{scheme}.png"
        v.page.screenshot(path=str(path), full_page=True)
        size = png_size(path)
        assert size[0] == width and size[1] > 1000, size


def test_printed_page_is_black_on_white_without_the_contents(visit):
    v = visit(DESKTOP, "dark")
    page = v.page
    page.emulate_media(media="print")
    style = page.evaluate(
        """() => ({body: [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor],
                   nav: getComputedStyle(document.querySelector('nav')).display,
                   cite: getComputedStyle(document.querySelector('sup.cite a')).color})"""
    )
    assert style == {"body": ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], "nav": "none", "cite": "rgb(0, 0, 0)"}
    assert len(page.pdf(format="A4")) > 10_000


HOSTILE_MARKS = "[window.__pwned, window.__pwned_img, window.__pwned_svg, window.__pwned_link, window.__pwned_title]"


def test_a_hostile_article_runs_no_script_and_makes_no_link(browser, validate, run_cli, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    # A headline holds no ">" (the reader takes such lines for breadcrumbs); unescaped, this would still be an <img>.
    headline = "Harbour council votes on ferries <img src=x onerror=window.__pwned_title=1 javascript:alert(1)"
    body = [
        'The harbour council voted on Tuesday to replace the old ferries <script>window.__pwned=1;alert("body")</script> with electric boats.',
        "Residents who opposed the plan posted javascript:alert(document.domain) and <img src=x onerror=\"window.__pwned_img=1;alert('img')\"> on the forum.",
        'The mayor said the new ferries <svg onload="window.__pwned_svg=1"> would <a href="javascript:window.__pwned_link=1">carry</a> more passengers to the island.',
        "Council members said the electric ferries would carry passengers to the island every hour from next spring.",
        "The harbour council said the old ferries would be sold once the electric boats carry passengers to the island.",
    ]
    page_text = [" date 2024-01-16 ", "", headline, "", "Source: javascript:alert(2) <img src=x onerror=alert(3)>", ""]
    (inputs / "hostile.txt").write_text("\n".join(page_text + [line + "\n" for line in body]), encoding="utf-8")
    record = {
        "title": "Ferries <img src=x onerror=alert(4)> vote",
        "source": "<script>alert(5)</script> Gazette",
        "url": "javascript:alert(6)",
        "date": "2024-01-16",
        "text": "\n\n".join(body),
    }
    (inputs / "wire.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli(str(inputs), "--out", str(out), "--format", "html,json")
    assert done.returncode == 0, done.stderr
    data = json.loads((out / "digest-2024-01-16.json").read_text(encoding="utf-8"))
    # The hostile strings did reach the digest, as headline, publisher, URL and sentences.
    assert {a["title"] for a in data["articles"]} == {headline, record["title"]}
    assert {a["source"] for a in data["articles"]} == {
        "javascript:alert(2) <img src=x onerror=alert(3)>",
        record["source"],
    }
    shown = " ".join(s["text"] for t in data["topics"] for s in t["sentences"])
    assert "<script>" in shown and "onerror=" in shown and "javascript:" in shown
    assert validate(out / "digest-2024-01-16.html") == []

    with serve(out) as base:
        for width in (PHONE, DESKTOP):
            v = Visit(browser, base + "digest-2024-01-16.html", width)
            page = v.page
            assert v.dialogs == []
            assert page.evaluate(HOSTILE_MARKS) == [None] * 5
            assert page.evaluate("document.querySelectorAll('script, img, svg, iframe').length") == 0
            assert page.locator('a[href^="javascript:" i]').count() == 0
            assert (
                page.evaluate(
                    "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'))"
                )
                == ["index.html"]  # the archive's index, beside the digest; no link from the hostile input
            )
            handlers = page.evaluate(
                "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))"
            )
            assert handlers == []
            text = page.inner_text("body")
            assert headline in text and '<script>window.__pwned=1;alert("body")</script>' in text
            assert "javascript:alert(2) <img src=x onerror=alert(3)>" in text
            assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
            # Click every link within the page too, folded lists opened: none may run anything or leave it.
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            links = page.locator('a[href^="#"]')
            assert links.count() == page.locator("a").count() - 1  # all but the archive's index
            for i in range(links.count()):
                links.nth(i).click(timeout=5000)
            assert v.dialogs == [] and page.evaluate(HOSTILE_MARKS) == [None] * 5
            assert v.requests == [v.url] and v.errors == []
            v.close()


@pytest.fixture(scope="module")
def large_day_out(tmp_path_factory) -> Path:
    """A made-up day of 100 articles in 40 stories (all found), in HTML and JSON, with an archive."""
    from days import many_stories_day

    work = tmp_path_factory.mktemp("large-day")
    many_stories_day(work)
    summarise("many-stories.jsonl", "--out", "out", "--format", "html,json", cwd=work)
    return work / "out"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_large_day_reads_on_a_phone_and_a_desktop(browser, axe, large_day_out, width):
    data = json.loads((large_day_out / "digest-2024-03-05.json").read_text(encoding="utf-8"))
    assert (data["counts"]["topics"], data["counts"]["also_reported"]) == (15, 25)
    with serve(large_day_out) as base:
        v = Visit(browser, base + "digest-2024-03-05.html", width)
        page = v.page
        assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
        # The contents: the 15 stories told, then the way to the other 25.
        assert page.locator("nav.contents ol li").count() == 15
        assert page.locator("nav.contents p.more a").inner_text() == "Also reported: 25 more stories"
        page.locator("nav.contents p.more a").click()
        assert page.evaluate("location.hash") == "#also-reported"
        assert 0 <= page.locator("#also-heading").bounding_box()["y"] < 800
        items = page.locator("section.also li")
        assert items.count() == 25
        assert [items.nth(i).locator("a").inner_text() for i in range(25)] == [s["label"] for s in data["also_reported"]]
        # Every told story's contents entry lands on it.
        for i in (1, 8, 15):
            page.locator(f'nav.contents a[href="#topic-{i}"]').click()
            assert 0 <= page.locator(f"#topic-{i}-heading").bounding_box()["y"] < 800
        assert page.locator(".archive-link a").get_attribute("href") == "index.html"
        page.add_script_tag(path=str(axe))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [r["id"] for r in results["violations"]] == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"large-day-{width}.png"), full_page=False)
        assert v.requests == [v.url] and v.errors == []
        v.close()


def test_a_large_day_is_valid_html5(large_day_out, validate):
    assert validate(large_day_out / "digest-2024-03-05.html") == []


@pytest.fixture(scope="module")
def languages_day_out(tmp_path_factory) -> Path:
    """The English seeds beside six real pages in Italian, Indonesian, Portuguese and Russian, in HTML and JSON."""
    work = tmp_path_factory.mktemp("languages-day")
    shutil.copytree(ROOT / "seeds", work / "day")
    for page in (ROOT / "tests" / "fixtures" / "languages").glob("*.html"):
        shutil.copy(page, work / "day" / page.name)
    summarise("day", "--out", "out", "--format", "html,json", cwd=work)
    return work / "out"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_day_in_several_languages_groups_its_stories_under_each_language(browser, axe, languages_day_out, width):
    [digest] = languages_day_out.glob("digest-*.json")
    data = json.loads(digest.read_text(encoding="utf-8"))
    names = [language["name"] for language in data["languages"]]
    with serve(languages_day_out) as base:
        v = Visit(browser, base + digest.with_suffix(".html").name, width)
        page = v.page
        assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
        # Each language's name heads its stories, in the digest's order, in the contents and the page.
        assert page.locator("h2.language-heading").all_inner_texts() == [n.upper() for n in names]
        assert page.locator("nav.contents li.language").count() == len(names)
        for k, topic in enumerate(data["topics"], start=1):
            section = page.locator(f"#topic-{k}")
            assert section.locator("xpath=..").get_attribute("id") == f"language-{topic['language']}"
            # The headline and the sentences say their language; the page's own words stay English.
            lang = None if topic["language"] == "en" else topic["language"]
            assert section.locator(f"#topic-{k}-heading").get_attribute("lang") == lang
            assert section.locator("p.meta").get_attribute("lang") is None
            if lang:
                assert section.locator("p.statement > span[lang]").count() == len(topic["sentences"])
        last = len(data["topics"])
        page.locator(f'nav.contents a[href="#topic-{last}"]').click()
        assert 0 <= page.locator(f"#topic-{last}-heading").bounding_box()["y"] < 800
        page.add_script_tag(path=str(axe))
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [r["id"] for r in results["violations"]] == []
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"languages-day-{width}.png"), full_page=False)
        assert v.requests == [v.url] and v.errors == []
        v.close()


def test_a_day_in_several_languages_is_valid_html5(languages_day_out, validate):
    [digest] = languages_day_out.glob("digest-*.html")
    assert validate(digest) == []
