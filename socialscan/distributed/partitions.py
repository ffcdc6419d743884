"""Cutting inputs into partitions and parsing one partition, with the same records as one process.

A partition is a whole file or a byte range of one. Only one-post-a-line text (``lines``) and
JSON lines (``jsonl``) are split, by the splitter the local pool uses
(:mod:`socialscan.readers.blocks`): right after a ``\\n``, each range knowing how many lines
come before it, so line numbers stay 1-based and file-wide. Raw dumps
(``dump``), CSV (quoted fields span lines), archives and JSON documents (a pretty-printed array)
stay whole: the dump segmenter reads layout and embedding continuity across neighbouring lines,
and any cut could move a boundary. Those parallelise across files.

Threads may run across a cut (consecutive records of one conversation, or numbered ``1/n``
posts). Each worker threads its range with the one joiner
(:class:`~socialscan.readers.threads.ThreadJoiner`) but for its ends: the run it starts with
and what the joiner holds at its end. :func:`link_partitions` runs the same joiner over those
ends, in input order, on the client, and :func:`assign_partition_threads` gives every record
the ``thread_id`` one pass would.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputNotFound, InvalidOption, UnknownFormat, UnreadableInput
from ..readers import FORMATS, json_document, resolve_format
from ..readers.blocks import line_spans
from ..readers.stats import ParseStats
from ..readers.threads import ThreadJoiner, same_thread, thread_key
from ..records import Post

#: Formats whose files may be cut at line boundaries.
SPLITTABLE = ("lines", "jsonl")
#: Default target size of a partition when ``partitions`` is not given.
DEFAULT_BLOCKSIZE = 64 * 1024 * 1024
#: Smallest block ``min_partitions`` may shrink partitions to.
MIN_BLOCKSIZE = 1024 * 1024


@dataclass(frozen=True)
class Partition:
    """One unit of parallel work: a whole input file, or a byte range of a splittable one.

    Attributes:
        index: Position in the plan (input order); names the Parquet part file.
        source: The input path as given (the records' ``source``).
        format: The resolved input format.
        start: First byte of the range.
        end: Byte just past the range (``None``: to the end of the file).
        line_offset: Lines before ``start`` (line numbers in the range are shifted by it).
        whole: True when this partition is the entire file (parsed exactly as one process does).
        piece: Position of this range within its file (0 for the first).
    """

    index: int
    source: str
    format: str
    start: int = 0
    end: int | None = None
    line_offset: int = 0
    whole: bool = True
    piece: int = 0


def _check_file(source: str) -> None:
    if source == "-":
        raise InvalidOption("--engine dask reads files, not stdin: give input paths")
    p = Path(source)
    if not p.exists():
        raise InputNotFound(f"{source}: no such file")
    if p.is_dir():
        raise UnreadableInput(f"{source}: is a directory, not a file")


def _utf16(path: str) -> bool:
    from ..readers.text import utf16_encoding

    with open(path, "rb") as fh:
        return utf16_encoding(fh.read(4096)) is not None


def plan_partitions(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    partitions: int | None = None,
    blocksize: int = DEFAULT_BLOCKSIZE,
    min_partitions: int = 1,
    stats: ParseStats | None = None,
) -> list[Partition]:
    """Partitions for ``inputs``, in input order.

    Args:
        inputs: A path or a list of paths (not stdin).
        format: As in :func:`socialscan.parse`; ``auto`` is resolved per file.
        partitions: Roughly how many partitions in all: the bytes of splittable files are shared
            out to reach it (a file is never cut into more pieces than it has lines). ``None``:
            one per file, and ``lines``/``jsonl`` files over ``blocksize`` cut into blocks.
        blocksize: Target partition size in bytes when ``partitions`` is ``None``.
        min_partitions: When ``partitions`` is ``None``, use smaller blocks (down to
            :data:`MIN_BLOCKSIZE`) to make at least this many (e.g. one per worker thread).
        stats: Notes the plain-text files ``auto`` reads as one post a line
            (``read_as_lines``), for the summary.

    Raises:
        InvalidOption: stdin, or ``partitions`` below 1.
        InputNotFound, UnreadableInput, UnknownFormat: bad inputs.

    Examples:
        >>> [(p.format, p.whole) for p in plan_partitions("corpora/seed_dump.txt", partitions=4)]  # doctest: +SKIP
        [('dump', True)]
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    if partitions is not None and partitions < 1:
        raise InvalidOption(f"--partitions must be at least 1, not {partitions}")
    if format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}: choose {', '.join(FORMATS)}")
    files = []
    for source in map(str, inputs):
        _check_file(source)
        fmt = resolve_format(source, format, stats)  # one post a line: lines, cut up
        splittable = fmt in SPLITTABLE and not _utf16(source)
        splittable = splittable and not (fmt == "jsonl" and json_document(source))
        files.append((source, fmt, os.path.getsize(source), splittable))
    if partitions is not None:
        total = sum(size for _, _, size, s in files if s)
        share = max(0, partitions - sum(1 for *_, s in files if not s))
        block = max(1, -(-total // share)) if share else None
    else:
        total = sum(size for _, _, size, s in files if s)
        block = min(blocksize, max(MIN_BLOCKSIZE, -(-total // max(1, min_partitions))))
    plan: list[Partition] = []
    for source, fmt, size, splittable in files:
        pieces = max(1, round(size / block)) if splittable and block and size else 1
        if pieces == 1:
            plan.append(Partition(len(plan), source, fmt))
            continue
        spans = line_spans(source, pieces)
        for piece, (a, b, offset) in enumerate(spans):
            plan.append(Partition(len(plan), source, fmt, a, b, offset, len(spans) == 1, piece))
    return plan


class _RangeIO(io.RawIOBase):
    """Bytes ``[start, end)`` of a file as a raw stream (wrapped in a BufferedReader)."""

    def __init__(self, path: str, start: int, end: int | None):
        self._fh = open(path, "rb")  # noqa: SIM115 (closed by close())
        self._fh.seek(start)
        self._left = None if end is None else end - start

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = len(b) if self._left is None else min(len(b), self._left)
        data = self._fh.read(n)
        b[: len(data)] = data
        if self._left is not None:
            self._left -= len(data)
        return len(data)

    def close(self) -> None:
        self._fh.close()
        super().close()


def _range_lines(part: Partition, stats: ParseStats) -> Iterator[tuple[int, str]]:
    from ..readers.text import iter_lines

    fh = io.BufferedReader(_RangeIO(part.source, part.start, part.end), 1 << 16)
    try:
        for n, text in iter_lines(fh, stats, name=part.source):
            yield n + part.line_offset, text
    finally:
        fh.close()


@dataclass
class ParsedPartition:
    """Records of one partition and what a cut needs to know about its ends.

    Attributes:
        part: The partition.
        posts: Its records, in input order, threaded but for their ends (split pieces).
        stats: Counts for this partition.
        head: Records in the run the partition starts with: their thread depends on the
            partitions before.
        state: The joiner's state after the other records
            (:meth:`~socialscan.readers.threads.ThreadJoiner.state`).
        threads: Threads settled inside the partition.
    """

    part: Partition
    posts: list[Post]
    stats: ParseStats
    head: int = 0
    state: tuple = (None, None, None)
    threads: int = 0

    def ends(self) -> PartitionEnds:
        """The small summary :func:`link_partitions` works from."""
        if self.part.whole or not self.posts:
            return PartitionEnds(self.part.piece)
        held, tid, last = self.state
        return PartitionEnds(
            self.part.piece, self.posts[0], self.posts[self.head - 1], held, tid, last
        )


@dataclass(frozen=True)
class PartitionEnds:
    """A split partition's ends: the first and last record of the run it starts with, and the
    joiner's state after the rest (``held``, ``tid``, ``last``; all ``None`` when that run is
    the whole partition). ``first`` is ``None`` for an empty or whole partition."""

    piece: int
    first: Post | None = None
    head_last: Post | None = None
    held: Post | None = None
    tid: str | None = None
    last: Post | None = None


def parse_partition(
    part: Partition, strict: bool = False, segmenter: str = "auto"
) -> ParsedPartition:
    """Parse one partition (runs on a worker).

    A whole file goes through :func:`socialscan.readers.iter_posts`, the single-process path
    itself. A range is read with the same line reader (line numbers shifted by
    ``part.line_offset``) and the same record reader; its threads are assigned later by
    :func:`assign_partition_threads`.

    Raises:
        InputNotFound: the worker cannot see the file (on a cluster: give paths every worker
            can open, e.g. absolute paths on a shared filesystem).
    """
    if not Path(part.source).is_file():
        raise InputNotFound(
            f"{part.source}: no such file on worker (give paths every worker can open)"
        )
    stats = ParseStats()
    if part.whole:
        from ..readers import iter_posts

        posts = list(
            iter_posts(
                part.source, format=part.format, stats=stats, strict=strict, segmenter=segmenter
            )
        )
        return ParsedPartition(part, posts, stats)
    stats.inputs = 1 if part.piece == 0 else 0
    lines = _range_lines(part, stats)
    if part.format == "lines":
        from ..readers.lines import read_lines_format

        posts = list(
            read_lines_format(lines, part.source, stats, source_key=Path(part.source).name)
        )
    else:
        from ..readers.jsonl import read_jsonl

        posts = list(read_jsonl(lines, part.source, stats, strict=strict))
    for post in posts:
        stats.count(post)
    head = min(1, len(posts))
    while head < len(posts) and same_thread(posts[head - 1], posts[head]):
        head += 1
    joiner = ThreadJoiner(_set_thread, same_thread)
    for post in posts[head:]:
        joiner.add(post)
    return ParsedPartition(part, posts, stats, head, joiner.state(), joiner.threads)


def _set_thread(post: Post, tid: str | None) -> None:
    if tid is not None:
        post.thread_id = tid


@dataclass
class ThreadLinks:
    """How a split partition's threads meet its neighbours.

    Attributes:
        head_tid: The thread id of the run the partition starts with, when it has one.
        tail_tid: The thread id of the record the partition's joiner held at its end, when
            the next partition continues it.
        threads: Threads that start in this partition at one of its ends.
    """

    head_tid: str | None = None
    tail_tid: str | None = None
    threads: int = 0


def link_partitions(ends: Sequence[PartitionEnds]) -> list[ThreadLinks]:
    """Which thread runs cross each cut, from each partition's ends (runs on the client).

    ``ends`` are in plan order; runs never cross from one file to the next.

    Examples:
        >>> link_partitions([PartitionEnds(0)])
        [ThreadLinks(head_tid=None, tail_tid=None, threads=0)]
    """
    links = [ThreadLinks() for _ in ends]

    def emit(end: tuple[str, int, Post], tid: str | None) -> None:
        which, i, _ = end
        if which == "head":
            links[i].head_tid = tid
        elif which == "held":
            links[i].tail_tid = tid

    joiner = ThreadJoiner(emit, lambda a, b: same_thread(a[2], b[2]), lambda e: thread_key(e[2]))

    def add(end: tuple[str, int, Post]) -> None:
        held, before = joiner.held, joiner.threads
        joiner.add(end)
        if joiner.threads > before:  # a run starts at the held record, in its partition
            links[held[1]].threads += 1

    for i, e in enumerate(ends):
        if e.piece == 0:
            joiner.close()  # a new file
        if e.first is None:
            continue
        add(("head", i, e.first))
        if e.head_last is not e.first:
            add(("head_last", i, e.head_last))
        if e.last is not None:  # the head run ended inside the partition
            joiner.close()
            held = None if e.held is None else ("held", i, e.held)
            joiner.resume((held, e.tid, ("last", i, e.last)))
    joiner.close()
    return links


def assign_partition_threads(parsed: ParsedPartition, links: ThreadLinks) -> tuple[list[Post], int]:
    """Set ``thread_id`` on a split partition's records as one pass over the file would.

    Whole files already have their threads (from :func:`socialscan.readers.iter_posts`).
    Returns the records and the number of threads that start in this partition.
    """
    if parsed.part.whole:
        return parsed.posts, parsed.stats.threads
    posts = parsed.posts
    if links.head_tid is not None:
        for p in posts[: parsed.head]:
            p.thread_id = links.head_tid
    if links.tail_tid is not None:
        posts[-1].thread_id = links.tail_tid
    return posts, parsed.threads + links.threads


def merge_stats(parts: Sequence[ParseStats]) -> ParseStats:
    """One :class:`ParseStats` summing those of several partitions (skipped lines in order)."""
    out = ParseStats()
    for s in parts:
        for name in ("lines", "blank_lines", "bytes_replaced", "posts", "replies", "links"):
            setattr(out, name, getattr(out, name) + getattr(s, name))
        out.threads += s.threads
        out.skipped += s.skipped
        out.inputs += s.inputs
        out.sources.extend(x for x in s.sources if x not in out.sources)
        out.duplicate_ids += s.duplicate_ids
        out.skipped_lines.extend(s.skipped_lines)
        for k, v in s.skip_reasons.items():
            out.skip_reasons[k] = out.skip_reasons.get(k, 0) + v
        out.segmenters |= s.segmenters
        out.read_as_lines.extend(x for x in s.read_as_lines if x not in out.read_as_lines)
        out.warnings.extend(s.warnings)
    out.skipped_lines = out.skipped_lines[:20]
    return out
