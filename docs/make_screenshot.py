"""Rebuild docs/report.png: scan the bundled corpus, open the report in headless Chromium, shoot.

.venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from socialscan import scan

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    out = Path(tempfile.mkdtemp()) / "seed_dump.html"
    os.chdir(ROOT)  # the report names its input as given: corpora/seed_dump.txt, as in the docs
    scan("corpora/seed_dump.txt", report=out)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1500})
        page.goto(out.resolve().as_uri())
        page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=60_000)
        page.wait_for_selector("body[data-figures=drawn]", state="attached", timeout=60_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(ROOT / "docs" / "report.png"))
        browser.close()
    print(ROOT / "docs" / "report.png")


if __name__ == "__main__":
    main()
