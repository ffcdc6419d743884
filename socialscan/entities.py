"""Entities in post text: links, mentions, hashtags, cashtags, emojis, reply handles.

Small pure functions over one string (textacy style), with the patterns in one place. The rules
follow twitter-text's: a handle is 1-15 word characters not preceded by a word character or
``@``; a hashtag needs a letter; a cashtag is 1-6 letters with an optional ``.X`` suffix. A
Mastodon (fediverse) handle, ``@user@instance.social``, is one handle too (``user@instance.social``),
where twitter-text would find none.
"""

from __future__ import annotations

import re

import emoji as _emoji

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
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
URL_ONLY_RE = re.compile(r"^\s*(?:(?:https?://|www\.)\S+\s*)+$", re.IGNORECASE)


def extract_links(text: str) -> list[str]:
    """URLs in order, trailing punctuation trimmed.

    Examples:
        >>> extract_links("see https://t.co/abc. and www.x.org/a)")
        ['https://t.co/abc', 'www.x.org/a']
    """
    out = []
    for m in URL_RE.finditer(text):
        url = m.group(0)
        while url and url[-1] in _URL_TRAIL:
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break  # keep a balanced paren: https://en.wikipedia.org/wiki/X_(y)
            url = url[:-1]
        if len(url) > 8:
            out.append(url)
    return out


def _outside_urls(text: str) -> str:
    return URL_RE.sub(" ", text) if ("://" in text or "www." in text) else text


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
    return _unique(MENTION_RE.findall(_outside_urls(text)))


def extract_hashtags(text: str) -> list[str]:
    """Hashtags without ``#``; a tag of digits only is not a hashtag.

    Examples:
        >>> extract_hashtags("#AI and #1 and #ChatGPT's")
        ['AI', 'ChatGPT']
    """
    if "#" not in text and "＃" not in text:
        return []
    return _unique(HASHTAG_RE.findall(_outside_urls(text)))


def extract_cashtags(text: str) -> list[str]:
    """Cashtags without ``$``.

    Examples:
        >>> extract_cashtags("$TSLA up, $5 down, $BRK.B flat")
        ['TSLA', 'BRK.B']
    """
    if "$" not in text:
        return []
    return _unique(CASHTAG_RE.findall(_outside_urls(text)))


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
    mentions, hashtags, cashtags, emojis = _tag_entities(text)
    return {"mentions": mentions, "hashtags": hashtags, "cashtags": cashtags, "emojis": emojis}


def post_entities(
    text: str,
) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Links, mentions, hashtags, cashtags and emojis of a text in one call (the parse hot path).

    The same lists as the one-purpose functions, with a cheap test before each scan: most
    posts hold no ``://``/``www.``, ``@``, ``#``, ``$`` or non-ASCII character.

    Examples:
        >>> post_entities("@ann #AI $TSLA 🚀 www.x.org")
        (['www.x.org'], ['ann'], ['AI'], ['TSLA'], ['🚀'])
    """
    # every URL_RE match holds "://" or a case-insensitive "www.", so "w." or "W."
    links = extract_links(text) if ("://" in text or "w." in text or "W." in text) else []
    return (links, *_tag_entities(text))


def _tag_entities(text: str) -> tuple[list[str], list[str], list[str], list[str]]:
    at = "@" in text or "＠" in text
    hash_ = "#" in text or "＃" in text
    cash = "$" in text
    if at or hash_ or cash:
        rest = _outside_urls(text)
        mentions = _unique(MENTION_RE.findall(rest)) if at else []
        hashtags = _unique(HASHTAG_RE.findall(rest)) if hash_ else []
        cashtags = _unique(CASHTAG_RE.findall(rest)) if cash else []
    else:
        mentions, hashtags, cashtags = [], [], []
    return mentions, hashtags, cashtags, ([] if text.isascii() else extract_emojis(text))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
