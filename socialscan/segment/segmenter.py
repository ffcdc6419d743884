"""Splitting a stream of dump lines into posts, streaming, in flat memory.

Lines are embedded in blocks with the static model; each gap between two non-blank lines is
scored by the boundary model from layout cues and semantic continuity, and decided left to
right (the open post's length and mean embedding are features). A bare link line right after a
post always belongs to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..embed.base import Embedder
from .features import LineInfo, gap_vector, line_info
from .model import BoundaryModel, default_model

#: One line of a post: (1-based line number, verbatim text).
Line = tuple[int, str]


@dataclass(slots=True)
class _Item:
    n: int
    text: str
    blank: int
    info: LineInfo
    vec: np.ndarray


def _embedded(
    lines: Iterator[Line], embedder: Embedder, block: int
) -> Iterator[tuple[_Item, list[Line]]]:
    """Non-blank lines with their embeddings, each with the blank lines that preceded it."""
    batch: list[tuple[int, str, list[Line]]] = []
    blanks: list[Line] = []

    def flush() -> Iterator[tuple[_Item, list[Line]]]:
        infos = [line_info(t) for _, t, _ in batch]
        vecs = embedder.embed([i.text for i in infos])
        for (n, t, bl), info, v in zip(batch, infos, vecs, strict=True):
            yield _Item(n, t, len(bl), info, v), bl

    for n, text in lines:
        if not text.strip():
            blanks.append((n, text))
            continue
        batch.append((n, text, blanks))
        blanks = []
        if len(batch) >= block:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def walk(
    lines: Iterator[Line],
    embedder: Embedder,
    decide: Callable[[int, list[float] | None], bool],
    block: int = 2048,
) -> Iterator[list[Line]]:
    """Walk the gaps left to right; ``decide(line_number, features)`` says where posts start.

    ``features`` is ``None`` for a bare link line right under a post: it always attaches.
    Shared by :func:`segment_lines` (the model decides) and training (gold spans decide, the
    features are recorded), so both see exactly the same features.
    """
    stream = _embedded(lines, embedder, block)
    cur = next(stream, None)
    if cur is None:
        return
    item, _ = cur
    seg: list[Line] = [(item.n, item.text)]
    seg_sum = item.vec.astype(np.float32).copy()
    seg_chars, seg_lines = item.info.n_chars, 1
    seg_reply, seg_url = item.info.handle, item.info.url_only
    prev, before = item, None
    nxt = next(stream, None)
    while nxt is not None:
        item, blanks = nxt
        after = next(stream, None)
        if item.info.url_only and item.blank == 0:
            new = decide(item.n, None)  # a bare link line belongs to the post above it
        else:
            norm = float(np.linalg.norm(seg_sum)) or 1.0
            x = gap_vector(
                prev.info,
                item.info,
                item.blank,
                seg_chars,
                seg_lines,
                seg_reply,
                seg_url,
                float(prev.vec @ item.vec),
                float(seg_sum @ item.vec) / norm,
                float(item.vec @ after[0].vec) if after else 0.0,
                float(before.vec @ prev.vec) if before else 0.0,
            )
            new = decide(item.n, x)
        if new:
            yield seg
            seg = [(item.n, item.text)]
            seg_sum = item.vec.astype(np.float32).copy()
            seg_chars, seg_lines = item.info.n_chars, 1
            seg_reply, seg_url = item.info.handle, item.info.url_only
        else:
            seg.extend(blanks)
            seg.append((item.n, item.text))
            seg_sum += item.vec
            seg_chars += item.info.n_chars
            seg_lines += 1
            seg_url = seg_url or item.info.url_only
        before, prev, nxt = prev, item, after
    yield seg


def segment_lines(
    lines: Iterator[Line],
    embedder: Embedder | None = None,
    model: BoundaryModel | None = None,
    block: int = 2048,
    on_gap: Callable[[int, float], None] | None = None,
) -> Iterator[list[Line]]:
    """Yield posts as lists of ``(line_number, text)``, blank lines inside a post included.

    Blank lines between posts belong to no post. ``on_gap(line_number, p)`` is called with the
    boundary probability of every gap (for evaluation and inspection).

    Examples:
        >>> from socialscan.embed import HashingEmbedder
        >>> lines = enumerate(["@a hello there", "@b another reply", "https://t.co/x"], 1)
        >>> [[n for n, _ in post] for post in segment_lines(lines, HashingEmbedder())]
        [[1], [2, 3]]
    """
    if embedder is None:
        from ..embed.static import StaticEmbedder

        embedder = StaticEmbedder.default()
    model = model or default_model()

    def decide(n: int, x: list[float] | None) -> bool:
        p = 0.0 if x is None else float(model.proba(x)[0])
        if on_gap:
            on_gap(n, p)
        return p >= model.threshold

    yield from walk(lines, embedder, decide, block)
