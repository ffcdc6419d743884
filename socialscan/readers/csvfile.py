"""CSV (or TSV, semicolon- or bar-separated) with a text column (``text``, ``Tweet``,
``full_text``, ``fullText``, ...) or twarc-csv's columns."""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections.abc import Iterator

from ..errors import MissingColumn
from ..records import Post, stable_id
from ..text import entities as ent
from .stats import ParseStats

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

#: Columns that hold a post's text, by name with case and punctuation left out ("Tweet",
#: "full_text", Apify's "fullText", snscrape's "rawContent"), in order of preference.
TEXT_COLUMNS = (
    "text", "fulltext", "tweet", "tweettext", "rawcontent", "content", "body", "message", "post",
    "posttext",
)  # fmt: skip
#: Column (normalised, see :func:`column_key`) -> Post field, covering twarc-csv, snscrape,
#: Apify and other common exports.
FIELD_COLUMNS = {
    "id": "tweet_id",
    "tweetid": "tweet_id",
    "idstr": "tweet_id",
    "authorusername": "author",
    "username": "author",
    "user": "author",
    "screenname": "author",
    "userscreenname": "author",
    "author": "author",
    "handle": "author",
    "authorid": "author_id",
    "userid": "author_id",
    "createdat": "created_at",
    "date": "created_at",
    "timestamp": "created_at",
    "datetime": "created_at",
    "referencedtweetsrepliedtoid": "in_reply_to_id",
    "inreplytostatusid": "in_reply_to_id",
    "inreplytoid": "in_reply_to_id",
    "referencedtweetsquotedid": "quoted_id",
    "quotedstatusid": "quoted_id",
    "conversationid": "conversation_id",
    "lang": "lang",
}
#: Columns that say a row is a retweet: the retweeted tweet's id (twarc-csv, v1.1 flattened,
#: snscrape) or a flag (Apify's ``isRetweet``).
RETWEET_COLUMNS = frozenset(
    {"referencedtweetsretweetedid", "retweetedstatusid", "retweetedstatusidstr", "retweetedtweet",
     "retweetedtweetid", "isretweet"}
)  # fmt: skip
_FALSE = frozenset({"", "false", "0", "no", "none", "null", "nan"})
#: Other columns that tables of posts have (with :data:`FIELD_COLUMNS`, how a table saved as
#: ``.txt`` is told from a dump, see :func:`looks_like_table`).
OTHER_COLUMNS = frozenset(
    {"label", "sentiment", "url", "link", "name", "source", "likes", "likecount", "retweets",
     "retweetcount", "replies", "replycount", "language", "location", "hashtags", "mentions"}
)  # fmt: skip
_DELIMITERS = ",\t;|"


def column_key(name: str) -> str:
    """A column's name as the tables above know it: lower case, letters and digits only.

    Examples:
        >>> [column_key(n) for n in ("fullText", "full_text", "author/userName", "Tweet")]
        ['fulltext', 'fulltext', 'authorusername', 'tweet']
    """
    return re.sub(r"[^a-z0-9]", "", name.strip().lower())


def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV file from its header line: comma, tab, semicolon or bar, the
    one that splits it most outside quotes (a comma when none does).

    Examples:
        >>> sniff_delimiter("created_at\\tusername\\ttext"), sniff_delimiter("id;text")
        ('\\t', ';')
        >>> sniff_delimiter('id,"a; b",text')
        ','
    """
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {d: bare.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def looks_like_table(head: str) -> bool:
    r"""Whether the start of a file is a table with a text column (a spreadsheet saved as
    ``.txt``): a header of short column names, a text column and another that exports name
    (an id, an author, a date, counts, a label: :data:`FIELD_COLUMNS`, :data:`OTHER_COLUMNS`),
    and a first row with as many fields. A pasted post that happens to hold a comma or a tab
    is no such header.

    Examples:
        >>> looks_like_table("created_at\tusername\ttext\n2024-01-01\tann\thello, world\n")
        True
        >>> looks_like_table('id,text\n1,"two\nlines"\n')
        True
        >>> looks_like_table("text, please\nno commas here\n")
        False
        >>> looks_like_table("Fine tuning > prompting\tsometimes\n")
        False
    """
    text = head.lstrip("\ufeff")
    header_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    rows = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(header_line))  # as read_csv
    try:
        header = next(row for row in rows if any(f.strip() for f in row))
        first = next(rows)
    except (StopIteration, csv.Error):
        return False
    keys = [column_key(f) for f in header]
    return (
        len(first) == len(header)
        and all(0 < len(f.strip()) <= 40 and len(f.split()) <= 3 for f in header)
        and any(k in TEXT_COLUMNS for k in keys)
        and any(k in FIELD_COLUMNS or k in OTHER_COLUMNS for k in keys)
    )


def read_csv(
    lines: Iterator[tuple[int, str]], source: str, stats: ParseStats, strict: bool = False
) -> Iterator[Post]:
    """Yield one post per CSV row; rows may span lines (quoted line breaks).

    The text is given as the platform shows it: exports of API text keep its ``&amp;``,
    ``&lt;`` and ``&gt;``, which are decoded (:func:`~socialscan.text.entities.decode_entities`).

    Raises:
        MissingColumn: no column holds the text.
    """
    numbers: list[int] = []

    def feed() -> Iterator[str]:
        for n, line in lines:
            numbers.append(n)
            yield line + "\n"

    first_line = next(lines, None)
    if first_line is None:
        return
    lines = itertools.chain([first_line], lines)
    reader = csv.reader(feed(), delimiter=sniff_delimiter(first_line[1]))
    header = next(reader, None)
    if header is None:
        return
    keys = [column_key(h) for h in header]
    text_col = next((keys.index(c) for c in TEXT_COLUMNS if c in keys), None)
    if text_col is None:
        raise MissingColumn(
            f"{source}: no text column (looked for {', '.join(TEXT_COLUMNS)}; found {', '.join(header[:12])})"
        )
    fields = {i: FIELD_COLUMNS[c] for i, c in enumerate(keys) if c in FIELD_COLUMNS}
    retweet_cols = [i for i, c in enumerate(keys) if c in RETWEET_COLUMNS]
    numbers.clear()
    for row in reader:
        first, last = numbers[0], numbers[-1]  # csv.reader never reads ahead of the row
        numbers.clear()
        if not any(cell.strip() for cell in row):
            continue
        if text_col >= len(row):
            stats.skip(first, "row without text column")
            continue
        raw = row[text_col]
        text = ent.decode_entities(raw)  # exports keep the API's &amp; &lt; &gt;
        extra = {f: row[i] or None for i, f in fields.items() if i < len(row)}
        tid = extra.pop("tweet_id", None)
        reply_to = ent.leading_handles(text)
        post = Post(
            id=tid or stable_id(source, first, raw),  # the same ids as before decoding
            kind="reply" if (reply_to or extra.get("in_reply_to_id")) else "post",
            text=text,
            line_start=first,
            line_end=last,
            source=source,
            **ent.entity_fields(text),
            reply_to=reply_to,
            tweet_id=tid,
            is_retweet=any(
                i < len(row) and row[i].strip().lower() not in _FALSE for i in retweet_cols
            ),
            **extra,
        )
        yield post
