"""Shared fixtures: paths to the bundled corpus and to ../shared data, and headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).parent / "data"
#: The Chromium the browser tests drive (``make chromium`` installs it).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return ROOT / "corpora" / "seed_dump.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.fail(f"{path} is missing: tests need ../shared beside the checkout")
    return path


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the tests of one module (Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
