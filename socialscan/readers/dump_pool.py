"""Raw dumps segmented on every core, the records byte for byte those of one process.

The segmenter decides in blocks whose schedule depends only on how many non-blank lines
(items) come (:func:`~socialscan.segment.segmenter.blocks`): what a block costs (vectors,
features, the trees, the rules) depends on its items alone. So a dump can be cut at block
bounds, its pieces decided apart and the few things that carry over stitched in input order.
This module cuts and schedules; the parts are their own modules:

- :mod:`.dump_piece`: a :class:`~socialscan.readers.dump_piece.Piece` and what a worker makes
  of it, from a guess of **the page's frames** at its start
  (:class:`~socialscan.segment.frames.Frames`: a copied timeline's header and footer in
  progress, a separator's pull, the stamps in force): the state the frames reach over the
  block before it (its texts only, with the stamp kinds known so far). Here each guess is
  compared with the state the pieces before really left, and a piece is decided again, from
  that state, when they differ. So the guess only makes it fast.
- :mod:`.dump_stitch`: the post across a cut, threads and repeated texts, joined in order.
- :mod:`.dump_threads`: the thread rule that the worker and the parent share.
- :mod:`.post_rows`: records encoded in the worker as the writers write them.

Workers are the local pool's (:func:`~socialscan.readers.pool.make_workers`: forked, JSONL
handed back through spooled files); at most two pieces a worker are in flight, so memory
stays flat in the dump's size. Dumps under :data:`DUMP_PARALLEL_MIN_BYTES` and UTF-16 take
the one-process path; stdin, of no known size, is decided in this process until that many
bytes have come, then on the workers.
"""

from __future__ import annotations

import collections
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import UnreadableInput
from .blocks import iter_blocks
from .dump_piece import Decided, Piece, frames_state, parent_parts, piece_task
from .dump_stitch import Stitch
from .pool import BLOCK_BYTES
from .stats import ParseStats
from .text import open_binary, sniff_blocks_input, split_block

#: Dumps of fewer bytes are segmented in one process: a piece is a segmenter block or more
#: (4,096 non-blank lines), so smaller dumps hold too few pieces to share.
DUMP_PARALLEL_MIN_BYTES = 1024 * 1024
#: MiniLM takes ~20 times as long a line: from this size a dump holds blocks enough to share.
MINILM_PARALLEL_MIN_BYTES = 128 * 1024
#: Segmenter blocks per piece: each piece costs one block's frames more (its guess).
PIECE_BLOCKS = 1


def iter_dump_items(
    source: str | os.PathLike[str],
    to: str,
    stats: ParseStats,
    workers: Any,
    segmenter: str = "auto",
    on_records: Callable[[int], Any] | None = None,
    fallback: Callable[[], Iterator[Any]] | None = None,
    repeats: Any = None,
    on_lines: Callable[[int], Any] | None = None,
) -> Iterator[Any]:
    """What :func:`~socialscan.export.writers.write_records` takes for one raw dump: the
    records of ``iter_posts(source, format="dump")`` (marked by ``repeats``), encoded for
    ``to``, segmented in pieces on ``workers`` (:func:`~socialscan.readers.pool.make_workers`).

    ``fallback`` gives the one-process items for what this path does not read (UTF-16).

    Raises:
        InputNotFound, UnreadableInput: a missing, directory or binary input.
        ModelNotReady: ``segmenter="minilm"`` before ``socialscan models --prepare``.
    """
    from pathlib import Path

    from ..segment import segmenter as seg_mod
    from ..segment.choice import choose_segmenter
    from ..segment.segmenter import CONTEXT
    from . import input_size, note_forced_format
    from .repeats import Repeats

    fh = open_binary(source)
    try:
        fh, head, utf16 = sniff_blocks_input(fh, source)
        if utf16:
            if fallback is None:
                raise UnreadableInput(f"{source}: UTF-16 needs the line-by-line reader")
            yield from fallback()
            return
        name = str(source)
        note_forced_format(source, "dump", stats)
        stats.inputs += 1
        stats.sources.append(name)
        contextual = choose_segmenter(segmenter, input_size(source))
        kind = "minilm" if contextual is not None else "fast"
        _, model, _ = parent_parts(kind)  # loaded before the workers fork: they share it
        repeats = repeats if repeats is not None else Repeats(stats=stats)
        stitch = Stitch(to, stats, repeats, model.linker, name, Path(name).name, kind, on_records)
        parallel = workers is not None and workers.workers > 1
        size = input_size(source)
        # a stream of unknown size (stdin) is decided here until it has passed the size from
        # which a file is shared (dump_in_pieces), then by the workers
        pool, spool, limit = None, None, 1
        switch = None
        if parallel and size is None:
            switch = MINILM_PARALLEL_MIN_BYTES if kind == "minilm" else DUMP_PARALLEL_MIN_BYTES
        seen = 0

        def start_pool() -> None:
            nonlocal pool, spool, limit
            pool = workers.get()
            spool, limit = workers.spool, 2 * workers.workers

        if parallel and switch is None:
            start_pool()
        block = seg_mod.BLOCK_ITEMS  # the one-process path's blocks
        step = block * PIECE_BLOCKS

        def task(piece: Piece) -> tuple[Any, ...]:
            """What :func:`piece_task` decides the piece from (the spool once the pool runs)."""
            return (piece, kind, name, Path(name).name, to, spool)

        def run(piece: Piece) -> Any:
            if pool is None:
                return _Done(piece_task(task(piece)))
            return pool.apply_async(piece_task, (task(piece),))

        window: collections.deque = collections.deque()
        state: dict[str, Any] = frames_state(_new_frames())
        lines_done = 0

        def take(piece: Piece, owned: int, result: Any) -> Iterator[Any]:
            nonlocal state, lines_done
            d = result.get()
            if d.guess != state:  # the guess was wrong: decide it again from the true state
                piece.state = state
                d = piece_task(task(piece))
            if d.end is not None:
                state = d.end
            yield from stitch.add(d)
            if on_lines is not None:
                on_lines(owned)
            lines_done += owned

        lines: list[str] = []
        first_line = 1  # the number of lines[0]
        pos: list[int] = []  # index in ``lines`` of each item from item ``item0`` on
        item0 = 0
        k0 = 0
        start = 0  # index in ``lines`` where the next piece's lines begin
        owned_from = 0  # index in ``lines`` of the first line no piece owns yet
        for data, _ in iter_blocks(fh, BLOCK_BYTES):
            if switch is not None:
                seen += len(data)
                if seen >= switch:
                    start_pool()
                    switch = None
            got, replaced = split_block(data)
            stats.lines += len(got)
            stats.bytes_replaced += replaced
            base = len(lines)
            new = [i for i, t in enumerate(got, base) if t and not t.isspace()]
            stats.blank_lines += len(got) - len(new)
            lines.extend(got)
            pos.extend(new)
            while item0 + len(pos) >= step * (k0 + 1) + 2 * CONTEXT:
                end = pos[step * (k0 + 1) + 2 * CONTEXT - 1 - item0] + 1
                last = pos[step * (k0 + 1) + CONTEXT - 1 - item0] + 1  # its last decided line
                piece = Piece(
                    lines[start:end], first_line + start, k0 * PIECE_BLOCKS, PIECE_BLOCKS,
                    False, block, state.get("stamp_kinds", frozenset()),
                )  # fmt: skip
                window.append((piece, last - owned_from, run(piece)))
                owned_from = last
                k0 += 1
                # the next piece reads from its block before: item step * k0 - block on
                w = step * k0 - block
                start = pos[w - 1 - item0] + 1 if w > 0 else 0
                drop = start
                del lines[:drop]
                first_line += drop
                start = 0
                owned_from -= drop
                del pos[: w - item0]
                item0 = w
                if drop:
                    pos[:] = [i - drop for i in pos]
                while len(window) >= limit:
                    yield from take(*window.popleft())
        # the rest: at least the last block (a piece before it was cut only once the items of
        # its last block and of this one's context had come)
        piece = Piece(
            lines[start:], first_line + start, k0 * PIECE_BLOCKS, PIECE_BLOCKS,
            True, block, state.get("stamp_kinds", frozenset()),
        )  # fmt: skip
        window.append((piece, len(lines) - owned_from, run(piece)))
        del lines, pos
        while window:
            yield from take(*window.popleft())
        yield from stitch.close()
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def _new_frames() -> Any:
    from ..segment.frames import Frames

    return Frames()


class _Done:
    """A result decided in this process, read as the pool's are."""

    def __init__(self, value: Decided):
        self.value = value

    def get(self) -> Decided:
        return self.value


def dump_in_pieces(source: str | os.PathLike[str], workers: Any, segmenter: str = "auto") -> bool:
    """Whether :func:`iter_dump_items` should read ``source``: a regular file of at least
    :data:`DUMP_PARALLEL_MIN_BYTES` (:data:`MINILM_PARALLEL_MIN_BYTES` when MiniLM splits it)
    and more than one worker."""
    from ..segment.choice import choose_segmenter
    from . import input_size

    if workers is None or workers.workers < 2:
        return False
    if str(source) == "-":  # no size: decided here until it has passed the threshold
        return True
    size = input_size(source)
    if size is None:
        return False
    if size >= DUMP_PARALLEL_MIN_BYTES:
        return True
    # the one-process path asks the same (and loads the same embedder, once)
    return size >= MINILM_PARALLEL_MIN_BYTES and choose_segmenter(segmenter, size) is not None
