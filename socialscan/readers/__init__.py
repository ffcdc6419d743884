"""Readers: every input format to a stream of :class:`~socialscan.records.Post`.

Formats: ``dump`` (raw pasted posts; plain text defaults to this), ``lines`` (one post a line),
``jsonl`` (twarc2 pages, v2/v1.1 tweets, snscrape), ``archive`` (an X archive's ``tweets.js``) and
``csv``. ``auto`` picks one from the file name and its first bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnknownFormat
from ..records import Post
from .stats import ParseStats
from .text import open_binary, read_text_lines, utf16_encoding

if TYPE_CHECKING:  # numpy-free at import: `socialscan parse` needs no embedder
    from ..embed.base import Embedder

FORMATS = ("auto", "dump", "lines", "jsonl", "archive", "csv")
_EXT = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".js": "archive",
    ".csv": "csv",
    ".tsv": "csv",
}


def detect_format(path: str | os.PathLike[str]) -> str:
    """Guess an input's format from its first bytes, then its name.

    Examples:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "x.txt")
        >>> _ = open(p, "w").write('{"id": "1", "text": "hi"}\\n')
        >>> detect_format(p)
        'jsonl'
    """
    if str(path) == "-":
        return "dump"
    fh = open_binary(path)
    try:
        head = fh.read(4096)
    finally:
        fh.close()
    codec = utf16_encoding(head)
    if codec:  # look at the text, not its bytes
        head = head.decode(codec, "replace").lstrip("\ufeff").encode("utf-8")
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"window.YTD."):
        return "archive"
    if head.startswith(b"{") or head.startswith(b"[") and head[1:].lstrip().startswith(b"{"):
        return "jsonl"  # JSON lines, or a JSON document of tweets (an array, pretty-printed)
    ext = _EXT.get(Path(str(path)).suffix.lower())
    if ext == "jsonl" and head and not head.startswith((b"{", b"[")):
        return "dump"
    if ext is None:
        from .csvfile import looks_like_table

        # a spreadsheet saved as .txt: its first 4 KiB, cut at the last whole line
        if looks_like_table(head.rsplit(b"\n", 1)[0].decode("utf-8", "replace")):
            return "csv"
    return ext or "dump"


def json_document(path: str | os.PathLike[str]) -> bool:
    """Whether a JSON input is one document over many lines (a pretty-printed array or
    object), not JSON lines: its first line opens a value that does not end on it. Such a file
    is read whole, never cut into line ranges."""
    import orjson

    lines = read_text_lines(path)
    try:
        for _, text in lines:  # decoded: a BOM, UTF-16
            line = text.strip()
            if not line:
                continue
            if not line.startswith(("[", "{")):
                return False
            try:
                orjson.loads(line)
            except orjson.JSONDecodeError:
                return True
            return False
    finally:
        lines.close()
    return False


def _size(source: str | os.PathLike[str]) -> int | None:
    """Bytes in a regular file; ``None`` for stdin, pipes and the like."""
    if str(source) == "-":
        return None
    try:
        st = os.stat(source)
    except OSError:
        return None
    import stat

    return st.st_size if stat.S_ISREG(st.st_mode) else None


def iter_posts(
    source: str | os.PathLike[str],
    format: str = "auto",
    stats: ParseStats | None = None,
    strict: bool = False,
    embedder: Embedder | None = None,
    segmenter: str = "auto",
) -> Iterator[Post]:
    """Stream the posts of one input (a path or ``-``), counting into ``stats``.

    ``segmenter`` picks the boundary model for raw dumps: ``fast``, ``minilm`` or ``auto``
    (see :mod:`socialscan.segment.choice`).

    Raises:
        UnknownFormat: an unknown ``format``.
        InvalidOption: an unknown ``segmenter``.
        ModelNotReady: ``segmenter="minilm"`` before ``socialscan models --prepare``.
        InputNotFound, UnreadableInput, MalformedInput, MissingColumn: bad input.
    """
    from ..segment.choice import check_segmenter
    from .threads import assign_threads

    stats = stats if stats is not None else ParseStats()
    if format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}: choose {', '.join(FORMATS)}")
    check_segmenter(segmenter)  # before reading, whatever the format
    fmt = detect_format(source) if format == "auto" else format
    name = str(source)
    stats.inputs += 1
    lines = read_text_lines(source, stats)
    if fmt == "dump":
        from ..segment.choice import choose_segmenter
        from .dump import read_dump

        contextual = choose_segmenter(segmenter, _size(source))
        posts = read_dump(
            lines, name, stats, embedder=embedder, source_key=Path(name).name, contextual=contextual
        )
    elif fmt == "lines":
        from .dump import read_lines_format

        posts = read_lines_format(lines, name, stats, source_key=Path(name).name)
    elif fmt == "jsonl":
        from .jsonl import read_jsonl

        posts = read_jsonl(lines, name, stats, strict=strict)
    elif fmt == "archive":
        from .archive import read_archive

        posts = read_archive(lines, name, stats, strict=strict)
    else:
        from .csvfile import read_csv

        posts = read_csv(lines, name, stats, strict=strict)
    for post in assign_threads(posts, stats):
        stats.count(post)
        yield post
