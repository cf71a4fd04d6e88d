"""Make the README's pictures: docs/digest.png, the seeds' digest (top of the page, 1280 px wide),
docs/large-day.png and docs/large-day-phone.png, the made-up 40-story day of the tests
(tests/days.py) at the top on a desktop and at its "Also reported" list on a phone, and
docs/languages.png, the seeds beside the real pages in four other languages of
tests/fixtures/languages, at the top on a desktop.

    .venv/bin/python docs/screenshot.py

Renders the inputs with the installed `summarise` into a temporary folder and photographs them in
Debian's Chromium (apt-get install chromium), offline, as tests/test_browser.py does.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT = 1280, 1400

sys.path.insert(0, str(ROOT / "tests"))
from days import many_stories_day  # noqa: E402


def digest_page(inputs: Path, out: str, *more: Path) -> Path:
    summarise = Path(sys.executable).with_name("summarise")
    subprocess.run([str(summarise), str(inputs), *map(str, more), "--out", out, "-q"], check=True)
    return next(Path(out).glob("digest-*.html"))


def photograph(browser, page_file: Path, target: Path, width: int, height: int, anchor: str = "") -> None:
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme="light")
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_file.as_uri() + anchor)
    page.screenshot(path=str(target))
    page.close()


with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    seeds = digest_page(ROOT / "seeds", f"{work}/seeds")
    photograph(browser, seeds, ROOT / "docs" / "digest.png", WIDTH, HEIGHT)
    day = digest_page(many_stories_day(Path(work)), f"{work}/day")
    photograph(browser, day, ROOT / "docs" / "large-day.png", WIDTH, 1100)
    photograph(browser, day, ROOT / "docs" / "large-day-phone.png", 375, 800, "#also-reported")
    languages = digest_page(ROOT / "seeds", f"{work}/languages", ROOT / "tests" / "fixtures" / "languages")
    photograph(browser, languages, ROOT / "docs" / "languages.png", WIDTH, 1100)
    browser.close()
