"""Cutting inputs into partitions and parsing one partition, with the same records as one process.

A partition is a whole file or a byte range of one. Only one-post-a-line text (``lines``) and
JSON lines (``jsonl``) are split, and only right after a ``\\n``, so no line is ever cut; each
range knows how many lines come before it, so line numbers stay 1-based and file-wide. Raw dumps
(``dump``), CSV (quoted fields span lines), archives and JSON documents (a pretty-printed array)
stay whole: the dump segmenter reads layout and embedding continuity across neighbouring lines,
and any cut could move a boundary. Those parallelise across files.

Threads may run across a cut (consecutive records of one conversation, or numbered ``1/n``
posts). Partitions are parsed without threads first; :func:`link_partitions` then decides, from
each partition's first and last records only, which runs continue over a cut, and
:func:`assign_partition_threads` gives every record the ``thread_id`` one pass would.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputNotFound, InvalidOption, UnknownFormat, UnreadableInput
from ..readers import FORMATS, json_document, resolve_format
from ..readers.blocks import line_spans
from ..readers.stats import ParseStats
from ..readers.threads import same_thread
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
        posts: Its records, in input order (threads not yet assigned across cuts).
        stats: Counts for this partition.
        runs: Thread runs as ``(start, stop)`` index ranges over ``posts`` (split pieces only).
    """

    part: Partition
    posts: list[Post]
    stats: ParseStats
    runs: list[tuple[int, int]] = field(default_factory=list)

    def ends(self) -> PartitionEnds:
        """The small summary :func:`link_partitions` works from."""
        if not self.posts:
            return PartitionEnds(self.part.source, None, None, None, False)
        last_run = self.runs[-1] if self.runs else (len(self.posts) - 1, len(self.posts))
        head = self.posts[last_run[0]]
        return PartitionEnds(
            self.part.source,
            self.posts[0],
            self.posts[-1],
            head.conversation_id or head.id,
            len(self.runs) == 1,
        )


@dataclass(frozen=True)
class PartitionEnds:
    """First and last record of a partition, the thread id its last run would take, one run?"""

    source: str
    first: Post | None
    last: Post | None
    last_run_tid: str | None
    one_run: bool


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
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(posts) + 1):
        if i == len(posts) or not same_thread(posts[i - 1], posts[i]):
            runs.append((start, i))
            start = i
    return ParsedPartition(part, posts, stats, runs if posts else [])


@dataclass(frozen=True)
class ThreadLinks:
    """How a split partition's threads meet its neighbours.

    Attributes:
        head_tid: The thread id of a run that continues into this partition's first record.
        continues: Whether this partition's last run continues into the next partition.
    """

    head_tid: str | None = None
    continues: bool = False


def link_partitions(ends: Sequence[PartitionEnds]) -> list[ThreadLinks]:
    """Which thread runs cross each cut, from each partition's ends (runs on the client).

    ``ends`` are in plan order; runs never cross from one file to the next.

    Examples:
        >>> link_partitions([PartitionEnds("a", None, None, None, False)])
        [ThreadLinks(head_tid=None, continues=False)]
    """
    links = [ThreadLinks() for _ in ends]
    prev: int | None = None  # last non-empty partition of the current file
    carry: str | None = None  # thread id of the run that ends partition `prev`
    for i, e in enumerate(ends):
        if prev is not None and ends[prev].source != e.source:
            prev, carry = None, None
        if e.first is None:
            continue
        head = None
        if prev is not None and same_thread(ends[prev].last, e.first):
            head = carry
            links[prev] = ThreadLinks(links[prev].head_tid, True)
        links[i] = ThreadLinks(head, False)
        carry = head if (head is not None and e.one_run) else e.last_run_tid
        prev = i
    return links


def assign_partition_threads(parsed: ParsedPartition, links: ThreadLinks) -> tuple[list[Post], int]:
    """Set ``thread_id`` on a split partition's records as one pass over the file would.

    Whole files already have their threads (from :func:`socialscan.readers.iter_posts`).
    Returns the records and the number of threads that start in this partition.
    """
    if parsed.part.whole:
        return parsed.posts, parsed.stats.threads
    posts = parsed.posts
    threads = 0
    last = len(parsed.runs) - 1
    for r, (a, b) in enumerate(parsed.runs):
        if r == 0 and links.head_tid is not None:
            tid = links.head_tid
        elif b - a > 1 or (r == last and links.continues):
            tid = posts[a].conversation_id or posts[a].id
            threads += 1
        else:
            continue
        for p in posts[a:b]:
            p.thread_id = tid
    return posts, threads


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
