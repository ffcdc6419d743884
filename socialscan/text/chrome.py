"""The lines the X web app (and LinkedIn) put around a post's words, and the lines that divide
posts in a dump: what a timeline copied from a browser carries besides the posts.

A copied post comes with its header (:mod:`.headers`) and its footer: reply, repost, like and
view counts, the app's labels ("Show this thread", "Translate post"), the badges on its media
("ALT", "0:45") and sometimes a box of the page's ("Who to follow") under it. The app's own
lines that start ("Replying to @x", "... reposted") or end ("Show this thread", "… Show more")
a post do so with or without a header (:func:`opens_post`, :func:`closes_post`). Separator lines
("---") and embed signatures ("— Name (@handle) March 1, 2023") end posts
(:func:`ends_post`; the segmenter's frames decide when).

Pure functions over line texts, no numpy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .patterns import MONTH_WORD

# the app's lines that open a post even where its header was not copied: "Replying to @sama",
# "Sam Altman reposted", "Pinned" (real tweets hold none of these as a line of their own;
# they do hold "AI replied" and "Thanks for the follow", so the other context lines are left
# out)
_OPENS_RE = re.compile(
    r"^(?:Replying to\s+[@＠]\w.*|.{1,60} (?:reposted|retweeted)|Pinned(?: Tweet| post)?)$",
    re.IGNORECASE,
)
# and those that close one: the post was cut ("… Show more") or is followed by its thread
_CLOSES = frozenset({
    "show this thread", "show more", "show replies", "show more replies",
    "show additional replies", "translate post", "translate tweet",
})  # fmt: skip
_SHOW_MORE_END = re.compile(r"(?:…|\.\.\.)\s*(?:Show|see) more$", re.IGNORECASE)
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
    :class:`~socialscan.segment.frames.Frames`) ends the post above it. It does where the same line recurs in the
    block (a dump of long posts with "---" between each two), unless it underlines a title
    ("My weekly AI digest" / "~~~~~~": the line above short, without end punctuation, and
    opening its post, ``starts_above``) or divides a post from its own hashtags ("______" /
    "#AI #NFTs", as one tweet template has it). A separator line that comes once is left to
    the model: few multi-line real tweets hold one, and most of those not at a title or above
    hashtags.

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
