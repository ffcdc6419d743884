"""Every command writes byte for byte what it wrote when the digests were recorded.

The cases and inputs are in ``tests/golden/record.py``. When a change is meant to alter output,
re-record with ``python -m tests.golden.record --write`` and say why in the commit; a refactor
must leave every digest as it was. To see what changed, write the outputs of both commits with
``--out DIR`` and diff the folders.
"""

from __future__ import annotations

import json

import pytest
from golden.record import DIGESTS, record

RECORDED = json.loads(DIGESTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def replayed() -> dict[str, dict[str, str]]:
    return record(None)


def test_the_same_cases_are_replayed(replayed):
    assert sorted(replayed) == sorted(RECORDED)


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_every_output_is_byte_identical_to_the_recorded_one(replayed, case):
    assert replayed.get(case) == RECORDED[case]
