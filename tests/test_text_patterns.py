"""Each kind of text pattern is written once, in socialscan.text.patterns, and every stage reads
that one: (text, expected) tables for the variants, and checks that no module compiles a copy."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import socialscan
from socialscan.text import patterns

PACKAGE = Path(socialscan.__file__).parent


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("socialscan.readers.dump", "THREAD_MARK_RE"),
        ("socialscan.segment.features", "THREAD_NUMBER_RE"),
        ("socialscan.segment.features", "THREAD_START_RE"),
        ("socialscan.segment.rules", "THREAD_OPENING_RE"),
        ("socialscan.segment.features", "LEADING_HANDLES_RE"),
        ("socialscan.segment.linker", "URL_RE"),
        ("socialscan.text.entities", "URL_RE"),
        ("socialscan.text.entities", "MENTION_RE"),
        ("socialscan.claims.attributes", "MENTION_RE"),
        ("socialscan.claims.attributes", "HASHTAG_RE"),
        ("socialscan.claims.attributes", "CASHTAG_RE"),
        ("socialscan.readers.tweets", "RETWEET_RE"),
        ("socialscan.topics.text", "LOOSE_MENTION_RE"),
        ("socialscan.text.stamps", "STATUS_URL_RE"),
    ],
)
def test_the_stages_use_the_one_pattern_object(module, name):
    assert getattr(importlib.import_module(module), name) is getattr(patterns, name)


def _shared() -> dict[tuple[str, int], str]:
    return {(v.pattern, v.flags): k for k, v in vars(patterns).items() if isinstance(v, re.Pattern)}


@pytest.mark.parametrize(
    "module",
    sorted(
        "socialscan." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for d in ("text", "segment", "readers", "topics", "claims")
        for p in (PACKAGE / d).glob("*.py")
        if p.name != "__init__.py"
    ),
)
def test_no_module_compiles_its_own_copy_of_a_shared_pattern(module):
    shared = _shared()
    for name, value in vars(importlib.import_module(module)).items():
        if isinstance(value, re.Pattern) and (value.pattern, value.flags) in shared:
            assert value is getattr(patterns, shared[value.pattern, value.flags]), name


@pytest.mark.parametrize(
    "fragment",
    [
        "Jan|Feb|Mar",  # the month names
        r"\s*/\s*",  # thread numbering
        "com|org|net",  # link TLDs
        "/status(?:es)?",  # a post's own address
    ],
)
def test_no_other_module_spells_out_a_shared_pattern(fragment):
    spelt = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "patterns.py" and fragment in p.read_text(encoding="utf-8")
    ]
    assert spelt == []


@pytest.mark.parametrize(
    ("text", "number", "start", "opening", "mark"),
    [
        # anywhere as a word / the first tweet / opening the line (its number) / a post's mark
        ("1/ Route easy requests.", True, True, "1", True),
        ("(2/5) Cache everything.", True, False, "2", True),
        ("Big news 2/5", True, False, None, True),
        ("How we cut our bill 🧵", True, True, None, True),
        ("it is 24/7 uptime", True, False, None, False),
        ("50/50 odds", True, False, "50", True),  # thread_marker() then weighs the numbers
        ("and/or", False, False, None, False),
    ],
)
def test_thread_numbering_variants(text, number, start, opening, mark):
    m = patterns.THREAD_OPENING_RE.match(text)
    assert bool(patterns.THREAD_NUMBER_RE.search(text)) == number
    assert bool(patterns.THREAD_START_RE.search(text)) == start
    assert (m.group(1) if m else None) == opening
    assert bool(patterns.THREAD_MARK_RE.search(text)) == mark


@pytest.mark.parametrize(
    ("text", "strict", "loose"),
    [
        ("hi @sama and @Gargron@mastodon.social", ["sama", "Gargron@mastodon.social"], 2),
        ("mail ann@x.com", [], 0),
        ("@a_very_long_handle_of_thirty_chars", [], 1),  # too long for X, still no topic term
    ],
)
def test_strict_and_loose_handles(text, strict, loose):
    assert patterns.MENTION_RE.findall(text) == strict
    assert len(patterns.LOOSE_MENTION_RE.findall(text)) == loose


@pytest.mark.parametrize(
    ("text", "month", "month_word"),
    [
        ("March", True, True),
        ("Sept.", True, True),
        ("Marchxxxxxx", False, True),
        ("May", True, True),
    ],
)
def test_month_variants(text, month, month_word):
    assert bool(re.fullmatch(patterns.MONTH, text)) == month
    assert bool(re.fullmatch(patterns.MONTH_WORD, text)) == month_word
