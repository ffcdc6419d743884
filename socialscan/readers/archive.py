"""An X/Twitter archive's ``tweets.js``: ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import MalformedInput
from ..records import Post
from .jsondoc import JsonDocument
from .stats import ParseStats
from .tweets import is_tweet, tweet_to_post

_PREFIX = re.compile(r"^\s*window\.YTD\.[\w.]+\s*=\s*", re.ASCII)


def read_archive(
    lines: Iterator[tuple[int, str]], source: str, stats: ParseStats, strict: bool = False
) -> Iterator[Post]:
    """Yield the tweets of a ``tweets.js``; a truncated file yields what is complete.

    Raises:
        MalformedInput: the file is not an archive, or (under ``strict``) it is truncated.
    """
    doc = JsonDocument(list(lines))
    m = _PREFIX.match(doc.text)
    pos = m.end() if m else len(doc.text) - len(doc.text.lstrip())
    if pos >= len(doc.text) or doc.text[pos] != "[":
        raise MalformedInput(f"{source}: not an archive tweets.js (expected 'window.YTD... = [')")
    for obj, first, last in doc.values(pos, source, stats, strict, what="archive"):
        t = obj.get("tweet", obj) if isinstance(obj, dict) else None
        if is_tweet(t):
            yield tweet_to_post(t, source=source, line_start=first, line_end=last)
        else:
            stats.skip(first, "archive entry without a tweet", quiet=True)
