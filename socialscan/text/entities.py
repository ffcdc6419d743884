"""Entities in post text: links, mentions, hashtags, cashtags, emojis, reply handles.

Small pure functions over one string (textacy style), with the patterns in one place. The rules
follow twitter-text's: a handle is 1-15 word characters not preceded by a word character or
``@``; a hashtag needs a letter; a cashtag is 1-6 letters with an optional ``.X`` suffix. A
Mastodon (fediverse) handle, ``@user@instance.social``, is one handle too (``user@instance.social``),
where twitter-text would find none.
"""

from __future__ import annotations

import html
import re

import emoji as _emoji

# Links written without a scheme, as X itself displays them ("github.com/openai/evals",
# "pic.twitter.com/AbC", "openai.com"). twitter-text's rule, with its TLD list cut to the ones
# links in posts use: a generic TLD (and the country ones used as such: .io, .ai, .co, ...)
# with or without a path; any other listed country TLD only with a path, so that "config.py"
# or "Node.js/Deno" are not links (.js is no TLD). A host starts at a word's start, not after
# an "@", "." or "/" (an e-mail address, a file's path) nor after "#" or "$" ("#Fetch.ai" is a
# hashtag), and ends at a word boundary. The TLD is written in small letters: "it.So" is a
# missing space, not a link.
_GENERIC_TLDS = (
    "com|org|net|edu|gov|info|biz|app|dev|xyz|io|ai|co|me|ly|gg|tv|fm|blog|news|tech|"
    "site|online|store|shop|link|page|art|club|live|social|space|pro|cloud"
)
_COUNTRY_TLDS = (
    "uk|de|fr|it|es|nl|be|ch|at|se|no|dk|fi|ie|pt|pl|cz|gr|hu|ro|ua|ru|eu|us|ca|mx|br|ar|cl|"
    "au|nz|jp|cn|kr|tw|hk|sg|in|id|ph|my|th|vn|za|ng|ke|il|tr|ae|sa|pk|bd|la|im|is|gl|gd|cc|"
    "ws|vc|tk|fyi|am|sh|so|to"
)
_HOST = r"(?<![\w@＠#＃$.:/\\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
_BARE_URL = (
    rf"{_HOST}(?-i:(?:{_GENERIC_TLDS})(?![\w-])(?!\.\w)(?:/[^\s<>\"'`]*)?"
    rf"|(?:{_COUNTRY_TLDS})(?![\w.-])/[^\s<>\"'`]*)"
)
_SCHEME = r"(?:https?://|www\.)"
_SCHEMED = rf"{_SCHEME}[^\s<>\"'`]+"
#: A link with a scheme or from ``www.``.
SCHEMED_URL_RE = re.compile(_SCHEMED, re.IGNORECASE)
#: A link: with a scheme, from ``www.``, or bare (see ``_BARE_URL``).
URL_RE = re.compile(rf"{_SCHEMED}|{_BARE_URL}", re.IGNORECASE)
# Every bare link holds a dot and two small letters (".com", ".co/"): found by a scan that starts
# with a literal, which is fast; most posts hold none outside the links with a scheme.
_DOT_TLD = re.compile(r"\.[a-z]{2}")
_URL_TRAIL = ".,;:!?)]}'\"…»"
# Each pattern starts with its sigil, then looks behind it (sigil included) for a word character
# or the like: the same matches as a look-behind first, but the regex engine can skip to the
# next sigil instead of testing the look-behind at every position (2-4x faster).
#: A handle after its ``@``: an X one, or a fediverse one (``user@instance.social``).
HANDLE = r"(?:\w{1,15}(?![\w@＠])|\w{1,30}[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@＠-]))"
MENTION_RE = re.compile(rf"[@＠](?<![\w@＠!#$%&*/][@＠])({HANDLE})", re.ASCII)
HASHTAG_RE = re.compile(r"[#＃](?<![\w&#＃/][#＃])(\w*[^\W\d_]\w*)")
CASHTAG_RE = re.compile(r"\$(?<![\w$/]\$)([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)(?![\w$])")
LEADING_HANDLES_RE = re.compile(rf"^\s*((?:[@＠]{HANDLE}\s+)*[@＠]{HANDLE})(?=\s|$)", re.ASCII)
#: A retweet's text as the v1.1 API and scrapers give it: "RT @handle: ..." (group 1: handle).
RETWEET_RE = re.compile(r"RT [@＠](\w{1,15}):")
# Every emoji sequence holds at least one character from these ranges (keycaps hold U+20E3,
# flags regional indicators): a cheap test before the emoji library's full scan.
_EMOJI_HINT = re.compile("[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff]")
#: A line of links alone (the bare ones only as far as URL_RE reads them, then white space).
URL_ONLY_RE = re.compile(rf"^\s*(?:(?:{_SCHEME}\S+|(?:{_BARE_URL})(?!\S))\s*)+$", re.IGNORECASE)


#: A whole HTML character reference: named (``&amp;``), decimal (``&#39;``) or hex (``&#x1F680;``).
CHAR_REF_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """``text`` with its HTML character references decoded, as the platform shows it.

    The X API (and so twarc, archives and the CSVs made from them) escapes ``&``, ``<`` and
    ``>``. Only whole references, ending in ``;``, are decoded, each once: "AT&T", "R&D" and
    "&notify" stay as written (``html.unescape`` alone would turn the last into "¬ify"), an
    unknown name stays, and a doubly escaped ``&amp;gt;`` becomes ``&gt;``, as X shows it.

    Examples:
        >>> decode_entities("Q&amp;A: 1 &lt; 2 &gt;&gt; it&#39;s &#x1F680; AT&T &notify &bogus;")
        "Q&A: 1 < 2 >> it's 🚀 AT&T &notify &bogus;"
        >>> decode_entities("LINK =&amp;gt; here")
        'LINK =&gt; here'
    """
    if "&" not in text:
        return text
    return CHAR_REF_RE.sub(lambda m: html.unescape(m.group(0)), text)


def url_pattern(text: str) -> re.Pattern[str] | None:
    """The pattern that finds every link in ``text`` fastest, or ``None`` when it holds none.

    Examples:
        >>> url_pattern("no links here. None.") is None, url_pattern("see x.com/a") is URL_RE
        (True, True)
    """
    m = _DOT_TLD.search(text)
    while m is not None:
        i = m.start()
        if i and text[i - 1].isalnum():  # not "...so"
            start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
            if "/" not in text[start:i]:  # a host's first dot ("https://t.co" is no bare link)
                return URL_RE
        m = _DOT_TLD.search(text, i + 1)
    # every other link holds "://" or a case-insensitive "www.", hence "w." or "W."
    if "://" in text or "w." in text or "W." in text:
        return SCHEMED_URL_RE
    return None


def extract_links(text: str) -> list[str]:
    """URLs in order, trailing punctuation trimmed; bare ones too, as X shows them.

    Examples:
        >>> extract_links("see https://t.co/abc. and www.x.org/a)")
        ['https://t.co/abc', 'www.x.org/a']
        >>> extract_links("Code: github.com/openai/evals… (via openai.com). Not: config.py, it.So")
        ['github.com/openai/evals', 'openai.com']
        >>> extract_links("🎰https://t.co/gsmeZRBQIF🎰 見て https://t.co/x。 de.wikipedia.org/wiki/Zürich")
        ['https://t.co/gsmeZRBQIF', 'https://t.co/x', 'de.wikipedia.org/wiki/Zürich']
    """
    return links_by(text, url_pattern(text))


def links_by(text: str, rx: re.Pattern[str] | None) -> list[str]:
    """:func:`extract_links` with the pattern :func:`url_pattern` chose for ``text`` (for a
    caller that needs the pattern too, so that it is chosen once)."""
    if rx is None:
        return []
    out = []
    for m in rx.finditer(text):
        url = m.group(0)
        while url and (url[-1] in _URL_TRAIL or (url[-1] > "\x7f" and not url[-1].isalnum())):
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break  # keep a balanced paren: https://en.wikipedia.org/wiki/X_(y)
            url = url[:-1]  # and an emoji or a CJK full stop written against the link
        if len(url.split("://", 1)[-1]) > 3:  # not a lone "http://"
            out.append(url)
    return out


def without_links(text: str) -> str:
    """``text`` with every link (see :func:`extract_links`) replaced by a space.

    Examples:
        >>> without_links("read https://t.co/x and github.com/a/b now")
        'read   and   now'
    """
    return _outside_urls(text, url_pattern(text))


def _outside_urls(text: str, rx: re.Pattern[str] | None) -> str:
    """``text`` with its links (found by ``rx``, from :func:`url_pattern`) blanked out."""
    return rx.sub(" ", text) if rx is not None else text


def extract_mentions(text: str) -> list[str]:
    """Handles mentioned anywhere, without ``@``, in order (duplicates kept once).

    Examples:
        >>> extract_mentions("@a_b hi @C, mail x@y.com")
        ['a_b', 'C']
        >>> extract_mentions("congrats @Gargron@mastodon.social.")
        ['Gargron@mastodon.social']
    """
    if "@" not in text and "＠" not in text:
        return []
    return _unique(MENTION_RE.findall(_outside_urls(text, url_pattern(text))))


def extract_hashtags(text: str) -> list[str]:
    """Hashtags without ``#``; a tag of digits only is not a hashtag.

    Examples:
        >>> extract_hashtags("#AI and #1 and #ChatGPT's")
        ['AI', 'ChatGPT']
    """
    if "#" not in text and "＃" not in text:
        return []
    return _unique(HASHTAG_RE.findall(_outside_urls(text, url_pattern(text))))


def extract_cashtags(text: str) -> list[str]:
    """Cashtags without ``$``.

    Examples:
        >>> extract_cashtags("$TSLA up, $5 down, $BRK.B flat")
        ['TSLA', 'BRK.B']
    """
    if "$" not in text:
        return []
    return _unique(CASHTAG_RE.findall(_outside_urls(text, url_pattern(text))))


def _emoji_segment_re() -> re.Pattern[str]:
    global _EMOJI_SEGMENT
    if _EMOJI_SEGMENT is None:
        from emoji.unicode_codes import EMOJI_DATA

        ascii_parts = sorted({c for e in EMOJI_DATA for c in e if c.isascii()})
        inner = re.escape("".join(ascii_parts))
        _EMOJI_SEGMENT = re.compile(f"[{inner}]*[^\\x00-\\x7f][{inner}\\x80-\\U0010ffff]*")
    return _EMOJI_SEGMENT


_EMOJI_SEGMENT: re.Pattern[str] | None = None


def extract_emojis(text: str) -> list[str]:
    """Emoji in order of appearance (multi-codepoint sequences kept whole).

    The ``emoji`` library scans a string one character at a time in Python. No emoji sequence
    holds an ASCII character other than a keycap's ``#``, ``*`` or digit, so only the runs of
    other characters are handed to it, joined by spaces: the same matches, a fraction of the
    characters (tested against a whole-text scan in ``tests/test_entities.py``).

    Examples:
        >>> extract_emojis("ship it 🚀🚀 👍🏽")
        ['🚀', '🚀', '👍🏽']
    """
    if text.isascii() or not _EMOJI_HINT.search(text):
        return []
    runs = _emoji_segment_re().findall(text)
    return [e["emoji"] for e in _emoji.emoji_list(" ".join(runs))]


def leading_handles(text: str) -> list[str]:
    """The handles a reply starts with (``@a @b hello`` -> ``['a', 'b']``).

    Examples:
        >>> leading_handles("@ChloeMaal Nice to see")
        ['ChloeMaal']
        >>> leading_handles("Nice @ChloeMaal")
        []
    """
    m = LEADING_HANDLES_RE.match(text)
    if not m:
        return []
    return [h[1:] for h in m.group(1).split()]


def is_url_only(line: str) -> bool:
    """True for a line holding nothing but one or more URLs.

    Examples:
        >>> is_url_only("https://t.co/gGdaM0KWsx")
        True
        >>> is_url_only("read https://t.co/x")
        False
    """
    return bool(URL_ONLY_RE.match(line))


def domain(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.``.

    Examples:
        >>> domain("https://www.Example.com/a?b")
        'example.com'
    """
    rest = url.split("://", 1)[-1]
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":")[0].lower()
    return host[4:] if host.startswith("www.") else host


def text_entities(text: str) -> dict[str, list[str]]:
    """Mentions, hashtags, cashtags and emojis of a text, as Post fields.

    Examples:
        >>> text_entities("@ann #AI $TSLA 🚀")
        {'mentions': ['ann'], 'hashtags': ['AI'], 'cashtags': ['TSLA'], 'emojis': ['🚀']}
    """
    mentions, hashtags, cashtags, emojis = _tag_entities(text, url_pattern(text))
    return {"mentions": mentions, "hashtags": hashtags, "cashtags": cashtags, "emojis": emojis}


def post_entities(
    text: str,
) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Links, mentions, hashtags, cashtags and emojis of a text in one call (the parse hot path).

    The same lists as the one-purpose functions, with a cheap test before each scan: most
    posts hold no link (see :func:`url_pattern`), ``@``, ``#``, ``$`` or non-ASCII character.

    Examples:
        >>> post_entities("@ann #AI $TSLA 🚀 www.x.org")
        (['www.x.org'], ['ann'], ['AI'], ['TSLA'], ['🚀'])
    """
    rx = url_pattern(text)
    return (links_by(text, rx), *_tag_entities(text, rx))


def _tag_entities(
    text: str, rx: re.Pattern[str] | None
) -> tuple[list[str], list[str], list[str], list[str]]:
    at = "@" in text or "＠" in text
    hash_ = "#" in text or "＃" in text
    cash = "$" in text
    if at or hash_ or cash:
        rest = _outside_urls(text, rx)
        mentions = _unique(MENTION_RE.findall(rest)) if at else []
        hashtags = _unique(HASHTAG_RE.findall(rest)) if hash_ else []
        cashtags = _unique(CASHTAG_RE.findall(rest)) if cash else []
    else:
        mentions, hashtags, cashtags = [], [], []
    return mentions, hashtags, cashtags, ([] if text.isascii() else extract_emojis(text))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
