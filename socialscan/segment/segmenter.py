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

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from ..embed.base import Embedder
from ..text.chrome import app_label, closes_post, opens_post
from ..text.stamps import Stamp
from .cascade import Cascade
from .cohesion import semantic
from .features import pass1
from .frames import Frames
from .items import Line, LineItem, Segment, line_items
from .model import BoundaryModel, default_model, semantic_model
from .probe import LinearProbe
from .rules import (
    attached_link,
    clashing_hands,
    numbered_tweets,
    repeated_posts,
    reply_after_reply,
    retweet_start,
    thread_after_reply,
)
from .vectors import line_vectors

#: Lines of context kept on each side of a block (the widest feature window is 8).
CONTEXT = 9
#: Non-blank lines a block decides (:func:`blocks`), when the caller does not say.
BLOCK_ITEMS = 4096


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


def _features(
    items: list[LineItem],
    emb: np.ndarray,
    contextual: Embedder | None,
    probe: LinearProbe | None = None,
    context_probe: LinearProbe | None = None,
) -> np.ndarray:
    blanks = np.asarray([len(it.blanks) for it in items], dtype=np.float32)
    x = pass1([it.info for it in items], emb, blanks)
    if probe is not None:
        x = np.hstack([x, probe.column(emb)])
    if contextual is not None:
        vectors = contextual.embed([it.info.text for it in items])
        x = np.hstack([x, semantic(vectors)])
        if context_probe is not None:
            x = np.hstack([x, context_probe.column(vectors)])
    return x


def gap_features(
    items: list[LineItem],
    embedder: Embedder,
    center: np.ndarray | None = None,
    contextual: Embedder | None = None,
    probe: LinearProbe | None = None,
    context_probe: LinearProbe | None = None,
) -> np.ndarray:
    """Feature rows for the gaps before items[1:] (row 0 is unused): :func:`~.features.pass1`
    over the static vectors, a model's :mod:`.probe` column, and with a ``contextual``
    embedder the :data:`~.cohesion.SEMANTIC_FEATURES` after them (and a model's contextual
    probe)."""
    vectors = static_vectors(items, embedder, center)
    return _features(items, vectors, contextual, probe, context_probe)


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
    repeated_posts(items, p, model.threshold, [o or c for o, c in zip(opens, closes, strict=True)])
    clashing_hands(items, p, model.threshold)
    return p


def segment_lines(
    lines: Iterator[Line],
    embedder: Embedder | None = None,
    model: BoundaryModel | None = None,
    block: int | None = None,
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
    block: int | None = None,
    on_gap: Callable[[int, float], None] | None = None,
    contextual: Embedder | None = None,
) -> Iterator[Segment]:
    """The posts of :func:`segment_lines` as :class:`Segment` objects, streaming."""
    run = SegmentRun(embedder, model, contextual, on_gap)
    for buf, done, upto in blocks(line_items(lines), block or BLOCK_ITEMS):
        yield from run.decide(buf, done, upto)
    yield from run.finish()


def blocks(
    items: Iterable[LineItem], block: int = BLOCK_ITEMS, first: bool = True, final: bool = True
) -> Iterator[tuple[list[LineItem], int, int]]:
    """``(buf, done, upto)`` for each block of the segmenter: decide ``buf[done:upto]``, the
    rest of ``buf`` being context (:data:`CONTEXT` items each side).

    The schedule depends only on how many items come: block ``k`` holds items
    ``block * k`` to ``block * (k + 1) + 2 * CONTEXT`` (fewer in the last) and decides from
    ``block * k + CONTEXT`` (0 in the first). So a range of blocks can be decided apart
    (:mod:`socialscan.readers.dump_pool`): ``items`` from block ``k``'s first item on,
    ``first`` when ``k`` is 0, ``final`` when they run to the dump's end (else they end
    ``2 * CONTEXT`` items into the next block, and the last, short block is not decided).
    ``buf`` is reused: read it before asking for the next block.

    Examples:
        >>> from socialscan.segment.items import line_items
        >>> items = line_items(enumerate(["x"] * 30, 1))
        >>> [(len(buf), done, upto) for buf, done, upto in blocks(items, block=6)]
        [(24, 0, 15), (24, 9, 15), (18, 9, 18)]
    """
    buf: list[LineItem] = []
    done = 0 if first else CONTEXT
    for item in items:
        buf.append(item)
        if len(buf) >= block + 2 * CONTEXT:
            upto = len(buf) - CONTEXT
            yield buf, done, upto
            del buf[: upto - CONTEXT]
            done = CONTEXT
    if final and len(buf) > done:
        yield buf, done, len(buf)


class _Rows(list):
    """The vector of a post begun before a range of blocks decided apart: its rows in order,
    so that the process holding the sum so far adds them one by one, as one process would
    (a float32 sum depends on its order)."""

    def __iadd__(self, row):  # type: ignore[override]
        self.append(row)
        return self


#: The first line of a post begun before the blocks at hand (see :meth:`SegmentRun.resume`).
CONTINUED: Line = (0, "")


class SegmentRun:
    """The block loop of :func:`iter_segments`: each block's scores, the page's frames
    (:class:`~.frames.Frames`, carried from block to block) and the post in progress.

    Feed it the blocks of :func:`blocks` in order (:meth:`decide`), then :meth:`finish`.
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        model: BoundaryModel | None = None,
        contextual: Embedder | None = None,
        on_gap: Callable[[int, float], None] | None = None,
        frames: Frames | None = None,
    ):
        if embedder is None:
            from ..embed.static import StaticEmbedder

            embedder = StaticEmbedder.default()
        if model is None:
            model = semantic_model() if contextual is not None else default_model()
        if model.semantic and contextual is None:
            raise ValueError(
                f"this boundary model needs {model.semantic} vectors: pass contextual="
            )
        self.embedder = embedder
        self.model = model
        self.contextual = contextual if model.semantic else None
        self.on_gap = on_gap
        self.frames = frames if frames is not None else Frames()
        self.post: list[Line] = []
        self.vector: np.ndarray | None = None
        self.post_stamp: Stamp | None = None
        self.p_start = 1.0

    def resume(self) -> None:
        """Decide blocks that come after a post begun elsewhere: the first segment yielded
        is then that post's rest, its lines after :data:`CONTINUED`, its vector the rows to
        add to the sum so far (in order), its stamp what its lines add."""
        self.post, self.vector, self.post_stamp = [CONTINUED], _Rows(), None

    def scores(self, buf: list[LineItem]) -> tuple[np.ndarray, np.ndarray]:
        """A block's static vectors and gap probabilities before the frames: they depend on
        the block's items only."""
        model = self.model
        emb = static_vectors(buf, self.embedder, model.center)
        if self.contextual is not None and model.blend is not None:
            # the accurate model: MiniLM reads only the lines of gaps the fast trees hesitate on
            cascade = Cascade(model)
            x = cascade.rows(buf, _features(buf, emb, None, model.probe), self.contextual)
            return emb, _probas(buf, x, cascade)  # type: ignore[arg-type]
        x = _features(buf, emb, self.contextual, model.probe, model.context_probe)
        return emb, _probas(buf, x, model)

    def decide(self, buf: list[LineItem], done: int, upto: int) -> Iterator[Segment]:
        """Decide ``buf[done:upto]``; yield the posts that end there."""
        emb, p = self.scores(buf)
        frames = self.frames
        frames.apply(buf, p, done, upto)
        threshold = self.model.threshold
        on_gap = self.on_gap
        stamped = frames.stamped
        post, vector, post_stamp = self.post, self.vector, self.post_stamp
        for g in range(done, upto):
            it = buf[g]
            if post and g > 0 and on_gap:
                on_gap(it.n, float(p[g]))
            if post and p[g] >= threshold:
                seg = Segment(post, self.p_start, vector, post_stamp)  # type: ignore[arg-type]
                post, post_stamp = [], None
                self.post, self.post_stamp = post, None
                self.p_start = float(p[g])
                yield seg
            found = stamped.pop(it.n, None)
            if found is not None:
                post_stamp = found.merged(post_stamp)
            if post:
                post.extend(it.blanks)
            else:
                vector = np.zeros(emb.shape[1], dtype=np.float32)
            post.append((it.n, it.text))
            if not it.info.url_only:
                vector += emb[g]
            self.post, self.vector, self.post_stamp = post, vector, post_stamp

    def finish(self) -> Iterator[Segment]:
        """The post in progress at the dump's end."""
        if self.post:
            yield Segment(self.post, self.p_start, self.vector, self.post_stamp)  # type: ignore[arg-type]
            self.post = []
