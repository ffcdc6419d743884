"""Fixed rules over the boundary model's probabilities: cues that decide a gap whatever the
trees say, because they are near certain and too rare in training for the trees to weigh.

A bare link line right under a post belongs to it; a reply right under a reply starts a new
one, and so does a numbered thread after a reply, a run of thread numbers ("1/", "2/") and a
retweet's "RT @x:"; two lines written in two hands get a boundary between them; the same
text again right under itself is another post.
"""

from __future__ import annotations

import itertools
import re

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


#: The longest post (in non-blank lines) whose copy right under it is read as a repeat.
MAX_PERIOD = 40
#: What a line (or a repeated stretch of lines) must say to be a post of its own when it comes
#: again: letters outside hashtags and handles, and words with letters. "😂😂", "—", "#AI",
#: ".", "Yes." or "lol" repeated are a post's own lines.
MIN_LETTERS = 8
MIN_WORDS = 2
#: A bare link this many times in a row is a link posted again and again: each copy starts a
#: post, the first too (which alone would read as the post above's own link). Twice is as
#: often a post's link written twice (its text's and its card's: 2 of the 27,267 training
#: chatgpt tweets hold one link twice in a row, 1 three times), so two in a row stay to the
#: trees unless the first is a post of its own.
LINK_RUN = 3

_LINK = "\x00"  # every link line reads the same in a repeated stretch (each copy its own link)
_URL = re.compile(r"(?:https?://|www\.)\S+")  # links as scrapers and apps write them
_FOLD_LEAD = re.compile(r"(?:rt [@＠]\w+:?\s+)?(?:[@＠][\w.@-]+\s*)*")
_WORD = re.compile(r"(?<![#＃@＠\w])[^\W\d_][\w'’-]*")


def _link_run(items: list[LineItem], g: int, known: list[int]) -> int:
    """How many lines in a row around ``items[g]`` are the same bare link as it.

    ``known`` holds the last run measured (``[start, end]``, end exclusive) and is updated:
    called for ascending ``g``, each run is walked once, so a dump of one link pasted
    thousands of times costs linear time, not quadratic.
    """
    a, b = known
    if not a <= g < b:
        text = items[g].info.text
        a, b = g, g + 1
        while a > 0 and items[a - 1].info.text == text:
            a -= 1
        while b < len(items) and items[b].info.text == text:
            b += 1
        known[:] = a, b
    return b - a


def repeat_keys(items: list[LineItem]) -> list[str]:
    """What each line must share with another to say the same thing: as
    :func:`~socialscan.readers.repeats.same_text` reads a post (its ``RT @x:`` and links set
    aside, case and spacing folded) and its leading handles set aside too (a bot's one reply
    to several people); a line of links alone reads as any other such line.

    The block's lines are folded in one string, links cut in one pass (about a microsecond a
    line in all).

    Examples:
        >>> from .features import line_info
        >>> texts = ["@ann Thanks  for the follow! https://t.co/a", "@bob thanks for the FOLLOW!",
        ...          "https://t.co/b", "RT @x: This post is unavailable."]
        >>> repeat_keys([LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts)])
        ['thanks for the follow!', 'thanks for the follow!', '\\x00', 'this post is unavailable.']
    """
    blob = _URL.sub(" ", "\n".join([it.info.text for it in items]).casefold())
    return [
        _LINK
        if it.info.url_only
        # leading handles, or white space other than one space (tabs and no-break spaces are
        # not printable): folded; else the line is its key
        else _fold(k)
        if k[:1] in "@＠" or k[:3] == "rt " or "  " in k or not k.isprintable()
        else k.strip()
        for it, k in zip(items, blob.split("\n"), strict=True)
    ]


def _fold(key: str) -> str:
    return " ".join(key[_FOLD_LEAD.match(key).end() :].split())  # type: ignore[union-attr]


def says_something(keys: list[str]) -> bool:
    """Whether lines (their :func:`repeat_keys`) hold enough words to be a post when they come
    again: :data:`MIN_LETTERS` letters and :data:`MIN_WORDS` words outside hashtags, handles
    and links.

    Examples:
        >>> [says_something([k]) for k in ("this post is unavailable.", "yes.", "😂😂", "#ai #ml")]
        [True, False, False, False]
        >>> says_something(["deleted post"]), says_something([".", "big news today", "."])
        (True, True)
    """
    words = [w for k in keys if k != _LINK for w in _WORD.findall(k)]
    return len(words) >= MIN_WORDS and sum(map(str.isalpha, "".join(words))) >= MIN_LETTERS


def repeated_posts(
    items: list[LineItem], p: np.ndarray, threshold: float, app_lines: list[bool]
) -> None:
    """The same text again right under itself is another post: each copy gets a boundary.

    Timelines hold the same text several times in a row (the notices where posts are gone,
    copy-paste spam, a bot's replies, one post pasted twice), each copy its own post, where
    the model reads the words repeated as one post's cohesion. Lines are compared by
    :func:`repeat_keys`; blank lines between copies do not matter.

    - A line that says again what the line above it says (:func:`says_something`) starts a
      post, and so do the line above it and the line after the last copy (the first copy
      and the last are posts as the others are). A
      bare link under the same link does where that first link is a post of its own (a post
      may hold its own link twice: a tweet's trailing link and its card's); a link
      :data:`LINK_RUN` times in a row is a post at each copy, the first too.
    - A stretch of two to :data:`MAX_PERIOD` lines that comes again right under itself:
      each copy starts a post, the first too, and the line after the last. Where lines of the post above read as the
      copy's last lines (a hashtag line, a link line), the copies are placed where the
      model's boundaries are likeliest.

    Only the items given are read (a block and its context). The app's own lines
    (``app_lines``: "Show this thread", counts) are left to the page's rules.

    Examples:
        >>> from .features import line_info
        >>> texts = ["This post is unavailable.", "This post is unavailable.",
        ...          "So good 😂😂", "😂😂", "😂😂", "Try it free today:", "https://t.co/a",
        ...          "Try it free today:", "https://t.co/b"]
        >>> items = [LineItem(i, t, [], line_info(t)) for i, t in enumerate(texts)]
        >>> p = np.asarray([1.0] + [0.1] * 8)
        >>> repeated_posts(items, p, 0.5, [False] * 9)
        >>> [g for g in range(9) if p[g] >= 0.5]
        [0, 1, 2, 5, 7]
    """
    n = len(items)
    if n < 2:
        return
    keys = repeat_keys(items)
    if any(app_lines):  # each of the app's lines reads as no other line
        keys = [f"\x01{g}" if app_lines[g] else k for g, k in enumerate(keys)]
    code = np.fromiter(map(hash, keys), dtype=np.int64, count=n)  # equal keys, equal codes
    q = p.copy()  # the model's and the other rules' boundaries, for placing copies
    # one line again
    same = np.flatnonzero(code[1:] == code[:-1]) + 1
    run = [0, 0]  # the last run of one link measured
    for g in same:
        if keys[g] != keys[g - 1]:  # another text with the same hash
            continue
        if keys[g] == _LINK:
            if items[g].info.text != items[g - 1].info.text:
                continue
            if _link_run(items, g, run) >= LINK_RUN:
                p[g - 1 : g + 1] = 1.0  # each copy is a post, the first too
            elif q[g - 1] >= threshold:
                p[g] = 1.0
        elif says_something([keys[g]]):
            p[g - 1 : g + 2] = 1.0  # the first copy is a post of its own, and the last
    # a stretch of lines again
    for k in range(2, min(MAX_PERIOD, n // 2) + 1):
        hits = np.flatnonzero(code[k:] == code[:-k])  # keys[h + k] == keys[h]
        if len(hits) < k:  # no run of k lines again
            continue
        cut = np.flatnonzero(np.diff(hits) != 1)
        for i, j in zip([0, *(cut + 1)], [*cut, len(hits) - 1], strict=True):
            a, s, e = hits[i], hits[i] + k, hits[j] + k + 1  # the periodic stretch: items[a:e]
            if e - s < k or len(set(keys[a:s])) == 1:  # no whole copy; one line again
                continue
            if keys[a : e - k] != keys[a + k : e] or not says_something(keys[a:s]):
                continue
            best, cuts = (0, -1.0), []
            for r in range(k):  # the most whole copies, then the likeliest boundaries
                at = list(range(a + r + k, e - k + 1, k))
                if at and (score := (len(at), float(np.mean(q[at])))) > best:
                    best, cuts = score, at
            p[[cuts[0] - k, *cuts, *([cuts[-1] + k] if cuts[-1] + k < n else [])]] = 1.0
