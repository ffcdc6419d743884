"""Fixed rules over the boundary model's probabilities: cues that decide a gap whatever the
trees say, because they are near certain and too rare in training for the trees to weigh.

A bare link line right under a post belongs to it; a reply right under a reply starts a new
one, and so does a numbered thread after a reply, a run of thread numbers ("1/", "2/") and a
retweet's "RT @x:"; two lines written in two hands get a boundary between them.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..text.patterns import RETWEET_RE, THREAD_OPENING_RE
from .features import HABITS
from .items import LineItem


def attached_link(item: LineItem) -> bool:
    """A bare link line with no blank line above it belongs to the post above."""
    return item.info.url_only and not item.blanks


def reply_after_reply(prev: LineItem, item: LineItem) -> bool:
    """A line that opens with handles and goes on in words, right under another such line,
    starts a new reply (two replies, not a reply and its own tag line). Nearly every such gap
    in held-out dumps is a boundary; the trees miss some when only a few short replies are
    pasted, where windows of context are short."""
    return prev.info.handle and item.info.handle and not (prev.info.tags or item.info.tags)


def thread_after_reply(prev: LineItem, item: LineItem) -> bool:
    """A line that opens a numbered thread ("1/3", the thread emoji) right under a reply starts
    a new post: a thread is its author's own posts, and a reply ends before it. Rare in the
    training dumps, so the trees give it no weight of its own."""
    return prev.info.handle and not prev.info.tags and item.info.thread_start


def numbered_tweets(items: list[LineItem]) -> list[int]:
    """Lines that open with a thread's numbering ("1/", "2/5", "(3/5)") whose numbers run on
    from one such line to the next (2/ after 1/): each starts one tweet of the thread, however
    many lines the tweets have. A real tweet very rarely holds such a run inside itself (a list
    written "1/ ...", "2/ ..."); its pieces then still share a ``thread_id`` by their
    numbering.

    Examples:
        >>> texts = ["How we cut our bill 🧵", "1/ Route easy requests.", "80% were easy.",
        ...          "2/ Cache everything.", "Same prompt, same answer.", "24/7 uptime"]
        >>> from .features import line_info
        >>> numbered_tweets([LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts)])
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


def retweet_start(item: LineItem) -> bool:
    """A line opening with "RT @handle:" starts a post: the text of a retweet (as the v1.1 API
    and most scrapers give it) begins so, and real tweets hold no such line after their first;
    without the colon ("Sure is! RT @x Issa cutie pie", an old manual retweet) it can end a sentence
    written on a line of its own, so that form is left to the model."""
    return RETWEET_RE.match(item.info.text) is not None


def clashing_hands(items: list[LineItem], p: np.ndarray, threshold: float) -> None:
    """Two lines that write a habit of hand two ways (``don't`` over ``don’t``, see
    :data:`~.features.HABITS`), with no line between them that does, and no boundary between
    them at ``threshold``, get one: at the likeliest gap between them (the trees weigh each gap
    alone and cannot tell which of several gaps such a clash is at; see
    ``bench/results_segments.md``).

    Examples:
        >>> texts = ["Make sure you can't do it with prompts.", "I used to be shy.", "I’ve grown."]
        >>> from .features import line_info
        >>> items = [LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts)]
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
