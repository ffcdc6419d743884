"""The record side of a raw dump's parse takes shortcuts; each gives the full answer.

Held-out posts (no reserved one) pasted as dumps, as the segmenter splits them: for every
neighbouring pair of records the thread linker's answer is the full model's, though it rules
most pairs out before reading their habits of hand.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialscan.embed.static import StaticEmbedder
from socialscan.segment.linker import link_features
from socialscan.segment.model import default_model
from socialscan.segment.segmenter import iter_segments


@pytest.fixture(scope="module")
def segments(shared_data):
    """The fast segmenter's records of held-out dumps: pasted, copied, stamped, threaded."""
    from training.segments.dumps import make_dumps
    from training.segments.pages import copied_timeline, stamped_export
    from training.segments.sources import pools

    held = pools(shared_data)["heldout"]
    posts = held["chatgpt"] + held["twarc"] + held["tweeteval"][:300]
    made = list(make_dumps(posts, 6, 31, "r", size=(20, 50), extra={"threads": (0.3,)}))
    dumps = [d.lines for d in made[:4]]
    dumps += [copied_timeline(made[4], 1).lines, stamped_export(made[5], 2).lines]
    model, emb = default_model(), StaticEmbedder.default()
    return [list(iter_segments(enumerate(lines, 1), embedder=emb, model=model)) for lines in dumps]


def test_the_linker_links_exactly_the_pairs_its_full_model_links(segments):
    linker = default_model().linker
    pairs = linked = 0
    for segs in segments:
        for prev, nxt in zip(segs, segs[1:], strict=False):
            full = linker.proba(link_features(prev, nxt)) >= linker.threshold
            assert linker.links(prev, nxt) == full, (prev.lines, nxt.lines)
            pairs += 1
            linked += full
    assert pairs > 150 and 0 < linked < pairs  # both answers were given


def test_the_linker_never_rules_out_a_pair_it_would_link(segments):
    """The cheap test's room for the habits is the most they can add: a linker whose habit
    weights all push up still links what its full model links."""
    import numpy as np

    from socialscan.segment.linker import Linker

    base = default_model().linker
    coef = base.coef.copy()
    coef[6:] = [0.8, 0.9, 1.2]  # every habit feature lifts the odds
    lifted = Linker(np.asarray(coef), base.intercept, base.threshold)
    n = 0
    for segs in segments:
        for prev, nxt in zip(segs, segs[1:], strict=False):
            full = lifted.proba(link_features(prev, nxt)) >= lifted.threshold
            assert lifted.links(prev, nxt) == full
            n += full
    assert n > 0


def reference_thread_marker(text: str) -> bool:
    """:func:`~socialscan.readers.dump.thread_marker` as first written (no cheap test)."""
    from socialscan.text.patterns import THREAD_MARK_RE

    if "/" not in text and "🧵" not in text:
        return False
    first = text.strip().splitlines()[0] if text.strip() else ""
    last = text.strip().splitlines()[-1] if text.strip() else ""
    for s in (first, last):
        m = THREAD_MARK_RE.search(s)
        if m and (m.group(0).strip() == "🧵" or "🧵" in s):
            return True
        if m:
            a = int(m.group(1) or m.group(3))
            b = m.group(2)
            if a <= 30 and (b is None or a <= int(b) <= 30) and a >= 1:
                return True
    return False


MARKED = [
    "Big news 1/4",
    "1/ a thread on evals",
    "(2/5)",
    "fine tuning, a thread 🧵",
    "first line\nlast line 3 / 7",
    "first 2/\u2028middle\u2028end",
    "１/２ fullwidth digits",
    "  \n 4/4\n\n",
    "50/50 odds",
    "see x.com/a/status/1612/photo/1",
    "31/31 too far",
    "0/3",
    "/",
    "",
    "   ",
    "12 / 30 is a date",
]


@pytest.mark.parametrize("text", MARKED)
def test_thread_marks_are_those_of_the_full_scan(text):
    from socialscan.readers.dump import thread_marker

    assert thread_marker(text) == reference_thread_marker(text)


def test_thread_marks_of_real_records_are_those_of_the_full_scan(segments):
    from socialscan.readers.dump import thread_marker

    texts = ["\n".join(t for _, t in s.lines) for segs in segments for s in segs]
    marked = [t for t in texts if reference_thread_marker(t)]
    assert marked and len(marked) < len(texts)
    assert [thread_marker(t) for t in texts] == [reference_thread_marker(t) for t in texts]


@given(st.text(alphabet=st.sampled_from("0123456789/ \n\t()🧵ab\u2028１"), max_size=30))
def test_thread_marks_of_any_text_are_those_of_the_full_scan(text):
    from socialscan.readers.dump import thread_marker

    assert thread_marker(text) == reference_thread_marker(text)


def test_a_record_as_a_dict_holds_every_column_in_order():
    from dataclasses import fields

    from socialscan.records import COLUMNS, Post

    values = {f.name: f"{f.name}-value" for f in fields(Post)}
    d = Post(**values).to_dict()
    assert list(d) == list(COLUMNS)
    assert d == {c: values[c] for c in COLUMNS}
    assert set(COLUMNS) == set(values)


def test_repeats_give_first_ids_as_text_whichever_path_saw_the_text_first():
    """A block keeps its records' ids as 8 bytes; every answer is the id as written."""
    from socialscan.readers.repeats import Repeats, repeat_key

    r = Repeats()
    plug = repeat_key("Try Notion AI https://t.co/a")
    a, b = bytes.fromhex("00ff00ff00ff00ff"), bytes.fromhex("0123456789abcdef")
    assert r.block(plug + a + repeat_key("another post") + b) == {}
    assert r.first(repeat_key("try notion ai https://t.co/b"), "1612") == "00ff00ff00ff00ff"
    assert r.first(repeat_key("a tweet by id"), "1612") is None
    dups = r.block(repeat_key("A tweet by id") + b + repeat_key("ANOTHER post") + a)
    assert dups == {0: "1612", 1: "0123456789abcdef"}
