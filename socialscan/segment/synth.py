"""Synthetic raw dumps from real tweets, with gold spans known by construction.

Real posts (their own line breaks, handles, links) are pasted one after another the way a
timeline scrape comes out: trailing ``t.co`` links moved to their own line, blank lines inside
posts kept or dropped, posts cut short after a few lines ("Show more"), HTML entities decoded,
sometimes a blank line between posts, or each post under the header the X web app shows
(:func:`copied_timeline`). Used to fit and to score the boundary model.
"""

from __future__ import annotations

import csv
import html
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..text import entities as ent
from .features import HABITS

Span = tuple[int, int]

_TRAIL_URLS = re.compile(r"(?:\s+https?://\S+)+\s*$")
_TRAIL_TAGS = re.compile(r"(?:\s*[#＃]\w+)+\s*$")
# a sentence end followed by the start of another sentence (not "e.g. the", "U.S. Army", "3.5")
_SENTENCE_BREAK = re.compile(r"(?<=[a-z0-9)\]][.!?…])\s+(?=[A-Z\"“‘(#$])|(?<=[!?…])\s+(?=[A-Za-z])")
_HANDLE_WORDS = [
    "data",
    "ai",
    "dev",
    "news",
    "jane",
    "max",
    "the",
    "real",
    "labs",
    "mike",
    "anna",
    "tech",
]


@dataclass
class Dump:
    """One synthetic dump: its lines and the gold (1-based, inclusive) span of each post."""

    lines: list[str]
    spans: list[Span]
    source: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def chatgpt_posts(paths: list[Path]) -> list[str]:
    """Tweet texts from the chatgpt-tweets CSVs (quoted fields span lines)."""
    out = []
    for p in paths:
        with p.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                t = (row.get("Tweet") or "").strip()
                if t and not t.startswith("RT @"):
                    out.append(t)
    return list(dict.fromkeys(out))


def twarc_posts(paths: list[Path]) -> list[str]:
    """Unique non-retweet tweet texts from twarc JSONL files (read with socialscan's reader)."""
    from ..readers.jsonl import read_jsonl
    from ..readers.stats import ParseStats
    from ..readers.text import read_text_lines

    out = []
    for p in paths:
        for post in read_jsonl(read_text_lines(p), str(p), ParseStats()):
            t = post.text.strip()
            if t and not t.startswith("RT @"):
                out.append(t)
    return list(dict.fromkeys(out))


def line_posts(paths: list[Path], rng: random.Random) -> list[str]:
    """One-line tweets (TweetEval); masked ``@user`` handles get plausible names."""
    out = []
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line:
                out.append(re.sub(r"@user\b", lambda _: "@" + _handle(rng), line))
    return list(dict.fromkeys(out))


def _handle(rng: random.Random) -> str:
    name = rng.choice(_HANDLE_WORDS) + rng.choice(["", "_", ""]) + rng.choice(_HANDLE_WORDS)
    return name.capitalize() if rng.random() < 0.5 else name + str(rng.randint(1, 99))


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


def long_post(parts: Sequence[str]) -> str:
    """One long post on one theme from several short ones: their text without trailing links
    and hashtags, one after another (X allows long posts since 2023; the seed's first post is
    27 lines). Used to teach thread linking, not boundaries.

    Examples:
        >>> long_post(["Fine tuning is hard https://t.co/x", "Data matters most #ml"])
        'Fine tuning is hard\\nData matters most'
    """
    out = []
    for t in parts:
        t = _TRAIL_TAGS.sub("", _TRAIL_URLS.sub("", html.unescape(t))).strip()
        if t:
            out.append(t)
    return one_hand("\n".join(out))


_HABIT = {name: (first, second) for name, first, second in HABITS}
_QUOTED = re.compile(r'"([^"\n]*)"')  # a phrase in straight quotes, to write in curly ones


def one_hand(text: str) -> str:
    r"""``text`` with apostrophes and quotes written throughout as their first use writes them
    (:data:`~.features.HABITS`): a long post made of several people's posts then reads as one
    author's.

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
    for key, choices in sorted((extra or {}).items()):  # drawn only when asked: older dumps
        style[key] = rng.choice(choices)  # stay the same
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


_NAMES = ["Rachel Woods", "Sam", "Dr. Ada L.", "Max 🚀", "The AI Daily", "jane doe", "Mike | Labs"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _count(rng: random.Random) -> str:
    n = int(10 ** rng.uniform(0, 6.5))
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 10_000:
        return f"{n / 1000:.1f}K".replace(".0K", "K")
    return f"{n:,}"


def _time(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        unit = rng.choice("smh")
        return f"{rng.randint(1, 23 if unit == 'h' else 59)}{unit}"
    day = f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}"
    return day if r < 0.7 else f"{day}, {rng.randint(2015, 2025)}"


def copied_timeline(dump: Dump, seed: int) -> Dump:
    """The same posts as the X web app shows them and a browser copies them: a header above
    each post (name, ``@handle``, ``·``, time; sometimes "Pinned" or "... reposted" above it),
    "Replying to @x" instead of leading handles, counts below (zero counts are not shown),
    now and then "Show this thread"; runs of posts by one author. Gold spans hold it all.

    Examples:
        >>> d = copied_timeline(Dump(["hello", "@ann hi"], [(1, 1), (2, 2)], "x"), 1)
        >>> [d.lines[a - 1] for a, _ in d.spans] == [d.lines[0], d.lines[d.spans[1][0] - 1]]
        True
        >>> any(line.startswith("Replying to @ann") for line in d.lines)
        True
    """
    rng = random.Random(seed)
    # the header's shape: "Name @handle · 2h" on one line, the name over "@handle · 2h", or
    # name, handle, dot and time on four lines
    shape = rng.random()
    blank_inside = rng.random() < 0.2  # a blank line between header, text and counts
    lines: list[str] = []
    spans: list[Span] = []
    handle = _handle(rng)
    for a, b in dump.spans:
        body = list(dump.lines[a - 1 : b])
        if rng.random() > 0.25:
            handle = _handle(rng)
        name = rng.choice(_NAMES)
        post: list[str] = []
        r = rng.random()
        if r < 0.05:
            post.append("Pinned")
        elif r < 0.12:
            post.append(f"{rng.choice(_NAMES)} reposted")
        if shape < 0.1:
            post.append(f"{name} @{handle} · {_time(rng)}")
        elif shape < 0.2:
            post += [name, f"@{handle} · {_time(rng)}"]
        else:
            post += [name, f"@{handle}", "·", _time(rng)]
        replied = ent.leading_handles(body[0])
        rest = body[0][ent.LEADING_HANDLES_RE.match(body[0]).end() :].lstrip() if replied else ""
        if rest:  # the app shows a reply's leading handles as "Replying to"
            post.append("Replying to " + " and ".join(f"@{h}" for h in replied))
            body[0] = rest
        if blank_inside:
            post.append("")
        post += body
        if blank_inside:
            post.append("")
        post += [_count(rng) for _ in range(4) if rng.random() < 0.7]
        if rng.random() < 0.05:
            post.append("Show this thread")
        start = len(lines) + 1
        lines.extend(post)
        while lines and not lines[-1].strip():
            lines.pop()
        spans.append((start, len(lines)))
    return Dump(lines, spans, dump.source)


_FULL_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]  # fmt: skip
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _stamp_time(t: datetime, style: int) -> str:
    """A post's time in one of the ways exports and pages write it."""
    mon, h12 = _MONTHS[t.month - 1], f"{(t.hour - 1) % 12 + 1}:{t.minute:02d} {'AP'[t.hour >= 12]}M"
    return [
        t.strftime("%Y-%m-%d %H:%M"),
        t.strftime("%Y-%m-%dT%H:%M:%SZ"),
        f"{mon} {t.day}, {t.year}",
        f"{_DAYS[t.weekday()]} {mon} {t.day:02d} {t:%H:%M:%S} +0000 {t.year}",
        f"{t.month}/{t.day}/{t.year} {h12}",
        f"{_FULL_MONTHS[t.month - 1]} {t.day}, {t.year} at {h12}",
        f"{h12} · {mon} {t.day}, {t.year}",
    ][style]


def _counts_line(rng: random.Random, style: int) -> str:
    """A post's counts as exports write them on one line."""
    n = [_count(rng) for _ in range(3)]
    return [
        f"💬 {n[0]}  🔁 {n[1]}  ❤️ {n[2]}",
        f"Replies: {n[0]} | Retweets: {n[1]} | Likes: {n[2]}",
        f"{n[0]} replies, {n[1]} reposts, {n[2]} likes",
        f"♥ {n[2]} ↻ {n[1]}",
    ][style]


def stamped_export(dump: Dump, seed: int) -> Dump:
    """The same posts as a scraper's text export or a person's notes keep them, one way per
    dump: a date line above each post (or, as a copied post page has it, below); the first
    line opening with its date and/or author (``[2023-03-01 14:22] Name (@handle): ...``,
    ``handle: ...``); the post's own link above or below it; its counts below it (under a
    date line above it in half those dumps); its author on a line above it (``Name (@handle)``,
    in half those dumps with ``· Mar 1, 2023``). Times increase; gold spans hold the stamps.

    Examples:
        >>> d = stamped_export(Dump(["hello", "@ann hi"], [(1, 1), (2, 2)], "x"), 1)
        >>> len(d.spans), len(d.lines) > 2 or d.lines[1] != "@ann hi"  # each post stamped
        (2, True)
    """
    rng = random.Random(seed)
    way = rng.choice(
        ["above", "above", "below", "date", "date_author", "author", "label"]
        + ["link_above", "link_below", "counts", "author_line"]
    )
    style = 6 if way == "below" else rng.randrange(6)
    bracket = way != "above" and rng.random() < 0.6 or way == "above" and rng.random() < 0.15
    blank = rng.random() < 0.3  # a blank line between two posts
    counts_style, dated = rng.randrange(4), rng.random() < 0.5
    host = rng.choice(["https://twitter.com", "https://x.com", "twitter.com"])
    t = datetime(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28), 8)
    post_id = rng.randint(10**17, 10**18)
    lines: list[str] = []
    spans: list[Span] = []
    handle = _handle(rng)
    for a, b in dump.spans:
        body = list(dump.lines[a - 1 : b])
        t += timedelta(minutes=rng.randint(1, 600))
        post_id += rng.randint(10**12, 10**14)
        when = _stamp_time(t, style)
        when = f"[{when}]" if bracket else when
        if rng.random() > 0.3:
            handle = _handle(rng)
        author = f"{rng.choice(_NAMES)} (@{handle})"
        link = f"{host}/{handle}/status/{post_id}"
        if way == "above":
            body.insert(0, when)
        elif way == "below":
            body.append(when)
        elif way == "date":
            body[0] = f"{when} {body[0]}" if bracket else f"{when} - {body[0]}"
        elif way == "date_author":
            body[0] = f"{when} {author}: {body[0]}"
        elif way == "author":
            body[0] = f"{author}: {body[0]}"
        elif way == "label":
            body[0] = f"{handle}: {body[0]}"
        elif way == "author_line":
            body.insert(0, f"{author} · {_stamp_time(t, 2)}" if dated else author)
        elif way == "link_above":
            body.insert(0, link)
        elif way == "link_below":
            body.append(link)
        else:
            body = ([when] if dated else []) + body + [_counts_line(rng, counts_style)]
        if blank and lines:
            lines.append("")
        spans.append((len(lines) + 1, len(lines) + len(body)))
        lines.extend(body)
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
    t = _TRAIL_TAGS.sub("", _TRAIL_URLS.sub("", text))
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


def heldout_dumps(heldout: dict[str, list[str]], n: int) -> dict[str, list[Dump]]:
    """The held-out rows of ``bench/results_segments.md``: ``n`` dumps of 20-60 posts each,
    reproducible, from posts no training dump holds (``4 n`` short pastes of 2-8 posts, and
    ``2 n`` blank-separated dumps); the last two rows are the diverse dumps as copied from the X
    web app (:func:`copied_timeline`) and as a scraper's export stamps them (:func:`stamped_export`).

    The first four rows are the dumps of earlier versions of the file; the sentence-a-line and
    diverse rows imitate X timelines (posts one sentence a line, cut after a hook line, and
    topics that change from post to post: twarc, chatgpt and TweetEval posts in equal parts);
    short pastes are a few of those posts pasted at once.
    """
    cg, tw, te = heldout["chatgpt"], heldout["twarc"], heldout["tweeteval"]
    r = random.Random(106)
    diverse = tw + r.sample(cg, len(tw)) + r.sample(te, len(tw))
    sets = {
        "chatgpt-tweets (North America, Oceania)": list(make_dumps(cg, n, 101, "c")),
        "twarc samples": list(make_dumps(tw, n, 102, "t")),
        "TweetEval test (one-line posts)": list(make_dumps(te, n, 103, "e")),
        "mixed": list(make_dumps(cg + tw + te[:2000], n, 104, "m")),
        "mixed, one sentence a line": list(
            make_dumps(
                cg + tw + te[:2000],
                n,
                105,
                "s",
                extra={"sentence_lines": (0.5, 1.0), "hook_cut": (0.0, 0.3)},
            )
        ),
        "diverse (twarc, chatgpt, TweetEval in equal parts)": list(
            make_dumps(
                diverse,
                n,
                106,
                "d",
                extra={"sentence_lines": (0.0, 0.5, 1.0), "hook_cut": (0.0, 0.3)},
            )
        ),
    }
    sets["short pastes (2-8 posts, diverse)"] = list(
        make_dumps(diverse, 4 * n, 108, "p", size=(2, 8), extra={"sentence_lines": (0.0, 0.5)})
    )
    # the same chatgpt and twarc posts pasted with a blank line between each two
    sets["blank-separated (chatgpt, twarc)"] = [
        blank_separated(d) for key in list(sets)[:2] for d in sets[key]
    ]
    # the diverse posts copied from the X web app, headers and counts included
    sets["copied from the X web app (diverse)"] = [
        copied_timeline(d, 109 + i) for i, d in enumerate(sets[list(sets)[5]])
    ]
    # the diverse posts as scrapers' exports keep them, each post stamped with date or author
    sets["stamped by a scraper (diverse)"] = [
        stamped_export(d, 209 + i) for i, d in enumerate(sets[list(sets)[5]])
    ]
    # multi-line posts pasted as a person copies them (links and most hashtags gone)
    sets["copied as text, multi-line posts (chatgpt, twarc)"] = edited_dumps(cg + tw, n, 110, "x")
    return sets


def stance_groups(shared_data: Path, split: str) -> list[list[str]]:
    """TweetEval's stance tweets, one list per target (abortion, atheism, climate, ...)."""
    groups = []
    for path in sorted((shared_data / "tweeteval" / "stance").glob(f"*/{split}_text.txt")):
        groups.append(
            [t.strip() for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
        )
    return groups


def pools(shared_data: Path, seed: int = 0) -> dict[str, dict[str, list[str]]]:
    """Train and held-out post pools, split by source so that held-out text is unseen.

    Train: chatgpt tweets from Asia, Africa, Europe and South America, TweetEval train splits.
    Held out: chatgpt tweets from North America and Oceania, all twarc samples, TweetEval tests.
    """
    rng = random.Random(seed)
    cg = shared_data / "chatgpt-tweets"
    te = shared_data / "tweeteval"
    return {
        "train": {
            "chatgpt": chatgpt_posts(
                [cg / f"{r}.csv" for r in ("Asia", "Africa", "Europe", "South America")]
            ),
            "tweeteval": line_posts(
                sorted(te.glob("*/train_text.txt")) + sorted(te.glob("stance/*/train_text.txt")),
                rng,
            ),
        },
        "heldout": {
            "chatgpt": chatgpt_posts([cg / f"{r}.csv" for r in ("North America", "Oceania")]),
            "twarc": twarc_posts(sorted((shared_data / "twarc-jsonl").glob("*.jsonl"))),
            "tweeteval": line_posts(
                sorted(te.glob("*/test_text.txt")) + sorted(te.glob("stance/*/test_text.txt")), rng
            ),
        },
    }
