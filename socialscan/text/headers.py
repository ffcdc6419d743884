"""The header of a post copied from a timeline: who wrote it and when, and where it starts.

Select a timeline in a browser and paste it, and every post comes with its header (display
name, ``@handle``, ``·``, a time such as ``2h`` or ``Jan 5``, sometimes a "Pinned" or
"... reposted" line above it). A header is the surest boundary a dump can have, so where one
is found it decides: the post starts there and runs to the end of its footer
(:mod:`.chrome`), and its author, date and reply target come from the header; a quoted post's
header (under the app's "Quote" line) stays inside the post quoting it. Bluesky, Mastodon,
Threads, TweetDeck and LinkedIn headers are read in the same shapes.

Pure functions over line texts, no numpy: :func:`header_at` finds a header, :func:`header_starts`
every header of a block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .chrome import is_count
from .patterns import AGE_LINE_RE, AT_HANDLE_OR_DOMAIN, MONTH_WORD, RECENT_TIME

_TIME = (
    rf"(?:{RECENT_TIME}"
    r"|\d{1,2} (?:seconds?|minutes?|hours?|days?) ago|now|just now"
    rf"|{MONTH_WORD} \d{{1,2}}(?:, \d{{4}})?|\d{{1,2}} {MONTH_WORD}(?: \d{{4}})?)"
)
_TIME_RE = re.compile(rf"^{_TIME}$", re.IGNORECASE)
# an X handle, a Bluesky one (@name.bsky.social) or a Mastodon one (@name@instance.social)
_HANDLE_RE = re.compile(rf"^{AT_HANDLE_OR_DOMAIN}$")
# "Sam Altman @sama · Jan 5", "@sama · 2h", TweetDeck's "Sam Altman @sama 2h" (one line, as
# some copies and readers give it)
_ONE_LINE = re.compile(
    rf"^(?:(?P<name>.{{1,50}}?)\s+)?{AT_HANDLE_OR_DOMAIN}(?:\s*·\s*|\s+)(?P<time>{_TIME})$",
    re.IGNORECASE,
)
_LOOSE_END = re.compile(rf"[@＠]\S+\s+{_TIME}\s*$", re.IGNORECASE)
_DOT_TIME = re.compile(rf"^·\s*({_TIME})$", re.IGNORECASE)  # "· 2h" under the handle
_DOT = {"·", "•"}
# lines X puts above a post's header
_CONTEXT_RE = re.compile(
    r"^(?:.{1,60} (?:reposted|retweeted|liked|replied|follows?)|Pinned(?: Tweet| post)?|"
    r"Promoted|Ad|You reposted|You retweeted|"
    # and LinkedIn above its posts
    r".{1,60} (?:likes|loves|celebrates|supports|commented on|reposted|shared) this|"
    r"Suggested|Feed post(?: number \d+)?)$",
    re.IGNORECASE,
)
# LinkedIn's header: the author's name (twice, as the page repeats it for screen readers, or
# once over "• 2nd"), a headline or two, the time ("1d •", "2w • Edited •")
_LI_TIME_RE = re.compile(
    r"^(?:\d{1,2}\s?(?:s|m|h|d|w|mo|yr|y)|now)\s*(?:•\s*)?(?:Edited\s*(?:•\s*)?)?"
    r"(?:🌐|Visible to anyone on or off LinkedIn)?$",
    re.IGNORECASE,
)
_LI_DEGREE_RE = re.compile(
    r"^(?:•\s*)?(?:1st|2nd|3rd\+?|Following|Author|Premium|Verified|Influencer)$", re.IGNORECASE
)
_LI_AFTER = frozenset({"visible to anyone on or off linkedin", "follow", "+ follow", "connect"})


def _time(text: str) -> bool:
    return bool(_TIME_RE.match(text.strip()))


def _name_like(text: str) -> bool:
    """Could be a display name: short, no link, not a count or label."""
    s = text.strip()
    return 0 < len(s) <= 50 and "://" not in s and not is_count(s) and not _HANDLE_RE.match(s)


@dataclass(slots=True)
class Header:
    """A post header found at some line: how many lines it spans (context line, name,
    handle, dot and time), and what it says."""

    size: int
    handle: str
    time: str
    name: str | None = None
    context: str | None = None
    #: TweetDeck's one line without a dot ("Sam Altman @sama 2h"): prose can end so too, so it
    #: counts only where two or more are found (see :func:`header_starts`).
    loose: bool = False
    #: The header of a quoted post, under the app's "Quote" line inside the post quoting it:
    #: it starts no post of its own.
    quoted: bool = False
    #: A name over a lone time, no handle (Threads): read as a header inside one post only
    #: where counts end it (see :func:`split_post`).
    bare: bool = False


def _header_from(texts: Sequence[str], i: int) -> Header | None:
    """A header whose name (or one-line form, or bare handle) is at ``i``."""
    n = len(texts)
    s = texts[i].strip()
    m = _ONE_LINE.match(s)
    if m:
        loose = "·" not in s[m.end(2) : m.start("time")]
        return Header(1, m.group(2), m.group("time"), m.group("name"), loose=loose)
    # the name, then "@handle · 2h" on the next line
    m = _ONE_LINE.match(texts[i + 1].strip()) if i + 1 < n and _name_like(s) else None
    if m and not m.group("name"):
        return Header(2, m.group(2), m.group("time"), s)
    # name / @handle / [·] / time, or @handle / [·] / time when the name is missing
    for h in (i + 1, i):
        if h >= n:
            continue
        hm = _HANDLE_RE.match(texts[h].strip())
        if not hm or (h == i + 1 and not _name_like(s)):
            continue
        k = h + 1
        name = s if h == i + 1 else None
        dm = _DOT_TIME.match(texts[k].strip()) if k < n else None
        if dm:
            return Header(k - i + 1, hm.group(1), dm.group(1), name)
        if k < n and texts[k].strip() in _DOT:
            k += 1
        if k < n and _time(texts[k]):
            return Header(k - i + 1, hm.group(1), texts[k].strip(), name)
    # a name over a lone time and no handle (Threads: "zuck" / "2h"); loose, as prose could
    # end so (a real tweet's line is hardly ever a lone time, and never a relative one)
    bare = i + 1 < n and 0 < len(s) <= 40 and s[-1] not in ".!?:,;" and _name_like(s)
    if bare and AGE_LINE_RE.match(texts[i + 1].strip()):
        return Header(2, s, texts[i + 1].strip(), None, loose=True, bare=True)
    return None


def _linkedin_header(texts: Sequence[str], i: int) -> Header | None:
    """LinkedIn's header whose name is at ``i``: the name twice or over its "• 2nd" line, up
    to two headline lines, the time, and "Visible to anyone ..." or "Follow" under it. The
    name stands for the handle LinkedIn does not show."""
    n = len(texts)
    s = texts[i].strip()
    if i + 2 >= n or not _name_like(s):
        return None
    j = i + 1
    dup = texts[j].strip() == s
    j += dup
    degree = j < n and _LI_DEGREE_RE.match(texts[j].strip()) is not None
    j += degree
    if not (dup or degree):
        return None
    for k in range(j, min(j + 3, n)):
        t = texts[k].strip()
        if _LI_TIME_RE.match(t) and (degree or "•" in t):  # "lol" / "lol" / "1d" is none
            end = k + 1
            while end < n and texts[end].strip().lower() in _LI_AFTER:
                end += 1
            return Header(end - i, s, t, s)
    return None


#: Lines from a header's first line to the furthest one that must hold a :func:`_cue`: a
#: LinkedIn time under a context line, a name twice, its degree and two headline lines.
CUE_REACH = 6


# what ends every one-line header (``_ONE_LINE``): a handle (no space or dot in it), the dot
# or a space, and a time; searched, it finds that tail of any line the header's pattern reads
_AT_TIME_END = re.compile(rf"[@＠][^\s·]*(?:\s*·\s*|\s+)(?:{_TIME})$", re.IGNORECASE)


def _cue(text: str) -> bool:
    """Whether a line could be what every header holds: a lone handle, a handle and a time at
    its end ("Sam Altman @sama · 2h"), a lone time ("2h") or LinkedIn's time ("1d •", "now").
    No header starts where none of its lines is one."""
    s = text.strip()
    first = s[:1]
    if first in "@＠" and _HANDLE_RE.match(s):
        return True
    if (first.isdigit() or first in "nN") and (AGE_LINE_RE.match(s) or _LI_TIME_RE.match(s)):
        return True
    return ("@" in s or "＠" in s) and _AT_TIME_END.search(s) is not None


def header_at(texts: Sequence[str], i: int) -> Header | None:
    """The post header starting at ``texts[i]``, if one does (with a "Pinned" or "... reposted"
    line above the name counted in).

    Examples:
        >>> h = header_at(["Sam Altman", "@sama", "·", "Jan 5", "hello"], 0)
        >>> h.size, h.handle, h.time, h.name
        (4, 'sama', 'Jan 5', 'Sam Altman')
        >>> header_at(["Make sure you can't do it with prompts.", "@sama is right"], 0) is None
        True
        >>> h = header_at(["Ad", "Notion", "@NotionHQ", "Write, plan, organize."], 0)
        >>> h.size, h.handle, h.context
        (3, 'NotionHQ', 'Ad')
    """
    if i >= len(texts) or not any(map(_cue, texts[i : i + CUE_REACH + 1])):
        return None
    return _header_at(texts, i)


def _header_at(texts: Sequence[str], i: int) -> Header | None:
    """:func:`header_at` without its first test: every header has a :func:`_cue` at most
    :data:`CUE_REACH` lines below its first (a handle in the one-line form, the name's line
    or the one under it; a lone time under a name; LinkedIn's time at most three lines under
    its name's two, below a context line), so lines with none that close read as none."""
    s = texts[i].strip()
    if _CONTEXT_RE.match(s) and i + 1 < len(texts):
        inner = (
            _header_from(texts, i + 1)
            or _promoted(texts, i + 1, s)
            or _linkedin_header(texts, i + 1)
        )
        if inner is not None:
            inner.size += 1
            inner.context = s
            return inner
    return _header_from(texts, i) or _linkedin_header(texts, i)


def _promoted(texts: Sequence[str], i: int, context: str) -> Header | None:
    """An ad's header under its "Ad" line: name and handle, no time."""
    if context.lower() not in {"ad", "promoted"} or i + 1 >= len(texts):
        return None
    hm = _HANDLE_RE.match(texts[i + 1].strip())
    if hm and _name_like(texts[i]):
        return Header(2, hm.group(1), "", texts[i].strip())
    return None


_QUOTE_LABELS = frozenset({"quote", "quote tweet", "quote post", "quoted tweet", "quoted post"})


def quote_label(text: str) -> bool:
    """The app's line over a quoted post: "Quote", "Quoted post"."""
    return text.strip().lower() in _QUOTE_LABELS


def header_starts(texts: Sequence[str]) -> list[Header | None]:
    """For each line, the header that starts there (``None`` elsewhere), without overlaps:
    the lines of one header never start another. A header under the app's "Quote" line is
    the quoted post's, inside the post that quotes it (``Header.quoted``).

    A cheap test first: a header holds a line that is a lone ``@handle``, a ``· time``, a lone
    time or (TweetDeck's) a handle and a time at its end. Headers of that last shape and a
    name over a lone time (Threads) count only where there are two or more.
    """
    out: list[Header | None] = [None] * len(texts)
    if not any(
        _HANDLE_RE.match(t.strip())
        or "·" in t
        or ("@" in t and _LOOSE_END.search(t))
        or ("•" in t and _LI_TIME_RE.match(t.strip()))
        or AGE_LINE_RE.match(t.strip())
        for t in texts
    ):
        return out
    # the next line at or after each with a cue: a header can start only CUE_REACH above one
    n = len(texts)
    cue_at = [n + CUE_REACH + 1] * (n + 1)
    for k in range(n - 1, -1, -1):
        cue_at[k] = k if _cue(texts[k]) else cue_at[k + 1]
    i, loose = 0, []
    while i < n:
        if cue_at[i] > i + CUE_REACH:
            i = cue_at[i] - CUE_REACH
            continue
        h = _header_at(texts, i)
        if h is not None:
            out[i] = h
            h.quoted = i > 0 and quote_label(texts[i - 1])
            if h.loose:
                loose.append(i)
            i += h.size
        else:
            i += 1
    if len(loose) == 1:
        out[loose[0]] = None
    return out
