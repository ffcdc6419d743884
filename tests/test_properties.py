"""Property tests for the parser's invariants (hypothesis)."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialscan

LINE = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n"),
        max_size=60,
    ),
    st.sampled_from(
        ["https://t.co/abc", "@ann hello there", "- list item", "", "   ", "#tag", "Thanks!"]
    ),
    # the lines pages and scrapers put around posts (headers, counts, stamps, separators)
    st.sampled_from(
        [
            "Sam Altman", "@sama", "·", "2h", "12", "1.2K", "Sam Altman @sama 2h", "---",
            "Sam Altman @sama · Jan 5, 2023", "Replying to @ann", "2023-03-01 14:22",
            "2:22 PM · Mar 1, 2023", "[Mar 1, 2023] Sam (@sama): hi", "sama: hello there",
            "https://x.com/sama/status/1631", "💬 12  🔁 3  ❤️ 40", "RT @ann: hi", "Me: hi",
        ]
    ),
)  # fmt: skip
BREAK = st.sampled_from(["\n", "\r\n", "\r"])


def _dump(lines, breaks):
    return "".join(line + br for line, br in zip(lines, breaks, strict=False))


def check_invariants(tmp_path, data: bytes) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    posts = socialscan.parse(path, format="dump")
    from socialscan.readers.text import utf16_encoding

    text = data.decode(utf16_encoding(data[:8192]) or "utf-8", "replace")  # UTF-16 is decoded
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    content = [i + 1 for i, line in enumerate(lines) if line.strip()]
    covered = [n for p in posts for n in range(p.line_start, p.line_end + 1)]
    # spans ordered and disjoint, every non-blank line in exactly one record
    assert covered == sorted(set(covered))
    assert [n for n in covered if lines[n - 1].strip()] == content
    for p in posts:
        assert lines[p.line_start - 1].strip() and lines[p.line_end - 1].strip()
        assert p.text == "\n".join(lines[p.line_start - 1 : p.line_end])  # verbatim
    # parsing the records' text again loses nothing either: the same lines, in order; and
    # where the dump had no blank line (which the segmenter reads as a cue) the same records
    again = (
        socialscan.parse("\n".join(p.text for p in posts) + "\n", format="dump") if posts else []
    )

    def nonblank(records):
        return [ln for r in records for ln in r.text.split("\n") if ln.strip()]

    assert nonblank(again) == nonblank(posts)
    if all(line.strip() for line in lines):
        assert [p.text for p in again] == [p.text for p in posts]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINE, max_size=25), breaks=st.lists(BREAK, min_size=25, max_size=25))
def test_nothing_is_lost(tmp_path, lines, breaks):
    check_invariants(tmp_path, _dump(lines, breaks).encode())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_or_lose_lines(tmp_path, data):
    from socialscan.errors import UnreadableInput

    with contextlib.suppress(UnreadableInput):  # refused as binary, with a one-line error
        check_invariants(tmp_path, data)


@pytest.mark.slow
@settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINE, max_size=40), breaks=st.lists(BREAK, min_size=40, max_size=40))
def test_nothing_is_lost_thoroughly(tmp_path, lines, breaks):
    check_invariants(tmp_path, _dump(lines, breaks).encode())
