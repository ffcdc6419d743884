"""Raw dumps segmented on every core, the records byte for byte those of one process.

The segmenter decides in blocks whose schedule depends only on how many non-blank lines
(items) come (:func:`~socialscan.segment.segmenter.blocks`): what a block costs (vectors,
features, the trees, the rules) depends on its items alone. What carries over from block to
block is small and is stitched here, in input order:

- **The page's frames** (:class:`~socialscan.segment.frames.Frames`: a copied timeline's
  header and footer in progress, a separator's pull, the stamps in force). A piece of blocks
  is decided in a worker from a guess of the state at its start: the state the frames reach
  over the block before it (its texts only, with the stamp kinds known so far). The parent
  compares the guess with the state the pieces before really left, and decides a piece
  again here, from that state, when they differ. So the guess only makes it fast.
- **The post across a cut.** A worker gives the rest of the post in progress at its start
  (its lines, stamps and each line's vector, summed here in order: the float32 sum the thread
  linker reads depends on its order) and the post still open at its end.
- **Threads.** Two records are one thread when the linker links them
  (:func:`~socialscan.readers.dump.continues_thread`), or when both carry thread numbering
  and neither is in a linked run (:func:`~socialscan.readers.threads.assign_threads`). A worker
  threads, encodes and counts the records whose threads it can settle from its own records;
  the few at its ends go to the parent as Posts, with the linker's answer for each pair it
  could ask, and one :class:`~socialscan.readers.threads.ThreadJoiner` links them here.
- **Repeated texts** are marked in input order (:meth:`~socialscan.readers.repeats.Repeats.block`),
  patched into the encoded records that repeat an earlier text.

Workers are the local pool's (:class:`~socialscan.readers.pool._Workers`, forked, JSONL handed
back through spooled files). Dumps under :data:`DUMP_PARALLEL_MIN_BYTES`, stdin and UTF-16
take the one-process path.
"""

from __future__ import annotations

import collections
import copy
import csv
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from ..errors import UnreadableInput
from ..export.writers import Encoded, Spooled, csv_cell, csv_safe, jsonl_line
from ..records import COLUMNS, Post
from .blocks import iter_blocks
from .pool import BLOCK_BYTES
from .repeats import is_retweet_text, repeat_key
from .stats import ParseStats
from .text import looks_binary, open_binary, split_block, utf16_encoding
from .threads import ThreadJoiner

#: Dumps of fewer bytes are segmented in one process: a piece is a segmenter block or more
#: (4,096 non-blank lines), so smaller dumps hold too few pieces to share.
DUMP_PARALLEL_MIN_BYTES = 1024 * 1024
#: MiniLM takes ~20 times as long a line: from this size a dump holds blocks enough to share.
MINILM_PARALLEL_MIN_BYTES = 128 * 1024
#: Segmenter blocks per piece: each piece costs one block's frames more (its guess).
PIECE_BLOCKS = 1
#: Guess a piece's starting state from the block before it (tests turn it off, so that most
#: pieces are decided again from the true state).
GUESS = True


# ---------------------------------------------------------------------------------------
# encoding Posts as the writers write them


class PostEncoder:
    """Posts encoded as :func:`~socialscan.export.write_records` writes their dicts: JSONL
    bytes, CSV rows (no header) or, for Parquet, the dicts themselves.

    :meth:`rows` gives the records and where each ends, so that :meth:`patch` can set the
    ``duplicate_of`` of one that repeats a text of an earlier piece.
    """

    def __init__(self, to: str):
        self.to = to
        self.encodes_blocks = to in ("jsonl", "csv")

    def rows(self, posts: list[Post]) -> tuple[Any, list[int] | None]:
        if self.to == "jsonl":
            parts = [jsonl_line(p.to_dict()) for p in posts]
            return b"".join(parts), None
        if self.to == "csv":
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            ends = []
            for p in posts:
                w.writerow([csv_safe(csv_cell(v)) for v in p.to_dict().values()])
                ends.append(buf.tell())
            return buf.getvalue(), ends
        return [p.to_dict() for p in posts], None

    def patch(self, data: Any, ends: list[int] | None, dups: dict[int, str]) -> Any:
        """``data`` of :meth:`rows` with record ``k``'s ``duplicate_of`` set to ``dups[k]``."""
        if self.to == "jsonl":
            lines = data.split(b"\n")
            for k, rid in dups.items():
                lines[k] = jsonl_line({**orjson.loads(lines[k]), "duplicate_of": rid})[:-1]
            return b"\n".join(lines)
        if self.to == "csv":
            assert ends is not None
            out, at = [], 0
            for k in sorted(dups):
                start = ends[k - 1] if k else 0
                row = next(csv.reader(io.StringIO(data[start : ends[k]], newline="")))
                row[COLUMNS.index("duplicate_of")] = csv_safe(dups[k])
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerow(row)
                out += [data[at:start], buf.getvalue()]
                at = ends[k]
            out.append(data[at:])
            return "".join(out)
        for k, rid in dups.items():
            data[k]["duplicate_of"] = rid
        return data


# ---------------------------------------------------------------------------------------
# threads: one rule for the worker and the parent


def _or(a: bool | None, b: bool | None) -> bool | None:
    """``a or b`` where ``None`` is "not known yet"."""
    if a or b:
        return True
    if a is None or b is None:
        return None
    return False


def joins(
    l_prev: bool | None,
    l_self: bool | None,
    l_next: bool | None,
    m_prev: bool | None,
    m_self: bool,
    first: bool,
) -> bool | None:
    """Whether a record continues the thread of the one before it (``None``: not known yet).

    ``l_*``: the linker links the record before, this one, the one after to the record before
    each (:func:`~socialscan.readers.dump.continues_thread`); ``m_*``: thread numbering on a
    record that is no link line. A linked pair is one thread (read_dump); else two numbered
    records in a row of which neither is in a linked run (assign_threads). ``first``: no
    record comes before.

    Examples:
        >>> joins(False, True, None, None, False, False), joins(False, False, False, True, True, False)
        (True, True)
        >>> joins(True, False, False, True, True, False), joins(None, False, None, False, True, False)
        (False, False)
    """
    if l_self:
        return True
    if first:
        return False
    if l_self is None:
        return None
    if m_self is False or m_prev is False:
        return False
    if m_prev is None:
        return None
    inx, iny = _or(l_prev, l_self), _or(l_self, l_next)
    if inx or iny:
        return False
    if inx is None or iny is None:
        return None
    return True


def _numbered(post: Post) -> bool:
    """A record that numbered threads may join (:func:`~socialscan.readers.threads.same_thread`)."""
    from .dump import thread_marker

    return post.kind != "link" and thread_marker(post.text)


def _tid(rec: tuple[Post, bool]) -> str:
    return rec[0].id


def _same(a: tuple[Post, bool], b: tuple[Post, bool]) -> bool:
    return b[1]


# ---------------------------------------------------------------------------------------
# a piece and what a worker makes of it


@dataclass
class Piece:
    """Blocks ``k0`` to ``k0 + blocks - 1`` of a dump's segmenter, to decide apart.

    ``lines`` run from the line after item ``block * (k0 - 1) - 1`` (the block before, read
    for the guess of the frames' state; from the dump's first line when ``k0`` is 0) to the
    line of the last item its blocks read (the dump's end when ``final``).
    """

    lines: list[str]
    first_line: int
    k0: int
    blocks: int
    final: bool
    block: int
    kinds: frozenset[str] = frozenset()
    state: dict[str, Any] | None = None  # decide from this state, not a guess


class Body(NamedTuple):
    """Records a worker settled: encoded, their counts and repeat keys."""

    data: Any  # Encoded, Spooled, or a list of dicts
    ends: list[int] | None
    keys: bytes
    count: int
    kinds: tuple[int, int, int]  # posts, replies, link lines
    threads: int


@dataclass
class Decided:
    """What a worker made of a :class:`Piece`."""

    guess: dict[str, Any]
    end: dict[str, Any] | None
    head: Any  # the rest of the post begun before: a Segment with CONTINUED first, or None
    open: Any  # the post in progress at the end (not final), a Segment
    flags: list[tuple[bool, bool | None]] = field(default_factory=list)  # (numbered, linked)
    raw: dict[int, tuple[Post, Any]] = field(default_factory=dict)  # index -> (Post, Segment)
    body: tuple[int, int, Body] | None = None  # records [a, b) settled
    pid: int = 0  # the process that decided it
    ended: bool = False  # the post begun before ends in this piece


_PARTS: dict[str, Any] = {}


def _parts(segmenter: str) -> tuple[Any, Any, Any]:
    """This process's static embedder, boundary model and contextual embedder."""
    key = f"{segmenter}-{os.getpid()}"
    got = _PARTS.get(key)
    if got is None:
        from ..embed.static import StaticEmbedder
        from ..segment.model import default_model, semantic_model

        contextual = None
        if segmenter == "minilm":
            from ..embed.minilm_onnx import OnnxMiniLMEmbedder

            parent = _PARTS.get("pid") in (None, os.getpid())
            # ONNX Runtime does not survive a fork: a worker loads its own, on its one core
            contextual = OnnxMiniLMEmbedder.default() if parent else OnnxMiniLMEmbedder(threads=1)
        model = semantic_model() if contextual is not None else default_model()
        got = _PARTS[key] = (StaticEmbedder.default(), model, contextual)
    return got


class _Text(NamedTuple):
    text: str


def _items(piece: Piece) -> Iterator[Any]:
    """The piece's items; those of the block read for the guess only carry their text."""
    from ..segment.features import line_info
    from ..segment.items import LineItem

    light = piece.block if piece.k0 > 0 and piece.state is None else 0
    skip = piece.block if piece.k0 > 0 and piece.state is not None else 0
    blanks: list[tuple[int, str]] = []
    k = 0
    for n, text in enumerate(piece.lines, piece.first_line):
        if not text.strip():
            blanks.append((n, text))
            continue
        if k < skip:
            pass
        elif k < light:
            yield LineItem(n, text, blanks, _Text(text.strip()))  # type: ignore[arg-type]
        else:
            yield LineItem(n, text, blanks, line_info(text))
        k += 1
        blanks = []


def frames_state(frames: Any) -> dict[str, Any]:
    """What a :class:`~socialscan.segment.frames.Frames` carries to the next block (its
    ``stamped`` is empty between blocks)."""
    return copy.deepcopy({k: v for k, v in vars(frames).items() if k != "stamped"})


def decide_piece(
    piece: Piece, segmenter: str, source: str, source_key: str, to: str, spool: str | None
) -> Decided:
    """Decide a piece: runs in a worker (or here, from a known state)."""
    import numpy as np

    from ..segment.frames import Frames
    from ..segment.segmenter import CONTEXT, CONTINUED, SegmentRun, blocks
    from .dump import continues_thread, make_post

    embedder, model, contextual = _parts(segmenter)
    items = list(_items(piece))
    frames = Frames()
    block = piece.block
    if piece.state is not None:
        frames.__dict__.update(copy.deepcopy(piece.state))
    elif piece.k0 > 0:
        warm = items[: block + 2 * CONTEXT]
        if piece.k0 > 1:
            frames.seen, frames.stamp_kinds = True, piece.kinds
        if GUESS:
            start = CONTEXT if piece.k0 > 1 else 0
            frames.apply(warm, np.zeros(len(warm)), start, block + CONTEXT)
            frames.stamped.clear()
        else:
            frames.seen = True
        items = items[block:]
    guess = frames_state(frames)
    run = SegmentRun(embedder, model, contextual, frames=frames)
    if piece.k0 > 0:
        run.resume()
    segs = []
    for buf, done, upto in blocks(items, block, first=piece.k0 == 0, final=piece.final):
        segs.extend(run.decide(buf, done, upto))
    del items
    if piece.final:
        segs.extend(run.finish())
        open_seg, end = None, None
    else:
        from ..segment.items import Segment

        open_seg = Segment(run.post, run.p_start, run.vector, run.post_stamp)  # type: ignore[arg-type]
        end = frames_state(frames)
    head, ended = None, False
    if segs and segs[0].lines[0] is CONTINUED:
        head, ended = segs.pop(0), True
    elif open_seg is not None and open_seg.lines[0] is CONTINUED:
        head, open_seg = open_seg, None
    out = Decided(guess, end, head, open_seg, pid=os.getpid(), ended=ended)
    if not segs:
        return out
    posts = [make_post(s.lines, source, source_key, copied=True, stamp=s.stamp) for s in segs]
    linker = model.linker
    first = piece.k0 == 0
    links: list[bool | None] = [False if first else None]
    for i in range(1, len(posts)):
        links.append(
            continues_thread(
                posts[i - 1], posts[i], segs[i].p, linker=linker, segments=(segs[i - 1], segs[i])
            )
        )
    links.append(False if piece.final else None)
    marks = [_numbered(p) for p in posts]
    n = len(posts)
    js = [
        joins(
            links[i - 1] if i else None,
            links[i],
            links[i + 1],
            marks[i - 1] if i else None,
            marks[i],
            first and i == 0,
        )
        for i in range(n)
    ]
    out.flags = [(marks[i], links[i]) for i in range(n)]
    # the records whose threads are settled here: from the first that starts a run to the
    # last that starts one, every answer known between (and no tweet id as a record id,
    # which the parse's repeats would drop)
    a = next((i for i in range(n) if js[i] is False), None)
    b = None
    if a is not None:
        for i in range(a + 1, n):
            if js[i] is None or posts[i].tweet_id == posts[i].id:
                break
            if js[i] is False:
                b = i
        if posts[a].tweet_id == posts[a].id:
            b = None
    if b is not None:
        assert a is not None
        body = posts[a:b]
        settled: list[Post] = []
        joiner = ThreadJoiner(lambda rec, tid: settled.append(_settle(rec[0], tid)), _same, _tid)
        for i in range(a, b):
            joiner.add((posts[i], js[i]))
        joiner.close()
        enc = PostEncoder(to)
        data, ends = enc.rows(settled)
        keys = b"".join(repeat_key(p.text) + bytes.fromhex(p.id) for p in settled)
        kinds = [p.kind for p in settled]
        counts = (
            len(kinds) - kinds.count("reply") - kinds.count("link"),
            kinds.count("reply"),
            kinds.count("link"),
        )
        if to == "jsonl":
            if spool is not None:
                fd, path = tempfile.mkstemp(dir=spool, suffix=".jsonl")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                data = Spooled(path, len(body))
            else:
                data = Encoded(data, len(body))
        elif to == "csv":
            data = Encoded(data, len(body))
        out.body = (a, b, Body(data, ends, keys, len(body), counts, joiner.threads))
    for i in range(n):
        if out.body is None or not out.body[0] <= i < out.body[1]:
            out.raw[i] = (posts[i], segs[i])
    return out


def _settle(post: Post, tid: str | None) -> Post:
    """A record as the parse writes it, but for ``duplicate_of`` (set in input order)."""
    post.thread_id = tid
    if not post.is_retweet and is_retweet_text(post.text):
        post.is_retweet = True
    return post


def _task(args: tuple[Any, ...]) -> Decided:
    return decide_piece(*args)


# ---------------------------------------------------------------------------------------
# the parent: cut, hand out, stitch


class _Stitch:
    """Joins decided pieces in input order and yields what the writer takes."""

    def __init__(self, to, stats, repeats, linker, source, source_key, segmenter, on_records):
        self.enc = PostEncoder(to)
        self.stats = stats
        self.repeats = repeats
        self.linker = linker
        self.source, self.source_key = source, source_key
        self.segmenter = segmenter
        self.on_records = on_records
        self.parts: list[Post] = []
        self.joiner = ThreadJoiner(self._emit, _same, _tid)
        # the last two records whose thread answers are pending: [post or body, numbered,
        # linked]; a body's records pass as (None, ...) entries
        self.window: list[list[Any]] = []
        self.last: tuple[Post, Any] | None = None  # the last record made, and its segment
        self.open: Any = None  # the post in progress
        self.seen_any = False
        self.out: list[Any] = []

    def _emit(self, rec: tuple[Post, bool], tid: str | None) -> None:
        post = rec[0]
        post.thread_id = tid
        stats, repeats = self.stats, self.repeats
        stats.count(post)
        if repeats.again(post.tweet_id, post.id):
            stats.drop_duplicate(post)
            return
        if not post.is_retweet and is_retweet_text(post.text):
            post.is_retweet = True
        post.duplicate_of = repeats.first(repeat_key(post.text), post.id)
        self.parts.append(post)

    def _flush(self) -> None:
        if not self.parts:
            return
        data, _ = self.enc.rows(self.parts)
        n = len(self.parts)
        self.parts = []
        if self.enc.encodes_blocks:
            self.out.append(Encoded(data, n))
        else:
            self.out.extend(data)
        if self.on_records is not None:
            self.on_records(n)

    def _push(self, entry: list[Any]) -> None:
        """The next record: ``[post or a body's tuple, numbered, linked]``."""
        w = self.window
        w.append(entry)
        if len(w) >= 2:
            self._settle(w[-3] if len(w) >= 3 else None, w[-2], entry[2])
        if len(w) > 3:
            del w[0]

    def _settle(self, x: list[Any] | None, y: list[Any], l_next: bool | None) -> None:
        j = joins(x[2] if x else None, y[2], l_next, x[1] if x else None, y[1], x is None)
        assert j is not None
        rec = y[0]
        if isinstance(rec, Post):
            self.joiner.add((rec, j))
        elif rec is not None:  # a body's first record: it starts a run
            assert j is False
            self.joiner.close()
            self._flush()
            self._body(rec)

    def _body(self, body: Body) -> None:
        dups = self.repeats.block(body.keys)
        data = body.data
        if dups:
            if type(data) is Spooled:
                with open(data.path, "rb") as fh:
                    raw = fh.read()
                os.unlink(data.path)
                data = Encoded(self.enc.patch(raw, None, dups), data.count)
            elif type(data) is Encoded:
                data = Encoded(self.enc.patch(data.data, body.ends, dups), data.count)
            else:
                data = self.enc.patch(data, None, dups)
        if self.enc.encodes_blocks:
            self.out.append(data)
        else:
            self.out.extend(data)
        stats = self.stats
        stats.posts += body.kinds[0]
        stats.replies += body.kinds[1]
        stats.links += body.kinds[2]
        stats.threads += body.threads
        if self.on_records is not None:
            self.on_records(body.count)

    def _record(self, post: Post, seg: Any, numbered: bool, linked: bool | None) -> None:
        if not self.seen_any:  # said only of a dump that had a post to split
            self.seen_any = True
            self.stats.segmenters.add(self.segmenter)
        if linked is None:  # the pair across a cut: asked here
            from .dump import continues_thread

            prev = self.last
            linked = prev is not None and continues_thread(
                prev[0], post, seg.p, linker=self.linker, segments=(prev[1], seg)
            )
        self._push([post, numbered, linked])
        self.last = (post, seg)

    def add(self, d: Decided) -> list[Any]:
        """Stitch the next piece; the writer's items it completes."""
        from .dump import make_post

        if d.head is not None:
            o = self.open
            o.lines.extend(d.head.lines[1:])
            v = o.vector
            for row in d.head.vector:
                v += row
            if d.head.stamp is not None:
                o.stamp = d.head.stamp.merged(o.stamp)
        if d.ended:  # the post across the cut ends here
            o = self.open
            post = make_post(o.lines, self.source, self.source_key, copied=True, stamp=o.stamp)
            self._record(post, o, _numbered(post), None)
            self.open = None
        if d.flags:
            body = d.body
            for i, (numbered, linked) in enumerate(d.flags):
                if i in d.raw:
                    post, seg = d.raw[i]
                    self._record(post, seg, numbered, linked)
                else:
                    assert body is not None
                    self._push([body[2] if i == body[0] else None, numbered, linked])
                    if i == body[1] - 1:
                        self.last = None  # the next record was linked in the worker
        if d.open is not None:
            self.open = d.open
        out, self.out = self.out, []
        return out

    def close(self) -> list[Any]:
        """The dump's end: the writer's items still held."""
        from .dump import make_post

        o = self.open
        if o is not None:  # the last pieces were all the rest of one post
            post = make_post(o.lines, self.source, self.source_key, copied=True, stamp=o.stamp)
            self._record(post, o, _numbered(post), None)
            self.open = None
        w = self.window
        if w:
            self._settle(w[-2] if len(w) >= 2 else None, w[-1], False)
        self.joiner.close()
        self._flush()
        self.stats.threads += self.joiner.threads
        out, self.out = self.out, []
        return out


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
    from . import _size, note_forced_format
    from .repeats import Repeats

    fh = open_binary(source)
    try:
        if not hasattr(fh, "peek"):  # pragma: no cover - every opened file has peek
            fh = io.BufferedReader(fh)  # type: ignore[arg-type]
        head = fh.peek(8192)[:8192]
        if utf16_encoding(head):
            if fallback is None:
                raise UnreadableInput(f"{source}: UTF-16 needs the line-by-line reader")
            yield from fallback()
            return
        if looks_binary(head):
            raise UnreadableInput(f"{source}: looks like a binary file, not text")
        name = str(source)
        note_forced_format(source, "dump", stats)
        stats.inputs += 1
        stats.sources.append(name)
        contextual = choose_segmenter(segmenter, _size(source))
        kind = "minilm" if contextual is not None else "fast"
        _PARTS.setdefault("pid", os.getpid())
        _, model, _ = _parts(kind)  # loaded before the workers fork: they share it
        repeats = repeats if repeats is not None else Repeats(stats=stats)
        stitch = _Stitch(to, stats, repeats, model.linker, name, Path(name).name, kind, on_records)
        pool = workers.get() if workers is not None and workers.workers > 1 else None
        spool = workers.spool if pool is not None else None
        limit = 2 * workers.workers if pool is not None else 1
        args = (kind, name, Path(name).name, to, spool)
        block = seg_mod.BLOCK_ITEMS  # the one-process path's blocks
        step = block * PIECE_BLOCKS

        def run(piece: Piece) -> Any:
            if pool is None:
                return _Done(decide_piece(piece, *args))
            return pool.apply_async(_task, ((piece, *args),))

        window: collections.deque = collections.deque()
        state: dict[str, Any] = frames_state(_new_frames())
        lines_done = 0

        def take(piece: Piece, owned: int, result: Any) -> Iterator[Any]:
            nonlocal state, lines_done
            d = result.get()
            if d.guess != state:  # the guess was wrong: decide it again from the true state
                piece.state = state
                d = decide_piece(piece, *args)
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
    from . import _size

    size = _size(source)
    if workers is None or workers.workers < 2 or size is None:
        return False
    if size >= DUMP_PARALLEL_MIN_BYTES:
        return True
    # the one-process path asks the same (and loads the same embedder, once)
    return size >= MINILM_PARALLEL_MIN_BYTES and choose_segmenter(segmenter, size) is not None
