"""The post explorer's data: every record's text, kind, lines, labels and topic, compact,
gzip-compressed and base64-encoded (the page decodes it and sets text with ``textContent``,
never ``innerHTML``).

The label editor reads from it too: each record's id, its full text and source (what an
exported ``labels.jsonl`` line carries), the claims' scores the editor starts from, the review
queue (:mod:`socialscan.report.review`) and the report's id, under which the page keeps a
person's labels in the browser."""

from __future__ import annotations

import base64
import gzip
import hashlib
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


def post_ids(df) -> list[str]:
    """Each record's id (``id``, else its row), made unique: what a person's label is kept and
    exported under.

    Examples:
        >>> import pandas as pd
        >>> post_ids(pd.DataFrame({"id": ["a1", "b2", "a1", None]}))
        ['a1', 'b2', 'a1#2', 'row3']
    """
    raw = df["id"].tolist() if "id" in df.columns else [None] * len(df)
    seen: dict[str, int] = {}
    out = []
    for i, v in enumerate(raw):
        pid = str(v) if isinstance(v, str) and v else f"row{i}"
        if pid in seen:
            seen[pid] += 1
            pid = f"{pid}#{seen[pid]}"
        else:
            seen[pid] = 1
        out.append(pid)
    return out


def report_id(ids: list[str], sources: list[str]) -> str:
    """A report's id: a digest of its records' ids and sources, so a report written again from
    the same input (a new model, another ``--review``) finds the labels given on the last one.

    Examples:
        >>> report_id(["a1", "b2"], ["dump.txt"]) == report_id(["a1", "b2"], ["dump.txt"])
        True
        >>> len(report_id(["a1"], ["dump.txt"]))
        16
    """
    h = hashlib.sha256()
    for part in (*sources, "\0", *ids):
        h.update(part.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()[:16]


def _scores(df, labels: list[str], review) -> dict[str, list[float | None]]:
    """Per row with any score, its score per label (``None``: none): the claims' scores
    (``score_<label>``), and for queued rows the scores the queue read."""
    cols = [(j, f"score_{lab}") for j, lab in enumerate(labels) if f"score_{lab}" in df.columns]
    out: dict[str, list[float | None]] = {}
    if cols:
        values = [df[c].tolist() for _, c in cols]
        for i in range(len(df)):
            row: list[float | None] = [None] * len(labels)
            for (j, _), vs in zip(cols, values, strict=True):
                v = vs[i]
                if isinstance(v, int | float) and v == v and v > 0:
                    row[j] = round(float(v), 2)
            if any(v is not None for v in row):
                out[str(i)] = row
    if review is not None:
        for i, scores in zip(review.rows, review.scores, strict=True):
            out[str(i)] = [
                None if scores.get(lab) is None else round(scores[lab], 2) for lab in labels
            ]
    return out


def posts_payload(
    df,
    labels: list[str],
    colors: dict[str, str],
    topics: list[dict[str, Any]],
    review=None,
) -> str:
    """The explorer's columns, compact: kinds/labels/sources as small ints, labels as a bitmask;
    with the label editor's ids, full texts, sources, scores and the review queue."""
    n = len(df)
    kind_index = {k: i for i, k in enumerate(_KINDS)}
    label_bit = {lab: 1 << i for i, lab in enumerate(labels[:MAX_LABELS])}
    sources = list(dict.fromkeys(str(s) for s in df["source"])) if "source" in df.columns else [""]
    src_index = {s: i for i, s in enumerate(sources)}
    # a copied post shows its own lines (its author and date have their columns)
    full = df["text"].astype(str).tolist()
    shown = (body_text(t) for t in full)
    texts = [t if len(t) <= EXPLORER_CHARS else t[: EXPLORER_CHARS - 1] + "…" for t in shown]
    ids = post_ids(df)
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
        # the label editor's: ids, the full text where the shown one is cut, full sources
        "id": ids,
        "rid": report_id(ids, sources),
        "full": {str(i): t for i, (t, s) in enumerate(zip(full, texts, strict=True)) if t != s},
        "src": sources,
        "sc": _scores(df, labels[:MAX_LABELS], review),
        "review": review.payload() if review is not None and len(review) else None,
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
