"""Repeated tweet ids and repeated texts across partitions, marked as one pass marks them.

One process drops a record whose tweet id came before and marks ``duplicate_of`` (the first
record with the same text) in input order over every input
(:class:`socialscan.readers.repeats.Repeats`). Partitions are parsed apart, so each worker
sends the client only what that decision needs, in its partition's order: each record's tweet
id, id and 8-byte :func:`~socialscan.readers.repeats.repeat_key` (the function one process
keys texts by, so the two cannot disagree), never the texts. The client walks the partitions
in input order with one :class:`~socialscan.readers.repeats.Repeats` (a set of the tweet ids
seen and, per distinct text, its first id: what one process keeps) and sends each partition
back the rows to drop and the ``duplicate_of`` of its other rows (:class:`RepeatMarks`).

Examples:
    >>> from socialscan.records import Post
    >>> a = [Post(id="1", kind="post", text="Try Notion", line_start=1, line_end=1, tweet_id="1")]
    >>> b = [Post(id="2", kind="post", text="RT @x: try notion", line_start=1, line_end=1,
    ...           tweet_id="2"),
    ...      Post(id="1", kind="post", text="Try Notion", line_start=2, line_end=2, tweet_id="1")]
    >>> walk = RepeatWalk()
    >>> marks = [walk.marks(repeat_keys(p)) for p in (a, b)]
    >>> [(p.id, p.is_retweet, p.duplicate_of) for p in apply_marks(b, marks[1])]
    [('2', True, '1')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..readers.repeats import Repeats, is_retweet_text, repeat_key
from ..readers.stats import ParseStats
from ..records import Post

_KEY = 8  # bytes of a repeat_key


@dataclass(frozen=True)
class RepeatKeys:
    """What one partition sends the client, in its records' order.

    Attributes:
        tweet_ids: Each record's ``tweet_id`` (``None`` for raw text).
        ids: Each record's ``id`` (what ``duplicate_of`` names).
        keys: The records' :func:`~socialscan.readers.repeats.repeat_key`, 8 bytes each.
    """

    tweet_ids: list[str | None]
    ids: list[str]
    keys: bytes


@dataclass(frozen=True)
class RepeatMarks:
    """What the client sends a partition back.

    Attributes:
        drop: Rows whose tweet id came before (dropped unless ``dedupe`` is off).
        first: ``{row: id}``: the first record with that row's text, for rows that repeat one.
    """

    drop: frozenset[int] = frozenset()
    first: dict[int, str] = field(default_factory=dict)


def repeat_keys(posts: Sequence[Post]) -> RepeatKeys:
    """A partition's :class:`RepeatKeys` (runs on a worker)."""
    return RepeatKeys(
        [p.tweet_id for p in posts],
        [p.id for p in posts],
        b"".join(repeat_key(p.text) for p in posts),
    )


class RepeatWalk:
    """The client's walk over the partitions' :class:`RepeatKeys`, in input order.

    Args:
        dedupe: Drop records whose tweet id came before, as ``socialscan.parse(dedupe=...)``.
    """

    def __init__(self, dedupe: bool = True):
        self.repeats = Repeats(dedupe)

    def marks(self, keys: RepeatKeys) -> RepeatMarks:
        """The next partition's marks; the partitions must come in input order."""
        again, first = self.repeats.again, self.repeats.first
        drop: set[int] = set()
        firsts: dict[int, str] = {}
        for row, (tid, rid) in enumerate(zip(keys.tweet_ids, keys.ids, strict=True)):
            if again(tid, rid):  # the rule of Repeats.mark; a dropped record marks no text
                drop.add(row)
                continue
            got = first(keys.keys[_KEY * row : _KEY * (row + 1)], rid)
            if got is not None:
                firsts[row] = got
        return RepeatMarks(frozenset(drop), firsts)


def apply_marks(
    posts: Sequence[Post], marks: RepeatMarks | None, stats: ParseStats | None = None
) -> list[Post]:
    """A partition's records as one pass leaves them: repeated ids dropped (and taken out of
    ``stats``' counts), ``duplicate_of`` and ``is_retweet`` set. Applying it twice changes
    nothing more (the topic sample and the writer both call it)."""
    if marks is None:
        return list(posts)
    out = []
    for row, post in enumerate(posts):
        if row in marks.drop:
            if stats is not None:
                stats.drop_duplicate(post)
            continue
        if not post.is_retweet and is_retweet_text(post.text):
            post.is_retweet = True
        post.duplicate_of = marks.first.get(row)
        out.append(post)
    return out
