"""Which posts a large corpus's topics are fitted on: the same ones in one process and on Dask.

k-means over tens of thousands of posts has no single answer (two seeds disagree on many
posts). So that ``--engine dask`` (which fits on a sample) gives the topics one process gives,
both fit the clustering on the same posts: the :data:`FIT_SAMPLE` with the smallest :func:`sample_key`, a hash of where each post
is (id, file, line), the same however the input is partitioned. Every other post is assigned
to its nearest topic. The topic terms are counted on the sample's posts too, so the labels
agree (counting every post's on Dask would need every distinct term of the input on the
client; see ``docs/dask.md``).
"""

from __future__ import annotations

import hashlib
import heapq
from typing import Any

#: Above this many records the topics are fitted on this many (``--sample``'s default).
FIT_SAMPLE = 20_000


def sample_key(post_id: str, source: str, line_start: int) -> bytes:
    """The order posts are sampled in: a hash of where a post is, independent of partitions.

    Examples:
        >>> sample_key("1", "a.jsonl", 3) == sample_key("1", "a.jsonl", 3)
        True
    """
    return hashlib.blake2b(
        f"{post_id}\0{source}\0{line_start}".encode("utf-8", "surrogatepass"), digest_size=8
    ).digest()


def _places(data: Any, n: int) -> list[tuple[str, str, int]]:
    """``(id, source, line_start)`` per record; for plain strings, ``("", "", row + 1)``."""
    if hasattr(data, "columns"):
        if {"id", "source", "line_start"} <= set(data.columns):
            return [
                (str(i), str(s), int(ln) if ln == ln else 0)
                for i, s, ln in zip(data["id"], data["source"], data["line_start"], strict=True)
            ]
        return [("", "", r + 1) for r in range(n)]
    if isinstance(data, list | tuple) and data and hasattr(data[0], "line_start"):
        return [(p.id, p.source, p.line_start) for p in data]
    return [("", "", r + 1) for r in range(n)]


def sampled_rows(data: Any, n_rows: int, size: int | None = None) -> list[int] | None:
    """The rows to fit on, in input order, or ``None`` when there are at most ``size``
    (default :data:`FIT_SAMPLE`).

    Examples:
        >>> rows = sampled_rows([f"post {i}" for i in range(10)], 10, size=4)
        >>> len(rows), rows == sorted(rows)
        (4, True)
        >>> sampled_rows(["a", "b"], 2) is None
        True
    """
    size = FIT_SAMPLE if size is None else size
    if n_rows <= size:
        return None
    keyed = ((sample_key(*place), r) for r, place in enumerate(_places(data, n_rows)))
    return sorted(r for _, r in heapq.nsmallest(size, keyed))
