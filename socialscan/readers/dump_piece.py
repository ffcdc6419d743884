"""A piece of a raw dump, and what a worker makes of it: the worker's side of :mod:`.dump_pool`.

A :class:`Piece` is one or more of the segmenter's blocks
(:func:`~socialscan.segment.segmenter.blocks`) with the lines of the block before them.
:func:`decide_piece` runs the one-process segmenter over it
(:class:`~socialscan.segment.segmenter.SegmentRun`), from a guess of the page's frames at its
start (what :class:`~socialscan.segment.frames.Frames` reach over the block before) or, when
the parent found the guess wrong, from the true state. It gives back a :class:`Decided`: the
guess (for the parent to check), the state at its end, the rest of the post begun before and
the post still open after, and its records: those whose threads it can settle from its own
records threaded, encoded and counted (a :class:`Body`, so that the parent copies bytes), the
few at its ends as Posts for the parent to link (:mod:`.dump_stitch`).

Each process loads its embedders and boundary model once (:func:`segmenter_parts`): the
parent before the workers fork, each worker its own MiniLM (ONNX Runtime does not survive a
fork).
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..export.writers import Encoded, Spooled
from ..records import Post
from .dump_threads import joins, joins_previous, numbered, record_id
from .post_rows import PostEncoder
from .repeats import is_retweet_text, repeat_key
from .threads import ThreadJoiner

#: Guess a piece's starting state from the block before it (tests turn it off, so that most
#: pieces are decided again from the true state).
GUESS = True


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


def parent_parts(segmenter: str) -> tuple[Any, Any, Any]:
    """:func:`segmenter_parts` in the process that cuts a dump: the first to call this is the
    parent, whose MiniLM may use every core; call it before the workers fork, so that they
    share what it loaded."""
    _PARTS.setdefault("pid", os.getpid())
    return segmenter_parts(segmenter)


def segmenter_parts(segmenter: str) -> tuple[Any, Any, Any]:
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

    embedder, model, contextual = segmenter_parts(segmenter)
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
    marks = [numbered(p) for p in posts]
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
        out.body = (a, b, settle_body(posts, js, a, b, to, spool))
    for i in range(n):
        if out.body is None or not out.body[0] <= i < out.body[1]:
            out.raw[i] = (posts[i], segs[i])
    return out


def settle_body(
    posts: list[Post], js: list[bool | None], a: int, b: int, to: str, spool: str | None
) -> Body:
    """Records ``a`` to ``b - 1`` threaded (``js``: each one's :func:`joins`), encoded for
    ``to`` and counted; JSONL goes to a file under ``spool`` when there is one, so that the
    pool hands back a path instead of the bytes."""
    body = posts[a:b]
    settled: list[Post] = []
    joiner = ThreadJoiner(
        lambda rec, tid: settled.append(_settle(rec[0], tid)), joins_previous, record_id
    )
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
    return Body(data, ends, keys, len(body), counts, joiner.threads)


def _settle(post: Post, tid: str | None) -> Post:
    """A record as the parse writes it, but for ``duplicate_of`` (set in input order)."""
    post.thread_id = tid
    if not post.is_retweet and is_retweet_text(post.text):
        post.is_retweet = True
    return post


def piece_task(args: tuple[Any, ...]) -> Decided:
    """:func:`decide_piece` of one tuple: what the pool's ``apply_async`` sends a worker."""
    return decide_piece(*args)
