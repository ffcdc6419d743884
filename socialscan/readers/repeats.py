"""Repeats in a stream of records: the same tweet id again, retweets, the same text again.

Collections overlap and files get given twice, so the same tweet can arrive more than once:
by default a tweet id seen before is dropped, as twarc-csv does, and the parse's summary says
how many were. Retweets and posts that say the same thing again (bots, copy-paste plugs) stay
records, marked: ``is_retweet``, and ``duplicate_of`` (the id of the first record with the same
text), so that counts of what people claim can count a text once (see
:mod:`socialscan.results.counts`).

"The same text" is :func:`same_text`: a retweet's ``RT @handle:`` set aside (a retweet repeats
its original), links set aside (each copy of a plug gets its own short link), case and spacing
folded. The marks are made in input order across every input of one parse.

A raw dump's copies in a row are split into one record each first
(:func:`socialscan.segment.rules.repeated_posts` reads the same text the same way, and also
sets a reply's leading handles aside, so a bot's one reply to several people is split there but
not marked here: each copy answers someone else).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from ..records import Post
from ..text.entities import url_pattern
from ..text.patterns import HANDLE
from .stats import ParseStats

#: "RT @handle:" (the v1.1 API, exports, scrapers), or "RT @handle" and a space or line break
#: (by hand, and bridges from the fediverse: "RT @user@instance.social\n...").
_RT_PREFIX = re.compile(rf"\s*RT [@＠](?:{HANDLE})(?::\s*|\s+)")


def is_retweet_text(text: str) -> bool:
    """Whether a text is a retweet as the v1.1 API, exports, scrapers and people write it.

    Examples:
        >>> is_retweet_text("RT @ann: fine tuning is for behaviour"), is_retweet_text("ART @ann: hi")
        (True, False)
        >>> is_retweet_text("RT @kat@weatherishappening.network\\n#ChatGPT and its ilk")
        True
    """
    if text[:2] != "RT" and not text[:1].isspace():  # the pattern's first step, without it
        return False
    return _RT_PREFIX.match(text) is not None


def same_text(text: str, rx: re.Pattern[str] | None | bool = True) -> str:
    """What two texts must share to be the same text: no ``RT @handle:`` prefix, no links,
    case and white space folded. A text of nothing else (links alone) is kept whole.

    ``rx`` is the link pattern :func:`~socialscan.text.entities.url_pattern` chose for ``text``
    when the caller has it (``True``: choose it here).

    Examples:
        >>> same_text("RT @ann: Try  Notion AI https://t.co/abc") == same_text("try notion ai https://t.co/xyz")
        True
        >>> same_text("https://t.co/abc") == same_text("https://t.co/xyz")
        False
    """
    s = text
    m = _RT_PREFIX.match(s) if "RT" in s[:8] else None
    if m is not None:
        s = s[m.end() :]
    if rx is True:
        rx = url_pattern(s)
    if rx:
        s = rx.sub(" ", s)
    folded = " ".join(s.casefold().split())
    return folded or " ".join(text.split())


def repeat_key(text: str, rx: re.Pattern[str] | None | bool = True) -> bytes:
    """An 8-byte digest of :func:`same_text` (what :class:`Repeats` keeps a text by)."""
    return hashlib.blake2b(
        same_text(text, rx).encode("utf-8", "surrogatepass"), digest_size=8
    ).digest()


class Repeats:
    """Marks retweets and repeated texts, and drops repeated tweet ids, in input order.

    One object spans every input of a parse. It keeps a set of the tweet ids seen and, for
    each text, the id of its first record (its 8-byte key and the id, which :meth:`block`
    keeps as its 8 bytes: ~134 bytes a distinct text in all, the dict's slot counted).

    Args:
        dedupe: Drop a structured record (one whose ``id`` is its ``tweet_id``) whose tweet
            id was seen before (counted in ``stats.duplicate_ids``); ``False`` keeps it. Raw
            dumps and one-post-a-line files never lose a record this way.
        stats: The parse's counts.

    Examples:
        >>> from socialscan.records import Post
        >>> posts = [Post(id=i, kind="post", text=t, line_start=1, line_end=1, tweet_id=i)
        ...          for i, t in [("1", "Try Notion"), ("2", "RT @a: try notion"), ("1", "Try Notion")]]
        >>> [(p.id, p.is_retweet, p.duplicate_of) for p in Repeats().mark(posts)]
        [('1', False, None), ('2', True, '1')]
    """

    def __init__(self, dedupe: bool = True, stats: ParseStats | None = None):
        self.dedupe = dedupe
        self.stats = stats if stats is not None else ParseStats()
        self.ids: set[str] = set()
        self.firsts: dict[bytes, str | bytes] = {}  # a text's key -> its first id (as bytes: 8)

    def first(self, key: bytes, rid: str) -> str | None:
        """The id of the first record with text ``key``; ``None`` when this one is the first."""
        got = self.firsts.get(key)
        if got is None:
            self.firsts[key] = rid
            return None
        return got if type(got) is str else got.hex()

    def again(self, tweet_id: str | None, rid: str) -> bool:
        """Whether the record ``rid`` with ``tweet_id`` is a tweet seen before (and is dropped),
        noting it as seen otherwise.

        Only a record that is the platform's tweet (its id is its tweet id: JSONL, archives,
        CSV exports) can be the same tweet again; a raw dump's record that names a status
        link is a post of its own, and a dump loses no line.
        """
        if not (self.dedupe and tweet_id and tweet_id == rid):
            return False
        if tweet_id in self.ids:
            return True
        self.ids.add(tweet_id)
        return False

    def mark(self, posts: Iterable[Post]) -> Iterator[Post]:
        """The records, repeated ids dropped (unless ``dedupe`` is off), the rest marked."""
        for post in posts:
            if self.again(post.tweet_id, post.id):
                self.stats.drop_duplicate(post)
                continue
            if not post.is_retweet and is_retweet_text(post.text):
                post.is_retweet = True
            post.duplicate_of = self.first(repeat_key(post.text), post.id)
            yield post

    def block(self, keys: bytes) -> dict[int, str]:
        """For a block of one-post-a-line records (:mod:`.lines`): ``keys`` holds each
        record's 8-byte :func:`repeat_key` and its 8-byte id, in order; the result maps the
        index of each record that repeats an earlier text to that text's first id."""
        out: dict[int, str] = {}
        firsts = self.firsts
        get = firsts.get
        for j in range(0, len(keys), 16):
            key = keys[j : j + 8]
            got = get(key)
            if got is None:  # the id's 8 bytes (41 bytes held, where its hex would take 65)
                firsts[key] = keys[j + 8 : j + 16]
            else:
                out[j >> 4] = got if type(got) is str else got.hex()
        return out
