"""Splitting a stream of dump lines into posts, streaming, in flat memory.

Non-blank lines are gathered in blocks, embedded with the static model (and, for the accurate
model, with MiniLM), and every gap between two neighbouring lines is scored by the boundary
model from layout cues and semantic continuity (:mod:`.features`). Blocks overlap by a few
lines so that every decision sees its context on both sides. A bare link line right under a
post always belongs to that post; a reply right under a reply starts a new one; the app's
lines start ("Replying to @x", "... reposted") or end ("Show this thread", "… Show more") a
post even where its header was not copied; in a timeline
copied from the X web app, each post's header starts it and its footer ends it, and separator
lines ("---") and embed signatures end posts (:mod:`.chrome`); in a scraper's export, the date
or author stamped at each post starts it (:mod:`.stamps`).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from ..embed.base import Embedder
from ..text.chrome import (
    MODULE_LINES,
    app_label,
    breaks_between,
    closes_post,
    ends_post,
    is_badge,
    is_count,
    is_separator,
    module_title,
    opens_post,
)
from ..text.headers import header_starts
from ..text.patterns import RETWEET_RE, THREAD_OPENING_RE
from ..text.stamped import stamp_starts, under_post
from ..text.stamps import Stamp
from .features import HABITS, LineInfo, line_info, pass1, semantic
from .model import BoundaryModel, default_model, semantic_model

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


def static_vectors(
    items: list[_Item], embedder: Embedder, center: np.ndarray | None = None
) -> np.ndarray:
    """Unit static vectors of the lines, ``center`` (the mean vector of many tweets) removed:
    static vectors share a common direction, and removing it makes cosines contrast."""
    emb = embedder.embed([it.info.text for it in items])
    if center is not None and len(emb) and emb.shape[1] == len(center):
        emb = emb - center
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-6)
    return emb


def _features(items: list[_Item], emb: np.ndarray, contextual: Embedder | None) -> np.ndarray:
    blanks = np.asarray([len(it.blanks) for it in items], dtype=np.float32)
    x = pass1([it.info for it in items], emb, blanks)
    if contextual is not None:
        x = np.hstack([x, semantic(contextual.embed([it.info.text for it in items]))])
    return x


def gap_features(
    items: list[_Item],
    embedder: Embedder,
    center: np.ndarray | None = None,
    contextual: Embedder | None = None,
) -> np.ndarray:
    """Feature rows for the gaps before items[1:] (row 0 is unused): :func:`~.features.pass1`
    over the static vectors, and with a ``contextual`` embedder the
    :data:`~.features.SEMANTIC_FEATURES` after them."""
    return _features(items, static_vectors(items, embedder, center), contextual)


def attached_link(item: _Item) -> bool:
    """A bare link line with no blank line above it belongs to the post above."""
    return item.info.url_only and not item.blanks


def reply_after_reply(prev: _Item, item: _Item) -> bool:
    """A line that opens with handles and goes on in words, right under another such line,
    starts a new reply (two replies, not a reply and its own tag line). In held-out dumps 99%
    of such gaps in twarc samples are boundaries, 92% in the diverse ones; the trees miss some
    when only a few short replies are pasted, where windows of context are short."""
    return prev.info.handle and item.info.handle and not (prev.info.tags or item.info.tags)


def thread_after_reply(prev: _Item, item: _Item) -> bool:
    """A line that opens a numbered thread ("1/3", the thread emoji) right under a reply starts
    a new post: a thread is its author's own posts, and a reply ends before it. Rare in the
    training dumps, so the trees give it no weight of its own."""
    return prev.info.handle and not prev.info.tags and item.info.thread_start


def numbered_tweets(items: list[_Item]) -> list[int]:
    """Lines that open with a thread's numbering ("1/", "2/5", "(3/5)") whose numbers run on
    from one such line to the next (2/ after 1/): each starts one tweet of the thread, however
    many lines the tweets have. Two of the 174,126 real tweets in ``../shared/data`` hold such a
    run inside themselves (a list written "1/ ...", "2/ ..."); their pieces still share a
    ``thread_id`` by their numbering.

    Examples:
        >>> texts = ["How we cut our bill 🧵", "1/ Route easy requests.", "80% were easy.",
        ...          "2/ Cache everything.", "Same prompt, same answer.", "24/7 uptime"]
        >>> numbered_tweets([_Item(i, t, [], line_info(t)) for i, t in enumerate(texts)])
        [1, 3]
    """
    found = [
        (g, int(m.group(1)))
        for g, it in enumerate(items)
        if "/" in it.info.text[:8] and (m := THREAD_OPENING_RE.match(it.info.text))
    ]
    out: set[int] = set()
    for (g, a), (h, b) in itertools.pairwise(found):
        if b == a + 1:
            out.update((g, h))
    return sorted(out)


def retweet_start(item: _Item) -> bool:
    """A line opening with "RT @handle:" starts a post: the text of a retweet (as the v1.1 API
    and most scrapers give it) begins so. None of the 174,126 real tweets in
    ``../shared/data`` has such a line after its first (4 hold "RT @x:" inside a line); without
    the colon ("Sure is! RT @x Issa cutie pie", an old manual retweet) it can end a sentence
    written on a line of its own, so that form is left to the model."""
    return RETWEET_RE.match(item.info.text) is not None


def clashing_hands(items: list[_Item], p: np.ndarray, threshold: float) -> None:
    """Two lines that write a habit of hand two ways (``don't`` over ``don’t``, see
    :data:`~.features.HABITS`), with no line between them that does, and no boundary between
    them at ``threshold``, get one: at the likeliest gap between them (the trees weigh each gap
    alone and cannot tell which of several gaps such a clash is at). Held-out dumps, fast model
    (80 a row): 70 clashes, 45 of them across a boundary, 40 split where it is; F1
    +0.000..+0.003 on each row (``bench/results_segments.md``).

    Examples:
        >>> texts = ["Make sure you can't do it with prompts.", "I used to be shy.", "I’ve grown."]
        >>> items = [_Item(i, t, [], line_info(t)) for i, t in enumerate(texts)]
        >>> p = np.asarray([1.0, 0.2, 0.1])
        >>> clashing_hands(items, p, 0.5)
        >>> p.tolist()
        [1.0, 0.5, 0.1]
    """
    for m in range(len(HABITS)):
        last = -1  # the line above that showed this habit
        for g, it in enumerate(items):
            way = it.info.ways[m]
            if not way:
                continue
            if last >= 0 and items[last].info.ways[m] != way:
                between = p[last + 1 : g + 1]
                if 0 < between.max() < threshold:
                    p[last + 1 + int(np.argmax(between))] = threshold
            last = g


def _probas(items: list[_Item], x: np.ndarray, model: BoundaryModel) -> np.ndarray:
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


#: Separator lines this close (median lines from one to the next) delimit every post.
DELIMITED_RUN = 12


class _Frames:
    """What the page around the posts says (:mod:`.chrome`), over whatever the model says.

    - Copied from the X web app: a header starts a post, and the lines down to the end of its
      footer stay in it, a quoted post's header and text included.
    - An embed signature ("— Name (@handle) March 1, 2023") ends the post above it.
    - Separator lines ("---", "* * *") that come every few lines (median run between two at
      most :data:`DELIMITED_RUN` lines) delimit every post: each ends the post above it, and
      nothing else splits between two of them. Rarer ones end the post above them too,
      unless they underline a title or divide a post from its hashtags
      (:func:`~.chrome.breaks_between`); the lines between are left to the model.

    - Stamped by a scraper (:mod:`.stamps`): where dates or authors recur at posts' first
      lines (or dates under posts), each stamp starts (ends) a post and nothing else splits
      between two of them, unless the lines between are many more than usual (a stretch
      pasted without stamps, left to the model).

    The state carries over from block to block.
    """

    def __init__(self) -> None:
        self.header_left = 0  # header lines still to come
        self.in_post = False  # inside a header's post, before its footer ended
        self.footer = False  # its counts have begun
        self.module = 0  # lines so far of a box of the page's under the post ("Who to follow")
        self.next_p: float | None = None  # forced on the next line (after a separator)
        self.seen = False  # any line decided yet
        self.stamped: dict[int, Stamp] = {}  # line number -> the stamp that marks its post
        self.stamp_kinds: frozenset[str] = frozenset()  # kinds of stamp in force

    def apply(self, items: list[_Item], p: np.ndarray, start: int, stop: int) -> None:
        texts = [it.info.text for it in items]
        starts = header_starts(texts)
        if not any(starts):  # a copied timeline's times belong to its headers
            self._stamps(items, texts, p, start, stop)
        ends = [g for g, t in enumerate(texts) if ends_post(t)]
        delimited = len(ends) >= 2 and float(np.median(np.diff(ends))) <= DELIMITED_RUN
        k = bisect.bisect_left(ends, start)  # ends[k] is the first end at or after g
        for g in range(start, stop):
            forced, self.next_p = self.next_p, None
            first, self.seen = not self.seen, True
            while k < len(ends) and ends[k] < g:
                k += 1
            h = starts[g]
            if h is not None and self.header_left == 0:
                # a quoted post's header stays in the post quoting it (the "Quote" line
                # above it is no footer)
                p[g] = 0.0 if h.quoted and self.in_post else 1.0
                self.header_left, self.in_post, self.footer = h.size - 1, True, False
                self.module = 0
            elif self.header_left:
                self.header_left -= 1
                p[g] = 0.0
            elif (
                k < len(ends)
                and ends[k] == g
                and (
                    delimited
                    or not is_separator(texts[g])
                    or breaks_between(texts, g, g > 0 and p[g - 1] >= 0.5)
                )
            ):
                p[g] = 1.0 if first else 0.0  # with the post above it
                self.next_p = 0.0 if first else 1.0
                self.in_post = False
            elif forced is not None:
                p[g] = forced
            elif self.in_post:
                t = texts[g]
                if self.module or (self.footer and module_title(t)):
                    # the page's box stays with the post above, out of its words, down to its
                    # "Show more" or the next header
                    self.module += 1
                    shown_more = app_label(t)  # the box's own "Show more" is its last line
                    if shown_more or self.module > MODULE_LINES:
                        self.in_post, self.module = False, 0
                        if not shown_more:
                            continue
                elif is_count(t):
                    self.footer = True
                elif self.footer and not is_badge(t):
                    self.in_post = False
                    continue
                p[g] = 0.0
            elif delimited and 0 < k < len(ends) and ends[k - 1] < g:  # between two ends
                p[g] = 0.0

    def _stamps(
        self, items: list[_Item], texts: list[str], p: np.ndarray, start: int, stop: int
    ) -> None:
        marks, kinds = stamp_starts(
            texts, at_start=not self.seen, final=stop == len(items), known=self.stamp_kinds
        )
        self.stamp_kinds |= kinds
        at = [g for g, m in enumerate(marks) if m is not None]
        if not at:
            return
        for g in at:
            if start <= g < stop:
                self.stamped[items[g].n] = marks[g]  # type: ignore[assignment]
        # a post starts at a stamp above it, or right under the stamp that ends the one
        # before; stamps in a row (a date line over "Name (@handle): ...", counts over a
        # date) mark one post
        marked = set(at)
        under = {g for g in at if under_post(marks[g], kinds)}  # type: ignore[arg-type]
        above = {
            g
            for g in at
            if g not in under
            and not (g - 1 in marked and g - 1 not in under and marks[g - 1].own_line)  # type: ignore[union-attr]
        }
        after = {g + 1 for g in under if g + 1 < len(texts) and g + 1 not in under}
        starts = sorted(above | after | ({0} if under else set()))
        cap = 4 * float(np.median(np.diff(starts))) + 10 if len(starts) > 1 else 40.0
        for a, b in zip(starts, [*starts[1:], None], strict=True):
            if b is not None:
                hi = b
            elif any(g >= a for g in under):  # closed by a stamp under it, at the block's end
                hi = len(texts)
            else:  # opened by a stamp above it: down to the end; else another block's or bare
                hi = len(texts) if a in above else a + 1
            if start <= a < stop and a > 0:
                p[a] = 1.0
            if hi - a <= cap:
                p[max(a + 1, start) : min(hi, stop)] = 0.0


@dataclass(slots=True)
class Segment:
    """One post of a dump: its ``(line_number, text)`` lines (blank lines inside it included),
    the boundary probability at its first line (1.0 for the first post), the sum of the
    static vectors of its text lines (bare link lines left out), for thread linking, and its
    stamp."""

    lines: list[Line]
    p: float
    vector: np.ndarray
    #: The date or author a scraper stamped on this post (:mod:`.stamps`), where the dump
    #: has them.
    stamp: Stamp | None = None
    #: How its author writes (:func:`~.linker.habits`), read once when it is first linked.
    habits: tuple[float | None, list[int]] | None = None


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
    buf: list[_Item] = []
    post: list[Line] = []
    vector: np.ndarray | None = None
    post_stamp: Stamp | None = None
    p_start = 1.0
    done = 0  # items in buf before this index are decided
    frames = _Frames()

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
        yield Segment(post, p_start, vector, post_stamp)
