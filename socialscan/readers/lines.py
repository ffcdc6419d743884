"""One post a line: the ``lines`` format, as Posts or as compact records read a block at a time.

:func:`line_record` is the one reading of a line (entities, kind, id, retweet); the line-by-line
reader (:func:`read_lines_format`) makes a :class:`~socialscan.records.Post` of it
(:func:`~socialscan.records.line_post`), and the fast path keeps it as a tuple of
:data:`~socialscan.records.LINE_FIELDS` that an encoder writes straight out
(:mod:`socialscan.export.encode`): no Post or dict per line. Blocks of bytes are split into
lines as :func:`~socialscan.readers.text.iter_lines` splits them
(:func:`~socialscan.readers.text.split_block`) and threaded by the one
:class:`~socialscan.readers.threads.ThreadJoiner`, which holds at most one record, so blocks can
be parsed apart and joined in order (:mod:`socialscan.readers.pool`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..records import Post, line_post, stable_digest
from ..text.entities import (
    decode_entities,
    is_url_only,
    leading_handles,
    post_entities,
    url_pattern,
)
from .dump import thread_marker
from .repeats import is_retweet_text, repeat_key
from .stats import ParseStats
from .text import split_block
from .threads import ThreadJoiner

#: One line's record: :data:`~socialscan.records.LINE_FIELDS` in order. ``thread_id`` is
#: given when the record is emitted, ``duplicate_of`` once the records before it are known
#: (see :func:`~socialscan.readers.pool.iter_line_items`).
LineRecord = tuple[str, str, str, int, list, list, list, list, list, list, bool, str | None]


def line_record(n: int, line: str, source_key: str, keys: list[bytes] | None = None) -> LineRecord:
    """The record of non-blank line ``n``: its HTML character references decoded
    (``&amp;`` -> ``&``: such files are mostly exported API text), its id that of the line as
    written. ``keys``, when given, gets the record's
    :func:`~socialscan.readers.repeats.repeat_key` and 8-byte id.

    Examples:
        >>> line_record(4, "@ann R&amp;D 1/2 https://t.co/x", "a.txt")[1:6]
        ('reply', '@ann R&D 1/2 https://t.co/x', 4, ['https://t.co/x'], ['ann'])
    """
    text = decode_entities(line) if "&" in line else line
    rx = url_pattern(text)
    links, mentions, hashtags, cashtags, emojis = post_entities(text, rx)
    reply_to: list[str] = []
    if rx is not None and is_url_only(text):
        kind = "link"
    elif ("@" in text or "＠" in text) and (reply_to := leading_handles(text)):
        kind = "reply"
    else:
        kind = "post"
    digest = stable_digest(source_key, n, line)
    if keys is not None:
        keys.append(repeat_key(text, rx) + digest)
    return (
        digest.hex(), kind, text, n, links, mentions, hashtags, cashtags, emojis, reply_to,
        is_retweet_text(text), None,
    )  # fmt: skip


def read_lines_format(
    lines: Iterator[tuple[int, str]], source: str, stats: ParseStats, source_key: str | None = None
) -> Iterator[Post]:
    """One post per non-blank line (:func:`line_record`), threads not yet assigned."""
    key = source_key or source
    for n, line in lines:
        if line and not line.isspace():
            yield line_post(line_record(n, line, key), None, source)


@dataclass
class BlockCounts:
    """What one block held (added to :class:`~socialscan.readers.stats.ParseStats`)."""

    lines: int = 0
    blank_lines: int = 0
    bytes_replaced: int = 0
    posts: int = 0
    replies: int = 0
    links: int = 0
    threads: int = 0

    def add_to(self, stats: Any) -> None:
        """Add these counts to a stats object."""
        stats.lines += self.lines
        stats.blank_lines += self.blank_lines
        stats.bytes_replaced += self.bytes_replaced
        stats.posts += self.posts
        stats.replies += self.replies
        stats.links += self.links
        stats.threads += self.threads


def line_records(
    lines: Iterable[str],
    first_line: int,
    source_key: str,
    counts: BlockCounts,
    keys: list[bytes] | None = None,
) -> Iterator[LineRecord]:
    """Records for the non-blank lines, numbered from ``first_line`` (a generator).

    ``counts`` is filled as the lines go by (``lines`` once they are all read); ``keys`` as in
    :func:`line_record`.

    Examples:
        >>> c = BlockCounts()
        >>> [(r[1], r[3], r[5]) for r in line_records(["@ann hi", " ", "https://t.co/x"], 1, "a.txt", c)]
        [('reply', 1, ['ann']), ('link', 3, [])]
        >>> c.lines, c.blank_lines, c.replies, c.links
        (3, 1, 1, 1)
    """
    n = first_line - 1
    blank = posts = replies = link_lines = 0
    for line in lines:
        n += 1
        if not line or line.isspace():
            blank += 1
            continue
        rec = line_record(n, line, source_key, keys)
        kind = rec[1]
        if kind == "post":
            posts += 1
        elif kind == "reply":
            replies += 1
        else:
            link_lines += 1
        yield rec
    counts.lines += n - first_line + 1
    counts.blank_lines += blank
    counts.posts += posts
    counts.replies += replies
    counts.links += link_lines


def threadable(rec: LineRecord) -> bool:
    """Whether a record may be part of a thread (numbered ``1/n`` or 🧵, not a link line): one
    post a line, :func:`~socialscan.readers.threads.same_thread` of two such records."""
    return rec[1] != "link" and thread_marker(rec[2])


def line_joiner(emit: Any) -> ThreadJoiner:
    """The :class:`~socialscan.readers.threads.ThreadJoiner` of line records: any two
    threadable ones in a row continue a thread, whose id is its first record's."""
    return ThreadJoiner(emit, None, _first_id)


def _first_id(rec: LineRecord) -> str:
    return rec[0]


@dataclass
class Block:
    """One parsed block, ready to be joined to its neighbours in input order.

    Attributes:
        head: The records before the block's first non-threadable one: their threads depend
            on the blocks before. All the records when ``has_break`` is false.
        body: The other records, encoded for the output, threads settled (but for those the
            joiner still holds at the end, ``state``).
        has_break: The block holds a record that is not threadable.
        state: The joiner's :meth:`~socialscan.readers.threads.ThreadJoiner.state` at the
            block's end: a record the next block may thread, a run still open.
        records: Records in the block.
        counts: Counts for the block.
        keys: Each record's :func:`~socialscan.readers.repeats.repeat_key` and 8-byte id, in
            block order (``head``, ``body``, the held record), for marking repeated texts.
    """

    head: list[LineRecord]
    body: Any
    has_break: bool
    state: tuple[Any, str | None, Any]
    records: int
    counts: BlockCounts
    keys: bytes = b""

    @property
    def held(self) -> LineRecord | None:
        """A threadable record at the block's end that the next block may thread."""
        return self.state[0]


def parse_block(
    data: bytes,
    first_line: int,
    source_key: str,
    encoder: Any,
) -> Block:
    """Parse a block of one-post-a-line bytes whose first line is ``first_line``.

    Runs in a worker process. ``encoder`` (see :mod:`socialscan.export.encode`) turns settled
    records into what the writer takes: JSONL bytes, CSV text, or dicts for Parquet.
    """
    counts = BlockCounts()
    lines, counts.bytes_replaced = split_block(data)
    head: list[LineRecord] = []
    parts: list[Any] = []
    one = encoder.one
    append = parts.append
    joiner = line_joiner(lambda rec, tid: append(one(rec, tid)))
    keys: list[bytes] = []
    recs = line_records(lines, first_line, source_key, counts, keys)
    has_break = False
    for rec in recs:
        if threadable(rec):
            head.append(rec)
        else:
            has_break = True
            joiner.add(rec, False)
            break
    add = joiner.add
    for rec in recs:
        text = rec[2]
        if ("/" in text or "🧵" in text) and threadable(rec):
            add(rec, True)
        elif joiner.last is None:
            append(one(rec, None))  # the common case, inlined
        else:
            add(rec, False)
    counts.threads = joiner.threads
    n = len(head) + len(parts) + (joiner.held is not None)
    body = encoder.join(parts)
    return Block(head, body, has_break, joiner.state(), n, counts, b"".join(keys))
