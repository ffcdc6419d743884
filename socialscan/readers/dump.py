"""Raw dumps (posts pasted one after another) and one-post-a-line text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..records import Post, stable_id
from ..text import entities as ent
from ..text.body import split_post
from ..text.patterns import THREAD_MARK_RE
from ..text.stamped import unstamped
from ..text.stamps import Stamp
from .repeats import is_retweet_text
from .stats import ParseStats

if TYPE_CHECKING:  # numpy-free at import: `socialscan parse` needs no embedder
    from ..embed.base import Embedder
    from ..segment.items import Segment
    from ..segment.linker import Linker
    from ..segment.model import BoundaryModel


def make_post(
    lines: list[tuple[int, str]],
    source: str,
    source_key: str,
    copied: bool = False,
    stamp: Stamp | None = None,
) -> Post:
    """A Post from its verbatim lines; blank lines at either edge never get here.

    With ``copied``, a post that opens with an X web app header (:mod:`socialscan.text.headers`)
    takes its author, date and reply target from the header, and its entities from its own
    text only (not from the header's handle or the counts); ``text`` keeps every line. A
    ``stamp`` (the date or author a scraper wrote at the post, :mod:`socialscan.text.stamps`) gives
    author and date the same way.
    """
    texts = [t for _, t in lines]
    text = "\n".join(texts)
    content = [t for t in texts if t.strip()]
    copy = split_post(content) if copied else None
    author = created_at = None
    body = text
    post_id = None
    if copy is None and stamp is not None:
        content = unstamped(content)
        body = "\n".join(content)
        author, created_at, post_id = stamp.author, stamp.created_at, stamp.post_id
    if copy is not None:
        body = "\n".join(content[i] for i in copy.body)
        # "Replying to @x" under the header; older layouts keep the handles in the text
        reply_to = copy.reply_to or (
            ent.leading_handles(content[copy.body[0]]) if copy.body else []
        )
        kind = "reply" if reply_to else "post"
        author = copy.header.handle if copy.header else None
        created_at = copy.created_at
    elif content and all(ent.is_url_only(t) for t in content):
        kind = "link"
        reply_to = []
    else:  # (a post of nothing but a stamp has no content left)
        reply_to = ent.leading_handles(content[0]) if content else []
        kind = "reply" if reply_to else "post"
    links, mentions, hashtags, cashtags, emojis = ent.post_entities(body)
    return Post(
        id=stable_id(source_key, lines[0][0], text),
        kind=kind,
        text=text,
        line_start=lines[0][0],
        line_end=lines[-1][0],
        source=source,
        links=links,
        mentions=mentions,
        hashtags=hashtags,
        cashtags=cashtags,
        emojis=emojis,
        reply_to=reply_to,
        author=author,
        created_at=created_at,
        tweet_id=post_id,
        is_retweet=is_retweet_text(body),
    )


def read_dump(
    lines: Iterator[tuple[int, str]],
    source: str,
    stats: ParseStats,
    embedder: Embedder | None = None,
    source_key: str | None = None,
    contextual: Embedder | None = None,
    model: BoundaryModel | None = None,
) -> Iterator[Post]:
    """Segment a raw dump into posts (see :mod:`socialscan.segment`); with a ``contextual``
    embedder (MiniLM) the accurate boundary model decides, else the fast one. Records that
    continue the post above them share a ``thread_id`` (:func:`continues_thread`)."""
    from ..segment.model import default_model, semantic_model
    from ..segment.segmenter import iter_segments

    if model is None:
        model = semantic_model() if contextual is not None else default_model()
    linker = model.linker
    prev: Post | None = None
    prev_seg: Segment | None = None
    for seg in iter_segments(lines, embedder=embedder, model=model, contextual=contextual):
        if prev is None:  # said only of a dump that had a post to split
            stats.segmenters.add("minilm" if contextual is not None else "fast")
        post = make_post(seg.lines, source, source_key or source, copied=True, stamp=seg.stamp)
        if prev is not None and continues_thread(
            prev, post, seg.p, linker=linker, segments=(prev_seg, seg)
        ):
            post.thread_id = prev.thread_id = prev.thread_id or prev.id
        if prev is not None:
            yield prev
        prev, prev_seg = post, seg
    if prev is not None:
        yield prev


#: Without a fitted linker, a post split off with a boundary probability under this may
#: continue the one above it.
THREAD_LINK_BELOW = 0.8


def linkable(prev: Post, post: Post) -> bool:
    """Two plain posts with no link line between them: the only pairs thread linking weighs."""
    if prev.kind != "post" or post.kind != "post":
        return False
    return not ent.is_url_only(prev.text.rstrip().rsplit("\n", 1)[-1])


def continues_thread(
    prev: Post,
    post: Post,
    p_boundary: float,
    linker: Linker | None = None,
    segments: tuple[Segment, Segment] | None = None,
) -> bool:
    """Whether ``post`` likely continues ``prev`` as one thread (same ``thread_id``).

    Posts copied with their headers know their authors: one author's posts in a row are a
    thread (X shows a thread so), and a post by someone else never continues it. Otherwise
    only plain posts are linked, and not across a link line. The boundary model's linker
    (:mod:`socialscan.segment.linker`) decides from the split's probability, how alike the two
    records are and their sizes; without one, a hesitant boundary (p < 0.8) links.
    """
    if prev.author or post.author:
        return prev.author == post.author
    if not linkable(prev, post):
        return False
    if linker is not None and segments is not None:
        return linker.links(*segments)
    return p_boundary < THREAD_LINK_BELOW


#: What :data:`~socialscan.text.patterns.THREAD_MARK_RE` needs but for the thread emoji: a
#: digit, then a slash (no match without one in the text, so none in its first or last line).
_MARK_HINT_RE = re.compile(r"\d\s*/")


def thread_marker(text: str) -> bool:
    """True when a post carries thread numbering (``1/5``, ``2/``) or the thread emoji.

    Examples:
        >>> thread_marker("Big news 1/4"), thread_marker("🧵 on tuning"), thread_marker("50/50 odds")
        (True, True, False)
    """
    # every mark holds the emoji or a digit before a slash: most posts fail that one scan
    if "🧵" not in text and ("/" not in text or _MARK_HINT_RE.search(text) is None):
        return False
    stripped = text.strip()
    lines = stripped.splitlines() if stripped else [""]
    for s in (lines[0], lines[-1]):
        m = THREAD_MARK_RE.search(s)
        if m and (m.group(0).strip() == "🧵" or "🧵" in s):
            return True
        if m:
            a = int(m.group(1) or m.group(3))
            b = m.group(2)
            if a <= 30 and (b is None or a <= int(b) <= 30) and a >= 1:
                return True
    return False
