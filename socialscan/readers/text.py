"""Reading text inputs as numbered lines, streaming, losing nothing.

Line breaks are LF, CRLF or a lone CR (all count as one break). A UTF-8 byte-order mark is
dropped; UTF-16 is decoded (with a BOM, or text with ASCII in it without one). Bytes that are
not valid UTF-8 become U+FFFD and are counted in :attr:`ReadStats.bytes_replaced`, never
dropped silently.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputNotFound, UnreadableInput

_FFFD = "\ufffd".encode()
#: A line break as the readers count them: CRLF, a lone CR or LF.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"\xfd7zXZ",
    b"PAR1",
    b"SQLite format 3",
)


@dataclass
class ReadStats:
    """Counts kept while reading one input."""

    lines: int = 0
    blank_lines: int = 0
    bytes_replaced: int = 0


def open_binary(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` (or ``-`` for stdin) for binary reading, with one-line errors.

    Raises:
        InputNotFound: the path does not exist.
        UnreadableInput: it is a directory or cannot be opened.
    """
    if str(path) == "-":
        return sys.stdin.buffer
    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"{path}: no such file")
    if p.is_dir():
        raise UnreadableInput(f"{path}: is a directory, not a file")
    try:
        return p.open("rb")
    except OSError as e:
        raise UnreadableInput(f"{path}: cannot read ({e.strerror or e})") from None


def utf16_encoding(head: bytes) -> str | None:
    """The UTF-16 codec for a file that starts with ``head``, or ``None`` for any other text.

    ``"utf-16"`` after a byte-order mark; without one (some Windows tools write none), text
    where every other byte is often NUL (its ASCII: spaces, line breaks, Latin letters) and the
    bytes between never are, that decodes cleanly to text without control characters:
    ``"utf-16-le"`` or ``"utf-16-be"``.

    Examples:
        >>> utf16_encoding("hi there".encode("utf-16")), utf16_encoding("hi there".encode("utf-16-le"))
        ('utf-16', 'utf-16-le')
        >>> utf16_encoding("Привет мир\\nэто тест".encode("utf-16-be"))
        'utf-16-be'
        >>> utf16_encoding(b"hi there"), utf16_encoding(b"\\x00\\x00\\x00\\x00")
        (None, None)
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: min(len(head), 4096) & ~1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) > 0.05 * len(high) and low.count(0) < 0.02 * len(low):
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:  # a surrogate pair cut at the sample's end is fine
                try:
                    text = sample[:-2].decode(codec)
                except UnicodeDecodeError:
                    return None
            if len(_CONTROL.findall(text)) <= 0.01 * len(text):
                return codec
    return None


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")


def looks_binary(head: bytes) -> bool:
    """True when the first bytes of a file say it is not text.

    Known binary signatures (images, archives, PDF, Parquet...) and a NUL-heavy or
    control-heavy sample count as binary; a few stray NUL bytes in text do not.

    Examples:
        >>> looks_binary(b"hello\\nworld\\n")
        False
        >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
        True
    """
    if not head:
        return False
    if utf16_encoding(head):
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    sample = head[:8192]
    nul = sample.count(0)
    if nul / len(sample) > 0.05:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if ctrl / len(sample) > 0.2:
        return True
    # random bytes (compressed, encrypted, numbers): a few control bytes, and most of the rest
    # not UTF-8; text in a legacy code page (cp1251, Latin-1) has no control bytes
    if ctrl / len(sample) > 0.03:
        bad = sample.decode("utf-8", "replace").count("\ufffd")
        return bad > 0.2 * len(sample)
    return False


def sniff_blocks_input(fh: BinaryIO, source: object) -> tuple[BinaryIO, bytes, bool]:
    """A peekable ``fh``, its first 8 KB, and whether it is UTF-16 (which the block readers
    leave to the line-by-line one), for the readers that cut a file into byte blocks.

    UTF-16 is asked first: its text looks binary to :func:`looks_binary`.

    Raises:
        UnreadableInput: the bytes say it is not text.
    """
    if not hasattr(fh, "peek"):  # pragma: no cover - every opened file has peek
        fh = io.BufferedReader(fh)  # type: ignore[arg-type]
    head = fh.peek(8192)[:8192]  # type: ignore[attr-defined]
    if utf16_encoding(head):
        return fh, head, True
    if looks_binary(head):
        raise UnreadableInput(f"{source}: looks like a binary file, not text")
    return fh, head, False


def _split_raw(raw: bytes) -> list[bytes]:
    """Split one ``\\n``-terminated chunk into lines on CRLF, LF and lone CR."""
    if raw.endswith(b"\r\n"):
        body, ended = raw[:-2], True
    elif raw.endswith(b"\n"):
        body, ended = raw[:-1], True
    else:
        body, ended = raw, False
    if b"\r" not in body:
        return [body]
    parts = body.split(b"\r")
    if not ended and parts[-1] == b"" and len(parts) > 1:
        parts.pop()  # a final lone CR terminates the last line
    return parts


def split_block(data: bytes) -> tuple[list[str], int]:
    """The lines of a block of bytes and how many bytes were replaced by U+FFFD, counted as
    :func:`iter_lines` counts them.

    ``data`` should end right after a line break, or at the end of the input; a final break
    ends the last line (it does not start an empty one).

    Examples:
        >>> split_block(b"one\\r\\ntwo\\rthree\\n\\xff\\n")
        (['one', 'two', 'three', '\\ufffd'], 1)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        lines: list[str] = []
        replaced = 0
        for raw in io.BytesIO(data):  # line by line, as iter_lines decodes
            for piece in _split_raw(raw):
                try:
                    lines.append(piece.decode("utf-8"))
                except UnicodeDecodeError:
                    text = piece.decode("utf-8", "replace")
                    replaced += text.count("\ufffd") - piece.count(_FFFD)
                    lines.append(text)
        return lines, replaced
    lines = LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines, 0


def iter_lines(
    fh: BinaryIO, stats: ReadStats | None = None, name: str = "<input>"
) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for every line of a binary stream, 1-based.

    Blank lines are yielded too (as ``""`` or whitespace), so numbering matches an editor's.

    Raises:
        UnreadableInput: the stream looks binary.
    """
    stats = stats if stats is not None else ReadStats()
    head = fh.peek(8192)[:8192] if hasattr(fh, "peek") else b""
    if looks_binary(head):
        raise UnreadableInput(f"{name}: looks like a binary file, not text")
    codec = utf16_encoding(head)
    if codec:
        yield from _iter_utf16(fh, stats, codec)
        return
    n = 0
    first = True
    for raw in fh:
        if first:
            first = False
            if raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
                if not raw:
                    continue  # a file of just a BOM holds no line, like an empty one
            elif not head and looks_binary(raw[:8192]):
                raise UnreadableInput(f"{name}: looks like a binary file, not text")
        for piece in _split_raw(raw):
            n += 1
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError:
                text = piece.decode("utf-8", "replace")
                stats.bytes_replaced += text.count("\ufffd") - piece.count(_FFFD)
            if not text.strip():
                stats.blank_lines += 1
            yield n, text
    stats.lines += n


def _iter_utf16(fh: BinaryIO, stats: ReadStats, codec: str) -> Iterator[tuple[int, str]]:
    wrapper = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="")
    n = 0
    buf = ""
    chunks = iter(lambda: wrapper.read(1 << 16), "")
    for chunk in chunks:
        buf += chunk
        if buf.endswith("\r"):
            continue  # may be half of a CRLF: decide with the next chunk
        *lines, buf = LINE_BREAK.split(buf)
        for line in lines:
            n += 1
            stats.bytes_replaced += line.count("\ufffd")
            stats.blank_lines += not line.strip()
            yield n, line
    for line in LINE_BREAK.split(buf)[:-1] if buf.endswith(("\r", "\n")) else [buf] if buf else []:
        n += 1
        stats.bytes_replaced += line.count("\ufffd")
        stats.blank_lines += not line.strip()
        yield n, line
    stats.lines += n


def read_text_lines(
    source: str | os.PathLike[str], stats: ReadStats | None = None
) -> Iterator[tuple[int, str]]:
    """Open a path (or ``-``) and yield its numbered lines; closes the file when done."""
    fh = open_binary(source)
    try:
        if not hasattr(fh, "peek"):
            fh = io.BufferedReader(fh)  # type: ignore[arg-type]
        yield from iter_lines(fh, stats, name=str(source))
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
