"""Make docs/digest.png, the README's picture of the seeds' digest (top of the page, 1280 px wide).

    .venv/bin/python docs/screenshot.py

Renders seeds/ with the installed `summarise` into a temporary folder and photographs it in
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

with tempfile.TemporaryDirectory() as out:
    summarise = Path(sys.executable).with_name("summarise")
    subprocess.run([str(summarise), str(ROOT / "seeds"), "--out", out, "-q"], check=True)
    page_file = next(Path(out).glob("digest-*.html"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, color_scheme="light")
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(page_file.as_uri())
        page.screenshot(path=str(ROOT / "docs" / "digest.png"), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
        browser.close()
