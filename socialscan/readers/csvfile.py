"""CSV with a text column (``text``, ``Tweet``, ``full_text``, ...) or twarc-csv's columns."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

from .. import entities as ent
from ..errors import MissingColumn
from ..records import Post, stable_id
from .stats import ParseStats

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

TEXT_COLUMNS = ("text", "full_text", "tweet", "rawcontent", "content", "body", "message", "post")
#: CSV column (lower-cased) -> Post field, covering twarc-csv, snscrape and common exports.
FIELD_COLUMNS = {
    "id": "tweet_id",
    "tweet_id": "tweet_id",
    "id_str": "tweet_id",
    "author.username": "author",
    "username": "author",
    "user": "author",
    "screen_name": "author",
    "author": "author",
    "author_id": "author_id",
    "created_at": "created_at",
    "date": "created_at",
    "timestamp": "created_at",
    "referenced_tweets.replied_to.id": "in_reply_to_id",
    "in_reply_to_status_id": "in_reply_to_id",
    "referenced_tweets.quoted.id": "quoted_id",
    "conversation_id": "conversation_id",
    "lang": "lang",
}


def read_csv(
    lines: Iterator[tuple[int, str]], source: str, stats: ParseStats, strict: bool = False
) -> Iterator[Post]:
    """Yield one post per CSV row; rows may span lines (quoted line breaks).

    Raises:
        MissingColumn: no column holds the text.
    """
    numbers: list[int] = []

    def feed() -> Iterator[str]:
        for n, line in lines:
            numbers.append(n)
            yield line + "\n"

    reader = csv.reader(feed())
    header = next(reader, None)
    if header is None:
        return
    lower = [h.strip().lower() for h in header]
    text_col = next((lower.index(c) for c in TEXT_COLUMNS if c in lower), None)
    if text_col is None:
        raise MissingColumn(
            f"{source}: no text column (looked for {', '.join(TEXT_COLUMNS)}; found {', '.join(header[:12])})"
        )
    fields = {i: FIELD_COLUMNS[c] for i, c in enumerate(lower) if c in FIELD_COLUMNS}
    numbers.clear()
    for row in reader:
        first, last = numbers[0], numbers[-1]  # csv.reader never reads ahead of the row
        numbers.clear()
        if not any(cell.strip() for cell in row):
            continue
        if text_col >= len(row):
            stats.skip(first, "row without text column")
            continue
        text = row[text_col]
        extra = {f: row[i] or None for i, f in fields.items() if i < len(row)}
        tid = extra.pop("tweet_id", None)
        reply_to = ent.leading_handles(text)
        post = Post(
            id=tid or stable_id(source, first, text),
            kind="reply" if (reply_to or extra.get("in_reply_to_id")) else "post",
            text=text,
            line_start=first,
            line_end=last,
            source=source,
            links=ent.extract_links(text),
            **ent.text_entities(text),
            reply_to=reply_to,
            tweet_id=tid,
            **extra,
        )
        yield post
