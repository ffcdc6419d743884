"""One post a line, read a block of bytes at a time: the ``lines`` format's fast path.

A block is decoded once and split into lines (LF, CRLF or a lone CR, as
:func:`~socialscan.readers.text.iter_lines` does); each non-blank line becomes a small tuple
(:data:`LineRecord`), and the tuples are encoded for the output as they come (see
:mod:`socialscan.export.encode`): no :class:`~socialscan.records.Post` or dict per line. The
records, ids, spans and counts are those of the line-by-line reader (``read_lines_format``);
``tests/test_parse_parallel.py`` checks it.

Threads (consecutive posts numbered ``1/n`` or marked 🧵) are linked by :class:`ThreadLinker`,
which holds at most one record, so blocks can be parsed apart and joined in order
(:mod:`socialscan.readers.pool`).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..text.entities import decode_entities, extract_emojis, links_by, url_pattern
from ..text.patterns import CASHTAG_RE, HASHTAG_RE, LEADING_HANDLES_RE, MENTION_RE, URL_ONLY_RE
from .dump import thread_marker
from .repeats import is_retweet_text, repeat_key
from .text import _FFFD, LINE_BREAK, _split_raw

#: ``(id, kind, text, line, links, mentions, hashtags, cashtags, emojis, reply_to, is_retweet,
#: duplicate_of)``: one line's record; every other column is ``None`` for one-post-a-line
#: text (``thread_id`` is set when the record is emitted, ``duplicate_of`` once the records
#: before it are known: see :func:`~socialscan.readers.pool.iter_line_items`).
LineRecord = tuple[str, str, str, int, list, list, list, list, list, list, bool, str | None]


def split_block(data: bytes) -> tuple[list[str], int]:
    """The lines of a block of bytes and how many bytes were replaced by U+FFFD.

    ``data`` should end right after a line break, or at the end of the input; a final break
    ends the last line (it does not start an empty one).

    Examples:
        >>> split_block(b"one\\r\\ntwo\\rthree\\n\\xff\\n")
        (['one', 'two', 'three', '\\ufffd'], 1)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _split_replacing(data)
    lines = LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines, 0


def _split_replacing(data: bytes) -> tuple[list[str], int]:
    """Line by line, as the streaming reader does, so replacements are counted the same way."""
    lines: list[str] = []
    replaced = 0
    for raw in io.BytesIO(data):
        for piece in _split_raw(raw):
            try:
                lines.append(piece.decode("utf-8"))
            except UnicodeDecodeError:
                text = piece.decode("utf-8", "replace")
                replaced += text.count("\ufffd") - piece.count(_FFFD)
                lines.append(text)
    return lines, replaced


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

    ``counts`` is filled as the lines go by (``lines`` once they are all read). A line's HTML
    character references are decoded (``&amp;`` -> ``&``) as ``read_lines_format`` does; its
    id is that of the line as written. ``keys``, when given, gets each record's
    :func:`~socialscan.readers.repeats.repeat_key` and 8-byte id, in order.

    Examples:
        >>> c = BlockCounts()
        >>> [(r[1], r[3], r[5]) for r in line_records(["@ann hi", " ", "https://t.co/x"], 1, "a.txt", c)]
        [('reply', 1, ['ann']), ('link', 3, [])]
        >>> c.lines, c.blank_lines, c.replies, c.links
        (3, 1, 1, 1)
    """
    # entities.post_entities inlined (same prefilters, same regexes; a test holds them equal)
    blake2b = hashlib.blake2b
    url_only = URL_ONLY_RE.match
    handles = LEADING_HANDLES_RE.match
    mentions_in = MENTION_RE.findall
    hashtags_in = HASHTAG_RE.findall
    cashtags_in = CASHTAG_RE.findall
    fromkeys = dict.fromkeys
    prefix = f"{source_key}\0"
    n = first_line - 1
    blank = posts = replies = link_lines = 0
    for line in lines:
        n += 1
        if not line or line.isspace():
            blank += 1
            continue
        text = decode_entities(line) if "&" in line else line
        rx = url_pattern(text)
        url = rx is not None
        links = links_by(text, rx) if url else []
        at = "@" in text or "＠" in text
        hash_ = "#" in text or "＃" in text
        cash = "$" in text
        if at or hash_ or cash:
            rest = rx.sub(" ", text) if url else text
            mentions = mentions_in(rest) if at else []
            if len(mentions) > 1:
                mentions = list(fromkeys(mentions))
            hashtags = hashtags_in(rest) if hash_ else []
            if len(hashtags) > 1:
                hashtags = list(fromkeys(hashtags))
            cashtags = cashtags_in(rest) if cash else []
            if len(cashtags) > 1:
                cashtags = list(fromkeys(cashtags))
        else:
            mentions, hashtags, cashtags = [], [], []
        emojis = [] if text.isascii() else extract_emojis(text)
        reply_to: list[str] = []
        if url and url_only(text):
            kind = "link"
            link_lines += 1
        elif at and (m := handles(text)):
            reply_to = [h.lstrip("@＠") for h in m.group(1).split()]
            kind = "reply"
            replies += 1
        else:
            kind = "post"
            posts += 1
        # records.stable_id(source_key, n, line) in one call
        digest = blake2b(
            f"{prefix}{n}\0".encode() + line.encode("utf-8", "surrogatepass"), digest_size=8
        ).digest()
        retweet = "RT" in text[:8] and is_retweet_text(text)
        if keys is not None:
            keys.append(repeat_key(text, rx) + digest)
        yield (
            digest.hex(), kind, text, n, links, mentions, hashtags, cashtags, emojis, reply_to,
            retweet, None,
        )  # fmt: skip
    counts.lines += n - first_line + 1
    counts.blank_lines += blank
    counts.posts += posts
    counts.replies += replies
    counts.links += link_lines


def threadable(rec: LineRecord) -> bool:
    """Whether a record may be part of a thread (numbered ``1/n`` or 🧵, not a link line)."""
    return rec[1] != "link" and thread_marker(rec[2])


class ThreadLinker:
    """Links runs of consecutive threadable records, streaming, holding at most one record.

    A run of two or more takes its first record's id as ``thread_id``, as
    :func:`~socialscan.readers.threads.assign_threads` does for one-post-a-line input. Feed
    records in order with :meth:`add`; :meth:`close` at the end of an input.

    Attributes:
        emit: Called as ``emit(record, thread_id)`` once a record's thread is settled, in order.
        held: A threadable record that may yet start a run.
        tid: The thread id of the run in progress once it has two records.
        threads: Runs that reached two records here.

    Examples:
        >>> out = []
        >>> t = ThreadLinker(lambda r, tid: out.append((r[0], tid)))
        >>> for rid, text in [("a", "x 1/2"), ("b", "y 2/2"), ("c", "z")]:
        ...     t.add((rid, "post", text, 0, [], [], [], [], [], [], False, None))
        >>> t.close(); out
        [('a', 'a'), ('b', 'a'), ('c', None)]
    """

    __slots__ = ("emit", "held", "tid", "threads")

    def __init__(self, emit: Callable[[LineRecord, str | None], Any]):
        self.emit = emit
        self.held: LineRecord | None = None
        self.tid: str | None = None
        self.threads = 0

    def add(self, rec: LineRecord, is_threadable: bool | None = None) -> None:
        """Take the next record (``is_threadable`` when already known)."""
        if is_threadable is None:
            is_threadable = threadable(rec)
        if not is_threadable:
            if self.held is not None or self.tid is not None:
                self.close()
            self.emit(rec, None)
        elif self.tid is not None:
            self.emit(rec, self.tid)
        elif self.held is not None:
            held, self.held = self.held, None
            self.tid = held[0]
            self.threads += 1
            self.emit(held, self.tid)
            self.emit(rec, self.tid)
        else:
            self.held = rec

    def close(self) -> None:
        """End the run in progress (at a non-threadable record or the end of an input)."""
        if self.held is not None:
            held, self.held = self.held, None
            self.emit(held, None)
        self.tid = None


@dataclass
class Block:
    """One parsed block, ready to be joined to its neighbours in input order.

    Attributes:
        head: The records before the block's first non-threadable one: their threads depend
            on the blocks before. All the records when ``has_break`` is false.
        body: The other records, encoded for the output, threads settled (but for ``held``).
        has_break: The block holds a record that is not threadable.
        held: A threadable record at the block's end that the next block may thread.
        tid: The thread id of a run still open at the block's end.
        records: Records in the block.
        counts: Counts for the block.
        keys: Each record's :func:`~socialscan.readers.repeats.repeat_key` and 8-byte id, in
            block order (``head``, ``body``, ``held``), for marking repeated texts.
    """

    head: list[LineRecord]
    body: Any
    has_break: bool
    held: LineRecord | None
    tid: str | None
    records: int
    counts: BlockCounts
    keys: bytes = b""


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

    def emit(rec: LineRecord, tid: str | None) -> None:
        append(one(rec, tid))

    linker = ThreadLinker(emit)
    keys: list[bytes] = []
    recs = line_records(lines, first_line, source_key, counts, keys)
    has_break = False
    for rec in recs:
        if threadable(rec):
            head.append(rec)
        else:
            has_break = True
            linker.add(rec, False)
            break
    for rec in recs:
        text = rec[2]
        if ("/" in text or "🧵" in text) and rec[1] != "link" and thread_marker(text):
            linker.add(rec, True)
        elif linker.held is None and linker.tid is None:
            append(one(rec, None))  # the common case, inlined
        else:
            linker.add(rec, False)
    counts.threads = linker.threads
    n = len(head) + len(parts) + (linker.held is not None)
    body = encoder.join(parts)
    return Block(head, body, has_break, linker.held, linker.tid, n, counts, b"".join(keys))
