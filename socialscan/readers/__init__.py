"""Readers: every input format to a stream of :class:`~socialscan.records.Post`.

Formats: ``dump`` (raw pasted posts), ``lines`` (one post a line), ``jsonl`` (twarc2 pages,
v2/v1.1 tweets, snscrape), ``archive`` (an X archive's ``tweets.js``) and ``csv``. ``auto`` picks
one from the file name and its first bytes, and plain text is a dump unless a sample of it is
one post a line (:mod:`.layout`).

A format that does not fit is never a silent empty answer: when nothing in an input parses as
its format, :func:`iter_posts` raises :class:`~socialscan.errors.MalformedInput` (naming the
format the input looks like when it was forced); when most of its lines are skipped, or text
is read as a dump although it looks structured, a sentence goes to ``stats.warnings``. An
empty input (no bytes, or only blank lines) holds 0 records in every format.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MalformedInput, MissingColumn, SocialscanError, UnknownFormat
from ..formats import INPUT_FORMATS
from ..records import Post
from .stats import ParseStats
from .text import open_binary, read_text_lines, utf16_encoding

if TYPE_CHECKING:  # numpy-free at import: `socialscan parse` needs no embedder
    from ..embed.base import Embedder

FORMATS = INPUT_FORMATS
_EXT = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".js": "archive",
    ".csv": "csv",
    ".tsv": "csv",
}
#: How each format is named in messages ("it looks like a raw dump").
DESCRIBED = {
    "dump": "a raw dump",
    "lines": "one post a line",
    "jsonl": "JSON lines",
    "archive": "an X archive's tweets.js",
    "csv": "a CSV table",
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


def input_size(source: str | os.PathLike[str]) -> int | None:
    """Bytes in a regular file; ``None`` for stdin, pipes and the like."""
    if str(source) == "-":
        return None
    try:
        st = os.stat(source)
    except OSError:
        return None
    import stat

    return st.st_size if stat.S_ISREG(st.st_mode) else None


def resolve_format(
    source: str | os.PathLike[str], format: str = "auto", stats: ParseStats | None = None
) -> str:
    """The format one input is read as: ``format`` itself unless it is ``auto``; for ``auto``,
    :func:`detect_format`'s, and ``lines`` for plain text that is one post a line
    (:func:`~.layout.one_post_a_line`), noted in ``stats.read_as_lines``.

    Raises:
        UnknownFormat: an unknown ``format``.
        InputNotFound, UnreadableInput: as the readers do.

    Examples:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "x.txt")
        >>> _ = open(p, "w").write('{"id": "1", "text": "hi"}\\n')
        >>> resolve_format(p), resolve_format(p, "lines")
        ('jsonl', 'lines')
    """
    if format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}: choose {', '.join(FORMATS)}")
    if format != "auto":
        return format
    fmt = detect_format(source)
    if fmt == "dump":
        from .layout import one_post_a_line

        if one_post_a_line(source):
            if stats is not None:
                stats.read_as_lines.append(str(source))
            return "lines"
    return fmt


def _looks_like(source: str | os.PathLike[str], fmt: str) -> str:
    """``; it looks like ...`` for an input read as ``fmt`` that ``auto`` reads otherwise."""
    if str(source) == "-":
        return ""
    try:
        guess = resolve_format(source)
    except SocialscanError:
        return ""
    if guess == fmt:
        return ""
    return f"; it looks like {DESCRIBED[guess]}: drop --format or use --format {guess}"


class _Content:
    """Counts the non-blank lines a reader is given."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines = 0

    def count(self, lines: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for n, text in lines:
            if text and not text.isspace():
                self.lines += 1
            yield n, text


def note_forced_format(source: str | os.PathLike[str], fmt: str, stats: ParseStats) -> None:
    """Warn in ``stats`` when text forced to ``dump`` or ``lines`` looks structured."""
    name = str(source)
    if fmt in ("dump", "lines") and name != "-":
        guess = detect_format(source)
        if guess not in ("dump", "lines"):
            stats.warnings.append(
                f"{name} was read as {DESCRIBED[fmt]} but looks like {DESCRIBED[guess]}: "
                f"drop --format or use --format {guess}"
            )


def _skipped(before: dict[str, int], after: dict[str, int]) -> str:
    """The reasons lines were skipped since ``before``, the commonest first."""
    new = {k: v - before.get(k, 0) for k, v in after.items() if v > before.get(k, 0)}
    return ", ".join(k for k, _ in sorted(new.items(), key=lambda kv: -kv[1])[:2])


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

    ``format="auto"`` reads the input as :func:`resolve_format` says. An input of which
    nothing parses as its format raises :class:`MalformedInput`; one of which most lines are
    skipped, or one forced to ``dump`` or ``lines`` that looks structured, adds a sentence to
    ``stats.warnings``. An input without a non-blank line holds no posts, whatever its format.

    Raises:
        UnknownFormat: an unknown ``format``.
        InvalidOption: an unknown ``segmenter``.
        ModelNotReady: ``segmenter="minilm"`` before ``socialscan models --prepare``.
        InputNotFound, UnreadableInput, MalformedInput, MissingColumn: bad input; when
            ``format`` was forced, the message names the format the input looks like.
    """
    from ..segment.choice import check_segmenter

    stats = stats if stats is not None else ParseStats()
    if format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}: choose {', '.join(FORMATS)}")
    check_segmenter(segmenter)  # before reading, whatever the format
    forced = format != "auto"
    fmt = resolve_format(source, format, stats)
    name = str(source)
    if forced:
        note_forced_format(source, fmt, stats)
    stats.inputs += 1
    stats.sources.append(str(source))
    content = _Content()
    lines = content.count(read_text_lines(source, stats))
    skipped, reasons = stats.skipped, dict(stats.skip_reasons)
    made = 0
    try:
        for post in _read(source, fmt, lines, stats, strict, embedder, segmenter):
            made += 1
            yield post
    except (MalformedInput, MissingColumn) as e:
        for _, text in lines:  # an input of blank lines holds no posts in any format
            if text.strip():
                break
        if content.lines == 0:
            return
        hint = _looks_like(source, fmt) if forced else ""
        raise type(e)(f"{e}{hint}") from None
    failed = stats.skipped - skipped
    if not failed:
        return
    why = _skipped(reasons, stats.skip_reasons)
    if made == 0:
        raise MalformedInput(
            f"{name}: nothing in it parses as {fmt} ({failed} of {content.lines} lines "
            f"skipped: {why}){_looks_like(source, fmt) if forced else ''}"
        )
    if 2 * failed > content.lines:
        stats.warnings.append(
            f"{name}: most lines do not parse as {fmt} ({failed} of {content.lines} skipped: "
            f"{why}){_looks_like(source, fmt) if forced else ''}"
        )


def _read(
    source: str | os.PathLike[str],
    fmt: str,
    lines: Iterator[tuple[int, str]],
    stats: ParseStats,
    strict: bool,
    embedder: Embedder | None,
    segmenter: str,
) -> Iterator[Post]:
    """The posts of one input read as ``fmt``, threaded and counted."""
    from .threads import assign_threads

    name = str(source)
    if fmt == "dump":
        from ..segment.choice import choose_segmenter
        from .dump import read_dump

        contextual = choose_segmenter(segmenter, input_size(source))
        posts = read_dump(
            lines, name, stats, embedder=embedder, source_key=Path(name).name, contextual=contextual
        )
    elif fmt == "lines":
        from .lines import read_lines_format

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
