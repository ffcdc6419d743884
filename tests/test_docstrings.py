"""The examples in docstrings are true: every module's doctests run here."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import socialscan

PACKAGE = Path(socialscan.__file__).parent
MODULES = sorted(
    ".".join(("socialscan", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
        ".__init__"
    )
    for p in PACKAGE.rglob("*.py")
    if p.name != "__main__.py"
)


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_its_docstrings_hold(name):
    result = doctest.testmod(importlib.import_module(name), report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
