"""Splitting a stream of dump lines into posts, streaming, in flat memory.

Non-blank lines are gathered in blocks, embedded with the static model, and every gap between
two neighbouring lines is scored by the boundary model from layout cues and semantic continuity
(:mod:`.features`). Blocks overlap by a few lines so that every decision sees its context on
both sides. A bare link line right under a post always belongs to that post.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..embed.base import Embedder
from .features import LineInfo, line_info, pass1
from .model import BoundaryModel, default_model

#: One line of a post: (1-based line number, verbatim text).
Line = tuple[int, str]

#: Lines of context kept on each side of a block (the widest feature window is 8).
CONTEXT = 9


@dataclass(slots=True)
class _Item:
    n: int
    text: str
    blanks: list[Line]  # blank lines just before this line
    info: LineInfo


def gap_features(
    items: list[_Item], embedder: Embedder, center: np.ndarray | None = None
) -> np.ndarray:
    """Feature rows for the gaps before items[1:] (row 0 is unused).

    ``center`` (the mean vector of many tweets) is subtracted first: static vectors share a
    common direction, and removing it makes cosines contrast.
    """
    infos = [it.info for it in items]
    emb = embedder.embed([i.text for i in infos])
    if center is not None and len(emb) and emb.shape[1] == len(center):
        emb = emb - center
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-6)
    blanks = np.asarray([len(it.blanks) for it in items], dtype=np.float32)
    return pass1(infos, emb, blanks)


def attached_link(item: _Item) -> bool:
    """A bare link line with no blank line above it belongs to the post above."""
    return item.info.url_only and not item.blanks


def boundary_probas(items: list[_Item], embedder: Embedder, model: BoundaryModel) -> np.ndarray:
    """p(new post at items[g]) for every g (p[0] = 1)."""
    p = np.zeros(len(items))
    if len(items) > 1:
        p[1:] = model.proba(gap_features(items, embedder, model.center)[1:])
    p[0] = 1.0
    for g, it in enumerate(items[1:], 1):
        if attached_link(it):
            p[g] = 0.0
    return p


def _items(lines: Iterator[Line]) -> Iterator[_Item]:
    blanks: list[Line] = []
    for n, text in lines:
        if not text.strip():
            blanks.append((n, text))
            continue
        yield _Item(n, text, blanks, line_info(text))
        blanks = []


def segment_lines(
    lines: Iterator[Line],
    embedder: Embedder | None = None,
    model: BoundaryModel | None = None,
    block: int = 4096,
    on_gap: Callable[[int, float], None] | None = None,
) -> Iterator[tuple[list[Line], float]]:
    """Yield ``(lines, p)`` per post: its ``(line_number, text)`` lines, blank lines inside the
    post included, and the boundary probability at its first line (1.0 for the first post).

    Blank lines between posts belong to no post. ``on_gap(line_number, p)`` receives the
    boundary probability of every gap (for evaluation and inspection).

    Examples:
        >>> from socialscan.embed import HashingEmbedder
        >>> lines = enumerate(["@a hello there", "@b another reply", "https://t.co/x"], 1)
        >>> [[n for n, _ in post] for post, _ in segment_lines(lines, HashingEmbedder())]
        [[1], [2, 3]]
    """
    if embedder is None:
        from ..embed.static import StaticEmbedder

        embedder = StaticEmbedder.default()
    model = model or default_model()
    buf: list[_Item] = []
    post: list[Line] = []
    p_start = 1.0
    done = 0  # items in buf before this index are decided

    def decide(upto: int) -> Iterator[tuple[list[Line], float]]:
        nonlocal post, done, p_start
        p = boundary_probas(buf, embedder, model)
        for g in range(done, upto):
            it = buf[g]
            if post and g > 0 and on_gap:
                on_gap(it.n, float(p[g]))
            if post and p[g] >= model.threshold:
                yield post, p_start
                post = []
                p_start = float(p[g])
            if post:
                post.extend(it.blanks)
            post.append((it.n, it.text))
        done = upto

    for item in _items(lines):
        buf.append(item)
        if len(buf) >= block + 2 * CONTEXT:
            yield from decide(len(buf) - CONTEXT)
            drop = done - CONTEXT
            del buf[:drop]
            done -= drop
    if buf:
        yield from decide(len(buf))
    if post:
        yield post, p_start
