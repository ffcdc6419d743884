"""The lines a page puts around posts: timelines copied from the X web app, separators,
the signature under an embedded tweet.

Select a timeline in a browser and paste it, and every post comes with its header (display
name, ``@handle``, ``·``, a time such as ``2h`` or ``Jan 5``, sometimes a "Pinned" or
"... reposted" line above it and "Replying to @x" below it) and its footer (reply, repost,
like and view counts, "Show this thread"). A header is the surest boundary a dump can have,
so where one is found it decides: the post starts there and runs to the end of its footer, and
its author, date and reply target come from the header; a quoted post's header (under the
app's "Quote" line) stays inside the post quoting it. Lines outside any header's post (a
dump with some posts pasted bare) are left to the boundary model, except the app's own lines
that start ("Replying to @x", "... reposted") or end ("Show this thread", "… Show more") a
post with or without a header (:func:`opens_post`, :func:`closes_post`). Bluesky and Mastodon handles
are read in the same shapes. Separator lines ("---") and embed signatures ("— Name (@handle)
March 1, 2023") end posts (see ``segmenter._Frames`` for when).

Pure functions over line texts, no numpy: :func:`header_at` finds a header, :func:`split_post`
reads one post's lines, :func:`mask` and :func:`body_text` give what claims, topics and the
report read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import entities as ent
from .patterns import AGE_LINE_RE, AT_HANDLE_OR_DOMAIN, MONTH_WORD, RECENT_TIME
from .stamps import iso_time, stamp_cuts

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
_REPLYING_RE = re.compile(r"^Replying to\b(.*)$", re.IGNORECASE)
# the app's lines that open a post even where its header was not copied: "Replying to @sama",
# "Sam Altman reposted", "Pinned" (none of the 174,126 real tweets in ../shared/data holds
# one as a line of its own; "AI replied" and "Thanks for the follow" do, so the other
# context lines are left out)
_OPENS_RE = re.compile(
    r"^(?:Replying to\s+[@＠]\w.*|.{1,60} (?:reposted|retweeted)|Pinned(?: Tweet| post)?)$",
    re.IGNORECASE,
)
# and those that close one: the post was cut ("… Show more") or is followed by its thread
_CLOSES = frozenset({
    "show this thread", "show more", "show replies", "show more replies",
    "show additional replies", "translate post", "translate tweet",
})  # fmt: skip
_APP_WORDS = re.compile(r"reposted|retweeted|Pinned|Show|Translate", re.IGNORECASE)
_SHOW_MORE_END = re.compile(r"(?:…|\.\.\.)\s*(?:Show|see) more$", re.IGNORECASE)
_MORE_HANDLES = re.compile(r"(?:and\s+)?(?:[@＠]\w{1,15}[\s,]*)+(?:and \d+ others?)?", re.ASCII)
# the footer: counts ("12", "1.2K", "3,401", "18K Views") and the app's own labels
_COUNT_RE = re.compile(r"^\d{1,3}(?:[,.]\d{1,3})*\s?[KMB]?(?: (?:Views?|views?))?$")
_LABELS = _CLOSES | {"quote", "quote tweet", "views", "view", "·"}
# LinkedIn's footer: "45 comments", "12 reposts", "Sam Altman and 1,233 others", its buttons
_LI_FOOTER_RE = re.compile(
    r"^(?:\d[\d,.]*\s?[KM]?\s+(?:comments?|reposts?|shares?|reactions?|likes?|impressions?)"
    r"(?:\s*[·•]\s*\d[\d,.]*\s?[KM]?\s+(?:comments?|reposts?|shares?))*"
    r"|.{1,60} and [\d,]+ others?|Like|Comment|Repost|Send|Share|"
    r"(?:…|\.\.\.)\s?(?:see )?more|Activate to view larger image,?)$",
    re.IGNORECASE,
)  # what the app shows on a post's media and link card: "ALT" and "GIF" badges, a video's length,
# the card's "From nytimes.com"
_BADGE_RE = re.compile(
    r"^(?:ALT|GIF|\d{1,2}:\d{2}(?::\d{2})?|From [\w-]+(?:\.[\w-]+)*\.[a-z]{2,}"
    r"|No alternative text description for this image)$"  # LinkedIn's, under an image
)
# the boxes a page puts between posts when a whole page is copied
_MODULE_RE = re.compile(
    r"^(?:Who to follow|What[’']s happening|Trends for you|Trending now|Relevant people|"
    r"You might like|Discover more|Live on X)$",
    re.IGNORECASE,
)
#: Lines of such a box at most (three accounts of four lines and "Show more"); longer, the
#: lines under it are left to the model.
MODULE_LINES = 20


def opens_post(text: str) -> bool:
    """A line of the app's that starts a post, header or not: "Replying to @sama", "Sam
    Altman reposted", "Pinned".

    Examples:
        >>> [opens_post(t) for t in ("Replying to @sama", "Sam Altman reposted", "Pinned")]
        [True, True, True]
        >>> opens_post("Replying to emails is a chore"), opens_post("AI replied")
        (False, False)
    """
    s = text.strip()
    return len(s) <= 300 and _OPENS_RE.match(s) is not None


def app_label(text: str) -> bool:
    """A line of its own the app puts under a post: "Show this thread", "Translate post"."""
    return text.strip().lower() in _CLOSES


def closes_post(text: str) -> bool:
    """A line of the app's that ends a post: "Show this thread", "Translate post", a text cut
    with "… Show more".

    Examples:
        >>> closes_post("Show this thread"), closes_post("Big news today… Show more")
        (True, True)
        >>> closes_post("Show more love to your team")
        False
    """
    return app_label(text) or _SHOW_MORE_END.search(text.strip()) is not None


def is_count(text: str) -> bool:
    """An engagement count or one of the app's labels ("Show this thread").

    Examples:
        >>> [is_count(t) for t in ("1.2K", "3,401", "18K Views", "Show this thread", "12")]
        [True, True, True, True, True]
        >>> [is_count(t) for t in ("45 comments", "12 reposts", "Ann and 1,233 others", "Send")]
        [True, True, True, True]
        >>> is_count("Give it a try"), is_count("2023")
        (False, False)
    """
    s = text.strip()
    return bool(_COUNT_RE.match(s)) or s.lower() in _LABELS or bool(_LI_FOOTER_RE.match(s))


def is_badge(text: str) -> bool:
    """A line the app shows on a post's media or link card, not the post's words.

    Examples:
        >>> [is_badge(t) for t in ("ALT", "GIF", "0:45", "1:02:33", "From openai.com")]
        [True, True, True, True, True]
        >>> is_badge("From today on"), is_badge("alt")
        (False, False)
    """
    return _BADGE_RE.match(text.strip()) is not None


def module_title(text: str) -> bool:
    """The title of a box the page puts between posts: "Who to follow", "What's happening".

    Examples:
        >>> module_title("Who to follow"), module_title("Who to follow on AI? @sama")
        (True, False)
    """
    return _MODULE_RE.match(text.strip()) is not None


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
    # end so (1 line of the 207,430 real ones is a lone time; none a relative one)
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
    if i >= len(texts):
        return None
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


def _quote_label(text: str) -> bool:
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
    i, loose = 0, []
    while i < len(texts):
        h = header_at(texts, i)
        if h is not None:
            out[i] = h
            h.quoted = i > 0 and _quote_label(texts[i - 1])
            if h.loose:
                loose.append(i)
            i += h.size
        else:
            i += 1
    if len(loose) == 1:
        out[loose[0]] = None
    return out


# a line that only divides posts: "---", "***", "=====", "• • •", "________"
_SEPARATOR_RE = re.compile(r"^(?:[-=_*~—–•#+]\s?){3,}$")
# the signature under a tweet copied from a page that embeds it
_SIGNATURE_RE = re.compile(
    rf"^[—–-]{{1,2}}\s*(?P<name>.{{0,50}}?)\s*\([@＠](?P<handle>\w{{1,15}})\)"
    rf"\s*(?P<time>{MONTH_WORD} \d{{1,2}},? \d{{4}}|\d{{1,2}} {MONTH_WORD} \d{{4}})?$",
    re.IGNORECASE,
)


def is_separator(text: str) -> bool:
    """A line that only divides posts.

    Examples:
        >>> [is_separator(t) for t in ("---", "* * *", "=====", "- Dataset design", "...", "·")]
        [True, True, True, False, False, False]
    """
    s = text.strip()
    return len(s) >= 3 and s[0] in "-=_*~—–•#+" and bool(_SEPARATOR_RE.match(s))


def signature(text: str) -> re.Match[str] | None:
    """The line a copied embedded tweet ends with: ``— Name (@handle) Month D, YYYY``.

    Examples:
        >>> signature("— Sam Altman (@sama) March 1, 2023").group("handle")
        'sama'
        >>> signature("- Dataset design") is None
        True
    """
    s = text.strip()
    if not s or s[0] not in "—–-" or "(" not in s:
        return None
    return _SIGNATURE_RE.match(s)


_TAG_LINE = re.compile(r"^[#＃]\w+(?:\s+[#＃]\w+)+")


def breaks_between(texts: Sequence[str], g: int, starts_above: bool) -> bool:
    """Whether a separator line at ``texts[g]`` that is not one of a close run (see
    ``segmenter._Frames``) ends the post above it. It does where the same line recurs in the
    block (a dump of long posts with "---" between each two), unless it underlines a title
    ("My weekly AI digest" / "~~~~~~": the line above short, without end punctuation, and
    opening its post, ``starts_above``) or divides a post from its own hashtags ("______" /
    "#AI #NFTs", as one tweet template has it). A separator line that comes once is left to
    the model: 36 of the 16,676 multi-line real tweets in ``../shared/data`` hold one, most
    not at a title or above hashtags.

    Examples:
        >>> texts = ["Make sure you can't do it with prompts.", "---", "I used to be shy", "---"]
        >>> breaks_between(texts, 1, False), breaks_between(texts[:3], 1, False)
        (True, False)
        >>> breaks_between(["My weekly AI digest", "~~~~~~", "1. GPT-4", "~~~~~~"], 1, True)
        False
        >>> breaks_between(["Chad GPT", "______", "#NFTs #Google", "______"], 1, False)
        False
    """
    s = texts[g].strip()
    if g == 0 or not any(t.strip() == s for i, t in enumerate(texts) if i != g):
        return False
    if g + 1 < len(texts) and _TAG_LINE.match(texts[g + 1].strip()):
        return False
    above = texts[g - 1].strip()
    return not (starts_above and len(above) <= 60 and not above.endswith(tuple(".!?:;,")))


def ends_post(text: str) -> bool:
    """A separator or an embed signature: the post ends with this line."""
    return is_separator(text) or signature(text) is not None


@dataclass(slots=True)
class TimelinePost:
    """One copied post read apart: header (``None`` where only the app's other lines were
    copied: "Replying to @x", "Show this thread"), reply target, body and footer line
    indexes."""

    header: Header | None
    reply_to: list[str] = field(default_factory=list)
    body: list[int] = field(default_factory=list)  # indexes of the post's own text lines

    @property
    def created_at(self) -> str | None:
        """The date in ISO 8601 when the header gives a full one ("Jan 5, 2023"); relative
        times ("2h") and dates without a year say too little."""
        return iso_time(self.header.time) if self.header and self.header.time else None


def split_post(texts: Sequence[str]) -> TimelinePost | None:
    """Read a post's non-blank line texts when they open with a header or end with an embed
    signature (a trailing separator line left out of the body).

    Examples:
        >>> p = split_post(["Sam Altman", "@sama", "·", "Jan 5, 2023", "Replying to @a",
        ...                 "hello there", "12", "1.2K"])
        >>> p.header.handle, p.reply_to, p.body, p.created_at
        ('sama', ['a'], [5], '2023-01-05')
        >>> p = split_post(["Sam Altman", "@sama", "·", "2h", "so true", "Quote", "Greg",
        ...                 "@gdb", "·", "3h", "shipping is the best feeling", "12"])
        >>> p.body
        [4]
        >>> p = split_post(["Replying to @sama", "so true", "Show this thread"])
        >>> p.header, p.reply_to, p.body
        (None, ['sama'], [1])
        >>> p = split_post(["hello there", "— Sam Altman (@sama) March 1, 2023", "---"])
        >>> p.header.handle, p.body, p.created_at
        ('sama', [0], '2023-03-01')
    """
    if not texts:
        return None
    h = header_at(texts, 0)
    if h is not None and h.bare and not is_count(texts[-1]):
        h = None  # "Big day" / "2h" / "of sleep": prose as likely
    if h is None:
        end = len(texts)
        while end > 1 and is_separator(texts[end - 1]):
            end -= 1
        m = signature(texts[end - 1]) if end > 1 else None
        if m is not None:
            sig = Header(1, m.group("handle"), m.group("time") or "", m.group("name") or None)
            return TimelinePost(sig, body=list(range(end - 1)))
        opens = opens_post(texts[0])
        if not (opens or app_label(texts[-1])):
            return None
    post = TimelinePost(h)
    i = h.size if h is not None else 0
    if h is None and opens and not _REPLYING_RE.match(texts[0].strip()):
        i = 1  # "Sam Altman reposted"
    m = _REPLYING_RE.match(texts[i].strip()) if i < len(texts) else None
    if m:
        post.reply_to = ent.extract_mentions(m.group(1))
        i += 1
        # "Replying to" with its handles on the lines below ("@a", "and @b")
        while i < len(texts) and _MORE_HANDLES.fullmatch(texts[i].strip()):
            post.reply_to += ent.extract_mentions(texts[i])
            i += 1
    end = len(texts)
    for j in range(i + 1, end):  # a box of the page's under the post ("Who to follow")
        if module_title(texts[j]):
            end = j
            break
    while end > i + 1 and (is_count(texts[end - 1]) or is_badge(texts[end - 1])):
        end -= 1
    for j in range(i + 1, end - 1):  # the post it quotes is not its own words
        if _quote_label(texts[j]) and header_at(texts, j + 1) is not None:
            end = j
            break
    post.body = [j for j in range(i, end) if not is_badge(texts[j])] or list(range(i, end))
    return post


def _body_lines(text: str) -> tuple[list[str], set[int]] | None:
    """A copied post's lines and the indexes of its own (body) lines; ``None`` for a post
    without a header, signature or the app's other lines."""
    if "@" not in text and "＠" not in text and "•" not in text and not _APP_WORDS.search(text):
        head = text.split("\n", 2)  # or a name over a lone time ("zuck" / "2h")
        if len(head) < 3 or not AGE_LINE_RE.match(head[1].strip()):
            return None
    lines = text.split("\n")
    kept = [i for i, line in enumerate(lines) if line.strip()]
    post = split_post([lines[i] for i in kept])
    if post is None:
        return None
    return lines, {kept[j] for j in post.body}


def mask(text: str) -> str:
    """The post's text with the page's lines (header, "Replying to", counts, an embed
    signature) or a scraper's stamp (date line, "[date] author:") turned to spaces: what
    claims and topics read. Same length and the same lines, so character offsets and line
    numbers still point into ``text``; a post without any comes back as it is.

    Examples:
        >>> mask("Sam Altman\\n@sama\\n·\\n2h\\nhello there\\n12")
        '          \\n     \\n \\n  \\nhello there\\n  '
        >>> mask("2023-03-01 14:22\\nhello")
        '                \\nhello'
        >>> mask("[Mar 1, 2023] @sama: hi")
        '                     hi'
        >>> mask("@ann hello") == "@ann hello"
        True
    """
    found = _body_lines(text)
    if found is None:
        return _unstamp(text, blank=True)
    lines, body = found
    return "\n".join(line if i in body else " " * len(line) for i, line in enumerate(lines))


#: Stamps (:mod:`.stamps`) claims and topics leave out, and those the report hides: a post's
#: own link stays on show, and so do counts, bare "name:" labels and a number opening the
#: first line ("1. ", "- "), which a post's own words can look like.
_MASKED = frozenset(
    {"date", "author", "counts", "prefix", "label", "number", "number_line", "bullet"}
)
_HIDDEN = frozenset({"date", "author", "prefix", "number_line"})


def _unstamp(text: str, blank: bool) -> str:
    """The text without a scraper's stamps (:func:`.stamps.stamp_cuts`): blanked to spaces
    (``blank``, for claims and topics) or cut (for display)."""
    lines = text.split("\n")
    cut = stamp_cuts(lines, _MASKED if blank else _HIDDEN)
    if not cut:
        return text
    if blank:
        return "\n".join(
            " " * cut[i] + line[cut[i] :] if i in cut else line for i, line in enumerate(lines)
        )
    shown = [(i, line[cut.get(i, 0) :]) for i, line in enumerate(lines)]
    words = [i for i, line in shown if line.strip() and cut.get(i) != len(lines[i])]
    if not words:
        return ""
    return "\n".join(line for _, line in shown[words[0] : words[-1] + 1])


def body_text(text: str) -> str:
    """The post without the page's lines (for display, where author and date have their own
    places): its own lines and the blank lines between them; a post without a header or
    signature comes back as it is.

    Examples:
        >>> body_text("Sam Altman\\n@sama\\n·\\n2h\\nhello\\n\\nthere\\n12")
        'hello\\n\\nthere'
    """
    found = _body_lines(text)
    if found is None:
        return _unstamp(text, blank=False) or text
    if not found[1]:
        return text
    lines, body = found
    lo, hi = min(body), max(body)
    return "\n".join(
        line for i, line in enumerate(lines[lo : hi + 1], lo) if i in body or not line.strip()
    )
