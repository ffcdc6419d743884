"""The Python API: the same shape as the CLI (``socialscan parse`` <-> :func:`parse`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .embed.base import Embedder
from .errors import InputNotFound
from .readers import iter_posts
from .readers.stats import ParseStats
from .records import COLUMNS, LIST_COLUMNS, Post

_PATHLIKE_SUFFIXES = (".txt", ".jsonl", ".ndjson", ".json", ".js", ".csv", ".tsv")


def _is_path(value: str | os.PathLike[str]) -> bool:
    if isinstance(value, os.PathLike):
        return True
    if "\n" in value or "\r" in value:
        return False
    if value == "-" or Path(value).exists():
        return True
    if value.lower().endswith(_PATHLIKE_SUFFIXES) and " " not in value.strip():
        raise InputNotFound(f"{value}: no such file")
    return False


def iter_parse(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    stats: ParseStats | None = None,
    strict: bool = False,
    embedder: Embedder | None = None,
) -> Iterator[Post]:
    """Stream posts from one or more paths (``-`` is stdin), in input order.

    Args:
        inputs: A path or a list of paths.
        format: ``auto``, ``dump``, ``lines``, ``jsonl``, ``archive`` or ``csv``.
        stats: Filled with counts (lines, records, bytes replaced, skipped lines).
        strict: Fail on the first malformed structured record instead of skipping it.
        embedder: Overrides the static embedder used to segment raw dumps.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    for source in inputs:
        yield from iter_posts(source, format=format, stats=stats, strict=strict, embedder=embedder)


def parse(
    path_or_text: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    format: str = "auto",
    *,
    strict: bool = False,
    stats: ParseStats | None = None,
) -> list[Post]:
    """Parse a file, several files, or a string of text into posts.

    A string holding a line break, or naming no existing file, is parsed as text.

    Examples:
        >>> posts = parse("@ann Totally agree.\\nhttps://t.co/abc\\nNew post here.")
        >>> [(p.kind, p.line_start, p.line_end) for p in posts]
        [('reply', 1, 2), ('post', 3, 3)]
    """
    if isinstance(path_or_text, str) and not _is_path(path_or_text):
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "text.txt"
            p.write_text(path_or_text, encoding="utf-8", newline="")
            posts = list(iter_parse(p, format=format, stats=stats, strict=strict))
        for post in posts:
            post.source = "<text>"
        return posts
    return list(iter_parse(path_or_text, format=format, stats=stats, strict=strict))


def to_frame(posts: Iterable[Post]):
    """A pandas DataFrame with the columns of :data:`socialscan.records.COLUMNS`, in order.

    List columns (``links``, ``mentions``, ...) hold Python lists; ids are strings; line spans
    are integers.

    Examples:
        >>> df = to_frame(parse("one post.\\n@bo a reply"))
        >>> list(df.columns[:6]), df["kind"].tolist()
        (['id', 'kind', 'thread_id', 'text', 'line_start', 'line_end'], ['post', 'reply'])
    """
    import pandas as pd

    rows = [p.to_dict() for p in posts]
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for c in LIST_COLUMNS:
        df[c] = [list(v) if isinstance(v, list) else [] for v in df[c]]
    df["line_start"] = df["line_start"].astype("int64")
    df["line_end"] = df["line_end"].astype("int64")
    return df
