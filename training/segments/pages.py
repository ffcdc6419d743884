"""Synthetic dumps framed as apps and exports frame posts: the X web app's headers and counts
(:func:`copied_timeline`), a scraper's date, author, link or count lines (:func:`stamped_export`).
Gold spans hold the frame with the post."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from socialscan.text import entities as ent

from .dumps import Dump, Span
from .sources import made_up_handle

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
    handle = made_up_handle(rng)
    for a, b in dump.spans:
        body = list(dump.lines[a - 1 : b])
        if rng.random() > 0.25:
            handle = made_up_handle(rng)
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
    handle = made_up_handle(rng)
    for a, b in dump.spans:
        body = list(dump.lines[a - 1 : b])
        t += timedelta(minutes=rng.randint(1, 600))
        post_id += rng.randint(10**12, 10**14)
        when = _stamp_time(t, style)
        when = f"[{when}]" if bracket else when
        if rng.random() > 0.3:
            handle = made_up_handle(rng)
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
