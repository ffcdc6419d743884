"""The post explorer's data: every record's text, kind, lines, labels and topic, compact,
gzip-compressed and base64-encoded (the page decodes it and sets text with ``textContent``,
never ``innerHTML``)."""

from __future__ import annotations

import base64
import gzip
import os
from typing import Any

import orjson

from ..text.body import body_text

#: Characters of a post kept in the explorer (longer texts end with an ellipsis).
EXPLORER_CHARS = 4000
#: At most this many labels get their own filter bit in the explorer.
MAX_LABELS = 50
_KINDS = ("post", "reply", "link")


def thread_starts(df) -> list[int]:
    """For each row, the row its thread starts at (consecutive rows sharing a ``thread_id``,
    as the topics stage groups them), or -1 when the row is not part of a thread of two or
    more: the explorer draws a thread's rows as one block.

    Examples:
        >>> import pandas as pd
        >>> thread_starts(pd.DataFrame({"thread_id": ["a", "a", None, "b", "c", "c", "c"]}))
        [0, 0, -1, -1, 4, 4, 4]
    """
    if "thread_id" not in df.columns:
        return [-1] * len(df)
    ids = [None if v is None or v != v else v for v in df["thread_id"].tolist()]
    starts = [-1] * len(ids)
    i = 0
    while i < len(ids):
        j = i + 1
        while ids[i] is not None and j < len(ids) and ids[j] == ids[i]:
            j += 1
        if j - i > 1:
            starts[i:j] = [i] * (j - i)
        i = j
    return starts


def posts_payload(
    df, labels: list[str], colors: dict[str, str], topics: list[dict[str, Any]]
) -> str:
    """The explorer's columns, compact: kinds/labels/sources as small ints, labels as a bitmask."""
    n = len(df)
    kind_index = {k: i for i, k in enumerate(_KINDS)}
    label_bit = {lab: 1 << i for i, lab in enumerate(labels[:MAX_LABELS])}
    sources = list(dict.fromkeys(str(s) for s in df["source"])) if "source" in df.columns else [""]
    src_index = {s: i for i, s in enumerate(sources)}
    # a copied post shows its own lines (its author and date have their columns)
    shown = (body_text(t) for t in df["text"].astype(str))
    texts = [t if len(t) <= EXPLORER_CHARS else t[: EXPLORER_CHARS - 1] + "…" for t in shown]
    payload: dict[str, Any] = {
        "kinds": list(_KINDS),
        "labels": labels[:MAX_LABELS],
        "labelColors": [colors[lab] for lab in labels[:MAX_LABELS]],
        "topics": [
            {"id": t["topic"], "name": t["name"], "short": t["short"], "color": t["color"]}
            for t in topics
        ],
        "sources": [os.path.basename(s) or s for s in sources],
        "t": texts,
        "k": [kind_index.get(k, 0) for k in df["kind"]],
        "a": df["line_start"].astype(int).tolist(),
        "b": df["line_end"].astype(int).tolist(),
        "s": [src_index[str(s)] for s in df["source"]]
        if "source" in df.columns and len(sources) > 1
        else [],
        "l": [sum(label_bit.get(lab, 0) for lab in set(labs)) for labs in df["labels"]]
        if "labels" in df.columns
        else [0] * n,
        "p": [None if t != t else int(t) for t in df["topic"]]
        if "topic" in df.columns
        else [None] * n,
        "th": thread_starts(df),
    }
    if "author" in df.columns and df["author"].notna().any():
        payload["au"] = [a if isinstance(a, str) else "" for a in df["author"]]
        if "created_at" in df.columns:
            payload["ts"] = [
                str(t)[:16].replace("T", " ") if isinstance(t, str) else ""
                for t in df["created_at"]
            ]
    raw = orjson.dumps(payload)
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")
