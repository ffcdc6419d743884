"""One-post-a-line input parsed in blocks on every core, written in input order, streaming.

The input is cut into blocks of about :data:`BLOCK_BYTES` at line ends
(:func:`~socialscan.readers.blocks.iter_blocks`), each numbered with the lines before it.
Blocks are parsed by :func:`~socialscan.readers.lines.parse_block` in forked worker processes,
at most a few at a time, and their encoded records are handed to the writer in input order;
threads that run across a cut are joined here by the same joiner, from each block's ends.
Inputs under :data:`PARALLEL_MIN_BYTES` never start a process: the same blocks are parsed in
this one.
"""

from __future__ import annotations

import codecs
import collections
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import UnreadableInput
from ..export.writers import Encoded, Spooled
from .blocks import iter_blocks
from .lines import Block, line_joiner, parse_block
from .stats import ParseStats
from .text import open_binary, sniff_blocks_input

#: Bytes per block: small enough that a few in flight keep memory low, big enough that
#: shipping them to a worker costs little next to parsing them.
BLOCK_BYTES = 1024 * 1024
#: Below this many bytes one process is used: on 2 shared cores the second worker only pays
#: off once there is work for several blocks on each (see bench/bench_parse.py).
PARALLEL_MIN_BYTES = 6 * 1024 * 1024


def default_workers() -> int:
    """Worker processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _parse_task(args: tuple[Any, int, str, Any, str | None]) -> Block:
    data, first_line, source_key, encoder, spool = args
    if isinstance(data, tuple):  # (path, offset, length): read here, not shipped through a pipe
        path, offset, length = data
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.pread(fd, length, offset)
        finally:
            os.close(fd)
        if len(data) != length:
            raise UnreadableInput(f"{path}: changed while it was read")
    block = parse_block(data, first_line, source_key, encoder)
    body = block.body
    if spool is not None and isinstance(getattr(body, "data", None), bytes):
        # hand JSONL back through a file rather than the result pipe: the parent copies it
        # into the output in the kernel (sendfile) instead of unpickling it
        fd, path = tempfile.mkstemp(dir=spool, suffix=".jsonl")
        with os.fdopen(fd, "wb") as fh:
            fh.write(body.data)
        block.body = Spooled(path, body.count)
    return block


class _Workers:
    """A fork pool started on first use and shared by the inputs of one parse.

    Workers hand JSONL blocks back as files in a private temporary directory (in memory,
    under /dev/shm, where there is one), at most a few blocks at a time; it goes with the pool.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.pool: Any = None
        self.spool: str | None = None

    def get(self) -> Any:
        if self.pool is None:
            import multiprocessing

            shm = "/dev/shm"
            base = shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
            self.spool = tempfile.mkdtemp(prefix="socialscan-", dir=base)
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        if self.spool is not None:
            shutil.rmtree(self.spool, ignore_errors=True)
            self.spool = None


def _blocks_parsed(
    blocks: Iterator[tuple[bytes, int]],
    source_key: str,
    encoder: Any,
    workers: _Workers | None,
    size: int | None,
    path: tuple[str, int] | None = None,
) -> Iterator[Block]:
    """Parsed blocks in input order: here below :data:`PARALLEL_MIN_BYTES`, else in the pool.

    ``size`` is the input's size when known; a stream of unknown size (stdin) is parsed here
    until it has passed the threshold. ``path`` (a regular file and the offset of its first
    block) lets workers read their blocks themselves.
    """
    parallel = workers is not None and workers.workers > 1
    if not parallel or (size is not None and size < PARALLEL_MIN_BYTES):
        for data, first_line in blocks:
            yield parse_block(data, first_line, source_key, encoder)
        return
    if size is None:
        seen = 0
        for data, first_line in blocks:
            yield parse_block(data, first_line, source_key, encoder)
            seen += len(data)
            if seen >= PARALLEL_MIN_BYTES:
                break
        else:
            return
    assert workers is not None
    pool = workers.get()
    window: collections.deque = collections.deque()
    limit = 2 * workers.workers
    offset = path[1] if path else 0
    for data, first_line in blocks:
        ref: Any = (path[0], offset, len(data)) if path else data
        offset += len(data)
        task = (ref, first_line, source_key, encoder, workers.spool)
        window.append(pool.apply_async(_parse_task, (task,)))
        if len(window) >= limit:
            yield window.popleft().get()
    while window:
        yield window.popleft().get()


def iter_line_items(
    source: str | os.PathLike[str],
    encoder: Any,
    stats: ParseStats,
    workers: Any = None,
    on_records: Callable[[int], Any] | None = None,
    fallback: Callable[[], Iterator[Any]] | None = None,
    repeats: Any = None,
    on_lines: Callable[[int], Any] | None = None,
) -> Iterator[Any]:
    """What :func:`~socialscan.export.writers.write_records` takes for one ``lines`` input.

    Encoded blocks (JSONL bytes, CSV text) or record dicts (Parquet), in input order, with the
    records, threads and counts of ``iter_posts(source, format="lines")``.

    Args:
        source: A path or ``-`` for stdin.
        encoder: From :func:`socialscan.export.encode.line_encoder` for this source.
        stats: Counts are added to it.
        workers: A pool holder from :func:`make_workers` (``None``: this process only).
        on_records: Called with the number of records of each block written.
        fallback: Items for inputs this path does not read (UTF-16); required for them.
        repeats: The parse's :class:`~socialscan.readers.repeats.Repeats`, which marks each
            record that repeats an earlier text (of this input or one before) with
            ``duplicate_of``; a new one when ``None``.
        on_lines: Called with the number of input lines of each block written (progress).

    Raises:
        InputNotFound, UnreadableInput: a missing, directory or binary input.
    """
    from pathlib import Path

    fh = open_binary(source)
    try:
        fh, head, utf16 = sniff_blocks_input(fh, source)
        if utf16:
            if fallback is None:
                raise UnreadableInput(f"{source}: UTF-16 needs the line-by-line reader")
            yield from fallback()
            return
        bom = head.startswith(codecs.BOM_UTF8)
        stats.inputs += 1
        stats.sources.append(str(source))
        size = os.fstat(fh.fileno()).st_size if str(source) != "-" else None
        if size is not None and not Path(str(source)).is_file():
            size = None
        key = Path(str(source)).name
        yield from _joined(
            _blocks_parsed(
                iter_blocks(fh, BLOCK_BYTES),
                key,
                encoder,
                workers,
                size,
                None if size is None else (os.path.abspath(source), 3 * bom),
            ),
            encoder,
            stats,
            on_records,
            repeats,
            on_lines,
        )
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _repeat(rec: Any, dups: dict[int, str], i: int) -> Any:
    """A line record with its ``duplicate_of`` set, when it repeats an earlier text."""
    first = dups.get(i)
    return rec if first is None else (*rec[:-1], first)


def _patched(block: Block, dups: dict[int, str], encoder: Any) -> Any:
    """The block's body with ``duplicate_of`` set on its records that repeat earlier texts
    (``dups``: by index in the block, whose head comes before the body)."""
    start = len(block.head)
    end = block.records - (block.held is not None)
    mine = {i - start: rid for i, rid in dups.items() if start <= i < end}
    if not mine:
        return block.body
    body = block.body
    if type(body) is Spooled:  # a worker's JSONL file: patch it here
        with open(body.path, "rb") as fh:
            data = fh.read()
        os.unlink(body.path)
        body = Encoded(data, body.count)
    return encoder.patch(body, mine)


def _joined(
    blocks: Iterator[Block],
    encoder: Any,
    stats: ParseStats,
    on_records: Callable[[int], Any] | None,
    repeats: Any = None,
    on_lines: Callable[[int], Any] | None = None,
) -> Iterator[Any]:
    """Link threads across blocks, mark repeated texts, and yield the writer's items in order."""
    from .repeats import Repeats

    repeats = repeats if repeats is not None else Repeats(stats=stats)
    encoded = encoder.encodes_blocks  # JSONL/CSV: one item a block; Parquet: dicts
    parts: list[Any] = []
    one = encoder.one
    joiner = line_joiner(lambda rec, tid: parts.append(one(rec, tid)))

    def flush() -> Iterator[Any]:
        if parts:
            if encoded:
                yield encoder.join(parts)
            else:
                yield from parts
            parts.clear()

    for block in blocks:
        dups = repeats.block(block.keys)
        for i, rec in enumerate(block.head):
            joiner.add(_repeat(rec, dups, i), True)
        if block.has_break:
            joiner.close()
            yield from flush()
            body = _patched(block, dups, encoder) if dups else block.body
            if encoded:
                yield body
            else:
                yield from body
            held, tid, last = block.state
            if held is not None and dups:
                held = last = _repeat(held, dups, block.records - 1)
            joiner.resume((held, tid, last))
        else:
            yield from flush()
        block.counts.add_to(stats)
        if on_records is not None:
            on_records(block.records)
        if on_lines is not None:
            on_lines(block.counts.lines)
    joiner.close()
    yield from flush()
    stats.threads += joiner.threads


def make_workers(workers: int | None) -> _Workers:
    """A lazily started pool of ``workers`` processes (``None``: one per core)."""
    return _Workers(default_workers() if workers is None else max(1, workers))
