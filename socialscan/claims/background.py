"""Ordinary posts shipped with socialscan, the weak negatives of a label a person adds.

A person who adds a label (``giveaway``) in a report reads a few hundred posts, most of them
chosen because they might hold it. That teaches a head what the label looks like but little
about what ordinary posts look like, and a head that has seen few of them fires on a few
percent of a whole dump: most of its hits are then false. The shipped model's own corpus is
not on a user's machine (mostly pointers into data that may not be redistributed), so
socialscan ships a background sample instead: 8,000 random distinct posts of TweetEval and
the twarc-csv captures, the sources whose licence lets their text be shipped, without
reserved posts or any post of the labelled corpora (``training/claims/background.py`` builds
it; ``docs/training.md`` says how ``train claims --from`` uses it).

Examples:
    >>> posts = background_posts()
    >>> len(posts) == 8000 and all(isinstance(t, str) and t for t in posts)
    True
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import orjson

#: The sample: gzip'd JSON lines ``{"text": ..., "source": pointer into ../shared/data}``.
BACKGROUND_FILE = Path(str(files("socialscan") / "resources" / "claims-background.jsonl.gz"))
#: Post features a source's texts cannot show, by the dataset its pointers start with:
#: TweetEval removed line breaks and nearly all links (635 of its 155,170 lines keep one).
#: Learned from as they are, such posts would teach a new head that one-line posts without a
#: link are ordinary, and so that a post with lines or links looks like the label; training
#: gives these features of those posts a value that says nothing (see ``train_from``).
FLATTENED: dict[str, tuple[str, ...]] = {"tweeteval": ("lines", "links")}


@cache
def background_rows() -> tuple[tuple[str, str], ...]:
    """(text, source) of each shipped background post, read once per process."""
    with gzip.open(BACKGROUND_FILE, "rb") as fh:
        rows = [orjson.loads(line) for line in fh if line.strip()]
    return tuple((str(r["text"]), str(r["source"])) for r in rows)


def background_posts() -> list[str]:
    """The texts of the shipped background sample (see the module's docstring)."""
    return [t for t, _ in background_rows()]


def flattened(sources: list[str], features: list[str]) -> np.ndarray:
    """(n, len(features)) booleans: which post features each background post's source cannot
    show (:data:`FLATTENED`).

    Examples:
        >>> flattened(["tweeteval/emoji/train_text.txt#line=5", "twarc-jsonl/x.jsonl#id=1"],
        ...           ["links", "handles", "lines"]).tolist()
        [[True, False, True], [False, False, False]]
    """
    out = np.zeros((len(sources), len(features)), dtype=bool)
    for i, src in enumerate(sources):
        gone = FLATTENED.get(src.split("/", 1)[0], ())
        out[i] = [f in gone for f in features]
    return out
