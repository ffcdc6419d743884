"""Rebuild docs/report.png: scan the bundled corpus, open the report in headless Chromium, shoot.

.venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from socialscan import scan

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def seed_report_page(height: int) -> Iterator[Page]:
    """The bundled corpus's report, written afresh and open in headless Chromium (1280 px wide,
    ``height`` tall) once its explorer and figures are drawn."""
    out = Path(tempfile.mkdtemp()) / "seed_dump.html"
    os.chdir(ROOT)  # the report names its input as given: corpora/seed_dump.txt, as in the docs
    scan("corpora/seed_dump.txt", report=out)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": height})
        page.goto(out.resolve().as_uri())
        page.wait_for_selector("#explorer[data-ready]", state="attached", timeout=60_000)
        page.wait_for_selector("body[data-figures=drawn]", state="attached", timeout=60_000)
        try:
            yield page
        finally:
            browser.close()


def main() -> None:
    with seed_report_page(1500) as page:
        page.wait_for_timeout(300)
        page.screenshot(path=str(ROOT / "docs" / "report.png"))
    print(ROOT / "docs" / "report.png")


if __name__ == "__main__":
    main()
