"""Real posts under ../shared/data, read by pointer, and the keys that tie copies of one text.

The claims corpus stores chatgpt-tweets posts as pointers (file, row, date), never as text:
that data has no licence. This module turns pointers back into text, lists every candidate
post of the three sources and says which posts are reserved for blind evaluation.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from socialscan.claims.corpus import text_key  # noqa: F401  (what copies of a post share)

from ..paths import ROOT  # noqa: F401  (the checkout, for the scripts that import this)
from ..paths import SHARED_DATA as DATA


@dataclass(frozen=True)
class Source:
    """One real post: where it is (``pointer``), when, and its text as the file holds it."""

    pointer: str  # "chatgpt-tweets/Asia.csv#row=12", "tweeteval/emoji/train_text.txt#line=5", "twarc-jsonl/x.jsonl#id=123"
    dataset: str  # chatgpt-tweets | twarc-jsonl | tweeteval
    text: str
    date: str | None = None

    @property
    def key(self) -> str:
        return text_key(self.text)


def chatgpt_posts() -> Iterator[Source]:
    for path in sorted((DATA / "chatgpt-tweets").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row_no, row in enumerate(csv.DictReader(fh)):
                yield Source(
                    f"chatgpt-tweets/{path.name}#row={row_no}",
                    "chatgpt-tweets",
                    row["Tweet"],
                    row["Date"],
                )


def tweeteval_posts() -> Iterator[Source]:
    for path in sorted((DATA / "tweeteval").rglob("*_text.txt")):
        rel = path.relative_to(DATA).as_posix()
        with path.open(encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                line = line.rstrip("\n")
                if line.strip():
                    yield Source(f"{rel}#line={line_no}", "tweeteval", line)


def _tweets_in(obj: dict) -> Iterator[dict]:
    if isinstance(obj.get("data"), list):
        yield from obj["data"]
        yield from (obj.get("includes") or {}).get("tweets", [])
    elif isinstance(obj.get("data"), dict):
        yield obj["data"]
        yield from (obj.get("includes") or {}).get("tweets", [])
    elif "id_str" in obj or ("id" in obj and ("text" in obj or "full_text" in obj)):
        yield obj


def _tweet_text(tw: dict) -> str | None:
    note = tw.get("note_tweet") or {}
    ext = tw.get("extended_tweet") or {}
    return note.get("text") or ext.get("full_text") or tw.get("full_text") or tw.get("text")


def _is_retweet(tw: dict, text: str) -> bool:
    refs = tw.get("referenced_tweets") or []
    return (
        text.startswith("RT @")
        or any(r.get("type") == "retweeted" for r in refs)
        or ("retweeted_status" in tw)
    )


def twarc_posts() -> Iterator[Source]:
    seen: set[str] = set()
    for path in sorted((DATA / "twarc-jsonl").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                try:
                    obj = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(obj, dict):
                    continue
                for tw in _tweets_in(obj):
                    tid = str(tw.get("id_str") or tw.get("id") or "")
                    text = _tweet_text(tw)
                    if not tid or not text or tid in seen or _is_retweet(tw, text):
                        continue
                    seen.add(tid)
                    yield Source(
                        f"twarc-jsonl/{path.name}#id={tid}",
                        "twarc-jsonl",
                        text,
                        tw.get("created_at"),
                    )


def all_posts() -> Iterator[Source]:
    yield from chatgpt_posts()
    yield from twarc_posts()
    yield from tweeteval_posts()


def reserved_pointers(data: Path = DATA) -> set[str]:
    """RESERVED.tsv of ``data`` (../shared/data) as pointers of this module's shape."""
    out = set()
    for line in (data / "RESERVED.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        src, pos = line.split("\t")
        kind = "row" if src.endswith(".csv") else "line"
        out.add(f"{src}#{kind}={int(pos)}")
    return out


def reserved_keys(posts: list[Source]) -> set[str]:
    """Text keys of reserved posts: any copy of them is reserved too."""
    reserved = reserved_pointers()
    return {p.key for p in posts if p.pointer in reserved}


def resolve(pointers: list[str]) -> dict[str, Source]:
    """Text for each pointer, read from ../shared/data."""
    wanted = set(pointers)
    return {p.pointer: p for p in all_posts() if p.pointer in wanted}


def undrawn(workdir: str | Path) -> list[Source]:
    """One post per distinct text that no draw of the work directory took yet, reserved posts
    and their copies left out (texts of a few characters too)."""
    index = (Path(workdir) / "corpus_index.jsonl").read_text(encoding="utf-8").splitlines()
    drawn = {json.loads(x)["pointer"] for x in index}
    posts = list(all_posts())
    seen = reserved_keys(posts) | {p.key for p in posts if p.pointer in drawn}
    out = []
    for p in posts:
        if len(p.key) > 15 and p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return out
