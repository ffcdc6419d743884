"""JSON lines: twarc2 pages and single tweets (v2, v1.1), snscrape, flattened twarc output; and
``.json`` documents holding the same (an array of tweets, pretty-printed objects)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from ..errors import MalformedInput
from ..records import Post
from .jsondoc import JsonDocument
from .stats import ParseStats
from .tweets import Includes, is_tweet, tweet_to_post


def _tweets_in(obj: Any) -> tuple[list[dict[str, Any]], Includes]:
    """The tweets an object holds, and the users and tweets its page includes."""
    if isinstance(obj, list):
        return [t for t in obj if is_tweet(t)], Includes()
    if not isinstance(obj, dict):
        return [], Includes()
    if "data" in obj:
        data = obj["data"]
        data = data if isinstance(data, list) else [data]
        includes = obj.get("includes") or {}
        found = Includes(
            users={str(u.get("id")): u for u in includes.get("users") or [] if isinstance(u, dict)},
            tweets={
                str(t.get("id")): t for t in includes.get("tweets") or [] if isinstance(t, dict)
            },
        )
        return [t for t in data if is_tweet(t)], found
    if "tweet" in obj and isinstance(obj["tweet"], dict):  # archive element on one line
        return [obj["tweet"]], Includes()
    return ([obj], Includes()) if is_tweet(obj) else ([], Includes())


def read_jsonl(
    lines: Iterator[tuple[int, str]], source: str, stats: ParseStats, strict: bool = False
) -> Iterator[Post]:
    """Yield the posts of a JSON-lines stream; bad lines are skipped and counted.

    A file whose first line opens a JSON value that goes on over more lines (a ``.json``
    export holding a pretty-printed array of tweets, or pretty-printed objects) is read as one
    JSON document instead (:mod:`.jsondoc`), each post with the lines its object spans; such a
    document is held in memory whole, as an archive's is.

    Raises:
        MalformedInput: under ``strict``, at the first line that is not JSON.
    """
    first = True
    for n, line in lines:
        if not line.strip():
            continue
        is_first, first = first, False
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            if is_first and line.lstrip()[:1] in ("[", "{"):
                yield from _document([(n, line), *lines], source, stats, strict)
                return
            if strict:
                raise MalformedInput(f"{source}:{n}: not valid JSON ({e})") from None
            stats.skip(n, "invalid JSON")
            continue
        yield from _posts(obj, n, n, source, stats)


def _posts(obj: Any, first: int, last: int, source: str, stats: ParseStats) -> Iterator[Post]:
    tweets, includes = _tweets_in(obj)
    if not tweets:
        stats.skip(first, "no tweet in object", quiet=True)
    for t in tweets:
        yield tweet_to_post(
            t,
            source=source,
            line_start=first,
            line_end=last,
            users=includes.users,
            tweets=includes.tweets,
        )


def _document(
    numbered: list[tuple[int, str]], source: str, stats: ParseStats, strict: bool
) -> Iterator[Post]:
    for obj, first, last in JsonDocument(numbered).values(0, source, stats, strict):
        yield from _posts(obj, first, last, source, stats)
