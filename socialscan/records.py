"""The one record type every stage passes along: :class:`Post`, and its fixed column list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

#: Kinds of record a parse produces.
KINDS = ("post", "reply", "link")


@dataclass(slots=True)
class Post:
    """One post (or reply, or orphan link line) from an input.

    Attributes:
        id: Stable identifier: the platform's id for structured input, else a hash of the
            source name, line span and text (the same input gives the same ids on every run).
        kind: ``post``, ``reply`` (starts with ``@handle`` or replies to a tweet) or ``link``
            (a bare URL line with no post to attach to).
        thread_id: Shared by consecutive records that continue one thread; ``None`` otherwise.
        text: The post's text. Raw dumps keep their lines verbatim, joined by ``\\n``. Every
            other input has its HTML character references decoded (``&amp;`` -> ``&``,
            ``&gt;`` -> ``>``, ``&#39;`` -> ``'``), as the platform shows the post: JSONL,
            archives and CSV exports carry the API's escaped text, and one-post-a-line files
            are mostly made from those (the ``id`` is still that of the line as written).
        line_start: 1-based first input line of the record.
        line_end: 1-based last input line (inclusive).
        links: URLs in the text (expanded URLs where the input gives them).
        mentions: ``@handles`` anywhere in the text, without ``@``.
        hashtags: ``#tags`` without ``#``.
        cashtags: ``$TICKERS`` without ``$``.
        emojis: Emoji characters, in order of appearance.
        reply_to: The leading handles of a reply (without ``@``), or the replied-to author.
        source: Where the record came from (a path, ``-`` for stdin, ``<text>``).
        tweet_id: The platform's id, when the input carries one.
        author: The author's handle, when known.
        author_id: The author's platform id, when known.
        created_at: ISO 8601 timestamp, when known.
        in_reply_to_id: Id of the post this replies to, when known.
        quoted_id: Id of the post this quotes, when known.
        conversation_id: The platform's conversation id, when known.
        lang: Language code, when the input gives one.
        is_retweet: A retweet (the input says so, or the text starts ``RT @handle:``).
        duplicate_of: The ``id`` of the first record before it with the same text (see
            :func:`socialscan.readers.repeats.same_text`: a retweet's ``RT @handle:``, links,
            case and spacing set aside), else ``None``. Counts "once" skip these records.
    """

    id: str
    kind: str
    text: str
    line_start: int
    line_end: int
    source: str = ""
    thread_id: str | None = None
    links: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    cashtags: list[str] = field(default_factory=list)
    emojis: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    tweet_id: str | None = None
    author: str | None = None
    author_id: str | None = None
    created_at: str | None = None
    in_reply_to_id: str | None = None
    quoted_id: str | None = None
    conversation_id: str | None = None
    lang: str | None = None
    is_retweet: bool = False
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict in :data:`COLUMNS` order."""
        return {c: getattr(self, c) for c in COLUMNS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Post:
        """Build a Post from a dict such as one line of ``socialscan parse`` output."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


#: The fixed, documented column order of parse output (JSONL keys, CSV/Parquet/DataFrame columns).
COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "thread_id",
    "text",
    "line_start",
    "line_end",
    "links",
    "mentions",
    "hashtags",
    "cashtags",
    "emojis",
    "reply_to",
    "source",
    "tweet_id",
    "author",
    "author_id",
    "created_at",
    "in_reply_to_id",
    "quoted_id",
    "conversation_id",
    "lang",
    "is_retweet",
    "duplicate_of",
)

#: Columns holding lists of strings.
LIST_COLUMNS: tuple[str, ...] = ("links", "mentions", "hashtags", "cashtags", "emojis", "reply_to")


def stable_digest(source: str, line_start: int, text: str) -> bytes:
    """The 8 bytes :func:`stable_id` is the hex of (kept as bytes where ids are compared).

    Examples:
        >>> stable_digest("dump.txt", 3, "hello").hex() == stable_id("dump.txt", 3, "hello")
        True
    """
    key = f"{source}\0{line_start}\0".encode() + text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(key, digest_size=8).digest()


def stable_id(source: str, line_start: int, text: str) -> str:
    """A 16-hex-digit id that depends only on where the record is and what it says.

    Examples:
        >>> stable_id("dump.txt", 3, "hello") == stable_id("dump.txt", 3, "hello")
        True
    """
    return stable_digest(source, line_start, text).hex()


#: The fields a one-post-a-line record sets, in the order of its compact tuple form (what the
#: ``lines`` reader makes for each line, see :mod:`socialscan.readers.lines`). Its other
#: fields are :class:`Post`'s defaults, but for ``line_end`` (its ``line_start``), ``source``
#: and ``thread_id`` (see :func:`line_post`).
LINE_FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "text",
    "line_start",
    "links",
    "mentions",
    "hashtags",
    "cashtags",
    "emojis",
    "reply_to",
    "is_retweet",
    "duplicate_of",
)


def line_post(rec: tuple, thread_id: str | None, source: str) -> Post:
    """The :class:`Post` a one-post-a-line record (:data:`LINE_FIELDS` in order) stands for.

    Examples:
        >>> p = line_post(("ab", "post", "hi", 3, [], [], [], [], [], [], False, None), None, "x")
        >>> p.line_start, p.line_end, p.source, p.author
        (3, 3, 'x', None)
    """
    post = Post(**dict(zip(LINE_FIELDS, rec, strict=True)), line_end=rec[3], source=source)
    post.thread_id = thread_id
    return post


#: The most characters of one record the analysis stages read (claims, topics, embeddings):
#: X's own limit for a long post. A record keeps its whole text; what one huge line (a
#: 10 MB paste with no line breaks) costs in tokens, n-grams and vectors is bounded by this.
ANALYSED_CHARS = 25_000


def analysed(text: str) -> str:
    """The part of a record's text the analysis stages read: its first :data:`ANALYSED_CHARS`
    characters (so offsets into it are offsets into the record's text).

    Examples:
        >>> len(analysed("a" * 100_000)) == ANALYSED_CHARS, analysed("short post")
        (True, 'short post')
    """
    return text if len(text) <= ANALYSED_CHARS else text[:ANALYSED_CHARS]
