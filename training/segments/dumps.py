"""Synthetic raw dumps from real tweets, with gold spans known by construction.

Real posts (their own line breaks, handles, links) are pasted one after another the way a
timeline scrape comes out: trailing ``t.co`` links moved to their own line, blank lines inside
posts kept or dropped, posts cut short after a few lines ("Show more"), HTML entities decoded,
sometimes a blank line between posts. Used to fit and to score the boundary model.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Span = tuple[int, int]

_TRAIL_URLS = re.compile(r"(?:\s+https?://\S+)+\s*$")
_TRAIL_TAGS = re.compile(r"(?:\s*[#＃]\w+)+\s*$")
# a sentence end followed by the start of another sentence (not "e.g. the", "U.S. Army", "3.5")
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)\]][.!?…])\s+(?=[A-Z\"“‘(#$])|(?<=[!?…])\s+(?=[A-Za-z])")


@dataclass
class Dump:
    """One synthetic dump: its lines and the gold (1-based, inclusive) span of each post."""

    lines: list[str]
    spans: list[Span]
    source: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def without_trailing(text: str) -> str:
    """``text`` without its trailing links, then without the hashtags that then end it.

    Examples:
        >>> without_trailing("Read this #ml #ai https://t.co/x")
        'Read this'
        >>> without_trailing("Read this https://t.co/x #ml")
        'Read this https://t.co/x'
    """
    return _TRAIL_TAGS.sub("", _TRAIL_URLS.sub("", text))


def render_post(text: str, rng: random.Random, style: dict[str, float]) -> list[str]:
    """How one post looks in a scraped dump, as lines (no leading/trailing blank lines)."""
    if rng.random() < style["unescape"]:
        text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    links: list[str] = []
    m = _TRAIL_URLS.search(text)
    if m and rng.random() < style["drop_links"]:
        text = text[: m.start()]  # the scraper kept no link (media cards, copied text)
    elif m and rng.random() < style["link_lines"]:
        links = m.group(0).split()
        text = text[: m.start()]
    if rng.random() < style["drop_tags"]:
        text = _TRAIL_TAGS.sub("", text)
    lines = [ln.rstrip() for ln in text.split("\n")]
    if "sentence_lines" in style and rng.random() < style["sentence_lines"]:
        # one sentence a line, as many people write longer posts
        lines = [part for ln in lines for part in _SENTENCE_BREAK.split(ln)]
    if rng.random() < style["drop_blank"]:
        lines = [ln for ln in lines if ln.strip()]
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    hooks = [k for k, i in enumerate(content[:-1], 1) if lines[i].endswith((":", "："))]
    if hooks and "hook_cut" in style and rng.random() < style["hook_cut"]:
        # cut right after "Here are 5 tips:": what a timeline shows before "Show more"
        lines = lines[: content[hooks[0] - 1] + 1]
        links = []
    elif len(content) >= 3 and rng.random() < style["truncate"]:
        keep = rng.randint(1, len(content) - 1)
        lines = lines[: content[keep - 1] + 1]
        links = []
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines + links if lines else links


def number_thread(rendered: list[list[str]], rng: random.Random) -> list[list[str]]:
    """Rendered posts as one numbered thread: "1/3" (or "(1/3)", "1/") on each, "🧵" sometimes.

    The marker goes at the end of the post's last text line (before its link lines) or, in
    some threads, at the start of its first line, as people write them.

    Examples:
        >>> number_thread([["Big news", "https://t.co/x"], ["More"]], random.Random(1))
        [['Big news 1/2', 'https://t.co/x'], ['More 2/2']]
    """
    n = len(rendered)
    form = rng.choice(["{i}/{n}", "{i}/{n}", "({i}/{n})", "{i}/"])
    at_start = rng.random() < 0.25
    out = []
    for i, lines in enumerate(rendered, 1):
        mark = form.format(i=i, n=n)
        if i == 1 and rng.random() < 0.3:
            mark += " 🧵"
        lines = list(lines)
        text_rows = [j for j, ln in enumerate(lines) if ln.strip() and not ln.startswith("http")]
        if not text_rows:
            out.append(lines)
            continue
        j = text_rows[0] if at_start else text_rows[-1]
        lines[j] = f"{mark} {lines[j]}" if at_start else f"{lines[j].rstrip()} {mark}"
        out.append(lines)
    return out


#: Shares of posts replaced by a long post (when a pool of them is given), one drawn per dump.
LONG_SHARE = (0.0, 0.05, 0.1, 0.2)

#: Shares of gaps between posts that get a blank line, one drawn per dump.
BLANK_BETWEEN = (0.0, 0.0, 0.0, 1.0, 0.3)


def make_dump(
    posts: list[str],
    rng: random.Random,
    source: str,
    n_posts: int,
    blank_between: Sequence[float] = BLANK_BETWEEN,
    extra: dict[str, Sequence[float]] | None = None,
    long_posts: Sequence[str] | None = None,
) -> Dump:
    """Paste ``n_posts`` random posts into one dump under a random scraping style.

    Some dumps hold numbered threads: runs of 2-5 posts (none of them a reply) marked "1/3",
    "2/3", ... (each post still its own span), so that the model learns what numbering says
    about boundaries.
    """
    style = {
        "unescape": rng.choice([0.0, 1.0, 1.0]),
        "link_lines": rng.choice([0.0, 0.7, 1.0, 1.0]),
        "drop_links": rng.choice([0.0, 0.0, 0.0, 0.5]),
        "drop_tags": rng.choice([0.0, 0.0, 0.0, 0.5]),
        "drop_blank": rng.choice([0.0, 1.0, 1.0]),
        "truncate": rng.choice([0.0, 0.0, 0.15]),
        "blank_between": rng.choice(blank_between),
        "threads": rng.choice([0.0, 0.0, 0.0, 0.08]),
    }
    for key, choices in sorted((extra or {}).items()):  # drawn only when asked, so that
        style[key] = rng.choice(choices)  # dumps without them keep their draws
    picked = rng.sample(posts, min(n_posts, len(posts)))
    if long_posts:  # drawn only when asked, as above
        share = rng.choice(LONG_SHARE)
        picked = [rng.choice(long_posts) if rng.random() < share else t for t in picked]
    lines: list[str] = []
    spans: list[Span] = []
    rendered = [r for r in (render_post(t, rng, style) for t in picked) if r]
    i = 0
    while i < len(rendered):
        run = 1
        if rng.random() < style["threads"]:
            run = min(rng.randint(2, 5), len(rendered) - i)
            # numbered threads are people's own posts: a run holding a reply stays unnumbered
            if any(post[0].lstrip().startswith(("@", "＠")) for post in rendered[i : i + run]):
                run = 1
        group = rendered[i : i + run]
        if run > 1:
            group = number_thread(group, rng)
        for post in group:
            if lines and rng.random() < style["blank_between"]:
                lines.append("")
            start = len(lines) + 1
            lines.extend(post)
            spans.append((start, len(lines)))
        i += run
    return Dump(lines, spans, source)


def make_dumps(
    posts: list[str],
    count: int,
    seed: int,
    source: str,
    size: tuple[int, int] = (20, 60),
    blank_between: Sequence[float] = BLANK_BETWEEN,
    extra: dict[str, Sequence[float]] | None = None,
    long_posts: Sequence[str] | None = None,
) -> Iterator[Dump]:
    """``count`` dumps of ``size`` posts each, reproducible from ``seed``."""
    rng = random.Random(seed)
    for _ in range(count):
        yield make_dump(posts, rng, source, rng.randint(*size), blank_between, extra, long_posts)


def blank_separated(dump: Dump) -> Dump:
    """The same posts with one blank line between each two, as many people paste them.

    Examples:
        >>> blank_separated(Dump(["a", "b", "c"], [(1, 2), (3, 3)], "x")).lines
        ['a', 'b', '', 'c']
    """
    lines: list[str] = []
    spans: list[Span] = []
    for a, b in dump.spans:
        if lines:
            lines.append("")
        start = len(lines) + 1
        lines.extend(dump.lines[a - 1 : b])
        spans.append((start, len(lines)))
    return Dump(lines, spans, dump.source)


#: Extra styles of the training dumps and of the held-out rows that imitate X timelines: posts
#: written one sentence a line, and posts cut right after a "Here are 5 tips:" line.
TIMELINE_STYLES: dict[str, Sequence[float]] = {
    "sentence_lines": (0.0, 0.0, 0.5, 1.0),
    "hook_cut": (0.0, 0.0, 0.3),
}


#: The style of :func:`edited_dumps`: no trailing links (a few kept on lines of their own), few
#: trailing hashtags, no blank lines, posts whole, one after another.
EDITED_STYLE: dict[str, Sequence[float]] = {
    "drop_links": (0.7, 1.0),
    "link_lines": (1.0,),
    "drop_tags": (0.5, 1.0),
    "drop_blank": (1.0,),
    "truncate": (0.0,),
    "threads": (0.0,),
    "sentence_lines": (0.0, 0.0, 0.5),
    "hook_cut": (0.0, 0.2),
}


def multi_line(text: str) -> bool:
    """Whether a post keeps two lines of words or more without its trailing links and tags."""
    t = without_trailing(text)
    return sum(1 for ln in t.splitlines() if ln.strip()) >= 2


def edited_dumps(
    posts: list[str], count: int, seed: int, source: str, size: tuple[int, int] = (8, 25)
) -> list[Dump]:
    """Dumps as a person pastes posts copied from their pages: mostly posts of several lines
    (seven in ten; the rest one-liners and replies), the link cards and most hashtags gone, no
    blank lines, nothing between posts. The seed is such a dump, and the hardest to split: the
    end of a post looks like the end of any of its lines, so only what the lines say tells."""
    rng = random.Random(seed)
    several = [multi_line(t) for t in posts]
    multi = [t for t, m in zip(posts, several, strict=True) if m and t.lstrip()[:1] not in "@＠"]
    other = [t for t, m in zip(posts, several, strict=True) if not m]
    out = []
    for _ in range(count):
        k = rng.randint(*size)
        n_multi = sum(rng.random() < 0.7 for _ in range(k))
        picked = rng.sample(multi, min(n_multi, len(multi)))
        picked += rng.sample(other, min(k - n_multi, len(other)))
        rng.shuffle(picked)
        out.append(make_dump(picked, rng, source, len(picked), (0.0,), EDITED_STYLE))
    return out
