"""Every command writes byte for byte what it wrote when the digests were recorded.

The cases and inputs are in ``tests/golden/record.py``. When a change is meant to alter output,
re-record with ``python -m tests.golden.record --write`` and say why in the commit; a refactor
must leave every digest as it was. To see what changed, write the outputs of both commits with
``--out DIR`` and diff the folders. The cases of commands that write scores or topics are kept
per kind of machine (``machines.json``; why in ``record.py``).
"""

from __future__ import annotations

import json

import pytest
from golden.record import DIGESTS, accepted, machine_numerics, machines, numerics, record

RECORDED = json.loads(DIGESTS.read_text(encoding="utf-8"))
KNOWN = machines()


@pytest.fixture(scope="module")
def replayed() -> dict[str, dict[str, str]]:
    return record(None)


@pytest.fixture(scope="module")
def here() -> str:
    return numerics()


def test_the_same_cases_are_replayed(replayed):
    assert sorted(replayed) == sorted(RECORDED)


@pytest.mark.parametrize("case", sorted(RECORDED))
def test_every_output_is_byte_identical_to_the_recorded_one(replayed, here, case):
    got = replayed.get(case)
    if not machine_numerics(case) or here == KNOWN["recorded_on"]:
        assert got == RECORDED[case]
    elif here in KNOWN["others"]:
        assert got == KNOWN["others"][here][case]
    elif got not in accepted(case, RECORDED, KNOWN):
        pytest.skip(
            f"scores and topics were not recorded on this kind of machine (numerics {here}); "
            "python -m tests.golden.record --add-machine records them"
        )


def test_the_machine_digest_is_the_same_from_run_to_run(here):
    assert numerics() == here and len(here) == 16


def test_only_scores_and_topics_are_kept_per_machine():
    for digests in KNOWN["others"].values():
        assert all(machine_numerics(case) and case in RECORDED for case in digests)
    assert not machine_numerics("parse seed_dump.txt") and machine_numerics("scan-json many")
    assert machine_numerics("tag seed_dump.txt")


def test_another_machine_adds_only_its_scores_and_topics(tmp_path, monkeypatch):
    import golden.record as rec

    digests = {"parse a.txt": {"stdout": "1"}, "topics a.txt": {"stdout": "2"}}
    monkeypatch.setattr(rec, "DIGESTS", tmp_path / "digests.json")
    monkeypatch.setattr(rec, "MACHINES", tmp_path / "machines.json")
    rec.DIGESTS.write_text(json.dumps(digests))
    moved = {"parse a.txt": {"stdout": "1"}, "topics a.txt": {"stdout": "3"}}
    assert rec.add_machine(moved, "cpu-b") == ["topics a.txt"]
    assert rec.add_machine(moved, "cpu-b") == []  # known already
    known = rec.machines()
    assert known["others"] == {"cpu-b": {"topics a.txt": {"stdout": "3"}}}
    assert rec.accepted("topics a.txt", digests, known) == [{"stdout": "2"}, {"stdout": "3"}]
    assert rec.accepted("parse a.txt", digests, known) == [{"stdout": "1"}]
    with pytest.raises(SystemExit, match="1 cases without scores or topics changed"):
        rec.add_machine({**moved, "parse a.txt": {"stdout": "4"}}, "cpu-c")
