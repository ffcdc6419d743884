"""What a claims model reads beside a post's words: the post's shape (links, who is addressed,
thread marks) as a few numbers, and the post as the model reads it (entities decoded)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np

from ..text.patterns import THREAD_EMOJI, THREAD_NUMBER

_LINK = re.compile(r"https?://\S+|\b(?:t\.co|bit\.ly|pic\.twitter\.com)/\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_LEAD_HANDLE = re.compile(r"^\s*(?:@\w{1,30}\s*)+")
_THREAD = re.compile(rf"{THREAD_EMOJI}|\bthread\b|{THREAD_NUMBER}", re.IGNORECASE)
_POINTING = re.compile("[👇👉⬇➡🔗]")
_I = re.compile(r"\b(?:i|i'm|i've|my|me|mine|we|our|us|i’m|i’ve)\b", re.IGNORECASE)
_YOU = re.compile(r"\b(?:you|your|you're|you’re|yours)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_DISCLOSED = re.compile(
    r"#(?:ad|sponsored|spon|paid|partner|affiliate|advertisement)\b|\bpaid partnership\b|"
    r"\baffiliate link\b|\bsponsored by\b|\b(?:in )?partnership with\b|\bad:\s",
    re.IGNORECASE,
)

#: The post features a head may read beside the text's vector: what a reader sees in the
#: post's shape (links, who is addressed, thread marks) that its words' average hides.
POST_FEATURES = [
    "links",
    "handles",
    "hashtags",
    "reply",
    "thread_mark",
    "pointing",
    "first_person",
    "second_person",
    "question",
    "exclamation",
    "digits",
    "lines",
    "length",
]


def readable(texts: Sequence[str]) -> list[str]:
    """Texts as the model reads them: HTML entities decoded (``&amp;`` as ``&``), since some
    exports keep the API's entities and others do not.

    Examples:
        >>> readable(["Q&amp;A", "plain"])
        ['Q&A', 'plain']
    """
    return [html.unescape(t) if "&" in t else t for t in texts]


#: The flags among the post features (0 or 1); the other columns are counts.
_FLAGS = frozenset({"reply", "thread_mark"})
_COUNTS = np.array([i for i, n in enumerate(POST_FEATURES) if n not in _FLAGS])


def post_features(texts: Sequence[str]) -> np.ndarray:
    """(n, len(POST_FEATURES)) float32: counts squashed by ``log1p``, flags as 0/1.

    Examples:
        >>> f = post_features(["@ann Try it 👉 https://t.co/x"])
        >>> dict(zip(POST_FEATURES, f[0].round(2).tolist()))["reply"]
        1.0
    """
    out = np.zeros((len(texts), len(POST_FEATURES)), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i] = (
            len(_LINK.findall(t)),
            len(_HANDLE.findall(t)),
            len(_HASHTAG.findall(t)),
            1.0 if _LEAD_HANDLE.match(t) else 0.0,
            1.0 if _THREAD.search(t) else 0.0,
            len(_POINTING.findall(t)),
            len(_I.findall(t)),
            len(_YOU.findall(t)),
            t.count("?"),
            t.count("!"),
            len(_DIGIT.findall(t)),
            t.count("\n"),
            len(t) / 100.0,
        )
    np.log1p(out[:, _COUNTS], out=out[:, _COUNTS])
    return out


def disclosed(text: str) -> bool:
    """Whether a post discloses that a plug is paid for (#ad, #sponsored, "paid partnership",
    "affiliate link"): an undisclosed plug is what endorsement rules look for.

    Examples:
        >>> disclosed("Loving my new headphones #ad"), disclosed("Loving my new headphones")
        (True, False)
    """
    return bool(_DISCLOSED.search(text))
