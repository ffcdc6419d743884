"""Shared fixtures: paths to the bundled corpus and to ../shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return ROOT / "corpora" / "seed_dump.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.fail(f"{path} is missing: tests need ../shared beside the checkout")
    return path
