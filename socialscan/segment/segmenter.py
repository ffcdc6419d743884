"""Splitting a stream of dump lines into posts, streaming, in flat memory.

Non-blank lines are gathered in blocks, embedded with the static model (and, for the accurate
model, with MiniLM), and every gap between two neighbouring lines is scored by the boundary
model from layout cues and semantic continuity (:mod:`.features`, :mod:`.cohesion`). Blocks
overlap by a few lines so that every decision sees its context on both sides. Near-certain
cues decide over the model (:mod:`.rules`: a bare link line stays with the post above, a
reply under a reply starts a new one, the app's "Replying to @x" starts a post and "Show this
thread" ends one), and so does the page around the posts (:mod:`.frames`: a copied timeline's
headers and footers, separator lines, a scraper's stamps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..embed.base import Embedder
from ..text.chrome import app_label, closes_post, opens_post
from ..text.stamps import Stamp
from .cohesion import semantic
from .features import pass1
from .frames import Frames
from .items import Line, LineItem, Segment, line_items
from .model import BoundaryModel, default_model, semantic_model
from .rules import (
    attached_link,
    clashing_hands,
    numbered_tweets,
    reply_after_reply,
    retweet_start,
    thread_after_reply,
)
from .vectors import line_vectors

#: Lines of context kept on each side of a block (the widest feature window is 8).
CONTEXT = 9


def static_vectors(
    items: list[LineItem], embedder: Embedder, center: np.ndarray | None = None
) -> np.ndarray:
    """Unit static vectors of the lines, ``center`` (the mean vector of many tweets) removed:
    static vectors share a common direction, and removing it makes cosines contrast."""
    emb = line_vectors([it.info.text for it in items], embedder)
    if center is not None and len(emb) and emb.shape[1] == len(center):
        emb = emb - center
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-6)
    return emb


def _features(items: list[LineItem], emb: np.ndarray, contextual: Embedder | None) -> np.ndarray:
    blanks = np.asarray([len(it.blanks) for it in items], dtype=np.float32)
    x = pass1([it.info for it in items], emb, blanks)
    if contextual is not None:
        x = np.hstack([x, semantic(contextual.embed([it.info.text for it in items]))])
    return x


def gap_features(
    items: list[LineItem],
    embedder: Embedder,
    center: np.ndarray | None = None,
    contextual: Embedder | None = None,
) -> np.ndarray:
    """Feature rows for the gaps before items[1:] (row 0 is unused): :func:`~.features.pass1`
    over the static vectors, and with a ``contextual`` embedder the
    :data:`~.cohesion.SEMANTIC_FEATURES` after them."""
    return _features(items, static_vectors(items, embedder, center), contextual)


def _probas(items: list[LineItem], x: np.ndarray, model: BoundaryModel) -> np.ndarray:
    p = np.zeros(len(items))
    if len(items) > 1:
        p[1:] = model.proba(x[1:])
    p[0] = 1.0
    for g in numbered_tweets(items):
        p[g] = 1.0
    # the app's lines, each line read once
    opens = [opens_post(it.info.text) for it in items]
    labels = [app_label(it.info.text) for it in items]
    closes = [lab or closes_post(it.info.text) for lab, it in zip(labels, items, strict=True)]
    for g, it in enumerate(items[1:], 1):
        prev = items[g - 1]
        if attached_link(it):
            p[g] = 0.0
        elif (
            reply_after_reply(prev, it)
            or thread_after_reply(prev, it)
            or retweet_start(it)
            or opens[g]
            or (closes[g - 1] and not labels[g])
        ):
            p[g] = 1.0
        elif opens[g - 1] or labels[g]:
            p[g] = 0.0  # the post's own lines under "Replying to @x"; "Show this thread"
    clashing_hands(items, p, model.threshold)
    return p


def segment_lines(
    lines: Iterator[Line],
    embedder: Embedder | None = None,
    model: BoundaryModel | None = None,
    block: int = 4096,
    on_gap: Callable[[int, float], None] | None = None,
    contextual: Embedder | None = None,
) -> Iterator[tuple[list[Line], float]]:
    """Yield ``(lines, p)`` per post: its ``(line_number, text)`` lines, blank lines inside the
    post included, and the boundary probability at its first line (1.0 for the first post).

    Blank lines between posts belong to no post. ``on_gap(line_number, p)`` receives the
    boundary probability of every gap (for evaluation and inspection). With a ``contextual``
    embedder (MiniLM, see :mod:`.choice`) the accurate model decides, else the fast one.
    :func:`iter_segments` yields the same posts with their vectors.

    Examples:
        >>> from socialscan.embed import HashingEmbedder
        >>> lines = enumerate(["@a hello there", "@b another reply", "https://t.co/x"], 1)
        >>> [[n for n, _ in post] for post, _ in segment_lines(lines, HashingEmbedder())]
        [[1], [2, 3]]
    """
    for seg in iter_segments(lines, embedder, model, block, on_gap, contextual):
        yield seg.lines, seg.p


def iter_segments(
    lines: Iterator[Line],
    embedder: Embedder | None = None,
    model: BoundaryModel | None = None,
    block: int = 4096,
    on_gap: Callable[[int, float], None] | None = None,
    contextual: Embedder | None = None,
) -> Iterator[Segment]:
    """The posts of :func:`segment_lines` as :class:`Segment` objects, streaming."""
    if embedder is None:
        from ..embed.static import StaticEmbedder

        embedder = StaticEmbedder.default()
    if model is None:
        model = semantic_model() if contextual is not None else default_model()
    if model.semantic and contextual is None:
        raise ValueError(f"this boundary model needs {model.semantic} vectors: pass contextual=")
    buf: list[LineItem] = []
    post: list[Line] = []
    vector: np.ndarray | None = None
    post_stamp: Stamp | None = None
    p_start = 1.0
    done = 0  # items in buf before this index are decided
    frames = Frames()

    def decide(upto: int) -> Iterator[Segment]:
        nonlocal post, done, p_start, vector, post_stamp
        emb = static_vectors(buf, embedder, model.center)
        p = _probas(buf, _features(buf, emb, contextual if model.semantic else None), model)
        frames.apply(buf, p, done, upto)
        for g in range(done, upto):
            it = buf[g]
            if post and g > 0 and on_gap:
                on_gap(it.n, float(p[g]))
            if post and p[g] >= model.threshold:
                yield Segment(post, p_start, vector, post_stamp)
                post, post_stamp = [], None
                p_start = float(p[g])
            found = frames.stamped.pop(it.n, None)
            if found is not None:
                post_stamp = found.merged(post_stamp)
            if post:
                post.extend(it.blanks)
            else:
                vector = np.zeros(emb.shape[1], dtype=np.float32)
            post.append((it.n, it.text))
            if not it.info.url_only:
                vector += emb[g]
        done = upto

    for item in line_items(lines):
        buf.append(item)
        if len(buf) >= block + 2 * CONTEXT:
            yield from decide(len(buf) - CONTEXT)
            drop = done - CONTEXT
            del buf[:drop]
            done -= drop
    if buf:
        yield from decide(len(buf))
    if post:
        yield Segment(post, p_start, vector, post_stamp)
