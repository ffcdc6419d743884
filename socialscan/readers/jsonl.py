"""JSON lines: twarc2 pages and single tweets (v2, v1.1), snscrape, flattened twarc output."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson

from ..errors import MalformedInput
from ..records import Post
from .stats import ParseStats
from .tweets import is_tweet, tweet_to_post


def _tweets_in(obj: Any) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The tweets an object holds, and the users its page includes."""
    if isinstance(obj, list):
        return [t for t in obj if is_tweet(t)], {}
    if not isinstance(obj, dict):
        return [], {}
    if "data" in obj:
        data = obj["data"]
        data = data if isinstance(data, list) else [data]
        users = {
            str(u.get("id")): u
            for u in (obj.get("includes") or {}).get("users") or []
            if isinstance(u, dict)
        }
        return [t for t in data if is_tweet(t)], users
    if "tweet" in obj and isinstance(obj["tweet"], dict):  # archive element on one line
        return [obj["tweet"]], {}
    return ([obj], {}) if is_tweet(obj) else ([], {})


def read_jsonl(
    lines: Iterator[tuple[int, str]], source: str, stats: ParseStats, strict: bool = False
) -> Iterator[Post]:
    """Yield the posts of a JSON-lines stream; bad lines are skipped and counted.

    Raises:
        MalformedInput: under ``strict``, at the first line that is not JSON.
    """
    for n, line in lines:
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            if strict:
                raise MalformedInput(f"{source}:{n}: not valid JSON ({e})") from None
            stats.skip(n, "invalid JSON")
            continue
        tweets, users = _tweets_in(obj)
        if not tweets:
            stats.skip(n, "no tweet in object", quiet=True)
            continue
        for t in tweets:
            yield tweet_to_post(t, source=source, line_start=n, line_end=n, users=users)
