"""Entities in post text: links, mentions, hashtags, cashtags, emojis, reply handles.

Small pure functions over one string (textacy style); their patterns are in :mod:`.patterns`.
The rules follow twitter-text's: a handle is 1-15 word characters not preceded by a word
character or ``@``; a hashtag needs a letter; a cashtag is 1-6 letters with an optional ``.X``
suffix. A Mastodon (fediverse) handle, ``@user@instance.social``, is one handle too
(``user@instance.social``), where twitter-text would find none.
"""

from __future__ import annotations

import html
import re

import emoji as _emoji

from .patterns import (
    CASHTAG_RE,
    DOT_TLD_RE,
    HASHTAG_RE,
    LEADING_HANDLES_RE,
    MENTION_RE,
    SCHEMED_URL_RE,
    URL_ONLY_RE,
    URL_RE,
)

_URL_TRAIL = ".,;:!?)]}'\"…»"
# Every emoji sequence holds at least one character from these ranges (keycaps hold U+20E3,
# flags regional indicators): a cheap test before the emoji library's full scan.
_EMOJI_HINT = re.compile("[\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff]")

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
    m = DOT_TLD_RE.search(text)
    while m is not None:
        i = m.start()
        if i and text[i - 1].isalnum():  # not "...so"
            start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
            if "/" not in text[start:i]:  # a host's first dot ("https://t.co" is no bare link)
                return URL_RE
        m = DOT_TLD_RE.search(text, i + 1)
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
    if "@" not in text and "＠" not in text:  # most lines: no scan
        return []
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


def entity_fields(text: str) -> dict[str, list[str]]:
    """Links, mentions, hashtags, cashtags and emojis of a text, as Post fields.

    Examples:
        >>> entity_fields("@ann see www.x.org")["links"], entity_fields("@ann see www.x.org")["mentions"]
        (['www.x.org'], ['ann'])
    """
    links, mentions, hashtags, cashtags, emojis = post_entities(text)
    return {
        "links": links, "mentions": mentions, "hashtags": hashtags, "cashtags": cashtags,
        "emojis": emojis,
    }  # fmt: skip


def text_entities(text: str) -> dict[str, list[str]]:
    """Mentions, hashtags, cashtags and emojis of a text, as Post fields.

    Examples:
        >>> text_entities("@ann #AI $TSLA 🚀")
        {'mentions': ['ann'], 'hashtags': ['AI'], 'cashtags': ['TSLA'], 'emojis': ['🚀']}
    """
    _, mentions, hashtags, cashtags, emojis = post_entities(text, url_pattern(text))
    return {"mentions": mentions, "hashtags": hashtags, "cashtags": cashtags, "emojis": emojis}


def post_entities(
    text: str, rx: re.Pattern[str] | None | bool = True
) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    """Links, mentions, hashtags, cashtags and emojis of a text in one call (the parse hot path).

    The same lists as the one-purpose functions, with a cheap test before each scan: most
    posts hold no link (see :func:`url_pattern`), ``@``, ``#``, ``$`` or non-ASCII character.
    ``rx`` is the pattern :func:`url_pattern` chose for ``text`` when the caller has it
    (``True``: choose it here).

    Examples:
        >>> post_entities("@ann #AI $TSLA 🚀 www.x.org")
        (['www.x.org'], ['ann'], ['AI'], ['TSLA'], ['🚀'])
    """
    if rx is True:
        rx = url_pattern(text)
    links = links_by(text, rx) if rx is not None else []
    at = "@" in text or "＠" in text
    hash_ = "#" in text or "＃" in text
    cash = "$" in text
    if at or hash_ or cash:
        rest = rx.sub(" ", text) if rx is not None else text  # _outside_urls, inlined
        mentions = MENTION_RE.findall(rest) if at else []
        hashtags = HASHTAG_RE.findall(rest) if hash_ else []
        cashtags = CASHTAG_RE.findall(rest) if cash else []
        # most lists hold one item or none: only longer ones can repeat
        if len(mentions) > 1:
            mentions = _unique(mentions)
        if len(hashtags) > 1:
            hashtags = _unique(hashtags)
        if len(cashtags) > 1:
            cashtags = _unique(cashtags)
    else:
        mentions, hashtags, cashtags = [], [], []
    return links, mentions, hashtags, cashtags, ([] if text.isascii() else extract_emojis(text))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
