"""Counting what a frame of records holds: items of list columns, handles, labels, plugs.

Every function takes the enriched DataFrame (``socialscan.records.COLUMNS`` plus whatever the
claims and topics stages added) and copes with the stage columns being absent. A record marked
``duplicate_of`` (a retweet of a post already counted, the same plug posted again; see
:mod:`socialscan.readers.repeats`) is counted once unless a function says otherwise.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any


def as_lists(series) -> list[list]:
    return [
        v
        if isinstance(v, list | tuple)
        else list(v)
        if hasattr(v, "__len__") and not isinstance(v, str)
        else []
        for v in series
    ]


def present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return str(value) != ""


def as_int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def count_column(df, column: str, key=None) -> Counter:
    """Count the items of a list column (optionally mapped through ``key``).

    Examples:
        >>> import pandas as pd
        >>> count_column(pd.DataFrame({"mentions": [["a", "b"], ["a"], []]}), "mentions")
        Counter({'a': 2, 'b': 1})
    """
    c: Counter = Counter()
    if column not in df.columns:
        return c
    for items in as_lists(df[column]):
        for item in items:
            if present(item):
                c[key(item) if key else item] += 1
    return c


def unique_handles(df) -> int:
    """Distinct handles seen as authors, mentions or reply targets."""
    seen = set(count_column(df, "mentions", key=str.lower))
    seen |= set(count_column(df, "reply_to", key=str.lower))
    if "author" in df.columns:
        seen |= {str(a).lower() for a in df["author"] if present(a)}
    return len(seen)


def first_texts(df) -> list[bool]:
    """Per record, whether it is the first with its text (no ``duplicate_of``): the records
    that counts "once" count. Every record is, when the frame has no such column.

    Examples:
        >>> import pandas as pd
        >>> first_texts(pd.DataFrame({"duplicate_of": [None, "a", float("nan")]}))
        [True, False, True]
    """
    if "duplicate_of" not in df.columns:
        return [True] * len(df)
    return [not present(v) for v in df["duplicate_of"]]


def claim_rows(df):
    """Each claim of each record as one dict with the record's index, line span and source,
    and ``first``: whether the record is the first with its text (:func:`first_texts`).

    Yields nothing when the frame has no ``claims`` column.
    """
    if "claims" not in df.columns:
        return
    cols = [
        df[c].tolist() if c in df.columns else [None] * len(df)
        for c in ("line_start", "line_end", "source", "text")
    ]
    firsts = first_texts(df)
    rows = zip(df["claims"].tolist(), *cols, firsts, strict=True)
    for i, (claims, ls, le, src, text, first) in enumerate(rows):
        if not isinstance(claims, list | tuple):
            continue
        for c in claims:
            if isinstance(c, dict) and c.get("label"):
                yield {
                    **c,
                    "row": i,
                    "line_start": ls,
                    "line_end": le,
                    "source": src,
                    "post": text,
                    "first": first,
                }


def label_counts(df, labels: list[str] | None = None, repeats: bool = False) -> dict[str, int]:
    """Records carrying each label (from ``labels``, else from ``claims``), every known label
    listed; a text counted once unless ``repeats``.

    Examples:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"labels": [["product_plug"]] * 3, "duplicate_of": [None, "a", "a"]})
        >>> label_counts(df), label_counts(df, repeats=True)
        ({'product_plug': 1}, {'product_plug': 3})
    """
    c: Counter = Counter()
    firsts = first_texts(df)
    if "labels" in df.columns:
        for labs, first in zip(as_lists(df["labels"]), firsts, strict=True):
            if first or repeats:
                c.update(set(labs))
    else:
        for row in {(r["row"], r["label"]) for r in claim_rows(df) if r["first"] or repeats}:
            c[row[1]] += 1
    out = {lab: c.get(lab, 0) for lab in (labels or [])}
    for lab, n in sorted(c.items()):
        out.setdefault(lab, n)
    return out


def plug_disclosure(df) -> dict[str, int]:
    """Posts holding a ``product_plug`` claim (a text once), how many of them do not disclose
    it, and the posts with repeats."""
    posts = undisclosed = raw = 0
    if "claims" not in df.columns:
        return {}
    for claims, first in zip(df["claims"], first_texts(df), strict=True):
        plugs = [
            c
            for c in (claims if isinstance(claims, list) else [])
            if c.get("label") == "product_plug"
        ]
        if plugs:
            raw += 1
            if not first:
                continue
            posts += 1
            attrs = plugs[0].get("attributes") or {}
            undisclosed += not (isinstance(attrs, dict) and attrs.get("disclosed"))
    return {"posts": posts, "undisclosed": undisclosed, "with_repeats": raw} if raw else {}


def has_time(df) -> bool:
    """True when at least one record carries a ``created_at`` timestamp."""
    return "created_at" in df.columns and bool(df["created_at"].map(present).any())
