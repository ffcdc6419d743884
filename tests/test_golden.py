"""Every command writes byte for byte what it wrote when the digests were recorded.

The cases and inputs are in ``tests/golden/record.py``. When a change is meant to alter output,
re-record with ``python -m tests.golden.record --write`` and say why in the commit; a refactor
must leave every digest as it was. To see what changed, write the outputs of both commits with
``--out DIR`` and diff the folders. A case whose command writes scores or topics also accepts
the digests recorded on other kinds of CPU (``--add-machine``; why in ``record.py``).
"""

from __future__ import annotations

import json

import pytest
from golden.record import DIGESTS, accepted, machine_numerics, other_machines, record

RECORDED = json.loads(DIGESTS.read_text(encoding="utf-8"))
OTHERS = other_machines()


@pytest.fixture(scope="module")
def replayed() -> dict[str, dict[str, str]]:
    return record(None)


def test_the_same_cases_are_replayed(replayed):
    assert sorted(replayed) == sorted(RECORDED)


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_every_output_is_byte_identical_to_the_recorded_one(replayed, case):
    assert replayed.get(case) in accepted(case, RECORDED, OTHERS)


def test_only_scores_and_topics_may_differ_from_machine_to_machine():
    assert all(machine_numerics(case) and case in RECORDED for case in OTHERS)
    assert not machine_numerics("parse seed_dump.txt") and machine_numerics("scan-json many")
    assert machine_numerics("tag seed_dump.txt")


def test_another_machine_adds_only_its_scores_and_topics(tmp_path, monkeypatch):
    import golden.record as rec

    digests = {"parse a.txt": {"stdout": "1"}, "topics a.txt": {"stdout": "2"}}
    monkeypatch.setattr(rec, "DIGESTS", tmp_path / "digests.json")
    monkeypatch.setattr(rec, "OTHER_MACHINES", tmp_path / "others.json")
    rec.DIGESTS.write_text(json.dumps(digests))
    moved = {"parse a.txt": {"stdout": "1"}, "topics a.txt": {"stdout": "3"}}
    assert rec.add_machine(moved) == ["topics a.txt"]
    assert rec.add_machine(moved) == []  # known already
    assert rec.accepted("topics a.txt", digests, rec.other_machines()) == [
        {"stdout": "2"},
        {"stdout": "3"},
    ]
    with pytest.raises(SystemExit, match="1 cases without scores or topics changed"):
        rec.add_machine({**moved, "parse a.txt": {"stdout": "4"}})
