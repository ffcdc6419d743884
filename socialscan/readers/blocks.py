"""Cutting an input into blocks right after line breaks, each knowing the lines before it.

One rule for every cut: it falls right after a ``\\n``, so no line (and no CRLF) is ever cut,
and lines are counted as the readers count them: LF, CRLF and a lone CR each end one
(:func:`count_breaks`). :func:`iter_blocks` cuts a stream as it is read (the local pool, stdin
too); :func:`line_spans` cuts a file by seeking, reading only the bytes near each cut and
counting the rest (the partitions of ``--engine dask``).
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from typing import BinaryIO

_CHUNK = 8 * 1024 * 1024


def count_breaks(data: bytes) -> int:
    """Line breaks in ``data`` as the readers count them (LF, CRLF, lone CR).

    Examples:
        >>> count_breaks(b"a\\r\\nb\\rc\\nd"), count_breaks(b"one\\r\\r\\n")
        (3, 2)
    """
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def count_line_breaks(path: str | os.PathLike[str], start: int, end: int) -> int:
    """:func:`count_breaks` of ``path[start:end]``, read a chunk at a time.

    ``end`` must fall right after a ``\\n`` (or at the end of the file).

    Examples:
        >>> import tempfile
        >>> p = os.path.join(tempfile.mkdtemp(), "x.txt")
        >>> _ = open(p, "wb").write(b"a\\r\\nb\\rc\\nd\\n")
        >>> count_line_breaks(p, 0, os.path.getsize(p))
        4
    """
    n = 0
    prev_cr = False
    with open(path, "rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            n += count_breaks(chunk) - (prev_cr and chunk[:1] == b"\n")  # a CRLF across chunks
            prev_cr = chunk[-1:] == b"\r"
    return n


def iter_blocks(fh: BinaryIO, block_bytes: int) -> Iterator[tuple[bytes, int]]:
    """``(data, first_line)`` blocks of a binary stream, each ending right after a ``\\n``.

    The last block ends where the stream does. A leading UTF-8 byte-order mark is dropped.

    Examples:
        >>> import io
        >>> list(iter_blocks(io.BytesIO(b"\\xef\\xbb\\xbfa\\r\\nb\\rc\\nd"), block_bytes=3))
        [(b'a\\r\\n', 1), (b'b\\rc\\n', 2), (b'd', 4)]
    """
    line = 1
    pending: list[bytes] = []
    first = True
    while True:
        chunk = fh.read(block_bytes)
        if not chunk:
            break
        if first:
            first = False
            while len(chunk) < 3 and codecs.BOM_UTF8.startswith(chunk):
                more = fh.read(block_bytes)
                if not more:
                    break
                chunk += more
            if chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[3:]
                if not chunk:
                    continue
        cut = chunk.rfind(b"\n") + 1
        if cut == 0:
            pending.append(chunk)
            continue
        data = b"".join([*pending, chunk[:cut]]) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
        yield data, line
        line += count_breaks(data)
    if pending:
        yield b"".join(pending), line


def _cut_at_or_after(fh: BinaryIO, target: int, size: int) -> int:
    """The first offset from ``target`` on that falls right after a ``\\n`` (``size`` if none)."""
    fh.seek(target - 1)  # a cut exactly after a newline at target - 1 is kept
    pos = target - 1
    while True:
        chunk = fh.read(1 << 16)
        if not chunk:
            return size
        i = chunk.find(b"\n")
        if i >= 0:
            return pos + i + 1
        pos += len(chunk)


def line_spans(path: str | os.PathLike[str], pieces: int) -> list[tuple[int, int, int]]:
    """About ``pieces`` byte ranges of ``path``, each cut right after a ``\\n``, as
    ``(start, end, line_offset)``: ``line_offset`` lines come before ``start``.

    Examples:
        >>> import tempfile
        >>> p = os.path.join(tempfile.mkdtemp(), "x.txt")
        >>> _ = open(p, "wb").write(b"one\\ntwo\\nthree\\r\\nfour\\n")
        >>> line_spans(p, 2)
        [(0, 15, 0), (15, 20, 3)]
    """
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, max(1, pieces)):
            target = max(k * size // pieces, cuts[-1] + 1)
            if target >= size:
                break
            pos = _cut_at_or_after(fh, target, size)
            if pos >= size:
                break
            if pos > cuts[-1]:
                cuts.append(pos)
    cuts.append(size)
    spans, offset = [], 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        spans.append((a, b, offset))
        offset += count_line_breaks(path, a, b)
    return spans
