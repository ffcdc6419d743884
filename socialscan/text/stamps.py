"""Stamps: what a scraper (or a person saving posts) writes at each post besides its words.

Plain-text exports of saved posts rarely come bare. Most put a timestamp on a line of its
own above each post (``2023-03-01 14:22``, ``Mar 1, 2023``, ``Wed Mar 01 14:22:00 +0000
2023``), or open each post's first line with one (``[2023-03-01 14:22] ...``), often with the
author (``[Mar 1, 2023 2:22 PM] Sam Altman (@sama): ...``, ``Sam Altman (@sama): ...``,
``sama: ...``). A copy of one post's page on X ends it with ``2:22 PM · Mar 1, 2023``
instead. Others put the post's own link on a line above or under it
(``https://x.com/sama/status/1631...``), or its counts under it (``💬 12  🔁 3  ❤️ 40``,
``Replies: 12 | Likes: 40``). Where stamps recur they are the surest boundaries a dump has, so
(like a copied timeline's headers, :mod:`.headers`) they decide: each stamp opens (or, for
stamps under posts, closes) a post, and nothing splits the lines between two stamps. A lone
date or link line inside a post is not a stamp: the rules of
:func:`~.stamped.stamp_starts` ask for several in a regular rhythm.

Pure functions over line texts, no numpy: :func:`stamp` reads the stamp one line carries;
:mod:`.stamped` finds the stamps that mark a block's posts and cuts them out of a post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from . import entities as ent
from .patterns import AT_HANDLE, MONTH, RECENT_TIME_NO_SECS, STATUS_URL_RE
from .times import iso_time

_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6}\.?"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?"
_ZONE = r"(?:\s?(?:Z|UTC|GMT|[A-Z]{2,4}T|[+-]\d{2}:?\d{2}))?"
_MONTH_DATE = (
    rf"(?:{_DAY},?\s+)?(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}\s+{MONTH})(?:,?\s+\d{{4}})?"
)
_TS = (
    rf"(?:{_CLOCK}\s*·\s*{_MONTH_DATE}"  # X's own: "2:22 PM · Mar 1, 2023"
    rf"|{_DAY}\s+{MONTH}\s+\d{{1,2}}\s+{_CLOCK}\s+[+-]\d{{4}}\s+\d{{4}}"  # the v1.1 API's
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{_CLOCK}{_ZONE})?"  # ISO 8601
    rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}(?:,?\s+{_CLOCK}{_ZONE})?"  # 3/1/2023 2:22 PM
    rf"|{_MONTH_DATE}(?:(?:,|\s+at|\s*·)?\s+{_CLOCK}{_ZONE})?)"
)
# a line that is only a timestamp: "2023-03-01 14:22", "[Mar 1, 2023]", "Posted on 3/1/23"
_DATE_LINE = re.compile(
    rf"^[\[(<]?(?:(?:Posted|Tweeted|Published|Date)(?: on| at)?:?\s+)?(?P<ts>{_TS})[\])>]?$",
    re.IGNORECASE,
)
_H = AT_HANDLE  # X or fediverse ("@Gargron@mastodon.social"); short for the patterns below
_NAME = r"[^\s:\[\]()@＠][^:\[\]()@＠]{0,48}?"
# a post's first line opening with its date and/or author: "[date] author: ", "date - ",
# "Name (@handle): ", "Name @handle · date: "
_PREFIX = re.compile(
    rf"^(?:[\[(](?P<ts>{_TS})[\])]\s*[-–—|:·]?\s*|(?P<ts2>{_TS})\s*(?:[-–—|·]\s+|:\s+|\t))"
    rf"(?:(?:{_NAME}\s*\({_H}\)|{_NAME}\s+{_H}|{_H}|(?P<label>\w{{2,15}}))\s*[:\-–—|]\s+)?(?=\S)"
    rf"|^(?P<ts7>{_TS})\s+(?:{_NAME}\s*\({_H}\)|{_H})\s*[:\-–—|]\s+(?=\S)"
    rf"|^(?:{_NAME}\s*\({_H}\)(?:\s*(?:\((?P<ts3>{_TS})\)|[·,]\s*(?P<ts4>{_TS})))?"
    rf"|{_NAME}\s+{_H}\s*(?:\((?P<ts5>{_TS})\)|[·,]\s*(?P<ts6>{_TS})))"
    rf"(?:\*\*|__)?\s*[:\-–—|](?:\*\*|__)?\s+(?=\S)",
    re.IGNORECASE,
)
# a display name without parentheses: two to four words, each capitalised ("Sam Altman
# @sama"; "Thanks @sama" is no author line)
_DISPLAY = r"(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w.'’-]*"
# an author's line of its own above a post: "Sam Altman (@sama)", "Sam Altman (@sama) · Mar 1,
# 2023", "@sama (Sam Altman)", "Sam Altman @sama", "Sam Altman (@sama) · 2h"
_AUTHOR_LINE = re.compile(
    rf"^(?:{_NAME}\s*\({_H}\)|{_H}\s*\({_NAME}\)|(?-i:{_DISPLAY})\s+{_H})"
    rf"(?:\s*(?:[·,|—–-]|\bon\b)?\s*(?:(?P<ts8>{_TS})|{RECENT_TIME_NO_SECS}))?\s*:?$",
    re.IGNORECASE,
)
_TS_GROUPS = ("ts", "ts2", "ts3", "ts4", "ts5", "ts6", "ts7")
_HANDLE_GROUPS = tuple(  # the unnamed (@handle) groups of _PREFIX
    i for i in range(1, _PREFIX.groups + 1) if i not in _PREFIX.groupindex.values()
)
_DIGIT = re.compile(r"\d")
# "sama: ...", "**sama**: ...", "**@sama:** ..." -- only a stamp where a whole dump is written
# so (see stamped.stamp_starts)
_LABEL = re.compile(
    r"^(?:(?P<em>\*\*|__)[@＠]?(?P<elabel>[A-Za-z][\w.]{0,19}?)(?:(?P=em)\s?:|\s?:(?P=em))"
    r"|(?P<label>[A-Za-z_][\w.]{1,19})\s?:)\s+(?=\S)"
)
# the bullet a person put at each post of a list of posts ("- ", "* ", "• ")
_BULLETS = "-*•▪◦‣"
_BULLET = re.compile(r"^[-*•▪◦‣]\s+(?=\S)")
# the number a person put at each post of a list of posts: "1. ", "2) ", "[3] ", "(4) ", "#5 ",
# "Tweet 6: ", "**7.**", "### Post 8"; alone on a line, or opening the post's first line
_NUMBER = re.compile(
    r"^(?:#{1,6}\s+)?(?:\*\*|__)?"
    r"(?:(?:post|tweet|status|item|no\.?)\s*#?\s*(?P<n1>\d{1,4})\b|#(?P<n2>\d{1,4})\b"
    r"|[\[(](?P<n3>\d{1,4})[\])]|(?P<n4>\d{1,4})(?=[.):]))"
    r"\s*[.):\-–—]?(?:\*\*|__)?(?:\s+(?=\S)|$)",
    re.IGNORECASE,
)
# labels of dialogue inside one post ("Me: ...", "ChatGPT: ..."), never authors
# fmt: off
_DIALOGUE = frozenset({
    "me", "you", "him", "her", "them", "us", "we", "they", "i", "my", "mom", "dad", "wife",
    "husband", "bf", "gf", "boss", "kid", "kids", "son", "daughter", "teacher", "student",
    "doctor", "customer", "client", "interviewer", "candidate", "user", "human", "ai", "bot",
    "assistant", "chatgpt", "gpt", "gpt4", "claude", "gemini", "bard", "siri", "alexa",
    "system", "q", "a", "question", "answer", "note", "update", "edit", "ps", "pps", "tldr",
    "psa", "fyi", "btw", "imo", "step", "tip", "pros", "cons", "reminder", "warning", "source",
    "via", "credit", "context", "thread", "summary", "example", "input", "output", "prompt",
    "response", "result", "results", "today", "tomorrow", "yesterday", "now", "then", "before",
    "after", "day", "week", "month", "year", "breaking", "watch", "new", "just", "live",
    "alert", "opinion", "analysis", "exclusive", "video", "photo", "photos", "listen", "read",
    "poll"
})
# fmt: on


#: Kinds of stamp on lines of their own (the rest open a post's first line).
OWN_LINE = frozenset({"date", "link", "counts", "author", "handle", "number_line"})
#: A person's numbering of the posts: opening a post's first line, or on a line of its own.
NUMBER_KINDS = frozenset({"number", "number_line"})
#: Every kind of stamp.
KINDS = frozenset({*OWN_LINE, "prefix", "label", "number", "bullet"})


@dataclass(slots=True, frozen=True)
class Stamp:
    """A stamp found on a line: its ``kind`` (``date``, ``link``, ``counts``, ``author``,
    ``handle`` or ``number_line``: a line of its own; ``prefix``, ``label``, ``number`` or
    ``bullet``: the first ``end`` characters of a post's first line), and what it says."""

    kind: str
    end: int
    when: str | None = None
    author: str | None = None
    post_id: str | None = None
    #: The number a person gave the post in a numbered list of posts ("3. ...", "Tweet 3:").
    number: int | None = None

    @property
    def own_line(self) -> bool:
        """A line of its own (not the opening of a line of words)."""
        return self.kind in OWN_LINE

    @property
    def created_at(self) -> str | None:
        """The stamp's time in ISO 8601 when it has a year ("2023-03-01T14:22:00"), its date
        when it has no clock; ``None`` without a year."""
        return iso_time(self.when) if self.when else None

    def merged(self, other: Stamp | None) -> Stamp:
        """This stamp with what ``other`` (another stamp of the same post) adds."""
        if other is None:
            return self
        return replace(
            self,
            when=self.when or other.when,
            author=self.author or other.author,
            post_id=self.post_id or other.post_id,
            number=self.number if self.number is not None else other.number,
        )


@lru_cache(maxsize=8192)  # the segmenter, the record and claims read the same lines
def stamp(text: str) -> Stamp | None:
    """The stamp a line carries, if any.

    Examples:
        >>> stamp("2023-03-01 14:22").created_at
        '2023-03-01T14:22:00'
        >>> s = stamp("[Mar 1, 2023 2:22 PM] Sam Altman (@sama): for clarity:")
        >>> s.author, s.created_at, s.end
        ('sama', '2023-03-01T14:22:00', 42)
        >>> stamp("Sam Altman (@sama): for clarity").author
        'sama'
        >>> stamp("karpathy: English is the new language").kind
        'label'
        >>> s = stamp("https://x.com/sama/status/1631000000000000001")
        >>> s.kind, s.author, s.post_id
        ('link', 'sama', '1631000000000000001')
        >>> s = stamp("Sam Altman (@sama) · Mar 1, 2023")
        >>> s.kind, s.author, s.created_at
        ('author', 'sama', '2023-03-01')
        >>> stamp("💬 12  🔁 3  ❤️ 1.2K").kind, stamp("Replies: 12 | Likes: 40").kind
        ('counts', 'counts')
        >>> [stamp(t) for t in ("Hot take: dashboards", "Me: hi", "@sama hello", "2023", "1/3")]
        [None, None, None, None, None]
        >>> [stamp(t) for t in ("📞+92 213 481 3622", "🔥 100", "12 34 56")]
        [None, None, None]
        >>> s = stamp("3. [Mar 1, 2023] @sama: for clarity")
        >>> s.kind, s.number, s.author, s.created_at, s.end
        ('number', 3, 'sama', '2023-03-01', 24)
        >>> stamp("Tweet 4:").kind, stamp("**@sama**: hi").author
        ('number_line', 'sama')
        >>> [stamp(t) for t in ("1.5 million users", "12:30 meeting", "2023")]
        [None, None, None]
    """
    s = text.strip()
    if not s:
        return None
    lead = len(text) - len(text.lstrip())
    dated = _DIGIT.search(s, 0, 40) is not None
    if dated and len(s) <= 60:
        m = _DATE_LINE.match(s)
        if m:
            return Stamp("date", lead + len(s), m.group("ts"))
    if ("(" in s or "@" in s) and len(s) <= 100 and s[0] not in "—–-":  # (—: a signature)
        m = _AUTHOR_LINE.match(s)
        if m:
            handle = next(h for h in m.groups() if h)  # the handle comes first of the groups
            return Stamp("author", lead + len(s), m.group("ts8"), handle)
    if s[0] in "@＠" and " " not in s:
        m = _LONE_HANDLE.match(s)
        if m:
            return Stamp("handle", lead + len(s), author=m.group(1))
    if "/" in s and " " not in s:
        m = STATUS_URL_RE.match(s)
        if m:
            user = m.group("user") or m.group("bsky") or m.group("masto")
            post_id = m.group("id") or m.group("bid") or m.group("mid")
            return Stamp("link", lead + len(s), None, user, post_id)
    if dated and len(s) <= 120 and _counts(s):
        return Stamp("counts", lead + len(s))
    m = _BULLET.match(s) if s[0] in _BULLETS else None
    if m:  # "- [Mar 1, 2023] @sama: ..."
        inner = stamp(s[m.end() :])
        if inner is not None and inner.kind == "prefix":
            return replace(inner, kind="bullet", end=lead + m.end() + inner.end)
        return Stamp("bullet", lead + m.end())
    m = _NUMBER.match(s) if _DIGIT.search(s, 0, 16) else None
    if m:
        number = int(next(g for g in m.group("n1", "n2", "n3", "n4") if g))
        if m.end() == len(s):
            return Stamp("number_line", lead + len(s), number=number)
        inner = stamp(s[m.end() :])  # "3. [Mar 1, 2023] @sama: ..."
        if inner is not None and inner.kind == "prefix":
            return replace(inner, kind="number", end=lead + m.end() + inner.end, number=number)
        return Stamp("number", lead + m.end(), number=number)
    # a prefix opens with a date (which has a digit) or holds a handle
    m = _PREFIX.match(s) if dated or "@" in s[:70] or "＠" in s[:70] else None
    if m:
        when = next((m.group(k) for k in _TS_GROUPS if m.group(k)), None)
        handle = next((m.group(k) for k in _HANDLE_GROUPS if m.group(k)), None)
        label = m.group("label")
        if label and not _author_label(label):
            label = None
        if when or handle:
            return Stamp("prefix", lead + m.end(), when, handle or label)
    m = _LABEL.match(s) if ":" in s[:28] else None
    if m:
        label = m.group("label") or m.group("elabel")
        if _author_label(label) and not ent.is_url_only(s[m.end() :]):
            return Stamp("label", lead + m.end(), None, label)
    return None


# an author's handle alone on the line above a post ("@sama")
_LONE_HANDLE = re.compile(rf"^{AT_HANDLE}:?$")
_COUNT_WORDS = re.compile(
    r"\b(?:repl(?:y|ies)|comments?|retweets?|re-?posts?|rts?|quotes?|likes?|favou?rites?|faves?|"
    r"views?|impressions|bookmarks?|shares?)\b",
    re.IGNORECASE,
)
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*\s?[KMB]?\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s|,·•:;/()\[\]-]+")


# what apps and scrapers put beside counts: reply, repost, like, view, bookmark symbols
_COUNT_SYMBOLS = frozenset("💬🗨🔁🔄↻↺⟲⇄🔃♥❤♡🤍💙👍⭐★☆👁📊📈🔖\ufe0f")


_COUNT_SYMBOL = re.compile("[" + "".join(sorted(_COUNT_SYMBOLS - {"\ufe0f"})) + "]")


def _counts(s: str) -> bool:
    """A line of engagement counts only: numbers with count words ("Likes: 40") or symbols
    ("❤️ 40"), nothing else."""
    words = _COUNT_WORDS.search(s) is not None
    if not (words or _COUNT_SYMBOL.search(s)) or not _NUMBERS.search(s):
        return False
    rest = _SEPARATORS.sub("", _COUNT_WORDS.sub("", _NUMBERS.sub("", s)))
    if not all(c in _COUNT_SYMBOLS for c in rest):
        return False
    return words or bool(rest)


def _author_label(label: str) -> bool:
    """Could name an account: not a word of dialogue ("Me"), a number or a shouted tag
    ("BREAKING", "LINK")."""
    return not (
        label.lower() in _DIALOGUE or label.isdigit() or (label.isupper() and len(label) > 1)
    )


def dialogue_line(text: str) -> bool:
    """A line of dialogue inside one post ("Me: ...", "ChatGPT: ..."), not an author's label."""
    m = _LABEL.match(text)
    return m is not None and (m.group("label") or m.group("elabel")).lower() in _DIALOGUE
