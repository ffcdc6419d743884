"""Synthetic dumps with repeated posts, as real timelines hold them: the same text several times
in a row, each copy a post of its own (gold spans say so).

- notices the apps show where a post is gone (deleted, withheld, from a suspended account),
  runs of them as a thread with deleted replies shows them;
- one post pasted again (copy-paste spam, the same multi-line post pasted twice), sometimes
  with new short links, as each copy of a plug gets its own;
- a bot's identical replies to several people;
- one link posted twice;
- the near copies the pools themselves hold (the same text with other links or case, real
  spam), in a row.

Everything but the notices is text of the pools the dumps are made from.
"""

from __future__ import annotations

import random
import re
import string
from collections import defaultdict

from socialscan.readers.repeats import same_text
from socialscan.text.patterns import LEADING_HANDLES_RE

from .dumps import Dump, Span
from .sources import made_up_handle

#: What X, Twitter and Bluesky show in a timeline or a thread where a post is gone, as a
#: browser copies it ("Learn more" is a link on the same line, or on a line of its own).
NOTICES = (
    "This post is unavailable.",
    "This Post is unavailable.",
    "This Tweet is unavailable.",
    "This Post was deleted by the Post author. Learn more",
    "This Tweet was deleted by the Tweet author. Learn more",
    "This Post is from a suspended account. Learn more",
    "This Tweet is from a suspended account. Learn more",
    "This Post is from an account that no longer exists. Learn more",
    "You’re unable to view this Post because this account owner limits who can view their "
    "Posts. Learn more",
    "This Post violated the X Rules. Learn more",
    "This Post from @{h} has been withheld in Germany in response to a legal demand. Learn more.",
    "@{h}’s account has been withheld in Türkiye in response to a legal demand. Learn more",
    "Post not found",
    "Deleted post",
)

#: Each repeat's shape and how often it comes.
SHAPES = (("copy", 0.35), ("notice", 0.25), ("bot", 0.15), ("link", 0.1), ("pool", 0.15))

_TCO = re.compile(r"https://t\.co/[A-Za-z0-9]+")


def near_copy_groups(posts: list[str]) -> list[list[str]]:
    """The pool's posts that are the same text (:func:`~socialscan.readers.repeats.same_text`)
    though not the same characters: real copy-paste spam, plugs with their own links.

    Examples:
        >>> near_copy_groups(["Buy now https://t.co/a", "buy now https://t.co/b", "Other"])
        [['Buy now https://t.co/a', 'buy now https://t.co/b']]
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for t in posts:
        groups[same_text(t)].append(t)
    return [g for g in groups.values() if len(g) > 1]


def _new_links(lines: list[str], rng: random.Random) -> list[str]:
    """The lines with every t.co link given another id (each copy of a plug gets its own)."""
    chars = string.ascii_letters + string.digits

    def new(_: re.Match[str]) -> str:
        return "https://t.co/" + "".join(rng.choice(chars) for _ in range(10))

    return [_TCO.sub(new, ln) for ln in lines]


def _lines(text: str) -> list[str]:
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _run(
    shape: str,
    post: list[str],
    rng: random.Random,
    replies: list[str],
    groups: list[list[str]],
) -> list[list[str]]:
    """The posts a repeat of ``shape`` inserts after ``post`` (each a list of lines)."""
    if shape == "copy":  # the post again, once or twice, now and then with new links
        copies = [list(post) for _ in range(rng.choice((1, 1, 1, 2)))]
        return [_new_links(c, rng) if rng.random() < 0.3 else c for c in copies]
    if shape == "notice":  # a thread's deleted or withheld replies
        notice = rng.choice(NOTICES).format(h=made_up_handle(rng))
        lines = [notice]
        if notice.endswith(" Learn more") and rng.random() < 0.3:
            lines = [notice.removesuffix(" Learn more"), "Learn more"]
        return [list(lines) for _ in range(rng.randint(2, 4))]
    if shape == "bot":  # one reply to several people
        body = _lines(LEADING_HANDLES_RE.sub("", rng.choice(replies), count=1))
        out = []
        for _ in range(rng.randint(2, 4)):
            first = f"@{made_up_handle(rng)} {body[0].lstrip()}"
            out.append([first, *body[1:]])
        return out
    if shape == "link":  # a bare link posted two or three times
        link = rng.choice(
            (
                "https://t.co/" + "".join(rng.choice(string.ascii_letters) for _ in range(10)),
                f"https://www.example-news.com/2023/02/{rng.randint(1, 28)}/ai-story-{rng.randint(1, 999)}",
            )
        )
        return [[link] for _ in range(rng.randint(2, 3))]
    group = rng.choice(groups)  # the pool's own near copies, in a row
    return [_lines(t) for t in rng.sample(group, len(group))]


def with_repeats(dump: Dump, rng: random.Random, replies: list[str], groups: list[list[str]]):
    """``dump`` with repeats after some of its posts (a share drawn per dump: 5, 10 or 20%),
    pasted as the dump pastes its posts (blank lines between them as often as it has them).

    Examples:
        >>> d = with_repeats(Dump(["a b", "c"], [(1, 1), (2, 2)], "x"), random.Random(3), ["@u hi"], [["k", "K"]])
        >>> all(b >= a for a, b in d.spans) and len(d.spans) >= 2
        True
    """
    posts = [dump.lines[a - 1 : b] for a, b in dump.spans]
    gaps = [dump.lines[b] == "" for _, b in dump.spans[:-1] if b < len(dump.lines)]
    blank_share = sum(gaps) / len(gaps) if gaps else 0.0
    rate = rng.choice((0.05, 0.1, 0.2))
    names, weights = zip(*SHAPES, strict=True)
    lines: list[str] = []
    spans: list[Span] = []

    def paste(post: list[str]) -> None:
        if lines and rng.random() < blank_share:
            lines.append("")
        start = len(lines) + 1
        lines.extend(post)
        spans.append((start, len(lines)))

    for post in posts:
        paste(post)
        if rng.random() < rate:
            shape = rng.choices(names, weights)[0]
            for again in _run(shape, post, rng, replies, groups):
                paste(again)
    return Dump(lines, spans, dump.source)
