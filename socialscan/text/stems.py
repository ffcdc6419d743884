"""Word stems of a line and how rare each is in tweets: the words two stretches of text share,
weighed by rarity, tell one post from the next (:func:`~socialscan.segment.cohesion.lexical`);
claims read the same weights to tell a rare word from a common one.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from . import entities as ent

#: Where a word's stem ends: its first six letters ("confidence", "confident": "confid").
STEM = 6
# A word: three letters or more, not inside a handle (nor after a digit or "_"); its stem is the
# group, the rest of the word swallowed so that the search does not try each letter after it.
_STEM_RE = re.compile(rf"(?<![@＠\w])([^\W\d_]{{3,{STEM}}})[^\W\d_]*")
# The same for a lower-cased line whose every word character is ASCII, where the two agree:
# [a-z] and ASCII \w are range and table tests, where the Unicode letter class asks the
# Unicode database at every character (a fifth of stems' time on tweets).
_ASCII_STEM_RE = re.compile(rf"(?<![@＠\w])([a-z]{{3,{STEM}}})[a-z]*", re.ASCII)
_WIDE_WORD_CHAR = re.compile(r"[^\x00-\x7f](?<=\w)")  # a word character beyond ASCII
#: The stems' inverse document frequencies, fitted on the training tweets (see :func:`idf_table`).
IDF_PATH = Path(str(files("socialscan") / "resources" / "stem_idf.json"))


def stems(text: str) -> set[str]:
    """The stems of a line's words of three letters or more, lower-cased; not the words of its
    handles and links.

    Examples:
        >>> sorted(stems("I used to be shy & have no confidence. Be confident!"))
        ['confid', 'have', 'shy', 'used']
        >>> sorted(stems("@sama_x Loving #FineTuning https://t.co/gGdaM0KWsx"))
        ['finetu', 'loving']
    """
    low = ent.without_links(text).lower()
    wide = not low.isascii() and _WIDE_WORD_CHAR.search(low) is not None
    return set((_STEM_RE if wide else _ASCII_STEM_RE).findall(low))


def idf_table(docs: Sequence[str], min_df: int = 3) -> dict[str, Any]:
    """``{"idf": {stem: idf}, "default": idf}`` over ``docs`` (tweets); a stem in fewer than
    ``min_df`` of them gets the default, a rare word's weight."""
    df: Counter[str] = Counter()
    for t in docs:
        df.update(stems(t))
    n = len(docs)
    idf = {s: round(math.log((n + 1) / (c + 1)), 3) for s, c in df.items() if c >= min_df}
    return {"idf": dict(sorted(idf.items())), "default": round(math.log((n + 1) / min_df), 3)}


@cache
def stem_idf() -> tuple[dict[str, float], float]:
    """The shipped stem weights and the weight of a stem not among them, loaded once."""
    d = json.loads(IDF_PATH.read_text(encoding="utf-8"))
    return d["idf"], float(d["default"])
