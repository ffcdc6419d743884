"""Long posts for the thread linker: several short posts of one theme joined into one post, as
one author writes it, and dumps in X-timeline styles that hold some of them."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Sequence

from socialscan.embed.static import StaticEmbedder
from socialscan.segment.features import HABITS
from socialscan.segment.linker import habits

from .dumps import Dump, make_dumps, without_trailing


def long_post(parts: Sequence[str]) -> str:
    """One long post on one theme from several short ones: their text without trailing links
    and hashtags, one after another (X allows long posts: the seed's first post is 27 lines).
    Used to teach thread linking, not boundaries.

    Examples:
        >>> long_post(["Fine tuning is hard https://t.co/x", "Data matters most #ml"])
        'Fine tuning is hard\\nData matters most'
    """
    out = []
    for t in parts:
        t = without_trailing(html.unescape(t)).strip()
        if t:
            out.append(t)
    return one_hand("\n".join(out))


_HABIT = {name: (first, second) for name, first, second in HABITS}
_QUOTED = re.compile(r'"([^"\n]*)"')  # a phrase in straight quotes, to write in curly ones


def one_hand(text: str) -> str:
    r"""``text`` with apostrophes and quotes written throughout as their first use writes them
    (:data:`socialscan.segment.features.HABITS`): a long post made of several people's posts
    then reads as one author's.

    Examples:
        >>> one_hand("I don’t know\nWe can't say \"no\"")
        'I don’t know\nWe can’t say "no"'
    """
    first = {}
    for line in text.splitlines():
        for name, a, b in HABITS:
            if name not in first and (a.search(line) or b.search(line)):
                first[name] = a.search(line) is not None
    straight, curly = _HABIT["apostrophe"]
    if "apostrophe" in first:
        text = curly.sub("'", text) if first["apostrophe"] else straight.sub("’", text)
    if "quote" in first:
        text = _HABIT["quote"][1].sub('"', text) if first["quote"] else _QUOTED.sub(r"“\1”", text)
    return text


def topic_groups(posts: list[str], n_groups: int, seed: int) -> list[list[str]]:
    """Posts clustered by theme (k-means over static vectors), clusters of 4 posts or more."""
    from sklearn.cluster import KMeans

    labels = KMeans(n_groups, n_init=1, random_state=seed).fit_predict(
        StaticEmbedder.default().embed(posts)
    )
    groups: dict[int, list[str]] = {}
    for text, label in zip(posts, labels, strict=True):
        groups.setdefault(int(label), []).append(text)
    return [g for g in groups.values() if len(g) >= 4]


def long_posts(groups: list[list[str]], n: int, seed: int) -> list[str]:
    """``n`` long posts, each 3-8 posts of one group joined (:func:`long_post`), as one
    author writes: posts that start their lines with a capital (or a small letter) as the
    first does, apostrophes and quotes written one way."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        g = rng.choice(groups)
        picked = rng.sample(g, min(len(g), rng.randint(3, 8)))
        case = [_small_letters(t) for t in picked]
        out.append(long_post([t for t, c in zip(picked, case, strict=True) if c == case[0]]))
    return out


def _small_letters(text: str) -> bool | None:
    """Whether most of a post's lines start with a small letter (None: no line a letter)."""
    lower, _ = habits(text.splitlines())
    return None if lower is None else lower >= 0.5


def timeline_dumps(posts: list[str], longs: list[str], n: int, seed: int) -> list[Dump]:
    """``n`` dumps in X-timeline styles in which some posts are long posts."""
    extra = {"sentence_lines": (0.0, 0.5, 1.0), "hook_cut": (0.0, 0.3)}
    return list(make_dumps(posts, n, seed, "timeline", extra=extra, long_posts=longs))
