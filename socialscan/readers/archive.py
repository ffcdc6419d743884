"""An X/Twitter archive's ``tweets.js``: ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..errors import MalformedInput
from ..records import Post
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
    numbered = list(lines)
    text = "\n".join(t for _, t in numbered)
    starts = [0]
    for _, t in numbered:
        starts.append(starts[-1] + len(t) + 1)
    m = _PREFIX.match(text)
    pos = m.end() if m else len(text) - len(text.lstrip())
    if pos >= len(text) or text[pos] != "[":
        raise MalformedInput(f"{source}: not an archive tweets.js (expected 'window.YTD... = [')")
    decoder = json.JSONDecoder()
    pos += 1
    import bisect

    def line_of(offset: int) -> int:
        return numbered[bisect.bisect_right(starts, offset) - 1][0] if numbered else 1

    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            msg = f"{source}: truncated archive (no closing ']')"
            if strict:
                raise MalformedInput(msg)
            stats.skip(line_of(max(pos - 1, 0)), "truncated archive")
            return
        if text[pos] == "]":
            return
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            if strict:
                raise MalformedInput(
                    f"{source}:{line_of(pos)}: truncated or invalid entry ({e.msg})"
                ) from None
            stats.skip(line_of(pos), "truncated or invalid archive entry")
            return
        t = obj.get("tweet", obj) if isinstance(obj, dict) else None
        if is_tweet(t):
            yield tweet_to_post(
                t, source=source, line_start=line_of(pos), line_end=line_of(end - 1)
            )
        else:
            stats.skip(line_of(pos), "archive entry without a tweet", quiet=True)
        pos = end
